/* sync: one change-data-capture cycle from the OLTP database into the
 * warehouse (DESIGN.md section 6). The extraction, staging and merge SQL
 * of the model live in sql/oltp/sync_extract.sql, sql/dw/sync_stage.sql
 * and sql/dw/sync_merge.sql. */
#ifndef DW_ETL_SYNC_H
#define DW_ETL_SYNC_H

#include "db/db.h"
#include "err.h"

#define DW_SYNC_MAX_TABLES 12

struct dw_sync_result;

/* The audit of a cycle that changes the warehouse, on its connection:
 * before, once the run lock is held (-1 stops the cycle: nothing changes
 * without its event), and after, with its outcome (failed: its error;
 * -1 when the event cannot be written). */
struct dw_sync_audit {
	int (*before)(void *arg, struct dw_db *my, struct dw_err *err);
	int (*after)(void *arg, struct dw_db *my, const struct dw_sync_result *r,
		     const struct dw_err *failed, struct dw_err *err);
	void *arg;
};

struct dw_sync_opts {
	int full;                 /* re-sync everything */
	int dry_run;              /* count what would be extracted; write nothing */
	long safety_lag_ms;       /* fallback when other sessions cannot be seen */
	int fiscal_year_start;    /* month 1..12 */
	const struct dw_sync_audit *audit;   /* NULL: none */
};

struct dw_sync_table {
	char name[64];            /* an extract section: customer, product, sales, ... */
	char from[32];            /* watermark the extraction started from ("" = all) */
	long long extracted, merged, deleted;
	double seconds;
};

struct dw_sync_result {
	struct dw_sync_table t[DW_SYNC_MAX_TABLES];
	int ntables;
	char t0[32];              /* the new watermark, UTC "YYYY-MM-DD HH:MM:SS.ffffff" */
	int lag_fallback;         /* 1 when T0 came from the safety lag */
	int used_insert;          /* 1 when LOCAL INFILE was refused */
	double seconds;
};

/* Runs one cycle. Takes the warehouse run lock (75 when another run holds
 * it), checks the SQL against both schemas (78 on drift, before writing),
 * extracts cursor >= watermark AND cursor < T0 in one REPEATABLE READ
 * snapshot, and merges everything in one warehouse transaction that also
 * advances the watermarks and records the run. A failed run is rolled back
 * and recorded as failed when the warehouse can still be written. */
int dw_sync_run(struct dw_db *pg, struct dw_db *my, const struct dw_sync_opts *o,
		struct dw_sync_result *r, struct dw_err *err);

#endif
