/* Unit tests for lib/ask/exec.c: SQL shown with its parameters, as
 * --sql and --explain print it and the audit trail keeps it. Each ? the
 * server reads as a placeholder gets its value as a literal; a ? in a
 * comment, string or quoted identifier stays as written. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ask/exec.h"
#include "err.h"

static void shows(const char *sql, const char *const *params, size_t n, const char *want)
{
	struct dw_err err;
	char *got;

	dw_err_clear(&err);
	got = dw_exec_sql_shown(sql, params, n, DW_DB_MY, &err);
	if (!got)
		fail_msg("\"%s\": %s", sql, err.msg);
	assert_string_equal(got, want);
	free(got);
}

static const char *const xy[] = { "x", "y" };

static void test_values_as_literals(void **state)
{
	(void)state;
	shows("SELECT a FROM t WHERE b = ? AND c = ?", xy, 2,
	      "SELECT a FROM t WHERE b = 'x' AND c = 'y'");
	shows("SELECT 1", NULL, 0, "SELECT 1");
	/* a NULL value is bound as SQL NULL; placeholders past the values stay */
	shows("SELECT ?, ?, ?", (const char *const[]){ NULL, "1" }, 2, "SELECT NULL, '1', ?");
	shows("SELECT a FROM t WHERE b=?", (const char *const[]){ "7" }, 1,
	      "SELECT a FROM t WHERE b='7'");
}

/* MariaDB's string rules: a quote and a backslash in a value are escaped,
 * so the literal reads back as the value and cannot end early. */
static void test_values_escaped(void **state)
{
	(void)state;
	shows("SELECT ?", (const char *const[]){ "it's" }, 1, "SELECT 'it''s'");
	shows("SELECT ?", (const char *const[]){ "a\\" }, 1, "SELECT 'a\\\\'");
	shows("SELECT ?, ?", (const char *const[]){ "\\'; DROP TABLE t; -- ", "" }, 2,
	      "SELECT '\\\\''; DROP TABLE t; -- ', ''");
}

static void test_question_mark_in_comment(void **state)
{
	(void)state;
	shows("SELECT a FROM t WHERE b = ? -- is it ?\nAND c = ?", xy, 2,
	      "SELECT a FROM t WHERE b = 'x' -- is it ?\nAND c = 'y'");
	shows("SELECT a FROM t /* why? */ WHERE b = ? # or ?\nAND c = ?", xy, 2,
	      "SELECT a FROM t /* why? */ WHERE b = 'x' # or ?\nAND c = 'y'");
}

static void test_question_mark_in_quotes(void **state)
{
	(void)state;
	shows("SELECT '?', \"?\", `?` FROM t WHERE b = ? AND c = ?", xy, 2,
	      "SELECT '?', \"?\", `?` FROM t WHERE b = 'x' AND c = 'y'");
	shows("SELECT 'a''?' FROM t WHERE b = ?", xy, 1, "SELECT 'a''?' FROM t WHERE b = 'x'");
}

/* 'it\'s' is one string in MariaDB: the placeholders after it are code. */
static void test_escaped_quote_in_string(void **state)
{
	(void)state;
	shows("SELECT a FROM t WHERE s <> 'it\\'s' AND b = ? AND c = ?", xy, 2,
	      "SELECT a FROM t WHERE s <> 'it\\'s' AND b = 'x' AND c = 'y'");
	shows("SELECT \"say \\\"?\\\"\" FROM t WHERE b = ?", xy, 1,
	      "SELECT \"say \\\"?\\\"\" FROM t WHERE b = 'x'");
}

/* PostgreSQL's strings: backslash is literal, so only the quote doubles. */
static void test_postgres_literals(void **state)
{
	struct dw_err err;
	char *got;

	(void)state;
	got = dw_exec_sql_shown("SELECT ? -- ?\n, E'\\'?'", (const char *const[]){ "a\\'b" }, 1,
				DW_DB_PG, &err);
	assert_non_null(got);
	assert_string_equal(got, "SELECT 'a\\''b' -- ?\n, E'\\'?'");
	free(got);
}

static void test_unlexable_sql(void **state)
{
	struct dw_err err;

	(void)state;
	dw_err_clear(&err);
	assert_null(dw_exec_sql_shown("SELECT ? FROM t WHERE a = 'x", xy, 1, DW_DB_MY, &err));
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_non_null(strstr(err.msg, "unterminated string"));
}

/* A server error in words of our own, for a remote model: the number
 * named, nothing of the server's message. */
static void test_error_kind(void **state)
{
	(void)state;
	assert_string_equal(dw_exec_error_kind(1242),
			    "a subquery returned more than one row (MariaDB error 1242)");
	assert_string_equal(dw_exec_error_kind(1054), "unknown column (MariaDB error 1054)");
	assert_string_equal(dw_exec_error_kind(1105),
			    "the warehouse rejected the query (MariaDB error 1105)");
	assert_string_equal(dw_exec_error_kind(0),
			    "the warehouse rejected the query (MariaDB error 0)");
}

/* The statement as it runs: its own outermost LIMIT lowered to the cap. */
static void limited(const char *sql, const char *const *params, size_t n, long cap,
		    const char *want_sql, const char *want_param)
{
	struct dw_exec_stmt st;
	struct dw_err err;

	dw_err_clear(&err);
	assert_int_equal(dw_exec_stmt_limit(&st, sql, params, n, cap, &err), 0);
	assert_string_equal(st.sql, want_sql);
	if (want_param)
		assert_string_equal(st.params[n - 1], want_param);
	dw_exec_stmt_release(&st);
}

static void test_own_limit_lowered(void **state)
{
	limited("SELECT a FROM t ORDER BY a LIMIT 1000000", NULL, 0, 51,
		"SELECT a FROM t ORDER BY a LIMIT 51", NULL);
	limited("SELECT a FROM t LIMIT 10, 99999999999999999999999", NULL, 0, 51,
		"SELECT a FROM t LIMIT 10, 51", NULL);
	limited("SELECT a FROM t limit 500 OFFSET 3", NULL, 0, 51,
		"SELECT a FROM t limit 51 OFFSET 3", NULL);
	limited("SELECT a FROM t UNION SELECT b FROM u LIMIT 0100", NULL, 0, 51,
		"SELECT a FROM t UNION SELECT b FROM u LIMIT 51", NULL);
}

static void test_own_limit_kept(void **state)
{
	/* Smaller or equal counts, a LIMIT inside a subquery, none at all. */
	limited("SELECT a FROM t LIMIT 5", NULL, 0, 51, "SELECT a FROM t LIMIT 5", NULL);
	limited("SELECT a FROM t LIMIT 51", NULL, 0, 51, "SELECT a FROM t LIMIT 51", NULL);
	limited("SELECT a FROM (SELECT a FROM t LIMIT 900) q", NULL, 0, 51,
		"SELECT a FROM (SELECT a FROM t LIMIT 900) q", NULL);
	limited("SELECT 'LIMIT 900' FROM t -- LIMIT 900", NULL, 0, 51,
		"SELECT 'LIMIT 900' FROM t -- LIMIT 900", NULL);
}

static void test_own_limit_placeholder(void **state)
{
	const char *big[] = { "2014", "1000000" }, *small[] = { "2014", "7" };

	limited("SELECT a FROM t WHERE y = ? LIMIT ?", big, 2, 51,
		"SELECT a FROM t WHERE y = ? LIMIT ?", "51");
	limited("SELECT a FROM t WHERE y = ? LIMIT ?", small, 2, 51,
		"SELECT a FROM t WHERE y = ? LIMIT ?", "7");
	assert_string_equal(big[1], "1000000");   /* the caller's values stay */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_as_literals),
		cmocka_unit_test(test_values_escaped),
		cmocka_unit_test(test_question_mark_in_comment),
		cmocka_unit_test(test_question_mark_in_quotes),
		cmocka_unit_test(test_escaped_quote_in_string),
		cmocka_unit_test(test_postgres_literals),
		cmocka_unit_test(test_unlexable_sql),
		cmocka_unit_test(test_error_kind),
		cmocka_unit_test(test_own_limit_lowered),
		cmocka_unit_test(test_own_limit_kept),
		cmocka_unit_test(test_own_limit_placeholder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
