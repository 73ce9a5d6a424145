/* Unit tests for lib/tune/season.c: median and MAD, the slots of a season,
 * the robust seasonal baseline and its findings, the period from the
 * autocorrelation, and Holt-Winters forecasts, fallbacks and backtests.
 * Expected values are worked out by hand or from closed forms; the noisy
 * series come from a fixed-seed LCG so every run sees the same numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tune/season.h"

/* ---- helpers ---- */

/* Knuth's MMIX LCG; the top 53 bits as a uniform in (0, 1). */
struct lcg {
	uint64_t s;
};

static double lcg_uniform(struct lcg *g)
{
	g->s = g->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((double)(g->s >> 11) + 0.5) / 9007199254740992.0;
}

/* A standard normal by Box-Muller. */
static double lcg_normal(struct lcg *g)
{
	double u = lcg_uniform(g), v = lcg_uniform(g);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

#define N_OF(a) (sizeof a / sizeof a[0])
#define TAU (2 * M_PI)

static const struct dw_season_layout per48 = { .kind = DW_SEASON_PERIOD, .period = 48 };

/* 12 periods of 48 samples: 100 + 50 sin(2 pi i / 48) + N(0, 5^2). */
static void seasonal_series(struct dw_season_point *p, size_t n, uint64_t seed)
{
	struct lcg g = { seed };

	for (size_t i = 0; i < n; i++)
		p[i] = (struct dw_season_point){ (long long)i,
						 100 + 50 * sin(TAU * i / 48) + 5 * lcg_normal(&g) };
}

/* The findings of p at least min, into out (up to max); returns the count. */
static size_t judge_find(const struct dw_season_point *p, size_t n,
			 const struct dw_season_layout *l, enum dw_season_severity min,
			 struct dw_season_finding *out, size_t max)
{
	struct dw_season_judgement *j = calloc(n, sizeof *j);
	struct dw_season_opts o;
	size_t count;

	assert_non_null(j);
	dw_season_opts_init(&o);
	assert_int_equal(dw_season_baseline(p, n, l, &o, j), 0);
	count = dw_season_findings(p, j, n, min, 0, o.high, out, max);
	free(j);
	return count;
}

/* ---- median and MAD ---- */

static void test_median_odd(void **state)
{
	double a[] = { 5, 1, 3 }, b[] = { 7 }, c[] = { -2, 9, 4, 0, 11 };

	assert_float_equal(dw_season_median(a, 3), 3, 0);
	assert_float_equal(dw_season_median(b, 1), 7, 0);
	assert_float_equal(dw_season_median(c, 5), 4, 0);
}

static void test_median_even(void **state)
{
	double a[] = { 4, 1, 3, 2 }, b[] = { 10, -10 };

	assert_float_equal(dw_season_median(a, 4), 2.5, 1e-12);
	assert_float_equal(dw_season_median(b, 2), 0, 1e-12);
}

static void test_median_ties(void **state)
{
	double a[] = { 2, 2, 2, 9, 1 }, b[] = { 3, 1, 3, 3 };

	assert_float_equal(dw_season_median(a, 5), 2, 0);
	assert_float_equal(dw_season_median(b, 4), 3, 0);
}

static void test_mad(void **state)
{
	/* median 3, |dev| {2,1,0,1,97} -> median 1: the outlier does not count */
	double a[] = { 1, 2, 3, 4, 100 };
	/* median 3, |dev| {2,1,1,5} -> median 1.5 */
	double b[] = { 1, 2, 4, 8 };

	assert_float_equal(dw_season_mad(a, 5, 3), 1.4826, 1e-12);
	assert_float_equal(dw_season_mad(b, 4, 3), 1.5 * 1.4826, 1e-12);
}

static void test_mad_zero(void **state)
{
	double a[] = { 5, 5, 5, 5, 9 }, b[] = { 7 };

	assert_float_equal(dw_season_mad(a, 5, 5), 0, 0);
	assert_float_equal(dw_season_mad(b, 1, 7), 0, 0);
}

/* ---- slots ---- */

static void test_slots(void **state)
{
	struct dw_season_layout week = { .kind = DW_SEASON_WEEK };
	struct dw_season_layout p = { .kind = DW_SEASON_PERIOD, .period = 300 };

	assert_int_equal(dw_season_slots(&week), 168);
	assert_int_equal(dw_season_slots(&p), 300);
	p.buckets = 24;
	assert_int_equal(dw_season_slots(&p), 24);
	p.buckets = 301;   /* more buckets than samples */
	assert_int_equal(dw_season_slots(&p), 0);
	p.buckets = -1;
	assert_int_equal(dw_season_slots(&p), 0);
	p = (struct dw_season_layout){ .kind = DW_SEASON_PERIOD };
	assert_int_equal(dw_season_slots(&p), 0);
	p.kind = 0;
	p.period = 10;
	assert_int_equal(dw_season_slots(&p), 0);
}

static void test_slot_week(void **state)
{
	struct dw_season_layout l = { .kind = DW_SEASON_WEEK };
	const long long jan1 = 1704067200;   /* 2024-01-01 00:00 UTC, a Monday (19723 days) */

	assert_int_equal(dw_season_slot(&l, 0), 72);           /* Thursday 1970-01-01 00:00 */
	assert_int_equal(dw_season_slot(&l, 4 * 86400), 0);   /* Monday 1970-01-05 */
	assert_int_equal(dw_season_slot(&l, -3600), 71);       /* Wednesday 1969-12-31 23:00 */
	assert_int_equal(dw_season_slot(&l, jan1), 0);
	assert_int_equal(dw_season_slot(&l, jan1 + 13 * 3600 + 59 * 60), 13);
	assert_int_equal(dw_season_slot(&l, jan1 + 6 * 86400 + 23 * 3600), 167);  /* Sunday */
	assert_int_equal(dw_season_slot(&l, jan1 + 7 * 86400), 0);
	l.offset = 3600;   /* UTC+1: Sunday 23:30 UTC is Monday 00:30 */
	assert_int_equal(dw_season_slot(&l, jan1 - 1800), 0);
	l.offset = -5 * 3600;   /* UTC-5: Monday 03:00 UTC is Sunday 22:00 */
	assert_int_equal(dw_season_slot(&l, jan1 + 3 * 3600), 166);
}

static void test_slot_period(void **state)
{
	struct dw_season_layout l = { .kind = DW_SEASON_PERIOD, .period = 10 };

	assert_int_equal(dw_season_slot(&l, 0), 0);
	assert_int_equal(dw_season_slot(&l, 23), 3);
	assert_int_equal(dw_season_slot(&l, -1), 9);
	l.buckets = 5;   /* two samples a bucket */
	assert_int_equal(dw_season_slot(&l, 23), 1);
	assert_int_equal(dw_season_slot(&l, 9), 4);
	assert_int_equal(dw_season_slot(&l, 10), 0);
	l = (struct dw_season_layout){ .kind = DW_SEASON_PERIOD, .period = 300, .buckets = 24 };
	assert_int_equal(dw_season_slot(&l, 299), 23);   /* 299 * 24 / 300 = 23.92 */
	assert_int_equal(dw_season_slot(&l, 312), 0);    /* 12 * 24 / 300 = 0.96 */
	assert_int_equal(dw_season_slot(&l, 313), 1);
}

/* ---- the baseline ---- */

static void test_baseline_min_history(void **state)
{
	struct dw_season_layout l = { .kind = DW_SEASON_PERIOD, .period = 4 };
	struct dw_season_point p[20];
	struct dw_season_judgement j[20];
	struct dw_season_opts o;

	for (size_t i = 0; i < 20; i++)
		p[i] = (struct dw_season_point){ (long long)i, (double)(i % 4) };
	dw_season_opts_init(&o);
	assert_int_equal(dw_season_baseline(p, 20, &l, &o, j), 0);
	/* point i has floor(i / 4) past values in its slot */
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(j[i].judged, i >= 12);
	assert_float_equal(j[0].z, 0, 0);
	assert_int_equal(j[0].sev, DW_SEASON_NONE);
	o.min_history = 2;
	assert_int_equal(dw_season_baseline(p, 20, &l, &o, j), 0);
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(j[i].judged, i >= 8);
	o.min_history = 3;
	o.window = 2;   /* a window below the history needed never judges */
	assert_int_equal(dw_season_baseline(p, 20, &l, &o, j), -1);
}

/* One slot (P = 1): every point against all the points before it. */
static void test_baseline_by_hand(void **state)
{
	struct dw_season_layout l = { .kind = DW_SEASON_PERIOD, .period = 1 };
	struct dw_season_point p[] = { { 0, 10 }, { 1, 12 }, { 2, 11 }, { 3, 30 }, { 4, 1e9 } };
	struct dw_season_judgement j[5];
	struct dw_season_opts o;
	const double near3 = 1.4826 * 1.5 / sqrt(2), near2 = 1.4826 / sqrt(2);

	dw_season_opts_init(&o);
	assert_int_equal(dw_season_baseline(p, 5, &l, &o, j), 0);
	/* point 3: past {10, 12, 11}, median 11, |dev| {1, 1, 0}, MAD 1.4826;
	 * season-to-season changes |11-12|, |12-10| = {1, 2}, median 1.5:
	 * near 1.4826 * 1.5 / sqrt(2) = 1.5726, above the MAD and 0.05 * 11 */
	assert_true(j[3].judged);
	assert_float_equal(j[3].median, 11, 1e-12);
	assert_float_equal(j[3].mad, 1.4826, 1e-12);
	assert_float_equal(j[3].spread, near3, 1e-12);
	assert_float_equal(j[3].z, 19 / near3, 1e-9);
	assert_int_equal(j[3].sev, DW_SEASON_HIGH);
	/* the point after it (1e9) changes nothing before it: past only */
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].z, 19 / near3, 1e-9);
	/* window 2: past {11, 12}, median 11.5, MAD 0.5 * 1.4826 = 0.7413,
	 * one change of 1: near 1.4826 / sqrt(2) = 1.0483 */
	o.min_history = 2;
	o.window = 2;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].median, 11.5, 1e-12);
	assert_float_equal(j[3].mad, 0.7413, 1e-12);
	assert_float_equal(j[3].z, 18.5 / near2, 1e-9);
	/* point 2: past {12, 10}, median 11: z = 0 */
	assert_float_equal(j[2].z, 0, 1e-12);
	assert_int_equal(j[2].sev, DW_SEASON_NONE);
}

/* P = 4, four periods, then point 16 (slot 0, 150) judged. Slot 0 never
 * varied (100); slot 1 alternates 90, 110 (changes of 20), slot 3 95, 105
 * (changes of 10), slot 2 0, 1000. */
static void test_baseline_near(void **state)
{
	struct dw_season_layout l = { .kind = DW_SEASON_PERIOD, .period = 4 };
	static const double v[4][2] = { { 100, 100 }, { 90, 110 }, { 0, 1000 }, { 95, 105 } };
	struct dw_season_point p[17];
	struct dw_season_judgement j[17];
	struct dw_season_opts o;

	for (size_t i = 0; i < 16; i++)
		p[i] = (struct dw_season_point){ (long long)i, v[i % 4][i / 4 % 2] };
	p[16] = (struct dw_season_point){ 16, 150 };
	dw_season_opts_init(&o);
	/* near 0: slot 0's changes, all 0: the floor 0.05 * 100 = 5, z = 10 */
	o.near_slots = 0;
	assert_int_equal(dw_season_baseline(p, 17, &l, &o, j), 0);
	assert_float_equal(j[16].mad, 0, 0);
	assert_float_equal(j[16].spread, 5, 1e-12);
	assert_float_equal(j[16].z, 10, 1e-9);
	assert_int_equal(j[16].sev, DW_SEASON_HIGH);
	/* near 1: slots 3, 0, 1: changes {10,10,10, 0,0,0, 20,20,20}, median 10 */
	o.near_slots = 1;
	assert_int_equal(dw_season_baseline(p, 17, &l, &o, j), 0);
	assert_float_equal(j[16].spread, 1.4826 * 10 / sqrt(2), 1e-9);
	assert_float_equal(j[16].z, 50 / (1.4826 * 10 / sqrt(2)), 1e-9);
	assert_int_equal(j[16].sev, DW_SEASON_LOW);
	/* near 2 covers the four slots once: slot 2 adds {1000,1000,1000},
	 * median (10 + 20) / 2 = 15 */
	o.near_slots = 2;
	assert_int_equal(dw_season_baseline(p, 17, &l, &o, j), 0);
	assert_float_equal(j[16].spread, 1.4826 * 15 / sqrt(2), 1e-9);
	o.near_slots = 100;
	assert_int_equal(dw_season_baseline(p, 17, &l, &o, j), 0);
	assert_float_equal(j[16].spread, 1.4826 * 15 / sqrt(2), 1e-9);
}

static void test_baseline_zero_mad(void **state)
{
	struct dw_season_layout l = { .kind = DW_SEASON_PERIOD, .period = 1 };
	struct dw_season_point p[] = { { 0, 100 }, { 1, 100 }, { 2, 100 }, { 3, 0 } };
	static const double v[] = { 100, 106, 114, 130, 70 };
	static const double z[] = { 0, 1.2, 2.8, 6, -6 };   /* (v - 100) / (0.05 * 100) */
	static const int sev[] = { DW_SEASON_NONE, DW_SEASON_NONE, DW_SEASON_NONE,
				   DW_SEASON_HIGH, DW_SEASON_HIGH };
	struct dw_season_judgement j[4];
	struct dw_season_opts o;

	dw_season_opts_init(&o);
	for (size_t i = 0; i < N_OF(v); i++) {
		p[3].v = v[i];
		assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
		assert_float_equal(j[3].mad, 0, 0);
		assert_float_equal(j[3].z, z[i], 1e-9);
		assert_int_equal(j[3].sev, sev[i]);
	}
	/* a rare query, never seen at this time (0, 0, 0): seen once is z 1
	 * by the default eps of 1, six times z 6 */
	for (size_t i = 0; i < 3; i++)
		p[i].v = 0;
	p[3].v = 1;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].z, 1, 1e-12);
	assert_int_equal(j[3].sev, DW_SEASON_NONE);
	p[3].v = 6;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_int_equal(j[3].sev, DW_SEASON_HIGH);
	for (size_t i = 0; i < 3; i++)
		p[i].v = 100;
	/* no relative floor: the absolute one, eps 1, makes z = 3: low */
	o.rel_floor = 0;
	o.eps = 1;
	p[3].v = 103;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].z, 3, 1e-12);
	assert_int_equal(j[3].sev, DW_SEASON_LOW);
	/* eps is the caller's: 0.5 doubles that z */
	o.eps = 0.5;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].z, 6, 1e-12);
}

static void test_baseline_invalid(void **state)
{
	struct dw_season_layout bad = { .kind = DW_SEASON_PERIOD, .period = 0 };
	struct dw_season_point p[] = { { 0, 1 } };
	struct dw_season_judgement j[1];
	struct dw_season_opts o;

	dw_season_opts_init(&o);
	assert_int_equal(dw_season_baseline(p, 1, &bad, &o, j), -1);
	o.eps = 0;
	assert_int_equal(dw_season_baseline(p, 1, &per48, &o, j), -1);
	dw_season_opts_init(&o);
	o.low = 6;   /* above high */
	assert_int_equal(dw_season_baseline(p, 1, &per48, &o, j), -1);
	dw_season_opts_init(&o);
	o.min_history = 0;
	assert_int_equal(dw_season_baseline(p, 1, &per48, &o, j), -1);
	dw_season_opts_init(&o);
	assert_int_equal(dw_season_baseline(p, 0, &per48, &o, j), 0);
}

static void test_baseline_clean(void **state)
{
	struct dw_season_point p[576];

	for (uint64_t seed = 1; seed <= 5; seed++) {
		seasonal_series(p, N_OF(p), seed);
		assert_int_equal(judge_find(p, N_OF(p), &per48, DW_SEASON_HIGH, NULL, 0), 0);
	}
}

static void test_baseline_burst(void **state)
{
	struct dw_season_point p[576];
	struct dw_season_finding f[4];

	seasonal_series(p, N_OF(p), 42);
	for (size_t i = 300; i < 305; i++)
		p[i].v *= 5;
	assert_int_equal(judge_find(p, N_OF(p), &per48, DW_SEASON_HIGH, f, 4), 1);
	assert_int_equal(f[0].first, 300);
	assert_int_equal(f[0].last, 304);
	assert_int_equal(f[0].start, 300);
	assert_int_equal(f[0].end, 304);
	assert_int_equal(f[0].flagged, 5);
	assert_int_equal(f[0].dir, DW_SEASON_UP);
	assert_int_equal(f[0].sev, DW_SEASON_HIGH);
	assert_true(f[0].peak >= 300 && f[0].peak <= 304);
	assert_true(f[0].peak_z >= 5);
}

static void test_baseline_dip(void **state)
{
	struct dw_season_point p[576];
	struct dw_season_finding f[4];

	seasonal_series(p, N_OF(p), 7);
	for (size_t i = 400; i < 406; i++)   /* a quiet spell: a tenth of the traffic */
		p[i].v *= 0.1;
	assert_int_equal(judge_find(p, N_OF(p), &per48, DW_SEASON_HIGH, f, 4), 1);
	assert_int_equal(f[0].first, 400);
	assert_int_equal(f[0].last, 405);
	assert_int_equal(f[0].dir, DW_SEASON_DOWN);
	assert_true(f[0].peak_z <= -5);
}

/* A Poisson count of mean rate, by Knuth's product of uniforms. */
static double lcg_poisson(struct lcg *g, double rate)
{
	double limit = exp(-rate), prod = lcg_uniform(g);
	int k = 0;

	while (prod > limit) {
		prod *= lcg_uniform(g);
		k++;
	}
	return k;
}

/* With counts, z is on Anscombe's scale a(x) = 2 sqrt(x + 3/8): a slot
 * whose past is {0, 0, 0} seeing 3 is robust z 3 (spread eps 1) but
 * a(3) - a(0) = 3.6742 - 1.2247 = 2.4495 on the scale: no finding. Seeing
 * 40, a(40) = 12.7083: z 11.48, high. A past of {25, 25, 25} seeing 0:
 * a(0) - a(25) = 1.2247 - 10.0747 = -8.85, high, where the robust z on the
 * values, -25 / max(1.25, 1), is -20 and the same a past of {4, 4, 4}
 * gives -2.96, none. */
static void test_counts_by_hand(void **state)
{
	struct dw_season_layout l = { .kind = DW_SEASON_PERIOD, .period = 1 };
	struct dw_season_point p[] = { { 0, 0 }, { 1, 0 }, { 2, 0 }, { 3, 3 } };
	struct dw_season_judgement j[4];
	struct dw_season_opts o;

	dw_season_opts_init(&o);
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].z, 3, 1e-12);
	assert_int_equal(j[3].sev, DW_SEASON_LOW);
	o.counts = 1;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].z, 2.4495, 1e-4);
	assert_int_equal(j[3].sev, DW_SEASON_NONE);
	assert_float_equal(j[3].median, 0, 1e-12);
	p[3].v = 40;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].z, 11.4836, 1e-4);
	assert_int_equal(j[3].sev, DW_SEASON_HIGH);
	p[0].v = p[1].v = p[2].v = 25, p[3].v = 0;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].z, -8.85, 1e-2);
	assert_int_equal(j[3].sev, DW_SEASON_HIGH);
	assert_float_equal(j[3].median, 25, 1e-9);
	p[0].v = p[1].v = p[2].v = 4;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].z, -2.9586, 1e-4);
	assert_int_equal(j[3].sev, DW_SEASON_NONE);
	/* rises only: the fall from 25 to 0 is judged (z) but no finding */
	p[0].v = p[1].v = p[2].v = 25;
	o.rises_only = 1;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_float_equal(j[3].z, -8.85, 1e-2);
	assert_int_equal(j[3].sev, DW_SEASON_NONE);
	p[3].v = 60;
	assert_int_equal(dw_season_baseline(p, 4, &l, &o, j), 0);
	assert_int_equal(j[3].sev, DW_SEASON_HIGH);
}

/* Twelve periods of 48 of a rare query's Poisson calls (rate 0.3 to 3 in
 * the period): the robust baseline alone finds high anomalies in chance
 * clusters; with counts, none. A burst of 30 calls is found either way. */
static void test_counts_rare_query(void **state)
{
	struct dw_season_point p[576];
	struct dw_season_judgement *j = calloc(N_OF(p), sizeof *j);
	struct dw_season_opts o;
	size_t robust = 0, counted;
	struct lcg g = { 3 };

	assert_non_null(j);
	for (uint64_t seed = 1; seed <= 5; seed++) {
		for (size_t i = 0; i < N_OF(p); i++)
			p[i] = (struct dw_season_point){ (long long)i, lcg_poisson(&g, 1.65 +
						1.35 * sin(TAU * i / 48)) };
		dw_season_opts_init(&o);
		assert_int_equal(dw_season_baseline(p, N_OF(p), &per48, &o, j), 0);
		robust += dw_season_findings(p, j, N_OF(p), DW_SEASON_HIGH, 0, o.high, NULL, 0);
		o.counts = 1;
		assert_int_equal(dw_season_baseline(p, N_OF(p), &per48, &o, j), 0);
		counted = dw_season_findings(p, j, N_OF(p), DW_SEASON_HIGH, 0, o.high, NULL, 0);
		assert_int_equal(counted, 0);
		p[400].v += 30;
		assert_int_equal(dw_season_baseline(p, N_OF(p), &per48, &o, j), 0);
		assert_int_equal(j[400].sev, DW_SEASON_HIGH);
	}
	assert_true(robust > 0);
	free(j);
}

/* Five weeks of hours from Monday 2024-01-01: 200 at night and at
 * weekends, 300 on weekdays 08:00-17:59, N(0, 10^2) noise; a burst (x5)
 * on the fifth Tuesday 10:00-13:59 is one finding. */
static void test_baseline_week(void **state)
{
	struct dw_season_layout l = { .kind = DW_SEASON_WEEK };
	const long long jan1 = 1704067200, burst = jan1 + (29 * 24 + 10) * 3600LL;
	struct dw_season_point p[5 * 168];
	struct dw_season_finding f[4];
	struct lcg g = { 2024 };

	for (size_t i = 0; i < N_OF(p); i++) {
		size_t hour = i % 24, day = i / 24 % 7;
		double busy = day < 5 && hour >= 8 && hour < 18;

		p[i] = (struct dw_season_point){ jan1 + 3600LL * (long long)i,
						 200 + 100 * busy + 10 * lcg_normal(&g) };
		if (p[i].t >= burst && p[i].t < burst + 4 * 3600)
			p[i].v *= 5;
	}
	assert_int_equal(judge_find(p, N_OF(p), &l, DW_SEASON_HIGH, f, 4), 1);
	assert_int_equal(f[0].start, burst);
	assert_int_equal(f[0].end, burst + 3 * 3600);
	assert_int_equal(f[0].dir, DW_SEASON_UP);
}

/* ---- findings ---- */

static void set_z(struct dw_season_judgement *j, const double *z, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double a = fabs(z[i]);

		j[i] = (struct dw_season_judgement){ .judged = !isnan(z[i]), .z = isnan(z[i]) ? 0 : z[i],
			.sev = a >= 5 ? DW_SEASON_HIGH : a >= 3 ? DW_SEASON_LOW : DW_SEASON_NONE };
	}
}

static void test_findings_merge(void **state)
{
	/*                     0  1  2    3  4  5   6    7  8   9  10   11 */
	static const double z[] = { 0, 4, 6.5, 9, 1, 3.5, 0, -7, -3, 0, NAN, 4 };
	struct dw_season_point p[N_OF(z)];
	struct dw_season_judgement j[N_OF(z)];
	struct dw_season_finding f[8];

	for (size_t i = 0; i < N_OF(z); i++)
		p[i] = (struct dw_season_point){ 100 + 10 * (long long)i, 0 };
	set_z(j, z, N_OF(z));
	/* consecutive only: [1,3] up, [5] up, [7,8] down, [11] up */
	assert_int_equal(dw_season_findings(p, j, N_OF(z), DW_SEASON_LOW, 0, 5, f, 8), 4);
	assert_int_equal(f[0].first, 1);
	assert_int_equal(f[0].last, 3);
	assert_int_equal(f[0].start, 110);
	assert_int_equal(f[0].end, 130);
	assert_int_equal(f[0].peak, 3);
	assert_float_equal(f[0].peak_z, 9, 0);
	assert_int_equal(f[0].sev, DW_SEASON_HIGH);
	assert_int_equal(f[1].first, 5);
	assert_int_equal(f[1].sev, DW_SEASON_LOW);
	assert_int_equal(f[2].first, 7);
	assert_int_equal(f[2].last, 8);
	assert_int_equal(f[2].dir, DW_SEASON_DOWN);
	assert_float_equal(f[2].peak_z, -7, 0);
	assert_int_equal(f[3].first, 11);
	/* one quiet point allowed: [1,5] up (4 flagged), [7,8] down, [11] up */
	assert_int_equal(dw_season_findings(p, j, N_OF(z), DW_SEASON_LOW, 1, 5, f, 8), 3);
	assert_int_equal(f[0].last, 5);
	assert_int_equal(f[0].flagged, 4);
	assert_int_equal(f[2].first, 11);
	/* high only: [2,3] up, [7] down */
	assert_int_equal(dw_season_findings(p, j, N_OF(z), DW_SEASON_HIGH, 0, 5, f, 8), 2);
	assert_int_equal(f[0].first, 2);
	assert_int_equal(f[1].first, 7);
	/* counting without room, and a short out array */
	assert_int_equal(dw_season_findings(p, j, N_OF(z), DW_SEASON_LOW, 0, 5, NULL, 0), 4);
	memset(f, 0, sizeof f);
	assert_int_equal(dw_season_findings(p, j, N_OF(z), DW_SEASON_LOW, 0, 5, f, 1), 4);
	assert_int_equal(f[0].first, 1);
	assert_int_equal(f[1].first, 0);
	assert_int_equal(dw_season_findings(p, j, 0, DW_SEASON_LOW, 0, 5, f, 8), 0);
	/* [7,8]: Stouffer's (-7 - 3) / sqrt 2 */
	assert_int_equal(dw_season_findings(p, j, N_OF(z), DW_SEASON_LOW, 0, 5, f, 8), 4);
	assert_float_equal(f[2].combined_z, -10 / sqrt(2), 1e-12);
	/* two lows of an outage, -4.7 and -4.9: together -6.79, high; not
	 * when high is out of reach */
	set_z(j, (const double[]){ 0, -4.7, -4.9, 0 }, 4);
	assert_int_equal(dw_season_findings(p, j, 4, DW_SEASON_LOW, 0, 5, f, 8), 1);
	assert_float_equal(f[0].combined_z, -9.6 / sqrt(2), 1e-12);
	assert_int_equal(f[0].sev, DW_SEASON_HIGH);
	assert_int_equal(dw_season_findings(p, j, 4, DW_SEASON_LOW, 0, 7, f, 8), 1);
	assert_int_equal(f[0].sev, DW_SEASON_LOW);
}

/* ---- the period ---- */

static void test_acf(void **state)
{
	/* mean 2.5, sum of squares 5; lag 1: 1.25, lag 2: -1.5, lag 3: -2.25 */
	static const double x[] = { 1, 2, 3, 4 }, flat[] = { 3, 3, 3 };

	assert_float_equal(dw_season_acf(x, 4, 0), 1, 1e-12);
	assert_float_equal(dw_season_acf(x, 4, 1), 0.25, 1e-12);
	assert_float_equal(dw_season_acf(x, 4, 2), -0.3, 1e-12);
	assert_float_equal(dw_season_acf(x, 4, 3), -0.45, 1e-12);
	assert_float_equal(dw_season_acf(x, 4, 4), 0, 0);
	assert_float_equal(dw_season_acf(flat, 3, 1), 0, 0);
}

static void test_period_sine(void **state)
{
	double x[480], r;
	struct lcg g = { 99 };

	for (size_t i = 0; i < N_OF(x); i++)
		x[i] = 10 * sin(TAU * i / 24) + 3 * lcg_normal(&g);
	assert_int_equal(dw_season_period(x, N_OF(x), 2, 200, 0.3, &r), 24);
	/* signal variance 50 of 59: r_24 near 50/59 * (480-24)/480 = 0.81 */
	assert_true(r > 0.7 && r < 0.9);
	/* a range without 24 or its multiples: nothing strong */
	assert_int_equal(dw_season_period(x, N_OF(x), 30, 40, 0.3, &r), 0);
	assert_float_equal(r, 0, 0);
	/* too short for two periods of 24 */
	assert_int_equal(dw_season_period(x, 40, 2, 200, 0.3, NULL), 0);
}

static void test_period_noise(void **state)
{
	double x[480];
	struct lcg g = { 5 };

	for (size_t i = 0; i < N_OF(x); i++)
		x[i] = lcg_normal(&g);
	assert_int_equal(dw_season_period(x, N_OF(x), 2, 200, 0.3, NULL), 0);
}

static void test_period_trend(void **state)
{
	double x[200];

	for (size_t i = 0; i < N_OF(x); i++)
		x[i] = 3.0 * i;
	assert_int_equal(dw_season_period(x, N_OF(x), 2, 100, 0.3, NULL), 0);
}

/* ---- Holt-Winters ---- */

/* 40 + 1.5 t + a pattern of 8 that does not sum to 0: exact from any
 * parameters, so forecasts two seasons ahead are the formula itself. */
static void test_hw_exact(void **state)
{
	static const double pat[8] = { 5, -3, 8, 0, 2, -7, 4, 1 };
	double y[56];
	struct dw_season_hw hw;
	struct dw_season_forecast f;

	for (size_t t = 0; t < N_OF(y); t++)
		y[t] = 40 + 1.5 * t + pat[t % 8];
	assert_int_equal(dw_season_hw_fit(&hw, y, 40, 8), 0);
	assert_int_equal(hw.method, DW_SEASON_HW);
	assert_int_equal(hw.m, 8);
	assert_int_equal(hw.nres, 40);
	assert_float_equal(hw.sigma, 0, 1e-9);
	assert_float_equal(hw.trend, 1.5, 1e-9);
	for (size_t h = 1; h <= 16; h++) {
		dw_season_hw_forecast(&hw, h, 1.96, &f);
		assert_float_equal(f.point, y[39 + h], 1e-6);
	}
	dw_season_hw_release(&hw);
	assert_null(hw.season);
}

/* 100 + 0.5 t + 20 sin(2 pi t / 24) + N(0, 3^2): eight days fitted, the
 * ninth forecast, for five seeds. */
/* A burst (x5 for 5 points) in the last season but one does not become
 * part of the season: the forecast of those positions a season on stays
 * within 10% of the clean series' forecast, and the backtest of the last
 * season, clean, stays under 10% MAPE. */
static void test_hw_robust(void **state)
{
	for (uint64_t seed = 21; seed <= 25; seed++) {
		double y[9 * 24], clean[9 * 24];
		struct lcg g = { seed };
		struct dw_season_hw a, b;
		struct dw_season_backtest bt;

		for (size_t t = 0; t < N_OF(y); t++)
			y[t] = clean[t] = 100 + 20 * sin(TAU * t / 24) + 3 * lcg_normal(&g);
		for (size_t t = 7 * 24 + 10; t < 7 * 24 + 15; t++)
			y[t] *= 5;
		assert_int_equal(dw_season_hw_fit(&a, y, 8 * 24, 24), 0);
		assert_int_equal(dw_season_hw_fit(&b, clean, 8 * 24, 24), 0);
		for (size_t h = 11; h <= 15; h++) {
			struct dw_season_forecast fa, fb;

			dw_season_hw_forecast(&a, h, 1.96, &fa);
			dw_season_hw_forecast(&b, h, 1.96, &fb);
			assert_true(fabs(fa.point - fb.point) < 0.1 * fb.point);
		}
		dw_season_hw_release(&a);
		dw_season_hw_release(&b);
		assert_int_equal(dw_season_backtest(y, N_OF(y), 24, 24, 1.96, &bt), 0);
		assert_true(bt.mape < 10);
	}
}

static void test_hw_noisy(void **state)
{
	size_t inside = 0, total = 0;

	for (uint64_t seed = 11; seed <= 15; seed++) {
		double y[9 * 24];
		struct lcg g = { seed };
		struct dw_season_backtest bt;

		for (size_t t = 0; t < N_OF(y); t++)
			y[t] = 100 + 0.5 * t + 20 * sin(TAU * t / 24) + 3 * lcg_normal(&g);
		assert_int_equal(dw_season_backtest(y, N_OF(y), 24, 24, 1.96, &bt), 0);
		assert_int_equal(bt.method, DW_SEASON_HW);
		assert_int_equal(bt.scored, 24);
		assert_int_equal(bt.skipped, 0);
		assert_true(bt.mape < 10);
		inside += bt.inside;
		total += 24;
	}
	assert_true(inside >= 0.85 * total);
}

/* The interval against the closed form FPP3 8.7 gives for ETS(A,A,A):
 * sigma_h^2 = sigma^2 [1 + (h-1)(a^2 + a b h + b^2 h (2h-1)/6)
 *                        + g k (2a + g + b m (k+1))], b = alpha beta*. */
static void test_hw_interval(void **state)
{
	double season[4] = { 1, -2, 3, -2 };
	struct dw_season_hw hw = { .method = DW_SEASON_HW, .m = 4, .n = 10, .alpha = 0.3,
				   .beta = 0.1, .gamma = 0.2, .level = 50, .trend = 2,
				   .season = season, .sigma = 2, .nres = 10 };
	double a = 0.3, b = 0.3 * 0.1, g = 0.2;
	struct dw_season_forecast f;

	for (size_t h = 1; h <= 13; h++) {
		double k = floor((h - 1) / 4.0);
		double v = 1 + (h - 1) * (a * a + a * b * h + b * b * h * (2.0 * h - 1) / 6) +
			   g * k * (2 * a + g + b * 4 * (k + 1));

		dw_season_hw_forecast(&hw, h, 1.96, &f);
		assert_float_equal(f.sigma, 2 * sqrt(v), 1e-9);
		assert_float_equal(f.lo, f.point - 1.96 * f.sigma, 1e-9);
		assert_float_equal(f.hi, f.point + 1.96 * f.sigma, 1e-9);
		/* the last point is t = 9, phase 1: t + h has phase (9 + h) mod 4 */
		assert_float_equal(f.point, 50 + 2.0 * h + season[(9 + h) % 4], 1e-12);
	}
}

/* Six points, m 4: the seasonal naive method. Forecasts repeat the last
 * value of each phase; errors y_4 - y_0 = y_5 - y_1 = 4 give sigma 4, and
 * h = 5 (k = 1) sigma 4 sqrt(2). */
static void test_hw_fallback_snaive(void **state)
{
	static const double y[] = { 1, 2, 3, 4, 5, 6 };
	static const double want[] = { 3, 4, 5, 6, 3 };
	struct dw_season_hw hw;
	struct dw_season_forecast f;

	assert_int_equal(dw_season_hw_fit(&hw, y, 6, 4), 0);
	assert_int_equal(hw.method, DW_SEASON_SNAIVE);
	assert_int_equal(hw.nres, 2);
	assert_float_equal(hw.sigma, 4, 1e-12);
	for (size_t h = 1; h <= 5; h++) {
		dw_season_hw_forecast(&hw, h, 1.96, &f);
		assert_float_equal(f.point, want[h - 1], 1e-12);
		assert_float_equal(f.sigma, h <= 4 ? 4 : 4 * sqrt(2), 1e-12);
	}
	dw_season_hw_release(&hw);
}

/* No full season (or no season): simple exponential smoothing, flat
 * forecasts, sigma_h = sigma sqrt(1 + (h-1) alpha^2) (FPP3 8.7). */
static void test_hw_fallback_ses(void **state)
{
	static const double flat[] = { 10, 10, 10 };
	static const double y[] = { 10, 14, 9, 12, 11, 13, 8, 12 };
	struct dw_season_hw hw;
	struct dw_season_forecast f1, f5;

	assert_int_equal(dw_season_hw_fit(&hw, flat, 3, 24), 0);
	assert_int_equal(hw.method, DW_SEASON_SES);
	assert_int_equal(hw.m, 1);
	assert_int_equal(hw.nres, 2);
	dw_season_hw_forecast(&hw, 7, 1.96, &f1);
	assert_float_equal(f1.point, 10, 1e-12);
	assert_float_equal(f1.sigma, 0, 1e-12);
	dw_season_hw_release(&hw);

	assert_int_equal(dw_season_hw_fit(&hw, y, N_OF(y), 1), 0);
	assert_int_equal(hw.method, DW_SEASON_SES);
	assert_float_equal(hw.trend, 0, 0);
	assert_true(hw.alpha > 0 && hw.alpha < 1);
	dw_season_hw_forecast(&hw, 1, 1.96, &f1);
	dw_season_hw_forecast(&hw, 5, 1.96, &f5);
	assert_float_equal(f5.point, f1.point, 1e-12);
	assert_true(f1.point > 8 && f1.point < 14);
	assert_float_equal(f1.sigma, hw.sigma, 1e-12);
	assert_float_equal(f5.sigma, hw.sigma * sqrt(1 + 4 * hw.alpha * hw.alpha), 1e-12);
	dw_season_hw_release(&hw);

	assert_int_equal(dw_season_hw_fit(&hw, y, 1, 4), 0);   /* one point: no sigma */
	assert_int_equal(hw.method, DW_SEASON_SES);
	assert_int_equal(hw.nres, 0);
	dw_season_hw_forecast(&hw, 3, 1.96, &f1);
	assert_float_equal(f1.point, 10, 0);
	assert_float_equal(f1.sigma, 0, 0);
	dw_season_hw_release(&hw);
	assert_int_equal(dw_season_hw_fit(&hw, y, 0, 4), -1);
}

/* ---- backtest ---- */

static void test_backtest_zeros(void **state)
{
	/* a pattern of 4 with a 0 in it: forecast exactly, the 0 skipped */
	static const double pat[4] = { 0, 10, 20, 10 };
	double y[16];
	struct dw_season_backtest bt;

	for (size_t t = 0; t < N_OF(y); t++)
		y[t] = pat[t % 4];
	assert_int_equal(dw_season_backtest(y, 16, 4, 4, 1.96, &bt), 0);
	assert_int_equal(bt.method, DW_SEASON_HW);
	assert_int_equal(bt.scored, 3);
	assert_int_equal(bt.skipped, 1);
	assert_float_equal(bt.mape, 0, 1e-6);
	/* fitted on 6 points (m < 6 < 2m): the seasonal naive method */
	assert_int_equal(dw_season_backtest(y, 10, 4, 4, 1.96, &bt), 0);
	assert_int_equal(bt.method, DW_SEASON_SNAIVE);
	assert_float_equal(bt.mape, 0, 1e-12);
	assert_int_equal(bt.inside, 4);
}

static void test_backtest_mape(void **state)
{
	/* fitted on a flat 100: forecasts 100; actuals 110, 80, 0, 100 give
	 * |err|/|y| = 10/110, 20/80, (skipped), 0 */
	double y[] = { 100, 100, 100, 100, 110, 80, 0, 100 };
	struct dw_season_backtest bt;

	assert_int_equal(dw_season_backtest(y, 8, 1, 4, 1.96, &bt), 0);
	assert_int_equal(bt.method, DW_SEASON_SES);
	assert_int_equal(bt.scored, 3);
	assert_int_equal(bt.skipped, 1);
	assert_float_equal(bt.mape, 100 * (10.0 / 110 + 20.0 / 80 + 0) / 3, 1e-9);
	/* WAPE: (10 + 20 + 100 + 0) / (110 + 80 + 0 + 100), the 0 counted */
	assert_float_equal(bt.wape, 100 * 130.0 / 290, 1e-9);
	assert_int_equal(bt.inside, 1);   /* sigma 0: only the exact 100 */
	assert_int_equal(dw_season_backtest(y, 8, 1, 0, 1.96, &bt), -1);
	assert_int_equal(dw_season_backtest(y, 8, 1, 8, 1.96, &bt), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_odd),
		cmocka_unit_test(test_median_even),
		cmocka_unit_test(test_median_ties),
		cmocka_unit_test(test_mad),
		cmocka_unit_test(test_mad_zero),
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_slot_week),
		cmocka_unit_test(test_slot_period),
		cmocka_unit_test(test_baseline_min_history),
		cmocka_unit_test(test_baseline_by_hand),
		cmocka_unit_test(test_baseline_near),
		cmocka_unit_test(test_baseline_zero_mad),
		cmocka_unit_test(test_baseline_invalid),
		cmocka_unit_test(test_baseline_clean),
		cmocka_unit_test(test_baseline_burst),
		cmocka_unit_test(test_baseline_dip),
		cmocka_unit_test(test_baseline_week),
		cmocka_unit_test(test_counts_by_hand),
		cmocka_unit_test(test_counts_rare_query),
		cmocka_unit_test(test_hw_robust),
		cmocka_unit_test(test_findings_merge),
		cmocka_unit_test(test_acf),
		cmocka_unit_test(test_period_sine),
		cmocka_unit_test(test_period_noise),
		cmocka_unit_test(test_period_trend),
		cmocka_unit_test(test_hw_exact),
		cmocka_unit_test(test_hw_noisy),
		cmocka_unit_test(test_hw_interval),
		cmocka_unit_test(test_hw_fallback_snaive),
		cmocka_unit_test(test_hw_fallback_ses),
		cmocka_unit_test(test_backtest_zeros),
		cmocka_unit_test(test_backtest_mape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
