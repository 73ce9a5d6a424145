#ifndef DW_ETL_KEYMAP_H
#define DW_ETL_KEYMAP_H

#include "db/db.h"
#include "err.h"

/* Copies the rows of query on the warehouse into a new temporary table of
 * PostgreSQL, its columns named as the query's and typed text, dropped at
 * commit: how a first load hands the warehouse's dimension keys to the
 * OLTP extraction, which resolves them there.  The rows stream through in
 * chunks, so memory stays flat however many keys there are.  Needs a
 * read-write transaction on pg.  Returns the row count, or -1 with err. */
long long dw_keymap_copy(struct dw_db *my, const char *query, struct dw_db *pg,
			 const char *table, struct dw_err *err);

#endif
