#include "etl/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etl/init.h"
#include "etl/keymap.h"
#include "etl/mybulk.h"
#include "log.h"
#include "sqlfile.h"

#define INSERT_BATCH_ROWS 500
#define MAX_STAGE_COLS 32

struct sync {
	struct dw_db *pg, *my;
	const struct dw_sync_opts *o;
	struct dw_sync_result *r;
	struct dw_sql_section *extract, *stage, *steps, *checks;
	int nextract, nstage, nsteps, nchecks;
	struct dw_sql_section *firsts, *loads, *keymaps;   /* a first load's (sync_first.sql) */
	int nfirsts, nloads, nkeymaps;
	int may_stream;              /* a first load (fact_sales empty) that may stream its
				      * facts (TEMPORARY privilege on the OLTP) */
	int direct;                  /* 1 + the extraction a first load streams to its table */
	char started[32];            /* warehouse clock at the start, for the run record */
	long long nwarn;             /* warnings the last load left, or 1 for its data error */
	char warning[DW_ERR_MSG_MAX];   /* the first of them */
};

/* ---- lock, T0, watermarks ---- */

static int take_lock(struct sync *s, struct dw_err *err)
{
	char *got = NULL;
	int ok;

	if (dw_db_query_value(s->my, "SELECT GET_LOCK(CONCAT('dw-etl run ', DATABASE()), 0)", 0,
			      NULL, &got, err) < 0)
		return -1;
	ok = got && !strcmp(got, "1");
	free(got);
	if (!ok) {
		dw_err_set(err, DW_EX_TEMPFAIL, "another dw-etl run is in progress on '%s'",
			   dw_db_label(s->my));
		dw_err_hint(err, "runs do not overlap; try again when it has finished");
		return -1;
	}
	return 0;
}

static void release_lock(struct sync *s)
{
	char *got = NULL;

	dw_db_query_value(s->my, "SELECT RELEASE_LOCK(CONCAT('dw-etl run ', DATABASE()))", 0,
			  NULL, &got, NULL);
	free(got);
}

/* A timestamp as the database wrote it: digits, '-', ':', '.', ' ' only,
 * so it can stand in SQL text as a literal. */
static int plain_timestamp(const char *t)
{
	return t && *t && strspn(t, "0123456789-:. ") == strlen(t);
}

/* T0: the start of the oldest transaction still running elsewhere (its rows
 * may carry older stamps than rows already visible), or now; every row
 * stamped before T0 is then visible in a snapshot taken after this.
 *
 * Why no row can be missed. A row is stamped by its trigger with
 * clock_timestamp(), when it is written (OLTP schema version 2). Stamping
 * with now(), the transaction's start, had a window: PostgreSQL takes that
 * time before the backend publishes xact_start in pg_stat_activity, so a
 * run reading pg_stat_activity in between saw no transaction, set T0 past
 * the writer's stamp, and the next run started above rows it had not seen.
 * Now take a row stamped at w < T0. T0 is at most this statement's now(),
 * which is earlier than the moment the statement reads each backend's
 * entry; when the row was written, at w, its backend had already published
 * xact_start (it does so when the transaction starts, before running any
 * statement). So at the reading, the writer either still showed with an
 * xact_start <= w, which would make T0 <= w, a contradiction; or had
 * ended, and xact_start is cleared only after the commit is visible to new
 * snapshots (ProcArrayEndTransaction comes first), so the row is in the
 * snapshot this run takes next. Autovacuum writes no rows and may run for
 * hours: it does not hold T0 back; every other backend of the database
 * does (client sessions, logical replication workers, background workers).
 * The server clock is the only clock involved. */
static int compute_t0(struct sync *s, struct dw_err *err)
{
	static const char can_see[] =
		"SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
		"OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER')";
	static const char oldest[] =
		"SELECT to_char(coalesce((SELECT min(xact_start) FROM pg_stat_activity "
		"WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() "
		"AND datname = current_database() AND backend_type <> 'autovacuum worker'), now()) "
		"AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')";
	static const char lagged[] =
		"SELECT to_char((now() - $1::interval) AT TIME ZONE 'UTC', "
		"'YYYY-MM-DD HH24:MI:SS.US')";
	char *v = NULL, lag[48];
	const char *params[] = { lag };
	int visible, rc;

	if (dw_db_query_value(s->pg, can_see, 0, NULL, &v, err) < 0)
		return -1;
	visible = v && !strcmp(v, "t");
	free(v);
	v = NULL;
	snprintf(lag, sizeof lag, "%ld milliseconds", s->o->safety_lag_ms);
	rc = visible ? dw_db_query_value(s->pg, oldest, 0, NULL, &v, err)
		     : dw_db_query_value(s->pg, lagged, 1, params, &v, err);
	if (rc == 0 && !plain_timestamp(v))
		rc = dw_err_set(err, DW_EX_SOFTWARE, "%s: unexpected timestamp '%s'",
				dw_db_label(s->pg), v ? v : "(null)");
	if (rc == 0)
		snprintf(s->r->t0, sizeof s->r->t0, "%s", v);
	s->r->lag_fallback = !visible;
	free(v);
	return rc;
}

static int is_drift(struct dw_db *db);

static int read_watermark(struct sync *s, struct dw_sync_table *t, struct dw_err *err)
{
	const char *params[] = { t->name };
	char *v = NULL;

	t->from[0] = '\0';
	if (s->o->full)
		return 0;
	if (dw_db_query_value(s->my, "SELECT DATE_FORMAT(watermark, '%Y-%m-%d %H:%i:%s.%f') "
			      "FROM dw_etl_watermark WHERE table_name = ?", 1, params, &v, err) < 0) {
		/* An uninitialised warehouse is drift (78), as with --full, where
		 * the merge check finds it: not an internal error. */
		if (is_drift(s->my)) {
			err->code = DW_EX_CONFIG;
			dw_err_prefix(err, "schema drift in the watermarks");
			dw_err_hint(err, "the database no longer matches sql/; "
				    "run 'dw-etl init' or fix the SQL");
		}
		return -1;
	}
	if (v && !plain_timestamp(v)) {
		free(v);
		return dw_err_set(err, DW_EX_SOFTWARE, "bad watermark for %s", t->name);
	}
	if (v)
		snprintf(t->from, sizeof t->from, "%s", v);
	free(v);
	return 0;
}

/* ---- extraction SQL ---- */

/* body with "{window}" replaced by cond. Caller frees. */
static char *with_window(const char *body, const char *cond)
{
	const char *w = strstr(body, "{window}");
	size_t n;
	char *out;

	if (!w)
		return strdup(body);
	n = strlen(body) - 8 + strlen(cond) + 1;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%.*s%s%s", (int)(w - body), body, cond, w + 8);
	return out;
}

/* The query for one extract section: everything, or the UNION of one
 * branch per cursor between the table's watermark and T0. Caller frees. */
static char *extract_sql(const struct dw_sql_section *x, const char *from, const char *t0)
{
	int open_ended = !strcmp(x->word2, "dimension");

	char *out = NULL, cond[512];
	size_t len = 0;

	if (!*from)
		return with_window(x->body, "true");
	for (int c = 0; c < x->ncursors; c++) {
		char *branch, *nb;
		size_t blen;

		/* An upper bound that keeps everything makes it a range, which the
		 * planner takes for a narrow one when the table has no statistics
		 * yet (after a bulk import, before autovacuum): an index scan, not
		 * a scan of the whole table on every run. */
		if (open_ended)
			snprintf(cond, sizeof cond, "(%s >= '%s'::timestamp AT TIME ZONE 'UTC' AND "
				 "%s <= 'infinity')", x->cursors[c], from, x->cursors[c]);
		else
			snprintf(cond, sizeof cond,
				 "(%s >= '%s'::timestamp AT TIME ZONE 'UTC' AND "
				 "%s < '%s'::timestamp AT TIME ZONE 'UTC')",
				 x->cursors[c], from, x->cursors[c], t0);
		branch = with_window(x->body, cond);
		if (!branch)
			break;
		blen = strlen(branch);
		nb = realloc(out, len + blen + 16);
		if (!nb) {
			free(branch);
			break;
		}
		out = nb;
		len += (size_t)sprintf(out + len, "%s(%s\n)", c ? "\nUNION\n" : "", branch);
		free(branch);
		if (c == x->ncursors - 1)
			return out;
	}
	free(out);
	return NULL;
}

static char *extract_sql_for(struct sync *s, int i, struct dw_err *err)
{
	char *q = extract_sql(&s->extract[i], s->r->t[i].from, s->r->t0);

	if (!q)
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return q;
}

/* ---- schema drift ---- */

static int is_drift(struct dw_db *db)
{
	const char *st = dw_db_sqlstate(db);
	int e = dw_db_native_error(db);

	if (dw_db_kind(db) == DW_DB_PG)
		return !strcmp(st, "42703") || !strcmp(st, "42P01");
	return e == 1054 || e == 1146;
}

static int explain(struct dw_db *db, const char *sql, const char *what, struct dw_err *err)
{
	size_t n = strlen(sql) + 16;
	char *q = malloc(n);
	long long rc;

	if (!q)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	snprintf(q, n, "EXPLAIN %s", sql);
	rc = dw_db_exec(db, q, 0, NULL, err);
	free(q);
	if (rc >= 0)
		return 0;
	if (is_drift(db)) {
		err->code = DW_EX_CONFIG;
		dw_err_prefix(err, "schema drift in %s", what);
		dw_err_hint(err, "the database no longer matches sql/; run 'dw-etl init' or fix the SQL");
	}
	return -1;
}

static int check_extract_drift(struct sync *s, struct dw_err *err)
{
	char what[96];

	for (int i = 0; i < s->nextract; i++) {
		char *q = with_window(s->extract[i].body, "true");
		int rc;

		if (!q)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		snprintf(what, sizeof what, "the '%s' extraction", s->extract[i].word1);
		rc = explain(s->pg, q, what, err);
		free(q);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Every extraction and merge statement is checked against the live
 * schemas before anything is written. */
static int check_drift(struct sync *s, struct dw_err *err)
{
	char what[96];

	if (check_extract_drift(s, err) < 0)
		return -1;
	for (int i = 0; i < s->nsteps; i++) {
		const char *body = s->steps[i].body + strspn(s->steps[i].body, " \t\n");

		/* A SET of a user variable has no plan; its tables are in later steps. */
		if (!strncmp(body, "SET ", 4))
			continue;
		snprintf(what, sizeof what, "the %s merge (step %d)", s->steps[i].word2, i + 1);
		if (explain(s->my, body, what, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- loading: LOAD DATA LOCAL, or batched INSERT ---- */

/* COPY text as LOAD DATA reads it. LOAD DATA knows every escape COPY
 * writes except \f and \v, which it would read as "f" and "v": those
 * become the bytes they stand for, which LOAD DATA takes as they are. */
struct copy_stream {
	struct dw_db *pg;
	int backslash;               /* the last chunk ended inside an escape */
};

static ssize_t copy_source(void *arg, char *buf, size_t len, struct dw_err *err)
{
	struct copy_stream *cs = arg;
	size_t keep = cs->backslash ? 1 : 0, out = 0;
	ssize_t n = dw_db_pg_copy_out_read(cs->pg, buf + keep, len - keep, err);

	if (n < 0)
		return -1;
	if (keep)
		buf[0] = '\\';
	cs->backslash = 0;
	for (size_t i = 0, end = (size_t)n + keep; i < end; i++) {
		char c = buf[i];

		if (c == '\\' && i + 1 == end && n > 0) {
			cs->backslash = 1;   /* its escape comes with the next chunk */
			break;
		}
		if (c == '\\' && i + 1 < end) {
			c = buf[++i];
			if (c == 'f' || c == 'v')
				c = c == 'f' ? '\f' : '\v';
			else
				buf[out++] = '\\';
		}
		buf[out++] = c;
	}
	return (ssize_t)out;
}

static long long misfit(struct sync *s, int i, struct dw_err *err);

/* Reads the warnings the load just left (LOAD DATA LOCAL cuts, rounds and
 * skips rows with a warning, never an error; an INSERT only notes a value
 * rounded): 0 none, -1 some (s->nwarn, s->warning) or an error. */
static int take_warnings(struct sync *s, struct dw_err *err)
{
	long long n = dw_db_my_warnings(s->my, NULL, 0, err);

	if (n > 0 && dw_db_my_warnings(s->my, s->warning, sizeof s->warning, err) < 0)
		return -1;
	s->nwarn = n;
	return n ? -1 : 0;
}

static long long load_local(struct sync *s, int i, const char *copy, const char *stage,
			    struct dw_err *err)
{
	struct copy_stream cs = { s->pg, 0 };
	char sql[256];
	long long n;

	snprintf(sql, sizeof sql, "LOAD DATA LOCAL INFILE 'dw-stream' INTO TABLE %s "
		 "CHARACTER SET utf8mb4", stage);
	if (dw_db_pg_copy_out_start(s->pg, copy, err) < 0)
		return -1;
	n = dw_db_my_load_local(s->my, sql, copy_source, &cs, err);
	if (n < 0 || take_warnings(s, err) < 0) {
		struct dw_err ignored;

		dw_db_pg_copy_out_end(s->pg, &ignored);
		return s->nwarn > 0 ? misfit(s, i, err) : -1;
	}
	return dw_db_pg_copy_out_end(s->pg, err);
}

/* Rows of a batched INSERT, parsed from COPY text. */
struct batch {
	struct sync *s;
	const char *stage;
	char *vals[INSERT_BATCH_ROWS * MAX_STAGE_COLS];
	int ncols, nrows;
};

/* Splits one COPY text row in place into fields, undoing its escapes;
 * a field written as \N is NULL. */
static int parse_copy_row(char *row, size_t len, char **fields, int max)
{
	int n = 0;
	size_t i = 0;
	char *out = row;

	if (len && row[len - 1] == '\n')
		len--;
	for (;;) {
		char *start = out;
		int null = len - i >= 2 && row[i] == '\\' && row[i + 1] == 'N' &&
			   (i + 2 == len || row[i + 2] == '\t');

		if (n == max)
			return -1;
		for (; i < len && row[i] != '\t'; i++) {
			char c = row[i];

			if (c == '\\' && i + 1 < len) {
				c = row[++i];
				c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'b' ? '\b'
				  : c == 'f' ? '\f' : c == 'v' ? '\v' : c;
			}
			*out++ = c;
		}
		*out++ = '\0';
		fields[n++] = null ? NULL : start;
		if (i++ >= len)
			return n;
	}
}

static int batch_flush(struct batch *b, struct dw_err *err)
{
	size_t n = 64 + (size_t)b->nrows * ((size_t)b->ncols * 2 + 4) + strlen(b->stage);
	char *sql, *p;
	long long rc;

	if (!b->nrows)
		return 0;
	sql = malloc(n);
	if (!sql)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	p = sql + sprintf(sql, "INSERT INTO %s VALUES ", b->stage);
	for (int r = 0; r < b->nrows; r++) {
		*p++ = r ? ',' : ' ';
		*p++ = '(';
		for (int c = 0; c < b->ncols; c++) {
			if (c)
				*p++ = ',';
			*p++ = '?';
		}
		*p++ = ')';
	}
	*p = '\0';
	rc = dw_db_exec(b->s->my, sql, b->nrows * b->ncols, (const char *const *)b->vals, err);
	if (rc < 0 && err && err->code == DW_EX_DATAERR) {
		/* strict mode refused a value: told as a warning would be */
		size_t label = strlen(dw_db_label(b->s->my));

		b->s->nwarn = 1;
		snprintf(b->s->warning, sizeof b->s->warning, "%s",
			 strncmp(err->msg, dw_db_label(b->s->my), label) ? err->msg
									: err->msg + label + 2);
	} else if (rc >= 0 && take_warnings(b->s, err) < 0) {
		rc = -1;
	}
	free(sql);
	for (int i = 0; i < b->nrows * b->ncols; i++)
		free(b->vals[i]);
	b->nrows = 0;
	return rc < 0 ? -1 : 0;
}

static int insert_sink(void *arg, const char *buf, size_t len, struct dw_err *err)
{
	struct batch *b = arg;
	char *row = malloc(len + 1), *fields[MAX_STAGE_COLS];
	int n;

	if (!row)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	memcpy(row, buf, len);
	row[len] = '\0';
	n = parse_copy_row(row, len, fields, MAX_STAGE_COLS);
	if (n < 0 || (b->ncols && n != b->ncols)) {
		free(row);
		return dw_err_set(err, DW_EX_SOFTWARE, "unexpected COPY row for %s", b->stage);
	}
	b->ncols = n;
	for (int c = 0; c < n; c++) {
		b->vals[b->nrows * n + c] = fields[c] ? strdup(fields[c]) : NULL;
		if (fields[c] && !b->vals[b->nrows * n + c]) {
			free(row);
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		}
	}
	free(row);
	return ++b->nrows == INSERT_BATCH_ROWS ? batch_flush(b, err) : 0;
}

static long long load_insert(struct sync *s, int i, const char *copy, const char *stage,
			     struct dw_err *err)
{
	struct batch *b = calloc(1, sizeof *b);
	long long n;

	if (!b)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	b->s = s;
	b->stage = stage;
	n = dw_db_pg_copy_out(s->pg, copy, insert_sink, b, err);
	if (n >= 0 && batch_flush(b, err) < 0)
		n = -1;
	for (int v = 0; v < b->nrows * b->ncols; v++)
		free(b->vals[v]);
	free(b);
	return n < 0 && s->nwarn > 0 ? misfit(s, i, err) : n;
}

/* ---- values the warehouse cannot hold ---- */

/* The column a server message names: "... column 'x' at row 3" or
 * "... column `db`.`t`.`x` at row 3". "" when it names none. */
static void warning_column(const char *msg, char *col, size_t n)
{
	const char *p = strstr(msg, "olumn ");
	const char *end = NULL;

	col[0] = '\0';
	if (!p)
		return;
	p += 6;
	if (*p == '\'') {
		end = strchr(++p, '\'');
	} else if (*p == '`') {
		for (end = strchr(++p, '`'); end && !strncmp(end, "`.`", 3); end = strchr(p, '`'))
			p = end + 3;
	}
	if (end && (size_t)(end - p) < n)
		snprintf(col, n, "%.*s", (int)(end - p), p);
}

/* A condition, in PostgreSQL, true for a value of v that the warehouse
 * type cannot hold exactly; "" for a type it does not know. */
static void misfit_cond(const char *v, const char *type, char *buf, size_t n)
{
	static const struct { const char *name; const char *lo, *hi, *uhi; } ints[] = {
		{ "tinyint", "-128", "127", "255" },
		{ "smallint", "-32768", "32767", "65535" },
		{ "mediumint", "-8388608", "8388607", "16777215" },
		{ "int", "-2147483648", "2147483647", "4294967295" },
		{ "bigint", "-9223372036854775808", "9223372036854775807", "18446744073709551615" },
	};
	int w, p, sc;

	buf[0] = '\0';
	if (sscanf(type, "varchar(%d)", &w) == 1 || sscanf(type, "char(%d)", &w) == 1) {
		snprintf(buf, n, "char_length(%s::text) > %d", v, w);
		return;
	}
	if (sscanf(type, "decimal(%d,%d)", &p, &sc) == 2) {
		snprintf(buf, n, "(abs(%s::text::numeric) >= 1e%d OR %s::text::numeric <> "
			 "round(%s::text::numeric, %d))", v, p - sc, v, v, sc);
		return;
	}
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		size_t len = strlen(ints[i].name);
		int is_unsigned = strstr(type, "unsigned") != NULL;

		if (!strncmp(type, ints[i].name, len) && (type[len] == '(' || type[len] == ' ' ||
							   !type[len]))
			snprintf(buf, n, "%s::text::numeric NOT BETWEEN %s AND %s", v,
				 is_unsigned ? "0" : ints[i].lo, is_unsigned ? ints[i].uhi : ints[i].hi);
	}
}

/* Appends to buf, keeping it terminated. */
static void append(char *buf, size_t n, const char *fmt, const char *a, const char *b)
{
	size_t len = strlen(buf);

	if (len < n)
		snprintf(buf + len, n - len, fmt, a, b);
}

/* A value as it may stand in a one-line message: control characters as '?'. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* The columns of the staging table: every name quoted for PostgreSQL as
 * "x(a, b, ...)", the key columns (its primary key, else the first) as a
 * select list, and the type of col. 0, or -1 when the table cannot be read
 * or col is not in it. */
static int stage_columns(struct sync *s, const char *stage, const char *col, char *alias,
			 char *keys, char *type, size_t n, struct dw_err *err)
{
	char sql[128], first[64] = "";
	struct dw_rows *r;
	int rc, ncols = 0;

	snprintf(sql, sizeof sql, "SHOW COLUMNS FROM %s", stage);
	if (!(r = dw_db_query(s->my, sql, 0, NULL, err)))
		return -1;
	snprintf(alias, n, "x(");
	keys[0] = type[0] = '\0';
	while ((rc = dw_rows_next(r, err)) == 1) {
		const char *name = dw_rows_value(r, 0), *key = dw_rows_value(r, 3);
		char *q = dw_db_quote_ident(s->pg, name ? name : "");

		if (!q)
			break;
		append(alias, n, "%s%s", ncols ? ", " : "", q);
		if (key && !strcmp(key, "PRI"))
			append(keys, n, "%sx.%s", *keys ? ", " : "", q);
		if (ncols == 0)
			snprintf(first, sizeof first, "x.%.60s", q);
		if (name && !strcmp(name, col))
			snprintf(type, n, "%s", dw_rows_value(r, 1) ? dw_rows_value(r, 1) : "");
		free(q);
		ncols++;
	}
	dw_rows_free(r);
	append(alias, n, "%s%s", ")", "");
	if (!*keys)
		snprintf(keys, n, "%s", first);
	return rc == 0 && *type ? 0 : -1;
}

/* Finds, in the run's snapshot, the first row of section i whose col the
 * warehouse type cannot hold; says which in what ("order_id 'X', ...:
 * quantity 3000000000 does not fit the warehouse's int(11)"). */
static int find_misfit(struct sync *s, int i, const char *stage, const char *col, char *what,
		       size_t wn, struct dw_err *err)
{
	char alias[1024], keys[512], type[64], cond[512], v[80], *qcol, *q, *sql = NULL;
	struct dw_rows *r = NULL;
	size_t len;
	int rc = -1;

	if (stage_columns(s, stage, col, alias, keys, type, sizeof keys, err) < 0 ||
	    !(qcol = dw_db_quote_ident(s->pg, col)))
		return -1;
	snprintf(v, sizeof v, "x.%.70s", qcol);
	misfit_cond(v, type, cond, sizeof cond);
	q = *cond ? extract_sql_for(s, i, err) : NULL;
	len = q ? strlen(q) + strlen(keys) + strlen(alias) + strlen(cond) + 2 * strlen(qcol) + 128
		: 0;
	if (q && (sql = malloc(len))) {
		/* The keys, then the value, then its length. */
		snprintf(sql, len, "SELECT %s, left(x.%s::text, 40), char_length(x.%s::text) "
			 "FROM (%s\n) AS %s WHERE %s LIMIT 1", keys, qcol, qcol, q, alias, cond);
		r = dw_db_query(s->pg, sql, 0, NULL, err);
	}
	if (r && dw_rows_next(r, err) == 1) {
		int n = dw_rows_ncols(r);

		what[0] = '\0';
		for (int c = 0; c < n - 2; c++) {
			char val[72];

			snprintf(val, sizeof val, "%s", dw_rows_value(r, c) ? dw_rows_value(r, c)
									     : "NULL");
			printable(val);
			append(what, wn, "%s%s", c ? ", " : "", dw_rows_name(r, c));
			append(what, wn, " '%s'%s", val, "");
		}
		append(what, wn, ": %s%s", col, "");
		if (strstr(type, "char"))
			append(what, wn, " (%s characters)%s", dw_rows_value(r, n - 1), "");
		else
			append(what, wn, " %s%s", dw_rows_value(r, n - 2), "");
		append(what, wn, " does not fit the warehouse's %s%s", type, "");
		rc = 0;
	}
	dw_rows_free(r);
	free(sql);
	free(q);
	free(qcol);
	return rc;
}

/* The warehouse could not hold a value of section i exactly (s->warning
 * tells which column): fails the run with 65, naming the row's key and the
 * column when the row is found. Returns -1. */
static long long misfit(struct sync *s, int i, struct dw_err *err)
{
	char col[65], stage[80], what[DW_ERR_MSG_MAX - 96] = "";
	struct dw_err ignored = { 0 };

	snprintf(stage, sizeof stage, "stage_%s", s->extract[i].word1);
	warning_column(s->warning, col, sizeof col);
	if (!*col || find_misfit(s, i, stage, col, what, sizeof what, &ignored) < 0)
		snprintf(what, sizeof what, "a value%s%s does not fit the warehouse's %s",
			 *col ? " of " : "", col, stage);
	dw_err_set(err, DW_EX_DATAERR, "%s; nothing was committed", what);
	dw_err_detail(err, "%s: %s%s", dw_db_label(s->my), s->warning,
		      s->nwarn > 1 ? " (and more warnings)" : "");
	dw_err_hint(err, "correct the row in the OLTP database, then run again "
		    "(its CHECK constraints refuse such values since 'dw-etl init' version 2)");
	return -1;
}

/* "COPY (query) TO STDOUT". Caller frees; NULL when out of memory. */
static char *copy_of(const char *query)
{
	size_t len = strlen(query) + 32;
	char *q = malloc(len);

	if (q)
		snprintf(q, len, "COPY (%s\n) TO STDOUT", query);
	return q;
}

static long long load_one(struct sync *s, int i, struct dw_err *err)
{
	char stage[80], *q = extract_sql_for(s, i, err), *copy;
	long long rows = -1;

	if (!q)
		return -1;
	copy = copy_of(q);
	if (copy) {
		snprintf(stage, sizeof stage, "stage_%s", s->extract[i].word1);
		if (!s->r->used_insert) {
			rows = load_local(s, i, copy, stage, err);
			if (rows < 0 && dw_db_local_infile_refused(s->my)) {
				dw_log_verbose(1, "LOCAL INFILE refused by the warehouse; "
					       "loading with INSERT");
				s->r->used_insert = 1;
			}
		}
		if (s->r->used_insert)
			rows = load_insert(s, i, copy, stage, err);
	} else {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	free(copy);
	free(q);
	return rows;
}

/* ---- merge, watermarks, run record ---- */

static struct dw_sync_table *table_named(struct sync *s, const char *name)
{
	for (int i = 0; i < s->r->ntables; i++)
		if (!strcmp(s->r->t[i].name, name))
			return &s->r->t[i];
	return NULL;
}

static int merge(struct sync *s, struct dw_err *err)
{
	for (int i = 0; i < s->nsteps; i++) {
		const struct dw_sql_section *st = &s->steps[i];
		struct dw_sync_table *t = table_named(s, st->word2);
		double t0 = dw_log_clock();
		long long n = dw_db_exec(s->my, st->body, 0, NULL, err);

		dw_log_verbose(2, "step %d (%s %s): %lld rows in %.3fs", i + 1, st->word1, st->word2,
			       n, dw_log_clock() - t0);
		if (n < 0) {
			dw_err_prefix(err, "merging %s (step %d)", st->word2, i + 1);
			return -1;
		}
		if (t && !strcmp(st->word1, "merged"))
			t->merged += n;
		else if (t && !strcmp(st->word1, "deleted"))
			t->deleted += n;
	}
	return 0;
}

/* Each check counts rows that should not exist after the merge. */
static int run_checks(struct sync *s, struct dw_err *err)
{
	for (int i = 0; i < s->nchecks; i++) {
		char *v = NULL;
		long long n;

		if (dw_db_query_value(s->my, s->checks[i].body, 0, NULL, &v, err) < 0)
			return -1;
		n = v ? atoll(v) : 0;
		free(v);
		if (n)
			return dw_err_set(err, DW_EX_SOFTWARE,
					  "%lld staged %s rows did not reach the warehouse; "
					  "nothing was committed", n, s->checks[i].word1);
	}
	return 0;
}

static void counts_json(const struct dw_sync_result *r, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "{");

	for (int i = 0; i < r->ntables && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len,
					"%s\"%s\":{\"extracted\":%lld,\"merged\":%lld,\"deleted\":%lld}",
					i ? "," : "", r->t[i].name, r->t[i].extracted,
					r->t[i].merged, r->t[i].deleted);
	if (len < n)
		snprintf(buf + len, n - len, "}");
}

static int record_run(struct sync *s, const char *status, const char *error, struct dw_err *err)
{
	char counts[2048];
	const char *params[] = { s->started, s->o->full ? "full" : "incremental", status,
				 s->r->t0[0] ? s->r->t0 : NULL, counts, error };

	counts_json(s->r, counts, sizeof counts);
	return dw_db_exec(s->my, "INSERT INTO dw_etl_run (started_at, finished_at, mode, status, "
			  "watermark, counts, error) VALUES (?, UTC_TIMESTAMP(6), ?, ?, ?, ?, ?)",
			  6, params, err) < 0 ? -1 : 0;
}

static int idle(const struct dw_sync_result *r)
{
	for (int i = 0; i < r->ntables; i++)
		if (r->t[i].extracted)
			return 0;
	return 1;
}

/* 1 when this cycle need not be recorded: idle, and the last recorded run
 * succeeded. The first run, and the first after a failed one, is always
 * recorded, or status would go on reporting no run or the failure. */
static int skip_record(struct sync *s, struct dw_err *err)
{
	char *v = NULL;
	int skip;

	if (s->o->full || !idle(s->r))
		return 0;
	if (dw_db_query_value(s->my, "SELECT status FROM dw_etl_run ORDER BY run_id DESC LIMIT 1",
			      0, NULL, &v, err) < 0)
		return -1;
	skip = v && !strcmp(v, "ok");
	free(v);
	return skip;
}

static int advance_watermarks(struct sync *s, struct dw_err *err)
{
	for (int i = 0; i < s->r->ntables; i++) {
		const char *params[] = { s->r->t[i].name, s->r->t0 };

		if (dw_db_exec(s->my, "INSERT INTO dw_etl_watermark (table_name, watermark, updated_at) "
			       "VALUES (?, ?, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE "
			       "watermark = VALUES(watermark), updated_at = VALUES(updated_at)",
			       2, params, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- the cycle ---- */

static int load_sections(struct sync *s, struct dw_err *err)
{
	const struct {
		const char *file, *marker;
		struct dw_sql_section **out;
		int *n;
	} files[] = {
		{ "oltp/sync_extract.sql", "extract", &s->extract, &s->nextract },
		{ "dw/sync_stage.sql", "stage", &s->stage, &s->nstage },
		{ "dw/sync_merge.sql", "step", &s->steps, &s->nsteps },
		{ "dw/sync_merge.sql", "check", &s->checks, &s->nchecks },
		{ "oltp/sync_first.sql", "first", &s->firsts, &s->nfirsts },
		{ "dw/sync_merge.sql", "load", &s->loads, &s->nloads },
		{ "dw/sync_merge.sql", "keys", &s->keymaps, &s->nkeymaps },
	};

	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
		if ((*files[f].n = dw_sqlfile_sections(files[f].file, files[f].marker, files[f].out,
						       err)) < 0)
			return -1;
	if (s->nextract > DW_SYNC_MAX_TABLES)
		return dw_err_set(err, DW_EX_SOFTWARE, "too many extract sections");
	for (int i = 0; i < s->nextract; i++)
		snprintf(s->r->t[i].name, sizeof s->r->t[i].name, "%s", s->extract[i].word1);
	s->r->ntables = s->nextract;
	return 0;
}

static int session_setup(struct sync *s, struct dw_err *err)
{
	char fiscal[8];
	const char *params[] = { s->o->full ? "1" : "0", fiscal };
	char *now = NULL;

	snprintf(fiscal, sizeof fiscal, "%d", s->o->fiscal_year_start);
	if (dw_db_exec(s->my, "SET @dw_full = ?, @dw_fiscal_start = ?", 2, params, err) < 0 ||
	    dw_db_exec(s->my, "SET lc_time_names = 'en_US'", 0, NULL, err) < 0 ||
	    dw_db_query_value(s->my, "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f')",
			      0, NULL, &now, err) < 0)
		return -1;
	snprintf(s->started, sizeof s->started, "%s", now ? now : "");
	free(now);
	return 0;
}

static int create_stages(struct sync *s, struct dw_err *err)
{
	for (int i = 0; i < s->nstage; i++)
		if (dw_db_exec(s->my, s->stage[i].body, 0, NULL, err) < 0)
			return -1;
	return 0;
}

static int count_only(struct sync *s, struct dw_err *err)
{
	for (int i = 0; i < s->nextract; i++) {
		char *q = extract_sql_for(s, i, err), *sql, *v = NULL;
		size_t n;
		int rc;

		if (!q)
			return -1;
		n = strlen(q) + 48;
		sql = malloc(n);
		if (!sql) {
			free(q);
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		}
		snprintf(sql, n, "SELECT count(*) FROM (%s\n) x", q);
		rc = dw_db_query_value(s->pg, sql, 0, NULL, &v, err);
		s->r->t[i].extracted = v ? atoll(v) : 0;
		free(v);
		free(sql);
		free(q);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Each "-- keys NAME" query of the warehouse copied into dw_keys_NAME, a
 * temporary table of the snapshot's (read-write) transaction. */
static int copy_keys(struct sync *s, struct dw_err *err)
{
	for (int k = 0; k < s->nkeymaps; k++) {
		char table[80];

		snprintf(table, sizeof table, "dw_keys_%s", s->keymaps[k].word1);
		if (dw_keymap_copy(s->my, s->keymaps[k].body, s->pg, table, err) < 0) {
			dw_err_prefix(err, "handing the %s keys to the oltp side", s->keymaps[k].word1);
			return -1;
		}
	}
	return 0;
}

/* Streams the first-load query of extraction i into its table; a warning
 * (a NULL for a key the warehouse lacks, a value cut) fails the run. */
static int load_first(struct sync *s, int i, struct dw_err *err)
{
	const char *name = s->extract[i].word1;
	const struct dw_sql_section *load = dw_sqlfile_section_named(s->loads, s->nloads, name);
	struct copy_stream cs = { s->pg, 0 };
	double t0 = dw_log_clock();
	char *copy;
	long long n = -1;

	/* The keys are a few thousand rows: hash them.  The planner would sort
	 * every order by its six location columns to merge them in (1M lines:
	 * 3.0 s against 1.9 s). The transaction has extracted all else. */
	if (copy_keys(s, err) < 0 ||
	    dw_db_exec(s->pg, "SET LOCAL enable_mergejoin = off", 0, NULL, err) < 0)
		return -1;
	if (!(copy = copy_of(dw_sqlfile_section_named(s->firsts, s->nfirsts, name)->body)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (dw_db_pg_copy_out_start(s->pg, copy, err) == 0) {
		s->nwarn = 0;
		n = dw_db_my_load_local(s->my, load->body, copy_source, &cs, err);
		if (n >= 0 && take_warnings(s, err) < 0) {
			n = -1;
			if (s->nwarn > 0)
				dw_err_set(err, DW_EX_DATAERR, "the first load of %s: %s", name,
					   s->warning);
		}
		if (n < 0) {
			struct dw_err ignored;

			dw_db_pg_copy_out_end(s->pg, &ignored);
			if (!s->nwarn)
				dw_err_prefix(err, "the first load of %s", name);
		} else if (dw_db_pg_copy_out_end(s->pg, err) < 0)
			n = -1;
	}
	free(copy);
	dw_log_verbose(2, "first load of %s: %lld rows in %.3fs", name, n, dw_log_clock() - t0);
	if (n < 0)
		return -1;
	s->r->t[i].extracted = s->r->t[i].merged = n;
	s->r->t[i].seconds = dw_log_clock() - t0;
	return 0;
}

/* A first load of everything streams the extraction that has a "-- first"
 * query straight into its table, after the merge (load_first), instead of
 * staging it: it needs LOAD DATA LOCAL, which the loads before it proved. */
static int streams_first(struct sync *s, int i)
{
	const char *name = s->extract[i].word1;

	return s->may_stream && !*s->r->t[i].from && !s->r->used_insert &&
	       dw_sqlfile_section_named(s->firsts, s->nfirsts, name) &&
	       dw_sqlfile_section_named(s->loads, s->nloads, name);
}

static int extract_and_load(struct sync *s, struct dw_err *err)
{
	for (int i = 0; i < s->nextract; i++) {
		double t0 = dw_log_clock();
		long long n;

		if (!s->direct && streams_first(s, i)) {
			s->direct = i + 1;
			continue;
		}
		n = load_one(s, i, err);

		if (n < 0) {
			dw_err_prefix(err, "loading %s", s->extract[i].word1);
			return -1;
		}
		s->r->t[i].extracted = n;
		s->r->t[i].seconds = dw_log_clock() - t0;
	}
	return 0;
}

/* Inside the snapshot and the warehouse transaction. */
static int cycle(struct sync *s, struct dw_err *err)
{
	int rc;

	for (int i = 0; i < s->nextract; i++)
		if (read_watermark(s, &s->r->t[i], err) < 0)
			return -1;
	if (s->o->dry_run)
		return check_extract_drift(s, err) < 0 ? -1 : count_only(s, err);
	if (create_stages(s, err) < 0 || check_drift(s, err) < 0 ||
	    extract_and_load(s, err) < 0 || merge(s, err) < 0 ||
	    (s->direct && load_first(s, s->direct - 1, err) < 0) || run_checks(s, err) < 0 ||
	    advance_watermarks(s, err) < 0)
		return -1;
	/* Idle cycles (cron every minute, follow's polls) advance the
	 * watermarks but leave no run record, so dw_etl_run stays small. */
	rc = skip_record(s, err);
	return rc < 0 ? -1 : rc ? 0 : record_run(s, "ok", NULL, err);
}

static void drop_stages(struct sync *s)
{
	for (int i = 0; i < s->nstage; i++) {
		char sql[128];

		snprintf(sql, sizeof sql, "DROP TEMPORARY TABLE IF EXISTS stage_%s", s->stage[i].word1);
		dw_db_exec(s->my, sql, 0, NULL, NULL);
	}
}

/* A first load (fact_sales empty, order lines in the OLTP) goes into
 * fact_sales without its non-unique indexes, built again from the rows
 * after the commit (etl/mybulk.c); first, any a killed run left unbuilt. */
static int bulk_prepare(struct sync *s, struct dw_err *err)
{
	char *v = NULL;
	int empty = 0, rc = dw_mybulk_restore(s->my, err);

	if (rc >= 0)
		rc = dw_db_query_value(s->pg, "SELECT EXISTS (SELECT 1 FROM order_line)", 0, NULL,
				       &v, err);
	if (rc >= 0 && v && *v == 't')
		rc = empty = dw_mybulk_drop(s->my, "fact_sales", err);
	free(v);
	v = NULL;
	/* Streaming needs temporary tables on the OLTP side; an account
	 * without them stages the facts, as any other run does. */
	if (rc == 1)
		rc = dw_db_query_value(s->pg, "SELECT has_database_privilege(current_database(), "
				       "'TEMPORARY')", 0, NULL, &v, err);
	s->may_stream = rc >= 0 && empty == 1 && v && *v == 't';
	free(v);
	return rc < 0 ? -1 : 0;
}

/* The indexes back, whether the run committed or not (a failed run keeps
 * its own error). */
static int bulk_finish(struct sync *s, int rc, struct dw_err *err)
{
	double t0 = dw_log_clock();
	struct dw_err kept;
	int built = dw_mybulk_restore(s->my, rc < 0 ? &kept : err);

	if (built > 0)
		dw_log_verbose(1, "built %d index%s of fact_sales again in %.3fs", built,
			       built == 1 ? "" : "es", dw_log_clock() - t0);
	if (built < 0 && rc == 0) {
		dw_err_prefix(err, "the run is committed, but");
		dw_err_hint(err, "the next run builds them");
	}
	return built < 0 ? -1 : rc;
}

/* The merge reads the dimensions it has just written.  Under REPEATABLE
 * READ, INSERT ... SELECT takes a shared lock on each row it reads, and for
 * a row this transaction wrote InnoDB checks who holds it: 1M facts took
 * 17.7 s, against 7.8 s under READ COMMITTED.  Nothing else writes these
 * tables during a run (the run lock), so both read the same rows.  The
 * binary log in STATEMENT format refuses READ COMMITTED; then the default. */
static int read_committed(struct sync *s, struct dw_err *err)
{
	char *v = NULL;
	int rc = dw_db_query_value(s->my, "SELECT @@log_bin = 0 OR @@binlog_format <> 'STATEMENT'",
				   0, NULL, &v, err);

	if (rc == 0 && v && !strcmp(v, "1"))
		rc = dw_db_exec(s->my, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED", 0, NULL,
				err) < 0 ? -1 : 0;
	free(v);
	return rc;
}

static int run_locked(struct sync *s, struct dw_err *err)
{
	int rc;

	/* The sync relies on what the current schema versions give: exact keys,
	 * widths refused at the source, rows stamped when written (T0). */
	if (dw_init_check(s->pg, err) < 0 || dw_init_check(s->my, err) < 0 ||
	    (!s->o->dry_run && bulk_prepare(s, err) < 0) || session_setup(s, err) < 0 ||
	    compute_t0(s, err) < 0)
		return !s->o->dry_run ? bulk_finish(s, -1, err) : -1;
	/* A first load hands the warehouse's keys over in temporary tables. */
	if (dw_db_exec(s->pg, s->may_stream ? "BEGIN ISOLATION LEVEL REPEATABLE READ" :
		       "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, err) < 0)
		return -1;
	rc = read_committed(s, err);
	if (rc == 0)
		rc = dw_db_begin(s->my, err);
	if (rc == 0)
		rc = cycle(s, err);
	if (rc == 0 && !s->o->dry_run)
		rc = dw_db_commit(s->my, err);
	else
		dw_db_rollback(s->my, NULL);
	dw_db_rollback(s->pg, NULL);
	drop_stages(s);
	if (!s->o->dry_run)
		rc = bulk_finish(s, rc, err);
	if (rc < 0 && !s->o->dry_run && err && err->code != DW_EX_UNAVAILABLE)
		record_run(s, "failed", err->msg, NULL);
	return rc;
}

int dw_sync_run(struct dw_db *pg, struct dw_db *my, const struct dw_sync_opts *o,
		struct dw_sync_result *r, struct dw_err *err)
{
	struct sync s = { .pg = pg, .my = my, .o = o, .r = r };
	double started = dw_log_clock();
	int rc;

	memset(r, 0, sizeof *r);
	rc = load_sections(&s, err);
	if (rc == 0 && !o->dry_run)
		rc = take_lock(&s, err);
	if (rc == 0 && !o->dry_run && o->audit && o->audit->before(o->audit->arg, my, err) < 0) {
		release_lock(&s);
		rc = -1;
	} else if (rc == 0) {
		rc = run_locked(&s, err);
		if (!o->dry_run && o->audit) {
			struct dw_err ignored;

			if (o->audit->after(o->audit->arg, my, r, rc < 0 ? err : NULL,
					    rc < 0 ? &ignored : err) < 0)
				rc = -1;
		}
		if (!o->dry_run)
			release_lock(&s);
	}
	dw_sqlfile_sections_free(s.extract, s.nextract);
	dw_sqlfile_sections_free(s.stage, s.nstage);
	dw_sqlfile_sections_free(s.steps, s.nsteps);
	dw_sqlfile_sections_free(s.checks, s.nchecks);
	dw_sqlfile_sections_free(s.firsts, s.nfirsts);
	dw_sqlfile_sections_free(s.loads, s.nloads);
	dw_sqlfile_sections_free(s.keymaps, s.nkeymaps);
	r->seconds = dw_log_clock() - started;
	return rc;
}
