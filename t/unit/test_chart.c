/* Unit tests for lib/chart.c: choosing a chart from a result's shape and
 * the reason when none fits, terminal bars (proportions, negative values,
 * the row cap, groups), sparklines and the line plot, ASCII mode, label
 * sanitising, and SVG output (well-formed, escaped, one <rect> per bar, one
 * polyline point per row), and the time series of dw-tune report (forecast
 * band, shaded spans, times across in UTC). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define T DW_OUT_TEXT
#define NUM DW_OUT_NUMBER

/* ---- helpers ---- */

static struct dw_chart_data data(size_t ncols, const char *const *names,
				 const enum dw_out_kind *kinds, size_t nrows,
				 const char *const *cells)
{
	struct dw_chart_data d = { ncols, nrows, names, kinds, cells, 0 };

	return d;
}

/* Bar chart data: one text label column "label" and a number column "value". */
static struct dw_chart_data bars(size_t nrows, const char *const *cells)
{
	static const char *const names[] = { "label", "value" };
	static const enum dw_out_kind kinds[] = { T, NUM };

	return data(2, names, kinds, nrows, cells);
}

/* Line chart data: a time column "month" and a number column "revenue". */
static struct dw_chart_data series(size_t nrows, const char *const *cells)
{
	static const char *const names[] = { "month", "revenue" };
	static const enum dw_out_kind kinds[] = { T, NUM };
	struct dw_chart_data d = data(2, names, kinds, nrows, cells);

	d.time_axis = 1;
	return d;
}

/* The terminal chart of d; the caller frees it. */
static char *draw(const struct dw_chart_data *d, int width, int utf8)
{
	struct dw_err err = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(dw_chart_terminal(d, fp, width, utf8, &err), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* The SVG document of d; the caller frees it. */
static char *svg(const struct dw_chart_data *d, const char *title)
{
	struct dw_err err = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(dw_chart_svg(d, fp, title, &err), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* Line i (0-based) of text without its newline; the caller frees it. */
static char *line(const char *text, size_t i)
{
	const char *end;

	while (i-- > 0) {
		text = strchr(text, '\n');
		assert_non_null(text);
		text++;
	}
	end = strchr(text, '\n');
	assert_non_null(end);
	return strndup(text, (size_t)(end - text));
}

static size_t count_lines(const char *text)
{
	size_t n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

/* Asserts that every line of text is at most width columns wide. */
static void assert_fits(const char *text, size_t width)
{
	size_t i, n = count_lines(text);
	char *l;

	for (i = 0; i < n; i++) {
		l = line(text, i);
		if (dw_out_width(l) > width)
			fail_msg("line %zu is %zu columns wide, more than %zu: '%s'", i,
				 dw_out_width(l), width, l);
		free(l);
	}
}

static void assert_ascii(const char *text)
{
	for (; *text; text++)
		if ((unsigned char)*text >= 0x80)
			fail_msg("byte 0x%02x in ASCII output", (unsigned char)*text);
}

#define assert_choice(d, kind, reason)                                          \
	do {                                                                    \
		char why_[256];                                                 \
		assert_int_equal(dw_chart_choose((d), why_, sizeof why_), (kind)); \
		assert_string_equal(why_, (reason));                            \
	} while (0)

/* ---- choosing ---- */

static void test_choose_bar(void **state)
{
	static const char *const cells[] = { "Furniture", "1200", "Technology", "-50" };
	struct dw_chart_data d = bars(2, cells);

	assert_choice(&d, DW_CHART_BAR, "bar chart of 'value' by 'label'");
}

static void test_choose_bar_label_after_number(void **state)
{
	static const char *const names[] = { "profit", "region" };
	static const enum dw_out_kind kinds[] = { NUM, T };
	static const char *const cells[] = { "1", "East", "2", "West" };
	struct dw_chart_data d = data(2, names, kinds, 2, cells);

	assert_choice(&d, DW_CHART_BAR, "bar chart of 'profit' by 'region'");
}

static void test_choose_line_given_time_axis(void **state)
{
	static const char *const names[] = { "year", "revenue" };
	static const enum dw_out_kind kinds[] = { NUM, NUM };
	static const char *const cells[] = { "2021", "5", "2019", "7" };
	struct dw_chart_data d = data(2, names, kinds, 2, cells);

	/* Unordered numbers: two number columns until the caller says "time". */
	assert_int_equal(dw_chart_choose(&d, NULL, 0), DW_CHART_NONE);
	d.time_axis = 1;
	assert_choice(&d, DW_CHART_LINE, "line chart of 'revenue' over 'year'");
}

static void test_choose_line_detected(void **state)
{
	static const char *const names[] = { "period", "revenue" };
	static const enum dw_out_kind text[] = { T, NUM }, number[] = { NUM, NUM };
	static const char *const months[] = { "2019-11", "1", "2019-12", "2", "2020-01", "3" };
	static const char *const years[] = { "2019", "1", NULL, "2", "2021", "3" };
	static const char *const quarters[] = { "2019-Q4", "1", "2020-Q1", "2" };
	static const char *const dates[] = { "2020-02-28", "1", "2020-02-29 00:00:00", "2" };
	struct dw_chart_data d = data(2, names, text, 3, months);

	assert_choice(&d, DW_CHART_LINE, "line chart of 'revenue' over 'period'");
	d = data(2, names, number, 3, years);
	assert_choice(&d, DW_CHART_LINE, "line chart of 'revenue' over 'period'");
	d = data(2, names, text, 2, quarters);
	assert_int_equal(dw_chart_choose(&d, NULL, 0), DW_CHART_LINE);
	d = data(2, names, text, 2, dates);
	assert_int_equal(dw_chart_choose(&d, NULL, 0), DW_CHART_LINE);
}

static void test_choose_unordered_times_are_bars(void **state)
{
	static const char *const names[] = { "year", "revenue" };
	static const enum dw_out_kind kinds[] = { T, NUM };
	static const char *const cells[] = { "2020", "1", "2019", "2" };
	struct dw_chart_data d = data(2, names, kinds, 2, cells);

	assert_choice(&d, DW_CHART_BAR, "bar chart of 'revenue' by 'year'");
}

static void test_choose_grouped(void **state)
{
	static const char *const names[] = { "category", "year", "profit" };
	static const enum dw_out_kind kinds[] = { T, T, NUM };
	static const char *const cells[] = { "Furniture", "2019", "1", "Furniture", "2020", "2" };
	static const char *const by_year[] = { "year", "category", "profit" };
	static const enum dw_out_kind year_kinds[] = { NUM, T, NUM };
	static const char *const years[] = { "2020", "Furniture", "1", "2019", "Furniture", "2" };
	struct dw_chart_data d = data(3, names, kinds, 2, cells);

	assert_choice(&d, DW_CHART_BAR, "grouped bar chart of 'profit' by 'category' and 'year'");
	/* A numeric year first counts as a label only as a time axis. */
	d = data(3, by_year, year_kinds, 2, years);
	assert_choice(&d, DW_CHART_NONE,
		      "a chart shows one number column; this result has 2 ('year', 'profit')");
	d.time_axis = 1;
	assert_choice(&d, DW_CHART_BAR, "grouped bar chart of 'profit' by 'year' and 'category'");
}

static void test_choose_none_numbers_without_label(void **state)
{
	static const char *const names[] = { "sales", "cost", "profit" };
	static const enum dw_out_kind kinds[] = { NUM, NUM, NUM };
	static const char *const cells[] = { "1", "2", "3", "4", "5", "6" };
	struct dw_chart_data d = data(3, names, kinds, 2, cells);

	assert_choice(&d, DW_CHART_NONE,
		      "a chart needs one label column and one number column; this result has "
		      "3 number columns ('sales', 'cost', 'profit') and no label column");
}

static void test_choose_none_many_numbers_listed_briefly(void **state)
{
	static const char *const names[] = { "region", "a", "b", "c", "d", "e" };
	static const enum dw_out_kind kinds[] = { T, NUM, NUM, NUM, NUM, NUM };
	static const char *const cells[] = { "x", "1", "2", "3", "4", "5",
					     "y", "1", "2", "3", "4", "5" };
	struct dw_chart_data d = data(6, names, kinds, 2, cells);

	assert_choice(&d, DW_CHART_NONE,
		      "a chart shows one number column; this result has 5 ('a', 'b', 'c', ...)");
}

static void test_choose_none_other_shapes(void **state)
{
	static const char *const labels[] = { "region", "city" };
	static const enum dw_out_kind text[] = { T, T };
	static const char *const places[] = { "East", "Boston", "West", "Reno" };
	static const char *const one[] = { "revenue" };
	static const enum dw_out_kind num[] = { NUM };
	static const char *const values[] = { "1", "2" };
	static const char *const three[] = { "a", "b", "c", "n" };
	static const enum dw_out_kind kinds3[] = { T, T, T, NUM };
	static const char *const rows3[] = { "1", "2", "3", "4", "5", "6", "7", "8" };
	struct dw_chart_data d = data(2, labels, text, 2, places);

	assert_choice(&d, DW_CHART_NONE,
		      "a chart needs a number column; this result has only label columns "
		      "('region', 'city')");
	d = data(1, one, num, 2, values);
	assert_choice(&d, DW_CHART_NONE,
		      "a chart needs a label column next to the number column 'revenue'");
	d = data(1, one, num, 1, values);
	assert_choice(&d, DW_CHART_NONE, "the result is a single row; a chart needs at least two");
	d = data(1, one, num, 0, values);
	assert_choice(&d, DW_CHART_NONE, "the result has no rows");
	d = data(4, three, kinds3, 2, rows3);
	assert_choice(&d, DW_CHART_NONE,
		      "a chart takes one or two label columns; this result has 3 ('a', 'b', 'c')");
}

static void test_choose_none_without_values(void **state)
{
	static const char *const cells[] = { "East", NULL, "West", "n/a" };
	struct dw_chart_data d = bars(2, cells);

	assert_choice(&d, DW_CHART_NONE, "column 'value' has no numeric values");
}

static void test_choose_why_may_be_absent(void **state)
{
	static const char *const cells[] = { "East", "1", "West", "2" };
	struct dw_chart_data d = bars(2, cells);
	char why[8] = "unused";

	assert_int_equal(dw_chart_choose(&d, NULL, 0), DW_CHART_BAR);
	/* A short buffer is cut, still terminated. */
	assert_int_equal(dw_chart_choose(&d, why, sizeof why), DW_CHART_BAR);
	assert_string_equal(why, "bar cha");
}

static void test_none_is_an_error_that_says_why(void **state)
{
	static const char *const cells[] = { "East", "1" };
	struct dw_chart_data d = bars(1, cells);
	struct dw_err err = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_int_equal(dw_chart_terminal(&d, fp, 80, 1, &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_string_equal(err.msg, "no chart fits this result");
	assert_string_equal(err.detail, "the result is a single row; a chart needs at least two");
	dw_err_clear(&err);
	assert_int_equal(dw_chart_svg(&d, fp, NULL, &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(len, 0);
	free(buf);
}

static void test_write_error(void **state)
{
	static const char *const cells[] = { "East", "1", "West", "2" };
	struct dw_chart_data d = bars(2, cells);
	struct dw_err err = { 0 };
	FILE *fp = fopen("/dev/full", "w");

	if (!fp)
		skip();
	assert_int_equal(dw_chart_svg(&d, fp, NULL, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_non_null(strstr(err.msg, "cannot write the chart"));
	fclose(fp);
}

/* ---- time labels and numbers ---- */

static void test_time_labels(void **state)
{
	static const char *const yes[] = {
		"2019", "1900", "2099", "2019-01", "2019-12", "2020-02-29", "2019-03-01 10:00:00",
		"2019-03-01T10:00", "2019-Q1", "2019-q4", "2019-W01", "2019-W53",
	};
	static const char *const no[] = {
		"", "19", "1899", "2100", "20190", "2019-00", "2019-13", "2019-1", "2019-02-29",
		"2019-01-1", "2019-01-01x", "2019-Q0", "2019-Q5", "2019-W00", "2019-W54",
		"2019-W1", "Q1-2019", "abcd", "2019 ", "-2019",
	};
	size_t i;

	for (i = 0; i < N(yes); i++)
		if (!dw_chart_is_time_label(yes[i]))
			fail_msg("'%s' should look like a time", yes[i]);
	for (i = 0; i < N(no); i++)
		if (dw_chart_is_time_label(no[i]))
			fail_msg("'%s' should not look like a time", no[i]);
	assert_false(dw_chart_is_time_label(NULL));
}

static void test_compact(void **state)
{
	static const struct {
		double v;
		const char *s;
	} cases[] = {
		{ 0, "0" }, { 7, "7" }, { 12.345, "12.3" }, { 0.053, "0.053" }, { 999, "999" },
		{ -42.5, "-42.5" }, { 999.6, "1k" }, { 1000, "1k" }, { 1234, "1.2k" },
		{ 34500, "34.5k" }, { 99960, "100k" }, { 123456, "123k" }, { -5000, "-5k" },
		{ 999950, "1M" }, { 1234567, "1.2M" }, { 2.5e9, "2.5B" }, { 7e12, "7T" },
		{ 4.2e15, "4200T" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < N(cases); i++)
		assert_string_equal(dw_chart_compact(cases[i].v, buf, sizeof buf), cases[i].s);
}

/* ---- terminal bars ---- */

/* Where the bar of a row starts and ends, in bytes of an ASCII row. */
static void bar_span(const char *row, size_t *first, size_t *n)
{
	const char *p = strchr(row, '#');

	*first = p ? (size_t)(p - row) : 0;
	*n = p ? strspn(p, "#") : 0;
	assert_int_equal(count(row, "#"), *n);   /* one unbroken bar */
}

static void test_bars_proportional(void **state)
{
	static const char *const cells[] = { "A", "100", "B", "50", "C", "0", "D", "25" };
	struct dw_chart_data d = bars(4, cells);
	char *out = draw(&d, 60, 0);
	char *title = line(out, 0), *a = line(out, 1), *b = line(out, 2), *c = line(out, 3);
	char *e = line(out, 4);
	size_t fa, na, fb, nb, fc, nc, fe, ne;

	assert_int_equal(count_lines(out), 5);
	assert_string_equal(title, "value by label");
	bar_span(a, &fa, &na);
	bar_span(b, &fb, &nb);
	bar_span(c, &fc, &nc);
	bar_span(e, &fe, &ne);
	/* The longest bar runs from the axis to the value column, the full width. */
	assert_int_equal(strlen(a), 60);
	assert_int_equal(a[fa - 1], '|');
	assert_string_equal(a + fa + na, " 100");
	assert_true(na > 40);
	/* Half the value, half the bar (rounded); a quarter, a quarter. */
	assert_true(2 * nb >= na - 1 && 2 * nb <= na + 1);
	assert_true(4 * ne >= na - 2 && 4 * ne <= na + 2);
	assert_int_equal(fb, fa);
	assert_int_equal(nc, 0);
	/* Every row is as wide as the terminal; values right-aligned. */
	assert_int_equal(strlen(b), 60);
	assert_int_equal(strlen(c), 60);
	assert_string_equal(c + 56, "   0");
	assert_int_equal(strncmp(c, "C |", 3), 0);
	free(title);
	free(a);
	free(b);
	free(c);
	free(e);
	free(out);
}

static void test_bars_negative(void **state)
{
	static const char *const cells[] = { "gain", "100", "loss", "-50", "worst", "-100" };
	struct dw_chart_data d = bars(3, cells);
	char *out = draw(&d, 60, 0);
	char *gain = line(out, 1), *loss = line(out, 2), *worst = line(out, 3);
	size_t axis = (size_t)(strchr(gain, '|') - gain), fg, ng, fl, nl, fw, nw;

	bar_span(gain, &fg, &ng);
	bar_span(loss, &fl, &nl);
	bar_span(worst, &fw, &nw);
	/* One zero axis for all rows, gains right of it, losses left. */
	assert_int_equal(strchr(loss, '|') - loss, (long)axis);
	assert_int_equal(strchr(worst, '|') - worst, (long)axis);
	assert_int_equal(fg, axis + 1);
	assert_int_equal(fl + nl, axis);
	assert_int_equal(fw + nw, axis);
	/* Same scale on both sides: -100 as long as 100, -50 half of it. */
	assert_int_equal(nw, ng);
	assert_true(2 * nl >= nw - 1 && 2 * nl <= nw + 1);
	/* The most negative bar reaches the labels. */
	assert_int_equal(fw, strlen("worst "));
	assert_string_equal(worst + strlen(worst) - 5, " -100");
	free(gain);
	free(loss);
	free(worst);
	free(out);
}

static void test_bars_null_is_a_gap(void **state)
{
	static const char *const cells[] = { "East", "10", NULL, NULL, "West", "5" };
	struct dw_chart_data d = bars(3, cells);
	char *out = draw(&d, 50, 0);
	char *gap = line(out, 2);

	assert_int_equal(count(gap, "#"), 0);
	assert_int_equal(strncmp(gap, "null", 4), 0);
	assert_string_equal(gap + strlen(gap) - 5, " null");
	free(gap);
	free(out);
}

static void test_bars_capped(void **state)
{
	enum { ROWS = 60 };
	const char *cells[ROWS * 2];
	char labels[ROWS][8];
	struct dw_chart_data d;
	char *out, *last;
	size_t i;

	for (i = 0; i < ROWS; i++) {
		snprintf(labels[i], sizeof labels[i], "r%zu", i);
		cells[2 * i] = labels[i];
		cells[2 * i + 1] = "1";
	}
	d = bars(ROWS, cells);
	out = draw(&d, 60, 1);
	assert_int_equal(count_lines(out), 1 + DW_CHART_MAX_BARS + 1);
	assert_non_null(strstr(out, "\nr49 "));
	assert_null(strstr(out, "\nr50 "));
	last = line(out, 1 + DW_CHART_MAX_BARS);
	assert_string_equal(last, "\u2026 10 more rows not shown");
	free(last);
	free(out);
}

static void test_bars_grouped(void **state)
{
	static const char *const names[] = { "category", "year", "profit" };
	static const enum dw_out_kind kinds[] = { T, T, NUM };
	static const char *const cells[] = {
		"Furniture", "2019", "10", "Furniture", "2020", "20", "Technology", "2019", "5",
	};
	struct dw_chart_data d = data(3, names, kinds, 3, cells);
	char *out = draw(&d, 60, 0);
	char *title = line(out, 0), *r1 = line(out, 1), *r2 = line(out, 2), *r3 = line(out, 3);

	assert_string_equal(title, "profit by category and year");
	assert_int_equal(strncmp(r1, "Furniture  2019 |", 17), 0);
	assert_int_equal(strncmp(r2, "           2020 |", 17), 0);
	assert_int_equal(strncmp(r3, "Technology 2019 |", 17), 0);
	assert_true(count(r2, "#") > count(r1, "#"));
	free(title);
	free(r1);
	free(r2);
	free(r3);
	free(out);
}

#define TOKYO "\xe6\x9d\xb1\xe4\xba\xac"   /* two wide characters */

static void test_bars_long_labels_fit(void **state)
{
	static const char *const cells[] = {
		"a label far longer than any terminal column should hold for a bar chart", "1",
		TOKYO TOKYO TOKYO TOKYO TOKYO TOKYO, "-2.5",
	};
	struct dw_chart_data d = bars(2, cells);
	int widths[] = { 1, 40, 80, 132 };
	char *out;
	size_t i;

	for (i = 0; i < N(widths); i++) {
		out = draw(&d, widths[i], 1);
		assert_fits(out, widths[i] < DW_CHART_MIN_WIDTH ? DW_CHART_MIN_WIDTH
								: (size_t)widths[i]);
		assert_non_null(strstr(out, "\u2026"));   /* the long label was cut */
		free(out);
	}
}

/* ---- terminal lines ---- */

static const char *const ramp[] = { "2019-01", "0", "2019-02", "1", "2019-03", "2",
				    "2019-04", "3", "2019-05", "4", "2019-06", "5",
				    "2019-07", "6", "2019-08", "7" };

static void test_sparkline_levels(void **state)
{
	static const char *const down[] = { "2019", "7", "2020", "3", "2021", NULL,
					    "2022", "0" };
	struct dw_chart_data d = series(8, ramp);
	char *out = draw(&d, 80, 1), *spark = line(out, 1);

	assert_string_equal(spark, "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588");
	free(spark);
	free(out);
	out = draw(&d, 80, 0);
	spark = line(out, 1);
	assert_string_equal(spark, ".:-=+*%#");
	free(spark);
	free(out);
	/* Highest to lowest, with a gap for the NULL. */
	d = series(4, down);
	out = draw(&d, 80, 1);
	spark = line(out, 1);
	assert_string_equal(spark, "\u2588\u2584 \u2581");
	free(spark);
	free(out);
}

static void test_sparkline_flat(void **state)
{
	static const char *const flat[] = { "2019", "5", "2020", "5", "2021", "5" };
	struct dw_chart_data d = series(3, flat);
	char *out = draw(&d, 80, 1), *spark = line(out, 1);

	assert_string_equal(spark, "\u2584\u2584\u2584");
	free(spark);
	free(out);
}

static void test_line_plot(void **state)
{
	struct dw_chart_data d = series(8, ramp);
	char *out = draw(&d, 60, 0);
	char *title = line(out, 0), *top = line(out, 2), *bottom = line(out, 9);
	char *axis = line(out, 10), *labels = line(out, 11);

	/* title, sparkline, 8 plot rows, axis, labels */
	assert_int_equal(count_lines(out), 12);
	assert_string_equal(title, "revenue by month");
	/* max and min at the top and bottom ticks */
	assert_int_equal(strncmp(top, "7 +", 3), 0);
	assert_int_equal(strncmp(bottom, "0 +", 3), 0);
	/* The highest point fills the top row, the lowest only the bottom one. */
	assert_string_equal(top + strlen(top) - 4, "####");
	assert_int_equal(strncmp(bottom + 3, ".", 1), 0);
	assert_int_equal(strncmp(axis, "  +----", 7), 0);
	assert_int_equal(strncmp(labels, "   2019-01 ", 11), 0);
	assert_string_equal(labels + strlen(labels) - 8, " 2019-08");
	/* Columns stretched to 4 per point: axis under 32 columns. */
	assert_int_equal(count(axis, "-"), 32);
	assert_int_equal(strlen(labels), 3 + 32);
	free(title);
	free(top);
	free(bottom);
	free(axis);
	free(labels);
	free(out);
}

static void test_line_long_series_fits(void **state)
{
	enum { ROWS = 500 };
	const char *cells[ROWS * 2];
	char stamps[ROWS][16], values[ROWS][16];
	struct dw_chart_data d;
	char *out, *spark;
	size_t i;

	for (i = 0; i < ROWS; i++) {
		snprintf(stamps[i], sizeof stamps[i], "%04zu-01-01", 1900 + i / 5);
		snprintf(values[i], sizeof values[i], "%zu", i * i);
		cells[2 * i] = stamps[i];
		cells[2 * i + 1] = values[i];
	}
	d = series(ROWS, cells);
	out = draw(&d, 80, 1);
	assert_fits(out, 80);
	spark = line(out, 1);
	assert_int_equal(dw_out_width(spark), 80);
	/* means of rising buckets rise: lowest first, highest last */
	assert_int_equal(strncmp(spark, "\u2581", 3), 0);
	assert_string_equal(spark + strlen(spark) - 3, "\u2588");
	free(spark);
	free(out);
}

/* ---- ASCII and sanitising ---- */

static void test_ascii_mode_is_ascii(void **state)
{
	static const char *const names[] = { "caf\xc3\xa9", "y\303\251ar", "profit" };
	static const enum dw_out_kind kinds[] = { T, T, NUM };
	static const char *const grouped[] = { "Caf\xc3\xa9", "2019", "-1", "Caf\xc3\xa9",
					       "2020", "2", "\xe6\x9d\xb1", "2019", "3" };
	static const char *const line_cells[] = { "2019", "1", "2020", "\xe2\x80\x94", "2021", "3" };
	enum { ROWS = 55 };
	const char *many[ROWS * 2];
	struct dw_chart_data d = data(3, names, kinds, 3, grouped);
	char *out = draw(&d, 60, 0);
	size_t i;

	assert_ascii(out);
	assert_non_null(strstr(out, "Caf? "));
	free(out);
	d = series(3, line_cells);
	out = draw(&d, 60, 0);
	assert_ascii(out);
	free(out);
	for (i = 0; i < ROWS; i++) {
		many[2 * i] = "\xc3\xa9t\xc3\xa9";
		many[2 * i + 1] = "1";
	}
	d = bars(ROWS, many);
	out = draw(&d, 40, 0);
	assert_ascii(out);
	assert_non_null(strstr(out, "~ 5 more rows not shown"));
	free(out);
}

static void test_control_characters_are_replaced(void **state)
{
	static const char *const cells[] = { "a\x1b[2Jb", "1", "c\rd\xc2\x9b", "2",
					     "bad\xff\xc3", "3" };
	struct dw_chart_data d = bars(3, cells);
	int utf8;
	char *out;

	for (utf8 = 0; utf8 <= 1; utf8++) {
		out = draw(&d, 60, utf8);
		assert_null(strchr(out, '\x1b'));
		assert_null(strchr(out, '\r'));
		assert_null(strstr(out, "\xc2\x9b"));
		assert_null(strchr(out, '\xff'));
		assert_non_null(strstr(out, "a?[2Jb "));
		assert_non_null(strstr(out, "c?d? "));   /* a C1 control is one character */
		assert_non_null(strstr(out, "bad?? "));
		free(out);
	}
}

/* ---- SVG ---- */

/* Length of the entity at s ("&amp;" ...), 0 when it is not one of XML's five. */
static size_t entity_len(const char *s)
{
	static const char *const entities[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
	size_t i;

	for (i = 0; i < N(entities); i++)
		if (strncmp(s, entities[i], strlen(entities[i])) == 0)
			return strlen(entities[i]);
	return 0;
}

/* Skips character data up to stop (or a '<'); fails on a raw '&'. */
static const char *skip_chars(const char *s, char stop)
{
	while (*s && *s != stop && *s != '<') {
		if (*s == '&') {
			if (!entity_len(s))
				fail_msg("raw '&' near '%.20s'", s);
			s += entity_len(s);
		} else {
			s++;
		}
	}
	return s;
}

static size_t name_len(const char *s)
{
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-:");
}

/* Parses the attributes of a start tag up to '>' or "/>"; returns the
 * character after the tag and sets *empty for "/>". */
static const char *skip_attributes(const char *s, int *empty)
{
	for (;;) {
		s += strspn(s, " \n\t");
		if (strncmp(s, "/>", 2) == 0) {
			*empty = 1;
			return s + 2;
		}
		if (*s == '>') {
			*empty = 0;
			return s + 1;
		}
		if (name_len(s) == 0 || s[name_len(s)] != '=' || s[name_len(s) + 1] != '"')
			fail_msg("bad attribute near '%.20s'", s);
		s = skip_chars(s + name_len(s) + 2, '"');
		if (*s != '"')
			fail_msg("'<' in an attribute value near '%.20s'", s);
		s++;
	}
}

/* A small well-formedness check: one root, tags nest and close, attribute
 * values are quoted, and no raw '<' or '&' in text or attributes. */
static void assert_well_formed(const char *s)
{
	const char *open[32];
	size_t depth = 0, roots = 0, n;
	int empty;

	assert_int_equal(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39), 0);
	s += 39;
	while (*s) {
		s = skip_chars(s, '<');
		if (!*s)
			break;
		if (s[1] == '/') {
			n = name_len(s + 2);
			if (depth == 0 || strncmp(open[depth - 1], s + 2, n) != 0 ||
			    name_len(open[depth - 1]) != n || s[2 + n] != '>')
				fail_msg("unbalanced close near '%.20s'", s);
			depth--;
			s += 3 + n;
			continue;
		}
		n = name_len(s + 1);
		if (n == 0)
			fail_msg("bad tag near '%.20s'", s);
		roots += depth == 0;
		open[depth] = s + 1;
		s = skip_attributes(s + 1 + n, &empty);
		if (!empty && ++depth == N(open))
			fail_msg("nested too deep");
	}
	assert_int_equal(depth, 0);
	assert_int_equal(roots, 1);
}

static void assert_standalone(const char *doc)
{
	assert_well_formed(doc);
	assert_non_null(strstr(doc, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(doc, "viewBox=\"0 0 800 "));
	assert_null(strstr(doc, "<script"));
	assert_null(strstr(doc, "href"));
	assert_null(strstr(doc, "url("));
}

static void test_svg_bars(void **state)
{
	static const char *const cells[] = { "<script>&\"x'", "120", "East", "-30",
					     "West", NULL, "North", "60" };
	struct dw_chart_data d = bars(4, cells);
	char *doc = svg(&d, "profit & loss <by> region");

	assert_standalone(doc);
	assert_non_null(strstr(doc, ">&lt;script&gt;&amp;&quot;x&apos;</text>"));
	assert_non_null(strstr(doc, "<title>profit &amp; loss &lt;by&gt; region</title>"));
	/* One <rect> per bar; the NULL row has none. */
	assert_int_equal(count(doc, "<rect"), 3);
	assert_int_equal(count(doc, "fill=\"#e15759\""), 1);   /* the negative bar */
	assert_non_null(strstr(doc, "<title>East: -30</title>"));
	assert_non_null(strstr(doc, ">null</text>"));
	free(doc);
}

static void test_svg_bars_proportional(void **state)
{
	static const char *const cells[] = { "A", "100", "B", "50" };
	struct dw_chart_data d = bars(2, cells);
	char *doc = svg(&d, NULL);
	const char *r1 = strstr(doc, "<rect"), *r2 = strstr(r1 + 1, "<rect");
	double x1, w1, x2, w2;

	assert_non_null(r2);
	assert_int_equal(sscanf(r1, "<rect x=\"%lf\" y=\"%*f\" width=\"%lf\"", &x1, &w1), 2);
	assert_int_equal(sscanf(r2, "<rect x=\"%lf\" y=\"%*f\" width=\"%lf\"", &x2, &w2), 2);
	assert_true(x1 == x2);
	assert_true(w1 > 2 * w2 - 0.2 && w1 < 2 * w2 + 0.2);
	assert_non_null(strstr(doc, "<title>value by label</title>"));
	assert_standalone(doc);
	free(doc);
}

static void test_svg_grouped_and_capped(void **state)
{
	static const char *const names[] = { "category", "year", "profit" };
	static const enum dw_out_kind kinds[] = { T, T, NUM };
	enum { ROWS = 70 };
	const char *cells[ROWS * 3];
	struct dw_chart_data d;
	char *doc;
	size_t i;

	for (i = 0; i < ROWS; i++) {
		cells[3 * i] = i < 35 ? "A&B" : "C";
		cells[3 * i + 1] = i % 2 ? "2020" : "2019";
		cells[3 * i + 2] = "3";
	}
	d = data(3, names, kinds, ROWS, cells);
	doc = svg(&d, NULL);
	assert_standalone(doc);
	assert_int_equal(count(doc, "<rect"), DW_CHART_MAX_BARS);
	/* Each group named once. */
	assert_int_equal(count(doc, ">A&amp;B</text>"), 1);
	assert_int_equal(count(doc, ">C</text>"), 1);
	assert_non_null(strstr(doc, "20 more rows not shown"));
	free(doc);
}

/* The number of x,y pairs in the points attribute of the polyline at s. */
static size_t polyline_points(const char *s)
{
	const char *p = strstr(s, "points=\""), *end;
	size_t n = 0;

	assert_non_null(p);
	p += strlen("points=\"");
	end = strchr(p, '"');
	while (p < end) {
		double x, y;
		int used;

		assert_int_equal(sscanf(p, "%lf,%lf%n", &x, &y, &used), 2);
		n++;
		p += used;
		p += strspn(p, " ");
	}
	return n;
}

static void test_svg_line(void **state)
{
	static const char *const gappy[] = { "2019", "1", "2020", "2", "2021", NULL,
					     "2022", "4", "2023", "5", "2024", "6" };
	struct dw_chart_data d = series(8, ramp);
	char *doc = svg(&d, "revenue by month");

	assert_standalone(doc);
	assert_int_equal(count(doc, "<polyline"), 1);
	assert_int_equal(polyline_points(doc), 8);
	assert_int_equal(count(doc, "<circle"), 8);
	assert_non_null(strstr(doc, ">2019-01</text>"));
	assert_non_null(strstr(doc, ">2019-08</text>"));
	assert_int_equal(count(doc, "<rect"), 0);
	free(doc);
	/* A NULL breaks the line in two. */
	d = series(6, gappy);
	doc = svg(&d, NULL);
	assert_standalone(doc);
	assert_int_equal(count(doc, "<polyline"), 2);
	assert_int_equal(polyline_points(doc), 2);
	assert_int_equal(polyline_points(strstr(strstr(doc, "<polyline") + 1, "<polyline")), 3);
	free(doc);
}

static void test_svg_line_rises(void **state)
{
	struct dw_chart_data d = series(8, ramp);
	char *doc = svg(&d, NULL);
	const char *p = strstr(doc, "points=\"") + strlen("points=\"");
	double x, y, px = -1, py = 1e9;
	int used, i;

	for (i = 0; i < 8; i++) {
		assert_int_equal(sscanf(p, "%lf,%lf%n", &x, &y, &used), 2);
		assert_true(x > px);
		assert_true(y < py);   /* SVG y grows downwards */
		px = x;
		py = y;
		p += used + 1;
	}
	free(doc);
}

/* ---- time series ---- */

/* The <svg> element of s, after an XML declaration so that the document
 * checks stand; the caller frees it. */
static char *series_svg(const struct dw_chart_series *s)
{
	struct dw_err err = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	assert_int_equal(dw_chart_svg_series(s, fp, &err), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* 2025-12-04 10:00:00 UTC and every 10 minutes on. */
static const long long ten[] = { 1764842400, 1764843000, 1764843600, 1764844200 };
static const double calls[] = { 10, 12, 40, 11 };

static void test_svg_series(void **state)
{
	static const struct dw_chart_band band[] = { { 1764844800, 11, 5, 17 },
						     { 1764845400, 11, 3, 19 } };
	static const struct dw_chart_span spans[] = {
		{ 1764843000, 1764843600, 1, "burst <&> up" },
		{ 1764844200, 1764844800, 0, "a low one" },
	};
	struct dw_chart_series s = { "load & more", "calls", 4, ten, calls, 2, band, 2, spans, 0 };
	char *doc = series_svg(&s);
	const char *svg = strstr(doc, "<svg");

	assert_standalone(doc);
	assert_null(strstr(svg, "<?xml"));   /* an element to put in a page */
	assert_non_null(strstr(doc, "<title>load &amp; more</title>"));
	assert_int_equal(count(doc, "<polyline"), 2);   /* the values, the forecast dashed */
	assert_int_equal(count(doc, "stroke-dasharray"), 1);
	assert_int_equal(count(doc, "<polygon"), 1);    /* the interval */
	assert_int_equal(count(doc, "<circle"), 6);     /* each point and forecast, to hover */
	assert_int_equal(count(doc, "<rect"), 6);       /* four keys, two spans */
	assert_non_null(strstr(doc, "fill=\"#e15759\" fill-opacity=\"0.25\"><title>burst "
			       "&lt;&amp;&gt; up</title>"));
	assert_non_null(strstr(doc, "fill=\"#f28e2b\" fill-opacity=\"0.25\"><title>a low one"));
	assert_non_null(strstr(doc, "<title>2025-12-04 10:20:00: 40 calls</title>"));
	assert_non_null(strstr(doc, ">forecast, 95% interval</text>"));
	free(doc);
}

static void test_svg_series_time_axis(void **state)
{
	struct dw_chart_series s = { "t", "calls", 4, ten, calls, 0, NULL, 0, NULL, 0 };
	char *doc = series_svg(&s);

	/* 30 minutes: a time every 5, the date once. */
	assert_non_null(strstr(doc, ">10:00</text>"));
	assert_non_null(strstr(doc, ">10:05</text>"));
	assert_non_null(strstr(doc, ">10:30</text>"));
	assert_non_null(strstr(doc, ">2025-12-04 UTC</text>"));
	assert_int_equal(count(doc, "<polygon"), 0);
	assert_int_equal(count(doc, "<rect"), 1);       /* the key of the line only */
	free(doc);
	/* Lined up with another chart: the same right end, two days on. */
	s.until = ten[0] + 3 * 86400;
	doc = series_svg(&s);
	assert_non_null(strstr(doc, ">12-05 00:00</text>"));
	assert_null(strstr(doc, ">2025-12-04 UTC</text>"));
	free(doc);
}

static void test_svg_series_rises_from_zero(void **state)
{
	struct dw_chart_series s = { "t", "calls", 4, ten, calls, 0, NULL, 0, NULL, 0 };
	char *doc = series_svg(&s);
	const char *p = strstr(doc, "<polyline fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"2\" "
			       "points=\"");
	double x[4], y[4];
	int used;

	assert_non_null(p);
	p = strchr(strstr(p, "points="), '"') + 1;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(sscanf(p, "%lf,%lf%n", &x[i], &y[i], &used), 2);
		p += used + 1;
	}
	assert_true(x[0] < x[1] && x[1] < x[2] && x[2] < x[3]);
	assert_true(y[2] < y[1] && y[1] < y[3] && y[3] < y[0]);   /* 40 > 12 > 11 > 10 */
	assert_non_null(strstr(doc, ">0</text>"));                 /* the axis starts at 0 */
	free(doc);
}

static void test_svg_series_needs_points(void **state)
{
	struct dw_chart_series s = { "t", "calls", 0, ten, calls, 0, NULL, 0, NULL, 0 };
	struct dw_err err = { 0 };
	FILE *fp = fopen("/dev/null", "w");

	assert_int_equal(dw_chart_svg_series(&s, fp, &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	fclose(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choose_bar),
		cmocka_unit_test(test_choose_bar_label_after_number),
		cmocka_unit_test(test_choose_line_given_time_axis),
		cmocka_unit_test(test_choose_line_detected),
		cmocka_unit_test(test_choose_unordered_times_are_bars),
		cmocka_unit_test(test_choose_grouped),
		cmocka_unit_test(test_choose_none_numbers_without_label),
		cmocka_unit_test(test_choose_none_many_numbers_listed_briefly),
		cmocka_unit_test(test_choose_none_other_shapes),
		cmocka_unit_test(test_choose_none_without_values),
		cmocka_unit_test(test_choose_why_may_be_absent),
		cmocka_unit_test(test_none_is_an_error_that_says_why),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_time_labels),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_bars_proportional),
		cmocka_unit_test(test_bars_negative),
		cmocka_unit_test(test_bars_null_is_a_gap),
		cmocka_unit_test(test_bars_capped),
		cmocka_unit_test(test_bars_grouped),
		cmocka_unit_test(test_bars_long_labels_fit),
		cmocka_unit_test(test_sparkline_levels),
		cmocka_unit_test(test_sparkline_flat),
		cmocka_unit_test(test_line_plot),
		cmocka_unit_test(test_line_long_series_fits),
		cmocka_unit_test(test_ascii_mode_is_ascii),
		cmocka_unit_test(test_control_characters_are_replaced),
		cmocka_unit_test(test_svg_bars),
		cmocka_unit_test(test_svg_bars_proportional),
		cmocka_unit_test(test_svg_grouped_and_capped),
		cmocka_unit_test(test_svg_line),
		cmocka_unit_test(test_svg_line_rises),
		cmocka_unit_test(test_svg_series),
		cmocka_unit_test(test_svg_series_time_axis),
		cmocka_unit_test(test_svg_series_rises_from_zero),
		cmocka_unit_test(test_svg_series_needs_points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
