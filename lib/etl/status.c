#include "etl/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define LAG_SQL "ROUND(TIMESTAMPDIFF(MICROSECOND, w.watermark, UTC_TIMESTAMP(6)) / 1e6, 3)"

struct dw_rows *dw_status_tables(struct dw_db *my, struct dw_err *err)
{
	return dw_db_query(my,
		"SELECT w.table_name AS `table`, "
		"DATE_FORMAT(w.watermark, '%Y-%m-%d %H:%i:%s.%f') AS watermark, "
		LAG_SQL " AS lag_s, "
		"CAST(JSON_VALUE(r.counts, CONCAT('$.', w.table_name, '.extracted')) AS SIGNED) "
		"AS extracted, "
		"CAST(JSON_VALUE(r.counts, CONCAT('$.', w.table_name, '.merged')) AS SIGNED) AS merged, "
		"CAST(JSON_VALUE(r.counts, CONCAT('$.', w.table_name, '.deleted')) AS SIGNED) AS deleted "
		"FROM dw_etl_watermark w LEFT JOIN (SELECT counts FROM dw_etl_run WHERE status = 'ok' "
		"ORDER BY run_id DESC LIMIT 1) r ON TRUE ORDER BY w.table_name", 0, NULL, err);
}

struct dw_rows *dw_status_runs(struct dw_db *my, long limit, struct dw_err *err)
{
	char lim[24];
	const char *params[] = { lim };

	snprintf(lim, sizeof lim, "%ld", limit);
	return dw_db_query(my,
		"SELECT run_id, DATE_FORMAT(started_at, '%Y-%m-%d %H:%i:%s') AS started, "
		"ROUND(TIMESTAMPDIFF(MICROSECOND, started_at, finished_at) / 1e6, 3) AS seconds, "
		"mode, status, counts, error FROM dw_etl_run ORDER BY run_id DESC "
		"LIMIT ?", 1, params, err);
}

int dw_status_health(struct dw_db *my, struct dw_status_health *h, struct dw_err *err)
{
	struct dw_rows *rows;
	char *v = NULL;
	int rc;

	memset(h, 0, sizeof *h);
	h->max_lag_s = -1;
	rows = dw_db_query(my, "SELECT (SELECT count(*) FROM dw_etl_run), status, error "
			   "FROM dw_etl_run ORDER BY run_id DESC LIMIT 1", 0, NULL, err);
	if (!rows)
		return -1;
	rc = dw_rows_next(rows, err);
	if (rc == 1) {
		h->runs = atoi(dw_rows_value(rows, 0));
		h->last_failed = strcmp(dw_rows_value(rows, 1), "ok") != 0;
		snprintf(h->last_error, sizeof h->last_error, "%s",
			 dw_rows_value(rows, 2) ? dw_rows_value(rows, 2) : "");
	}
	dw_rows_free(rows);
	if (rc < 0)
		return -1;
	if (dw_db_query_value(my, "SELECT MAX(" LAG_SQL ") FROM dw_etl_watermark w", 0, NULL, &v,
			      err) < 0)
		return -1;
	if (v)
		h->max_lag_s = atof(v);
	free(v);
	return 0;
}

int dw_status_verdict(const struct dw_status_health *h, const char *max_lag, struct dw_err *err)
{
	long max_ms = -1;

	if (max_lag && dw_config_duration_ms(max_lag, &max_ms) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--max-lag: expected a duration like 90s or 5m, "
				  "got '%s'", max_lag);
	if (!h->runs)
		return dw_err_set(err, DW_EX_NEGATIVE, "no dw-etl run has been recorded yet");
	if (h->last_failed)
		return dw_err_set(err, DW_EX_NEGATIVE, "the last run failed: %s", h->last_error);
	if (max_ms >= 0 && h->max_lag_s * 1000 > max_ms)
		return dw_err_set(err, DW_EX_NEGATIVE, "lag %.1fs exceeds --max-lag %s",
				  h->max_lag_s, max_lag);
	return 0;
}
