/* A season is real time's week (hour of day x day of week) unless --season
 * gives the length of a compressed day; then a period of that many
 * snapshot intervals, in 24 slots like a day's hours. */
#include "tune/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "db/db.h"
#include "log.h"
#include "tune/season.h"
#include "tune/series.h"

#define DIGESTS 10

/* "5m", "90s", "1h", "7d" as seconds; -1 if not one. */
static long long seconds_of(const char *s)
{
	char unit = 0;
	long long n = 0;
	int len = 0;

	if (sscanf(s, "%lld%c%n", &n, &unit, &len) != 2 || s[len] || n <= 0)
		return -1;
	n *= unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : -1;
	return n > 0 ? n : -1;
}

static void utc_text(long long t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Reads the series and the season's layout. A compressed season counts
 * in snapshot intervals (t is then the sample index). */
struct watch {
	struct dw_series *s;
	size_t n;
	struct dw_season_layout layout;
	long long step;           /* seconds between snapshots */
	long long period;         /* samples in a season (0: the week) */
};

static int watch_open(const struct dw_config *cfg, const struct dw_watch_opts *o,
		      struct watch *w, struct dw_err *err)
{
	long long season = o->season ? seconds_of(o->season) : 0;
	struct dw_db *my;
	int rc;

	memset(w, 0, sizeof *w);
	if (season < 0)
		return dw_err_set(err, DW_EX_USAGE, "--season: '%s' is not a duration such as 5m "
				  "or 1d", o->season);
	if (!(my = dw_db_my_open(&cfg->warehouse, "warehouse", err)))
		return -1;
	rc = dw_series_read(my, DIGESTS, &w->s, &w->n, err);
	dw_db_close(my);
	if (rc < 0)
		return -1;
	w->step = w->n ? dw_series_step(&w->s[0]) : 0;
	w->layout = (struct dw_season_layout){ .kind = DW_SEASON_WEEK };
	if (season && w->step > 0) {
		w->period = season / w->step > 1 ? season / w->step : 2;
		w->layout = (struct dw_season_layout){ .kind = DW_SEASON_PERIOD,
						       .period = w->period,
						       .buckets = w->period < 24 ? w->period : 24 };
	}
	return 0;
}

static void watch_close(struct watch *w)
{
	dw_series_free(w->s, w->n);
}

/* ---- anomalies ---- */

static const char *const sev_names[] = { "none", "low", "high" };

/* The table of findings, made at the first one: without -F, a window
 * with none prints nothing, as cron wants. */
struct findings_out {
	FILE *fp;
	const struct dw_watch_opts *o;
	struct dw_out *t;
};

static struct dw_out *findings_table(struct findings_out *fo)
{
	static const char *const cols[] = { "severity", "start", "end", "direction", "what",
					    "peak", "baseline", "z", "query" };

	if (fo->t)
		return fo->t;
	fo->t = dw_out_new(fo->fp, fo->o->format, fo->o->header);
	for (int i = 0; fo->t && i < 9; i++)
		dw_out_column(fo->t, cols[i], i >= 5 && i <= 7 ? DW_OUT_NUMBER : DW_OUT_TEXT);
	return fo->t;
}

static int finding_row(struct findings_out *fo, const struct dw_series *s, double baseline,
		       const struct dw_season_finding *f, struct dw_err *err)
{
	struct dw_out *t = findings_table(fo);
	char a[32], b[32], v[32], base[32], z[32];
	const char *row[] = { sev_names[f->sev], a, b, f->dir > 0 ? "up" : "down", s->name, v,
			      base, z, s->text };

	utc_text(s->t[f->first], a, sizeof a);
	utc_text(s->t[f->last], b, sizeof b);
	snprintf(v, sizeof v, "%.1f", s->v[f->peak]);
	snprintf(base, sizeof base, "%.1f", baseline);
	snprintf(z, sizeof z, "%.1f", f->peak_z);
	return t ? dw_out_row(t, row, err) : dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
}

/* The findings of one series ending at or after since; *high counts the
 * high ones. */
static int series_findings(const struct watch *w, const struct dw_series *s, long long since,
			   struct findings_out *t, int *high, struct dw_err *err)
{
	struct dw_season_finding f[64];
	double base[64];
	long nf = dw_series_findings(s, &w->layout, f, base, 64);
	int rc = nf < 0 ? dw_err_set(err, DW_EX_SOFTWARE, "cannot judge '%s'", s->name) : 0;

	for (long i = 0; rc == 0 && i < nf; i++) {
		if (s->t[f[i].last] < since)
			continue;
		*high += f[i].sev == DW_SEASON_HIGH;
		rc = finding_row(t, s, base[i], &f[i], err);
	}
	return rc;
}

int dw_watch_anomalies(const struct dw_config *cfg, const struct dw_watch_opts *o, FILE *out,
		       struct dw_err *err)
{
	struct findings_out fo = { out, o, NULL };
	char since[32];
	struct watch w;
	long long from;
	int rc = 0, high = 0, y, m, d, hh, mm, ss;

	if (dw_date_time_arg(o->since ? o->since : "1h", since, err) < 0 ||
	    watch_open(cfg, o, &w, err) < 0)
		return -1;
	sscanf(since, "%d-%d-%d %d:%d:%d", &y, &m, &d, &hh, &mm, &ss);
	from = dw_date_days_from_civil(y, m, d) * 86400LL + hh * 3600 + mm * 60 + ss;
	for (size_t i = 0; rc == 0 && i < w.n; i++)
		rc = series_findings(&w, &w.s[i], from, &fo, &high, err);
	if (rc == 0 && o->format != DW_OUT_AUTO && !findings_table(&fo))
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (rc == 0 && fo.t)
		rc = dw_out_end(fo.t, err);
	dw_out_free(fo.t);
	watch_close(&w);
	if (rc == 0 && high)
		return dw_err_set(err, DW_EX_NEGATIVE, "%d high-severity anomal%s", high,
				  high == 1 ? "y" : "ies");
	return rc;
}

/* ---- forecast ---- */

static int forecast_rows(const struct watch *w, const struct dw_season_hw *hw, size_t h,
			 struct dw_out *t, struct dw_err *err)
{
	const struct dw_series *s = &w->s[0];
	int rc = 0;

	for (size_t k = 1; rc == 0 && k <= h; k++) {
		struct dw_season_forecast f;
		char at[32], p[32], lo[32], hi[32];
		const char *row[] = { at, p, lo, hi };

		dw_season_hw_forecast(hw, k, 1.96, &f);
		utc_text(s->t[s->n - 1] + (long long)k * w->step, at, sizeof at);
		snprintf(p, sizeof p, "%.1f", f.point);
		snprintf(lo, sizeof lo, "%.1f", f.lo > 0 ? f.lo : 0);
		snprintf(hi, sizeof hi, "%.1f", f.hi);
		rc = dw_out_row(t, row, err);
	}
	return rc;
}

static const char *method_name(enum dw_season_method m)
{
	return m == DW_SEASON_HW ? "Holt-Winters" : m == DW_SEASON_SNAIVE ? "seasonal naive"
									: "exponential smoothing";
}

/* The season in samples: --season's, else the strongest period found. */
static size_t season_of(const struct watch *w)
{
	const struct dw_series *s = &w->s[0];

	if (w->period)
		return (size_t)w->period;
	return dw_season_period(s->v, s->n, 2, s->n / 2, 0.3, NULL);
}

static int forecast_out(const struct watch *w, const struct dw_watch_opts *o, FILE *out,
			struct dw_err *err)
{
	static const char *const cols[] = { "at", "calls", "lo", "hi" };
	const struct dw_series *s = &w->s[0];
	size_t m = season_of(w), h;
	long long horizon = o->horizon ? seconds_of(o->horizon) : 0;
	struct dw_season_hw hw;
	struct dw_season_backtest bt;
	struct dw_out *t;
	int rc;

	if (horizon < 0)
		return dw_err_set(err, DW_EX_USAGE, "--horizon: '%s' is not a duration such as 1h",
				  o->horizon);
	h = horizon ? (size_t)(horizon / w->step) : m ? m : 12;
	if (dw_season_hw_fit(&hw, s->v, s->n, m) < 0)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (m && s->n > m && dw_season_backtest(s->v, s->n, m, m, 1.96, &bt) == 0)
		dw_log_verbose(0, "%s, season %zu snapshots: the last season forecast from the ones "
			       "before has a MAPE of %.1f%%, a WAPE of %.1f%% (%zu of %zu inside the "
			       "95%% interval)", method_name(hw.method), m, bt.mape, bt.wape, bt.inside,
			       bt.scored + bt.skipped);
	else
		dw_log_verbose(0, "%s: no season found in %zu snapshots, no backtest",
			       method_name(hw.method), s->n);
	t = dw_out_new(out, o->format, o->header);
	rc = t ? 0 : dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (int i = 0; t && i < 4; i++)
		dw_out_column(t, cols[i], i ? DW_OUT_NUMBER : DW_OUT_TEXT);
	if (rc == 0)
		rc = forecast_rows(w, &hw, h ? h : 1, t, err);
	if (rc == 0)
		rc = dw_out_end(t, err);
	dw_out_free(t);
	dw_season_hw_release(&hw);
	return rc;
}

int dw_watch_forecast(const struct dw_config *cfg, const struct dw_watch_opts *o, FILE *out,
		      struct dw_err *err)
{
	struct watch w;
	int rc;

	if (watch_open(cfg, o, &w, err) < 0)
		return -1;
	if (w.n == 0 || w.s[0].n < 4 || w.step <= 0)
		rc = dw_err_set(err, DW_EX_DATAERR, "too few snapshots to forecast (%zu); "
				"run dw-tune collect for a while", w.n ? w.s[0].n : 0);
	else
		rc = forecast_out(&w, o, out, err);
	watch_close(&w);
	return rc;
}
