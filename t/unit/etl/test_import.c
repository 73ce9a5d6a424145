/* Unit tests for lib/etl/import.c's pure part: decimal numbers read as
 * PostgreSQL would store them, so that a bad or too large value is a
 * rejected line, not a database error that aborts the import. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "etl/import.h"

/* numeric(14,4) and numeric(6,4), the money and discount columns */
static void expect(const char *in, int int_digits, int rc, const char *want)
{
	char out[32] = "";
	int got = dw_import_decimal(in, int_digits, 4, out, sizeof out);

	if (got != rc)
		fail_msg("'%s': returned %d, want %d (out '%s')", in, got, rc, out);
	if (rc == 0 && strcmp(out, want))
		fail_msg("'%s': '%s', want '%s'", in, out, want);
}

static void test_decimal_forms(void **state)
{
	(void)state;
	expect("0", 10, 0, "0.0000");
	expect("12", 10, 0, "12.0000");
	expect("-288.765", 10, 0, "-288.7650");
	expect("$1,234.50", 10, 0, "1234.5000");
	expect("-$1,234.50", 10, 0, "-1234.5000");
	expect("$-5", 10, 0, "-5.0000");
	expect("+7.25", 10, 0, "7.2500");
	expect(".5", 10, 0, "0.5000");
	expect("0.05", 10, 0, "0.0500");
	expect("007.10", 10, 0, "7.1000");
	expect("1.5E+03", 10, 0, "1500.0000");
	expect("25e-2", 10, 0, "0.2500");
	expect("1e-9", 10, 0, "0.0000");
	expect("-0.00001", 10, 0, "0.0000");
	expect("0.000000000000000000000000000000000000000000000000000000000000000000000123", 10,
	       0, "0.0000");
}

static void test_decimal_not_numbers(void **state)
{
	static const char *const bad[] = {
		"", "-", "$", "0x10", "0X1A", "1e", "1e+", "inf", "-infinity", "nan", "5.",
		"1.2.3", "1.2,3", "12abc", "1 000", "--5", "1e5x", "0x1p3",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect(bad[i], 10, -1, NULL);
}

/* Rounding is half away from zero at 4 decimals, as numeric(p,4) stores. */
static void test_decimal_rounding(void **state)
{
	(void)state;
	expect("2.00005", 10, 0, "2.0001");
	expect("2.00004999", 10, 0, "2.0000");
	expect("-2.00005", 10, 0, "-2.0001");
	expect("9.99995", 10, 0, "10.0000");
	expect("0.99999", 2, 0, "1.0000");
	expect("0.99994", 2, 0, "0.9999");
}

/* What the column cannot hold, after rounding. */
static void test_decimal_range(void **state)
{
	(void)state;
	expect("9999999999.9999", 10, 0, "9999999999.9999");
	expect("-9999999999.9999", 10, 0, "-9999999999.9999");
	expect("9999999999.99995", 10, -2, NULL);
	expect("10000000000", 10, -2, NULL);
	expect("1e10", 10, -2, NULL);
	expect("1e99999999", 10, -2, NULL);
	expect("0.00001e15", 10, -2, NULL);
	expect("0.00001e14", 10, 0, "1000000000.0000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal_forms),
		cmocka_unit_test(test_decimal_not_numbers),
		cmocka_unit_test(test_decimal_rounding),
		cmocka_unit_test(test_decimal_range),
	};

	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
