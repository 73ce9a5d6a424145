#include "etl/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
