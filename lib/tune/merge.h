/* merge: the time dw-etl's merge spends writing a table, measured: its
 * newest rows (1% of the table, 1,000 to 10,000) deleted and inserted again
 * by primary key in a transaction rolled back, the median of runs after a
 * warm-up. dw-tune try measures it before and after an index change, so
 * the difference is what the index costs every merge. */
#ifndef DW_TUNE_MERGE_H
#define DW_TUNE_MERGE_H

#include "db/db.h"
#include "err.h"

struct dw_merge {
	long long rows;             /* rows of the sample (0: an empty table, ms 0) */
	double ms;                  /* the median run, deleting and inserting them */
};

/* Measures table's merge on my (the warehouse database; the account needs
 * CREATE TEMPORARY TABLES, DELETE and INSERT). Returns 0, or -1 with err:
 * DW_EX_DATAERR for a table without a primary key or none of that name. */
int dw_merge_time(struct dw_db *my, const char *table, long runs, struct dw_merge *out,
		  struct dw_err *err);

#endif
