/* repair: the differences dw-validate diff found, fixed from the OLTP
 * database (the source of truth) by the ETL's own merge (sql/dw/
 * sync_merge.sql) run on just those keys, in one warehouse transaction. */
#ifndef DW_CHECK_REPAIR_H
#define DW_CHECK_REPAIR_H

#include "check/diff.h"
#include "db/db.h"
#include "err.h"

struct dw_repair {
	long long staged;       /* rows re-extracted from the OLTP database */
	long long deleted;      /* keys staged for deletion */
	long long merged;       /* rows the merge wrote or deleted */
	int skipped;            /* differences no merge can fix (extra locations) */
};

/* Re-extracts the keys of d that exist in the OLTP database into the
 * sync's staging tables, stages the others as deleted, and runs the merge
 * and its checks, holding dw-etl's run lock; the watermarks do not move.
 * With dry_run, extracts and counts but writes nothing. Returns 0 or -1
 * with err (75 when a run holds the lock). */
int dw_repair_run(struct dw_db *pg, struct dw_db *my, const struct dw_diff *d,
		  int fiscal_year_start, int dry_run, struct dw_repair *r, struct dw_err *err);

#endif
