/* Unit tests for lib/partplan.c: the period arithmetic (floor, add and
 * partition names by month, quarter and year), the planner on hand-built
 * layouts (periods to add up to premake or the newest row, the horizon,
 * partitions past retention, partitions counted ahead of today), the
 * partition section of dw.yaml with its built-in defaults and its errors
 * with file:line, and today's date. What needs a server (read, catchall,
 * split_sql, apply, lock) is left to the integration tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "partplan.h"

/* ---- helpers ------------------------------------------------------------ */

/* Temporary files, removed by teardown. */
static char tmp_paths[16][PATH_MAX];
static int ntmp;

static int setup(void **state)
{
	unsetenv("DW_TODAY");
	ntmp = 0;
	return 0;
}

static int teardown(void **state)
{
	unsetenv("DW_TODAY");
	while (ntmp > 0)
		remove(tmp_paths[--ntmp]);
	return 0;
}

static const char *tmp_base(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

/* Writes content to a new mkstemp file (removed by teardown). */
static const char *write_tmpfile(const char *content)
{
	size_t len = strlen(content);
	int fd;

	assert_true(ntmp < (int)(sizeof tmp_paths / sizeof tmp_paths[0]));
	snprintf(tmp_paths[ntmp], sizeof tmp_paths[ntmp], "%s/dw-test-partplan-XXXXXX",
		 tmp_base());
	fd = mkstemp(tmp_paths[ntmp]);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return tmp_paths[ntmp++];
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("expected \"%s\" to contain \"%s\"", haystack, needle);
}

/* Loads content as a dw.yaml; it must fail with DW_EX_CONFIG and a message
 * starting "FILE:line: " and containing what. */
static void load_fails(const char *content, int line, const char *what, struct dw_err *err)
{
	const char *path = write_tmpfile(content);
	struct dw_partplan_set s;
	char at[PATH_MAX + 32];
	int rc;

	dw_err_clear(err);
	rc = dw_partplan_load(&s, path, err);
	dw_partplan_free(&s);   /* what a failed load holds, too */
	if (rc != -1)
		fail_msg("accepted:\n%s", content);
	assert_int_equal(err->code, DW_EX_CONFIG);
	snprintf(at, sizeof at, "%s:%d: ", path, line);
	if (strncmp(err->msg, at, strlen(at)))
		fail_msg("expected \"%s\" to start with \"%s\"", err->msg, at);
	assert_contains(err->msg, what);
}

/* YYYYMMDD of the first day of month m (1-based, may run past 12 or below
 * 1) of year y; the test's own arithmetic for building layouts. */
static long month_start(int y, int m)
{
	int k = y * 12 + m - 1;

	return (long)(k / 12) * 10000 + (k % 12 + 1) * 100 + 1;
}

/* A layout of fact_sales: p_before (bound first_bound), a month partition
 * p<YYYYMM> for each month from y0-m0 to y1-m1 inclusive, and p_future. */
static void month_layout(struct dw_partplan_layout *l, int y0, int m0, int y1, int m1)
{
	size_t nmonths = (size_t)((y1 * 12 + m1) - (y0 * 12 + m0) + 1), i;

	memset(l, 0, sizeof *l);
	snprintf(l->table, sizeof l->table, "fact_sales");
	l->n = nmonths + 2;
	l->p = calloc(l->n, sizeof *l->p);
	assert_non_null(l->p);
	snprintf(l->p[0].name, sizeof l->p[0].name, "p_before");
	l->p[0].from = 0;
	l->p[0].bound = month_start(y0, m0);
	for (i = 0; i < nmonths; i++) {
		long from = month_start(y0, m0 + (int)i);

		snprintf(l->p[i + 1].name, sizeof l->p[i + 1].name, "p%06ld", from / 100);
		l->p[i + 1].from = from;
		l->p[i + 1].bound = month_start(y0, m0 + (int)i + 1);
	}
	snprintf(l->p[l->n - 1].name, sizeof l->p[l->n - 1].name, "p_future");
	l->p[l->n - 1].from = l->p[l->n - 2].bound;
	l->p[l->n - 1].bound = DW_PARTPLAN_MAXVALUE;
}

/* A layout from a table of names and bounds (the first from 0, each next
 * from the bound before). */
static void layout_of(struct dw_partplan_layout *l, const char *const *names,
		      const long *bounds, size_t n)
{
	memset(l, 0, sizeof *l);
	snprintf(l->table, sizeof l->table, "fact_sales");
	l->n = n;
	l->p = calloc(n, sizeof *l->p);
	assert_non_null(l->p);
	for (size_t i = 0; i < n; i++) {
		snprintf(l->p[i].name, sizeof l->p[i].name, "%s", names[i]);
		l->p[i].from = i ? bounds[i - 1] : 0;
		l->p[i].bound = bounds[i];
	}
}

/* The layout l becomes once plan's month periods are split out of its
 * future catch-all (what dw-partition does with the plan). */
static void apply_month_adds(const struct dw_partplan_layout *l,
			     const struct dw_partplan_plan *plan, struct dw_partplan_layout *out)
{
	size_t i, k = 0;

	memset(out, 0, sizeof *out);
	snprintf(out->table, sizeof out->table, "%s", l->table);
	out->n = l->n + plan->nadd;
	out->p = calloc(out->n, sizeof *out->p);
	assert_non_null(out->p);
	for (i = 0; i + 1 < l->n; i++)
		out->p[k++] = l->p[i];
	for (i = 0; i < plan->nadd; i++, k++) {
		long a = plan->add[i];

		snprintf(out->p[k].name, sizeof out->p[k].name, "p%06ld", a / 100);
		out->p[k].from = a;
		out->p[k].bound = month_start((int)(a / 10000), (int)(a / 100 % 100) + 1);
	}
	out->p[k] = l->p[l->n - 1];
	out->p[k].from = out->p[k - 1].bound;
}

/* The policy of fact_sales as the planner sees it. */
static struct dw_partplan_policy policy(enum dw_partplan_interval iv, int premake, int retain,
					int horizon)
{
	return (struct dw_partplan_policy){ .table = "fact_sales", .column = "order_date_key",
					    .interval = iv, .premake = premake, .retain = retain,
					    .horizon = horizon, .archive = "" };
}

/* Asserts that plan adds exactly one month per start from y0-m0 to y1-m1
 * inclusive, in order. */
static void assert_month_adds(const struct dw_partplan_plan *plan, int y0, int m0, int y1,
			      int m1)
{
	size_t k = 0;

	for (int y = y0; y <= y1; y++)
		for (int m = y == y0 ? m0 : 1; m <= (y == y1 ? m1 : 12); m++, k++) {
			if (k >= plan->nadd)
				fail_msg("only %zu periods added, %04d-%02d missing", plan->nadd,
					 y, m);
			assert_int_equal(plan->add[k], (long)y * 10000 + m * 100 + 1);
		}
	assert_int_equal(plan->nadd, k);
}

static void assert_name(long start, enum dw_partplan_interval iv, const char *want)
{
	char buf[32];

	memset(buf, 'x', sizeof buf);
	dw_partplan_name(start, iv, buf, sizeof buf);
	assert_string_equal(buf, want);
}

/* ---- periods ------------------------------------------------------------ */

static void test_floor_month(void **state)
{
	assert_int_equal(dw_partplan_floor(20170215, DW_PARTPLAN_MONTH), 20170201);
	assert_int_equal(dw_partplan_floor(20170201, DW_PARTPLAN_MONTH), 20170201);
	assert_int_equal(dw_partplan_floor(20170131, DW_PARTPLAN_MONTH), 20170101);
	assert_int_equal(dw_partplan_floor(20171231, DW_PARTPLAN_MONTH), 20171201);
	assert_int_equal(dw_partplan_floor(20261204, DW_PARTPLAN_MONTH), 20261201);
	assert_int_equal(dw_partplan_floor(20000229, DW_PARTPLAN_MONTH), 20000201);
}

static void test_floor_quarter(void **state)
{
	assert_int_equal(dw_partplan_floor(20170101, DW_PARTPLAN_QUARTER), 20170101);
	assert_int_equal(dw_partplan_floor(20170215, DW_PARTPLAN_QUARTER), 20170101);
	assert_int_equal(dw_partplan_floor(20170331, DW_PARTPLAN_QUARTER), 20170101);
	assert_int_equal(dw_partplan_floor(20170401, DW_PARTPLAN_QUARTER), 20170401);
	assert_int_equal(dw_partplan_floor(20170630, DW_PARTPLAN_QUARTER), 20170401);
	assert_int_equal(dw_partplan_floor(20170701, DW_PARTPLAN_QUARTER), 20170701);
	assert_int_equal(dw_partplan_floor(20170930, DW_PARTPLAN_QUARTER), 20170701);
	assert_int_equal(dw_partplan_floor(20171001, DW_PARTPLAN_QUARTER), 20171001);
	assert_int_equal(dw_partplan_floor(20171115, DW_PARTPLAN_QUARTER), 20171001);
	assert_int_equal(dw_partplan_floor(20171231, DW_PARTPLAN_QUARTER), 20171001);
	assert_int_equal(dw_partplan_floor(20261204, DW_PARTPLAN_QUARTER), 20261001);
}

static void test_floor_year(void **state)
{
	assert_int_equal(dw_partplan_floor(20170101, DW_PARTPLAN_YEAR), 20170101);
	assert_int_equal(dw_partplan_floor(20170615, DW_PARTPLAN_YEAR), 20170101);
	assert_int_equal(dw_partplan_floor(20171231, DW_PARTPLAN_YEAR), 20170101);
	assert_int_equal(dw_partplan_floor(20261204, DW_PARTPLAN_YEAR), 20260101);
}

static void test_add_month(void **state)
{
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_MONTH, 0), 20170101);
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_MONTH, 1), 20170201);
	assert_int_equal(dw_partplan_add(20171101, DW_PARTPLAN_MONTH, 1), 20171201);
	assert_int_equal(dw_partplan_add(20171201, DW_PARTPLAN_MONTH, 1), 20180101);
	assert_int_equal(dw_partplan_add(20171201, DW_PARTPLAN_MONTH, 2), 20180201);
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_MONTH, 12), 20180101);
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_MONTH, 126), 20270701);
	assert_int_equal(dw_partplan_add(20261201, DW_PARTPLAN_MONTH, 25), 20290101);
	/* backwards, across year boundaries */
	assert_int_equal(dw_partplan_add(20110101, DW_PARTPLAN_MONTH, -1), 20101201);
	assert_int_equal(dw_partplan_add(20110201, DW_PARTPLAN_MONTH, -1), 20110101);
	assert_int_equal(dw_partplan_add(20170301, DW_PARTPLAN_MONTH, -14), 20160101);
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_MONTH, -12), 20160101);
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_MONTH, -13), 20151201);
	assert_int_equal(dw_partplan_add(20261201, DW_PARTPLAN_MONTH, -120), 20161201);
}

static void test_add_quarter(void **state)
{
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_QUARTER, 1), 20170401);
	assert_int_equal(dw_partplan_add(20170401, DW_PARTPLAN_QUARTER, 1), 20170701);
	assert_int_equal(dw_partplan_add(20170701, DW_PARTPLAN_QUARTER, 1), 20171001);
	assert_int_equal(dw_partplan_add(20171001, DW_PARTPLAN_QUARTER, 1), 20180101);
	assert_int_equal(dw_partplan_add(20170401, DW_PARTPLAN_QUARTER, 4), 20180401);
	assert_int_equal(dw_partplan_add(20261001, DW_PARTPLAN_QUARTER, 3), 20270701);
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_QUARTER, -1), 20161001);
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_QUARTER, -5), 20151001);
	assert_int_equal(dw_partplan_add(20171001, DW_PARTPLAN_QUARTER, -3), 20170101);
}

static void test_add_year(void **state)
{
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_YEAR, 0), 20170101);
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_YEAR, 1), 20180101);
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_YEAR, 10), 20270101);
	assert_int_equal(dw_partplan_add(20170101, DW_PARTPLAN_YEAR, -3), 20140101);
	assert_int_equal(dw_partplan_add(20000101, DW_PARTPLAN_YEAR, -1), 19990101);
}

static void test_name(void **state)
{
	assert_name(20170101, DW_PARTPLAN_MONTH, "p201701");
	assert_name(20170201, DW_PARTPLAN_MONTH, "p201702");
	assert_name(20171001, DW_PARTPLAN_MONTH, "p201710");
	assert_name(20171201, DW_PARTPLAN_MONTH, "p201712");
	assert_name(20101201, DW_PARTPLAN_MONTH, "p201012");
	assert_name(20170101, DW_PARTPLAN_QUARTER, "p2017q1");
	assert_name(20170401, DW_PARTPLAN_QUARTER, "p2017q2");
	assert_name(20170701, DW_PARTPLAN_QUARTER, "p2017q3");
	assert_name(20171001, DW_PARTPLAN_QUARTER, "p2017q4");
	assert_name(20170101, DW_PARTPLAN_YEAR, "p2017");
	assert_name(20270101, DW_PARTPLAN_YEAR, "p2027");
}

static void test_name_truncated(void **state)
{
	char buf[4];

	dw_partplan_name(20170201, DW_PARTPLAN_MONTH, buf, sizeof buf);
	assert_string_equal(buf, "p20");
}

/* ---- the plan ----------------------------------------------------------- */

/* (1) p_before < 20110101, p201101..p201612, p_future; today 20261204,
 * premake 6: every month from 2017-01 to 2027-06 (126), none ahead yet. */
static void test_compute_catch_up(void **state)
{
	struct dw_partplan_policy p = policy(DW_PARTPLAN_MONTH, 6, 0, 24);
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan;

	month_layout(&l, 2011, 1, 2016, 12);
	assert_int_equal(l.n, 74);
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.nadd, 126);
	assert_int_equal(plan.add[0], 20170101);
	assert_int_equal(plan.add[1], 20170201);
	assert_int_equal(plan.add[11], 20171201);
	assert_int_equal(plan.add[12], 20180101);
	assert_int_equal(plan.add[125], 20270601);
	assert_month_adds(&plan, 2017, 1, 2027, 6);
	assert_int_equal(plan.future, 0);
	assert_int_equal(plan.nretire, 0);
	assert_int_equal(plan.horizon, 20290101);
	dw_partplan_plan_release(&plan);
	assert_null(plan.add);
	assert_int_equal(plan.nadd, 0);
	dw_partplan_layout_release(&l);
}

/* (2) A layout through p202706 needs nothing and has 6 partitions ahead
 * of today's period; computing again gives the same plan, and so does
 * computing on the layout that plan (1) leads to. */
static void test_compute_up_to_date(void **state)
{
	struct dw_partplan_policy p = policy(DW_PARTPLAN_MONTH, 6, 0, 24);
	struct dw_partplan_layout l, before, after;
	struct dw_partplan_plan plan, again;

	month_layout(&l, 2011, 1, 2027, 6);
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.nadd, 0);
	assert_int_equal(plan.future, 6);
	assert_int_equal(plan.nretire, 0);
	assert_int_equal(plan.horizon, 20290101);
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &again), 0);
	assert_int_equal(again.nadd, 0);
	assert_int_equal(again.future, 6);
	assert_int_equal(again.nretire, 0);
	assert_int_equal(again.horizon, plan.horizon);
	dw_partplan_plan_release(&again);
	dw_partplan_plan_release(&plan);

	/* later the same month and on the last day of it: still nothing */
	assert_int_equal(dw_partplan_compute(&p, &l, 20261231, 0, &plan), 0);
	assert_int_equal(plan.nadd, 0);
	assert_int_equal(plan.future, 6);
	dw_partplan_plan_release(&plan);
	/* a month later, one more period is due and one fewer is ahead */
	assert_int_equal(dw_partplan_compute(&p, &l, 20270102, 0, &plan), 0);
	assert_int_equal(plan.nadd, 1);
	assert_int_equal(plan.add[0], 20270701);
	assert_int_equal(plan.future, 5);
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&l);

	month_layout(&before, 2011, 1, 2016, 12);
	assert_int_equal(dw_partplan_compute(&p, &before, 20261204, 0, &plan), 0);
	apply_month_adds(&before, &plan, &after);
	assert_int_equal(after.n, 74 + 126);
	assert_string_equal(after.p[after.n - 2].name, "p202706");
	assert_int_equal(after.p[after.n - 2].bound, 20270701);
	assert_int_equal(after.p[after.n - 1].bound, DW_PARTPLAN_MAXVALUE);
	assert_int_equal(dw_partplan_compute(&p, &after, 20261204, 0, &again), 0);
	assert_int_equal(again.nadd, 0);
	assert_int_equal(again.future, 6);
	dw_partplan_plan_release(&again);
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&after);
	dw_partplan_layout_release(&before);
}

/* (3) A row of 2028-03-15 in the catch-all, within the horizon
 * (2029-01-01 for today 2026-12-04 and 24 months): periods up to its own. */
static void test_compute_newest_within_horizon(void **state)
{
	struct dw_partplan_policy p = policy(DW_PARTPLAN_MONTH, 6, 0, 24);
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan;

	month_layout(&l, 2011, 1, 2016, 12);
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 20280315, &plan), 0);
	assert_int_equal(plan.horizon, 20290101);
	assert_int_equal(plan.nadd, 135);
	assert_int_equal(plan.add[plan.nadd - 1], 20280301);
	assert_month_adds(&plan, 2017, 1, 2028, 3);
	dw_partplan_plan_release(&plan);

	/* a newest row inside premake's reach changes nothing */
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 20270210, &plan), 0);
	assert_month_adds(&plan, 2017, 1, 2027, 6);
	dw_partplan_plan_release(&plan);

	/* the last month before the horizon */
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 20281231, &plan), 0);
	assert_month_adds(&plan, 2017, 1, 2028, 12);
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&l);
}

/* (4) The caller passes 0 when every catch-all row lies at or beyond the
 * horizon: the plan is premake's alone. The horizon follows the policy's
 * months; no period starts at or past it even if a later newest is given. */
static void test_compute_horizon(void **state)
{
	struct dw_partplan_policy p = policy(DW_PARTPLAN_MONTH, 6, 0, 24);
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan;

	month_layout(&l, 2011, 1, 2016, 12);
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.horizon, 20290101);
	assert_month_adds(&plan, 2017, 1, 2027, 6);
	dw_partplan_plan_release(&plan);

	p.horizon = 18;   /* 2026-12 + 18 months = 2028-06, so rows from 2028-07-01 */
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.horizon, 20280701);
	assert_month_adds(&plan, 2017, 1, 2027, 6);
	dw_partplan_plan_release(&plan);

	p.horizon = 24;
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 20300515, &plan), 0);
	assert_int_equal(plan.horizon, 20290101);
	assert_month_adds(&plan, 2017, 1, 2028, 12);
	for (size_t i = 0; i < plan.nadd; i++)
		assert_true(plan.add[i] < plan.horizon);
	dw_partplan_plan_release(&plan);

	/* premake wins over a horizon shorter than it */
	p.horizon = 1;
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.horizon, 20270201);
	assert_month_adds(&plan, 2017, 1, 2027, 6);
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&l);
}

/* (5) 120 months back from 2026-12 is 2016-12-01: p201101..p201611 (whose
 * bound is 2016-12-01) go, oldest first, p201612 stays. */
static void test_compute_retention(void **state)
{
	struct dw_partplan_policy p = policy(DW_PARTPLAN_MONTH, 6, 120, 24);
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan;

	month_layout(&l, 2011, 1, 2027, 6);
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.nadd, 0);
	assert_int_equal(plan.nretire, 71);
	for (size_t i = 0; i < plan.nretire; i++)
		assert_int_equal(plan.retire[i], i + 1);
	assert_string_equal(l.p[plan.retire[0]].name, "p201101");
	assert_string_equal(l.p[plan.retire[70]].name, "p201611");
	assert_int_equal(l.p[plan.retire[70]].bound, 20161201);
	assert_string_equal(l.p[72].name, "p201612");
	dw_partplan_plan_release(&plan);

	/* the last day of the month keeps the same cutoff */
	assert_int_equal(dw_partplan_compute(&p, &l, 20261231, 0, &plan), 0);
	assert_int_equal(plan.nretire, 71);
	dw_partplan_plan_release(&plan);
	/* the next month retires p201612 too */
	assert_int_equal(dw_partplan_compute(&p, &l, 20270101, 0, &plan), 0);
	assert_int_equal(plan.nretire, 72);
	assert_int_equal(plan.retire[71], 72);
	dw_partplan_plan_release(&plan);

	p.retain = 0;   /* for ever */
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.nretire, 0);
	assert_null(plan.retire);
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&l);
}

/* Retention never retires the catch-alls, even when every period is old. */
static void test_compute_retention_keeps_catch_alls(void **state)
{
	struct dw_partplan_policy p = policy(DW_PARTPLAN_MONTH, 6, 12, 24);
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan;

	month_layout(&l, 2011, 1, 2016, 12);   /* indexes 0 .. 73 */
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.nretire, 72);
	assert_int_equal(plan.retire[0], 1);
	assert_int_equal(plan.retire[71], 72);
	for (size_t i = 0; i < plan.nretire; i++)
		assert_true(plan.retire[i] != 0 && plan.retire[i] != 73);
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&l);

	/* only the two catch-alls: nothing to retire, every month to add */
	{
		static const char *const names[] = { "p_before", "p_future" };
		static const long bounds[] = { 20110101, DW_PARTPLAN_MAXVALUE };

		layout_of(&l, names, bounds, 2);
		assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
		assert_int_equal(plan.nretire, 0);
		assert_int_equal(plan.future, 0);
		assert_month_adds(&plan, 2011, 1, 2027, 6);
		dw_partplan_plan_release(&plan);
		dw_partplan_layout_release(&l);
	}
}

/* (6) Quarters: an empty table gets p2017q1..p2017q3 (bounds 2017-04-01,
 * 07-01, 10-01) for today 2017-02-15 and premake 2. */
static void test_compute_quarter(void **state)
{
	static const char *const names[] = { "p_before", "p_future" };
	static const long bounds[] = { 20170101, DW_PARTPLAN_MAXVALUE };
	static const char *const want_names[] = { "p2017q1", "p2017q2", "p2017q3" };
	static const long want_start[] = { 20170101, 20170401, 20170701 };
	static const long want_bound[] = { 20170401, 20170701, 20171001 };
	struct dw_partplan_policy p = policy(DW_PARTPLAN_QUARTER, 2, 0, 24);
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan;
	char name[32];

	layout_of(&l, names, bounds, 2);
	assert_int_equal(dw_partplan_compute(&p, &l, 20170215, 0, &plan), 0);
	assert_int_equal(plan.nadd, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(plan.add[i], want_start[i]);
		dw_partplan_name(plan.add[i], p.interval, name, sizeof name);
		assert_string_equal(name, want_names[i]);
		assert_int_equal(dw_partplan_add(plan.add[i], p.interval, 1), want_bound[i]);
	}
	assert_int_equal(plan.future, 0);
	assert_int_equal(plan.horizon, 20190301);   /* 2017-02 + 24 months, next month */
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&l);
}

/* Quarters across a year end: a layout through p2027q4 on 2026-12-04 with
 * premake 2 (through 2027-06) needs nothing and has 4 quarters ahead. */
static void test_compute_quarter_ahead(void **state)
{
	static const char *const names[] = {
		"p_before", "p2026q3", "p2026q4", "p2027q1", "p2027q2", "p2027q3", "p2027q4",
		"p_future",
	};
	static const long bounds[] = {
		20260701, 20261001, 20270101, 20270401, 20270701, 20271001, 20280101,
		DW_PARTPLAN_MAXVALUE,
	};
	struct dw_partplan_policy p = policy(DW_PARTPLAN_QUARTER, 2, 0, 24);
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan;

	layout_of(&l, names, bounds, 8);
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.nadd, 0);
	assert_int_equal(plan.future, 4);
	dw_partplan_plan_release(&plan);

	/* premake 6 quarters: through 2028q2, so 2028q1 and 2028q2 */
	p.premake = 6;
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.nadd, 2);
	assert_int_equal(plan.add[0], 20280101);
	assert_int_equal(plan.add[1], 20280401);
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&l);
}

/* Years: p2017 only, today 2026-12-04, premake 2: 2018 to 2028. */
static void test_compute_year(void **state)
{
	static const char *const names[] = { "p_before", "p2017", "p_future" };
	static const long bounds[] = { 20170101, 20180101, DW_PARTPLAN_MAXVALUE };
	struct dw_partplan_policy p = policy(DW_PARTPLAN_YEAR, 2, 0, 24);
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan;
	char name[32];

	layout_of(&l, names, bounds, 3);
	assert_int_equal(dw_partplan_compute(&p, &l, 20261204, 0, &plan), 0);
	assert_int_equal(plan.nadd, 11);
	for (size_t i = 0; i < plan.nadd; i++)
		assert_int_equal(plan.add[i], (2018 + (long)i) * 10000 + 101);
	dw_partplan_name(plan.add[10], p.interval, name, sizeof name);
	assert_string_equal(name, "p2028");
	assert_int_equal(plan.future, 0);
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&l);
}

/* ---- the policy --------------------------------------------------------- */

static void assert_defaults(const struct dw_partplan_set *s)
{
	const struct dw_partplan_policy *p;

	assert_string_equal(s->source, "built-in defaults");
	assert_int_equal(s->n, 3);
	p = &s->t[0];
	assert_string_equal(p->table, "fact_sales");
	assert_string_equal(p->column, "order_date_key");
	assert_int_equal(p->interval, DW_PARTPLAN_MONTH);
	assert_int_equal(p->premake, 6);
	assert_int_equal(p->retain, 0);
	assert_int_equal(p->horizon, 24);
	assert_string_equal(p->archive, "");
	assert_int_equal(p->nkey, 2);
	assert_string_equal(p->key[0], "order_id");
	assert_string_equal(p->key[1], "product_id");
	p = &s->t[1];
	assert_string_equal(p->table, "fact_return");
	assert_string_equal(p->column, "order_date_key");
	assert_int_equal(p->interval, DW_PARTPLAN_MONTH);
	assert_int_equal(p->premake, 6);
	assert_int_equal(p->retain, 0);
	assert_int_equal(p->horizon, 24);
	assert_string_equal(p->archive, "");
	assert_int_equal(p->nkey, 1);
	assert_string_equal(p->key[0], "order_id");
	p = &s->t[2];
	assert_string_equal(p->table, "dw_tune_stat");
	assert_string_equal(p->column, "snap_day");
	assert_int_equal(p->interval, DW_PARTPLAN_MONTH);
	assert_int_equal(p->premake, 2);
	assert_int_equal(p->retain, 0);
	assert_int_equal(p->nkey, 2);
	assert_string_equal(p->key[0], "snap_id");
	assert_string_equal(p->key[1], "digest");
}

static void test_load_defaults(void **state)
{
	static const char *const texts[] = {
		"warehouse:\n  host: wh.example\n  port: 3307\netl:\n  safety_lag: 5s\n",
		"",
		"# only a comment\n",
	};
	struct dw_partplan_set s;
	struct dw_err err;

	dw_err_clear(&err);
	assert_int_equal(dw_partplan_load(&s, NULL, &err), 0);
	assert_defaults(&s);
	dw_partplan_free(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.t);
	assert_null(s.source);

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		dw_err_clear(&err);
		if (dw_partplan_load(&s, write_tmpfile(texts[i]), &err) != 0)
			fail_msg("'%s' failed: %s", texts[i], err.msg);
		assert_int_equal(err.code, 0);
		assert_defaults(&s);
		dw_partplan_free(&s);
	}
}

static void test_load_section(void **state)
{
	const char *path = write_tmpfile(
		"warehouse:\n"
		"  host: wh.example\n"
		"partition:\n"
		"  fact_sales: {column: order_date_key, interval: quarter, premake: 4,"
		" retain: 10y, horizon: 18m, archive: /tmp/a}\n"
		"  fact_return:\n"
		"    column: return_date_key\n"
		"    interval: year\n"
		"    retain: none\n"
		"    key: [order_id, line_no]\n");
	const struct dw_partplan_policy *p;
	struct dw_partplan_set s;
	struct dw_err err;

	dw_err_clear(&err);
	if (dw_partplan_load(&s, path, &err) != 0)
		fail_msg("load failed: %s", err.msg);
	assert_string_equal(s.source, path);
	assert_int_equal(s.n, 2);
	p = &s.t[0];
	assert_string_equal(p->table, "fact_sales");
	assert_string_equal(p->column, "order_date_key");
	assert_int_equal(p->interval, DW_PARTPLAN_QUARTER);
	assert_int_equal(p->premake, 4);
	assert_int_equal(p->retain, 120);
	assert_int_equal(p->horizon, 18);
	assert_string_equal(p->archive, "/tmp/a");
	assert_int_equal(p->nkey, 0);
	assert_int_equal(p->line, 4);
	p = &s.t[1];
	assert_string_equal(p->table, "fact_return");
	assert_string_equal(p->column, "return_date_key");
	assert_int_equal(p->interval, DW_PARTPLAN_YEAR);
	assert_int_equal(p->premake, 6);
	assert_int_equal(p->retain, 0);
	assert_int_equal(p->horizon, 24);
	assert_string_equal(p->archive, "");
	assert_int_equal(p->nkey, 2);
	assert_string_equal(p->key[0], "order_id");
	assert_string_equal(p->key[1], "line_no");
	assert_int_equal(p->line, 6);
	dw_partplan_free(&s);
}

static void test_load_units(void **state)
{
	static const struct {
		const char *yaml;
		int retain, horizon;
	} cases[] = {
		{ "{column: d, retain: 24m, horizon: 1y}", 24, 12 },
		{ "{column: d, retain: 8q, horizon: 2q}", 24, 6 },
		{ "{column: d, retain: 1y, horizon: 1m}", 12, 1 },
		{ "{column: d, retain: 1200m, horizon: \"100y\"}", 1200, 1200 },
		{ "{column: d, retain: none}", 0, 24 },
		{ "{column: d}", 0, 24 },
	};
	struct dw_partplan_set s;
	struct dw_err err;
	char yaml[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(yaml, sizeof yaml, "partition:\n  t: %s\n", cases[i].yaml);
		dw_err_clear(&err);
		if (dw_partplan_load(&s, write_tmpfile(yaml), &err) != 0)
			fail_msg("'%s' failed: %s", cases[i].yaml, err.msg);
		assert_int_equal(s.n, 1);
		assert_int_equal(s.t[0].retain, cases[i].retain);
		assert_int_equal(s.t[0].horizon, cases[i].horizon);
		dw_partplan_free(&s);
		remove(tmp_paths[--ntmp]);
	}
}

static void test_load_errors(void **state)
{
	struct dw_err err;

	load_fails("partition:\n"
		   "  fact_sales:\n"
		   "    column: order_date_key\n"
		   "    premak: 4\n", 4, "unknown key 'premak' in partition.fact_sales", &err);
	assert_contains(err.hint, "premake");
	load_fails("partition:\n"
		   "  fact_sales:\n"
		   "    column: order_date_key\n"
		   "    interval: weekly\n", 4, "partition.fact_sales: interval must be month, "
		   "quarter or year", &err);
	load_fails("partition:\n"
		   "  fact_sales:\n"
		   "    column: order_date_key\n"
		   "    retain: 10x\n", 4, "retain must be", &err);
	assert_contains(err.msg, "'10x'");
	load_fails("partition:\n"
		   "  fact_sales:\n"
		   "    column: order_date_key\n"
		   "    premake: -1\n", 4, "premake must be a whole number from 0 to 120", &err);
	assert_contains(err.msg, "'-1'");
	load_fails("partition:\n"
		   "  fact_sales:\n"
		   "    interval: month\n"
		   "    premake: 2\n", 3, "partition.fact_sales: 'column' is missing", &err);
	load_fails("partition:\n"
		   "  fact_sales: {interval: month}\n", 2, "'column' is missing", &err);
}

static void test_load_more_errors(void **state)
{
	static const struct {
		const char *text;
		int line;
		const char *what;
	} cases[] = {
		{ "partition:\n  t:\n    column: d\n    premake: 121\n", 4, "from 0 to 120" },
		{ "partition:\n  t:\n    column: d\n    premake: 2x\n", 4, "'2x'" },
		{ "partition:\n  t:\n    column: d\n    retain: 0m\n", 4, "retain must be" },
		{ "partition:\n  t:\n    column: d\n    retain: 10\n", 4, "retain must be" },
		{ "partition:\n  t:\n    column: d\n    retain: 1201m\n", 4, "retain must be" },
		{ "partition:\n  t:\n    column: d\n    horizon: none\n", 4, "horizon must be" },
		{ "partition:\n  t:\n    column: d\n    horizon: 0m\n", 4, "horizon must be" },
		{ "partition:\n  t:\n    column: d\n    interval: Month\n", 4, "interval must be" },
		{ "partition:\n  t:\n    column: d\n    key: order_id\n", 4, "must be a list" },
		{ "partition:\n  t:\n    column: Order-Date\n", 3, "is not a valid name" },
		{ "partition:\n  t:\n    column: \"\"\n", 3, "'column' is empty" },
		{ "partition:\n  t: [column]\n", 2, "partition.t must be a mapping" },
		{ "partition:\n  t: {column: a}\n  t: {column: b}\n", 3, "duplicate key 't'" },
		{ "partition: [fact_sales]\n", 1, "partition must be a mapping" },
	};
	struct dw_err err;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		load_fails(cases[i].text, cases[i].line, cases[i].what, &err);
		remove(tmp_paths[--ntmp]);
	}
}

/* Table names and key columns are checked as names (a bug once: the
 * literal words "table" and "key" were checked instead). */
static void test_load_bad_table_name(void **state)
{
	struct dw_err err;

	load_fails("partition:\n"
		   "  Fact-Sales: {column: order_date_key}\n", 2,
		   "partition: 'Fact-Sales' is not a valid name", &err);
}

/* The same, for the columns under key. */
static void test_load_bad_key_name(void **state)
{
	struct dw_err err;

	load_fails("partition:\n"
		   "  fact_sales:\n"
		   "    column: order_date_key\n"
		   "    key: [order_id, \"Product ID\"]\n", 4,
		   "partition.fact_sales: 'Product ID' is not a valid name", &err);
}

static void test_load_nested_key(void **state)
{
	struct dw_err err;

	load_fails("partition:\n"
		   "  fact_sales:\n"
		   "    column: order_date_key\n"
		   "    key: [[order_id, product_id]]\n", 4,
		   "partition.fact_sales: each key column must be a single name", &err);
}

static void test_load_unreadable(void **state)
{
	struct dw_partplan_set s;
	struct dw_err err;

	dw_err_clear(&err);
	assert_int_equal(dw_partplan_load(&s, "/nonexistent/dw-test/dw.yaml", &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_contains(err.msg, "/nonexistent/dw-test/dw.yaml");
	dw_partplan_free(&s);
}

static void test_find(void **state)
{
	struct dw_partplan_set s;
	struct dw_err err;

	dw_err_clear(&err);
	assert_int_equal(dw_partplan_load(&s, NULL, &err), 0);
	assert_ptr_equal(dw_partplan_find(&s, "fact_sales"), &s.t[0]);
	assert_ptr_equal(dw_partplan_find(&s, "fact_return"), &s.t[1]);
	assert_null(dw_partplan_find(&s, "dim_date"));
	assert_null(dw_partplan_find(&s, "fact_sale"));
	assert_null(dw_partplan_find(&s, "fact_sales_x"));
	assert_null(dw_partplan_find(&s, ""));
	dw_partplan_free(&s);
	assert_null(dw_partplan_find(&s, "fact_sales"));   /* an emptied set */

	assert_int_equal(dw_partplan_load(&s, write_tmpfile(
		"partition:\n  fact_return: {column: d}\n"), &err), 0);
	assert_null(dw_partplan_find(&s, "fact_sales"));
	assert_ptr_equal(dw_partplan_find(&s, "fact_return"), &s.t[0]);
	dw_partplan_free(&s);
}

/* ---- today -------------------------------------------------------------- */

static void test_today(void **state)
{
	long t;

	setenv("DW_TODAY", "2026-12-04", 1);
	assert_int_equal(dw_partplan_today(), 20261204);
	setenv("DW_TODAY", "2011-01-31", 1);
	assert_int_equal(dw_partplan_today(), 20110131);
	unsetenv("DW_TODAY");
	t = dw_partplan_today();   /* the clock: some plausible day */
	assert_true(t >= 20240101 && t < 21000101);
	assert_in_range(t / 100 % 100, 1, 12);
	assert_in_range(t % 100, 1, 31);
}

/* Lengths of time as --older-than reads them, and bounds as SQL. */
static void test_months_and_bounds(void **state)
{
	struct dw_partplan_layout l = { .dates = 0 };
	char b[32];
	int m = -1;

	assert_int_equal(dw_partplan_months("10y", &m), 0);
	assert_int_equal(m, 120);
	assert_int_equal(dw_partplan_months("8q", &m), 0);
	assert_int_equal(m, 24);
	assert_int_equal(dw_partplan_months("24m", &m), 0);
	assert_int_equal(m, 24);
	assert_int_equal(dw_partplan_months("none", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(dw_partplan_months("5x", &m), -1);
	assert_int_equal(dw_partplan_months("0y", &m), -1);
	assert_int_equal(dw_partplan_months("1201m", &m), -1);
	assert_int_equal(dw_partplan_months("10y ", &m), -1);
	assert_int_equal(dw_partplan_months("", &m), -1);
	dw_partplan_bound_sql(&l, 20150601, b, sizeof b);
	assert_string_equal(b, "20150601");
	l.dates = 1;
	dw_partplan_bound_sql(&l, 20150601, b, sizeof b);
	assert_string_equal(b, "'2015-06-01'");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_floor_month),
		T(test_floor_quarter),
		T(test_floor_year),
		T(test_add_month),
		T(test_add_quarter),
		T(test_add_year),
		T(test_name),
		T(test_name_truncated),
		T(test_compute_catch_up),
		T(test_compute_up_to_date),
		T(test_compute_newest_within_horizon),
		T(test_compute_horizon),
		T(test_compute_retention),
		T(test_compute_retention_keeps_catch_alls),
		T(test_compute_quarter),
		T(test_compute_quarter_ahead),
		T(test_compute_year),
		T(test_load_defaults),
		T(test_load_section),
		T(test_load_units),
		T(test_load_errors),
		T(test_load_more_errors),
		T(test_load_bad_table_name),
		T(test_load_bad_key_name),
		T(test_load_nested_key),
		T(test_load_unreadable),
		T(test_find),
		T(test_today),
		T(test_months_and_bounds),
	};
#undef T

	return cmocka_run_group_tests_name("partplan", tests, NULL, NULL);
}
