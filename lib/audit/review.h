/* review: the audit trail read back: dw-audit log (a table in any -F
 * format) and export (JSON lines for a SIEM, or RFC 5424 syslog lines). */
#ifndef DW_AUDIT_REVIEW_H
#define DW_AUDIT_REVIEW_H

#include <stdio.h>

#include "db/db.h"
#include "err.h"
#include "out.h"

/* Filters, NULL when not given. since and until are a date, a date and
 * time (UTC) or a duration back from now ("24h"). user matches the
 * operating-system user or the warehouse account; grep a substring of the
 * question, the SQL or the detail. */
struct dw_review_filter {
	const char *since, *until, *user, *tool, *outcome, *grep;
};

/* The events that match, as rows: seq, at, tool, action, os_user, role,
 * db_user, outcome, question, detail. Returns 0 or -1 (DW_EX_USAGE for a
 * bad time). */
int dw_review_log(struct dw_db *db, const struct dw_review_filter *f, FILE *out,
		  enum dw_out_format fmt, int header, struct dw_err *err);

/* The events that match, every field with the hashes: one JSON object per
 * line, or (syslog) one RFC 5424 line, facility 13 (log audit), severity
 * 6, or 4 for a failed or refused outcome. Returns the count or -1. */
long long dw_review_export(struct dw_db *db, const struct dw_review_filter *f, int syslog,
			   FILE *out, struct dw_err *err);

#endif
