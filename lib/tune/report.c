/* The page is polyglot: well-formed XML as well as HTML5, so that xmllint
 * checks it whole, and its Content-Security-Policy lets a browser fetch and
 * run nothing. Anomalies and the forecast are computed on every snapshot
 * kept (a baseline needs the past); the window (--since) chooses what is
 * shown. A season is real time's week (hour of day x day of week) unless
 * --season gives the length of a compressed day: then a period of that
 * many snapshot intervals in at most 24 slots, like a day's hours. */
#include "tune/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "date.h"
#include "db/db.h"
#include "outfile.h"
#include "text.h"
#include "tune/season.h"
#include "tune/series.h"
#include "tune/top.h"

#define DIGESTS 10         /* digests whose calls are judged, as well as the load's */
#define TOP 10             /* statements listed */
#define LISTED 50          /* tables and indexes listed at most */
#define MAX_POINTS 360     /* a window of more snapshots is charted in sums of several */
#define PER_SERIES 64      /* findings kept of one series */
#define Z95 1.96           /* the forecast's interval: 95% */

/* A series as charted: the window's snapshots summed k at a time. */
struct view {
	long long *t;
	double *v;
	size_t n;
};

struct finding {
	const struct dw_series *s;
	struct dw_season_finding f;
	double baseline;           /* the median of the peak's slot */
	char label[320];           /* what the charts show on hover */
};

struct report {
	const struct dw_report_opts *o;
	const char *db;
	struct dw_db *my;
	char since[32];            /* the window's start, UTC */
	long long from;            /* ... in seconds since the epoch */
	long long season;          /* --season in seconds, 0 without */
	struct dw_series *s;       /* s[0] the load's calls, s[1] its ms, then digests' calls */
	size_t ns;                 /* 0: fewer than two snapshots */
	long long step;            /* seconds between snapshots */
	size_t first;              /* the window's first point */
	size_t k;                  /* snapshots summed to a charted point */
	struct view calls, ms;
	struct finding *f;
	size_t nf;
	struct dw_chart_band *band;
	size_t nband;
	double mape;               /* of the backtest, -1 without one */
	char caption[512];         /* what the forecast is and how well it did */
};

/* ---- arguments ---- */

/* "5m", "90s", "1h", "1d" as seconds; -1 if not one. */
static long long seconds_arg(const char *s)
{
	long long n = 0;
	char unit = 0;
	int len = 0;

	if (sscanf(s, "%lld%c%n", &n, &unit, &len) != 2 || s[len] || n <= 0)
		return -1;
	n *= unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : -1;
	return n > 0 ? n : -1;
}

/* "YYYY-MM-DD HH:MM:SS" (UTC) as seconds since the epoch. */
static long long epoch_of(const char *utc)
{
	int y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0;

	sscanf(utc, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s);
	return dw_date_days_from_civil(y, mo, d) * 86400LL + h * 3600 + mi * 60 + s;
}

static int report_args(struct report *r, const struct dw_config *cfg,
		       const struct dw_report_opts *o, struct dw_err *err)
{
	memset(r, 0, sizeof *r);
	r->o = o;
	r->db = cfg->warehouse.database;
	r->mape = -1;
	if (!o->html)
		return dw_err_set(err, DW_EX_USAGE, "report needs --html FILE");
	if (o->season && (r->season = seconds_arg(o->season)) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--season: '%s' is not a duration such as 5m "
				  "or 1d", o->season);
	if (dw_date_time_arg(o->since ? o->since : "24h", r->since, err) < 0)
		return -1;
	r->from = epoch_of(r->since);
	return 0;
}

/* ---- the series, their findings and the forecast ---- */

static const char *const sev_names[] = { "none", "low", "high" };

static struct dw_season_layout layout_of(const struct report *r)
{
	long long p = r->season && r->step > 0 ? r->season / r->step : 0;

	if (!p)
		return (struct dw_season_layout){ .kind = DW_SEASON_WEEK };
	p = p > 1 ? p : 2;
	return (struct dw_season_layout){ .kind = DW_SEASON_PERIOD, .period = p,
					  .buckets = p < 24 ? p : 24 };
}

static const char *utc_text(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static int keep(struct report *r, const struct dw_series *s, const struct dw_season_finding *f,
		double baseline, struct dw_err *err)
{
	struct finding *more = realloc(r->f, (r->nf + 1) * sizeof *more), *k;
	char a[32], b[32];

	if (!more)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	r->f = more;
	k = &r->f[r->nf++];
	*k = (struct finding){ .s = s, .f = *f, .baseline = baseline };
	snprintf(k->label, sizeof k->label, "%s anomaly, %s: %s from %s to %s, peak %.6g against "
		 "%.6g (z %.1f)", sev_names[f->sev], f->dir > 0 ? "up" : "down", s->name,
		 utc_text(s->t[f->first], a, sizeof a), utc_text(s->t[f->last], b, sizeof b),
		 s->v[f->peak], baseline, f->peak_z);
	return 0;
}

/* Judges s against its seasonal baseline and keeps the findings that end
 * in the window. */
static int judge(struct report *r, const struct dw_series *s, struct dw_err *err)
{
	struct dw_season_layout l = layout_of(r);
	struct dw_season_finding f[PER_SERIES];
	double base[PER_SERIES];
	long nf = dw_series_findings(s, &l, f, base, PER_SERIES);
	int rc = nf < 0 ? dw_err_set(err, DW_EX_SOFTWARE, "cannot judge '%s'", s->name) : 0;

	for (long i = 0; rc == 0 && i < nf; i++)
		if (s->t[f[i].last] >= r->from)
			rc = keep(r, s, &f[i], base[i], err);
	return rc;
}

/* High ones first, then the latest. */
static int by_severity(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	long long tx = x->s->t[x->f.first], ty = y->s->t[y->f.first];

	if (x->f.sev != y->f.sev)
		return x->f.sev > y->f.sev ? -1 : 1;
	return (tx < ty) - (tx > ty);
}

/* s summed k points at a time from point a, the last sum ending at the
 * last point (a remainder at the start is left out), into v and, when not
 * NULL, the time of each sum's last point into t. Returns the sums. */
static size_t bucket(const struct dw_series *s, size_t a, size_t k, long long *t, double *v)
{
	size_t nb = (s->n - a) / k, skip = s->n - nb * k, b, i;

	for (b = 0; b < nb; b++) {
		v[b] = 0;
		for (i = 0; i < k; i++)
			v[b] += s->v[skip + b * k + i];
		if (t)
			t[b] = s->t[skip + b * k + k - 1];
	}
	return nb;
}

static int view_of(const struct report *r, const struct dw_series *s, struct view *w,
		   struct dw_err *err)
{
	w->t = calloc(s->n + 1, sizeof *w->t);
	w->v = calloc(s->n + 1, sizeof *w->v);
	if (!w->t || !w->v)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	w->n = r->first < s->n ? bucket(s, r->first, r->k, w->t, w->v) : 0;
	return 0;
}

static const char *method_name(enum dw_season_method m)
{
	return m == DW_SEASON_HW ? "additive Holt-Winters" : m == DW_SEASON_SNAIVE ?
	       "the seasonal naive method" : "simple exponential smoothing";
}

/* The season in charted points: --season's, else the period found. */
static size_t season_points(const struct report *r, const double *y, size_t n)
{
	long long m = r->season && r->step > 0 ? r->season / (r->step * (long long)r->k) : 0;

	if (r->season)
		return m >= 2 ? (size_t)m : 0;
	return n >= 4 ? dw_season_period(y, n, 2, n / 2, 0.3, NULL) : 0;
}

/* The method and season, then the backtest of the last season (or the
 * last quarter of the points without one). */
static void say_forecast(struct report *r, const struct dw_season_hw *hw, const double *y,
			 size_t n, size_t m)
{
	size_t k = m ? m : n / 4, size = sizeof r->caption, used;
	struct dw_season_backtest bt;

	used = (size_t)snprintf(r->caption, size, "Forecast by %s", method_name(hw->method));
	if (hw->method != DW_SEASON_SES)
		used += (size_t)snprintf(r->caption + used, size - used, " with a season of %zu "
					 "points (%s)", m, r->season ? "--season" :
					 "found in the data");
	if (k && k + 1 < n && dw_season_backtest(y, n, m, k, Z95, &bt) == 0 && bt.scored) {
		r->mape = bt.mape;
		snprintf(r->caption + used, size - used, "; backtest: the last %zu points forecast "
			 "from those before them, MAPE %.1f%%, WAPE %.1f%%, %zu of %zu inside the "
			 "95%% interval.", k, bt.mape, bt.wape, bt.inside, bt.scored + bt.skipped);
	} else {
		snprintf(r->caption + used, size - used, "; too few points for a backtest.");
	}
}

/* h points on from the last, calls never below 0. */
static int band_of(struct report *r, const struct dw_season_hw *hw, size_t h, struct dw_err *err)
{
	const struct view *w = &r->calls;
	struct dw_season_forecast f;

	if (!(r->band = calloc(h, sizeof *r->band)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (size_t i = 0; i < h; i++) {
		dw_season_hw_forecast(hw, i + 1, Z95, &f);
		r->band[i].t = w->t[w->n - 1] + (long long)(i + 1) * r->step * (long long)r->k;
		r->band[i].point = fmax(0, f.point);
		r->band[i].lo = fmax(0, f.lo);
		r->band[i].hi = fmax(0, f.hi);
	}
	r->nband = h;
	return 0;
}

/* Fits the load's calls, summed as charted, over every snapshot; forecasts
 * a season (12 points without one), at most a third of the points shown. */
static int forecast(struct report *r, struct dw_err *err)
{
	double *y = calloc(r->s[0].n + 1, sizeof *y);
	struct dw_season_hw hw;
	size_t n, m, h;
	int rc;

	if (!y)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	n = bucket(&r->s[0], 0, r->k, NULL, y);
	if (n < 4 || !r->calls.n || r->step <= 0) {
		snprintf(r->caption, sizeof r->caption, "Too few points to forecast: %zu, 4 "
			 "needed a second or more apart.", n);
		free(y);
		return 0;
	}
	m = season_points(r, y, n);
	if (dw_season_hw_fit(&hw, y, n, m) < 0) {
		free(y);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	h = m ? m : 12;
	h = h < r->calls.n / 3 ? h : r->calls.n / 3 > 2 ? r->calls.n / 3 : 2;
	rc = band_of(r, &hw, h, err);
	say_forecast(r, &hw, y, n, m);
	dw_season_hw_release(&hw);
	free(y);
	return rc;
}

/* The window's first point and the charts' sums. */
static void window_of(struct report *r)
{
	const struct dw_series *s = &r->s[0];
	size_t shown;

	while (r->first < s->n && s->t[r->first] < r->from)
		r->first++;
	shown = s->n - r->first;
	r->k = shown > MAX_POINTS ? (shown + MAX_POINTS - 1) / MAX_POINTS : 1;
	r->step = dw_series_step(s);
}

static int analyse(struct report *r, struct dw_err *err)
{
	int rc = 0;

	window_of(r);
	if (view_of(r, &r->s[0], &r->calls, err) < 0 || view_of(r, &r->s[1], &r->ms, err) < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < r->ns; i++)
		rc = judge(r, &r->s[i], err);
	if (rc == 0 && r->nf)
		qsort(r->f, r->nf, sizeof *r->f, by_severity);
	return rc == 0 ? forecast(r, err) : -1;
}

/* err, for tables that are not there, says what makes them. */
static int no_tables(struct dw_db *my, struct dw_err *err)
{
	if (dw_db_native_error(my) == 1146)   /* ER_NO_SUCH_TABLE */
		dw_err_set(err, DW_EX_CONFIG, "warehouse: no dw-tune tables (run dw-etl init)");
	return -1;
}

static int report_read(struct report *r, const struct dw_config *cfg, struct dw_err *err)
{
	if (!(r->my = dw_db_my_open(&cfg->warehouse, "warehouse", err)))
		return -1;
	if (dw_series_read(r->my, DIGESTS, &r->s, &r->ns, err) < 0)
		return no_tables(r->my, err);
	return r->ns ? analyse(r, err) : 0;
}

static void report_release(struct report *r)
{
	dw_series_free(r->s, r->ns);
	free(r->calls.t);
	free(r->calls.v);
	free(r->ms.t);
	free(r->ms.v);
	free(r->f);
	free(r->band);
	dw_db_close(r->my);
}

/* ---- the page ---- */

static const char css[] =
	":root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--blue:#4e79a7;--red:#e15759;"
	"--orange:#f28e2b}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;background:#f5f7fa;color:var(--ink);"
	"font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\n"
	"header{background:#243b53;color:#fff;padding:24px}\n"
	"header div,main{max-width:1100px;margin:0 auto}\n"
	"main{padding:0 24px}\n"
	"h1{margin:0 0 4px;font-size:24px}\n"
	"header p{margin:0;color:#bcccdc}\n"
	"h2{font-size:18px;margin:0 0 12px}\n"
	"h3{font-size:15px;margin:20px 0 4px}\n"
	"section{background:#fff;border:1px solid var(--line);border-radius:8px;"
	"padding:16px 20px;margin:20px 0;overflow-x:auto}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;"
	"margin:20px 0}\n"
	".card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px}\n"
	".card b{display:block;font-size:24px;font-variant-numeric:tabular-nums}\n"
	".card span{color:var(--muted);font-size:12px;text-transform:uppercase;"
	"letter-spacing:.04em}\n"
	".card.alert b{color:var(--red)}\n"
	"figure{margin:0 0 20px}\n"
	"figure svg{width:100%;height:auto}\n"
	"figcaption,.note{color:var(--muted);font-size:13px}\n"
	"table{border-collapse:collapse;width:100%;font-size:13px}\n"
	"th{text-align:left;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line);"
	"padding:6px;vertical-align:bottom}\n"
	"td{border-bottom:1px solid var(--line);padding:6px;vertical-align:top}\n"
	"tr.numbers td{border-bottom:0;padding-bottom:2px}\n"
	"tr.text td{padding-top:0}\n"
	"tr.text code{display:block;color:#334e68}\n"
	"p.asked{margin:4px 0 0;font-size:12px;color:#52606d}\n"
	"code.id{white-space:nowrap}\n"
	".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"code{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;"
	"word-break:break-word}\n"
	".sev{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;"
	"font-weight:600;color:#fff}\n"
	".sev.high{background:var(--red)}\n.sev.low{background:var(--orange)}\n"
	".bar{display:inline-block;vertical-align:middle;width:80px;height:8px;"
	"background:var(--line);border-radius:4px;margin-right:6px;overflow:hidden}\n"
	".bar span{display:block;height:100%;background:var(--blue)}\n"
	".none{color:var(--muted);font-style:italic}\n"
	".notice{background:#fffbea;border-color:#f0b429}\n"
	"summary{cursor:pointer;color:var(--blue)}\n"
	"footer{color:var(--muted);font-size:12px;padding:8px 24px 32px;text-align:center}\n";

static void esc(FILE *fp, const char *s)
{
	dw_text_xml(fp, s ? s : "");
}

/* "60 s", "5 min", "1 h". */
static const char *interval(long long s, char *buf, size_t len)
{
	if (s >= 3600 && s % 3600 == 0)
		snprintf(buf, len, "%lld h", s / 3600);
	else if (s >= 60 && s % 60 == 0)
		snprintf(buf, len, "%lld min", s / 60);
	else
		snprintf(buf, len, "%lld s", s);
	return buf;
}

static void page_head(FILE *fp, const struct report *r)
{
	char now[32], every[32];

	fputs("<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n<meta http-equiv=\"Content-Security-Policy\" "
	      "content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<title>dw-tune report: ", fp);
	esc(fp, r->db);
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header><div>\n"
		"<h1>Workload of ", css);
	esc(fp, r->db);
	fprintf(fp, "</h1>\n<p>Since %s UTC", r->since);
	if (r->ns)
		fprintf(fp, " &#183; a snapshot every %s", interval(r->step, every, sizeof every));
	fprintf(fp, " &#183; made %s UTC by dw-tune report</p>\n</div></header>\n<main>\n",
		utc_text((long long)time(NULL), now, sizeof now));
}

static void card(FILE *fp, const char *value, const char *what, int alert)
{
	fprintf(fp, "<div class=\"card%s\"><b>", alert ? " alert" : "");
	esc(fp, value);
	fputs("</b><span>", fp);
	esc(fp, what);
	fputs("</span></div>\n", fp);
}

static double window_sum(const struct report *r, const struct dw_series *s)
{
	double sum = 0;

	for (size_t i = r->first; i < s->n; i++)
		sum += s->v[i];
	return sum;
}

static void cards(FILE *fp, const struct report *r)
{
	char buf[64], num[32];
	size_t high = 0;

	for (size_t i = 0; i < r->nf; i++)
		high += r->f[i].f.sev == DW_SEASON_HIGH;
	fputs("<div class=\"cards\">\n", fp);
	card(fp, dw_chart_compact(window_sum(r, &r->s[0]), buf, sizeof buf), "statements run", 0);
	snprintf(buf, sizeof buf, "%s s", dw_chart_compact(window_sum(r, &r->s[1]) / 1e3, num,
							    sizeof num));
	card(fp, buf, "time in statements", 0);
	snprintf(buf, sizeof buf, "%zu", r->s[0].n - r->first);
	card(fp, buf, "snapshots", 0);
	snprintf(num, sizeof num, "%zu", high);
	snprintf(buf, sizeof buf, "high anomalies, %zu low", r->nf - high);
	card(fp, num, buf, high > 0);
	if (r->mape >= 0)
		snprintf(num, sizeof num, "%.1f%%", r->mape);
	card(fp, r->mape >= 0 ? num : "none", "forecast error (MAPE)", 0);
	fputs("</div>\n", fp);
}

static void no_data(FILE *fp)
{
	fputs("<section class=\"notice\"><h2>No data yet</h2>\n<p>dw-tune has fewer than two "
	      "snapshots of the workload, and a change needs two. Take them with "
	      "<code>dw-tune collect</code>, every minute from cron or with "
	      "<code>--every 60s</code>; this report fills in as they come.</p></section>\n", fp);
}

/* The spans of the findings on a chart. Returns them (the caller frees),
 * NULL when out of memory. */
static struct dw_chart_span *spans_of(const struct report *r)
{
	struct dw_chart_span *sp = calloc(r->nf + 1, sizeof *sp);

	for (size_t i = 0; sp && i < r->nf; i++) {
		const struct finding *f = &r->f[i];

		sp[i] = (struct dw_chart_span){ f->s->t[f->f.first] - r->step, f->s->t[f->f.last],
						f->f.sev == DW_SEASON_HIGH, f->label };
	}
	return sp;
}

static int figure(FILE *fp, struct dw_chart_series *c, const char *caption, struct dw_err *err)
{
	fputs("<figure>\n", fp);
	if (dw_chart_svg_series(c, fp, err) < 0)
		return -1;
	fputs("<figcaption>", fp);
	esc(fp, caption);
	fputs("</figcaption>\n</figure>\n", fp);
	return 0;
}

/* "per snapshot" or "per 6 snapshots (30 min)". */
static const char *per(const struct report *r, char *buf, size_t len)
{
	char every[32];

	if (r->k == 1)
		snprintf(buf, len, "per snapshot");
	else
		snprintf(buf, len, "per %zu snapshots (%s)", r->k,
			 interval(r->step * (long long)r->k, every, sizeof every));
	return buf;
}

/* The calls with their forecast, then the time over the same span. */
static int load_charts(FILE *fp, const struct report *r, struct dw_chart_span *sp,
		       struct dw_err *err)
{
	char p[64], title[128], caption[640];
	struct dw_chart_series c = { title, "calls", r->calls.n, r->calls.t, r->calls.v, r->nband,
				     r->band, r->nf, sp, 0 };

	snprintf(title, sizeof title, "Statements run %s", per(r, p, sizeof p));
	snprintf(caption, sizeof caption, "%s Shaded: the anomalies listed below, of the load or "
		 "of one statement; hover for what they are.", r->caption);
	if (figure(fp, &c, caption, err) < 0)
		return -1;
	snprintf(title, sizeof title, "Time in statements (ms) %s", p);
	c = (struct dw_chart_series){ title, "ms", r->ms.n, r->ms.t, r->ms.v, 0, NULL, r->nf, sp,
				      r->nband ? r->band[r->nband - 1].t : 0 };
	return figure(fp, &c, "The time the server spent running statements.", err);
}

static int load_section(FILE *fp, const struct report *r, struct dw_err *err)
{
	struct dw_chart_span *sp;
	int rc;

	fputs("<section id=\"load\">\n<h2>Load over time</h2>\n", fp);
	if (!r->calls.n) {
		fprintf(fp, "<p class=\"none\">No snapshot since %s UTC.</p>\n</section>\n",
			r->since);
		return 0;
	}
	if (!(sp = spans_of(r)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	rc = load_charts(fp, r, sp, err);
	free(sp);
	fputs("</section>\n", fp);
	return rc;
}

static void finding_row(FILE *fp, const struct finding *f)
{
	const struct dw_series *s = f->s;
	char a[32], b[32];

	fprintf(fp, "<tr><td><span class=\"sev %s\">%s</span></td><td class=\"n\">%s</td>"
		"<td class=\"n\">%s</td><td>%s</td><td>", sev_names[f->f.sev], sev_names[f->f.sev],
		utc_text(s->t[f->f.first], a, sizeof a), utc_text(s->t[f->f.last], b, sizeof b),
		f->f.dir > 0 ? "up" : "down");
	esc(fp, s->name);
	if (s->text[0]) {
		fputs("<br/><code>", fp);
		esc(fp, s->text);
		fputs("</code>", fp);
	}
	fprintf(fp, "</td><td class=\"n\">%.6g</td><td class=\"n\">%.6g</td>"
		"<td class=\"n\">%.1f</td></tr>\n", s->v[f->f.peak], f->baseline, f->f.peak_z);
}

static void anomalies_section(FILE *fp, const struct report *r)
{
	struct dw_season_layout l = layout_of(r);

	fputs("<section id=\"anomalies\">\n<h2>Anomalies</h2>\n<p class=\"note\">", fp);
	if (l.kind == DW_SEASON_PERIOD)
		fprintf(fp, "Each snapshot against the earlier ones at the same time of a "
			"compressed day of %lld snapshots (%lld slots)", l.period, l.buckets);
	else
		fputs("Each snapshot against the earlier ones at the same hour of the same day of "
		      "the week (UTC)", fp);
	fprintf(fp, ": the median and the spread of their values; |z| from 3 is low, from 5 "
		"high. The load's calls and those of the %d statements that took most time.</p>\n",
		DIGESTS);
	if (!r->nf) {
		fprintf(fp, "<p class=\"none\">No anomaly since %s UTC.</p>\n</section>\n",
			r->since);
		return;
	}
	fputs("<table>\n<thead><tr><th>severity</th><th class=\"n\">start</th><th class=\"n\">end"
	      "</th><th>direction</th><th>what</th><th class=\"n\">peak</th><th class=\"n\">"
	      "baseline</th><th class=\"n\">z</th></tr></thead>\n<tbody>\n", fp);
	for (size_t i = 0; i < r->nf; i++)
		finding_row(fp, &r->f[i]);
	fputs("</tbody>\n</table>\n</section>\n", fp);
}

/* ---- tables from queries ---- */

/* A statement's text and example go in a row of their own under its
 * numbers, the width of the table. */
static int is_text(const struct dw_rows *rows, int c)
{
	const char *name = dw_rows_name(rows, c);

	return !strcmp(name, "query") || !strcmp(name, "example") || !strcmp(name, "question");
}

static int narrow_columns(const struct dw_rows *rows)
{
	int n = 0;

	for (int c = 0; c < dw_rows_ncols(rows); c++)
		n += !is_text(rows, c);
	return n;
}

static void cell(FILE *fp, struct dw_rows *rows, int c)
{
	const char *name = dw_rows_name(rows, c), *v = dw_rows_value(rows, c);
	int id = !strcmp(name, "digest");

	if (!v) {
		fputs("<td></td>", fp);
	} else if (!strcmp(name, "share")) {
		fprintf(fp, "<td class=\"n\"><span class=\"bar\"><span style=\"width:%.1f%%\">"
			"</span></span>", fmin(100, fmax(0, atof(v))));
		esc(fp, v);
		fputs("%</td>", fp);
	} else {
		fputs(id ? "<td><code class=\"id\">" : dw_rows_is_numeric(rows, c) ?
		      "<td class=\"n\">" : "<td>", fp);
		esc(fp, v);
		fputs(id ? "</code></td>" : "</td>", fp);
	}
}

/* The text columns of the row: the query in full, the example folded, the
 * latest question of dw-ask traced to it. */
static void text_row(FILE *fp, struct dw_rows *rows)
{
	fprintf(fp, "<tr class=\"text\"><td></td><td colspan=\"%d\">", narrow_columns(rows) - 1);
	for (int c = 0; c < dw_rows_ncols(rows); c++) {
		const char *v = dw_rows_value(rows, c), *name = dw_rows_name(rows, c);
		int example = !strcmp(name, "example");

		if (!is_text(rows, c) || !v || !*v)
			continue;
		if (!strcmp(name, "question")) {
			fputs("<p class=\"asked\">asked of dw-ask, latest: ", fp);
			esc(fp, v);
			fputs("</p>", fp);
			continue;
		}
		fputs(example ? "<details><summary>an example</summary><code>" : "<code>", fp);
		esc(fp, v);
		fputs(example ? "</code></details>" : "</code>", fp);
	}
	fputs("</td></tr>\n", fp);
}

/* A column's name as a heading: "examined per sent". */
static void heading(FILE *fp, const char *name)
{
	char buf[64], *u;

	snprintf(buf, sizeof buf, "%s", name);
	for (u = buf; (u = strchr(u, '_')); u++)
		*u = ' ';
	esc(fp, buf);
}

static void table_head(FILE *fp, struct dw_rows *rows)
{
	fputs("<table>\n<thead><tr>", fp);
	for (int c = 0; c < dw_rows_ncols(rows); c++) {
		if (is_text(rows, c))
			continue;
		fputs(dw_rows_is_numeric(rows, c) ? "<th class=\"n\">" : "<th>", fp);
		heading(fp, dw_rows_name(rows, c));
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
}

static void table_row(FILE *fp, struct dw_rows *rows)
{
	int texts = narrow_columns(rows) < dw_rows_ncols(rows);

	fputs(texts ? "<tr class=\"numbers\">" : "<tr>", fp);
	for (int c = 0; c < dw_rows_ncols(rows); c++)
		if (!is_text(rows, c))
			cell(fp, rows, c);
	fputs("</tr>\n", fp);
	if (texts)
		text_row(fp, rows);
}

/* The rows of a query as a table, or the sentence empty; frees rows. */
static int rows_table(FILE *fp, struct dw_rows *rows, const char *empty, struct dw_err *err)
{
	int rc, any;

	if (!rows)
		return -1;
	rc = dw_rows_next(rows, err);
	any = rc == 1;
	if (rc == 0)
		fprintf(fp, "<p class=\"none\">%s</p>\n", empty);
	if (any)
		table_head(fp, rows);
	for (; rc == 1; rc = dw_rows_next(rows, err))
		table_row(fp, rows);
	if (any)
		fputs("</tbody>\n</table>\n", fp);
	dw_rows_free(rows);
	return rc;
}

static int top_section(FILE *fp, const struct report *r, struct dw_err *err)
{
	int rc;

	fprintf(fp, "<section id=\"top\">\n<h2>Costliest statements</h2>\n<p class=\"note\">The %d "
		"statement digests that took most time since %s UTC: their share of it, calls, "
		"total, mean and longest time, v_m (variance to mean of the mean time: high when a "
		"statement is sometimes fast, sometimes slow), rows examined per row sent, full "
		"scans and temporary tables.</p>\n", TOP, r->since);
	rc = rows_table(fp, dw_top_query(r->my, r->since, DW_TOP_TIME, TOP, err),
			"No statement ran in the window.", err);
	fputs("</section>\n", fp);
	return rc;
}

static const char tables_sql[] =
	"SELECT table_name AS `table`, table_rows AS `rows`, "
	"ROUND(data_bytes / 1048576, 2) AS data_mb, ROUND(index_bytes / 1048576, 2) AS index_mb, "
	"ROUND(100 * (data_bytes + index_bytes) / "
	"NULLIF(SUM(data_bytes + index_bytes) OVER (), 0), 1) AS share "
	"FROM dw_tune_table WHERE snap_id = (SELECT MAX(snap_id) FROM dw_tune_table) "
	"ORDER BY data_bytes + index_bytes DESC, table_name LIMIT ?";

static const char indexes_sql[] =
	"SELECT i.table_name AS `table`, i.index_name AS `index`, SUM(i.d_read_count) AS `reads`, "
	"ROUND(100 * SUM(i.d_read_count) / NULLIF(SUM(SUM(i.d_read_count)) OVER (), 0), 1) "
	"AS share, IF(SUM(i.d_read_count) = 0, 'not read in the window', '') AS note "
	"FROM dw_tune_index i JOIN dw_tune_snapshot t ON t.snap_id = i.snap_id "
	"WHERE t.taken_at >= ? GROUP BY i.table_name, i.index_name "
	"ORDER BY `reads` DESC, `table`, `index` LIMIT ?";

static int sizes_section(FILE *fp, const struct report *r, struct dw_err *err)
{
	char lim[16];
	const char *p1[] = { lim }, *p2[] = { r->since, lim };
	int rc;

	snprintf(lim, sizeof lim, "%d", LISTED);
	fputs("<section id=\"sizes\">\n<h2>Tables and indexes</h2>\n<h3>Tables</h3>\n"
	      "<p class=\"note\">By size at the last snapshot, rows as the server estimates "
	      "them.</p>\n", fp);
	rc = rows_table(fp, dw_db_query(r->my, tables_sql, 1, p1, err), "No snapshot yet.", err);
	if (rc == 0 && r->ns) {
		fprintf(fp, "<h3>Index reads</h3>\n<p class=\"note\">Reads through each index "
			"since %s UTC; an index never read costs only its writes.</p>\n",
			r->since);
		rc = rows_table(fp, dw_db_query(r->my, indexes_sql, 2, p2, err),
				"No index in the window.", err);
	}
	fputs("</section>\n", fp);
	return rc;
}

static int page(FILE *fp, const struct report *r, struct dw_err *err)
{
	int rc = 0;

	page_head(fp, r);
	if (r->ns) {
		cards(fp, r);
		rc = load_section(fp, r, err);
		if (rc == 0)
			anomalies_section(fp, r);
	} else {
		no_data(fp);
	}
	if (rc == 0)
		rc = top_section(fp, r, err);
	if (rc == 0)
		rc = sizes_section(fp, r, err);
	fputs("</main>\n<footer>dw-tune report: a standalone page, nothing to fetch, nothing "
	      "to run.</footer>\n</body>\n</html>\n", fp);
	return rc;
}

int dw_report_write(const struct dw_config *cfg, const struct dw_report_opts *o,
		    struct dw_err *err)
{
	struct dw_outfile f;
	struct report r;
	int rc;

	if (report_args(&r, cfg, o, err) < 0 || dw_outfile_open(&f, o->html, 0644, err) < 0)
		return -1;
	rc = report_read(&r, cfg, err);
	if (rc == 0)
		rc = page(f.fp, &r, err);
	if (rc == 0 && ferror(f.fp))
		rc = dw_err_set(err, DW_EX_IOERR, "cannot write '%s'", o->html);
	report_release(&r);
	if (rc < 0) {
		dw_outfile_abort(&f);
		return -1;
	}
	return dw_outfile_commit(&f, err);
}
