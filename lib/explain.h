/* explain: what the optimizer expects a SELECT to cost, from EXPLAIN: per
 * table of the plan, its alias and the rows it reads down the join order
 * of its SELECT; for the whole statement, the features dw-tune predict
 * fits (rows scanned, read through an index, index descents per partition,
 * rows sorted), and the time a
 * fit stored by dw-tune predict --save expects (dw-ask --explain). */
#ifndef DW_EXPLAIN_H
#define DW_EXPLAIN_H

#include <stddef.h>

#include "db/db.h"
#include "err.h"

struct dw_explain_step {
	char alias[257];            /* EXPLAIN's table: an alias, or <derived2> and such */
	double reads;               /* the product of rows down its SELECT's join order */
};

struct dw_explain {
	struct dw_explain_step *steps;
	size_t n;
	double reads;               /* the sum of the steps' */
	int sorts;                  /* a step uses a temporary table or a filesort */
	double scanned;             /* rows read by full scans (of the table or an index) */
	double indexed;             /* rows read through an index */
	double descents;            /* index descents: per partition touched and lookup */
	double descents_unsure;     /* those after a step that filters by a condition no
				       index serves: fewer than EXPLAIN's rows say */
	double sorted;              /* rows of the SELECTs that sort or group in a
				       temporary table */
};

/* Whether sql is a statement EXPLAIN can plan as it would run: a SELECT
 * (or WITH) reading no user variable, whose values a session other than
 * its own lacks. */
int dw_explain_fits(const char *sql);

/* EXPLAIN of sql on my into e. Returns 0, or -1 with err (the server's
 * error: a statement it cannot plan, or one cut short); release e with
 * dw_explain_release either way. */
int dw_explain_read(struct dw_db *my, const char *sql, struct dw_explain *e, struct dw_err *err);
void dw_explain_release(struct dw_explain *e);

#define DW_EXPLAIN_FEATURES 6   /* 1, rows scanned, rows through an index, descents,
				   descents after an unknown filter, rows sorted */
#define DW_EXPLAIN_FLOOR_MS 0.001   /* the least time a fit expects */

/* The features of e a statement's time is a sum of (each with its cost):
 * the time of any statement, and of each row scanned, row read through an
 * index, index descent (apart: those after a filter whose share EXPLAIN
 * does not know) and row sorted. */
void dw_explain_features(const struct dw_explain *e, double x[DW_EXPLAIN_FEATURES]);

/* A fit of a statement's time in ms on its features (a cost each), as
 * dw-tune predict --save stores it in dw_tune_model. */
struct dw_explain_model {
	double beta[DW_EXPLAIN_FEATURES];
	long n;                     /* statements fitted; 0: no model */
	double r2;                  /* leave-one-out R-squared, of log time */
	double sd;                  /* the spread of its errors, in log time */
};

/* The newest fit in the dw_tune_model of my's current database into m;
 * m->n is 0 when there is none, or the table cannot be read (an older
 * warehouse, an account without the grant): a prediction is never needed. */
void dw_explain_model_read(struct dw_db *my, struct dw_explain_model *m);

/* The time m expects of e, in ms (DW_EXPLAIN_FLOOR_MS at least), and its
 * 95% interval [*lo, *hi]. */
double dw_explain_expect_ms(const struct dw_explain_model *m, const struct dw_explain *e,
			    double *lo, double *hi);

#endif
