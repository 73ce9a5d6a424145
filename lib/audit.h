/* audit: the audit trail in the warehouse (table dw_audit_event). Every
 * dw-ask question is recorded here, answered or not, before any answer is
 * shown. dw-audit builds on this module. */
#ifndef DW_AUDIT_H
#define DW_AUDIT_H

#include "db/db.h"
#include "err.h"

struct dw_audit_event {
	const char *tool;         /* "dw-ask" */
	const char *action;       /* "question", "report"; "query" before a query runs */
	const char *os_user;      /* who ran the tool (NULL: looked up) */
	const char *role;
	const char *db_user;      /* warehouse account that ran the SQL */
	const char *question;     /* or the report call */
	const char *engine;       /* NULL when none answered */
	const char *sql;          /* NULL when none ran */
	long long rows;           /* -1 when nothing ran */
	long elapsed_ms;
	const char *outcome;      /* answered, shown, declined, refused, failed;
	                           * started for a "query" */
	const char *detail;       /* error or decline reason, NULL when none */
};

/* Appends one event on db (autocommit; the account needs INSERT on
 * dw_audit_event). Text that is not well-formed UTF-8 is recorded with
 * U+FFFD for each bad byte, and text longer than its column is cut, so
 * that odd input never keeps an event out. Returns 0 or -1 with err. */
int dw_audit_record(struct dw_db *db, const struct dw_audit_event *ev, struct dw_err *err);

/* A change a tool makes is two events: ev with outcome "started", written
 * before the change (when it cannot be, the change must not be made), and
 * ev with outcome "done" (detail: what was done) or "failed" (detail: the
 * change's error, failed not NULL) after it. Each returns 0 or -1. */
int dw_audit_started(struct dw_db *db, const struct dw_audit_event *ev, struct dw_err *err);
int dw_audit_outcome(struct dw_db *db, const struct dw_audit_event *ev, const char *detail,
		     const struct dw_err *failed, struct dw_err *err);

/* The login name of the calling user (the passwd entry of the real uid,
 * else USER); static storage, valid until the next call. */
const char *dw_audit_os_user(void);

#endif
