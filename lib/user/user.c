/* dw-user's verbs: each opens what it needs, calls one module, audits
 * every change it made. */
#include "user/user.h"

#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "audit.h"
#include "db/db.h"
#include "kb.h"
#include "log.h"
#include "user/people.h"
#include "user/password.h"
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

/* ---- people ------------------------------------------------------------- */

/* Reads a line from fp into buf without its newline; 0 or -1. */
static int read_line(FILE *fp, char *buf, size_t size)
{
	size_t n;

	if (!fgets(buf, (int)size, fp))
		return -1;
	n = strcspn(buf, "\n");
	if (!buf[n] && n + 1 == size && !feof(fp))
		return -1;   /* longer than the buffer */
	buf[n] = '\0';
	return 0;
}

/* Asks on the terminal, without echo. */
static int ask_tty(FILE *tty, const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int fd = fileno(tty), rc;

	fputs(prompt, tty);
	fflush(tty);
	if (tcgetattr(fd, &old) < 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	rc = read_line(tty, buf, size);
	tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', tty);
	return rc;
}

/* A secret typed once on the terminal, or a line of standard input. */
static int read_secret(const char *prompt, char *buf, size_t size, struct dw_err *err)
{
	FILE *tty;
	int rc;

	if (!isatty(STDIN_FILENO))
		return read_line(stdin, buf, size) < 0
		       ? dw_err_set(err, DW_EX_DATAERR, "no password on standard input") : 0;
	if (!(tty = fopen("/dev/tty", "r+")))
		return dw_err_set(err, DW_EX_IOERR, "cannot open the terminal to ask for a password");
	rc = ask_tty(tty, prompt, buf, size);
	fclose(tty);
	return rc < 0 ? dw_err_set(err, DW_EX_DATAERR, "no password read") : 0;
}

/* The change, as the person, in the audit view of their role's schema; a
 * warning when it cannot be written (the password has changed). */
static void audit_self(struct dw_db *db, const char *name)
{
	struct dw_audit_event ev = {
		.tool = "dw-user", .action = "passwd", .role = "", .db_user = name, .question = name,
		.rows = -1, .outcome = "done",
	};
	struct dw_err e = { 0 };
	char *role = NULL, *q = NULL, *sql = NULL, *name_of = NULL;

	/* A login into the expired-password sandbox has no role enabled. */
	if (dw_db_query_value(db, "SELECT ROLE_NAME FROM information_schema.APPLICABLE_ROLES "
			      "WHERE IS_DEFAULT = 'YES' LIMIT 1", 0, NULL, &role, &e) == 0 && !role)
		dw_err_set(&e, DW_EX_NOPERM, "%s holds no role", name);
	if (role && (q = dw_db_quote_ident(db, role)) && (sql = malloc(strlen(q) + 10))) {
		snprintf(sql, strlen(q) + 10, "SET ROLE %s", q);
		if (dw_db_exec(db, sql, 0, NULL, &e) >= 0) {
			snprintf(sql, strlen(q) + 10, "USE %s", q);
			ev.role = role;
			/* The policy's name of the role, as dw-ask records it. */
			if (dw_db_exec(db, sql, 0, NULL, &e) >= 0 &&
			    dw_db_query_value(db, "SELECT role FROM dw_role_info", 0, NULL, &name_of,
					      &e) == 0) {
				ev.role = name_of ? name_of : role;
				dw_audit_record(db, &ev, &e);
			}
		}
	}
	if (e.code)
		dw_log_warn("the password is changed, but not audited: %s", e.msg);
	free(name_of);
	free(role);
	free(q);
	free(sql);
}

/* A new password, never from the command line: typed twice on the
 * terminal, or one line of standard input when that is no terminal. */
static int read_password(const char *name, char *buf, size_t size, struct dw_err *err)
{
	char again[DW_PASSWORD_MAX * 4 + 2], prompt[128];
	FILE *tty;
	int rc = 0;

	if (!isatty(STDIN_FILENO))
		return read_line(stdin, buf, size) < 0
		       ? dw_err_set(err, DW_EX_DATAERR, "no password on standard input (one line, "
				    "at most %d characters)", DW_PASSWORD_MAX) : 0;
	if (!(tty = fopen("/dev/tty", "r+")))
		return dw_err_set(err, DW_EX_IOERR, "cannot open the terminal to ask for a password");
	snprintf(prompt, sizeof prompt, "New password for %s: ", name);
	if (ask_tty(tty, prompt, buf, size) < 0 || ask_tty(tty, "Again: ", again, sizeof again) < 0)
		rc = dw_err_set(err, DW_EX_DATAERR, "no password read");
	else if (strcmp(buf, again))
		rc = dw_err_set(err, DW_EX_DATAERR, "the two passwords differ");
	OPENSSL_cleanse(again, sizeof again);
	fclose(tty);
	return rc;
}

/* passwd without a name: the person's own (warehouse.user), connecting
 * with the current password, even an expired one; recorded in the role's
 * audit view once changed (the server lets nothing else in before). */
static int passwd_self(const struct dw_config *cfg, struct dw_err *err)
{
	struct dw_config_warehouse c = cfg->warehouse;
	char now[DW_PASSWORD_MAX * 4 + 2], pw[DW_PASSWORD_MAX * 4 + 2], prompt[160];
	struct dw_db *db = NULL;
	int rc = 0;

	snprintf(prompt, sizeof prompt, "Current password for %s: ", c.user);
	if (read_secret(prompt, now, sizeof now, err) < 0 ||
	    read_password(c.user, pw, sizeof pw, err) < 0)
		rc = -1;
	c.password = now;
	c.database = "";
	if (rc == 0 && !(db = dw_db_my_open_expired(&c, "warehouse", err)))
		rc = -1;
	OPENSSL_cleanse(now, sizeof now);
	if (rc == 0)
		rc = dw_people_passwd_self(db, c.user, pw, err);
	OPENSSL_cleanse(pw, sizeof pw);
	if (rc == 0)
		audit_self(db, c.user);
	dw_db_close(db);
	return rc;
}

/* add, passwd: the verb with a password read first (wiped after). */
static int with_password(const struct dw_people *p, const char *verb, const char *name,
			 const struct dw_user_opts *o, struct dw_err *err)
{
	char pw[DW_PASSWORD_MAX * 4 + 2];
	struct dw_people_scope scope = { (char **)o->scopes, o->nscopes };
	int rc = read_password(name, pw, sizeof pw, err);

	if (rc == 0)
		rc = !strcmp(verb, "add") ? dw_people_add(p, name, o->role, &scope, pw, err)
					  : dw_people_passwd(p, name, pw, err);
	OPENSSL_cleanse(pw, sizeof pw);
	return rc < 0 ? -1 : 1;
}

/* reset: the one-time password goes to out, once; it is never logged. */
static int reset(const struct dw_people *p, const char *name, FILE *out, struct dw_err *err)
{
	char pw[32];
	int rc = dw_people_reset(p, name, pw, sizeof pw, err);

	if (rc == 0 && (fprintf(out, "%s\n", pw) < 0 || fflush(out) != 0))
		rc = dw_err_set(err, DW_EX_IOERR, "cannot print the one-time password");
	OPENSSL_cleanse(pw, sizeof pw);
	return rc < 0 ? -1 : 1;
}

/* Runs one people verb on p; 1 when it changed something. */
static int people_verb(const struct dw_people *p, const char *verb,
		       const struct dw_user_opts *o, FILE *out, struct dw_err *err)
{
	const char *name = o->nargs ? o->args[0] : NULL;
	struct dw_people_scope scope = { (char **)o->scopes, o->nscopes };
	int password = o->auth && !strcmp(o->auth, "password");

	if (!strcmp(verb, "add") && !o->role)
		return dw_err_set(err, DW_EX_USAGE, "add: --role is required");
	if (o->auth && !password && strcmp(o->auth, "socket"))
		return dw_err_set(err, DW_EX_USAGE, "--auth must be socket or password");
	if ((!strcmp(verb, "add") && password) || !strcmp(verb, "passwd"))
		return with_password(p, verb, name, o, err);
	if (!strcmp(verb, "reset"))
		return reset(p, name, out, err);
	if (!strcmp(verb, "add"))
		return dw_people_add(p, name, o->role, &scope, NULL, err) < 0 ? -1 : 1;
	if (!strcmp(verb, "del"))
		return dw_people_del(p, name, err) < 0 ? -1 : 1;
	if (!strcmp(verb, "set-role"))
		return dw_people_set_role(p, name, o->args[1], err) < 0 ? -1 : 1;
	if (!strcmp(verb, "scope")) {
		scope = (struct dw_people_scope){ o->args + 1, o->nargs - 1 };
		return dw_people_scope(p, name, &scope, err) < 0 ? -1 : 1;
	}
	if (!strcmp(verb, "lock") || !strcmp(verb, "unlock"))
		return dw_people_lock(p, name, !strcmp(verb, "lock"), err) < 0 ? -1 : 1;
	return dw_people_list(p, name, out, o->format, o->header, err);
}

/* What a change did, for the audit: the operands after the name. */
static void change_detail(const struct dw_user_opts *o, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	if (o->role)
		len += (size_t)snprintf(buf, size, "role=%s", o->role);
	for (int i = 0; i < o->nscopes && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, " scope=%s", o->scopes[i]);
	for (int i = 1; i < o->nargs && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", o->args[i]);
}

int dw_user_people(const struct dw_config *cfg, const char *verb,
		   const struct dw_user_opts *o, FILE *out, struct dw_err *err)
{
	struct dw_kb kb;
	struct dw_db *db = NULL;
	char detail[512];
	int rc = -1;

	if (!strcmp(verb, "passwd") && !o->nargs)
		return passwd_self(cfg, err);
	if (dw_kb_load(&kb, cfg->ask.knowledge, err) == 0 &&
	    (db = dw_db_my_open(&cfg->warehouse, "warehouse", err))) {
		struct dw_people p = { db, cfg->warehouse.database, &kb, dw_audit_os_user() };
		int change = strcmp(verb, "list") && strcmp(verb, "show");
		struct dw_audit_event ev = {
			.tool = "dw-user", .action = verb, .role = "", .db_user = cfg->warehouse.user,
			.question = o->nargs ? o->args[0] : NULL, .rows = -1,
		};
		struct dw_err failed;
		int ran = 0;

		change_detail(o, detail, sizeof detail);
		/* A change is audited before it is made (none without its event),
		 * and its outcome after. */
		if (!change || dw_audit_started(db, &ev, err) == 0)
			rc = people_verb(&p, verb, o, out, err), ran = 1;
		if (change && ran &&
		    dw_audit_outcome(db, &ev, detail, rc < 0 ? err : NULL, rc < 0 ? &failed : err) < 0)
			rc = -1;
	}
	dw_db_close(db);
	dw_kb_release(&kb);
	return rc < 0 ? -1 : 0;
}
