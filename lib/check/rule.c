/* Each kind as SQL over one table: "FROM t WHERE <failing>" counted, or
 * listed for samples. Names are quoted by the db module; values (accepted
 * values, bounds, the freshness limit, patterns, a schema's columns and
 * types) are bound. */
#include "check/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define MAX_PARAMS 256

struct q {
	FILE *fp;
	char *text;
	size_t len;
	struct dw_db *db;
	const char *params[MAX_PARAMS];
	int n;
	char limit[32];
	int bad;       /* out of memory */
	int too_many;  /* more than MAX_PARAMS values */
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
	if (q->n < MAX_PARAMS)
		q->params[q->n++] = v;
	else
		q->too_many = 1;
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
	case DW_CHECK_PATTERN:
		fputs("t.", q->fp), name(q, col), fputs(" IS NOT NULL AND ", q->fp);
		/* PostgreSQL's !~ takes text only; MariaDB's REGEXP follows the
		 * column's collation, so (?-i) keeps it case-sensitive as POSIX is. */
		if (dw_db_kind(q->db) == DW_DB_PG) {
			fputs("CAST(t.", q->fp), name(q, col), fputs(" AS text) !~ ", q->fp);
			param(q, c->pattern);
		} else {
			fputs("t.", q->fp), name(q, col), fputs(" NOT REGEXP CONCAT('(?-i)', ", q->fp);
			param(q, c->pattern), fputc(')', q->fp);
		}
		break;
	default:
		fputs("1 = 0", q->fp);
	}
}

/* The columns of table c as the server spells their types, as a CTE
 * body: what information_schema says on MariaDB (COLUMN_TYPE), and on
 * PostgreSQL format_type of the table the name finds on the search path,
 * as the other kinds' FROM does. */
static void actual_columns(struct q *q, const struct dw_checkfile_check *c)
{
	if (dw_db_kind(q->db) == DW_DB_PG) {
		fputs("SELECT a.attname::text, format_type(a.atttypid, a.atttypmod) FROM pg_attribute "
		      "AS a WHERE a.attrelid = to_regclass(quote_ident(", q->fp);
		param(q, c->table);
		fputs(")) AND a.attnum > 0 AND NOT a.attisdropped", q->fp);
	} else {
		fputs("SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE "
		      "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ", q->fp);
		param(q, c->table);
	}
}

/* v bound as text; cast on PostgreSQL when it is in a UNION's first row,
 * which types the column. */
static void text_param(struct q *q, const char *v, int first)
{
	int cast = first && dw_db_kind(q->db) == DW_DB_PG;

	fputs(cast ? "CAST(" : "", q->fp);
	param(q, v);
	fputs(cast ? " AS text)" : "", q->fp);
}

/* A type as compared: case and spaces do not count. */
static void type_text(struct q *q, const char *expr)
{
	fprintf(q->fp, "LOWER(REPLACE(%s, ' ', ''))", expr);
}

/* The failing rows of a schema check: a row per column missing or of
 * another type (column_name, expected, actual), and with strict per
 * column not expected. */
static void schema_rows(struct q *q, const struct dw_checkfile_check *c)
{
	fputs("WITH e (name, type) AS (", q->fp);
	for (size_t i = 0; i < c->ncolumns; i++) {
		fputs(i ? " UNION ALL SELECT " : "SELECT ", q->fp);
		text_param(q, c->columns[i], i == 0), fputs(", ", q->fp);
		text_param(q, c->types[i], i == 0);
	}
	fputs("), c (name, type) AS (", q->fp), actual_columns(q, c);
	fputs(") SELECT e.name AS column_name, e.type AS expected, c.type AS actual FROM e "
	      "LEFT JOIN c ON LOWER(c.name) = LOWER(e.name) WHERE c.name IS NULL OR ", q->fp);
	type_text(q, "c.type"), fputs(" <> ", q->fp), type_text(q, "e.type");
	if (c->strict)
		fputs(" UNION ALL SELECT c.name, NULL, c.type FROM c WHERE NOT EXISTS "
		      "(SELECT 1 FROM e WHERE LOWER(e.name) = LOWER(c.name))", q->fp);
}

/* The failing rows of the kinds that list them whole. */
static void listing(struct q *q, const struct dw_checkfile_check *c)
{
	if (c->kind == DW_CHECK_SCHEMA)
		schema_rows(q, c);
	else
		fputs(c->sql, q->fp);
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
	case DW_CHECK_SCHEMA:
		fputs("SELECT COUNT(*) FROM (", q->fp), listing(q, c), fputs(") AS x", q->fp);
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
	if (fclose(q->fp) != 0 || q->bad || q->too_many) {
		free(q->text);
		q->text = NULL;
		if (q->too_many)
			return dw_err_set(err, DW_EX_DATAERR, "more than %d values in one check",
					  MAX_PARAMS);
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

const char *dw_rule_outcome_name(enum dw_rule_outcome o)
{
	static const char *const names[] = { "pass", "warn", "fail" };

	return names[o];
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
	r->total = -1;
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
	if (c->kind == DW_CHECK_SQL || c->kind == DW_CHECK_SCHEMA) {
		fputs("SELECT * FROM (", q.fp), listing(&q, c), fputs(") AS x", q.fp);
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
