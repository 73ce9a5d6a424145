/* watch: dw-tune anomalies and dw-tune forecast, over the collected
 * workload (lib/tune/series.h) with the statistics of lib/tune/season.h. */
#ifndef DW_TUNE_WATCH_H
#define DW_TUNE_WATCH_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

struct dw_watch_opts {
	const char *since;          /* anomalies: report those ending at or after (default 1h) */
	const char *season;         /* a compressed "day" (5m), else hour of day x day of week */
	const char *horizon;        /* forecast: how far ahead (default one season) */
	enum dw_out_format format;  /* DW_OUT_AUTO: a table on a terminal, TSV otherwise */
	int header;
};

/* Findings of the whole load and the costliest digests against their
 * seasonal baseline. Returns 0, or -1 with err: DW_EX_NEGATIVE when a
 * high-severity one ends in the window. */
int dw_watch_anomalies(const struct dw_config *cfg, const struct dw_watch_opts *o, FILE *out,
		       struct dw_err *err);
/* The load's calls forecast per snapshot interval with a 95% interval, and
 * the backtest error of the last season on stderr. */
int dw_watch_forecast(const struct dw_config *cfg, const struct dw_watch_opts *o, FILE *out,
		      struct dw_err *err);

#endif
