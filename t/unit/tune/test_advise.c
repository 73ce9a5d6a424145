/* Unit tests for lib/tune/advise.c: the columns a SELECT uses per table
 * reference on the warehouse's star-schema shapes (joins, OR, functions,
 * ranges, GROUP BY and ORDER BY, derived tables, WITH, subqueries, quoted
 * and qualified names, unqualified columns), the statements it refuses,
 * the candidate indexes and those existing ones skip, and the redundant
 * existing indexes. Every expectation is worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tune/advise.h"

static const char *const use_names[] = { "eq", "join", "range", "group", "order" };

static void usage_of(const char *sql, struct dw_advise_usage *u)
{
	struct dw_err err = { 0 };
	int rc = dw_advise_usage(sql, u, &err);

	if (rc)
		print_message("dw_advise_usage: %s\n", err.msg);
	assert_int_equal(rc, 0);
}

/* The table references of u: "schema.name/alias ..." ("name/alias"
 * without a schema). */
static const char *tables(const struct dw_advise_usage *u)
{
	static char buf[1024];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < u->ntables; i++) {
		const struct dw_advise_table *t = &u->tables[i];

		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s%s%s/%s", i ? " " : "",
					t->schema, *t->schema ? "." : "", t->name, t->alias);
	}
	return buf;
}

/* The uses of the table reference aliased alias: "col:use ..." (with
 * "-desc" for ORDER BY ... DESC), "" when it has none, "(none)" when no
 * reference has the alias. */
static const char *uses(const struct dw_advise_usage *u, const char *alias)
{
	static char buf[1024];

	for (size_t i = 0; i < u->ntables; i++) {
		const struct dw_advise_table *t = &u->tables[i];
		size_t len = 0;

		if (strcmp(t->alias, alias))
			continue;
		buf[0] = '\0';
		for (size_t j = 0; j < t->ncols; j++)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s:%s%s", j ? " " : "",
						t->cols[j].name, use_names[t->cols[j].use],
						t->cols[j].desc ? "-desc" : "");
		return buf;
	}
	return "(none)";
}

/* The candidates of sql given existing: "table(a,b) ...". */
static const char *candidates(const char *sql, const struct dw_advise_index *existing, size_t n)
{
	static char buf[2048];
	struct dw_advise_usage u;
	struct dw_advise_candidate *v;
	struct dw_err err = { 0 };
	size_t nv, len = 0;

	usage_of(sql, &u);
	assert_int_equal(dw_advise_candidates(&u, existing, n, &v, &nv, &err), 0);
	buf[0] = '\0';
	for (size_t i = 0; i < nv; i++) {
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s%s%s(", i ? " " : "",
					v[i].schema, *v[i].schema ? "." : "", v[i].table);
		for (size_t j = 0; j < v[i].ncols; j++)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", j ? "," : "",
						v[i].cols[j]);
		len += (size_t)snprintf(buf + len, sizeof buf - len, ")");
	}
	assert_true(nv == 0 || v != NULL);
	free(v);
	dw_advise_usage_release(&u);
	return buf;
}

/* The redundant indexes of x: "name<covering_name ...". */
static const char *redundant(const struct dw_advise_index *x, size_t n)
{
	static char buf[1024];
	struct dw_advise_cover *v;
	struct dw_err err = { 0 };
	size_t nv, len = 0;

	assert_int_equal(dw_advise_redundant(x, n, &v, &nv, &err), 0);
	buf[0] = '\0';
	for (size_t i = 0; i < nv; i++) {
		assert_true(v[i].index < n && v[i].by < n && v[i].index != v[i].by);
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s<%s", i ? " " : "",
					x[v[i].index].name, x[v[i].by].name);
	}
	free(v);
	return buf;
}

static const char *const star_sql =
	"SELECT l.market, SUM(f.sales) FROM fact_sales f "
	"JOIN dim_location l ON l.location_key = f.location_key "
	"JOIN dim_date d ON d.date_key = f.order_date_key "
	"WHERE d.year = 2014 AND l.market = 'EU' GROUP BY l.market ORDER BY 2 DESC LIMIT 10";

/* ---- usage ------------------------------------------------------------------- */

static void test_star(void **state)
{
	struct dw_advise_usage u;

	usage_of(star_sql, &u);
	assert_string_equal(tables(&u), "fact_sales/f dim_location/l dim_date/d");
	assert_string_equal(uses(&u, "f"), "location_key:join order_date_key:join");
	/* ORDER BY 2 is SUM(f.sales): no column */
	assert_string_equal(uses(&u, "l"), "location_key:join market:eq market:group");
	assert_string_equal(uses(&u, "d"), "date_key:join year:eq");
	dw_advise_usage_release(&u);
	assert_null(u.tables);
	assert_int_equal(u.ntables, 0);
}

static void test_or_left_out(void **state)
{
	struct dw_advise_usage u;

	usage_of("SELECT * FROM fact_sales f WHERE f.store_key = 3 AND "
		 "(f.product_key = 1 OR f.product_key = 2) AND f.qty > 5",
		 &u);
	assert_string_equal(uses(&u, "f"), "store_key:eq qty:range");
	dw_advise_usage_release(&u);
	/* AND binds tighter: (a AND b) OR c serves no index */
	usage_of("SELECT * FROM fact_sales f WHERE f.a = 1 AND f.b = 2 OR f.c = 3", &u);
	assert_string_equal(uses(&u, "f"), "");
	dw_advise_usage_release(&u);
	usage_of("SELECT * FROM fact_sales f WHERE f.a = 1 || f.b = 2", &u);
	assert_string_equal(uses(&u, "f"), "");
	dw_advise_usage_release(&u);
	/* a parenthesised conjunction is read */
	usage_of("SELECT * FROM fact_sales f WHERE (f.a = 1 AND (f.b = 2)) AND f.c < 3", &u);
	assert_string_equal(uses(&u, "f"), "a:eq b:eq c:range");
	dw_advise_usage_release(&u);
}

static void test_functions(void **state)
{
	struct dw_advise_usage u;

	usage_of("SELECT COUNT(*) FROM dim_date d WHERE YEAR(d.full_date) = 2014 "
		 "AND 3 = MONTH(d.full_date) AND d.month = 3 AND LOWER(d.day_name) LIKE 'mon%' "
		 "AND d.week + 0 = 5 AND d.quarter = FLOOR(d.month / 3) "
		 "AND d.full_date >= CURDATE() - INTERVAL 30 DAY",
		 &u);
	/* functions of the value are fine, of the column not */
	assert_string_equal(uses(&u, "d"), "month:eq full_date:range");
	dw_advise_usage_release(&u);
}

static void test_predicates(void **state)
{
	struct dw_advise_usage u;

	usage_of("SELECT * FROM dim_store s WHERE s.a <> 1 AND s.b != 2 AND s.c IS NOT NULL "
		 "AND s.d NOT IN (1, 2) AND NOT s.e = 1 AND s.f LIKE '%x' AND s.g LIKE ? "
		 "AND s.h LIKE 'Mo%' AND s.i NOT BETWEEN 1 AND 2 AND s.j = s.k AND s.m REGEXP 'x' "
		 "AND s.n IN (SELECT (1)) AND s.o = (SELECT MAX(x) FROM t) AND s.p = @v "
		 "AND s.q IN (1, ?, @w) AND s.r IS NULL AND s.s <=> 'x' AND -1 < s.t "
		 "AND s.u BETWEEN DATE '2014-01-01' AND :hi AND s.v = s.v2 + 1",
		 &u);
	assert_string_equal(tables(&u), "dim_store/s t/t");
	assert_string_equal(uses(&u, "s"),
			    "h:range p:eq q:eq r:eq s:eq t:range u:range");
	dw_advise_usage_release(&u);
}

static void test_range_then_group(void **state)
{
	struct dw_advise_usage u;

	usage_of("SELECT d.month, COUNT(*) FROM dim_date d WHERE d.year = 2014 AND "
		 "d.full_date BETWEEN '2014-01-01' AND '2014-06-30' AND d.day_of_week < 6 "
		 "GROUP BY d.month",
		 &u);
	assert_string_equal(uses(&u, "d"),
			    "year:eq full_date:range day_of_week:range month:group");
	dw_advise_usage_release(&u);
	/* the select list's positions and aliases in GROUP BY and ORDER BY */
	usage_of("SELECT d.year AS y, COUNT(*) AS n FROM dim_date d GROUP BY 1 ORDER BY n DESC",
		 &u);
	assert_string_equal(uses(&u, "d"), "year:group");
	dw_advise_usage_release(&u);
	usage_of("SELECT SUM(sales) 'total' FROM fact_sales ORDER BY total", &u);
	assert_string_equal(uses(&u, "fact_sales"), "");
	dw_advise_usage_release(&u);
	/* a GROUP BY of two tables is no index's order */
	usage_of("SELECT d.year, l.market, SUM(f.sales) FROM fact_sales f "
		 "JOIN dim_date d ON d.date_key = f.order_date_key "
		 "JOIN dim_location l ON l.location_key = f.location_key "
		 "GROUP BY d.year, l.market ORDER BY d.year DESC, d.month DESC",
		 &u);
	assert_string_equal(uses(&u, "d"), "date_key:join year:order-desc month:order-desc");
	assert_string_equal(uses(&u, "l"), "location_key:join");
	dw_advise_usage_release(&u);
}

static void test_derived_table(void **state)
{
	struct dw_advise_usage u;

	usage_of("SELECT t.region, t.total FROM (SELECT l.region, SUM(f.sales) AS total "
		 "FROM fact_sales f JOIN dim_location l ON l.location_key = f.location_key "
		 "WHERE f.order_date_key >= 20140101 GROUP BY l.region) AS t "
		 "WHERE t.total > 1000 ORDER BY t.total DESC",
		 &u);
	assert_string_equal(tables(&u), "fact_sales/f dim_location/l");
	assert_string_equal(uses(&u, "f"), "location_key:join order_date_key:range");
	assert_string_equal(uses(&u, "l"), "location_key:join region:group");
	dw_advise_usage_release(&u);
	/* outside, region is the derived table's, not dim_location's */
	usage_of("SELECT region FROM (SELECT region FROM dim_location WHERE market = 'EU') x "
		 "WHERE region = 'North' ORDER BY region",
		 &u);
	assert_string_equal(tables(&u), "dim_location/dim_location");
	assert_string_equal(uses(&u, "dim_location"), "market:eq");
	dw_advise_usage_release(&u);
	/* a derived table sees no table beside it (MariaDB has no LATERAL) */
	usage_of("SELECT * FROM dim_store s JOIN (SELECT f.store_key FROM fact_sales f "
		 "WHERE f.qty = s.store_key) x ON x.store_key = s.store_key",
		 &u);
	assert_string_equal(uses(&u, "f"), "");
	assert_string_equal(uses(&u, "s"), "store_key:join");
	dw_advise_usage_release(&u);
}

static void test_unqualified(void **state)
{
	struct dw_advise_usage u;

	usage_of("SELECT product_name FROM dim_product WHERE category = 'Bikes' "
		 "AND list_price < 100 ORDER BY product_name",
		 &u);
	assert_string_equal(uses(&u, "dim_product"),
			    "category:eq list_price:range product_name:order");
	dw_advise_usage_release(&u);
	/* two tables: category could be either's */
	usage_of("SELECT * FROM fact_sales f JOIN dim_product p ON p.product_key = f.product_key "
		 "WHERE category = 'Bikes' AND p.color = 'red' ORDER BY list_price",
		 &u);
	assert_string_equal(uses(&u, "p"), "product_key:join color:eq");
	assert_string_equal(uses(&u, "f"), "product_key:join");
	dw_advise_usage_release(&u);
}

static void test_names(void **state)
{
	struct dw_advise_usage u;

	usage_of("SELECT `f`.`sales` FROM `dw`.`fact_sales` AS `f` "
		 "WHERE `f`.`store_key` IN (1, 2, ?) AND f.promo_key IS NULL; -- done",
		 &u);
	assert_string_equal(tables(&u), "dw.fact_sales/f");
	assert_string_equal(uses(&u, "f"), "store_key:eq promo_key:eq");
	dw_advise_usage_release(&u);
	usage_of("/* q */ SELECT * FROM dw.dim_store WHERE dw.dim_store.city = :city "
		 "AND dim_store.region = 'EU' AND x.dim_store.zip = '1'",
		 &u);
	assert_string_equal(uses(&u, "dim_store"), "city:eq region:eq");
	dw_advise_usage_release(&u);
	/* an alias hides the table's name, and aliases are case-sensitive */
	usage_of("SELECT * FROM dim_store s WHERE dim_store.city = 'a' AND S.zip = '1' "
		 "AND s.`Region` = 'b'",
		 &u);
	assert_string_equal(uses(&u, "s"), "Region:eq");
	dw_advise_usage_release(&u);
}

static void test_subqueries(void **state)
{
	struct dw_advise_usage u;

	usage_of("SELECT c.customer_key FROM dim_customer c WHERE c.segment = @seg AND EXISTS "
		 "(SELECT 1 FROM fact_sales f WHERE f.customer_key = c.customer_key "
		 "AND f.order_date_key > ?)",
		 &u);
	assert_string_equal(tables(&u), "dim_customer/c fact_sales/f");
	assert_string_equal(uses(&u, "c"), "segment:eq customer_key:join");
	assert_string_equal(uses(&u, "f"), "customer_key:join order_date_key:range");
	dw_advise_usage_release(&u);
	usage_of("SELECT p.product_name, (SELECT COUNT(*) FROM fact_sales s "
		 "WHERE s.product_key = p.product_key) FROM dim_product p "
		 "WHERE p.product_key IN (SELECT f.product_key FROM fact_sales f WHERE f.qty > 10)",
		 &u);
	assert_string_equal(tables(&u), "dim_product/p fact_sales/s fact_sales/f");
	assert_string_equal(uses(&u, "p"), "product_key:join");
	assert_string_equal(uses(&u, "s"), "product_key:join");
	assert_string_equal(uses(&u, "f"), "qty:range");
	dw_advise_usage_release(&u);
}

static void test_joins(void **state)
{
	struct dw_advise_usage u;

	usage_of("SELECT * FROM fact_sales JOIN dim_store USING (store_key) "
		 "LEFT OUTER JOIN (dim_product p INNER JOIN dim_brand b ON b.brand_key = p.brand_key) "
		 "ON p.product_key = fact_sales.product_key AND LEFT(b.code, 1) = 'A' "
		 "AND b.name = 'Acme' AND b.tier = (SELECT MAX(t.tier) FROM dim_tier t "
		 "WHERE t.active = 1) "
		 "WHERE dim_store.city = 'Lyon' AND LEFT(dim_store.zip, 2) = '69'",
		 &u);
	assert_string_equal(tables(&u), "fact_sales/fact_sales dim_store/dim_store dim_product/p "
					"dim_brand/b dim_tier/t");
	assert_string_equal(uses(&u, "t"), "active:eq");
	assert_string_equal(uses(&u, "fact_sales"), "store_key:join product_key:join");
	assert_string_equal(uses(&u, "dim_store"), "store_key:join city:eq");
	assert_string_equal(uses(&u, "p"), "brand_key:join product_key:join");
	assert_string_equal(uses(&u, "b"), "brand_key:join name:eq");
	dw_advise_usage_release(&u);
	/* a comma join, index hints, a partition; a self join is two references */
	usage_of("SELECT * FROM dim_date a USE INDEX (PRIMARY), dim_date PARTITION (p2014) b "
		 "FORCE INDEX FOR ORDER BY (idx_month) "
		 "WHERE b.date_key = a.date_key + 1 AND a.year = 2014 AND b.month = 1 "
		 "ORDER BY b.month, b.day",
		 &u);
	assert_string_equal(tables(&u), "dim_date/a dim_date/b");
	assert_string_equal(uses(&u, "a"), "year:eq");
	assert_string_equal(uses(&u, "b"), "month:eq month:order day:order");
	dw_advise_usage_release(&u);
	/* past FOR SYSTEM_TIME the FROM is not read: an unqualified column
	 * might be a later table's */
	usage_of("SELECT * FROM dim_store FOR SYSTEM_TIME ALL AS s JOIN dim_brand b "
		 "ON b.brand_key = s.brand_key WHERE city = 'x' AND b.name = 'y' FOR UPDATE",
		 &u);
	assert_string_equal(tables(&u), "dim_store/dim_store");
	assert_string_equal(uses(&u, "dim_store"), "");
	dw_advise_usage_release(&u);
}

static void test_with_and_union(void **state)
{
	struct dw_advise_usage u;

	usage_of("WITH s AS (SELECT store_key FROM dim_store WHERE region = 'EU') "
		 "SELECT SUM(f.sales) FROM fact_sales f JOIN s ON s.store_key = f.store_key",
		 &u);
	assert_string_equal(tables(&u), "dim_store/dim_store fact_sales/f");
	assert_string_equal(uses(&u, "dim_store"), "region:eq");
	assert_string_equal(uses(&u, "f"), "store_key:join");
	dw_advise_usage_release(&u);
	/* the last ORDER BY sorts the UNION */
	usage_of("SELECT region FROM dim_location WHERE market = 'EU' UNION ALL "
		 "(SELECT region FROM dim_store WHERE city = 'Paris' ORDER BY zip LIMIT 1) "
		 "UNION SELECT name FROM dim_brand WHERE brand_key > 3 ORDER BY name",
		 &u);
	assert_string_equal(uses(&u, "dim_location"), "market:eq");
	assert_string_equal(uses(&u, "dim_store"), "city:eq zip:order");
	assert_string_equal(uses(&u, "dim_brand"), "brand_key:range");
	dw_advise_usage_release(&u);
	/* CASE ... END brackets its ANDs and ORs */
	usage_of("SELECT CASE WHEN x = 1 OR y = 2 THEN 'a' END AS k FROM dim_store "
		 "WHERE CASE WHEN zip = '1' OR city = 'x' THEN 1 END = 1 AND region = 'EU'",
		 &u);
	assert_string_equal(uses(&u, "dim_store"), "region:eq");
	dw_advise_usage_release(&u);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"INSERT INTO t VALUES (1)", "SELECT 1; SELECT 2", "SELECT 'abc", "SELECT (1 FROM t",
		"SELECT CASE WHEN 1 THEN 2 FROM t", "", "  -- nothing\n", "UPDATE t SET a = 1",
	};
	struct dw_advise_usage u;
	struct dw_err err;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&err, 0, sizeof err);
		assert_int_equal(dw_advise_usage(bad[i], &u, &err), -1);
		assert_int_equal(err.code, DW_EX_DATAERR);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(u.ntables, 0);
		assert_null(u.tables);
		dw_advise_usage_release(&u);
	}
	memset(&err, 0, sizeof err);
	dw_advise_usage("SELECT 1; DELETE FROM t", &u, &err);
	assert_non_null(strstr(err.msg, "more than one statement"));
	dw_advise_usage("INSERT INTO t VALUES (1)", &u, &err);
	assert_string_equal(err.msg, "not a SELECT statement: it starts with 'INSERT'");
	usage_of("(SELECT 1 FROM t WHERE a = 1);;", &u);
	assert_string_equal(uses(&u, "t"), "a:eq");
	dw_advise_usage_release(&u);
}

/* ---- candidates -------------------------------------------------------------- */

static void test_candidates_star(void **state)
{
	static const char *const pk_date[] = { "date_key" };
	static const char *const pk_location[] = { "location_key" };
	static const char *const fs_loc[] = { "location_key", "product_key" };
	static const char *const year_key[] = { "YEAR", "date_key", "month" };
	static const char *const other_market[] = { "market" };
	const struct dw_advise_index existing[] = {
		{ NULL, "dim_date", "PRIMARY", pk_date, 1, 1, 1 },
		{ "dw", "dim_location", "PRIMARY", pk_location, 1, 1, 1 },
		{ NULL, "fact_sales", "idx_fs_loc", fs_loc, 2, 0, 0 },
		{ NULL, "dim_date", "idx_year_key", year_key, 3, 0, 0 },
		{ NULL, "dim_store", "idx_market", other_market, 1, 0, 0 },
		{ NULL, "dim_location", "idx_short", other_market, 0, 0, 0 },
	};

	assert_string_equal(candidates(star_sql, NULL, 0),
			    "fact_sales(location_key,order_date_key) fact_sales(location_key) "
			    "fact_sales(order_date_key) dim_location(market,location_key) "
			    "dim_location(location_key) dim_location(market) "
			    "dim_date(year,date_key) dim_date(date_key) dim_date(year)");
	/* a candidate an existing index starts with is skipped, case aside */
	assert_string_equal(candidates(star_sql, existing, 6),
			    "fact_sales(location_key,order_date_key) fact_sales(order_date_key) "
			    "dim_location(market,location_key) dim_location(market)");
}

static void test_candidates_shapes(void **state)
{
	static const char *const a[] = { "a" };
	const struct dw_advise_index other_schema[] = {
		{ "other", "t", "idx_a", a, 1, 0, 0 },
	};
	const struct dw_advise_index any_schema[] = {
		{ NULL, "t", "idx_a", a, 1, 0, 0 },
	};

	/* a range ends the index; without one, GROUP BY follows the equalities */
	assert_string_equal(candidates("SELECT d.month, COUNT(*) FROM dim_date d WHERE d.year = "
				       "2014 AND d.full_date BETWEEN '2014-01-01' AND '2014-06-30' "
				       "GROUP BY d.month",
				       NULL, 0),
			    "dim_date(year,full_date) dim_date(year) dim_date(full_date)");
	assert_string_equal(candidates("SELECT quarter, month, COUNT(*) FROM dim_date WHERE "
				       "year = ? GROUP BY quarter, year, month",
				       NULL, 0),
			    "dim_date(year,quarter,month) dim_date(year)");
	/* ORDER BY when all one way; only the first range column */
	assert_string_equal(candidates("SELECT * FROM dim_product ORDER BY category DESC, "
				       "product_name DESC",
				       NULL, 0),
			    "dim_product(category,product_name)");
	assert_string_equal(candidates("SELECT * FROM dim_product ORDER BY category, "
				       "product_name DESC",
				       NULL, 0),
			    "");
	assert_string_equal(candidates("SELECT * FROM t WHERE r1 > 1 AND r2 < 2 AND e = 3 "
				       "ORDER BY o",
				       NULL, 0),
			    "t(e,r1) t(r1) t(r2) t(e)");
	/* at most four columns, a GROUP BY whole or not at all */
	assert_string_equal(candidates("SELECT * FROM t WHERE a = 1 AND b = 2 AND c = 3 AND d = 4 "
				       "AND e = 5 AND r > 0",
				       NULL, 0),
			    "t(a,b,c,d) t(a) t(b) t(c) t(d) t(e) t(r)");
	assert_string_equal(candidates("SELECT * FROM t WHERE a = 1 AND b = 2 AND c = 3 "
				       "GROUP BY x, y",
				       NULL, 0),
			    "t(a,b,c) t(a) t(b) t(c)");
	/* constant equalities before join columns; a self join's twins merged */
	assert_string_equal(candidates("SELECT * FROM t x JOIN t y ON y.k = x.k WHERE x.a = 1",
				       NULL, 0),
			    "t(a,k) t(k) t(a)");
	/* the schema: another one's index serves not, an unnamed one's does */
	assert_string_equal(candidates("SELECT * FROM dw.t WHERE a = 1", other_schema, 1),
			    "dw.t(a)");
	assert_string_equal(candidates("SELECT * FROM dw.t WHERE a = 1", any_schema, 1), "");
	assert_string_equal(candidates("SELECT 1 FROM t WHERE a = 1 OR b = 2", NULL, 0), "");
}

/* ---- redundant indexes ------------------------------------------------------- */

static void test_redundant(void **state)
{
	static const char *const sale[] = { "sale_id" };
	static const char *const s[] = { "store_key" };
	static const char *const s_upper[] = { "STORE_KEY" };
	static const char *const so[] = { "store_key", "order_date_key" };
	static const char *const sop[] = { "store_key", "order_date_key", "product_key" };
	static const char *const y[] = { "year" };
	static const char *const ym[] = { "year", "month" };
	const struct dw_advise_index x[] = {
		{ NULL, "fact_sales", "PRIMARY", sale, 1, 0, 1 },
		{ NULL, "fact_sales", "idx_s", s, 1, 0, 0 },
		{ NULL, "fact_sales", "idx_so", so, 2, 0, 0 },
		{ NULL, "fact_sales", "idx_sop", sop, 3, 0, 0 },
		{ NULL, "fact_sales", "uq_s", s, 1, 1, 0 },
		{ NULL, "fact_sales", "idx_s2", s_upper, 1, 0, 0 },
		{ NULL, "fact_sales", "idx_sale", sale, 1, 0, 0 },
		{ NULL, "fact_sales", "uq_sale", sale, 1, 1, 0 },
		{ NULL, "dim_date", "PRIMARY_D", y, 1, 0, 1 },
		{ NULL, "dim_date", "idx_ym", ym, 2, 0, 0 },
		{ NULL, "dim_date", "uq_ym", ym, 2, 1, 0 },
		{ NULL, "dim_store", "idx_y", y, 1, 0, 0 },
		{ "a", "dim_brand", "idx_y_a", y, 1, 0, 0 },
		{ "b", "dim_brand", "idx_ym_b", ym, 2, 0, 0 },
	};
	const struct dw_advise_index twins[] = {
		{ NULL, "t", "uq1", s, 1, 1, 0 },
		{ NULL, "t", "uq2", s, 1, 1, 0 },
		{ NULL, "t", "uq_before_pk", so, 2, 1, 0 },
		{ NULL, "t", "PRIMARY", so, 2, 0, 1 },
	};

	/* a unique index is kept but for a unique one of its very columns; a
	 * PRIMARY key always; of twins, the first; the longest cover named */
	assert_string_equal(redundant(x, sizeof x / sizeof x[0]),
			    "idx_s<idx_sop idx_so<idx_sop idx_s2<idx_sop idx_sale<PRIMARY "
			    "uq_sale<PRIMARY idx_ym<uq_ym");
	assert_string_equal(redundant(twins, 4), "uq2<uq1 uq_before_pk<PRIMARY");
	assert_string_equal(redundant(x, 1), "");
}

/* The predicate text of each EQ or RANGE use of alias: "col=text|..."
 * ("col=-" when it has none). */
static const char *preds(const char *sql, const struct dw_advise_usage *u, const char *alias)
{
	static char buf[1024];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < u->ntables; i++)
		for (size_t j = 0; !strcmp(u->tables[i].alias, alias) && j < u->tables[i].ncols; j++) {
			const struct dw_advise_col *c = &u->tables[i].cols[j];

			if (c->use != DW_ADVISE_EQ && c->use != DW_ADVISE_RANGE)
				continue;
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s=%.*s", len ? "|" : "",
						c->name, c->pred_len ? (int)c->pred_len : 1,
						c->pred_len ? sql + c->pred_off : "-");
		}
	return buf;
}

/* The text of a predicate is kept when it is literals and operators
 * only: it is run on a sample of the table to see how many rows match. */
static void test_predicate_text(void **state)
{
	static const char sql[] = "SELECT * FROM fact_sales f JOIN dim_customer c ON "
		"c.customer_key = f.customer_key WHERE f.profit < -2000 AND f.ship_mode = ? AND "
		"f.quantity IN (1, 2) AND f.sales > ABS(-3) AND c.segment = @s AND f.discount "
		"BETWEEN 0.1 AND 0.2 AND f.order_id LIKE 'CA-%' AND c.customer_name = 'Ann' "
		"AND f.row_id = (SELECT 1)";
	struct dw_advise_usage u;

	(void)state;
	usage_of(sql, &u);
	assert_string_equal(preds(sql, &u, "f"), "profit=f.profit < -2000|ship_mode=-|"
			    "quantity=f.quantity IN (1, 2)|sales=-|discount=f.discount BETWEEN 0.1 "
			    "AND 0.2|order_id=f.order_id LIKE 'CA-%'");
	assert_string_equal(preds(sql, &u, "c"), "segment=-|customer_name=c.customer_name = 'Ann'");
	dw_advise_usage_release(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_or_left_out),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_predicates),
		cmocka_unit_test(test_range_then_group),
		cmocka_unit_test(test_derived_table),
		cmocka_unit_test(test_unqualified),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_subqueries),
		cmocka_unit_test(test_joins),
		cmocka_unit_test(test_with_and_union),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_predicate_text),
		cmocka_unit_test(test_candidates_star),
		cmocka_unit_test(test_candidates_shapes),
		cmocka_unit_test(test_redundant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
