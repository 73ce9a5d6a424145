/* Unit tests for lib/date.c: format names, parsing of the D/M/Y styles
 * found in CSV exports, format detection, the civil-day arithmetic, and
 * times given on a command line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"

/* ---- helpers ---- */

/* Asserts that s parses under fmt to y-m-d. */
#define assert_date(s, fmt, ey, em, ed)                                          \
	do {                                                                     \
		int y_ = -1, m_ = -1, d_ = -1;                                   \
		assert_int_equal(dw_date_parse((s), (fmt), &y_, &m_, &d_), 0);   \
		assert_int_equal(y_, (ey));                                      \
		assert_int_equal(m_, (em));                                      \
		assert_int_equal(d_, (ed));                                      \
	} while (0)

/* Asserts that s does not parse under fmt. */
#define assert_no_date(s, fmt)                                                   \
	do {                                                                     \
		int y_, m_, d_;                                                  \
		assert_int_equal(dw_date_parse((s), (fmt), &y_, &m_, &d_), -1);  \
	} while (0)

/* ---- format names ---- */

static void test_fmt_parse(void **state)
{
	assert_int_equal(dw_date_fmt_parse("auto"), DW_DATE_ANY);
	assert_int_equal(dw_date_fmt_parse("mdy"), DW_DATE_MDY);
	assert_int_equal(dw_date_fmt_parse("dmy"), DW_DATE_DMY);
	assert_int_equal(dw_date_fmt_parse("ymd"), DW_DATE_YMD);
	assert_int_equal(dw_date_fmt_parse("iso"), DW_DATE_YMD);
	assert_int_equal(dw_date_fmt_parse(""), 0);
	assert_int_equal(dw_date_fmt_parse("MDY"), 0);
	assert_int_equal(dw_date_fmt_parse("mdy "), 0);
	assert_int_equal(dw_date_fmt_parse("ydm"), 0);
}

static void test_fmt_name(void **state)
{
	assert_string_equal(dw_date_fmt_name(DW_DATE_MDY), "mdy");
	assert_string_equal(dw_date_fmt_name(DW_DATE_DMY), "dmy");
	assert_string_equal(dw_date_fmt_name(DW_DATE_YMD), "ymd");
	assert_string_equal(dw_date_fmt_name(DW_DATE_ANY), "auto");
	assert_string_equal(dw_date_fmt_name(0), "?");
	assert_string_equal(dw_date_fmt_name(DW_DATE_MDY | DW_DATE_DMY), "?");
}

static void test_fmt_name_round_trip(void **state)
{
	static const int fmts[] = { DW_DATE_MDY, DW_DATE_DMY, DW_DATE_YMD, DW_DATE_ANY };

	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
		assert_int_equal(dw_date_fmt_parse(dw_date_fmt_name(fmts[i])), fmts[i]);
}

/* ---- dw_date_parse ---- */

static void test_parse_mdy(void **state)
{
	assert_date("1/7/2011", DW_DATE_MDY, 2011, 1, 7);
	assert_date("01/07/2011", DW_DATE_MDY, 2011, 1, 7);
	assert_date("12/31/2014", DW_DATE_MDY, 2014, 12, 31);
	assert_date("01-07-2011", DW_DATE_MDY, 2011, 1, 7);
	assert_date("1.7.2011", DW_DATE_MDY, 2011, 1, 7);
	assert_date("1/7/2011 10:00:00", DW_DATE_MDY, 2011, 1, 7);
	assert_date("1/7/2011T10:00", DW_DATE_MDY, 2011, 1, 7);
	assert_no_date("31/12/2014", DW_DATE_MDY);
	assert_no_date("1/7/11", DW_DATE_MDY);      /* two-digit year */
	assert_no_date("001/7/2011", DW_DATE_MDY);  /* three-digit month */
	assert_no_date("2011-01-07", DW_DATE_MDY);
}

static void test_parse_dmy(void **state)
{
	assert_date("31-07-2012", DW_DATE_DMY, 2012, 7, 31);
	assert_date("07.01.2011", DW_DATE_DMY, 2011, 1, 7);
	assert_date("7/1/2011", DW_DATE_DMY, 2011, 1, 7);
	assert_date("31/12/2014 23:59", DW_DATE_DMY, 2014, 12, 31);
	assert_no_date("12/31/2014", DW_DATE_DMY);
	assert_no_date("31-06-2012", DW_DATE_DMY);  /* June has 30 days */
	assert_no_date("2011-01-07", DW_DATE_DMY);
}

static void test_parse_ymd(void **state)
{
	assert_date("2011-01-07", DW_DATE_YMD, 2011, 1, 7);
	assert_date("2011-1-7", DW_DATE_YMD, 2011, 1, 7);
	assert_date("2011/01/07", DW_DATE_YMD, 2011, 1, 7);
	assert_date("2011.01.07", DW_DATE_YMD, 2011, 1, 7);
	assert_date("2011-01-07 00:00:00", DW_DATE_YMD, 2011, 1, 7);
	assert_date("2011-01-07T10:00", DW_DATE_YMD, 2011, 1, 7);
	assert_date("2012-02-29", DW_DATE_YMD, 2012, 2, 29);
	assert_no_date("2011-13-01", DW_DATE_YMD);
	assert_no_date("2011-00-01", DW_DATE_YMD);
	assert_no_date("2011-01-00", DW_DATE_YMD);
	assert_no_date("2011-01-32", DW_DATE_YMD);
	assert_no_date("2011-001-07", DW_DATE_YMD);
	assert_no_date("11-01-07", DW_DATE_YMD);    /* two-digit year */
	assert_no_date("1/7/2011", DW_DATE_YMD);
}

static void test_parse_mixed_separators(void **state)
{
	assert_no_date("1/7-2011", DW_DATE_MDY);
	assert_no_date("1/7-2011", DW_DATE_DMY);
	assert_no_date("1.7/2011", DW_DATE_MDY);
	assert_no_date("2011-01/07", DW_DATE_YMD);
	assert_no_date("2011.01-07", DW_DATE_YMD);
}

static void test_parse_calendar(void **state)
{
	assert_no_date("2/30/2012", DW_DATE_MDY);
	assert_no_date("2/29/2013", DW_DATE_MDY);
	assert_date("2/29/2012", DW_DATE_MDY, 2012, 2, 29);
	assert_date("2/29/2000", DW_DATE_MDY, 2000, 2, 29);
	assert_no_date("2/29/1900", DW_DATE_MDY);
	assert_no_date("4/31/2012", DW_DATE_MDY);
	assert_date("4/30/2012", DW_DATE_MDY, 2012, 4, 30);
	assert_no_date("0/1/2011", DW_DATE_MDY);
	assert_no_date("1/0/2011", DW_DATE_MDY);
}

static void test_parse_month_13(void **state)
{
	assert_no_date("13/1/2011", DW_DATE_MDY);
	assert_date("13/1/2011", DW_DATE_DMY, 2011, 1, 13);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		" ",
		"abc",
		"a/b/cccc",
		"1/7/2011x",
		"1/7/2011x ",
		"1/7/2011Z",
		"1/7/20111",     /* 5-digit year */
		"1/7/",
		"1/7",
		"1//2011",
		"/1/7/2011",
		"1/7/2011/",
		"-1/7/2011",
		"1/7/2011-",
		"+1/7/2011",
		"1 /7/2011",
		"1/7/2011\n",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int y, m, d;

		for (int f = DW_DATE_MDY; f <= DW_DATE_YMD; f <<= 1)
			if (dw_date_parse(bad[i], f, &y, &m, &d) != -1)
				fail_msg("\"%s\" parsed as %s", bad[i], dw_date_fmt_name(f));
	}
	assert_no_date("20111-01-07", DW_DATE_YMD);    /* 5-digit year */
	assert_no_date("2011-01-07x", DW_DATE_YMD);
	assert_no_date("2011-01-07:00", DW_DATE_YMD);
}

static void test_parse_bad_fmt(void **state)
{
	/* Only a single format is accepted, never a mask. */
	assert_no_date("2011-01-07", 0);
	assert_no_date("2011-01-07", DW_DATE_ANY);
	assert_no_date("1/7/2011", DW_DATE_MDY | DW_DATE_DMY);
}

static void test_parse_leading_spaces(void **state)
{
	assert_date("  1/7/2011", DW_DATE_MDY, 2011, 1, 7);
	assert_date(" 2011-01-07 ", DW_DATE_YMD, 2011, 1, 7);
}

/* ---- dw_date_formats_of ---- */

static void test_formats_of(void **state)
{
	assert_int_equal(dw_date_formats_of("1/7/2011", DW_DATE_ANY), DW_DATE_MDY | DW_DATE_DMY);
	assert_int_equal(dw_date_formats_of("31/1/2011", DW_DATE_ANY), DW_DATE_DMY);
	assert_int_equal(dw_date_formats_of("1/31/2011", DW_DATE_ANY), DW_DATE_MDY);
	assert_int_equal(dw_date_formats_of("2011-01-07", DW_DATE_ANY), DW_DATE_YMD);
	assert_int_equal(dw_date_formats_of("2011-01-07 00:00:00", DW_DATE_ANY), DW_DATE_YMD);
	assert_int_equal(dw_date_formats_of("7/7/2011", DW_DATE_ANY), DW_DATE_MDY | DW_DATE_DMY);
	assert_int_equal(dw_date_formats_of("31/31/2011", DW_DATE_ANY), 0);
	assert_int_equal(dw_date_formats_of("x", DW_DATE_ANY), 0);
	assert_int_equal(dw_date_formats_of("", DW_DATE_ANY), 0);
}

static void test_formats_of_mask(void **state)
{
	assert_int_equal(dw_date_formats_of("1/7/2011", DW_DATE_MDY), DW_DATE_MDY);
	assert_int_equal(dw_date_formats_of("1/7/2011", DW_DATE_DMY), DW_DATE_DMY);
	assert_int_equal(dw_date_formats_of("1/7/2011", DW_DATE_YMD), 0);
	assert_int_equal(dw_date_formats_of("1/7/2011", 0), 0);
	assert_int_equal(dw_date_formats_of("31/1/2011", DW_DATE_MDY), 0);
	assert_int_equal(dw_date_formats_of("2011-01-07", DW_DATE_MDY | DW_DATE_DMY), 0);
}

/* ---- dw_date_separator ---- */

static void test_separator(void **state)
{
	assert_int_equal(dw_date_separator("1/7/2011"), '/');
	assert_int_equal(dw_date_separator("31-07-2012"), '-');
	assert_int_equal(dw_date_separator("07.01.2011"), '.');
	/* Any three-part date has a separator, ISO ones included. */
	assert_int_equal(dw_date_separator("2011-01-07"), '-');
	assert_int_equal(dw_date_separator("1/7/2011 10:00"), '/');
	assert_int_equal(dw_date_separator("1/7-2011"), 0);
	assert_int_equal(dw_date_separator("20110107"), 0);
	assert_int_equal(dw_date_separator("abc"), 0);
	assert_int_equal(dw_date_separator(""), 0);
}

/* ---- dw_date_valid ---- */

static void test_valid(void **state)
{
	assert_true(dw_date_valid(2011, 1, 31));
	assert_false(dw_date_valid(2011, 1, 32));
	assert_false(dw_date_valid(2011, 0, 1));
	assert_false(dw_date_valid(2011, 13, 1));
	assert_false(dw_date_valid(2011, 1, 0));
	assert_false(dw_date_valid(2011, 1, -1));
	assert_true(dw_date_valid(2011, 4, 30));
	assert_false(dw_date_valid(2011, 4, 31));
	assert_true(dw_date_valid(2011, 12, 31));
	assert_false(dw_date_valid(2011, 12, 32));
	assert_false(dw_date_valid(999, 1, 1));
	assert_true(dw_date_valid(1000, 1, 1));
	assert_true(dw_date_valid(9999, 12, 31));
	assert_false(dw_date_valid(10000, 1, 1));
}

static void test_valid_leap(void **state)
{
	assert_false(dw_date_valid(1900, 2, 29));   /* divisible by 100 */
	assert_true(dw_date_valid(2000, 2, 29));    /* divisible by 400 */
	assert_false(dw_date_valid(2100, 2, 29));
	assert_true(dw_date_valid(2400, 2, 29));
	assert_true(dw_date_valid(2012, 2, 29));
	assert_true(dw_date_valid(2016, 2, 29));
	assert_false(dw_date_valid(2013, 2, 29));
	assert_true(dw_date_valid(2013, 2, 28));
	assert_false(dw_date_valid(2012, 2, 30));
	assert_false(dw_date_valid(2000, 2, 30));
}

/* ---- civil days ---- */

static void test_days_from_civil_known(void **state)
{
	assert_int_equal(dw_date_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(dw_date_days_from_civil(1970, 1, 2), 1);
	assert_int_equal(dw_date_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(dw_date_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(dw_date_days_from_civil(2000, 2, 29), 11016);
	assert_int_equal(dw_date_days_from_civil(2011, 1, 1), 14975);
	assert_int_equal(dw_date_days_from_civil(1900, 1, 1), -25567);
	assert_int_equal(dw_date_days_from_civil(2100, 12, 31), 47846);
	assert_int_equal(dw_date_days_from_civil(2026, 11, 21), 20778);
}

static void test_civil_from_days_known(void **state)
{
	int y, m, d;

	dw_date_civil_from_days(0, &y, &m, &d);
	assert_int_equal(y, 1970), assert_int_equal(m, 1), assert_int_equal(d, 1);
	dw_date_civil_from_days(-1, &y, &m, &d);
	assert_int_equal(y, 1969), assert_int_equal(m, 12), assert_int_equal(d, 31);
	dw_date_civil_from_days(11016, &y, &m, &d);
	assert_int_equal(y, 2000), assert_int_equal(m, 2), assert_int_equal(d, 29);
	dw_date_civil_from_days(-25567, &y, &m, &d);
	assert_int_equal(y, 1900), assert_int_equal(m, 1), assert_int_equal(d, 1);
}

/* Every valid day 1900-01-01 .. 2100-12-31: consecutive day numbers, the
 * inverse maps back, and timegm (an independent implementation) agrees. */
static void test_civil_round_trip(void **state)
{
	long expect = dw_date_days_from_civil(1900, 1, 1);
	long n = 0;

	for (int y = 1900; y <= 2100; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++) {
				struct tm tm = { 0 };
				int y2, m2, d2;
				long days;

				if (!dw_date_valid(y, m, d))
					continue;
				days = dw_date_days_from_civil(y, m, d);
				if (days != expect)
					fail_msg("%04d-%02d-%02d: %ld, expected %ld", y, m, d,
						 days, expect);
				dw_date_civil_from_days(days, &y2, &m2, &d2);
				if (y2 != y || m2 != m || d2 != d)
					fail_msg("%ld -> %04d-%02d-%02d, expected %04d-%02d-%02d",
						 days, y2, m2, d2, y, m, d);
				tm.tm_year = y - 1900;
				tm.tm_mon = m - 1;
				tm.tm_mday = d;
				assert_int_equal((long)(timegm(&tm) / 86400), days);
				assert_int_equal(dw_date_weekday(days), tm.tm_wday ? tm.tm_wday : 7);
				expect++;
				n++;
			}
	assert_int_equal(expect, dw_date_days_from_civil(2101, 1, 1));
	/* 201 years, 49 of them leap: 1904..2096 step 4 (2000 included; 1900, 2100 not). */
	assert_int_equal(n, 201L * 365 + 49);
}

/* ---- dw_date_weekday ---- */

static void test_weekday(void **state)
{
	assert_int_equal(dw_date_weekday(dw_date_days_from_civil(2011, 1, 1)), 6);    /* Saturday */
	assert_int_equal(dw_date_weekday(dw_date_days_from_civil(1970, 1, 1)), 4);    /* Thursday */
	assert_int_equal(dw_date_weekday(dw_date_days_from_civil(2026, 11, 21)), 6);  /* Saturday */
	assert_int_equal(dw_date_weekday(dw_date_days_from_civil(2026, 11, 22)), 7);  /* Sunday */
	assert_int_equal(dw_date_weekday(dw_date_days_from_civil(2026, 11, 23)), 1);  /* Monday */
	assert_int_equal(dw_date_weekday(dw_date_days_from_civil(1969, 12, 31)), 3);  /* Wednesday */
	assert_int_equal(dw_date_weekday(dw_date_days_from_civil(1900, 1, 1)), 1);    /* Monday */
	assert_int_equal(dw_date_weekday(dw_date_days_from_civil(2000, 3, 1)), 3);    /* Wednesday */
}

static void test_weekday_negative(void **state)
{
	/* Days before the epoch cycle through 1..7 just like after it. */
	for (long days = -30; days < 30; days++) {
		int w = dw_date_weekday(days);

		assert_in_range(w, 1, 7);
		assert_int_equal(dw_date_weekday(days + 1), w % 7 + 1);
		assert_int_equal(dw_date_weekday(days + 7), w);
	}
}

/* ---- dw_date_time_arg ---- */

static void test_time_arg(void **state)
{
	static const char *const bad[] = { "", "2026", "yesterday", "2026-12-01T10:00:00",
					   "2026-12-01 10:00", "12/01/2026" };
	struct dw_err err;
	char out[32], want[32];
	time_t t;
	struct tm tm;

	(void)state;
	assert_int_equal(dw_date_time_arg("2026-12-01", out, &err), 0);
	assert_string_equal(out, "2026-12-01 00:00:00");
	assert_int_equal(dw_date_time_arg("2026-12-01 10:04:05", out, &err), 0);
	assert_string_equal(out, "2026-12-01 10:04:05");
	/* A duration back from now, UTC: compared to the minute, as the
	 * clock may turn between the two. */
	t = time(NULL) - 2 * 86400;
	gmtime_r(&t, &tm);
	strftime(want, sizeof want, "%Y-%m-%d %H:%M", &tm);
	assert_int_equal(dw_date_time_arg("2d", out, &err), 0);
	assert_int_equal(strncmp(out, want, 16), 0);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(dw_date_time_arg(bad[i], out, &err), -1);
		assert_int_equal(err.code, DW_EX_USAGE);
	}
}

static void test_iso(void **state)
{
	char out[11];

	(void)state;
	dw_date_iso(2012, 5, 4, out);
	assert_string_equal(out, "2012-05-04");
	dw_date_iso(1000, 12, 31, out);
	assert_string_equal(out, "1000-12-31");
	dw_date_iso(9999, 1, 10, out);
	assert_string_equal(out, "9999-01-10");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_parse),
		cmocka_unit_test(test_fmt_name),
		cmocka_unit_test(test_fmt_name_round_trip),
		cmocka_unit_test(test_parse_mdy),
		cmocka_unit_test(test_parse_dmy),
		cmocka_unit_test(test_parse_ymd),
		cmocka_unit_test(test_parse_mixed_separators),
		cmocka_unit_test(test_parse_calendar),
		cmocka_unit_test(test_parse_month_13),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_bad_fmt),
		cmocka_unit_test(test_parse_leading_spaces),
		cmocka_unit_test(test_formats_of),
		cmocka_unit_test(test_formats_of_mask),
		cmocka_unit_test(test_separator),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_valid_leap),
		cmocka_unit_test(test_days_from_civil_known),
		cmocka_unit_test(test_civil_from_days_known),
		cmocka_unit_test(test_civil_round_trip),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_weekday_negative),
		cmocka_unit_test(test_time_arg),
		cmocka_unit_test(test_iso),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
