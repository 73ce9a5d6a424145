/* Unit tests for lib/tune/workload.c: the schedule of dw-tune workload.
 * The same seed gives the same schedule; the daily rhythm's shape (night,
 * morning ramp, lunch dip, afternoon peak) both as the curve and as the
 * events drawn from it; Zipf's law over the mix; the anomalies inside the
 * duration, apart, of every kind, and their events; the labels file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tune/workload.h"

static const struct dw_workload_opts base = {
	.rate = 600, .duration_ms = 60000, .day_ms = 24000, .seed = 5, .anomalies = 3,
	.nqueries = 55,
};

/* Every event of a schedule; *n of them, freed by the caller. */
static struct dw_workload_event *all_events(const struct dw_workload_opts *o, size_t *n)
{
	struct dw_workload w;
	struct dw_err err;
	struct dw_workload_event ev, *v = NULL;
	size_t cap = 0;

	assert_int_equal(dw_workload_init(&w, o, &err), 0);
	*n = 0;
	while (dw_workload_next(&w, &ev)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = realloc(v, cap * sizeof *v);
			assert_non_null(v);
		}
		v[(*n)++] = ev;
	}
	dw_workload_release(&w);
	return v;
}

static void test_rand(void **state)
{
	uint64_t a = 42, b = 42, c = 43;

	(void)state;
	for (int i = 0; i < 100; i++)
		assert_true(dw_workload_rand(&a) == dw_workload_rand(&b));
	assert_true(dw_workload_rand(&a) != dw_workload_rand(&c));
}

static void test_same_seed(void **state)
{
	struct dw_workload_opts o = base, other = base;
	struct dw_workload_event *a, *b, *c;
	size_t na, nb, nc;

	(void)state;
	a = all_events(&o, &na);
	b = all_events(&o, &nb);
	other.seed = 6;
	c = all_events(&other, &nc);
	assert_true(na > 100);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na * sizeof *a);
	assert_false(na == nc && !memcmp(a, c, na * sizeof *a));
	for (size_t i = 0; i < na; i++) {
		assert_true(a[i].at_ms >= 0 && a[i].at_ms < o.duration_ms);
		assert_true(i == 0 || a[i].at_ms >= a[i - 1].at_ms);
		assert_true(a[i].query < o.nqueries);
	}
	free(a);
	free(b);
	free(c);
}

static double at_hour(double h)
{
	return dw_workload_level(h / 24);
}

static void test_level(void **state)
{
	double lo = 1, hi = 0, peak_h = -1;

	(void)state;
	assert_float_equal(at_hour(0), 0.05, 1e-12);
	assert_float_equal(at_hour(3), 0.05, 1e-12);
	assert_float_equal(at_hour(9), 0.8, 1e-12);
	assert_float_equal(at_hour(12.5), 0.45, 1e-12);
	assert_float_equal(at_hour(15), 1.0, 1e-12);
	assert_float_equal(at_hour(7.5), (0.05 + 0.8) / 2, 1e-12);
	/* a day repeats */
	assert_float_equal(dw_workload_level(1.25), dw_workload_level(0.25), 1e-12);
	assert_float_equal(dw_workload_level(0.9999999), 0.05, 1e-6);
	for (int m = 0; m < 24 * 60; m++) {
		double v = at_hour(m / 60.0);

		if (v > hi)
			hi = v, peak_h = m / 60.0;
		lo = v < lo ? v : lo;
	}
	assert_float_equal(hi, 1.0, 1e-12);
	assert_float_equal(peak_h, 15, 1e-12);
	assert_float_equal(hi / lo, 20, 1e-9);
	/* the morning ramp rises, the lunch dip dips, the evening falls */
	assert_true(at_hour(7) < at_hour(8) && at_hour(8) < at_hour(9));
	assert_true(at_hour(12.5) < at_hour(11.5) && at_hour(12.5) < at_hour(13.5));
	assert_true(at_hour(18) > at_hour(20) && at_hour(20) > at_hour(22.5) - 1e-12);
}

/* The events follow the rhythm: two hours at the peak against two of the
 * night, over ten days. */
static void test_rhythm(void **state)
{
	struct dw_workload_opts o = { .rate = 60000, .duration_ms = 240000, .day_ms = 24000,
				      .seed = 1, .nqueries = 10 };
	struct dw_workload_event *v;
	size_t n, night = 0, peak = 0, lunch = 0, late_morning = 0;

	(void)state;
	v = all_events(&o, &n);
	for (size_t i = 0; i < n; i++) {
		double h = (double)(v[i].at_ms % o.day_ms) / 1000;   /* a second an hour */

		night += h >= 2 && h < 4;
		peak += h >= 14 && h < 16;
		lunch += h >= 12.25 && h < 12.75;
		late_morning += h >= 10.75 && h < 11.25;
	}
	free(v);
	/* expected: 1000 at night, about 19500 at the peak */
	assert_true(night > 800 && night < 1200);
	assert_true((double)peak / (double)night > 16 && (double)peak / (double)night < 24);
	assert_true((double)lunch < 0.7 * (double)late_morning);   /* about 0.57 */
}

/* Started at 15:00 of the day (phase 15 h), the rhythm follows the day's
 * clock: the first compressed hour is the peak, the 12th (03:00) night. */
static void test_phase(void **state)
{
	struct dw_workload_opts o = { .rate = 60000, .duration_ms = 24000, .day_ms = 24000,
				      .seed = 1, .nqueries = 10, .phase_ms = 15000 };
	struct dw_workload_event *v;
	size_t n, first = 0, twelfth = 0;

	(void)state;
	v = all_events(&o, &n);
	for (size_t i = 0; i < n; i++) {
		first += v[i].at_ms < 1000;
		twelfth += v[i].at_ms >= 12000 && v[i].at_ms < 13000;
	}
	free(v);
	/* expected: about 975 at the peak, 50 at night */
	assert_true(first > 850 && first < 1100);
	assert_true(twelfth > 25 && twelfth < 80);
}

/* A few queries are frequent, most are rare. */
static void test_zipf(void **state)
{
	struct dw_workload_opts o = { .rate = 60000, .duration_ms = 120000, .day_ms = 24000,
				      .seed = 3, .nqueries = 55 };
	struct dw_workload_event *v;
	size_t n, count[55] = { 0 }, top = 0, rare = 0;

	(void)state;
	v = all_events(&o, &n);
	for (size_t i = 0; i < n; i++)
		count[v[i].query]++;
	free(v);
	for (int q = 0; q < 55; q++) {
		top = count[q] > top ? count[q] : top;
		rare += count[q] < n / 100;
	}
	/* the first rank draws 1 / H(55) = 21.8% */
	assert_true((double)top / (double)n > 0.19 && (double)top / (double)n < 0.25);
	/* below 1% each: ranks 22 to 55, a little over half */
	assert_true(rare >= 25 && rare <= 40);
}

static void test_anomalies(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 200; seed++)
		for (int k = 1; k <= 7; k++) {
			struct dw_workload_opts o = base;
			struct dw_workload w;
			struct dw_err err;
			int kinds[DW_WORKLOAD_KINDS] = { 0 };
			long long len;

			o.seed = seed;
			o.anomalies = k;
			o.duration_ms = 20000 + (long long)seed * 997;
			o.day_ms = 10000;
			len = o.duration_ms / k / 2 < o.day_ms / 8 ? o.duration_ms / k / 2 : o.day_ms / 8;
			assert_int_equal(dw_workload_init(&w, &o, &err), 0);
			for (int i = 0; i < k; i++) {
				const struct dw_workload_anomaly *a = &w.anomalies[i];

				assert_true(a->start_ms >= 0 && a->end_ms <= o.duration_ms);
				assert_int_equal(a->end_ms - a->start_ms, len);
				assert_true(i == 0 || a->start_ms >= w.anomalies[i - 1].end_ms + len);
				assert_true(a->kind >= DW_WORKLOAD_BURST && a->kind <= DW_WORKLOAD_QUIET);
				assert_true(a->query < o.nqueries);
				kinds[a->kind]++;
			}
			if (k >= 3)
				assert_true(kinds[1] && kinds[2] && kinds[3]);
			dw_workload_release(&w);
		}
}

/* The anomalies depend on the seed, the duration, the day and their
 * number only: not on the rate nor the mix. */
static void test_anomalies_alone(void **state)
{
	struct dw_workload_opts o = base, other = base;
	struct dw_workload a, b;
	struct dw_err err;

	(void)state;
	other.rate = 7;
	other.nqueries = 3;
	assert_int_equal(dw_workload_init(&a, &o, &err), 0);
	assert_int_equal(dw_workload_init(&b, &other, &err), 0);
	for (int i = 0; i < o.anomalies; i++) {
		assert_int_equal(a.anomalies[i].start_ms, b.anomalies[i].start_ms);
		assert_int_equal(a.anomalies[i].end_ms, b.anomalies[i].end_ms);
		assert_int_equal(a.anomalies[i].kind, b.anomalies[i].kind);
	}
	dw_workload_release(&a);
	dw_workload_release(&b);
}

/* A burst repeats one query at ten times the peak rate, a heavy query
 * runs at the peak rate, a quiet spell all but silences a busy time. */
static void test_anomaly_events(void **state)
{
	struct dw_workload_opts o = base;
	struct dw_workload w;
	struct dw_workload_event ev;
	struct dw_err err;
	struct dw_workload calm;
	long long in_spell[3] = { 0 }, quiet_normal = 0, would_be = 0;

	(void)state;
	o.rate = 60000;
	assert_int_equal(dw_workload_init(&w, &o, &err), 0);
	while (dw_workload_next(&w, &ev)) {
		const struct dw_workload_anomaly *a = ev.anomaly >= 0 ? &w.anomalies[ev.anomaly] : NULL;

		if (a) {
			assert_int_equal(ev.kind, a->kind);
			assert_true(ev.at_ms >= a->start_ms && ev.at_ms < a->end_ms);
			assert_true(ev.kind != DW_WORKLOAD_BURST || (ev.query == a->query &&
								      ev.draw == a->draw));
			in_spell[ev.anomaly]++;
			continue;
		}
		for (int i = 0; i < 3; i++) {
			const struct dw_workload_anomaly *q = &w.anomalies[i];

			if (q->kind != DW_WORKLOAD_QUIET)
				continue;
			quiet_normal += ev.at_ms >= q->start_ms && ev.at_ms < q->end_ms;
		}
	}
	/* what the quiet spell would have had: the same load without anomalies */
	o.anomalies = 0;
	assert_int_equal(dw_workload_init(&calm, &o, &err), 0);
	while (dw_workload_next(&calm, &ev))
		for (int i = 0; i < 3; i++)
			would_be += w.anomalies[i].kind == DW_WORKLOAD_QUIET &&
				    ev.at_ms >= w.anomalies[i].start_ms && ev.at_ms < w.anomalies[i].end_ms;
	dw_workload_release(&calm);
	for (int i = 0; i < 3; i++) {
		const struct dw_workload_anomaly *a = &w.anomalies[i];
		double len = (double)(a->end_ms - a->start_ms);

		/* bursts 10000 a second, heavy queries 1000 (the peak rate) */
		long long per_ms = a->kind == DW_WORKLOAD_BURST ? 10 : a->kind == DW_WORKLOAD_HEAVY;

		assert_true(in_spell[i] >= (long long)len * per_ms - 1 &&
			    in_spell[i] <= (long long)len * per_ms + 1);
		/* a quiet spell falls where the rhythm is at 40% of its peak or more */
		if (a->kind == DW_WORKLOAD_QUIET)
			for (long long t = a->start_ms; t < a->end_ms; t += 10)
				assert_true(dw_workload_level(fmod((double)t, (double)o.day_ms) /
							      (double)o.day_ms) >= 0.4 - 1e-9);
	}
	assert_true(would_be > 20);
	assert_true(quiet_normal * 10 < would_be);
	dw_workload_release(&w);
}

static void test_bad(void **state)
{
	struct dw_workload_opts o = base;
	struct dw_workload w;
	struct dw_err err;

	(void)state;
	o.rate = 0;
	assert_int_equal(dw_workload_init(&w, &o, &err), -1);
	assert_int_equal(err.code, DW_EX_USAGE);
	dw_workload_release(&w);
	o = base;
	o.anomalies = 200;   /* 60 s / 200 / 2 = 150 ms spells: fit */
	assert_int_equal(dw_workload_init(&w, &o, &err), 0);
	dw_workload_release(&w);
	o.anomalies = 301;   /* 99 ms: too short */
	assert_int_equal(dw_workload_init(&w, &o, &err), -1);
	assert_int_equal(err.code, DW_EX_USAGE);
	assert_non_null(strstr(err.msg, "301 anomalies do not fit"));
	dw_workload_release(&w);
}

static char *labels(struct dw_workload *w, long long stop_ms)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(dw_workload_labels(f, w, 1764842400000LL, stop_ms), 0);
	fclose(f);
	return text;
}

static void test_labels(void **state)
{
	struct dw_workload_opts o = { .rate = 120, .duration_ms = 20000, .day_ms = 10000,
				      .seed = 5, .anomalies = 2, .nqueries = 4 };
	struct dw_workload w;
	struct dw_err err;
	char *text;

	(void)state;
	assert_int_equal(dw_workload_init(&w, &o, &err), 0);
	w.anomalies[0] = (struct dw_workload_anomaly){ DW_WORKLOAD_BURST, 5250, 6500, 0, 0 };
	w.anomalies[1] = (struct dw_workload_anomaly){ DW_WORKLOAD_QUIET, 12001, 13251, 0, 0 };
	text = labels(&w, 20000);
	assert_string_equal(text,
		"# dw-tune workload --seed 5 --rate 120 --duration 20000ms --day 10000ms "
		"--anomalies 2\n"
		"# start 2025-12-04T10:00:00.000Z\n"
		"# day 10.000\n"
		"# phase 0.000\n"
		"# columns: start end kind\n"
		"2025-12-04T10:00:05.250Z 2025-12-04T10:00:06.500Z burst\n"
		"2025-12-04T10:00:12.001Z 2025-12-04T10:00:13.251Z quiet\n");
	free(text);
	/* stopped at 6 s: the burst cut there, the quiet spell never came */
	text = labels(&w, 6000);
	assert_non_null(strstr(text, "\n2025-12-04T10:00:05.250Z 2025-12-04T10:00:06.000Z burst\n"));
	assert_null(strstr(text, "quiet"));
	free(text);
	assert_string_equal(dw_workload_kind_name(DW_WORKLOAD_HEAVY), "heavy");
	dw_workload_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rand),
		cmocka_unit_test(test_same_seed),
		cmocka_unit_test(test_level),
		cmocka_unit_test(test_rhythm),
		cmocka_unit_test(test_phase),
		cmocka_unit_test(test_zipf),
		cmocka_unit_test(test_anomalies),
		cmocka_unit_test(test_anomalies_alone),
		cmocka_unit_test(test_anomaly_events),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_labels),
	};

	return cmocka_run_group_tests_name("tune_workload", tests, NULL, NULL);
}
