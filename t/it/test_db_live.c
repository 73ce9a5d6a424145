/* Integration tests for lib/db/db.h against real PostgreSQL and MariaDB servers.
 * Run by t/010-db-live.t, which creates the database DW_IT_DB on both and
 * passes the ports in DW_IT_PGPORT and DW_IT_MYPORT. Servers: user postgres
 * (trust) and root (no password) on 127.0.0.1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "it_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"

static int g_pgport, g_myport;
static char g_dbname[128];

/* ---- helpers ---- */

/* Fails the test with the error when cond is false. */
#define CHECK(cond, e)                                                                       \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			print_error("%s:%d: %s: [%d] %s\n", __FILE__, __LINE__, #cond,        \
				    (e).code, (e).msg);                                      \
			fail();                                                              \
		}                                                                            \
	} while (0)

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}


static struct dw_db *pg_open_with(const char *conninfo, int timeout, struct dw_err *err)
{
	char ci[512];
	struct dw_config_oltp c = { .conninfo = ci, .password = NULL, .connect_timeout = timeout };

	snprintf(ci, sizeof ci, "%s", conninfo);
	return dw_db_pg_open(&c, "oltp", err);
}

static struct dw_db *pg_open(void)
{
	char ci[512];
	struct dw_err err = { 0 };
	struct dw_db *db;

	snprintf(ci, sizeof ci, "host=127.0.0.1 port=%d user=postgres dbname=%s", g_pgport,
		 g_dbname);
	db = pg_open_with(ci, 5, &err);
	CHECK(db != NULL, err);
	return db;
}

static struct dw_db *my_open_with(const char *user, const char *password, const char *database,
				  int port, int local_infile, struct dw_err *err)
{
	char host[] = "127.0.0.1", sock[] = "", u[128], pw[128], d[128];
	struct dw_config_warehouse c = {
		.host = host, .port = port, .socket = sock, .user = u,
		.password = password ? pw : NULL, .database = d, .connect_timeout = 5,
		.local_infile = local_infile,
	};

	snprintf(u, sizeof u, "%s", user);
	snprintf(pw, sizeof pw, "%s", password ? password : "");
	snprintf(d, sizeof d, "%s", database);
	return dw_db_my_open(&c, "warehouse", err);
}

static struct dw_db *my_open(void)
{
	struct dw_err err = { 0 };
	struct dw_db *db = my_open_with("root", NULL, g_dbname, g_myport, 1, &err);

	CHECK(db != NULL, err);
	return db;
}

static long long exec_ok(struct dw_db *db, const char *sql)
{
	struct dw_err err = { 0 };
	long long n = dw_db_exec(db, sql, 0, NULL, &err);

	CHECK(n >= 0, err);
	return n;
}

static long long exec_p(struct dw_db *db, const char *sql, int n, const char *const *p)
{
	struct dw_err err = { 0 };
	long long r = dw_db_exec(db, sql, n, p, &err);

	CHECK(r >= 0, err);
	return r;
}

/* First value of a query as a malloc'd string (NULL for SQL NULL / no row). */
static char *qv_p(struct dw_db *db, const char *sql, int n, const char *const *p)
{
	struct dw_err err = { 0 };
	char *out = (char *)1;

	CHECK(dw_db_query_value(db, sql, n, p, &out, &err) == 0, err);
	return out;
}

static char *qv(struct dw_db *db, const char *sql)
{
	return qv_p(db, sql, 0, NULL);
}

static void assert_qv(struct dw_db *db, const char *sql, const char *want)
{
	char *got = qv(db, sql);

	if (!got || strcmp(got, want)) {
		print_error("%s -> %s, want %s\n", sql, got ? got : "NULL", want);
		free(got);
		fail();
	}
	free(got);
}

static long long qll(struct dw_db *db, const char *sql)
{
	char *v = qv(db, sql);
	long long n;

	assert_non_null(v);
	n = atoll(v);
	free(v);
	return n;
}

/* The connection answers a trivial query. */
static void assert_usable(struct dw_db *db)
{
	assert_qv(db, "SELECT 41 + 1", "42");
}

/* ---- connecting ---- */

static void test_pg_connect(void **state)
{
	struct dw_db *db = pg_open();

	assert_int_equal(dw_db_kind(db), DW_DB_PG);
	assert_string_equal(dw_db_label(db), "oltp");
	assert_qv(db, "SELECT current_database()", g_dbname);
	/* client_encoding is forced to UTF8 whatever the environment says. */
	assert_qv(db, "SHOW client_encoding", "UTF8");
	assert_int_equal(dw_db_native_error(db), 0);
	assert_string_equal(dw_db_sqlstate(db), "");
	dw_db_close(db);
}

static void test_my_connect(void **state)
{
	struct dw_db *db = my_open();

	assert_int_equal(dw_db_kind(db), DW_DB_MY);
	assert_string_equal(dw_db_label(db), "warehouse");
	assert_qv(db, "SELECT DATABASE()", g_dbname);
	assert_qv(db, "SELECT @@character_set_client", "utf8mb4");
	assert_qv(db, "SELECT @@session.time_zone", "+00:00");
	/* the strict session mode set at connect */
	assert_qv(db, "SELECT FIND_IN_SET('STRICT_ALL_TABLES', @@session.sql_mode) > 0", "1");
	assert_int_equal(dw_db_native_error(db), 0);
	assert_string_equal(dw_db_sqlstate(db), "");
	dw_db_close(db);
}

static void test_pg_connect_closed_port(void **state)
{
	char ci[256];
	struct dw_err err = { 0 };
	struct dw_db *db;
	double t0 = now_s();

	snprintf(ci, sizeof ci, "host=127.0.0.1 port=%d user=postgres dbname=%s", closed_port(),
		 g_dbname);
	db = pg_open_with(ci, 2, &err);
	assert_null(db);
	assert_int_equal(err.code, DW_EX_UNAVAILABLE);
	assert_true(starts_with(err.msg, "cannot connect to 'oltp': "));
	assert_true(err.msg[strlen(err.msg) - 1] != '\n');
	assert_true(now_s() - t0 < 10);
}

static void test_my_connect_closed_port(void **state)
{
	struct dw_err err = { 0 };
	double t0 = now_s();
	struct dw_db *db = my_open_with("root", NULL, g_dbname, closed_port(), 1, &err);

	assert_null(db);
	assert_int_equal(err.code, DW_EX_UNAVAILABLE);
	assert_true(starts_with(err.msg, "cannot connect to 'warehouse': "));
	assert_true(now_s() - t0 < 10);
}

static void test_pg_connect_bad_database(void **state)
{
	char ci[256];
	struct dw_err err = { 0 };
	struct dw_db *db;

	snprintf(ci, sizeof ci, "host=127.0.0.1 port=%d user=postgres dbname=dw_no_such_db_%d",
		 g_pgport, (int)getpid());
	db = pg_open_with(ci, 5, &err);
	assert_null(db);
	/* A database that does not exist is a configuration error, not retried. */
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_true(starts_with(err.msg, "cannot connect to 'oltp': "));
	assert_non_null(strstr(err.msg, "dw_no_such_db_"));
}

static void test_my_connect_bad_database(void **state)
{
	char name[64];
	struct dw_err err = { 0 };
	struct dw_db *db;

	snprintf(name, sizeof name, "dw_no_such_db_%d", (int)getpid());
	db = my_open_with("root", NULL, name, g_myport, 1, &err);
	assert_null(db);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_true(starts_with(err.msg, "cannot connect to 'warehouse': "));
	assert_non_null(strstr(err.msg, name));
}

static void test_my_wrong_password(void **state)
{
	struct dw_db *root = my_open(), *db;
	struct dw_err err = { 0 }, err2 = { 0 };
	char user[64], sql[512];

	snprintf(user, sizeof user, "dwit_%d", (int)getpid());
	for (int i = 0; i < 2; i++) {
		const char *host = i ? "localhost" : "%";

		snprintf(sql, sizeof sql, "DROP USER IF EXISTS '%s'@'%s'", user, host);
		exec_ok(root, sql);
		snprintf(sql, sizeof sql, "CREATE USER '%s'@'%s' IDENTIFIED BY 'right-pw'", user,
			 host);
		exec_ok(root, sql);
		snprintf(sql, sizeof sql, "GRANT ALL ON `%s`.* TO '%s'@'%s'", g_dbname, user, host);
		exec_ok(root, sql);
	}
	db = my_open_with(user, "wrong-pw", g_dbname, g_myport, 1, &err);
	assert_null(db);
	/* the right password works, so the refusal above was about the password */
	struct dw_db *ok = my_open_with(user, "right-pw", g_dbname, g_myport, 1, &err2);
	struct dw_db *nopw = my_open_with(user, NULL, g_dbname, g_myport, 1, &(struct dw_err){ 0 });

	for (int i = 0; i < 2; i++) {
		snprintf(sql, sizeof sql, "DROP USER '%s'@'%s'", user, i ? "localhost" : "%");
		exec_ok(root, sql);
	}
	dw_db_close(root);
	assert_int_equal(err.code, DW_EX_NOPERM);
	assert_true(starts_with(err.msg, "cannot connect to 'warehouse': "));
	assert_non_null(strstr(err.msg, "Access denied"));
	CHECK(ok != NULL, err2);
	assert_null(nopw);
	dw_db_close(ok);
}

/* ---- exec with parameters ---- */

/* Values that must arrive byte for byte; index 0 is SQL NULL. */
static const char *const tricky[] = {
	NULL,
	"plain",
	"x'); DROP TABLE it_exec; --",
	"it's \"quoted\" `back`",
	"back\\slash \\' \\\\ \\n \\0",
	"semi;colon; SELECT 1;",
	"Gr\xc3\xbc\xc3\x9f" "e \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x8e\x89",
	"tab\there\nnewline\rcr",
	"",
	"$1 ? %s %n",
};
#define NTRICKY (sizeof tricky / sizeof tricky[0])

static void exec_params_on(struct dw_db *db, const char *ins, const char *sel,
			   const char *upd, const char *del)
{
	char idbuf[16];

	for (size_t i = 0; i < NTRICKY; i++) {
		const char *p[] = { idbuf, tricky[i] };

		snprintf(idbuf, sizeof idbuf, "%zu", i);
		assert_int_equal(exec_p(db, ins, 2, p), 1);
	}
	assert_int_equal(qll(db, "SELECT count(*) FROM it_exec"), NTRICKY);
	for (size_t i = 0; i < NTRICKY; i++) {
		const char *p[] = { idbuf };
		char *v;

		snprintf(idbuf, sizeof idbuf, "%zu", i);
		v = qv_p(db, sel, 1, p);
		if (!tricky[i]) {
			assert_null(v);
		} else {
			assert_non_null(v);
			assert_string_equal(v, tricky[i]);
		}
		free(v);
	}
	assert_int_equal(qll(db, "SELECT count(*) FROM it_exec WHERE s IS NULL"), 1);
	{
		/* a NULL parameter compares as NULL, not as the string "NULL" or "" */
		const char *p[] = { NULL };

		assert_int_equal(exec_p(db, upd, 1, p), 0);
	}
	{
		const char *p[] = { "plain" };

		assert_int_equal(exec_p(db, upd, 1, p), 1);
		/* same value again: still counts the matched row */
		assert_int_equal(exec_p(db, upd, 1, p), 1);
	}
	assert_int_equal(exec_ok(db, "UPDATE it_exec SET s = 'u' WHERE id >= 5"), NTRICKY - 5);
	assert_int_equal(exec_ok(db, "UPDATE it_exec SET s = 'u' WHERE id < 0"), 0);
	{
		const char *p[] = { "3" };

		assert_int_equal(exec_p(db, del, 1, p), NTRICKY - 3);
	}
	assert_int_equal(exec_ok(db, "DELETE FROM it_exec"), 3);
	assert_int_equal(exec_ok(db, "INSERT INTO it_exec (id, s) VALUES (1, 'a'), (2, 'b'), (3, 'c')"),
			 3);
	/* exec of a query returns its row count */
	assert_int_equal(exec_ok(db, "SELECT id FROM it_exec"), 3);
}

static void test_pg_exec_params(void **state)
{
	struct dw_db *db = pg_open();
	struct dw_err err = { 0 };

	exec_ok(db, "DROP TABLE IF EXISTS it_exec");
	exec_ok(db, "CREATE TABLE it_exec (id int PRIMARY KEY, s text)");
	exec_params_on(db, "INSERT INTO it_exec (id, s) VALUES ($1, $2)",
		       "SELECT s FROM it_exec WHERE id = $1",
		       "UPDATE it_exec SET s = 'plain' WHERE s = $1",
		       "DELETE FROM it_exec WHERE id >= $1");
	/* parameters are not spliced: a stacked statement is refused outright */
	assert_int_equal(dw_db_exec(db, "SELECT 1; DROP TABLE it_exec", 0, NULL, &err), -1);
	assert_int_equal(qll(db, "SELECT count(*) FROM it_exec"), 3);
	dw_db_close(db);
}

static void test_my_exec_params(void **state)
{
	struct dw_db *db = my_open();
	struct dw_err err = { 0 };
	const char *one[] = { "1" };

	exec_ok(db, "DROP TABLE IF EXISTS it_exec");
	exec_ok(db, "CREATE TABLE it_exec (id int PRIMARY KEY, s text) "
		    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
	exec_params_on(db, "INSERT INTO it_exec (id, s) VALUES (?, ?)",
		       "SELECT s FROM it_exec WHERE id = ?",
		       "UPDATE it_exec SET s = 'plain' WHERE s = ?",
		       "DELETE FROM it_exec WHERE id >= ?");
	/* multi statements are off for exec */
	assert_int_equal(dw_db_exec(db, "SELECT 1; DROP TABLE it_exec", 0, NULL, &err), -1);
	assert_int_equal(qll(db, "SELECT count(*) FROM it_exec"), 3);
	/* exec with parameters of a query counts its rows (prepared path) */
	assert_int_equal(exec_p(db, "SELECT id FROM it_exec WHERE id >= ?", 1, one), 3);
	/* parameter count mismatch is an error, not a crash */
	assert_int_equal(dw_db_exec(db, "SELECT ? + ?", 1, one, &err), -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_true(starts_with(err.msg, "warehouse: "));
	assert_usable(db);
	dw_db_close(db);
}

/* ---- query streaming ---- */

static void stream_count(struct dw_db *db, const char *sql, int n, const char *const *p,
			 long long want_rows)
{
	struct dw_err err = { 0 };
	struct dw_rows *rows = dw_db_query(db, sql, n, p, &err);
	long long count = 0, sum = 0, rc;
	char want[32];

	CHECK(rows != NULL, err);
	assert_int_equal(dw_rows_ncols(rows), 3);
	while ((rc = dw_rows_next(rows, &err)) == 1) {
		const char *v = dw_rows_value(rows, 0);

		assert_non_null(v);
		count++;
		sum += atoll(v);
		snprintf(want, sizeof want, "r%s", v);
		if (strcmp(dw_rows_value(rows, 1), want))
			fail_msg("row %lld: %s != %s", count, dw_rows_value(rows, 1), want);
		if (count % 2 == 0)
			assert_null(dw_rows_value(rows, 2));
		else
			assert_string_equal(dw_rows_value(rows, 2), "odd");
		if (count == 1) {
			assert_string_equal(dw_rows_name(rows, 0), "n");
			assert_string_equal(dw_rows_name(rows, 1), "label");
			assert_string_equal(dw_rows_name(rows, 2), "maybe");
			assert_true(dw_rows_is_numeric(rows, 0));
			assert_false(dw_rows_is_numeric(rows, 1));
			assert_false(dw_rows_is_numeric(rows, 2));
			assert_null(dw_rows_name(rows, 3));
			assert_null(dw_rows_value(rows, -1));
		}
	}
	CHECK(rc == 0, err);
	assert_int_equal(count, want_rows);
	assert_int_equal(sum, want_rows * (want_rows + 1) / 2);
	/* past the end stays at the end */
	assert_int_equal(dw_rows_next(rows, &err), 0);
	dw_rows_free(rows);
	assert_usable(db);
}

static void test_pg_query_stream(void **state)
{
	struct dw_db *db = pg_open();
	const char *p[] = { "200000" };

	stream_count(db, "SELECT g AS n, 'r' || g AS label, "
			 "CASE WHEN g % 2 = 1 THEN 'odd' END AS maybe "
			 "FROM generate_series(1, 200000) g", 0, NULL, 200000);
	stream_count(db, "SELECT g AS n, 'r' || g AS label, "
			 "CASE WHEN g % 2 = 1 THEN 'odd' END AS maybe "
			 "FROM generate_series(1, $1::int) g", 1, p, 200000);
	dw_db_close(db);
}

static void test_my_query_stream(void **state)
{
	struct dw_db *db = my_open();
	const char *p[] = { "200000" };

	exec_ok(db, "SET SESSION max_recursive_iterations = 1000000");
	/* text protocol */
	stream_count(db, "WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
			 "WHERE n < 200000) SELECT n, CONCAT('r', n) AS label, "
			 "IF(n % 2 = 1, 'odd', NULL) AS maybe FROM c", 0, NULL, 200000);
	/* prepared statement */
	stream_count(db, "WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
			 "WHERE n < ?) SELECT n, CONCAT('r', n) AS label, "
			 "IF(n % 2 = 1, 'odd', NULL) AS maybe FROM c", 1, p, 200000);
	dw_db_close(db);
}

static void check_nulls_and_types(struct dw_db *db, const char *sql, int n,
				  const char *const *p)
{
	struct dw_err err = { 0 };
	struct dw_rows *rows = dw_db_query(db, sql, n, p, &err);

	CHECK(rows != NULL, err);
	assert_int_equal(dw_rows_ncols(rows), 6);
	CHECK(dw_rows_next(rows, &err) == 1, err);
	assert_null(dw_rows_value(rows, 0));
	assert_string_equal(dw_rows_value(rows, 1), "");
	assert_string_equal(dw_rows_value(rows, 2), "12.50");
	assert_string_equal(dw_rows_value(rows, 3), "7");
	assert_string_equal(dw_rows_value(rows, 4), "2024-02-29");
	assert_string_equal(dw_rows_value(rows, 5), "NULL");
	assert_false(dw_rows_is_numeric(rows, 0));
	assert_false(dw_rows_is_numeric(rows, 1));
	assert_true(dw_rows_is_numeric(rows, 2));
	assert_true(dw_rows_is_numeric(rows, 3));
	assert_false(dw_rows_is_numeric(rows, 4));
	assert_false(dw_rows_is_numeric(rows, 5));
	assert_false(dw_rows_is_numeric(rows, 99));
	assert_int_equal(dw_rows_next(rows, &err), 0);
	dw_rows_free(rows);
}

static void test_pg_nulls_types(void **state)
{
	struct dw_db *db = pg_open();
	const char *p[] = { NULL, "NULL" };

	check_nulls_and_types(db, "SELECT NULL::text AS a, ''::text AS b, 12.50::numeric(6,2) AS c, "
				  "7::bigint AS d, DATE '2024-02-29' AS e, 'NULL'::text AS f",
			      0, NULL);
	check_nulls_and_types(db, "SELECT $1::text AS a, ''::text AS b, 12.50::numeric(6,2) AS c, "
				  "7::bigint AS d, DATE '2024-02-29' AS e, $2::text AS f", 2, p);
	dw_db_close(db);
}

static void test_my_nulls_types(void **state)
{
	struct dw_db *db = my_open();
	const char *p[] = { NULL, "NULL" };

	check_nulls_and_types(db, "SELECT CAST(NULL AS CHAR) AS a, '' AS b, "
				  "CAST(12.5 AS DECIMAL(6,2)) AS c, CAST(7 AS SIGNED) AS d, "
				  "DATE '2024-02-29' AS e, 'NULL' AS f", 0, NULL);
	check_nulls_and_types(db, "SELECT CAST(? AS CHAR) AS a, '' AS b, "
				  "CAST(12.5 AS DECIMAL(6,2)) AS c, CAST(7 AS SIGNED) AS d, "
				  "DATE '2024-02-29' AS e, ? AS f", 2, p);
	dw_db_close(db);
}

/* Prepared path with values longer than the initial fetch buffer. */
static void test_my_prepared_long_values(void **state)
{
	static const size_t lens[] = { 0, 1, 62, 63, 64, 65, 66, 127, 128, 129, 100000, 5, 64,
				       250000, 63, 100 * 1024 };
	const size_t nl = sizeof lens / sizeof lens[0];
	struct dw_db *db = my_open();
	struct dw_err err = { 0 };
	struct dw_rows *rows;
	char **vals = calloc(nl, sizeof *vals);
	char idbuf[16];
	const char *zero[] = { "0" };
	size_t i;
	int rc;

	assert_non_null(vals);
	exec_ok(db, "DROP TABLE IF EXISTS it_long");
	exec_ok(db, "CREATE TABLE it_long (id int PRIMARY KEY, a LONGTEXT, b LONGTEXT) "
		    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
	for (i = 0; i < nl; i++) {
		vals[i] = malloc(lens[i] + 1);
		assert_non_null(vals[i]);
		for (size_t j = 0; j < lens[i]; j++)
			vals[i][j] = (char)('a' + (i * 7 + j * 13) % 26);
		vals[i][lens[i]] = '\0';
	}
	for (i = 0; i < nl; i++) {
		const char *p[3];

		snprintf(idbuf, sizeof idbuf, "%zu", i + 1);
		p[0] = idbuf;
		p[1] = vals[i];
		p[2] = i % 3 == 1 ? NULL : vals[nl - 1 - i];
		assert_int_equal(exec_p(db, "INSERT INTO it_long VALUES (?, ?, ?)", 3, p), 1);
	}
	/* one row where both columns are NULL */
	exec_ok(db, "INSERT INTO it_long VALUES (1000, NULL, NULL)");

	rows = dw_db_query(db, "SELECT id, a, b, LENGTH(a) AS la FROM it_long WHERE id > ? "
			       "ORDER BY id", 1, zero, &err);
	CHECK(rows != NULL, err);
	for (i = 0; i < nl; i++) {
		const char *a, *b;

		rc = dw_rows_next(rows, &err);
		CHECK(rc == 1, err);
		snprintf(idbuf, sizeof idbuf, "%zu", i + 1);
		assert_string_equal(dw_rows_value(rows, 0), idbuf);
		a = dw_rows_value(rows, 1);
		b = dw_rows_value(rows, 2);
		assert_non_null(a);
		if (strlen(a) != lens[i] || memcmp(a, vals[i], lens[i]))
			fail_msg("row %zu: column a has %zu bytes, want %zu", i + 1, strlen(a),
				 lens[i]);
		assert_int_equal(atoll(dw_rows_value(rows, 3)), lens[i]);
		if (i % 3 == 1) {
			assert_null(b);
		} else {
			if (!b)
				fail_msg("row %zu: column b is NULL, want %zu bytes", i + 1,
					 lens[nl - 1 - i]);
			if (strcmp(b, vals[nl - 1 - i]))
				fail_msg("row %zu: column b has %zu bytes, want %zu", i + 1,
					 strlen(b), lens[nl - 1 - i]);
		}
	}
	CHECK(dw_rows_next(rows, &err) == 1, err);
	assert_string_equal(dw_rows_value(rows, 0), "1000");
	assert_null(dw_rows_value(rows, 1));
	assert_null(dw_rows_value(rows, 2));
	assert_null(dw_rows_value(rows, 3));
	assert_int_equal(dw_rows_next(rows, &err), 0);
	dw_rows_free(rows);

	/* the same through the text protocol */
	rows = dw_db_query(db, "SELECT a FROM it_long WHERE id <= 16 ORDER BY id", 0, NULL, &err);
	CHECK(rows != NULL, err);
	for (i = 0; i < nl; i++) {
		CHECK(dw_rows_next(rows, &err) == 1, err);
		assert_string_equal(dw_rows_value(rows, 0), vals[i]);
	}
	dw_rows_free(rows);

	/* a long value through query_value on the prepared path */
	{
		const char *p[] = { "14" };
		char *v = qv_p(db, "SELECT a FROM it_long WHERE id = ?", 1, p);

		assert_non_null(v);
		assert_int_equal(strlen(v), 250000);
		assert_string_equal(v, vals[13]);
		free(v);
	}
	for (i = 0; i < nl; i++)
		free(vals[i]);
	free(vals);
	assert_usable(db);
	dw_db_close(db);
}

/* Several values of one row longer than the first buffer: each is fetched
 * again, and none is lost (once the later ones came back NULL). */
static void test_my_prepared_two_long(void **state)
{
	struct dw_db *db = my_open();
	struct dw_err err = { 0 };
	const char *p[] = { "2" };
	struct dw_rows *rows = dw_db_query(db, "SELECT REPEAT('a', 64), REPEAT('b', 64), "
					   "REPEAT('c', 300), seq FROM seq_1_to_3 WHERE seq <= ? "
					   "ORDER BY seq", 1, p, &err);

	(void)state;
	CHECK(rows != NULL, err);
	for (int i = 0; i < 2; i++) {
		CHECK(dw_rows_next(rows, &err) == 1, err);
		for (int c = 0; c < 3; c++)
			if (!dw_rows_value(rows, c) || strlen(dw_rows_value(rows, c)) != (c < 2 ? 64u : 300u))
				fail_msg("row %d, column %d: %s", i + 1, c + 1,
					 dw_rows_value(rows, c) ? "cut" : "NULL");
	}
	assert_int_equal(dw_rows_next(rows, &err), 0);
	dw_rows_free(rows);
	dw_db_close(db);
}

static void check_zero_rows(struct dw_db *db, const char *sql, int n, const char *const *p,
			    int ncols)
{
	struct dw_err err = { 0 };
	struct dw_rows *rows = dw_db_query(db, sql, n, p, &err);

	CHECK(rows != NULL, err);
	assert_int_equal(dw_rows_ncols(rows), ncols);
	if (ncols)
		assert_string_equal(dw_rows_name(rows, 0), "x");
	assert_int_equal(dw_rows_next(rows, &err), 0);
	assert_int_equal(dw_rows_next(rows, &err), 0);
	dw_rows_free(rows);
	assert_usable(db);
}

static void test_zero_rows(void **state)
{
	struct dw_db *pg = pg_open(), *my = my_open();
	const char *p[] = { "5" };

	check_zero_rows(pg, "SELECT 1 AS x, 2 AS y WHERE false", 0, NULL, 2);
	check_zero_rows(pg, "SELECT g AS x FROM generate_series(1, $1::int) g WHERE g > 10", 1, p,
			1);
	/* a statement without a result set gives an empty iterator */
	exec_ok(pg, "DROP TABLE IF EXISTS it_zero");
	exec_ok(pg, "CREATE TABLE it_zero (x int)");
	check_zero_rows(pg, "INSERT INTO it_zero VALUES (1)", 0, NULL, 0);
	assert_int_equal(qll(pg, "SELECT count(*) FROM it_zero"), 1);

	check_zero_rows(my, "SELECT 1 AS x, 2 AS y FROM DUAL WHERE 1 = 0", 0, NULL, 2);
	check_zero_rows(my, "SELECT 1 AS x FROM DUAL WHERE 1 = ? + 1", 1, p, 1);
	exec_ok(my, "DROP TABLE IF EXISTS it_zero");
	exec_ok(my, "CREATE TABLE it_zero (x int)");
	check_zero_rows(my, "INSERT INTO it_zero VALUES (1)", 0, NULL, 0);
	check_zero_rows(my, "INSERT INTO it_zero VALUES (?)", 1, p, 0);
	assert_int_equal(qll(my, "SELECT count(*) FROM it_zero"), 2);
	dw_db_close(pg);
	dw_db_close(my);
}

/* Reads k rows of a big query then frees the iterator. */
static void read_some(struct dw_db *db, const char *sql, int n, const char *const *p, int k)
{
	struct dw_err err = { 0 };
	struct dw_rows *rows = dw_db_query(db, sql, n, p, &err);

	CHECK(rows != NULL, err);
	for (int i = 0; i < k; i++)
		CHECK(dw_rows_next(rows, &err) == 1, err);
	dw_rows_free(rows);
}

static void test_pg_free_early(void **state)
{
	struct dw_db *db = pg_open(), *other = pg_open();
	const char *big = "SELECT g, repeat('x', 50) FROM generate_series(1, 300000) g";
	const char *p[] = { "300000" };

	read_some(db, big, 0, NULL, 0);
	assert_usable(db);
	read_some(db, big, 0, NULL, 10);
	assert_usable(db);
	read_some(db, "SELECT g FROM generate_series(1, $1::int) g", 1, p, 3);
	assert_usable(db);

	/* inside a transaction: still usable, nothing aborted */
	exec_ok(db, "DROP TABLE IF EXISTS it_free");
	exec_ok(db, "CREATE TABLE it_free (x int)");
	exec_ok(db, "BEGIN");
	exec_ok(db, "INSERT INTO it_free VALUES (1)");
	read_some(db, big, 0, NULL, 5);
	exec_ok(db, "INSERT INTO it_free VALUES (2)");
	assert_qv(db, "SELECT count(*) FROM it_free", "2");
	assert_qv(other, "SELECT count(*) FROM it_free", "0");
	{
		struct dw_err err = { 0 };

		CHECK(dw_db_commit(db, &err) == 0, err);
	}
	assert_qv(other, "SELECT count(*) FROM it_free", "2");
	dw_db_close(db);
	dw_db_close(other);
}

static void test_my_free_early(void **state)
{
	struct dw_db *db = my_open(), *other = my_open();
	const char *big = "WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
			  "WHERE n < 100000) SELECT n, REPEAT('x', 50) FROM c";
	const char *bigp = "WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
			   "WHERE n < ?) SELECT n, REPEAT('x', 50) FROM c";
	const char *p[] = { "100000" };

	exec_ok(db, "SET SESSION max_recursive_iterations = 1000000");
	read_some(db, big, 0, NULL, 0);
	assert_usable(db);
	read_some(db, big, 0, NULL, 10);
	assert_usable(db);
	read_some(db, bigp, 1, p, 0);
	assert_usable(db);
	read_some(db, bigp, 1, p, 10);
	assert_usable(db);
	/* a prepared statement right after, on the same connection */
	{
		char *v = qv_p(db, "SELECT CONCAT(?, '!')", 1, p);

		assert_string_equal(v, "100000!");
		free(v);
	}

	exec_ok(db, "DROP TABLE IF EXISTS it_free");
	exec_ok(db, "CREATE TABLE it_free (x int) ENGINE=InnoDB");
	{
		struct dw_err err = { 0 };

		CHECK(dw_db_begin(db, &err) == 0, err);
	}
	exec_ok(db, "INSERT INTO it_free VALUES (1)");
	read_some(db, bigp, 1, p, 5);
	exec_ok(db, "INSERT INTO it_free VALUES (2)");
	assert_qv(db, "SELECT count(*) FROM it_free", "2");
	assert_qv(other, "SELECT count(*) FROM it_free", "0");
	{
		struct dw_err err = { 0 };

		CHECK(dw_db_commit(db, &err) == 0, err);
	}
	assert_qv(other, "SELECT count(*) FROM it_free", "2");
	dw_db_close(db);
	dw_db_close(other);
}

/* ---- query_value ---- */

static void query_value_on(struct dw_db *db, const char *sql_p, const char *const *p)
{
	struct dw_err err = { 0 };
	char *v = (char *)1;

	assert_qv(db, "SELECT 'first' UNION ALL SELECT 'second'", "first");
	CHECK(dw_db_query_value(db, "SELECT NULL", 0, NULL, &v, &err) == 0, err);
	assert_null(v);
	v = (char *)1;
	CHECK(dw_db_query_value(db, "SELECT 1 FROM it_qv WHERE 1 = 0", 0, NULL, &v, &err) == 0, err);
	assert_null(v);
	v = qv_p(db, sql_p, 1, p);
	assert_string_equal(v, "v=\xc3\xa9t\xc3\xa9");
	free(v);
	v = (char *)1;
	assert_int_equal(dw_db_query_value(db, "SELECT nope FROM it_qv", 0, NULL, &v, &err), -1);
	assert_null(v);
	assert_int_not_equal(err.code, 0);
	assert_usable(db);
}

static void test_query_value(void **state)
{
	struct dw_db *pg = pg_open(), *my = my_open();
	const char *p[] = { "\xc3\xa9t\xc3\xa9" };

	exec_ok(pg, "DROP TABLE IF EXISTS it_qv");
	exec_ok(pg, "CREATE TABLE it_qv (x int)");
	query_value_on(pg, "SELECT 'v=' || $1", p);
	exec_ok(my, "DROP TABLE IF EXISTS it_qv");
	exec_ok(my, "CREATE TABLE it_qv (x int)");
	query_value_on(my, "SELECT CONCAT('v=', ?)", p);
	dw_db_close(pg);
	dw_db_close(my);
}

/* ---- transactions ---- */

static void transactions_on(struct dw_db *db, struct dw_db *other)
{
	struct dw_err err = { 0 };

	CHECK(dw_db_begin(db, &err) == 0, err);
	exec_ok(db, "INSERT INTO it_tx VALUES (1)");
	assert_qv(db, "SELECT count(*) FROM it_tx", "1");
	assert_qv(other, "SELECT count(*) FROM it_tx", "0");
	CHECK(dw_db_rollback(db, &err) == 0, err);
	assert_qv(db, "SELECT count(*) FROM it_tx", "0");

	CHECK(dw_db_begin(db, &err) == 0, err);
	exec_ok(db, "INSERT INTO it_tx VALUES (2)");
	assert_qv(other, "SELECT count(*) FROM it_tx", "0");
	CHECK(dw_db_commit(db, &err) == 0, err);
	assert_qv(other, "SELECT count(*) FROM it_tx", "1");
	assert_qv(other, "SELECT max(x) FROM it_tx", "2");
}

static void test_transactions(void **state)
{
	struct dw_db *pg = pg_open(), *pg2 = pg_open(), *my = my_open(), *my2 = my_open();

	exec_ok(pg, "DROP TABLE IF EXISTS it_tx");
	exec_ok(pg, "CREATE TABLE it_tx (x int)");
	transactions_on(pg, pg2);
	exec_ok(my, "DROP TABLE IF EXISTS it_tx");
	exec_ok(my, "CREATE TABLE it_tx (x int) ENGINE=InnoDB");
	transactions_on(my, my2);
	dw_db_close(pg);
	dw_db_close(pg2);
	dw_db_close(my);
	dw_db_close(my2);
}

/* ---- scripts ---- */

static void script_on(struct dw_db *db, const char *label, const char *int_type)
{
	struct dw_err err = { 0 };
	char sql[1024];

	exec_ok(db, "DROP TABLE IF EXISTS it_script_b");
	exec_ok(db, "DROP TABLE IF EXISTS it_script_a");
	snprintf(sql, sizeof sql,
		 "-- a DDL file\n"
		 "CREATE TABLE it_script_a (x %s PRIMARY KEY, s varchar(40));\n"
		 "CREATE TABLE it_script_b (y int);\n"
		 "INSERT INTO it_script_a VALUES (1, 'semi;colon');\n"
		 "SELECT 1;\n"
		 "INSERT INTO it_script_a VALUES (2, 'it''s');\n"
		 "INSERT INTO it_script_b VALUES (7);\n", int_type);
	CHECK(dw_db_exec_script(db, sql, &err) == 0, err);
	assert_qv(db, "SELECT count(*) FROM it_script_a", "2");
	assert_qv(db, "SELECT s FROM it_script_a WHERE x = 1", "semi;colon");
	assert_qv(db, "SELECT s FROM it_script_a WHERE x = 2", "it's");
	assert_qv(db, "SELECT y FROM it_script_b", "7");

	/* an error in the middle: reported, and what follows it is not run */
	dw_err_clear(&err);
	assert_int_equal(dw_db_exec_script(db, "INSERT INTO it_script_b VALUES (8);\n"
					       "INSERT INTO it_script_b VALUES (9, 9, 9);\n"
					       "INSERT INTO it_script_b VALUES (10);\n", &err),
			 -1);
	assert_int_not_equal(err.code, 0);
	assert_true(starts_with(err.msg, label));
	assert_qv(db, "SELECT count(*) FROM it_script_b WHERE y = 10", "0");
	assert_usable(db);

	/* a syntax error in the middle */
	dw_err_clear(&err);
	assert_int_equal(dw_db_exec_script(db, "INSERT INTO it_script_b VALUES (11);\n"
					       "INSERTT INTO it_script_b VALUES (12);\n"
					       "INSERT INTO it_script_b VALUES (13);\n", &err),
			 -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_true(starts_with(err.msg, label));
	assert_qv(db, "SELECT count(*) FROM it_script_b WHERE y = 13", "0");
	assert_usable(db);
}

static void test_pg_exec_script(void **state)
{
	struct dw_db *db = pg_open();

	script_on(db, "oltp: ", "int");
	/* PostgreSQL runs a script as one implicit transaction: the failed scripts
	 * left nothing behind */
	assert_qv(db, "SELECT count(*) FROM it_script_b", "1");
	dw_db_close(db);
}

static void test_my_exec_script(void **state)
{
	struct dw_db *db = my_open();
	struct dw_err err = { 0 };

	script_on(db, "warehouse: ", "int");
	/* MySQL runs statement by statement: the ones before the error stay */
	assert_qv(db, "SELECT count(*) FROM it_script_b WHERE y IN (8, 11)", "2");
	/* multi statements are switched off again after a script */
	assert_int_equal(dw_db_exec(db, "SELECT 1; SELECT 2", 0, NULL, &err), -1);
	assert_usable(db);
	/* a script ending in a comment or blank lines (as DDL files do) */
	CHECK(dw_db_exec_script(db, "INSERT INTO it_script_b VALUES (20);\n\n", &err) == 0, err);
	CHECK(dw_db_exec_script(db, "INSERT INTO it_script_b VALUES (21);\n-- the end\n", &err) == 0,
	      err);
	assert_qv(db, "SELECT count(*) FROM it_script_b WHERE y >= 20", "2");
	assert_usable(db);
	dw_db_close(db);
}

/* ---- error mapping ---- */

static void test_pg_errors(void **state)
{
	struct dw_db *db = pg_open();
	struct dw_err err = { 0 };
	const char *p[] = { "1", "dup" };

	assert_int_equal(dw_db_exec(db, "SELEC 1", 0, NULL, &err), -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_string_equal(dw_db_sqlstate(db), "42601");
	assert_int_not_equal(dw_db_native_error(db), 0);
	assert_true(starts_with(err.msg, "oltp: "));
	assert_non_null(strstr(err.msg, "syntax error"));
	assert_true(err.msg[strlen(err.msg) - 1] != '\n');

	exec_ok(db, "DROP TABLE IF EXISTS it_err");
	exec_ok(db, "CREATE TABLE it_err (id int PRIMARY KEY, s text)");
	assert_int_equal(dw_db_native_error(db), 0);
	assert_string_equal(dw_db_sqlstate(db), "");
	assert_int_equal(exec_p(db, "INSERT INTO it_err VALUES ($1, $2)", 2, p), 1);
	dw_err_clear(&err);
	assert_int_equal(dw_db_exec(db, "INSERT INTO it_err VALUES ($1, $2)", 2, p, &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_string_equal(dw_db_sqlstate(db), "23505");
	assert_true(starts_with(err.msg, "oltp: "));
	assert_non_null(strstr(err.msg, "unique"));
	assert_non_null(strstr(err.detail, "already exists"));

	dw_err_clear(&err);
	assert_null(dw_db_query(db, "SELECT 1 / (g - 3) FROM generate_series(1, 2) g "
				    "WHERE g > 1 / 0", 0, NULL, &err));
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_string_equal(dw_db_sqlstate(db), "22012");
	assert_true(starts_with(err.msg, "oltp: "));

	/* an error after some rows were streamed surfaces in dw_rows_next */
	{
		struct dw_rows *rows;
		int rc, n = 0;

		dw_err_clear(&err);
		rows = dw_db_query(db, "SELECT 10 / (3 - g) FROM generate_series(1, 5) g", 0, NULL,
				   &err);
		CHECK(rows != NULL, err);
		while ((rc = dw_rows_next(rows, &err)) == 1)
			n++;
		assert_int_equal(rc, -1);
		assert_int_equal(n, 2);
		assert_int_equal(err.code, DW_EX_DATAERR);
		assert_string_equal(dw_db_sqlstate(db), "22012");
		dw_rows_free(rows);
	}
	assert_usable(db);
	assert_string_equal(dw_db_sqlstate(db), "");

	/* a failed statement with no err to fill must not crash */
	assert_int_equal(dw_db_exec(db, "SELEC 1", 0, NULL, NULL), -1);
	assert_int_equal(dw_db_exec_script(db, "SELEC 1", NULL), -1);
	assert_null(dw_db_query(db, "SELEC 1", 0, NULL, NULL));
	assert_usable(db);
	dw_db_close(db);
}

static void test_my_errors(void **state)
{
	struct dw_db *db = my_open();
	struct dw_err err = { 0 };
	const char *p[] = { "1", "dup" };

	assert_int_equal(dw_db_exec(db, "SELEC 1", 0, NULL, &err), -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_int_equal(dw_db_native_error(db), 1064);
	assert_true(starts_with(err.msg, "warehouse: "));
	assert_string_equal(dw_db_sqlstate(db), "");

	dw_err_clear(&err);
	assert_int_equal(dw_db_exec(db, "SELEC ?", 1, p, &err), -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_int_equal(dw_db_native_error(db), 1064);
	assert_true(starts_with(err.msg, "warehouse: "));

	exec_ok(db, "DROP TABLE IF EXISTS it_err");
	exec_ok(db, "CREATE TABLE it_err (id int PRIMARY KEY, s text) ENGINE=InnoDB");
	assert_int_equal(dw_db_native_error(db), 0);
	assert_int_equal(exec_p(db, "INSERT INTO it_err VALUES (?, ?)", 2, p), 1);
	dw_err_clear(&err);
	assert_int_equal(dw_db_exec(db, "INSERT INTO it_err VALUES (?, ?)", 2, p, &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_int_equal(dw_db_native_error(db), 1062);
	assert_true(starts_with(err.msg, "warehouse: "));
	assert_non_null(strstr(err.msg, "Duplicate"));
	dw_err_clear(&err);
	assert_int_equal(dw_db_exec(db, "INSERT INTO it_err VALUES (1, 'text protocol')", 0, NULL,
				    &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_int_equal(dw_db_native_error(db), 1062);

	/* strict mode: out of range and NOT NULL are data errors, not warnings */
	dw_err_clear(&err);
	assert_int_equal(dw_db_exec(db, "INSERT INTO it_err VALUES (99999999999, 'x')", 0, NULL,
				    &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	dw_err_clear(&err);
	assert_int_equal(dw_db_exec(db, "INSERT INTO it_err VALUES (NULL, 'x')", 0, NULL, &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);

	dw_err_clear(&err);
	assert_null(dw_db_query(db, "SELECT nope FROM it_err", 0, NULL, &err));
	assert_int_equal(dw_db_native_error(db), 1054);
	assert_true(starts_with(err.msg, "warehouse: "));
	assert_usable(db);
	assert_int_equal(dw_db_native_error(db), 0);

	/* an error after some rows surfaces in dw_rows_next (rows are streamed,
	 * not stored first), on both protocols */
	for (int prepared = 0; prepared < 2; prepared++) {
		const char *three[] = { "3" };
		struct dw_rows *rows;
		int rc, n = 0;

		dw_err_clear(&err);
		rows = dw_db_query(db, prepared
				   ? "SELECT IF(seq = ?, (SELECT 1 UNION SELECT 2), seq) FROM seq_1_to_5"
				   : "SELECT IF(seq = 3, (SELECT 1 UNION SELECT 2), seq) FROM seq_1_to_5",
				   prepared, three, &err);
		CHECK(rows != NULL, err);
		while ((rc = dw_rows_next(rows, &err)) == 1)
			n++;
		assert_int_equal(rc, -1);
		assert_int_equal(n, 2);
		if (dw_db_native_error(db) != 1242)
			fail_msg("prepared=%d native %d: %s", prepared, dw_db_native_error(db), err.msg);
		assert_true(starts_with(err.msg, "warehouse: "));
		dw_rows_free(rows);
		assert_usable(db);
	}

	assert_int_equal(dw_db_exec(db, "SELEC 1", 0, NULL, NULL), -1);
	assert_int_equal(dw_db_exec(db, "SELEC ?", 1, p, NULL), -1);
	assert_int_equal(dw_db_exec_script(db, "SELEC 1", NULL), -1);
	assert_usable(db);
	dw_db_close(db);
}

/* A connection killed by the server reports "unavailable", and a caller
 * cleaning up without an err (rollback(db, NULL)) does not crash. */
static void test_connection_killed(void **state)
{
	struct dw_db *pg = pg_open(), *pg2 = pg_open(), *my = my_open(), *my2 = my_open();
	struct dw_err err = { 0 };
	char *id, sql[128];

	id = qv(pg, "SELECT pg_backend_pid()");
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%s, 10000)", id);
	free(id);
	assert_qv(pg2, sql, "t");
	assert_int_equal(dw_db_exec(pg, "SELECT 1", 0, NULL, &err), -1);
	assert_int_equal(err.code, DW_EX_UNAVAILABLE);
	assert_true(starts_with(err.msg, "oltp: "));
	assert_int_equal(dw_db_rollback(pg, NULL), -1);
	assert_null(dw_db_query(pg, "SELECT 1", 0, NULL, NULL));

	id = qv(my, "SELECT CONNECTION_ID()");
	snprintf(sql, sizeof sql, "KILL CONNECTION %s", id);
	free(id);
	exec_ok(my2, sql);
	dw_err_clear(&err);
	assert_int_equal(dw_db_exec(my, "SELECT 1", 0, NULL, &err), -1);
	if (err.code != DW_EX_UNAVAILABLE)
		fail_msg("killed MySQL connection: code %d native %d: %s", err.code,
			 dw_db_native_error(my), err.msg);
	assert_true(starts_with(err.msg, "warehouse: "));
	assert_int_equal(dw_db_rollback(my, NULL), -1);
	dw_db_close(pg);
	dw_db_close(pg2);
	dw_db_close(my);
	dw_db_close(my2);
}

/* ---- COPY ---- */

struct sink {
	char *buf;
	size_t len, cap;
	long long calls, lines;
	long long fail_at;    /* return -1 on this call (1-based); 0 never */
};

static int mem_sink(void *arg, const char *buf, size_t len, struct dw_err *err)
{
	struct sink *s = arg;

	s->calls++;
	if (s->fail_at && s->calls == s->fail_at)
		return dw_err_set(err, DW_EX_IOERR, "sink: disk full");
	if (s->len + len > s->cap) {
		s->cap = (s->len + len) * 2;
		s->buf = realloc(s->buf, s->cap);
		if (!s->buf)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	memcpy(s->buf + s->len, buf, len);
	s->len += len;
	for (size_t i = 0; i < len; i++)
		s->lines += buf[i] == '\n';
	return 0;
}

static void test_pg_copy_out(void **state)
{
	struct dw_db *db = pg_open();
	struct dw_err err = { 0 };
	struct sink s = { 0 };
	size_t want_len = 0, pos = 0;
	char line[64];
	long long n;

	n = dw_db_pg_copy_out(db, "COPY (SELECT g, 'row ' || g, CASE WHEN g % 10 = 0 THEN NULL "
			       "ELSE E'a\\tb\\\\c' END FROM generate_series(1, 100000) g) TO STDOUT",
			   mem_sink, &s, &err);
	CHECK(n == 100000, err);
	assert_int_equal(s.lines, 100000);
	for (int g = 1; g <= 100000; g++) {
		int l = snprintf(line, sizeof line, "%d\trow %d\t%s\n", g, g,
				 g % 10 == 0 ? "\\N" : "a\\tb\\\\c");

		if (pos + (size_t)l > s.len || memcmp(s.buf + pos, line, (size_t)l))
			fail_msg("COPY output differs at row %d", g);
		pos += (size_t)l;
		want_len += (size_t)l;
	}
	assert_int_equal(s.len, want_len);
	free(s.buf);
	assert_usable(db);

	/* a sink failing halfway aborts with the sink's error */
	memset(&s, 0, sizeof s);
	s.fail_at = 50;
	dw_err_clear(&err);
	n = dw_db_pg_copy_out(db, "COPY (SELECT g FROM generate_series(1, 100000) g) TO STDOUT",
			   mem_sink, &s, &err);
	assert_int_equal(n, -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_string_equal(err.msg, "sink: disk full");
	assert_int_equal(s.calls, 50);
	free(s.buf);
	assert_usable(db);

	/* ... also inside a transaction, which stays usable */
	exec_ok(db, "BEGIN");
	memset(&s, 0, sizeof s);
	s.fail_at = 3;
	assert_int_equal(dw_db_pg_copy_out(db, "COPY (SELECT g FROM generate_series(1, 100000) g) "
					    "TO STDOUT", mem_sink, &s, &err), -1);
	free(s.buf);
	assert_usable(db);
	exec_ok(db, "COMMIT");

	/* a server error in the middle of the COPY */
	memset(&s, 0, sizeof s);
	dw_err_clear(&err);
	n = dw_db_pg_copy_out(db, "COPY (SELECT 10 / (1000 - g) FROM generate_series(1, 2000) g) "
			       "TO STDOUT", mem_sink, &s, &err);
	assert_int_equal(n, -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_string_equal(dw_db_sqlstate(db), "22012");
	assert_true(starts_with(err.msg, "oltp: "));
	free(s.buf);
	assert_usable(db);

	/* a bad statement */
	memset(&s, 0, sizeof s);
	dw_err_clear(&err);
	assert_int_equal(dw_db_pg_copy_out(db, "COPY nope TO STDOUT", mem_sink, &s, &err), -1);
	assert_string_equal(dw_db_sqlstate(db), "42P01");
	assert_true(starts_with(err.msg, "oltp: "));
	assert_int_equal(s.calls, 0);
	assert_usable(db);
	dw_db_close(db);
}

static void test_pg_copy_in(void **state)
{
	struct dw_db *db = pg_open();
	struct dw_err err = { 0 };
	const char data[] = "1\tplain\n"
			    "2\ta\\tb\n"
			    "3\t\\N\n"
			    "4\tline\\nbreak\n"
			    "5\tback\\\\slash\n"
			    "6\tGr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x8e\x89\n"
			    "7\tx'); DROP TABLE it_copy; --\n";
	long long n;

	exec_ok(db, "DROP TABLE IF EXISTS it_copy");
	exec_ok(db, "CREATE TABLE it_copy (id int PRIMARY KEY, s text)");
	CHECK(dw_db_pg_copy_in_start(db, "COPY it_copy (id, s) FROM STDIN", &err) == 0, err);
	/* chunks that split rows and escapes */
	for (size_t off = 0; off < sizeof data - 1; off += 5) {
		size_t len = sizeof data - 1 - off < 5 ? sizeof data - 1 - off : 5;

		CHECK(dw_db_pg_copy_in_put(db, data + off, len, &err) == 0, err);
	}
	n = dw_db_pg_copy_in_end(db, &err);
	CHECK(n == 7, err);
	assert_qv(db, "SELECT s FROM it_copy WHERE id = 1", "plain");
	assert_qv(db, "SELECT s FROM it_copy WHERE id = 2", "a\tb");
	assert_qv(db, "SELECT (s IS NULL)::text FROM it_copy WHERE id = 3", "true");
	assert_qv(db, "SELECT s FROM it_copy WHERE id = 4", "line\nbreak");
	assert_qv(db, "SELECT s FROM it_copy WHERE id = 5", "back\\slash");
	assert_qv(db, "SELECT s FROM it_copy WHERE id = 6", "Gr\xc3\xbc\xc3\x9f" "e \xf0\x9f\x8e\x89");
	assert_qv(db, "SELECT s FROM it_copy WHERE id = 7", "x'); DROP TABLE it_copy; --");

	/* many rows in one put */
	{
		size_t cap = 20000 * 24, len = 0;
		char *big = malloc(cap);

		assert_non_null(big);
		for (int i = 100; i < 20100; i++)
			len += (size_t)snprintf(big + len, cap - len, "%d\tbulk %d\n", i, i);
		CHECK(dw_db_pg_copy_in_start(db, "COPY it_copy FROM STDIN", &err) == 0, err);
		CHECK(dw_db_pg_copy_in_put(db, big, len, &err) == 0, err);
		n = dw_db_pg_copy_in_end(db, &err);
		CHECK(n == 20000, err);
		free(big);
	}
	assert_qv(db, "SELECT count(*) FROM it_copy", "20007");

	/* bad data: end fails with a data error, nothing is kept */
	CHECK(dw_db_pg_copy_in_start(db, "COPY it_copy FROM STDIN", &err) == 0, err);
	CHECK(dw_db_pg_copy_in_put(db, "50000\tok\nnot-a-number\tx\n", 25, &err) == 0, err);
	dw_err_clear(&err);
	assert_int_equal(dw_db_pg_copy_in_end(db, &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_string_equal(dw_db_sqlstate(db), "22P02");
	assert_true(starts_with(err.msg, "oltp: "));
	assert_qv(db, "SELECT count(*) FROM it_copy", "20007");

	/* abort: nothing is kept, the connection is usable */
	CHECK(dw_db_pg_copy_in_start(db, "COPY it_copy FROM STDIN", &err) == 0, err);
	CHECK(dw_db_pg_copy_in_put(db, "60000\tgone\n60001\tgone too\n", 26, &err) == 0, err);
	dw_db_pg_copy_in_abort(db, "test abort");
	assert_usable(db);
	assert_qv(db, "SELECT count(*) FROM it_copy", "20007");

	/* abort inside a transaction, then roll back and carry on */
	exec_ok(db, "BEGIN");
	exec_ok(db, "INSERT INTO it_copy VALUES (70000, 'in tx')");
	CHECK(dw_db_pg_copy_in_start(db, "COPY it_copy FROM STDIN", &err) == 0, err);
	dw_db_pg_copy_in_abort(db, "test abort");
	exec_ok(db, "ROLLBACK");
	assert_qv(db, "SELECT count(*) FROM it_copy", "20007");

	/* a bad COPY statement */
	dw_err_clear(&err);
	assert_int_equal(dw_db_pg_copy_in_start(db, "COPY nope FROM STDIN", &err), -1);
	assert_string_equal(dw_db_sqlstate(db), "42P01");
	assert_usable(db);
	dw_db_close(db);
}

/* ---- LOAD DATA LOCAL ---- */

struct memsrc {
	const char *data;
	size_t len, pos, chunk;
	long long calls;
	long long fail_at;     /* return -1 on this call (1-based); 0 never */
};

static ssize_t mem_source(void *arg, char *buf, size_t len, struct dw_err *err)
{
	struct memsrc *s = arg;
	size_t n = s->len - s->pos;

	s->calls++;
	if (s->fail_at && s->calls == s->fail_at) {
		dw_err_set(err, DW_EX_IOERR, "source: read failed");
		return -1;
	}
	if (n > s->chunk)
		n = s->chunk;
	if (n > len)
		n = len;
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

/* nrows lines "id\tlabel id\tvalue" with escapes every few rows. */
static char *load_data(int nrows, size_t *len)
{
	size_t cap = (size_t)nrows * 64 + 64, n = 0;
	char *d = malloc(cap);

	assert_non_null(d);
	for (int i = 1; i <= nrows; i++) {
		const char *v = i % 5 == 0 ? "\\N" : i % 5 == 1 ? "t\\tab" : i % 5 == 2
			? "b\\\\s" : i % 5 == 3 ? "\xc3\xa9\xf0\x9f\x8e\x89" : "q'\"`;";

		n += (size_t)snprintf(d + n, cap - n, "%d\tlabel %d\t%s\n", i, i, v);
	}
	*len = n;
	return d;
}

static void check_loaded(struct dw_db *db, int nrows)
{
	char want[32];

	snprintf(want, sizeof want, "%d", nrows);
	assert_qv(db, "SELECT count(*) FROM it_load", want);
	snprintf(want, sizeof want, "%lld", (long long)nrows * (nrows + 1) / 2);
	assert_qv(db, "SELECT sum(id) FROM it_load", want);
	assert_qv(db, "SELECT label FROM it_load WHERE id = 77", "label 77");
	assert_qv(db, "SELECT v FROM it_load WHERE id = 1", "t\tab");
	assert_qv(db, "SELECT v FROM it_load WHERE id = 2", "b\\s");
	assert_qv(db, "SELECT v FROM it_load WHERE id = 3", "\xc3\xa9\xf0\x9f\x8e\x89");
	assert_qv(db, "SELECT v FROM it_load WHERE id = 4", "q'\"`;");
	assert_qv(db, "SELECT count(*) FROM it_load WHERE v IS NULL", "200");
}

static const char load_sql[] = "LOAD DATA LOCAL INFILE 'dw-stream' INTO TABLE it_load "
			       "CHARACTER SET utf8mb4 (id, label, v)";

static void test_my_load_local(void **state)
{
	struct dw_db *db = my_open();
	struct dw_err err = { 0 };
	size_t len;
	char *data = load_data(1000, &len);
	struct memsrc src = { data, len, 0, 7, 0, 0 };
	long long n;

	exec_ok(db, "DROP TABLE IF EXISTS it_load");
	exec_ok(db, "CREATE TABLE it_load (id int PRIMARY KEY, label varchar(40), v varchar(40)) "
		    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
	n = dw_db_my_load_local(db, load_sql, mem_source, &src, &err);
	CHECK(n == 1000, err);
	assert_true(src.calls > (long long)(len / 7));
	assert_int_equal(src.pos, len);
	check_loaded(db, 1000);

	/* big chunks (as big as the library asks for) */
	exec_ok(db, "DELETE FROM it_load");
	src = (struct memsrc){ data, len, 0, (size_t)-1, 0, 0 };
	n = dw_db_my_load_local(db, load_sql, mem_source, &src, &err);
	CHECK(n == 1000, err);
	check_loaded(db, 1000);
	assert_false(dw_db_local_infile_refused(db));
	free(data);

	/* an empty source loads nothing */
	exec_ok(db, "DELETE FROM it_load");
	src = (struct memsrc){ "", 0, 0, 100, 0, 0 };
	n = dw_db_my_load_local(db, load_sql, mem_source, &src, &err);
	CHECK(n == 0, err);

	/* LOCAL implies IGNORE on the server: a duplicate key is skipped with a
	 * warning, not an error (callers must not rely on the load failing) */
	src = (struct memsrc){ "1\ta\tb\n1\tc\td\n", 12, 0, 100, 0, 0 };
	n = dw_db_my_load_local(db, load_sql, mem_source, &src, &err);
	CHECK(n == 1, err);
	assert_qv(db, "SELECT label FROM it_load WHERE id = 1", "a");
	assert_false(dw_db_local_infile_refused(db));
	/* a bad statement is an error with the server's number */
	src = (struct memsrc){ "1\ta\tb\n", 6, 0, 100, 0, 0 };
	dw_err_clear(&err);
	assert_int_equal(dw_db_my_load_local(db, "LOAD DATA LOCAL INFILE 'dw-stream' INTO TABLE nope",
					  mem_source, &src, &err), -1);
	assert_int_equal(dw_db_native_error(db), 1146);
	assert_true(starts_with(err.msg, "warehouse: "));
	assert_false(dw_db_local_infile_refused(db));
	assert_usable(db);

	/* load_local on a PostgreSQL handle is refused, not a crash */
	{
		struct dw_db *pg = pg_open();

		dw_err_clear(&err);
		assert_int_equal(dw_db_my_load_local(pg, load_sql, mem_source, &src, &err), -1);
		assert_int_not_equal(err.code, 0);
		dw_db_close(pg);
	}
	dw_db_close(db);
}

/* dw_db_my_warnings: what LOAD DATA LOCAL (which never fails on a bad
 * value) and a statement with parameters left, read before anything else
 * clears it. */
static void test_my_warnings(void **state)
{
	struct dw_db *db = my_open(), *pg = pg_open();
	struct dw_err err = { 0 };
	struct memsrc src;
	const char *p[] = { "1.23456" };
	char msg[256];

	(void)state;
	exec_ok(db, "DROP TABLE IF EXISTS it_load");
	exec_ok(db, "CREATE TABLE it_load (id int PRIMARY KEY, label varchar(4), v decimal(6,2)) "
		    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
	src = (struct memsrc){ "1\tabcd\t1.5\n", strlen("1\tabcd\t1.5\n"), 0, 100, 0, 0 };
	CHECK(dw_db_my_load_local(db, load_sql, mem_source, &src, &err) == 1, err);
	CHECK(dw_db_my_warnings(db, msg, sizeof msg, &err) == 0, err);

	/* a value cut: one warning, naming the column and the row */
	src = (struct memsrc){ "2\tabcde\t1\n", strlen("2\tabcde\t1\n"), 0, 100, 0, 0 };
	CHECK(dw_db_my_load_local(db, load_sql, mem_source, &src, &err) == 1, err);
	CHECK(dw_db_my_warnings(db, msg, sizeof msg, &err) == 1, err);
	assert_non_null(strstr(msg, "'label' at row 1"));
	assert_qv(db, "SELECT label FROM it_load WHERE id = 2", "abcd");
	/* a duplicate skipped, and a number out of range clipped */
	src = (struct memsrc){ "1\tx\t1\n3\tx\t12345678\n", strlen("1\tx\t1\n3\tx\t12345678\n"), 0, 100, 0, 0 };
	CHECK(dw_db_my_load_local(db, load_sql, mem_source, &src, &err) == 1, err);
	/* no message asked for: the count alone, which that leaves as it is */
	CHECK(dw_db_my_warnings(db, NULL, 0, &err) == 2, err);
	CHECK(dw_db_my_warnings(db, msg, sizeof msg, &err) == 2, err);
	assert_non_null(strstr(msg, "Duplicate entry"));

	/* a prepared INSERT that rounds a value leaves a note (strict mode
	 * refuses a cut value but only notes a rounded one) */
	CHECK(dw_db_exec(db, "INSERT INTO it_load VALUES (4, 'r', ?)", 1, p, &err) == 1, err);
	CHECK(dw_db_my_warnings(db, msg, sizeof msg, &err) == 1, err);
	assert_non_null(strstr(msg, "'v'"));
	CHECK(dw_db_exec(db, "INSERT INTO it_load VALUES (5, 'ok', 1.5)", 0, NULL, &err) == 1, err);
	CHECK(dw_db_my_warnings(db, msg, sizeof msg, &err) == 0, err);
	CHECK(dw_db_my_warnings(pg, msg, sizeof msg, &err) == 0, err);

	/* a 4-byte character travels both ways as it is */
	p[0] = "\xf0\x9f\x98\x80";
	CHECK(dw_db_exec(db, "INSERT INTO it_load VALUES (6, ?, 0)", 1, p, &err) == 1, err);
	assert_qv(db, "SELECT HEX(label) FROM it_load WHERE id = 6", "F09F9880");
	assert_qv(db, "SELECT label FROM it_load WHERE id = 6", "\xf0\x9f\x98\x80");
	dw_db_close(pg);
	dw_db_close(db);
}

static void test_my_load_local_source_error(void **state)
{
	struct dw_db *db = my_open();
	struct dw_err err = { 0 };
	size_t len;
	char *data = load_data(1000, &len);
	struct memsrc src = { data, len, 0, 100, 0, 5 };

	exec_ok(db, "DROP TABLE IF EXISTS it_load");
	exec_ok(db, "CREATE TABLE it_load (id int PRIMARY KEY, label varchar(40), v varchar(40)) "
		    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
	CHECK(dw_db_begin(db, &err) == 0, err);
	assert_int_equal(dw_db_my_load_local(db, load_sql, mem_source, &src, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_string_equal(err.msg, "source: read failed");
	assert_int_equal(src.calls, 5);
	assert_false(dw_db_local_infile_refused(db));
	/* the connection is in sync and the transaction can be undone */
	assert_usable(db);
	CHECK(dw_db_rollback(db, &err) == 0, err);
	assert_qv(db, "SELECT count(*) FROM it_load", "0");
	/* and a load works afterwards */
	src = (struct memsrc){ data, len, 0, 4096, 0, 0 };
	CHECK(dw_db_my_load_local(db, load_sql, mem_source, &src, &err) == 1000, err);
	free(data);
	dw_db_close(db);
}

static void test_my_load_local_refused(void **state)
{
	struct dw_db *root = my_open(), *db = my_open(), *noinfile;
	struct dw_err err = { 0 }, err2 = { 0 };
	struct memsrc src = { "1\ta\tb\n", 6, 0, 100, 0, 0 };
	char *old = qv(root, "SELECT @@GLOBAL.local_infile");
	char restore[64];
	long long n, n2;
	int refused, refused2;

	exec_ok(db, "DROP TABLE IF EXISTS it_load");
	exec_ok(db, "CREATE TABLE it_load (id int PRIMARY KEY, label varchar(40), v varchar(40))");
	/* server side off: measure, restore, then assert */
	exec_ok(root, "SET GLOBAL local_infile = 0");
	n = dw_db_my_load_local(db, load_sql, mem_source, &src, &err);
	refused = dw_db_local_infile_refused(db);
	snprintf(restore, sizeof restore, "SET GLOBAL local_infile = %s", old ? old : "1");
	exec_ok(root, restore);
	free(old);
	assert_int_equal(n, -1);
	assert_true(refused);
	assert_int_equal(err.code, DW_EX_UNAVAILABLE);
	assert_true(starts_with(err.msg, "warehouse: "));
	assert_usable(db);
	/* back on: the same connection loads, and the flag is cleared */
	src.pos = 0;
	CHECK(dw_db_my_load_local(db, load_sql, mem_source, &src, &err) == 1, err);
	assert_false(dw_db_local_infile_refused(db));

	/* client side off (local_infile: false in the config) */
	noinfile = my_open_with("root", NULL, g_dbname, g_myport, 0, &err2);
	CHECK(noinfile != NULL, err2);
	src = (struct memsrc){ "2\ta\tb\n", 6, 0, 100, 0, 0 };
	n2 = dw_db_my_load_local(noinfile, load_sql, mem_source, &src, &err2);
	refused2 = dw_db_local_infile_refused(noinfile);
	assert_int_equal(n2, -1);
	assert_true(refused2);
	assert_int_equal(err2.code, DW_EX_UNAVAILABLE);
	assert_usable(noinfile);
	assert_qv(db, "SELECT count(*) FROM it_load", "1");
	dw_db_close(noinfile);
	dw_db_close(root);
	dw_db_close(db);
}

/* The classic pipe: COPY TO STDOUT on PostgreSQL feeding LOAD DATA on MariaDB
 * through a pipe, the COPY running in a second thread. */
struct pipe_job {
	struct dw_db *pg;
	int fd;
	long long rows;
	struct dw_err err;
};

static int fd_sink(void *arg, const char *buf, size_t len, struct dw_err *err)
{
	struct pipe_job *j = arg;

	while (len) {
		ssize_t w = write(j->fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return dw_err_set(err, DW_EX_IOERR, "pipe: %s", strerror(errno));
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

static void *copy_thread(void *arg)
{
	struct pipe_job *j = arg;

	j->rows = dw_db_pg_copy_out(j->pg, "COPY (SELECT id, s, n, d FROM it_pipe ORDER BY id) TO STDOUT",
				 fd_sink, j, &j->err);
	close(j->fd);
	return NULL;
}

static ssize_t fd_source(void *arg, char *buf, size_t len, struct dw_err *err)
{
	int fd = *(int *)arg;
	ssize_t n;

	while ((n = read(fd, buf, len)) < 0 && errno == EINTR)
		;
	if (n < 0)
		dw_err_set(err, DW_EX_IOERR, "pipe: %s", strerror(errno));
	return n;
}

static void test_pipe_pg_to_my(void **state)
{
	struct dw_db *pg = pg_open(), *my = my_open();
	struct dw_err err = { 0 };
	struct pipe_job job = { .pg = pg };
	struct dw_rows *a, *b;
	pthread_t th;
	int fds[2], ra, rb;
	long long n, rows = 0;

	exec_ok(pg, "DROP TABLE IF EXISTS it_pipe");
	exec_ok(pg, "CREATE TABLE it_pipe (id int PRIMARY KEY, s text, n numeric(12,2), d date)");
	exec_ok(pg, "INSERT INTO it_pipe SELECT g, 'row ' || g || CASE g % 7 "
		    "WHEN 0 THEN E'\\ttab' WHEN 1 THEN E'\\nnewline' WHEN 2 THEN E'back\\\\slash' "
		    "WHEN 3 THEN E'\\r\\ncrlf' WHEN 4 THEN 'quote''\"`' "
		    "WHEN 5 THEN U&'\\00e9t\\00e9 \\+01F389' ELSE '' END, "
		    "CASE WHEN g % 11 = 0 THEN NULL ELSE g * 1.25 END, "
		    "DATE '2020-01-01' + g % 1000 FROM generate_series(1, 50000) g");
	exec_ok(pg, "INSERT INTO it_pipe VALUES (0, NULL, NULL, NULL), (-1, '\\N', 0, NULL), "
		    "(-2, '', -1.5, '1999-12-31')");
	exec_ok(my, "DROP TABLE IF EXISTS it_pipe");
	exec_ok(my, "CREATE TABLE it_pipe (id int PRIMARY KEY, s text, n decimal(12,2), d date) "
		    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");

	assert_int_equal(pipe(fds), 0);
	job.fd = fds[1];
	assert_int_equal(pthread_create(&th, NULL, copy_thread, &job), 0);
	n = dw_db_my_load_local(my, "LOAD DATA LOCAL INFILE 'dw-stream' INTO TABLE it_pipe "
				 "CHARACTER SET utf8mb4 (id, s, n, d)", fd_source, &fds[0], &err);
	close(fds[0]);
	pthread_join(th, NULL);
	CHECK(job.rows == 50003, job.err);
	CHECK(n == 50003, err);

	/* row by row, both sides hold the same text */
	a = dw_db_query(pg, "SELECT id, s, n, d FROM it_pipe ORDER BY id", 0, NULL, &err);
	CHECK(a != NULL, err);
	b = dw_db_query(my, "SELECT id, s, n, d FROM it_pipe ORDER BY id", 0, NULL, &err);
	CHECK(b != NULL, err);
	while ((ra = dw_rows_next(a, &err)) == 1) {
		rb = dw_rows_next(b, &err);
		CHECK(rb == 1, err);
		rows++;
		for (int c = 0; c < 4; c++) {
			const char *va = dw_rows_value(a, c), *vb = dw_rows_value(b, c);

			if ((va == NULL) != (vb == NULL) || (va && strcmp(va, vb)))
				fail_msg("id %s column %d: pg '%s' my '%s'", dw_rows_value(a, 0), c,
					 va ? va : "NULL", vb ? vb : "NULL");
		}
	}
	CHECK(ra == 0, err);
	assert_int_equal(dw_rows_next(b, &err), 0);
	assert_int_equal(rows, 50003);
	dw_rows_free(a);
	dw_rows_free(b);
	dw_db_close(pg);
	dw_db_close(my);
}

/* ---- identifiers ---- */

static void quote_on(struct dw_db *db, const char *catalog_sql)
{
	const char *tname = "a\"b`c", *cname = "we'ird \"col`";
	char *qt = dw_db_quote_ident(db, tname), *qc = dw_db_quote_name(dw_db_kind(db), cname);
	char sql[512];
	const char *p[] = { tname };

	assert_non_null(qt);
	assert_non_null(qc);
	snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s", qt);
	exec_ok(db, sql);
	snprintf(sql, sizeof sql, "CREATE TABLE %s (%s int)", qt, qc);
	exec_ok(db, sql);
	snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (5), (6)", qt, qc);
	assert_int_equal(exec_ok(db, sql), 2);
	snprintf(sql, sizeof sql, "SELECT sum(%s) FROM %s", qc, qt);
	assert_qv(db, sql, "11");
	{
		char *v = qv_p(db, catalog_sql, 1, p);

		assert_non_null(v);
		assert_string_equal(v, cname);
		free(v);
	}
	snprintf(sql, sizeof sql, "DROP TABLE %s", qt);
	exec_ok(db, sql);
	free(qt);
	free(qc);
}

static void test_quote_ident_ddl(void **state)
{
	struct dw_db *pg = pg_open(), *my = my_open();

	quote_on(pg, "SELECT column_name FROM information_schema.columns "
		     "WHERE table_schema = current_schema() AND table_name = $1");
	quote_on(my, "SELECT column_name FROM information_schema.columns "
		     "WHERE table_schema = DATABASE() AND table_name = ?");
	dw_db_close(pg);
	dw_db_close(my);
}

static int env_int(const char *name)
{
	const char *v = getenv(name);

	return v ? atoi(v) : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg_connect),
		cmocka_unit_test(test_my_connect),
		cmocka_unit_test(test_pg_connect_closed_port),
		cmocka_unit_test(test_my_connect_closed_port),
		cmocka_unit_test(test_pg_connect_bad_database),
		cmocka_unit_test(test_my_connect_bad_database),
		cmocka_unit_test(test_my_wrong_password),
		cmocka_unit_test(test_pg_exec_params),
		cmocka_unit_test(test_my_exec_params),
		cmocka_unit_test(test_pg_query_stream),
		cmocka_unit_test(test_my_query_stream),
		cmocka_unit_test(test_pg_nulls_types),
		cmocka_unit_test(test_my_nulls_types),
		cmocka_unit_test(test_my_prepared_long_values),
		cmocka_unit_test(test_my_prepared_two_long),
		cmocka_unit_test(test_zero_rows),
		cmocka_unit_test(test_pg_free_early),
		cmocka_unit_test(test_my_free_early),
		cmocka_unit_test(test_query_value),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_pg_exec_script),
		cmocka_unit_test(test_my_exec_script),
		cmocka_unit_test(test_pg_errors),
		cmocka_unit_test(test_my_errors),
		cmocka_unit_test(test_connection_killed),
		cmocka_unit_test(test_pg_copy_out),
		cmocka_unit_test(test_pg_copy_in),
		cmocka_unit_test(test_my_load_local),
		cmocka_unit_test(test_my_warnings),
		cmocka_unit_test(test_my_load_local_source_error),
		cmocka_unit_test(test_my_load_local_refused),
		cmocka_unit_test(test_pipe_pg_to_my),
		cmocka_unit_test(test_quote_ident_ddl),
	};
	const char *db = getenv("DW_IT_DB");

	g_pgport = env_int("DW_IT_PGPORT");
	g_myport = env_int("DW_IT_MYPORT");
	if (!g_pgport || !g_myport || !db || !*db) {
		fprintf(stderr, "test_db_live: set DW_IT_PGPORT, DW_IT_MYPORT and DW_IT_DB\n");
		return 2;
	}
	snprintf(g_dbname, sizeof g_dbname, "%s", db);
	if (getenv("DW_IT_FILTER"))
		cmocka_set_test_filter(getenv("DW_IT_FILTER"));
	signal(SIGPIPE, SIG_IGN);
	/* a hang (a protocol state bug) fails the run instead of blocking prove */
	alarm((unsigned)(env_int("DW_IT_TIMEOUT") > 0 ? env_int("DW_IT_TIMEOUT") : 300));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
