/* db_int: the backend table behind lib/db/db.h; only db*.c include this. */
#ifndef DW_DB_INT_H
#define DW_DB_INT_H

#include "db/db.h"

struct dw_db_ops {
	void (*close)(struct dw_db *db);
	long long (*exec)(struct dw_db *db, const char *sql, int nparams,
			  const char *const *params, struct dw_err *err);
	int (*exec_script)(struct dw_db *db, const char *sql, struct dw_err *err);
	struct dw_rows *(*query)(struct dw_db *db, const char *sql, int nparams,
				 const char *const *params, struct dw_err *err);
};

struct dw_rows_ops {
	int (*next)(struct dw_rows *rows, struct dw_err *err);
	const char *(*value)(const struct dw_rows *rows, int col);
	const char *(*name)(const struct dw_rows *rows, int col);
	int (*is_numeric)(const struct dw_rows *rows, int col);
	void (*free)(struct dw_rows *rows);
};

struct dw_db {
	enum dw_db_kind kind;
	const struct dw_db_ops *ops;
	char label[32];
	int native_error;
	char sqlstate[6];
	int infile_refused;
	/* PostgreSQL COPY TO STDOUT read with dw_db_pg_copy_out_read */
	char *copy_row;           /* current row from PQgetCopyData */
	int copy_len, copy_off;
	long long copy_rows;
	int copy_state;           /* 0 idle, 1 reading, 2 ended, -1 failed */
	void *conn;               /* PGconn * or MYSQL * */
};

struct dw_rows {
	const struct dw_rows_ops *ops;
	struct dw_db *db;
	int ncols;
};

#endif
