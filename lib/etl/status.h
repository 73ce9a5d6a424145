/* status: what dw-etl run has done, read from the warehouse's dw_etl_run
 * and dw_etl_watermark tables. */
#ifndef DW_ETL_STATUS_H
#define DW_ETL_STATUS_H

#include "db/db.h"
#include "err.h"

/* Rows per synced table: table, watermark, lag_s, and the last good run's
 * extracted, merged and deleted counts. Caller frees with dw_rows_free. */
struct dw_rows *dw_status_tables(struct dw_db *my, struct dw_err *err);
/* The most recent runs, newest first: run_id, started, seconds, mode,
 * status, counts (JSON), error. */
struct dw_rows *dw_status_runs(struct dw_db *my, long limit, struct dw_err *err);

struct dw_status_health {
	int runs;                 /* runs recorded */
	int last_failed;          /* the newest run failed */
	char last_error[256];
	double max_lag_s;         /* largest lag over the tables; -1 when none */
};
int dw_status_health(struct dw_db *my, struct dw_status_health *h, struct dw_err *err);

/* The verdict of dw-etl status on h: 0 when healthy; -1 with err
 * DW_EX_NEGATIVE when no run has been recorded, the last run failed, or the
 * lag is above max_lag (a duration of dw.yaml(5), "90s"; NULL for no
 * limit); DW_EX_USAGE when max_lag is not a duration. */
int dw_status_verdict(const struct dw_status_health *h, const char *max_lag, struct dw_err *err);

#endif
