/* Unit tests for the regression of lib/tune/predict.c: the costs
 * recovered from a known law of times spread over five orders of
 * magnitude, the leave-one-out R-squared (of log time) near one for a
 * tight law and near zero or below for noise, a feature that never varies
 * kept solvable by the ridge, too few points and a time of zero refused,
 * the floor of an expectation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "tune/predict.h"

#define N 60

/* A fixed-seed uniform in [0, 1). */
static double uni(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0;
}

/* The law: 0.05 ms a statement, 1e-4 ms a row scanned, 5e-4 a row read
 * through an index, 0.01 a descent, 0.002 one after an unknown filter,
 * 2e-4 a row sorted; noise a relative error of up to +-noise/2. Rows from
 * none to a million, at random. */
static const double law[DW_PREDICT_FEATURES] = { 0.05, 1e-4, 5e-4, 0.01, 0.002, 2e-4 };

static void points(double x[N][DW_PREDICT_FEATURES], double *y, double noise, int sorts_vary)
{
	uint64_t s = 7;

	for (int i = 0; i < N; i++) {
		x[i][0] = 1;
		x[i][1] = i % 3 ? floor(pow(10, 6 * uni(&s))) : 0;
		x[i][2] = i % 2 ? floor(pow(10, 5 * uni(&s))) : 0;
		x[i][3] = floor(pow(10, 3 * uni(&s)));
		x[i][4] = i % 5 ? 0 : floor(pow(10, 4 * uni(&s)));
		x[i][5] = sorts_vary && i % 4 == 0 ? x[i][1] + x[i][2] : 0;
		y[i] = 0;
		for (int k = 0; k < DW_PREDICT_FEATURES; k++)
			y[i] += law[k] * x[i][k];
		y[i] *= 1 + noise * (uni(&s) - 0.5);
	}
}

static void test_recovers_law(void **state)
{
	double x[N][DW_PREDICT_FEATURES], y[N];
	struct dw_predict_fit f;

	(void)state;
	points(x, y, 0.01, 1);
	assert_int_equal(dw_predict_fit((const double (*)[DW_PREDICT_FEATURES])x, y, N, &f), 0);
	for (int k = 0; k < DW_PREDICT_FEATURES; k++)
		assert_float_equal(f.beta[k], law[k], 0.02 * law[k]);
	assert_int_equal(f.n, N);
	assert_true(f.loo_r2 > 0.999);
	assert_true(f.loo_sd < 0.01);
	/* 0.05 + 100 + 50 + 0.1 + 0 + 0 */
	assert_float_equal(dw_predict_value(&f, (double[]){ 1, 1e6, 1e5, 10, 0, 0 }), 150.15, 1.5);
}

static void test_noise_has_no_skill(void **state)
{
	double x[N][DW_PREDICT_FEATURES], y[N];
	struct dw_predict_fit f;
	uint64_t s = 99;

	(void)state;
	points(x, y, 0, 1);
	for (int i = 0; i < N; i++)
		y[i] = pow(10, 4 * uni(&s));   /* unrelated to x */
	assert_int_equal(dw_predict_fit((const double (*)[DW_PREDICT_FEATURES])x, y, N, &f), 0);
	assert_true(f.loo_r2 < 0.2);
}

static void test_constant_feature(void **state)
{
	double x[N][DW_PREDICT_FEATURES], y[N];
	struct dw_predict_fit f;

	(void)state;
	points(x, y, 0.01, 0);   /* no statement sorts: x5 always 0 */
	assert_int_equal(dw_predict_fit((const double (*)[DW_PREDICT_FEATURES])x, y, N, &f), 0);
	assert_float_equal(f.beta[1], law[1], 0.02 * law[1]);
	assert_float_equal(f.beta[5], 0, 1e-9);
	assert_true(f.loo_r2 > 0.999);
}

static void test_too_few(void **state)
{
	double x[N][DW_PREDICT_FEATURES], y[N];
	struct dw_predict_fit f;

	(void)state;
	points(x, y, 0.01, 1);
	assert_int_equal(dw_predict_fit((const double (*)[DW_PREDICT_FEATURES])x, y,
					DW_PREDICT_FEATURES + 1, &f), -1);
	assert_int_equal(dw_predict_fit((const double (*)[DW_PREDICT_FEATURES])x, y,
					DW_PREDICT_FEATURES + 2, &f), 0);
	y[3] = 0;   /* no time: no relative error */
	assert_int_equal(dw_predict_fit((const double (*)[DW_PREDICT_FEATURES])x, y, N, &f), -1);
}

/* A law whose costs make a statement's sum negative still expects a time. */
static void test_floor(void **state)
{
	struct dw_predict_fit f = { .beta = { -5, 0, 0, 0, 0, 0 } };

	(void)state;
	assert_float_equal(dw_predict_value(&f, (double[]){ 1, 0, 0, 0, 0, 0 }), DW_EXPLAIN_FLOOR_MS,
			   1e-12);
}

/* Data that a negative cost of descents would fit best get none: that
 * cost is 0 and the others are refitted without it. */
static void test_no_negative_cost(void **state)
{
	double x[N][DW_PREDICT_FEATURES], y[N];
	struct dw_predict_fit f;

	(void)state;
	points(x, y, 0, 1);
	for (int i = 0; i < N; i++)
		y[i] = 5 + 1e-4 * x[i][1] - 0.004 * x[i][3];   /* at most 1000 descents: > 0 */
	assert_int_equal(dw_predict_fit((const double (*)[DW_PREDICT_FEATURES])x, y, N, &f), 0);
	assert_float_equal(f.beta[3], 0, 1e-12);
	for (int k = 0; k < DW_PREDICT_FEATURES; k++)
		assert_true(f.beta[k] >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recovers_law),
		cmocka_unit_test(test_noise_has_no_skill),
		cmocka_unit_test(test_constant_feature),
		cmocka_unit_test(test_too_few),
		cmocka_unit_test(test_floor),
		cmocka_unit_test(test_no_negative_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
