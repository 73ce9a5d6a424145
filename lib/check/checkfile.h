/* checkfile: the checks file of dw-validate (dw-checks(5)): data-quality
 * checks on tables of the OLTP database or the warehouse. */
#ifndef DW_CHECK_CHECKFILE_H
#define DW_CHECK_CHECKFILE_H

#include <stddef.h>

#include "err.h"

enum dw_checkfile_kind {
	DW_CHECK_ROW_COUNT, DW_CHECK_NOT_NULL, DW_CHECK_UNIQUE, DW_CHECK_ACCEPTED_VALUES,
	DW_CHECK_RANGE, DW_CHECK_FRESHNESS, DW_CHECK_REFERENTIAL, DW_CHECK_SQL, DW_CHECK_PATTERN,
	DW_CHECK_SCHEMA,
};

/* A threshold on the failing rows: more than count, or more than percent
 * of the table's rows; none when unset. */
struct dw_checkfile_threshold {
	int set, percent;
	double value;
};

/* The longest name of a check: the history's column (dw_check_result). */
#define DW_CHECKFILE_NAME_MAX 128

struct dw_checkfile_check {
	char *name;
	int warehouse;                  /* database: warehouse (else oltp) */
	char *table;
	enum dw_checkfile_kind kind;
	char **columns;                 /* not_null, unique, schema; the one column of the others */
	char **types;                   /* schema: the type of each column, NULL otherwise */
	size_t ncolumns;
	int strict;                     /* schema: a column not listed fails too */
	char *pattern;                  /* pattern: a POSIX extended regular expression */
	char **values;                  /* accepted_values */
	size_t nvalues;
	char *min, *max;                /* range, row_count ("" none) */
	long within_ms;                 /* freshness */
	char *ref_table, *ref_column;   /* referential: the parent key */
	char *sql;                      /* sql: a query returning the failing rows */
	char **tags;
	size_t ntags;
	struct dw_checkfile_threshold warn_if, error_if;
	int line;
};

struct dw_checkfile {
	char *path;
	size_t nchecks;
	struct dw_checkfile_check *checks;
};

/* Loads the checks file at path. Returns 0 or -1 with err (DW_EX_DATAERR
 * naming file:line and the key; DW_EX_IOERR when unreadable). */
int dw_checkfile_load(struct dw_checkfile *f, const char *path, struct dw_err *err);
void dw_checkfile_free(struct dw_checkfile *f);
const char *dw_checkfile_kind_name(enum dw_checkfile_kind k);

#endif
