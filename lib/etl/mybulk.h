#ifndef DW_ETL_MYBULK_H
#define DW_ETL_MYBULK_H

#include "db/db.h"
#include "err.h"

/* The first load of an empty warehouse table, on MariaDB: its non-unique
 * secondary indexes are taken off before the load and built again from the
 * loaded rows afterwards, which InnoDB does by sorting, far faster than
 * an index entry per row.  Each index is written to dw_etl_pending_index
 * before it is dropped and deleted from there once built, so a run killed
 * in between leaves it to the next one.  The primary key and unique keys
 * stay.  Neither runs inside a transaction (DDL commits it). */

/* Drops the non-unique secondary indexes of table when it is empty.
 * Returns 1 when it was empty, 0 when it holds rows, or -1 with err. */
int dw_mybulk_drop(struct dw_db *my, const char *table, struct dw_err *err);

/* Builds every index dw_etl_pending_index lists that its table lacks, and
 * empties the list.  Returns how many it built, or -1 with err. */
int dw_mybulk_restore(struct dw_db *my, struct dw_err *err);

#endif
