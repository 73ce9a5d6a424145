/* People's accounts: CREATE USER ... IDENTIFIED VIA unix_socket, the role
 * granted and made the default, the row scope in dw_scope, a record in
 * dw_person. Account DDL cannot take parameters, so names are checked to
 * be plain operating-system user names and quoted as literals. */
#include "user/people.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "out_rows.h"
#include "sqllex.h"
#include "user/password.h"

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

/* Where a person logs in from: the local socket, or the network. */
static const char *host_of(int password)
{
	return password ? "%" : "localhost";
}

/* 'name'@'host', malloc'd. */
static char *account(const char *name, const char *host)
{
	char *q = dw_sqllex_quote(name, DW_DB_MY), *h = dw_sqllex_quote(host, DW_DB_MY), *s = NULL;
	size_t n = q && h ? strlen(q) + strlen(h) + 2 : 0;

	if (n && (s = malloc(n)))
		snprintf(s, n, "%s@%s", q, h);
	free(q);
	free(h);
	return s;
}

/* A password the server's own checks refused (dw-user roles apply sets
 * them up): a data error saying why, not a failure. */
static void server_refused(struct dw_db *db, const char *fmt, struct dw_err *err)
{
	int e = dw_db_native_error(db);

	if (e == 1396 && strncmp(fmt, "ALTER", 5))
		return;   /* CREATE USER: the account exists */

	/* ER_NOT_VALID_PASSWORD, or ER_CANNOT_USER: password_reuse_check fails
	 * the whole statement (the account itself is known to exist). */
	if (e == 1819 || e == 1396)
		dw_err_set(err, DW_EX_DATAERR, "the server refuses the password: %s",
			   e == 1819 ? "it does not satisfy the server's password checks"
				     : "it was used before");
}

/* Runs fmt with the account, then a quoted role or a string literal (arg,
 * as a literal when literal is set: a password, wiped after) put in. */
static int exec_fmt(const struct dw_people *p, const char *fmt, const char *name,
		    const char *host, const char *arg, int literal, struct dw_err *err)
{
	char *acc = account(name, host), *sql = NULL;
	char *a = !arg ? NULL : literal ? dw_sqllex_quote(arg, DW_DB_MY) : dw_db_quote_ident(p->db, arg);
	int n = acc && (!arg || a) ? snprintf(NULL, 0, fmt, acc, a) : -1;
	long long rc = -1;

	if (n >= 0 && (sql = malloc((size_t)n + 1))) {
		snprintf(sql, (size_t)n + 1, fmt, acc, a);
		rc = dw_db_exec(p->db, sql, 0, NULL, err);
		OPENSSL_cleanse(sql, (size_t)n);
		if (rc < 0 && literal)
			server_refused(p->db, fmt, err);
	} else {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	if (a)
		OPENSSL_cleanse(a, strlen(a));
	free(sql);
	free(acc);
	free(a);
	return rc < 0 ? -1 : 0;
}

static int exec_account(const struct dw_people *p, const char *fmt, const char *name,
			const char *host, const char *object, struct dw_err *err)
{
	return exec_fmt(p, fmt, name, host, object, 0, err);
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

/* A person as dw_person records it. */
struct person {
	char role[80], host[256], auth[16];
};

/* The person NAME, or -1 (DW_EX_DATAERR) when not a person. */
static int find_person(const struct dw_people *p, const char *name, struct person *who,
		       struct dw_err *err)
{
	const char *params[] = { name };
	struct dw_rows *rows = dw_db_query(p->db, "SELECT role, host, auth FROM dw_person WHERE "
					   "account = ?", 1, params, err);
	int rc;

	if (!rows)
		return -1;
	if ((rc = dw_rows_next(rows, err)) > 0) {
		snprintf(who->role, sizeof who->role, "%s", dw_rows_value(rows, 0));
		snprintf(who->host, sizeof who->host, "%s", dw_rows_value(rows, 1));
		snprintf(who->auth, sizeof who->auth, "%s", dw_rows_value(rows, 2));
	}
	dw_rows_free(rows);
	if (rc == 0)
		return dw_err_set(err, DW_EX_DATAERR, "no person '%s'", name);
	return rc < 0 ? -1 : 0;
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

static int grant_role(const struct dw_people *p, const char *name, const char *host,
		      const char *object, struct dw_err *err)
{
	return exec_account(p, "GRANT %2$s TO %1$s", name, host, object, err) < 0 ||
	       exec_account(p, "SET DEFAULT ROLE %2$s FOR %1$s", name, host, object, err) < 0
	       ? -1 : 0;
}

/* Network accounts authenticate with ed25519 (MariaDB's plugin, installed
 * when missing). */
static int ensure_ed25519(const struct dw_people *p, struct dw_err *err)
{
	char *v = NULL;
	int rc = dw_db_query_value(p->db, "SELECT COUNT(*) FROM information_schema.PLUGINS WHERE "
				   "PLUGIN_NAME = 'ed25519' AND PLUGIN_STATUS = 'ACTIVE'", 0, NULL,
				   &v, err);

	if (rc == 0 && v && !strcmp(v, "0"))
		rc = dw_db_exec(p->db, "INSTALL SONAME 'auth_ed25519'", 0, NULL, err) < 0 ? -1 : 0;
	free(v);
	return rc;
}

/* Keeps the new password's hash, and only the last DW_PASSWORD_HISTORY. */
static int remember(const struct dw_people *p, const char *name, const char *password,
		    struct dw_err *err)
{
	char hash[DW_PASSWORD_HASH_MAX];
	const char *params[] = { name, hash }, *keep[] = { name, name };

	if (dw_password_hash(password, hash, sizeof hash, err) < 0 ||
	    dw_db_exec(p->db, "INSERT INTO dw_password_history (account, set_at, hash) VALUES "
		       "(?, NOW(6), ?)", 2, params, err) < 0)
		return -1;
	return dw_db_exec(p->db, "DELETE FROM dw_password_history WHERE account = ? AND set_at < "
			  "(SELECT MIN(t.set_at) FROM (SELECT h.set_at FROM dw_password_history AS h "
			  "WHERE h.account = ? ORDER BY h.set_at DESC LIMIT 5) AS t)", 2, keep, err)
	       < 0 ? -1 : 0;
}

/* Whether password is one of the person's last ones: 1, 0, -1 error. */
static int reused(const struct dw_people *p, const char *name, const char *password,
		  struct dw_err *err)
{
	const char *params[] = { name };
	char *hashes[DW_PASSWORD_HISTORY];
	size_t n = 0;
	struct dw_rows *rows = dw_db_query(p->db, "SELECT hash FROM dw_password_history WHERE "
					   "account = ? ORDER BY set_at DESC LIMIT 5", 1, params, err);
	int rc;

	if (!rows)
		return -1;
	while (n < DW_PASSWORD_HISTORY && (rc = dw_rows_next(rows, err)) > 0)
		if (!(hashes[n] = strdup(dw_rows_value(rows, 0))))
			break;
		else
			n++;
	dw_rows_free(rows);
	rc = dw_password_reused(password, hashes, n);
	for (size_t i = 0; i < n; i++)
		free(hashes[i]);
	return rc;
}

int dw_people_add(const struct dw_people *p, const char *name, const char *role,
		  const struct dw_people_scope *scope, const char *password, struct dw_err *err)
{
	char object[80];
	const char *host = host_of(password != NULL);
	const char *params[] = { name, host, role, password ? "password" : "socket", p->actor };
	struct person had;
	struct dw_err undo;

	if (check_name(name, err) < 0 || role_object(p, role, object, sizeof object, err) < 0)
		return -1;
	/* The socket authenticates this machine's users only. */
	if (!password && !getpwnam(name))
		return dw_err_set(err, DW_EX_DATAERR, "no operating-system user '%s' on this machine",
				  name);
	if (find_person(p, name, &had, err) == 0)
		return dw_err_set(err, DW_EX_DATAERR, "'%s' is a person already (role %s)", name,
				  had.role);
	if (password && (dw_password_check(password, name, NULL, err) < 0 ||
			 ensure_ed25519(p, err) < 0))
		return -1;
	if (password ? exec_fmt(p, "CREATE USER %s IDENTIFIED VIA ed25519 USING PASSWORD(%s)",
				name, host, password, 1, err) < 0
		     : exec_account(p, "CREATE USER %s IDENTIFIED VIA unix_socket", name, host, NULL,
				    err) < 0)
		return -1;
	if (grant_role(p, name, host, object, err) == 0 && set_scopes(p, name, scope, err) == 0 &&
	    (!password || remember(p, name, password, err) == 0) &&
	    dw_db_exec(p->db, "INSERT INTO dw_person (account, host, role, auth, created_at, "
		       "created_by) VALUES (?, ?, ?, ?, NOW(6), ?)", 5, params, err) >= 0)
		return 0;
	/* Nothing half made: the account goes again (its error is the one shown). */
	exec_account(p, "DROP USER IF EXISTS %s", name, host, NULL, &undo);
	set_scopes(p, name, NULL, &undo);
	return -1;
}

int dw_people_del(const struct dw_people *p, const char *name, struct dw_err *err)
{
	const char *params[] = { name };
	struct person who;

	if (find_person(p, name, &who, err) < 0 ||
	    exec_account(p, "DROP USER IF EXISTS %s", name, who.host, NULL, err) < 0 ||
	    set_scopes(p, name, NULL, err) < 0 ||
	    dw_db_exec(p->db, "DELETE FROM dw_password_history WHERE account = ?", 1, params,
		       err) < 0)
		return -1;
	return dw_db_exec(p->db, "DELETE FROM dw_person WHERE account = ?", 1, params, err) < 0
	       ? -1 : 0;
}

int dw_people_set_role(const struct dw_people *p, const char *name, const char *role,
		       struct dw_err *err)
{
	char old[80], object[80];
	const char *params[] = { role, name };
	struct person who;

	if (find_person(p, name, &who, err) < 0 ||
	    role_object(p, role, object, sizeof object, err) < 0)
		return -1;
	if (role_object(p, who.role, old, sizeof old, err) == 0 &&
	    exec_account(p, "REVOKE %2$s FROM %1$s", name, who.host, old, err) < 0)
		return -1;
	if (grant_role(p, name, who.host, object, err) < 0)
		return -1;
	return dw_db_exec(p->db, "UPDATE dw_person SET role = ? WHERE account = ?", 2, params, err)
	       < 0 ? -1 : 0;
}

int dw_people_scope(const struct dw_people *p, const char *name,
		    const struct dw_people_scope *scope, struct dw_err *err)
{
	struct person who;

	return find_person(p, name, &who, err) < 0 ? -1 : set_scopes(p, name, scope, err);
}

int dw_people_lock(const struct dw_people *p, const char *name, int lock, struct dw_err *err)
{
	struct person who;

	if (find_person(p, name, &who, err) < 0)
		return -1;
	return exec_account(p, lock ? "ALTER USER %s ACCOUNT LOCK" : "ALTER USER %s ACCOUNT UNLOCK",
			    name, who.host, NULL, err);
}

/* A person with a password: socket accounts have none to set. */
static int password_person(const struct dw_people *p, const char *name, struct person *who,
			   struct dw_err *err)
{
	if (find_person(p, name, who, err) < 0)
		return -1;
	if (strcmp(who->auth, "password"))
		return dw_err_set(err, DW_EX_DATAERR, "'%s' logs in as the operating-system user: "
				  "there is no password to set", name);
	return 0;
}

int dw_people_passwd(const struct dw_people *p, const char *name, const char *password,
		     struct dw_err *err)
{
	struct person who;
	int rc;

	if (password_person(p, name, &who, err) < 0 ||
	    dw_password_check(password, name, NULL, err) < 0)
		return -1;
	if ((rc = reused(p, name, password, err)) != 0)
		return rc < 0 ? -1 : dw_err_set(err, DW_EX_DATAERR, "the password is one of the "
						"last %d of '%s'", DW_PASSWORD_HISTORY, name);
	if (exec_fmt(p, "ALTER USER %s IDENTIFIED VIA ed25519 USING PASSWORD(%s)", name, who.host,
		     password, 1, err) < 0)
		return -1;
	return remember(p, name, password, err);
}

int dw_people_passwd_self(struct dw_db *db, const char *name, const char *password,
			  struct dw_err *err)
{
	char *lit = NULL, *sql = NULL;
	size_t n;
	long long rc = -1;

	if (dw_password_check(password, name, NULL, err) < 0)
		return -1;
	if ((lit = dw_sqllex_quote(password, DW_DB_MY)) &&
	    (sql = malloc(n = strlen(lit) + sizeof "SET PASSWORD = PASSWORD()"))) {
		snprintf(sql, n, "SET PASSWORD = PASSWORD(%s)", lit);
		if ((rc = dw_db_exec(db, sql, 0, NULL, err)) < 0)
			server_refused(db, "ALTER", err);
		OPENSSL_cleanse(sql, n);
	} else {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	if (lit)
		OPENSSL_cleanse(lit, strlen(lit));
	free(lit);
	free(sql);
	return rc < 0 ? -1 : 0;
}

int dw_people_reset(const struct dw_people *p, const char *name, char *password, size_t size,
		    struct dw_err *err)
{
	struct person who;

	if (password_person(p, name, &who, err) < 0 ||
	    dw_password_random(password, size, name, err) < 0)
		return -1;
	if (exec_fmt(p, "ALTER USER %s IDENTIFIED VIA ed25519 USING PASSWORD(%s)", name, who.host,
		     password, 1, err) < 0 ||
	    exec_account(p, "ALTER USER %s PASSWORD EXPIRE", name, who.host, NULL, err) < 0) {
		OPENSSL_cleanse(password, size);
		return -1;
	}
	return 0;
}

int dw_people_list(const struct dw_people *p, const char *name, FILE *out,
		   enum dw_out_format fmt, int header, struct dw_err *err)
{
	const char *params[] = { name, name };
	struct person who;
	struct dw_rows *rows;
	long long n;

	if (name && find_person(p, name, &who, err) < 0)
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
