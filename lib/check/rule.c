/* Each kind as SQL over one table: "FROM t WHERE <failing>" counted, or
 * listed for samples. Names are quoted by the db module; values (accepted
 * values, bounds, the freshness limit) are bound. */
#include "check/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

struct q {
	FILE *fp;
	char *text;
	size_t len;
	struct dw_db *db;
	const char *params[64];
	int n;
	char limit[32];
	int bad;
};

static void name(struct q *q, const char *s)
{
	char *n = dw_db_quote_ident(q->db, s);

	if (!n) {
		q->bad = 1;
		return;
	}
	fputs(n, q->fp);
	free(n);
}

static void param(struct q *q, const char *v)
{
	fputs(dw_db_kind(q->db) == DW_DB_PG ? "" : "?", q->fp);
	if (dw_db_kind(q->db) == DW_DB_PG)
		fprintf(q->fp, "$%d", q->n + 1);
	if (q->n < 64)
		q->params[q->n++] = v;
	else
		q->bad = 1;
}

/* The condition of a failing row of t, for the row kinds. */
static void failing(struct q *q, const struct dw_checkfile_check *c, const char *limit)
{
	const char *col = c->ncolumns ? c->columns[0] : "";

	switch (c->kind) {
	case DW_CHECK_NOT_NULL:
		for (size_t i = 0; i < c->ncolumns; i++) {
			fputs(i ? " OR t." : "t.", q->fp);
			name(q, c->columns[i]);
			fputs(" IS NULL", q->fp);
		}
		break;
	case DW_CHECK_ACCEPTED_VALUES:
		fputs("t.", q->fp), name(q, col), fputs(" IS NOT NULL AND t.", q->fp), name(q, col);
		fputs(" NOT IN (", q->fp);
		for (size_t i = 0; i < c->nvalues; i++) {
			fputs(i ? ", " : "", q->fp);
			param(q, c->values[i]);
		}
		fputc(')', q->fp);
		break;
	case DW_CHECK_RANGE:
		fputs("(1 = 0", q->fp);
		if (*c->min)
			fputs(" OR t.", q->fp), name(q, col), fputs(" < ", q->fp), param(q, c->min);
		if (*c->max)
			fputs(" OR t.", q->fp), name(q, col), fputs(" > ", q->fp), param(q, c->max);
		fputc(')', q->fp);
		break;
	case DW_CHECK_REFERENTIAL:
		fputs("t.", q->fp), name(q, col);
		fputs(" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ", q->fp), name(q, c->ref_table);
		fputs(" AS p WHERE p.", q->fp), name(q, c->ref_column), fputs(" = t.", q->fp);
		name(q, col), fputc(')', q->fp);
		break;
	case DW_CHECK_FRESHNESS:
		/* No row changed since the limit: one failing "row". */
		fputs("t.", q->fp), name(q, col), fputs(" >= ", q->fp), param(q, limit);
		break;
	default:
		fputs("1 = 0", q->fp);
	}
}

static void from(struct q *q, const struct dw_checkfile_check *c)
{
	fputs(" FROM ", q->fp);
	name(q, c->table);
	fputs(" AS t", q->fp);
}

/* The freshness limit: now less within, UTC, as the database reads it. */
static void limit_of(struct q *q, const struct dw_checkfile_check *c)
{
	time_t t = time(NULL) - (time_t)(c->within_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(q->limit, sizeof q->limit, dw_db_kind(q->db) == DW_DB_PG ? "%Y-%m-%d %H:%M:%S+00"
									  : "%Y-%m-%d %H:%M:%S", &tm);
}

/* The query counting c's failing rows. */
static void count_sql(struct q *q, const struct dw_checkfile_check *c)
{
	switch (c->kind) {
	case DW_CHECK_ROW_COUNT:
		fputs("SELECT COUNT(*)", q->fp), from(q, c);
		break;
	case DW_CHECK_UNIQUE:
		fputs("SELECT COUNT(*) FROM (SELECT 1", q->fp), from(q, c);
		fputs(" WHERE ", q->fp);
		for (size_t i = 0; i < c->ncolumns; i++)
			fputs(i ? " AND t." : "t.", q->fp), name(q, c->columns[i]),
				fputs(" IS NOT NULL", q->fp);
		fputs(" GROUP BY ", q->fp);
		for (size_t i = 0; i < c->ncolumns; i++)
			fputs(i ? ", t." : "t.", q->fp), name(q, c->columns[i]);
		fputs(" HAVING COUNT(*) > 1) AS d", q->fp);
		break;
	case DW_CHECK_SQL:
		fprintf(q->fp, "SELECT COUNT(*) FROM (%s) AS x", c->sql);
		break;
	case DW_CHECK_FRESHNESS:
		limit_of(q, c);
		fputs("SELECT CASE WHEN EXISTS (SELECT 1", q->fp), from(q, c);
		fputs(" WHERE ", q->fp), failing(q, c, q->limit), fputs(") THEN 0 ELSE 1 END", q->fp);
		break;
	default:
		fputs("SELECT COUNT(*)", q->fp), from(q, c), fputs(" WHERE ", q->fp);
		failing(q, c, q->limit);
	}
}

static int open_q(struct q *q, struct dw_db *db, struct dw_err *err)
{
	memset(q, 0, sizeof *q);
	q->db = db;
	if (!(q->fp = open_memstream(&q->text, &q->len)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return 0;
}

static int close_q(struct q *q, struct dw_err *err)
{
	if (fclose(q->fp) != 0 || q->bad) {
		free(q->text);
		q->text = NULL;
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	return 0;
}

static int number(struct dw_db *db, const char *sql, int n, const char *const *p, long long *out,
		  struct dw_err *err)
{
	char *v = NULL;
	int rc = dw_db_query_value(db, sql, n, p, &v, err);

	*out = v ? atoll(v) : 0;
	free(v);
	return rc;
}

/* The outcome from the thresholds: above error_if fails, above warn_if
 * warns. */
static enum dw_rule_outcome judge(const struct dw_checkfile_check *c, const struct dw_rule_result *r)
{
	const struct dw_checkfile_threshold *t[] = { &c->error_if, &c->warn_if };

	for (int i = 0; i < 2; i++) {
		double v = t[i]->percent ? (r->total ? 100.0 * (double)r->failing / (double)r->total : 0)
					 : (double)r->failing;

		if (t[i]->set && v > t[i]->value)
			return i == 0 ? DW_RULE_FAIL : DW_RULE_WARN;
	}
	return DW_RULE_PASS;
}

static int bounds(const struct dw_checkfile_check *c, long long n)
{
	return (*c->min && n < atoll(c->min)) || (*c->max && n > atoll(c->max));
}

int dw_rule_run(struct dw_db *db, const struct dw_checkfile_check *c, struct dw_rule_result *r,
		struct dw_err *err)
{
	double t0 = dw_log_clock();
	struct q q;
	int rc;

	memset(r, 0, sizeof *r);
	if (open_q(&q, db, err) < 0)
		return -1;
	count_sql(&q, c);
	if (close_q(&q, err) < 0)
		return -1;
	rc = number(db, q.text, q.n, q.params, &r->failing, err);
	free(q.text);
	if (rc == 0 && c->kind == DW_CHECK_ROW_COUNT)
		r->failing = bounds(c, r->failing);
	if (rc == 0 && (c->warn_if.percent || c->error_if.percent) && open_q(&q, db, err) == 0) {
		fputs("SELECT COUNT(*)", q.fp), from(&q, c);
		if ((rc = close_q(&q, err)) == 0)
			rc = number(db, q.text, 0, NULL, &r->total, err);
		free(q.text);
	}
	r->outcome = judge(c, r);
	r->seconds = dw_log_clock() - t0;
	return rc;
}

struct dw_rows *dw_rule_samples(struct dw_db *db, const struct dw_checkfile_check *c, long n,
				struct dw_err *err)
{
	struct q q;
	struct dw_rows *rows;

	dw_err_clear(err);
	if (c->kind == DW_CHECK_ROW_COUNT || c->kind == DW_CHECK_FRESHNESS || n <= 0)
		return NULL;
	if (open_q(&q, db, err) < 0)
		return NULL;
	if (c->kind == DW_CHECK_SQL) {
		fprintf(q.fp, "SELECT * FROM (%s) AS x", c->sql);
	} else if (c->kind == DW_CHECK_UNIQUE) {
		fputs("SELECT ", q.fp);
		for (size_t i = 0; i < c->ncolumns; i++)
			fputs(i ? ", t." : "t.", q.fp), name(&q, c->columns[i]);
		fputs(", COUNT(*) AS copies", q.fp), from(&q, c), fputs(" GROUP BY ", q.fp);
		for (size_t i = 0; i < c->ncolumns; i++)
			fputs(i ? ", t." : "t.", q.fp), name(&q, c->columns[i]);
		fputs(" HAVING COUNT(*) > 1", q.fp);
	} else {
		fputs("SELECT t.*", q.fp), from(&q, c), fputs(" WHERE ", q.fp);
		failing(&q, c, q.limit);
	}
	fprintf(q.fp, " LIMIT %ld", n);
	if (close_q(&q, err) < 0)
		return NULL;
	rows = dw_db_query(db, q.text, q.n, q.params, err);
	free(q.text);
	return rows;
}
