/* verify: walks the audit trail's hash chain (sql/dw/005_audit_chain.sql,
 * dw-audit(1)) and recomputes every hash, independently of the server. */
#ifndef DW_AUDIT_VERIFY_H
#define DW_AUDIT_VERIFY_H

#include "db/db.h"
#include "err.h"

/* What a walk found. */
struct dw_verify {
	long long events;          /* events read */
	long long head_seq;        /* the chain head's sequence number */
	char head_hash[65];
	long long broken;          /* first broken sequence number, 0 when none */
	char what[256];            /* what is wrong with it */
};

/* The canonical encoding of one event's fields, in order (NULL for SQL
 * NULL), appended to the digest: "~," or "LEN:bytes,". */
void dw_verify_encode(void *md_ctx, const char *const *fields, int n);

/* Walks the chain in db. Returns 0 (v->broken 0: intact), or -1 with err
 * when it cannot be read. */
int dw_verify_chain(struct dw_db *db, struct dw_verify *v, struct dw_err *err);

#endif
