/* The history in MariaDB SQL (the warehouse's), values bound: a run and
 * its results inserted in one transaction, the run's id from
 * LAST_INSERT_ID() on the same connection; read back with window
 * functions for the trend. */
#include "check/history.h"

#include <stdlib.h>

#include "out_rows.h"

/* The rows of both listings: the results since ?, each with its run. The
 * listings are formats for the condition on the check. */
#define RESULTS "FROM dw_check_result AS c JOIN dw_check_run AS r ON r.run_id = c.run_id " \
		"WHERE r.started_at >= ?"

static const char runs_sql[] =
	"SELECT r.run_id AS run, r.started_at, c.check_name AS `check`, c.database_name AS "
	"`database`, c.outcome, c.failing, c.total, ROUND(c.seconds, 3) AS seconds " RESULTS
	"%s ORDER BY r.started_at, r.run_id, c.check_name";

/* Per check: its last result (nth 1 newest first), how many runs and
 * fails, and its failing count at the first run. */
static const char trend_sql[] =
	"SELECT check_name AS `check`, runs, fails, started_at AS last_run, outcome AS "
	"last_outcome, failing_before, failing AS failing_now FROM (SELECT c.check_name, "
	"r.started_at, c.outcome, c.failing, "
	"ROW_NUMBER() OVER (PARTITION BY c.check_name ORDER BY r.started_at DESC, r.run_id DESC) "
	"AS nth, COUNT(*) OVER (PARTITION BY c.check_name) AS runs, "
	"SUM(c.outcome = 'fail') OVER (PARTITION BY c.check_name) AS fails, "
	"FIRST_VALUE(c.failing) OVER (PARTITION BY c.check_name ORDER BY r.started_at, r.run_id) "
	"AS failing_before " RESULTS "%s) AS t WHERE nth = 1 ORDER BY check_name";

/* err, for tables that are not there, says what makes them. */
static int missing_tables(struct dw_db *db, struct dw_err *err)
{
	if (dw_db_native_error(db) == 1146)   /* ER_NO_SUCH_TABLE */
		dw_err_set(err, DW_EX_CONFIG, "warehouse: no check history (run dw-etl init)");
	return -1;
}

/* v as a parameter's text into buf, NULL for -1. */
static const char *count_param(long long v, char *buf, size_t size)
{
	if (v < 0)
		return NULL;
	snprintf(buf, size, "%lld", v);
	return buf;
}

static int insert_result(struct dw_db *db, const char *run_id, const struct dw_history_result *r,
			 struct dw_err *err)
{
	char failing[32], total[32], secs[32];
	const char *params[] = { run_id, r->check, r->warehouse ? "warehouse" : "oltp", r->outcome,
				 count_param(r->failing, failing, sizeof failing),
				 count_param(r->total, total, sizeof total), secs };

	snprintf(secs, sizeof secs, "%.6f", r->seconds);
	return dw_db_exec(db, "INSERT INTO dw_check_result (run_id, check_name, database_name, "
			  "outcome, failing, total, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)", 7, params,
			  err) < 0 ? -1 : 0;
}

int dw_history_record(struct dw_db *db, const char *path, const char *started,
		      const struct dw_history_result *r, size_t n, struct dw_err *err)
{
	const char *params[] = { started, path };
	char *run_id = NULL;
	int rc;

	if (dw_db_begin(db, err) < 0)
		return -1;
	rc = dw_db_exec(db, "INSERT INTO dw_check_run (started_at, checks_file) VALUES (?, ?)", 2,
			params, err) < 0 ? -1 : 0;
	if (rc == 0)
		rc = dw_db_query_value(db, "SELECT LAST_INSERT_ID()", 0, NULL, &run_id, err);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = insert_result(db, run_id, &r[i], err);
	free(run_id);
	if (rc == 0)
		return dw_db_commit(db, err);
	missing_tables(db, err);
	dw_db_rollback(db, NULL);
	return -1;
}

int dw_history_print(struct dw_db *db, const struct dw_history_filter *f, FILE *out,
		     enum dw_out_format fmt, int header, struct dw_err *err)
{
	const char *params[] = { f->since, f->check };
	const char *only = f->check ? " AND c.check_name = ?" : "";
	char sql[sizeof trend_sql + 64];
	struct dw_rows *rows;
	long long n;

	snprintf(sql, sizeof sql, f->trend ? trend_sql : runs_sql, only);
	if (!(rows = dw_db_query(db, sql, f->check ? 2 : 1, params, err)))
		return missing_tables(db, err);
	n = dw_out_rows(rows, out, fmt, header, err);
	dw_rows_free(rows);
	return n < 0 ? -1 : 0;
}
