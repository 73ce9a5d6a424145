#include "etl/import.h"
#include "etl/copytext.h"
#include "etl/pgbulk.h"
#include "etl/width.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bitset.h"
#include "bloom.h"
#include "csv.h"
#include "date.h"
#include "log.h"
#include "outfile.h"
#include "recent.h"
#include "strmap.h"
#include "text.h"

/* Columns of the orders CSV, in the order of the public file. */
enum col {
	C_ROW_ID, C_ORDER_ID, C_ORDER_DATE, C_SHIP_DATE, C_SHIP_MODE, C_CUSTOMER_ID,
	C_CUSTOMER_NAME, C_SEGMENT, C_CITY, C_STATE, C_COUNTRY, C_POSTAL_CODE, C_MARKET,
	C_REGION, C_PRODUCT_ID, C_CATEGORY, C_SUBCATEGORY, C_PRODUCT_NAME, C_SALES,
	C_QUANTITY, C_DISCOUNT, C_PROFIT, C_SHIPPING_COST, C_ORDER_PRIORITY, NCOLS
};

static const char *const col_names[NCOLS] = {
	"Row ID", "Order ID", "Order Date", "Ship Date", "Ship Mode", "Customer ID",
	"Customer Name", "Segment", "City", "State", "Country", "Postal Code", "Market",
	"Region", "Product ID", "Category", "Sub-Category", "Product Name", "Sales",
	"Quantity", "Discount", "Profit", "Shipping Cost", "Order Priority",
};

enum rcol { R_RETURNED, R_ORDER_ID, R_REGION, NRCOLS };

static const char *const rcol_names[NRCOLS] = { "Returned", "Order ID", "Region" };

/* The customers, products and orders listed from the staged lines. */
#define NLISTS 3

static const char *const ship_modes[] = {
	"Same Day", "First Class", "Second Class", "Standard Class", NULL };
static const char *const priorities[] = { "Critical", "High", "Medium", "Low", NULL };

static const char *const table_names[DW_IMP_NTABLES] = {
	"segment", "category", "subcategory", "product", "customer", "orders", "order_line",
	"order_return",
};

struct importer {
	const struct dw_import_opts *o;
	struct dw_db *pg;
	struct dw_import_result *r;
	struct dw_outfile rejects;  /* rejects.fp is NULL until the first reject */
	int date_fmt;
	struct dw_copytext copy;    /* rows waiting for COPY */
	int width[NCOLS];           /* of each column's warehouse column, 0: none */
	int rwidth[NRCOLS];         /* the same for the returns file */
	struct dw_bitset *row_ids;  /* the Row IDs staged, below ROW_IDS */
	struct dw_bloom *keys;      /* the order lines staged, and larger Row IDs */
	int twice[3];               /* a Row ID, an order line, may have come twice;
				     * an order, with other values */
	struct dw_bloom *orders;    /* the orders of the lines listed */
	uint64_t pair;              /* an order line noted, added with the next */
	int pending;                /* pair is to be added */
	struct dw_recent *recent[NLISTS];  /* customers, products, orders seen last */
	long long staged_rejects;   /* rejected before the checks across lines */
	struct dw_log_progress progress;
};

/* Row IDs the set of bits holds (16 MB at most). */
#define ROW_IDS ((uint64_t)1 << 27)

/* Longest value taken, in bytes: far above any real one, and two of them
 * (order_line's key) stay within a PostgreSQL index entry (2704 bytes). */
#define MAX_VALUE 1000

/* ---- input ---- */

/* Lower-cases and drops everything but letters and digits, so "Sub-Category",
 * "sub_category" and "SubCategory" match. */
static void normalize_name(const char *in, char *out, size_t outsz)
{
	size_t n = 0;

	for (; *in && n + 1 < outsz; in++)
		if (isalnum((unsigned char)*in))
			out[n++] = (char)tolower((unsigned char)*in);
	out[n] = '\0';
}

/* Maps the header line to column positions; every named column is required. */
static int map_header(struct dw_csv *csv, const char *const *names, int ncols, int *pos,
		      struct dw_err *err)
{
	int rc = dw_csv_next(csv, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return dw_err_set(err, DW_EX_DATAERR, "%s: empty file, expected a header line",
				  dw_csv_name(csv));
	for (int c = 0; c < ncols; c++) {
		char want[64], got[64];

		normalize_name(names[c], want, sizeof want);
		pos[c] = -1;
		for (size_t i = 0; i < dw_csv_nfields(csv) && pos[c] < 0; i++) {
			normalize_name(dw_csv_field(csv, i), got, sizeof got);
			if (!strcmp(want, got))
				pos[c] = (int)i;
		}
		if (pos[c] < 0) {
			dw_err_set(err, DW_EX_DATAERR, "%s: line %ld: missing column '%s'",
				   dw_csv_name(csv), dw_csv_line(csv), names[c]);
			dw_err_hint(err, "the header must name: Row ID, Order ID, Order Date, ... "
					 "(see dw-etl(1))");
			return -1;
		}
	}
	return 0;
}

/* A reader keeping at most MAX_VALUE bytes of a field: longer ones are
 * cut, and rejected. */
static struct dw_csv *new_reader(FILE *fp, const char *name)
{
	struct dw_csv *csv = dw_csv_new(fp, name);

	if (csv)
		dw_csv_set_max_field(csv, MAX_VALUE);
	return csv;
}

static const char *field_at(struct dw_csv *csv, const int *pos, int c)
{
	const char *v = dw_csv_field(csv, (size_t)pos[c]);

	return v ? v : "";
}

/* Copies in (closed, unless stdin) to an unnamed temporary file so it can
 * be read twice: stdin, a pipe or a FIFO cannot be rewound. */
static FILE *spool(FILE *in, const char *name, struct dw_err *err)
{
	FILE *tmp = tmpfile();
	char buf[65536];
	size_t n;
	int failed;

	if (!tmp) {
		dw_err_set(err, DW_EX_IOERR, "cannot create a temporary file: %s", strerror(errno));
		if (in != stdin)
			fclose(in);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, tmp) != n)
			break;
	failed = ferror(in) || ferror(tmp) || fseek(tmp, 0, SEEK_SET) < 0;
	if (in != stdin)
		fclose(in);
	if (failed) {
		fclose(tmp);
		dw_err_set(err, DW_EX_IOERR, "cannot read '%s': %s", name, strerror(errno));
		return NULL;
	}
	return tmp;
}

static FILE *open_input(const char *path, int need_rewind, struct dw_err *err)
{
	struct stat sb;
	FILE *fp;

	if (!strcmp(path, "-"))
		return need_rewind ? spool(stdin, "stdin", err) : stdin;
	fp = fopen(path, "rb");
	if (!fp) {
		dw_err_set(err, DW_EX_IOERR, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &sb) < 0 || S_ISDIR(sb.st_mode)) {
		dw_err_set(err, DW_EX_IOERR, "cannot read '%s': %s", path,
			   S_ISDIR(sb.st_mode) ? "it is a directory" : strerror(errno));
		fclose(fp);
		return NULL;
	}
	/* A FIFO (or a pipe as /dev/fd/N) is read once, like stdin. */
	return need_rewind && !S_ISREG(sb.st_mode) ? spool(fp, path, err) : fp;
}

static void close_input(FILE *fp)
{
	if (fp && fp != stdin)
		fclose(fp);
}

/* ---- date format detection ---- */

struct date_votes {
	long only[3];      /* values valid only as MDY, DMY, YMD */
	long any;          /* values seen */
	char sep;          /* separator of the first D/M/Y value */
};

static void vote(struct date_votes *v, const char *s)
{
	int f = dw_date_formats_of(s, DW_DATE_ANY);

	if (!f)
		return;
	v->any++;
	if (!v->sep)
		v->sep = dw_date_separator(s);
	if (f == DW_DATE_MDY)
		v->only[0]++;
	else if (f == DW_DATE_DMY)
		v->only[1]++;
	else if (f == DW_DATE_YMD)
		v->only[2]++;
}

/* Reads the file's dates and picks the format the most unambiguous values
 * need; when all are ambiguous, M/D/Y for '/' and D/M/Y for '-' or '.'. */
static int detect_date_format(FILE *fp, const char *name, int *fmt, int *guessed,
			      struct dw_err *err)
{
	static const int fmts[3] = { DW_DATE_MDY, DW_DATE_DMY, DW_DATE_YMD };
	struct dw_csv *csv = new_reader(fp, name);
	struct date_votes v = { { 0 }, 0, 0 };
	int pos[NCOLS], rc, best = -1;

	if (!csv)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	rc = map_header(csv, col_names, NCOLS, pos, err);
	while (rc == 0 && v.only[0] + v.only[1] + v.only[2] < 1000) {
		rc = dw_csv_next(csv, err);
		if (rc <= 0)
			break;
		rc = 0;
		vote(&v, field_at(csv, pos, C_ORDER_DATE));
		vote(&v, field_at(csv, pos, C_SHIP_DATE));
	}
	dw_csv_free(csv);
	if (rc < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (v.only[i] && (best < 0 || v.only[i] > v.only[best]))
			best = i;
	*guessed = best < 0;
	if (best >= 0)
		*fmt = fmts[best];
	else
		*fmt = v.sep == '/' || !v.sep ? DW_DATE_MDY : DW_DATE_DMY;
	if (fseek(fp, 0, SEEK_SET) < 0)
		return dw_err_set(err, DW_EX_IOERR, "%s: cannot rewind: %s", name, strerror(errno));
	return 0;
}

/* ---- rejects ---- */

static void default_rejects_path(const char *input, char *out, size_t outsz)
{
	size_t n = strlen(input);

	if (!strcmp(input, "-"))
		snprintf(out, outsz, "rejects.csv");
	else if (n > 4 && !strcasecmp(input + n - 4, ".csv"))
		snprintf(out, outsz, "%.*s.rejects.csv", (int)(n - 4), input);
	else
		snprintf(out, outsz, "%s.rejects.csv", input);
}

static int reject(struct importer *im, const char *file, long line, const char *field,
		  const char *value, const char *reason, struct dw_err *err)
{
	char num[32];
	FILE *fp = im->rejects.fp;

	/* Written to a temporary file beside it, renamed at the end: a link
	 * planted at the name is refused, never written through. */
	if (!fp) {
		if (dw_outfile_open(&im->rejects, im->r->rejects_path, 0666, err) < 0) {
			dw_err_prefix(err, "rejects file");
			return -1;
		}
		fp = im->rejects.fp;
		fputs("file,line,field,value,reason\n", fp);
	}
	snprintf(num, sizeof num, "%ld", line);
	dw_csv_write_field(fp, file);
	fputc(',', fp);
	fputs(num, fp);
	fputc(',', fp);
	dw_csv_write_field(fp, field);
	fputc(',', fp);
	/* the value comes from the input: it may be a formula */
	(im->o->csv_safe ? dw_csv_write_safe_field : dw_csv_write_field)(fp, value);
	fputc(',', fp);
	dw_csv_write_field(fp, reason);
	fputc('\n', fp);
	im->r->rejected++;
	if (im->o->max_rejects >= 0 && im->r->rejected > im->o->max_rejects)
		return dw_err_set(err, DW_EX_DATAERR,
				  "more than %ld lines rejected (--max-rejects); nothing was imported",
				  im->o->max_rejects);
	return 0;
}

/* ---- per-line validation ---- */

struct problem {
	int col;
	char reason[300];
};

static int fail(struct problem *p, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct problem *p, int col, const char *fmt, ...)
{
	va_list ap;

	p->col = col;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof p->reason, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- decimal numbers ---- */

/* A decimal being read: its first significant digits, and where the
 * decimal point falls among them (point may be below 0 or above n). */
struct decimal {
	char d[64];
	int n;
	long point;
	int negative;
};

/* Reads [sign][$][sign]digits-and-commas[.digits][e[sign]digits]: the
 * mantissa into dec, returns the exponent text or NULL when s is not that. */
static const char *read_mantissa(const char *s, struct decimal *dec)
{
	int digits = 0, frac = 0;

	if (*s == '-' || *s == '+')
		dec->negative = *s++ == '-';
	if (*s == '$')
		s++;
	if (!dec->negative && (*s == '-' || *s == '+'))
		dec->negative = *s++ == '-';
	for (; isdigit((unsigned char)*s) || *s == ',' || (*s == '.' && !frac); s++) {
		if (*s == '.') {
			frac = 1;
			if (!isdigit((unsigned char)s[1]))
				return NULL;
			continue;
		}
		if (*s == ',') {
			if (frac)
				return NULL;
			continue;
		}
		digits++;
		if (dec->n == 0 && *s == '0') {
			dec->point -= frac;   /* a leading zero: the point moves left after "." */
			continue;
		}
		/* digits past the 64th are below every scale kept */
		if (dec->n < (int)sizeof dec->d)
			dec->d[dec->n++] = *s;
		dec->point += !frac;
	}
	return digits ? s : NULL;
}

/* Reads the exponent ("" or e[sign]digits) into *e, bounded: anything past
 * 4 digits is far outside every column. */
static int read_exponent(const char *s, long *e)
{
	int neg = 0, n = 0;

	*e = 0;
	if (!*s)
		return 0;
	if (*s != 'e' && *s != 'E')
		return -1;
	s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; isdigit((unsigned char)*s); s++, n++)
		if (*e < 10000)
			*e = *e * 10 + (*s - '0');
	if (!n || *s)
		return -1;
	if (neg)
		*e = -*e;
	return 0;
}

static int digit_at(const struct decimal *dec, long i)
{
	return i >= 0 && i < dec->n ? dec->d[i] - '0' : 0;
}

int dw_import_decimal(const char *s, int int_digits, int scale, char *out, size_t outsz)
{
	struct decimal dec = { .n = 0 };
	char r[64];
	int len = int_digits + scale, i, o = 0, carry, first, zero;
	long e;

	s = read_mantissa(s, &dec);
	if (!s || read_exponent(s, &e) < 0 || len > (int)sizeof r ||
	    outsz < (size_t)len + 4)
		return -1;
	if (dec.n && dec.point + e > int_digits)
		return -2;
	dec.point += e;
	/* r: the int_digits + scale digits the column keeps, then rounding half
	 * away from zero, as PostgreSQL rounds a numeric(p, s) value. */
	for (i = 0; i < len; i++)
		r[i] = (char)digit_at(&dec, dec.point - int_digits + i);
	carry = digit_at(&dec, dec.point + scale) >= 5;
	for (i = len - 1; i >= 0 && carry; i--) {
		carry = r[i] == 9;
		r[i] = carry ? 0 : r[i] + 1;
	}
	if (carry)
		return -2;
	for (first = 0; first < int_digits - 1 && !r[first]; first++)
		;
	for (zero = 1, i = 0; i < len; i++)
		zero &= !r[i];
	if (dec.negative && !zero)
		out[o++] = '-';
	for (i = first; i < len; i++) {
		if (i == int_digits)
			out[o++] = '.';
		out[o++] = (char)('0' + r[i]);
	}
	out[o] = '\0';
	return 0;
}

/* n (at least 0) in decimal into out (21 bytes), without printf's cost:
 * three numbers a line. */
static void whole_text(long long n, char *out)
{
	char d[24];
	int k = 0;

	do
		d[k++] = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	while (k)
		*out++ = d[--k];
	*out = '\0';
}

static int parse_count(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	if (end == s)
		return -1;
	/* Excel exports write whole numbers as "3.0" now and then. */
	if (!strcmp(end, ".0") || !strcmp(end, ".00"))
		end += strlen(end);
	return *end || errno ? -1 : 0;
}

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

/* A line's values after validation, ready for COPY. */
struct line {
	const char *f[NCOLS];
	size_t len[NCOLS];          /* of f, in bytes */
	char order_date[11], ship_date[11];
	char num[NCOLS][64];        /* normalized numbers for numeric columns */
	long long row_id;           /* num[C_ROW_ID], as a number */
	int cut[NCOLS];             /* longer than MAX_VALUE */
};

static int check_required(struct line *l, struct problem *p)
{
	for (int c = 0; c < NCOLS; c++) {
		if (c == C_POSTAL_CODE)
			continue;
		if (!*l->f[c])
			return fail(p, c, "required value is empty");
	}
	return 0;
}

static int check_dates(struct importer *im, struct line *l, struct problem *p)
{
	int y1, m1, d1, y2, m2, d2;

	if (dw_date_parse(l->f[C_ORDER_DATE], im->date_fmt, &y1, &m1, &d1) < 0)
		return fail(p, C_ORDER_DATE, "not a valid date in %s format",
			    dw_date_fmt_name(im->date_fmt));
	if (dw_date_parse(l->f[C_SHIP_DATE], im->date_fmt, &y2, &m2, &d2) < 0)
		return fail(p, C_SHIP_DATE, "not a valid date in %s format",
			    dw_date_fmt_name(im->date_fmt));
	dw_date_iso(y1, m1, d1, l->order_date);
	dw_date_iso(y2, m2, d2, l->ship_date);
	if (strcmp(l->ship_date, l->order_date) < 0)
		return fail(p, C_SHIP_DATE, "ship date %s is before order date %s", l->ship_date,
			    l->order_date);
	return 0;
}

/* Columns numeric(14,4) and the discount's numeric(6,4): digits before
 * the point, and after it. */
#define MONEY_DIGITS 10
#define DISCOUNT_DIGITS 2
#define SCALE 4

static int check_numbers(struct line *l, struct problem *p)
{
	static const int money[] = { C_SALES, C_PROFIT, C_SHIPPING_COST, C_DISCOUNT };
	long long n;

	if (parse_count(l->f[C_ROW_ID], &n) < 0 || n <= 0)
		return fail(p, C_ROW_ID, "expected a positive whole number");
	l->row_id = n;
	whole_text(n, l->num[C_ROW_ID]);
	if (parse_count(l->f[C_QUANTITY], &n) < 0 || n <= 0 || n > INT32_MAX)
		return fail(p, C_QUANTITY, "expected a whole number greater than 0");
	whole_text(n, l->num[C_QUANTITY]);
	for (size_t i = 0; i < sizeof money / sizeof money[0]; i++) {
		int c = money[i], rc = dw_import_decimal(l->f[c], c == C_DISCOUNT ? DISCOUNT_DIGITS
							  : MONEY_DIGITS, SCALE, l->num[c],
							  sizeof l->num[c]);
		const char *v = l->num[c];

		if (rc == -1)
			return fail(p, c, "expected a decimal number");
		if (rc < 0 || (c == C_DISCOUNT && (*v == '-' || strcmp(v, "1") >= 0)))
			return c == C_DISCOUNT
				? fail(p, c, "discount must be at least 0 and less than 1%s",
				       !strcmp(v, "1.0000") && strtod(l->f[c], NULL) < 1
				       ? " (it rounds to 1 at 4 decimals)" : "")
				: fail(p, c, "number out of range (at most %d digits before the "
				       "decimal point)", MONEY_DIGITS);
		if ((c == C_SALES || c == C_SHIPPING_COST) && *v == '-')
			return fail(p, c, "must not be negative");
	}
	return 0;
}

/* A value the database takes as text: not cut by the reader, UTF-8. */
static int check_text(const char *v, size_t len, int cut, int col, struct problem *p)
{
	size_t good;

	if (cut)
		return fail(p, col, "value longer than %d bytes", MAX_VALUE);
	good = dw_text_utf8_valid(v, len);
	if (good < len)
		return fail(p, col, "not valid UTF-8 (byte 0x%02x at offset %zu); is the file "
			    "Latin-1? convert it with iconv -f LATIN1 -t UTF-8",
			    (unsigned char)v[good], good);
	return 0;
}

/* A value no wider than the warehouse column it goes to (w: its width, from
 * etl/width.h; 0 when unbounded). */
static int check_width(const char *v, size_t len, int w, int col, struct problem *p)
{
	/* no more characters than bytes: most values need no count */
	if (w && len > (size_t)w && dw_width_chars(v) > (size_t)w)
		return fail(p, col, "longer than the warehouse's %d characters", w);
	return 0;
}

static int check_texts(const struct importer *im, struct line *l, struct problem *p)
{
	for (int c = 0; c < NCOLS; c++)
		if (check_text(l->f[c], l->len[c], l->cut[c], c, p) < 0 ||
		    check_width(l->f[c], l->len[c], im->width[c], c, p) < 0)
			return -1;
	return 0;
}

static int check_line(struct importer *im, struct line *l, struct problem *p)
{
	if (check_texts(im, l, p) < 0 || check_required(l, p) < 0 || check_numbers(l, p) < 0 || check_dates(im, l, p) < 0)
		return -1;
	if (!one_of(l->f[C_SHIP_MODE], ship_modes))
		return fail(p, C_SHIP_MODE, "expected Same Day, First Class, Second Class or "
					    "Standard Class");
	if (!one_of(l->f[C_ORDER_PRIORITY], priorities))
		return fail(p, C_ORDER_PRIORITY, "expected Critical, High, Medium or Low");
	return 0;
}

/* ---- COPY ---- */

/* Staging columns, in COPY order: the line, its columns, and whether its
 * customer, product and order were not on a line just before (below). */
static const char stage_line_ddl[] =
	"CREATE TEMP TABLE dw_stage_line (line bigint, row_id bigint, order_id text, "
	"order_date date, ship_date date, ship_mode text, customer_id text, customer_name text, "
	"segment text, city text, state text, country text, postal_code text, market text, "
	"region text, product_id text, category text, subcategory text, product_name text, "
	"sales numeric, quantity integer, discount numeric, profit numeric, shipping_cost numeric, "
	"order_priority text, new_customer boolean, new_product boolean, new_order boolean) "
	"ON COMMIT DROP";

/* The value staged for column c: dates and numbers as read, an empty
 * postal code as NULL. */
static const char *staged_value(const struct line *l, int c)
{
	if (c == C_ORDER_DATE)
		return l->order_date;
	if (c == C_SHIP_DATE)
		return l->ship_date;
	if (l->num[c][0])
		return l->num[c];
	return c == C_POSTAL_CODE && !*l->f[c] ? NULL : l->f[c];
}

/* The columns of the customers, products and orders listed (distinct_sql
 * below), -1 ended. */
static const int listed_cols[NLISTS][13] = {
	{ C_CUSTOMER_ID, C_CUSTOMER_NAME, C_SEGMENT, -1 },
	{ C_PRODUCT_ID, C_PRODUCT_NAME, C_SUBCATEGORY, C_CATEGORY, -1 },
	{ C_ORDER_ID, C_CUSTOMER_ID, C_ORDER_DATE, C_SHIP_DATE, C_SHIP_MODE, C_ORDER_PRIORITY,
	  C_MARKET, C_REGION, C_COUNTRY, C_STATE, C_CITY, C_POSTAL_CODE, -1 },
};

/* Whether the line's customer (list 0), product or order, as listed, was
 * not among those of the lines just before: each is listed from those
 * lines alone, and a file whose lines of an order come together lists
 * half the lines, not all. Values are length-prefixed, so the key is
 * exact. */
static int new_listed(struct importer *im, const struct line *l, int list)
{
	char key[13 * (MAX_VALUE + 2)];
	size_t n = 0;

	for (const int *c = listed_cols[list]; *c >= 0; c++) {
		const char *v = staged_value(l, *c);
		/* the listed values are texts and dates, no numbers */
		size_t len = !v ? 0 : *c == C_ORDER_DATE || *c == C_SHIP_DATE ? 10 : l->len[*c];

		key[n++] = (char)(len >> 8);
		key[n++] = (char)(len & 0xff);
		memcpy(key + n, v ? v : "", len);
		n += len;
	}
	/* the slot by the first value alone (the customer, product or order
	 * ID): hashing every value cost more than the lookup saves */
	return !dw_recent_seen(im->recent[list], key, n, 2 + l->len[listed_cols[list][0]]);
}

/* Keys the caches hold: customers come back across orders (a few MB of
 * them), a product comes back anywhere, an order's lines come together. */
static const size_t recent_slots[NLISTS] = { 1 << 16, 1 << 14, 1 << 12 };

static int copy_line(struct importer *im, const struct line *l, long line, struct dw_err *err)
{
	char num[32];
	int rc;

	whole_text(line, num);
	rc = dw_copytext_value(&im->copy, num, 0, err);
	for (int c = 0; rc == 0 && c < NCOLS; c++)
		rc = dw_copytext_value(&im->copy, staged_value(l, c), 0, err);
	for (int i = 0; rc == 0 && i < NLISTS; i++) {
		int listed = new_listed(im, l, i);

		/* Every line's order is listed as a line marked new gives it:
		 * when no order is marked new twice, none has two sets of
		 * values, and the Order ID check has nothing to find. */
		if (listed && i == NLISTS - 1)
			im->twice[2] |= dw_bloom_add(im->orders,
						     dw_strmap_hash_str(DW_HASH_INIT, l->f[C_ORDER_ID]));
		rc = dw_copytext_value(&im->copy, listed ? "t" : "f", i == NLISTS - 1, err);
	}
	return rc;
}

/* ---- cross-line checks, in SQL ---- */

/* The checks across lines run in PostgreSQL on the staged lines once the
 * file is read, so the memory import takes does not grow with the file:
 * each against the earliest line the checks before it left, the later
 * line rejected. A check lists (line, value, key, first): the line it
 * rejects, the value named in the rejects file, the key named in the
 * reason and the line it disagrees with. */
struct stage_check {
	const char *from;          /* where it looks for keys that break it */
	const char *field;
	const char *what;          /* its reason: %s the key, %ld the first line */
	const char *partition;     /* the key's columns */
	const char *value, *key;   /* expressions */
	const char *agree;         /* what must agree for the key; NULL: the key is unique */
	int listed;                /* from holds each key and agree once (one DISTINCT less) */
	int twice;                 /* its key's slot in importer.twice, -1: none */
};

static const struct stage_check stage_checks[] = {
	{ "dw_stage_line", "Row ID", "Row ID %s is already used at line %ld", "row_id",
	  "row_id::text", "row_id::text", NULL, 0, 0 },
	{ "dw_stage_line", "Product ID", "product %s appears twice in one order; first at line %ld",
	  "order_id, product_id", "product_id", "product_id", NULL, 0, 1 },
	{ "dw_stage_customer", "Customer Name", "Customer ID %s has another name at line %ld",
	  "customer_id", "customer_name", "customer_id", "customer_name", 0, -1 },
	{ "dw_stage_customer", "Segment", "Customer ID %s has another segment at line %ld",
	  "customer_id", "segment", "customer_id", "segment", 0, -1 },
	{ "dw_stage_product", "Product Name", "Product ID %s has another name at line %ld",
	  "product_id", "product_name", "product_id", "product_name", 0, -1 },
	{ "dw_stage_product", "Sub-Category", "Product ID %s has another sub-category at line %ld",
	  "product_id", "subcategory", "product_id", "subcategory", 0, -1 },
	{ "dw_stage_product", "Category", "sub-category %s belongs to another category at line %ld",
	  "subcategory", "category", "subcategory", "category", 0, -1 },
	{ "dw_stage_order", "Order ID", "Order ID %s has other order dates, ship mode, customer, "
	  "location or priority at line %ld", "order_id", "order_id", "order_id",
	  "ROW(order_date, ship_date, ship_mode, customer_id, city, state, country, postal_code, "
	  "market, region, order_priority)", 1, 2 },
};

/* The columns of an agree expression: "ROW(a, b)" gives "a, b". */
static const char *agree_cols(const char *agree)
{
	return strncmp(agree, "ROW(", 4) ? agree : agree + 4;
}

static int agree_len(const char *agree)
{
	return (int)strlen(agree_cols(agree)) - !strncmp(agree, "ROW(", 4);
}

/* The check's rejected lines, deleted from staging and listed in line
 * order. The lines of keys that break it are found first by a hash
 * aggregate (no sort of the whole table); only those are ordered. */
/* The keys that break the check: those with more than one distinct
 * value, hashed on the typed columns (about four times faster than
 * min/max of the row as text), or used twice. */
static void stage_check_bad(const struct stage_check *c, char *bad, size_t size)
{
	if (c->agree && !c->listed)
		snprintf(bad, size, "SELECT %s FROM (SELECT DISTINCT %s, %.*s FROM %s) d "
			 "GROUP BY %s HAVING count(*) > 1", c->partition, c->partition,
			 agree_len(c->agree), agree_cols(c->agree), c->from, c->partition);
	else
		snprintf(bad, size, "SELECT %s FROM %s GROUP BY %s HAVING count(*) > 1",
			 c->partition, c->from, c->partition);
}

static void stage_check_sql(const struct stage_check *c, const char *bad, char *sql,
			    size_t size)
{
	char d[1536];

	if (c->agree)
		snprintf(d, sizeof d, "SELECT line, value, key, first FROM (SELECT line, %s AS value, "
			 "%s AS key, first_value(line) OVER w AS first, %s IS DISTINCT FROM "
			 "first_value(%s) OVER w AS differs FROM dw_stage_line WHERE (%s) IN (%s) "
			 "WINDOW w AS (PARTITION BY %s ORDER BY line)) x WHERE differs", c->value,
			 c->key, c->agree, c->agree, c->partition, bad, c->partition);
	else
		snprintf(d, sizeof d, "SELECT line, value, key, first FROM (SELECT line, %s AS value, "
			 "%s AS key, min(line) OVER (PARTITION BY %s) AS first FROM dw_stage_line "
			 "WHERE (%s) IN (%s)) x WHERE line > first", c->value, c->key, c->partition,
			 c->partition, bad);
	snprintf(sql, size, "WITH d AS (%s), del AS (DELETE FROM dw_stage_line s USING d WHERE "
		 "s.line = d.line RETURNING s.line, d.value, d.key, d.first) SELECT line, value, key, "
		 "first FROM del ORDER BY line", d);
}

static int stage_check(struct importer *im, const char *name, const struct stage_check *c,
		       struct dw_err *err)
{
	char bad[512], sql[3072], why[256], *any = NULL;
	struct dw_rows *rows;
	int rc;

	/* The filter tells when no key came twice: nothing to look for. */
	if (c->twice >= 0 && !im->twice[c->twice])
		return 0;
	/* One pass tells whether anything breaks it; most files are clean, and
	 * the rejecting query reads the staged lines three times. */
	stage_check_bad(c, bad, sizeof bad);
	snprintf(sql, sizeof sql, "SELECT EXISTS (%s)", bad);
	if (dw_db_query_value(im->pg, sql, 0, NULL, &any, err) < 0)
		return -1;
	rc = any && *any == 't';
	free(any);
	if (!rc)
		return 0;
	stage_check_sql(c, bad, sql, sizeof sql);
	if (!(rows = dw_db_query(im->pg, sql, 0, NULL, err)))
		return -1;
	while ((rc = dw_rows_next(rows, err)) == 1) {
		snprintf(why, sizeof why, c->what, dw_rows_value(rows, 2),
			 atol(dw_rows_value(rows, 3)));
		if (reject(im, name, atol(dw_rows_value(rows, 0)), c->field, dw_rows_value(rows, 1),
			   why, err) < 0) {
			rc = -1;
			break;
		}
	}
	dw_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* The customers, products and orders of the staged lines, each row once:
 * the checks of what must agree for a key look there (a few thousand rows,
 * not a million), and the upserts take their rows from there.  Lines a
 * check deletes only take rows away, so a check looking at tables made
 * before it finds every key that breaks it (and perhaps one more, which
 * its look at the lines clears); the upserts get tables made again. */
static const char *const distinct_sql[NLISTS][3] = {
	{ "dw_stage_customer", "customer_id, customer_name, segment", "new_customer" },
	{ "dw_stage_product", "product_id, product_name, subcategory, category", "new_product" },
	{ "dw_stage_order", "order_id, customer_id, order_date, ship_date, ship_mode, "
	  "order_priority, market, region, country, state, city, postal_code", "new_order" },
};

/* The lists, from the lines marked new while every staged line is there;
 * once a check deleted some, a line marked new may be gone while another
 * with its values stays: from every line. When no order was marked new on
 * two lines, the lines marked new hold each order once: no DISTINCT. (Not
 * analyzed: the plans that read them lean on the statistics of the tables
 * they are merged into, and ANALYZE of the orders took 0.2 s a million
 * lines.) */
static int stage_distinct(struct importer *im, struct dw_err *err)
{
	int all = im->r->rejected != im->staged_rejects;
	char sql[512];

	for (size_t i = 0; i < NLISTS; i++) {
		const char *t = distinct_sql[i][0];
		int once = !all && i == NLISTS - 1 && !im->twice[2];

		snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s", t);
		if (dw_db_exec(im->pg, sql, 0, NULL, err) < 0)
			return -1;
		snprintf(sql, sizeof sql, "CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT %s%s FROM "
			 "dw_stage_line%s%s", t, once ? "" : "DISTINCT ", distinct_sql[i][1],
			 all ? "" : " WHERE ", all ? "" : distinct_sql[i][2]);
		if (dw_db_exec(im->pg, sql, 0, NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int check_stage(struct importer *im, const char *name, struct dw_err *err)
{
	long long made = -1;

	for (size_t i = 0; i < sizeof stage_checks / sizeof stage_checks[0]; i++) {
		double t0 = dw_log_clock();

		if (made < 0 && strcmp(stage_checks[i].from, "dw_stage_line")) {
			made = im->r->rejected;
			if (stage_distinct(im, err) < 0)
				return -1;
			dw_log_verbose(2, "listed the customers, products and orders in %.2fs",
				       dw_log_clock() - t0);
			t0 = dw_log_clock();
		}
		if (stage_check(im, name, &stage_checks[i], err) < 0)
			return -1;
		dw_log_verbose(2, "checked %s across lines in %.2fs", stage_checks[i].field,
			       dw_log_clock() - t0);
	}
	return made >= 0 && made != im->r->rejected ? stage_distinct(im, err) : 0;
}

/* ---- the orders file ---- */

static void note_pair(struct importer *im)
{
	if (im->pending)
		im->twice[1] |= dw_bloom_add(im->keys, im->pair);
	im->pending = 0;
}

/* Notes a staged line's Row ID and order line (order and product): a
 * check of keys used twice runs only when one may have been. Row IDs
 * below ROW_IDS go to a set of bits (exact; a file's ascending IDs touch
 * a few pages of it), the rest, and the order lines, to the filter. */
static void note_keys(struct importer *im, const struct line *l)
{
	uint64_t pair = dw_strmap_hash_str(DW_HASH_INIT, "order line");
	int had = dw_bitset_add(im->row_ids, (uint64_t)l->row_id);

	if (had < 0)
		had = dw_bloom_add(im->keys, dw_strmap_hash_str(DW_HASH_INIT, l->num[C_ROW_ID]));
	pair = dw_strmap_hash_str(dw_strmap_hash_str(pair, l->f[C_ORDER_ID]), l->f[C_PRODUCT_ID]);
	im->twice[0] |= had;
	/* added a line late, its place in memory fetched meanwhile */
	dw_bloom_prefetch(im->keys, pair);
	note_pair(im);
	im->pair = pair;
	im->pending = 1;
}

/* Values are used as they are, but surrounding spaces are never meant. Trims
 * in place the reader's buffer, or nothing for the "" of a missing field;
 * *len: its length in bytes, then the trimmed one's. */
static const char *trim_value(const char *v, size_t *len)
{
	char *s = (char *)v;
	size_t n = *len;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	*len = n;
	return s;
}

static void trim_fields(struct line *l)
{
	for (int c = 0; c < NCOLS; c++)
		l->f[c] = trim_value(l->f[c], &l->len[c]);
}

static int import_line(struct importer *im, struct dw_csv *csv, const int *pos,
		       struct dw_err *err)
{
	struct line l;
	struct problem p = { -1, "" };
	long line = dw_csv_line(csv);

	for (int c = 0; c < NCOLS; c++) {
		l.f[c] = field_at(csv, pos, c);
		l.len[c] = dw_csv_field_len(csv, (size_t)pos[c]);
		l.cut[c] = dw_csv_field_cut(csv, (size_t)pos[c]);
		l.num[c][0] = '\0';
	}
	trim_fields(&l);
	if (check_line(im, &l, &p) < 0)
		return reject(im, dw_csv_name(csv), line, col_names[p.col], l.f[p.col], p.reason,
			      err);
	note_keys(im, &l);
	return copy_line(im, &l, line, err);
}

static int load_orders(struct importer *im, FILE *fp, const char *name, struct dw_err *err)
{
	struct dw_csv *csv = new_reader(fp, name);
	int pos[NCOLS], rc;
	size_t header_fields;

	if (!csv)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");

	rc = map_header(csv, col_names, NCOLS, pos, err);
	header_fields = dw_csv_nfields(csv);
	if (rc == 0)
		rc = dw_db_exec(im->pg, stage_line_ddl, 0, NULL, err) < 0 ? -1 : 0;
	if (rc == 0)
		rc = dw_db_pg_copy_in_start(im->pg, "COPY dw_stage_line FROM STDIN (FREEZE)", err);
	if (rc < 0) {
		dw_csv_free(csv);
		return -1;
	}
	dw_log_progress_start(&im->progress, "import", 0);
	while ((rc = dw_csv_next(csv, err)) == 1) {
		if (dw_csv_nfields(csv) != header_fields) {
			char why[96];

			snprintf(why, sizeof why, "line has %zu fields, the header has %zu",
				 dw_csv_nfields(csv), header_fields);
			rc = reject(im, dw_csv_name(csv), dw_csv_line(csv), "", "", why, err);
		} else
			rc = import_line(im, csv, pos, err);
		if (rc < 0)
			break;
		if (++im->r->lines % 8192 == 0)
			dw_log_progress_update(&im->progress, im->r->lines);
	}
	dw_log_progress_done(&im->progress);
	dw_csv_free(csv);
	if (rc < 0 || dw_copytext_flush(&im->copy, err) < 0) {
		dw_db_pg_copy_in_abort(im->pg, "import failed");
		return -1;
	}
	if (dw_db_pg_copy_in_end(im->pg, err) < 0)
		return -1;
	im->staged_rejects = im->r->rejected;
	note_pair(im);
	return check_stage(im, name, err);
}

/* ---- the returns file ---- */

static int import_return(struct importer *im, struct dw_csv *csv, const int *pos,
			 struct dw_err *err)
{
	const char *v[NRCOLS], *returned, *order_id, *region;
	size_t len[NRCOLS];
	struct problem p = { -1, "" };
	char num[32];

	for (int c = 0; c < NRCOLS; c++) {
		len[c] = dw_csv_field_len(csv, (size_t)pos[c]);
		v[c] = trim_value(field_at(csv, pos, c), &len[c]);
		if (check_text(v[c], len[c], dw_csv_field_cut(csv, (size_t)pos[c]), c, &p) < 0 ||
		    check_width(v[c], len[c], im->rwidth[c], c, &p) < 0)
			return reject(im, dw_csv_name(csv), dw_csv_line(csv), rcol_names[c], v[c],
				      p.reason, err);
	}
	returned = v[R_RETURNED];
	order_id = v[R_ORDER_ID];
	region = v[R_REGION];
	if (strcasecmp(returned, "Yes"))
		return reject(im, dw_csv_name(csv), dw_csv_line(csv), "Returned", returned,
			      "expected Yes", err);
	if (!*order_id || !*region)
		return reject(im, dw_csv_name(csv), dw_csv_line(csv), *order_id ? "Region" : "Order ID",
			      "", "required value is empty", err);
	snprintf(num, sizeof num, "%ld", dw_csv_line(csv));
	if (dw_copytext_value(&im->copy, num, 0, err) < 0 || dw_copytext_value(&im->copy, order_id, 0, err) < 0)
		return -1;
	return dw_copytext_value(&im->copy, region, 1, err);
}

/* The checks of the staged returns, in SQL, so that memory does not grow
 * with the file: an order listed again (the later line rejected), then an
 * order neither file nor database has. Each deletes the lines it rejects
 * and lists them (line, order, the line it disagrees with). */
static const struct {
	const char *sql;
	const char *why;           /* %s: the line it disagrees with */
} return_checks[] = {
	{ "WITH d AS (SELECT line, first FROM (SELECT line, min(line) OVER (PARTITION BY order_id) "
	  "AS first FROM dw_stage_return) x WHERE line > first), del AS (DELETE FROM "
	  "dw_stage_return s USING d WHERE s.line = d.line RETURNING s.line, s.order_id, d.first) "
	  "SELECT line, order_id, first FROM del ORDER BY line",
	  "order is already listed at line %s" },
	{ "WITH d AS (DELETE FROM dw_stage_return r WHERE NOT EXISTS (SELECT 1 FROM orders o "
	  "WHERE o.order_id = r.order_id) RETURNING line, order_id) "
	  "SELECT line, order_id, NULL FROM d ORDER BY line",
	  "no such order in the orders file or the database" },
};

static int reject_returns(struct importer *im, const char *name, struct dw_err *err)
{
	for (size_t i = 0; i < sizeof return_checks / sizeof return_checks[0]; i++) {
		struct dw_rows *rows = dw_db_query(im->pg, return_checks[i].sql, 0, NULL, err);
		char why[96];
		int rc;

		if (!rows)
			return -1;
		while ((rc = dw_rows_next(rows, err)) == 1) {
			snprintf(why, sizeof why, return_checks[i].why, dw_rows_value(rows, 2));
			if (reject(im, name, atol(dw_rows_value(rows, 0)), "Order ID",
				   dw_rows_value(rows, 1), why, err) < 0) {
				rc = -1;
				break;
			}
		}
		dw_rows_free(rows);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int load_returns(struct importer *im, FILE *fp, const char *name, struct dw_err *err)
{
	struct dw_csv *csv = new_reader(fp, name);
	int pos[NRCOLS], rc;
	long long before = im->r->rejected;

	if (!csv)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	rc = map_header(csv, rcol_names, NRCOLS, pos, err);
	if (rc == 0)
		rc = dw_db_exec(im->pg, "CREATE TEMP TABLE dw_stage_return (line bigint, order_id text, "
				"region text) ON COMMIT DROP", 0, NULL, err) < 0 ? -1 : 0;
	if (rc == 0)
		rc = dw_db_pg_copy_in_start(im->pg, "COPY dw_stage_return FROM STDIN", err);
	if (rc < 0) {
		dw_csv_free(csv);
		return -1;
	}
	while ((rc = dw_csv_next(csv, err)) == 1) {
		rc = import_return(im, csv, pos, err);
		if (rc < 0)
			break;
		im->r->lines++;
	}
	dw_csv_free(csv);
	if (rc < 0 || dw_copytext_flush(&im->copy, err) < 0) {
		dw_db_pg_copy_in_abort(im->pg, "import failed");
		return -1;
	}
	if (dw_db_pg_copy_in_end(im->pg, err) < 0 || reject_returns(im, name, err) < 0)
		return -1;
	im->r->t[DW_IMP_ORDER_RETURN].rejected = im->r->rejected - before;
	return 0;
}

/* ---- upserts ---- */

struct upsert {
	enum dw_import_table table;
	const char *cols;          /* inserted columns, in src order */
	const char *key;           /* conflict target */
	const char *set;           /* "a = EXCLUDED.a, ..." or NULL for DO NOTHING */
	const char *changed;       /* "(t.a, t.b) IS DISTINCT FROM (EXCLUDED.a, EXCLUDED.b)" */
	const char *src;           /* SELECT producing cols */
	const char *held;          /* src rows the table already holds as they are: kept out
				    * of the INSERT, which would draw an identity value for
				    * each row even on conflict (smallint keys run out) and
				    * lock each row it does not change (an unchanged
				    * re-import would write every page) */
};

static const struct upsert upserts[] = {
	{ DW_IMP_SEGMENT, "name", "name", NULL, NULL,
	  "SELECT DISTINCT segment FROM dw_stage_customer",
	  "EXISTS (SELECT 1 FROM segment t WHERE t.name = src.segment)" },
	{ DW_IMP_CATEGORY, "name", "name", NULL, NULL,
	  "SELECT DISTINCT category FROM dw_stage_product",
	  "EXISTS (SELECT 1 FROM category t WHERE t.name = src.category)" },
	{ DW_IMP_SUBCATEGORY, "name, category_id", "name", "category_id = EXCLUDED.category_id",
	  "subcategory.category_id IS DISTINCT FROM EXCLUDED.category_id",
	  "SELECT s.subcategory, c.category_id FROM (SELECT DISTINCT subcategory, category "
	  "FROM dw_stage_product) s JOIN category c ON c.name = s.category",
	  "EXISTS (SELECT 1 FROM subcategory t WHERE t.name = src.subcategory "
	  "AND t.category_id = src.category_id)" },
	{ DW_IMP_PRODUCT, "product_id, name, subcategory_id", "product_id",
	  "name = EXCLUDED.name, subcategory_id = EXCLUDED.subcategory_id",
	  "(product.name, product.subcategory_id) IS DISTINCT FROM "
	  "(EXCLUDED.name, EXCLUDED.subcategory_id)",
	  "SELECT s.product_id, s.product_name, sc.subcategory_id FROM (SELECT DISTINCT "
	  "product_id, product_name, subcategory FROM dw_stage_product) s JOIN subcategory sc ON "
	  "sc.name = s.subcategory",
	  "EXISTS (SELECT 1 FROM product t WHERE t.product_id = src.product_id AND "
	  "(t.name, t.subcategory_id) IS NOT DISTINCT FROM (src.product_name, src.subcategory_id))" },
	{ DW_IMP_CUSTOMER, "customer_id, name, segment_id", "customer_id",
	  "name = EXCLUDED.name, segment_id = EXCLUDED.segment_id",
	  "(customer.name, customer.segment_id) IS DISTINCT FROM "
	  "(EXCLUDED.name, EXCLUDED.segment_id)",
	  "SELECT s.customer_id, s.customer_name, g.segment_id FROM dw_stage_customer s JOIN segment g ON "
	  "g.name = s.segment",
	  "EXISTS (SELECT 1 FROM customer t WHERE t.customer_id = src.customer_id AND "
	  "(t.name, t.segment_id) IS NOT DISTINCT FROM (src.customer_name, src.segment_id))" },
	{ DW_IMP_ORDERS,
	  "order_id, customer_id, order_date, ship_date, ship_mode, order_priority, market, "
	  "region, country, state, city, postal_code", "order_id",
	  "customer_id = EXCLUDED.customer_id, order_date = EXCLUDED.order_date, "
	  "ship_date = EXCLUDED.ship_date, ship_mode = EXCLUDED.ship_mode, "
	  "order_priority = EXCLUDED.order_priority, market = EXCLUDED.market, "
	  "region = EXCLUDED.region, country = EXCLUDED.country, state = EXCLUDED.state, "
	  "city = EXCLUDED.city, postal_code = EXCLUDED.postal_code",
	  "(orders.customer_id, orders.order_date, orders.ship_date, orders.ship_mode, "
	  "orders.order_priority, orders.market, orders.region, orders.country, orders.state, "
	  "orders.city, orders.postal_code) IS DISTINCT FROM (EXCLUDED.customer_id, "
	  "EXCLUDED.order_date, EXCLUDED.ship_date, EXCLUDED.ship_mode, EXCLUDED.order_priority, "
	  "EXCLUDED.market, EXCLUDED.region, EXCLUDED.country, EXCLUDED.state, EXCLUDED.city, "
	  "EXCLUDED.postal_code)",
	  "SELECT order_id, customer_id, order_date, ship_date, ship_mode, order_priority, "
	  "market, region, country, state, city, postal_code FROM dw_stage_order",
	  "EXISTS (SELECT 1 FROM orders t WHERE t.order_id = src.order_id AND (t.customer_id, "
	  "t.order_date, t.ship_date, t.ship_mode, t.order_priority, t.market, t.region, "
	  "t.country, t.state, t.city, t.postal_code) IS NOT DISTINCT FROM (src.customer_id, "
	  "src.order_date, src.ship_date, src.ship_mode, src.order_priority, src.market, "
	  "src.region, src.country, src.state, src.city, src.postal_code))" },
	{ DW_IMP_ORDER_LINE,
	  "order_id, product_id, row_id, quantity, sales, discount, profit, shipping_cost",
	  "order_id, product_id",
	  "row_id = EXCLUDED.row_id, quantity = EXCLUDED.quantity, sales = EXCLUDED.sales, "
	  "discount = EXCLUDED.discount, profit = EXCLUDED.profit, "
	  "shipping_cost = EXCLUDED.shipping_cost",
	  "(order_line.row_id, order_line.quantity, order_line.sales, order_line.discount, "
	  "order_line.profit, order_line.shipping_cost) IS DISTINCT FROM (EXCLUDED.row_id, "
	  "EXCLUDED.quantity, EXCLUDED.sales, EXCLUDED.discount, EXCLUDED.profit, "
	  "EXCLUDED.shipping_cost)",
	  "SELECT order_id, product_id, row_id, quantity, sales, discount, profit, shipping_cost "
	  "FROM dw_stage_line",
	  "EXISTS (SELECT 1 FROM order_line t WHERE t.order_id = src.order_id AND "
	  "t.product_id = src.product_id AND (t.row_id, t.quantity, t.sales, t.discount, t.profit, "
	  "t.shipping_cost) IS NOT DISTINCT FROM (src.row_id, src.quantity, src.sales, "
	  "src.discount, src.profit, src.shipping_cost))" },
	{ DW_IMP_ORDER_RETURN, "order_id, region", "order_id", "region = EXCLUDED.region",
	  "order_return.region IS DISTINCT FROM EXCLUDED.region",
	  "SELECT order_id, region FROM dw_stage_return",
	  "EXISTS (SELECT 1 FROM order_return t WHERE t.order_id = src.order_id AND "
	  "t.region IS NOT DISTINCT FROM src.region)" },
};

/* Returns 1 when the table was loaded in bulk, 0 merged, -1 with err. */
static int run_upsert(struct importer *im, const struct upsert *u, struct dw_err *err)
{
	/* The OLTP tables' updated_at, stamped by the row trigger TABLE_touch
	 * (sql/oltp/001_schema.sql, 002_fit.sql) */
	char trigger[64];
	struct dw_pgbulk_stamp stamp = { "updated_at", trigger };
	char sql[4096], conflict[1200];
	struct dw_import_count *c = &im->r->t[u->table];
	struct dw_rows *rows;
	int rc;

	/* An empty table (a first import) is loaded in bulk. */
	snprintf(trigger, sizeof trigger, "%s_touch", table_names[u->table]);
	rc = dw_pgbulk_load(im->pg, table_names[u->table], u->cols, u->src, &stamp, &c->inserted,
			    err);
	if (rc != 0)
		return rc;
	/* src is read twice, for the rows and for their count: read again, not
	 * kept (a million lines took 0.3 s to keep in a tuplestore). */
	if (u->set)
		snprintf(conflict, sizeof conflict, "DO UPDATE SET %s WHERE %s", u->set, u->changed);
	else
		snprintf(conflict, sizeof conflict, "DO NOTHING");
	snprintf(sql, sizeof sql,
		 "WITH src AS NOT MATERIALIZED (%s), up AS (INSERT INTO %s (%s) SELECT * FROM src%s%s "
		 "ON CONFLICT (%s) %s RETURNING (xmax = 0) AS ins) "
		 "SELECT count(*) FILTER (WHERE ins), count(*) FILTER (WHERE NOT ins), "
		 "(SELECT count(*) FROM src) - count(*) FROM up",
		 u->src, table_names[u->table], u->cols, u->held ? " WHERE NOT " : "",
		 u->held ? u->held : "", u->key, conflict);
	rows = dw_db_query(im->pg, sql, 0, NULL, err);
	if (!rows)
		return -1;
	rc = dw_rows_next(rows, err);
	if (rc == 1) {
		c->inserted = atoll(dw_rows_value(rows, 0));
		c->updated = atoll(dw_rows_value(rows, 1));
		c->unchanged = atoll(dw_rows_value(rows, 2));
	}
	dw_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int upsert_range(struct importer *im, enum dw_import_table from, enum dw_import_table to,
			struct dw_err *err)
{
	for (size_t i = 0; i < sizeof upserts / sizeof upserts[0]; i++) {
		double t0 = dw_log_clock();
		int rc;

		if (upserts[i].table < from || upserts[i].table > to)
			continue;
		if ((rc = run_upsert(im, &upserts[i], err)) < 0) {
			dw_err_prefix(err, "merging %s", table_names[upserts[i].table]);
			return -1;
		}
		dw_log_verbose(2, "%s %s%s in %.2fs", rc ? "loaded" : "merged",
			       table_names[upserts[i].table], rc ? " in bulk" : "",
			       dw_log_clock() - t0);
	}
	return 0;
}

/* ---- driver ---- */

static int importer_init(struct importer *im, struct dw_db *pg, const struct dw_import_opts *o,
			 struct dw_import_result *r, struct dw_err *err)
{
	memset(r, 0, sizeof *r);
	memset(im, 0, sizeof *im);
	im->o = o;
	im->pg = pg;
	im->r = r;
	for (int t = 0; t < DW_IMP_NTABLES; t++)
		r->t[t].table = table_names[t];
	/* looked up once: by name for every field of every line, they took a
	 * quarter of the time reading a file */
	for (int c = 0; c < NCOLS; c++)
		im->width[c] = dw_width_field(col_names[c]);
	for (int c = 0; c < NRCOLS; c++)
		im->rwidth[c] = dw_width_field(rcol_names[c]);
	if (o->rejects_path)
		snprintf(r->rejects_path, sizeof r->rejects_path, "%s", o->rejects_path);
	else
		default_rejects_path(o->orders_path, r->rejects_path, sizeof r->rejects_path);
	/* 16 MB each: a million order lines at 16 bytes a key; Row IDs
	 * below 2^27 */
	im->keys = dw_bloom_new((size_t)16 << 20);
	im->orders = dw_bloom_new((size_t)8 << 20);
	im->row_ids = dw_bitset_new(ROW_IDS);
	for (int i = 0; i < NLISTS; i++)
		if (!(im->recent[i] = dw_recent_new(recent_slots[i])))
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (!im->keys || !im->orders || !im->row_ids || dw_copytext_init(&im->copy, pg) < 0)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return 0;
}

static int importer_finish(struct importer *im, int rc, struct dw_err *err)
{
	dw_bloom_free(im->keys);
	dw_bloom_free(im->orders);
	dw_bitset_free(im->row_ids);
	for (int i = 0; i < NLISTS; i++)
		dw_recent_free(im->recent[i]);
	dw_copytext_free(&im->copy);
	if (!im->rejects.fp) {
		im->r->rejects_path[0] = '\0';
		return rc;
	}
	/* Kept even when the import failed: it tells which lines were bad. */
	if (rc == 0)
		return dw_outfile_commit(&im->rejects, err) < 0 ? -1 : 0;
	if (dw_outfile_commit(&im->rejects, NULL) < 0)
		im->r->rejects_path[0] = '\0';
	return rc;
}

static int import_files(struct importer *im, struct dw_err *err)
{
	const struct dw_import_opts *o = im->o;
	FILE *fp = open_input(o->orders_path, o->date_format == DW_DATE_ANY, err);
	int rc;

	if (!fp)
		return -1;
	im->date_fmt = o->date_format;
	rc = 0;
	if (o->date_format == DW_DATE_ANY)
		rc = detect_date_format(fp, o->orders_path, &im->date_fmt,
					&im->r->date_format_guessed, err);
	im->r->date_format = im->date_fmt;
	if (rc == 0)
		rc = load_orders(im, fp, o->orders_path, err);
	close_input(fp);
	im->r->t[DW_IMP_ORDER_LINE].rejected = im->r->rejected;
	if (rc == 0)
		rc = upsert_range(im, DW_IMP_SEGMENT, DW_IMP_ORDER_LINE, err);
	if (rc < 0 || !o->returns_path)
		return rc;
	fp = open_input(o->returns_path, 0, err);
	if (!fp)
		return -1;
	rc = load_returns(im, fp, strcmp(o->returns_path, "-") ? o->returns_path : "stdin", err);
	close_input(fp);
	return rc == 0 ? upsert_range(im, DW_IMP_ORDER_RETURN, DW_IMP_ORDER_RETURN, err) : -1;
}

int dw_import_run(struct dw_db *pg, const struct dw_import_opts *o, struct dw_import_result *r,
		  struct dw_err *err)
{
	struct importer im;
	int rc;

	if (o->returns_path && !strcmp(o->orders_path, "-") && !strcmp(o->returns_path, "-"))
		return dw_err_set(err, DW_EX_USAGE, "only one of the two files can be stdin");
	rc = importer_init(&im, pg, o, r, err);
	/* Staging and the upserts' hash tables stay in memory for typical files;
	 * temp_buffers must be set before the session's first temporary table. */
	if (rc == 0)
		rc = dw_db_exec(pg, "SET temp_buffers = '256MB'", 0, NULL, err) < 0 ? -1 : 0;
	if (rc == 0)
		rc = dw_db_begin(pg, err);
	if (rc == 0)
		rc = dw_db_exec(pg, "SET LOCAL work_mem = '256MB'", 0, NULL, err) < 0 ||
		     dw_db_exec(pg, "SET LOCAL maintenance_work_mem = '256MB'", 0, NULL, err) < 0 ?
			     -1 : 0;
	if (rc == 0) {
		rc = import_files(&im, err);
		if (rc == 0 && !o->dry_run)
			rc = dw_db_commit(pg, err);
		else
			dw_db_rollback(pg, NULL);
	}
	return importer_finish(&im, rc, err);
}
