/* predict: dw-tune predict, the expected run time of a SELECT from what
 * the optimizer plans for it (explain.h), by a regression fitted on the
 * collected history: for each digest with an example EXPLAIN can plan,
 * its mean time as a sum of costs (a fixed one, and per row scanned, row
 * read through an index, index descent and row sorted), fitted on
 * relative errors. The fit is judged by its leave-one-out R-squared of
 * log time, and its error gives the interval. */
#ifndef DW_TUNE_PREDICT_H
#define DW_TUNE_PREDICT_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "err.h"
#include "explain.h"

#define DW_PREDICT_FEATURES DW_EXPLAIN_FEATURES

struct dw_predict_fit {
	double beta[DW_PREDICT_FEATURES];
	size_t n;                   /* statements fitted */
	double loo_r2;              /* leave-one-out R-squared of log time */
	double loo_sd;              /* the spread of the leave-one-out errors, in log time */
};

/* Least squares of y[i] (a time, > 0) on x[i][0..DW_PREDICT_FEATURES)
 * (x[i][0] = 1), i < n, weighted by 1 / y[i]^2, with a leave-one-out check
 * on log times. Returns 0, or -1 when n is below DW_PREDICT_FEATURES + 2,
 * a y is not positive, or a refit is singular even with a small ridge. */
int dw_predict_fit(const double (*x)[DW_PREDICT_FEATURES], const double *y, size_t n,
		   struct dw_predict_fit *f);
/* The time f expects of features x: DW_EXPLAIN_FLOOR_MS at least. */
double dw_predict_value(const struct dw_predict_fit *f, const double *x);

/* Prints the expected time of sql (NULL: none) with a 95% interval and
 * the fit's size and R-squared; with save, stores the fit in
 * dw_tune_model (dw-ask reads the newest) and says so. Returns 0, or -1
 * with err: DW_EX_DATAERR when sql is not a SELECT reading no user
 * variable, when the server cannot plan it, or when fewer than 8
 * statements of the history can be fitted; DW_EX_USAGE with neither sql
 * nor save. */
int dw_predict_print(const struct dw_config *cfg, const char *sql, int save, FILE *out,
		     struct dw_err *err);

#endif
