/* The window is a sum of the snapshots' changes (d_* columns), so a
 * restart or a reset of the server's counters in the middle costs nothing. */
#include "tune/top.h"

#include <stdio.h>
#include <string.h>

static const char *const by_names[] = { "time", "calls", "rows", "scans" };
static const char *const by_cols[] = { "total_us", "calls", "rows_examined", "full_scans" };

int dw_top_by_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, by_names[i]))
			return i;
	return -1;
}

struct dw_rows *dw_top_query(struct dw_db *my, const char *since, enum dw_top_by by, long n,
			     struct dw_err *err)
{
	char sql[4096], lim[24];
	const char *params[] = { since, since, since, lim };

	snprintf(lim, sizeof lim, "%ld", n);
	snprintf(sql, sizeof sql,
		 "SELECT ROW_NUMBER() OVER (ORDER BY w.%s DESC, w.total_us DESC) AS `rank`, "
		 "w.schema_name AS `schema`, LEFT(w.digest, 12) AS digest, "
		 "ROUND(100 * w.total_us / NULLIF(SUM(w.total_us) OVER (), 0), 1) AS share, "
		 "w.calls, ROUND(w.total_us / 1e6, 3) AS total_s, "
		 "ROUND(w.total_us / w.calls / 1e3, 3) AS mean_ms, ROUND(w.max_us / 1e3, 3) AS max_ms, "
		 "ROUND(w.vm, 3) AS v_m, ROUND(NULLIF(w.rows_examined, 0) / NULLIF(w.rows_sent, 0), 1) "
		 "AS examined_per_sent, w.full_scans, w.tmp_tables, "
		 /* the dw-ask questions traced to the digest (dw_tune_asked), and the
		  * latest of them */
		 "(SELECT COUNT(*) FROM dw_tune_asked q JOIN dw_tune_snapshot t ON t.snap_id = "
		 "q.snap_id WHERE q.schema_name = w.schema_name AND q.digest = w.digest "
		 "AND t.taken_at >= ?) AS asked, "
		 "RTRIM(LEFT(d.digest_text, 200)) AS query, LEFT(d.example, 400) AS example, "
		 "(SELECT LEFT(a.question, 200) FROM dw_tune_asked q JOIN dw_tune_snapshot t "
		 "ON t.snap_id = q.snap_id JOIN dw_audit_event a ON a.event_id = q.event_id "
		 "WHERE q.schema_name = w.schema_name AND q.digest = w.digest AND t.taken_at >= ? "
		 "ORDER BY q.event_id DESC LIMIT 1) AS question "
		 "FROM (SELECT s.schema_name, s.digest, SUM(s.d_calls) AS calls, "
		 "SUM(s.d_total_us) AS total_us, MAX(s.max_us) AS max_us, "
		 "SUM(s.d_rows_examined) AS rows_examined, SUM(s.d_rows_sent) AS rows_sent, "
		 "SUM(s.d_full_scans) AS full_scans, SUM(s.d_tmp_tables) AS tmp_tables, "
		 /* variance-to-mean of the per-snapshot mean latency, in ms */
		 "VAR_POP(IF(s.d_calls > 0, s.d_total_us / s.d_calls / 1e3, NULL)) / "
		 "NULLIF(AVG(IF(s.d_calls > 0, s.d_total_us / s.d_calls / 1e3, NULL)), 0) AS vm "
		 "FROM dw_tune_stat s JOIN dw_tune_snapshot t ON t.snap_id = s.snap_id "
		 "WHERE t.taken_at >= ? GROUP BY s.schema_name, s.digest "
		 "HAVING SUM(s.d_calls) > 0) w "
		 "LEFT JOIN dw_tune_digest d ON d.schema_name = w.schema_name AND d.digest = w.digest "
		 "ORDER BY `rank` LIMIT ?", by_cols[by]);
	return dw_db_query(my, sql, 4, params, err);
}
