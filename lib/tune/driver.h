/* driver: runs the schedule of dw-tune workload (workload.h) with the
 * queries of its mix (mix.h) on one or more connections to the
 * warehouse, each query when it is due. A connection is a thread of its
 * own, taking the next event of the schedule when its last query is
 * done: a query that comes due while all are busy runs late, as soon as
 * one is free; what is still waiting when the duration is over is
 * skipped. Every session is read-only (SET SESSION TRANSACTION READ
 * ONLY) with a statement time limit. */
#ifndef DW_TUNE_DRIVER_H
#define DW_TUNE_DRIVER_H

#include <signal.h>

#include "config.h"
#include "db/db.h"
#include "err.h"
#include "tune/mix.h"
#include "tune/workload.h"

#define DW_DRIVER_MAX_CONNECTIONS 64

struct dw_driver_stats {
	long long start_ms;       /* when the run started, ms since the epoch */
	long long stop_ms;        /* where it stopped, from the start: its duration, or
				   * earlier when stopped by a signal */
	long long run;            /* queries run, failed or not */
	long long failed;
	long long skipped;        /* due within the duration but not run by its end */
	long long by_kind[DW_WORKLOAD_KINDS];   /* queries run, by enum dw_workload_kind */
	int stopped;              /* stopped by a signal */
	struct dw_err first;      /* the first failure */
};

struct dw_driver {
	struct dw_db *db[DW_DRIVER_MAX_CONNECTIONS];
	int n;
};

/* Opens n connections (1..DW_DRIVER_MAX_CONNECTIONS) as the warehouse
 * account of cfg, each read-only with the statement time limit
 * timeout_ms (0: none). Returns 0, or -1 with err (69 unreachable, 77
 * refused); close with dw_driver_close even on failure. */
int dw_driver_open(struct dw_driver *d, const struct dw_config_warehouse *cfg, int n,
		   long timeout_ms, struct dw_err *err);
void dw_driver_close(struct dw_driver *d);

/* Runs w's schedule with m's queries until the end of its duration, or
 * until *stop is set (a signal handler sets it; SIGINT and SIGTERM are
 * blocked in the connections' threads, which look at *stop at least
 * every 100 ms and when a query ends). The failures of single queries
 * are counted in st, the first kept. Returns 0, or -1 with err when a
 * thread cannot be started. */
int dw_driver_run(struct dw_driver *d, struct dw_workload *w, const struct dw_mix *m,
		  volatile sig_atomic_t *stop, struct dw_driver_stats *st, struct dw_err *err);

#endif
