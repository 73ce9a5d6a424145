/* Unit tests for lib/etl/gen.c: the Global Superstore CSV generator. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etl/gen.h"

#define NF 24           /* orders CSV fields */
#define BIG_ORDERS 5000

enum {
	F_ROW, F_ORDER, F_ODATE, F_SDATE, F_MODE, F_CUST, F_CNAME, F_SEG, F_CITY,
	F_STATE, F_COUNTRY, F_POSTAL, F_MARKET, F_REGION, F_PROD, F_CAT, F_SUB,
	F_PNAME, F_SALES, F_QTY, F_DISC, F_PROFIT, F_SHIP, F_PRIO
};

static const char orders_header[] =
	"Row ID,Order ID,Order Date,Ship Date,Ship Mode,Customer ID,"
	"Customer Name,Segment,City,State,Country,Postal Code,Market,Region,"
	"Product ID,Category,Sub-Category,Product Name,Sales,Quantity,Discount,"
	"Profit,Shipping Cost,Order Priority\n";
static const char returns_header[] = "Returned,Order ID,Region\n";

/* ------------------------------------------------------------- helpers */

struct run {
	char *orders, *returns;
	size_t olen, rlen;
	long long lines;
	int rc;
	struct dw_err err;
};

static void run_gen(const struct dw_gen_opts *o, int with_returns, struct run *r)
{
	FILE *of, *rf = NULL;

	memset(r, 0, sizeof *r);
	of = open_memstream(&r->orders, &r->olen);
	assert_non_null(of);
	if (with_returns) {
		rf = open_memstream(&r->returns, &r->rlen);
		assert_non_null(rf);
	}
	r->rc = dw_gen_write(o, of, rf, &r->lines, &r->err);
	assert_int_equal(fclose(of), 0);
	if (rf)
		assert_int_equal(fclose(rf), 0);
}

static void run_free(struct run *r)
{
	free(r->orders);
	free(r->returns);
}

/* Parses one LF-terminated RFC 4180 record in place (unquoting), storing up
 * to max field pointers. Returns the field count, 0 at the end, -1 when the
 * record is malformed or a field is quoted without need. */
static int parse_field(char **pp, char **field)
{
	char *p = *pp, *w = p, *start = p;

	if (*p == '"') {
		int special = 0;

		for (p++;; p++) {
			if (!*p)
				return -1;
			if (*p == '"' && p[1] != '"')
				break;
			if (*p == '"')
				p++;
			special |= *p == ',' || *p == '"' || *p == '\n' || *p == '\r';
			*w++ = *p;
		}
		p++;
		if (!special)
			return -1;
	} else {
		while (*p && *p != ',' && *p != '\n') {
			if (*p == '"' || *p == '\r')
				return -1;
			w++, p++;
		}
	}
	*field = start;
	*pp = p;
	return (int)(w - start);
}

static int parse_record(char **pp, char **fields, int max)
{
	int n = 0;

	if (!**pp)
		return 0;
	for (;;) {
		char *field;
		int len = parse_field(pp, &field);
		char end = **pp;

		if (len < 0 || (end != ',' && end != '\n'))
			return -1;
		field[len] = '\0';
		if (n < max)
			fields[n] = field;
		n++;
		(*pp)++;
		if (end == '\n')
			return n;
	}
}

struct table {
	char *buf;
	char **f;          /* row * NF + field */
	long nrows;
};

/* Parses a whole CSV (header checked by the caller) into t; every record
 * must have nf fields. */
static void table_parse(const char *csv, size_t len, int nf, struct table *t)
{
	long cap = 1024;
	char *p, *hdr[NF];

	t->buf = malloc(len + 1);
	assert_non_null(t->buf);
	memcpy(t->buf, csv, len);
	t->buf[len] = '\0';
	assert_true(len > 0 && csv[len - 1] == '\n');
	t->f = malloc((size_t)cap * (size_t)nf * sizeof *t->f);
	assert_non_null(t->f);
	t->nrows = 0;
	p = t->buf;
	assert_int_equal(parse_record(&p, hdr, NF), nf);
	for (;;) {
		int n;

		if (t->nrows == cap) {
			cap *= 2;
			t->f = realloc(t->f, (size_t)cap * (size_t)nf * sizeof *t->f);
			assert_non_null(t->f);
		}
		n = parse_record(&p, t->f + t->nrows * nf, nf);
		if (n == 0)
			break;
		assert_int_equal(n, nf);
		t->nrows++;
	}
}

static void table_free(struct table *t)
{
	free(t->buf);
	free(t->f);
}

static const char *fld(const struct table *t, long row, int i)
{
	return t->f[row * NF + i];
}

/* Dates as YYYYMMDD from a field in the given format; -1 when malformed. */
static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int valid_ymd(int y, int m, int d)
{
	static const int md[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12 || d < 1 || d > md[m - 1])
		return -1;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	return y * 10000 + m * 100 + d;
}

/* M/D/YYYY without leading zeros. */
static int parse_mdy(const char *s)
{
	int m, d, y, lm, ld;

	lm = s[1] == '/' ? 1 : 2;
	if (s[0] == '0' || digits(s, lm, &m) < 0 || s[lm] != '/')
		return -1;
	s += lm + 1;
	ld = s[1] == '/' ? 1 : 2;
	if (s[0] == '0' || digits(s, ld, &d) < 0 || s[ld] != '/')
		return -1;
	s += ld + 1;
	if (strlen(s) != 4 || digits(s, 4, &y) < 0)
		return -1;
	return valid_ymd(y, m, d);
}

static int parse_date(const char *s, const char *fmt)
{
	int y, m, d;

	if (!strcmp(fmt, "mdy"))
		return parse_mdy(s);
	if (strlen(s) != 10)
		return -1;
	if (!strcmp(fmt, "dmy")) {
		if (s[2] != '-' || s[5] != '-' || digits(s, 2, &d) < 0 ||
		    digits(s + 3, 2, &m) < 0 || digits(s + 6, 4, &y) < 0)
			return -1;
	} else {
		if (s[4] != '-' || s[7] != '-' || digits(s, 4, &y) < 0 ||
		    digits(s + 5, 2, &m) < 0 || digits(s + 8, 2, &d) < 0)
			return -1;
	}
	return valid_ymd(y, m, d);
}

/* Days since 1970 for a YYYYMMDD (weekday and differences). */
static long ymd_days(int ymd)
{
	int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	long yy = y - (m <= 2), era = yy / 400, yoe = yy - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;

	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* Sorting row indexes of a table by one or two fields. */
static const struct table *sort_tab;
static int sort_f1, sort_f2, sort_nf;

static int cmp_rows(const void *a, const void *b)
{
	long ra = *(const long *)a, rb = *(const long *)b;
	int c = strcmp(sort_tab->f[ra * sort_nf + sort_f1], sort_tab->f[rb * sort_nf + sort_f1]);

	if (!c && sort_f2 >= 0)
		c = strcmp(sort_tab->f[ra * sort_nf + sort_f2], sort_tab->f[rb * sort_nf + sort_f2]);
	return c ? c : (ra > rb) - (ra < rb);
}

static long *sorted_rows(const struct table *t, int nf, int f1, int f2)
{
	long *idx = malloc((size_t)t->nrows * sizeof *idx);

	assert_non_null(idx);
	for (long i = 0; i < t->nrows; i++)
		idx[i] = i;
	sort_tab = t;
	sort_nf = nf;
	sort_f1 = f1;
	sort_f2 = f2;
	qsort(idx, (size_t)t->nrows, sizeof *idx, cmp_rows);
	return idx;
}

static long count_distinct(const struct table *t, int nf, int f)
{
	long *idx = sorted_rows(t, nf, f, -1), n = 0;

	for (long i = 0; i < t->nrows; i++)
		if (i == 0 || strcmp(t->f[idx[i] * nf + f], t->f[idx[i - 1] * nf + f]))
			n++;
	free(idx);
	return n;
}

/* Every row with the same key field holds the same values in fields[]. */
static void assert_functional(const struct table *t, int key, const int *fields, int n)
{
	long *idx = sorted_rows(t, NF, key, -1);

	for (long i = 1; i < t->nrows; i++) {
		if (strcmp(fld(t, idx[i], key), fld(t, idx[i - 1], key)))
			continue;
		for (int k = 0; k < n; k++)
			assert_string_equal(fld(t, idx[i], fields[k]),
					    fld(t, idx[i - 1], fields[k]));
	}
	free(idx);
}

static int in_list(const char *s, const char *const *l)
{
	for (; *l; l++)
		if (!strcmp(s, *l))
			return 1;
	return 0;
}

/* --------------------------------------------------- the 5000-order set */

static struct run big_run;
static struct table big, big_ret;
static struct dw_gen_opts big_opts;

static int big_setup(void **state)
{
	(void)state;
	dw_gen_opts_init(&big_opts);
	big_opts.orders = BIG_ORDERS;
	big_opts.seed = 42;
	run_gen(&big_opts, 1, &big_run);
	if (big_run.rc != 0)
		return -1;
	table_parse(big_run.orders, big_run.olen, NF, &big);
	table_parse(big_run.returns, big_run.rlen, 3, &big_ret);
	return 0;
}

static int big_teardown(void **state)
{
	(void)state;
	table_free(&big);
	table_free(&big_ret);
	run_free(&big_run);
	return 0;
}

static void test_big_headers(void **state)
{
	(void)state;
	assert_true(big_run.olen > sizeof orders_header);
	assert_memory_equal(big_run.orders, orders_header, sizeof orders_header - 1);
	assert_memory_equal(big_run.returns, returns_header, sizeof returns_header - 1);
}

static void test_big_counts(void **state)
{
	(void)state;
	assert_int_equal(big.nrows, big_run.lines);
	assert_int_equal(count_distinct(&big, NF, F_ORDER), BIG_ORDERS);
	for (long i = 0; i < big.nrows; i++) {
		char buf[32];

		snprintf(buf, sizeof buf, "%ld", i + 1);
		assert_string_equal(fld(&big, i, F_ROW), buf);
	}
}

static void test_big_order_fields_consistent(void **state)
{
	static const int of[] = {
		F_ODATE, F_SDATE, F_MODE, F_CUST, F_CNAME, F_SEG, F_CITY, F_STATE,
		F_COUNTRY, F_POSTAL, F_MARKET, F_REGION, F_PRIO,
	};

	(void)state;
	assert_functional(&big, F_ORDER, of, (int)(sizeof of / sizeof of[0]));
}

static void test_big_customers_consistent(void **state)
{
	static const int cf[] = { F_CNAME, F_SEG };

	(void)state;
	assert_functional(&big, F_CUST, cf, 2);
	for (long i = 0; i < big.nrows; i++) {
		const char *id = fld(&big, i, F_CUST), *name = fld(&big, i, F_CNAME);
		size_t n = strlen(id);

		assert_true(n >= 8 && id[0] >= 'A' && id[0] <= 'Z' && id[1] >= 'A' &&
			    id[1] <= 'Z' && id[2] == '-' && strspn(id + 3, "0123456789") == n - 3);
		assert_int_equal(id[0], name[0]);
	}
}

static void test_big_products_consistent(void **state)
{
	static const int pf[] = { F_PNAME, F_SUB, F_CAT };

	(void)state;
	assert_functional(&big, F_PROD, pf, 3);
	for (long i = 0; i < big.nrows; i++) {
		const char *id = fld(&big, i, F_PROD);

		assert_int_equal(strlen(id), 15);
		assert_true(!strncmp(id, "FUR-", 4) || !strncmp(id, "OFF-", 4) ||
			    !strncmp(id, "TEC-", 4));
		assert_int_equal(strspn(id + 7, "0123456789"), 8);
		assert_int_equal(id[6], '-');
	}
}

static void test_big_order_product_unique(void **state)
{
	long *idx;

	(void)state;
	idx = sorted_rows(&big, NF, F_ORDER, F_PROD);
	for (long i = 1; i < big.nrows; i++)
		assert_false(!strcmp(fld(&big, idx[i], F_ORDER), fld(&big, idx[i - 1], F_ORDER)) &&
			     !strcmp(fld(&big, idx[i], F_PROD), fld(&big, idx[i - 1], F_PROD)));
	free(idx);
}

static double num(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	assert_true(end != s && *end == '\0');
	return v;
}

static void check_line_measures(long i)
{
	double disc = num(fld(&big, i, F_DISC));
	long qty = (long)num(fld(&big, i, F_QTY));

	assert_true(disc >= 0 && disc < 1);
	assert_true(qty >= 1 && qty <= 14);
	assert_true(num(fld(&big, i, F_SALES)) > 0);
	assert_true(num(fld(&big, i, F_SHIP)) >= 0);
	num(fld(&big, i, F_PROFIT));
	if (!strcmp(fld(&big, i, F_MARKET), "US"))
		assert_int_equal(strlen(fld(&big, i, F_POSTAL)), 5);
	else
		assert_string_equal(fld(&big, i, F_POSTAL), "");
}

static void test_big_values(void **state)
{
	(void)state;
	for (long i = 0; i < big.nrows; i++) {
		int od = parse_date(fld(&big, i, F_ODATE), "mdy");
		int sd = parse_date(fld(&big, i, F_SDATE), "mdy");
		const char *oid = fld(&big, i, F_ORDER);
		char year[16];

		assert_true(od >= 20110101 && od <= 20141231);
		assert_true(sd >= od);
		assert_true(ymd_days(sd) - ymd_days(od) <= 7);
		snprintf(year, sizeof year, "-%d-", od / 10000);
		assert_memory_equal(oid + 2, year, 6);
		check_line_measures(i);
	}
}

static void test_big_returns(void **state)
{
	long *idx;
	long found = 0;

	(void)state;
	assert_true(big_ret.nrows >= BIG_ORDERS * 2 / 100);
	assert_true(big_ret.nrows <= BIG_ORDERS * 6 / 100);
	assert_int_equal(count_distinct(&big_ret, 3, 1), big_ret.nrows);
	idx = sorted_rows(&big, NF, F_ORDER, -1);
	for (long r = 0; r < big_ret.nrows; r++) {
		const char *oid = big_ret.f[r * 3 + 1];

		assert_string_equal(big_ret.f[r * 3], "Yes");
		for (long i = 0; i < big.nrows; i++) {
			if (strcmp(fld(&big, idx[i], F_ORDER), oid))
				continue;
			assert_string_equal(fld(&big, idx[i], F_REGION), big_ret.f[r * 3 + 2]);
			found++;
			break;
		}
	}
	assert_int_equal(found, big_ret.nrows);
	free(idx);
}

static void test_big_coverage(void **state)
{
	static const char *const subs[] = {
		"Bookcases", "Chairs", "Furnishings", "Tables", "Appliances", "Art",
		"Binders", "Envelopes", "Fasteners", "Labels", "Paper", "Storage",
		"Supplies", "Accessories", "Copiers", "Machines", "Phones", NULL
	};
	static const char *const segs[] = { "Consumer", "Corporate", "Home Office", NULL };
	static const char *const modes[] = {
		"Standard Class", "Second Class", "First Class", "Same Day", NULL
	};
	static const char *const prios[] = { "Critical", "High", "Medium", "Low", NULL };
	static const char *const mkts[] = {
		"US", "Canada", "EU", "APAC", "LATAM", "Africa", "EMEA", NULL
	};
	int comma = 0, quote = 0, utf8 = 0;

	(void)state;
	assert_int_equal(count_distinct(&big, NF, F_SUB), 17);
	assert_int_equal(count_distinct(&big, NF, F_SEG), 3);
	assert_int_equal(count_distinct(&big, NF, F_MODE), 4);
	assert_int_equal(count_distinct(&big, NF, F_PRIO), 4);
	assert_int_equal(count_distinct(&big, NF, F_MARKET), 7);
	for (long i = 0; i < big.nrows; i++) {
		assert_true(in_list(fld(&big, i, F_SUB), subs));
		assert_true(in_list(fld(&big, i, F_SEG), segs));
		assert_true(in_list(fld(&big, i, F_MODE), modes));
		assert_true(in_list(fld(&big, i, F_PRIO), prios));
		assert_true(in_list(fld(&big, i, F_MARKET), mkts));
		comma |= strchr(fld(&big, i, F_PNAME), ',') != NULL;
		quote |= strchr(fld(&big, i, F_PNAME), '"') != NULL;
		for (const char *p = fld(&big, i, F_CNAME); *p; p++)
			utf8 |= (unsigned char)*p >= 0x80;
	}
	assert_true(comma && quote && utf8);
	assert_non_null(strstr(big_run.orders, ",Resi Pölking,"));
}

static void test_big_shape(void **state)
{
	long month[13] = { 0 }, year[2] = { 0 }, wkend = 0, wkday = 0, consumer = 0, standard = 0;
	long *idx = sorted_rows(&big, NF, F_ORDER, -1);

	(void)state;
	for (long i = 0; i < big.nrows; i++) {
		int od;
		long wd;

		if (i > 0 && !strcmp(fld(&big, idx[i], F_ORDER), fld(&big, idx[i - 1], F_ORDER)))
			continue;
		od = parse_date(fld(&big, idx[i], F_ODATE), "mdy");
		wd = ((ymd_days(od) % 7) + 11) % 7;   /* 0 = Sunday */
		month[od / 100 % 100]++;
		year[0] += od / 10000 == 2011;
		year[1] += od / 10000 == 2014;
		*(wd == 0 || wd == 6 ? &wkend : &wkday) += 1;
		consumer += !strcmp(fld(&big, idx[i], F_SEG), "Consumer");
		standard += !strcmp(fld(&big, idx[i], F_MODE), "Standard Class");
	}
	free(idx);
	assert_true(month[11] + month[12] > (month[1] + month[2]) * 3 / 2);
	assert_true(month[9] > month[2]);
	assert_true(year[1] > year[0]);
	assert_true(wkend * 5 < wkday * 2);    /* per-day rate lower on weekends */
	assert_true(consumer > BIG_ORDERS * 40 / 100 && consumer < BIG_ORDERS * 60 / 100);
	assert_true(standard > BIG_ORDERS * 50 / 100 && standard < BIG_ORDERS * 70 / 100);
	assert_true(big.nrows > BIG_ORDERS * 18 / 10 && big.nrows < BIG_ORDERS * 25 / 10);
}

static void test_big_profit_follows_discount(void **state)
{
	double sales[2] = { 0, 0 }, profit[2] = { 0, 0 };
	long neg = 0;

	(void)state;
	for (long i = 0; i < big.nrows; i++) {
		double d = num(fld(&big, i, F_DISC)), p = num(fld(&big, i, F_PROFIT));
		int heavy = d >= 0.5;

		if (d > 0 && !heavy)
			continue;
		sales[heavy] += num(fld(&big, i, F_SALES));
		profit[heavy] += p;
		neg += p < 0;
	}
	assert_true(profit[0] / sales[0] > 0.1);
	assert_true(profit[1] / sales[1] < 0);
	assert_true(neg > 0);
}

/* ----------------------------------------------------- smaller runs */

static void test_opts_init(void **state)
{
	struct dw_gen_opts o;

	(void)state;
	dw_gen_opts_init(&o);
	assert_int_equal(o.orders, 1000);
	assert_int_equal(o.seed, 1);
	assert_int_equal(o.from_year, 2011);
	assert_int_equal(o.from_month, 1);
	assert_int_equal(o.from_day, 1);
	assert_int_equal(o.to_year, 2014);
	assert_int_equal(o.to_month, 12);
	assert_int_equal(o.to_day, 31);
	assert_string_equal(o.date_format, "mdy");
}

static void test_deterministic(void **state)
{
	struct dw_gen_opts o;
	struct run a, b, c;

	(void)state;
	dw_gen_opts_init(&o);
	o.orders = 700;
	o.seed = 12345;
	run_gen(&o, 1, &a);
	run_gen(&o, 1, &b);
	run_gen(&o, 0, &c);
	assert_int_equal(a.rc, 0);
	assert_int_equal(b.rc, 0);
	assert_int_equal(c.rc, 0);
	assert_int_equal(a.olen, b.olen);
	assert_memory_equal(a.orders, b.orders, a.olen);
	assert_int_equal(a.rlen, b.rlen);
	assert_memory_equal(a.returns, b.returns, a.rlen);
	/* asking for returns does not change the orders */
	assert_int_equal(a.olen, c.olen);
	assert_memory_equal(a.orders, c.orders, a.olen);
	assert_int_equal(a.lines, c.lines);
	run_free(&a);
	run_free(&b);
	run_free(&c);
}

static void test_seed_changes_output(void **state)
{
	struct dw_gen_opts o;
	struct run a, b;

	(void)state;
	dw_gen_opts_init(&o);
	o.orders = 200;
	run_gen(&o, 0, &a);
	o.seed = 2;
	run_gen(&o, 0, &b);
	assert_int_equal(a.rc, 0);
	assert_int_equal(b.rc, 0);
	assert_false(a.olen == b.olen && !memcmp(a.orders, b.orders, a.olen));
	run_free(&a);
	run_free(&b);
}

static void test_zero_orders(void **state)
{
	struct dw_gen_opts o;
	struct run r;

	(void)state;
	dw_gen_opts_init(&o);
	o.orders = 0;
	run_gen(&o, 1, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.lines, 0);
	assert_int_equal(r.olen, sizeof orders_header - 1);
	assert_memory_equal(r.orders, orders_header, r.olen);
	assert_int_equal(r.rlen, sizeof returns_header - 1);
	assert_memory_equal(r.returns, returns_header, r.rlen);
	run_free(&r);
}

static void test_one_day_range(void **state)
{
	struct dw_gen_opts o;
	struct run r;
	struct table t;

	(void)state;
	dw_gen_opts_init(&o);
	o.orders = 50;
	o.from_year = o.to_year = 2016;
	o.from_month = o.to_month = 2;
	o.from_day = o.to_day = 29;
	o.date_format = "iso";
	run_gen(&o, 0, &r);
	assert_int_equal(r.rc, 0);
	table_parse(r.orders, r.olen, NF, &t);
	assert_int_equal(t.nrows, r.lines);
	for (long i = 0; i < t.nrows; i++)
		assert_string_equal(fld(&t, i, F_ODATE), "2016-02-29");
	table_free(&t);
	run_free(&r);
}

/* The dates of one run in format fmt, as YYYYMMDD per order line. */
static int *run_dates(const char *fmt, long *n, int *short_month)
{
	struct dw_gen_opts o;
	struct run r;
	struct table t;
	int *d;

	dw_gen_opts_init(&o);
	o.orders = 400;
	o.seed = 99;
	o.date_format = fmt;
	run_gen(&o, 0, &r);
	assert_int_equal(r.rc, 0);
	table_parse(r.orders, r.olen, NF, &t);
	d = malloc((size_t)t.nrows * 2 * sizeof *d);
	assert_non_null(d);
	*short_month = 0;
	for (long i = 0; i < t.nrows; i++) {
		d[2 * i] = parse_date(fld(&t, i, F_ODATE), fmt);
		d[2 * i + 1] = parse_date(fld(&t, i, F_SDATE), fmt);
		assert_true(d[2 * i] > 0 && d[2 * i + 1] >= d[2 * i]);
		*short_month |= fld(&t, i, F_ODATE)[1] == '/';
	}
	*n = t.nrows;
	table_free(&t);
	run_free(&r);
	return d;
}

static void test_date_formats(void **state)
{
	long n1, n2, n3;
	int s1, s2, s3;
	int *mdy = run_dates("mdy", &n1, &s1);
	int *dmy = run_dates("dmy", &n2, &s2);
	int *iso = run_dates("iso", &n3, &s3);

	(void)state;
	assert_true(s1);            /* M/D/YYYY: single-digit months unpadded */
	assert_false(s2 || s3);
	assert_int_equal(n1, n2);
	assert_int_equal(n1, n3);
	assert_memory_equal(mdy, dmy, (size_t)n1 * 2 * sizeof *mdy);
	assert_memory_equal(mdy, iso, (size_t)n1 * 2 * sizeof *mdy);
	free(mdy);
	free(dmy);
	free(iso);
}

static void expect_usage(const struct dw_gen_opts *o)
{
	struct run r;

	run_gen(o, 1, &r);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.code, 64);
	assert_true(r.err.msg[0] != '\0');
	assert_int_equal(r.lines, 0);
	run_free(&r);
}

static void test_bad_opts(void **state)
{
	struct dw_gen_opts o;

	(void)state;
	dw_gen_opts_init(&o);
	o.date_format = "ymd";
	expect_usage(&o);

	dw_gen_opts_init(&o);
	o.orders = -1;
	expect_usage(&o);

	dw_gen_opts_init(&o);
	o.from_year = 2015;
	expect_usage(&o);

	dw_gen_opts_init(&o);
	o.to_month = 2;
	o.to_day = 30;
	expect_usage(&o);

	dw_gen_opts_init(&o);
	o.from_month = 13;
	expect_usage(&o);
}

static void test_write_error(void **state)
{
	struct dw_gen_opts o;
	struct dw_err err;
	FILE *ro = fopen("/dev/null", "r");
	FILE *ok = fopen("/dev/null", "w");
	long long lines;

	(void)state;
	assert_non_null(ro);
	assert_non_null(ok);
	dw_gen_opts_init(&o);
	o.orders = 2000;
	assert_int_equal(dw_gen_write(&o, ro, NULL, &lines, &err), -1);
	assert_int_equal(err.code, 74);
	assert_int_equal(dw_gen_write(&o, ok, ro, &lines, &err), -1);
	assert_int_equal(err.code, 74);
	assert_non_null(strstr(err.msg, "returns"));
	fclose(ro);
	fclose(ok);
}

int main(void)
{
	const struct CMUnitTest big_tests[] = {
		cmocka_unit_test(test_big_headers),
		cmocka_unit_test(test_big_counts),
		cmocka_unit_test(test_big_order_fields_consistent),
		cmocka_unit_test(test_big_customers_consistent),
		cmocka_unit_test(test_big_products_consistent),
		cmocka_unit_test(test_big_order_product_unique),
		cmocka_unit_test(test_big_values),
		cmocka_unit_test(test_big_returns),
		cmocka_unit_test(test_big_coverage),
		cmocka_unit_test(test_big_shape),
		cmocka_unit_test(test_big_profit_follows_discount),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_init),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_seed_changes_output),
		cmocka_unit_test(test_zero_orders),
		cmocka_unit_test(test_one_day_range),
		cmocka_unit_test(test_date_formats),
		cmocka_unit_test(test_bad_opts),
		cmocka_unit_test(test_write_error),
	};
	int failed = cmocka_run_group_tests_name("gen_5000", big_tests, big_setup, big_teardown);

	return failed + cmocka_run_group_tests_name("gen", tests, NULL, NULL);
}
