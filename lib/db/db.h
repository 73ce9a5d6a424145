/* db: one interface over PostgreSQL (libpq) and MySQL/MariaDB (libmysqlclient).
 * Values travel as text; parameters are always sent separately from the SQL
 * text (server-side binding), never spliced. */
#ifndef DW_DB_H
#define DW_DB_H

#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "err.h"

enum dw_db_kind { DW_DB_PG, DW_DB_MY };

struct dw_db;
struct dw_rows;

/* Connects with the configured timeout. label names the side in messages
 * ("oltp", "warehouse"). Returns a handle freed with dw_db_close, or NULL
 * with err (69 unreachable, 77 authentication refused). */
struct dw_db *dw_db_pg_open(const struct dw_config_oltp *c, const char *label,
			    struct dw_err *err);
struct dw_db *dw_db_my_open(const struct dw_config_warehouse *c, const char *label,
			    struct dw_err *err);
/* The bare connection, let in when the account's password has expired: for
 * changing it (SET PASSWORD) and nothing else; no session settings. */
struct dw_db *dw_db_my_open_expired(const struct dw_config_warehouse *c, const char *label,
				    struct dw_err *err);
void dw_db_close(struct dw_db *db);
enum dw_db_kind dw_db_kind(const struct dw_db *db);
const char *dw_db_label(const struct dw_db *db);
/* Server's native error number of the last failure: the MySQL errno, or 1
 * for any PostgreSQL failure (read dw_db_sqlstate there); 0 when none. */
int dw_db_native_error(const struct dw_db *db);
/* Last PostgreSQL SQLSTATE ("" when none or MySQL). */
const char *dw_db_sqlstate(const struct dw_db *db);

/* Runs one statement with nparams text parameters ($1.. on PostgreSQL, ? on
 * MySQL; a NULL pointer is SQL NULL). Returns the affected row count (>= 0)
 * or -1 with err. */
long long dw_db_exec(struct dw_db *db, const char *sql, int nparams,
		     const char *const *params, struct dw_err *err);
/* Runs a script of several statements without parameters (DDL files).
 * Returns 0 or -1. */
int dw_db_exec_script(struct dw_db *db, const char *sql, struct dw_err *err);

/* Starts a query whose rows are streamed one at a time (never the whole
 * result in memory). Returns an iterator freed with dw_rows_free (which
 * discards unread rows), or NULL with err. */
struct dw_rows *dw_db_query(struct dw_db *db, const char *sql, int nparams,
			    const char *const *params, struct dw_err *err);
/* Advances to the next row: 1 row, 0 end, -1 error. */
int dw_rows_next(struct dw_rows *rows, struct dw_err *err);
int dw_rows_ncols(const struct dw_rows *rows);
const char *dw_rows_name(const struct dw_rows *rows, int col);
/* Value of col in the current row, NULL for SQL NULL; valid until the next
 * dw_rows_next. */
const char *dw_rows_value(const struct dw_rows *rows, int col);
/* 1 when the column holds numbers (for right alignment and JSON). */
int dw_rows_is_numeric(const struct dw_rows *rows, int col);
void dw_rows_free(struct dw_rows *rows);

/* First column of the first row as a malloc'd string (caller frees), *out
 * NULL when there is no row or the value is NULL. Returns 0 or -1. */
int dw_db_query_value(struct dw_db *db, const char *sql, int nparams,
		      const char *const *params, char **out, struct dw_err *err);

int dw_db_begin(struct dw_db *db, struct dw_err *err);
int dw_db_commit(struct dw_db *db, struct dw_err *err);
int dw_db_rollback(struct dw_db *db, struct dw_err *err);

/* START TRANSACTION READ ONLY: the server refuses any write in it. */
int dw_db_begin_read_only(struct dw_db *db, struct dw_err *err);
/* Limits every later statement of the session to ms milliseconds (0 = no
 * limit) in the server's own way. Returns 0 or -1. */
int dw_db_statement_timeout(struct dw_db *db, long ms, struct dw_err *err);
/* 1 when the last failure was the statement time limit. */
int dw_db_is_timeout(const struct dw_db *db);

/* Quotes an identifier for db's dialect ("a""b" or `a``b`). Returns a
 * malloc'd string the caller frees, NULL on allocation failure. */
char *dw_db_quote_ident(const struct dw_db *db, const char *name);
char *dw_db_quote_name(enum dw_db_kind kind, const char *name);

/* PostgreSQL COPY ... TO STDOUT: each chunk of data (whole rows in text
 * format) is passed to sink; a sink returning -1 aborts. Returns the row
 * count or -1. */
typedef int (*dw_db_sink_fn)(void *arg, const char *buf, size_t len, struct dw_err *err);
long long dw_db_pg_copy_out(struct dw_db *db, const char *sql, dw_db_sink_fn sink, void *arg,
			 struct dw_err *err);

/* The same COPY ... TO STDOUT read as a byte stream (rows are never split
 * across calls unless a row is longer than len): start, read until 0
 * (end) or -1 (error), then end, which returns the row count or -1 and
 * leaves the connection usable even when the reader stopped early. */
int dw_db_pg_copy_out_start(struct dw_db *db, const char *sql, struct dw_err *err);
ssize_t dw_db_pg_copy_out_read(struct dw_db *db, char *buf, size_t len, struct dw_err *err);
long long dw_db_pg_copy_out_end(struct dw_db *db, struct dw_err *err);

/* PostgreSQL COPY ... FROM STDIN: start, put any number of chunks, end.
 * end returns the row count or -1; on any error call dw_db_pg_copy_in_abort. */
int dw_db_pg_copy_in_start(struct dw_db *db, const char *sql, struct dw_err *err);
int dw_db_pg_copy_in_put(struct dw_db *db, const char *buf, size_t len, struct dw_err *err);
long long dw_db_pg_copy_in_end(struct dw_db *db, struct dw_err *err);
void dw_db_pg_copy_in_abort(struct dw_db *db, const char *reason);

/* PostgreSQL LISTEN: start listening on channel (quoted by the module),
 * then wait up to timeout_ms for a notification: 1 one or more arrived
 * (all are consumed), 0 timed out or interrupted by a signal, -1 the
 * connection failed (err 69). */
int dw_db_pg_listen(struct dw_db *db, const char *channel, struct dw_err *err);
int dw_db_pg_wait_notify(struct dw_db *db, long timeout_ms, struct dw_err *err);

/* MySQL LOAD DATA LOCAL INFILE fed from memory: sql must contain
 * "LOCAL INFILE 'dw-stream'" (any file name: it is never opened); source is
 * called for data until it returns 0 (end) or -1 (error, with err set).
 * Returns the affected row count or -1. When the server refuses LOCAL
 * INFILE, err->code is DW_EX_UNAVAILABLE and dw_db_local_infile_refused()
 * is true, so callers can fall back to INSERT. */
typedef ssize_t (*dw_db_source_fn)(void *arg, char *buf, size_t len, struct dw_err *err);
long long dw_db_my_load_local(struct dw_db *db, const char *sql, dw_db_source_fn source,
			   void *arg, struct dw_err *err);
int dw_db_local_infile_refused(const struct dw_db *db);

/* Warnings and notes the last statement on a MySQL connection left (a value
 * cut, rounded or converted, a row skipped as a duplicate): their count, 0
 * when none or on PostgreSQL, or -1 with err. When there are some and msg
 * is not NULL, the first one's text is copied into msg (len bytes at most,
 * e.g. "Data too long for column 'x' at row 3"); reading it is a statement
 * of its own, so ask for the text last. LOAD DATA LOCAL turns such errors
 * into warnings whatever the sql_mode, so a caller that must not lose data
 * checks this after each load. */
long long dw_db_my_warnings(struct dw_db *db, char *msg, size_t len, struct dw_err *err);

#endif
