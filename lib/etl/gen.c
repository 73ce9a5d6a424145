/* gen: deterministic generator of Global Superstore orders and returns
 * CSV files at any scale.
 *
 * Everything random comes from xoshiro256** seeded with splitmix64 from
 * opts->seed (one independent stream per pool), and every number is formatted
 * from integers, so the same opts give the same bytes on any machine.
 * Memory is bounded by the product catalogue (<= 2000) and the customer pool
 * (orders / 6, 50 .. 1,000,000); orders are generated and written one by one. */
#include "etl/gen.h"

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
#define GEN_MAX_LINES 6         /* lines per order */
#define GEN_CUST_MIN 50
#define GEN_CUST_MAX 1000000L
#define GEN_PROD_MIN 300
#define GEN_PROD_MAX 2000
#define GEN_RETURN_PERMILLE 40

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

/* ----------------------------------------------------------------- tables */

enum gen_market {
	MK_US, MK_CANADA, MK_EU, MK_APAC, MK_LATAM, MK_AFRICA, MK_EMEA, MK_COUNT
};

static const char *const gen_market_names[MK_COUNT] = {
	"US", "Canada", "EU", "APAC", "LATAM", "Africa", "EMEA",
};

/* Discounts in percent by market, with weights. */
struct gen_discounts {
	int n;
	int pct[12];
	int w[12];
};

static const struct gen_discounts gen_market_discounts[MK_COUNT] = {
	[MK_US] = { 10, { 0, 10, 20, 30, 40, 45, 50, 60, 70, 80 },
		    { 480, 40, 370, 20, 25, 2, 7, 14, 40, 30 } },
	[MK_CANADA] = { 1, { 0 }, { 1 } },
	[MK_EU] = { 9, { 0, 10, 15, 20, 30, 40, 45, 50, 60 },
		    { 600, 150, 30, 80, 30, 30, 10, 40, 30 } },
	[MK_APAC] = { 11, { 0, 10, 15, 20, 25, 30, 40, 45, 50, 60, 70 },
		      { 550, 80, 30, 90, 20, 40, 60, 20, 40, 40, 30 } },
	[MK_LATAM] = { 4, { 0, 20, 40, 60 }, { 620, 180, 140, 60 } },
	[MK_AFRICA] = { 3, { 0, 50, 70 }, { 700, 200, 100 } },
	[MK_EMEA] = { 4, { 0, 50, 60, 70 }, { 650, 180, 70, 100 } },
};

struct gen_country {
	const char *name;
	enum gen_market market;
	const char *region;   /* NULL: per city (United States) */
	const char *prefix;   /* Order ID prefix */
	int weight;           /* share of customers, per mille-ish */
};

static const struct gen_country gen_countries[] = {
	{ "United States", MK_US, NULL, "CA", 195 },
	{ "Canada", MK_CANADA, "Canada", "CA", 8 },
	{ "France", MK_EU, "Central", "ES", 50 },
	{ "Germany", MK_EU, "Central", "ES", 38 },
	{ "Netherlands", MK_EU, "Central", "ES", 11 },
	{ "Austria", MK_EU, "Central", "ES", 6 },
	{ "Belgium", MK_EU, "Central", "ES", 5 },
	{ "Switzerland", MK_EU, "Central", "ES", 4 },
	{ "United Kingdom", MK_EU, "North", "ES", 30 },
	{ "Sweden", MK_EU, "North", "ES", 6 },
	{ "Denmark", MK_EU, "North", "ES", 3 },
	{ "Norway", MK_EU, "North", "ES", 3 },
	{ "Ireland", MK_EU, "North", "ES", 3 },
	{ "Finland", MK_EU, "North", "ES", 2 },
	{ "Italy", MK_EU, "South", "IT", 18 },
	{ "Spain", MK_EU, "South", "ES", 17 },
	{ "Portugal", MK_EU, "South", "ES", 4 },
	{ "Australia", MK_APAC, "Oceania", "IN", 52 },
	{ "New Zealand", MK_APAC, "Oceania", "IN", 10 },
	{ "Indonesia", MK_APAC, "Southeast Asia", "ID", 26 },
	{ "Philippines", MK_APAC, "Southeast Asia", "IN", 16 },
	{ "Vietnam", MK_APAC, "Southeast Asia", "IN", 7 },
	{ "Thailand", MK_APAC, "Southeast Asia", "IN", 6 },
	{ "Malaysia", MK_APAC, "Southeast Asia", "IN", 5 },
	{ "Singapore", MK_APAC, "Southeast Asia", "IN", 4 },
	{ "Myanmar (Burma)", MK_APAC, "Southeast Asia", "IN", 3 },
	{ "China", MK_APAC, "North Asia", "IN", 35 },
	{ "Japan", MK_APAC, "North Asia", "IN", 22 },
	{ "South Korea", MK_APAC, "North Asia", "IN", 8 },
	{ "Taiwan", MK_APAC, "North Asia", "IN", 3 },
	{ "Mongolia", MK_APAC, "North Asia", "IN", 1 },
	{ "India", MK_APAC, "Central Asia", "IN", 29 },
	{ "Pakistan", MK_APAC, "Central Asia", "IN", 8 },
	{ "Bangladesh", MK_APAC, "Central Asia", "IN", 5 },
	{ "Sri Lanka", MK_APAC, "Central Asia", "IN", 2 },
	{ "Afghanistan", MK_APAC, "Central Asia", "IN", 2 },
	{ "Kazakhstan", MK_APAC, "Central Asia", "IN", 2 },
	{ "Cuba", MK_LATAM, "Caribbean", "MX", 14 },
	{ "Dominican Republic", MK_LATAM, "Caribbean", "MX", 10 },
	{ "Haiti", MK_LATAM, "Caribbean", "MX", 4 },
	{ "Jamaica", MK_LATAM, "Caribbean", "MX", 3 },
	{ "Mexico", MK_LATAM, "Central", "MX", 50 },
	{ "Guatemala", MK_LATAM, "Central", "MX", 9 },
	{ "El Salvador", MK_LATAM, "Central", "MX", 9 },
	{ "Honduras", MK_LATAM, "Central", "MX", 7 },
	{ "Nicaragua", MK_LATAM, "Central", "MX", 6 },
	{ "Brazil", MK_LATAM, "South", "MX", 30 },
	{ "Argentina", MK_LATAM, "South", "MX", 12 },
	{ "Colombia", MK_LATAM, "South", "MX", 11 },
	{ "Peru", MK_LATAM, "South", "MX", 6 },
	{ "Chile", MK_LATAM, "South", "MX", 6 },
	{ "Venezuela", MK_LATAM, "South", "MX", 5 },
	{ "Ecuador", MK_LATAM, "South", "MX", 3 },
	{ "Nigeria", MK_AFRICA, "Africa", "NI", 19 },
	{ "South Africa", MK_AFRICA, "Africa", "SF", 9 },
	{ "Morocco", MK_AFRICA, "Africa", "MO", 10 },
	{ "Algeria", MK_AFRICA, "Africa", "AG", 8 },
	{ "Democratic Republic of the Congo", MK_AFRICA, "Africa", "CG", 8 },
	{ "Kenya", MK_AFRICA, "Africa", "KE", 5 },
	{ "Ethiopia", MK_AFRICA, "Africa", "ET", 4 },
	{ "Senegal", MK_AFRICA, "Africa", "SG", 4 },
	{ "Ghana", MK_AFRICA, "Africa", "GH", 4 },
	{ "Tanzania", MK_AFRICA, "Africa", "TZ", 4 },
	{ "Cameroon", MK_AFRICA, "Africa", "CM", 4 },
	{ "Turkey", MK_EMEA, "EMEA", "TU", 20 },
	{ "Egypt", MK_EMEA, "EMEA", "EG", 10 },
	{ "Iran", MK_EMEA, "EMEA", "IR", 11 },
	{ "Iraq", MK_EMEA, "EMEA", "IZ", 6 },
	{ "Saudi Arabia", MK_EMEA, "EMEA", "SA", 6 },
	{ "Israel", MK_EMEA, "EMEA", "IS", 4 },
	{ "Ukraine", MK_EMEA, "EMEA", "UP", 5 },
	{ "Poland", MK_EMEA, "EMEA", "PL", 7 },
	{ "Russia", MK_EMEA, "EMEA", "RS", 8 },
	{ "Czech Republic", MK_EMEA, "EMEA", "EZ", 3 },
	{ "Hungary", MK_EMEA, "EMEA", "HU", 3 },
};
#define GEN_NCOUNTRY NELEM(gen_countries)
_Static_assert(NELEM(gen_countries) < 256, "country index is a uint8_t");

struct gen_city {
	const char *city, *state, *country;
	const char *region;   /* United States only */
	int zip;              /* United States only: first ZIP code of the city */
	int zips;             /* number of ZIP codes used from zip on */
};

static const struct gen_city gen_cities[] = {
	{ "New York City", "New York", "United States", "East", 10001, 40 },
	{ "Philadelphia", "Pennsylvania", "United States", "East", 19103, 40 },
	{ "Boston", "Massachusetts", "United States", "East", 2108, 20 },
	{ "Columbus", "Ohio", "United States", "East", 43201, 30 },
	{ "Buffalo", "New York", "United States", "East", 14201, 20 },
	{ "Newark", "Delaware", "United States", "East", 19711, 3 },
	{ "Wilmington", "Delaware", "United States", "East", 19801, 10 },
	{ "Burlington", "Vermont", "United States", "East", 5401, 3 },
	{ "Manchester", "New Hampshire", "United States", "East", 3101, 4 },
	{ "Hartford", "Connecticut", "United States", "East", 6101, 10 },
	{ "Baltimore", "Maryland", "United States", "East", 21201, 30 },
	{ "Jersey City", "New Jersey", "United States", "East", 7302, 5 },
	{ "Providence", "Rhode Island", "United States", "East", 2903, 7 },
	{ "Los Angeles", "California", "United States", "West", 90001, 60 },
	{ "San Francisco", "California", "United States", "West", 94102, 30 },
	{ "San Diego", "California", "United States", "West", 92101, 30 },
	{ "Seattle", "Washington", "United States", "West", 98101, 40 },
	{ "Portland", "Oregon", "United States", "West", 97201, 30 },
	{ "Phoenix", "Arizona", "United States", "West", 85003, 40 },
	{ "Tucson", "Arizona", "United States", "West", 85701, 15 },
	{ "Denver", "Colorado", "United States", "West", 80202, 30 },
	{ "Las Vegas", "Nevada", "United States", "West", 89101, 40 },
	{ "Salt Lake City", "Utah", "United States", "West", 84101, 20 },
	{ "Albuquerque", "New Mexico", "United States", "West", 87102, 20 },
	{ "Boise", "Idaho", "United States", "West", 83702, 10 },
	{ "Cheyenne", "Wyoming", "United States", "West", 82001, 7 },
	{ "Billings", "Montana", "United States", "West", 59101, 5 },
	{ "Houston", "Texas", "United States", "Central", 77002, 90 },
	{ "Dallas", "Texas", "United States", "Central", 75201, 50 },
	{ "San Antonio", "Texas", "United States", "Central", 78201, 50 },
	{ "Austin", "Texas", "United States", "Central", 78701, 50 },
	{ "Chicago", "Illinois", "United States", "Central", 60601, 60 },
	{ "Detroit", "Michigan", "United States", "Central", 48201, 35 },
	{ "Minneapolis", "Minnesota", "United States", "Central", 55401, 30 },
	{ "Milwaukee", "Wisconsin", "United States", "Central", 53202, 25 },
	{ "Indianapolis", "Indiana", "United States", "Central", 46201, 30 },
	{ "Omaha", "Nebraska", "United States", "Central", 68102, 30 },
	{ "Oklahoma City", "Oklahoma", "United States", "Central", 73102, 40 },
	{ "Kansas City", "Missouri", "United States", "Central", 64101, 60 },
	{ "Des Moines", "Iowa", "United States", "Central", 50309, 15 },
	{ "Sioux Falls", "South Dakota", "United States", "Central", 57103, 5 },
	{ "Fargo", "North Dakota", "United States", "Central", 58102, 3 },
	{ "Wichita", "Kansas", "United States", "Central", 67202, 20 },
	{ "Jacksonville", "Florida", "United States", "South", 32202, 50 },
	{ "Miami", "Florida", "United States", "South", 33125, 60 },
	{ "Tampa", "Florida", "United States", "South", 33602, 30 },
	{ "Atlanta", "Georgia", "United States", "South", 30303, 40 },
	{ "Nashville", "Tennessee", "United States", "South", 37201, 30 },
	{ "Memphis", "Tennessee", "United States", "South", 38103, 30 },
	{ "Louisville", "Kentucky", "United States", "South", 40202, 30 },
	{ "Charlotte", "North Carolina", "United States", "South", 28202, 20 },
	{ "Richmond", "Virginia", "United States", "South", 23219, 20 },
	{ "New Orleans", "Louisiana", "United States", "South", 70112, 20 },
	{ "Columbia", "South Carolina", "United States", "South", 29201, 10 },
	{ "Jackson", "Mississippi", "United States", "South", 39201, 10 },
	{ "Little Rock", "Arkansas", "United States", "South", 72201, 10 },
	{ "Birmingham", "Alabama", "United States", "South", 35203, 20 },
	{ "Toronto", "Ontario", "Canada", NULL, 0, 0 },
	{ "Ottawa", "Ontario", "Canada", NULL, 0, 0 },
	{ "Montreal", "Quebec", "Canada", NULL, 0, 0 },
	{ "Québec", "Quebec", "Canada", NULL, 0, 0 },
	{ "Vancouver", "British Columbia", "Canada", NULL, 0, 0 },
	{ "Calgary", "Alberta", "Canada", NULL, 0, 0 },
	{ "Edmonton", "Alberta", "Canada", NULL, 0, 0 },
	{ "Winnipeg", "Manitoba", "Canada", NULL, 0, 0 },
	{ "Halifax", "Nova Scotia", "Canada", NULL, 0, 0 },
	{ "Paris", "Ile-de-France", "France", NULL, 0, 0 },
	{ "Lyon", "Auvergne-Rhône-Alpes", "France", NULL, 0, 0 },
	{ "Marseille", "Provence-Alpes-Côte d'Azur", "France", NULL, 0, 0 },
	{ "Toulouse", "Occitanie", "France", NULL, 0, 0 },
	{ "Lille", "Hauts-de-France", "France", NULL, 0, 0 },
	{ "Berlin", "Berlin", "Germany", NULL, 0, 0 },
	{ "Munich", "Bavaria", "Germany", NULL, 0, 0 },
	{ "Hamburg", "Hamburg", "Germany", NULL, 0, 0 },
	{ "Cologne", "North Rhine-Westphalia", "Germany", NULL, 0, 0 },
	{ "Düsseldorf", "North Rhine-Westphalia", "Germany", NULL, 0, 0 },
	{ "Frankfurt", "Hesse", "Germany", NULL, 0, 0 },
	{ "Amsterdam", "North Holland", "Netherlands", NULL, 0, 0 },
	{ "Rotterdam", "South Holland", "Netherlands", NULL, 0, 0 },
	{ "The Hague", "South Holland", "Netherlands", NULL, 0, 0 },
	{ "Vienna", "Vienna", "Austria", NULL, 0, 0 },
	{ "Graz", "Styria", "Austria", NULL, 0, 0 },
	{ "Brussels", "Brussels", "Belgium", NULL, 0, 0 },
	{ "Antwerp", "Antwerp", "Belgium", NULL, 0, 0 },
	{ "Zürich", "Zürich", "Switzerland", NULL, 0, 0 },
	{ "Geneva", "Geneva", "Switzerland", NULL, 0, 0 },
	{ "London", "England", "United Kingdom", NULL, 0, 0 },
	{ "Manchester", "England", "United Kingdom", NULL, 0, 0 },
	{ "Birmingham", "England", "United Kingdom", NULL, 0, 0 },
	{ "Glasgow", "Scotland", "United Kingdom", NULL, 0, 0 },
	{ "Cardiff", "Wales", "United Kingdom", NULL, 0, 0 },
	{ "Belfast", "Northern Ireland", "United Kingdom", NULL, 0, 0 },
	{ "Stockholm", "Stockholm", "Sweden", NULL, 0, 0 },
	{ "Göteborg", "Västra Götaland", "Sweden", NULL, 0, 0 },
	{ "Copenhagen", "Capital", "Denmark", NULL, 0, 0 },
	{ "Oslo", "Oslo", "Norway", NULL, 0, 0 },
	{ "Dublin", "Leinster", "Ireland", NULL, 0, 0 },
	{ "Helsinki", "Uusimaa", "Finland", NULL, 0, 0 },
	{ "Rome", "Lazio", "Italy", NULL, 0, 0 },
	{ "Milan", "Lombardy", "Italy", NULL, 0, 0 },
	{ "Naples", "Campania", "Italy", NULL, 0, 0 },
	{ "Turin", "Piedmont", "Italy", NULL, 0, 0 },
	{ "Madrid", "Madrid", "Spain", NULL, 0, 0 },
	{ "Barcelona", "Catalonia", "Spain", NULL, 0, 0 },
	{ "Valencia", "Valenciana", "Spain", NULL, 0, 0 },
	{ "Seville", "Andalusía", "Spain", NULL, 0, 0 },
	{ "Lisbon", "Lisboa", "Portugal", NULL, 0, 0 },
	{ "Porto", "Porto", "Portugal", NULL, 0, 0 },
	{ "Sydney", "New South Wales", "Australia", NULL, 0, 0 },
	{ "Melbourne", "Victoria", "Australia", NULL, 0, 0 },
	{ "Brisbane", "Queensland", "Australia", NULL, 0, 0 },
	{ "Perth", "Western Australia", "Australia", NULL, 0, 0 },
	{ "Adelaide", "South Australia", "Australia", NULL, 0, 0 },
	{ "Auckland", "Auckland", "New Zealand", NULL, 0, 0 },
	{ "Wellington", "Wellington", "New Zealand", NULL, 0, 0 },
	{ "Jakarta", "Jakarta", "Indonesia", NULL, 0, 0 },
	{ "Surabaya", "East Java", "Indonesia", NULL, 0, 0 },
	{ "Bandung", "West Java", "Indonesia", NULL, 0, 0 },
	{ "Manila", "National Capital", "Philippines", NULL, 0, 0 },
	{ "Cebu City", "Central Visayas", "Philippines", NULL, 0, 0 },
	{ "Ho Chi Minh City", "Ho Chí Minh City", "Vietnam", NULL, 0, 0 },
	{ "Hanoi", "Hanoi", "Vietnam", NULL, 0, 0 },
	{ "Bangkok", "Bangkok", "Thailand", NULL, 0, 0 },
	{ "Kuala Lumpur", "Kuala Lumpur", "Malaysia", NULL, 0, 0 },
	{ "Singapore", "Singapore", "Singapore", NULL, 0, 0 },
	{ "Yangon", "Yangon", "Myanmar (Burma)", NULL, 0, 0 },
	{ "Shanghai", "Shanghai", "China", NULL, 0, 0 },
	{ "Beijing", "Beijing", "China", NULL, 0, 0 },
	{ "Guangzhou", "Guangdong", "China", NULL, 0, 0 },
	{ "Shenzhen", "Guangdong", "China", NULL, 0, 0 },
	{ "Chengdu", "Sichuan", "China", NULL, 0, 0 },
	{ "Tokyo", "Tōkyō", "Japan", NULL, 0, 0 },
	{ "Osaka", "Ōsaka", "Japan", NULL, 0, 0 },
	{ "Yokohama", "Kanagawa", "Japan", NULL, 0, 0 },
	{ "Nagoya", "Aichi", "Japan", NULL, 0, 0 },
	{ "Seoul", "Seoul", "South Korea", NULL, 0, 0 },
	{ "Busan", "Busan", "South Korea", NULL, 0, 0 },
	{ "Taipei", "Taipei City", "Taiwan", NULL, 0, 0 },
	{ "Ulaanbaatar", "Ulaanbaatar", "Mongolia", NULL, 0, 0 },
	{ "Mumbai", "Maharashtra", "India", NULL, 0, 0 },
	{ "Delhi", "Delhi", "India", NULL, 0, 0 },
	{ "Bangalore", "Karnataka", "India", NULL, 0, 0 },
	{ "Chennai", "Tamil Nadu", "India", NULL, 0, 0 },
	{ "Kolkata", "West Bengal", "India", NULL, 0, 0 },
	{ "Karachi", "Sindh", "Pakistan", NULL, 0, 0 },
	{ "Lahore", "Punjab", "Pakistan", NULL, 0, 0 },
	{ "Dhaka", "Dhaka", "Bangladesh", NULL, 0, 0 },
	{ "Colombo", "Western", "Sri Lanka", NULL, 0, 0 },
	{ "Kabul", "Kabul", "Afghanistan", NULL, 0, 0 },
	{ "Almaty", "Almaty", "Kazakhstan", NULL, 0, 0 },
	{ "Havana", "Ciudad de la Habana", "Cuba", NULL, 0, 0 },
	{ "Santiago de Cuba", "Santiago de Cuba", "Cuba", NULL, 0, 0 },
	{ "Santo Domingo", "Santo Domingo", "Dominican Republic", NULL, 0, 0 },
	{ "Port-au-Prince", "Ouest", "Haiti", NULL, 0, 0 },
	{ "Kingston", "Kingston", "Jamaica", NULL, 0, 0 },
	{ "Mexico City", "Distrito Federal", "Mexico", NULL, 0, 0 },
	{ "Guadalajara", "Jalisco", "Mexico", NULL, 0, 0 },
	{ "Monterrey", "Nuevo León", "Mexico", NULL, 0, 0 },
	{ "Puebla", "Puebla", "Mexico", NULL, 0, 0 },
	{ "Tijuana", "Baja California", "Mexico", NULL, 0, 0 },
	{ "Guatemala City", "Guatemala", "Guatemala", NULL, 0, 0 },
	{ "San Salvador", "San Salvador", "El Salvador", NULL, 0, 0 },
	{ "Tegucigalpa", "Francisco Morazán", "Honduras", NULL, 0, 0 },
	{ "Managua", "Managua", "Nicaragua", NULL, 0, 0 },
	{ "São Paulo", "São Paulo", "Brazil", NULL, 0, 0 },
	{ "Rio de Janeiro", "Rio de Janeiro", "Brazil", NULL, 0, 0 },
	{ "Salvador", "Bahia", "Brazil", NULL, 0, 0 },
	{ "Brasília", "Distrito Federal", "Brazil", NULL, 0, 0 },
	{ "Buenos Aires", "Buenos Aires", "Argentina", NULL, 0, 0 },
	{ "Córdoba", "Córdoba", "Argentina", NULL, 0, 0 },
	{ "Bogotá", "Distrito Capital", "Colombia", NULL, 0, 0 },
	{ "Medellín", "Antioquia", "Colombia", NULL, 0, 0 },
	{ "Lima", "Lima", "Peru", NULL, 0, 0 },
	{ "Santiago", "Santiago", "Chile", NULL, 0, 0 },
	{ "Caracas", "Distrito Capital", "Venezuela", NULL, 0, 0 },
	{ "Quito", "Pichincha", "Ecuador", NULL, 0, 0 },
	{ "Lagos", "Lagos", "Nigeria", NULL, 0, 0 },
	{ "Abuja", "Federal Capital Territory", "Nigeria", NULL, 0, 0 },
	{ "Johannesburg", "Gauteng", "South Africa", NULL, 0, 0 },
	{ "Cape Town", "Western Cape", "South Africa", NULL, 0, 0 },
	{ "Casablanca", "Grand Casablanca", "Morocco", NULL, 0, 0 },
	{ "Algiers", "Alger", "Algeria", NULL, 0, 0 },
	{ "Kinshasa", "Kinshasa", "Democratic Republic of the Congo", NULL, 0, 0 },
	{ "Nairobi", "Nairobi", "Kenya", NULL, 0, 0 },
	{ "Addis Ababa", "Addis Ababa", "Ethiopia", NULL, 0, 0 },
	{ "Dakar", "Dakar", "Senegal", NULL, 0, 0 },
	{ "Accra", "Greater Accra", "Ghana", NULL, 0, 0 },
	{ "Dar es Salaam", "Dar es Salaam", "Tanzania", NULL, 0, 0 },
	{ "Douala", "Littoral", "Cameroon", NULL, 0, 0 },
	{ "Istanbul", "Istanbul", "Turkey", NULL, 0, 0 },
	{ "Ankara", "Ankara", "Turkey", NULL, 0, 0 },
	{ "Izmir", "Izmir", "Turkey", NULL, 0, 0 },
	{ "Cairo", "Cairo", "Egypt", NULL, 0, 0 },
	{ "Alexandria", "Alexandria", "Egypt", NULL, 0, 0 },
	{ "Tehran", "Tehran", "Iran", NULL, 0, 0 },
	{ "Mashhad", "Razavi Khorasan", "Iran", NULL, 0, 0 },
	{ "Baghdad", "Baghdad", "Iraq", NULL, 0, 0 },
	{ "Riyadh", "Ar Riyad", "Saudi Arabia", NULL, 0, 0 },
	{ "Tel Aviv", "Tel Aviv", "Israel", NULL, 0, 0 },
	{ "Kiev", "Kiev", "Ukraine", NULL, 0, 0 },
	{ "Warsaw", "Masovia", "Poland", NULL, 0, 0 },
	{ "Kraków", "Lesser Poland", "Poland", NULL, 0, 0 },
	{ "Moscow", "Moscow City", "Russia", NULL, 0, 0 },
	{ "Saint Petersburg", "Saint Petersburg", "Russia", NULL, 0, 0 },
	{ "Prague", "Prague", "Czech Republic", NULL, 0, 0 },
	{ "Budapest", "Budapest", "Hungary", NULL, 0, 0 },
};
#define GEN_NCITY NELEM(gen_cities)

/* Product name parts; NULL-terminated lists. */
static const char *const gen_brands_bookcases[] = {
	"Bush", "Sauder", "O'Sullivan", "Bestar", "Atlantic", "Dania", "Safco",
	"Hon", "Ikea", NULL
};
static const char *const gen_brands_chairs[] = {
	"Hon", "Office Star", "Harbour Creations", "Global", "Safco",
	"Novimex", "Lesro", "Chromcraft", NULL
};
static const char *const gen_brands_furnishings[] = {
	"Eldon", "Tenex", "Howard Miller", "Deflect-O", "Advantus",
	"Rubbermaid", "Executive Impressions", "Tensor", "Luxo", NULL
};
static const char *const gen_brands_tables[] = {
	"Bretford", "Barricks", "Hon", "KI", "Chromcraft", "Bevis", "Lesro",
	"Balt", "Safco", NULL
};
static const char *const gen_brands_appliances[] = {
	"Hoover", "Kensington", "Fellowes", "Holmes", "Hamilton Beach",
	"Cuisinart", "KitchenAid", "Black & Decker", "Belkin", "Sanyo",
	"Whirlpool", NULL
};
static const char *const gen_brands_art[] = {
	"Sanford", "Boston", "Binney & Smith", "Stanley", "Dixon", "Prang",
	"BIC", "Sharpie", "Staedtler", NULL
};
static const char *const gen_brands_binders[] = {
	"Avery", "Acco", "Wilson Jones", "Cardinal", "Ibico", "GBC",
	"Fellowes", "Green Canoe", NULL
};
static const char *const gen_brands_envelopes[] = {
	"Ames", "Cameo", "Jiffy", "Globe-Weis", "Kraft", "Tyvek",
	"Quality Park", "Mead", NULL
};
static const char *const gen_brands_fasteners[] = {
	"Acco", "Advantus", "OIC", "Stockwell", "Ideal", "Acme", "Officemate",
	NULL
};
static const char *const gen_brands_labels[] = {
	"Avery", "Smead", "Novimex", "Harbour Creations", "Dymo", "Brother",
	NULL
};
static const char *const gen_brands_paper[] = {
	"Xerox", "Hammermill", "Eaton", "Southworth", "Ampad", "Post-it",
	"Green Bar", "Strathmore", NULL
};
static const char *const gen_brands_storage[] = {
	"Fellowes", "Smead", "Eldon", "Tenex", "Rogers", "Sterilite", "Safco",
	"Hon", "Iris", "Akro-Mils", NULL
};
static const char *const gen_brands_supplies[] = {
	"Acme", "Fiskars", "Stiletto", "Martin-Yale", "Elite", "Kleencut",
	"Swingline", "Bostitch", NULL
};
static const char *const gen_brands_accessories[] = {
	"Logitech", "Belkin", "Kingston", "SanDisk", "Memorex", "Microsoft",
	"Razer", "Enermax", "Imation", "Plantronics", NULL
};
static const char *const gen_brands_copiers[] = {
	"Canon", "Hewlett-Packard", "Sharp", "Brother", "Xerox", "Ricoh", NULL
};
static const char *const gen_brands_machines[] = {
	"Okidata", "Epson", "Konica", "Zebra", "Panasonic", "Lexmark",
	"Texas Instruments", "Star Micronics", "Hewlett-Packard", "Brother",
	NULL
};
static const char *const gen_brands_phones[] = {
	"Apple", "Samsung", "Nokia", "Motorola", "Cisco", "Polycom", "AT&T",
	"Panasonic", "Jabra", "Mitel", NULL
};

static const char *const gen_furniture_sfx[] = {
	", Black", ", Walnut", ", Mahogany", ", Traditional", ", Adjustable",
	", Set of Two", " with Casters", ", Metal", ", 48\" Wide", ", Pine",
	", Blue", ", Oak", ", Cherry", ", Gray", " Mobile", NULL
};
static const char *const gen_office_sfx[] = {
	", Blue", ", Assorted Colors", ", Recycled", ", 8.5\" x 11\"",
	", Pack of 12", ", Bulk Pack", " Refill", ", Durable", ", platinum",
	", Clear", ", Letter Size", " Set", ", Red", ", Black", ", 1\" Capacity",
	NULL
};
static const char *const gen_tech_sfx[] = {
	", Full Size", ", Wireless", ", Black", ", White", ", Refurbished",
	", Cordless", " with Caller ID", ", Color", ", 16GB", ", VoIP", " Bundle",
	", 15\" Display", ", Red", ", Silver", NULL
};

static const char *const gen_items_bookcases[] = {
	"Classic Bookcase", "Open Bookcase", "Library with Doors",
	"3-Shelf Bookcase", "5-Shelf Bookcase", "Corner Bookcase",
	"Mobile Bookcase", "Heavy-Duty Shelving", "Barrister Bookcase", NULL
};
static const char *const gen_items_chairs[] = {
	"Executive Leather Armchair", "Task Chair", "Swivel Stool", "Mesh Chair",
	"Stacking Chair", "Ergonomic Chair", "Guest Chair", "Rocking Chair",
	"Folding Chair", NULL
};
static const char *const gen_items_furnishings[] = {
	"Wall Clock", "Photo Frame", "Desk Lamp", "Chairmat", "Floor Mat",
	"Cable Organizer", "Window Blinds", "Tiered Wall Planter", "Coat Rack",
	"Door Stop", NULL
};
static const char *const gen_items_tables[] = {
	"Conference Table", "Round Table", "Training Table", "Computer Table",
	"Folding Table", "Corner Table", "36\" x 72\" Conference Table",
	"30\" x 60\" Training Table", "48\" Round Table", NULL
};
static const char *const gen_items_appliances[] = {
	"Microwave", "Refrigerator", "Toaster", "Coffee Maker", "Vacuum",
	"Space Heater", "Air Purifier", "Surge Protector", "Stove", "Humidifier",
	"Box Fan", NULL
};
static const char *const gen_items_art[] = {
	"Pencil Sharpener", "Markers", "Highlighters", "Crayons", "Pens",
	"Canvas", "Sketch Pad", "Colored Pencils", "Easel", "Chalk", NULL
};
static const char *const gen_items_binders[] = {
	"Binder", "Binding Machine", "Index Tabs", "Hole Punch",
	"Durable Binder", "1\" Ring Binder", "3\" Ring Binder", "Binding Covers",
	"Presentation Binder", "Binder Accessories", NULL
};
static const char *const gen_items_envelopes[] = {
	"Business Envelopes", "Clasp Envelope", "Mailers",
	"Peel and Seal Envelope", "Interoffice Envelope", "Manila Envelope",
	"Window Envelope", NULL
};
static const char *const gen_items_fasteners[] = {
	"Paper Clips", "Push Pins", "Thumb Tacks", "Rubber Bands", "Binder Clips",
	"Staples", "Clamps", "Fasteners", NULL
};
static const char *const gen_items_labels[] = {
	"Shipping Labels", "Color Coded Labels", "File Folder Labels",
	"Removable Labels", "Address Labels", "Index Labels", "Round Labels",
	NULL
};
static const char *const gen_items_paper[] = {
	"Copy Paper", "Message Books", "Memo Slips", "Note Cards", "Cardstock",
	"Parchment Paper", "Easel Pad", "Computer Printout Paper", NULL
};
static const char *const gen_items_storage[] = {
	"File Cart", "Storage Box", "Shelving", "File Cabinet", "Lockers",
	"Trays", "Archive Boxes", "Drawer Organizer",
	"Base for stackable storage shelf", NULL
};
static const char *const gen_items_supplies[] = {
	"Scissors", "Box Cutter", "Letter Opener", "Ruler", "Shears", "Trimmer",
	"Staple Remover", "Stapler", NULL
};
static const char *const gen_items_accessories[] = {
	"Wireless Mouse", "Keyboard", "USB Flash Drive", "Headset",
	"Memory Card", "Webcam", "Router", "Speakers", "External Hard Drive",
	NULL
};
static const char *const gen_items_copiers[] = {
	"Copier", "Personal Copier", "Wireless Fax", "Digital Copier",
	"Laser Copier", "Multifunction Copier", NULL
};
static const char *const gen_items_machines[] = {
	"Printer", "Calculator", "Label Printer", "Shredder", "Receipt Printer",
	"Projector", "Fax Machine", "Card Printer", "Inkjet Printer", NULL
};
static const char *const gen_items_phones[] = {
	"Smart Phone", "Cordless Phone", "Conference Phone", "Headset",
	"IP Phone", "Signal Booster", "Speaker Phone", "Office Telephone", NULL
};

struct gen_category {
	const char *name, *code;
	const char *const *sfx;
};

static const struct gen_category gen_categories[] = {
	{ "Furniture", "FUR", gen_furniture_sfx },
	{ "Office Supplies", "OFF", gen_office_sfx },
	{ "Technology", "TEC", gen_tech_sfx },
};

struct gen_subcat {
	int cat;
	const char *name, *code;
	int weight;                 /* share of order lines */
	int price_lo, price_hi;     /* unit price, dollars */
	int margin_lo, margin_hi;   /* basis points of the undiscounted price */
	const char *const *brands, *const *items;
};

static const struct gen_subcat gen_subcats[] = {
	{ 0, "Bookcases", "BO", 2411, 40, 900, 800, 2500,
	  gen_brands_bookcases, gen_items_bookcases },
	{ 0, "Chairs", "CH", 3434, 30, 1200, 1000, 3000,
	  gen_brands_chairs, gen_items_chairs },
	{ 0, "Furnishings", "FU", 3170, 3, 250, 1500, 4000,
	  gen_brands_furnishings, gen_items_furnishings },
	{ 0, "Tables", "TA", 861, 80, 1500, 500, 2000,
	  gen_brands_tables, gen_items_tables },
	{ 1, "Appliances", "AP", 1755, 15, 1200, 1500, 3500,
	  gen_brands_appliances, gen_items_appliances },
	{ 1, "Art", "AR", 4883, 2, 60, 1500, 3500,
	  gen_brands_art, gen_items_art },
	{ 1, "Binders", "BI", 6152, 2, 250, 2000, 4500,
	  gen_brands_binders, gen_items_binders },
	{ 1, "Envelopes", "EN", 2435, 4, 60, 2500, 4500,
	  gen_brands_envelopes, gen_items_envelopes },
	{ 1, "Fasteners", "FA", 2420, 1, 25, 2000, 4000,
	  gen_brands_fasteners, gen_items_fasteners },
	{ 1, "Labels", "LA", 2606, 2, 30, 3000, 4800,
	  gen_brands_labels, gen_items_labels },
	{ 1, "Paper", "PA", 3538, 4, 70, 3000, 4800,
	  gen_brands_paper, gen_items_paper },
	{ 1, "Storage", "ST", 5059, 12, 600, 1000, 3000,
	  gen_brands_storage, gen_items_storage },
	{ 1, "Supplies", "SU", 2425, 4, 150, 500, 2500,
	  gen_brands_supplies, gen_items_supplies },
	{ 2, "Accessories", "AC", 3075, 8, 500, 2000, 4000,
	  gen_brands_accessories, gen_items_accessories },
	{ 2, "Copiers", "CO", 2223, 250, 3500, 2500, 4500,
	  gen_brands_copiers, gen_items_copiers },
	{ 2, "Machines", "MA", 1486, 40, 3000, 500, 3000,
	  gen_brands_machines, gen_items_machines },
	{ 2, "Phones", "PH", 3357, 20, 1500, 1000, 3000,
	  gen_brands_phones, gen_items_phones },
};
#define GEN_NSUB NELEM(gen_subcats)

/* All first and last names start with an ASCII capital (Customer ID
 * initials); some hold UTF-8 further on. */
static const char *const gen_first_names[] = {
	"Aaron", "Adam", "Adrian", "Alan", "Alejandro", "Alex", "Andrés", "Anna",
	"Anne", "Barry", "Ben", "Björn", "Brenda", "Carl", "Carlos", "Chloé",
	"Christine", "Claire", "Dan", "Darrin", "David", "Dennis", "Eileen",
	"Emily", "Eric", "Erin", "Fernando", "François", "Frank", "Gary", "Grace",
	"Hans", "Harry", "Helen", "Irene", "Isabel", "Ivan", "Jack", "James",
	"Jasper", "Jennifer", "Joel", "José", "Julia", "Jürgen", "Karen",
	"Katrina", "Kevin", "Laura", "Lena", "Linda", "Luis", "Maria", "Mark",
	"Matt", "Michelle", "Nathan", "Neil", "Nina", "Olivia", "Oscar", "Pablo",
	"Patrick", "Paul", "Pete", "Quinn", "Rachel", "Raphaël", "Renée", "Resi",
	"Rick", "Ruth", "Sam", "Sanjit", "Sara", "Sean", "Søren", "Sonia",
	"Stefan", "Susan", "Ted", "Theresa", "Tom", "Tracy", "Uwe", "Valerie",
	"Victoria", "Vivek", "William", "Xavier", "Yana", "Yoshi", "Zoë", NULL
};
static const char *const gen_last_names[] = {
	"Abelman", "Bergman", "Bolton", "Brown", "Chen", "Cheng", "De Silva",
	"Dunn", "Dvořák", "Eriksson", "Fischer", "Französisch", "García",
	"Gómez", "Gute", "Hernández", "Hoffmann", "Ito", "Jensen", "Johnson",
	"Kim", "Kowalski", "Lee", "López", "Martin", "Müller", "Nakamura",
	"Nguyen", "Núñez", "O'Brien", "Okafor", "Patel", "Pölking", "Quinn",
	"Rossi", "Santos", "Schäfer", "Schmidt", "Shami", "Silva", "Singh",
	"Smith", "Suzuki", "Tanaka", "Thompson", "Van Huff", "Wagner", "Wang",
	"Weber", "Xu", "Yamamoto", "Young", "Zhang", "Zimmermann", NULL
};
/* The first customers of every pool. */
static const char *const gen_fixed_customers[][2] = {
	{ "Resi", "Pölking" }, { "Neil", "Französisch" }, { "Adrian", "Shami" },
	{ "Zoë", "Müller" }, { "José", "Núñez" }, { "Claire", "Gute" },
	{ "Darrin", "Van Huff" },
};

static const char *const gen_segments[] = { "Consumer", "Corporate", "Home Office" };
static const int gen_segment_w[] = { 50, 30, 20 };

enum gen_shipmode { SM_STANDARD, SM_SECOND, SM_FIRST, SM_SAMEDAY, SM_COUNT };
static const char *const gen_ship_modes[SM_COUNT] = {
	"Standard Class", "Second Class", "First Class", "Same Day",
};
static const int gen_ship_mode_w[SM_COUNT] = { 60, 20, 15, 5 };
static const int gen_ship_days[SM_COUNT][2] = { { 4, 7 }, { 2, 5 }, { 1, 3 }, { 0, 0 } };
/* Shipping cost in basis points of sales, by mode. */
static const int gen_ship_cost_bp[SM_COUNT][2] = {
	{ 500, 900 }, { 700, 1100 }, { 900, 1300 }, { 1100, 1450 },
};

static const char *const gen_priorities[] = { "Critical", "High", "Medium", "Low" };
static const int gen_priority_w[SM_COUNT][4] = {
	{ 6, 28, 58, 8 }, { 8, 32, 60, 0 }, { 10, 35, 55, 0 }, { 30, 45, 25, 0 },
};
static const int gen_priority_cost_bp[4] = { 100, 50, 0, 0 };

static const int gen_lines_w[GEN_MAX_LINES] = { 45, 25, 14, 8, 5, 3 };
static const int gen_qty_w[14] = {
	95, 240, 220, 120, 100, 60, 60, 30, 25, 15, 10, 9, 8, 8
};
/* Seasonality: weight per month (max 150) and per weekday (Sunday first). */
static const int gen_month_w[12] = {
	60, 62, 90, 85, 95, 100, 80, 105, 130, 110, 140, 150
};
static const int gen_wday_w[7] = { 50, 100, 100, 100, 100, 100, 60 };
#define GEN_MONTH_W_MAX 150
#define GEN_WDAY_W_MAX 100
#define GEN_GROWTH_BASE 100
#define GEN_GROWTH_PER_YEAR 20

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
	int prod[GEN_MAX_LINES];
};

struct gen_state {
	enum gen_datefmt fmt;
	long from, to;
	int from_year;
	uint64_t date_wmax;
	struct gen_rng rng;
	uint64_t fkey[4], fmask, fdomain;
	int fhalf;
	struct gen_place place[GEN_NCITY];
	int country_first[GEN_NCOUNTRY], country_count[GEN_NCOUNTRY];
	int city_by_country[GEN_NCITY];
	int country_w[GEN_NCOUNTRY];
	int sub_w[GEN_NSUB], sub_first[GEN_NSUB], sub_count[GEN_NSUB];
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
	for (size_t i = 0; i < GEN_NCOUNTRY; i++)
		if (!strcmp(gen_countries[i].name, name))
			return (int)i;
	return -1;
}

static int gen_setup_place(struct gen_place *pl, const struct gen_city *c)
{
	const struct gen_country *co;
	char *p;

	pl->country = country_find(c->country);
	if (pl->country < 0 || !text_ok(c->city) || !text_ok(c->state) ||
	    !text_ok(c->country))
		return -1;
	co = &gen_countries[pl->country];
	pl->region = co->region ? co->region : c->region;
	if (!pl->region || !text_ok(pl->region) || (co->market == MK_US) != (c->zips > 0))
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
	p = put_csv(p, gen_market_names[co->market]);
	*p++ = ',';
	p = put_csv(p, pl->region);
	pl->mktlen = (size_t)(p - pl->mkt);
	return 0;
}

/* Precomputes the location fragments and groups the cities by country. */
static int gen_setup_places(struct gen_state *g)
{
	int next[GEN_NCOUNTRY];

	for (size_t i = 0; i < GEN_NCITY; i++) {
		if (gen_setup_place(&g->place[i], &gen_cities[i]) < 0)
			return dw_err_set(g->err, DW_EX_SOFTWARE,
					  "bad generator table entry for city '%s'",
					  gen_cities[i].city);
		g->country_count[g->place[i].country]++;
	}
	for (size_t i = 0, at = 0; i < GEN_NCOUNTRY; i++) {
		if (!g->country_count[i] || !text_ok(gen_countries[i].name))
			return dw_err_set(g->err, DW_EX_SOFTWARE,
					  "bad generator table entry for country '%s'",
					  gen_countries[i].name);
		g->country_first[i] = next[i] = (int)at;
		at += (size_t)g->country_count[i];
		g->country_w[i] = gen_countries[i].weight;
	}
	for (size_t i = 0; i < GEN_NCITY; i++)
		g->city_by_country[next[g->place[i].country]++] = (int)i;
	return 0;
}

static void gen_product_name(struct gen_rng *r, const struct gen_subcat *s,
			     char *name, size_t size)
{
	const struct gen_category *c = &gen_categories[s->cat];
	const char *brand = s->brands[rng_below(r, (uint64_t)list_len(s->brands))];
	const char *item = s->items[rng_below(r, (uint64_t)list_len(s->items))];
	const char *sfx = "";

	if (rng_below(r, 100) < 55)
		sfx = c->sfx[rng_below(r, (uint64_t)list_len(c->sfx))];
	snprintf(name, size, "%s %s%s", brand, item, sfx);
}

/* Unit price in cents, skewed toward the low end of the subcategory range. */
static int32_t gen_product_price(struct gen_rng *r, const struct gen_subcat *s)
{
	uint64_t span = (uint64_t)(s->price_hi - s->price_lo) * 100;
	uint64_t u = rng_below(r, 10000);

	return (int32_t)((uint64_t)s->price_lo * 100 + span * u * u / 100000000 +
			 rng_below(r, 100));
}

static void gen_make_product(struct gen_state *g, struct gen_rng *r, int j,
			     int sub, uint64_t stride)
{
	const struct gen_subcat *s = &gen_subcats[sub];
	struct gen_product *pr = &g->prod[j];
	char name[GEN_NAME_MAX];
	char *p = pr->frag;

	gen_product_name(r, s, name, sizeof name);
	pr->sub = (uint8_t)sub;
	pr->price = gen_product_price(r, s);
	pr->margin = (int16_t)rng_range(r, s->margin_lo, s->margin_hi);
	p = put_str(p, gen_categories[s->cat].code);
	*p++ = '-';
	p = put_str(p, s->code);
	*p++ = '-';
	p = put_u64(p, 10000000 + (uint64_t)j * stride + rng_below(r, stride));
	*p++ = ',';
	p = put_csv(p, gen_categories[s->cat].name);
	*p++ = ',';
	p = put_csv(p, s->name);
	*p++ = ',';
	p = put_csv(p, name);
	pr->len = (size_t)(p - pr->frag);
}

/* Groups product indexes by subcategory for the per-line draw. */
static void gen_index_products(struct gen_state *g)
{
	int next[GEN_NSUB];

	for (int j = 0; j < g->nprod; j++)
		g->sub_count[g->prod[j].sub]++;
	for (size_t i = 0, at = 0; i < GEN_NSUB; i++) {
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
	for (size_t i = 0; i < GEN_NSUB; i++)
		g->sub_w[i] = gen_subcats[i].weight;
	stride = 5000 / (uint64_t)g->nprod;
	rng_seed(&r, seed, 1);
	for (int j = 0; j < g->nprod; j++) {
		int sub = j < 3 * (int)GEN_NSUB ? j % (int)GEN_NSUB
						 : rng_pick(&r, g->sub_w, GEN_NSUB);
		gen_make_product(g, &r, j, sub, stride);
	}
	gen_index_products(g);
	return 0;
}

static void gen_make_customer(struct gen_state *g, struct gen_rng *r, long j,
			      uint64_t stride)
{
	struct gen_customer *c = &g->cust[j];

	if ((size_t)j < NELEM(gen_fixed_customers)) {
		c->first = (uint16_t)list_find(gen_first_names, gen_fixed_customers[j][0]);
		c->last = (uint16_t)list_find(gen_last_names, gen_fixed_customers[j][1]);
	} else {
		c->first = (uint16_t)rng_below(r, (uint64_t)g->nfirst);
		c->last = (uint16_t)rng_below(r, (uint64_t)g->nlast);
	}
	c->number = (uint32_t)(10000 + (uint64_t)j * stride + rng_below(r, stride));
	c->segment = (uint8_t)rng_pick(r, gen_segment_w, (int)NELEM(gen_segment_w));
	c->country = (uint8_t)rng_pick(r, g->country_w, (int)GEN_NCOUNTRY);
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
	g->nfirst = list_len(gen_first_names);
	g->nlast = list_len(gen_last_names);
	if (!names_ok(gen_first_names) || !names_ok(gen_last_names))
		return dw_err_set(g->err, DW_EX_SOFTWARE, "bad generator table of customer names");
	for (size_t i = 0; i < NELEM(gen_fixed_customers); i++)
		if (list_find(gen_first_names, gen_fixed_customers[i][0]) < 0 ||
		    list_find(gen_last_names, gen_fixed_customers[i][1]) < 0)
			return dw_err_set(g->err, DW_EX_SOFTWARE,
					  "bad generator table entry for customer '%s %s'",
					  gen_fixed_customers[i][0], gen_fixed_customers[i][1]);
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
	g->date_wmax = (uint64_t)GEN_MONTH_W_MAX * GEN_WDAY_W_MAX * gmax;
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
		w = (uint64_t)gen_month_w[m - 1] * (uint64_t)gen_wday_w[dw_date_weekday(day) % 7] *
		    (GEN_GROWTH_BASE + (uint64_t)GEN_GROWTH_PER_YEAR * (uint64_t)(y - g->from_year));
		if (rng_below(&g->rng, g->date_wmax) < w)
			return day;
	}
}

static void gen_order_place(struct gen_state *g, struct gen_order *od)
{
	int country = od->cust->country;
	const struct gen_city *c;

	od->place = g->city_by_country[g->country_first[country] +
				       (int)rng_below(&g->rng, (uint64_t)g->country_count[country])];
	c = &gen_cities[od->place];
	od->zip = c->zips ? c->zip + (int)rng_below(&g->rng, (uint64_t)c->zips) : -1;
}

static void gen_order_id(struct gen_state *g, struct gen_order *od, long long i)
{
	const struct gen_country *co = &gen_countries[od->cust->country];
	const char *prefix = co->prefix;
	int y, m, d;
	char *p = od->id;

	if (co->market == MK_US && rng_below(&g->rng, 5) == 0)
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
			sub = rng_pick(&g->rng, g->sub_w, GEN_NSUB);
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
	const char *first = gen_first_names[c->first], *last = gen_last_names[c->last];
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
	return put_str(p, gen_segments[c->segment]);
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
	p = put_str(p, gen_ship_modes[od->mode]);
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
	od->mode = rng_pick(&g->rng, gen_ship_mode_w, SM_COUNT);
	od->ship = od->day + rng_range(&g->rng, gen_ship_days[od->mode][0],
				       gen_ship_days[od->mode][1]);
	od->prio = rng_pick(&g->rng, gen_priority_w[od->mode], 4);
	gen_order_id(g, od, i);
	od->returned = rng_below(&g->rng, 1000) < GEN_RETURN_PERMILLE;
	od->nlines = 1 + rng_pick(&g->rng, gen_lines_w, GEN_MAX_LINES);
	gen_order_products(g, od);
	gen_order_frag(g, od);
}

/* Sales, Quantity, Discount, Profit and Shipping Cost of one line. */
static char *put_line_measures(struct gen_state *g, char *p, const struct gen_order *od,
			       const struct gen_product *pr)
{
	const struct gen_discounts *dt =
		&gen_market_discounts[gen_countries[od->cust->country].market];
	int qty = 1 + rng_pick(&g->rng, gen_qty_w, (int)NELEM(gen_qty_w));
	int disc = dt->pct[rng_pick(&g->rng, dt->w, dt->n)];
	int64_t gross = (int64_t)pr->price * qty;                 /* cents */
	int64_t sales = (gross * (100 - disc) + 50) / 100;        /* cents */
	int64_t cost = gross * (10000 - pr->margin) / 100;       /* 1/10000 $ */
	int64_t profit = (sales * 100 - cost) * rng_range(&g->rng, 850, 1150) / 1000;
	int64_t ship_bp = rng_range(&g->rng, gen_ship_cost_bp[od->mode][0],
				    gen_ship_cost_bp[od->mode][1]) +
			  gen_priority_cost_bp[od->prio];

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
	p = put_str(p, gen_priorities[od->prio]);
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
