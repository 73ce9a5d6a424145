/* dw-user's verbs: each opens what it needs, calls one module, audits
 * every change it made. */
#include "user/user.h"

#include <string.h>

#include "audit.h"
#include "db/db.h"
#include "kb.h"
#include "log.h"
#include "user/policy.h"
#include "user/roles.h"

static const char *const change_names[] = { "unchanged", "created", "updated", "removed" };

struct report {
	struct dw_db *db;
	const char *account;
	int dry_run;
	int failed;
	struct dw_err audit_err;
};

/* Each role applied: a line with -v, and an audit event for a change. */
static void report(void *arg, const char *role, const char *object,
		   enum dw_roles_change change, int views)
{
	struct report *r = arg;
	struct dw_audit_event ev = {
		.tool = "dw-user", .action = "roles apply", .role = role, .db_user = r->account,
		.question = object, .rows = views, .outcome = change_names[change],
	};

	dw_log_verbose(1, "role %s (%s): %s%s", role, object,
		       r->dry_run && change != DW_ROLES_UNCHANGED ? "would be " : "",
		       change_names[change]);
	if (!r->dry_run && change != DW_ROLES_UNCHANGED && !r->failed &&
	    dw_audit_record(r->db, &ev, &r->audit_err) < 0)
		r->failed = 1;
}

static int roles_apply(const struct dw_config *cfg, const struct dw_user_opts *o, FILE *out,
		       struct dw_err *err)
{
	struct dw_kb kb;
	struct dw_policy policy;
	struct dw_db *db = NULL;
	struct report rep = { .account = cfg->warehouse.user, .dry_run = o->dry_run };
	int rc = -1;

	if (dw_kb_load(&kb, cfg->ask.knowledge, err) < 0) {
		dw_kb_release(&kb);
		return -1;
	}
	if (dw_policy_load(&policy, cfg->path, err) == 0 &&
	    dw_policy_check(&policy, &kb, err) == 0 &&
	    (db = dw_db_my_open(&cfg->warehouse, "warehouse", err))) {
		struct dw_roles_apply a = {
			.db = db, .database = cfg->warehouse.database, .policy = &policy, .kb = &kb,
			.dry_run = o->dry_run ? out : NULL, .report = report, .report_arg = &rep,
		};

		rep.db = db;
		dw_log_verbose(2, "roles from %s", policy.source);
		rc = dw_roles_apply(&a, err);
		if (rc == 0 && rep.failed)
			rc = -1, *err = rep.audit_err;
	}
	dw_db_close(db);
	dw_policy_release(&policy);
	dw_kb_release(&kb);
	return rc;
}

int dw_user_roles(const struct dw_config *cfg, const struct dw_user_opts *o, FILE *out,
		  struct dw_err *err)
{
	if (o->nargs == 1 && !strcmp(o->args[0], "apply"))
		return roles_apply(cfg, o, out, err);
	dw_err_set(err, DW_EX_USAGE, "roles: unknown action '%s'", o->nargs ? o->args[0] : "");
	dw_err_hint(err, "dw-user roles apply [--dry-run]");
	return -1;
}
