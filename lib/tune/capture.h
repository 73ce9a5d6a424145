/* capture: one snapshot of the warehouse's workload (dw-tune collect):
 * performance_schema's statement digests, the reads of each index and the
 * rows and sizes of each table, kept with their change since the snapshot
 * before in the dw_tune_ tables (sql/dw/007_tune.sql). */
#ifndef DW_TUNE_CAPTURE_H
#define DW_TUNE_CAPTURE_H

#include "db/db.h"
#include "err.h"

struct dw_capture_result {
	long long snap_id;
	long long digests;      /* digests stored */
	long long active;       /* of them, called since the snapshot before */
	int restarted;          /* the server restarted since the snapshot before */
	long long asked;        /* dw-ask queries traced to their digest (dw_tune_asked) */
	long long lost;         /* statements the server could not count since then: its
	                         * digest table is full */
	double seconds;         /* what the snapshot cost */
};

/* Stops performance_schema counting the statements of my's connection, so
 * that a collector's own work (its transaction, its reads of the server's
 * status) is not part of the workload it records; only the two statements
 * of connecting are. Needs UPDATE on performance_schema.threads: without
 * it, says so at -v and returns 0; 1 when done. */
int dw_capture_unwatched(struct dw_db *my);

/* Takes one snapshot in one transaction. performance_schema off is
 * DW_EX_CONFIG, saying how to turn it on. Returns 0 or -1 with err. */
int dw_capture_snapshot(struct dw_db *my, struct dw_capture_result *r, struct dw_err *err);

#endif
