/* db_pg: the PostgreSQL backend of lib/db/db.h over libpq. */
#include "db/db_int.h"

#include <errno.h>
#include <libpq-fe.h>
#include <sys/select.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pg_rows {
	struct dw_rows base;
	PGresult *res;      /* current single-row result */
	int done;
};

static PGconn *pg_conn(const struct dw_db *db)
{
	return db->conn;
}

/* Maps an SQLSTATE to an exit code (DESIGN.md section 4). */
static int pg_code_for_state(const char *state, int connection_ok)
{
	if (!connection_ok || !strncmp(state, "08", 2) || !strncmp(state, "57P", 3))
		return DW_EX_UNAVAILABLE;
	if (!strncmp(state, "28", 2) || !strcmp(state, "42501"))
		return DW_EX_NOPERM;
	if (!strncmp(state, "40", 2) || !strcmp(state, "55P03") || !strcmp(state, "53300"))
		return DW_EX_TEMPFAIL;
	if (!strncmp(state, "22", 2) || !strncmp(state, "23", 2))
		return DW_EX_DATAERR;
	return DW_EX_SOFTWARE;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* Fills err from a failed result (or the connection when res is NULL). */
static int pg_fail(struct dw_db *db, const PGresult *res, struct dw_err *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
	int ok = PQstatus(pg_conn(db)) == CONNECTION_OK;

	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
	db->native_error = 1;
	dw_err_set(err, pg_code_for_state(db->sqlstate, ok), "%s: %s", db->label,
		   primary ? primary : PQerrorMessage(pg_conn(db)));
	if (err)
		chomp(err->msg);
	if (detail)
		dw_err_detail(err, "%s", detail);
	if (hint)
		dw_err_hint(err, "%s", hint);
	return -1;
}

static void pg_reset_error(struct dw_db *db)
{
	db->native_error = 0;
	db->sqlstate[0] = '\0';
}

static long long pg_exec(struct dw_db *db, const char *sql, int nparams,
			 const char *const *params, struct dw_err *err)
{
	PGresult *res = PQexecParams(pg_conn(db), sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	long long n;

	pg_reset_error(db);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		pg_fail(db, res, err);
		PQclear(res);
		return -1;
	}
	n = st == PGRES_TUPLES_OK && !*PQcmdTuples(res) ? PQntuples(res)
							: atoll(PQcmdTuples(res));
	PQclear(res);
	return n;
}

static int pg_exec_script(struct dw_db *db, const char *sql, struct dw_err *err)
{
	PGresult *res = PQexec(pg_conn(db), sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = 0;

	pg_reset_error(db);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		rc = pg_fail(db, res, err);
	PQclear(res);
	return rc;
}

/* Drains results left on the connection so it is ready for the next query. */
static void pg_drain(PGconn *conn)
{
	PGresult *res;

	while ((res = PQgetResult(conn)))
		PQclear(res);
}

static int pg_rows_next(struct dw_rows *base, struct dw_err *err)
{
	struct pg_rows *r = (struct pg_rows *)base;
	PGconn *conn = pg_conn(base->db);
	ExecStatusType st;

	PQclear(r->res);
	r->res = NULL;
	if (r->done)
		return 0;
	r->res = PQgetResult(conn);
	st = PQresultStatus(r->res);
	if (st == PGRES_SINGLE_TUPLE)
		return 1;
	r->done = 1;
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		PQclear(r->res);
		r->res = NULL;
		pg_drain(conn);
		return 0;
	}
	pg_fail(base->db, r->res, err);
	pg_drain(conn);
	return -1;
}

static const char *pg_rows_value(const struct dw_rows *base, int col)
{
	const struct pg_rows *r = (const struct pg_rows *)base;

	if (!r->res || PQgetisnull(r->res, 0, col))
		return NULL;
	return PQgetvalue(r->res, 0, col);
}

/* Column names come from the first result; keep it until the end. */
static const char *pg_rows_name(const struct dw_rows *base, int col)
{
	const struct pg_rows *r = (const struct pg_rows *)base;

	return r->res ? PQfname(r->res, col) : "";
}

static int pg_rows_is_numeric(const struct dw_rows *base, int col)
{
	const struct pg_rows *r = (const struct pg_rows *)base;
	Oid t = r->res ? PQftype(r->res, col) : 0;

	/* int8, int2, int4, float4, float8, numeric, oid */
	return t == 20 || t == 21 || t == 23 || t == 700 || t == 701 || t == 1700 || t == 26;
}

static void pg_rows_free(struct dw_rows *base)
{
	struct pg_rows *r = (struct pg_rows *)base;
	PGconn *conn = pg_conn(base->db);

	PQclear(r->res);
	/* Reading the rest keeps an enclosing transaction usable (a cancel
	 * would abort it). */
	if (!r->done)
		pg_drain(conn);
	free(r);
}

static const struct dw_rows_ops pg_rows_ops = {
	pg_rows_next, pg_rows_value, pg_rows_name, pg_rows_is_numeric, pg_rows_free,
};

/* The query peeks at its first result to learn the columns, so the first
 * dw_rows_next hands out that row instead of reading another. */
static int pg_rows_first_next(struct dw_rows *base, struct dw_err *err)
{
	struct pg_rows *r = (struct pg_rows *)base;

	base->ops = &pg_rows_ops;
	if (PQresultStatus(r->res) == PGRES_SINGLE_TUPLE)
		return 1;
	(void)err;
	return 0;   /* zero rows: the result only carried the column names */
}

static const struct dw_rows_ops pg_rows_first_ops = {
	pg_rows_first_next, pg_rows_value, pg_rows_name, pg_rows_is_numeric, pg_rows_free,
};

static struct dw_rows *pg_query(struct dw_db *db, const char *sql, int nparams,
				const char *const *params, struct dw_err *err)
{
	PGconn *conn = pg_conn(db);
	struct pg_rows *r;

	pg_reset_error(db);
	if (!PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0)) {
		pg_fail(db, NULL, err);
		return NULL;
	}
	PQsetSingleRowMode(conn);
	r = calloc(1, sizeof *r);
	if (!r) {
		pg_drain(conn);
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		return NULL;
	}
	r->base.ops = &pg_rows_first_ops;
	r->base.db = db;
	/* Peek at the first result to learn the columns (or the error). */
	r->res = PQgetResult(conn);
	switch (PQresultStatus(r->res)) {
	case PGRES_SINGLE_TUPLE:
		break;
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		r->done = 1;
		pg_drain(conn);
		break;
	default:
		pg_fail(db, r->res, err);
		PQclear(r->res);
		pg_drain(conn);
		free(r);
		return NULL;
	}
	r->base.ncols = PQnfields(r->res);
	return (struct dw_rows *)r;
}

static void pg_close(struct dw_db *db)
{
	PQfinish(pg_conn(db));
	free(db);
}

static const struct dw_db_ops pg_ops = { pg_close, pg_exec, pg_exec_script, pg_query };

/* libpq prints NOTICEs to stderr by default; dw keeps stderr for its own
 * messages, so notices are shown only with -vv by the caller's choice. */
static void pg_quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* libpq's message may run over several lines ("...\n\tIs the server
 * running..."): the first is the message, the rest the detail, so a failure
 * stays one line plus an optional "detail:" line. */
static void set_connect_error(struct dw_err *err, int code, const char *label, const char *msg)
{
	size_t first = strcspn(msg, "\n");
	const char *rest = msg + first;

	dw_err_set(err, code, "cannot connect to '%s': %.*s", label, (int)first, msg);
	while (*rest == '\n' || *rest == '\t' || *rest == ' ')
		rest++;
	if (*rest && err) {
		dw_err_detail(err, "%s", rest);
		for (char *p = err->detail; *p; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		chomp(err->detail);
	}
}

/* A conninfo that libpq cannot parse is a configuration error, not an
 * unreachable server (which would be retried). */
static int conninfo_invalid(const char *conninfo, const char *label, struct dw_err *err)
{
	char *msg = NULL;
	PQconninfoOption *opts;

	if (!*conninfo)
		return 0;
	opts = PQconninfoParse(conninfo, &msg);
	if (opts) {
		PQconninfoFree(opts);
		return 0;
	}
	dw_err_set(err, DW_EX_CONFIG, "bad connection string for '%s': %s", label,
		   msg ? msg : "out of memory");
	if (err)
		chomp(err->msg);
	PQfreemem(msg);
	return 1;
}

struct dw_db *dw_db_pg_open(const struct dw_config_oltp *c, const char *label,
			    struct dw_err *err)
{
	char timeout[16];
	const char *keys[] = { "dbname", "connect_timeout", "client_encoding",
			       "application_name", "password", NULL };
	const char *vals[] = { c->conninfo, timeout, "UTF8", "dw", c->password, NULL };
	struct dw_db *db = calloc(1, sizeof *db);
	PGconn *conn;

	if (!db) {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		return NULL;
	}
	if (conninfo_invalid(c->conninfo, label, err)) {
		free(db);
		return NULL;
	}
	snprintf(timeout, sizeof timeout, "%d", c->connect_timeout);
	if (!c->password)
		keys[4] = NULL;
	/* expand_dbname=1: "dbname" may hold a full conninfo string or URI. */
	conn = PQconnectdbParams(keys, vals, 1);
	db->kind = DW_DB_PG;
	db->ops = &pg_ops;
	db->conn = conn;
	snprintf(db->label, sizeof db->label, "%s", label);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		const char *msg = conn ? PQerrorMessage(conn) : "out of memory";
		int auth = conn && (PQconnectionNeedsPassword(conn) ||
				    strstr(msg, "authentication failed") ||
				    strstr(msg, "no pg_hba.conf entry"));
		int no_db = conn && strstr(msg, "database \"") && strstr(msg, "does not exist");

		set_connect_error(err, auth ? DW_EX_NOPERM : no_db ? DW_EX_CONFIG : DW_EX_UNAVAILABLE,
				  label, msg);
		dw_db_close(db);
		return NULL;
	}
	PQsetNoticeProcessor(conn, pg_quiet_notice, NULL);
	return db;
}

/* ---- COPY ---- */

/* Sends a COPY ... TO STDOUT and checks the server agreed. */
static int copy_out_begin(struct dw_db *db, const char *sql, struct dw_err *err)
{
	PGresult *res;

	if (db->kind != DW_DB_PG)
		return dw_err_set(err, DW_EX_SOFTWARE, "COPY needs a PostgreSQL connection");
	pg_reset_error(db);
	res = PQexec(pg_conn(db), sql);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		pg_fail(db, res, err);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* Reads and drops the rest of a COPY so the connection (and the caller's
 * transaction) stays usable: in COPY OUT state PQgetResult keeps returning
 * PGRES_COPY_OUT, so draining alone never ends. */
static void copy_out_discard(PGconn *conn)
{
	char *buf;

	while (PQgetCopyData(conn, &buf, 0) > 0)
		PQfreemem(buf);
	pg_drain(conn);
}

/* After PQgetCopyData returned n <= 0: the COPY's own result. */
static int copy_out_finish(struct dw_db *db, int n, struct dw_err *err)
{
	PGconn *conn = pg_conn(db);
	PGresult *res = PQgetResult(conn);
	int rc = 0;

	if (n == -2 || PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_fail(db, res, err);
	PQclear(res);
	pg_drain(conn);
	return rc;
}

long long dw_db_pg_copy_out(struct dw_db *db, const char *sql, dw_db_sink_fn sink, void *arg,
			 struct dw_err *err)
{
	PGconn *conn = pg_conn(db);
	long long rows = 0;
	char *buf;
	int n;

	if (copy_out_begin(db, sql, err) < 0)
		return -1;
	while ((n = PQgetCopyData(conn, &buf, 0)) > 0) {
		int rc = sink(arg, buf, (size_t)n, err);

		PQfreemem(buf);
		rows++;
		if (rc < 0) {
			copy_out_discard(conn);
			return -1;
		}
	}
	return copy_out_finish(db, n, err) < 0 ? -1 : rows;
}

int dw_db_pg_copy_out_start(struct dw_db *db, const char *sql, struct dw_err *err)
{
	if (copy_out_begin(db, sql, err) < 0)
		return -1;
	db->copy_row = NULL;
	db->copy_len = db->copy_off = 0;
	db->copy_rows = 0;
	db->copy_state = 1;
	return 0;
}

/* Makes sure a row with unread bytes is at hand; 1 yes, 0 end, -1 error. */
static int copy_out_next_row(struct dw_db *db, struct dw_err *err)
{
	int n;

	if (db->copy_off < db->copy_len)
		return 1;
	if (db->copy_row)
		PQfreemem(db->copy_row);
	db->copy_row = NULL;
	db->copy_len = db->copy_off = 0;
	if (db->copy_state != 1)
		return db->copy_state == 2 ? 0 : -1;
	n = PQgetCopyData(pg_conn(db), &db->copy_row, 0);
	if (n > 0) {
		db->copy_len = n;
		db->copy_rows++;
		return 1;
	}
	db->copy_row = NULL;
	db->copy_state = copy_out_finish(db, n, err) < 0 ? -1 : 2;
	return db->copy_state == 2 ? 0 : -1;
}

ssize_t dw_db_pg_copy_out_read(struct dw_db *db, char *buf, size_t len, struct dw_err *err)
{
	size_t filled = 0;
	int rc;

	while (filled < len && (rc = copy_out_next_row(db, err)) == 1) {
		size_t rest = (size_t)(db->copy_len - db->copy_off);

		/* Whole rows only, unless a row alone exceeds the buffer. */
		if (rest > len - filled && filled > 0)
			break;
		if (rest > len - filled)
			rest = len - filled;
		memcpy(buf + filled, db->copy_row + db->copy_off, rest);
		db->copy_off += (int)rest;
		filled += rest;
	}
	if (filled == 0 && db->copy_state == -1)
		return -1;
	return (ssize_t)filled;
}

long long dw_db_pg_copy_out_end(struct dw_db *db, struct dw_err *err)
{
	int state = db->copy_state;

	if (db->copy_row)
		PQfreemem(db->copy_row);
	db->copy_row = NULL;
	db->copy_len = db->copy_off = 0;
	db->copy_state = 0;
	if (state == 1) {
		copy_out_discard(pg_conn(db));
		return dw_err_set(err, DW_EX_SOFTWARE, "%s: COPY ended before all rows were read",
				  db->label);
	}
	return state == 2 ? db->copy_rows : -1;
}

int dw_db_pg_copy_in_start(struct dw_db *db, const char *sql, struct dw_err *err)
{
	PGresult *res;

	if (db->kind != DW_DB_PG)
		return dw_err_set(err, DW_EX_SOFTWARE, "COPY needs a PostgreSQL connection");
	pg_reset_error(db);
	res = PQexec(pg_conn(db), sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		pg_fail(db, res, err);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

int dw_db_pg_copy_in_put(struct dw_db *db, const char *buf, size_t len, struct dw_err *err)
{
	if (PQputCopyData(pg_conn(db), buf, (int)len) != 1)
		return pg_fail(db, NULL, err);
	return 0;
}

long long dw_db_pg_copy_in_end(struct dw_db *db, struct dw_err *err)
{
	PGconn *conn = pg_conn(db);
	PGresult *res;
	long long n = -1;

	if (PQputCopyEnd(conn, NULL) != 1)
		return pg_fail(db, NULL, err);
	res = PQgetResult(conn);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		n = atoll(PQcmdTuples(res));
	else
		pg_fail(db, res, err);
	PQclear(res);
	pg_drain(conn);
	return n;
}

void dw_db_pg_copy_in_abort(struct dw_db *db, const char *reason)
{
	PQputCopyEnd(pg_conn(db), reason);
	pg_drain(pg_conn(db));
}

/* ---- LISTEN / NOTIFY ---- */

int dw_db_pg_listen(struct dw_db *db, const char *channel, struct dw_err *err)
{
	char *q = dw_db_quote_ident(db, channel), *sql;
	size_t n;
	int rc;

	if (db->kind != DW_DB_PG)
		return dw_err_set(err, DW_EX_SOFTWARE, "LISTEN needs a PostgreSQL connection");
	if (!q)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	n = strlen(q) + 8;
	sql = malloc(n);
	if (!sql) {
		free(q);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	snprintf(sql, n, "LISTEN %s", q);
	rc = dw_db_exec(db, sql, 0, NULL, err) < 0 ? -1 : 0;
	free(sql);
	free(q);
	return rc;
}

/* Consumes every queued notification; returns how many there were. */
static int take_notifies(PGconn *conn)
{
	PGnotify *n;
	int count = 0;

	while ((n = PQnotifies(conn))) {
		PQfreemem(n);
		count++;
	}
	return count;
}

int dw_db_pg_wait_notify(struct dw_db *db, long timeout_ms, struct dw_err *err)
{
	PGconn *conn = pg_conn(db);
	int sock = PQsocket(conn), rc;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	fd_set fds;

	if (take_notifies(conn))
		return 1;
	if (sock < 0)
		return dw_err_set(err, DW_EX_UNAVAILABLE, "%s: connection lost", db->label);
	FD_ZERO(&fds);
	FD_SET(sock, &fds);
	rc = select(sock + 1, &fds, NULL, NULL, &tv);
	if (rc < 0 && errno == EINTR)
		return 0;
	if (rc < 0)
		return dw_err_set(err, DW_EX_SOFTWARE, "select: %s", strerror(errno));
	if (rc == 0)
		return 0;
	if (!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK) {
		dw_err_set(err, DW_EX_UNAVAILABLE, "%s: connection lost: %s", db->label,
			   PQerrorMessage(conn));
		if (err)
			chomp(err->msg);
		return -1;
	}
	return take_notifies(conn) ? 1 : 0;
}
