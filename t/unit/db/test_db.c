/* Unit tests for the server-free part of lib/db/db.c: identifier quoting.
 * Everything that talks to a server is covered by the integration tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "db/db.h"

/* Asserts that dw_db_quote_name(kind, name) is expect. */
static void check_quote(enum dw_db_kind kind, const char *name, const char *expect)
{
	char *q = dw_db_quote_name(kind, name);

	assert_non_null(q);
	assert_string_equal(q, expect);
	free(q);
}

static void test_pg_plain(void **state)
{
	check_quote(DW_DB_PG, "fact_sales", "\"fact_sales\"");
	check_quote(DW_DB_PG, "Order Date", "\"Order Date\"");
}

static void test_pg_doubles_quote(void **state)
{
	check_quote(DW_DB_PG, "a\"b", "\"a\"\"b\"");
	check_quote(DW_DB_PG, "\"", "\"\"\"\"");
	check_quote(DW_DB_PG, "\"\"", "\"\"\"\"\"\"");
	check_quote(DW_DB_PG, "\"x\"", "\"\"\"x\"\"\"");
}

static void test_pg_backtick_untouched(void **state)
{
	check_quote(DW_DB_PG, "a`b", "\"a`b\"");
}

static void test_my_plain(void **state)
{
	check_quote(DW_DB_MY, "fact_sales", "`fact_sales`");
	check_quote(DW_DB_MY, "Order Date", "`Order Date`");
}

static void test_my_doubles_backtick(void **state)
{
	check_quote(DW_DB_MY, "a`b", "`a``b`");
	check_quote(DW_DB_MY, "`", "````");
	check_quote(DW_DB_MY, "``", "``````");
	check_quote(DW_DB_MY, "`x`", "```x```");
}

static void test_my_double_quote_untouched(void **state)
{
	check_quote(DW_DB_MY, "a\"b", "`a\"b`");
}

static void test_empty_name(void **state)
{
	check_quote(DW_DB_PG, "", "\"\"");
	check_quote(DW_DB_MY, "", "``");
}

static void test_utf8_name(void **state)
{
	/* Multi-byte sequences pass through byte for byte. */
	check_quote(DW_DB_PG, "Straße", "\"Straße\"");
	check_quote(DW_DB_MY, "Straße", "`Straße`");
	check_quote(DW_DB_PG, "日付", "\"日付\"");
	check_quote(DW_DB_MY, "日付", "`日付`");
	check_quote(DW_DB_PG, "\xc3\xa9t\xc3\xa9\"", "\"\xc3\xa9t\xc3\xa9\"\"\"");
}

static void test_long_name(void **state)
{
	/* Every character quoted: output is exactly 2 * n + 2 long. */
	size_t n = 1000;
	char *name = malloc(n + 1), *q;

	assert_non_null(name);
	memset(name, '"', n);
	name[n] = '\0';
	q = dw_db_quote_name(DW_DB_PG, name);
	assert_non_null(q);
	assert_int_equal(strlen(q), 2 * n + 2);
	for (size_t i = 0; i < 2 * n + 2; i++)
		assert_int_equal(q[i], '"');
	free(q);
	free(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg_plain),
		cmocka_unit_test(test_pg_doubles_quote),
		cmocka_unit_test(test_pg_backtick_untouched),
		cmocka_unit_test(test_my_plain),
		cmocka_unit_test(test_my_doubles_backtick),
		cmocka_unit_test(test_my_double_quote_untouched),
		cmocka_unit_test(test_empty_name),
		cmocka_unit_test(test_utf8_name),
		cmocka_unit_test(test_long_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
