/* The partition policy and planner. Dates are YYYYMMDD longs throughout;
 * a period is named by its first day. */
#include "partplan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "log.h"
#include "ydoc.h"

/* The shipped model's facts, by month of order date, and dw-tune's
 * snapshots of statement digests, the control table that grows fastest. */
static const char default_policy[] =
	"partition:\n"
	"  fact_sales: {column: order_date_key, interval: month, key: [order_id, product_id]}\n"
	"  fact_return: {column: order_date_key, interval: month, key: [order_id]}\n"
	"  dw_tune_stat: {column: snap_day, interval: month, premake: 2,"
	" key: [snap_id, digest]}\n";

/* ---- periods ---- */

static long ymd(long y, long m, long d)
{
	return y * 10000 + m * 100 + d;
}

long dw_partplan_floor(long date, enum dw_partplan_interval iv)
{
	long y = date / 10000, m = date / 100 % 100;

	return ymd(y, (m - 1) / iv * iv + 1, 1);
}

long dw_partplan_add(long start, enum dw_partplan_interval iv, int n)
{
	long months = start / 10000 * 12 + (start / 100 % 100 - 1) + (long)n * iv;

	return ymd(months / 12, months % 12 + 1, 1);
}

void dw_partplan_name(long start, enum dw_partplan_interval iv, char *buf, size_t n)
{
	long y = start / 10000, m = start / 100 % 100;

	if (iv == DW_PARTPLAN_MONTH)
		snprintf(buf, n, "p%04ld%02ld", y, m);
	else if (iv == DW_PARTPLAN_QUARTER)
		snprintf(buf, n, "p%04ldq%ld", y, (m - 1) / 3 + 1);
	else
		snprintf(buf, n, "p%04ld", y);
}

long dw_partplan_today(void)
{
	const char *t = getenv("DW_TODAY");
	int y, m, d;
	time_t now = time(NULL);
	struct tm tm;

	if (t && sscanf(t, "%4d-%2d-%2d", &y, &m, &d) == 3)
		return ymd(y, m, d);
	gmtime_r(&now, &tm);
	return ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- policy ---- */

int dw_partplan_months(const char *s, int *out)
{
	char unit = 0;
	int n = 0, len = 0;

	if (!strcmp(s, "none")) {
		*out = 0;
		return 0;
	}
	if (sscanf(s, "%d%c%n", &n, &unit, &len) != 2 || s[len] || n <= 0 || n > 1200)
		return -1;
	*out = unit == 'y' ? 12 * n : unit == 'q' ? 3 * n : unit == 'm' ? n : -1;
	return *out < 0 ? -1 : 0;
}

static int get_months(struct dw_ydoc *y, yaml_node_t *map, const char *where, const char *key,
		      int none_ok, int *out)
{
	yaml_node_t *v = dw_ydoc_value(y, map, key);
	char *s = NULL;
	int rc;

	if (!v)
		return 0;
	if (dw_ydoc_scalar(y, v, where, key, &s) < 0)
		return -1;
	rc = dw_partplan_months(s, out);
	if (rc == 0 && !none_ok && !*out)
		rc = -1;
	if (rc < 0)
		dw_ydoc_fail(y, v, "%s: %s must be a count of months, quarters or years such as "
			     "24m, 8q or 10y%s, not '%s'", where, key, none_ok ? ", or none" : "", s);
	free(s);
	return rc;
}

static int get_int(struct dw_ydoc *y, yaml_node_t *map, const char *where, const char *key,
		   int lo, int hi, int *out)
{
	yaml_node_t *v = dw_ydoc_value(y, map, key);
	char *s = NULL, *end;
	long n;

	if (!v)
		return 0;
	if (dw_ydoc_scalar(y, v, where, key, &s) < 0)
		return -1;
	n = strtol(s, &end, 10);
	if (*end || end == s || n < lo || n > hi) {
		dw_ydoc_fail(y, v, "%s: %s must be a whole number from %d to %d, not '%s'", where,
			     key, lo, hi, s);
		free(s);
		return -1;
	}
	free(s);
	*out = (int)n;
	return 0;
}

static int get_interval(struct dw_ydoc *y, yaml_node_t *map, const char *where,
			struct dw_partplan_policy *p)
{
	static const char *const names[] = { "month", "quarter", "year" };
	static const enum dw_partplan_interval ivs[] = { DW_PARTPLAN_MONTH, DW_PARTPLAN_QUARTER,
							 DW_PARTPLAN_YEAR };
	yaml_node_t *v = dw_ydoc_value(y, map, "interval");

	if (!v)
		return 0;
	for (int i = 0; i < 3; i++)
		if (v->type == YAML_SCALAR_NODE && !strcmp(dw_ydoc_text(v), names[i])) {
			p->interval = ivs[i];
			return 0;
		}
	dw_ydoc_fail(y, v, "%s: interval must be month, quarter or year", where);
	if (v->type == YAML_SCALAR_NODE)
		dw_ydoc_hint_closest(y, dw_ydoc_text(v), names, 3);
	return -1;
}

static int get_key(struct dw_ydoc *y, yaml_node_t *map, const char *where,
		   struct dw_partplan_policy *p)
{
	yaml_node_t *v = dw_ydoc_value(y, map, "key");
	yaml_node_item_t *it;

	if (!v)
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return dw_ydoc_fail(y, v, "%s: key must be a list of columns", where);
	if (!(p->key = calloc((size_t)(v->data.sequence.items.top - v->data.sequence.items.start) + 1,
			      sizeof *p->key)))
		return dw_ydoc_oom(y);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *e = dw_ydoc_node(y, *it);

		if (e->type != YAML_SCALAR_NODE)
			return dw_ydoc_fail(y, e, "%s: each key column must be a single name", where);
		if (dw_ydoc_check_name(y, e, where, dw_ydoc_text(e)) < 0 ||
		    dw_ydoc_dup(y, dw_ydoc_text(e), &p->key[p->nkey]) < 0)
			return -1;
		p->nkey++;
	}
	return 0;
}

static int parse_table(struct dw_ydoc *y, const char *table, yaml_node_t *map,
		       struct dw_partplan_policy *p)
{
	static const char *const keys[] = { "column", "interval", "premake", "retain", "horizon",
					    "archive", "key", NULL };
	char where[128];

	snprintf(where, sizeof where, "partition.%s", table);
	*p = (struct dw_partplan_policy){ .interval = DW_PARTPLAN_MONTH, .premake = 6,
					  .horizon = 24, .line = dw_ydoc_line(map) };
	if (map->type != YAML_MAPPING_NODE)
		return dw_ydoc_fail(y, map, "%s must be a mapping", where);
	if (dw_ydoc_dup(y, table, &p->table) < 0 || dw_ydoc_check_mapping(y, map, where, keys) < 0 ||
	    dw_ydoc_get_name(y, map, where, "column", &p->column) < 0 ||
	    get_interval(y, map, where, p) < 0 ||
	    get_int(y, map, where, "premake", 0, 120, &p->premake) < 0 ||
	    get_months(y, map, where, "retain", 1, &p->retain) < 0 ||
	    get_months(y, map, where, "horizon", 0, &p->horizon) < 0 ||
	    get_key(y, map, where, p) < 0 ||
	    dw_ydoc_get_text(y, map, where, "archive", 0, &p->archive) < 0)
		return -1;
	return 0;
}

static int parse_text(struct dw_partplan_set *s, const char *text, const char *name, int *found,
		      struct dw_err *err)
{
	struct dw_ydoc y = { .name = name, .err = err };
	yaml_node_t *root, *sec;
	yaml_node_pair_t *pr;
	int rc = 0;

	*found = 0;
	if (dw_ydoc_parse(&y, text, strlen(text), NULL) < 0)
		return -1;
	root = dw_ydoc_root(&y);
	sec = root && root->type == YAML_MAPPING_NODE ? dw_ydoc_value(&y, root, "partition") : NULL;
	if (sec && dw_ydoc_check_mapping(&y, sec, "partition", NULL) < 0)
		rc = -1;
	*found = sec != NULL;
	for (pr = sec && rc == 0 ? sec->data.mapping.pairs.start : NULL;
	     pr && pr < sec->data.mapping.pairs.top && rc == 0; pr++) {
		yaml_node_t *k = dw_ydoc_node(&y, pr->key), *v = dw_ydoc_node(&y, pr->value);
		struct dw_partplan_policy *t = realloc(s->t, (s->n + 1) * sizeof *t);

		if (!t) {
			rc = dw_ydoc_oom(&y);
			break;
		}
		s->t = t;
		rc = dw_ydoc_check_name(&y, k, "partition", dw_ydoc_text(k));
		if (rc == 0) {
			rc = parse_table(&y, dw_ydoc_text(k), v, &s->t[s->n]);
			s->n++;
		}
	}
	dw_ydoc_free(&y);
	return rc;
}

int dw_partplan_load(struct dw_partplan_set *s, const char *config_path, struct dw_err *err)
{
	char *text = NULL;
	int found = 0, rc = 0;

	memset(s, 0, sizeof *s);
	if (config_path && dw_ydoc_read_file(config_path, "configuration", &text, err) < 0)
		return -1;
	if (text)
		rc = parse_text(s, text, config_path, &found, err);
	free(text);
	if (rc == 0 && !(s->source = strdup(found ? config_path : "built-in defaults")))
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (rc == 0 && !found)
		rc = parse_text(s, default_policy, "built-in defaults", &found, err);
	return rc;
}

void dw_partplan_free(struct dw_partplan_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct dw_partplan_policy *p = &s->t[i];

		free(p->table), free(p->column), free(p->archive);
		for (size_t k = 0; k < p->nkey; k++)
			free(p->key[k]);
		free(p->key);
	}
	free(s->t);
	free(s->source);
	memset(s, 0, sizeof *s);
}

const struct dw_partplan_policy *dw_partplan_find(const struct dw_partplan_set *s,
						  const char *table)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->t[i].table, table))
			return &s->t[i];
	return NULL;
}

/* ---- a table's partitions ---- */

/* A partition bound as the server describes it: 20170201, '2017-02-01' or
 * MAXVALUE. -1 when it is none of these. */
static long parse_bound(const char *s)
{
	int y, m, d, len = 0;
	long v;
	char *end;

	if (!s)
		return -1;
	if (!strcmp(s, "MAXVALUE"))
		return DW_PARTPLAN_MAXVALUE;
	if (sscanf(s, "'%4d-%2d-%2d'%n", &y, &m, &d, &len) == 3 && !s[len])
		return ymd(y, m, d);
	v = strtol(s, &end, 10);
	return *end || end == s || v < 0 ? -1 : v;
}

static int add_part(struct dw_partplan_layout *l, struct dw_rows *rows, struct dw_err *err)
{
	struct dw_partplan_part *p = realloc(l->p, (l->n + 1) * sizeof *p), *q;
	const char *desc = dw_rows_value(rows, 1);

	if (!p)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	l->p = p;
	q = &p[l->n];
	memset(q, 0, sizeof *q);
	snprintf(q->name, sizeof q->name, "%s", dw_rows_value(rows, 0) ? dw_rows_value(rows, 0) : "");
	q->bound = parse_bound(desc);
	q->from = l->n ? p[l->n - 1].bound : 0;
	q->rows = atoll(dw_rows_value(rows, 2) ? dw_rows_value(rows, 2) : "0");
	q->data = atoll(dw_rows_value(rows, 3) ? dw_rows_value(rows, 3) : "0");
	q->index = atoll(dw_rows_value(rows, 4) ? dw_rows_value(rows, 4) : "0");
	l->dates = l->dates || (dw_rows_value(rows, 5) && strstr(dw_rows_value(rows, 5), "COLUMNS"));
	l->n++;
	if (q->bound < 0 || q->bound <= q->from)
		return dw_err_set(err, DW_EX_CONFIG, "%s: partition %s: bound '%s' is not a date "
				  "after the one before", l->table, q->name, desc ? desc : "NULL");
	return 0;
}

/* 0 when the table is partitioned by column (the server writes the
 * expression with backquotes), else -1 with err. */
static int same_column(const struct dw_partplan_layout *l, const char *expr, const char *column,
		       struct dw_err *err)
{
	char bare[128];
	size_t n = 0;

	for (const char *p = expr ? expr : ""; *p && n + 1 < sizeof bare; p++)
		if (*p != '`')
			bare[n++] = *p;
	bare[n] = '\0';
	if (!strcasecmp(bare, column))
		return 0;
	return dw_err_set(err, DW_EX_CONFIG, "table '%s' is partitioned by %s, not by %s as its "
			  "policy says", l->table, *bare ? bare : "nothing", column);
}

int dw_partplan_read(struct dw_db *my, const char *table, const char *column,
		     struct dw_partplan_layout *l, struct dw_err *err)
{
	const char *params[] = { table };
	char expr[128] = "";
	struct dw_rows *rows;
	int rc;

	memset(l, 0, sizeof *l);
	snprintf(l->table, sizeof l->table, "%s", table);
	rows = dw_db_query(my, "SELECT PARTITION_NAME, PARTITION_DESCRIPTION, TABLE_ROWS, "
			   "DATA_LENGTH, INDEX_LENGTH, PARTITION_METHOD, PARTITION_EXPRESSION "
			   "FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() "
			   "AND TABLE_NAME = ? ORDER BY PARTITION_ORDINAL_POSITION", 1, params, err);
	if (!rows)
		return -1;
	while ((rc = dw_rows_next(rows, err)) == 1 && dw_rows_value(rows, 0)) {
		snprintf(expr, sizeof expr, "%s", dw_rows_value(rows, 6) ? dw_rows_value(rows, 6) : "");
		if ((rc = add_part(l, rows, err)) < 0)
			break;
	}
	dw_rows_free(rows);
	if (rc < 0)
		return -1;
	if (l->n < 2 || l->p[l->n - 1].bound != DW_PARTPLAN_MAXVALUE) {
		dw_err_set(err, DW_EX_CONFIG, "table '%s' is not RANGE partitioned with a catch-all "
			   "first and one VALUES LESS THAN MAXVALUE last", table);
		dw_err_hint(err, "dw-partition manages such tables (dw-partition(1)); "
			    "dw-etl init creates the shipped ones so");
		return -1;
	}
	return column ? same_column(l, expr, column, err) : 0;
}

void dw_partplan_layout_release(struct dw_partplan_layout *l)
{
	free(l->p);
	l->p = NULL, l->n = 0;
}

/* ---- the plan ---- */

static long min_l(long a, long b)
{
	return a < b ? a : b;
}

static long max_l(long a, long b)
{
	return a > b ? a : b;
}

int dw_partplan_compute(const struct dw_partplan_policy *p, const struct dw_partplan_layout *l,
			long today, long newest, struct dw_partplan_plan *plan)
{
	long cur = dw_partplan_floor(today, p->interval), next = dw_partplan_add(cur, p->interval, 1);
	long last = l->p[l->n - 2].bound, want = dw_partplan_add(cur, p->interval, p->premake + 1);
	long cutoff = dw_partplan_add(dw_partplan_floor(today, DW_PARTPLAN_MONTH), DW_PARTPLAN_MONTH,
				      -p->retain);

	memset(plan, 0, sizeof *plan);
	plan->horizon = dw_partplan_add(dw_partplan_floor(today, DW_PARTPLAN_MONTH),
					DW_PARTPLAN_MONTH, p->horizon + 1);
	if (newest)
		want = max_l(want, dw_partplan_add(dw_partplan_floor(newest, p->interval),
						   p->interval, 1));
	want = max_l(min_l(want, plan->horizon), dw_partplan_add(cur, p->interval, p->premake + 1));
	for (size_t i = 1; i + 1 < l->n; i++)
		plan->future += l->p[i].from >= next;
	for (long s = dw_partplan_floor(last, p->interval) < last
		      ? dw_partplan_floor(last, p->interval) : last;
	     s < want; s = dw_partplan_add(s, p->interval, 1)) {
		long *a = realloc(plan->add, (plan->nadd + 1) * sizeof *a);

		if (!a)
			return -1;
		plan->add = a;
		plan->add[plan->nadd++] = s;
	}
	for (size_t i = 1; p->retain && i + 1 < l->n && l->p[i].bound <= cutoff; i++) {
		size_t *r = realloc(plan->retire, (plan->nretire + 1) * sizeof *r);

		if (!r)
			return -1;
		plan->retire = r;
		plan->retire[plan->nretire++] = i;
	}
	return 0;
}

void dw_partplan_plan_release(struct dw_partplan_plan *plan)
{
	free(plan->add);
	free(plan->retire);
	memset(plan, 0, sizeof *plan);
}

void dw_partplan_bound_sql(const struct dw_partplan_layout *l, long b, char *buf, size_t n)
{
	if (l->dates)
		snprintf(buf, n, "'%04ld-%02ld-%02ld'", b / 10000, b / 100 % 100, b % 100);
	else
		snprintf(buf, n, "%ld", b);
}

char *dw_partplan_split_sql(struct dw_db *my, const struct dw_partplan_layout *l,
			    const struct dw_partplan_policy *p, const struct dw_partplan_plan *plan,
			    int *oom)
{
	const struct dw_partplan_part *last = &l->p[l->n - 1];
	char *t = dw_db_quote_ident(my, l->table), *c = dw_db_quote_ident(my, last->name), *sql;
	size_t n = 256 + (plan->nadd + 1) * 96, len;

	*oom = 0;
	if (!plan->nadd || !t || !c || !(sql = malloc(n))) {
		*oom = plan->nadd > 0;
		free(t), free(c);
		return NULL;
	}
	len = (size_t)snprintf(sql, n, "ALTER TABLE %s REORGANIZE PARTITION %s INTO (", t, c);
	for (size_t i = 0; i < plan->nadd; i++) {
		char name[32], b[32];

		dw_partplan_name(plan->add[i], p->interval, name, sizeof name);
		dw_partplan_bound_sql(l, dw_partplan_add(plan->add[i], p->interval, 1), b, sizeof b);
		len += (size_t)snprintf(sql + len, n - len, "PARTITION %s VALUES LESS THAN (%s), ",
					name, b);
	}
	snprintf(sql + len, n - len, "PARTITION %s VALUES LESS THAN MAXVALUE)", c);
	free(t), free(c);
	return sql;
}

int dw_partplan_catchall(struct dw_db *my, const struct dw_partplan_policy *p,
			 const struct dw_partplan_layout *l, long horizon, long *newest,
			 long long *in_range, long long *beyond, struct dw_err *err)
{
	char *t = dw_db_quote_ident(my, l->table), *part = dw_db_quote_ident(my, l->p[l->n - 1].name);
	char *c = dw_db_quote_ident(my, p->column), sql[1024], h[32];
	const char *params[] = { h, h, h };
	struct dw_rows *rows = NULL;
	int rc = -1;

	dw_partplan_bound_sql(l, horizon, h, sizeof h);
	if (l->dates)   /* a parameter, without the quotes */
		memmove(h, h + 1, strlen(h)), h[strlen(h) - 1] = '\0';
	if (t && part && c) {
		snprintf(sql, sizeof sql, "SELECT %s(MAX(CASE WHEN %s < ? THEN %s END)%s), "
			 "COALESCE(SUM(%s < ?), 0), COALESCE(SUM(%s >= ?), 0) FROM %s PARTITION (%s)",
			 l->dates ? "DATE_FORMAT" : "", c, c, l->dates ? ", '%Y%m%d'" : "", c, c, t,
			 part);
		rows = dw_db_query(my, sql, 3, params, err);
	} else {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	if (rows && (rc = dw_rows_next(rows, err)) == 1) {
		*newest = dw_rows_value(rows, 0) ? atol(dw_rows_value(rows, 0)) : 0;
		*in_range = atoll(dw_rows_value(rows, 1));
		*beyond = atoll(dw_rows_value(rows, 2));
		rc = 0;
	}
	dw_rows_free(rows);
	free(t), free(part), free(c);
	return rc < 0 ? -1 : 0;
}

int dw_partplan_apply(struct dw_db *my, const struct dw_partplan_policy *p, long today,
		      int dry_run, struct dw_partplan_done *d, struct dw_err *err)
{
	struct dw_partplan_layout l;
	struct dw_partplan_plan plan = { 0 };
	long newest = 0;
	long long in_range = 0;
	int rc, oom = 0;

	memset(d, 0, sizeof *d);
	rc = dw_partplan_read(my, p->table, p->column, &l, err);
	if (rc == 0 && dw_partplan_compute(p, &l, today, 0, &plan) < 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (rc == 0)
		rc = dw_partplan_catchall(my, p, &l, plan.horizon, &newest, &in_range, &d->beyond,
					  err);
	if (rc == 0 && newest) {
		dw_partplan_plan_release(&plan);
		if (dw_partplan_compute(p, &l, today, newest, &plan) < 0)
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	if (rc == 0 && (d->sql = dw_partplan_split_sql(my, &l, p, &plan, &oom))) {
		double t0 = dw_log_clock();

		d->added = plan.nadd, d->moved = in_range;
		d->first = plan.add[0], d->last = plan.add[plan.nadd - 1];
		if (!dry_run && dw_db_exec(my, d->sql, 0, NULL, err) < 0) {
			dw_err_prefix(err, "splitting %s", p->table);
			rc = -1;
		}
		d->seconds = dw_log_clock() - t0;
	} else if (rc == 0 && oom) {
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	dw_partplan_plan_release(&plan);
	dw_partplan_layout_release(&l);
	return rc;
}

int dw_partplan_lock(struct dw_db *my, int wait_s, struct dw_err *err)
{
	char w[16], *got = NULL;
	const char *params[] = { w };
	int ok;

	snprintf(w, sizeof w, "%d", wait_s);
	if (dw_db_query_value(my, "SELECT GET_LOCK(CONCAT('dw-partition ', DATABASE()), ?)", 1,
			      params, &got, err) < 0)
		return -1;
	ok = got && !strcmp(got, "1");
	free(got);
	if (!ok) {
		dw_err_set(err, DW_EX_TEMPFAIL, "another dw-partition is running on '%s'",
			   dw_db_label(my));
		dw_err_hint(err, "try again when it has finished");
	}
	return ok ? 0 : -1;
}

void dw_partplan_unlock(struct dw_db *my)
{
	char *got = NULL;

	dw_db_query_value(my, "SELECT RELEASE_LOCK(CONCAT('dw-partition ', DATABASE()))", 0, NULL,
			  &got, NULL);
	free(got);
}
