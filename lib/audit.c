#include "audit.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"

static const char insert_sql[] =
	"INSERT INTO dw_audit_event (at, tool, action, os_user, role, db_user, question, "
	"engine, sql_text, row_count, elapsed_ms, outcome, detail) "
	"VALUES (NOW(6), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

const char *dw_audit_os_user(void)
{
	/* The passwd entry first: USER is whatever the caller says. */
	struct passwd *pw = getpwuid(getuid());
	const char *u = getenv("USER");

	if (pw)
		return pw->pw_name;
	return u && *u ? u : "unknown";
}

/* Column sizes in bytes (VARCHAR sizes count characters, so a byte cut is
 * always within them). */
#define TEXT_MAX 65535u
#define MEDIUMTEXT_MAX 16777215u

/* Each field as well-formed UTF-8 that fits its column, so that no
 * question or SQL, however odd, keeps its record out of the trail. */
static char *clean(const char *s, size_t max, int *oom)
{
	char *c;

	if (!s)
		return NULL;
	if (!(c = dw_text_utf8_clean(s, max)))
		*oom = 1;
	return c;
}

int dw_audit_record(struct dw_db *db, const struct dw_audit_event *ev, struct dw_err *err)
{
	char rows[32], ms[32], *owned[12] = { 0 };
	const char *params[12];
	int oom = 0, rc = 0;

	snprintf(rows, sizeof rows, "%lld", ev->rows);
	snprintf(ms, sizeof ms, "%ld", ev->elapsed_ms);
	owned[0] = clean(ev->tool, 32, &oom);
	owned[1] = clean(ev->action, 32, &oom);
	owned[2] = clean(ev->os_user ? ev->os_user : dw_audit_os_user(), 128, &oom);
	owned[3] = clean(ev->role, 64, &oom);
	owned[4] = clean(ev->db_user, 128, &oom);
	owned[5] = clean(ev->question, TEXT_MAX, &oom);
	owned[6] = clean(ev->engine, 32, &oom);
	owned[7] = clean(ev->sql, MEDIUMTEXT_MAX, &oom);
	owned[10] = clean(ev->outcome, 16, &oom);
	owned[11] = clean(ev->detail, TEXT_MAX, &oom);
	for (int i = 0; i < 12; i++)
		params[i] = owned[i];
	params[8] = ev->rows >= 0 ? rows : NULL;
	params[9] = ms;
	if (oom)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	else if (dw_db_exec(db, insert_sql, 12, params, err) < 0) {
		dw_err_prefix(err, "cannot write the audit trail");
		rc = -1;
	}
	for (int i = 0; i < 12; i++)
		free(owned[i]);
	return rc;
}

int dw_audit_started(struct dw_db *db, const struct dw_audit_event *ev, struct dw_err *err)
{
	struct dw_audit_event e = *ev;

	e.outcome = "started";
	return dw_audit_record(db, &e, err);
}

int dw_audit_outcome(struct dw_db *db, const struct dw_audit_event *ev, const char *detail,
		     const struct dw_err *failed, struct dw_err *err)
{
	struct dw_audit_event e = *ev;

	e.outcome = failed ? "failed" : "done";
	e.detail = failed ? failed->msg : detail;
	return dw_audit_record(db, &e, err);
}
