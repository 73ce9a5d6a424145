/* Unit tests for lib/etl/width.c: the warehouse widths of the input files'
 * text fields, in characters (t/009 checks them against the warehouse). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "etl/width.h"

static void test_fields(void **state)
{
	(void)state;
	assert_int_equal(dw_width_field("Order ID"), 32);
	assert_int_equal(dw_width_field("Customer Name"), 200);
	assert_int_equal(dw_width_field("Product Name"), 500);
	assert_int_equal(dw_width_field("Postal Code"), 16);
	assert_int_equal(dw_width_field("Sub-Category"), 50);
	/* not bounded as text: numbers, dates, lists */
	assert_int_equal(dw_width_field("Sales"), 0);
	assert_int_equal(dw_width_field("Order Date"), 0);
	assert_int_equal(dw_width_field("Ship Mode"), 0);
	assert_int_equal(dw_width_field("order id"), 0);
}

static void test_chars(void **state)
{
	(void)state;
	assert_int_equal(dw_width_chars(""), 0);
	assert_int_equal(dw_width_chars("abc"), 3);
	/* é (2 bytes), an emoji (4), e and a combining acute (1 + 2) */
	assert_int_equal(dw_width_chars("\xc3\xa9"), 1);
	assert_int_equal(dw_width_chars("\xf0\x9f\x98\x80!"), 2);
	assert_int_equal(dw_width_chars("e\xcc\x81"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_chars),
	};

	return cmocka_run_group_tests_name("etl_width", tests, NULL, NULL);
}
