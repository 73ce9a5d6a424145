/* The mix reads the warehouse once, at the start: the facts' first and
 * last dates (the MIN and MAX of the fact table's date key, then the time
 * dimension's row of each) and the values of the dimensions the reports'
 * string parameters are named after. */
#include "tune/mix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "sqllex.h"

#define MAX_VALUES 100
#define HEAVY_ROWS 10

static int oom(struct dw_err *err)
{
	return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
}

/* Closes the memstream f: its text (*text), or NULL with err. */
static char *finish(FILE *f, char **text, struct dw_err *err)
{
	if (fclose(f) == 0)
		return *text;
	free(*text);
	*text = NULL;
	return oom(err), NULL;
}

/* Writes alias.`name` (alias NULL: `name`) to f. */
static void put_name(FILE *f, const char *alias, const char *name)
{
	char *q = dw_db_quote_name(DW_DB_MY, name);

	fprintf(f, "%s%s%s", alias ? alias : "", alias ? "." : "", q ? q : "``");
	free(q);
}

/* ---- reports: :name as @dw_name, set by one prepared SET ---- */

static char *report_sql(const struct dw_kb_report *r, struct dw_err *err)
{
	struct dw_sqltok *p = NULL;
	size_t np = 0, len = 0, at = 0;
	char *out = NULL;
	FILE *f;

	if (dw_sqllex_params(r->sql, strlen(r->sql), DW_DB_MY, &p, &np, err) < 0)
		return NULL;
	if (!(f = open_memstream(&out, &len))) {
		free(p);
		return oom(err), NULL;
	}
	/* the loader lets no placeholder but :name through */
	for (size_t i = 0; i < np; i++) {
		fprintf(f, "%.*s@dw_%.*s", (int)(p[i].off - at), r->sql + at, (int)p[i].len - 1,
			r->sql + p[i].off + 1);
		at = p[i].off + p[i].len;
	}
	fputs(r->sql + at, f);
	free(p);
	return finish(f, &out, err);
}

static char *report_set(const struct dw_kb_report *r, struct dw_err *err)
{
	static const char *const casts[] = {
		[DW_KB_T_STRING] = "?", [DW_KB_T_INT] = "CAST(? AS SIGNED)",
		[DW_KB_T_NUMBER] = "CAST(? AS DECIMAL(65,30))", [DW_KB_T_DATE] = "CAST(? AS DATE)",
		[DW_KB_T_BOOL] = "CAST(? AS SIGNED)",
	};
	size_t len = 0;
	char *out = NULL;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return oom(err), NULL;
	for (size_t i = 0; i < r->nparams; i++)
		fprintf(f, "%s@dw_%s = %s", i ? ", " : "SET ", r->params[i].name,
			casts[r->params[i].type]);
	return finish(f, &out, err);
}

static int prepare_reports(struct dw_mix *m, struct dw_err *err)
{
	size_t n = m->kb->nreports;

	m->sql = calloc(n + 1, sizeof *m->sql);
	m->set = calloc(n + 1, sizeof *m->set);
	if (!m->sql || !m->set)
		return oom(err);
	for (size_t i = 0; i < n; i++) {
		const struct dw_kb_report *r = &m->kb->reports[i];

		if (!(m->sql[i] = report_sql(r, err)) ||
		    (r->nparams && !(m->set[i] = report_set(r, err))))
			return dw_err_prefix(err, "report '%s'", r->name), -1;
	}
	return 0;
}

/* ---- what the warehouse holds: the facts' dates, dimension values ---- */

/* The date of the facts' MIN or MAX (agg) date key through the join j,
 * as days since the epoch: -1 when there are no facts, -2 on error. */
static long fact_day(const struct dw_kb *kb, struct dw_db *my, const struct dw_kb_join *j,
		     const char *agg, struct dw_err *err)
{
	size_t len = 0;
	char *sql = NULL, *v = NULL;
	FILE *f = open_memstream(&sql, &len);
	int y, mo, d;
	long day = -1;

	if (!f)
		return oom(err), -2;
	fputs("SELECT ", f);
	put_name(f, "t", kb->time.date_column);
	fputs(" FROM ", f);
	put_name(f, NULL, kb->time.table);
	fputs(" t WHERE ", f);
	put_name(f, "t", j->right_column);
	fprintf(f, " = (SELECT %s(", agg);
	put_name(f, NULL, j->left_column);
	fputs(") FROM ", f);
	put_name(f, NULL, j->left_table);
	fputs(")", f);
	if (!finish(f, &sql, err) || dw_db_query_value(my, sql, 0, NULL, &v, err) < 0)
		day = -2;
	else if (v && sscanf(v, "%d-%d-%d", &y, &mo, &d) == 3)
		day = dw_date_days_from_civil(y, mo, d);
	free(sql);
	free(v);
	return day;
}

static int read_dates(struct dw_mix *m, struct dw_db *my, struct dw_err *err)
{
	const struct dw_kb *kb = m->kb;
	const struct dw_kb_join *j = dw_kb_join(kb, kb->metrics[0].table, kb->time.table,
						kb->time.default_role);
	time_t now = time(NULL);
	struct tm tm;
	long lo, hi;

	gmtime_r(&now, &tm);
	m->day_lo = dw_date_days_from_civil(tm.tm_year + 1900, 1, 1);
	m->day_hi = dw_date_days_from_civil(tm.tm_year + 1900, 12, 31);
	if (!j)
		return 0;
	if ((lo = fact_day(kb, my, j, "MIN", err)) == -2 ||
	    (hi = fact_day(kb, my, j, "MAX", err)) == -2)
		return dw_err_prefix(err, "reading the facts' dates"), -1;
	if (lo >= 0 && hi >= lo) {
		m->day_lo = lo;
		m->day_hi = hi;
	}
	return 0;
}

static const struct dw_mix_values *find_values(const struct dw_mix *m, const char *name)
{
	for (size_t i = 0; i < m->nvalues; i++)
		if (!strcmp(m->values[i].name, name))
			return &m->values[i];
	return NULL;
}

/* The first MAX_VALUES values of d, in order, into vs. */
static int read_values(struct dw_mix_values *vs, const struct dw_kb_dimension *d,
		       struct dw_db *my, struct dw_err *err)
{
	size_t len = 0;
	char *sql = NULL;
	FILE *f;
	struct dw_rows *rows = NULL;
	int rc = -1;

	vs->name = d->name;
	if (!(vs->v = calloc(MAX_VALUES, sizeof *vs->v)) || !(f = open_memstream(&sql, &len)))
		return oom(err);
	fputs("SELECT DISTINCT ", f);
	put_name(f, "t", d->column);
	fputs(" FROM ", f);
	put_name(f, NULL, d->table);
	fputs(" t WHERE ", f);
	put_name(f, "t", d->column);
	fprintf(f, " IS NOT NULL ORDER BY 1 LIMIT %d", MAX_VALUES);
	if (finish(f, &sql, err) && (rows = dw_db_query(my, sql, 0, NULL, err)))
		rc = 0;
	while (rc == 0 && vs->n < MAX_VALUES && (rc = dw_rows_next(rows, err)) == 1)
		rc = (vs->v[vs->n++] = strdup(dw_rows_value(rows, 0))) ? 0 : oom(err);
	dw_rows_free(rows);
	free(sql);
	return rc < 0 ? dw_err_prefix(err, "reading the values of '%s'", d->name), -1 : 0;
}

static int read_all_values(struct dw_mix *m, struct dw_db *my, struct dw_err *err)
{
	size_t max = 1;

	for (size_t i = 0; i < m->kb->nreports; i++)
		max += m->kb->reports[i].nparams;
	if (!(m->values = calloc(max, sizeof *m->values)))
		return oom(err);
	for (size_t i = 0; i < m->kb->nreports; i++)
		for (size_t k = 0; k < m->kb->reports[i].nparams; k++) {
			const struct dw_kb_param *p = &m->kb->reports[i].params[k];
			const struct dw_kb_dimension *d = dw_kb_dimension(m->kb, p->name);

			if (p->type != DW_KB_T_STRING || !d || d->pii || find_values(m, p->name))
				continue;
			if (read_values(&m->values[m->nvalues++], d, my, err) < 0)
				return -1;
		}
	return 0;
}

/* ---- the heavy query: every dimension at once ---- */

struct heavy {
	const struct dw_kb *kb;
	const char **tables;      /* joined so far: tables[i] as alias ti, the facts t0 */
	size_t n;
	FILE *cols, *joins;
	int ncols;
};

/* Groups by column of table, joined from the facts with role when new. */
static void heavy_col(struct heavy *h, const char *table, const char *role, const char *column)
{
	const struct dw_kb_join *j;
	char alias[32];
	size_t i = 0;

	while (i < h->n && strcmp(h->tables[i], table))
		i++;
	snprintf(alias, sizeof alias, "t%zu", i);
	if (i == h->n) {
		if (!(j = dw_kb_join(h->kb, h->tables[0], table, role)))
			return;
		h->tables[h->n++] = table;
		fputs(" JOIN ", h->joins);
		put_name(h->joins, NULL, table);
		fprintf(h->joins, " %s ON ", alias);
		put_name(h->joins, alias, j->right_column);
		fputs(" = ", h->joins);
		put_name(h->joins, "t0", j->left_column);
	}
	fputs(", ", h->cols);
	put_name(h->cols, alias, column);
	h->ncols++;
}

/* Every dimension but personal ones, and the facts' dates. */
static void group_all(struct heavy *h)
{
	const struct dw_kb *kb = h->kb;

	h->tables[h->n++] = kb->metrics[0].table;
	for (size_t i = 0; i < kb->ndimensions; i++)
		if (!kb->dimensions[i].pii)
			heavy_col(h, kb->dimensions[i].table, "", kb->dimensions[i].column);
	heavy_col(h, kb->time.table, kb->time.default_role, kb->time.date_column);
}

/* What follows "SELECT COUNT(*) AS alias": the columns, grouped by, the
 * biggest groups first; a cross join of the facts when there are none. */
static int heavy_sql(struct dw_mix *m, int ncols, const char *cols, const char *joins,
		     struct dw_err *err)
{
	const char *fact = m->kb->metrics[0].table;
	size_t len = 0;
	FILE *f = open_memstream(&m->heavy, &len);

	if (!f)
		return oom(err);
	fprintf(f, "%s FROM ", cols);
	put_name(f, NULL, fact);
	if (ncols) {
		fprintf(f, " t0%s GROUP BY 2", joins);
		for (int i = 3; i <= ncols + 1; i++)
			fprintf(f, ", %d", i);
		fprintf(f, " ORDER BY 1 DESC LIMIT %d", HEAVY_ROWS);
	} else {
		fputs(" t0 CROSS JOIN ", f);
		put_name(f, NULL, fact);
		fputs(" t1", f);
	}
	return finish(f, &m->heavy, err) ? 0 : -1;
}

static int build_heavy(struct dw_mix *m, struct dw_err *err)
{
	struct heavy h = { .kb = m->kb };
	size_t lc = 0, lj = 0;
	char *cols = NULL, *joins = NULL;
	int ok, rc;

	h.tables = calloc(m->kb->ndimensions + 2, sizeof *h.tables);
	h.cols = open_memstream(&cols, &lc);
	h.joins = open_memstream(&joins, &lj);
	ok = h.tables && h.cols && h.joins;
	if (ok)
		group_all(&h);
	if (h.cols && fclose(h.cols) != 0)
		ok = 0;
	if (h.joins && fclose(h.joins) != 0)
		ok = 0;
	rc = ok ? heavy_sql(m, h.ncols, cols, joins, err) : oom(err);
	free(h.tables);
	free(cols);
	free(joins);
	return rc;
}

int dw_mix_init(struct dw_mix *m, const struct dw_kb *kb, struct dw_db *my, uint64_t seed,
		struct dw_err *err)
{
	memset(m, 0, sizeof *m);
	m->kb = kb;
	m->seed = seed;
	m->n = kb->nexamples + kb->nreports;
	if (prepare_reports(m, err) < 0 || read_dates(m, my, err) < 0 ||
	    read_all_values(m, my, err) < 0 || build_heavy(m, err) < 0)
		return -1;
	return 0;
}

void dw_mix_release(struct dw_mix *m)
{
	for (size_t i = 0; m->sql && i < m->kb->nreports; i++) {
		free(m->sql[i]);
		free(m->set[i]);
	}
	for (size_t i = 0; i < m->nvalues; i++) {
		for (size_t k = 0; k < m->values[i].n; k++)
			free(m->values[i].v[k]);
		free(m->values[i].v);
	}
	free(m->sql);
	free(m->set);
	free(m->values);
	free(m->heavy);
	memset(m, 0, sizeof *m);
}

/* ---- running a query ---- */

static const char *int_value(const struct dw_mix *m, const struct dw_kb_param *p, uint64_t *s,
			     char buf[32])
{
	long top = p->def && atol(p->def) > 0 ? 2 * atol(p->def) : 20;
	int y0, y1, mo, d;

	if (!strstr(p->name, "year")) {
		snprintf(buf, 32, "%ld", 1 + (long)(dw_workload_rand(s) % (uint64_t)top));
		return buf;
	}
	dw_date_civil_from_days(m->day_lo, &y0, &mo, &d);
	dw_date_civil_from_days(m->day_hi, &y1, &mo, &d);
	snprintf(buf, 32, "%d", y0 + (int)(dw_workload_rand(s) % (uint64_t)(y1 - y0 + 1)));
	return buf;
}

static const char *string_value(const struct dw_mix *m, const struct dw_kb_param *p,
				uint64_t *s)
{
	const struct dw_mix_values *vs = find_values(m, p->name);
	uint64_t r = dw_workload_rand(s);

	if (vs && vs->n && (!p->def || r % 3))
		return vs->v[(r / 3) % vs->n];
	return p->def ? p->def : "";
}

/* A value of p's type; a date on or after *day, which it becomes. */
static const char *draw_value(const struct dw_mix *m, const struct dw_kb_param *p, uint64_t *s,
			      long *day, char buf[32])
{
	int y, mo, d;

	switch (p->type) {
	case DW_KB_T_INT:
		return int_value(m, p, s, buf);
	case DW_KB_T_NUMBER:
		snprintf(buf, 32, "0.%d", (int)(dw_workload_rand(s) % 10));
		return buf;
	case DW_KB_T_DATE:
		*day += (long)(dw_workload_rand(s) % (uint64_t)(m->day_hi - *day + 1));
		dw_date_civil_from_days(*day, &y, &mo, &d);
		snprintf(buf, 32, "%04d-%02d-%02d", y, mo, d);
		return buf;
	case DW_KB_T_BOOL:
		return dw_workload_rand(s) & 1 ? "1" : "0";
	default:
		return string_value(m, p, s);
	}
}

static int run_report(const struct dw_mix *m, struct dw_db *db, size_t r, uint64_t draw,
		      struct dw_err *err)
{
	const struct dw_kb_report *rep = &m->kb->reports[r];
	char(*buf)[32] = calloc(rep->nparams + 1, sizeof *buf);
	const char **v = calloc(rep->nparams + 1, sizeof *v);
	long day = m->day_lo;
	int rc = -1;

	if (!buf || !v)
		oom(err);
	else {
		for (size_t i = 0; i < rep->nparams; i++)
			v[i] = draw_value(m, &rep->params[i], &draw, &day, buf[i]);
		rc = (!rep->nparams || dw_db_exec(db, m->set[r], (int)rep->nparams, v, err) >= 0) &&
		     dw_db_exec(db, m->sql[r], 0, NULL, err) >= 0 ? 0 : -1;
	}
	free(buf);
	free(v);
	return rc;
}

static int run_heavy(const struct dw_mix *m, struct dw_db *db, int anomaly, struct dw_err *err)
{
	char head[64], *sql;
	int rc;

	snprintf(head, sizeof head, "SELECT COUNT(*) AS workload_heavy_%llu_%d",
		 (unsigned long long)m->seed, anomaly + 1);
	if (!(sql = malloc(strlen(head) + strlen(m->heavy) + 1)))
		return oom(err);
	strcat(strcpy(sql, head), m->heavy);
	rc = dw_db_exec(db, sql, 0, NULL, err) < 0 ? -1 : 0;
	free(sql);
	return rc;
}

int dw_mix_run(const struct dw_mix *m, struct dw_db *db, const struct dw_workload_event *ev,
	       struct dw_err *err)
{
	if (ev->kind == DW_WORKLOAD_HEAVY)
		return run_heavy(m, db, ev->anomaly, err);
	if (ev->query < m->kb->nexamples)
		return dw_db_exec(db, m->kb->examples[ev->query].sql, 0, NULL, err) < 0 ? -1 : 0;
	return run_report(m, db, ev->query - m->kb->nexamples, ev->draw, err);
}
