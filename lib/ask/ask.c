#include "ask/ask.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ask/ask_int.h"
#include "ask/ask_llm.h"
#include "ask/ask_print.h"
#include "ask/cache.h"
#include "ask/exec.h"
#include "ask/grants.h"
#include "ask/validate.h"
#include "audit.h"
#include "log.h"
#include "text.h"

/* ---- audit ---------------------------------------------------------------- */

/* The question as audited: the question, or the report call. */
static const char *question_of(const struct dw_ask_opts *o, char *buf, size_t size)
{
	size_t len;

	if (!o->report)
		return o->question;
	len = (size_t)snprintf(buf, size, "--report %s", o->report);
	for (size_t i = 0; i < o->nparams && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, " -p %s=%s", o->pkeys[i],
					o->pvalues[i]);
	return buf;
}

/* dw_exec's hook: each query is recorded as started before it runs, or
 * does not run. */
static int audit_query(void *arg, const char *sql, const char *const *params, size_t n,
		       const char *trace, struct dw_err *err)
{
	struct dw_ask_session *s = arg;
	char question[1024], detail[64];
	char *shown = dw_exec_sql_shown(sql, params, n, DW_DB_MY, err);
	struct dw_audit_event ev = {
		.tool = "dw-ask", .action = "query", .role = s->role,
		.db_user = s->db_user, .question = question_of(s->o, question, sizeof question),
		.engine = s->engine, .sql = shown, .rows = -1, .detail = detail,
		.elapsed_ms = (long)((dw_log_clock() - s->t0) * 1000), .outcome = "started",
	};
	int rc;

	if (!shown)
		return -1;
	/* The trace the query names in a comment: dw-tune joins its digest to
	 * this event by it. */
	snprintf(detail, sizeof detail, "{\"trace\": \"%s\"}", trace);
	rc = dw_audit_record(s->audit, &ev, err);
	s->audit_failed = rc < 0;
	free(shown);
	return rc;
}

/* ---- session ------------------------------------------------------------ */

/* The read-only account: ask.user/ask.password over the warehouse
 * settings; or, as a person, the operating-system user's own account
 * (authenticated over the local socket, no password). */
static struct dw_db *open_reader(const struct dw_config *cfg, struct dw_err *err)
{
	struct dw_config_warehouse c = cfg->warehouse;

	if (cfg->ask.as_person) {
		c.user = (char *)dw_audit_os_user();
		c.password = NULL;
		c.database = "";
	} else if (*cfg->ask.user) {
		c.user = cfg->ask.user;
		c.password = cfg->ask.password;
	}
	return dw_db_my_open(&c, "warehouse", err);
}

/* What dw-user's policy says of the role: may it export (a file of
 * answers)? From the role schema's dw_role_info view; allowed when the
 * schema has none. */
static void read_export(struct dw_ask_session *s)
{
	struct dw_err ignored = { 0 };
	char *v = NULL;

	s->may_export = 1;
	if (dw_db_query_value(s->db, "SELECT export FROM dw_role_info", 0, NULL, &v, &ignored) == 0 &&
	    v && !strcmp(v, "0"))
		s->may_export = 0;
	free(v);
}

int dw_ask_may_export(const struct dw_ask_session *s)
{
	return s->may_export;
}

/* A person reads in the schema of the role dw-user gave it (named like the
 * database role, DATABASE_ROLE), and audits through its view there. */
static int use_role_schema(struct dw_ask_session *s, struct dw_err *err)
{
	const char *db = s->cfg->warehouse.database;
	size_t n = strlen(db);
	char *role = NULL, *q = NULL, *sql = NULL;
	int rc = dw_db_query_value(s->db, "SELECT CURRENT_ROLE()", 0, NULL, &role, err);

	if (rc == 0 && !role) {
		rc = dw_err_set(err, DW_EX_NOPERM, "warehouse: %s holds no role", s->db_user);
		dw_err_hint(err, "an administrator gives one with 'dw-user add %s --role ROLE'",
			    s->db_user);
	}
	if (rc == 0 && (!(q = dw_db_quote_ident(s->db, role)) ||
			!(sql = malloc(strlen(q) + sizeof "USE "))))
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (rc == 0) {
		snprintf(sql, strlen(q) + sizeof "USE ", "USE %s", q);
		rc = dw_db_exec(s->db, sql, 0, NULL, err) < 0 ? -1 : 0;
	}
	if (rc == 0) {
		read_export(s);
		snprintf(s->database, sizeof s->database, "%s", role);
		/* The policy's name of the role, without the warehouse's prefix. */
		snprintf(s->role, sizeof s->role, "%s",
			 !strncmp(role, db, n) && role[n] == '_' ? role + n + 1 : role);
	}
	free(sql);
	free(q);
	free(role);
	return rc;
}

/* What the reader may do, for the remote engines (dw_ask_llm_try): its
 * grants read, or -1 when out of memory. */
static int check_account(struct dw_ask_session *s, struct dw_err *err)
{
	struct dw_err e = { 0 };
	int rc = dw_grants_check(s->db, s->database, s->cfg->ask.as_person, s->account_what,
				 s->account_revoke, sizeof s->account_what, &e);

	if (rc < 0 && e.code == DW_EX_SOFTWARE)
		return *err = e, -1;
	if (rc < 0)
		snprintf(s->account_what, sizeof s->account_what, "its grants cannot be read: %.400s",
			 e.msg);
	s->account_unsafe = rc;
	return 0;
}

/* The schema and the values the offline engine matches, from the cache
 * files while the schema stamp and the ETL watermark (one round trip) say
 * they are current. */
static int load_warehouse(struct dw_ask_session *s, struct dw_err *err)
{
	const struct dw_config *cfg = s->cfg;
	struct dw_cache_stamps st;
	int rc;

	if (dw_cache_stamps(s->db, &st, err) < 0)
		return -1;
	rc = dw_schema_load(s->db, cfg->ask.cache_dir, s->database, st.schema,
			    &s->schema, err);
	if (rc == 0 && !(s->sem = dw_sem_new(&s->kb)))
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (rc == 0)
		rc = dw_cache_sem_load(s->sem, &s->kb, s->db, cfg->ask.cache_dir,
				       s->database, &st, err);
	dw_cache_stamps_release(&st);
	return rc;
}

/* As a person: a dimension whose key is personal data and no longer
 * unique in the role's schema (redacted, initials) is masked for the
 * offline engine, which would otherwise add its members together. */
static int mask_dimensions(struct dw_ask_session *s, struct dw_err *err)
{
	for (size_t i = 0; i < s->kb.ndimensions; i++) {
		const struct dw_kb_dimension *d = &s->kb.dimensions[i];
		const struct dw_kb_column *c = d->key.n == 1 ? dw_kb_column(&s->kb, d->table,
									    d->key.v[0]) : NULL;
		char *t, *k, *sql = NULL, *v = NULL;
		size_t len;
		FILE *fp;
		int rc = 0;

		if (!c || !c->pii)
			continue;
		t = dw_db_quote_ident(s->db, d->table);
		k = dw_db_quote_ident(s->db, d->key.v[0]);
		if (t && k && (fp = open_memstream(&sql, &len))) {
			fprintf(fp, "SELECT COUNT(DISTINCT %s) = COUNT(*) FROM %s", k, t);
			rc = fclose(fp);
		}
		if (!sql || rc)
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		if (rc == 0)
			rc = dw_db_query_value(s->db, sql, 0, NULL, &v, err);
		if (rc == 0 && v && !strcmp(v, "0"))
			rc = dw_sem_mask(s->sem, d->name);
		free(t);
		free(k);
		free(sql);
		free(v);
		if (rc < 0)
			return -1;
	}
	return 0;
}

struct dw_ask_session *dw_ask_open(const struct dw_config *cfg, struct dw_err *err)
{
	struct dw_ask_session *s = calloc(1, sizeof *s);

	if (!s)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory"), NULL;
	s->cfg = cfg;
	if (dw_kb_load(&s->kb, cfg->ask.knowledge, err) < 0)
		goto fail;
	s->db_user = cfg->ask.as_person ? dw_audit_os_user()
		     : *cfg->ask.user ? cfg->ask.user : cfg->warehouse.user;
	snprintf(s->database, sizeof s->database, "%s", cfg->warehouse.database);
	snprintf(s->role, sizeof s->role, "%s", cfg->ask.role);
	s->may_export = 1;
	if (!(s->db = open_reader(cfg, err)) ||
	    (cfg->ask.as_person && use_role_schema(s, err) < 0) || check_account(s, err) < 0)
		goto fail;
	s->exec = (struct dw_exec){ .db = s->db, .row_limit = cfg->ask.row_limit,
				    .byte_limit = (size_t)cfg->ask.byte_limit,
				    .timeout_ms = cfg->ask.statement_timeout_ms,
				    .before = audit_query, .arg = s, .model = &s->model,
				    .expect_ms = -1 };
	dw_explain_model_read(s->db, &s->model);
	if (!*cfg->ask.user || cfg->ask.as_person)
		s->audit = s->db;
	else if (!(s->audit = dw_db_my_open(&cfg->warehouse, "warehouse (audit)", err)))
		goto fail;
	if (dw_db_statement_timeout(s->db, cfg->ask.statement_timeout_ms, err) < 0 ||
	    load_warehouse(s, err) < 0 || (cfg->ask.as_person && mask_dimensions(s, err) < 0))
		goto fail;
	return s;
fail:
	dw_ask_close(s);
	return NULL;
}

void dw_ask_close(struct dw_ask_session *s)
{
	if (!s)
		return;
	dw_sem_free(s->sem);
	dw_schema_release(&s->schema);
	if (s->audit != s->db)
		dw_db_close(s->audit);
	dw_db_close(s->db);
	dw_kb_release(&s->kb);
	free(s);
}

/* ---- the answer --------------------------------------------------------- */

/* Frees what an engine put in a, keeping tried and tried_sql. */
static void answer_reset(struct dw_ask_answer *a)
{
	for (size_t i = 0; i < a->nparams; i++)
		free(a->params[i]);
	free(a->params);
	free(a->sql);
	free(a->shown);
	free(a->explain);
	dw_result_release(&a->result);
	a->params = NULL;
	a->nparams = 0;
	a->sql = a->shown = a->explain = NULL;
	a->ran = a->time_axis = 0;
	a->examples[0] = '\0';
}

static void answer_free(struct dw_ask_answer *a)
{
	answer_reset(a);
	free(a->tried_sql);
	free(a);
}

/* ---- engines ------------------------------------------------------------ */

/* Runs the answer's SQL with its parameters, timing it. Returns 0 or -1. */
static int run_answer(struct dw_ask_session *s, struct dw_ask_answer *a, struct dw_err *err)
{
	int rc = dw_exec_query(&s->exec, a->sql, (const char *const *)a->params, a->nparams,
			       &a->result, &a->exec_ms, err);

	a->ran = rc == 0;
	return rc;
}

static int try_semantic(struct dw_ask_session *s, const struct dw_ask_opts *o,
			struct dw_ask_answer *a, struct dw_err *err)
{
	struct dw_sem_answer sa;
	char *notice;
	double t0 = dw_log_clock();
	int rc = dw_sem_answer(s->sem, o->question, &sa, err);

	a->engine_ms = (dw_log_clock() - t0) * 1000;
	if (rc <= 0)
		return rc;
	a->sql = sa.sql;
	a->params = sa.params;
	a->nparams = sa.nparams;
	a->explain = sa.explain;
	a->time_axis = sa.time_axis;
	notice = sa.notice;
	sa.sql = sa.explain = sa.notice = NULL;
	sa.params = NULL;
	sa.nparams = 0;
	dw_sem_answer_release(&sa);
	/* The offline engine's SQL goes through the same gate as a model's. */
	if (dw_validate_sql(a->sql, DW_DB_MY, &s->schema, err) < 0) {
		dw_err_prefix(err, "the offline engine built SQL the validator refused");
		err->code = DW_EX_SOFTWARE;
		free(notice);
		return -1;
	}
	/* A value naming several members: the user must know all are in. */
	if (notice)
		dw_log_text("%s: notice: %s\n", dw_log_prog(), notice);
	free(notice);
	if (o->sql_only)
		return 1;
	if (run_answer(s, a, err) < 0) {
		if (err->code != DW_EX_TEMPFAIL)
			dw_err_prefix(err, "the offline engine's query failed");
		return -1;
	}
	return 1;
}

static int try_report(struct dw_ask_session *s, const struct dw_ask_opts *o,
		      struct dw_ask_answer *a, struct dw_err *err)
{
	const struct dw_kb_report *r = dw_kb_report(&s->kb, o->report);
	const char **params = NULL;
	size_t n = 0;

	if (!r) {
		dw_err_set(err, DW_EX_USAGE, "unknown report '%s'", o->report);
		dw_err_hint(err, "see 'dw-ask --list-reports'");
		return -1;
	}
	if (dw_kb_report_bind(r, o->pkeys, o->pvalues, o->nparams, &a->sql, &params, &n, err) < 0) {
		if (!*err->hint)
			dw_err_hint(err, "see 'dw-ask --list-reports'");
		return -1;
	}
	a->params = calloc(n + 1, sizeof *a->params);
	for (size_t i = 0; a->params && i < n; i++)
		a->params[i] = strdup(params[i] ? params[i] : "");
	a->nparams = a->params ? n : 0;
	free(params);
	if (!a->params)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (dw_validate_sql(a->sql, DW_DB_MY, &s->schema, err) < 0) {
		dw_err_prefix(err, "report '%s' has SQL the validator refused", r->name);
		err->code = DW_EX_CONFIG;
		return -1;
	}
	if (o->sql_only)
		return 1;
	s->engine = "report";
	return run_answer(s, a, err) < 0 ? -1 : 1;
}

/* The next engine name from a list like "semantic, ollama openai". */
static int next_engine(const char **list, char *name, size_t size)
{
	size_t n;

	*list += strspn(*list, ", \t");
	n = strcspn(*list, ", \t");
	if (!n)
		return 0;
	snprintf(name, size, "%.*s", (int)n, *list);
	*list += n;
	return 1;
}

static void note_tried(struct dw_ask_answer *a, const char *engine, const struct dw_err *err)
{
	size_t len = strlen(a->tried);

	snprintf(a->tried + len, sizeof a->tried - len, "%s: %s: %s\n", engine,
		 err->code == DW_EX_NEGATIVE ? "declined" : dw_err_exit_name(err->code), err->msg);
}

/* Each engine in turn until one answers. Declines and unavailable engines
 * move on; the first hard failure stops. */
static int run_engines(struct dw_ask_session *s, const struct dw_ask_opts *o,
		       struct dw_ask_answer *a, struct dw_err *err)
{
	const char *list = o->engines ? o->engines : s->cfg->ask.engines;
	char name[32];
	struct dw_err last = { 0 };
	int rc;

	while (next_engine(&list, name, sizeof name)) {
		dw_err_clear(err);
		s->engine = name;
		if (!strcmp(name, "semantic"))
			rc = try_semantic(s, o, a, err);
		else
			rc = dw_ask_llm_try(s, name, o, a, err);
		if (rc == 1) {
			snprintf(a->engine, sizeof a->engine, "%s", name);
			return 1;
		}
		note_tried(a, name, err);
		if (rc < 0 && (err->code == DW_EX_SOFTWARE || err->code == DW_EX_CONFIG ||
			       err->code == DW_EX_USAGE || s->audit_failed))
			return -1;
		if (rc < 0 || !last.code)
			last = *err;
		/* The audit keeps the last SQL an engine tried, refused or not. */
		if (a->sql) {
			free(a->tried_sql);
			a->tried_sql = a->sql;
			a->sql = NULL;
		}
		answer_reset(a);
	}
	if (!last.code)
		return dw_err_set(err, DW_EX_CONFIG, "no engine is configured"), -1;
	*err = last;
	if (last.code == DW_EX_NEGATIVE)
		return 0;
	return -1;
}

/* ---- audit and output ---------------------------------------------------- */

static const char *outcome_of(int rc, const struct dw_err *err, const struct dw_ask_opts *o)
{
	if (rc == 1)
		return o->sql_only ? "shown" : "answered";
	if (rc == 0)
		return "declined";
	return err->code == DW_EX_DATAERR ? "refused" : "failed";
}

static int audit_answer(struct dw_ask_session *s, const struct dw_ask_opts *o, struct dw_ask_answer *a,
		 int rc, const struct dw_err *outcome_err, double t0, struct dw_err *err)
{
	char question[1024];
	struct dw_audit_event ev = {
		.tool = "dw-ask",
		.action = o->report ? "report" : "question",
		.role = s->role,
		.db_user = s->db_user,
		.question = question_of(o, question, sizeof question),
		.engine = rc == 1 ? a->engine : NULL,
		.sql = a->shown ? a->shown : a->tried_sql,
		.rows = a->ran ? (long long)a->result.nrows : -1,
		.elapsed_ms = (long)((dw_log_clock() - t0) * 1000),
		.outcome = outcome_of(rc, outcome_err, o),
		.detail = rc == 1 ? NULL : outcome_err->msg,
	};

	return dw_audit_record(s->audit, &ev, err);
}

/* --explain: text asked for on stderr. */
static void print_explain(const struct dw_ask_session *s, const struct dw_ask_answer *a,
			  double t0)
{
	dw_log_text("engine: %s\n", *a->engine ? a->engine : "(none answered)");
	dw_log_text("%s%s%s", a->tried, a->explain ? a->explain : "", a->examples);
	if (a->shown)
		dw_log_text("sql: %s\n", a->shown);
	if (a->shown && s->exec.expect_ms >= 0)
		dw_log_text("expected: %.1f ms (95%%: %.1f to %.1f ms), from dw-tune's fit on %ld "
			    "statements (leave-one-out R-squared %.2f)\n", s->exec.expect_ms,
			    s->exec.expect_lo, s->exec.expect_hi, s->model.n, s->model.r2);
	dw_log_text("time: engine %.3f ms, query %.1f ms, total %.1f ms\n", a->engine_ms,
		    a->exec_ms, (dw_log_clock() - t0) * 1000);
}

static int print_answer(struct dw_ask_session *s, const struct dw_ask_opts *o,
			const struct dw_ask_answer *a, FILE *out, struct dw_err *err)
{
	if (!o->sql_only)
		return dw_ask_print_result(s, o, a, out, err);
	fprintf(out, "%s\n", a->shown);
	return fflush(out) == 0 ? 0 : dw_err_set(err, DW_EX_IOERR, "cannot write the answer");
}

/* ---- input ---------------------------------------------------------------- */

/* Text of a question or a report value: well-formed UTF-8 of at most
 * DW_ASK_MAX_INPUT bytes, or refused before anything runs. */
static int check_text(const char *what, const char *text, struct dw_err *err)
{
	size_t len = strlen(text), ok;

	if (len > DW_ASK_MAX_INPUT)
		return dw_err_set(err, DW_EX_DATAERR, "%s is too long: %zu bytes, at most %d", what,
				  len, DW_ASK_MAX_INPUT);
	if ((ok = dw_text_utf8_valid(text, len)) < len) {
		dw_err_set(err, DW_EX_DATAERR, "%s is not valid UTF-8 (byte %zu)", what, ok + 1);
		dw_err_hint(err, "use a UTF-8 locale or convert the text, as with iconv(1)");
		return -1;
	}
	return 0;
}

static int check_input(const struct dw_ask_opts *o, struct dw_err *err)
{
	char what[128];

	if (o->question && check_text("the question", o->question, err) < 0)
		return -1;
	for (size_t i = 0; i < o->nparams; i++) {
		snprintf(what, sizeof what, "report parameter '%.64s'", o->pkeys[i]);
		if (check_text(what, o->pvalues[i], err) < 0)
			return -1;
	}
	return 0;
}

int dw_ask_run(struct dw_ask_session *s, const struct dw_ask_opts *o, FILE *out,
	       struct dw_err *err)
{
	struct dw_ask_answer *a = calloc(1, sizeof *a);
	struct dw_err outcome = { 0 };
	double t0 = dw_log_clock();
	int rc, ret = -1;

	if (!a)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	s->o = o;
	s->t0 = t0;
	s->exec.expect_ms = -1;
	s->engine = NULL;
	s->audit_failed = 0;
	if (check_input(o, &outcome) < 0)
		rc = -1;
	else if (o->report)
		rc = try_report(s, o, a, &outcome);
	else
		rc = run_engines(s, o, a, &outcome);
	if (rc == 1 && o->report)
		snprintf(a->engine, sizeof a->engine, "report");
	if (a->sql && !(a->shown = dw_exec_sql_shown(a->sql, (const char *const *)a->params,
						      a->nparams, DW_DB_MY, err)))
		goto done;
	/* Nothing is shown before it is audited; usage errors are not questions. */
	if (outcome.code != DW_EX_USAGE && audit_answer(s, o, a, rc, &outcome, t0, err) < 0)
		goto done;
	if (o->explain)
		print_explain(s, a, t0);
	if (rc == 1) {
		ret = print_answer(s, o, a, out, err);
	} else {
		*err = outcome;
		ret = rc == 0 ? 1 : -1;
	}
done:
	answer_free(a);
	return ret;
}
