#include "audit.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

int dw_audit_record(struct dw_db *db, const struct dw_audit_event *ev, struct dw_err *err)
{
	char rows[32], ms[32];
	const char *params[12];

	snprintf(rows, sizeof rows, "%lld", ev->rows);
	snprintf(ms, sizeof ms, "%ld", ev->elapsed_ms);
	params[0] = ev->tool;
	params[1] = ev->action;
	params[2] = ev->os_user ? ev->os_user : dw_audit_os_user();
	params[3] = ev->role;
	params[4] = ev->db_user;
	params[5] = ev->question;
	params[6] = ev->engine;
	params[7] = ev->sql;
	params[8] = ev->rows >= 0 ? rows : NULL;
	params[9] = ms;
	params[10] = ev->outcome;
	params[11] = ev->detail;
	if (dw_db_exec(db, insert_sql, 12, params, err) < 0) {
		dw_err_prefix(err, "cannot write the audit trail");
		return -1;
	}
	return 0;
}
