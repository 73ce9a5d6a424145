/* report: dw-tune report --html FILE, the collected workload as one
 * standalone HTML page a person reads in a browser (inline CSS, SVG charts,
 * no scripts, nothing fetched): the load over time with its forecast and
 * the anomalies found on it, the anomalies listed, the costliest statements
 * (tune/top.h), and the tables' sizes and the indexes' reads. */
#ifndef DW_TUNE_REPORT_H
#define DW_TUNE_REPORT_H

#include "config.h"
#include "err.h"

struct dw_report_opts {
	const char *html;     /* --html FILE (required) */
	const char *since;    /* --since D: the window shown (default 24h) */
	const char *season;   /* --season D: the length of a compressed day; NULL: anomalies
				 by hour of day and day of week, the forecast's season
				 found in the data */
};

/* Reads the dw_tune_ tables and replaces FILE whole with the report
 * (lib/outfile.h: never written through a link). With fewer than two
 * snapshots the report says there is no data yet. Returns 0, or -1 with
 * err: DW_EX_USAGE without --html or for a bad --since or --season, the
 * warehouse's errors (69 unreachable, 77 refused), DW_EX_CONFIG without
 * the dw_tune_ tables, DW_EX_IOERR when FILE cannot be written. */
int dw_report_write(const struct dw_config *cfg, const struct dw_report_opts *o,
		    struct dw_err *err);

#endif
