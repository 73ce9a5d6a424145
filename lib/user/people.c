/* People's accounts: CREATE USER ... IDENTIFIED VIA unix_socket, the role
 * granted and made the default, the row scope in dw_scope, a record in
 * dw_person. Account DDL cannot take parameters, so names are checked to
 * be plain operating-system user names and quoted as literals. */
#include "user/people.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "out_rows.h"
#include "sqllex.h"

/* An operating-system user name: [a-z_][a-z0-9_-]*, at most 32. */
static int check_name(const char *name, struct dw_err *err)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || c == '_' ||
		      (i && ((c >= '0' && c <= '9') || c == '-'))))
			n = 0;
	}
	if (n == 0 || n > 32) {
		dw_err_set(err, DW_EX_USAGE, "'%s' is not a user name", name);
		dw_err_hint(err, "lower case letters, digits, '_' and '-', not starting with a "
			    "digit or '-', at most 32");
		return -1;
	}
	return 0;
}

/* 'name'@'localhost', malloc'd. */
static char *account(const char *name)
{
	char *q = dw_sqllex_quote(name, DW_DB_MY), *s = NULL;
	size_t n = q ? strlen(q) + sizeof "@'localhost'" : 0;

	if (q && (s = malloc(n)))
		snprintf(s, n, "%s@'localhost'", q);
	free(q);
	return s;
}

/* Runs fmt with the account (and a quoted role) put in. */
static int exec_account(const struct dw_people *p, const char *fmt, const char *name,
			const char *object, struct dw_err *err)
{
	char *acc = account(name), *role = object ? dw_db_quote_ident(p->db, object) : NULL;
	char *sql = NULL;
	int n = acc && (!object || role) ? snprintf(NULL, 0, fmt, acc, role) : -1;
	long long rc = -1;

	if (n >= 0 && (sql = malloc((size_t)n + 1))) {
		snprintf(sql, (size_t)n + 1, fmt, acc, role);
		rc = dw_db_exec(p->db, sql, 0, NULL, err);
	} else {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	free(sql);
	free(acc);
	free(role);
	return rc < 0 ? -1 : 0;
}

/* The database role of a policy role that roles apply made, into object. */
static int role_object(const struct dw_people *p, const char *role, char *object, size_t size,
		       struct dw_err *err)
{
	const char *params[] = { role };
	char *v = NULL;

	if (dw_db_query_value(p->db, "SELECT role_name FROM dw_role WHERE name = ?", 1, params, &v,
			      err) < 0)
		return -1;
	if (!v) {
		dw_err_set(err, DW_EX_DATAERR, "no role '%s' in the warehouse", role);
		dw_err_hint(err, "the roles of dw.yaml are made by 'dw-user roles apply'");
		return -1;
	}
	snprintf(object, size, "%s", v);
	free(v);
	return 0;
}

/* The person's role (policy name), or -1 (DW_EX_DATAERR) when not a person. */
static int person_role(const struct dw_people *p, const char *name, char *role, size_t size,
		       struct dw_err *err)
{
	const char *params[] = { name };
	char *v = NULL;

	if (dw_db_query_value(p->db, "SELECT role FROM dw_person WHERE account = ?", 1, params, &v,
			      err) < 0)
		return -1;
	if (!v)
		return dw_err_set(err, DW_EX_DATAERR, "no person '%s'", name);
	snprintf(role, size, "%s", v);
	free(v);
	return 0;
}

/* "market=EU,Africa": checks the dimension, inserts a row per value. */
static int put_scope(const struct dw_people *p, const char *name, const char *spec,
		     struct dw_err *err)
{
	char *copy = strdup(spec), *eq = copy ? strchr(copy, '=') : NULL, *save = NULL;
	int rc = 0;

	if (!copy)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (!eq || eq == copy || !eq[1])
		rc = dw_err_set(err, DW_EX_USAGE, "scope '%s' is not dimension=value,...", spec);
	else if (*eq = '\0', !dw_kb_dimension(p->kb, copy))
		rc = dw_err_set(err, DW_EX_USAGE, "scope '%s': no dimension '%s' in %s", spec, copy,
				p->kb->path);
	for (char *v = rc ? NULL : strtok_r(eq + 1, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
		const char *params[] = { name, copy, v };

		if (dw_db_exec(p->db, "INSERT IGNORE INTO dw_scope (account, dimension, value) "
			       "VALUES (?, ?, ?)", 3, params, err) < 0) {
			rc = -1;
			break;
		}
	}
	free(copy);
	return rc;
}

static int set_scopes(const struct dw_people *p, const char *name,
		      const struct dw_people_scope *scope, struct dw_err *err)
{
	const char *params[] = { name };

	if (dw_db_exec(p->db, "DELETE FROM dw_scope WHERE account = ?", 1, params, err) < 0)
		return -1;
	for (int i = 0; scope && i < scope->n; i++)
		if (put_scope(p, name, scope->specs[i], err) < 0)
			return -1;
	return 0;
}

static int grant_role(const struct dw_people *p, const char *name, const char *object,
		      struct dw_err *err)
{
	return exec_account(p, "GRANT %2$s TO %1$s", name, object, err) < 0 ||
	       exec_account(p, "SET DEFAULT ROLE %2$s FOR %1$s", name, object, err) < 0 ? -1 : 0;
}

int dw_people_add(const struct dw_people *p, const char *name, const char *role,
		  const struct dw_people_scope *scope, struct dw_err *err)
{
	char object[80], had[80];
	const char *params[] = { name, role, p->actor };
	struct dw_err undo;

	if (check_name(name, err) < 0 || role_object(p, role, object, sizeof object, err) < 0)
		return -1;
	/* The socket authenticates this machine's users only. */
	if (!getpwnam(name))
		return dw_err_set(err, DW_EX_DATAERR, "no operating-system user '%s' on this machine",
				  name);
	if (person_role(p, name, had, sizeof had, err) == 0)
		return dw_err_set(err, DW_EX_DATAERR, "'%s' is a person already (role %s)", name, had);
	if (exec_account(p, "CREATE USER %s IDENTIFIED VIA unix_socket", name, NULL, err) < 0)
		return -1;
	if (grant_role(p, name, object, err) == 0 && set_scopes(p, name, scope, err) == 0 &&
	    dw_db_exec(p->db, "INSERT INTO dw_person (account, host, role, auth, created_at, "
		       "created_by) VALUES (?, 'localhost', ?, 'socket', NOW(6), ?)", 3, params,
		       err) >= 0)
		return 0;
	/* Nothing half made: the account goes again (its error is the one shown). */
	exec_account(p, "DROP USER IF EXISTS %s", name, NULL, &undo);
	set_scopes(p, name, NULL, &undo);
	return -1;
}

int dw_people_del(const struct dw_people *p, const char *name, struct dw_err *err)
{
	char role[80];
	const char *params[] = { name };

	if (person_role(p, name, role, sizeof role, err) < 0 ||
	    exec_account(p, "DROP USER IF EXISTS %s", name, NULL, err) < 0 ||
	    set_scopes(p, name, NULL, err) < 0)
		return -1;
	return dw_db_exec(p->db, "DELETE FROM dw_person WHERE account = ?", 1, params, err) < 0
	       ? -1 : 0;
}

int dw_people_set_role(const struct dw_people *p, const char *name, const char *role,
		       struct dw_err *err)
{
	char had[80], old[80], object[80];
	const char *params[] = { role, name };

	if (person_role(p, name, had, sizeof had, err) < 0 ||
	    role_object(p, role, object, sizeof object, err) < 0)
		return -1;
	if (role_object(p, had, old, sizeof old, err) == 0 &&
	    exec_account(p, "REVOKE %2$s FROM %1$s", name, old, err) < 0)
		return -1;
	if (grant_role(p, name, object, err) < 0)
		return -1;
	return dw_db_exec(p->db, "UPDATE dw_person SET role = ? WHERE account = ?", 2, params, err)
	       < 0 ? -1 : 0;
}

int dw_people_scope(const struct dw_people *p, const char *name,
		    const struct dw_people_scope *scope, struct dw_err *err)
{
	char role[80];

	return person_role(p, name, role, sizeof role, err) < 0 ? -1
	       : set_scopes(p, name, scope, err);
}

int dw_people_lock(const struct dw_people *p, const char *name, int lock, struct dw_err *err)
{
	char role[80];

	if (person_role(p, name, role, sizeof role, err) < 0)
		return -1;
	return exec_account(p, lock ? "ALTER USER %s ACCOUNT LOCK" : "ALTER USER %s ACCOUNT UNLOCK",
			    name, NULL, err);
}

int dw_people_list(const struct dw_people *p, const char *name, FILE *out,
		   enum dw_out_format fmt, int header, struct dw_err *err)
{
	const char *params[] = { name, name };
	char role[80];
	struct dw_rows *rows;
	long long n;

	if (name && person_role(p, name, role, sizeof role, err) < 0)
		return -1;
	rows = dw_db_query(p->db,
			   "SELECT p.account, p.role, p.auth, "
			   "(SELECT GROUP_CONCAT(CONCAT(s.dimension, '=', s.value) ORDER BY s.dimension, "
			   "s.value SEPARATOR ' ') FROM dw_scope AS s WHERE s.account = p.account) AS scope, "
			   "COALESCE((SELECT JSON_VALUE(g.Priv, '$.account_locked') = 'true' FROM "
			   "mysql.global_priv AS g WHERE g.User = p.account AND g.Host = p.host), 0) "
			   "AS locked, p.created_at, p.created_by FROM dw_person AS p "
			   "WHERE ? IS NULL OR p.account = ? ORDER BY p.account",
			   2, params, err);
	if (!rows)
		return -1;
	n = dw_out_rows(rows, out, fmt, header, err);
	dw_rows_free(rows);
	return n < 0 ? -1 : 0;
}
