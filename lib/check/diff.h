/* diff: the warehouse reconciled with the OLTP database, row by row,
 * without moving the rows when nothing differs (dw-validate diff). Both
 * sides select the same text columns per table (sql/oltp/diff.sql,
 * sql/dw/diff.sql) and hash the same canonical text of a row. */
#ifndef DW_CHECK_DIFF_H
#define DW_CHECK_DIFF_H

#include <stddef.h>
#include <time.h>

#include "db/db.h"
#include "err.h"

enum dw_diff_what {
	DW_DIFF_MISSING,    /* in the OLTP database, not in the warehouse */
	DW_DIFF_EXTRA,      /* in the warehouse, not in the OLTP database */
	DW_DIFF_CHANGED,    /* in both, with other values */
};

struct dw_diff_found {
	char *table;        /* the diff section: sales, returns, customer, ... */
	char *tombstone;    /* the OLTP table a repair deletes it as ("-": none) */
	char *key;          /* the key's parts joined by U+001F */
	enum dw_diff_what what;
	char *detail;       /* changed: "column: warehouse 'a', oltp 'b'; ..." */
};

/* A table compared. */
struct dw_diff_table {
	char *name;
	long long compared;          /* its rows on the OLTP side */
	long long differences;       /* listed or not; pending ones left out */
	double seconds;
};

struct dw_diff {
	struct dw_diff_found *found;
	size_t nfound, cap;
	long limit;                  /* stop listing after this many (0: no limit) */
	int truncated;               /* 1 when more differences were not listed */
	long long compared;          /* rows on the OLTP side */
	long long pending;           /* differences the next sync will carry */
	long long queries, bytes;    /* statements run, bytes of values received */
	struct dw_diff_table *table; /* in the order compared */
	int tables;
	char watermark[32];          /* the warehouse's oldest, "" when never synced */
	time_t started;
	double seconds;
};

/* Compares every table (or the one named only) between pg and my, each in
 * one read-only snapshot, the warehouse's taken first: a row the OLTP
 * changed at or after the warehouse's watermark is counted as pending, not
 * as a difference. Facts ordered before from (YYYYMMDD, 0: none) are left
 * out: retired by dw-partition. Returns 0 (d lists the differences) or -1
 * with err (DW_EX_CONFIG when the schemas no longer match sql/). */
int dw_diff_run(struct dw_db *pg, struct dw_db *my, const char *only, long from,
		struct dw_diff *d, struct dw_err *err);
void dw_diff_release(struct dw_diff *d);
const char *dw_diff_what_name(enum dw_diff_what w);

#endif
