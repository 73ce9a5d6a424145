/* follow: keep the warehouse in step: LISTEN for the OLTP change
 * channel, debounce, run a sync cycle; poll on an interval as a safety net;
 * reconnect with backoff when either database goes away. */
#ifndef DW_ETL_FOLLOW_H
#define DW_ETL_FOLLOW_H

#include <signal.h>

#include "config.h"
#include "err.h"
#include "etl/sync.h"

#define DW_CHANGE_CHANNEL "dw_change"

struct dw_follow_opts {
	struct dw_sync_opts sync;
	long poll_ms;        /* a cycle at least this often */
	long debounce_ms;    /* quiet time after a notification before the cycle */
	long max_backoff_ms; /* longest wait between reconnection attempts */
};

/* Called after each successful cycle. */
typedef void (*dw_follow_report_fn)(void *arg, const struct dw_sync_result *r);

/* Runs until *stop becomes non-zero (set it from a signal handler; a cycle
 * in progress finishes first), then returns 0. Returns -1 with err for
 * errors that waiting cannot cure (configuration, permission, drift,
 * internal); unreachable databases and a held lock are retried. */
int dw_follow_run(const struct dw_config *cfg, const struct dw_follow_opts *fo,
		  volatile sig_atomic_t *stop, dw_follow_report_fn report, void *arg,
		  struct dw_err *err);

#endif
