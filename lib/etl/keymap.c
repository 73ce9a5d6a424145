#include "etl/keymap.h"
#include "etl/copytext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "CREATE TEMP TABLE t (a text, b text) ON COMMIT DROP" from the query's
 * column names. */
static int create_table(struct dw_db *pg, const char *table, const struct dw_rows *rows,
			struct dw_err *err)
{
	char sql[2048];
	size_t n;
	char *qt = dw_db_quote_ident(pg, table);

	if (!qt)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	n = (size_t)snprintf(sql, sizeof sql, "CREATE TEMP TABLE %s (", qt);
	free(qt);
	for (int c = 0; c < dw_rows_ncols(rows) && n < sizeof sql; c++) {
		char *qc = dw_db_quote_ident(pg, dw_rows_name(rows, c));

		if (!qc)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		n += (size_t)snprintf(sql + n, sizeof sql - n, "%s%s text", c ? ", " : "", qc);
		free(qc);
	}
	if (n + 20 >= sizeof sql)
		return dw_err_set(err, DW_EX_SOFTWARE, "too many key columns for %s", table);
	strcat(sql, ") ON COMMIT DROP");
	return dw_db_exec(pg, sql, 0, NULL, err) < 0 ? -1 : 0;
}

static long long copy_rows(struct dw_rows *rows, struct dw_db *pg, const char *table,
			   struct dw_err *err)
{
	struct dw_copytext w;
	char sql[256], *qt = dw_db_quote_ident(pg, table);
	long long n = 0;
	int rc;

	if (!qt || dw_copytext_init(&w, pg) < 0) {
		free(qt);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	snprintf(sql, sizeof sql, "COPY %s FROM STDIN", qt);
	free(qt);
	if (dw_db_pg_copy_in_start(pg, sql, err) < 0) {
		dw_copytext_free(&w);
		return -1;
	}
	while ((rc = dw_rows_next(rows, err)) == 1) {
		int ncols = dw_rows_ncols(rows);

		rc = 0;
		for (int c = 0; rc == 0 && c < ncols; c++)
			rc = dw_copytext_value(&w, dw_rows_value(rows, c), c == ncols - 1, err);
		if (rc < 0)
			break;
		n++;
	}
	if (rc == 0 && dw_copytext_flush(&w, err) == 0)
		rc = dw_db_pg_copy_in_end(pg, err) < 0 ? -1 : 0;
	else
		dw_db_pg_copy_in_abort(pg, "reading the warehouse keys failed");
	dw_copytext_free(&w);
	return rc < 0 ? -1 : n;
}

long long dw_keymap_copy(struct dw_db *my, const char *query, struct dw_db *pg,
			 const char *table, struct dw_err *err)
{
	struct dw_rows *rows = dw_db_query(my, query, 0, NULL, err);
	long long n;

	if (!rows)
		return -1;
	n = create_table(pg, table, rows, err) < 0 ? -1 : copy_rows(rows, pg, table, err);
	dw_rows_free(rows);
	if (n >= 0) {
		char sql[128], *qt = dw_db_quote_ident(pg, table);

		if (!qt)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		snprintf(sql, sizeof sql, "ANALYZE %s", qt);
		free(qt);
		if (dw_db_exec(pg, sql, 0, NULL, err) < 0)
			return -1;
	}
	return n;
}
