/* What dw-etl's merge pays for a table's indexes is measured the way the
 * merge writes: rows deleted by their primary key and inserted again.
 * The newest rows of the table (by primary key, as an incremental run's
 * new orders are) are copied to a temporary table, then each run deletes
 * and re-inserts them inside a transaction that is rolled back, so every
 * index of the table is written and nothing changes. Readers see the rows
 * as they were (InnoDB's snapshots); writers wait on the rows' locks for
 * the run's few milliseconds, which is why trials hold dw-etl's lock. */
#include "tune/merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"
#include "tune/season.h"

#define SAMPLE_MIN 1000
#define SAMPLE_MAX 10000

static int oom(struct dw_err *err)
{
	return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
}

/* The quoted names of the query's rows (one name a row), each followed by
 * suffix, comma-separated. Returns their number or -1. */
static int name_list(struct dw_db *my, const char *sql, const char *table, const char *suffix,
		     char **list, struct dw_err *err)
{
	const char *params[] = { table };
	struct dw_rows *r = dw_db_query(my, sql, 1, params, err);
	size_t len = 0;
	FILE *f = open_memstream(list, &len);
	int rc, n = 0;

	if (!r || !f) {
		dw_rows_free(r);
		if (f)
			fclose(f);
		return r ? oom(err) : -1;
	}
	while ((rc = dw_rows_next(r, err)) == 1) {
		char *q = dw_db_quote_name(DW_DB_MY, dw_rows_value(r, 0));

		fprintf(f, "%s%s%s", n++ ? ", " : "", q ? q : "``", suffix);
		free(q);
	}
	dw_rows_free(r);
	if (fclose(f) != 0)
		rc = oom(err);
	return rc < 0 ? -1 : n;
}

struct merge_sql {
	char *copy, *del, *ins;
};

static void merge_sql_release(struct merge_sql *m)
{
	free(m->copy);
	free(m->del);
	free(m->ins);
}

/* The three statements of a merge of the newest rows of table. */
static int build(struct dw_db *my, const char *table, long rows, struct merge_sql *m,
		 struct dw_err *err)
{
	static const char cols_sql[] = "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE "
		"TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND EXTRA NOT LIKE '%GENERATED%' "
		"ORDER BY ORDINAL_POSITION";
	static const char pk_sql[] = "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE "
		"TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' "
		"ORDER BY SEQ_IN_INDEX";
	char *cols = NULL, *pk = NULL, *desc = NULL, *t = dw_db_quote_name(DW_DB_MY, table);
	char lim[24];
	int ncols = name_list(my, cols_sql, table, "", &cols, err);
	int npk = ncols < 0 ? -1 : name_list(my, pk_sql, table, "", &pk, err);
	int rc = npk < 0 || name_list(my, pk_sql, table, " DESC", &desc, err) < 0 ? -1 : 0;

	snprintf(lim, sizeof lim, "%ld", rows);
	if (rc == 0 && !t)
		rc = oom(err);
	if (rc == 0 && (ncols == 0 || npk == 0))
		rc = dw_err_set(err, DW_EX_DATAERR, "table %s has %s: its merge cannot be measured",
				table, ncols ? "no primary key" : "no columns");
	if (rc == 0) {
		m->copy = dw_text_printf("CREATE TEMPORARY TABLE dw_tune_merge AS SELECT %s FROM %s "
				  "ORDER BY %s LIMIT %s", cols, t, desc, lim);
		m->del = dw_text_printf("DELETE x FROM %s x JOIN dw_tune_merge USING (%s)", t, pk);
		m->ins = dw_text_printf("INSERT INTO %s (%s) SELECT %s FROM dw_tune_merge", t, cols, cols);
		if (!m->copy || !m->del || !m->ins)
			rc = oom(err);
	}
	free(cols);
	free(pk);
	free(desc);
	free(t);
	return rc;
}

/* One run: the delete and the insert, in ms; rolled back always. */
static int run_once(struct dw_db *my, const struct merge_sql *m, double *ms,
		    struct dw_err *err)
{
	struct dw_err ignored;
	double t0;
	int rc = dw_db_begin(my, err);

	if (rc < 0)
		return -1;
	t0 = dw_log_clock();
	if (dw_db_exec(my, m->del, 0, NULL, err) < 0 || dw_db_exec(my, m->ins, 0, NULL, err) < 0)
		rc = -1;
	*ms = (dw_log_clock() - t0) * 1000;
	if (dw_db_rollback(my, rc < 0 ? &ignored : err) < 0)
		rc = -1;
	return rc;
}

static int sample_rows(struct dw_db *my, const char *table, long *rows, struct dw_err *err)
{
	const char *params[] = { table };
	char *v = NULL;

	if (dw_db_query_value(my, "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE "
			      "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", 1, params, &v,
			      err) < 0)
		return -1;
	if (!v)
		return dw_err_set(err, DW_EX_DATAERR, "no table %s in the warehouse", table);
	*rows = atol(v) / 100;
	free(v);
	if (*rows < SAMPLE_MIN)
		*rows = SAMPLE_MIN;
	if (*rows > SAMPLE_MAX)
		*rows = SAMPLE_MAX;
	return 0;
}

int dw_merge_time(struct dw_db *my, const char *table, long runs, struct dw_merge *out,
		  struct dw_err *err)
{
	struct merge_sql m = { 0 };
	struct dw_err ignored;
	double *t = calloc((size_t)runs, sizeof *t);
	long want = 0;
	int rc = t ? 0 : oom(err);

	memset(out, 0, sizeof *out);
	if (rc == 0)
		rc = sample_rows(my, table, &want, err);
	if (rc == 0)
		rc = build(my, table, want, &m, err);
	if (rc == 0 && dw_db_exec(my, "DROP TEMPORARY TABLE IF EXISTS dw_tune_merge", 0, NULL,
				  err) < 0)
		rc = -1;
	if (rc == 0 && (out->rows = dw_db_exec(my, m.copy, 0, NULL, err)) < 0)
		rc = -1;
	/* a warm-up run, then the timed ones */
	for (long i = -1; rc == 0 && out->rows > 0 && i < runs; i++) {
		double ms = 0;

		rc = run_once(my, &m, &ms, err);
		if (i >= 0)
			t[i] = ms;
	}
	if (rc == 0 && out->rows > 0)
		out->ms = dw_season_median(t, (size_t)runs);
	dw_db_exec(my, "DROP TEMPORARY TABLE IF EXISTS dw_tune_merge", 0, NULL, &ignored);
	merge_sql_release(&m);
	free(t);
	return rc;
}
