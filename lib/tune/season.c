#include "tune/season.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- robust statistics ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double dw_season_median(double *x, size_t n)
{
	qsort(x, n, sizeof *x, cmp_double);
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* 1.4826 = 1 / Phi^-1(3/4): the MAD of normal data times it is sigma
 * (Rousseeuw & Croux 1993; Leys et al. 2013). */
double dw_season_mad(double *x, size_t n, double median)
{
	for (size_t i = 0; i < n; i++)
		x[i] = fabs(x[i] - median);
	return 1.4826 * dw_season_median(x, n);
}

/* ---- seasons ---- */

/* a mod b in [0, b) for b > 0, negative a included. */
static long long mod_floor(long long a, long long b)
{
	long long r = a % b;

	return r < 0 ? r + b : r;
}

static long long period_buckets(const struct dw_season_layout *l)
{
	return l->buckets ? l->buckets : l->period;
}

size_t dw_season_slots(const struct dw_season_layout *l)
{
	if (l->kind == DW_SEASON_WEEK)
		return 168;
	if (l->kind != DW_SEASON_PERIOD || l->period < 1 || l->buckets < 0 ||
	    l->buckets > l->period)
		return 0;
	return (size_t)period_buckets(l);
}

/* WEEK: 1970-01-01 was a Thursday, day 3 of a week from Monday. */
size_t dw_season_slot(const struct dw_season_layout *l, long long t)
{
	if (l->kind == DW_SEASON_WEEK) {
		long long s = t + l->offset;
		long long day = (s - mod_floor(s, 86400)) / 86400;

		return (size_t)(mod_floor(day + 3, 7) * 24 + mod_floor(s, 86400) / 3600);
	}
	return (size_t)(mod_floor(t, l->period) * period_buckets(l) / l->period);
}

/* ---- the baseline ---- */

#define NO_POINT SIZE_MAX

void dw_season_opts_init(struct dw_season_opts *o)
{
	*o = (struct dw_season_opts){ .min_history = 3, .window = 0, .near_slots = 2, .eps = 1,
				      .rel_floor = 0.05, .low = 3, .high = 5 };
}

static int opts_valid(const struct dw_season_opts *o)
{
	return o->min_history >= 1 && (!o->window || o->window >= o->min_history) &&
	       o->eps > 0 && o->rel_floor >= 0 && o->low > 0 && o->low <= o->high;
}

/* Anscombe's transform: Poisson counts of any rate have a spread of about
 * 1 on its scale (Anscombe 1948), so one count means as much at 2 as at
 * 2000 calls a snapshot: noise at low counts, a real change at high ones. */
static double anscombe(double x)
{
	return 2 * sqrt(fmax(x, 0) + 0.375);
}

/* The points judged so far, chained by slot: last[s] is the newest point of
 * slot s, prev[i] the one before point i in its slot (NO_POINT: none). */
struct history {
	const struct dw_season_point *p;
	size_t *prev, *last;
	size_t ns;            /* slots */
	size_t max;           /* values used per slot (the window) */
	int counts;           /* judged on Anscombe's scale */
	double *vals, *diffs; /* scratch, a value per point each */
};

/* The values of slot s, newest first, at most h->max, into buf: on
 * Anscombe's scale with counts. */
static size_t gather(const struct history *h, size_t s, double *buf)
{
	size_t k = 0;

	for (size_t j = h->last[s]; j != NO_POINT && k < h->max; j = h->prev[j])
		buf[k++] = h->counts ? anscombe(h->p[j].v) : h->p[j].v;
	return k;
}

/* The spread from the season-to-season changes of slot s and its near
 * neighbours either side (each slot once, wrapping round the season): a
 * slot has a few values, too few for its MAD alone to be trusted, and its
 * neighbours are about as noisy. For values y, y' of one slot in
 * successive seasons with spread sigma, y - y' has sigma sqrt(2), so
 * sigma = 1.4826 median |y - y'| / sqrt(2). A trend or a change of level
 * widens it, which makes the judgement more cautious. */
static double near_spread(const struct history *h, size_t s, size_t near)
{
	size_t span = near < h->ns / 2 ? 2 * near + 1 : h->ns;
	size_t first = (s + h->ns - span / 2) % h->ns, nd = 0;

	for (size_t q = 0; q < span; q++) {
		size_t k = gather(h, (first + q) % h->ns, h->diffs + nd);

		for (size_t j = 0; j + 1 < k; j++)
			h->diffs[nd + j] = fabs(h->diffs[nd + j] - h->diffs[nd + j + 1]);
		nd += k ? k - 1 : 0;
	}
	return nd ? 1.4826 * dw_season_median(h->diffs, nd) / sqrt(2) : 0;
}

static enum dw_season_severity severity(double z, const struct dw_season_opts *o)
{
	if (fabs(z) >= o->high)
		return DW_SEASON_HIGH;
	return fabs(z) >= o->low ? DW_SEASON_LOW : DW_SEASON_NONE;
}

/* The robust z-score of v against the past of slot s (Iglewicz & Hoaglin
 * 1993, with the scaled MAD), its spread floored by the neighbourhood's
 * and by rel_floor |median| and eps, so that a slot whose past never
 * varied (MAD 0) still gives a finite z. */
static void judge(const struct history *h, size_t s, double v, const struct dw_season_opts *o,
		  struct dw_season_judgement *out)
{
	size_t k = gather(h, s, h->vals);
	double med, mad, spread, x = h->counts ? anscombe(v) : v;

	*out = (struct dw_season_judgement){ 0 };
	if (k < o->min_history)
		return;
	med = dw_season_median(h->vals, k);
	mad = dw_season_mad(h->vals, k, med);
	spread = fmax(fmax(mad, near_spread(h, s, o->near_slots)),
		      fmax(o->rel_floor * fabs(med), o->eps));
	*out = (struct dw_season_judgement){ .judged = 1, .median = med, .mad = mad,
					     .spread = spread, .z = (x - med) / spread };
	out->sev = o->rises_only && out->z < 0 ? DW_SEASON_NONE : severity(out->z, o);
	/* the baseline in the values' own unit: the transform is monotonic */
	if (h->counts)
		out->median = fmax(0, med * med / 4 - 0.375);
}

static void judge_all(struct history *h, const struct dw_season_layout *l, size_t n,
		      const struct dw_season_opts *o, struct dw_season_judgement *out)
{
	for (size_t s = 0; s < h->ns; s++)
		h->last[s] = NO_POINT;
	for (size_t i = 0; i < n; i++) {
		size_t s = dw_season_slot(l, h->p[i].t);

		judge(h, s, h->p[i].v, o, &out[i]);
		h->prev[i] = h->last[s];
		h->last[s] = i;
	}
}

int dw_season_baseline(const struct dw_season_point *p, size_t n,
		       const struct dw_season_layout *l, const struct dw_season_opts *o,
		       struct dw_season_judgement *out)
{
	size_t cap = n ? n : 1;
	struct history h = { .p = p, .ns = dw_season_slots(l), .max = o->window ? o->window : cap,
			     .counts = o->counts };
	int rc = -1;

	if (!h.ns || !opts_valid(o))
		return -1;
	h.last = malloc(h.ns * sizeof *h.last);
	h.prev = malloc(cap * sizeof *h.prev);
	h.vals = malloc(cap * sizeof *h.vals);
	h.diffs = malloc(cap * sizeof *h.diffs);
	if (h.last && h.prev && h.vals && h.diffs) {
		judge_all(&h, l, n, o, out);
		rc = 0;
	}
	free(h.last);
	free(h.prev);
	free(h.vals);
	free(h.diffs);
	return rc;
}

/* ---- findings ---- */

static struct dw_season_finding finding_open(const struct dw_season_point *p,
					     const struct dw_season_judgement *j, size_t i)
{
	return (struct dw_season_finding){
		.first = i, .last = i, .start = p[i].t, .end = p[i].t, .flagged = 1,
		.peak = i, .peak_z = j[i].z, .sev = j[i].sev, .combined_z = j[i].z,
		.dir = j[i].z < 0 ? DW_SEASON_DOWN : DW_SEASON_UP,
	};
}

static void finding_extend(struct dw_season_finding *f, const struct dw_season_point *p,
			   const struct dw_season_judgement *j, size_t i)
{
	f->last = i;
	f->end = p[i].t;
	f->flagged++;
	if (fabs(j[i].z) > fabs(f->peak_z)) {
		f->peak = i;
		f->peak_z = j[i].z;
	}
	if (j[i].sev > f->sev)
		f->sev = j[i].sev;
	/* Stouffer's z of the flagged points: sqrt(k - 1) z_old, plus z, over sqrt(k) */
	f->combined_z = (f->combined_z * sqrt((double)f->flagged - 1) + j[i].z) /
			sqrt((double)f->flagged);
}

static void finding_emit(struct dw_season_finding *f, double high, struct dw_season_finding *out,
			 size_t max, size_t *count)
{
	if (fabs(f->combined_z) >= high)
		f->sev = DW_SEASON_HIGH;
	if (*count < max)
		out[*count] = *f;
	(*count)++;
}

size_t dw_season_findings(const struct dw_season_point *p,
			  const struct dw_season_judgement *j, size_t n,
			  enum dw_season_severity min, size_t gap, double high,
			  struct dw_season_finding *out, size_t max)
{
	struct dw_season_finding cur = { 0 };
	size_t count = 0;
	int open = 0;

	for (size_t i = 0; i < n; i++) {
		if (!j[i].judged || j[i].sev < min)
			continue;
		if (open && (j[i].z < 0 ? DW_SEASON_DOWN : DW_SEASON_UP) == cur.dir &&
		    i - cur.last - 1 <= gap) {
			finding_extend(&cur, p, j, i);
			continue;
		}
		if (open)
			finding_emit(&cur, high, out, max, &count);
		cur = finding_open(p, j, i);
		open = 1;
	}
	if (open)
		finding_emit(&cur, high, out, max, &count);
	return count;
}

/* ---- the period ---- */

double dw_season_acf(const double *x, size_t n, size_t lag)
{
	double mean = 0, num = 0, den = 0;

	if (lag >= n)
		return 0;
	for (size_t t = 0; t < n; t++)
		mean += x[t] / n;
	for (size_t t = 0; t < n; t++)
		den += (x[t] - mean) * (x[t] - mean);
	for (size_t t = lag; t < n; t++)
		num += (x[t] - mean) * (x[t - lag] - mean);
	return den > 0 ? num / den : 0;
}

size_t dw_season_period(const double *x, size_t n, size_t min_lag, size_t max_lag,
			double min_acf, double *acf)
{
	size_t best = 0;
	double best_r = 0, prev, cur;

	if (min_lag < 2)
		min_lag = 2;
	if (max_lag > n / 2)
		max_lag = n / 2;
	prev = dw_season_acf(x, n, min_lag - 1);
	cur = dw_season_acf(x, n, min_lag);
	for (size_t k = min_lag; k <= max_lag; k++) {
		double next = dw_season_acf(x, n, k + 1);

		if (cur >= min_acf && cur > best_r && prev < cur && cur >= next) {
			best = k;
			best_r = cur;
		}
		prev = cur;
		cur = next;
	}
	if (acf)
		*acf = best_r;
	return best;
}

/* ---- Holt-Winters ----
 *
 * ETS(A,A,A) in its error-correction form (FPP3 8.3 and 8.5; Hyndman,
 * Koehler, Ord & Snyder, Forecasting with Exponential Smoothing, 2008,
 * 2.5), with e_t = y_t - (l_{t-1} + b_{t-1} + s_{t-m}) the one-step error:
 *   l_t = l_{t-1} + b_{t-1} + alpha e_t
 *   b_t = b_{t-1} + alpha beta* e_t
 *   s_t = s_{t-m} + gamma e_t
 * which is the component form l_t = alpha (y_t - s_{t-m}) + (1 - alpha)
 * (l_{t-1} + b_{t-1}), b_t = beta* (l_t - l_{t-1}) + (1 - beta*) b_{t-1},
 * s_t = gamma (y_t - l_{t-1} - b_{t-1}) + (1 - gamma) s_{t-m}, rewritten.
 * The forecast is l_n + h b_n + s_{n+h-m(k+1)}, k = floor((h-1)/m). The
 * fallbacks are the same recursions: simple exponential smoothing is
 * beta* = gamma = 0 with m = 1, the seasonal naive method alpha = 0,
 * gamma = 1 (each season state is then the last value of its phase). */

/* The grids searched (gamma kept at most 1 - alpha, FPP3 8.3). */
static const double alpha_grid[] = { 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9 };
static const double beta_grid[] = { 0, 0.01, 0.05, 0.1, 0.2 };
static const double gamma_grid[] = { 0, 0.05, 0.1, 0.2, 0.3, 0.5 };
static const double zero_grid[] = { 0 };
static const double one_grid[] = { 1 };

struct axis {
	const double *v;
	size_t n;
};

#define AXIS(a) { a, sizeof a / sizeof *a }

/* alpha, beta*, gamma */
struct grid {
	struct axis a[3];
};

static struct grid method_grid(enum dw_season_method method)
{
	switch (method) {
	case DW_SEASON_HW:
		return (struct grid){ { AXIS(alpha_grid), AXIS(beta_grid), AXIS(gamma_grid) } };
	case DW_SEASON_SNAIVE:
		return (struct grid){ { AXIS(zero_grid), AXIS(zero_grid), AXIS(one_grid) } };
	default:
		return (struct grid){ { AXIS(alpha_grid), AXIS(zero_grid), AXIS(zero_grid) } };
	}
}

struct hw_state {
	double level, trend;
	double *season;       /* m, by phase t mod m */
};

/* Runs the recursions over y[start..n-1] from st, updating it; returns the
 * sum of the squared one-step errors. */
static double hw_run(const double *y, size_t n, size_t start, size_t m, const double par[3],
		     struct hw_state *st)
{
	double sse = 0;

	for (size_t t = start; t < n; t++) {
		double *s = &st->season[t % m];
		double e = y[t] - (st->level + st->trend + *s);

		st->level += st->trend + par[0] * e;
		st->trend += par[0] * par[1] * e;
		*s += par[2] * e;
		sse += e * e;
	}
	return sse;
}

static double mean(const double *y, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += y[i];
	return sum / n;
}

/* The states before y_0 from the first two seasons: the trend from the
 * change of the seasons' means, b = (mean_2 - mean_1) / m; the level one
 * step before y_0, l = mean_1 - b (m + 1) / 2 (mean_1 sits at the middle of
 * the first season, t = (m - 1) / 2); each phase's season state the mean
 * of its two detrended values, s_i = mean_j (y_{i+jm} - l - (i+jm+1) b).
 * The season states sum to 0, and a series that is exactly a line plus
 * a repeating pattern gets exact states. (A simpler cousin of the
 * classical-decomposition start Hyndman et al. 2008 describe.) */
static void hw_init(struct hw_state *st, const double *y, size_t m)
{
	double m1 = mean(y, m), m2 = mean(y + m, m);

	st->trend = (m2 - m1) / m;
	st->level = m1 - st->trend * (m + 1) / 2;
	for (size_t i = 0; i < m; i++)
		st->season[i] = (y[i] - st->level - (i + 1) * st->trend +
				 y[i + m] - st->level - (i + 1 + m) * st->trend) / 2;
}

/* The states of method and the first index with a one-step error. */
static size_t init_states(enum dw_season_method method, struct hw_state *st, const double *y,
			  size_t m)
{
	*st = (struct hw_state){ .season = st->season };
	if (method == DW_SEASON_HW) {
		hw_init(st, y, m);
		return 0;
	}
	if (method == DW_SEASON_SNAIVE) {
		memcpy(st->season, y, m * sizeof *y);
		return m;
	}
	st->season[0] = 0;
	st->level = y[0];
	return 1;
}

static enum dw_season_method pick_method(size_t n, size_t m)
{
	if (m >= 2 && n >= 2 * m)
		return DW_SEASON_HW;
	return m >= 2 && n > m ? DW_SEASON_SNAIVE : DW_SEASON_SES;
}

/* The SSE of par from the initial states, on a copy of them in work. */
static double try_params(const double *y, size_t n, size_t start, size_t m,
			 const struct hw_state *init, const double par[3], double *work)
{
	struct hw_state st = { init->level, init->trend, work };

	memcpy(work, init->season, m * sizeof *work);
	return hw_run(y, n, start, m, par, &st);
}

/* The grid point of method with the least SSE into best (the first met on
 * ties). */
static void search(enum dw_season_method method, const double *y, size_t n, size_t start,
		   size_t m, const struct hw_state *init, double *work, double best[3])
{
	struct grid g = method_grid(method);
	double best_sse = INFINITY;

	for (size_t a = 0; a < g.a[0].n; a++)
		for (size_t b = 0; b < g.a[1].n; b++)
			for (size_t c = 0; c < g.a[2].n; c++) {
				double par[3] = { g.a[0].v[a], g.a[1].v[b], g.a[2].v[c] };
				double sse;

				if (par[2] > 1 - par[0] + 1e-12)
					continue;
				sse = try_params(y, n, start, m, init, par, work);
				if (sse < best_sse) {
					best_sse = sse;
					memcpy(best, par, sizeof par);
				}
			}
}

static void hw_finish(struct dw_season_hw *hw, const double *y, size_t start,
		      const double par[3])
{
	struct hw_state st = { hw->level, hw->trend, hw->season };
	double sse = hw_run(y, hw->n, start, hw->m, par, &st);

	hw->alpha = par[0];
	hw->beta = par[1];
	hw->gamma = par[2];
	hw->level = st.level;
	hw->trend = st.trend;
	hw->nres = hw->n - start;
	hw->sigma = hw->nres ? sqrt(sse / hw->nres) : 0;
}

/* y with the points its seasonal baseline finds at least low replaced by
 * the baseline's median, into c: a burst, a heavy spell or an outage would
 * otherwise become part of the season and of the forecast. Returns 0, or
 * -1 when memory runs out. */
static int cleaned(const double *y, size_t n, size_t m, double *c)
{
	struct dw_season_layout l = { .kind = DW_SEASON_PERIOD, .period = (long long)m };
	struct dw_season_point *p = malloc(n * sizeof *p);
	struct dw_season_judgement *j = malloc(n * sizeof *j);
	struct dw_season_opts o;
	int rc = -1;

	dw_season_opts_init(&o);
	for (size_t i = 0; p && i < n; i++)
		p[i] = (struct dw_season_point){ (long long)i, y[i] };
	if (p && j && dw_season_baseline(p, n, &l, &o, j) == 0) {
		for (size_t i = 0; i < n; i++)
			c[i] = j[i].sev != DW_SEASON_NONE ? j[i].median : y[i];
		rc = 0;
	}
	free(p);
	free(j);
	return rc;
}

/* The fit of y as it is, hw's method chosen. */
static int fit(struct dw_season_hw *hw, const double *y, size_t n, size_t m)
{
	struct hw_state st;
	double par[3], *work;
	size_t start;

	hw->m = hw->method == DW_SEASON_SES ? 1 : m;
	hw->season = malloc(hw->m * sizeof *hw->season);
	work = malloc(hw->m * sizeof *work);
	if (!hw->season || !work) {
		free(work);
		dw_season_hw_release(hw);
		return -1;
	}
	st.season = hw->season;
	start = init_states(hw->method, &st, y, hw->m);
	search(hw->method, y, n, start, hw->m, &st, work, par);
	free(work);
	hw->level = st.level;
	hw->trend = st.trend;
	hw_finish(hw, y, start, par);
	return 0;
}

int dw_season_hw_fit(struct dw_season_hw *hw, const double *y, size_t n, size_t m)
{
	double *c = NULL;
	int rc;

	*hw = (struct dw_season_hw){ .method = pick_method(n, m), .n = n };
	if (!n)
		return -1;
	if (hw->method == DW_SEASON_HW) {
		if (!(c = malloc(n * sizeof *c)) || cleaned(y, n, m, c) < 0) {
			free(c);
			return -1;
		}
		y = c;
	}
	rc = fit(hw, y, n, m);
	free(c);
	return rc;
}

void dw_season_hw_release(struct dw_season_hw *hw)
{
	free(hw->season);
	hw->season = NULL;
}

/* The h-step error's variance over sigma^2, 1 + sum_{j=1}^{h-1} c_j^2 with
 * c_j = alpha (1 + j beta*) + gamma [j mod m = 0], sigma^2 that of the
 * one-step errors (Hyndman et al. 2008, chapter 6, the linear "class 1"
 * models; the table of forecast variances in FPP3 8.7 gives its closed
 * form 1 + (h-1)(a^2 + a b h + b^2 h (2h-1) / 6) + g k (2a + g + b m (k+1))
 * with b = alpha beta*, k = floor((h-1)/m)). SES gives 1 + (h-1) alpha^2,
 * the seasonal naive method 1 + k (FPP3 5.5). */
static double var_factor(const struct dw_season_hw *hw, size_t h)
{
	double v = 1;

	for (size_t j = 1; j < h; j++) {
		double c = hw->alpha * (1 + j * hw->beta) + (j % hw->m ? 0 : hw->gamma);

		v += c * c;
	}
	return v;
}

void dw_season_hw_forecast(const struct dw_season_hw *hw, size_t h, double z,
			   struct dw_season_forecast *f)
{
	f->point = hw->level + h * hw->trend + hw->season[(hw->n - 1 + h) % hw->m];
	f->sigma = hw->sigma * sqrt(var_factor(hw, h));
	f->lo = f->point - z * f->sigma;
	f->hi = f->point + z * f->sigma;
}

/* ---- backtest ---- */

static void score(struct dw_season_backtest *bt, double actual, const struct dw_season_forecast *f)
{
	if (actual >= f->lo && actual <= f->hi)
		bt->inside++;
	bt->wape += fabs(actual - f->point);
	bt->sum += fabs(actual);
	if (actual == 0) {
		bt->skipped++;
		return;
	}
	bt->mape += fabs(actual - f->point) / fabs(actual);
	bt->scored++;
}

int dw_season_backtest(const double *y, size_t n, size_t m, size_t k, double z,
		       struct dw_season_backtest *bt)
{
	struct dw_season_hw hw;

	*bt = (struct dw_season_backtest){ 0 };
	if (!k || k >= n || dw_season_hw_fit(&hw, y, n - k, m) < 0)
		return -1;
	bt->method = hw.method;
	for (size_t h = 1; h <= k; h++) {
		struct dw_season_forecast f;

		dw_season_hw_forecast(&hw, h, z, &f);
		score(bt, y[n - k + h - 1], &f);
	}
	if (bt->scored)
		bt->mape = 100 * bt->mape / bt->scored;
	bt->wape = bt->sum > 0 ? 100 * bt->wape / bt->sum : 0;
	dw_season_hw_release(&hw);
	return 0;
}
