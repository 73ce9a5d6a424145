/* trail: the verbs of dw-audit(1), the tamper-evident audit trail. */
#ifndef DW_AUDIT_TRAIL_H
#define DW_AUDIT_TRAIL_H

#include <stdio.h>

#include "audit/review.h"
#include "config.h"
#include "err.h"
#include "out.h"

/* verify: walks the hash chain, then checks the anchors of the file
 * anchors (NULL: audit.anchors, when set) and the archive of a purge
 * (NULL: none); 0 when intact, -1 with err otherwise (DW_EX_NEGATIVE
 * naming the first broken event, anchor or archived line). */
int dw_trail_verify(const struct dw_config *cfg, const char *anchors, const char *archive,
		    FILE *out, struct dw_err *err);
/* purge --older-than DURATION [--archive FILE]: the events older than the
 * duration archived, then replaced by a checkpoint; audited. */
int dw_trail_purge(const struct dw_config *cfg, const char *older_than, const char *archive,
		   struct dw_err *err);
/* anchor: the chain's head signed, appended to audit.anchors and printed. */
int dw_trail_anchor(const struct dw_config *cfg, FILE *out, struct dw_err *err);
/* log: the events that match f, a row each, in fmt. */
int dw_trail_log(const struct dw_config *cfg, const struct dw_review_filter *f, FILE *out,
		 enum dw_out_format fmt, int header, struct dw_err *err);
/* export: the events that match f as JSON lines, or RFC 5424 lines. */
int dw_trail_export(const struct dw_config *cfg, const struct dw_review_filter *f, int syslog,
		    FILE *out, struct dw_err *err);
/* keygen: the Ed25519 key pair of audit.signing_key and audit.public_key. */
int dw_trail_keygen(const struct dw_config *cfg, struct dw_err *err);

#endif
