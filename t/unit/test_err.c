/* Unit tests for lib/err.c (the error value) and lib/log.c (the one place that
 * writes to stderr): message format, verbosity, exit-code table, progress. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "log.h"

/* ---- helpers ---- */

/* Redirects fd 2 to a temporary file. No cmocka assertion may run between
 * cap_begin and cap_end: a failure would longjmp with stderr still captured. */
struct capture {
	FILE *f;
	int saved;
};

static void cap_begin(struct capture *c)
{
	c->f = tmpfile();
	assert_non_null(c->f);
	fflush(stderr);
	c->saved = dup(STDERR_FILENO);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->f), STDERR_FILENO) >= 0);
}

/* Restores fd 2 and returns what was written, NUL-terminated, in buf. */
static const char *cap_end(struct capture *c, char *buf, size_t size)
{
	size_t n;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	rewind(c->f);
	n = fread(buf, 1, size - 1, c->f);
	buf[n] = '\0';
	fclose(c->f);
	return buf;
}

static int count_char(const char *s, char ch)
{
	int n = 0;

	for (; *s; s++)
		n += *s == ch;
	return n;
}

/* Fills buf with n copies of ch and a NUL. */
static char *fill(char *buf, char ch, size_t n)
{
	memset(buf, ch, n);
	buf[n] = '\0';
	return buf;
}

static int vset_wrapper(struct dw_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dw_err_vset(err, code, fmt, ap);
	va_end(ap);
	return rc;
}

static int reset_log(void **state)
{
	dw_log_init("dw", 0);
	return 0;
}

/* ---- exit codes ---- */

static void test_exit_code_values(void **state)
{
	/* DESIGN.md section 4: one table for every tool. */
	assert_int_equal(DW_EX_OK, 0);
	assert_int_equal(DW_EX_NEGATIVE, 1);
	assert_int_equal(DW_EX_USAGE, 64);
	assert_int_equal(DW_EX_DATAERR, 65);
	assert_int_equal(DW_EX_UNAVAILABLE, 69);
	assert_int_equal(DW_EX_SOFTWARE, 70);
	assert_int_equal(DW_EX_IOERR, 74);
	assert_int_equal(DW_EX_TEMPFAIL, 75);
	assert_int_equal(DW_EX_NOPERM, 77);
	assert_int_equal(DW_EX_CONFIG, 78);
}

static void test_exit_name(void **state)
{
	static const struct {
		int code;
		const char *name;
	} tab[] = {
		{ DW_EX_OK, "ok" },
		{ DW_EX_NEGATIVE, "negative" },
		{ DW_EX_USAGE, "usage" },
		{ DW_EX_DATAERR, "dataerr" },
		{ DW_EX_UNAVAILABLE, "unavailable" },
		{ DW_EX_SOFTWARE, "software" },
		{ DW_EX_IOERR, "ioerr" },
		{ DW_EX_TEMPFAIL, "tempfail" },
		{ DW_EX_NOPERM, "noperm" },
		{ DW_EX_CONFIG, "config" },
	};
	size_t i, j;

	for (i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		assert_non_null(dw_err_exit_name(tab[i].code));
		assert_string_equal(dw_err_exit_name(tab[i].code), tab[i].name);
		for (j = 0; j < i; j++)
			assert_string_not_equal(dw_err_exit_name(tab[i].code),
						dw_err_exit_name(tab[j].code));
	}
}

static void test_exit_name_unknown(void **state)
{
	assert_string_equal(dw_err_exit_name(2), "unknown");
	assert_string_equal(dw_err_exit_name(-1), "unknown");
	assert_string_equal(dw_err_exit_name(63), "unknown");
	assert_string_equal(dw_err_exit_name(71), "unknown");
	assert_string_equal(dw_err_exit_name(255), "unknown");
}

/* ---- err ---- */

static void test_set_returns_minus_one(void **state)
{
	struct dw_err err;

	dw_err_clear(&err);
	assert_int_equal(dw_err_set(&err, DW_EX_DATAERR, "bad row %d in '%s'", 7, "x.csv"), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_string_equal(err.msg, "bad row 7 in 'x.csv'");
	assert_string_equal(err.detail, "");
	assert_string_equal(err.hint, "");
}

static void test_set_clears_detail_hint(void **state)
{
	struct dw_err err;

	dw_err_set(&err, DW_EX_IOERR, "first");
	dw_err_detail(&err, "old detail");
	dw_err_hint(&err, "old hint");
	assert_string_equal(err.detail, "old detail");
	assert_string_equal(err.hint, "old hint");

	assert_int_equal(dw_err_set(&err, DW_EX_CONFIG, "second %s", "one"), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_string_equal(err.msg, "second one");
	assert_string_equal(err.detail, "");
	assert_string_equal(err.hint, "");
}

static void test_vset(void **state)
{
	struct dw_err err;

	dw_err_clear(&err);
	dw_err_hint(&err, "stale");
	assert_int_equal(vset_wrapper(&err, DW_EX_USAGE, "unknown option '%s' (%d)", "-z", 3), -1);
	assert_int_equal(err.code, DW_EX_USAGE);
	assert_string_equal(err.msg, "unknown option '-z' (3)");
	assert_string_equal(err.hint, "");
}

static void test_detail_hint(void **state)
{
	struct dw_err err;

	dw_err_set(&err, DW_EX_UNAVAILABLE, "cannot connect to '%s'", "dw");
	dw_err_detail(&err, "server said %d", 42);
	dw_err_hint(&err, "is %s running?", "postgres");
	assert_int_equal(err.code, DW_EX_UNAVAILABLE);
	assert_string_equal(err.msg, "cannot connect to 'dw'");
	assert_string_equal(err.detail, "server said 42");
	assert_string_equal(err.hint, "is postgres running?");

	/* Setting again replaces, does not append. */
	dw_err_detail(&err, "d2");
	dw_err_hint(&err, "h2");
	assert_string_equal(err.detail, "d2");
	assert_string_equal(err.hint, "h2");
	assert_string_equal(err.msg, "cannot connect to 'dw'");
}

static void test_clear(void **state)
{
	struct dw_err err;

	dw_err_set(&err, DW_EX_NOPERM, "denied");
	dw_err_detail(&err, "d");
	dw_err_hint(&err, "h");
	dw_err_clear(&err);
	assert_int_equal(err.code, 0);
	assert_string_equal(err.msg, "");
	assert_string_equal(err.detail, "");
	assert_string_equal(err.hint, "");
}

static void test_null_err(void **state)
{
	dw_err_clear(NULL);
	assert_int_equal(dw_err_set(NULL, DW_EX_IOERR, "x %d", 1), -1);
	assert_int_equal(vset_wrapper(NULL, DW_EX_IOERR, "x %d", 1), -1);
	dw_err_detail(NULL, "d %d", 1);
	dw_err_hint(NULL, "h %d", 1);
	dw_err_prefix(NULL, "p %d", 1);
}

static void test_prefix(void **state)
{
	struct dw_err err;

	dw_err_set(&err, DW_EX_DATAERR, "bad date '%s'", "2024-13-01");
	dw_err_detail(&err, "column order_date");
	dw_err_hint(&err, "use YYYY-MM-DD");
	dw_err_prefix(&err, "%s:%d", "orders.csv", 12);
	assert_string_equal(err.msg, "orders.csv:12: bad date '2024-13-01'");
	assert_int_equal(err.code, DW_EX_DATAERR);
	assert_string_equal(err.detail, "column order_date");
	assert_string_equal(err.hint, "use YYYY-MM-DD");

	/* Prefixes nest outward. */
	dw_err_prefix(&err, "importing");
	assert_string_equal(err.msg, "importing: orders.csv:12: bad date '2024-13-01'");
	assert_int_equal(err.code, DW_EX_DATAERR);
}

static void test_prefix_medium_fits(void **state)
{
	/* 150 + 2 + 300 < DW_ERR_MSG_MAX: nothing may be cut. */
	char p[151], m[301], want[460];
	struct dw_err err;

	fill(p, 'p', 150);
	fill(m, 'm', 300);
	dw_err_set(&err, DW_EX_IOERR, "%s", m);
	dw_err_prefix(&err, "%s", p);
	snprintf(want, sizeof want, "%s: %s", p, m);
	assert_string_equal(err.msg, want);
}

static void test_long_message_truncated(void **state)
{
	char big[4 * DW_ERR_MSG_MAX + 1];
	struct {
		struct dw_err err;
		char guard[64];
	} s;
	size_t i;

	fill(big, 'x', sizeof big - 1);
	memset(s.guard, 'G', sizeof s.guard);

	assert_int_equal(dw_err_set(&s.err, DW_EX_DATAERR, "%s", big), -1);
	assert_int_equal(strlen(s.err.msg), DW_ERR_MSG_MAX - 1);
	assert_memory_equal(s.err.msg, big, DW_ERR_MSG_MAX - 1);
	/* msg did not spill into detail (cleared by set). */
	assert_string_equal(s.err.detail, "");

	dw_err_detail(&s.err, "%s", big);
	assert_int_equal(strlen(s.err.detail), DW_ERR_MSG_MAX - 1);
	assert_string_equal(s.err.hint, "");
	dw_err_hint(&s.err, "%s%s", big, big);
	assert_int_equal(strlen(s.err.hint), DW_ERR_MSG_MAX - 1);
	assert_int_equal(strlen(s.err.msg), DW_ERR_MSG_MAX - 1);
	assert_int_equal(strlen(s.err.detail), DW_ERR_MSG_MAX - 1);
	for (i = 0; i < sizeof s.guard; i++)
		assert_int_equal(s.guard[i], 'G');
}

static void test_long_prefix_on_long_message(void **state)
{
	char bigp[3 * DW_ERR_MSG_MAX + 1], bigm[3 * DW_ERR_MSG_MAX + 1];
	struct {
		struct dw_err err;
		char guard[64];
	} s;
	size_t i, len;

	fill(bigp, 'p', sizeof bigp - 1);
	fill(bigm, 'm', sizeof bigm - 1);
	memset(s.guard, 'G', sizeof s.guard);

	dw_err_set(&s.err, DW_EX_CONFIG, "%s", bigm);
	dw_err_detail(&s.err, "d");
	dw_err_hint(&s.err, "h");
	dw_err_prefix(&s.err, "%s", bigp);

	len = strnlen(s.err.msg, sizeof s.err.msg);
	assert_true(len < DW_ERR_MSG_MAX);
	assert_true(len > 0);
	/* Still "PREFIX: MESSAGE", both halves represented. */
	assert_int_equal(s.err.msg[0], 'p');
	assert_non_null(strstr(s.err.msg, "p: m"));
	assert_int_equal(s.err.msg[len - 1], 'm');
	/* Neighbours untouched. */
	assert_int_equal(s.err.code, DW_EX_CONFIG);
	assert_string_equal(s.err.detail, "d");
	assert_string_equal(s.err.hint, "h");
	for (i = 0; i < sizeof s.guard; i++)
		assert_int_equal(s.guard[i], 'G');

	/* Long prefix on a short message, short prefix on a long message. */
	dw_err_set(&s.err, DW_EX_CONFIG, "short");
	dw_err_prefix(&s.err, "%s", bigp);
	len = strnlen(s.err.msg, sizeof s.err.msg);
	assert_true(len < DW_ERR_MSG_MAX);
	assert_int_equal(s.err.msg[0], 'p');

	dw_err_set(&s.err, DW_EX_CONFIG, "%s", bigm);
	dw_err_prefix(&s.err, "file");
	len = strnlen(s.err.msg, sizeof s.err.msg);
	assert_true(len < DW_ERR_MSG_MAX);
	assert_memory_equal(s.err.msg, "file: mmm", 9);
}

/* ---- log ---- */

static void test_log_init_getters(void **state)
{
	dw_log_init("dw-test", 2);
	assert_string_equal(dw_log_prog(), "dw-test");
	assert_int_equal(dw_log_verbosity(), 2);
	dw_log_init("other", -1);
	assert_string_equal(dw_log_prog(), "other");
	assert_int_equal(dw_log_verbosity(), -1);
}

static void test_log_err_full(void **state)
{
	struct dw_err err;
	struct capture c;
	char buf[1024];
	int rc;

	dw_log_init("prog", 0);
	dw_err_set(&err, DW_EX_DATAERR, "msg");
	dw_err_detail(&err, "d");
	dw_err_hint(&err, "h");
	cap_begin(&c);
	rc = dw_log_err(&err);
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "prog: error: msg\ndetail: d\nhint: h\n");
	assert_int_equal(rc, DW_EX_DATAERR);
}

static void test_log_err_omits_empty(void **state)
{
	struct dw_err err;
	struct capture c;
	char buf[1024];
	int rc;

	dw_log_init("prog", 0);
	dw_err_set(&err, DW_EX_IOERR, "cannot read '%s'", "a");
	cap_begin(&c);
	rc = dw_log_err(&err);
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "prog: error: cannot read 'a'\n");
	assert_int_equal(rc, DW_EX_IOERR);

	dw_err_set(&err, DW_EX_IOERR, "m");
	dw_err_hint(&err, "h");
	cap_begin(&c);
	rc = dw_log_err(&err);
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "prog: error: m\nhint: h\n");

	dw_err_set(&err, DW_EX_IOERR, "m");
	dw_err_detail(&err, "d");
	cap_begin(&c);
	rc = dw_log_err(&err);
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "prog: error: m\ndetail: d\n");
	assert_int_equal(rc, DW_EX_IOERR);
}

static void test_log_err_code_zero(void **state)
{
	struct dw_err err;
	struct capture c;
	char buf[1024];
	int rc;

	dw_log_init("prog", 0);
	dw_err_clear(&err);
	cap_begin(&c);
	rc = dw_log_err(&err);
	cap_end(&c, buf, sizeof buf);
	assert_int_equal(rc, 70);
	/* An empty message still yields one well-formed line. */
	assert_memory_equal(buf, "prog: error: ", 13);
	assert_true(strlen(buf) > 14);
	assert_int_equal(count_char(buf, '\n'), 1);
	assert_int_equal(buf[strlen(buf) - 1], '\n');

	dw_err_set(&err, 0, "oops");
	cap_begin(&c);
	rc = dw_log_err(&err);
	cap_end(&c, buf, sizeof buf);
	assert_int_equal(rc, DW_EX_SOFTWARE);
	assert_string_equal(buf, "prog: error: oops\n");
}

static void test_log_err_printed_when_quiet(void **state)
{
	struct dw_err err;
	struct capture c;
	char buf[1024];
	int rc;

	/* -q silences warnings, never the one line on failure. */
	dw_log_init("prog", -1);
	dw_err_set(&err, DW_EX_TEMPFAIL, "lock held");
	cap_begin(&c);
	rc = dw_log_err(&err);
	dw_log_error("also %s", "this");
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "prog: error: lock held\nprog: error: also this\n");
	assert_int_equal(rc, DW_EX_TEMPFAIL);
}

static void test_log_error_format(void **state)
{
	struct capture c;
	char buf[1024];

	dw_log_init("dw-etl", 0);
	cap_begin(&c);
	dw_log_error("cannot connect to '%s': %d", "dw", 5);
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "dw-etl: error: cannot connect to 'dw': 5\n");
}

static void test_log_warn(void **state)
{
	struct capture c;
	char buf[1024];

	dw_log_init("prog", 0);
	cap_begin(&c);
	dw_log_warn("row %d skipped", 3);
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "prog: warning: row 3 skipped\n");

	dw_log_init("prog", 1);
	cap_begin(&c);
	dw_log_warn("w");
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "prog: warning: w\n");

	dw_log_init("prog", -1);
	cap_begin(&c);
	dw_log_warn("row %d skipped", 3);
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static void test_log_verbose(void **state)
{
	struct capture c;
	char buf[1024];

	dw_log_init("prog", -1);
	cap_begin(&c);
	dw_log_verbose(1, "one");
	dw_log_verbose(2, "two");
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "");

	dw_log_init("prog", 0);
	cap_begin(&c);
	dw_log_verbose(1, "one");
	dw_log_verbose(2, "two");
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "");

	dw_log_init("prog", 1);
	cap_begin(&c);
	dw_log_verbose(1, "one %d", 1);
	dw_log_verbose(2, "two %d", 2);
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "prog: one 1\n");

	dw_log_init("prog", 2);
	cap_begin(&c);
	dw_log_verbose(1, "one %d", 1);
	dw_log_verbose(2, "two %d", 2);
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "prog: one 1\nprog: two 2\n");

	dw_log_init("prog", 3);
	cap_begin(&c);
	dw_log_verbose(2, "two");
	cap_end(&c, buf, sizeof buf);
	assert_string_equal(buf, "prog: two\n");
}

/* ---- progress (stderr is a file here, never a terminal) ---- */

static void run_progress(int verbosity, char *buf, size_t size)
{
	struct dw_log_progress p;
	struct capture c;

	dw_log_init("prog", verbosity);
	cap_begin(&c);
	dw_log_progress_start(&p, "load", 0);
	dw_log_progress_update(&p, 100);
	dw_log_progress_update(&p, 200);
	dw_log_progress_update(&p, 12345);
	dw_log_progress_done(&p);
	cap_end(&c, buf, size);
	assert_int_equal(p.done, 12345);
}

static void test_progress_silent_default(void **state)
{
	char buf[1024];

	run_progress(0, buf, sizeof buf);
	assert_string_equal(buf, "");
	run_progress(-1, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static void test_progress_verbose_done(void **state)
{
	char buf[1024];

	run_progress(1, buf, sizeof buf);
	assert_non_null(strstr(buf, "prog: load: "));
	assert_non_null(strstr(buf, "12345 rows"));
	/* Not a terminal: one plain line, no escape sequences. */
	assert_int_equal(count_char(buf, '\n'), 1);
	assert_int_equal(buf[strlen(buf) - 1], '\n');
	assert_null(strchr(buf, '\033'));
}

static void test_progress_verbose_total(void **state)
{
	struct dw_log_progress p;
	struct capture c;
	char buf[1024];

	dw_log_init("prog", 2);
	cap_begin(&c);
	dw_log_progress_start(&p, "archive", 1000);
	dw_log_progress_update(&p, 10);
	dw_log_progress_update(&p, 1000);
	dw_log_progress_done(&p);
	cap_end(&c, buf, sizeof buf);
	assert_non_null(strstr(buf, "prog: archive: 1000 rows"));
	/* Finished: no ETA. */
	assert_null(strstr(buf, "ETA"));
	assert_int_equal(count_char(buf, '\n'), 1);
}

static void test_now_monotonic(void **state)
{
	double a = dw_log_clock(), b = dw_log_clock();

	assert_true(a > 0);
	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_code_values),
		cmocka_unit_test(test_exit_name),
		cmocka_unit_test(test_exit_name_unknown),
		cmocka_unit_test(test_set_returns_minus_one),
		cmocka_unit_test(test_set_clears_detail_hint),
		cmocka_unit_test(test_vset),
		cmocka_unit_test(test_detail_hint),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_null_err),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_prefix_medium_fits),
		cmocka_unit_test(test_long_message_truncated),
		cmocka_unit_test(test_long_prefix_on_long_message),
		cmocka_unit_test_teardown(test_log_init_getters, reset_log),
		cmocka_unit_test_teardown(test_log_err_full, reset_log),
		cmocka_unit_test_teardown(test_log_err_omits_empty, reset_log),
		cmocka_unit_test_teardown(test_log_err_code_zero, reset_log),
		cmocka_unit_test_teardown(test_log_err_printed_when_quiet, reset_log),
		cmocka_unit_test_teardown(test_log_error_format, reset_log),
		cmocka_unit_test_teardown(test_log_warn, reset_log),
		cmocka_unit_test_teardown(test_log_verbose, reset_log),
		cmocka_unit_test_teardown(test_progress_silent_default, reset_log),
		cmocka_unit_test_teardown(test_progress_verbose_done, reset_log),
		cmocka_unit_test_teardown(test_progress_verbose_total, reset_log),
		cmocka_unit_test(test_now_monotonic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
