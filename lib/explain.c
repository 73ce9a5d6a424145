/* EXPLAIN's rows of an inner table are per row of the tables before it in
 * the join order, so what a step reads in all is the product down to it;
 * a new SELECT (another id) starts again from one. A step that reads
 * through an index descends it once per partition it touches for each
 * row before it (a lookup), or once per partition (a range), or once per
 * group and partition (a loose scan, "Using index for group-by"): on a
 * table of a partition a month, descents cost more than the rows. */
#include "explain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqllex.h"

/* The columns of MariaDB's EXPLAIN PARTITIONS. */
enum { COL_ID, COL_TABLE = 2, COL_PARTS = 3, COL_TYPE = 4, COL_ROWS = 9, COL_EXTRA = 10 };

static int step_add(struct dw_explain *e, const char *alias, double reads, size_t *cap)
{
	if (e->n == *cap) {
		size_t nc = *cap ? 2 * *cap : 8;
		struct dw_explain_step *v = realloc(e->steps, nc * sizeof *v);

		if (!v)
			return -1;
		e->steps = v;
		*cap = nc;
	}
	snprintf(e->steps[e->n].alias, sizeof e->steps[0].alias, "%s", alias ? alias : "");
	e->steps[e->n++].reads = reads;
	e->reads += reads;
	return 0;
}

int dw_explain_fits(const char *sql)
{
	struct dw_sqltok *t = NULL;
	struct dw_err e = { 0 };
	size_t n = 0, first = 0;
	int fits;

	if (dw_sqllex(sql, strlen(sql), DW_DB_MY, &t, &n, &e) < 0)
		return 0;
	while (first < n && t[first].kind == DW_SQLTOK_COMMENT)
		first++;
	fits = first < n && (dw_sqllex_tok_is(sql, &t[first], "SELECT") ||
			     dw_sqllex_tok_is(sql, &t[first], "WITH"));
	for (size_t i = first; fits && i < n; i++)
		fits = t[i].kind != DW_SQLTOK_VAR;
	free(t);
	return fits;
}

/* The partitions a step touches: its list's commas, plus one (one for a
 * table without partitions). */
static double parts_of(const char *list)
{
	double n = 1;

	for (const char *p = list ? list : ""; *p; p++)
		n += *p == ',';
	return n;
}

/* Adds one row of EXPLAIN to the totals: its rows down the join order
 * (path, the rows before it: outer), scanned or through an index, and
 * the descents of its index: counted apart when a step before it filters
 * rows by a condition no index serves ("Using where" on a scan), whose
 * share EXPLAIN does not know (it says 100%), so that the fit learns what
 * such descents cost on average. */
static void step_cost(struct dw_explain *e, const char *type, const char *extra, double parts,
		      double outer, double path, int unsure)
{
	int scan = !type || !strcmp(type, "ALL") || !strcmp(type, "index");
	double d = 0;

	if (scan) {
		e->scanned += path;
		d = parts * outer;
	} else {
		e->indexed += path;
		if (extra && strstr(extra, "for group-by"))
			d = path * parts;
		else if (strcmp(type, "const") && strcmp(type, "system"))
			d = outer * parts;
	}
	if (unsure)
		e->descents_unsure += d;
	else
		e->descents += d;
	if (extra && (strstr(extra, "Using temporary") || strstr(extra, "filesort")))
		e->sorts = 1;
}

/* Whether a step filters its rows by a condition no index serves. */
static int filters_unknown(const char *type, const char *extra)
{
	return (!type || !strcmp(type, "ALL") || !strcmp(type, "index")) && extra &&
	       strstr(extra, "Using where");
}

int dw_explain_read(struct dw_db *my, const char *sql, struct dw_explain *e, struct dw_err *err)
{
	char *q = malloc(strlen(sql) + 20), id[32] = "";
	struct dw_rows *r;
	double path = 1, sel_max = 0;
	size_t cap = 0;
	int rc, sorted = 0, unsure = 0;

	memset(e, 0, sizeof *e);
	if (!q)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	strcat(strcpy(q, "EXPLAIN PARTITIONS "), sql);
	r = dw_db_query(my, q, 0, NULL, err);
	free(q);
	if (!r)
		return -1;
	while ((rc = dw_rows_next(r, err)) == 1) {
		const char *sel = dw_rows_value(r, COL_ID), *rows = dw_rows_value(r, COL_ROWS);
		const char *extra = dw_rows_value(r, COL_EXTRA);
		double outer;

		if (!sel || strcmp(sel, id)) {
			/* a SELECT ends: its rows were sorted when it sorts */
			e->sorted += sorted ? sel_max : 0;
			path = 1, sel_max = 0, sorted = 0, unsure = 0;
		}
		snprintf(id, sizeof id, "%s", sel ? sel : "");
		outer = path;
		path *= rows ? atof(rows) : 1;
		sel_max = path > sel_max ? path : sel_max;
		sorted |= extra && (strstr(extra, "Using temporary") || strstr(extra, "filesort"));
		step_cost(e, dw_rows_value(r, COL_TYPE), extra, parts_of(dw_rows_value(r, COL_PARTS)),
			  outer, path, unsure);
		unsure |= filters_unknown(dw_rows_value(r, COL_TYPE), extra);
		if (step_add(e, dw_rows_value(r, COL_TABLE), path, &cap) < 0) {
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
			break;
		}
	}
	e->sorted += sorted ? sel_max : 0;
	dw_rows_free(r);
	return rc < 0 ? -1 : 0;
}

void dw_explain_release(struct dw_explain *e)
{
	free(e->steps);
	memset(e, 0, sizeof *e);
}

void dw_explain_features(const struct dw_explain *e, double x[DW_EXPLAIN_FEATURES])
{
	x[0] = 1;
	x[1] = e->scanned;
	x[2] = e->indexed;
	x[3] = e->descents;
	x[4] = e->descents_unsure;
	x[5] = e->sorted;
}

void dw_explain_model_read(struct dw_db *my, struct dw_explain_model *m)
{
	struct dw_err ignored = { 0 };
	struct dw_rows *r = dw_db_query(my, "SELECT statements, loo_r2, loo_sd, b0, b1, b2, b3, b4, b5 "
					"FROM dw_tune_model ORDER BY model_id DESC LIMIT 1", 0, NULL,
					&ignored);

	memset(m, 0, sizeof *m);
	if (r && dw_rows_next(r, &ignored) == 1) {
		m->n = atol(dw_rows_value(r, 0));
		m->r2 = atof(dw_rows_value(r, 1));
		m->sd = atof(dw_rows_value(r, 2));
		for (int k = 0; k < DW_EXPLAIN_FEATURES; k++)
			m->beta[k] = atof(dw_rows_value(r, 3 + k));
	}
	dw_rows_free(r);
}

double dw_explain_expect_ms(const struct dw_explain_model *m, const struct dw_explain *e,
			    double *lo, double *hi)
{
	double x[DW_EXPLAIN_FEATURES], v = 0;

	dw_explain_features(e, x);
	for (int k = 0; k < DW_EXPLAIN_FEATURES; k++)
		v += m->beta[k] * x[k];
	if (v < DW_EXPLAIN_FLOOR_MS)
		v = DW_EXPLAIN_FLOOR_MS;
	*lo = v * exp(-1.96 * m->sd);
	*hi = v * exp(1.96 * m->sd);
	return v;
}
