/* gen: deterministic generator of Global Superstore orders and returns
 * CSV files at any scale.
 *
 * Everything random comes from xoshiro256** seeded with splitmix64 from
 * opts->seed (one independent stream per pool), and every number is formatted
 * from integers, so the same opts give the same bytes on any machine.
 * Memory is bounded by the product catalogue (<= 2000) and the customer pool
 * (orders / 6, 50 .. 1,000,000); orders are generated and written one by one.
 * The tables (places, products, names, weights) are in gen_data.c. */
#include "etl/gen.h"
#include "etl/gen_data.h"

#include "date.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define GEN_TEXT_MAX 48         /* longest table string (checked at start) */
#define GEN_QUOTED_MAX (2 * GEN_TEXT_MAX + 2)
#define GEN_NAME_MAX 128        /* product name buffer */
#define GEN_OUTBUF (1 << 16)
#define GEN_LINE_MAX 2048
#define GEN_CUST_MIN 50
#define GEN_CUST_MAX 1000000L
#define GEN_PROD_MIN 300
#define GEN_PROD_MAX 2000
#define GEN_RETURN_PERMILLE 40
#define GEN_GROWTH_BASE 100     /* yearly growth of orders: weight of the first year, */
#define GEN_GROWTH_PER_YEAR 20  /* plus this for each later year */

static const char gen_orders_header[] =
	"Row ID,Order ID,Order Date,Ship Date,Ship Mode,Customer ID,"
	"Customer Name,Segment,City,State,Country,Postal Code,Market,Region,"
	"Product ID,Category,Sub-Category,Product Name,Sales,Quantity,Discount,"
	"Profit,Shipping Cost,Order Priority\n";
static const char gen_returns_header[] = "Returned,Order ID,Region\n";

/* ---------------------------------------------------------------- random */

struct gen_rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct gen_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);

	for (size_t i = 0; i < NELEM(r->s); i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct gen_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return out;
}

/* Uniform in [0, n), n > 0, without modulo bias. */
static uint64_t rng_below(struct gen_rng *r, uint64_t n)
{
	uint64_t lim = -n % n;
	uint64_t x;

	do
		x = rng_next(r);
	while (x < lim);
	return x % n;
}

static int rng_range(struct gen_rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint64_t)(hi - lo + 1));
}

/* Index into w[0..n) drawn with probability proportional to w[i]. */
static int rng_pick(struct gen_rng *r, const int *w, int n)
{
	uint64_t total = 0, x;
	int i;

	for (i = 0; i < n; i++)
		total += (uint64_t)w[i];
	x = rng_below(r, total);
	for (i = 0; i < n - 1; i++) {
		if (x < (uint64_t)w[i])
			break;
		x -= (uint64_t)w[i];
	}
	return i;
}

/* ----------------------------------------------------------------- dates */

enum gen_datefmt { GEN_MDY, GEN_DMY, GEN_ISO };

/* ------------------------------------------------------------ formatting */

static char *put_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static char *put_str(char *p, const char *s)
{
	return put_mem(p, s, strlen(s));
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* v zero-padded to at least width digits. */
static char *put_pad(char *p, uint64_t v, int width)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* v / 10^dec with dec decimals; trim drops trailing zeros (and the point). */
static char *put_fixed(char *p, int64_t v, int dec, int trim)
{
	uint64_t scale = 1, uv = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t frac;
	int width = dec;

	for (int i = 0; i < dec; i++)
		scale *= 10;
	frac = uv % scale;
	if (v < 0)
		*p++ = '-';
	p = put_u64(p, uv / scale);
	if (trim) {
		while (width > 0 && frac % 10 == 0) {
			frac /= 10;
			width--;
		}
	}
	if (width == 0)
		return p;
	*p++ = '.';
	return put_pad(p, frac, width);
}

static char *put_date(char *p, enum gen_datefmt fmt, long days)
{
	int y, m, d;

	dw_date_civil_from_days(days, &y, &m, &d);
	switch (fmt) {
	case GEN_MDY:
		p = put_u64(p, (uint64_t)m);
		*p++ = '/';
		p = put_u64(p, (uint64_t)d);
		*p++ = '/';
		return put_pad(p, (uint64_t)y, 4);
	case GEN_DMY:
		p = put_pad(p, (uint64_t)d, 2);
		*p++ = '-';
		p = put_pad(p, (uint64_t)m, 2);
		*p++ = '-';
		return put_pad(p, (uint64_t)y, 4);
	case GEN_ISO:
		break;
	}
	p = put_pad(p, (uint64_t)y, 4);
	*p++ = '-';
	p = put_pad(p, (uint64_t)m, 2);
	*p++ = '-';
	return put_pad(p, (uint64_t)d, 2);
}

/* One RFC 4180 field: quoted (quotes doubled) only when it holds a comma,
 * quote, CR or LF. Writes at most 2 * strlen(s) + 2 bytes. */
static char *put_csv(char *p, const char *s)
{
	if (!strpbrk(s, ",\"\r\n"))
		return put_str(p, s);
	*p++ = '"';
	for (; *s; s++) {
		if (*s == '"')
			*p++ = '"';
		*p++ = *s;
	}
	*p++ = '"';
	return p;
}

/* ------------------------------------------------------------------ state */

struct gen_place {
	char loc[3 * GEN_QUOTED_MAX + 4];   /* City,State,Country, */
	char mkt[2 * GEN_QUOTED_MAX + 3];   /* ,Market,Region */
	size_t loclen, mktlen;
	const char *region;
	int country;
};

struct gen_product {
	char frag[15 + 1 + GEN_QUOTED_MAX + 1 + 2 * GEN_NAME_MAX + 2];
	size_t len;
	int32_t price;     /* cents */
	int16_t margin;    /* basis points */
	uint8_t sub;
};

struct gen_customer {
	uint32_t number;
	uint16_t first, last;
	uint8_t segment, country;
};
_Static_assert(DW_GEN_DATA_NCOUNTRY < 256, "country index is a uint8_t");

struct gen_out {
	FILE *fp;
	const char *what;
	size_t len;
	char buf[GEN_OUTBUF];
};

struct gen_order {
	long day, ship;
	int mode, prio, place, zip, returned, nlines;
	const struct gen_customer *cust;
	char id[40];
	size_t idlen;
	char frag[1024];
	size_t fraglen;
	int prod[DW_GEN_DATA_MAX_LINES];
};

struct gen_state {
	enum gen_datefmt fmt;
	long from, to;
	int from_year;
	uint64_t date_wmax;
	struct gen_rng rng;
	uint64_t fkey[4], fmask, fdomain;
	int fhalf;
	struct gen_place place[DW_GEN_DATA_NCITY];
	int country_first[DW_GEN_DATA_NCOUNTRY], country_count[DW_GEN_DATA_NCOUNTRY];
	int city_by_country[DW_GEN_DATA_NCITY];
	int country_w[DW_GEN_DATA_NCOUNTRY];
	int sub_w[DW_GEN_DATA_NSUB], sub_first[DW_GEN_DATA_NSUB], sub_count[DW_GEN_DATA_NSUB];
	int *sub_prod;
	struct gen_product *prod;
	int nprod;
	struct gen_customer *cust;
	long ncust;
	int nfirst, nlast;
	struct gen_out out, ret;
	long long row;
	struct dw_err *err;
};

/* --------------------------------------------------------------- options */

void dw_gen_opts_init(struct dw_gen_opts *o)
{
	memset(o, 0, sizeof *o);
	o->orders = 1000;
	o->seed = 1;
	o->from_year = 2011;
	o->from_month = 1;
	o->from_day = 1;
	o->to_year = 2014;
	o->to_month = 12;
	o->to_day = 31;
	o->date_format = "mdy";
}

static int gen_parse_format(const char *s, enum gen_datefmt *fmt, struct dw_err *err)
{
	if (!s || !strcmp(s, "mdy"))
		*fmt = GEN_MDY;
	else if (!strcmp(s, "dmy"))
		*fmt = GEN_DMY;
	else if (!strcmp(s, "iso"))
		*fmt = GEN_ISO;
	else
		return dw_err_set(err, DW_EX_USAGE,
				  "unknown date format '%s' (use mdy, dmy or iso)", s);
	return 0;
}

static int gen_check_opts(const struct dw_gen_opts *o, struct gen_state *g,
			  struct dw_err *err)
{
	if (o->orders < 0)
		return dw_err_set(err, DW_EX_USAGE,
				  "number of orders must not be negative: %lld", o->orders);
	if (o->orders > INT64_MAX / 8)
		return dw_err_set(err, DW_EX_USAGE, "too many orders: %lld", o->orders);
	if (gen_parse_format(o->date_format, &g->fmt, err) < 0)
		return -1;
	if (!dw_date_valid(o->from_year, o->from_month, o->from_day))
		return dw_err_set(err, DW_EX_USAGE, "invalid first date '%04d-%02d-%02d'",
				  o->from_year, o->from_month, o->from_day);
	if (!dw_date_valid(o->to_year, o->to_month, o->to_day))
		return dw_err_set(err, DW_EX_USAGE, "invalid last date '%04d-%02d-%02d'",
				  o->to_year, o->to_month, o->to_day);
	g->from = dw_date_days_from_civil(o->from_year, o->from_month, o->from_day);
	g->to = dw_date_days_from_civil(o->to_year, o->to_month, o->to_day);
	if (g->from > g->to)
		return dw_err_set(err, DW_EX_USAGE,
				  "first date '%04d-%02d-%02d' is after last date '%04d-%02d-%02d'",
				  o->from_year, o->from_month, o->from_day,
				  o->to_year, o->to_month, o->to_day);
	return 0;
}

/* ----------------------------------------------------------------- setup */

static int list_len(const char *const *l)
{
	int n = 0;

	while (l[n])
		n++;
	return n;
}

static int list_find(const char *const *l, const char *s)
{
	for (int i = 0; l[i]; i++)
		if (!strcmp(l[i], s))
			return i;
	return -1;
}

static int text_ok(const char *s)
{
	return strlen(s) <= GEN_TEXT_MAX;
}

/* Customer names: short, starting with an ASCII capital (the ID initials). */
static int names_ok(const char *const *l)
{
	for (int i = 0; l[i]; i++)
		if (!text_ok(l[i]) || l[i][0] < 'A' || l[i][0] > 'Z')
			return 0;
	return 1;
}

static int country_find(const char *name)
{
	for (size_t i = 0; i < DW_GEN_DATA_NCOUNTRY; i++)
		if (!strcmp(dw_gen_data_countries[i].name, name))
			return (int)i;
	return -1;
}

static int gen_setup_place(struct gen_place *pl, const struct dw_gen_data_city *c)
{
	const struct dw_gen_data_country *co;
	char *p;

	pl->country = country_find(c->country);
	if (pl->country < 0 || !text_ok(c->city) || !text_ok(c->state) ||
	    !text_ok(c->country))
		return -1;
	co = &dw_gen_data_countries[pl->country];
	pl->region = co->region ? co->region : c->region;
	if (!pl->region || !text_ok(pl->region) ||
	    (co->market == DW_GEN_DATA_MK_US) != (c->zips > 0))
		return -1;
	p = put_csv(pl->loc, c->city);
	*p++ = ',';
	p = put_csv(p, c->state);
	*p++ = ',';
	p = put_csv(p, c->country);
	*p++ = ',';
	pl->loclen = (size_t)(p - pl->loc);
	p = pl->mkt;
	*p++ = ',';
	p = put_csv(p, dw_gen_data_market_names[co->market]);
	*p++ = ',';
	p = put_csv(p, pl->region);
	pl->mktlen = (size_t)(p - pl->mkt);
	return 0;
}

/* Precomputes the location fragments and groups the cities by country. */
static int gen_setup_places(struct gen_state *g)
{
	int next[DW_GEN_DATA_NCOUNTRY];

	for (size_t i = 0; i < DW_GEN_DATA_NCITY; i++) {
		if (gen_setup_place(&g->place[i], &dw_gen_data_cities[i]) < 0)
			return dw_err_set(g->err, DW_EX_SOFTWARE,
					  "bad generator table entry for city '%s'",
					  dw_gen_data_cities[i].city);
		g->country_count[g->place[i].country]++;
	}
	for (size_t i = 0, at = 0; i < DW_GEN_DATA_NCOUNTRY; i++) {
		if (!g->country_count[i] || !text_ok(dw_gen_data_countries[i].name))
			return dw_err_set(g->err, DW_EX_SOFTWARE,
					  "bad generator table entry for country '%s'",
					  dw_gen_data_countries[i].name);
		g->country_first[i] = next[i] = (int)at;
		at += (size_t)g->country_count[i];
		g->country_w[i] = dw_gen_data_countries[i].weight;
	}
	for (size_t i = 0; i < DW_GEN_DATA_NCITY; i++)
		g->city_by_country[next[g->place[i].country]++] = (int)i;
	return 0;
}

static void gen_product_name(struct gen_rng *r, const struct dw_gen_data_subcat *s,
			     char *name, size_t size)
{
	const struct dw_gen_data_category *c = &dw_gen_data_categories[s->cat];
	const char *brand = s->brands[rng_below(r, (uint64_t)list_len(s->brands))];
	const char *item = s->items[rng_below(r, (uint64_t)list_len(s->items))];
	const char *sfx = "";

	if (rng_below(r, 100) < 55)
		sfx = c->sfx[rng_below(r, (uint64_t)list_len(c->sfx))];
	snprintf(name, size, "%s %s%s", brand, item, sfx);
}

/* Unit price in cents, skewed toward the low end of the subcategory range. */
static int32_t gen_product_price(struct gen_rng *r, const struct dw_gen_data_subcat *s)
{
	uint64_t span = (uint64_t)(s->price_hi - s->price_lo) * 100;
	uint64_t u = rng_below(r, 10000);

	return (int32_t)((uint64_t)s->price_lo * 100 + span * u * u / 100000000 +
			 rng_below(r, 100));
}

static void gen_make_product(struct gen_state *g, struct gen_rng *r, int j,
			     int sub, uint64_t stride)
{
	const struct dw_gen_data_subcat *s = &dw_gen_data_subcats[sub];
	struct gen_product *pr = &g->prod[j];
	char name[GEN_NAME_MAX];
	char *p = pr->frag;

	gen_product_name(r, s, name, sizeof name);
	pr->sub = (uint8_t)sub;
	pr->price = gen_product_price(r, s);
	pr->margin = (int16_t)rng_range(r, s->margin_lo, s->margin_hi);
	p = put_str(p, dw_gen_data_categories[s->cat].code);
	*p++ = '-';
	p = put_str(p, s->code);
	*p++ = '-';
	p = put_u64(p, 10000000 + (uint64_t)j * stride + rng_below(r, stride));
	*p++ = ',';
	p = put_csv(p, dw_gen_data_categories[s->cat].name);
	*p++ = ',';
	p = put_csv(p, s->name);
	*p++ = ',';
	p = put_csv(p, name);
	pr->len = (size_t)(p - pr->frag);
}

/* Groups product indexes by subcategory for the per-line draw. */
static void gen_index_products(struct gen_state *g)
{
	int next[DW_GEN_DATA_NSUB];

	for (int j = 0; j < g->nprod; j++)
		g->sub_count[g->prod[j].sub]++;
	for (size_t i = 0, at = 0; i < DW_GEN_DATA_NSUB; i++) {
		g->sub_first[i] = next[i] = (int)at;
		at += (size_t)g->sub_count[i];
	}
	for (int j = 0; j < g->nprod; j++)
		g->sub_prod[next[g->prod[j].sub]++] = j;
}

/* The catalogue: nprod products, at least three per subcategory, the rest
 * spread by subcategory popularity; IDs increase with the index. */
static int gen_setup_products(struct gen_state *g, long long orders, uint64_t seed)
{
	long long n = GEN_PROD_MIN + orders / 100;
	struct gen_rng r;
	uint64_t stride;

	g->nprod = (int)(n > GEN_PROD_MAX ? GEN_PROD_MAX : n);
	g->prod = calloc((size_t)g->nprod, sizeof *g->prod);
	g->sub_prod = calloc((size_t)g->nprod, sizeof *g->sub_prod);
	if (!g->prod || !g->sub_prod)
		return dw_err_set(g->err, DW_EX_SOFTWARE, "out of memory");
	for (size_t i = 0; i < DW_GEN_DATA_NSUB; i++)
		g->sub_w[i] = dw_gen_data_subcats[i].weight;
	stride = 5000 / (uint64_t)g->nprod;
	rng_seed(&r, seed, 1);
	for (int j = 0; j < g->nprod; j++) {
		int sub = j < 3 * (int)DW_GEN_DATA_NSUB ? j % (int)DW_GEN_DATA_NSUB
						 : rng_pick(&r, g->sub_w, DW_GEN_DATA_NSUB);
		gen_make_product(g, &r, j, sub, stride);
	}
	gen_index_products(g);
	return 0;
}

static void gen_make_customer(struct gen_state *g, struct gen_rng *r, long j,
			      uint64_t stride)
{
	struct gen_customer *c = &g->cust[j];

	if (j < DW_GEN_DATA_NFIXED_CUSTOMERS) {
		const char *const *fixed = dw_gen_data_fixed_customers[j];

		c->first = (uint16_t)list_find(dw_gen_data_first_names, fixed[0]);
		c->last = (uint16_t)list_find(dw_gen_data_last_names, fixed[1]);
	} else {
		c->first = (uint16_t)rng_below(r, (uint64_t)g->nfirst);
		c->last = (uint16_t)rng_below(r, (uint64_t)g->nlast);
	}
	c->number = (uint32_t)(10000 + (uint64_t)j * stride + rng_below(r, stride));
	c->segment = (uint8_t)rng_pick(r, dw_gen_data_segment_w, DW_GEN_DATA_NSEGMENT);
	c->country = (uint8_t)rng_pick(r, g->country_w, (int)DW_GEN_DATA_NCOUNTRY);
}

/* The customer pool: orders / 6 customers (50 .. 1,000,000), each with one
 * name, one segment and one home country; numbers increase with the index. */
static int gen_setup_customers(struct gen_state *g, long long orders, uint64_t seed)
{
	long long n = orders / 6;
	struct gen_rng r;
	uint64_t stride;

	g->ncust = (long)(n < GEN_CUST_MIN ? GEN_CUST_MIN : n > GEN_CUST_MAX ? GEN_CUST_MAX : n);
	g->cust = calloc((size_t)g->ncust, sizeof *g->cust);
	if (!g->cust)
		return dw_err_set(g->err, DW_EX_SOFTWARE, "out of memory");
	g->nfirst = list_len(dw_gen_data_first_names);
	g->nlast = list_len(dw_gen_data_last_names);
	if (!names_ok(dw_gen_data_first_names) || !names_ok(dw_gen_data_last_names))
		return dw_err_set(g->err, DW_EX_SOFTWARE, "bad generator table of customer names");
	for (size_t i = 0; i < DW_GEN_DATA_NFIXED_CUSTOMERS; i++) {
		const char *const *fixed = dw_gen_data_fixed_customers[i];

		if (list_find(dw_gen_data_first_names, fixed[0]) < 0 ||
		    list_find(dw_gen_data_last_names, fixed[1]) < 0)
			return dw_err_set(g->err, DW_EX_SOFTWARE,
					  "bad generator table entry for customer '%s %s'",
					  fixed[0], fixed[1]);
	}
	stride = (uint64_t)(90000 / g->ncust);
	if (!stride)
		stride = 1;
	rng_seed(&r, seed, 2);
	for (long j = 0; j < g->ncust; j++)
		gen_make_customer(g, &r, j, stride);
	return 0;
}

/* Order numbers: a keyed Feistel permutation of [0, fdomain), so they look
 * random yet are unique; fdomain >= 90000 keeps them at five digits or more. */
static void gen_setup_order_ids(struct gen_state *g, long long orders, uint64_t seed)
{
	uint64_t x = seed ^ 0x5851f42d4c957f2dULL;
	int bits = 2;

	g->fdomain = (uint64_t)orders * 3;
	if (g->fdomain < 90000)
		g->fdomain = 90000;
	while (bits < 64 && (g->fdomain - 1) >> bits)
		bits += 2;
	g->fhalf = bits / 2;
	g->fmask = ((uint64_t)1 << g->fhalf) - 1;
	for (size_t i = 0; i < NELEM(g->fkey); i++)
		g->fkey[i] = splitmix64(&x);
}

static uint64_t gen_feistel(const struct gen_state *g, uint64_t v)
{
	uint64_t l = v >> g->fhalf, r = v & g->fmask;

	for (size_t i = 0; i < NELEM(g->fkey); i++) {
		uint64_t k = r ^ g->fkey[i];
		uint64_t t = l ^ (splitmix64(&k) & g->fmask);

		l = r;
		r = t;
	}
	return (l << g->fhalf) | r;
}

static uint64_t gen_order_number(const struct gen_state *g, uint64_t i)
{
	do
		i = gen_feistel(g, i);
	while (i >= g->fdomain);
	return 10000 + i;
}

static void gen_setup_dates(struct gen_state *g, const struct dw_gen_opts *o)
{
	uint64_t gmax = GEN_GROWTH_BASE +
		(uint64_t)GEN_GROWTH_PER_YEAR * (uint64_t)(o->to_year - o->from_year);

	g->from_year = o->from_year;
	g->date_wmax = (uint64_t)DW_GEN_DATA_MONTH_W_MAX * DW_GEN_DATA_WDAY_W_MAX * gmax;
}

static void gen_free(struct gen_state *g)
{
	if (!g)
		return;
	free(g->prod);
	free(g->sub_prod);
	free(g->cust);
	free(g);
}

static struct gen_state *gen_new(const struct dw_gen_opts *o, FILE *orders,
				 FILE *returns, struct dw_err *err)
{
	struct gen_state *g = calloc(1, sizeof *g);

	if (!g) {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		return NULL;
	}
	g->err = err;
	g->out.fp = orders;
	g->out.what = "orders";
	g->ret.fp = returns;
	g->ret.what = "returns";
	if (gen_check_opts(o, g, err) < 0 || gen_setup_places(g) < 0 ||
	    gen_setup_products(g, o->orders, o->seed) < 0 ||
	    gen_setup_customers(g, o->orders, o->seed) < 0) {
		gen_free(g);
		return NULL;
	}
	gen_setup_order_ids(g, o->orders, o->seed);
	gen_setup_dates(g, o);
	rng_seed(&g->rng, o->seed, 3);
	return g;
}

/* ---------------------------------------------------------------- output */

static int gen_flush(struct gen_state *g, struct gen_out *out)
{
	errno = 0;
	if (out->len && fwrite(out->buf, 1, out->len, out->fp) != out->len) {
		int e = errno;

		out->len = 0;
		return dw_err_set(g->err, DW_EX_IOERR, "cannot write %s csv: %s",
				  out->what, e ? strerror(e) : "write error");
	}
	out->len = 0;
	return 0;
}

static int gen_emit(struct gen_state *g, struct gen_out *out, const char *s, size_t n)
{
	if (out->len + n > sizeof out->buf && gen_flush(g, out) < 0)
		return -1;
	memcpy(out->buf + out->len, s, n);
	out->len += n;
	return 0;
}

static int gen_finish(struct gen_state *g, struct gen_out *out)
{
	if (!out->fp)
		return 0;
	if (gen_flush(g, out) < 0)
		return -1;
	errno = 0;
	if (fflush(out->fp) != 0 || ferror(out->fp))
		return dw_err_set(g->err, DW_EX_IOERR, "cannot write %s csv: %s",
				  out->what, errno ? strerror(errno) : "write error");
	return 0;
}

/* ---------------------------------------------------------------- orders */

/* An order date: uniform over the range, thinned by month, weekday and a
 * linear yearly growth (rejection sampling). */
static long gen_order_day(struct gen_state *g)
{
	uint64_t ndays = (uint64_t)(g->to - g->from + 1);

	for (;;) {
		long day = g->from + (long)rng_below(&g->rng, ndays);
		int y, m, d;
		uint64_t w;

		dw_date_civil_from_days(day, &y, &m, &d);
		w = (uint64_t)dw_gen_data_month_w[m - 1] *
		    (uint64_t)dw_gen_data_wday_w[dw_date_weekday(day) % 7] *
		    (GEN_GROWTH_BASE + (uint64_t)GEN_GROWTH_PER_YEAR * (uint64_t)(y - g->from_year));
		if (rng_below(&g->rng, g->date_wmax) < w)
			return day;
	}
}

static void gen_order_place(struct gen_state *g, struct gen_order *od)
{
	int country = od->cust->country;
	const struct dw_gen_data_city *c;

	od->place = g->city_by_country[g->country_first[country] +
				       (int)rng_below(&g->rng, (uint64_t)g->country_count[country])];
	c = &dw_gen_data_cities[od->place];
	od->zip = c->zips ? c->zip + (int)rng_below(&g->rng, (uint64_t)c->zips) : -1;
}

static void gen_order_id(struct gen_state *g, struct gen_order *od, long long i)
{
	const struct dw_gen_data_country *co = &dw_gen_data_countries[od->cust->country];
	const char *prefix = co->prefix;
	int y, m, d;
	char *p = od->id;

	if (co->market == DW_GEN_DATA_MK_US && rng_below(&g->rng, 5) == 0)
		prefix = "US";
	dw_date_civil_from_days(od->day, &y, &m, &d);
	p = put_str(p, prefix);
	*p++ = '-';
	p = put_pad(p, (uint64_t)y, 4);
	*p++ = '-';
	p = put_u64(p, gen_order_number(g, (uint64_t)i));
	od->idlen = (size_t)(p - od->id);
}

/* Distinct products for the lines of one order. */
static void gen_order_products(struct gen_state *g, struct gen_order *od)
{
	for (int k = 0; k < od->nlines; k++) {
		int sub, pr, dup;

		do {
			sub = rng_pick(&g->rng, g->sub_w, DW_GEN_DATA_NSUB);
			pr = g->sub_prod[g->sub_first[sub] +
					 (int)rng_below(&g->rng, (uint64_t)g->sub_count[sub])];
			dup = 0;
			for (int q = 0; q < k; q++)
				dup |= od->prod[q] == pr;
		} while (dup);
		od->prod[k] = pr;
	}
}

static char *put_customer(char *p, const struct gen_customer *c)
{
	const char *first = dw_gen_data_first_names[c->first];
	const char *last = dw_gen_data_last_names[c->last];
	char name[2 * GEN_TEXT_MAX + 2], *q;

	*p++ = first[0];
	*p++ = last[0];
	*p++ = '-';
	p = put_u64(p, c->number);
	*p++ = ',';
	q = put_str(name, first);
	*q++ = ' ';
	q = put_str(q, last);
	*q = '\0';
	p = put_csv(p, name);
	*p++ = ',';
	return put_str(p, dw_gen_data_segments[c->segment]);
}

/* The order-level fields from Order ID to Region, shared by all lines. */
static void gen_order_frag(struct gen_state *g, struct gen_order *od)
{
	const struct gen_place *pl = &g->place[od->place];
	char *p = od->frag;

	p = put_mem(p, od->id, od->idlen);
	*p++ = ',';
	p = put_date(p, g->fmt, od->day);
	*p++ = ',';
	p = put_date(p, g->fmt, od->ship);
	*p++ = ',';
	p = put_str(p, dw_gen_data_ship_modes[od->mode]);
	*p++ = ',';
	p = put_customer(p, od->cust);
	*p++ = ',';
	p = put_mem(p, pl->loc, pl->loclen);
	if (od->zip >= 0)
		p = put_pad(p, (uint64_t)od->zip, 5);
	p = put_mem(p, pl->mkt, pl->mktlen);
	od->fraglen = (size_t)(p - od->frag);
}

static void gen_order_draw(struct gen_state *g, struct gen_order *od, long long i)
{
	od->cust = &g->cust[rng_below(&g->rng, (uint64_t)g->ncust)];
	gen_order_place(g, od);
	od->day = gen_order_day(g);
	od->mode = rng_pick(&g->rng, dw_gen_data_ship_mode_w, DW_GEN_DATA_SM_COUNT);
	od->ship = od->day + rng_range(&g->rng, dw_gen_data_ship_days[od->mode][0],
				       dw_gen_data_ship_days[od->mode][1]);
	od->prio = rng_pick(&g->rng, dw_gen_data_priority_w[od->mode], DW_GEN_DATA_NPRIORITY);
	gen_order_id(g, od, i);
	od->returned = rng_below(&g->rng, 1000) < GEN_RETURN_PERMILLE;
	od->nlines = 1 + rng_pick(&g->rng, dw_gen_data_lines_w, DW_GEN_DATA_MAX_LINES);
	gen_order_products(g, od);
	gen_order_frag(g, od);
}

/* Sales, Quantity, Discount, Profit and Shipping Cost of one line. */
static char *put_line_measures(struct gen_state *g, char *p, const struct gen_order *od,
			       const struct gen_product *pr)
{
	const struct dw_gen_data_discounts *dt =
		&dw_gen_data_market_discounts[dw_gen_data_countries[od->cust->country].market];
	int qty = 1 + rng_pick(&g->rng, dw_gen_data_qty_w, DW_GEN_DATA_MAX_QTY);
	int disc = dt->pct[rng_pick(&g->rng, dt->w, dt->n)];
	int64_t gross = (int64_t)pr->price * qty;                 /* cents */
	int64_t sales = (gross * (100 - disc) + 50) / 100;        /* cents */
	int64_t cost = gross * (10000 - pr->margin) / 100;       /* 1/10000 $ */
	int64_t profit = (sales * 100 - cost) * rng_range(&g->rng, 850, 1150) / 1000;
	int64_t ship_bp = rng_range(&g->rng, dw_gen_data_ship_cost_bp[od->mode][0],
				    dw_gen_data_ship_cost_bp[od->mode][1]) +
			  dw_gen_data_priority_cost_bp[od->prio];

	p = put_fixed(p, sales, 2, 0);
	*p++ = ',';
	p = put_u64(p, (uint64_t)qty);
	*p++ = ',';
	p = put_fixed(p, disc, 2, 1);
	*p++ = ',';
	p = put_fixed(p, profit, 4, 1);
	*p++ = ',';
	return put_fixed(p, (sales * ship_bp + 5000) / 10000, 2, 0);
}

static int gen_write_line(struct gen_state *g, const struct gen_order *od, int k)
{
	const struct gen_product *pr = &g->prod[od->prod[k]];
	char line[GEN_LINE_MAX], *p = line;

	p = put_u64(p, (uint64_t)++g->row);
	*p++ = ',';
	p = put_mem(p, od->frag, od->fraglen);
	*p++ = ',';
	p = put_mem(p, pr->frag, pr->len);
	*p++ = ',';
	p = put_line_measures(g, p, od, pr);
	*p++ = ',';
	p = put_str(p, dw_gen_data_priorities[od->prio]);
	*p++ = '\n';
	return gen_emit(g, &g->out, line, (size_t)(p - line));
}

static int gen_write_return(struct gen_state *g, const struct gen_order *od)
{
	char line[256], *p = line;

	p = put_str(p, "Yes,");
	p = put_mem(p, od->id, od->idlen);
	*p++ = ',';
	p = put_csv(p, g->place[od->place].region);
	*p++ = '\n';
	return gen_emit(g, &g->ret, line, (size_t)(p - line));
}

static int gen_write_order(struct gen_state *g, long long i)
{
	struct gen_order od;

	gen_order_draw(g, &od, i);
	for (int k = 0; k < od.nlines; k++)
		if (gen_write_line(g, &od, k) < 0)
			return -1;
	if (od.returned && g->ret.fp && gen_write_return(g, &od) < 0)
		return -1;
	return 0;
}

static int gen_run(struct gen_state *g, long long orders)
{
	if (gen_emit(g, &g->out, gen_orders_header, sizeof gen_orders_header - 1) < 0)
		return -1;
	if (g->ret.fp &&
	    gen_emit(g, &g->ret, gen_returns_header, sizeof gen_returns_header - 1) < 0)
		return -1;
	for (long long i = 0; i < orders; i++)
		if (gen_write_order(g, i) < 0)
			return -1;
	if (gen_finish(g, &g->out) < 0 || gen_finish(g, &g->ret) < 0)
		return -1;
	return 0;
}

int dw_gen_write(const struct dw_gen_opts *o, FILE *orders, FILE *returns,
		 long long *lines_out, struct dw_err *err)
{
	struct gen_state *g;
	int rc;

	if (lines_out)
		*lines_out = 0;
	if (!o || !orders)
		return dw_err_set(err, DW_EX_SOFTWARE, "generator called without options or output");
	g = gen_new(o, orders, returns, err);
	if (!g)
		return -1;
	rc = gen_run(g, o->orders);
	if (lines_out)
		*lines_out = g->row;
	gen_free(g);
	return rc;
}
