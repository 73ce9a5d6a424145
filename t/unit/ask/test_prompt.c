/* Unit tests for lib/ask/prompt.c: the LLM system prompt (live schema wins
 * over the knowledge file, metrics, rules, examples, dimension values and
 * personal data), the retry message and BM25 example picking. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask/prompt.h"

#define PII_MARK "(personal data: never output raw values unless asked for one customer)"

/* ---- a small knowledge file, built by hand ---- */

static struct dw_kb_column fact_columns[] = {
	{ "order_id", "the order number", 0 },
	{ "sales", "line revenue\n  before returns", 0 },
	{ "customer_key", "", 0 },
};
static struct dw_kb_column customer_columns[] = {
	{ "customer_key", "", 0 },
	{ "customer_name", "full name", 1 },
	{ "segment", "Consumer, Corporate or Home Office", 0 },
	{ "postal_code", "", 0 },
};
static struct dw_kb_column archive_columns[] = {
	{ "legacy_col", "kept for history", 0 },
};
static struct dw_kb_table tables[] = {
	{ "fact_sales", "one row per order line", 3, fact_columns },
	{ "dim_customer", "customers", 4, customer_columns },
	{ "old_archive", "retired table", 1, archive_columns },
};
static struct dw_kb_join joins[] = {
	{ "fact_sales", "customer_key", "dim_customer", "customer_key", "" },
	{ "fact_sales", "geo_key", "dim_geography", "geo_key", "" },
	{ "fact_sales", "order_date_key", "dim_date", "date_key", "order" },
	{ "old_archive", "legacy_col", "fact_sales", "order_id", "" },
};
static char *revenue_words[] = { "revenue", "turnover" };
static struct dw_kb_metric metrics[] = {
	{ "sales", "total revenue", { 2, revenue_words }, "SUM(fact_sales.sales)", "fact_sales",
	  DW_KB_MONEY },
	{ "legacy_total", "old measure", { 0, NULL }, "SUM(old_archive.legacy_col)",
	  "old_archive", DW_KB_NUMBER },
};
static char *region_key[] = { "region", "market" }, *segment_key[] = { "segment" },
	    *customer_key[] = { "customer_key" }, *legacy_key[] = { "legacy_col" };
static struct dw_kb_dimension dimensions[] = {
	{ "region", "sales region", { 0, NULL }, "dim_geography", "region", { 2, region_key },
	  "market", "geography", 1, 1, 0, 0, NULL },
	{ "segment", "", { 0, NULL }, "dim_customer", "segment", { 1, segment_key }, "", "", 0, 1,
	  0, 0, NULL },
	/* Personal data by its own flag... */
	{ "postcode", "", { 0, NULL }, "dim_customer", "postal_code", { 1, customer_key }, "", "",
	  0, 1, 1, 0, NULL },
	/* ...and by its column's flag only. */
	{ "buyer", "", { 0, NULL }, "dim_customer", "customer_name", { 1, customer_key }, "", "", 0,
	  1, 0, 0, NULL },
	{ "legacy", "", { 0, NULL }, "old_archive", "legacy_col", { 1, legacy_key }, "", "", 0, 0,
	  0, 0, NULL },
	/* Values matched on this machine only (names of products, people). */
	{ "kind", "", { 0, NULL }, "dim_customer", "segment", { 1, segment_key }, "", "", 0,
	  DW_KB_VALUES_LOCAL, 0, 0, NULL },
};
static struct dw_kb_grain grains[] = {
	{ "year", { 0, NULL }, "YEAR(dim_date.full_date)", "", "" },
	{ "month", { 0, NULL }, "DATE_FORMAT(dim_date.full_date, '%Y-%m')", "", "" },
};
static char *rules[] = {
	"Returned orders still count as sales.",
	"The fiscal year starts in January.",
};
static struct dw_kb_example examples[] = {
	{ "Total sales by region", "SELECT dim_geography.region, SUM(fact_sales.sales) AS sales\n"
	  "FROM fact_sales JOIN dim_geography USING (geo_key)\nGROUP BY 1\n" },
	{ "How many orders per segment", "SELECT segment, COUNT(*) FROM dim_customer GROUP BY 1" },
	{ "Sales by year", "SELECT YEAR(full_date), SUM(sales) FROM fact_sales GROUP BY 1" },
	{ "Top 5 customers by sales", "SELECT customer_key FROM fact_sales LIMIT 5" },
};

static const struct dw_kb kb = {
	.path = "test.yaml",
	.model = "superstore",
	.description = "Global Superstore\norders",
	.ntables = 3, .tables = tables,
	.njoins = 4, .joins = joins,
	.nmetrics = 2, .metrics = metrics,
	.ndimensions = sizeof dimensions / sizeof dimensions[0], .dimensions = dimensions,
	.time = { "dim_date", "date_key", "full_date", "order", 2, grains },
	.rules = { 2, rules },
	.nexamples = 4, .examples = examples,
};

/* ---- the live schema ---- */

struct fixture {
	struct dw_schema schema;
	struct dw_prompt_input in;
	char *prompt;
};

static void add_table(struct dw_schema *s, const char *table, const char *const *cols)
{
	assert_int_equal(dw_schema_add_table(s, table), 0);
	for (; *cols; cols += 2)
		assert_int_equal(dw_schema_add_column(s, cols[0], cols[1]), 0);
}

static int setup(void **state)
{
	static const char *const fact[] = { "order_id", "varchar(20)", "sales", "decimal(14,4)",
		"customer_key", "int(11)", "geo_key", "int(11)", "order_date_key", "int(11)",
		"live_only_col", "tinyint(1)", NULL };
	static const char *const customer[] = { "customer_key", "int(11)", "customer_name",
		"varchar(100)", "segment", "varchar(20)", "postal_code", "varchar(20)", NULL };
	static const char *const geo[] = { "geo_key", "int(11)", "region", "varchar(40)", NULL };
	static const char *const date[] = { "date_key", "int(11)", "full_date", "date", NULL };
	static const char *const view[] = { "note", "text", NULL };
	struct fixture *fx = calloc(1, sizeof *fx);

	assert_non_null(fx);
	dw_schema_init(&fx->schema, "dw");
	add_table(&fx->schema, "fact_sales", fact);
	add_table(&fx->schema, "dim_customer", customer);
	add_table(&fx->schema, "dim_geography", geo);
	add_table(&fx->schema, "dim_date", date);
	add_table(&fx->schema, "v_live_only", view);
	fx->in = (struct dw_prompt_input){ .kb = &kb, .schema = &fx->schema,
					   .dialect = DW_DB_MY, .row_limit = 1000 };
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	free(fx->prompt);
	dw_schema_release(&fx->schema);
	free(fx);
	return 0;
}

/* Builds the prompt for the fixture's current input (freeing any earlier
 * one) and returns it. */
static const char *build(struct fixture *fx)
{
	free(fx->prompt);
	fx->prompt = dw_prompt_system(&fx->in);
	assert_non_null(fx->prompt);
	return fx->prompt;
}

/* Whether text has line as one whole line. */
static int has_line(const char *text, const char *line)
{
	size_t len = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[len] == '\n')
			return 1;
	return 0;
}

#define assert_line(text, line) \
	do { \
		if (!has_line((text), (line))) \
			fail_msg("missing line \"%s\" in:\n%s", (line), (text)); \
	} while (0)

#define assert_absent(text, s) \
	do { \
		if (strstr((text), (s))) \
			fail_msg("unexpected \"%s\" in:\n%s", (s), (text)); \
	} while (0)

/* ---- task and rules ---- */

static void test_task_names_dialect(void **state)
{
	struct fixture *fx = *state;
	const char *p = build(fx);

	assert_line(p, "You translate questions into ONE read-only SQL SELECT statement for "
		    "MariaDB/MySQL.");
	assert_line(p, "Answer with the SQL in a ```sql fenced block and nothing else.");
	assert_line(p, "The data warehouse \"superstore\": Global Superstore orders");
	assert_absent(p, "PostgreSQL");
	fx->in.dialect = DW_DB_PG;
	p = build(fx);
	assert_line(p, "You translate questions into ONE read-only SQL SELECT statement for "
		    "PostgreSQL.");
	assert_absent(p, "MariaDB");
}

static void test_rules_and_row_limit(void **state)
{
	struct fixture *fx = *state;
	const char *p = build(fx);

	assert_line(p, "- Use only the tables and columns listed below, joined as listed.");
	assert_non_null(strstr(p, "no INSERT, UPDATE, DELETE or DDL, no INTO"));
	assert_non_null(strstr(p, "no variables, no comments"));
	assert_line(p, "- End with LIMIT 1000 unless the result is a single row of aggregates.");
	fx->in.row_limit = 0;
	assert_absent(build(fx), "LIMIT");
}

/* ---- schema ---- */

static void test_every_live_table_and_column(void **state)
{
	struct fixture *fx = *state;
	const char *p = build(fx);

	for (size_t i = 0; i < fx->schema.ntables; i++) {
		const struct dw_schema_table *t = &fx->schema.tables[i];
		char bare[128], described[128];

		snprintf(bare, sizeof bare, "- %s", t->name);
		snprintf(described, sizeof described, "\n- %s: ", t->name);
		assert_true(has_line(p, bare) || strstr(p, described));
		for (size_t j = 0; j < t->ncolumns; j++) {
			char col[128];

			snprintf(col, sizeof col, "\n  - %s %s", t->columns[j].name,
				 t->columns[j].type);
			assert_non_null(strstr(p, col));
		}
	}
	/* Live but unknown to the knowledge file: listed bare. */
	assert_line(p, "- v_live_only");
	assert_line(p, "  - note text");
	assert_line(p, "  - live_only_col tinyint(1)");
}

static void test_descriptions_from_kb(void **state)
{
	struct fixture *fx = *state;
	const char *p = build(fx);

	assert_line(p, "- fact_sales: one row per order line");
	assert_line(p, "  - order_id varchar(20): the order number");
	/* Folded onto one line. */
	assert_line(p, "  - sales decimal(14,4): line revenue before returns");
	assert_line(p, "  - customer_key int(11)");
}

static void test_kb_only_table_omitted(void **state)
{
	struct fixture *fx = *state;
	const char *p = build(fx);

	/* Its columns, joins, metrics and dimensions go with it. */
	assert_absent(p, "old_archive");
	assert_absent(p, "legacy");
	assert_absent(p, "retired table");
}

static void test_pii_columns_marked(void **state)
{
	struct fixture *fx = *state;
	const char *p = build(fx);

	assert_line(p, "  - customer_name varchar(100): full name " PII_MARK);
	assert_line(p, "  - segment varchar(20): Consumer, Corporate or Home Office");
	/* Only that column is marked. */
	assert_null(strstr(strstr(p, PII_MARK) + 1, PII_MARK));
}

/* ---- knowledge ---- */

static void test_joins(void **state)
{
	struct fixture *fx = *state;
	const char *p = build(fx);

	assert_line(p, "Joins:");
	assert_line(p, "- fact_sales.customer_key = dim_customer.customer_key");
	assert_line(p, "- fact_sales.geo_key = dim_geography.geo_key");
	assert_line(p, "- fact_sales.order_date_key = dim_date.date_key (role: order)");
}

static void test_metrics_dimensions_time(void **state)
{
	struct fixture *fx = *state;
	const char *p = build(fx);

	assert_line(p, "- sales: SUM(fact_sales.sales) — total revenue (also: revenue, turnover)");
	assert_line(p, "- region: dim_geography.region — sales region; key: dim_geography.region, "
		    "dim_geography.market; within: market");
	assert_line(p, "- segment: dim_customer.segment; key: dim_customer.segment");
	assert_line(p, "- buyer: dim_customer.customer_name; key: dim_customer.customer_key");
	/* Labels repeat: model SQL is told to group by keys. */
	assert_line(p, "Group by every key column of a dimension and show its label beside "
		    "them: a label alone can name several members (a region name in several "
		    "markets), which would add them together.");
	assert_line(p, "Time: dates are dim_date.full_date, joined from facts on date_key "
		    "(default role: order).");
	assert_line(p, "- year: YEAR(dim_date.full_date)");
	assert_line(p, "- month: DATE_FORMAT(dim_date.full_date, '%Y-%m')");
}

static void test_business_rules(void **state)
{
	struct fixture *fx = *state;
	const char *p = build(fx);

	assert_line(p, "Business rules:");
	assert_line(p, "- Returned orders still count as sales.");
	assert_line(p, "- The fiscal year starts in January.");
}

/* ---- examples ---- */

static void test_exactly_the_chosen_examples_in_order(void **state)
{
	struct fixture *fx = *state;
	const size_t chosen[] = { 2, 0 };
	const char *p, *first, *second;

	fx->in.examples = chosen;
	fx->in.nexamples = 2;
	p = build(fx);
	first = strstr(p, "\nQ: Sales by year\nSQL: SELECT YEAR(full_date), SUM(sales) FROM "
			"fact_sales GROUP BY 1\n");
	second = strstr(p, "\nQ: Total sales by region\nSQL: SELECT dim_geography.region, "
			 "SUM(fact_sales.sales) AS sales\nFROM fact_sales JOIN dim_geography "
			 "USING (geo_key)\nGROUP BY 1\n");
	assert_non_null(first);
	assert_non_null(second);
	assert_true(first < second);
	assert_absent(p, examples[1].question);
	assert_absent(p, examples[3].question);
}

static void test_no_examples_no_section(void **state)
{
	struct fixture *fx = *state;
	const char *p = build(fx);

	assert_absent(p, "Examples:");
	assert_absent(p, "Q: ");
}

/* A person's role is named, with what its masking means for the SQL. */
static void test_role_named(void **state)
{
	struct fixture *fx = *state;

	assert_absent(build(fx), "holds the role");
	fx->in.role = "sales_associate";
	assert_line(build(fx), "The reader holds the role \"sales_associate\": personal data may be "
		    "masked in its views (redacted, initials or pseudonyms); group customers by "
		    "their key column.");
}

/* ---- dimension values ---- */

static void test_values_only_when_given(void **state)
{
	struct fixture *fx = *state;
	const char *const regions[] = { "Central", "O'Higgins", "East" };
	const struct dw_prompt_values v = { "region", 3, regions };
	const char *p = build(fx);

	assert_absent(p, "Known values");
	assert_absent(p, "Central");
	fx->in.values = &v;
	fx->in.nvalues = 1;
	p = build(fx);
	assert_line(p, "Known values:");
	assert_line(p, "- region: 'Central', 'O''Higgins', 'East'");
}

static void test_pii_values_never_appear(void **state)
{
	struct fixture *fx = *state;
	const char *const postcodes[] = { "90210" };
	const char *const buyers[] = { "Bob Jones" };
	const char *const segments[] = { "Consumer" };
	const char *const kinds[] = { "Hon Task Chair" };
	const struct dw_prompt_values v[] = {
		{ "postcode", 1, postcodes },   /* personal data dimension */
		{ "buyer", 1, buyers },     /* over a personal data column */
		{ "segment", 1, segments },
		{ "kind", 1, kinds },       /* values: local */
	};

	fx->in.values = v;
	fx->in.nvalues = 4;
	for (int remote = 0; remote <= 1; remote++) {
		const char *p;

		fx->in.remote = remote;
		p = build(fx);
		assert_absent(p, "90210");
		assert_absent(p, "Bob Jones");
		assert_absent(p, "Hon Task Chair");
		assert_line(p, "- segment: 'Consumer'");
	}
}

static void test_undeclared_dimension_values_only_local(void **state)
{
	struct fixture *fx = *state;
	const char *const notes[] = { "gift wrap" };
	const struct dw_prompt_values v = { "note", 1, notes };

	fx->in.values = &v;
	fx->in.nvalues = 1;
	assert_line(build(fx), "- note: 'gift wrap'");
	fx->in.remote = 1;
	assert_absent(build(fx), "gift wrap");
}

static void test_values_capped(void **state)
{
	struct fixture *fx = *state;
	char buf[60][4];
	const char *vals[60];
	const struct dw_prompt_values v = { "region", 60, vals };
	const char *p;

	for (int i = 0; i < 60; i++) {
		snprintf(buf[i], sizeof buf[i], "r%02d", i);
		vals[i] = buf[i];
	}
	fx->in.values = &v;
	fx->in.nvalues = 1;
	p = build(fx);
	assert_non_null(strstr(p, "'r49' (and 10 more)\n"));
	assert_absent(p, "r50");
	assert_absent(p, "r59");
}

static void test_deterministic(void **state)
{
	struct fixture *fx = *state;
	const size_t chosen[] = { 1, 3 };
	char *again;

	fx->in.examples = chosen;
	fx->in.nexamples = 2;
	build(fx);
	again = dw_prompt_system(&fx->in);
	assert_non_null(again);
	assert_string_equal(again, fx->prompt);
	free(again);
}

/* ---- retry and example picking ---- */

static void test_retry_has_error_and_sql(void **state)
{
	char *m = dw_prompt_retry("SELECT prfit\nFROM fact_sales\n",
				      "unknown column 'prfit'\nhint: did you mean 'profit'?");

	assert_non_null(m);
	assert_line(m, "That query failed: unknown column 'prfit' hint: did you mean 'profit'?");
	assert_non_null(strstr(m, "\n```sql\nSELECT prfit\nFROM fact_sales\n```\n"));
	assert_non_null(strstr(m, "one corrected SQL SELECT"));
	free(m);
}

static void test_pick_examples(void **state)
{
	size_t idx[4];

	assert_int_equal(dw_prompt_pick_examples(&kb, "orders in each segment", 4, idx), 1);
	assert_int_equal(idx[0], 1);
	assert_int_equal(dw_prompt_pick_examples(&kb, "yearly sales, by regions", 4, idx), 3);
	assert_int_equal(idx[0], 0);
	assert_int_equal(dw_prompt_pick_examples(&kb, "yearly sales, by regions", 1, idx), 1);
	assert_int_equal(dw_prompt_pick_examples(&kb, "what is it", 4, idx), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_task_names_dialect),
		T(test_rules_and_row_limit),
		T(test_every_live_table_and_column),
		T(test_descriptions_from_kb),
		T(test_kb_only_table_omitted),
		T(test_pii_columns_marked),
		T(test_joins),
		T(test_metrics_dimensions_time),
		T(test_business_rules),
		T(test_exactly_the_chosen_examples_in_order),
		T(test_no_examples_no_section),
		T(test_role_named),
		T(test_values_only_when_given),
		T(test_pii_values_never_appear),
		T(test_undeclared_dimension_values_only_local),
		T(test_values_capped),
		T(test_deterministic),
		cmocka_unit_test(test_retry_has_error_and_sql),
		cmocka_unit_test(test_pick_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
