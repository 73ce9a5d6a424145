/* schema: the live warehouse schema (tables, columns, types) that
 * dw-ask validates SQL against and describes to LLMs. Read from
 * INFORMATION_SCHEMA, cached in a file keyed by a fingerprint of the
 * schema so a changed schema is re-read. */
#ifndef DW_ASK_SCHEMA_H
#define DW_ASK_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "err.h"

struct dw_schema_column {
	char *name;
	char *type;               /* column_type as the server reports it ("decimal(14,4)") */
};

struct dw_schema_table {
	char *name;
	size_t ncolumns;
	struct dw_schema_column *columns;
};

struct dw_schema {
	char *database;           /* the schema the tables live in */
	uint64_t fingerprint;     /* hash of every table, column and type */
	size_t ntables;
	struct dw_schema_table *tables;
};

/* Building by hand (tests, the cache reader). Names are copied. Returns 0
 * or -1 (out of memory). Columns go to the last added table. */
void dw_schema_init(struct dw_schema *s, const char *database);
int dw_schema_add_table(struct dw_schema *s, const char *table);
int dw_schema_add_column(struct dw_schema *s, const char *column, const char *type);
void dw_schema_release(struct dw_schema *s);

/* Case-insensitive lookups (MySQL table names are case-sensitive on disk
 * on Linux, but dw's are all lower case); NULL when absent. */
const struct dw_schema_table *dw_schema_table(const struct dw_schema *s, const char *name);
const struct dw_schema_column *dw_schema_column(const struct dw_schema_table *t,
						const char *name);

/* Reads every base table and view of the connection's current database
 * whose name does not start with "dw_" (control tables are not for
 * questions). Returns 0 or -1 with err. */
int dw_schema_read(struct dw_db *db, struct dw_schema *s, struct dw_err *err);

/* A cheap stamp of the schema, one value: changes whenever a table,
 * column or type does. An expression, so it can share a round trip. */
#define DW_SCHEMA_STAMP_SQL \
	"SELECT CONCAT(COUNT(*), '-', COALESCE(SUM(CRC32(CONCAT_WS('.', table_name, " \
	"column_name, column_type, ordinal_position))), 0)) " \
	"FROM information_schema.columns " \
	"WHERE table_schema = DATABASE() AND table_name NOT LIKE 'dw\\_%'"

/* The path of cache file name in cache_dir, or $XDG_CACHE_HOME/dw,
 * ~/.cache/dw when cache_dir is NULL or "". */
void dw_schema_cache_path(const char *cache_dir, const char *name, char *buf, size_t size);

/* As dw_schema_read, from the cache file in cache_dir (see
 * dw_schema_cache_path) when the schema's stamp is unchanged; a fresh read
 * rewrites the cache. stamp is DW_SCHEMA_STAMP_SQL's value when the caller
 * has it, or NULL to read it here. Returns 0 or -1 with err. */
int dw_schema_load(struct dw_db *db, const char *cache_dir, const char *database,
		   const char *stamp, struct dw_schema *s, struct dw_err *err);

/* Closest table or column name within a small edit distance, for "did you
 * mean" hints; NULL when nothing is close. Pointers into s. */
const char *dw_schema_suggest_table(const struct dw_schema *s, const char *name);
const char *dw_schema_suggest_column(const struct dw_schema *s, const char *name);

#endif
