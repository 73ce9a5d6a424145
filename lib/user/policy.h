/* policy: the roles of dw.yaml (dw.yaml(5), roles): per role, the
 * warehouse tables it reads, the mask of each personal-data column (the
 * columns the knowledge file flags pii) and its row scope. Without a roles
 * section the four default roles apply. */
#ifndef DW_USER_POLICY_H
#define DW_USER_POLICY_H

#include <stddef.h>

#include "err.h"
#include "kb.h"

enum dw_policy_rule {
	DW_POLICY_NONE = 0,      /* the value itself */
	DW_POLICY_REDACT,        /* a fixed marker */
	DW_POLICY_INITIALS,      /* "J. D." */
	DW_POLICY_PSEUDONYM,     /* a keyed hash: stable, not reversible */
	DW_POLICY_GENERALIZE,    /* a date to its month, text to its first two characters,
	                          * or (with to) another column of the row */
};

struct dw_policy_mask {
	char *table, *column;
	enum dw_policy_rule rule;
	char *to;                /* generalize:COLUMN; "" otherwise */
};

/* Rows limited to values of a dimension: fixed ones, or the person's own
 * (dw-user add --scope, table dw_scope). */
struct dw_policy_scope {
	char *dimension;
	int person;
	size_t nvalues;
	char **values;
};

struct dw_policy_role {
	char *name;
	int all_tables;          /* tables: all (the default) */
	size_t ntables;
	char **tables;
	int has_pii;             /* pii: the rule of personal data without a mask entry */
	enum dw_policy_rule pii;
	size_t nmasks;
	struct dw_policy_mask *masks;
	size_t nscopes;
	struct dw_policy_scope *scopes;
	int export;              /* may write files (-o, -F xlsx) */
	int audit_own;           /* audit: own, may read its own audit events */
};

struct dw_policy {
	char *source;            /* the file read, or "built-in defaults" */
	size_t nroles;
	struct dw_policy_role *roles;
};

/* The roles section of the dw.yaml at config_path (NULL: none), or the
 * defaults when it has none. Returns 0 or -1 with err naming file:line. */
int dw_policy_load(struct dw_policy *p, const char *config_path, struct dw_err *err);
/* The same from text (a whole dw.yaml document), name used in messages. */
int dw_policy_load_string(struct dw_policy *p, const char *text, const char *name,
			  struct dw_err *err);
void dw_policy_release(struct dw_policy *p);

/* Checks the policy against the knowledge file: tables and dimensions
 * exist, masks name personal data, and every personal-data column a role
 * reads has a rule. Returns 0 or -1 (DW_EX_CONFIG). */
int dw_policy_check(const struct dw_policy *p, const struct dw_kb *kb, struct dw_err *err);

/* Whether role r reads table. */
int dw_policy_reads(const struct dw_policy_role *r, const char *table);
/* The rule of a personal-data column for role r, and its target column
 * (to, "" when none). Returns 0, or -1 when the role has none. */
int dw_policy_rule_of(const struct dw_policy_role *r, const char *table, const char *column,
		      enum dw_policy_rule *rule, const char **to);
const char *dw_policy_rule_name(enum dw_policy_rule rule);

#endif
