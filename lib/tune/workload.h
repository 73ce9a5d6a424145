/* workload: the schedule of dw-tune workload (dw-tune(1)), a reproducible
 * analyst load: when each query runs, which query of the mix it is, and
 * the anomalies injected into it. Pure: the same options and seed give
 * the same schedule, event for event; no database, no clock, no output
 * but the labels file it is given.
 *
 * The ordinary load is a Poisson process whose rate follows a daily
 * rhythm over one compressed "day" (dw_workload_level), the run starting
 * at the day's midnight. Its queries are drawn from the mix by Zipf's law
 * over a random ranking: the query of rank r is drawn in proportion to
 * 1 / (r + 1), so a few are frequent and most are rare. The anomalies
 * each get a slot of duration / K of their own, in which they last an
 * eighth of a day (three compressed hours) or half the slot, whichever is
 * shorter, with at least that much time between two of them; their kinds
 * take turns from a random first:
 *   burst  a rare query of the mix, the same values each time, repeated
 *          at ten times the peak rate;
 *   heavy  a query never seen before (dw_mix builds it), run four times
 *          over the spell;
 *   quiet  the ordinary load drops to 2% of itself. */
#ifndef DW_TUNE_WORKLOAD_H
#define DW_TUNE_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

enum dw_workload_kind {
	DW_WORKLOAD_NORMAL = 0,   /* the ordinary load */
	DW_WORKLOAD_BURST,
	DW_WORKLOAD_HEAVY,
	DW_WORKLOAD_QUIET,
};
#define DW_WORKLOAD_KINDS 4

struct dw_workload_opts {
	double rate;              /* queries a minute at the daily peak (> 0) */
	long long duration_ms;    /* how long the load lasts (> 0) */
	long long day_ms;         /* one compressed day (> 0) */
	uint64_t seed;
	int anomalies;            /* how many to inject (>= 0) */
	size_t nqueries;          /* the queries of the mix, 0..nqueries-1 (>= 1) */
	long long phase_ms;       /* the time of the compressed day at the start, from its
				   midnight (0): with --phase clock, read off the clock, so
				   that runs one after another keep one rhythm */
};

struct dw_workload_anomaly {
	enum dw_workload_kind kind;
	long long start_ms;       /* from the start of the run; the spell is */
	long long end_ms;         /* [start_ms, end_ms) */
	size_t query;             /* burst: the query it repeats */
	uint64_t draw;            /* burst: its parameter values' draw */
};

struct dw_workload_event {
	long long at_ms;          /* when it is due, from the start of the run */
	enum dw_workload_kind kind;   /* NORMAL, BURST or HEAVY */
	int anomaly;              /* the anomaly it belongs to, -1 for the ordinary load */
	size_t query;             /* the query of the mix (not for HEAVY) */
	uint64_t draw;            /* seeds the query's parameter values */
};

struct dw_workload {
	struct dw_workload_opts o;
	struct dw_workload_anomaly *anomalies;   /* o.anomalies, in time order */
	size_t *order;            /* the ranking: rank -> query */
	double *cdf;              /* cumulative Zipf weights by rank */
	uint64_t rng;             /* the ordinary load's stream */
	double t;                 /* the ordinary load's last candidate time (ms) */
	struct dw_workload_event next;   /* the ordinary load's next event */
	int has_next;             /* 1 next is due, 0 not drawn yet, -1 none left */
	int cur;                  /* the first anomaly with events left */
	long long cur_done;       /* the events of it emitted */
};

/* A random number of the stream state (splitmix64): the same state, the
 * same sequence. */
uint64_t dw_workload_rand(uint64_t *state);

/* The daily rhythm: the ordinary load's rate, as a fraction of the peak,
 * at phase (a fraction of a day, 0 at midnight): linear between these
 * levels at these hours: 0-6 h 0.05 (night), 9 h 0.8 (the morning ramp),
 * 11:30 0.9, 12:30 0.45 (the lunch dip), 13:30 0.85, 15 h 1 (the
 * afternoon peak), 17 h 0.9, 19 h 0.25, 22-24 h 0.05. */
double dw_workload_level(double phase);

/* "burst", "heavy", "quiet" ("normal" for the ordinary load). */
const char *dw_workload_kind_name(enum dw_workload_kind k);

/* Plans the schedule: the ranking of the mix and the anomalies. Returns 0,
 * or -1 with err (DW_EX_USAGE: options out of range, or anomalies too
 * many for the duration: each needs a spell of 100 ms at least). Release
 * with dw_workload_release even on failure. */
int dw_workload_init(struct dw_workload *w, const struct dw_workload_opts *o, struct dw_err *err);
void dw_workload_release(struct dw_workload *w);

/* The next event of the schedule, in time order (ties: an anomaly's
 * first). Returns 1 with ev, or 0 when the duration is over. */
int dw_workload_next(struct dw_workload *w, struct dw_workload_event *ev);

/* The anomalies that started before stop_ms (the duration, or when the
 * run was stopped), one a line, their end cut at stop_ms:
 *   START END KIND
 * the times UTC ISO 8601 with milliseconds (2026-12-04T10:00:05.250Z),
 * after comment lines giving the options, the start of the run (start_ms,
 * milliseconds since the epoch), the length of a day in seconds and the
 * time of the day at the start, in seconds from its midnight:
 *   # dw-tune workload --seed 5 --rate 120 --duration 20000ms --day 10000ms --anomalies 1
 *   # start 2026-12-04T10:00:00.000Z
 *   # day 10.000
 *   # phase 0.000
 *   # columns: start end kind
 * Returns 0, or -1 when fp has an error. */
int dw_workload_labels(FILE *fp, const struct dw_workload *w, long long start_ms,
		       long long stop_ms);

#endif
