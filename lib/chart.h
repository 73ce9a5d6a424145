/* chart: terminal and SVG charts of a query result (dw-ask --chart, --svg),
 * chosen from the result's shape:
 *
 *   one label column + one number column       horizontal bar chart
 *   time axis first + one number column        line chart (terminal: a
 *                                              sparkline and an area plot)
 *   two label columns + one number column      grouped bar chart: one bar
 *                                              per row, the first label
 *                                              shown once per run of rows
 *                                              (so order by it), the second
 *                                              next to each bar
 *   anything else                              no chart, with a reason
 *
 * A label column is a text or bool column, or the first column when it is a
 * time axis (a year such as 2019 may arrive as a number). Bar charts show at
 * most DW_CHART_MAX_BARS rows and say how many were left out; line charts
 * show every row. A NULL or non-numeric value is a gap: an empty bar, a
 * break in the line. Numbers are parsed with strtod and printed with printf,
 * so the caller must leave LC_NUMERIC at "C" (setting LC_CTYPE is fine). */
#ifndef DW_CHART_H
#define DW_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "out.h"

#define DW_CHART_MAX_BARS 50
#define DW_CHART_MIN_WIDTH 40   /* narrower terminal widths are raised to this */

/* A result held by the caller; nothing is copied. */
struct dw_chart_data {
	size_t ncols, nrows;
	const char *const *names;          /* ncols column names */
	const enum dw_out_kind *kinds;     /* ncols kinds */
	const char *const *cells;          /* nrows * ncols, row-major; NULL is SQL NULL */
	int time_axis;   /* 1: the first column is a time axis (the caller knows
			    the grain); 0: detected from its values, see
			    dw_chart_is_time_label */
};

enum dw_chart_kind {
	DW_CHART_NONE = 0,
	DW_CHART_BAR,
	DW_CHART_LINE,
};

/* Picks the chart for d's shape. Writes into why (when whylen > 0) what was
 * chosen ("bar chart of 'profit' by 'category'") or, for DW_CHART_NONE, why
 * no chart fits ("a chart needs one label column and one number column; this
 * result has 3 number columns and no label column"). */
enum dw_chart_kind dw_chart_choose(const struct dw_chart_data *d, char *why, size_t whylen);

/* Draws the chart on a terminal width columns wide (<= 0: 80). utf8 0 draws
 * with ASCII only ('#' bars, '|' and '-' axes, non-ASCII label characters as
 * '?'); control characters in labels are always shown as '?'. Returns 0, or
 * -1 with err: DW_EX_DATAERR when no chart fits (detail: the reason),
 * DW_EX_SOFTWARE when out of memory, DW_EX_IOERR when writing fails. */
int dw_chart_terminal(const struct dw_chart_data *d, FILE *fp, int width, int utf8,
		      struct dw_err *err);

/* Writes the same chart as a standalone SVG document (no scripts, no
 * external resources). title NULL uses "<number column> by <label column>".
 * Each bar is one <rect>; each unbroken run of a line is one <polyline>.
 * Returns and fails like dw_chart_terminal. */
int dw_chart_svg(const struct dw_chart_data *d, FILE *fp, const char *title,
		 struct dw_err *err);

/* ---- time series (dw-tune report) ---- */

/* A span of time shaded across a time series chart: an anomaly. */
struct dw_chart_span {
	long long t0, t1;                  /* seconds since the epoch (UTC) */
	int strong;                        /* 1: red (high severity), 0: orange */
	const char *label;                 /* its text to hover */
};

/* A forecast point after the series and its interval. */
struct dw_chart_band {
	long long t;
	double point, lo, hi;
};

/* Held by the caller; nothing is copied. */
struct dw_chart_series {
	const char *title;
	const char *metric;                /* what the values are ("calls"): legend, hover */
	size_t n;                          /* points (at least one) */
	const long long *t;                /* seconds since the epoch (UTC), ascending */
	const double *v;
	size_t nband;                      /* forecast points after t[n-1], 0 for none */
	const struct dw_chart_band *band;
	size_t nspans;
	const struct dw_chart_span *spans;
	long long until;                   /* the time at the right end, to line charts up;
					      0: the last point's or forecast's */
};

/* Writes a time series as an <svg> element to put in an HTML page (no XML
 * declaration, no scripts, no external resources): the values as one
 * polyline from a value axis that starts at 0 (or below), times across in
 * UTC, the spans shaded behind it, the forecast as a dashed line on from
 * the last point in its interval's area, a legend, and a hover text for
 * each point when there are at most 120. Returns 0, or -1 with err:
 * DW_EX_DATAERR without points, DW_EX_IOERR when writing fails. */
int dw_chart_svg_series(const struct dw_chart_series *s, FILE *fp, struct dw_err *err);

/* Formats a finite v compactly into buf: 3 significant digits below 1000 ("12.3",
 * "0.053"), then k, M, B, T with one decimal below 100 ("1.2M", "34.5k",
 * "123k", "-5k"). Returns buf. */
char *dw_chart_compact(double v, char *buf, size_t len);

/* Whether s looks like a point in time: a year 1900-2099, YYYY-MM,
 * YYYY-MM-DD (optionally followed by a time), YYYY-Qn or YYYY-Www. */
int dw_chart_is_time_label(const char *s);

#endif
