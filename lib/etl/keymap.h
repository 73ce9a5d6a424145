#ifndef DW_ETL_KEYMAP_H
#define DW_ETL_KEYMAP_H

#include "db/db.h"
#include "err.h"

/* The rows of query on db as JSON text, an array of arrays of strings
 * (NULL as null): how a first load hands the warehouse's dimension keys to
 * the OLTP extraction, which resolves them there.  Each value is encoded by
 * cJSON; no tree of the whole result is built.  Returns a malloc'd string,
 * or NULL with err. */
char *dw_keymap_json(struct dw_db *db, const char *query, struct dw_err *err);

#endif
