/* Unit tests for the regression of lib/tune/predict.c: coefficients
 * recovered from a known linear law, the leave-one-out R-squared near one
 * for a tight law and near zero or below for noise, a feature that never
 * varies kept solvable by the ridge, and too few points refused. */
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

static void points(double x[N][DW_PREDICT_FEATURES], double *y, double noise, int sorts_vary)
{
	uint64_t s = 7;

	for (int i = 0; i < N; i++) {
		x[i][0] = 1;
		x[i][1] = 10 * uni(&s);
		x[i][2] = 1 + (double)(i % 4);
		x[i][3] = sorts_vary ? (i % 3 == 0) : 0;
		y[i] = -2 + 0.8 * x[i][1] + 0.3 * x[i][2] + 1.1 * x[i][3] + noise * (uni(&s) - 0.5);
	}
}

static void test_recovers_law(void **state)
{
	double x[N][DW_PREDICT_FEATURES], y[N];
	struct dw_predict_fit f;

	(void)state;
	points(x, y, 0.01, 1);
	assert_int_equal(dw_predict_fit((const double (*)[DW_PREDICT_FEATURES])x, y, N, &f), 0);
	assert_float_equal(f.beta[0], -2, 0.02);
	assert_float_equal(f.beta[1], 0.8, 0.01);
	assert_float_equal(f.beta[2], 0.3, 0.01);
	assert_float_equal(f.beta[3], 1.1, 0.01);
	assert_int_equal(f.n, N);
	assert_true(f.loo_r2 > 0.999);
	assert_true(f.loo_sd < 0.01);
	assert_float_equal(dw_predict_value(&f, (double[]){ 1, 5, 2, 1 }), -2 + 4 + 0.6 + 1.1, 0.02);
}

static void test_noise_has_no_skill(void **state)
{
	double x[N][DW_PREDICT_FEATURES], y[N];
	struct dw_predict_fit f;
	uint64_t s = 99;

	(void)state;
	points(x, y, 0, 1);
	for (int i = 0; i < N; i++)
		y[i] = uni(&s);   /* unrelated to x */
	assert_int_equal(dw_predict_fit((const double (*)[DW_PREDICT_FEATURES])x, y, N, &f), 0);
	assert_true(f.loo_r2 < 0.2);
}

static void test_constant_feature(void **state)
{
	double x[N][DW_PREDICT_FEATURES], y[N];
	struct dw_predict_fit f;

	(void)state;
	points(x, y, 0.01, 0);   /* no statement sorts: x3 always 0 */
	assert_int_equal(dw_predict_fit((const double (*)[DW_PREDICT_FEATURES])x, y, N, &f), 0);
	assert_float_equal(f.beta[1], 0.8, 0.01);
	assert_float_equal(f.beta[3], 0, 1e-6);
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recovers_law),
		cmocka_unit_test(test_noise_has_no_skill),
		cmocka_unit_test(test_constant_feature),
		cmocka_unit_test(test_too_few),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
