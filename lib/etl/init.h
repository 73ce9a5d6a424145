/* init: creates or upgrades the OLTP and warehouse schemas from the SQL
 * compiled in from sql/, recording a version on each side. */
#ifndef DW_ETL_INIT_H
#define DW_ETL_INIT_H

#include <stdio.h>

#include "db/db.h"
#include "err.h"

struct dw_init_side {
	int from_version;   /* before; 0 for an empty database */
	int to_version;     /* after (or would be after, with a dry run) */
};

/* Applies every sql/<side>/NNN_*.sql newer than the side's recorded
 * version, each with its version row. pg or my may be NULL to skip a side.
 * With dry_run non-NULL nothing changes: the pending SQL is written there.
 * Concurrent inits serialize on a lock per side. Returns 0 or -1. */
int dw_init_run(struct dw_db *pg, struct dw_db *my, FILE *dry_run, struct dw_init_side *oltp,
		struct dw_init_side *dw, struct dw_err *err);

/* Highest version shipped for a side ("oltp" or "dw"). */
int dw_init_schema_latest(const char *side);

/* 0 when db's schema is at the highest version shipped for its side, or
 * above; else -1 with err 78 (created by an older dw-etl, or not at all),
 * whose hint is to run init. Tools that rely on what a version guarantees
 * check this before anything else. */
int dw_init_check(struct dw_db *db, struct dw_err *err);

#endif
