/* mix: the queries of dw-tune workload (dw-tune(1)), from the knowledge
 * file (kb.h): its examples, run as written, and its saved reports, run
 * with random values of their parameters' types; and the heavy query of
 * an anomaly, one the load never runs otherwise.
 *
 * A report's parameters are bound on the server, not spliced: each :name
 * becomes the user variable @dw_name, set by one prepared SET statement,
 * and the report itself runs as plain text. MariaDB keeps no statement
 * digest of a prepared statement's executions, so bound as ? they would
 * be invisible to dw-tune collect.
 *
 * The values: an int whose name holds "year", a year of the facts'
 * dates; another int, 1 to twice its default (1 to 20 without one); a
 * number, 0.0 to 0.9 by tenths; dates, days of the facts' dates, in
 * ascending order of declaration (so from <= to); a bool, true or false; a
 * string named after a dimension, one of its first 100 values or, one
 * time in three, its default; any other string, its default or "". The
 * facts' dates are those of the fact table joined to the time dimension
 * with the default role; the current year when there are none. */
#ifndef DW_TUNE_MIX_H
#define DW_TUNE_MIX_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "err.h"
#include "kb.h"
#include "tune/workload.h"

/* The values read of one dimension. */
struct dw_mix_values {
	const char *name;         /* the dimension's */
	char **v;
	size_t n;
};

struct dw_mix {
	const struct dw_kb *kb;
	uint64_t seed;
	size_t n;                 /* queries: the examples, then the reports */
	char **sql;               /* per report: its SQL with @dw_name for :name */
	char **set;               /* per report: the SET of its variables, NULL without */
	long day_lo, day_hi;      /* the facts' dates, days since 1970-01-01 */
	struct dw_mix_values *values;
	size_t nvalues;
	char *heavy;              /* the heavy query, after its alias */
};

/* The mix of kb (which must outlive it and have an example or a report),
 * reading the facts' dates and the dimensions' values through my. Returns
 * 0 or -1 with err. Release with dw_mix_release even on failure. */
int dw_mix_init(struct dw_mix *m, const struct dw_kb *kb, struct dw_db *my, uint64_t seed,
		struct dw_err *err);
void dw_mix_release(struct dw_mix *m);

/* Runs the query of ev on db, reading its rows and dropping them: the
 * query ev->query of the mix with the parameter values of ev->draw, or
 * for a heavy event the heavy query, its count aliased workload_heavy_S_N
 * (S the seed, N the anomaly's number from 1).
 * Several threads may run queries at once, each on its own db. Returns 0
 * or -1 with err. */
int dw_mix_run(const struct dw_mix *m, struct dw_db *db, const struct dw_workload_event *ev,
	       struct dw_err *err);

#endif
