/* advice: dw-tune advise, index advice from the collected workload. The
 * costliest digests of the window (their examples, from the statement
 * history) are read by tune/advise.h into candidate indexes that no
 * existing index already serves, ranked by the time of the digests each
 * would serve times its benefit, estimated from the share of the table's
 * rows its first example's predicates match on a sample of the table; indexes with no read in the collected history and indexes
 * another one makes redundant are advised for drop. Advice only: nothing
 * is built or dropped here. */
#ifndef DW_TUNE_ADVICE_H
#define DW_TUNE_ADVICE_H

#include <stdio.h>

#include "config.h"
#include "db/db.h"
#include "err.h"
#include "out.h"

struct dw_advice_opts {
	const char *since;          /* the window of digests (default 24h) */
	long n;                     /* create advice at most (> 0) */
	enum dw_out_format format;
	int header;
};

/* Prints the advice, a row each: id (8 hexadecimal digits of SHA-256 of
 * the action, table and columns: the same advice keeps its id), action
 * (create or drop), table, index (the columns to create, or the index to
 * drop), served_s (the time in the window of the digests a create serves),
 * share (of the window's time, percent), reads (EXPLAIN's rows now),
 * match_pct (the share of rows the index finds), size_mb, merge_pct,
 * digests (their first 12 digits), reason. Returns 0, or -1 with err: DW_EX_USAGE for a bad --since or -n,
 * the warehouse's errors, DW_EX_CONFIG without the dw_tune_ tables. */
int dw_advice_print(const struct dw_config *cfg, const struct dw_advice_opts *o, FILE *out,
		    struct dw_err *err);

#define DW_ADVICE_DIGESTS 16   /* the digests an advice keeps, at most */

/* One advice, found by its id. */
struct dw_advice_item {
	char id[9];
	const char *action;         /* "create" or "drop" (static) */
	char table[257];
	char index[4 * 257 + 8];    /* the columns to create, comma-separated, or the index */
	double bytes;               /* a create's size, estimated */
	double benefit;             /* a create's estimated benefit, 0 (none) to 1 */
	char digest[DW_ADVICE_DIGESTS][65];   /* the digests a create serves */
	size_t ndigests;
};

/* Every advice dw_advice_print would print for the window since (a UTC
 * time), creates first by the time they serve, into a malloc'd array of
 * *n (the caller frees it). Returns 0 or -1 with err. */
int dw_advice_list(struct dw_db *my, const char *db, const char *since,
		   struct dw_advice_item **items, size_t *n, struct dw_err *err);
/* The advice of id among those dw_advice_print would print for the window
 * since (a UTC time), on my (the warehouse db). Returns 0, or -1 with err:
 * DW_EX_DATAERR when there is none of that id. */
int dw_advice_lookup(struct dw_db *my, const char *db, const char *since, const char *id,
		     struct dw_advice_item *it, struct dw_err *err);

#endif
