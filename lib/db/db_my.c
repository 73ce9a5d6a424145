/* db_my: the MySQL/MariaDB backend of lib/db/db.h over libmysqlclient
 * (MariaDB Connector/C on Debian). Statements with parameters go through
 * server-side prepared statements; others use the text protocol. */
#include "db/db_int.h"

#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static MYSQL *my_conn(const struct dw_db *db)
{
	return db->conn;
}

static int my_code_for_errno(unsigned int e)
{
	switch (e) {
	case CR_CONNECTION_ERROR: case CR_CONN_HOST_ERROR: case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST: case CR_UNKNOWN_HOST: case CR_SERVER_LOST_EXTENDED:
	case ER_SERVER_SHUTDOWN: case ER_CON_COUNT_ERROR:
		return DW_EX_UNAVAILABLE;
	case ER_ACCESS_DENIED_ERROR: case ER_DBACCESS_DENIED_ERROR:
	case ER_TABLEACCESS_DENIED_ERROR: case ER_COLUMNACCESS_DENIED_ERROR:
	case ER_SPECIFIC_ACCESS_DENIED_ERROR: case 1698 /* ER_ACCESS_DENIED_NO_PASSWORD_ERROR */:
		return DW_EX_NOPERM;
	case ER_LOCK_WAIT_TIMEOUT: case ER_LOCK_DEADLOCK: case ER_TOO_MANY_USER_CONNECTIONS:
		return DW_EX_TEMPFAIL;
	case ER_DUP_ENTRY: case ER_WARN_DATA_OUT_OF_RANGE: case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
	case WARN_DATA_TRUNCATED:
	case ER_DATA_TOO_LONG: case ER_NO_REFERENCED_ROW_2: case ER_BAD_NULL_ERROR:
	case ER_ROW_IS_REFERENCED_2:
		return DW_EX_DATAERR;
	default:
		return DW_EX_SOFTWARE;
	}
}

/* Server errors that mean "LOCAL INFILE is disabled here". */
static int my_is_infile_refusal(unsigned int e)
{
	return e == 1148 || e == 3948 || e == 4166;
}

static int my_fail_with(struct dw_db *db, unsigned int e, const char *msg, struct dw_err *err)
{
	db->native_error = (int)e;
	db->infile_refused = my_is_infile_refusal(e);
	dw_err_set(err, db->infile_refused ? DW_EX_UNAVAILABLE : my_code_for_errno(e), "%s: %s",
		   db->label, msg);
	return -1;
}

static int my_fail(struct dw_db *db, struct dw_err *err)
{
	return my_fail_with(db, mysql_errno(my_conn(db)), mysql_error(my_conn(db)), err);
}

static int my_stmt_fail(struct dw_db *db, MYSQL_STMT *st, struct dw_err *err)
{
	/* An error packet read while fetching unbuffered rows is recorded on the
	 * connection, not on the statement. */
	if (!mysql_stmt_errno(st) && mysql_errno(my_conn(db)))
		return my_fail(db, err);
	return my_fail_with(db, mysql_stmt_errno(st), mysql_stmt_error(st), err);
}

static void my_reset_error(struct dw_db *db)
{
	db->native_error = 0;
	db->infile_refused = 0;
}

/* ---- text protocol rows ---- */

struct my_rows {
	struct dw_rows base;
	MYSQL_RES *res;
	MYSQL_ROW row;
	MYSQL_FIELD *fields;
};

static int my_rows_next(struct dw_rows *base, struct dw_err *err)
{
	struct my_rows *r = (struct my_rows *)base;

	r->row = mysql_fetch_row(r->res);
	if (r->row)
		return 1;
	if (mysql_errno(my_conn(base->db)))
		return my_fail(base->db, err);
	return 0;
}

static const char *my_rows_value(const struct dw_rows *base, int col)
{
	const struct my_rows *r = (const struct my_rows *)base;

	return r->row ? r->row[col] : NULL;
}

static const char *my_rows_name(const struct dw_rows *base, int col)
{
	return ((const struct my_rows *)base)->fields[col].name;
}

static int my_type_is_numeric(enum enum_field_types t)
{
	return IS_NUM(t) && t != MYSQL_TYPE_TIMESTAMP;
}

static int my_rows_is_numeric(const struct dw_rows *base, int col)
{
	return my_type_is_numeric(((const struct my_rows *)base)->fields[col].type);
}

static void my_rows_free(struct dw_rows *base)
{
	struct my_rows *r = (struct my_rows *)base;

	mysql_free_result(r->res);   /* reads and discards unread rows */
	free(r);
}

static const struct dw_rows_ops my_rows_ops = {
	my_rows_next, my_rows_value, my_rows_name, my_rows_is_numeric, my_rows_free,
};

/* An empty result for statements that return no rows. */
static int empty_next(struct dw_rows *base, struct dw_err *err)
{
	(void)base;
	(void)err;
	return 0;
}

static const char *empty_value(const struct dw_rows *base, int col)
{
	(void)base;
	(void)col;
	return NULL;
}

static int empty_numeric(const struct dw_rows *base, int col)
{
	(void)base;
	(void)col;
	return 0;
}

static void empty_free(struct dw_rows *base)
{
	free(base);
}

static const struct dw_rows_ops empty_rows_ops = {
	empty_next, empty_value, empty_value, empty_numeric, empty_free,
};

static struct dw_rows *empty_rows(struct dw_db *db, struct dw_err *err)
{
	struct dw_rows *r = calloc(1, sizeof *r);

	if (!r) {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		return NULL;
	}
	r->ops = &empty_rows_ops;
	r->db = db;
	return r;
}

static struct dw_rows *my_text_query(struct dw_db *db, const char *sql, struct dw_err *err)
{
	MYSQL *conn = my_conn(db);
	struct my_rows *r;
	MYSQL_RES *res;

	if (mysql_real_query(conn, sql, strlen(sql))) {
		my_fail(db, err);
		return NULL;
	}
	res = mysql_use_result(conn);
	if (!res) {
		if (mysql_errno(conn)) {
			my_fail(db, err);
			return NULL;
		}
		return empty_rows(db, err);
	}
	r = calloc(1, sizeof *r);
	if (!r) {
		mysql_free_result(res);
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		return NULL;
	}
	r->base.ops = &my_rows_ops;
	r->base.db = db;
	r->base.ncols = (int)mysql_num_fields(res);
	r->res = res;
	r->fields = mysql_fetch_fields(res);
	return (struct dw_rows *)r;
}

/* ---- prepared statements ---- */

struct my_col {
	char *buf;
	unsigned long cap;
	unsigned long len;
	my_bool is_null;
	my_bool error;
};

struct my_stmt_rows {
	struct dw_rows base;
	MYSQL_STMT *st;
	MYSQL_RES *meta;
	MYSQL_FIELD *fields;
	MYSQL_BIND *bind;
	struct my_col *cols;
};

static void stmt_rows_release(struct my_stmt_rows *r)
{
	if (r->meta)
		mysql_free_result(r->meta);
	if (r->st)
		mysql_stmt_close(r->st);
	for (int i = 0; r->cols && i < r->base.ncols; i++)
		free(r->cols[i].buf);
	free(r->cols);
	free(r->bind);
	free(r);
}

/* Refetches columns whose buffer was too small, growing the buffer. A value
 * of exactly cap bytes is not flagged as truncated by the library but leaves
 * no room for the terminating NUL, so the length decides, not c->error. */
static int stmt_fetch_truncated(struct my_stmt_rows *r, struct dw_err *err)
{
	int rebind = 0;

	for (int i = 0; i < r->base.ncols; i++) {
		struct my_col *c = &r->cols[i];
		char *nb;

		if (c->is_null || c->len < c->cap)
			continue;
		nb = realloc(c->buf, c->len + 1);
		if (!nb)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		c->buf = nb;
		c->cap = c->len + 1;
		r->bind[i].buffer = c->buf;
		r->bind[i].buffer_length = c->cap;
		if (mysql_stmt_fetch_column(r->st, &r->bind[i], (unsigned)i, 0))
			return my_stmt_fail(r->base.db, r->st, err);
		rebind = 1;
	}
	/* The grown buffers for the next rows, once all are fetched: binding
	 * between two columns' fetches lost the later one's value (NULL). */
	if (rebind && mysql_stmt_bind_result(r->st, r->bind))
		return my_stmt_fail(r->base.db, r->st, err);
	return 0;
}

static int stmt_rows_next(struct dw_rows *base, struct dw_err *err)
{
	struct my_stmt_rows *r = (struct my_stmt_rows *)base;
	int rc = mysql_stmt_fetch(r->st);

	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc == 1)
		return my_stmt_fail(base->db, r->st, err);
	if (stmt_fetch_truncated(r, err) < 0)
		return -1;
	for (int i = 0; i < base->ncols; i++)
		if (!r->cols[i].is_null)
			r->cols[i].buf[r->cols[i].len < r->cols[i].cap ? r->cols[i].len
								       : r->cols[i].cap - 1] = '\0';
	return 1;
}

static const char *stmt_rows_value(const struct dw_rows *base, int col)
{
	const struct my_stmt_rows *r = (const struct my_stmt_rows *)base;

	return r->cols[col].is_null ? NULL : r->cols[col].buf;
}

static const char *stmt_rows_name(const struct dw_rows *base, int col)
{
	return ((const struct my_stmt_rows *)base)->fields[col].name;
}

static int stmt_rows_is_numeric(const struct dw_rows *base, int col)
{
	return my_type_is_numeric(((const struct my_stmt_rows *)base)->fields[col].type);
}

static void stmt_rows_free(struct dw_rows *base)
{
	stmt_rows_release((struct my_stmt_rows *)base);
}

static const struct dw_rows_ops stmt_rows_ops = {
	stmt_rows_next, stmt_rows_value, stmt_rows_name, stmt_rows_is_numeric, stmt_rows_free,
};

#define DIRECT_MAX_PARAMS 64

static int stmt_execute(struct dw_db *db, MYSQL_STMT *st, const char *sql, int nparams,
			    const char *const *params, struct dw_err *err)
{
	MYSQL_BIND *b;
	my_bool *nulls;
	unsigned long *lens;
	int rc = 0;
	unsigned int n = (unsigned int)nparams;

	/* A few parameters: prepared and executed in one round trip, the count
	 * told first.  Not many: the server writes a packet per parameter in
	 * reply to the prepare while the client is still writing the execute,
	 * and with thousands (a batched INSERT) both can block writing until
	 * the server drops the connection ("Broken pipe"). */
	if (nparams > DIRECT_MAX_PARAMS) {
		if (mysql_stmt_prepare(st, sql, strlen(sql)))
			return my_stmt_fail(db, st, err);
	} else if (mysql_stmt_attr_set(st, STMT_ATTR_PREBIND_PARAMS, &n))
		return my_stmt_fail(db, st, err);
	if (nparams == 0)
		return mariadb_stmt_execute_direct(st, sql, strlen(sql)) ? my_stmt_fail(db, st, err) : 0;
	b = calloc((size_t)nparams, sizeof *b);
	nulls = calloc((size_t)nparams, sizeof *nulls);
	lens = calloc((size_t)nparams, sizeof *lens);
	if (!b || !nulls || !lens) {
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		goto out;
	}
	for (int i = 0; i < nparams; i++) {
		b[i].buffer_type = MYSQL_TYPE_STRING;
		b[i].buffer = (void *)params[i];
		lens[i] = params[i] ? strlen(params[i]) : 0;
		b[i].buffer_length = lens[i];
		b[i].length = &lens[i];
		nulls[i] = params[i] == NULL;
		b[i].is_null = &nulls[i];
	}
	/* Parameters are copied by execute; the bind arrays are needed until then. */
	if (mysql_stmt_bind_param(st, b) ||
	    (nparams > DIRECT_MAX_PARAMS ? mysql_stmt_execute(st) :
	     mariadb_stmt_execute_direct(st, sql, strlen(sql))))
		rc = my_stmt_fail(db, st, err);
out:
	free(b);
	free(nulls);
	free(lens);
	return rc;
}

static int stmt_bind_results(struct my_stmt_rows *r, struct dw_err *err)
{
	int n = r->base.ncols;

	r->bind = calloc((size_t)n, sizeof *r->bind);
	r->cols = calloc((size_t)n, sizeof *r->cols);
	if (!r->bind || !r->cols)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (int i = 0; i < n; i++) {
		struct my_col *c = &r->cols[i];

		c->cap = 64;
		c->buf = malloc(c->cap);
		if (!c->buf)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		r->bind[i].buffer_type = MYSQL_TYPE_STRING;
		r->bind[i].buffer = c->buf;
		r->bind[i].buffer_length = c->cap;
		r->bind[i].length = &c->len;
		r->bind[i].is_null = &c->is_null;
		r->bind[i].error = &c->error;
	}
	if (mysql_stmt_bind_result(r->st, r->bind))
		return my_stmt_fail(r->base.db, r->st, err);
	return 0;
}

/* Prepares and executes; *out gets a row iterator when the statement
 * returns rows, else *affected the affected count. */
static int stmt_run(struct dw_db *db, const char *sql, int nparams, const char *const *params,
		    struct dw_rows **out, long long *affected, struct dw_err *err)
{
	struct my_stmt_rows *r = calloc(1, sizeof *r);

	if (!r)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	r->base.ops = &stmt_rows_ops;
	r->base.db = db;
	r->st = mysql_stmt_init(my_conn(db));
	if (!r->st) {
		free(r);
		return my_fail(db, err);
	}
	if (stmt_execute(db, r->st, sql, nparams, params, err) < 0) {
		stmt_rows_release(r);
		return -1;
	}
	r->meta = mysql_stmt_result_metadata(r->st);
	if (!r->meta) {
		*affected = (long long)mysql_stmt_affected_rows(r->st);
		stmt_rows_release(r);
		if (out)
			*out = empty_rows(db, err);
		return out && !*out ? -1 : 0;
	}
	r->base.ncols = (int)mysql_num_fields(r->meta);
	r->fields = mysql_fetch_fields(r->meta);
	if (stmt_bind_results(r, err) < 0) {
		stmt_rows_release(r);
		return -1;
	}
	if (!out) {
		*affected = 0;
		while (mysql_stmt_fetch(r->st) == 0)
			(*affected)++;
		stmt_rows_release(r);
		return 0;
	}
	*out = (struct dw_rows *)r;
	return 0;
}

static struct dw_rows *my_query(struct dw_db *db, const char *sql, int nparams,
				const char *const *params, struct dw_err *err)
{
	struct dw_rows *rows = NULL;
	long long affected;

	my_reset_error(db);
	if (nparams == 0)
		return my_text_query(db, sql, err);
	if (stmt_run(db, sql, nparams, params, &rows, &affected, err) < 0)
		return NULL;
	return rows;
}

static long long my_exec(struct dw_db *db, const char *sql, int nparams,
			 const char *const *params, struct dw_err *err)
{
	MYSQL *conn = my_conn(db);
	long long affected = 0;
	MYSQL_RES *res;

	my_reset_error(db);
	if (nparams > 0)
		return stmt_run(db, sql, nparams, params, NULL, &affected, err) < 0 ? -1 : affected;
	if (mysql_real_query(conn, sql, strlen(sql)))
		return my_fail(db, err);
	res = mysql_store_result(conn);
	if (res) {
		affected = (long long)mysql_num_rows(res);
		mysql_free_result(res);
		return affected;
	}
	if (mysql_errno(conn))
		return my_fail(db, err);
	return (long long)mysql_affected_rows(conn);
}

static int my_exec_script(struct dw_db *db, const char *sql, struct dw_err *err)
{
	MYSQL *conn = my_conn(db);
	int status, rc = 0;

	my_reset_error(db);
	mysql_set_server_option(conn, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	status = mysql_real_query(conn, sql, strlen(sql));
	if (status)
		rc = my_fail(db, err);
	while (status == 0) {
		MYSQL_RES *res = mysql_store_result(conn);

		if (res)
			mysql_free_result(res);
		status = mysql_next_result(conn);
		if (status > 0)
			rc = my_fail(db, err);
	}
	mysql_set_server_option(conn, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return rc;
}

static void my_close(struct dw_db *db)
{
	mysql_close(my_conn(db));
	free(db);
}

static const struct dw_db_ops my_ops = { my_close, my_exec, my_exec_script, my_query };

/* The connection alone; expired_ok lets an account whose password has
 * expired in, to change it (the server allows nothing else then). */
static struct dw_db *my_connect(const struct dw_config_warehouse *c, const char *label,
				int expired_ok, struct dw_err *err)
{
	struct dw_db *db = calloc(1, sizeof *db);
	unsigned int timeout = (unsigned)c->connect_timeout;
	unsigned int infile = c->local_infile ? 1 : 0;   /* the option reads an unsigned int */
	MYSQL *conn;

	if (!db || !(conn = mysql_init(NULL))) {
		free(db);
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		return NULL;
	}
	db->kind = DW_DB_MY;
	db->ops = &my_ops;
	db->conn = conn;
	snprintf(db->label, sizeof db->label, "%s", label);
	mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(conn, MYSQL_OPT_LOCAL_INFILE, &infile);
	if (expired_ok) {
		my_bool yes = 1;

		mysql_options(conn, MYSQL_OPT_CAN_HANDLE_EXPIRED_PASSWORDS, &yes);
	}
	/* Never read ~/.my.cnf or /etc/mysql: the dw config is the only source. */
	if (!mysql_real_connect(conn, *c->socket ? NULL : c->host, c->user, c->password,
				c->database, (unsigned)c->port, *c->socket ? c->socket : NULL,
				CLIENT_FOUND_ROWS)) {
		unsigned int e = mysql_errno(conn);

		/* 1049: unknown database, a configuration error */
		dw_err_set(err, my_code_for_errno(e) == DW_EX_NOPERM ? DW_EX_NOPERM
			   : e == 1049 ? DW_EX_CONFIG : DW_EX_UNAVAILABLE,
			   "cannot connect to '%s': %s", label, mysql_error(conn));
		db->native_error = (int)e;
		dw_db_close(db);
		return NULL;
	}
	return db;
}

struct dw_db *dw_db_my_open_expired(const struct dw_config_warehouse *c, const char *label,
				    struct dw_err *err)
{
	return my_connect(c, label, 1, err);
}

struct dw_db *dw_db_my_open(const struct dw_config_warehouse *c, const char *label,
			    struct dw_err *err)
{
	struct dw_db *db = my_connect(c, label, 0, err);

	if (!db)
		return NULL;
	/* SET NAMES as well: a server that ignores the client's character set
	 * at the handshake would otherwise store a 4-byte character as '?'.
	 * The client side is utf8mb4 from the handshake option; one round
	 * trip sets the rest. */
	if (my_exec(db, "SET NAMES utf8mb4, SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
		    "NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY', time_zone = '+00:00'", 0, NULL, err) < 0) {
		dw_db_close(db);
		return NULL;
	}
	return db;
}

/* ---- warnings of the last statement ---- */

long long dw_db_my_warnings(struct dw_db *db, char *msg, size_t len, struct dw_err *err)
{
	MYSQL *conn;
	MYSQL_RES *res;
	MYSQL_ROW row;
	long long n;

	if (db->kind != DW_DB_MY)
		return 0;
	conn = my_conn(db);
	n = (long long)mysql_warning_count(conn);
	if (n == 0 || !msg || !len)
		return n;
	/* SHOW WARNINGS reads the list without clearing it. */
	if (mysql_real_query(conn, "SHOW WARNINGS LIMIT 1", 21) || !(res = mysql_store_result(conn)))
		return my_fail(db, err);
	row = mysql_fetch_row(res);
	snprintf(msg, len, "%s", row && mysql_num_fields(res) >= 3 && row[2] ? row[2] : "");
	mysql_free_result(res);
	return n;
}

/* ---- LOAD DATA LOCAL INFILE from memory ---- */

struct infile_ctx {
	dw_db_source_fn source;
	void *arg;
	struct dw_err *err;
	int failed;
};

static int infile_init(void **ptr, const char *filename, void *userdata)
{
	(void)filename;   /* the data never comes from a file */
	*ptr = userdata;
	return 0;
}

static int infile_read(void *ptr, char *buf, unsigned int len)
{
	struct infile_ctx *ctx = ptr;
	ssize_t n = ctx->source(ctx->arg, buf, len, ctx->err);

	if (n < 0)
		ctx->failed = 1;
	return (int)n;
}

static void infile_end(void *ptr)
{
	(void)ptr;   /* the caller owns the source */
}

static int infile_error(void *ptr, char *msg, unsigned int len)
{
	struct infile_ctx *ctx = ptr;

	snprintf(msg, len, "%s", ctx->err && ctx->err->msg[0] ? ctx->err->msg
							       : "data source failed");
	return CR_UNKNOWN_ERROR;
}

long long dw_db_my_load_local(struct dw_db *db, const char *sql, dw_db_source_fn source,
			   void *arg, struct dw_err *err)
{
	struct dw_err source_err = { 0 };
	struct infile_ctx ctx = { source, arg, &source_err, 0 };
	MYSQL *conn = my_conn(db);
	long long n;

	if (db->kind != DW_DB_MY)
		return dw_err_set(err, DW_EX_SOFTWARE, "LOAD DATA needs a MySQL connection");
	my_reset_error(db);
	mysql_set_local_infile_handler(conn, infile_init, infile_read, infile_end, infile_error,
				       &ctx);
	if (mysql_real_query(conn, sql, strlen(sql))) {
		if (ctx.failed && source_err.code) {
			*err = source_err;
			mysql_set_local_infile_default(conn);
			return -1;
		}
		my_fail(db, err);
		mysql_set_local_infile_default(conn);
		return -1;
	}
	n = (long long)mysql_affected_rows(conn);
	mysql_set_local_infile_default(conn);
	return n;
}
