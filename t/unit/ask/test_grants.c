/* Unit tests for lib/ask/grants.c: which lines of SHOW GRANTS let dw-ask's
 * reader do more than read the model's tables, and the REVOKE named. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "ask/grants.h"

static char what[512], revoke[512];

static int line(const char *l)
{
	what[0] = revoke[0] = '\0';
	return dw_grants_line(l, "dw", 0, what, revoke, sizeof what);
}

static void test_reader_lines(void **state)
{
	(void)state;
	assert_int_equal(line("GRANT USAGE ON *.* TO `dw_ask`@`localhost` IDENTIFIED BY PASSWORD "
			      "'*D821809F681A40A6E379B50D0463EFAE20BDD122'"), 0);
	assert_int_equal(line("GRANT SELECT ON `dw`.`fact_sales` TO `dw_ask`@`localhost`"), 0);
	assert_int_equal(line("GRANT SELECT ON `dw`.`dw_etl_watermark` TO `dw_ask`@`%`"), 0);
	assert_int_equal(line("GRANT SELECT (`a`, `b`) ON `dw`.`dim_customer` TO `r`@`%`"), 0);
	assert_int_equal(line("GRANT `reader` TO `u1`@`%`"), 0);
	assert_int_equal(line("SET DEFAULT ROLE `reader` FOR `u1`@`%`"), 0);
	assert_int_equal(line("GRANT SELECT ON `dw`.`fact_sales` TO `reader`"), 0);
}

static void test_too_much(void **state)
{
	(void)state;
	assert_int_equal(line("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"), 1);
	assert_string_equal(what, "GRANT OPTION ON *.*");
	assert_int_equal(line("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost`"), 1);
	assert_string_equal(what, "ALL PRIVILEGES ON *.*");
	assert_string_equal(revoke, "REVOKE ALL PRIVILEGES ON *.* FROM `root`@`localhost`");
	/* reading everything, or the whole database with its dw_ tables */
	assert_int_equal(line("GRANT SELECT ON *.* TO `u`@`%`"), 1);
	assert_int_equal(line("GRANT SELECT ON `dw`.* TO `u`@`%`"), 1);
	assert_string_equal(revoke, "REVOKE SELECT ON `dw`.* FROM `u`@`%`");
	/* control tables, other databases */
	assert_int_equal(line("GRANT SELECT ON `dw`.`dw_audit_event` TO `u`@`%`"), 1);
	assert_int_equal(line("GRANT SELECT ON `other`.`fact_sales` TO `u`@`%`"), 1);
	assert_int_equal(line("GRANT SELECT ON `mysql`.`user` TO `u`@`%`"), 1);
	/* writing, files, administration, routines, proxies */
	assert_int_equal(line("GRANT SELECT, INSERT ON `dw`.`fact_sales` TO `r1`"), 1);
	assert_string_equal(what, "INSERT ON `dw`.`fact_sales`");
	assert_string_equal(revoke, "REVOKE INSERT ON `dw`.`fact_sales` FROM `r1`");
	assert_int_equal(line("GRANT SELECT, UPDATE (`a`) ON `dw`.`fact_sales` TO `u`@`%`"), 1);
	assert_string_equal(what, "UPDATE (`a`) ON `dw`.`fact_sales`");
	assert_int_equal(line("GRANT FILE ON *.* TO `u`@`%`"), 1);
	assert_int_equal(line("GRANT SUPER, PROCESS ON *.* TO `u`@`%`"), 1);
	assert_int_equal(line("GRANT CREATE TEMPORARY TABLES ON `dw`.* TO `u`@`%`"), 1);
	assert_int_equal(line("GRANT EXECUTE ON FUNCTION `dw`.`f` TO `u`@`%`"), 1);
	assert_int_equal(line("GRANT SELECT ON FUNCTION `dw`.`f` TO `u`@`%`"), 1);
	assert_int_equal(line("GRANT PROXY ON ''@'%' TO `u`@`%`"), 1);
	assert_int_equal(line("GRANT `reader` TO `u1`@`%` WITH ADMIN OPTION"), 1);
	assert_string_equal(revoke, "REVOKE ADMIN OPTION FOR `reader` FROM `u1`@`%`");
}

/* Quoting: names holding the words and marks the parser looks for. */
static void test_quoted_names(void **state)
{
	(void)state;
	assert_int_equal(line("GRANT SELECT (`x ON y`, `a,b`) ON `dw`.`fact_sales` TO `u`@`%`"), 0);
	assert_int_equal(line("GRANT SELECT ON `dw`.`a`` TO b` TO `u`@`%`"), 0);
	assert_int_equal(dw_grants_line("GRANT SELECT ON `d``w`.`t` TO `u`@`%`", "d`w", 0, what,
					revoke, sizeof what), 0);
	assert_int_equal(line("GRANT SELECT ON `dwx`.`t` TO `u`@`%`"), 1);
}

/* A person in a role's schema of dw-user: the schema's views and its own
 * audit events, nothing more, and none of that outside a role's schema. */
static void test_role_schema(void **state)
{
	static const struct { const char *l; int role, want; } cases[] = {
		{ "GRANT SELECT ON `dw_x`.* TO `dw_x`", 1, 0 },
		{ "GRANT INSERT ON `dw_x`.`dw_audit_event` TO `dw_x`", 1, 0 },
		{ "GRANT SELECT ON `dw_x`.* TO `dw_x`", 0, 1 },
		{ "GRANT INSERT ON `dw_x`.`dw_audit_event` TO `dw_x`", 0, 1 },
		{ "GRANT INSERT ON `dw_x`.* TO `dw_x`", 1, 1 },
		{ "GRANT INSERT ON `dw_x`.`fact_sales` TO `dw_x`", 1, 1 },
		{ "GRANT UPDATE ON `dw_x`.`dw_audit_event` TO `dw_x`", 1, 1 },
		{ "GRANT SELECT ON `dw`.* TO `dw_x`", 1, 1 },
		{ "GRANT SELECT ON *.* TO `dw_x`", 1, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (dw_grants_line(cases[i].l, "dw_x", cases[i].role, what, revoke, sizeof what) !=
		    cases[i].want)
			fail_msg("'%s' (role schema %d) is not %d", cases[i].l, cases[i].role,
				 cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_lines),
		cmocka_unit_test(test_too_much),
		cmocka_unit_test(test_quoted_names),
		cmocka_unit_test(test_role_schema),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
