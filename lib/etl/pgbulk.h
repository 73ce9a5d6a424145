#ifndef DW_ETL_PGBULK_H
#define DW_ETL_PGBULK_H

#include "db/db.h"
#include "err.h"

/* A row trigger of the table that stamps column with the moment the row
 * is written (clock_timestamp()): while rows are loaded in bulk the INSERT
 * stamps them itself, each with clock_timestamp() as it is written, and the
 * trigger is held off (a plpgsql call a row: a third of the INSERT). */
struct dw_pgbulk_stamp {
	const char *column;
	const char *trigger;
};

/* Loads an empty PostgreSQL table in bulk, inside the caller's transaction:
 * its secondary indexes and foreign keys are dropped, the rows of src
 * (a SELECT giving cols) inserted, and the indexes built and the keys
 * checked once, afterwards (stamp: NULL, or the table's stamping trigger,
 * used when the table has it enabled); so is its primary key, with the foreign keys of
 * other tables that refer to it, when the account owns those tables.  Only for a table the session's account owns
 * and that is empty once locked.  Returns 1 with *rows when it loaded,
 * 0 when the table does not qualify (nothing done; the table may stay
 * locked until the transaction ends), -1 with err. */
int dw_pgbulk_load(struct dw_db *pg, const char *table, const char *cols, const char *src,
		   const struct dw_pgbulk_stamp *stamp, long long *rows, struct dw_err *err);

#endif
