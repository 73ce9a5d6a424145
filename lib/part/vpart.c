/* dw-partition's verbs. Each reads the policy, opens the warehouse and
 * walks the policy's tables (or the one --table names); apply holds a lock
 * of its own (one dw-partition at a time) and is audited. */
#include "part/vpart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db/db.h"
#include "log.h"
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

int dw_vpart_apply(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		   struct dw_err *err)
{
	struct session s;
	struct dw_audit_event ev = { .tool = "dw-partition", .action = "apply", .role = "",
				     .db_user = cfg->warehouse.user, .question = "apply",
				     .rows = -1 };
	long long added = 0;
	char detail[64];
	int rc = session_open(&s, cfg, o, err), locked = 0, started = 0;

	if (rc == 0 && (rc = dw_partplan_lock(s.my, 0, err)) == 0)
		locked = 1;
	if (rc == 0 && !o->dry_run && (rc = dw_audit_started(s.my, &ev, err)) == 0)
		started = 1;
	for (size_t i = 0; rc == 0 && i < s.set.n; i++)
		if (selected(&s, &s.set.t[i]))
			rc = apply_table(&s, &s.set.t[i], out, &added, err);
	if (started) {
		struct dw_err ignored;

		snprintf(detail, sizeof detail, "{\"partitions_added\":%lld}", added);
		ev.rows = added;
		if (dw_audit_outcome(s.my, &ev, detail, rc < 0 ? err : NULL,
				     rc < 0 ? &ignored : err) < 0)
			rc = -1;
	}
	if (locked)
		dw_partplan_unlock(s.my);
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
