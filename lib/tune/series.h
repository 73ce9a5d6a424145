/* series: the collected workload as time series (dw-tune anomalies,
 * forecast, report): per snapshot, the whole load's calls and time, and
 * the calls of each of the costliest digests. */
#ifndef DW_TUNE_SERIES_H
#define DW_TUNE_SERIES_H

#include <stddef.h>

#include "db/db.h"
#include "err.h"
#include "tune/season.h"

struct dw_series {
	char name[96];          /* "load calls", "load ms", "digest 1a2b3c4d5e6f calls" */
	char digest[65];        /* "" for the whole load */
	char text[201];         /* the digest's text, "" for the whole load */
	int counts;             /* values are counts of calls (else milliseconds, whose
				   falls are not findings: a quiet time shows in the calls,
				   and a snapshot with no call at night is no loss) */
	size_t n;
	long long *t;           /* snapshot times, seconds since the epoch (UTC) */
	double *v;
};

/* The whole load (calls, then milliseconds) and the calls of the ndigests
 * digests that took most time and of the ndigests whose costliest snapshot
 * cost most (the two lists merged), one point per snapshot after the first
 * (the baseline) and zeros where a digest was not called. *out is an
 * array of *nout series (free with dw_series_free). Returns 0 or -1 with
 * err; no snapshot is not an error (*nout 0). */
int dw_series_read(struct dw_db *my, int ndigests, struct dw_series **out, size_t *nout,
		   struct dw_err *err);
void dw_series_free(struct dw_series *s, size_t n);

/* The findings of s against its seasonal baseline in layout l (a
 * compressed season, DW_SEASON_PERIOD, counts points by index): calls
 * judged as counts, milliseconds for rises only. Writes at most max into
 * f, each with the baseline at its peak into base; returns how many, or
 * -1 when memory runs out. */
long dw_series_findings(const struct dw_series *s, const struct dw_season_layout *l,
			struct dw_season_finding *f, double *base, size_t max);

/* The median time between consecutive points (0 with fewer than two). */
long long dw_series_step(const struct dw_series *s);

#endif
