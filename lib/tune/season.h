/* season: the plain statistics dw-tune(1) watches a workload with, a
 * series of (time, value) at a fixed interval: a robust seasonal baseline
 * that judges each point against the past values of its slot of the
 * season (median and MAD), the findings those judgements make, the period
 * of a series from its autocorrelation, and additive Holt-Winters
 * forecasts with prediction intervals and a backtest of them. Pure: libc
 * and libm, no database, no output. Reference: Hyndman & Athanasopoulos,
 * Forecasting: Principles and Practice, 3rd ed. (FPP3), OTexts 2021. */
#ifndef DW_TUNE_SEASON_H
#define DW_TUNE_SEASON_H

#include <stddef.h>

/* ---- robust statistics ---- */

/* The median of x[0..n-1] (n > 0): the middle value, or the mean of the
 * two middle ones. Sorts x in place. */
double dw_season_median(double *x, size_t n);
/* The MAD around median, scaled by 1.4826 so that it estimates the
 * standard deviation of normal data: 1.4826 * median(|x_i - median|).
 * Overwrites x with the deviations (n > 0). */
double dw_season_mad(double *x, size_t n, double median);

/* ---- seasons: time to slot ---- */

enum dw_season_kind {
	DW_SEASON_WEEK = 1,   /* real time: hour of day x day of week, 168 slots */
	DW_SEASON_PERIOD,     /* compressed time: a period of P samples */
};

struct dw_season_layout {
	enum dw_season_kind kind;
	long long offset;     /* WEEK: seconds added to t first (a time zone: 3600 for UTC+1) */
	long long period;     /* PERIOD: samples in a period (P >= 1) */
	long long buckets;    /* PERIOD: slots per period (1..P; 0 means P, a slot per sample) */
};

/* The slots of a season: 168, B (or P), 0 when the layout is invalid. */
size_t dw_season_slots(const struct dw_season_layout *l);
/* The slot of time t. WEEK: t in seconds since the epoch (UTC), slot
 * 24 * day + hour with Monday 00:00 slot 0 and Sunday 23:00 slot 167.
 * PERIOD: t a sample index, slot floor((t mod P) * B / P). The layout must
 * be valid (dw_season_slots non-zero). */
size_t dw_season_slot(const struct dw_season_layout *l, long long t);

/* ---- the baseline: each point against the past of its slot ---- */

struct dw_season_point {
	long long t;          /* seconds since the epoch, or a sample index */
	double v;
};

struct dw_season_opts {
	size_t min_history;   /* past values of the slot needed to judge a point (>= 1) */
	size_t window;        /* at most this many, the most recent (0: all) */
	size_t near_slots;    /* slots either side whose season-to-season changes
				 also measure the spread (see below) */
	double eps;           /* absolute floor of the spread, in the values' unit (> 0) */
	double rel_floor;     /* floor of the spread as a fraction of |median| (>= 0) */
	double low, high;     /* |z| from which a point is low, high (0 < low <= high) */
	int counts;           /* the values count independent events (calls): see below */
	int rises_only;       /* a value below its baseline is never a finding */
};

/* min_history 3, window 0, near_slots 2, eps 1, rel_floor 0.05, low 3,
 * high 5, counts 0, rises_only 0. eps 1 is one unit of the counters dw-tune collects (calls, rows,
 * microseconds): a rare query seen once where it is never seen is z 1, not
 * a finding. Lower it for values with a finer resolution. */
void dw_season_opts_init(struct dw_season_opts *o);

enum dw_season_severity { DW_SEASON_NONE, DW_SEASON_LOW, DW_SEASON_HIGH };

struct dw_season_judgement {
	int judged;           /* 0: fewer than min_history past values (all else 0) */
	double median, mad;   /* of the slot's past values (mad scaled) */
	double spread;        /* what z divides by: max(mad, near, rel_floor |median|, eps) */
	double z;             /* (v - median) / spread */
	enum dw_season_severity sev;
};

/* Judges p[0..n-1] (in time order) into out[0..n-1]: each point against
 * the values before it in the series that share its slot, never later
 * ones. A slot's MAD from a handful of seasons is itself noisy (three
 * values can agree by chance), so the spread is at least "near": the
 * typical change of a value from one season to the next in the slot and
 * its near_slots neighbours either side, 1.4826 median |y - y'| / sqrt(2).
 * With counts, values are judged on Anscombe's scale, 2 sqrt(x + 3/8), on
 * which Poisson noise has a spread of about 1 whatever the rate, and eps
 * (1) is that spread: a rare query seen 3 times where it is never seen is
 * z 2.4, chance; 40 times, z 11.5; a load of 25 falling to 0, z -8.9. The
 * judgement's median is then back in the values' unit, its mad, spread
 * and z on the scale.
 * Returns 0, or -1 when the layout or options are invalid (a window below
 * min_history included) or memory runs out. */
int dw_season_baseline(const struct dw_season_point *p, size_t n,
		       const struct dw_season_layout *l, const struct dw_season_opts *o,
		       struct dw_season_judgement *out);

enum dw_season_dir { DW_SEASON_DOWN = -1, DW_SEASON_UP = 1 };

struct dw_season_finding {
	size_t first, last;   /* indexes of its first and last flagged points */
	long long start, end; /* their times */
	size_t flagged;       /* flagged points in [first, last] */
	size_t peak;          /* index of the largest |z| */
	double peak_z;
	double combined_z;    /* Stouffer's of its flagged points: sum z / sqrt(flagged) */
	enum dw_season_severity sev;   /* the highest, or high when |combined_z| >= high */
	enum dw_season_dir dir;
};

/* Merges the points judged at least min (LOW or HIGH) into findings: runs
 * of flagged points of one direction, at most gap unflagged points apart
 * (0: consecutive), so a burst of five samples is one finding; a point of
 * the other direction starts a new one. A finding is high when one of its
 * points is, or when their evidence together is: Stouffer's combined z of
 * its flagged points at least high (two snapshots of an outage at z -4.7
 * each make -6.6). Writes at most max findings to out; returns how many
 * there are (call with max 0 to count). */
size_t dw_season_findings(const struct dw_season_point *p,
			  const struct dw_season_judgement *j, size_t n,
			  enum dw_season_severity min, size_t gap, double high,
			  struct dw_season_finding *out, size_t max);

/* ---- the period of a series ---- */

/* The sample autocorrelation of x[0..n-1] at lag (FPP3 2.8):
 * r_k = sum_{t=k}^{n-1} (x_t - mean)(x_{t-k} - mean) / sum_t (x_t - mean)^2;
 * 0 for a constant series or a lag >= n. */
double dw_season_acf(const double *x, size_t n, size_t lag);
/* The period of x: of the lags in [min_lag, max_lag] (min_lag at least 2,
 * max_lag at most n/2, so two periods are seen) where r_k is a local peak
 * (r_{k-1} < r_k >= r_{k+1}), the one with the highest r_k, when that is
 * at least min_acf (0.3 is a fair choice). Peaks only, so a trend, whose
 * autocorrelation just decays, has no period. Returns the lag, or 0 when
 * none qualifies; *acf (when not NULL) gets its r_k, or 0. */
size_t dw_season_period(const double *x, size_t n, size_t min_lag, size_t max_lag,
			double min_acf, double *acf);

/* ---- Holt-Winters forecasts ---- */

enum dw_season_method {
	DW_SEASON_HW = 1,     /* additive Holt-Winters, ETS(A,A,A): n >= 2m, m >= 2 */
	DW_SEASON_SNAIVE,     /* seasonal naive, a fallback when m < n < 2m */
	DW_SEASON_SES,        /* simple exponential smoothing, when n <= m or m < 2 */
};

struct dw_season_hw {
	enum dw_season_method method;   /* what the length of the series allowed */
	size_t m;             /* season length of the states (1 for SES) */
	size_t n;             /* points fitted */
	double alpha, beta, gamma;   /* smoothing of level, trend (beta*), season */
	double level, trend;  /* states after the last point */
	double *season;       /* m states by phase t mod m; freed by dw_season_hw_release */
	double sigma;         /* RMSE of the one-step errors */
	size_t nres;          /* errors sigma is from (0: sigma 0, no interval) */
};

/* Fits y[0..n-1] with season length m. Holt-Winters learns from y with
 * the points its seasonal baseline flags (dw_season_baseline, the default
 * options, a slot per position of the season) replaced by the baseline's
 * median, so that an anomaly does not become part of the forecast. The
 * states start from the first
 * two seasons (trend from the change of their means, season from their
 * detrended values), alpha, beta and gamma are the point of a small grid
 * (gamma <= 1 - alpha) with the least sum of squared one-step errors, and
 * sigma is their RMSE. Too short for two seasons, the seasonal naive
 * method (m < n < 2m; errors from y_m on) or simple exponential smoothing
 * (n <= m or m < 2; from y_1 on), as method says. Returns 0, or -1 when
 * n is 0 or memory runs out (hw then needs no release). */
int dw_season_hw_fit(struct dw_season_hw *hw, const double *y, size_t n, size_t m);
void dw_season_hw_release(struct dw_season_hw *hw);

struct dw_season_forecast {
	double point;
	double sigma;         /* standard deviation of the h-step error */
	double lo, hi;        /* point -/+ z * sigma */
};

/* The forecast h >= 1 steps after the last point fitted,
 * l + h b + s_{phase of n-1+h}, and its interval point -/+ z sigma_h
 * (z 1.96: 95%) with sigma_h = sigma sqrt(1 + sum_{j=1}^{h-1} c_j^2),
 * c_j = alpha (1 + j beta) + gamma [j mod m = 0]: the variance of the
 * additive ETS models (Hyndman et al. 2008, chapter 6; FPP3 8.7), which
 * also covers the fallbacks (SES: c_j = alpha; seasonal naive: alpha 0,
 * gamma 1). */
void dw_season_hw_forecast(const struct dw_season_hw *hw, size_t h, double z,
			   struct dw_season_forecast *f);

struct dw_season_backtest {
	enum dw_season_method method;   /* of the fit on the points before the last k */
	double mape;          /* mean |actual - point| / |actual|, in percent (0 when none scored) */
	double wape;          /* sum |actual - point| / sum |actual|, in percent: what a load of
				 few calls at night is better judged by (0 when the sum is 0) */
	size_t scored;        /* actuals scored */
	size_t skipped;       /* actuals 0, left out of the MAPE */
	size_t inside;        /* actuals inside the interval of z */
	double sum;           /* of |actual| */
};

/* Fits y[0..n-k-1] with season length m, forecasts the last k points and
 * scores them. Returns 0, or -1 when k is 0 or not below n, or memory runs
 * out. */
int dw_season_backtest(const double *y, size_t n, size_t m, size_t k, double z,
		       struct dw_season_backtest *bt);

#endif
