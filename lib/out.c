#include "out.h"
#include "csv.h"
#include "out_xlsx.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define UTF8_INVALID UINT32_MAX
#define ELLIPSIS "\xe2\x80\xa6"   /* U+2026, display width 1 */
#define TABLE_SEP 2               /* spaces between table columns */
#define TABLE_MIN_WIDTH 3         /* shrinking never goes below this */
#define TTY_DEFAULT_WIDTH 80      /* a terminal whose size is unknown */

struct out_col {
	char *name;
	enum dw_out_kind kind;
};

struct dw_out {
	FILE *fp;
	enum dw_out_format fmt;   /* never DW_OUT_AUTO after dw_out_new */
	int header;
	int tty;                  /* fp is a terminal */
	int csv_safe;             /* quote formula-like CSV cells */
	size_t limit;             /* table width limit; 0 is unlimited */
	struct out_col *cols;
	size_t ncols;
	char **cells;             /* table, xlsx: nrows * ncols copies, NULL is SQL NULL */
	size_t cap;               /* rows allocated in cells */
	size_t nrows;             /* rows buffered (table) or written (streaming) */
	struct dw_out_xlsx_note *notes;   /* xlsx: the sheets after the data */
	size_t nnotes;
	const char *broken;       /* misuse or allocation failure seen in a void call */
	int ended;
};

/* Line writer for the table: spaces are held back and only written when
 * something visible follows, so no line ends in spaces. */
struct out_line {
	FILE *fp;
	size_t pending;
};

struct cp_range {
	uint32_t lo, hi;
};

static const struct cp_range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x1ab0, 0x1aff }, { 0x200b, 0x200f },
	{ 0x20d0, 0x20ff }, { 0xfe20, 0xfe2f },
};

static const struct cp_range wide[] = {
	{ 0x1100, 0x115f }, { 0x2e80, 0xa4cf }, { 0xac00, 0xd7a3 },
	{ 0xf900, 0xfaff }, { 0xfe30, 0xfe4f }, { 0xff00, 0xff60 },
	{ 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f }, { 0x1f900, 0x1f9ff },
	{ 0x20000, 0x3fffd },
};

static enum dw_out_csv_safe csv_safe_mode = DW_OUT_CSV_SAFE_AUTO;

static const char *const format_names[] = {
	[DW_OUT_TABLE] = "table",
	[DW_OUT_TSV] = "tsv",
	[DW_OUT_CSV] = "csv",
	[DW_OUT_JSON] = "json",
	[DW_OUT_JSONL] = "jsonl",
	[DW_OUT_XLSX] = "xlsx",
	[DW_OUT_TAP] = "tap",
	[DW_OUT_JUNIT] = "junit",
};

/* ---- UTF-8 ---- */

/* Length of the sequence a lead byte announces (0 when it cannot lead), with
 * the lead's payload bits in *cp and the smallest code point that length may
 * encode in *min (anything below is an overlong form). */
static size_t utf8_lead(unsigned char c, uint32_t *cp, uint32_t *min)
{
	if (c >= 0xc2 && c <= 0xdf) {
		*cp = c & 0x1f;
		*min = 0x80;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		*cp = c & 0x0f;
		*min = 0x800;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		*cp = c & 0x07;
		*min = 0x10000;
		return 4;
	}
	return 0;
}

/* Decodes the character at s (s[0] != '\0'). Returns its length in bytes; an
 * invalid byte is a character of length 1 with *cp = UTF8_INVALID. Never reads
 * past a NUL. */
static size_t utf8_decode(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t n, i;

	*cp = u[0];
	if (u[0] < 0x80)
		return 1;
	n = utf8_lead(u[0], &c, &min);
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			break;
		c = c << 6 | (u[i] & 0x3f);
	}
	if (n == 0 || i < n || c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*cp = UTF8_INVALID;
		return 1;
	}
	*cp = c;
	return n;
}

static int in_ranges(uint32_t c, const struct cp_range *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c >= r[i].lo && c <= r[i].hi)
			return 1;
	return 0;
}

static size_t cp_width(uint32_t c)
{
	if (c == UTF8_INVALID)
		return 1;
	if (in_ranges(c, zero_width, sizeof zero_width / sizeof zero_width[0]))
		return 0;
	if (in_ranges(c, wide, sizeof wide / sizeof wide[0]))
		return 2;
	return 1;
}

size_t dw_out_width(const char *s)
{
	size_t w = 0;
	uint32_t c;

	if (!s)
		return 0;
	while (*s) {
		s += utf8_decode(s, &c);
		w += cp_width(c);
	}
	return w;
}

/* Byte length of the longest prefix of s (ending on a character boundary)
 * whose display width is at most maxw; its width goes to *w. Zero-width
 * characters right after the last one kept stay with it. */
static size_t utf8_prefix(const char *s, size_t maxw, size_t *w)
{
	size_t len = 0, n, cw;
	uint32_t c;

	*w = 0;
	while (s[len]) {
		n = utf8_decode(s + len, &c);
		cw = cp_width(c);
		if (*w + cw > maxw)
			break;
		*w += cw;
		len += n;
	}
	return len;
}

/* ---- setup ---- */

int dw_out_parse_format(const char *s, enum dw_out_format *fmt, struct dw_err *err)
{
	size_t i;

	for (i = DW_OUT_TABLE; s && i < sizeof format_names / sizeof format_names[0]; i++) {
		if (strcmp(s, format_names[i]) == 0) {
			*fmt = (enum dw_out_format)i;
			return 0;
		}
	}
	return dw_err_set(err, DW_EX_USAGE,
			  "unknown format '%s' (expected table, tsv, csv, json, jsonl, xlsx, tap "
			  "or junit)",
			  s ? s : "");
}

/* COLUMNS when it holds a positive decimal number, else 0. */
static size_t env_columns(void)
{
	const char *s = getenv("COLUMNS");
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v == 0 || v > 1000000)
		return 0;
	return v;
}

/* Width limit for a table on fp: COLUMNS, else the terminal's width (80 when
 * the terminal does not say), else 0 (unlimited) when fp is not a terminal. */
static size_t table_limit(FILE *fp)
{
	size_t cols = env_columns();
	struct winsize ws;
	int fd = fileno(fp);

	if (cols)
		return cols;
	if (fd < 0 || !isatty(fd))
		return 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return TTY_DEFAULT_WIDTH;
}

struct dw_out *dw_out_new(FILE *fp, enum dw_out_format fmt, int header)
{
	struct dw_out *out;
	int fd;

	if (!fp || fmt == DW_OUT_TAP || fmt == DW_OUT_JUNIT)
		return NULL;
	out = calloc(1, sizeof *out);
	if (!out)
		return NULL;
	fd = fileno(fp);
	out->tty = fd >= 0 && isatty(fd);
	if (fmt == DW_OUT_AUTO)
		fmt = out->tty ? DW_OUT_TABLE : DW_OUT_TSV;
	out->csv_safe = csv_safe_mode == DW_OUT_CSV_SAFE_ON ||
			(csv_safe_mode == DW_OUT_CSV_SAFE_AUTO && out->tty);
	out->fp = fp;
	out->fmt = fmt;
	out->header = header;
	if (fmt == DW_OUT_TABLE)
		out->limit = table_limit(fp);
	return out;
}

void dw_out_set_csv_safe(enum dw_out_csv_safe mode)
{
	csv_safe_mode = mode;
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void note_free(struct dw_out_xlsx_note *n)
{
	free_strings(n->keys, n->n);
	free_strings(n->values, n->n);
	free(n->name);
}

void dw_out_free(struct dw_out *out)
{
	size_t i;

	if (!out)
		return;
	for (i = 0; i < out->ncols; i++)
		free(out->cols[i].name);
	free(out->cols);
	for (i = 0; i < out->nnotes; i++)
		note_free(&out->notes[i]);
	free(out->notes);
	if (out->cells)
		for (i = 0; i < out->nrows * out->ncols; i++)
			free(out->cells[i]);
	free(out->cells);
	free(out);
}

void dw_out_column(struct dw_out *out, const char *name, enum dw_out_kind kind)
{
	struct out_col *cols;
	char *copy;

	if (!out || out->broken)
		return;
	if (out->nrows > 0) {
		out->broken = "output column declared after the first row";
		return;
	}
	copy = strdup(name ? name : "");
	cols = copy ? realloc(out->cols, (out->ncols + 1) * sizeof *cols) : NULL;
	if (!cols) {
		free(copy);
		out->broken = "out of memory";
		return;
	}
	cols[out->ncols].name = copy;
	cols[out->ncols].kind = kind;
	out->cols = cols;
	out->ncols++;
}

/* Copies of the n strings of v (NULL stays NULL); NULL when out of memory. */
static char **copy_strings(const char *const *v, size_t n)
{
	char **c = calloc(n ? n : 1, sizeof *c);

	for (size_t i = 0; c && i < n; i++) {
		if (v[i] && !(c[i] = strdup(v[i]))) {
			free_strings(c, i);
			return NULL;
		}
	}
	return c;
}

void dw_out_note_sheet(struct dw_out *out, const char *name, const char *const *keys,
		       const char *const *values, size_t n)
{
	struct dw_out_xlsx_note note = { .n = n }, *notes;

	if (!out || out->broken || out->fmt != DW_OUT_XLSX)
		return;
	note.name = strdup(name);
	note.keys = copy_strings(keys, n);
	note.values = copy_strings(values, n);
	notes = realloc(out->notes, (out->nnotes + 1) * sizeof *notes);
	if (!note.name || !note.keys || !note.values || !notes) {
		if (notes)
			out->notes = notes;
		note_free(&note);
		out->broken = "out of memory";
		return;
	}
	notes[out->nnotes++] = note;
	out->notes = notes;
}

/* ---- errors ---- */

static int write_error(struct dw_err *err, int errnum)
{
	if (errnum)
		return dw_err_set(err, DW_EX_IOERR, "cannot write output: %s", strerror(errnum));
	return dw_err_set(err, DW_EX_IOERR, "cannot write output");
}

static int check_stream(struct dw_out *out, struct dw_err *err)
{
	if (ferror(out->fp))
		return write_error(err, errno);
	return 0;
}

/* ---- terminal ---- */

/* Writes the character at s (s[0] != '\0') and returns its length. On a
 * terminal, a control character but tab and newline (ESC starts escape
 * sequences, BEL rings, CR overwrites the line), a C1 control or a byte
 * that is not UTF-8 is written as \xNN, byte by byte. */
static size_t put_char(struct dw_out *out, const char *s)
{
	uint32_t c;
	size_t n = utf8_decode(s, &c), i;

	if (out->tty && (c == UTF8_INVALID || (c < 0x20 && c != '\t' && c != '\n') ||
			 (c >= 0x7f && c < 0xa0))) {
		for (i = 0; i < n; i++)
			fprintf(out->fp, "\\x%02x", (unsigned char)s[i]);
	} else {
		fwrite(s, 1, n, out->fp);
	}
	return n;
}

/* ---- tsv ---- */

static void tsv_field(struct dw_out *out, const char *s)
{
	while (*s) {
		switch (*s) {
		case '\t': fputs("\\t", out->fp); break;
		case '\n': fputs("\\n", out->fp); break;
		case '\r': fputs("\\r", out->fp); break;
		case '\\': fputs("\\\\", out->fp); break;
		default: s += put_char(out, s); continue;
		}
		s++;
	}
}

/* ---- csv ---- */

/* A formula-like cell is quoted with a single quote first when CSV safety
 * is on (OWASP's advice against formula injection). */
static void csv_field(struct dw_out *out, const char *s)
{
	int formula = out->csv_safe && dw_csv_formula_like(s);
	/* A lone empty field would be a blank line, which readers skip. */
	int quote = formula || strpbrk(s, ",\"\r\n") != NULL || (out->ncols == 1 && *s == '\0');

	if (quote)
		putc('"', out->fp);
	if (formula)
		putc('\'', out->fp);
	while (*s) {
		if (*s == '"')
			putc('"', out->fp);
		s += put_char(out, s);
	}
	if (quote)
		putc('"', out->fp);
}

/* ---- tsv and csv ---- */

static void delimited_field(struct dw_out *out, const char *s)
{
	if (out->fmt == DW_OUT_CSV)
		csv_field(out, s);
	else
		tsv_field(out, s);
}

/* One line of fields; a NULL entry is SQL NULL (empty). */
static void delimited_line(struct dw_out *out, const char *const *values)
{
	size_t i;

	for (i = 0; i < out->ncols; i++) {
		if (i > 0)
			putc(out->fmt == DW_OUT_CSV ? ',' : '\t', out->fp);
		if (values[i])
			delimited_field(out, values[i]);
	}
	putc('\n', out->fp);
}

static void delimited_header(struct dw_out *out)
{
	size_t i;

	for (i = 0; i < out->ncols; i++) {
		if (i > 0)
			putc(out->fmt == DW_OUT_CSV ? ',' : '\t', out->fp);
		delimited_field(out, out->cols[i].name);
	}
	putc('\n', out->fp);
}

/* ---- json ---- */

/* Writes s as a JSON string. Invalid UTF-8 becomes U+FFFD so the output
 * stays valid JSON. */
static void json_string(FILE *fp, const char *s)
{
	uint32_t c;
	size_t n;

	putc('"', fp);
	while (*s) {
		n = utf8_decode(s, &c);
		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", (char)c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\r')
			fputs("\\r", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c < 0x20 || (c >= 0x7f && c < 0xa0))
			fprintf(fp, "\\u%04x", (unsigned)c);
		else if (c == UTF8_INVALID)
			fputs("\\ufffd", fp);
		else
			fwrite(s, 1, n, fp);
		s += n;
	}
	putc('"', fp);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_digits(const char *s)
{
	while (is_digit(*s))
		s++;
	return s;
}

/* Whether s matches the JSON number grammar exactly. */
static int json_number_ok(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s = skip_digits(s);
	else
		return 0;
	if (*s == '.') {
		if (!is_digit(*++s))
			return 0;
		s = skip_digits(s);
	}
	if (*s == 'e' || *s == 'E') {
		if (*++s == '+' || *s == '-')
			s++;
		if (!is_digit(*s))
			return 0;
		s = skip_digits(s);
	}
	return *s == '\0';
}

/* ASCII-only case-insensitive equality (no locale). */
static int ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? *a + ('a' - 'A') : *a;

		if (x != *b)
			return 0;
	}
	return *a == *b;
}

/* 1 true, 0 false, -1 not a boolean spelling. */
static int parse_bool(const char *s)
{
	if (ascii_ieq(s, "1") || ascii_ieq(s, "t") || ascii_ieq(s, "true"))
		return 1;
	if (ascii_ieq(s, "0") || ascii_ieq(s, "f") || ascii_ieq(s, "false"))
		return 0;
	return -1;
}

static void json_value(FILE *fp, const char *v, enum dw_out_kind kind)
{
	int b;

	if (!v) {
		fputs("null", fp);
		return;
	}
	if (kind == DW_OUT_NUMBER && json_number_ok(v)) {
		fputs(v, fp);
		return;
	}
	b = kind == DW_OUT_BOOL ? parse_bool(v) : -1;
	if (b >= 0)
		fputs(b ? "true" : "false", fp);
	else
		json_string(fp, v);
}

static void json_object(struct dw_out *out, const char *const *values)
{
	size_t i;

	putc('{', out->fp);
	for (i = 0; i < out->ncols; i++) {
		if (i > 0)
			putc(',', out->fp);
		json_string(out->fp, out->cols[i].name);
		putc(':', out->fp);
		json_value(out->fp, values[i], out->cols[i].kind);
	}
	putc('}', out->fp);
}

/* ---- table ---- */

static void line_flush(struct out_line *l)
{
	for (; l->pending; l->pending--)
		putc(' ', l->fp);
}

/* Writes n bytes of s (ending on a character boundary) for display: control
 * characters (tab, newline, ESC, ...) become spaces, a byte that is not
 * UTF-8 becomes U+FFFD. */
static void line_text(struct out_line *l, const char *s, size_t n)
{
	const char *end = s + n;
	size_t len;
	uint32_t c;

	while (s < end) {
		len = utf8_decode(s, &c);
		if (c == ' ' || c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
			l->pending++;
		} else if (c == UTF8_INVALID) {
			/* a stray byte such as 0x9b would be a control on some terminals */
			line_flush(l);
			fputs("\xef\xbf\xbd", l->fp);
		} else {
			line_flush(l);
			fwrite(s, 1, len, l->fp);
		}
		s += len;
	}
}

static void line_end(struct out_line *l)
{
	l->pending = 0;
	putc('\n', l->fp);
}

/* One cell padded (or truncated with "…") to display width w. */
static void table_cell(struct out_line *l, const char *s, size_t w, int right)
{
	size_t sw = dw_out_width(s), len = strlen(s);
	int cut = 0;

	if (sw > w) {
		cut = w > 0;
		len = cut ? utf8_prefix(s, w - 1, &sw) : 0;
		sw = cut ? sw + 1 : 0;
	}
	if (right)
		l->pending += w - sw;
	line_text(l, s, len);
	if (cut)
		line_text(l, ELLIPSIS, strlen(ELLIPSIS));
	if (!right)
		l->pending += w - sw;
}

/* A header or data line; a NULL value is shown empty. */
static void table_line(struct dw_out *out, const char *const *values, const size_t *w)
{
	struct out_line l = { out->fp, 0 };
	size_t i;

	for (i = 0; i < out->ncols; i++) {
		if (i > 0)
			l.pending += TABLE_SEP;
		table_cell(&l, values[i] ? values[i] : "", w[i],
			   out->cols[i].kind == DW_OUT_NUMBER);
	}
	line_end(&l);
}

static void table_rule(struct dw_out *out, const size_t *w)
{
	struct out_line l = { out->fp, 0 };
	size_t i, j;

	for (i = 0; i < out->ncols; i++) {
		if (i > 0)
			l.pending += TABLE_SEP;
		for (j = 0; j < w[i]; j++)
			line_text(&l, "-", 1);
	}
	line_end(&l);
}

static void table_natural_widths(struct dw_out *out, size_t *w)
{
	size_t r, i, cw;
	const char *v;

	for (i = 0; i < out->ncols; i++)
		w[i] = out->header ? dw_out_width(out->cols[i].name) : 0;
	for (r = 0; r < out->nrows; r++) {
		for (i = 0; i < out->ncols; i++) {
			v = out->cells[r * out->ncols + i];
			cw = dw_out_width(v);
			if (cw > w[i])
				w[i] = cw;
		}
	}
}

static size_t table_total(const size_t *w, size_t n)
{
	size_t i, total = n ? (n - 1) * TABLE_SEP : 0;

	for (i = 0; i < n; i++)
		total += w[i];
	return total;
}

/* Takes need columns off the k columns of width max, spread evenly. */
static void shrink_widest(size_t *w, size_t n, size_t max, size_t k, size_t need)
{
	size_t i, extra = need % k;

	for (i = 0; i < n; i++) {
		if (w[i] != max)
			continue;
		w[i] -= need / k + (extra ? 1 : 0);
		if (extra)
			extra--;
	}
}

/* Shrinks the widest columns (never below TABLE_MIN_WIDTH) until the table
 * fits limit or nothing is left to shrink. */
static void table_fit(size_t *w, size_t n, size_t limit)
{
	size_t total = table_total(w, n), max, next, k, room, i;

	while (limit && total > limit) {
		max = 0;
		for (i = 0; i < n; i++)
			if (w[i] > max)
				max = w[i];
		if (max <= TABLE_MIN_WIDTH)
			break;
		next = TABLE_MIN_WIDTH;
		k = 0;
		for (i = 0; i < n; i++) {
			if (w[i] == max)
				k++;
			else if (w[i] > next)
				next = w[i];
		}
		room = (max - next) * k;
		if (room > total - limit)
			room = total - limit;
		shrink_widest(w, n, max, k, room);
		total -= room;
	}
}

static int table_print(struct dw_out *out)
{
	size_t *w = calloc(out->ncols ? out->ncols : 1, sizeof *w);
	const char **names;
	size_t r, i;

	names = calloc(out->ncols ? out->ncols : 1, sizeof *names);
	if (!w || !names) {
		free(w);
		free(names);
		return -1;
	}
	table_natural_widths(out, w);
	table_fit(w, out->ncols, out->limit);
	for (i = 0; i < out->ncols; i++)
		names[i] = out->cols[i].name;
	if (out->header) {
		table_line(out, names, w);
		table_rule(out, w);
	}
	for (r = 0; r < out->nrows; r++)
		table_line(out, (const char *const *)out->cells + r * out->ncols, w);
	free(names);
	free(w);
	return 0;
}

/* Copies one row into the table buffer. */
static int table_add(struct dw_out *out, const char *const *values)
{
	size_t i, base = out->nrows * out->ncols, cap, width = out->ncols ? out->ncols : 1;
	char **cells;

	if (out->nrows == out->cap) {
		cap = out->cap ? out->cap * 2 : 64;
		if (cap > SIZE_MAX / sizeof *cells / width)
			return -1;
		cells = realloc(out->cells, cap * width * sizeof *cells);
		if (!cells)
			return -1;
		out->cells = cells;
		out->cap = cap;
	}
	for (i = 0; i < out->ncols; i++) {
		out->cells[base + i] = values[i] ? strdup(values[i]) : NULL;
		if (values[i] && !out->cells[base + i]) {
			while (i-- > 0)
				free(out->cells[base + i]);
			return -1;
		}
	}
	out->nrows++;
	return 0;
}

/* ---- xlsx ---- */

static int xlsx_print(struct dw_out *out, struct dw_err *err)
{
	const char **names = calloc(out->ncols ? out->ncols : 1, sizeof *names);
	enum dw_out_kind *kinds = calloc(out->ncols ? out->ncols : 1, sizeof *kinds);
	struct dw_out_xlsx_data d = {
		.ncols = out->ncols, .nrows = out->nrows, .names = names, .kinds = kinds,
		.cells = (const char *const *)out->cells, .header = out->header,
		.notes = out->notes, .nnotes = out->nnotes,
	};
	int rc;

	/* a workbook after other output (another workbook) would make no file */
	if (ftell(out->fp) > 0)
		rc = dw_err_set(err, DW_EX_USAGE, "-F xlsx writes one result: one workbook "
				"per file");
	else if (!names || !kinds)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	else {
		for (size_t i = 0; i < out->ncols; i++) {
			names[i] = out->cols[i].name;
			kinds[i] = out->cols[i].kind;
		}
		rc = dw_out_xlsx_write(&d, out->fp, err);
	}
	free(names);
	free(kinds);
	return rc;
}

/* ---- rows ---- */

/* Writes what precedes the first row of a streaming format. */
static void stream_start(struct dw_out *out)
{
	if (out->header && (out->fmt == DW_OUT_TSV || out->fmt == DW_OUT_CSV))
		delimited_header(out);
}

static void stream_row(struct dw_out *out, const char *const *values)
{
	switch (out->fmt) {
	case DW_OUT_JSON:
		fputs(out->nrows == 0 ? "[\n" : ",\n", out->fp);
		json_object(out, values);
		break;
	case DW_OUT_JSONL:
		json_object(out, values);
		putc('\n', out->fp);
		break;
	default:
		delimited_line(out, values);
		break;
	}
}

int dw_out_row(struct dw_out *out, const char *const *values, struct dw_err *err)
{
	if (out->broken)
		return dw_err_set(err, DW_EX_SOFTWARE, "%s", out->broken);
	if (out->fmt == DW_OUT_TABLE || out->fmt == DW_OUT_XLSX) {
		if (table_add(out, values) < 0)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		return 0;
	}
	errno = 0;
	if (out->nrows == 0)
		stream_start(out);
	stream_row(out, values);
	out->nrows++;
	return check_stream(out, err);
}

int dw_out_end(struct dw_out *out, struct dw_err *err)
{
	if (out->broken)
		return dw_err_set(err, DW_EX_SOFTWARE, "%s", out->broken);
	errno = 0;
	if (!out->ended) {
		out->ended = 1;
		if (out->fmt == DW_OUT_TABLE) {
			if (table_print(out) < 0)
				return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		} else if (out->fmt == DW_OUT_XLSX) {
			if (xlsx_print(out, err) < 0)
				return -1;
		} else if (out->nrows == 0) {
			stream_start(out);
		}
		if (out->fmt == DW_OUT_JSON)
			fputs(out->nrows == 0 ? "[]\n" : "\n]\n", out->fp);
	}
	if (check_stream(out, err) < 0)
		return -1;
	if (fflush(out->fp) != 0)
		return write_error(err, errno);
	return 0;
}
