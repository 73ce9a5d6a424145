/* verify: walks the audit trail's hash chain (sql/dw/005_audit_chain.sql,
 * dw-audit(1)) and recomputes every hash, independently of the server. */
#ifndef DW_AUDIT_VERIFY_H
#define DW_AUDIT_VERIFY_H

/* The fields hashed: seq, at, tool, action, os_user, role, db_user,
 * question, engine, sql_text, row_count, elapsed_ms, outcome, detail. */
#define DW_VERIFY_NFIELDS 14

#include "db/db.h"
#include "err.h"

/* What a walk found. */
struct dw_verify {
	long long events;          /* events read */
	long long head_seq;        /* the chain head's sequence number */
	char head_hash[65];
	long long checkpoint;      /* the purge checkpoint the chain starts at, 0 none */
	long long broken;          /* first broken sequence number, 0 when none */
	char what[256];            /* what is wrong with it */
};

/* The canonical encoding of one event's fields, in order (NULL for SQL
 * NULL), appended to the digest: "~," or "LEN:bytes,". */
void dw_verify_encode(void *md_ctx, const char *const *fields, int n);

/* SHA-256(prev || canonical encoding of the 14 fields) in hex into out.
 * Returns 0 or -1. */
int dw_verify_event_hash(const char *prev, const char *const *fields, char out[65]);
/* Whether the fields (tool, action) are those of a purge checkpoint. */
int dw_verify_is_checkpoint(const char *const *fields);

/* Walks the chain in db. Returns 0 (v->broken 0: intact), or -1 with err
 * when it cannot be read. */
int dw_verify_chain(struct dw_db *db, struct dw_verify *v, struct dw_err *err);

#endif
