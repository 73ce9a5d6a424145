/* user: the verbs of dw-user(1). People, roles and personal-data masking,
 * enforced by the warehouse (DESIGN.md section 8). */
#ifndef DW_USER_USER_H
#define DW_USER_USER_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

struct dw_user_opts {
	int dry_run;
	const char *role;              /* add --role */
	const char *auth;              /* add --auth: socket (NULL) or password */
	const char **scopes;           /* add --scope, repeated; scope's operands */
	int nscopes;
	enum dw_out_format format;
	int header;
	char **args;
	int nargs;
};

/* roles apply [--dry-run]: the policy of dw.yaml into roles, schemas and
 * masking views; the SQL on out with --dry-run. Returns 0 or -1. */
int dw_user_roles(const struct dw_config *cfg, const struct dw_user_opts *o, FILE *out,
		  struct dw_err *err);

/* The people verbs: add NAME, del NAME, set-role NAME ROLE, scope NAME
 * [SPEC...], lock NAME, unlock NAME, passwd NAME, reset NAME, list, show
 * NAME (verb names the one). */
int dw_user_people(const struct dw_config *cfg, const char *verb,
		   const struct dw_user_opts *o, FILE *out, struct dw_err *err);

#endif
