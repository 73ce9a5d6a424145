/* The offline engine against the shipped knowledge file, with a handful of
 * warehouse values added by hand and the latest order date 2014-12-31. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kb.h"
#include "ask/sem/sem.h"

static struct dw_kb kb;
static struct dw_sem *sem;
static struct dw_sem_answer ans;

static int setup(void **state)
{
	static const char *vals[][2] = {
		{ "market", "EU" }, { "market", "Canada" }, { "region", "Canada" },
		{ "country", "Canada" }, { "market", "US" }, { "category", "Technology" },
		{ "category", "Office Supplies" }, { "category", "Furniture" }, { "segment", "Consumer" },
		{ "segment", "Home Office" }, { "segment", "Corporate" }, { "subcategory", "Phones" },
		{ "ship_mode", "First Class" }, { "ship_mode", "Same Day" }, { "country", "France" },
		{ "country", "Germany" }, { "region", "Central" }, { "order_priority", "High" },
		{ "city", "Paris" }, { "state", "New York" }, { "city", "New York City" },
	};
	static const char *members[][3] = {
		{ "region", "Central", "EU" }, { "region", "Central", "LATAM" },
		{ "region", "Central", "US" }, { "region", "Oceania", "APAC" },
		{ "market", "LATAM", "LATAM" }, { "customer", "Jane Doe", "JD-10001" },
		{ "customer", "Jane Doe", "JD-10002" }, { "customer", "Ann Lee", "AL-10003" },
	};
	struct dw_err err;

	if (dw_kb_load(&kb, "etc/ask/superstore.yaml", &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	if (!(sem = dw_sem_new(&kb)))
		return -1;
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
		if (dw_sem_add_value(sem, vals[i][0], vals[i][1]) < 0)
			return -1;
	/* Members as dw_sem_load_sql reads them: a label and the rest of its key. */
	for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
		if (dw_sem_add_member(sem, members[i][0], members[i][1], members[i][2]) < 0)
			return -1;
	dw_sem_set_latest(sem, 20141231);
	return 0;
}

static int teardown(void **state)
{
	dw_sem_free(sem);
	dw_kb_release(&kb);
	return 0;
}

/* Answers q and returns the SQL (valid until the next call). */
static const char *answer(const char *q)
{
	struct dw_err err;
	int rc;

	dw_sem_answer_release(&ans);
	rc = dw_sem_answer(sem, q, &ans, &err);
	if (rc != 1)
		fail_msg("declined '%s': %s", q, err.msg);
	return ans.sql;
}

static void assert_has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not in:\n%s", needle, hay);
}

static void assert_declines(const char *q, const char *why)
{
	struct dw_err err;
	struct dw_sem_answer a;
	int rc = dw_sem_answer(sem, q, &a, &err);

	if (rc != 0)
		fail_msg("answered '%s':\n%s", q, rc == 1 ? a.sql : err.msg);
	assert_int_equal(err.code, 1);
	if (why && !strstr(err.msg, why))
		fail_msg("decline of '%s' says '%s', expected '%s'", q, err.msg, why);
}

static void test_total(void **state)
{
	const char *sql = answer("total sales");

	assert_string_equal(sql, "SELECT SUM(fact_sales.sales) AS `sales` FROM fact_sales");
	assert_int_equal(ans.nparams, 0);
}

static void test_top_n_with_value_and_relative_year(void **state)
{
	const char *sql = answer("top 5 subcategories by profit in Europe last year");

	/* Subcategory names are unique: the label is its own key. */
	assert_has(sql, "SELECT dim_product.subcategory AS `subcategory`, SUM(fact_sales.profit)");
	assert_has(sql, "GROUP BY dim_product.subcategory ORDER BY");
	assert_has(sql, "WHERE dim_location.market = ?");
	assert_has(sql, "fact_sales.order_date_key >= 20140101 AND fact_sales.order_date_key < 20150101");
	assert_has(sql, "ORDER BY `profit` DESC");
	assert_has(sql, "LIMIT 5");
	assert_int_equal(ans.nparams, 1);
	assert_string_equal(ans.params[0], "EU");   /* "Europe" is an alias */
}

static void test_bottom_and_which(void **state)
{
	assert_has(answer("bottom 3 countries by sales"), "ORDER BY `sales` ASC, dim_location.country LIMIT 3");
	assert_has(answer("which category has the highest sales"), "ORDER BY `sales` DESC, dim_product.category LIMIT 1");
	assert_has(answer("which segment had the lowest profit"), "ORDER BY `profit` ASC, dim_customer.segment LIMIT 1");
	/* "top" with a plural and no number: ten rows. */
	assert_has(answer("top customers by sales"), "LIMIT 10");
}

static void test_two_metrics_two_dims(void **state)
{
	const char *sql = answer("sales and profit by category and segment");

	assert_has(sql, "dim_product.category AS `category`, dim_customer.segment AS `segment`");
	assert_has(sql, "SUM(fact_sales.sales) AS `sales`, SUM(fact_sales.profit) AS `profit`");
	assert_has(sql, "GROUP BY dim_product.category, dim_customer.segment");
}

static void test_periods(void **state)
{
	assert_has(answer("profit in Q3 2013"), ">= 20130701 AND fact_sales.order_date_key < 20131001");
	assert_has(answer("sales in the third quarter of 2013"), ">= 20130701 AND fact_sales.order_date_key < 20131001");
	assert_has(answer("sales in March 2014"), ">= 20140301 AND fact_sales.order_date_key < 20140401");
	assert_has(answer("sales between 2012 and 2013"), ">= 20120101 AND fact_sales.order_date_key < 20140101");
	assert_has(answer("sales from Jan 2013 to Jun 2013"), ">= 20130101 AND fact_sales.order_date_key < 20130701");
	assert_has(answer("sales since 2013"), "fact_sales.order_date_key >= 20130101");
	assert_has(answer("sales last quarter"), ">= 20141001 AND fact_sales.order_date_key < 20150101");
	assert_has(answer("sales last month"), ">= 20141201 AND fact_sales.order_date_key < 20150101");
	assert_has(answer("sales in the last 3 months"), ">= 20141001 AND fact_sales.order_date_key < 20150101");
	assert_has(answer("sales in the last 2 years"), ">= 20130101 AND fact_sales.order_date_key < 20150101");
}

static void test_time_series(void **state)
{
	const char *sql = answer("monthly sales in 2013");

	assert_has(sql, "DATE_FORMAT(dim_date.full_date, '%Y-%m') AS `month`");
	assert_has(sql, "JOIN dim_date ON dim_date.date_key = fact_sales.order_date_key");
	assert_int_equal(ans.time_axis, 1);
	assert_has(answer("sales by quarter"), "ORDER BY dim_date.year, dim_date.quarter");
	assert_has(answer("orders by weekday"), "ORDER BY dim_date.day_of_week");
	assert_has(answer("profit per year"), "dim_date.year AS `year`");
	assert_int_equal(answer("sales by category") && ans.time_axis, 0);
}

static void test_values_and_ambiguity(void **state)
{
	/* Canada is a market, a region and a country: the first listed wins... */
	assert_has(answer("how many customers in Canada"), "WHERE dim_location.market = ?");
	assert_has(ans.explain, "market, region, country");
	/* ...unless the question names the dimension beside the value. */
	assert_has(answer("sales in the Canada region"), "WHERE dim_location.region = ?");
	assert_has(answer("sales in country Canada"), "WHERE dim_location.country = ?");
	assert_has(answer("consumer segment sales"), "WHERE dim_customer.segment = ?");
	assert_has(answer("sales for Technology"), "WHERE dim_product.category = ?");
	assert_has(answer("sales shipped First Class"), "WHERE fact_sales.ship_mode = ?");
	/* The longest phrase wins: a city, not the state of the same name. */
	assert_has(answer("sales in New York City"), "WHERE dim_location.city = ?");
	assert_has(answer("sales in France and Germany"), "dim_location.country IN (?, ?)");
	assert_int_equal(ans.nparams, 2);
	/* Read together with a country, the ambiguous Canada is a country too. */
	assert_has(answer("sales in Canada and France"), "WHERE dim_location.country IN (?, ?)");
	assert_has(ans.explain, "'Canada' moved to country");
	assert_has(answer("sales in France and Canada"), "WHERE dim_location.country IN (?, ?)");
}

static void test_counts_lists_coverage(void **state)
{
	assert_string_equal(answer("how many countries are there"),
			    "SELECT COUNT(DISTINCT dim_location.country) AS `country` FROM dim_location");
	assert_string_equal(answer("show all categories"),
			    "SELECT dim_product.category AS `category` FROM dim_product "
			    "GROUP BY dim_product.category ORDER BY 1");
	/* Filtered by its own table: straight from it; by a period: through the facts. */
	assert_string_equal(answer("list the countries in Europe"),
			    "SELECT dim_location.country AS `country` FROM dim_location "
			    "WHERE dim_location.market = ? GROUP BY dim_location.country ORDER BY 1");
	/* Members, not labels: three regions named Central count three times. */
	assert_string_equal(answer("how many regions are there"),
			    "SELECT COUNT(DISTINCT dim_location.region, dim_location.market) AS `region` "
			    "FROM dim_location");
	assert_has(answer("list the regions"), "GROUP BY dim_location.region, dim_location.market");
	assert_has(answer("list the countries in 2014"), "FROM fact_sales JOIN dim_location");
	assert_has(answer("what ship modes are there"), "SELECT fact_sales.ship_mode");
	assert_has(answer("what date range does the data cover"),
		   "MIN(dim_date.full_date) AS `first_date`, MAX(dim_date.full_date) AS `last_date`");
	assert_has(answer("how many orders in 2014"), "COUNT(DISTINCT fact_sales.order_id)");
}

static void test_declines(void **state)
{
	assert_declines("what is the median order size", "median");
	assert_declines("average sales per customer", "average");
	assert_declines("compare growth of each category year over year", "compare");
	assert_declines("sales excluding Technology", "excluding");
	assert_declines("sales in March", "needs a year");
	assert_declines("top 5", NULL);
	assert_declines("categories by year", "no measure");
	assert_declines("sales in Atlantis", "atlantis");
	assert_declines("", "empty");
	assert_declines("sales in 2013 and in 2014 by month in 2012", "by that grain only");
	assert_declines("DROP TABLE fact_sales", "drop");
}

static void test_params_never_spliced(void **state)
{
	/* A value with a quote stays a bound parameter, never SQL text. */
	assert_int_equal(dw_sem_add_value(sem, "city", "O'Fallon"), 0);
	assert_has(answer("sales in O'Fallon"), "dim_location.city = ?");
	assert_null(strstr(ans.sql, "Fallon"));
	assert_string_equal(ans.params[0], "O'Fallon");
}

/* The GROUP BY clause of sql ("" when none). */
static const char *group_by(const char *sql)
{
	static char buf[1024];
	const char *g = strstr(sql, " GROUP BY "), *end;

	if (!g)
		return "";
	end = strstr(g, " ORDER BY ");
	snprintf(buf, sizeof buf, "%.*s", (int)(end ? end - g : (long)strlen(g)), g);
	return buf;
}

/* Grouping by any dimension, however asked, groups by every column of its
 * key: a label alone (three regions named Central) never returns. */
static void test_groups_by_key(void **state)
{
	static const char *const forms[] = {
		"sales by %s", "top 5 %s by profit", "profit by year and %s",
		"sales and orders per %s in 2014", "list the %s", "how many %s are there",
	};

	for (size_t d = 0; d < kb.ndimensions; d++) {
		const struct dw_kb_dimension *dim = &kb.dimensions[d];
		char spoken[64], q[128];

		snprintf(spoken, sizeof spoken, "%s", dim->name);
		for (char *c = spoken; *c; c++)
			*c = *c == '_' ? ' ' : *c;
		for (size_t f = 0; f < sizeof forms / sizeof *forms; f++) {
			const char *sql, *where;

			snprintf(q, sizeof q, forms[f], spoken);
			sql = answer(q);
			where = strstr(sql, "COUNT(DISTINCT ") ? sql : group_by(sql);
			for (size_t k = 0; k < dim->key.n; k++) {
				char col[128];

				snprintf(col, sizeof col, "%s.%s", dim->table, dim->key.v[k]);
				if (!strstr(where, col))
					fail_msg("'%s' does not group by key column %s:\n%s", q, col, sql);
			}
		}
	}
	assert_has(answer("profit by region"), "GROUP BY dim_location.region, dim_location.market");
	assert_has(ans.sql, "CONCAT(dim_location.region, ' (', CONCAT_WS(', ', dim_location.market), "
		   "')') AS `region`");
	/* A label outside its key (a customer's name) is grouped with the key. */
	assert_has(answer("top customers by profit"),
		   "GROUP BY dim_customer.customer_id, dim_customer.customer_name ORDER BY");
	assert_has(answer("sales by year and city"),
		   "CONCAT(dim_location.city, ' (', CONCAT_WS(', ', dim_location.state, "
		   "dim_location.country), ')') AS `city`");
}

/* A value that names several members includes them all and says so; the
 * parent named beside it picks one. */
static void test_shared_names(void **state)
{
	const char *notice = "'Central' is a region of 3 markets: EU, LATAM, US; all are "
			     "included; say 'Central EU' for one";

	assert_has(answer("sales in Central"), "WHERE dim_location.region = ?");
	assert_int_equal(ans.nparams, 1);
	assert_non_null(ans.notice);
	assert_string_equal(ans.notice, notice);
	assert_has(ans.explain, notice);
	/* With no other grouping: a row for each of them. */
	assert_has(ans.sql, "GROUP BY dim_location.region, dim_location.market");
	assert_has(answer("sales by year in Central"), "GROUP BY dim_date.year ORDER BY");
	assert_has(answer("sales in Central EU"),
		   "WHERE dim_location.region = ? AND dim_location.market = ?");
	assert_null(ans.notice);
	assert_has(answer("sales in Oceania"), "WHERE dim_location.region = ?");
	assert_null(ans.notice);
	assert_has(answer("profit of Jane Doe"), "WHERE dim_customer.customer_name = ?");
	assert_string_equal(ans.notice, "'Jane Doe' names 2 customers: JD-10001, JD-10002; all "
			    "are included; name one by its customer_id, like 'JD-10001'");
	assert_has(answer("sales of Ann Lee by year"), "dim_customer.customer_name = ?");
	assert_null(ans.notice);
}

/* Customers and products by name or by ID (a key of one column); names
 * are matched whole and exactly, never through the typo rule. */
static void test_names_and_ids(void **state)
{
	assert_has(answer("profit for customer JD-10002"), "WHERE dim_customer.customer_id = ?");
	assert_string_equal(ans.params[0], "JD-10002");
	assert_null(ans.notice);
	assert_has(answer("sales of JD-10001 and JD-10002 by year"),
		   "WHERE dim_customer.customer_id IN (?, ?)");
	assert_has(answer("how much did Ann Lee buy"), "WHERE dim_customer.customer_name = ?");
	assert_declines("how much did Ann Leee buy", "'ann' is not understood");
	assert_declines("sales of Ann", "'ann' is not understood");
}

/* The plan is checked before any SQL: a grouping without a key, or a join
 * into another fact table (rows fanned out, measures counted twice), is
 * declined. */
static void test_plan_checks(void **state)
{
	struct dw_kb_dimension *region = (struct dw_kb_dimension *)dw_kb_dimension(&kb, "region");
	size_t n = region->key.n;
	struct dw_kb_join *j = NULL;
	char *saved;

	region->key.n = 0;
	assert_declines("sales by region", "region has no key");
	region->key.n = n;
	for (size_t i = 0; i < kb.njoins; i++)
		if (!strcmp(kb.joins[i].right_table, "dim_product"))
			j = &kb.joins[i];
	assert_non_null(j);
	/* Pretend dim_product were a fact table some metric aggregates. */
	saved = kb.metrics[1].table;
	kb.metrics[1].table = "dim_product";
	assert_declines("sales by category", "would count");
	kb.metrics[1].table = saved;
	assert_has(answer("sales by category"), "GROUP BY dim_product.category");
}

/* Numbers as words; a typo read as the one known word one edit away. */
static void test_number_words_and_typos(void **state)
{
	assert_has(answer("top five subcategories by profit"), "LIMIT 5");
	assert_has(answer("the three least profitable countries"), "LIMIT 3");
	assert_string_equal(answer("total proffit"),
			    "SELECT SUM(fact_sales.profit) AS `profit` FROM fact_sales");
	assert_has(ans.explain, "read 'proffit' as 'profit'");
	assert_has(answer("sales by segmnet"), "GROUP BY dim_customer.segment");
	assert_has(answer("top 5 subcategroies by profit"), "LIMIT 5");
	assert_has(answer("sales in Germny"), "WHERE dim_location.country = ?");
	assert_has(answer("sales in Technolgy"), "WHERE dim_product.category = ?");
	assert_has(ans.explain, "read 'technolgy' as 'technology'");
	/* Cut again after the fix: one metric "profit margin", not two. */
	assert_has(answer("profit margni by category"), "AS `profit_margin` FROM");
	assert_null(strstr(ans.sql, "AS `profit`"));
	/* Two edits, a short word, or a word as close to two: no guess. */
	assert_declines("sales in Germnyy", "germnyy");
	assert_declines("sales in Pars", "pars");   /* Paris, but four letters */
	/* A word of a longer name; a time grain. */
	assert_has(answer("ofice supplies sales"), "WHERE dim_product.category = ?");
	assert_has(answer("montly sales"), "AS `month`");
	/* Never a word that changes the question: "median" is not the city Medan. */
	assert_int_equal(dw_sem_add_value(sem, "city", "Medan"), 0);
	assert_declines("median sales", "median");
	/* A known word that makes no phrase alone is not read as itself again
	 * and again: it declines (this looped forever). */
	assert_declines("supplies profit", "supplies");
	assert_declines("profit office", "office");
}

/* Selling measured in sales when no measure is named; "us" the pronoun. */
static void test_verbs_and_us(void **state)
{
	assert_string_equal(answer("how much did we sell"),
			    "SELECT SUM(fact_sales.sales) AS `sales` FROM fact_sales");
	assert_has(answer("how much did each segment sell in 2014"),
		   "SUM(fact_sales.sales) AS `sales`");
	assert_has(ans.sql, "GROUP BY dim_customer.segment");
	assert_has(answer("which 3 countries in Europe bought the most"), "ORDER BY `sales` DESC");
	assert_has(answer("how many customers bought in 2013"), "COUNT(DISTINCT");
	/* Without "how much" or a ranking, a list stays a list. */
	assert_has(answer("list the categories sold in 2014"), "SELECT dim_product.category");
	assert_null(strstr(ans.sql, "SUM("));
	/* "sold the most" may be units or sales: no guess. */
	assert_declines("which category sold the most", "no measure");
	/* "us" after from, with, bought...: the pronoun, not the US market. */
	assert_has(answer("how many customers bought from us in Germany in 2014"),
		   "WHERE dim_location.country = ?");
	assert_int_equal(ans.nparams, 1);
	assert_has(answer("sales in the US"), "WHERE dim_location.market = ?");
	assert_has(answer("sales from US customers"), "WHERE dim_location.market = ?");
}

/* A trend is a time series: by month within a year, by year otherwise. */
static void test_trend(void **state)
{
	assert_has(answer("sales trend"), "dim_date.year AS `year`");
	assert_int_equal(ans.time_axis, 1);
	assert_has(answer("profit over time in 2013"), "AS `month`");
	assert_has(answer("evolution of sales in Europe since 2012"), "dim_date.year AS `year`");
	assert_has(answer("how did quantity develop per quarter in 2012"), "dim_date.quarter");
	assert_has(answer("sales trend by category in 2014"), "AS `month`");
	assert_has(ans.sql, "dim_product.category");
	assert_declines("trend", "no measure");
}

/* Counting one dimension's members per another, in the facts. */
static void test_count_per(void **state)
{
	const char *sql = answer("how many products in each category");

	assert_has(sql, "SELECT dim_product.category AS `category`, "
		   "COUNT(DISTINCT fact_sales.product_key) AS `products_sold`");
	assert_has(sql, "GROUP BY dim_product.category");
	assert_has(answer("how many prodcts per category"), "COUNT(DISTINCT fact_sales.product_key)");
	assert_has(answer("how many customers per segment"), "COUNT(DISTINCT fact_sales.customer_key)");
	/* No "by" or "each": not a count per group. */
	assert_declines("how many products and categories", NULL);
	/* No metric counts countries in the facts. */
	assert_declines("how many countries in each market", "no measure");
}

/* Values compared are rows, not a sum. */
static void test_compare(void **state)
{
	const char *sql = answer("Consumer vs Corporate sales");

	assert_has(sql, "dim_customer.segment IN (?, ?)");
	assert_has(sql, "GROUP BY dim_customer.segment");
	assert_has(answer("compare sales of France and Germany"), "GROUP BY dim_location.country");
	assert_has(answer("compare profit in Consumer and Home Office by year"),
		   "GROUP BY dim_date.year, dim_customer.segment");
	assert_declines("compare sales", "two values");
}

/* Periods of one grain compared: a row each, only those periods. */
static void test_compare_periods(void **state)
{
	const char *sql = answer("compare 2013 and 2014 profit");

	assert_has(sql, "GROUP BY dim_date.year");
	assert_has(sql, "(fact_sales.order_date_key >= 20130101 AND fact_sales.order_date_key < "
		   "20140101 OR fact_sales.order_date_key >= 20140101 AND "
		   "fact_sales.order_date_key < 20150101)");
	/* 2013 is left out of 2012 vs 2014. */
	assert_has(answer("2012 vs 2014 sales by segment"), "fact_sales.order_date_key >= "
		   "20120101 AND fact_sales.order_date_key < 20130101 OR fact_sales.order_date_key "
		   ">= 20140101");
	assert_has(ans.sql, "GROUP BY dim_date.year, dim_customer.segment");
	assert_has(answer("sales in Q1 2014 versus Q1 2013"), "GROUP BY CONCAT(dim_date.year, "
		   "'-Q', dim_date.quarter)");
	/* Different grains, or a range beside a period: no guess. */
	assert_declines("sales in 2013 and March 2014", "more than one period");
	assert_declines("sales from 2012 to 2013 and 2014", "more than one period");
	assert_declines("compare 2013 and 2014 sales by month", "by that grain only");
}

/* A share: part / whole, the whole without the part's filter. */
static void test_share(void **state)
{
	const char *sql = answer("what percent of sales is Technology");

	assert_has(sql, "SELECT t.`sales_share` FROM (SELECT SUM(fact_sales.sales) / "
		   "SUM(SUM(fact_sales.sales)) OVER () AS `sales_share`, dim_product.category AS "
		   "dw_part FROM fact_sales JOIN dim_product");
	assert_has(sql, "GROUP BY dim_product.category) AS t WHERE t.dw_part = ?");
	assert_string_equal(ans.params[0], "Technology");
	/* The period limits the whole too; "%" is "percent". */
	assert_has(answer("what % of 2014 sales is Technology"),
		   "WHERE fact_sales.order_date_key >= 20140101");
	assert_has(ans.sql, "t.dw_part = ?");
	assert_has(answer("share of profit by market"), "SELECT t.`market`, t.`profit_share`");
	assert_has(answer("top 3 markets by share of profit"), "ORDER BY t.`profit_share` DESC "
		   "LIMIT 3");
	assert_has(answer("how much of our revenue does Technology account for, as a share"),
		   "t.dw_part = ?");
	/* A region name of several markets: a row for each. */
	assert_has(answer("share of sales in Central"), "GROUP BY dim_location.region, "
		   "dim_location.market) AS t WHERE t.dw_part = ?");
	assert_declines("share of average discount by market", "does not add up");
	assert_declines("share of profit margin in Technology", "does not add up");
	assert_declines("share of sales", "needs a part");
	assert_declines("share of sales in Technology by year", "cannot also be grouped");
	assert_declines("share of sales and profit by market", "one measure");
	assert_declines("share of Technology sales in EU", "one part at a time");
}

/* Growth: each period on the one before it (which must be the previous
 * step), the first periods' base read from before the period asked. */
static void test_growth(void **state)
{
	const char *sql = answer("sales growth by year");

	assert_has(sql, "SUM(fact_sales.sales) / LAG(SUM(fact_sales.sales)) OVER (ORDER BY "
		   "MIN(dim_date.year)) - 1 AS `sales_growth`");
	assert_has(sql, "WHERE t.dw_gap = 1 ORDER BY t.dw_step");
	sql = answer("yearly sales growth over the last three years");
	assert_has(sql, "WHERE fact_sales.order_date_key < 20150101 GROUP BY");
	assert_has(sql, "t.dw_first >= 20120101");
	if (strstr(sql, "dw_prev_first >="))
		fail_msg("a period's first growth has its base before it:\n%s", sql);
	/* A range: growth inside it only ("from 2013 to 2014": 2014 on 2013). */
	assert_has(answer("sales growth from 2013 to 2014"), "t.dw_prev_first >= 20130101");
	assert_has(answer("year over year profit"), "OVER (ORDER BY MIN(dim_date.year))");
	assert_has(answer("quarter over quarter sales in 2014"),
		   "MIN(dim_date.year * 4 + dim_date.quarter)");
	assert_has(answer("how much did sales grow each month in 2014"),
		   "MIN(dim_date.year * 12 + dim_date.month)");
	assert_has(answer("sales growth by year per category"),
		   "OVER (PARTITION BY dim_product.category ORDER BY MIN(dim_date.year))");
	assert_declines("which category grew its profit the most", "cannot be ranked");
	assert_declines("profit margin growth by year", "ratio");
	assert_declines("sales growth by weekday", "no step");
	assert_declines("year over year sales by month", "another grain");
	assert_declines("sales and profit growth", "one measure");
}

/* The buyer before a buying verb is who buys, not a count of buyers. */
static void test_buyer(void **state)
{
	const char *sql = answer("how much did Consumer and Corporate customers buy");

	assert_has(sql, "SUM(fact_sales.sales) AS `sales`");
	if (strstr(sql, "customer_key)"))
		fail_msg("the buyer was counted:\n%s", sql);
	assert_has(sql, "GROUP BY dim_customer.segment");
	sql = answer("what product did customers buy the most units of");
	assert_has(sql, "SUM(fact_sales.quantity) AS `quantity`");
	assert_has(sql, "GROUP BY dim_product.product_id");
	if (strstr(sql, "customer"))
		fail_msg("the buyer was read as a measure or a grouping:\n%s", sql);
	assert_has(answer("which customers bought the most Technology"),
		   "GROUP BY dim_customer.customer_id");
	assert_has(ans.sql, "SUM(fact_sales.sales)");
	/* How many buyers is still a count. */
	assert_has(answer("how many customers bought Furniture"),
		   "COUNT(DISTINCT fact_sales.customer_key)");
	/* What is bought, when someone else is ranked: the measure is unsaid. */
	assert_declines("which customers bought the most Technology products", "say what to rank by");
	assert_has(answer("which customers bought the most Technology products by quantity"),
		   "SUM(fact_sales.quantity)");
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("'%s' in:\n%s", needle, hay);
}

/* A dimension after a value that describes it names what the value is:
 * no row each, unless the question ranks, lists, counts or says "each". */
static void test_head_noun(void **state)
{
	const char *sql = answer("revenue from Technology products in 2014");

	assert_has(sql, "dim_product.category = ?");
	assert_lacks(sql, "GROUP BY");
	assert_lacks(answer("sales of Consumer customers"), "COUNT(DISTINCT");
	assert_lacks(answer("profit of EU countries by year"), "dim_location.country");
	assert_has(answer("top 5 Technology products by sales"), "GROUP BY dim_product.product_id");
	assert_has(answer("units sold in each of the three Furniture subcategories"),
		   "GROUP BY dim_product.subcategory");
	assert_has(answer("how many Consumer customers"), "COUNT(DISTINCT fact_sales.customer_key)");
	/* With no of, from or for before the value, either reading is likely. */
	assert_declines("average discount Furniture subcategories", "one total, or a row for each");
}

/* Counting who buys: what they buy is no second measure or grouping, and
 * counting what is bought, the buyer is no measure. */
static void test_counted_buyers(void **state)
{
	const char *sql = answer("how many customers placed orders in each segment in 2014");

	assert_has(sql, "COUNT(DISTINCT fact_sales.customer_key)");
	assert_lacks(sql, "order_id");
	assert_has(sql, "GROUP BY dim_customer.segment");
	sql = answer("how many customers bought products in 2013");
	assert_lacks(sql, "product");
	sql = answer("how many units did customers buy in 2014");
	assert_has(sql, "SUM(fact_sales.quantity)");
	assert_lacks(sql, "customer");
}

/* A selling verb answering its own "how much" asks for sales, beside
 * whatever else is asked. */
static void test_sell_asked(void **state)
{
	const char *sql = answer("how much did each category sell and how much profit did it make");

	assert_has(sql, "SUM(fact_sales.sales)");
	assert_has(sql, "SUM(fact_sales.profit)");
	assert_lacks(answer("how much profit did we make selling Furniture"), "SUM(fact_sales.sales)");
}

/* Years said in words; "twenty five" stays a number. */
static void test_spoken_years(void **state)
{
	assert_has(answer("profit in twenty thirteen"), ">= 20130101 AND fact_sales.order_date_key < 20140101");
	assert_has(answer("sales in two thousand and twelve"), ">= 20120101");
	assert_has(answer("sales in nineteen ninety nine"), ">= 19990101");
	assert_has(answer("top twenty five customers by sales"), "LIMIT 25");
}

/* "bring in" sells; a measure's plural and "yr" are its words too. */
static void test_more_words(void **state)
{
	assert_has(answer("how much did each segment bring in"), "SUM(fact_sales.sales)");
	assert_has(answer("return rates by yr"), "GROUP BY dim_date.year");
	assert_has(answer("profit margins by category"), "AS `profit_margin`");
}

/* Orders said after a ranking agree with it or decline; "rank (list) the
 * states by profit" sorts every row; "between" two values compares them. */
static void test_order_words(void **state)
{
	assert_has(answer("the 3 least profitable subcategories, worst first"), "ASC");
	assert_declines("the 3 least profitable subcategories, best first", "sorted by");
	assert_has(answer("annual sales for every year, oldest first"), "GROUP BY dim_date.year");
	assert_declines("sales by category, oldest first", "time grouping");
	assert_has(answer("rank the markets by profit"), "ORDER BY `profit` DESC");
	assert_lacks(ans.sql, "LIMIT");
	assert_has(answer("rank the markets by profit, top 3"), "LIMIT 3");
	assert_has(answer("compare 2014 profit between EU and US"), "GROUP BY dim_location.market");
	assert_has(answer("Technology profit as a fraction of total profit"), "profit_share");
}

/* Found by a third held-out set (t/ask/holdout-c.yaml). */
static void test_holdout_c(void **state)
{
	const char *sql;

	/* A value named with its dimension still heads the noun after them. */
	assert_lacks(answer("sales of Corporate segment customers in 2014"), "COUNT(DISTINCT");
	/* "how many" counts the noun it is before, not one after a value. */
	sql = answer("count of orders for Technology products in 2012");
	assert_has(sql, "COUNT(DISTINCT fact_sales.order_id)");
	assert_lacks(sql, "GROUP BY");
	assert_has(answer("how many Technology products"), "product");
	/* A measure's other word naming the value's dimension ("shipping
	 * mode") is no measure; the measure's own name is. */
	sql = answer("orders with Same Day shipping in 2012");
	assert_lacks(sql, "shipping_cost");
	assert_has(answer("First Class shipping costs"), "SUM(fact_sales.shipping_cost)");
	assert_has(answer("Canada sales in 2014"), "SUM(fact_sales.sales)");
	/* A period after the data declines instead of an empty answer. */
	assert_declines("sales in 2016", "the data ends on 2014-12-31");
	/* Ranked after a value: the dimension. */
	assert_has(answer("top 3 Consumer customers by profit"), "GROUP BY dim_customer.customer_id");
	/* "each Central region": a row for each region of that name. */
	assert_has(answer("sales for each Central region"), "GROUP BY dim_location.region");
	/* The growth of one year has no year column. */
	sql = answer("yoy sales growth by market for 2014");
	assert_lacks(sql, "SELECT t.`year`");
	/* A typo one edit from a word and from its plural reads as the word. */
	assert_has(answer("profitt by market"), "SUM(fact_sales.profit)");
}

/* The period before, said after the measure, is growth; weekdays in
 * their order need a weekday grouping. */
static void test_previous_and_weekdays(void **state)
{
	assert_has(answer("sales each year versus the previous year"), "sales_growth");
	assert_has(answer("profit by quarter compared with the quarter before"), "profit_growth");
	assert_has(answer("orders by weekday, Monday through Sunday"), "GROUP BY");
	assert_declines("sales by category, Monday through Sunday", "'monday through sunday' needs");
}

/* A share of a measure said as part of another ("orders returned") is
 * a rate or a distribution: declined; said as itself, a distribution. */
static void test_share_of_subset(void **state)
{
	assert_declines("percentage of orders returned by market", "a rate within each group");
	assert_has(answer("share of returned orders by market"), "returned_orders_share");
}

/* The passive and phrasal forms of "returned". */
static void test_returned_words(void **state)
{
	assert_has(answer("how many orders were sent back in 2014"), "returned_orders");
	assert_has(answer("how much revenue was returned by category"), "returned_sales");
	assert_has(answer("how many orders got returned by market"), "returned_orders");
}

/* A measure word after a value, with another measure asked, names the
 * value (found by the fifth held-out set). */
static void test_heads_as_measure(void **state)
{
	assert_lacks(answer("units of Technology on High priority orders in 2012"), "order_id");
	assert_has(answer("High priority orders in 2014"), "COUNT(DISTINCT fact_sales.order_id)");
	/* A measure-and-dimension noun after a value, with no other measure:
	 * counted. */
	assert_has(answer("unique Home Office customers by year"),
		   "COUNT(DISTINCT fact_sales.customer_key)");
}

/* Values of one dimension named with no grouping: a row each. */
static void test_values_rows(void **state)
{
	assert_has(answer("sales in France and Germany in 2014"), "GROUP BY dim_location.country");
	assert_has(answer("share of sales from Technology and Furniture"),
		   "SELECT t.`category`, t.`sales_share`");
	assert_has(ans.sql, "t.dw_part IN (?, ?)");
}

/* Two phrases that overlap: two readings, declined. */
static void test_crossing(void **state)
{
	assert_declines("shipping cost per order priority", "overlap");
	assert_declines("sales per customer segment", "'customer segment' overlap");
	assert_has(answer("shipping cost per order by priority"), "GROUP BY fact_sales.order_priority");
}

/* The typo rule reads every word in no known phrase: a typo after a word
 * that starts a phrase ("average dicount"), growth and share words, short
 * words with two letters swapped; never a word only of names. */
static void test_typos_everywhere(void **state)
{
	assert_has(answer("average dicount by category"), "AVG(fact_sales.discount)");
	assert_has(ans.explain, "read 'dicount' as 'discount'");
	assert_has(answer("sales grwoth by year"), "AS `sales_growth`");
	assert_has(answer("sales by day of teh week"), "dim_date.day_name");
	assert_has(ans.explain, "read 'teh' as 'the'");
	/* "frances" is one edit from the value France, but a customer's name. */
	if (dw_sem_add_member(sem, "customer", "Bob Frances", "BF-10004") < 0)
		fail_msg("add member");
	assert_has(answer("sales of Bob Frances"), "dim_customer.customer_name = ?");
	assert_declines("sales of Ann Frances", "'ann' is not understood");
	assert_declines("sales in Francess", "'francess' is not understood");
	/* Three letters, one added: no guess. */
	assert_declines("list the shp modes", "'shp' is not understood");
}

/* Names (values: local) wait until a question holds a word nothing else
 * knows; a name made only of known words is always there. A fresh engine,
 * so that no earlier question has loaded them. */
static void test_names_loaded_when_needed(void **state)
{
	struct dw_sem *s = dw_sem_new(&kb);
	struct dw_sem_answer a;
	struct dw_err err;

	assert_non_null(s);
	assert_int_equal(dw_sem_add_value(s, "segment", "Consumer"), 0);
	assert_int_equal(dw_sem_add_value(s, "category", "Technology"), 0);
	assert_int_equal(dw_sem_add_member(s, "customer", "Consumer Technology", "CT-10001"), 0);
	assert_int_equal(dw_sem_add_member(s, "customer", "Ann Lee", "AL-10003"), 0);
	dw_sem_set_latest(s, 20141231);
	/* Every word known: only the name of known words is read. */
	assert_int_equal(dw_sem_answer(s, "sales of Consumer Technology", &a, &err), 1);
	assert_non_null(strstr(a.sql, "dim_customer.customer_name = ?"));
	dw_sem_answer_release(&a);
	assert_int_equal(dw_sem_answer(s, "sales of Ann Lee", &a, &err), 1);
	assert_non_null(strstr(a.sql, "dim_customer.customer_name = ?"));
	dw_sem_answer_release(&a);
	dw_sem_free(s);
}

/* "the year before last", numbers that only say how many, fillers. */
static void test_more_phrasing(void **state)
{
	const char *sql = answer("shipping cost by order priority the year before last");

	assert_has(sql, ">= 20130101 AND fact_sales.order_date_key < 20140101");
	assert_has(answer("profit in the quarter before last"), ">= 20140701 AND "
		   "fact_sales.order_date_key < 20141001");
	assert_has(answer("profit in the three Central regions"), "GROUP BY dim_location.region");
	if (strstr(ans.sql, "LIMIT"))
		fail_msg("a number that says how many values limits the rows:\n%s", ans.sql);
	assert_has(answer("the 3 EU countries with the highest sales"), "LIMIT 3");
	assert_has(answer("sales for each of the seven weekdays"), "dim_date.day_name");
	/* Overlapping phrases of one meaning are one reading. */
	assert_has(answer("number of products sold in Canada"), "COUNT(DISTINCT "
		   "fact_sales.product_key)");
	assert_has(answer("which segment earned the most profit over all years"),
		   "GROUP BY dim_customer.segment");
}

/* Signs are words: a comparison is never read as if it were not there. */
static void test_signs(void **state)
{
	assert_declines("sales > 1000 by country", "'>' is not understood");
	assert_declines("profit / sales by market", "'/' is not understood");
	assert_has(answer("# of orders by year"), "COUNT(DISTINCT fact_sales.order_id)");
}

/* After "each": a number that only says how many, a value that filters. */
static void test_each_of(void **state)
{
	assert_has(answer("units sold in each of the four furniture subcategories"),
		   "GROUP BY dim_product.subcategory");
	assert_has(ans.sql, "WHERE dim_product.category = ?");
	assert_has(answer("how many units were sold in each Furniture subcategory"),
		   "GROUP BY dim_product.subcategory");
	assert_has(answer("number of products in each of the three categories"),
		   "COUNT(DISTINCT fact_sales.product_key)");
	assert_has(answer("how much profit did each segment earn"), "GROUP BY dim_customer.segment");
	assert_declines("which segment earns the most", "no measure");
}

/* Every pair of words from the engine's phrases, numbers, typos and
 * fillers either answers or declines, within a time limit (a word read as
 * itself once made the engine loop forever). */
static void test_word_pairs_end(void **state)
{
	static const char *const words[] = {
		"united", "states", "office", "supplies", "home", "same", "day", "class",
		"profit", "proffit", "margin", "sales", "by", "in", "each", "top", "five",
		"us", "vs", "compare", "trend", "over", "time", "how", "many", "much", "sold",
		"central", "south", "europe", "2014", "last", "year", "month", "the", "of",
		"customers", "custmers", "products", "technolgy", "value", "number", "?",
	};
	size_t n = sizeof words / sizeof words[0];

	alarm(60);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			char q[64];
			struct dw_sem_answer a;
			struct dw_err err;

			snprintf(q, sizeof q, "%s %s", words[i], words[j]);
			dw_err_clear(&err);
			if (dw_sem_answer(sem, q, &a, &err) < 0)
				fail_msg("'%s' failed: %s", q, err.msg);
			dw_sem_answer_release(&a);
		}
	alarm(0);
}

/* Metric adjectives: a ranking by a measure, in a direction, by rule. */
static void test_metric_adjectives(void **state)
{
	const char *sql = answer("the 3 most profitable countries");

	assert_has(sql, "SUM(fact_sales.profit)");
	assert_has(sql, "ORDER BY `profit` DESC");
	assert_has(sql, "LIMIT 3");
	assert_has(answer("least profitable category"), "ORDER BY `profit` ASC");
	assert_has(ans.sql, "LIMIT 1");
	assert_has(answer("best-selling products"), "ORDER BY `sales` DESC");
	assert_has(ans.sql, "LIMIT 10");
	assert_has(answer("worst selling subcategories"), "ORDER BY `sales` ASC");
	assert_has(answer("most discounted categories"), "AVG(fact_sales.discount)");
	assert_has(ans.sql, "ORDER BY `average_discount` DESC");
	assert_has(answer("least discounted segment"), "ORDER BY `average_discount` ASC");
	/* Ranked by the adjective's measure, whatever else is shown. */
	assert_has(answer("sales of the most profitable category"), "ORDER BY `profit` DESC");
	assert_declines("top 5 least profitable countries", "highest and lowest");
	assert_declines("the most profitable", NULL);
	/* Selling may be counted in units; profit is not ranked by sales. */
	assert_has(answer("best selling product by units"), "ORDER BY `quantity` DESC");
	assert_null(strstr(ans.sql, "SUM(fact_sales.sales)"));
	assert_declines("most profitable category by sales", "two measures");
}

/* Listing a time grain: the periods with orders, in order. */
static void test_list_grain(void **state)
{
	const char *want = "SELECT dim_date.year AS `year` FROM fact_sales JOIN dim_date ON "
			   "dim_date.date_key = fact_sales.order_date_key GROUP BY dim_date.year "
			   "ORDER BY dim_date.year";

	assert_string_equal(answer("which years are in the data"), want);
	assert_string_equal(answer("list the years"), want);
	assert_has(answer("what months have orders"), "GROUP BY DATE_FORMAT(dim_date.full_date, '%Y-%m')");
	assert_null(strstr(ans.sql, "COUNT"));
	assert_has(answer("list the months in 2014"), "fact_sales.order_date_key >= 20140101");
	assert_declines("top years", NULL);
	assert_declines("years by category", NULL);
	assert_declines("which customers have orders", "time grain");
	assert_declines("how many years have orders", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_total),
		cmocka_unit_test(test_top_n_with_value_and_relative_year),
		cmocka_unit_test(test_bottom_and_which),
		cmocka_unit_test(test_two_metrics_two_dims),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_time_series),
		cmocka_unit_test(test_values_and_ambiguity),
		cmocka_unit_test(test_counts_lists_coverage),
		cmocka_unit_test(test_declines),
		cmocka_unit_test(test_params_never_spliced),
		cmocka_unit_test(test_groups_by_key),
		cmocka_unit_test(test_shared_names),
		cmocka_unit_test(test_names_and_ids),
		cmocka_unit_test(test_plan_checks),
		cmocka_unit_test(test_number_words_and_typos),
		cmocka_unit_test(test_verbs_and_us),
		cmocka_unit_test(test_trend),
		cmocka_unit_test(test_count_per),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_compare_periods),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_signs),
		cmocka_unit_test(test_buyer),
		cmocka_unit_test(test_head_noun),
		cmocka_unit_test(test_counted_buyers),
		cmocka_unit_test(test_sell_asked),
		cmocka_unit_test(test_spoken_years),
		cmocka_unit_test(test_more_words),
		cmocka_unit_test(test_order_words),
		cmocka_unit_test(test_holdout_c),
		cmocka_unit_test(test_previous_and_weekdays),
		cmocka_unit_test(test_share_of_subset),
		cmocka_unit_test(test_returned_words),
		cmocka_unit_test(test_heads_as_measure),
		cmocka_unit_test(test_values_rows),
		cmocka_unit_test(test_crossing),
		cmocka_unit_test(test_typos_everywhere),
		cmocka_unit_test(test_more_phrasing),
		cmocka_unit_test(test_names_loaded_when_needed),
		cmocka_unit_test(test_each_of),
		cmocka_unit_test(test_word_pairs_end),
		cmocka_unit_test(test_metric_adjectives),
		cmocka_unit_test(test_list_grain),
	};
	int rc = cmocka_run_group_tests_name("ask_semantic", tests, setup, teardown);

	dw_sem_answer_release(&ans);
	return rc;
}
