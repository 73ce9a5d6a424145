/* Unit tests for lib/etl/status.c: the verdict of dw-etl status (exit 1 on
 * no run, a failed last run, or lag over --max-lag). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "etl/status.h"

static struct dw_status_health healthy(double lag_s)
{
	struct dw_status_health h = { 3, 0, "", lag_s };

	return h;
}

static void verdict_is(const struct dw_status_health *h, const char *max_lag, int rc, int code,
		       const char *msg)
{
	struct dw_err err;

	dw_err_clear(&err);
	assert_int_equal(dw_status_verdict(h, max_lag, &err), rc);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, msg);
}

static void test_healthy(void **state)
{
	struct dw_status_health h = healthy(4.2);

	verdict_is(&h, NULL, 0, 0, "");
	verdict_is(&h, "5s", 0, 0, "");
	h.max_lag_s = -1;               /* no table synced yet: no lag to judge */
	verdict_is(&h, "1s", 0, 0, "");
}

static void test_lag_over_limit(void **state)
{
	struct dw_status_health h = healthy(4.2);

	verdict_is(&h, "4s", -1, DW_EX_NEGATIVE, "lag 4.2s exceeds --max-lag 4s");
	verdict_is(&h, "4100ms", -1, DW_EX_NEGATIVE, "lag 4.2s exceeds --max-lag 4100ms");
	h.max_lag_s = 61;
	verdict_is(&h, "1m", -1, DW_EX_NEGATIVE, "lag 61.0s exceeds --max-lag 1m");
}

static void test_no_run_and_failed_run(void **state)
{
	struct dw_status_health h = healthy(0);

	h.runs = 0;
	verdict_is(&h, NULL, -1, DW_EX_NEGATIVE, "no dw-etl run has been recorded yet");
	h = healthy(0);
	h.last_failed = 1;
	strcpy(h.last_error, "deadlock found");
	verdict_is(&h, "1h", -1, DW_EX_NEGATIVE, "the last run failed: deadlock found");
}

static void test_bad_duration(void **state)
{
	struct dw_status_health h = healthy(0);

	verdict_is(&h, "soon", -1, DW_EX_USAGE,
		   "--max-lag: expected a duration like 90s or 5m, got 'soon'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_lag_over_limit),
		cmocka_unit_test(test_no_run_and_failed_run),
		cmocka_unit_test(test_bad_duration),
	};

	return cmocka_run_group_tests_name("etl_status", tests, NULL, NULL);
}
