/* EXPLAIN's rows of an inner table are per row of the tables before it in
 * the join order, so what a step reads in all is the product down to it;
 * a new SELECT (another id) starts again from one. */
#include "explain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqllex.h"

/* The columns of MariaDB's EXPLAIN. */
enum { COL_ID, COL_TABLE = 2, COL_ROWS = 8, COL_EXTRA = 9 };

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

int dw_explain_read(struct dw_db *my, const char *sql, struct dw_explain *e, struct dw_err *err)
{
	char *q = malloc(strlen(sql) + 9), id[32] = "";
	struct dw_rows *r;
	double path = 1;
	size_t cap = 0;
	int rc;

	memset(e, 0, sizeof *e);
	if (!q)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	strcat(strcpy(q, "EXPLAIN "), sql);
	r = dw_db_query(my, q, 0, NULL, err);
	free(q);
	if (!r)
		return -1;
	while ((rc = dw_rows_next(r, err)) == 1) {
		const char *sel = dw_rows_value(r, COL_ID), *rows = dw_rows_value(r, COL_ROWS);
		const char *extra = dw_rows_value(r, COL_EXTRA);

		if (!sel || strcmp(sel, id))
			path = 1;
		snprintf(id, sizeof id, "%s", sel ? sel : "");
		path *= rows ? atof(rows) : 1;
		e->sorts |= extra && (strstr(extra, "Using temporary") || strstr(extra, "filesort"));
		if (step_add(e, dw_rows_value(r, COL_TABLE), path, &cap) < 0) {
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
			break;
		}
	}
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
	x[1] = log1p(e->reads);
	x[2] = (double)e->n;
	x[3] = e->sorts;
}

void dw_explain_model_read(struct dw_db *my, struct dw_explain_model *m)
{
	struct dw_err ignored = { 0 };
	struct dw_rows *r = dw_db_query(my, "SELECT statements, loo_r2, loo_sd, b0, b1, b2, b3 "
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
	*lo = exp(v - 1.96 * m->sd);
	*hi = exp(v + 1.96 * m->sd);
	return exp(v);
}
