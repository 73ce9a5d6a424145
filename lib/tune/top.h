/* top: the statement digests that cost the warehouse most over a window
 * of the collected snapshots (dw-tune top), ranked as pt-query-digest
 * ranks them. */
#ifndef DW_TUNE_TOP_H
#define DW_TUNE_TOP_H

#include "db/db.h"
#include "err.h"

/* The ranking: by total time, calls, rows examined or full scans. */
enum dw_top_by { DW_TOP_TIME, DW_TOP_CALLS, DW_TOP_ROWS, DW_TOP_SCANS };

/* by's name ("time", "calls", "rows", "scans") as the enum, -1 if none. */
int dw_top_by_parse(const char *s);

/* The n digests of the snapshots taken at or after since (UTC "YYYY-MM-DD
 * HH:MM:SS") with calls, ranked by by: rank, schema, digest, share of the
 * window's time (%), calls, total seconds, mean and max milliseconds,
 * variance-to-mean of the mean latency across snapshots, rows examined
 * per row sent (NULL when the server counts no rows examined: MariaDB's
 * performance_schema leaves them 0), full scans, temporary tables, the normalised text and one
 * example. Returns the rows (freed by the caller) or NULL with err. */
struct dw_rows *dw_top_query(struct dw_db *my, const char *since, enum dw_top_by by, long n,
			     struct dw_err *err);

#endif
