/* dw-partition's verbs. Each reads the policy, opens the warehouse and
 * walks the policy's tables (or the one --table names); apply, retain and
 * restore hold a lock of their own (one dw-partition at a time) and are
 * audited. */
#include "part/vpart.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "db/db.h"
#include "log.h"
#include "part/archive.h"
#include "partplan.h"

struct session {
	const struct dw_config *cfg;
	const struct dw_vpart_opts *o;
	struct dw_partplan_set set;
	struct dw_db *my;
	long today;
};

static void session_close(struct session *s)
{
	dw_db_close(s->my);
	dw_partplan_free(&s->set);
}

static int session_open(struct session *s, const struct dw_config *cfg,
			const struct dw_vpart_opts *o, struct dw_err *err)
{
	*s = (struct session){ .cfg = cfg, .o = o, .today = dw_partplan_today() };
	if (dw_partplan_load(&s->set, cfg->path, err) < 0)
		return -1;
	if (o->table && !dw_partplan_find(&s->set, o->table))
		return dw_err_set(err, DW_EX_USAGE, "no partition policy for table '%s' in %s",
				  o->table, s->set.source);
	s->my = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	return s->my ? 0 : -1;
}

static int selected(const struct session *s, const struct dw_partplan_policy *p)
{
	return !s->o->table || !strcmp(s->o->table, p->table);
}

/* YYYY-MM-DD, or "" for the open ends of the catch-alls. */
static void date_text(long d, char *buf, size_t n)
{
	if (d <= 0 || d >= DW_PARTPLAN_MAXVALUE)
		snprintf(buf, n, "%s", "");
	else
		snprintf(buf, n, "%04ld-%02ld-%02ld", d / 10000, d / 100 % 100, d % 100);
}

static const char *const interval_names[] = { "", "month", "", "quarter", "", "", "", "", "", "",
					      "", "", "year" };

static struct dw_out *table_out(FILE *out, const struct dw_vpart_opts *o,
				const char *const *cols, int n, unsigned numeric)
{
	struct dw_out *t = dw_out_new(out, o->format, o->header);

	for (int i = 0; t && i < n; i++)
		dw_out_column(t, cols[i], numeric >> i & 1 ? DW_OUT_NUMBER : DW_OUT_TEXT);
	return t;
}

static int end_out(struct dw_out *t, int rc, struct dw_err *err)
{
	if (!t && rc == 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	else if (t && rc == 0)
		rc = dw_out_end(t, err);
	dw_out_free(t);
	return rc;
}

/* ---- list ---- */

/* The rows, oldest and newest value of one partition (YYYY-MM-DD). */
static int inside(struct session *s, const struct dw_partplan_policy *p, const char *part,
		  char *rows, char *oldest, char *newest, struct dw_err *err)
{
	char *t = dw_db_quote_ident(s->my, p->table), *c = dw_db_quote_ident(s->my, p->column);
	char *q = dw_db_quote_ident(s->my, part), sql[512];
	struct dw_rows *r = NULL;
	int rc = -1;

	if (t && c && q) {
		/* DATE_FORMAT reads a YYYYMMDD number as a date as well */
		snprintf(sql, sizeof sql, "SELECT COUNT(*), DATE_FORMAT(MIN(%s), '%%Y-%%m-%%d'), "
			 "DATE_FORMAT(MAX(%s), '%%Y-%%m-%%d') FROM %s PARTITION (%s)", c, c, t, q);
		r = dw_db_query(s->my, sql, 0, NULL, err);
	} else {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	if (r && (rc = dw_rows_next(r, err)) == 1) {
		snprintf(rows, 24, "%s", dw_rows_value(r, 0));
		snprintf(oldest, 16, "%s", dw_rows_value(r, 1) ? dw_rows_value(r, 1) : "");
		snprintf(newest, 16, "%s", dw_rows_value(r, 2) ? dw_rows_value(r, 2) : "");
		rc = 0;
	}
	dw_rows_free(r);
	free(t), free(c), free(q);
	return rc < 0 ? -1 : 0;
}

static int list_table(struct session *s, const struct dw_partplan_policy *p, struct dw_out *t,
		      struct dw_err *err)
{
	struct dw_partplan_layout l;
	int rc = dw_partplan_read(s->my, p->table, p->column, &l, err);

	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		const struct dw_partplan_part *q = &l.p[i];
		char from[16], to[16], rows[24], data[24], index[24], oldest[16], newest[16];
		const char *row[] = { p->table, q->name, from, to, rows, data, index, oldest, newest };

		date_text(q->from, from, sizeof from);
		date_text(q->bound, to, sizeof to);
		snprintf(data, sizeof data, "%lld", q->data);
		snprintf(index, sizeof index, "%lld", q->index);
		rc = inside(s, p, q->name, rows, oldest, newest, err);
		if (rc == 0 && !s->o->exact)
			snprintf(rows, sizeof rows, "%lld", q->rows);
		if (rc == 0)
			rc = dw_out_row(t, row, err);
	}
	dw_partplan_layout_release(&l);
	return rc;
}

int dw_vpart_list(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		  struct dw_err *err)
{
	static const char *const cols[] = { "table", "partition", "from", "to", "rows", "data",
					    "index", "oldest", "newest" };
	struct session s;
	struct dw_out *t = NULL;
	int rc = session_open(&s, cfg, o, err);

	if (rc == 0)
		t = table_out(out, o, cols, 9, 0x70);
	for (size_t i = 0; t && rc == 0 && i < s.set.n; i++)
		if (selected(&s, &s.set.t[i]))
			rc = list_table(&s, &s.set.t[i], t, err);
	if (rc == 0 || t)
		rc = end_out(t, rc, err);
	session_close(&s);
	return rc;
}

/* ---- plan ---- */

struct table_plan {
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan;
	long newest;
	long long in_range, beyond;
};

static int plan_table(struct session *s, const struct dw_partplan_policy *p,
		      struct table_plan *tp, struct dw_err *err)
{
	memset(tp, 0, sizeof *tp);
	if (dw_partplan_read(s->my, p->table, p->column, &tp->l, err) < 0)
		return -1;
	if (dw_partplan_compute(p, &tp->l, s->today, 0, &tp->plan) < 0 ||
	    dw_partplan_catchall(s->my, p, &tp->l, tp->plan.horizon, &tp->newest, &tp->in_range,
				 &tp->beyond, err) < 0)
		return err->code ? -1 : dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	dw_partplan_plan_release(&tp->plan);
	if (dw_partplan_compute(p, &tp->l, s->today, tp->newest, &tp->plan) < 0)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return 0;
}

static void plan_release(struct table_plan *tp)
{
	dw_partplan_plan_release(&tp->plan);
	dw_partplan_layout_release(&tp->l);
}

static int say(struct dw_out *t, FILE *out, const char *table, const char *what,
	       const char *parts, const char *detail, struct dw_err *err)
{
	const char *row[] = { table, what, parts, detail };

	if (t)
		return dw_out_row(t, row, err);
	fprintf(out, "%s: %s%s%s%s%s\n", table, what, *parts ? " " : "", parts, *detail ? ": " : "",
		detail);
	return 0;
}

static int plan_lines(const struct dw_partplan_policy *p, const struct table_plan *tp,
		      struct dw_out *t, FILE *out, struct dw_err *err)
{
	char parts[160], detail[256], a[16], b[16], h[16];
	const struct dw_partplan_part *last = &tp->l.p[tp->l.n - 1];
	int rc = 0;

	date_text(tp->plan.horizon, h, sizeof h);
	if (tp->plan.nadd) {
		dw_partplan_name(tp->plan.add[0], p->interval, a, sizeof a);
		dw_partplan_name(tp->plan.add[tp->plan.nadd - 1], p->interval, b, sizeof b);
		snprintf(parts, sizeof parts, "%s", last->name);
		snprintf(detail, sizeof detail, "%zu %s partitions, %s to %s, moving %lld rows",
			 tp->plan.nadd, interval_names[p->interval], a, b, tp->in_range);
		rc = say(t, out, p->table, "split", parts, detail, err);
	}
	for (size_t i = 0; rc == 0 && i < tp->plan.nretire; i++) {
		const struct dw_partplan_part *q = &tp->l.p[tp->plan.retire[i]];

		date_text(q->from, a, sizeof a);
		date_text(q->bound, b, sizeof b);
		snprintf(detail, sizeof detail, "%s to %s, about %lld rows, past the retention of "
			 "%d months (dw-partition retain archives it)", a, b, q->rows, p->retain);
		rc = say(t, out, p->table, "retire", q->name, detail, err);
	}
	if (rc == 0 && tp->beyond) {
		snprintf(detail, sizeof detail, "%lld rows at or after %s stay there "
			 "(dw-partition check names them)", tp->beyond, h);
		rc = say(t, out, p->table, "beyond the horizon", last->name, detail, err);
	}
	if (rc == 0 && !t && !tp->plan.nadd && !tp->plan.nretire)
		fprintf(out, "%s: nothing to do (%d future %s partitions)\n", p->table,
			tp->plan.future, interval_names[p->interval]);
	return rc;
}

static struct dw_out *lines_out(FILE *out, const struct dw_vpart_opts *o, const char *what)
{
	const char *const cols[] = { "table", what, "partitions", "detail" };

	return o->format == DW_OUT_AUTO ? NULL : table_out(out, o, cols, 4, 0);
}

int dw_vpart_plan(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		  struct dw_err *err)
{
	struct session s;
	struct dw_out *t = NULL;
	int rc = session_open(&s, cfg, o, err);

	if (rc == 0)
		t = lines_out(out, o, "action");
	for (size_t i = 0; rc == 0 && i < s.set.n; i++) {
		struct table_plan tp;

		if (!selected(&s, &s.set.t[i]))
			continue;
		rc = plan_table(&s, &s.set.t[i], &tp, err);
		if (rc == 0)
			rc = plan_lines(&s.set.t[i], &tp, t, out, err);
		plan_release(&tp);
	}
	if (t)
		rc = end_out(t, rc, err);
	session_close(&s);
	return rc;
}

/* ---- apply ---- */

static int apply_table(struct session *s, const struct dw_partplan_policy *p, FILE *out,
		       long long *added, struct dw_err *err)
{
	struct dw_partplan_done d;
	char a[16], b[16];
	int rc = dw_partplan_apply(s->my, p, s->today, s->o->dry_run, &d, err);

	if (rc == 0 && d.sql && s->o->dry_run) {
		fprintf(out, "%s;\n", d.sql);
	} else if (rc == 0 && d.sql) {
		dw_partplan_name(d.first, p->interval, a, sizeof a);
		dw_partplan_name(d.last, p->interval, b, sizeof b);
		fprintf(out, "%s: split %s into %zu %s partitions, %s to %s, moving %lld rows; "
			"the statement held its lock %.3f s\n", p->table, "the catch-all", d.added,
			interval_names[p->interval], a, b, d.moved, d.seconds);
	}
	*added += (long long)d.added;
	free(d.sql);
	return rc;
}

/* What a change did, for its audit event: rows, and detail as JSON. */
struct outcome {
	long long rows;
	char *detail;
};

typedef int (*change_fn)(struct session *s, void *arg, struct outcome *oc, FILE *out,
			 struct dw_err *err);

/* Runs change under the lock of the warehouse's partitions (one
 * dw-partition at a time) and, unless a dry run, between its audit events:
 * started before, then done with oc's rows and detail, or failed. */
static int audited(struct session *s, const char *action, const char *question, change_fn change,
		   void *arg, FILE *out, struct dw_err *err)
{
	struct dw_audit_event ev = { .tool = "dw-partition", .action = action, .role = "",
				     .db_user = s->cfg->warehouse.user, .question = question,
				     .rows = -1 };
	struct outcome oc = { 0 };
	int rc = dw_partplan_lock(s->my, 0, err), locked = rc == 0, started = 0;

	if (rc == 0 && !s->o->dry_run && (rc = dw_audit_started(s->my, &ev, err)) == 0)
		started = 1;
	if (rc == 0)
		rc = change(s, arg, &oc, out, err);
	if (started) {
		struct dw_err ignored;

		ev.rows = oc.rows;
		if (dw_audit_outcome(s->my, &ev, oc.detail ? oc.detail : "{}", rc < 0 ? err : NULL,
				     rc < 0 ? &ignored : err) < 0)
			rc = -1;
	}
	if (locked)
		dw_partplan_unlock(s->my);
	free(oc.detail);
	return rc;
}

static int apply_all(struct session *s, void *arg, struct outcome *oc, FILE *out,
		     struct dw_err *err)
{
	char detail[64];
	int rc = 0;

	(void)arg;
	for (size_t i = 0; rc == 0 && i < s->set.n; i++)
		if (selected(s, &s->set.t[i]))
			rc = apply_table(s, &s->set.t[i], out, &oc->rows, err);
	snprintf(detail, sizeof detail, "{\"partitions_added\":%lld}", oc->rows);
	if (!(oc->detail = strdup(detail)) && rc == 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return rc;
}

int dw_vpart_apply(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		   struct dw_err *err)
{
	struct session s;
	int rc = session_open(&s, cfg, o, err);

	if (rc == 0)
		rc = audited(&s, "apply", "apply", apply_all, NULL, out, err);
	session_close(&s);
	return rc;
}

/* ---- check ---- */

/* Up to 10 rows beyond the horizon, each named by the policy's key. */
static int beyond_rows(struct session *s, const struct dw_partplan_policy *p,
		       const struct table_plan *tp, struct dw_out *t, FILE *out, int *problems,
		       struct dw_err *err)
{
	char sql[1024], h[16], hp[16], detail[512];
	const char *params[] = { hp };
	size_t len = (size_t)snprintf(sql, sizeof sql, "SELECT ");
	struct dw_rows *r;
	int rc;

	date_text(tp->plan.horizon, h, sizeof h);
	if (tp->l.dates)
		snprintf(hp, sizeof hp, "%s", h);
	else
		snprintf(hp, sizeof hp, "%ld", tp->plan.horizon);
	for (size_t k = 0; k <= p->nkey; k++) {
		char *q = dw_db_quote_ident(s->my, k < p->nkey ? p->key[k] : p->column);

		if (!q)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		len += (size_t)snprintf(sql + len, sizeof sql - len, "%s%s", k ? ", " : "", q);
		free(q);
	}
	{
		char *tq = dw_db_quote_ident(s->my, p->table), *cq = dw_db_quote_ident(s->my,
									     p->column);
		char *pq = dw_db_quote_ident(s->my, tp->l.p[tp->l.n - 1].name);

		if (tq && cq && pq)
			snprintf(sql + len, sizeof sql - len, " FROM %s PARTITION (%s) WHERE %s >= ? "
				 "ORDER BY %s LIMIT 10", tq, pq, cq, cq);
		free(tq), free(cq), free(pq);
	}
	if (!(r = dw_db_query(s->my, sql, 1, params, err)))
		return -1;
	while ((rc = dw_rows_next(r, err)) == 1) {
		size_t dl = 0;

		for (size_t k = 0; k < p->nkey; k++)
			dl += (size_t)snprintf(detail + dl, sizeof detail - dl, "%s%s=%s", k ? ", " : "",
					       p->key[k], dw_rows_value(r, (int)k) ?
					       dw_rows_value(r, (int)k) : "NULL");
		snprintf(detail + dl, sizeof detail - dl, "%s%s %s is beyond the horizon %s",
			 dl ? ": " : "", p->column, dw_rows_value(r, (int)p->nkey), h);
		(*problems)++;
		if ((rc = say(t, out, p->table, "beyond the horizon", "", detail, err)) < 0)
			break;
	}
	dw_rows_free(r);
	return rc < 0 ? -1 : 0;
}

/* Period partitions that span more than one period: one is missing. */
static int gaps(const struct dw_partplan_policy *p, const struct table_plan *tp,
		struct dw_out *t, FILE *out, int *problems, struct dw_err *err)
{
	for (size_t i = 1; i + 1 < tp->l.n; i++) {
		const struct dw_partplan_part *q = &tp->l.p[i];
		char detail[160], a[16], b[16];

		if (dw_partplan_floor(q->from, p->interval) == q->from &&
		    dw_partplan_add(q->from, p->interval, 1) == q->bound)
			continue;
		date_text(q->from, a, sizeof a);
		date_text(q->bound, b, sizeof b);
		snprintf(detail, sizeof detail, "it spans %s to %s, not one %s: a partition is "
			 "missing", a, b, interval_names[p->interval]);
		(*problems)++;
		if (say(t, out, p->table, "gap", q->name, detail, err) < 0)
			return -1;
	}
	return 0;
}

static int check_table(struct session *s, const struct dw_partplan_policy *p, struct dw_out *t,
		       FILE *out, int *problems, struct dw_err *err)
{
	struct table_plan tp;
	char detail[256];
	int rc = plan_table(s, p, &tp, err);

	if (rc == 0 && tp.plan.future < p->premake) {
		snprintf(detail, sizeof detail, "%d future %s partitions, the policy keeps %d "
			 "(dw-partition apply makes them)", tp.plan.future,
			 interval_names[p->interval], p->premake);
		(*problems)++;
		rc = say(t, out, p->table, "premake", "", detail, err);
	}
	if (rc == 0 && tp.in_range) {
		snprintf(detail, sizeof detail, "%lld rows belong in %s partitions "
			 "(dw-partition apply moves them)", tp.in_range, interval_names[p->interval]);
		(*problems)++;
		rc = say(t, out, p->table, "catch-all", tp.l.p[tp.l.n - 1].name, detail, err);
	}
	if (rc == 0)
		rc = gaps(p, &tp, t, out, problems, err);
	if (rc == 0 && tp.beyond)
		rc = beyond_rows(s, p, &tp, t, out, problems, err);
	plan_release(&tp);
	return rc;
}

int dw_vpart_check(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		   struct dw_err *err)
{
	struct session s;
	struct dw_out *t = NULL;
	int rc = session_open(&s, cfg, o, err), problems = 0;

	if (rc == 0)
		t = lines_out(out, o, "problem");
	for (size_t i = 0; rc == 0 && i < s.set.n; i++)
		if (selected(&s, &s.set.t[i]))
			rc = check_table(&s, &s.set.t[i], t, out, &problems, err);
	if (t)
		rc = end_out(t, rc, err);
	session_close(&s);
	if (rc == 0 && problems)
		return dw_err_set(err, DW_EX_NEGATIVE, "%d problem%s", problems,
				  problems == 1 ? "" : "s");
	return rc;
}

/* ---- retain ---- */

/* The retention of p in months (--older-than or the policy's), and the
 * directory its archives go to: 0, or -1 with err when it retains but has
 * nowhere to archive. */
static int retention(const struct session *s, const struct dw_partplan_policy *p, int *months,
		     const char **dir, struct dw_err *err)
{
	struct stat st;

	*months = p->retain;
	*dir = s->o->archive ? s->o->archive : p->archive;
	if (s->o->older_than && (dw_partplan_months(s->o->older_than, months) < 0 || !*months))
		return dw_err_set(err, DW_EX_USAGE, "--older-than must be a count of months, "
				  "quarters or years such as 24m, 8q or 10y, not '%s'",
				  s->o->older_than);
	if (!*months)
		return 0;
	if (!*dir || !**dir) {
		dw_err_set(err, DW_EX_CONFIG, "no archive directory for the retired partitions of "
			   "'%s'", p->table);
		dw_err_hint(err, "set partition.%s.archive in %s, or give --archive DIR", p->table,
			    s->set.source);
		return -1;
	}
	if (stat(*dir, &st) < 0)
		return dw_err_set(err, DW_EX_IOERR, "archive directory '%s': %s", *dir,
				  strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return dw_err_set(err, DW_EX_IOERR, "archive directory '%s': not a directory", *dir);
	return 0;
}

/* One retired partition into the audit detail. */
static int note_retired(cJSON *done, const struct dw_archive_manifest *m, const char *dir,
			int kept)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddItemToArray(done, o))
		return cJSON_Delete(o), -1;
	return cJSON_AddStringToObject(o, "table", m->table) &&
	       cJSON_AddStringToObject(o, "partition", m->partition) &&
	       cJSON_AddNumberToObject(o, "rows", (double)m->rows) &&
	       cJSON_AddStringToObject(o, "archive", dir) &&
	       cJSON_AddStringToObject(o, "file", m->file) &&
	       (!kept || cJSON_AddTrueToObject(o, "kept")) ? 0 : -1;
}

/* Under LOCK TABLES (no write between the check and the statements): the
 * partition still holds exactly the archived rows, then it is emptied and
 * merged into the older catch-all. */
static int retire_locked(struct session *s, const struct dw_archive_manifest *m,
			 const char *truncate, const char *reorganize, struct dw_err *err)
{
	char *t = dw_db_quote_ident(s->my, m->table), sql[256], sha[65];
	long long rows = 0;
	int rc;

	if (!t)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	snprintf(sql, sizeof sql, "LOCK TABLES %s WRITE", t);
	free(t);
	if (dw_db_exec(s->my, sql, 0, NULL, err) < 0)
		return -1;
	rc = dw_archive_checksum(s->my, m, &rows, sha, err);
	if (rc == 0 && (rows != m->rows || strcmp(sha, m->sha256))) {
		rc = dw_err_set(err, DW_EX_TEMPFAIL, "%s partition %s changed while it was archived "
				"(%lld rows archived, %lld now); it stays", m->table, m->partition,
				m->rows, rows);
		dw_err_hint(err, "run dw-partition retain again");
	}
	if (rc == 0 && (dw_db_exec(s->my, truncate, 0, NULL, err) < 0 ||
			dw_db_exec(s->my, reorganize, 0, NULL, err) < 0))
		rc = -1;
	if (rc < 0)
		dw_err_prefix(err, "retiring %s partition %s", m->table, m->partition);
	dw_db_exec(s->my, "UNLOCK TABLES", 0, NULL, NULL);
	return rc;
}

struct retain_run {
	cJSON *done;            /* the partitions retired, for the audit */
	long long rows;
};

/* Archives partition i of l, checks the archive, retires the partition. */
static int retire_one(struct session *s, const struct dw_partplan_policy *p,
		      const struct dw_partplan_layout *l, size_t i, const char *dir,
		      struct retain_run *run, FILE *out, struct dw_err *err)
{
	const struct dw_partplan_part *q = &l->p[i];
	struct dw_archive_part a = { p->table, q->name, p->column, q->from, q->bound };
	struct dw_archive_manifest m;
	char *truncate = NULL, *reorganize = NULL;
	double t0 = dw_log_clock();
	int kept = 0, rc = dw_archive_export(s->my, dir, &a, &m, &kept, err);

	if (rc == 0 && dw_archive_retire_sql(s->my, l, i, &truncate, &reorganize) < 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (rc == 0)
		rc = retire_locked(s, &m, truncate, reorganize, err);
	if (rc == 0) {
		fprintf(out, "%s: retired %s: %lld rows, %s %s/%s, %.3f s\n", p->table, q->name,
			m.rows, kept ? "empty; its archive kept:" : "archived to", dir, m.file,
			dw_log_clock() - t0);
		run->rows += m.rows;
		if (note_retired(run->done, &m, dir, kept) < 0)
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	free(truncate), free(reorganize);
	dw_archive_manifest_release(&m);
	return rc;
}

/* What retain would do to partition i: its rows, the file, the SQL. */
static int retire_dry(struct session *s, const struct dw_partplan_policy *p,
		      const struct dw_partplan_layout *l, size_t i, const char *dir, FILE *out,
		      struct dw_err *err)
{
	const struct dw_partplan_part *q = &l->p[i];
	char rows[24], oldest[16], newest[16], from[16], to[16], *db = NULL, *path = NULL;
	char *truncate = NULL, *reorganize = NULL;
	int rc = inside(s, p, q->name, rows, oldest, newest, err);

	date_text(q->from, from, sizeof from);
	date_text(q->bound, to, sizeof to);
	if (rc == 0)
		rc = dw_db_query_value(s->my, "SELECT DATABASE()", 0, NULL, &db, err);
	if (rc == 0 && (!db || !(path = dw_archive_path(dir, db, p->table, q->name,
							 DW_ARCHIVE_DATA)) ||
			dw_archive_retire_sql(s->my, l, i, &truncate, &reorganize) < 0))
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (rc == 0)
		fprintf(out, "%s: would retire %s (%s to %s, %s rows), archived to %s\n%s;\n%s;\n",
			p->table, q->name, from, to, rows, path, truncate, reorganize);
	free(db), free(path), free(truncate), free(reorganize);
	return rc;
}

static int retain_table(struct session *s, const struct dw_partplan_policy *p,
			struct retain_run *run, FILE *out, struct dw_err *err)
{
	struct dw_partplan_policy q = *p;
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan = { 0 };
	const char *dir;
	int rc = retention(s, p, &q.retain, &dir, err);

	if (rc < 0 || !q.retain || dw_partplan_read(s->my, p->table, p->column, &l, err) < 0)
		return rc < 0 || q.retain ? -1 : 0;
	if (dw_partplan_compute(&q, &l, s->today, 0, &plan) < 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (size_t k = 0; rc == 0 && k < plan.nretire; k++)
		rc = s->o->dry_run ? retire_dry(s, p, &l, plan.retire[k], dir, out, err)
				   : retire_one(s, p, &l, plan.retire[k], dir, run, out, err);
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&l);
	return rc;
}

static int retain_all(struct session *s, void *arg, struct outcome *oc, FILE *out,
		      struct dw_err *err)
{
	struct retain_run run = { .done = cJSON_CreateArray() };
	cJSON *detail = cJSON_CreateObject();
	int rc = run.done && detail ? 0 : dw_err_set(err, DW_EX_SOFTWARE, "out of memory");

	(void)arg;
	for (size_t i = 0; rc == 0 && i < s->set.n; i++)
		if (selected(s, &s->set.t[i]))
			rc = retain_table(s, &s->set.t[i], &run, out, err);
	oc->rows = run.rows;
	if (detail && run.done && cJSON_AddNumberToObject(detail, "rows", (double)run.rows) &&
	    cJSON_AddItemToObject(detail, "retired", run.done)) {
		run.done = NULL;
		oc->detail = cJSON_PrintUnformatted(detail);
	}
	if (!oc->detail && rc == 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	cJSON_Delete(run.done);
	cJSON_Delete(detail);
	return rc;
}

/* Every selected table's retention, checked before anything changes. */
static int retain_config(struct session *s, struct dw_err *err)
{
	for (size_t i = 0; i < s->set.n; i++) {
		const char *dir;
		int months;

		if (selected(s, &s->set.t[i]) && retention(s, &s->set.t[i], &months, &dir, err) < 0)
			return -1;
	}
	return 0;
}

int dw_vpart_retain(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		    struct dw_err *err)
{
	struct session s;
	int rc = session_open(&s, cfg, o, err);

	if (rc == 0)
		rc = retain_config(&s, err);
	if (rc == 0)
		rc = audited(&s, "retain", "retain", retain_all, NULL, out, err);
	session_close(&s);
	return rc;
}

/* ---- restore ---- */

struct restore {
	struct dw_archive_manifest m;
	char *data;             /* the data file */
	char *split;            /* the statement that makes the partition again, or NULL */
};

/* One number the query gives. */
static int count_of(struct session *s, const char *sql, long long *n, struct dw_err *err)
{
	char *v = NULL;
	int rc = dw_db_query_value(s->my, sql, 0, NULL, &v, err);

	*n = v ? atoll(v) : 0;
	free(v);
	return rc;
}

/* The rows of partition part of table (WHERE cond, when not NULL). */
static int rows_in(struct session *s, const char *table, const char *part, const char *cond,
		   long long *n, struct dw_err *err)
{
	char *t = dw_db_quote_ident(s->my, table), *q = dw_db_quote_ident(s->my, part), sql[512];
	int rc = t && q ? 0 : dw_err_set(err, DW_EX_SOFTWARE, "out of memory");

	if (rc == 0) {
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s PARTITION (%s)%s%s", t, q,
			 cond ? " WHERE " : "", cond ? cond : "");
		rc = count_of(s, sql, n, err);
	}
	free(t), free(q);
	return rc;
}

static int not_aligned(const struct dw_archive_manifest *m, const char *why, struct dw_err *err)
{
	char from[16], to[16];

	date_text(m->from, from, sizeof from);
	date_text(m->to, to, sizeof to);
	return dw_err_set(err, DW_EX_DATAERR, "cannot restore %s partition %s (%s to %s): %s",
			  m->table, m->partition, from, to, why);
}

/* Where the archive's rows go: its partition as it is, or split again out
 * of the older catch-all, which must end where the archive's range ends
 * and hold none of its rows. Sets r->split when the partition is to be
 * made. */
static int restore_target(struct session *s, struct restore *r, const struct dw_partplan_layout *l,
			  struct dw_err *err)
{
	const struct dw_archive_manifest *m = &r->m;
	char why[256], a[16], b[16], cond[128], *c;
	long long n = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->p[i].name, m->partition))
			continue;
		if (l->p[i].from == m->from && l->p[i].bound == m->to)
			return 0;
		date_text(l->p[i].from, a, sizeof a);
		date_text(l->p[i].bound, b, sizeof b);
		snprintf(why, sizeof why, "the table's partition %s spans %s to %s: the ranges do "
			 "not line up", m->partition, *a ? a : "the beginning", *b ? b : "the end");
		return not_aligned(m, why, err);
	}
	date_text(l->p[0].bound, b, sizeof b);
	if (l->p[0].bound != m->to || m->from <= 0) {
		snprintf(why, sizeof why, "the catch-all %s ends at %s%s", l->p[0].name, b,
			 l->p[0].bound > m->to ? ", after it: restore the newer archives first "
			 "(newest first)" : ": the ranges do not line up");
		return not_aligned(m, why, err);
	}
	dw_partplan_bound_sql(l, m->from, a, sizeof a);
	if (!(c = dw_db_quote_ident(s->my, m->column)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	snprintf(cond, sizeof cond, "%s >= %s", c, a);
	free(c);
	if (rows_in(s, m->table, l->p[0].name, cond, &n, err) < 0)
		return -1;
	if (n) {
		snprintf(why, sizeof why, "the catch-all %s holds %lld rows of its range already",
			 l->p[0].name, n);
		return not_aligned(m, why, err);
	}
	if (!(r->split = dw_archive_split_sql(s->my, l, m)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return 0;
}

/* In one transaction: the partition is empty, the rows go in, and read
 * back they are the archive's, by count and SHA-256. */
static int restore_rows(struct session *s, const struct restore *r, struct dw_err *err)
{
	const struct dw_archive_manifest *m = &r->m;
	long long n = 0, back = 0;
	char sha[65];
	int rc = dw_db_begin(s->my, err);

	if (rc == 0 && (rc = rows_in(s, m->table, m->partition, NULL, &n, err)) == 0 && n) {
		char why[128];

		snprintf(why, sizeof why, "its partition holds %lld rows already", n);
		rc = not_aligned(m, why, err);
		dw_err_hint(err, "restore loads into an empty partition");
	}
	if (rc == 0 && (n = dw_archive_load(s->my, m, r->data, err)) < 0)
		rc = -1;
	if (rc == 0 && (rc = dw_archive_checksum(s->my, m, &back, sha, err)) == 0 &&
	    (back != m->rows || strcmp(sha, m->sha256))) {
		rc = dw_err_set(err, DW_EX_DATAERR, "restoring %s partition %s: read back, the "
				"partition holds %lld rows that do not match the archive's %lld; "
				"nothing was restored", m->table, m->partition, back, m->rows);
		dw_err_hint(err, "a row outside the archive's range, or a value the server "
			    "changed: compare the manifest with the table");
	}
	if (rc == 0)
		rc = dw_db_commit(s->my, err);
	else
		dw_db_rollback(s->my, NULL);
	return rc;
}

/* The audit detail of a restore, malloc'd; NULL when out of memory. */
static char *restore_detail(const struct restore *r, long long rows)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL, *full = realpath(r->data, NULL);

	if (o && cJSON_AddStringToObject(o, "table", r->m.table) &&
	    cJSON_AddStringToObject(o, "partition", r->m.partition) &&
	    cJSON_AddNumberToObject(o, "rows", (double)rows) &&
	    cJSON_AddStringToObject(o, "file", full ? full : r->data) &&
	    cJSON_AddBoolToObject(o, "split", r->split != NULL))
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	free(full);
	return text;
}

static int restore_change(struct session *s, void *arg, struct outcome *oc, FILE *out,
			  struct dw_err *err)
{
	struct restore *r = arg;
	struct dw_partplan_layout l;
	char from[16], to[16];
	double t0 = dw_log_clock();
	int rc = dw_partplan_read(s->my, r->m.table, r->m.column, &l, err);

	if (rc < 0)
		return -1;
	rc = restore_target(s, r, &l, err);
	date_text(r->m.from, from, sizeof from);
	date_text(r->m.to, to, sizeof to);
	if (rc == 0 && s->o->dry_run) {
		fprintf(out, "%s: would restore %s (%s to %s, %lld rows) from %s\n%s%s", r->m.table,
			r->m.partition, from, to, r->m.rows, r->data, r->split ? r->split : "",
			r->split ? ";\n" : "");
	} else if (rc == 0) {
		if (r->split && dw_db_exec(s->my, r->split, 0, NULL, err) < 0) {
			dw_err_prefix(err, "making %s partition %s again", r->m.table, r->m.partition);
			rc = -1;
		}
		if (rc == 0)
			rc = restore_rows(s, r, err);
		if (rc == 0)
			fprintf(out, "%s: restored %s: %lld rows from %s, %.3f s\n", r->m.table,
				r->m.partition, r->m.rows, r->data, dw_log_clock() - t0);
	}
	oc->rows = rc == 0 ? r->m.rows : 0;
	if (!(oc->detail = restore_detail(r, oc->rows)) && rc == 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	dw_partplan_layout_release(&l);
	return rc;
}

int dw_vpart_restore(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		     struct dw_err *err)
{
	struct session s;
	struct restore r = { 0 };
	char question[512];
	int rc = session_open(&s, cfg, o, err);

	/* the archive is checked whole before anything changes */
	if (rc == 0)
		rc = dw_archive_open(&r.m, o->file, &r.data, err);
	if (rc == 0)
		rc = dw_archive_match(s.my, &r.m, err);
	snprintf(question, sizeof question, "restore %s", o->file);
	if (rc == 0)
		rc = audited(&s, "restore", question, restore_change, &r, out, err);
	dw_archive_manifest_release(&r.m);
	free(r.data), free(r.split);
	session_close(&s);
	return rc;
}
