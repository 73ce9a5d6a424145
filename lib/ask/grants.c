#include "ask/grants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where the word w (" ON ", " TO ") first appears in s outside backquotes,
 * quotes and parentheses; NULL when it does not. */
static const char *find_top(const char *s, const char *w)
{
	size_t n = strlen(w);
	int depth = 0;
	char q = 0;

	for (const char *p = s; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
		} else if (*p == '`' || *p == '\'') {
			q = *p;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		} else if (!depth && !strncasecmp(p, w, n)) {
			return p;
		}
	}
	return NULL;
}

/* A backquoted identifier at *p into out (`` unescaped); advances *p.
 * Returns 0, or -1 when *p is not one. */
static int ident(const char **p, char *out, size_t size)
{
	size_t n = 0;

	if (**p != '`')
		return -1;
	for ((*p)++; **p; (*p)++) {
		if (**p == '`' && (*p)[1] != '`')
			break;
		if (**p == '`')
			(*p)++;
		if (n + 1 < size)
			out[n++] = **p;
	}
	out[n] = '\0';
	if (**p != '`')
		return -1;
	(*p)++;
	return 0;
}

/* Whether privilege priv (as SHOW GRANTS spells it, with any column list)
 * on target is one a reader of the model may hold. */
static int allowed(const char *priv, const char *target, const char *database, int role_schema)
{
	char db[256], table[256];
	const char *p = target;
	int select = !strncasecmp(priv, "SELECT", 6) && (!priv[6] || priv[6] == ' ');

	if (!strcasecmp(priv, "USAGE"))
		return 1;
	if (ident(&p, db, sizeof db) < 0 || *p++ != '.' || strcmp(db, database))
		return 0;
	/* A role's schema holds masking views only: all of it may be read. */
	if (role_schema && select)
		return 1;
	/* Otherwise only `database`.`table`: not *.*, not `db`.*, nor a routine. */
	if (ident(&p, table, sizeof table) < 0 || *p)
		return 0;
	if (role_schema && !strcasecmp(priv, "INSERT") && !strcmp(table, "dw_audit_event"))
		return 1;
	return select && (strncmp(table, "dw_", 3) != 0 || !strcmp(table, "dw_etl_watermark") ||
			  !strcmp(table, "dw_tune_model"));
}

static int too_much(char *what, char *revoke, size_t size, const char *priv, const char *target,
		    const char *grantee)
{
	snprintf(what, size, "%s ON %s", priv, target);
	snprintf(revoke, size, "REVOKE %s ON %s FROM %s", priv, target, grantee);
	return 1;
}

int dw_grants_line(const char *line, const char *database, int role_schema, char *what,
		   char *revoke, size_t size)
{
	const char *privs, *on, *to, *end;
	char target[512], grantee[512], priv[256];

	if (strncasecmp(line, "GRANT ", 6))
		return 0;        /* SET DEFAULT ROLE ... */
	privs = line + 6;
	if (!(to = find_top(privs, " TO ")))
		return 0;
	/* The grantee runs to the end, or to IDENTIFIED BY / WITH ... */
	end = to + 4 + strcspn(to + 4, " ");
	snprintf(grantee, sizeof grantee, "%.*s", (int)(end - to - 4), to + 4);
	if (!(on = find_top(privs, " ON ")) || on > to) {
		/* A role granted: its privileges, when enabled, are lines of
		 * their own; only the right to grant it on is too much. */
		if (!strstr(to, " WITH ADMIN OPTION"))
			return 0;
		snprintf(what, size, "ADMIN OPTION FOR %.*s", (int)(to - privs), privs);
		snprintf(revoke, size, "REVOKE ADMIN OPTION FOR %.*s FROM %s", (int)(to - privs),
			 privs, grantee);
		return 1;
	}
	snprintf(target, sizeof target, "%.*s", (int)(to - on - 4), on + 4);
	if (strstr(to, " WITH GRANT OPTION"))
		return too_much(what, revoke, size, "GRANT OPTION", target, grantee);
	for (const char *p = privs; p < on;) {
		const char *comma = find_top(p, ",");
		size_t n = (size_t)((comma && comma < on ? comma : on) - p);

		snprintf(priv, sizeof priv, "%.*s", (int)n, p);
		if (!allowed(priv, target, database, role_schema))
			return too_much(what, revoke, size, priv, target, grantee);
		p += n + (comma && comma < on ? 1 : 0);
		p += strspn(p, " ");
	}
	return 0;
}

int dw_grants_check(struct dw_db *db, const char *database, int role_schema, char *what,
		    char *revoke, size_t size, struct dw_err *err)
{
	struct dw_rows *rows = dw_db_query(db, "SHOW GRANTS", 0, NULL, err);
	int rc = 0, verdict = 0;

	if (!rows)
		return -1;
	while (!verdict && (rc = dw_rows_next(rows, err)) == 1) {
		const char *line = dw_rows_value(rows, 0);

		verdict = line && dw_grants_line(line, database, role_schema, what, revoke, size);
	}
	dw_rows_free(rows);
	return rc < 0 ? -1 : verdict;
}
