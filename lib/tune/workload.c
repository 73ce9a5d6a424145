/* The schedule is drawn from three streams of the seed, so that the
 * anomalies depend only on the seed, the duration, the day and their
 * number, not on the rate or the mix. */
#include "tune/workload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The daily rhythm: (hour, level), linear in between. */
static const double knots[][2] = {
	{ 0, 0.05 }, { 6, 0.05 }, { 9, 0.8 }, { 11.5, 0.9 }, { 12.5, 0.45 }, { 13.5, 0.85 },
	{ 15, 1.0 }, { 17, 0.9 }, { 19, 0.25 }, { 22, 0.05 }, { 24, 0.05 },
};
#define NKNOTS (sizeof knots / sizeof knots[0])

#define QUIET_LEVEL 0.02   /* a quiet spell's load, of what it would be */
#define QUIET_BUSY 0.4     /* the least level of the rhythm a quiet spell falls in */
#define BURST_TIMES 10     /* a burst's rate, in peak rates */
#define SPELL_DAYS 8       /* an anomaly lasts a day / 8 at most */
#define MIN_SPELL_MS 100

/* The streams of a seed. */
enum { STREAM_LOAD = 1, STREAM_RANK, STREAM_ANOMALY };

static const char *const kind_names[DW_WORKLOAD_KINDS] = { "normal", "burst", "heavy", "quiet" };

uint64_t dw_workload_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double uniform(uint64_t *state)
{
	return (double)(dw_workload_rand(state) >> 11) * 0x1.0p-53;
}

static uint64_t stream(uint64_t seed, int which)
{
	uint64_t s = seed ^ (0x5851f42d4c957f2dULL * (uint64_t)which);

	return dw_workload_rand(&s);
}

double dw_workload_level(double phase)
{
	double h = (phase - floor(phase)) * 24;
	size_t i = 1;

	while (i < NKNOTS - 1 && knots[i][0] <= h)
		i++;
	return knots[i - 1][1] + (knots[i][1] - knots[i - 1][1]) * (h - knots[i - 1][0]) /
		(knots[i][0] - knots[i - 1][0]);
}

const char *dw_workload_kind_name(enum dw_workload_kind k)
{
	return k < DW_WORKLOAD_KINDS ? kind_names[k] : "?";
}

/* A random ranking of the mix, and the Zipf weights of the ranks. */
static int rank(struct dw_workload *w, uint64_t *rng)
{
	size_t n = w->o.nqueries;
	double sum = 0;

	w->order = calloc(n, sizeof *w->order);
	w->cdf = calloc(n, sizeof *w->cdf);
	if (!w->order || !w->cdf)
		return -1;
	for (size_t i = 0; i < n; i++)
		w->order[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = dw_workload_rand(rng) % (i + 1), t = w->order[i];

		w->order[i] = w->order[j];
		w->order[j] = t;
	}
	for (size_t r = 0; r < n; r++)
		w->cdf[r] = sum += 1.0 / (double)(r + 1);
	return 0;
}

/* The least level of the rhythm over [a, b) ms, at five points. */
static double least_level(const struct dw_workload *w, long long a, long long b)
{
	double day = (double)w->o.day_ms, least = 1;

	for (int k = 0; k <= 4; k++)
		least = fmin(least, dw_workload_level(fmod((double)(a + w->o.phase_ms) +
							   (double)(b - a) * k / 4, day) / day));
	return least;
}

/* A quiet spell is a drop from a busy time: silence where the load is
 * already near nothing is no anomaly anyone could see. Of up to 64 starts
 * in the span (drawn from the anomaly's own draw, so the others do not
 * move), the first where the rhythm stays at 40% of its peak or more, else
 * the busiest. */
static long long busy_start(const struct dw_workload *w, long long from, long long span,
			    long long len, uint64_t draw)
{
	long long best = from;
	double best_level = -1;

	for (int k = 0; k < 64; k++) {
		long long at = from + (long long)(dw_workload_rand(&draw) % (uint64_t)(span + 1));
		double level = least_level(w, at, at + len);

		if (level > best_level)
			best = at, best_level = level;
		if (level >= QUIET_BUSY)
			break;
	}
	return best;
}

/* Each anomaly in a slot of its own, a spell of len somewhere in the
 * middle of it with at least len / 2 on either side. */
static void place(struct dw_workload *w, long long len, uint64_t *rng)
{
	long long slot = w->o.duration_ms / w->o.anomalies, span = slot - 2 * len;
	int first = (int)(dw_workload_rand(rng) % 3);
	size_t n = w->o.nqueries;

	for (int i = 0; i < w->o.anomalies; i++) {
		struct dw_workload_anomaly *a = &w->anomalies[i];

		a->kind = (enum dw_workload_kind)(DW_WORKLOAD_BURST + (first + i) % 3);
		a->start_ms = i * slot + len / 2 + (long long)(dw_workload_rand(rng) % (uint64_t)(span + 1));
		a->query = w->order[n / 2 + dw_workload_rand(rng) % (n - n / 2)];
		a->draw = dw_workload_rand(rng);
		if (a->kind == DW_WORKLOAD_QUIET)
			a->start_ms = busy_start(w, i * slot + len / 2, span, len, a->draw);
		a->end_ms = a->start_ms + len;
	}
}

static int check(const struct dw_workload_opts *o, long long *len, struct dw_err *err)
{
	if (!(o->rate > 0) || o->duration_ms <= 0 || o->day_ms <= 0 || o->anomalies < 0 ||
	    o->nqueries == 0)
		return dw_err_set(err, DW_EX_USAGE, "a workload needs a rate, a duration, a day "
				  "and queries");
	*len = o->anomalies ? o->duration_ms / o->anomalies / 2 : 0;
	if (*len > o->day_ms / SPELL_DAYS)
		*len = o->day_ms / SPELL_DAYS;
	if (o->anomalies && *len < MIN_SPELL_MS)
		return dw_err_set(err, DW_EX_USAGE, "%d anomalies do not fit in %.3f s with a day "
				  "of %.3f s: each needs a spell of %d ms", o->anomalies,
				  (double)o->duration_ms / 1000, (double)o->day_ms / 1000,
				  MIN_SPELL_MS);
	return 0;
}

int dw_workload_init(struct dw_workload *w, const struct dw_workload_opts *o, struct dw_err *err)
{
	uint64_t rank_rng = stream(o->seed, STREAM_RANK), anomaly_rng = stream(o->seed, STREAM_ANOMALY);
	long long len = 0;

	memset(w, 0, sizeof *w);
	w->o = *o;
	if (check(o, &len, err) < 0)
		return -1;
	w->anomalies = calloc((size_t)o->anomalies + 1, sizeof *w->anomalies);
	if (!w->anomalies || rank(w, &rank_rng) < 0)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (o->anomalies)
		place(w, len, &anomaly_rng);
	w->rng = stream(o->seed, STREAM_LOAD);
	return 0;
}

void dw_workload_release(struct dw_workload *w)
{
	free(w->anomalies);
	free(w->order);
	free(w->cdf);
	memset(w, 0, sizeof *w);
}

static int in_quiet(const struct dw_workload *w, double t)
{
	for (int i = 0; i < w->o.anomalies; i++) {
		const struct dw_workload_anomaly *a = &w->anomalies[i];

		if (a->kind == DW_WORKLOAD_QUIET && t >= (double)a->start_ms && t < (double)a->end_ms)
			return 1;
	}
	return 0;
}

/* A query of the mix by its Zipf weight. */
static size_t draw_query(struct dw_workload *w)
{
	size_t n = w->o.nqueries, r = 0;
	double u = uniform(&w->rng) * w->cdf[n - 1];

	while (r < n - 1 && w->cdf[r] <= u)
		r++;
	return w->order[r];
}

/* The ordinary load's next event, by thinning: candidates at the peak
 * rate, each kept with the probability of the level at its time. */
static void draw_ordinary(struct dw_workload *w)
{
	double per_ms = w->o.rate / 60000, day = (double)w->o.day_ms;

	for (;;) {
		double keep;

		w->t += -log(1 - uniform(&w->rng)) / per_ms;
		if (w->t >= (double)w->o.duration_ms) {
			w->has_next = -1;
			return;
		}
		keep = dw_workload_level(fmod(w->t + (double)w->o.phase_ms, day) / day) *
		       (in_quiet(w, w->t) ? QUIET_LEVEL : 1);
		if (uniform(&w->rng) < keep)
			break;
	}
	w->next = (struct dw_workload_event){ .at_ms = (long long)w->t,
					      .kind = DW_WORKLOAD_NORMAL, .anomaly = -1 };
	w->next.query = draw_query(w);
	w->next.draw = dw_workload_rand(&w->rng);
	w->has_next = 1;
}

/* The time of the current anomaly's next event, -1 when none is left. */
static long long anomaly_due(struct dw_workload *w)
{
	for (; w->cur < w->o.anomalies; w->cur++, w->cur_done = 0) {
		const struct dw_workload_anomaly *a = &w->anomalies[w->cur];
		/* a burst at ten times the peak rate, a heavy query at the peak rate */
		double gap = 60000 / (w->o.rate * (a->kind == DW_WORKLOAD_BURST ? BURST_TIMES : 1));
		long long at = a->start_ms + (long long)(gap * (double)w->cur_done);

		if (a->kind != DW_WORKLOAD_QUIET && at < a->end_ms)
			return at;
	}
	return -1;
}

int dw_workload_next(struct dw_workload *w, struct dw_workload_event *ev)
{
	long long at = anomaly_due(w);

	if (!w->has_next)
		draw_ordinary(w);
	if (at >= 0 && (w->has_next < 0 || at <= w->next.at_ms)) {
		const struct dw_workload_anomaly *a = &w->anomalies[w->cur];

		*ev = (struct dw_workload_event){ .at_ms = at, .kind = a->kind, .anomaly = w->cur,
						  .query = a->query, .draw = a->draw };
		w->cur_done++;
		return 1;
	}
	if (w->has_next < 0)
		return 0;
	*ev = w->next;
	w->has_next = 0;
	return 1;
}

/* ms since the epoch as 2026-12-04T10:00:05.250Z. */
static const char *iso(long long ms, char buf[32])
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	char day[24];

	gmtime_r(&s, &tm);
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, 32, "%s.%03lldZ", day, ms % 1000);
	return buf;
}

int dw_workload_labels(FILE *fp, const struct dw_workload *w, long long start_ms,
		       long long stop_ms)
{
	char a[32], b[32];

	fprintf(fp, "# dw-tune workload --seed %llu --rate %g --duration %lldms --day %lldms "
		"--anomalies %d\n", (unsigned long long)w->o.seed, w->o.rate, w->o.duration_ms,
		w->o.day_ms, w->o.anomalies);
	fprintf(fp, "# start %s\n# day %.3f\n# phase %.3f\n# columns: start end kind\n",
		iso(start_ms, a), (double)w->o.day_ms / 1000, (double)w->o.phase_ms / 1000);
	for (int i = 0; i < w->o.anomalies && w->anomalies[i].start_ms < stop_ms; i++) {
		const struct dw_workload_anomaly *an = &w->anomalies[i];
		long long end = an->end_ms < stop_ms ? an->end_ms : stop_ms;

		fprintf(fp, "%s %s %s\n", iso(start_ms + an->start_ms, a), iso(start_ms + end, b),
			kind_names[an->kind]);
	}
	return ferror(fp) ? -1 : 0;
}
