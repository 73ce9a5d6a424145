#include "out_xlsx.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "text.h"

#define XLSX_MAX_WIDTH 60         /* a column is never made wider */
#define XLSX_NOTE_WIDTH 100       /* the value column of a note sheet */
#define XLSX_MAX_DIGITS 15        /* significant digits a double holds exactly */
#define XLSX_MAX_CHARS 32767      /* characters in a cell */

enum col_type { COL_TEXT, COL_NUMBER, COL_DATE, COL_DATETIME, COL_DATETIME_MS };

struct xlsx_col {
	enum col_type type;
	int decimals;             /* COL_NUMBER: the most any value has */
	double width;             /* in characters */
	lxw_format *fmt;
};

struct xlsx {
	const struct dw_out_xlsx_data *d;
	lxw_workbook *wb;
	lxw_format *bold, *wrap;
	struct xlsx_col *cols;
};

/* ---- values -------------------------------------------------------------- */

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Characters (not bytes) of UTF-8 text. */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The value of a plain decimal number ("-12.50", "3e5"), its decimals in
 * *decimals. Returns -1 for anything else, and for more significant digits
 * than a double holds (such a value is kept as text, not rounded). */
static int parse_number(const char *s, double *v, int *decimals)
{
	const char *p = s + (*s == '-' || *s == '+');
	int ndigits = 0, sig = 0, zeros = 0, dec = -1, exp = 0;
	char *end;

	for (; digit(*p) || (*p == '.' && dec < 0); p++) {
		if (*p == '.') {
			dec = 0;
			continue;
		}
		ndigits++;
		dec += dec >= 0;
		if (*p != '0') {
			sig += zeros + 1;   /* zeros between significant digits count */
			zeros = 0;
		} else if (sig) {
			zeros++;
		}
	}
	if (*p == 'e' || *p == 'E') {
		exp = 1;
		p += 1 + (p[1] == '+' || p[1] == '-');
		if (!digit(*p))
			return -1;
		while (digit(*p))
			p++;
	}
	if (!ndigits || *p || sig > XLSX_MAX_DIGITS)
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (*end || errno || !isfinite(*v))
		return -1;
	*decimals = dec > 0 && !exp ? dec : 0;
	return 0;
}

/* YYYY-MM-DD or YYYY-MM-DD HH:MM:SS[.fraction] (a 'T' may replace the
 * space) into *dt; *time is 0 for a date, 1 with a time, 2 with a
 * fraction of a second. */
static int parse_datetime(const char *s, lxw_datetime *dt, int *time)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t len = strlen(s), i;
	int leap;

	if (len != 10 && len < 19)
		return -1;
	for (i = 0; i < len && i < 19; i++)
		if (shape[i] == 'd' ? !digit(s[i]) : s[i] != shape[i] && !(i == 10 && s[i] == 'T'))
			return -1;
	*time = len > 10;
	if (len > 19) {
		for (i = 20; digit(s[i]); i++)
			;
		if (s[19] != '.' || i == 20 || s[i])
			return -1;
		*time = 2;
	}
	*dt = (lxw_datetime){ atoi(s), atoi(s + 5), atoi(s + 8), 0, 0, 0 };
	if (*time) {
		dt->hour = atoi(s + 11);
		dt->min = atoi(s + 14);
		dt->sec = strtod(s + 17, NULL);
	}
	if (dt->year < 1900 || dt->month < 1 || dt->month > 12 || dt->day < 1 ||
	    dt->hour > 23 || dt->min > 59 || dt->sec >= 60)
		return -1;
	/* the day must exist: the month's last day, leap years included */
	leap = (dt->year % 4 == 0 && dt->year % 100 != 0) || dt->year % 400 == 0;
	return dt->day > mdays[dt->month - 1] || (dt->month == 2 && dt->day == 29 && !leap) ? -1 : 0;
}

/* ---- columns ------------------------------------------------------------- */

static void widen(struct xlsx_col *c, size_t n)
{
	if (n + 2 > c->width)
		c->width = n + 2 > XLSX_MAX_WIDTH ? XLSX_MAX_WIDTH : (double)(n + 2);
}

/* The type of column i from its kind and values; its width. */
static void col_scan(struct xlsx *x, size_t i)
{
	const struct dw_out_xlsx_data *d = x->d;
	struct xlsx_col *c = &x->cols[i];
	int dates = 0, time = 0, other = 0, t, dec;
	lxw_datetime dt;
	double v;

	c->type = d->kinds[i] == DW_OUT_NUMBER ? COL_NUMBER : COL_TEXT;
	widen(c, d->header ? chars(d->names[i]) : 0);
	for (size_t r = 0; r < d->nrows; r++) {
		const char *s = d->cells[r * d->ncols + i];

		if (!s)
			continue;
		widen(c, chars(s));
		if (c->type == COL_NUMBER && parse_number(s, &v, &dec) == 0 && dec > c->decimals)
			c->decimals = dec > XLSX_MAX_DIGITS ? XLSX_MAX_DIGITS : dec;
		if (parse_datetime(s, &dt, &t) < 0)
			other++;
		else if (++dates && t > time)
			time = t;
	}
	if (c->type == COL_TEXT && dates && !other)
		c->type = COL_DATE + time;
}

static int col_format(struct xlsx *x, struct xlsx_col *c)
{
	char num[32] = "0";

	if (c->type == COL_TEXT)
		return 0;
	if (c->type == COL_NUMBER && c->decimals > 0)
		snprintf(num, sizeof num, "0.%.*s", c->decimals, "000000000000000");
	if (!(c->fmt = workbook_add_format(x->wb)))
		return -1;
	format_set_num_format(c->fmt, c->type == COL_DATE ? "yyyy-mm-dd" :
			      c->type == COL_DATETIME ? "yyyy-mm-dd hh:mm:ss" :
			      c->type == COL_DATETIME_MS ? "yyyy-mm-dd hh:mm:ss.000" : num);
	return 0;
}

/* ---- cells --------------------------------------------------------------- */

static int lxw_fail(lxw_error e, const char *what, struct dw_err *err)
{
	int code = e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ||
		   e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE ? DW_EX_DATAERR : DW_EX_IOERR;

	return dw_err_set(err, code, "xlsx: %s: %s", what, lxw_strerror(e));
}

/* Text as well-formed UTF-8 (a stray byte becomes U+FFFD). */
static lxw_error put_string(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
			    lxw_format *fmt)
{
	char *clean;
	lxw_error e;

	if (chars(s) > XLSX_MAX_CHARS)
		return LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED;
	if (!(clean = dw_text_utf8_clean(s, strlen(s))))
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	e = worksheet_write_string(ws, r, c, clean, fmt);
	free(clean);
	return e;
}

static lxw_error put_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
			  const struct xlsx_col *col, const char *s)
{
	lxw_datetime dt;
	double v;
	int dec, t;

	if (!s)
		return LXW_NO_ERROR;
	if (col->type == COL_NUMBER && parse_number(s, &v, &dec) == 0)
		return worksheet_write_number(ws, r, c, v, col->fmt);
	if (col->type >= COL_DATE && parse_datetime(s, &dt, &t) == 0)
		return worksheet_write_datetime(ws, r, c, &dt, col->fmt);
	return put_string(ws, r, c, s, NULL);
}

static int data_sheet(struct xlsx *x, struct dw_err *err)
{
	const struct dw_out_xlsx_data *d = x->d;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "data");
	lxw_row_t top = d->header ? 1 : 0;
	lxw_error e = LXW_NO_ERROR;

	if (!ws)
		return dw_err_set(err, DW_EX_SOFTWARE, "xlsx: out of memory");
	for (size_t i = 0; i < d->ncols && !e; i++) {
		col_scan(x, i);
		if (col_format(x, &x->cols[i]) < 0)
			return dw_err_set(err, DW_EX_SOFTWARE, "xlsx: out of memory");
		e = worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, x->cols[i].width, NULL);
		if (!e && d->header)
			e = put_string(ws, 0, (lxw_col_t)i, d->names[i], x->bold);
	}
	if (d->header && !e)
		worksheet_freeze_panes(ws, 1, 0);
	for (size_t r = 0; r < d->nrows && !e; r++)
		for (size_t i = 0; i < d->ncols && !e; i++)
			e = put_cell(ws, (lxw_row_t)(r + top), (lxw_col_t)i, &x->cols[i],
				     d->cells[r * d->ncols + i]);
	return e ? lxw_fail(e, "the data sheet", err) : 0;
}

static int note_sheet(struct xlsx *x, const struct dw_out_xlsx_note *n, struct dw_err *err)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, n->name);
	struct xlsx_col key = { 0 };
	lxw_error e = LXW_NO_ERROR;

	if (!ws)
		return dw_err_set(err, DW_EX_SOFTWARE, "xlsx: cannot add the sheet '%s'", n->name);
	for (size_t i = 0; i < n->n; i++)
		widen(&key, chars(n->keys[i]));
	e = worksheet_set_column(ws, 0, 0, key.width, x->bold);
	if (!e)
		e = worksheet_set_column(ws, 1, 1, XLSX_NOTE_WIDTH, x->wrap);
	for (size_t i = 0; i < n->n && !e; i++) {
		e = put_string(ws, (lxw_row_t)i, 0, n->keys[i], x->bold);
		if (!e && n->values[i])
			e = put_string(ws, (lxw_row_t)i, 1, n->values[i], x->wrap);
	}
	return e ? lxw_fail(e, n->name, err) : 0;
}

/* ---- workbook ------------------------------------------------------------ */

static int build(struct xlsx *x, struct dw_err *err)
{
	if (!(x->bold = workbook_add_format(x->wb)) || !(x->wrap = workbook_add_format(x->wb)))
		return dw_err_set(err, DW_EX_SOFTWARE, "xlsx: out of memory");
	format_set_bold(x->bold);
	format_set_text_wrap(x->wrap);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	if (data_sheet(x, err) < 0)
		return -1;
	for (size_t i = 0; i < x->d->nnotes; i++)
		if (note_sheet(x, &x->d->notes[i], err) < 0)
			return -1;
	return 0;
}

/* Copies the file open on fd to fp. */
static int copy_out(int fd, FILE *fp, struct dw_err *err)
{
	char buf[65536];
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return dw_err_set(err, DW_EX_IOERR, "xlsx: %s", strerror(errno));
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (fwrite(buf, 1, (size_t)n, fp) != (size_t)n)
			return dw_err_set(err, DW_EX_IOERR, "cannot write output: %s",
					  strerror(errno));
	if (n < 0)
		return dw_err_set(err, DW_EX_IOERR, "xlsx: %s", strerror(errno));
	return 0;
}

static int check_size(const struct dw_out_xlsx_data *d, struct dw_err *err)
{
	if (d->nrows + (d->header ? 1 : 0) > LXW_ROW_MAX)
		return dw_err_set(err, DW_EX_DATAERR, "xlsx: %zu rows do not fit a worksheet "
				  "(at most %d)", d->nrows, LXW_ROW_MAX - (d->header ? 1 : 0));
	if (d->ncols > LXW_COL_MAX)
		return dw_err_set(err, DW_EX_DATAERR, "xlsx: %zu columns do not fit a worksheet "
				  "(at most %d)", d->ncols, LXW_COL_MAX);
	return 0;
}

int dw_out_xlsx_write(const struct dw_out_xlsx_data *d, FILE *fp, struct dw_err *err)
{
	const char *dir = getenv("TMPDIR");
	struct xlsx x = { .d = d };
	lxw_workbook_options opt = { 0 };
	char path[4096];
	lxw_error e;
	int fd, rc;

	if (check_size(d, err) < 0)
		return -1;
	if (!dir || !*dir)
		dir = "/tmp";
	opt.tmpdir = (char *)dir;
	/* libxlsxwriter writes to a name: a file of ours, made exclusively */
	if ((size_t)snprintf(path, sizeof path, "%s/dw-xlsx-XXXXXX", dir) >= sizeof path ||
	    (fd = mkstemp(path)) < 0)
		return dw_err_set(err, DW_EX_IOERR, "xlsx: cannot make a temporary file in %s: %s",
				  dir, strerror(errno));
	x.cols = calloc(d->ncols ? d->ncols : 1, sizeof *x.cols);
	x.wb = x.cols ? workbook_new_opt(path, &opt) : NULL;
	if (!x.wb)
		rc = dw_err_set(err, DW_EX_IOERR, "xlsx: cannot start the workbook");
	else
		rc = build(&x, err);
	if (x.wb && (e = workbook_close(x.wb)) != LXW_NO_ERROR && rc == 0)
		rc = lxw_fail(e, "the workbook", err);
	if (rc == 0)
		rc = copy_out(fd, fp, err);
	unlink(path);
	close(fd);
	free(x.cols);
	return rc;
}
