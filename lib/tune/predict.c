/* A statement's time is a sum of costs (explain.h): a fixed one, and one
 * per row scanned, row read through an index, index descent and row
 * sorted. The costs are fitted by least squares of relative errors (each
 * statement weighted by 1 / its time squared): statements run from a
 * millisecond to minutes, and an error of a factor matters as much at
 * either end; the fit is judged on log times. */
#include "tune/predict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "log.h"
#include "explain.h"

#define K DW_PREDICT_FEATURES
#define TRAIN_MAX 200    /* the costliest digests fitted */
#define TRAIN_MIN 8      /* fewer gives no prediction */
#define RIDGE 1e-6       /* keeps a feature that never varies from making it singular */

/* Solves a b = c (K x K) by Gaussian elimination with partial pivoting. */
static int solve(double a[K][K], double c[K], double b[K])
{
	for (int i = 0; i < K; i++) {
		int p = i;

		for (int r = i + 1; r < K; r++)
			if (fabs(a[r][i]) > fabs(a[p][i]))
				p = r;
		if (fabs(a[p][i]) < 1e-12)
			return -1;
		for (int k = 0; k < K; k++) {
			double t = a[i][k];

			a[i][k] = a[p][k], a[p][k] = t;
		}
		double t = c[i];

		c[i] = c[p], c[p] = t;
		for (int r = i + 1; r < K; r++) {
			double m = a[r][i] / a[i][i];

			for (int k = i; k < K; k++)
				a[r][k] -= m * a[i][k];
			c[r] -= m * c[i];
		}
	}
	for (int i = K - 1; i >= 0; i--) {
		b[i] = c[i];
		for (int k = i + 1; k < K; k++)
			b[i] -= a[i][k] * b[k];
		b[i] /= a[i][i];
	}
	return 0;
}

/* The weighted least squares of every point but skip (n: none), on the
 * features of active only (the others' costs 0), scaled to at most 1 (the
 * costs differ by orders of magnitude). */
static int fit_active(const double (*x)[K], const double *y, size_t n, size_t skip,
		      const int active[K], double b[K])
{
	double a[K][K] = { { 0 } }, c[K] = { 0 }, scale[K];

	for (int k = 0; k < K; k++) {
		scale[k] = 0;
		for (size_t i = 0; i < n; i++)
			scale[k] = fabs(x[i][k]) > scale[k] ? fabs(x[i][k]) : scale[k];
		if (scale[k] == 0)
			scale[k] = 1;
	}
	for (size_t i = 0; i < n; i++) {
		double w = 1 / (y[i] * y[i]);

		if (i == skip)
			continue;
		for (int r = 0; r < K; r++) {
			c[r] += active[r] ? w * x[i][r] / scale[r] * y[i] : 0;
			for (int k = 0; k < K; k++)
				a[r][k] += active[r] && active[k] ? w * x[i][r] / scale[r] * x[i][k] /
								    scale[k] : 0;
		}
	}
	for (int r = 0; r < K; r++)
		a[r][r] += active[r] ? (r ? RIDGE * (1 + a[r][r]) : 0) : 1;
	if (solve(a, c, b) < 0)
		return -1;
	for (int k = 0; k < K; k++)
		b[k] /= scale[k];
	return 0;
}

/* The fit with no negative cost (a row costs no less than nothing): the
 * most negative one is left out and the rest refitted, until none is. */
static int fit_without(const double (*x)[K], const double *y, size_t n, size_t skip,
		       double b[K])
{
	int active[K];

	for (int k = 0; k < K; k++)
		active[k] = 1;
	for (int round = 0; round < K; round++) {
		int worst = -1;

		if (fit_active(x, y, n, skip, active, b) < 0)
			return -1;
		for (int k = 0; k < K; k++)
			if (active[k] && b[k] < 0 && (worst < 0 || b[k] < b[worst]))
				worst = k;
		if (worst < 0)
			return 0;
		active[worst] = 0;
	}
	return fit_active(x, y, n, skip, active, b);
}

double dw_predict_value(const struct dw_predict_fit *f, const double *x)
{
	double v = 0;

	for (int k = 0; k < K; k++)
		v += f->beta[k] * x[k];
	return v > DW_EXPLAIN_FLOOR_MS ? v : DW_EXPLAIN_FLOOR_MS;
}

int dw_predict_fit(const double (*x)[K], const double *y, size_t n, struct dw_predict_fit *f)
{
	double mean = 0, ss = 0, press = 0;

	memset(f, 0, sizeof *f);
	if (n < K + 2)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!(y[i] > 0))
			return -1;
	if (fit_without(x, y, n, n, f->beta) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		mean += log(y[i]) / (double)n;
	for (size_t i = 0; i < n; i++) {
		struct dw_predict_fit g = { 0 };
		double e;

		if (fit_without(x, y, n, i, g.beta) < 0)
			return -1;
		e = log(y[i]) - log(dw_predict_value(&g, x[i]));
		press += e * e;
		ss += (log(y[i]) - mean) * (log(y[i]) - mean);
	}
	f->n = n;
	f->loo_r2 = ss > 0 ? 1 - press / ss : 0;
	f->loo_sd = sqrt(press / (double)n);
	return 0;
}

/* ---- on the warehouse ---- */

struct train {
	double (*x)[K];
	double *y;
	size_t n;
};

/* The costliest digests' examples and mean times, read whole first, then
 * EXPLAINed: those EXPLAIN cannot plan are left out. */
static int train_read(struct dw_db *my, const char *since, struct train *t, struct dw_err *err)
{
	char *sql[TRAIN_MAX];
	double ms[TRAIN_MAX];
	size_t n = 0;
	const char *params[] = { since };
	struct dw_rows *r = dw_db_query(my, "SELECT d.example, SUM(s.d_total_us) / SUM(s.d_calls) "
					"/ 1000 FROM dw_tune_stat s JOIN dw_tune_digest d ON "
					"d.schema_name = s.schema_name AND d.digest = s.digest JOIN "
					"dw_tune_snapshot n ON n.snap_id = s.snap_id WHERE "
					"s.schema_name = DATABASE() AND d.example IS NOT NULL AND "
					"n.taken_at >= ? GROUP BY s.digest, d.example HAVING "
					"SUM(s.d_calls) > 0 AND SUM(s.d_total_us) > 0 ORDER BY "
					"SUM(s.d_total_us) DESC LIMIT 200", 1, params, err);
	int rc;

	if (!r)
		return -1;
	while (n < TRAIN_MAX && (rc = dw_rows_next(r, err)) == 1)
		if (dw_explain_fits(dw_rows_value(r, 0)) && (sql[n] = strdup(dw_rows_value(r, 0))))
			ms[n++] = atof(dw_rows_value(r, 1));
	dw_rows_free(r);
	t->x = calloc(n + 1, sizeof *t->x);
	t->y = calloc(n + 1, sizeof *t->y);
	if (rc >= 0 && (!t->x || !t->y))
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		struct dw_explain e;
		struct dw_err ignored = { 0 };

		if (dw_explain_read(my, sql[i], &e, &ignored) == 0) {
			dw_explain_features(&e, t->x[t->n]);
			t->y[t->n++] = ms[i];
			dw_log_verbose(2, "fit: %.3f ms; scanned %.0f, indexed %.0f, descents %.0f and "
				       "%.0f, sorted %.0f: %.80s", ms[i], e.scanned, e.indexed,
				       e.descents, e.descents_unsure, e.sorted, sql[i]);
		}
		dw_explain_release(&e);
	}
	for (size_t i = 0; i < n; i++)
		free(sql[i]);
	return rc < 0 ? -1 : 0;
}

static int save_fit(struct dw_db *my, const struct dw_predict_fit *f, FILE *out,
		    struct dw_err *err)
{
	char v[3 + K][32];
	const char *params[3 + K];

	_Static_assert(K == 6, "dw_tune_model has b0 to b5");

	snprintf(v[0], sizeof v[0], "%zu", f->n);
	snprintf(v[1], sizeof v[1], "%.17g", f->loo_r2);
	snprintf(v[2], sizeof v[2], "%.17g", f->loo_sd);
	for (int k = 0; k < K; k++)
		snprintf(v[3 + k], sizeof v[0], "%.17g", f->beta[k]);
	for (int i = 0; i < 3 + K; i++)
		params[i] = v[i];
	if (dw_db_exec(my, "INSERT INTO dw_tune_model (fitted_at, statements, loo_r2, loo_sd, b0, "
		       "b1, b2, b3, b4, b5) VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?, ?, ?)", 3 + K,
		       params, err) < 0)
		return -1;
	fprintf(out, "saved: a fit on %zu statements of the history, leave-one-out R-squared "
		"%.2f, in dw_tune_model\n", f->n, f->loo_r2);
	return 0;
}

/* The history since the last index dw-tune kept, whose plans are today's
 * (the times before it ran on other plans), or all of it when that is too
 * little. */
static int train_recent(struct dw_db *my, struct train *t, struct dw_err *err)
{
	char *since = NULL;
	int rc = dw_db_query_value(my, "SELECT MAX(started_at) FROM dw_tune_trial WHERE decision "
				   "IN ('kept', 'reverted')", 0, NULL, &since, err);

	if (rc == 0)
		rc = train_read(my, since ? since : "1970-01-01", t, err);
	if (rc == 0 && since && t->n < TRAIN_MIN) {
		dw_log_verbose(1, "%zu statements since the last index change (%s): all the history "
			       "is fitted", t->n, since);
		free(t->x);
		free(t->y);
		memset(t, 0, sizeof *t);
		rc = train_read(my, "1970-01-01", t, err);
	}
	free(since);
	return rc;
}

static int predict_on(struct dw_db *my, const char *sql, int save, FILE *out,
		      struct dw_err *err)
{
	struct train t = { 0 };
	struct dw_predict_fit f;
	struct dw_explain e = { 0 };
	int rc = train_recent(my, &t, err);

	if (rc == 0 && (t.n < TRAIN_MIN || dw_predict_fit((const double (*)[K])t.x, t.y, t.n,
							  &f) < 0))
		rc = dw_err_set(err, DW_EX_DATAERR, "too few statements of the collected history "
				"to fit (%zu; %d needed): run dw-tune collect while the warehouse "
				"works", t.n, TRAIN_MIN);
	if (rc == 0 && sql && dw_explain_read(my, sql, &e, err) < 0) {
		err->code = DW_EX_DATAERR;
		rc = -1;
	}
	if (rc == 0 && sql) {
		struct dw_explain_model m = { .n = (long)f.n, .r2 = f.loo_r2, .sd = f.loo_sd };
		double lo, hi, ms;

		memcpy(m.beta, f.beta, sizeof m.beta);
		ms = dw_explain_expect_ms(&m, &e, &lo, &hi);
		fprintf(out, "%.3f ms expected (95%%: %.3f to %.3f ms); fitted on %zu statements of "
			"the history, leave-one-out R-squared %.2f\n", ms, lo, hi, f.n, f.loo_r2);
	}
	if (rc == 0)
		dw_log_verbose(1, "costs: %.4g ms a statement, %.4g a row scanned, %.4g a row through "
			       "an index, %.4g a descent, %.4g one after an unknown filter, %.4g a row "
			       "sorted", f.beta[0], f.beta[1], f.beta[2], f.beta[3], f.beta[4],
			       f.beta[5]);
	if (rc == 0 && sql)
		dw_log_verbose(1, "the statement: scanned %.0f, indexed %.0f, descents %.0f and %.0f, "
			       "sorted %.0f", e.scanned, e.indexed, e.descents, e.descents_unsure,
			       e.sorted);
	if (rc == 0 && save)
		rc = save_fit(my, &f, out, err);
	dw_explain_release(&e);
	free(t.x);
	free(t.y);
	return rc;
}

int dw_predict_print(const struct dw_config *cfg, const char *sql, int save, FILE *out,
		     struct dw_err *err)
{
	struct dw_db *my;
	int rc;

	if (!sql && !save)
		return dw_err_set(err, DW_EX_USAGE, "predict wants a SELECT, or --save");
	if (sql && !dw_explain_fits(sql))
		return dw_err_set(err, DW_EX_DATAERR, "only a SELECT reading no user variable can "
				  "be predicted");
	if (!(my = dw_db_my_open(&cfg->warehouse, "warehouse", err)))
		return -1;
	rc = predict_on(my, sql, save, out, err);
	dw_db_close(my);
	return rc;
}
