#ifndef DW_ETL_PGBULK_H
#define DW_ETL_PGBULK_H

#include "db/db.h"
#include "err.h"

/* Loads an empty PostgreSQL table in bulk, inside the caller's transaction:
 * its secondary indexes and foreign keys are dropped, the rows of src
 * (a SELECT giving cols) inserted, and the indexes built and the keys
 * checked once, afterwards; so is its primary key, with the foreign keys of
 * other tables that refer to it, when the account owns those tables.  Only for a table the session's account owns
 * and that is empty once locked.  Returns 1 with *rows when it loaded,
 * 0 when the table does not qualify (nothing done; the table may stay
 * locked until the transaction ends), -1 with err. */
int dw_pgbulk_load(struct dw_db *pg, const char *table, const char *cols, const char *src,
		   long long *rows, struct dw_err *err);

#endif
