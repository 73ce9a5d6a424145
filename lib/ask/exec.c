#include "ask/exec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/random.h>

#include "log.h"
#include "sqllex.h"

/* The index of the count of the statement's own outermost LIMIT among
 * toks (LIMIT count, LIMIT offset, count, LIMIT count OFFSET offset), or
 * -1 when it has none at the top level. */
static long outer_limit_count(const char *sql, const struct dw_sqltok *t, size_t nt)
{
	long depth = 0, at = -1;

	for (size_t i = 0; i < nt; i++) {
		if (dw_sqllex_tok_is(sql, &t[i], "("))
			depth++;
		else if (dw_sqllex_tok_is(sql, &t[i], ")"))
			depth--;
		else if (depth == 0 && t[i].kind == DW_SQLTOK_WORD &&
			 dw_sqllex_tok_is(sql, &t[i], "LIMIT"))
			at = (long)i;
	}
	if (at < 0 || (size_t)at + 1 >= nt)
		return -1;
	if ((size_t)at + 3 < nt && dw_sqllex_tok_is(sql, &t[at + 2], ","))
		return at + 3;
	return at + 1;
}

/* The count written over with cap when it is a number above cap, or the
 * value of its placeholder replaced by cap. */
static void clamp_count(struct dw_exec_stmt *st, const struct dw_sqltok *t, long at, long cap)
{
	const struct dw_sqltok *c = &t[at];
	size_t k = 0, w;
	unsigned long long v;

	snprintf(st->cap, sizeof st->cap, "%ld", cap);
	w = strlen(st->cap);
	if (c->kind == DW_SQLTOK_NUMBER && strspn(st->sql + c->off, "0123456789") == c->len) {
		errno = 0;
		v = strtoull(st->sql + c->off, NULL, 10);
		if (errno != ERANGE && v <= (unsigned long long)cap)
			return;
		/* cap has no more digits than a larger number. */
		memmove(st->sql + c->off + w, st->sql + c->off + c->len,
			strlen(st->sql + c->off + c->len) + 1);
		memcpy(st->sql + c->off, st->cap, w);
		return;
	}
	if (c->kind != DW_SQLTOK_PARAM)
		return;
	for (long i = 0; i < at; i++)
		k += t[i].kind == DW_SQLTOK_PARAM;
	if (k < st->n && st->params[k] && strtoll(st->params[k], NULL, 10) > cap)
		st->params[k] = st->cap;
}

int dw_exec_stmt_limit(struct dw_exec_stmt *st, const char *sql, const char *const *params,
		       size_t n, long cap, struct dw_err *err)
{
	struct dw_sqltok *t = NULL;
	size_t nt = 0;
	long at;

	memset(st, 0, sizeof *st);
	if (dw_sqllex(sql, strlen(sql), DW_DB_MY, &t, &nt, err) < 0)
		return -1;
	st->sql = strdup(sql);
	st->params = n ? calloc(n, sizeof *st->params) : NULL;
	if (!st->sql || (n && !st->params)) {
		free(t);
		dw_exec_stmt_release(st);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		st->params[i] = params[i];
	st->n = n;
	at = outer_limit_count(sql, t, nt);
	if (at >= 0)
		clamp_count(st, t, at, cap);
	free(t);
	return 0;
}

void dw_exec_stmt_release(struct dw_exec_stmt *st)
{
	free(st->sql);
	free(st->params);
	memset(st, 0, sizeof *st);
}

/* ---- the text form: a statement MariaDB keeps a digest of ---- */

/* MariaDB keeps no statement digest of a prepared statement, so dw-tune
 * would not see dw-ask's load. On MariaDB a query's values are bound to
 * user variables by one prepared SET, and the query runs as text with
 * @dw_p1.. in their places: the values are still never spliced into SQL.
 * Where the grammar wants a number and refuses a variable (LIMIT, OFFSET)
 * the value goes in as a literal once it is checked to be a plain count.
 * A comment first names the query's trace, which the audit event keeps,
 * so dw-tune can join the digest to the question. */
struct text_form {
	char *sql;                  /* what runs */
	char *set;                  /* SET @dw_p1 = ?, ..., NULL when none */
	const char **vals;          /* its values */
	size_t nvals;
};

static void text_form_release(struct text_form *tf)
{
	free(tf->sql);
	free(tf->set);
	free(tf->vals);
	memset(tf, 0, sizeof *tf);
}

/* 1 when the placeholder t[i] is a count of LIMIT or OFFSET. */
static int is_count(const char *sql, const struct dw_sqltok *t, size_t i)
{
	if (i >= 1 && (dw_sqllex_tok_is(sql, &t[i - 1], "LIMIT") ||
		       dw_sqllex_tok_is(sql, &t[i - 1], "OFFSET")))
		return 1;
	return i >= 3 && dw_sqllex_tok_is(sql, &t[i - 1], ",") &&
	       (t[i - 2].kind == DW_SQLTOK_NUMBER || t[i - 2].kind == DW_SQLTOK_PARAM) &&
	       dw_sqllex_tok_is(sql, &t[i - 3], "LIMIT");
}

static int is_plain_count(const char *v)
{
	size_t n = v ? strspn(v, "0123456789") : 0;

	return n > 0 && n <= 18 && !v[n];
}

/* The placeholders of st written into fp and tf->set: a variable each, or
 * the count itself. Returns 0, or -1 with err. */
static int text_values(FILE *fp, FILE *set, const struct dw_exec_stmt *st,
		       const struct dw_sqltok *t, size_t nt, struct text_form *tf,
		       struct dw_err *err)
{
	size_t from = 0, k = 0;

	for (size_t i = 0; i < nt && k < st->n; i++) {
		const char *v;

		if (t[i].kind != DW_SQLTOK_PARAM || t[i].len != 1 || st->sql[t[i].off] != '?')
			continue;
		v = st->params[k++];
		fprintf(fp, "%.*s", (int)(t[i].off - from), st->sql + from);
		from = t[i].off + 1;
		if (is_count(st->sql, t, i)) {
			if (!is_plain_count(v))
				return dw_err_set(err, DW_EX_DATAERR, "a LIMIT or OFFSET value must be "
						  "a whole number, not '%s'", v ? v : "NULL");
			fputs(v, fp);
			continue;
		}
		tf->vals[tf->nvals++] = v;
		fprintf(fp, "@dw_p%zu", tf->nvals);
		fprintf(set, "%s@dw_p%zu = ?", tf->nvals > 1 ? ", " : "SET ", tf->nvals);
	}
	fputs(st->sql + from, fp);
	return 0;
}

/* Writes sql to fp with its ? placeholders (among its tokens t[0..nt))
 * filled from params[0..n): a count of LIMIT or OFFSET as the number it is,
 * any other value as a string literal of dialect. Returns 0, or -1 when out
 * of memory. */
static int fill_params(FILE *fp, const char *sql, const struct dw_sqltok *t, size_t nt,
		       const char *const *params, size_t n, enum dw_db_kind dialect)
{
	size_t from = 0, k = 0;

	for (size_t i = 0; i < nt && k < n; i++) {
		const char *v;
		char *lit = NULL;

		if (t[i].kind != DW_SQLTOK_PARAM || t[i].len != 1 || sql[t[i].off] != '?')
			continue;
		v = params[k++];
		/* A NULL value is bound as SQL NULL. */
		if (v && !(is_count(sql, t, i) && is_plain_count(v)) &&
		    !(lit = dw_sqllex_quote(v, dialect)))
			return -1;
		fprintf(fp, "%.*s%s", (int)(t[i].off - from), sql + from, lit ? lit : v ? v : "NULL");
		free(lit);
		from = t[i].off + 1;
	}
	fputs(sql + from, fp);
	return 0;
}

static int text_form(const struct dw_exec_stmt *st, const char *trace, struct text_form *tf,
		     struct dw_err *err)
{
	struct dw_sqltok *t = NULL;
	size_t nt = 0, len = 0, slen = 0;
	FILE *fp = NULL, *set = NULL;
	int rc = -1, bad;

	memset(tf, 0, sizeof *tf);
	if (dw_sqllex(st->sql, strlen(st->sql), DW_DB_MY, &t, &nt, err) < 0)
		return -1;
	tf->vals = calloc(st->n + 1, sizeof *tf->vals);
	fp = open_memstream(&tf->sql, &len);
	set = open_memstream(&tf->set, &slen);
	if (tf->vals && fp && set) {
		fprintf(fp, "/* dw-ask %s */ ", trace);
		rc = text_values(fp, set, st, t, nt, tf, err);
	} else {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	bad = fp && fclose(fp) != 0;
	bad |= set && fclose(set) != 0;
	if (bad && rc == 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	free(t);
	if (rc < 0)
		text_form_release(tf);
	else if (!tf->nvals) {
		free(tf->set);
		tf->set = NULL;
	}
	return rc;
}

/* A trace: 16 hexadecimal digits, random. It tags a statement, it guards
 * nothing, so the kernel's generator does: setting up OpenSSL's DRBG cost
 * about 6M instructions, a tenth of a question. */
static int new_trace(char trace[17], struct dw_err *err)
{
	unsigned char raw[8];

	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		return dw_err_set(err, DW_EX_SOFTWARE, "no random bytes for a trace");
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(trace + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

/* The time the stored fit expects of sql, from its plan in this session
 * (its @dw_p values set); a warning when it passes the time limit, which
 * will stop it. Nothing when there is no fit or no plan. */
static void expect(struct dw_exec *x, const char *sql)
{
	struct dw_explain e;
	struct dw_err ignored = { 0 };

	x->expect_ms = -1;
	if (!x->model || x->model->n <= 0)
		return;
	if (dw_explain_read(x->db, sql, &e, &ignored) == 0)
		x->expect_ms = dw_explain_expect_ms(x->model, &e, &x->expect_lo, &x->expect_hi);
	dw_explain_release(&e);
	if (x->timeout_ms > 0 && x->expect_ms > (double)x->timeout_ms)
		dw_log_warn("the query is expected to take about %.1f s (95%%: %.1f to %.1f s), "
			    "more than ask.statement_timeout (%.3g s): it may be stopped",
			    x->expect_ms / 1000, x->expect_lo / 1000, x->expect_hi / 1000,
			    (double)x->timeout_ms / 1000);
}

/* Runs st on the server: as its text form on MariaDB. */
static struct dw_rows *run_stmt(struct dw_exec *x, const struct dw_exec_stmt *st,
				const char *trace, struct dw_err *err)
{
	struct text_form tf;
	struct dw_rows *rows = NULL;

	if (dw_db_kind(x->db) != DW_DB_MY)
		return dw_db_query(x->db, st->sql, (int)st->n, st->params, err);
	if (text_form(st, trace, &tf, err) < 0)
		return NULL;
	if (!tf.set || dw_db_exec(x->db, tf.set, (int)tf.nvals, tf.vals, err) >= 0) {
		expect(x, tf.sql);
		rows = dw_db_query(x->db, tf.sql, 0, NULL, err);
	}
	text_form_release(&tf);
	return rows;
}

int dw_exec_query(struct dw_exec *x, const char *sql, const char *const *params,
		  size_t n, struct dw_result *res, double *ms, struct dw_err *err)
{
	struct dw_exec_stmt st;
	struct dw_rows *rows;
	struct dw_err ignored;
	char limit[64], trace[17];
	double t0 = dw_log_clock();
	int rc = -1, timed_out;

	dw_result_release(res);
	x->error = 0;
	x->expect_ms = -1;
	/* What runs, and what the audit keeps, is the statement with its own
	 * LIMIT lowered to the cap: sql_select_limit does not apply to it. */
	if (new_trace(trace, err) < 0 ||
	    dw_exec_stmt_limit(&st, sql, params, n, x->row_limit + 1, err) < 0)
		return -1;
	sql = st.sql;
	params = st.params;
	if (x->before && x->before(x->arg, sql, params, n, trace, err) < 0) {
		dw_exec_stmt_release(&st);
		return -1;
	}
	if (dw_db_begin_read_only(x->db, err) < 0)
		return -1;
	/* The server stops after the row that shows there are more, rather
	 * than computing and sending rows that would be read and dropped. */
	snprintf(limit, sizeof limit, "SET SESSION sql_select_limit = %ld", x->row_limit + 1);
	if (dw_db_exec(x->db, limit, 0, NULL, err) >= 0 &&
	    (rows = run_stmt(x, &st, trace, err))) {
		rc = dw_result_fetch(rows, x->row_limit, x->byte_limit, res, err);
		dw_rows_free(rows);
	}
	/* Read before the rollback, which clears the error. */
	timed_out = rc < 0 && dw_db_is_timeout(x->db);
	x->error = rc < 0 ? dw_db_native_error(x->db) : 0;
	dw_db_rollback(x->db, &ignored);
	dw_db_exec(x->db, "SET SESSION sql_select_limit = DEFAULT", 0, NULL, &ignored);
	dw_exec_stmt_release(&st);
	*ms += (dw_log_clock() - t0) * 1000;
	if (timed_out) {
		dw_err_set(err, DW_EX_TEMPFAIL, "the query ran longer than %.3g s (ask.statement_timeout)",
			   (double)x->timeout_ms / 1000);
		dw_err_hint(err, "ask a narrower question, or raise ask.statement_timeout");
	}
	return rc;
}

/* MariaDB's error numbers a query of a model most often meets. */
static const struct {
	int native;
	const char *kind;
} kinds[] = {
	{ 1052, "a column name is ambiguous" },
	{ 1054, "unknown column" },
	{ 1055, "a selected column is neither grouped nor aggregated" },
	{ 1060, "a column name is repeated" },
	{ 1064, "a syntax error" },
	{ 1066, "a table name or alias is repeated" },
	{ 1111, "an aggregate function is used where it is not allowed" },
	{ 1140, "grouped and ungrouped columns are mixed without GROUP BY" },
	{ 1142, "no permission on a table" },
	{ 1143, "no permission on a column" },
	{ 1146, "unknown table" },
	{ 1241, "an operand has the wrong number of columns" },
	{ 1242, "a subquery returned more than one row" },
	{ 1248, "a derived table has no alias" },
	{ 1267, "strings of incompatible collations are compared" },
	{ 1270, "strings of incompatible collations are compared" },
	{ 1271, "strings of incompatible collations are compared" },
	{ 1292, "a value is not of the expected type" },
	{ 1305, "unknown function" },
	{ 1365, "division by zero" },
	{ 1582, "a function has the wrong number of arguments" },
	{ 1583, "a function has arguments of the wrong kind" },
	{ 1690, "a value is out of range" },
};

const char *dw_exec_error_kind(int native)
{
	static char buf[128];
	const char *kind = "the warehouse rejected the query";

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].native == native)
			kind = kinds[i].kind;
	snprintf(buf, sizeof buf, "%s (MariaDB error %d)", kind, native);
	return buf;
}

char *dw_exec_sql_shown(const char *sql, const char *const *params, size_t n,
			enum dw_db_kind dialect, struct dw_err *err)
{
	struct dw_sqltok *p = NULL;
	size_t np = 0, len = 0;
	char *buf = NULL;
	FILE *fp;
	int rc;

	if (n && dw_sqllex(sql, strlen(sql), dialect, &p, &np, err) < 0)
		return NULL;
	if (!(fp = open_memstream(&buf, &len))) {
		free(p);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory"), NULL;
	}
	rc = fill_params(fp, sql, p, np, params, n, dialect);
	free(p);
	if (fclose(fp) != 0 || rc < 0) {
		free(buf);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory"), NULL;
	}
	return buf;
}
