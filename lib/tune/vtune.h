/* vtune: the verbs of dw-tune(1): collect, top and workload. */
#ifndef DW_TUNE_VTUNE_H
#define DW_TUNE_VTUNE_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

struct dw_vtune_opts {
	const char *every;          /* collect --every 60s: loop until a signal */
	const char *since;          /* top --since D (default 24h) */
	const char *by;             /* top --by time|calls|rows|scans */
	long n;                     /* top -n N */
	const char *rate;           /* workload: the options as given, NULL when not */
	const char *duration;
	const char *day;
	const char *seed;
	const char *anomalies;
	const char *labels;
	const char *connections;
	const char *phase;          /* a duration into the compressed day, or "clock" */
	enum dw_out_format format;
	int header;
};

/* collect: one snapshot, or one each --every until SIGINT or SIGTERM.
 * Quiet; -v says what each took. Returns 0 or -1 with err. */
int dw_vtune_collect(const struct dw_config *cfg, const struct dw_vtune_opts *o, FILE *out,
		     struct dw_err *err);
/* top: the costliest digests of the window. */
int dw_vtune_top(const struct dw_config *cfg, const struct dw_vtune_opts *o, FILE *out,
		 struct dw_err *err);
/* workload: a reproducible analyst load on the warehouse (tune/workload.h,
 * tune/mix.h, tune/driver.h) from the knowledge file of cfg->ask, each
 * statement limited to ask.statement_timeout, until the end of --duration
 * or SIGINT or SIGTERM (exit 0, labels written). Quiet; -v sums it up.
 * The failures of single queries are counted; when every query failed,
 * returns -1 with the first failure (69 unreachable, 77 refused, else
 * 70). */
int dw_vtune_workload(const struct dw_config *cfg, const struct dw_vtune_opts *o, FILE *out,
		      struct dw_err *err);

#endif
