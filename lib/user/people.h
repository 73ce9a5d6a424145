/* people: the warehouse accounts of people, one per person, each holding
 * one role of the policy (DESIGN.md section 8). A local person's account is
 * authenticated by the operating system user of the same name over the
 * local socket (MariaDB unix_socket): no password exists. */
#ifndef DW_USER_PEOPLE_H
#define DW_USER_PEOPLE_H

#include <stdio.h>

#include "db/db.h"
#include "err.h"
#include "kb.h"
#include "out.h"

struct dw_people {
	struct dw_db *db;          /* an account that may create users and grant roles */
	const char *database;      /* the warehouse schema (dw_person, dw_scope, dw_role) */
	const struct dw_kb *kb;    /* scope dimensions are checked against it */
	const char *actor;         /* who does it, for dw_person.created_by */
};

/* A person's row scope: "dimension=value,value". */
struct dw_people_scope {
	char **specs;
	int n;
};

/* Creates the account holding role (a role name of the policy, applied),
 * with the scopes given: NAME@localhost authenticated by unix_socket, or,
 * with a password (checked by dw_password_check), NAME@% by ed25519.
 * Returns 0 or -1 (DW_EX_DATAERR when it exists, the role is not applied,
 * no such operating-system user, a weak password; DW_EX_USAGE for a bad
 * name or scope). */
int dw_people_add(const struct dw_people *p, const char *name, const char *role,
		  const struct dw_people_scope *scope, const char *password, struct dw_err *err);
/* Sets a password person's password: the rules, none of the last five. */
int dw_people_passwd(const struct dw_people *p, const char *name, const char *password,
		     struct dw_err *err);
/* A person's own password, on a connection of theirs (expired or not):
 * the rules but the history, which the server's reuse check keeps. */
int dw_people_passwd_self(struct dw_db *db, const char *name, const char *password,
			  struct dw_err *err);
/* Gives a password person a random one-time password (into password),
 * expired: the person must choose another at the next login. */
int dw_people_reset(const struct dw_people *p, const char *name, char *password, size_t size,
		    struct dw_err *err);
/* Drops the account and its scope. */
int dw_people_del(const struct dw_people *p, const char *name, struct dw_err *err);
/* Replaces the person's role. */
int dw_people_set_role(const struct dw_people *p, const char *name, const char *role,
		       struct dw_err *err);
/* Replaces the person's scope with the one given (none: no scope rows). */
int dw_people_scope(const struct dw_people *p, const char *name,
		    const struct dw_people_scope *scope, struct dw_err *err);
/* Locks (lock 1) or unlocks the account: a locked account cannot log in. */
int dw_people_lock(const struct dw_people *p, const char *name, int lock, struct dw_err *err);
/* Prints the people (name NULL) or one person: account, role, auth,
 * scope, locked, created_at, created_by. Returns 0 or -1 (DW_EX_DATAERR
 * when name is not a person). */
int dw_people_list(const struct dw_people *p, const char *name, FILE *out,
		   enum dw_out_format fmt, int header, struct dw_err *err);

#endif
