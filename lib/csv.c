#include "csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Design: input is read with fread into a fixed buffer; the bytes of the
 * current record are copied (unescaped) into one growable buffer, each field
 * followed by a NUL. Fields are kept as offsets into that buffer so it can be
 * realloc'ed while a record is read. Runs of ordinary bytes are found with a
 * class table and copied with memcpy, so the per-byte work is one lookup.
 *
 * Line ends are LF, CRLF, or a lone CR (old Mac exports); each counts as one
 * line, inside quoted fields too, where the bytes are kept as they are.
 */

#define CSV_BUFSZ (128 * 1024)
#define CSV_REC_INIT 4096
#define CSV_FIELDS_INIT 32

/* Results of reading a byte or a field. */
#define CSV_EOF (-1)
#define CSV_ERR (-2)
#define CSV_END_FIELD 1    /* field ended by a comma, more follow */
#define CSV_END_RECORD 2   /* field ended by a line end or end of input */

/* Byte classes: bytes that stop a run of plain bytes. */
#define STOP_UNQUOTED 1
#define STOP_QUOTED 2

static const unsigned char byte_class[256] = {
	['\0'] = STOP_UNQUOTED | STOP_QUOTED,
	['\n'] = STOP_UNQUOTED | STOP_QUOTED,
	['\r'] = STOP_UNQUOTED | STOP_QUOTED,
	[','] = STOP_UNQUOTED,
	['"'] = STOP_QUOTED,
};

struct csv_field {
	size_t off;
	size_t len;
	int cut;                   /* longer than max_field: the rest was dropped */
};

struct dw_csv {
	FILE *fp;
	char *name;                /* display name: "-" becomes "stdin" */

	unsigned char *buf;        /* input buffer, CSV_BUFSZ bytes */
	size_t pos, len;
	int eof;                   /* fread hit end of input */
	int started;               /* first fill done (BOM checked) */

	char *rec;                 /* unescaped fields of the current record */
	size_t rec_len, rec_cap;
	struct csv_field *fields;
	size_t nfields, fields_cap;

	size_t max_field;          /* bytes kept of a field; 0 for no limit */
	long line;                 /* line of the next unread byte */
	long start_line, end_line; /* of the current record */
	int failed;                /* sticky: a previous call returned -1 */
	struct dw_err last;        /* the error returned by that call */
};

struct dw_csv *dw_csv_new(FILE *fp, const char *name)
{
	struct dw_csv *csv = calloc(1, sizeof *csv);

	if (!csv)
		return NULL;
	if (!name || strcmp(name, "-") == 0)
		name = "stdin";
	csv->fp = fp;
	csv->name = strdup(name);
	csv->buf = malloc(CSV_BUFSZ);
	csv->rec = malloc(CSV_REC_INIT);
	csv->fields = malloc(CSV_FIELDS_INIT * sizeof *csv->fields);
	if (!csv->name || !csv->buf || !csv->rec || !csv->fields) {
		dw_csv_free(csv);
		return NULL;
	}
	csv->rec_cap = CSV_REC_INIT;
	csv->fields_cap = CSV_FIELDS_INIT;
	csv->line = 1;
	return csv;
}

void dw_csv_free(struct dw_csv *csv)
{
	if (!csv)
		return;
	free(csv->name);
	free(csv->buf);
	free(csv->rec);
	free(csv->fields);
	free(csv);
}

/* ---- input ---- */

static int fail_io(struct dw_csv *csv, int saved_errno)
{
	return dw_err_set(&csv->last, DW_EX_IOERR, "%s: read error: %s", csv->name,
			  saved_errno ? strerror(saved_errno) : "unknown error");
}

/* Skips a UTF-8 byte order mark at the very start of the input. */
static void skip_bom(struct dw_csv *csv)
{
	static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };

	if (csv->len >= sizeof bom && memcmp(csv->buf, bom, sizeof bom) == 0)
		csv->pos = sizeof bom;
}

/* Refills the input buffer. Returns 1 with bytes available, 0 at end of
 * input, CSV_ERR on a read error. fread only returns short at end of input
 * or on error, so a short read sets eof. */
static int fill(struct dw_csv *csv)
{
	size_t n;

	if (csv->eof)
		return 0;
	errno = 0;
	n = fread(csv->buf, 1, CSV_BUFSZ, csv->fp);
	if (n < CSV_BUFSZ) {
		int saved_errno = errno;

		if (ferror(csv->fp)) {
			fail_io(csv, saved_errno);
			return CSV_ERR;
		}
		csv->eof = 1;
	}
	csv->pos = 0;
	csv->len = n;
	if (!csv->started) {
		csv->started = 1;
		skip_bom(csv);
	}
	return csv->pos < csv->len;
}

/* Returns the next byte without consuming it, CSV_EOF or CSV_ERR. */
static inline int peek(struct dw_csv *csv)
{
	if (csv->pos == csv->len) {
		int r = fill(csv);

		if (r <= 0)
			return r == 0 ? CSV_EOF : CSV_ERR;
	}
	return csv->buf[csv->pos];
}

/* After a CR: consumes the LF of a CRLF pair if there is one. */
static int skip_lf(struct dw_csv *csv)
{
	int c = peek(csv);

	if (c == CSV_ERR)
		return -1;
	if (c == '\n')
		csv->pos++;
	return 0;
}

/* ---- record buffer ---- */

static int fail_nomem(struct dw_csv *csv)
{
	return dw_err_set(&csv->last, DW_EX_SOFTWARE, "%s: line %ld: out of memory",
			  csv->name, csv->start_line);
}

/* Makes room for n more bytes plus a terminating NUL in the record buffer. */
static int rec_reserve(struct dw_csv *csv, size_t n)
{
	size_t need = csv->rec_len + n + 1, cap = csv->rec_cap;
	char *p;

	if (need <= cap)
		return 0;
	while (cap < need)
		cap *= 2;
	p = realloc(csv->rec, cap);
	if (!p)
		return fail_nomem(csv);
	csv->rec = p;
	csv->rec_cap = cap;
	return 0;
}

static int rec_append(struct dw_csv *csv, const void *p, size_t n)
{
	if (rec_reserve(csv, n) < 0)
		return -1;
	memcpy(csv->rec + csv->rec_len, p, n);
	csv->rec_len += n;
	return 0;
}

/* Appends n bytes to the current field, keeping at most max_field bytes of
 * it: a field without end does not take all memory. */
static int field_append(struct dw_csv *csv, const void *p, size_t n)
{
	struct csv_field *f = &csv->fields[csv->nfields - 1];
	size_t have = csv->rec_len - f->off;

	if (csv->max_field && have + n > csv->max_field) {
		f->cut = 1;
		n = have < csv->max_field ? csv->max_field - have : 0;
	}
	return n ? rec_append(csv, p, n) : 0;
}

static int field_putc(struct dw_csv *csv, char c)
{
	return field_append(csv, &c, 1);
}

static int field_begin(struct dw_csv *csv)
{
	if (csv->nfields == csv->fields_cap) {
		size_t cap = csv->fields_cap * 2;
		struct csv_field *f = realloc(csv->fields, cap * sizeof *f);

		if (!f)
			return fail_nomem(csv);
		csv->fields = f;
		csv->fields_cap = cap;
	}
	csv->fields[csv->nfields].off = csv->rec_len;
	csv->fields[csv->nfields].len = 0;
	csv->fields[csv->nfields].cut = 0;
	csv->nfields++;
	return 0;
}

/* Terminates the current field with a NUL (not counted in its length). */
static int field_end(struct dw_csv *csv)
{
	struct csv_field *f = &csv->fields[csv->nfields - 1];

	if (rec_reserve(csv, 0) < 0)
		return -1;
	f->len = csv->rec_len - f->off;
	csv->rec[csv->rec_len++] = '\0';
	return 0;
}

/* ---- parsing ---- */

static int fail_nul(struct dw_csv *csv)
{
	dw_err_set(&csv->last, DW_EX_DATAERR, "%s: line %ld, field %zu: NUL byte in input",
		   csv->name, csv->line, csv->nfields);
	dw_err_hint(&csv->last, "CSV input must be text; is the file UTF-16 or binary?");
	return CSV_ERR;
}

static int fail_stray(struct dw_csv *csv, int c)
{
	if (c >= 0x20 && c < 0x7f)
		dw_err_set(&csv->last, DW_EX_DATAERR,
			   "%s: line %ld, field %zu: unexpected '%c' after closing quote",
			   csv->name, csv->line, csv->nfields, c);
	else
		dw_err_set(&csv->last, DW_EX_DATAERR,
			   "%s: line %ld, field %zu: unexpected byte 0x%02x after closing quote",
			   csv->name, csv->line, csv->nfields, (unsigned)c);
	dw_err_hint(&csv->last, "a quote inside a quoted field must be doubled (\"\")");
	return CSV_ERR;
}

static int fail_unterminated(struct dw_csv *csv, long open_line)
{
	dw_err_set(&csv->last, DW_EX_DATAERR, "%s: line %ld: unterminated quoted field",
		   csv->name, open_line);
	dw_err_detail(&csv->last, "the quote opening field %zu is never closed before the end of input",
		      csv->nfields);
	return CSV_ERR;
}

/* Handles the byte c (already consumed) that ended a field: a comma, a line
 * end or CSV_EOF. Returns CSV_END_FIELD, CSV_END_RECORD or CSV_ERR. */
static int field_terminator(struct dw_csv *csv, int c)
{
	switch (c) {
	case ',':
		return CSV_END_FIELD;
	case CSV_EOF:
		csv->end_line = csv->line;
		return CSV_END_RECORD;
	case '\r':
		if (skip_lf(csv) < 0)
			return CSV_ERR;
		/* fall through */
	case '\n':
		csv->end_line = csv->line++;
		return CSV_END_RECORD;
	case '\0':
		return fail_nul(csv);
	default:
		return fail_stray(csv, c);
	}
}

/* Reads an unquoted field up to and including its terminator. A quote in it
 * is kept literally. */
static int read_unquoted(struct dw_csv *csv)
{
	for (;;) {
		const unsigned char *p, *q, *end;
		int c = peek(csv);

		if (c == CSV_ERR)
			return CSV_ERR;
		if (c == CSV_EOF)
			return field_terminator(csv, CSV_EOF);
		p = q = csv->buf + csv->pos;
		end = csv->buf + csv->len;
		while (q < end && !(byte_class[*q] & STOP_UNQUOTED))
			q++;
		if (q > p && field_append(csv, p, (size_t)(q - p)) < 0)
			return CSV_ERR;
		csv->pos = (size_t)(q - csv->buf);
		if (q < end) {
			csv->pos++;
			return field_terminator(csv, *q);
		}
	}
}

/* Inside quotes: handles the special byte c (consumed). Returns 0 to go on,
 * 1 when the closing quote was found, CSV_ERR on error. */
static int quoted_special(struct dw_csv *csv, int c)
{
	int next;

	switch (c) {
	case '"':
		next = peek(csv);
		if (next == CSV_ERR)
			return CSV_ERR;
		if (next != '"')
			return 1;
		csv->pos++;
		return field_putc(csv, '"') < 0 ? CSV_ERR : 0;
	case '\r':
		if (field_putc(csv, '\r') < 0)
			return CSV_ERR;
		next = peek(csv);
		if (next == CSV_ERR)
			return CSV_ERR;
		if (next == '\n') {
			csv->pos++;
			if (field_putc(csv, '\n') < 0)
				return CSV_ERR;
		}
		csv->line++;
		return 0;
	case '\n':
		csv->line++;
		return field_putc(csv, '\n') < 0 ? CSV_ERR : 0;
	default:
		return fail_nul(csv);
	}
}

/* After a closing quote only a comma, a line end or end of input may follow. */
static int after_closing_quote(struct dw_csv *csv)
{
	int c = peek(csv);

	if (c == CSV_ERR)
		return CSV_ERR;
	if (c != CSV_EOF)
		csv->pos++;
	return field_terminator(csv, c);
}

/* Reads a quoted field (opening quote already consumed) up to and including
 * its terminator. */
static int read_quoted(struct dw_csv *csv)
{
	long open_line = csv->line;

	for (;;) {
		const unsigned char *p, *q, *end;
		int c = peek(csv), r;

		if (c == CSV_ERR)
			return CSV_ERR;
		if (c == CSV_EOF)
			return fail_unterminated(csv, open_line);
		p = q = csv->buf + csv->pos;
		end = csv->buf + csv->len;
		while (q < end && !(byte_class[*q] & STOP_QUOTED))
			q++;
		if (q > p && field_append(csv, p, (size_t)(q - p)) < 0)
			return CSV_ERR;
		csv->pos = (size_t)(q - csv->buf);
		if (q == end)
			continue;
		csv->pos++;
		r = quoted_special(csv, *q);
		if (r == CSV_ERR)
			return CSV_ERR;
		if (r == 1)
			return after_closing_quote(csv);
	}
}

static int read_field(struct dw_csv *csv)
{
	int c;

	if (field_begin(csv) < 0)
		return CSV_ERR;
	c = peek(csv);
	if (c == CSV_ERR)
		return CSV_ERR;
	if (c == '"') {
		csv->pos++;
		c = read_quoted(csv);
	} else {
		c = read_unquoted(csv);
	}
	if (c != CSV_ERR && field_end(csv) < 0)
		return CSV_ERR;
	return c;
}

/* Skips blank lines. Returns 1 when a record follows, 0 at end of input,
 * CSV_ERR on error. */
static int skip_blank_lines(struct dw_csv *csv)
{
	for (;;) {
		int c = peek(csv);

		if (c == CSV_ERR)
			return CSV_ERR;
		if (c == CSV_EOF)
			return 0;
		if (c != '\n' && c != '\r')
			return 1;
		csv->pos++;
		if (c == '\r' && skip_lf(csv) < 0)
			return CSV_ERR;
		csv->line++;
	}
}

static int read_record(struct dw_csv *csv)
{
	int r = skip_blank_lines(csv);

	if (r <= 0)
		return r;
	csv->start_line = csv->line;
	do
		r = read_field(csv);
	while (r == CSV_END_FIELD);
	return r == CSV_ERR ? CSV_ERR : 1;
}

int dw_csv_next(struct dw_csv *csv, struct dw_err *err)
{
	int r;

	csv->rec_len = 0;
	csv->nfields = 0;
	if (!csv->failed) {
		r = read_record(csv);
		if (r != CSV_ERR)
			return r;
		csv->failed = 1;
	}
	csv->nfields = 0;
	if (err)
		*err = csv->last;
	return -1;
}

/* ---- accessors ---- */

size_t dw_csv_nfields(const struct dw_csv *csv)
{
	return csv->nfields;
}

/* Returns NULL when i is out of range. */
const char *dw_csv_field(const struct dw_csv *csv, size_t i)
{
	return i < csv->nfields ? csv->rec + csv->fields[i].off : NULL;
}

size_t dw_csv_field_len(const struct dw_csv *csv, size_t i)
{
	return i < csv->nfields ? csv->fields[i].len : 0;
}

void dw_csv_set_max_field(struct dw_csv *csv, size_t max)
{
	csv->max_field = max;
}

int dw_csv_field_cut(const struct dw_csv *csv, size_t i)
{
	return i < csv->nfields && csv->fields[i].cut;
}

long dw_csv_line(const struct dw_csv *csv)
{
	return csv->start_line;
}

long dw_csv_end_line(const struct dw_csv *csv)
{
	return csv->end_line;
}

/* The display name: "stdin" when the reader was given "-". */
const char *dw_csv_name(const struct dw_csv *csv)
{
	return csv->name;
}

/* ---- writing ---- */

static int needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return 1;
	return strpbrk(s, ",\"\r\n") != NULL;
}

void dw_csv_write_field(FILE *fp, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	const char *q;

	if (!needs_quotes(s, n)) {
		fwrite(s ? s : "", 1, n, fp);
		return;
	}
	putc('"', fp);
	while ((q = strchr(s, '"')) != NULL) {
		fwrite(s, 1, (size_t)(q - s) + 1, fp);
		putc('"', fp);
		s = q + 1;
	}
	fputs(s, fp);
	putc('"', fp);
}

/* [+-]digits[.digits][e[+-]digits], or with digits only after the point:
 * what a spreadsheet reads as a number, not a formula. */
static int plain_number(const char *s)
{
	size_t n = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		n++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			n++;
	if (n && (*s == 'e' || *s == 'E')) {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return n && !*s;
}

int dw_csv_formula_like(const char *s)
{
	return s && *s && strchr("=+-@\t\r", *s) && !plain_number(s);
}

void dw_csv_write_safe_field(FILE *fp, const char *s)
{
	if (!dw_csv_formula_like(s)) {
		dw_csv_write_field(fp, s);
		return;
	}
	fputs("\"'", fp);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}
