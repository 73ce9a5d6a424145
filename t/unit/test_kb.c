/* Unit tests for lib/kb.c: the shipped Superstore knowledge file, the
 * loader's checks (unknown keys with line and hint, undeclared columns,
 * duplicate words, report placeholders and types) and report binding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb.h"
#include "err.h"

/* ---- helpers ------------------------------------------------------------ */

/* A small valid model in three parts, so tests can replace one. Line
 * numbers: TABLES is lines 1-14, METRICS 15-16, the rest follows. */
#define TABLES \
	"model: shop\n" \
	"tables:\n" \
	"  fact:\n" \
	"    columns:\n" \
	"      amount: Amount sold\n" \
	"      day_key: Day\n" \
	"      item_key: Item\n" \
	"  dim_day:\n" \
	"    columns: {day_key: Day key, d: Date}\n" \
	"  dim_item:\n" \
	"    columns: {item_key: Item key, name: {description: Item name, pii: true}}\n" \
	"joins:\n" \
	"  - {left: fact.day_key, right: dim_day.day_key, role: order}\n" \
	"  - {left: fact.item_key, right: dim_item.item_key}\n"
#define METRICS \
	"metrics:\n" \
	"  - {name: amount, synonyms: [revenue], table: fact, sql: SUM(fact.amount), format: money}\n"
#define DIMS_TIME \
	"dimensions:\n" \
	"  - {name: item, synonyms: [items], column: dim_item.name, key: dim_item.item_key, values: true}\n" \
	"time:\n" \
	"  table: dim_day\n" \
	"  key: day_key\n" \
	"  date_column: d\n" \
	"  default_role: order\n" \
	"  grains:\n" \
	"    - {name: year, synonyms: [yearly], sql: YEAR(dim_day.d)}\n"
#define BASE TABLES METRICS DIMS_TIME

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("expected \"%s\" to contain \"%s\"", haystack, needle);
}

static void load_ok(struct dw_kb *kb, const char *yaml)
{
	struct dw_err err;

	dw_err_clear(&err);
	if (dw_kb_load_string(kb, yaml, "t.yaml", &err) != 0)
		fail_msg("load failed: %s (hint: %s)", err.msg, err.hint);
}

/* Loads yaml that must fail with a configuration error; err tells why. */
static void load_fails(const char *yaml, struct dw_err *err)
{
	struct dw_kb kb;

	dw_err_clear(err);
	assert_int_equal(dw_kb_load_string(&kb, yaml, "t.yaml", err), -1);
	assert_int_equal(err->code, DW_EX_CONFIG);
	dw_kb_release(&kb);
}

/* TABLES + metrics + DIMS_TIME + extra, for swapping the metrics part or
 * appending reports. */
static const char *model_with(const char *metrics, const char *extra)
{
	static char buf[8192];

	snprintf(buf, sizeof buf, "%s%s%s%s", TABLES, metrics, DIMS_TIME, extra);
	return buf;
}

/* yaml with the first occurrence of from replaced by to (which must be
 * there). */
static const char *replaced(const char *yaml, const char *from, const char *to)
{
	static char buf[8192];
	const char *at = strstr(yaml, from);

	if (!at)
		fail_msg("'%s' not in the test model", from);
	snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - yaml), yaml, to, at + strlen(from));
	return buf;
}

/* ---- the shipped knowledge file ----------------------------------------- */

static void test_shipped_counts(void **state)
{
	struct dw_kb kb;
	struct dw_err err;

	(void)state;
	dw_err_clear(&err);
	if (dw_kb_load(&kb, "etc/ask/superstore.yaml", &err) != 0)
		fail_msg("%s (hint: %s)", err.msg, err.hint);
	assert_string_equal(kb.path, "etc/ask/superstore.yaml");
	assert_string_equal(kb.model, "superstore");
	assert_true(kb.nmetrics >= 15);
	assert_true(kb.ndimensions >= 12);
	assert_int_equal(kb.time.ngrains, 6);
	assert_true(kb.nexamples >= 40);
	assert_true(kb.nreports >= 5);
	assert_true(kb.rules.n >= 5);
	assert_int_equal(kb.ntables, 6);
	/* Every metric aggregates fact_sales, so any two combine. */
	for (size_t i = 0; i < kb.nmetrics; i++)
		assert_string_equal(kb.metrics[i].table, "fact_sales");
	/* Every report parameter is typed and every report has SQL. */
	for (size_t i = 0; i < kb.nreports; i++) {
		assert_true(strlen(kb.reports[i].sql) > 0);
		for (size_t j = 0; j < kb.reports[i].nparams; j++)
			assert_true(dw_kb_type_name(kb.reports[i].params[j].type)[0] != 'u');
	}
	dw_kb_release(&kb);
}

static void test_shipped_metrics_and_dimensions(void **state)
{
	static const char *const metrics[] = {
		"sales", "profit", "quantity", "orders", "customers", "order_lines",
		"average_order_value", "profit_margin", "average_discount", "shipping_cost",
		"average_shipping_cost", "return_rate", "returned_sales", "returned_orders",
		"products_sold",
	};
	static const char *const dims[] = {
		"category", "subcategory", "product", "customer", "segment", "market", "region",
		"country", "state", "city", "ship_mode", "order_priority",
	};
	const struct dw_kb_dimension *d;
	const struct dw_kb_metric *m;
	struct dw_kb kb;
	struct dw_err err;

	(void)state;
	assert_int_equal(dw_kb_load(&kb, "etc/ask/superstore.yaml", &err), 0);
	for (size_t i = 0; i < sizeof metrics / sizeof *metrics; i++)
		if (!dw_kb_metric(&kb, metrics[i]))
			fail_msg("metric '%s' missing", metrics[i]);
	for (size_t i = 0; i < sizeof dims / sizeof *dims; i++)
		if (!dw_kb_dimension(&kb, dims[i]))
			fail_msg("dimension '%s' missing", dims[i]);
	assert_null(dw_kb_metric(&kb, "revenue"));   /* a synonym, not a name */

	m = dw_kb_metric(&kb, "profit_margin");
	assert_int_equal(m->format, DW_KB_PERCENT);
	assert_contains(m->sql, "NULLIF(SUM(fact_sales.sales), 0)");
	assert_int_equal(dw_kb_metric(&kb, "orders")->format, DW_KB_INTEGER);
	assert_int_equal(dw_kb_metric(&kb, "sales")->format, DW_KB_MONEY);
	assert_string_equal(dw_kb_metric(&kb, "sales")->synonyms.v[0], "revenue");

	/* Geography most general first; levels follow the order. */
	assert_int_equal(dw_kb_dimension(&kb, "market")->level, 0);
	assert_int_equal(dw_kb_dimension(&kb, "city")->level, 4);
	assert_string_equal(dw_kb_dimension(&kb, "city")->hierarchy, "geography");
	assert_int_equal(dw_kb_dimension(&kb, "subcategory")->level, 1);
	d = dw_kb_dimension(&kb, "market");
	assert_true(d < dw_kb_dimension(&kb, "country"));
	assert_int_equal(d->values, 1);
	for (size_t i = 0; i < d->naliases; i++)
		if (!strcmp(d->aliases[i].word, "europe"))
			assert_string_equal(d->aliases[i].value, "EU");

	d = dw_kb_dimension(&kb, "customer");
	assert_int_equal(d->pii, 1);
	assert_int_equal(d->values, DW_KB_VALUES_LOCAL);
	assert_string_equal(d->table, "dim_customer");
	assert_string_equal(d->column, "customer_name");
	assert_int_equal(dw_kb_dimension(&kb, "product")->values, DW_KB_VALUES_LOCAL);
	assert_int_equal(dw_kb_dimension(&kb, "ship_mode")->values, 1);
	assert_string_equal(dw_kb_dimension(&kb, "ship_mode")->table, "fact_sales");
	assert_string_equal(dw_kb_dimension(&kb, "ship_mode")->hierarchy, "");
	dw_kb_release(&kb);
}

/* Every dimension names its key and, within a hierarchy, its parent: a
 * region is a region of one market. */
static void test_shipped_keys(void **state)
{
	static const struct { const char *dim, *key, *parent; } want[] = {
		{ "market", "market", "" },
		{ "region", "region market", "market" },
		{ "country", "country", "region" },
		{ "state", "state country", "country" },
		{ "city", "city state country", "state" },
		{ "category", "category", "" },
		{ "subcategory", "subcategory", "category" },
		{ "product", "product_id", "subcategory" },
		{ "segment", "segment", "" },
		{ "customer", "customer_id", "" },
		{ "ship_mode", "ship_mode", "" },
		{ "order_priority", "order_priority", "" },
	};
	struct dw_kb kb;
	struct dw_err err;

	(void)state;
	assert_int_equal(dw_kb_load(&kb, "etc/ask/superstore.yaml", &err), 0);
	assert_int_equal(kb.ndimensions, sizeof want / sizeof *want);
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const struct dw_kb_dimension *d = dw_kb_dimension(&kb, want[i].dim);
		char got[200] = "";

		assert_non_null(d);
		for (size_t k = 0; k < d->key.n; k++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "",
				 d->key.v[k]);
		assert_string_equal(got, want[i].key);
		assert_string_equal(d->parent, want[i].parent);
	}
	dw_kb_release(&kb);
}

/* The loader refuses a dimension without a key, a key outside the
 * dimension's table and a parent that is not an earlier dimension of the
 * same hierarchy. */
static void test_dimension_keys(void **state)
{
	struct dw_kb kb;
	struct dw_err err;

	(void)state;
	load_fails(replaced(BASE, " key: dim_item.item_key,", ""), &err);
	assert_string_equal(err.msg, "t.yaml:18: dimension 'item': 'key' is missing");
	assert_contains(err.hint, "identify one member");
	load_fails(replaced(BASE, "key: dim_item.item_key", "key: dim_day.day_key"), &err);
	assert_contains(err.msg, "key column 'dim_day.day_key' must be dim_item.<column>");
	load_fails(replaced(BASE, "key: dim_item.item_key", "key: dim_item.sku"), &err);
	assert_contains(err.msg, "unknown column 'dim_item.sku'");
	load_fails(replaced(BASE, "key: dim_item.item_key", "key: []"), &err);
	assert_contains(err.msg, "'key' is empty");
	load_fails(replaced(BASE, "key: dim_item.item_key", "key: dim_item.item_key, parent: shop"),
		   &err);
	assert_contains(err.msg, "dimension 'item': parent 'shop' is no dimension listed before it");
	load_fails(replaced(BASE, "values: true}\n",
			    "values: true}\n"
			    "  - {name: line, column: dim_item.name, key: dim_item.item_key, parent: item}\n"),
		   &err);
	assert_contains(err.msg, "dimension 'line': parent 'item' is not in hierarchy ''");

	load_ok(&kb, replaced(BASE, "key: dim_item.item_key",
			      "key: [dim_item.name, dim_item.item_key]"));
	assert_int_equal(kb.dimensions[0].key.n, 2);
	assert_string_equal(kb.dimensions[0].key.v[0], "name");
	assert_string_equal(kb.dimensions[0].key.v[1], "item_key");
	assert_string_equal(kb.dimensions[0].parent, "");
	dw_kb_release(&kb);
}

static void test_shipped_lookups(void **state)
{
	const struct dw_kb_join *j;
	const struct dw_kb_report *r;
	const struct dw_kb_grain *g;
	struct dw_kb kb;
	struct dw_err err;

	(void)state;
	assert_int_equal(dw_kb_load(&kb, "etc/ask/superstore.yaml", &err), 0);
	assert_int_equal(dw_kb_column(&kb, "dim_customer", "customer_name")->pii, 1);
	assert_int_equal(dw_kb_column(&kb, "dim_location", "postal_code")->pii, 1);
	assert_int_equal(dw_kb_column(&kb, "dim_location", "city")->pii, 0);
	assert_null(dw_kb_column(&kb, "dim_location", "zip"));
	assert_null(dw_kb_column(&kb, "nosuch", "city"));
	assert_non_null(dw_kb_table(&kb, "fact_return"));
	assert_null(dw_kb_table(&kb, "dw_etl_run"));

	j = dw_kb_join(&kb, "fact_sales", "dim_date", "ship");
	assert_non_null(j);
	assert_string_equal(j->left_column, "ship_date_key");
	assert_string_equal(j->right_column, "date_key");
	/* No default edge to dim_date: the first one (order date) is used. */
	assert_string_equal(dw_kb_join(&kb, "fact_sales", "dim_date", "")->left_column,
			    "order_date_key");
	assert_string_equal(dw_kb_join(&kb, "fact_sales", "dim_date", NULL)->role, "order");
	assert_null(dw_kb_join(&kb, "fact_sales", "dim_date", "delivery"));
	assert_string_equal(dw_kb_join(&kb, "fact_sales", "dim_product", "")->left_column,
			    "product_key");
	assert_null(dw_kb_join(&kb, "dim_product", "fact_sales", ""));

	assert_string_equal(kb.time.table, "dim_date");
	assert_string_equal(kb.time.default_role, "order");
	g = dw_kb_grain(&kb, "weekday");
	assert_string_equal(g->sql, "dim_date.day_name");
	assert_string_equal(g->order_sql, "dim_date.day_of_week");
	assert_string_equal(dw_kb_grain(&kb, "month")->order_sql, "");
	assert_null(dw_kb_grain(&kb, "fortnight"));

	r = dw_kb_report(&kb, "sales_by_market");
	assert_non_null(r);
	assert_string_equal(r->params[0].name, "year");
	assert_int_equal(r->params[0].type, DW_KB_T_INT);
	assert_null(r->params[0].def);
	assert_null(dw_kb_report(&kb, "nosuch"));
	dw_kb_release(&kb);
	dw_kb_release(&kb);   /* releasing twice is harmless */
}

/* ---- loading ------------------------------------------------------------ */

static void test_minimal_model(void **state)
{
	/* Sections in any order: time before tables, metrics last. */
	const char *yaml =
		"time: {table: dim_day, key: day_key, date_column: d, grains: [{name: day, sql: dim_day.d}]}\n"
		"model: tiny\n"
		"tables: {fact: {columns: {v: Value, day_key: Day}}, dim_day: {columns: {day_key: K, d: D}}}\n"
		"joins: [{left: fact.day_key, right: dim_day.day_key}]\n"
		"metrics: [{name: v, table: fact, sql: SUM(fact.v)}]\n";
	struct dw_kb kb;

	(void)state;
	load_ok(&kb, yaml);
	assert_string_equal(kb.path, "t.yaml");
	assert_string_equal(kb.description, "");
	assert_int_equal(kb.metrics[0].format, DW_KB_NUMBER);
	assert_string_equal(kb.metrics[0].description, "");
	assert_int_equal(kb.metrics[0].synonyms.n, 0);
	assert_int_equal(kb.ndimensions, 0);
	assert_int_equal(kb.nexamples, 0);
	assert_int_equal(kb.nreports, 0);
	assert_string_equal(kb.time.default_role, "");
	assert_string_equal(kb.joins[0].role, "");
	dw_kb_release(&kb);
}

static void test_base_model(void **state)
{
	struct dw_kb kb;

	(void)state;
	load_ok(&kb, model_with(METRICS, ""));
	/* A dimension over a PII column is PII though the file did not say. */
	assert_int_equal(dw_kb_dimension(&kb, "item")->pii, 1);
	assert_int_equal(dw_kb_column(&kb, "dim_item", "name")->pii, 1);
	assert_string_equal(dw_kb_column(&kb, "dim_item", "name")->description, "Item name");
	assert_string_equal(dw_kb_table(&kb, "fact")->description, "");
	dw_kb_release(&kb);
}

static void test_unknown_key_line_and_hint(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails(model_with("metrics:\n"
			      "  - name: amount\n"
			      "    table: fact\n"
			      "    synonym: [revenue]\n"
			      "    sql: SUM(fact.amount)\n", ""), &err);
	assert_string_equal(err.msg, "t.yaml:18: unknown key 'synonym' in metrics");
	assert_string_equal(err.hint, "did you mean 'synonyms'?");

	load_fails(model_with(METRICS, "exampels: []\n"), &err);
	assert_contains(err.msg, "t.yaml:26: unknown key 'exampels' in top level");
	assert_string_equal(err.hint, "did you mean 'examples'?");

	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    sql: SELECT 1\n"
			      "    parameters: []\n"), &err);
	assert_contains(err.msg, "t.yaml:29: unknown key 'parameters' in reports");
	assert_string_equal(err.hint, "");   /* nothing close */
}

static void test_metric_column_not_declared(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails(model_with("metrics:\n"
			      "  - {name: amount, table: fact, sql: SUM(fact.amont)}\n", ""), &err);
	assert_string_equal(err.msg, "t.yaml:16: metric 'amount': unknown column 'fact.amont'");
	assert_string_equal(err.hint, "did you mean 'fact.amount'?");

	load_fails(model_with("metrics:\n"
			      "  - {name: amount, table: fact, sql: SUM(facts.amount)}\n", ""), &err);
	assert_contains(err.msg, "metric 'amount': unknown table 'facts'");
	assert_string_equal(err.hint, "did you mean 'fact'?");

	load_fails(model_with("metrics:\n"
			      "  - {name: amount, table: fact, sql: COUNT(*)}\n", ""), &err);
	assert_contains(err.msg, "t.yaml:16: metric 'amount': sql uses no column of its table 'fact'");

	load_fails(model_with("metrics:\n"
			      "  - {name: amount, table: fakt, sql: SUM(fact.amount)}\n", ""), &err);
	assert_contains(err.msg, "metric 'amount': unknown table 'fakt'");
}

static void test_sql_literals_are_not_columns(void **state)
{
	struct dw_kb kb;

	(void)state;
	load_ok(&kb, model_with("metrics:\n"
				"  - name: amount\n"
				"    table: fact\n"
				"    sql: |\n"
				"      SUM(CASE WHEN 'x.y' <> \"a.b\" THEN fact.amount END) -- c.d\n"
				"      + 0 /* e.f */ + 1.5e3\n", ""));
	assert_contains(kb.metrics[0].sql, "'x.y'");
	dw_kb_release(&kb);

	/* MariaDB's escapes: 'it\'s x.y' is one string, the column after it code. */
	load_ok(&kb, model_with("metrics:\n"
				"  - {name: amount, table: fact, sql: \"SUM(IF('it\\\\'s x.y' <> '', fact.amount, 0))\"}\n",
				""));
	dw_kb_release(&kb);
}

static void test_sql_unterminated(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails(model_with("metrics:\n"
			      "  - {name: amount, table: fact, sql: \"SUM(fact.amount) + 'x\"}\n", ""), &err);
	assert_string_equal(err.msg, "t.yaml:16: metric 'amount': unterminated string starting "
			    "at offset 19");
	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: a, type: int}]\n"
			      "    sql: \"SELECT :a, 'it\\\\'\"\n"), &err);
	assert_string_equal(err.msg, "t.yaml:29: report 'r': unterminated string starting at offset 11");
}

static void test_join_and_dimension_columns(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails(replaced(BASE, "dim_item.item_key}", "dim_item.item_kee}"), &err);
	assert_string_equal(err.msg, "t.yaml:14: joins: unknown column 'dim_item.item_kee'");
	assert_string_equal(err.hint, "did you mean 'dim_item.item_key'?");

	load_fails(replaced(BASE, "right: dim_item.item_key", "right: dim_item"), &err);
	assert_contains(err.msg, "t.yaml:14: joins: 'right' must be table.column, got 'dim_item'");

	load_fails(replaced(BASE, "column: dim_item.name", "column: dim_item.title"), &err);
	assert_string_equal(err.msg,
			    "t.yaml:18: dimension 'item': unknown column 'dim_item.title'");

	/* Without the join, nothing leads from the facts to dim_item. */
	load_fails(replaced(BASE, "  - {left: fact.item_key, right: dim_item.item_key}\n", ""),
		   &err);
	assert_contains(err.msg, "dimension 'item': no join leads to table 'dim_item'");

	load_fails(replaced(BASE, "default_role: order", "default_role: ship"), &err);
	assert_contains(err.msg, "time: no join from 'fact' to 'dim_day' has role 'ship'");

	load_fails(replaced(BASE, "date_column: d", "date_column: day"), &err);
	assert_contains(err.msg, "time: unknown column 'dim_day.day'");

	load_fails(replaced(BASE, "sql: YEAR(dim_day.d)", "sql: YEAR(dim_day.date)"), &err);
	assert_contains(err.msg, "grain 'year': unknown column 'dim_day.date'");
}

static void test_duplicate_names_and_words(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails(model_with(METRICS "  - {name: amount, table: fact, sql: MAX(fact.amount)}\n",
			      ""), &err);
	assert_string_equal(err.msg, "t.yaml:17: metric 'amount': 'amount' already means metric 'amount'");

	/* A synonym may mean only one thing, across metrics and dimensions. */
	load_fails(replaced(BASE, "synonyms: [items]", "synonyms: [Revenue]"), &err);
	assert_string_equal(err.msg,
			    "t.yaml:18: dimension 'item': 'Revenue' already means metric 'amount'");

	load_fails(replaced(BASE, "synonyms: [yearly]", "synonyms: [items]"), &err);
	assert_contains(err.msg, "grain 'year': 'items' already means dimension 'item'");

	load_fails(replaced(BASE, "synonyms: [revenue]", "synonyms: [revenue, sales, revenue]"),
		   &err);
	assert_contains(err.msg, "metric 'amount': 'revenue' is listed twice");

	load_fails(replaced(BASE, "name: amount", "name: Amount"), &err);
	assert_string_equal(err.msg, "t.yaml:16: metrics: 'Amount' is not a valid name");
	assert_contains(err.hint, "lower case letters, digits and '_'");

	load_fails(replaced(BASE, "      item_key: Item\n", "      2nd_key: Item\n"), &err);
	assert_string_equal(err.msg, "t.yaml:7: tables.fact.columns: '2nd_key' is not a valid name");

	load_fails(replaced(BASE, "      day_key: Day\n", "      day_key: Day\n      amount: Again\n"),
		   &err);
	assert_string_equal(err.msg, "t.yaml:7: duplicate key 'amount' in tables.fact.columns");

	load_fails(model_with(METRICS, "reports:\n"
			      "  - {name: r, sql: SELECT 1}\n"
			      "  - {name: r, sql: SELECT 2}\n"), &err);
	assert_string_equal(err.msg, "t.yaml:28: report 'r' is defined twice");
}

static void test_structure_errors(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails(replaced(BASE, "    - {name: year, synonyms: [yearly], sql: YEAR(dim_day.d)}\n",
			    "    []\n"), &err);
	assert_contains(err.msg, "'grains' is empty");

	load_fails(replaced(BASE, "format: money", "format: currency"), &err);
	assert_contains(err.msg, "metric 'amount': 'format' must be number, integer, money or percent");

	load_fails(replaced(BASE, "values: true", "values: yes please"), &err);
	assert_contains(err.msg, "dimension 'item': 'values' must be true, false or local");

	load_fails(replaced(BASE, "synonyms: [revenue]", "synonyms: revenue"), &err);
	assert_contains(err.msg, "metric 'amount': 'synonyms' must be a list");

	load_fails(replaced(BASE, "model: shop\n", ""), &err);
	assert_contains(err.msg, "t.yaml:1: top level: 'model' is missing");

	load_fails(replaced(BASE, METRICS, "metrics: 3\n"), &err);
	assert_contains(err.msg, "'metrics' must be a list");

	load_fails("model: x\n  bad: indentation\n", &err);
	assert_contains(err.msg, "t.yaml:2: ");

	load_fails("- a list\n", &err);
	assert_contains(err.msg, "t.yaml:1: expected a mapping of sections");

	load_fails("", &err);
	assert_string_equal(err.msg, "t.yaml: knowledge file is empty");

	load_fails(model_with(METRICS, "---\nmodel: again\n"), &err);
	assert_contains(err.msg, "t.yaml:27: only one YAML document is allowed");
}

static void test_file_errors(void **state)
{
	struct dw_kb kb;
	struct dw_err err;

	(void)state;
	dw_err_clear(&err);
	assert_int_equal(dw_kb_load(&kb, "/nonexistent/kb.yaml", &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_contains(err.msg, "cannot read knowledge file '/nonexistent/kb.yaml'");
	dw_kb_release(&kb);

	/* Errors from a file name it. */
	dw_err_clear(&err);
	assert_int_equal(dw_kb_load(&kb, "t/unit/test_kb.c", &err), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_contains(err.msg, "t/unit/test_kb.c:");
	dw_kb_release(&kb);
}

/* ---- reports ------------------------------------------------------------ */

static void test_report_placeholders_checked(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: year, type: int}]\n"
			      "    sql: SELECT :year + :yeer\n"), &err);
	assert_string_equal(err.msg,
			    "t.yaml:29: report 'r': placeholder ':yeer' is not a declared parameter");

	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: year, type: int}, {name: n, type: int}]\n"
			      "    sql: SELECT :year\n"), &err);
	assert_contains(err.msg, "report 'r': parameter 'n' is not used in its sql");

	/* A placeholder in a comment or after an escaped quote's string is seen
	 * as the server sees it. */
	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: year, type: int}, {name: n, type: int}]\n"
			      "    sql: \"SELECT :year -- :n\"\n"), &err);
	assert_contains(err.msg, "report 'r': parameter 'n' is not used in its sql");
	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: year, type: int}]\n"
			      "    sql: \"SELECT 'it\\\\'s', :yeer, :year\"\n"), &err);
	assert_contains(err.msg, "report 'r': placeholder ':yeer' is not a declared parameter");

	/* A bare ? would go to the server unbound. */
	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: year, type: int}]\n"
			      "    sql: SELECT :year, '?', ?\n"), &err);
	assert_string_equal(err.msg, "t.yaml:29: report 'r': placeholder '?' has no name");
	assert_string_equal(err.hint, "write a parameter as :name and declare it under 'params'");

	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: year, type: integer}]\n"
			      "    sql: SELECT :year\n"), &err);
	assert_string_equal(err.msg,
			    "t.yaml:28: report 'r': parameter 'year': unknown type 'integer'");
	assert_contains(err.detail, "string, int, number, date, bool");

	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: year, type: strng}]\n"
			      "    sql: SELECT :year\n"), &err);
	assert_string_equal(err.hint, "did you mean 'string'?");

	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: year}]\n"
			      "    sql: SELECT :year\n"), &err);
	assert_contains(err.msg, "report 'r': parameter 'year': 'type' is missing");

	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: day, type: date, default: 2014-02-30}]\n"
			      "    sql: SELECT :day\n"), &err);
	assert_contains(err.msg,
			"report 'r': parameter 'day': default must be a date YYYY-MM-DD (date), got '2014-02-30'");

	load_fails(model_with(METRICS, "reports:\n"
			      "  - name: r\n"
			      "    params: [{name: a, type: int}, {name: a, type: int}]\n"
			      "    sql: SELECT :a\n"), &err);
	assert_contains(err.msg, "report 'r': parameter 'a' is declared twice");
}

/* Loads the base model with one report and binds it; the kb is returned
 * for release. */
static const struct dw_kb_report *load_report(struct dw_kb *kb, const char *report_yaml)
{
	load_ok(kb, model_with(METRICS, report_yaml));
	assert_int_equal(kb->nreports, 1);
	return &kb->reports[0];
}

static void test_bind_order_and_literals(void **state)
{
	static const char *const keys[] = { "b", "a" };
	static const char *const values[] = { "bee", "7" };
	const struct dw_kb_report *r;
	const char **params;
	struct dw_kb kb;
	struct dw_err err;
	size_t n;
	char *sql;

	(void)state;
	/* ':x' inside literals and comments is no placeholder (else the
	 * loader would reject it as undeclared); '::' is a cast. */
	r = load_report(&kb, "reports:\n"
			"  - name: r\n"
			"    params: [{name: a, type: int}, {name: b, type: string}]\n"
			"    sql: |\n"
			"      SELECT :a, ':x', \"it''s :x\", `:x`, 'a\\':x', :b::text, x::int -- :x\n"
			"      /* :x */ WHERE :b = :a\n");
	dw_err_clear(&err);
	assert_int_equal(dw_kb_report_bind(r, keys, values, 2, &sql, &params, &n, &err), 0);
	assert_string_equal(sql, "SELECT ?, ':x', \"it''s :x\", `:x`, 'a\\':x', ?::text, x::int -- :x\n"
			    "/* :x */ WHERE ? = ?\n");
	assert_int_equal(n, 4);
	assert_string_equal(params[0], "7");
	assert_string_equal(params[1], "bee");
	assert_string_equal(params[2], "bee");
	assert_string_equal(params[3], "7");
	free(sql);
	free(params);
	dw_kb_release(&kb);
}

static void test_bind_defaults_and_types(void **state)
{
	static const char *const keys[] = { "day", "flag", "ratio" };
	static const char *const values[] = { "2016-02-29", "TRUE", "-0.25" };
	const struct dw_kb_report *r;
	const char **params;
	struct dw_kb kb;
	struct dw_err err;
	size_t n;
	char *sql;

	(void)state;
	r = load_report(&kb, "reports:\n"
			"  - name: r\n"
			"    params:\n"
			"      - {name: day, type: date}\n"
			"      - {name: n, type: int, default: 10}\n"
			"      - {name: flag, type: bool, default: false}\n"
			"      - {name: ratio, type: number, default: 0.5}\n"
			"      - {name: who, type: string, default: \"\"}\n"
			"    sql: SELECT :day, :n, :flag, :ratio, :who\n");
	assert_int_equal(r->params[1].type, DW_KB_T_INT);
	assert_string_equal(r->params[1].def, "10");

	/* Only the required one given: defaults fill the rest. */
	dw_err_clear(&err);
	assert_int_equal(dw_kb_report_bind(r, keys, values, 1, &sql, &params, &n, &err), 0);
	assert_string_equal(sql, "SELECT ?, ?, ?, ?, ?");
	assert_int_equal(n, 5);
	assert_string_equal(params[0], "2016-02-29");
	assert_string_equal(params[1], "10");
	assert_string_equal(params[2], "0");   /* bool bound as 0 / 1 */
	assert_string_equal(params[3], "0.5");
	assert_string_equal(params[4], "");
	free(sql);
	free(params);

	/* Given values win over defaults. */
	assert_int_equal(dw_kb_report_bind(r, keys, values, 3, &sql, &params, &n, &err), 0);
	assert_string_equal(params[2], "1");
	assert_string_equal(params[3], "-0.25");
	free(sql);
	free(params);
	dw_kb_release(&kb);
}

/* A report not from the loader: its SQL is checked when bound. */
static void test_bind_hand_built(void **state)
{
	struct dw_kb_report r = { .name = "h", .sql = "SELECT ?" };
	const char **params;
	struct dw_err err;
	size_t n;
	char *sql;

	(void)state;
	dw_err_clear(&err);
	assert_int_equal(dw_kb_report_bind(&r, NULL, NULL, 0, &sql, &params, &n, &err), -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_string_equal(err.msg, "report 'h': undeclared placeholder '?'");
	r.sql = "SELECT 'x";
	assert_int_equal(dw_kb_report_bind(&r, NULL, NULL, 0, &sql, &params, &n, &err), -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_string_equal(err.msg, "report 'h': unterminated string starting at offset 7");
	assert_null(sql);
	assert_null(params);
}

/* Binds one key = value to the report and expects a usage error. */
static void bind_fails(const struct dw_kb_report *r, const char *const *keys,
		       const char *const *values, size_t nkeys, struct dw_err *err)
{
	const char **params = (const char **)"untouched";
	size_t n = 99;
	char *sql = (char *)"untouched";

	dw_err_clear(err);
	assert_int_equal(dw_kb_report_bind(r, keys, values, nkeys, &sql, &params, &n, err), -1);
	assert_int_equal(err->code, DW_EX_USAGE);
	assert_null(sql);
	assert_null(params);
	assert_int_equal(n, 0);
}

static void test_bind_errors(void **state)
{
	static const struct {
		const char *key, *value, *msg;
	} cases[] = {
		{ "year", "abc", "parameter 'year' must be an integer (int), got 'abc'" },
		{ "year", "20.14", "parameter 'year' must be an integer (int), got '20.14'" },
		{ "year", "99999999999999999999", "must be an integer (int)" },
		{ "day", "2014-02-30", "parameter 'day' must be a date YYYY-MM-DD (date), got '2014-02-30'" },
		{ "day", "2014-2-3", "must be a date YYYY-MM-DD (date)" },
		{ "day", "2014-02-03T10:00", "must be a date YYYY-MM-DD (date)" },
		{ "ratio", "1e3", "parameter 'ratio' must be a decimal number (number), got '1e3'" },
		{ "ratio", "-", "must be a decimal number (number)" },
		{ "flag", "yes", "parameter 'flag' must be true or false (bool), got 'yes'" },
	};
	const struct dw_kb_report *r;
	struct dw_kb kb;
	struct dw_err err;

	(void)state;
	r = load_report(&kb, "reports:\n"
			"  - name: r\n"
			"    params:\n"
			"      - {name: year, type: int, default: 2014}\n"
			"      - {name: day, type: date, default: 2014-01-01}\n"
			"      - {name: ratio, type: number, default: 1}\n"
			"      - {name: flag, type: bool, default: true}\n"
			"    sql: SELECT :year, :day, :ratio, :flag\n");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		bind_fails(r, &cases[i].key, &cases[i].value, 1, &err);
		assert_contains(err.msg, cases[i].msg);
	}

	bind_fails(r, (const char *const[]){ "yeer" }, (const char *const[]){ "2014" }, 1, &err);
	assert_string_equal(err.msg, "report 'r' has no parameter 'yeer'");
	assert_string_equal(err.hint, "did you mean 'year'?");

	bind_fails(r, (const char *const[]){ "year", "year" },
		   (const char *const[]){ "2014", "2013" }, 2, &err);
	assert_string_equal(err.msg, "parameter 'year' is given twice");
	dw_kb_release(&kb);

	r = load_report(&kb, "reports:\n"
			"  - name: by_year\n"
			"    params: [{name: year, type: int, description: calendar year}]\n"
			"    sql: SELECT :year\n");
	bind_fails(r, NULL, NULL, 0, &err);
	assert_string_equal(err.msg, "report 'by_year' needs parameter 'year' (int)");
	dw_kb_release(&kb);
}

static void test_type_names(void **state)
{
	static const char *const names[] = { "string", "int", "number", "date", "bool" };

	(void)state;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(dw_kb_type_parse(names[i]), i);
		assert_string_equal(dw_kb_type_name((enum dw_kb_type)i), names[i]);
	}
	assert_int_equal(dw_kb_type_parse("integer"), -1);
	assert_int_equal(dw_kb_type_parse("INT"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_counts),
		cmocka_unit_test(test_shipped_metrics_and_dimensions),
		cmocka_unit_test(test_shipped_keys),
		cmocka_unit_test(test_dimension_keys),
		cmocka_unit_test(test_shipped_lookups),
		cmocka_unit_test(test_minimal_model),
		cmocka_unit_test(test_base_model),
		cmocka_unit_test(test_unknown_key_line_and_hint),
		cmocka_unit_test(test_metric_column_not_declared),
		cmocka_unit_test(test_sql_literals_are_not_columns),
		cmocka_unit_test(test_sql_unterminated),
		cmocka_unit_test(test_join_and_dimension_columns),
		cmocka_unit_test(test_duplicate_names_and_words),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_report_placeholders_checked),
		cmocka_unit_test(test_bind_order_and_literals),
		cmocka_unit_test(test_bind_defaults_and_types),
		cmocka_unit_test(test_bind_errors),
		cmocka_unit_test(test_bind_hand_built),
		cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests_name("ask_kb", tests, NULL, NULL);
}
