/* Unit tests for lib/ask/validate.c: adversarial queries that must be
 * refused with a message naming the offending token, and everyday warehouse
 * queries that must pass, in both dialects. Each case is its own named
 * cmocka test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask/schema.h"
#include "ask/validate.h"
#include "err.h"
#include "validate_cases.h"

/* ---- the warehouse schema --------------------------------------------------- */

static struct dw_schema schema;

static const char *const tables[] = {
	"dim_date date_key full_date year quarter month month_name week day_of_month "
	"day_of_week day_name is_weekend fiscal_year fiscal_quarter",
	"dim_customer customer_key customer_id customer_name segment updated_at",
	"dim_product product_key product_id product_name subcategory category updated_at",
	"dim_location location_key market region country state city postal_code",
	"fact_sales sales_key order_id product_id row_id order_date_key ship_date_key "
	"customer_key product_key location_key ship_mode order_priority quantity sales "
	"discount profit shipping_cost returned",
	"fact_return return_key order_id order_date_key customer_key location_key region",
	/* a control table the schema happens to hold: never readable */
	"dw_audit_event event_id question",
};

/* Each line is "table column...". */
static int build_schema(void **state)
{
	dw_schema_init(&schema, "dw");
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char line[512], *save = NULL;

		snprintf(line, sizeof line, "%s", tables[i]);
		if (dw_schema_add_table(&schema, strtok_r(line, " ", &save)) < 0)
			return -1;
		for (char *col = strtok_r(NULL, " ", &save); col; col = strtok_r(NULL, " ", &save))
			if (dw_schema_add_column(&schema, col, "int") < 0)
				return -1;
	}
	return 0;
}

static int free_schema(void **state)
{
	dw_schema_release(&schema);
	return 0;
}

static void test_rejected(void **state)
{
	const struct bad *c = *state;
	struct dw_err err;

	dw_err_clear(&err);
	assert_int_equal(dw_validate_sql(c->sql, c->dialect, &schema, &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	if (!strstr(err.msg, c->msg))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, c->msg);
	if (c->hint && !strstr(err.hint, c->hint))
		fail_msg("hint \"%s\" lacks \"%s\"", err.hint, c->hint);
}

static void test_accepted(void **state)
{
	const struct good *c = *state;
	struct dw_err err;

	dw_err_clear(&err);
	if (dw_validate_sql(c->sql, c->dialect, &schema, &err) != 0)
		fail_msg("refused: %s (hint: %s)", err.msg, err.hint);
	assert_int_equal(err.code, 0);
}

/* ---- special inputs ------------------------------------------------------------ */

static void test_too_long(void **state)
{
	size_t len = DW_ASK_SQL_MAX + 1;
	char *sql = malloc(len + 1);
	struct dw_err err;

	assert_non_null(sql);
	memset(sql, ' ', len);
	memcpy(sql, "SELECT 1", 8);
	sql[len] = '\0';
	assert_int_equal(dw_validate_sql(sql, DW_DB_MY, &schema, &err), -1);
	assert_string_equal(err.msg, "query is longer than 65536 bytes");
	/* exactly the limit is fine */
	sql[len - 1] = '\0';
	assert_int_equal(dw_validate_sql(sql, DW_DB_MY, &schema, &err), 0);
	free(sql);
}

/* The C string ends at a NUL: what follows is neither checked nor sent. */
static void test_nul_ends_query(void **state)
{
	struct dw_err err;

	assert_int_equal(dw_validate_sql("SELECT 1\0; DROP TABLE x", DW_DB_MY, &schema, &err), 0);
}

/* Unknown columns get no hint when nothing is close. */
static void test_no_hint_when_nothing_close(void **state)
{
	struct dw_err err;

	assert_int_equal(dw_validate_sql("SELECT zzzzzzzz FROM fact_sales", DW_DB_MY, &schema, &err),
			 -1);
	assert_string_equal(err.msg, "unknown column 'zzzzzzzz'");
	assert_string_equal(err.hint, "");
}

/* A query near the size limit made of thousands of aliases, each used by
 * the next one, passes. */
static void test_large_query(void **state)
{
	size_t cap = DW_ASK_SQL_MAX, n;
	char *sql = malloc(cap + 1);
	struct dw_err err;

	assert_non_null(sql);
	n = (size_t)snprintf(sql, cap, "SELECT profit AS a0");
	for (int i = 1; n + 64 < cap; i++)
		n += (size_t)snprintf(sql + n, cap - n, ", a%d + 1 AS a%d", i - 1, i);
	snprintf(sql + n, cap - n, " FROM fact_sales");
	assert_true(strlen(sql) > cap - 64);
	if (dw_validate_sql(sql, DW_DB_MY, &schema, &err) != 0)
		fail_msg("refused: %s", err.msg);
	free(sql);
}

/* The tables reported are the model tables the server reads: not WITH
 * queries (even one named like a table), nor derived tables. */
static void test_tables_read(void **state)
{
	const struct dw_schema_table **tables;
	struct dw_err err;
	size_t n;
	char seen[256] = "";

	assert_int_equal(dw_validate_sql_tables(
		"WITH fact_return AS (SELECT 1 AS order_id) SELECT d.year FROM fact_sales f "
		"JOIN dim_date d ON d.date_key = f.order_date_key WHERE f.order_id IN "
		"(SELECT order_id FROM fact_return) AND f.order_id IN (SELECT order_id FROM "
		"(SELECT order_id FROM fact_sales) t)", DW_DB_MY, &schema, &tables, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s ", tables[i]->name);
	assert_string_equal(seen, "fact_sales dim_date ");
	free(tables);
	assert_int_equal(dw_validate_sql_tables("SELECT * FROM secrets", DW_DB_MY, &schema, &tables,
						&n, &err), -1);
	assert_null(tables);
	assert_int_equal(n, 0);
}

int main(void)
{
	size_t nbad = sizeof bad_cases / sizeof bad_cases[0];
	size_t ngood = sizeof good_cases / sizeof good_cases[0];
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_nul_ends_query),
		cmocka_unit_test(test_no_hint_when_nothing_close),
		cmocka_unit_test(test_large_query),
		cmocka_unit_test(test_tables_read),
	};
	size_t nfixed = sizeof fixed / sizeof fixed[0], n = 0;
	struct CMUnitTest *tests = calloc(nbad + ngood + nfixed, sizeof *tests);
	char (*names)[96] = calloc(nbad + ngood, sizeof *names);
	int rc;

	if (!tests || !names)
		return 1;
	for (size_t i = 0; i < nbad; i++, n++) {
		snprintf(names[n], sizeof names[n], "rejects_%s", bad_cases[i].name);
		tests[n] = (struct CMUnitTest){ .name = names[n], .test_func = test_rejected,
						.initial_state = (void *)&bad_cases[i] };
	}
	for (size_t i = 0; i < ngood; i++, n++) {
		snprintf(names[n], sizeof names[n], "accepts_%s", good_cases[i].name);
		tests[n] = (struct CMUnitTest){ .name = names[n], .test_func = test_accepted,
						.initial_state = (void *)&good_cases[i] };
	}
	memcpy(tests + n, fixed, sizeof fixed);
	rc = _cmocka_run_group_tests("ask_validate", tests, n + nfixed, build_schema, free_schema);
	free(tests);
	free(names);
	return rc;
}
