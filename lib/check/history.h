/* history: the runs of dw-validate in the warehouse (dw_check_run and
 * dw_check_result, sql/dw/006_check_history.sql): recorded at the end of
 * a run, read back by dw-validate history. */
#ifndef DW_CHECK_HISTORY_H
#define DW_CHECK_HISTORY_H

#include <stddef.h>
#include <stdio.h>

#include "db/db.h"
#include "err.h"
#include "out.h"

/* One check's result, as recorded. */
struct dw_history_result {
	const char *check;
	int warehouse;             /* its database: the warehouse, else oltp */
	const char *outcome;       /* pass, warn, fail, error */
	long long failing, total;  /* -1 is NULL: failing when the check could not
	                            * run, total when it was not counted */
	double seconds;
};

/* Records a run of the checks file path that started at started (UTC,
 * "YYYY-MM-DD HH:MM:SS") and its n results, in one transaction on db, the
 * warehouse. Returns 0 or -1 with err (DW_EX_CONFIG, saying to run dw-etl
 * init, when the tables are missing). */
int dw_history_record(struct dw_db *db, const char *path, const char *started,
		      const struct dw_history_result *r, size_t n, struct dw_err *err);

/* What dw-validate history shows. */
struct dw_history_filter {
	const char *check;   /* NULL: every check */
	const char *since;   /* the runs started at or after, "YYYY-MM-DD HH:MM:SS" UTC */
	int trend;           /* a row per check rather than per check run */
};

/* Prints the results recorded since f->since, oldest first: a row per
 * check of each run (run, started_at, check, database, outcome, failing,
 * total, seconds), or with f->trend a row per check (check, runs, fails,
 * last_run, last_outcome, failing_before: at the first of those runs,
 * failing_now: at the last). Returns 0 or -1 with err (as
 * dw_history_record for missing tables). */
int dw_history_print(struct dw_db *db, const struct dw_history_filter *f, FILE *out,
		     enum dw_out_format fmt, int header, struct dw_err *err);

#endif
