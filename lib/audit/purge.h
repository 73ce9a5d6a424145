/* purge: retention that keeps the chain verifiable. The oldest events,
 * before a time, are written to an archive as JSON lines with their
 * hashes (read back and checked first), then replaced by one checkpoint
 * event that keeps the last purged hash; the purge is an event itself. */
#ifndef DW_AUDIT_PURGE_H
#define DW_AUDIT_PURGE_H

#include "db/db.h"
#include "err.h"

struct dw_purge_result {
	long long purged;          /* events removed (the checkpoint counts as one) */
	long long checkpoint;      /* sequence number of the new checkpoint, 0 none */
};

/* Purges the events older than before (a DATETIME, UTC) of db's chain,
 * archiving them to archive when not NULL. Returns 0 or -1 with err
 * (nothing removed on any error). */
int dw_purge_run(struct dw_db *db, const char *before, const char *archive, const char *actor,
		 struct dw_purge_result *r, struct dw_err *err);

/* Checks an archive: every event's hash, the chain through it, and that
 * its last event is db's checkpoint (when db is not NULL). Returns the
 * number of events, or -1 with err (DW_EX_NEGATIVE naming the line). */
long long dw_purge_check_archive(struct dw_db *db, const char *path, struct dw_err *err);

#endif
