/* grants: whether the account dw-ask reads with may do more than read the
 * model's tables, from the lines of SHOW GRANTS (which, unlike
 * information_schema, include the privileges of the enabled role). Before
 * a remote model's SQL runs, the warehouse itself must be the barrier. */
#ifndef DW_GRANTS_H
#define DW_GRANTS_H

#include <stddef.h>

#include "db/db.h"
#include "err.h"

/* One line of SHOW GRANTS, for an account reading database: 0 when it
 * allows no more than USAGE, SELECT on a table of database whose name does
 * not start with dw_, and SELECT on dw_etl_watermark; in a role's schema
 * of dw-user (role_schema 1: masking views only), also SELECT on the whole
 * schema and INSERT on its dw_audit_event view (a person's own events);
 * 1 otherwise, with the grant that goes too far in what and the statement
 * that removes it in revoke (each cut to size bytes). */
int dw_grants_line(const char *line, const char *database, int role_schema, char *what,
		   char *revoke, size_t size);

/* Reads the grants of db's session: 0 reader only, 1 more (the first such
 * grant in what, its removal in revoke), or -1 with err when they cannot
 * be read. */
int dw_grants_check(struct dw_db *db, const char *database, int role_schema, char *what,
		    char *revoke, size_t size, struct dw_err *err);

#endif
