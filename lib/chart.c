#include "chart.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "text.h"

#define TEXT_MAX 200                  /* widest text drawn, in columns */
#define TEXT_BUF (TEXT_MAX * 4 + 8)   /* bytes for TEXT_MAX columns and an ellipsis */
#define NAMES_BUF 160                 /* column names quoted in a reason */
#define DEFAULT_WIDTH 80
#define PLOT_ROWS 8                   /* height of the terminal area plot */
#define PLOT_STRETCH 4                /* columns per point at most, for short series */
#define LEVELS 8                      /* sparkline levels, eighths of a plot row */

#define SVG_W 800
#define SVG_PAD 12
#define SVG_TOP 44                    /* below the title */
#define SVG_ROW 24                    /* bar pitch */
#define SVG_BAR 16                    /* bar thickness */
#define SVG_CHAR_W 7                  /* estimated width of a 12px sans-serif character */
#define SVG_VALUE_W 64                /* the value column right of the bars */
#define SVG_LABEL_MAX 32              /* label characters shown, half each when grouped */
#define SVG_PLOT_H 300                /* height of the line plot */
#define SVG_AXIS_W 64                 /* y tick labels left of the line plot */
#define SVG_TICKS 5                   /* about this many ticks on a value axis */
#define SVG_BLUE "#4e79a7"
#define SVG_RED "#e15759"

/* ---- shape ---- */

/* Which columns a chart would use. */
struct shape {
	size_t label[2];   /* the first two label columns, in result order */
	size_t nlabels;
	size_t number;     /* the first number column */
	size_t nnumbers;
	int time;          /* the first column is a time axis */
};

static const char *cell(const struct dw_chart_data *d, size_t row, size_t col)
{
	return d->cells[row * d->ncols + col];
}

/* A finite number filling the whole of s. */
static int parse_number(const char *s, double *v)
{
	char *end;

	if (!s)
		return 0;
	*v = strtod(s, &end);
	return end != s && *end == '\0' && isfinite(*v);
}

static int digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The number in s[0..n) (all digits). */
static int number_at(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* What may follow the year: "", "-MM", "-MM-DD...", "-Qn", "-Www". */
static int is_time_suffix(int year, const char *s)
{
	size_t n = strlen(s);
	int v;

	if (n == 0)
		return 1;
	if (s[0] != '-' || n < 3)
		return 0;
	if ((s[1] == 'Q' || s[1] == 'q') && n == 3)
		return s[2] >= '1' && s[2] <= '4';
	if ((s[1] == 'W' || s[1] == 'w') && n == 4 && digits(s + 2, 2)) {
		v = number_at(s + 2, 2);
		return v >= 1 && v <= 53;
	}
	if (!digits(s + 1, 2) || (v = number_at(s + 1, 2)) < 1 || v > 12)
		return 0;
	if (n == 3)
		return 1;
	return n >= 6 && s[3] == '-' && digits(s + 4, 2) &&
	       (n == 6 || s[6] == ' ' || s[6] == 'T') &&
	       dw_date_valid(year, v, number_at(s + 4, 2));
}

int dw_chart_is_time_label(const char *s)
{
	int year;

	if (!s || strlen(s) < 4 || !digits(s, 4))
		return 0;
	year = number_at(s, 4);
	return year >= 1900 && year <= 2099 && is_time_suffix(year, s + 4);
}

/* Every value of the first column looks like a time and they ascend (ISO
 * forms sort as text), so a result ordered by time is recognised without
 * help while a list of codes that merely look like years usually is not. */
static int first_column_is_time(const struct dw_chart_data *d)
{
	const char *prev = NULL, *s;
	size_t i;

	for (i = 0; i < d->nrows; i++) {
		s = cell(d, i, 0);
		if (!s)
			continue;
		if (!dw_chart_is_time_label(s) || (prev && strcmp(prev, s) > 0))
			return 0;
		prev = s;
	}
	return prev != NULL;
}

static int is_label_column(const struct dw_chart_data *d, int time, size_t col)
{
	return (col == 0 && time) || d->kinds[col] != DW_OUT_NUMBER;
}

static void classify(const struct dw_chart_data *d, struct shape *s)
{
	size_t j;

	memset(s, 0, sizeof *s);
	s->time = d->ncols > 0 && (d->time_axis || first_column_is_time(d));
	for (j = 0; j < d->ncols; j++) {
		if (is_label_column(d, s->time, j)) {
			if (s->nlabels < 2)
				s->label[s->nlabels] = j;
			s->nlabels++;
		} else {
			if (s->nnumbers == 0)
				s->number = j;
			s->nnumbers++;
		}
	}
}

/* "'a', 'b', 'c', ..." for the label (labels 1) or number columns. */
static void list_columns(const struct dw_chart_data *d, const struct shape *s, int labels,
			 char *buf, size_t len)
{
	size_t j, used = 0, listed = 0;

	buf[0] = '\0';
	for (j = 0; j < d->ncols && used < len; j++) {
		if (is_label_column(d, s->time, j) != labels)
			continue;
		if (listed++ == 3) {
			snprintf(buf + used, len - used, ", ...");
			return;
		}
		used += (size_t)snprintf(buf + used, len - used, "%s'%s'",
					 listed > 1 ? ", " : "", d->names[j]);
	}
}

__attribute__((format(printf, 4, 5)))
static enum dw_chart_kind say(enum dw_chart_kind kind, char *why, size_t len,
			      const char *fmt, ...)
{
	va_list ap;

	if (len > 0) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return kind;
}

static int has_numbers(const struct dw_chart_data *d, size_t col)
{
	size_t i;
	double v;

	for (i = 0; i < d->nrows; i++)
		if (parse_number(cell(d, i, col), &v))
			return 1;
	return 0;
}

/* The reason no chart fits when there is not exactly one number column. */
static enum dw_chart_kind no_single_number(const struct dw_chart_data *d,
					   const struct shape *s, char *why, size_t len)
{
	char names[NAMES_BUF];

	list_columns(d, s, s->nnumbers == 0, names, sizeof names);
	if (s->nnumbers == 0)
		return say(DW_CHART_NONE, why, len,
			   "a chart needs a number column; this result has only label columns (%s)",
			   names);
	if (s->nlabels == 0)
		return say(DW_CHART_NONE, why, len,
			   "a chart needs one label column and one number column; this result "
			   "has %zu number columns (%s) and no label column", s->nnumbers, names);
	return say(DW_CHART_NONE, why, len,
		   "a chart shows one number column; this result has %zu (%s)", s->nnumbers,
		   names);
}

static enum dw_chart_kind choose(const struct dw_chart_data *d, const struct shape *s,
				 char *why, size_t len)
{
	const char *metric = d->ncols ? d->names[s->number] : "";
	char names[NAMES_BUF];

	if (d->nrows == 0)
		return say(DW_CHART_NONE, why, len, "the result has no rows");
	if (s->nnumbers != 1)
		return no_single_number(d, s, why, len);
	if (d->nrows == 1)
		return say(DW_CHART_NONE, why, len,
			   "the result is a single row; a chart needs at least two");
	if (s->nlabels == 0)
		return say(DW_CHART_NONE, why, len,
			   "a chart needs a label column next to the number column '%s'", metric);
	if (s->nlabels > 2) {
		list_columns(d, s, 1, names, sizeof names);
		return say(DW_CHART_NONE, why, len,
			   "a chart takes one or two label columns; this result has %zu (%s)",
			   s->nlabels, names);
	}
	if (!has_numbers(d, s->number))
		return say(DW_CHART_NONE, why, len, "column '%s' has no numeric values", metric);
	if (s->nlabels == 2)
		return say(DW_CHART_BAR, why, len, "grouped bar chart of '%s' by '%s' and '%s'",
			   metric, d->names[s->label[0]], d->names[s->label[1]]);
	if (s->time)
		return say(DW_CHART_LINE, why, len, "line chart of '%s' over '%s'", metric,
			   d->names[s->label[0]]);
	return say(DW_CHART_BAR, why, len, "bar chart of '%s' by '%s'", metric,
		   d->names[s->label[0]]);
}

enum dw_chart_kind dw_chart_choose(const struct dw_chart_data *d, char *why, size_t whylen)
{
	struct shape s;

	classify(d, &s);
	return choose(d, &s, why, whylen);
}

/* ---- the chart model ---- */

struct point {
	const char *group;   /* the first of two label columns; NULL with one */
	const char *label;   /* SQL NULL labels read "null" */
	const char *text;    /* the value as the result holds it */
	double value;
	int gap;             /* NULL or not a number */
};

struct chart {
	enum dw_chart_kind kind;
	const char *metric;    /* the number column's name */
	const char *axis[2];   /* label column names; axis[1] NULL with one */
	struct point *pts;
	size_t n;
	size_t left_out;       /* rows beyond DW_CHART_MAX_BARS */
	double lo, hi;         /* over the points that are not gaps */
};

static const char *label_text(const char *s)
{
	return s ? s : "null";
}

static void fill_points(struct chart *c, const struct dw_chart_data *d, const struct shape *s)
{
	struct point *p;
	size_t i;

	c->lo = HUGE_VAL;
	c->hi = -HUGE_VAL;
	for (i = 0; i < c->n; i++) {
		p = &c->pts[i];
		p->group = s->nlabels == 2 ? label_text(cell(d, i, s->label[0])) : NULL;
		p->label = label_text(cell(d, i, s->label[s->nlabels - 1]));
		p->text = cell(d, i, s->number);
		p->gap = !parse_number(p->text, &p->value);
		if (p->gap)
			continue;
		c->lo = fmin(c->lo, p->value);
		c->hi = fmax(c->hi, p->value);
	}
	if (c->lo > c->hi)   /* the values are all in rows a bar chart leaves out */
		c->lo = c->hi = 0;
}

/* Builds the chart for d; on failure err says why. Release with chart_free. */
static int chart_build(const struct dw_chart_data *d, struct chart *c, struct dw_err *err)
{
	char why[256];
	struct shape s;

	memset(c, 0, sizeof *c);
	classify(d, &s);
	c->kind = choose(d, &s, why, sizeof why);
	if (c->kind == DW_CHART_NONE) {
		dw_err_set(err, DW_EX_DATAERR, "no chart fits this result");
		dw_err_detail(err, "%s", why);
		return -1;
	}
	c->metric = d->names[s.number];
	c->axis[0] = d->names[s.label[0]];
	c->axis[1] = s.nlabels == 2 ? d->names[s.label[1]] : NULL;
	c->n = d->nrows;
	if (c->kind == DW_CHART_BAR && c->n > DW_CHART_MAX_BARS) {
		c->left_out = c->n - DW_CHART_MAX_BARS;
		c->n = DW_CHART_MAX_BARS;
	}
	c->pts = calloc(c->n, sizeof *c->pts);
	if (!c->pts)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	fill_points(c, d, &s);
	return 0;
}

static void chart_free(struct chart *c)
{
	free(c->pts);
}

static void default_title(const struct chart *c, char *buf, size_t len)
{
	if (c->axis[1])
		snprintf(buf, len, "%s by %s and %s", c->metric, c->axis[0], c->axis[1]);
	else
		snprintf(buf, len, "%s by %s", c->metric, c->axis[0]);
}

static int finish(FILE *fp, struct dw_err *err)
{
	int e = fflush(fp) != 0 ? errno : ferror(fp) ? EIO : 0;

	if (e)
		return dw_err_set(err, DW_EX_IOERR, "cannot write the chart: %s", strerror(e));
	return 0;
}

/* ---- numbers ---- */

char *dw_chart_compact(double v, char *buf, size_t len)
{
	static const char suffix[] = "kMBT";
	double s = v;
	size_t k;
	char *dot;

	if (fabs(v) < 999.5) {
		snprintf(buf, len, "%.3g", v);
		return buf;
	}
	/* The largest unit whose rounded figure stays below 1000 ("1M", not "1000k"). */
	for (k = 0; k < sizeof suffix - 1; k++) {
		s = v / pow(1000, (double)k + 1);
		if (fabs(s) < 999.5)
			break;
	}
	if (k == sizeof suffix - 1)
		k--;
	snprintf(buf, len, "%.*f", fabs(s) < 99.95 ? 1 : 0, s);
	dot = strstr(buf, ".0");
	if (dot && dot[2] == '\0')
		*dot = '\0';
	snprintf(buf + strlen(buf), len - strlen(buf), "%c", suffix[k]);
	return buf;
}

/* Tick positions: multiples of a 1, 2 or 5 step covering lo..hi. */
struct ticks {
	double step;
	long first, count;   /* ticks are (first + i) * step, i < count */
};

static void nice_ticks(double lo, double hi, int want, struct ticks *t)
{
	double raw, mag, f;

	if (hi <= lo) {
		double pad = lo == 0 ? 1 : fabs(lo) / 10;
		lo -= pad;
		hi += pad;
	}
	raw = (hi - lo) / want;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	t->step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
	t->first = lround(floor(lo / t->step));
	t->count = lround(ceil(hi / t->step)) - t->first + 1;
}

static double tick_value(const struct ticks *t, long i)
{
	return (double)(t->first + i) * t->step;
}

/* ---- text ---- */

struct glyphs {
	int utf8;
	const char *vaxis, *tick, *corner, *haxis, *ellipsis;
	const char *level[LEVELS];   /* from an eighth to a full cell; level[7] is a bar */
};

static const struct glyphs utf8_glyphs = {
	1, "\u2502", "\u2524", "\u2514", "\u2500", "\u2026",
	{ "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" },
};

static const struct glyphs ascii_glyphs = {
	0, "|", "+", "+", "-", "~",
	{ ".", ":", "-", "=", "+", "*", "%", "#" },
};

/* Length of the UTF-8 character at s (s[0] != 0); 0 when it is invalid or
 * a noncharacter XML refuses. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	n = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3 :
	    s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	if (n == 0)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) ||
	    (s[0] == 0xed && s[1] > 0x9f) || (s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

/* C0, DEL and C1 controls: shown raw they would steer the terminal. */
static int is_control(const unsigned char *s)
{
	return s[0] < 0x20 || s[0] == 0x7f || (s[0] == 0xc2 && s[1] < 0xa0);
}

/* Copies the character at s into out as it may be shown ('?' for invalid
 * UTF-8, controls and, without utf8, anything not ASCII), sets *w to its
 * display width and returns the bytes consumed. */
static size_t next_char(const char *s, int utf8, char out[5], size_t *w)
{
	size_t n = utf8_len((const unsigned char *)s);

	if (n == 0 || is_control((const unsigned char *)s) || (n > 1 && !utf8)) {
		strcpy(out, "?");
		*w = 1;
		return n ? n : 1;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	*w = dw_out_width(out);
	return n;
}

static size_t shown_width(const char *s, int utf8)
{
	size_t total = 0, w;
	char ch[5];

	while (*s) {
		s += next_char(s, utf8, ch, &w);
		total += w;
	}
	return total;
}

/* Writes s as shown into buf (TEXT_BUF bytes), cut with an ellipsis to at
 * most maxw columns (and TEXT_MAX). Returns its display width. */
static size_t fit_text(const char *s, size_t maxw, const struct glyphs *g, char *buf)
{
	size_t total = shown_width(s, g->utf8), budget, used = 0, len = 0, n, w;
	char ch[5];

	maxw = maxw < TEXT_MAX ? maxw : TEXT_MAX;
	budget = total <= maxw || maxw == 0 ? maxw : maxw - 1;
	/* The byte limit only bites on long runs of zero-width characters. */
	while (*s) {
		n = next_char(s, g->utf8, ch, &w);
		if (used + w > budget || len + strlen(ch) > TEXT_BUF - sizeof "\u2026")
			break;
		memcpy(buf + len, ch, strlen(ch));
		len += strlen(ch);
		used += w;
		s += n;
	}
	if (*s && used < maxw) {
		memcpy(buf + len, g->ellipsis, strlen(g->ellipsis));
		len += strlen(g->ellipsis);
		used++;
	}
	buf[len] = '\0';
	return used;
}

/* ---- terminal ---- */

struct term {
	FILE *fp;
	size_t width;
	const struct glyphs *g;
};

static void put_repeat(FILE *fp, const char *s, size_t n)
{
	while (n-- > 0)
		fputs(s, fp);
}

/* Writes s fitted to w columns, padded with spaces after it (right 0) or
 * before it (right 1). */
static void put_cell(const struct term *t, const char *s, size_t w, int right)
{
	char buf[TEXT_BUF];
	size_t sw = fit_text(s, w, t->g, buf);

	if (right)
		put_repeat(t->fp, " ", w - sw);
	fputs(buf, t->fp);
	if (!right)
		put_repeat(t->fp, " ", w - sw);
}

static void put_line(const struct term *t, const char *s)
{
	char buf[TEXT_BUF];

	fit_text(s, t->width, t->g, buf);
	fprintf(t->fp, "%s\n", buf);
}

static void put_title(const struct term *t, const struct chart *c)
{
	char title[TEXT_BUF];

	default_title(c, title, sizeof title);
	put_line(t, title);
}

/* Column widths of a bar chart row:
 * [group ' '] label ' ' negative-bars axis positive-bars ' ' value */
struct bar_layout {
	size_t group_w, label_w, value_w;
	size_t neg_w, pos_w;   /* cells left and right of the zero axis */
	double span;           /* the value range neg_w + pos_w cells stand for */
};

static const char *value_text(const struct point *p, char *buf, size_t len)
{
	return p->gap ? "null" : dw_chart_compact(p->value, buf, len);
}

static size_t widest(const struct term *t, const struct chart *c, int group, size_t cap)
{
	char buf[TEXT_BUF];
	size_t i, w, max = 0;

	for (i = 0; i < c->n; i++) {
		w = fit_text(group ? c->pts[i].group : c->pts[i].label, cap, t->g, buf);
		max = w > max ? w : max;
	}
	return max;
}

static size_t widest_value(const struct chart *c)
{
	char buf[32];
	size_t i, w, max = 0;

	for (i = 0; i < c->n; i++) {
		w = strlen(value_text(&c->pts[i], buf, sizeof buf));
		max = w > max ? w : max;
	}
	return max;
}

static void bar_layout(const struct term *t, const struct chart *c, struct bar_layout *l)
{
	size_t cap = c->axis[1] ? t->width / 5 : t->width / 3, bars;
	double neg = fmax(0, -c->lo), pos = fmax(0, c->hi);

	l->group_w = c->axis[1] ? widest(t, c, 1, cap) : 0;
	l->label_w = widest(t, c, 0, cap);
	l->value_w = widest_value(c);
	bars = t->width - 3 - l->label_w - l->value_w - (l->group_w ? l->group_w + 1 : 0);
	l->span = neg + pos > 0 ? neg + pos : 1;
	l->neg_w = (size_t)lround(neg / l->span * (double)bars);
	l->pos_w = bars - l->neg_w;
}

static size_t bar_cells(const struct bar_layout *l, double v, size_t side)
{
	size_t n = (size_t)lround(fabs(v) / l->span * (double)(l->neg_w + l->pos_w));

	return n < side ? n : side;
}

static void put_bar_row(const struct term *t, const struct bar_layout *l,
			const struct point *p, const struct point *prev)
{
	const char *full = t->g->level[LEVELS - 1];
	size_t neg = !p->gap && p->value < 0 ? bar_cells(l, p->value, l->neg_w) : 0;
	size_t pos = !p->gap && p->value > 0 ? bar_cells(l, p->value, l->pos_w) : 0;
	int new_group = p->group && (!prev || strcmp(p->group, prev->group) != 0);
	char buf[32];

	if (l->group_w) {
		put_cell(t, new_group ? p->group : "", l->group_w, 0);
		fputc(' ', t->fp);
	}
	put_cell(t, p->label, l->label_w, 0);
	fputc(' ', t->fp);
	put_repeat(t->fp, " ", l->neg_w - neg);
	put_repeat(t->fp, full, neg);
	fputs(t->g->vaxis, t->fp);
	put_repeat(t->fp, full, pos);
	put_repeat(t->fp, " ", l->pos_w - pos + 1);
	put_cell(t, value_text(p, buf, sizeof buf), l->value_w, 1);
	fputc('\n', t->fp);
}

static void term_bars(const struct term *t, const struct chart *c)
{
	struct bar_layout l;
	char note[64];
	size_t i;

	put_title(t, c);
	bar_layout(t, c, &l);
	for (i = 0; i < c->n; i++)
		put_bar_row(t, &l, &c->pts[i], i ? &c->pts[i - 1] : NULL);
	if (c->left_out) {
		snprintf(note, sizeof note, "%s %zu more rows not shown", t->g->ellipsis,
			 c->left_out);
		put_line(t, note);
	}
}

/* A column of a line plot: the mean of the points it covers. */
struct sample {
	double v;
	int gap;   /* every point it covers is a gap */
};

/* Spreads the points over ncols columns: several points to a column when
 * there are more points than columns, several columns to a point when fewer. */
static void resample(const struct chart *c, struct sample *out, size_t ncols)
{
	size_t col, i, start, end, k;
	double sum;

	for (col = 0; col < ncols; col++) {
		start = col * c->n / ncols;
		end = (col + 1) * c->n / ncols;
		end = end > start ? end : start + 1;
		for (sum = 0, k = 0, i = start; i < end; i++)
			if (!c->pts[i].gap) {
				sum += c->pts[i].value;
				k++;
			}
		out[col].gap = k == 0;
		out[col].v = k ? sum / (double)k : 0;
	}
}

/* Height of v in eighths of a cell, 1..rows*8 (mid-height for a flat line). */
static long eighths(const struct chart *c, double v, long rows)
{
	if (c->hi <= c->lo)
		return rows * LEVELS / 2;
	return 1 + lround((v - c->lo) / (c->hi - c->lo) * (double)(rows * LEVELS - 1));
}

static void put_sparkline(const struct term *t, const struct chart *c, struct sample *s)
{
	size_t ncols = c->n < t->width ? c->n : t->width, i;

	resample(c, s, ncols);
	for (i = 0; i < ncols; i++)
		fputs(s[i].gap ? " " : t->g->level[eighths(c, s[i].v, 1) - 1], t->fp);
	fputc('\n', t->fp);
}

/* The glyph of plot row r (0 at the top) for a column h eighths high. */
static const char *plot_cell(const struct term *t, long h, long r)
{
	long base = (PLOT_ROWS - 1 - r) * LEVELS;

	if (h >= base + LEVELS)
		return t->g->level[LEVELS - 1];
	return h > base ? t->g->level[h - base - 1] : " ";
}

static void put_plot_row(const struct term *t, const struct chart *c, const struct sample *s,
			 size_t ncols, long r)
{
	size_t i, last = 0;
	long h;

	for (i = 0; i < ncols; i++)
		if (!s[i].gap && plot_cell(t, eighths(c, s[i].v, PLOT_ROWS), r)[0] != ' ')
			last = i + 1;
	for (i = 0; i < last; i++) {
		h = s[i].gap ? 0 : eighths(c, s[i].v, PLOT_ROWS);
		fputs(plot_cell(t, h, r), t->fp);
	}
	fputc('\n', t->fp);
}

/* The first and last labels under the plot, the last one ending under the
 * last column (or further right when both would not fit under the plot). */
static void put_x_labels(const struct term *t, const struct chart *c, size_t gutter,
			 size_t ncols)
{
	size_t room = t->width - gutter, cap = (room - 1) / 2, fw, lw, end;
	char first[TEXT_BUF], last[TEXT_BUF];

	fw = fit_text(c->pts[0].label, cap, t->g, first);
	lw = fit_text(c->pts[c->n - 1].label, cap, t->g, last);
	end = fw + 1 + lw > ncols ? fw + 1 + lw : ncols;
	put_repeat(t->fp, " ", gutter);
	fprintf(t->fp, "%s", first);
	put_repeat(t->fp, " ", end - fw - lw);
	fprintf(t->fp, "%s\n", last);
}

static void put_plot(const struct term *t, const struct chart *c, struct sample *s)
{
	char hi[32], lo[32];
	size_t yw, room, ncols;
	long r;

	dw_chart_compact(c->hi, hi, sizeof hi);
	dw_chart_compact(c->lo, lo, sizeof lo);
	yw = strlen(hi) > strlen(lo) ? strlen(hi) : strlen(lo);
	room = t->width - yw - 2;
	ncols = c->n > room ? room : c->n * (room / c->n < PLOT_STRETCH ? room / c->n : PLOT_STRETCH);
	resample(c, s, ncols);
	for (r = 0; r < PLOT_ROWS; r++) {
		put_cell(t, r == 0 ? hi : r == PLOT_ROWS - 1 ? lo : "", yw, 1);
		fprintf(t->fp, " %s", r == 0 || r == PLOT_ROWS - 1 ? t->g->tick : t->g->vaxis);
		put_plot_row(t, c, s, ncols, r);
	}
	put_repeat(t->fp, " ", yw + 1);
	fputs(t->g->corner, t->fp);
	put_repeat(t->fp, t->g->haxis, ncols);
	fputc('\n', t->fp);
	put_x_labels(t, c, yw + 2, ncols);
}

static int term_line(const struct term *t, const struct chart *c, struct dw_err *err)
{
	struct sample *s = calloc(c->n > t->width ? c->n : t->width, sizeof *s);

	if (!s)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	put_title(t, c);
	put_sparkline(t, c, s);
	put_plot(t, c, s);
	free(s);
	return 0;
}

int dw_chart_terminal(const struct dw_chart_data *d, FILE *fp, int width, int utf8,
		      struct dw_err *err)
{
	struct term t = { fp, width > 0 ? (size_t)width : DEFAULT_WIDTH,
			  utf8 ? &utf8_glyphs : &ascii_glyphs };
	struct chart c;
	int rc = 0;

	if (t.width < DW_CHART_MIN_WIDTH)
		t.width = DW_CHART_MIN_WIDTH;
	if (chart_build(d, &c, err) < 0) {
		chart_free(&c);
		return -1;
	}
	if (c.kind == DW_CHART_BAR)
		term_bars(&t, &c);
	else
		rc = term_line(&t, &c, err);
	chart_free(&c);
	return rc < 0 ? rc : finish(fp, err);
}

/* ---- SVG ---- */

/* s as XML text or attribute content: valid UTF-8 without control
 * characters, escaped, cut to maxw characters. */
static void svg_text(FILE *fp, const char *s, size_t maxw)
{
	char buf[TEXT_BUF];

	fit_text(s, maxw, &utf8_glyphs, buf);
	dw_text_xml(fp, buf);
}

/* <text> at x, y with an anchor (start, middle, end). */
static void svg_label(FILE *fp, double x, double y, const char *anchor, const char *s,
		      size_t maxw)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y, anchor);
	svg_text(fp, s, maxw);
	fputs("</text>\n", fp);
}

/* A hover text: "label: value as the result holds it". */
static void svg_tooltip(FILE *fp, const struct point *p)
{
	fputs("<title>", fp);
	if (p->group) {
		svg_text(fp, p->group, TEXT_MAX);
		fputs(", ", fp);
	}
	svg_text(fp, p->label, TEXT_MAX);
	fputs(": ", fp);
	svg_text(fp, p->text, TEXT_MAX);
	fputs("</title>", fp);
}

static void svg_line_el(FILE *fp, double x1, double y1, double x2, double y2, const char *color)
{
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
		x1, y1, x2, y2, color);
}

/* The <svg> element's start, with its title as a tooltip and at the top. */
static void svg_start(FILE *fp, const char *title, int height)
{
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n<title>",
		SVG_W, height, SVG_W, height);
	svg_text(fp, title, TEXT_MAX);
	fprintf(fp, "</title>\n<text x=\"%d\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" "
		"font-weight=\"bold\">", SVG_W / 2);
	svg_text(fp, title, 100);
	fputs("</text>\n", fp);
}

static void svg_open(FILE *fp, const struct chart *c, const char *title, int height)
{
	char fallback[TEXT_BUF];

	if (!title) {
		default_title(c, fallback, sizeof fallback);
		title = fallback;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	svg_start(fp, title, height);
}

/* Geometry of the bar chart: x of a value, from the ticks' range. */
struct svg_bars {
	struct ticks t;
	double x0, x1;        /* the bar area */
	double label_x;       /* where labels end */
	size_t label_cap;     /* characters of one label column */
	double bottom;        /* below the last bar */
};

static double bars_x(const struct svg_bars *b, double v)
{
	double lo = tick_value(&b->t, 0), hi = tick_value(&b->t, b->t.count - 1);

	return b->x0 + (v - lo) / (hi - lo) * (b->x1 - b->x0);
}

static void svg_bars_layout(const struct chart *c, struct svg_bars *b)
{
	struct term est = { NULL, SVG_LABEL_MAX, &utf8_glyphs };
	double chars;

	b->label_cap = c->axis[1] ? SVG_LABEL_MAX / 2 : SVG_LABEL_MAX;
	chars = (double)widest(&est, c, 0, b->label_cap);
	if (c->axis[1])
		chars += 2 + (double)widest(&est, c, 1, b->label_cap);
	b->label_x = fmin(SVG_PAD + chars * SVG_CHAR_W, SVG_W / 3.0);
	b->x0 = b->label_x + 8;
	b->x1 = SVG_W - SVG_PAD - SVG_VALUE_W;
	b->bottom = SVG_TOP + (double)c->n * SVG_ROW;
	nice_ticks(fmin(0, c->lo), fmax(0, c->hi), SVG_TICKS, &b->t);
}

static void svg_bar_axis(FILE *fp, const struct svg_bars *b)
{
	char buf[32];
	double x;
	long i;

	for (i = 0; i < b->t.count; i++) {
		x = bars_x(b, tick_value(&b->t, i));
		svg_line_el(fp, x, SVG_TOP - 4, x, b->bottom, "#ddd");
		svg_label(fp, x, b->bottom + 16, "middle",
			  dw_chart_compact(tick_value(&b->t, i), buf, sizeof buf), TEXT_MAX);
	}
	svg_line_el(fp, bars_x(b, 0), SVG_TOP - 4, bars_x(b, 0), b->bottom, "#333");
}

static void svg_bar(FILE *fp, const struct svg_bars *b, const struct point *p,
		    const struct point *prev, double y)
{
	double x0 = bars_x(b, 0), x = bars_x(b, p->gap ? 0 : p->value);
	char buf[32];

	if (p->group && (!prev || strcmp(p->group, prev->group) != 0))
		svg_label(fp, SVG_PAD, y + 12, "start", p->group, b->label_cap);
	svg_label(fp, b->label_x, y + 12, "end", p->label, b->label_cap);
	if (!p->gap) {
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\">",
			fmin(x, x0), y, fabs(x - x0), SVG_BAR, p->value < 0 ? SVG_RED : SVG_BLUE);
		svg_tooltip(fp, p);
		fputs("</rect>\n", fp);
	}
	svg_label(fp, SVG_W - SVG_PAD, y + 12, "end", value_text(p, buf, sizeof buf), TEXT_MAX);
}

static void svg_bars(FILE *fp, const struct chart *c, const char *title)
{
	struct svg_bars b;
	char note[64];
	size_t i;

	svg_bars_layout(c, &b);
	svg_open(fp, c, title, (int)b.bottom + (c->left_out ? 52 : 32));
	svg_bar_axis(fp, &b);
	for (i = 0; i < c->n; i++)
		svg_bar(fp, &b, &c->pts[i], i ? &c->pts[i - 1] : NULL,
			SVG_TOP + (double)i * SVG_ROW + (SVG_ROW - SVG_BAR) / 2.0);
	if (c->left_out) {
		snprintf(note, sizeof note, "\u2026 %zu more rows not shown", c->left_out);
		svg_label(fp, SVG_PAD, b.bottom + 40, "start", note, TEXT_MAX);
	}
	fputs("</svg>\n", fp);
}

/* Geometry of the line chart. */
struct svg_plot {
	struct ticks t;
	double x0, x1, top, bottom;
	size_t n;
};

static double plot_x(const struct svg_plot *p, size_t i)
{
	return p->x0 + (p->x1 - p->x0) * (double)i / (double)(p->n - 1);
}

static double plot_y(const struct svg_plot *p, double v)
{
	double lo = tick_value(&p->t, 0), hi = tick_value(&p->t, p->t.count - 1);

	return p->bottom - (v - lo) / (hi - lo) * (p->bottom - p->top);
}

static void svg_y_axis(FILE *fp, const struct svg_plot *p)
{
	char buf[32];
	double y;
	long i;

	for (i = 0; i < p->t.count; i++) {
		y = plot_y(p, tick_value(&p->t, i));
		svg_line_el(fp, p->x0, y, p->x1, y, "#ddd");
		svg_label(fp, p->x0 - 6, y + 4, "end",
			  dw_chart_compact(tick_value(&p->t, i), buf, sizeof buf), TEXT_MAX);
	}
	svg_line_el(fp, p->x0, p->top, p->x0, p->bottom, "#333");
	svg_line_el(fp, p->x0, p->bottom, p->x1, p->bottom, "#333");
}

/* Labels under the plot, as many as fit side by side, the first and last
 * always. */
static void svg_x_axis(FILE *fp, const struct chart *c, const struct svg_plot *p)
{
	struct term est = { NULL, SVG_LABEL_MAX, &utf8_glyphs };
	double room = (double)widest(&est, c, 0, SVG_LABEL_MAX) * SVG_CHAR_W + 12;
	size_t step = (size_t)ceil(room * (double)(c->n - 1) / (p->x1 - p->x0)), i;

	step = step ? step : 1;
	for (i = 0; i < c->n; i++) {
		if (i != c->n - 1 && (i % step != 0 || c->n - 1 - i < step))
			continue;
		svg_line_el(fp, plot_x(p, i), p->bottom, plot_x(p, i), p->bottom + 4, "#333");
		svg_label(fp, plot_x(p, i), p->bottom + 18, "middle", c->pts[i].label, SVG_LABEL_MAX);
	}
}

/* One polyline for each run of points without a gap. */
static void svg_polylines(FILE *fp, const struct chart *c, const struct svg_plot *p)
{
	size_t i;
	int open = 0;

	for (i = 0; i < c->n; i++) {
		if (c->pts[i].gap) {
			if (open)
				fputs("\"/>\n", fp);
			open = 0;
			continue;
		}
		if (!open)
			fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
				"points=\"", SVG_BLUE);
		fprintf(fp, "%s%.1f,%.1f", open ? " " : "", plot_x(p, i),
			plot_y(p, c->pts[i].value));
		open = 1;
	}
	if (open)
		fputs("\"/>\n", fp);
}

static void svg_markers(FILE *fp, const struct chart *c, const struct svg_plot *p)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (c->pts[i].gap)
			continue;
		fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\">", plot_x(p, i),
			plot_y(p, c->pts[i].value), c->n <= 60 ? "3" : "1.5", SVG_BLUE);
		svg_tooltip(fp, &c->pts[i]);
		fputs("</circle>\n", fp);
	}
}

static void svg_line(FILE *fp, const struct chart *c, const char *title)
{
	struct svg_plot p = { .x0 = SVG_PAD + SVG_AXIS_W, .x1 = SVG_W - SVG_PAD - 20,
			      .top = SVG_TOP, .bottom = SVG_TOP + SVG_PLOT_H, .n = c->n };

	nice_ticks(c->lo, c->hi, SVG_TICKS, &p.t);
	svg_open(fp, c, title, (int)p.bottom + 36);
	svg_y_axis(fp, &p);
	svg_x_axis(fp, c, &p);
	svg_polylines(fp, c, &p);
	svg_markers(fp, c, &p);
	fputs("</svg>\n", fp);
}

int dw_chart_svg(const struct dw_chart_data *d, FILE *fp, const char *title,
		 struct dw_err *err)
{
	struct chart c;

	if (chart_build(d, &c, err) < 0) {
		chart_free(&c);
		return -1;
	}
	if (c.kind == DW_CHART_BAR)
		svg_bars(fp, &c, title);
	else
		svg_line(fp, &c, title);
	chart_free(&c);
	return finish(fp, err);
}

/* ---- SVG time series ---- */

#define SVG_SERIES_TOP (SVG_TOP + 24)   /* below the legend */
#define SVG_TIME_TICKS 8                /* fewer times than this under the plot */
#define SVG_MARKERS_MAX 120             /* more points are drawn without markers */
#define SVG_HIGH "#e15759"
#define SVG_LOW "#f28e2b"
#define SVG_SHADE 0.25                  /* opacity of the spans */
#define SVG_BAND 0.2                    /* opacity of the forecast's interval */

/* Geometry of a time series chart: the line chart's value axis, times
 * across from t0 to t1. */
struct svg_times {
	struct svg_plot p;
	long long t0, t1;
};

static double time_x(const struct svg_times *g, long long t)
{
	t = t < g->t0 ? g->t0 : t > g->t1 ? g->t1 : t;
	return g->p.x0 + (g->p.x1 - g->p.x0) * (double)(t - g->t0) / (double)(g->t1 - g->t0);
}

/* Values from 0 (or below), over the points and the forecast's interval. */
static void times_layout(const struct dw_chart_series *s, struct svg_times *g)
{
	double lo = 0, hi = 0;
	size_t i;

	for (i = 0; i < s->n; i++) {
		lo = fmin(lo, s->v[i]);
		hi = fmax(hi, s->v[i]);
	}
	for (i = 0; i < s->nband; i++) {
		lo = fmin(lo, s->band[i].lo);
		hi = fmax(hi, s->band[i].hi);
	}
	g->p = (struct svg_plot){ .x0 = SVG_PAD + SVG_AXIS_W, .x1 = SVG_W - SVG_PAD - 20,
				  .top = SVG_SERIES_TOP, .bottom = SVG_SERIES_TOP + SVG_PLOT_H };
	nice_ticks(lo, hi, SVG_TICKS, &g->p.t);
	g->t0 = s->t[0];
	g->t1 = s->until ? s->until : s->nband ? s->band[s->nband - 1].t : s->t[s->n - 1];
	if (g->t1 <= g->t0) {   /* one point: a minute around it */
		g->t0 -= 30;
		g->t1 = g->t0 + 60;
	}
}

/* Seconds between the times under the plot: a round step giving fewer than
 * SVG_TIME_TICKS of them, whole weeks past a week. */
static long long time_step(long long range)
{
	static const long long steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
					   3600, 7200, 10800, 21600, 43200, 86400, 172800 };
	size_t i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (range / steps[i] < SVG_TIME_TICKS)
			return steps[i];
	return (range / SVG_TIME_TICKS / 604800 + 1) * 604800;
}

/* t (UTC) in strftime's fmt. */
static const char *utc(long long t, const char *fmt, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, fmt, &tm);
	return buf;
}

/* The times under the plot: of day within two days (the date below, once),
 * else the date, with the time unless the step is whole days. */
static void svg_time_axis(FILE *fp, const struct svg_times *g)
{
	long long range = g->t1 - g->t0, step = time_step(range), t;
	const char *fmt = step % 86400 == 0 ? "%Y-%m-%d" : range > 2 * 86400 ? "%m-%d %H:%M" :
			  step < 60 ? "%H:%M:%S" : "%H:%M";
	char buf[32];
	double x;

	for (t = (g->t0 + step - 1) / step * step; t <= g->t1; t += step) {
		x = time_x(g, t);
		svg_line_el(fp, x, g->p.bottom, x, g->p.bottom + 4, "#333");
		utc(t, fmt, buf, sizeof buf);
		svg_label(fp, x, g->p.bottom + 18, "middle", buf, TEXT_MAX);
	}
	utc(g->t0, range > 2 * 86400 ? "UTC" : "%Y-%m-%d UTC", buf, sizeof buf);
	svg_label(fp, g->p.x0, g->p.bottom + 36, "start", buf, TEXT_MAX);
}

/* A key of the legend at x: a swatch and its text. Returns where the next
 * one goes. */
static double svg_key(FILE *fp, double x, const char *color, double opacity, double h,
		      const char *text)
{
	fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"%.1f\" fill=\"%s\" "
		"fill-opacity=\"%.2f\"/>\n", x, SVG_TOP + 6 - h / 2, h, color, opacity);
	svg_label(fp, x + 20, SVG_TOP + 10, "start", text, SVG_LABEL_MAX);
	return x + 36 + (double)shown_width(text, 1) * SVG_CHAR_W;
}

static void svg_legend(FILE *fp, const struct dw_chart_series *s, const struct svg_times *g)
{
	double x = svg_key(fp, g->p.x0, SVG_BLUE, 1, 3, s->metric);
	int strong = 0, weak = 0;
	size_t i;

	for (i = 0; i < s->nspans; i++) {
		strong |= s->spans[i].strong;
		weak |= !s->spans[i].strong;
	}
	if (s->nband)
		x = svg_key(fp, x, SVG_BLUE, SVG_BAND, 10, "forecast, 95% interval");
	if (strong)
		x = svg_key(fp, x, SVG_HIGH, SVG_SHADE, 10, "high anomaly");
	if (weak)
		svg_key(fp, x, SVG_LOW, SVG_SHADE, 10, "low anomaly");
}

/* Each span shaded the plot's height, at least 4 wide, with its text to hover. */
static void svg_spans(FILE *fp, const struct dw_chart_series *s, const struct svg_times *g)
{
	const struct dw_chart_span *sp;
	double x0, x1;
	size_t i;

	for (i = 0; i < s->nspans; i++) {
		sp = &s->spans[i];
		if (sp->t1 < g->t0 || sp->t0 > g->t1)
			continue;
		x0 = time_x(g, sp->t0);
		x1 = fmax(time_x(g, sp->t1), x0 + 4);
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			"fill=\"%s\" fill-opacity=\"%.2f\"><title>", x0, g->p.top, x1 - x0,
			g->p.bottom - g->p.top, sp->strong ? SVG_HIGH : SVG_LOW, SVG_SHADE);
		svg_text(fp, sp->label, TEXT_MAX);
		fputs("</title></rect>\n", fp);
	}
}

/* A point with its time and value to hover: "2026-12-04 10:00:00: 12 calls". */
static void svg_dot(FILE *fp, const struct svg_times *g, long long t, double v, double r,
		    const char *what)
{
	char when[32];

	fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"><title>%s: %.6g ",
		time_x(g, t), plot_y(&g->p, v), r, SVG_BLUE,
		utc(t, "%Y-%m-%d %H:%M:%S", when, sizeof when), v);
	svg_text(fp, what, TEXT_MAX);
	fputs("</title></circle>\n", fp);
}

/* The forecast: its interval as one area widening from the last point, its
 * values a dashed line on from there. */
static void svg_band(FILE *fp, const struct dw_chart_series *s, const struct svg_times *g)
{
	double lx = time_x(g, s->t[s->n - 1]), ly = plot_y(&g->p, s->v[s->n - 1]);
	size_t i;

	svg_line_el(fp, lx, g->p.top, lx, g->p.bottom, "#bbb");
	fprintf(fp, "<polygon fill=\"%s\" fill-opacity=\"%.2f\" points=\"%.1f,%.1f", SVG_BLUE,
		SVG_BAND, lx, ly);
	for (i = 0; i < s->nband; i++)
		fprintf(fp, " %.1f,%.1f", time_x(g, s->band[i].t), plot_y(&g->p, s->band[i].hi));
	for (i = s->nband; i-- > 0;)
		fprintf(fp, " %.1f,%.1f", time_x(g, s->band[i].t), plot_y(&g->p, s->band[i].lo));
	fprintf(fp, "\"/>\n<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
		"stroke-dasharray=\"6 4\" points=\"%.1f,%.1f", SVG_BLUE, lx, ly);
	for (i = 0; i < s->nband; i++)
		fprintf(fp, " %.1f,%.1f", time_x(g, s->band[i].t), plot_y(&g->p, s->band[i].point));
	fputs("\"/>\n", fp);
	for (i = 0; i < s->nband && s->nband <= SVG_MARKERS_MAX; i++)
		svg_dot(fp, g, s->band[i].t, s->band[i].point, 1.5, "forecast");
}

static void svg_values(FILE *fp, const struct dw_chart_series *s, const struct svg_times *g)
{
	size_t i;

	fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", SVG_BLUE);
	for (i = 0; i < s->n; i++)
		fprintf(fp, "%s%.1f,%.1f", i ? " " : "", time_x(g, s->t[i]),
			plot_y(&g->p, s->v[i]));
	fputs("\"/>\n", fp);
	for (i = 0; i < s->n && s->n <= SVG_MARKERS_MAX; i++)
		svg_dot(fp, g, s->t[i], s->v[i], s->n <= 60 ? 3 : 1.5, s->metric);
}

int dw_chart_svg_series(const struct dw_chart_series *s, FILE *fp, struct dw_err *err)
{
	struct svg_times g;

	if (s->n == 0)
		return dw_err_set(err, DW_EX_DATAERR, "no points to chart");
	times_layout(s, &g);
	svg_start(fp, s->title, (int)g.p.bottom + 44);
	svg_legend(fp, s, &g);
	svg_spans(fp, s, &g);
	svg_y_axis(fp, &g.p);
	svg_time_axis(fp, &g);
	if (s->nband)
		svg_band(fp, s, &g);
	svg_values(fp, s, &g);
	fputs("</svg>\n", fp);
	return finish(fp, err);
}
