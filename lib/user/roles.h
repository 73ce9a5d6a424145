/* roles: the policy made into warehouse objects. Per role, a database role
 * and a schema of the same name (DATABASE_ROLE, e.g. dw_sales_associate)
 * holding one SQL SECURITY DEFINER view per table the role reads, personal
 * data masked and rows scoped in the view; the role may SELECT on that
 * schema and nothing else. */
#ifndef DW_USER_ROLES_H
#define DW_USER_ROLES_H

#include <stdio.h>

#include "db/db.h"
#include "err.h"
#include "kb.h"
#include "user/policy.h"

/* What apply did to one role. */
enum dw_roles_change { DW_ROLES_UNCHANGED, DW_ROLES_CREATED, DW_ROLES_UPDATED, DW_ROLES_REMOVED };

/* Called once per role with what was done (or, with --dry-run, would be). */
typedef void (*dw_roles_report_fn)(void *arg, const char *role, const char *object,
				   enum dw_roles_change change, int views);

struct dw_roles_apply {
	struct dw_db *db;                /* the warehouse, as an account that may create roles */
	const char *database;            /* the warehouse schema */
	const struct dw_policy *policy;
	const struct dw_kb *kb;
	FILE *dry_run;                   /* not NULL: print the SQL here, change nothing */
	dw_roles_report_fn report;
	void *report_arg;
};

/* Makes the warehouse match the policy, idempotently: roles whose
 * statements are unchanged are left alone, roles no longer in the policy
 * are dropped with their schema. Returns 0 or -1 with err. */
int dw_roles_apply(const struct dw_roles_apply *a, struct dw_err *err);

/* The database role (and schema) name of a policy role: DATABASE_ROLE into
 * buf. Returns 0, or -1 when it would be longer than 64 characters. */
int dw_roles_object_name(const char *database, const char *role, char *buf, size_t size);

#endif
