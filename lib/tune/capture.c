/* The snapshot is copied inside the server (INSERT ... SELECT from
 * performance_schema and information_schema): no row travels to the
 * client, so a snapshot costs a few milliseconds however busy the server. */
#include "tune/capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* A counter's change since the snapshot before: all of it when the digest
 * is new (or the server restarted: @dw_fresh), none on the very first
 * snapshot (@dw_first: no "before"), and all of it when the server's
 * counter went down (its summary was reset). */
#define DELTA(col, prev)                                                                  \
	"CASE WHEN @dw_fresh THEN " col " WHEN p.digest IS NULL THEN IF(@dw_first, 0, " col \
	") WHEN " col " < p." prev " THEN " col " ELSE " col " - p." prev " END"

static const char stat_sql[] =
	"INSERT INTO dw_tune_stat (snap_id, snap_day, schema_name, digest, calls, total_us, max_us, "
	"rows_examined, rows_sent, full_scans, tmp_tables, d_calls, d_total_us, d_rows_examined, "
	"d_rows_sent, d_full_scans, d_tmp_tables) "
	"SELECT @dw_snap, @dw_day, e.SCHEMA_NAME, e.DIGEST, e.COUNT_STAR, "
	"e.SUM_TIMER_WAIT DIV 1000000, "
	"e.MAX_TIMER_WAIT DIV 1000000, e.SUM_ROWS_EXAMINED, e.SUM_ROWS_SENT, "
	"e.SUM_NO_INDEX_USED + e.SUM_NO_GOOD_INDEX_USED, e.SUM_CREATED_TMP_TABLES, "
	DELTA("e.COUNT_STAR", "calls") ", "
	DELTA("e.SUM_TIMER_WAIT DIV 1000000", "total_us") ", "
	DELTA("e.SUM_ROWS_EXAMINED", "rows_examined") ", "
	DELTA("e.SUM_ROWS_SENT", "rows_sent") ", "
	DELTA("e.SUM_NO_INDEX_USED + e.SUM_NO_GOOD_INDEX_USED", "full_scans") ", "
	DELTA("e.SUM_CREATED_TMP_TABLES", "tmp_tables") " "
	"FROM performance_schema.events_statements_summary_by_digest e "
	"LEFT JOIN dw_tune_stat p ON p.snap_id = @dw_prev AND p.schema_name = e.SCHEMA_NAME "
	"AND p.digest = e.DIGEST "
	"WHERE e.DIGEST IS NOT NULL AND e.SCHEMA_NAME IS NOT NULL "
	"AND e.SCHEMA_NAME NOT IN ('mysql', 'performance_schema', 'information_schema', 'sys') "
	/* not the collector's own statements, nor any monitor's */
	"AND e.DIGEST_TEXT NOT LIKE '%dw\\_tune\\_%' "
	"AND e.DIGEST_TEXT NOT LIKE '%performance\\_schema%'";

/* The digests called since the snapshot before, with an example from the
 * statement history when it still holds one. The history's text column is
 * utf8mb3, yet holds a statement's bytes as sent (four-byte characters) or
 * cut at its length inside a character: it is read as bytes, and IGNORE
 * lets the bytes that are not UTF-8 become '?' in the example, a sample,
 * rather than fail the snapshot. */
static const char digest_sql[] =
	"INSERT IGNORE INTO dw_tune_digest (schema_name, digest, digest_text, example, "
	"first_seen, last_seen) "
	"SELECT s.schema_name, s.digest, e.DIGEST_TEXT, "
	"(SELECT CONVERT(CAST(h.SQL_TEXT AS BINARY) USING utf8mb4) "
	" FROM performance_schema.events_statements_history_long h "
	" WHERE h.DIGEST = s.digest AND h.CURRENT_SCHEMA = s.schema_name LIMIT 1), "
	"e.FIRST_SEEN, e.LAST_SEEN "
	"FROM dw_tune_stat s JOIN performance_schema.events_statements_summary_by_digest e "
	"ON e.DIGEST = s.digest AND e.SCHEMA_NAME = s.schema_name "
	"WHERE s.snap_id = @dw_snap AND (s.d_calls > 0 OR @dw_first) "
	"ON DUPLICATE KEY UPDATE last_seen = VALUES(last_seen), "
	"example = COALESCE(VALUES(example), example)";

/* dw-ask's queries in the statement history, joined to their audit events
 * by the trace each names in a comment first ("/" "* dw-ask TRACE *" "/")
 * and its event keeps ({"trace": "TRACE"}); events since a while before
 * the snapshot before, as a query is recorded before it runs. */
static const char asked_sql[] =
	"INSERT IGNORE INTO dw_tune_asked (event_id, schema_name, digest, snap_id) "
	"SELECT a.event_id, h.CURRENT_SCHEMA, h.DIGEST, @dw_snap "
	"FROM dw_audit_event a JOIN performance_schema.events_statements_history_long h "
	/* as bytes: see digest_sql */
	"ON CAST(h.SQL_TEXT AS BINARY) LIKE '/* dw-ask %' AND CAST(a.detail AS BINARY) = "
	"CONCAT('{\"trace\": \"', SUBSTRING(CAST(h.SQL_TEXT AS BINARY), 11, 16), '\"}') "
	"WHERE a.at >= @dw_since AND a.tool = 'dw-ask' AND a.action = 'query' "
	"AND h.DIGEST IS NOT NULL AND h.CURRENT_SCHEMA IS NOT NULL";

static const char index_sql[] =
	"INSERT INTO dw_tune_index (snap_id, table_name, index_name, read_count, d_read_count) "
	"SELECT @dw_snap, i.OBJECT_NAME, i.INDEX_NAME, i.COUNT_READ, "
	"CASE WHEN @dw_fresh THEN i.COUNT_READ WHEN p.index_name IS NULL "
	"THEN IF(@dw_first, 0, i.COUNT_READ) WHEN i.COUNT_READ < p.read_count THEN i.COUNT_READ "
	"ELSE i.COUNT_READ - p.read_count END "
	"FROM performance_schema.table_io_waits_summary_by_index_usage i "
	"LEFT JOIN dw_tune_index p ON p.snap_id = @dw_prev AND p.table_name = i.OBJECT_NAME "
	"AND p.index_name = i.INDEX_NAME "
	"WHERE i.OBJECT_SCHEMA = DATABASE() AND i.INDEX_NAME IS NOT NULL";

static const char table_sql[] =
	"INSERT INTO dw_tune_table (snap_id, table_name, table_rows, data_bytes, index_bytes) "
	"SELECT @dw_snap, TABLE_NAME, COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0), "
	"COALESCE(INDEX_LENGTH, 0) FROM information_schema.TABLES "
	"WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";

static long long value_ll(struct dw_db *my, const char *sql, int *is_null, struct dw_err *err)
{
	char *v = NULL;
	long long n;

	if (dw_db_query_value(my, sql, 0, NULL, &v, err) < 0)
		return -1;
	if (is_null)
		*is_null = !v;
	n = v ? atoll(v) : 0;
	free(v);
	return n;
}

static int schema_on(struct dw_db *my, struct dw_err *err)
{
	long long on = value_ll(my, "SELECT @@performance_schema", NULL, err);

	if (on < 0)
		return -1;
	if (on)
		return 0;
	dw_err_set(err, DW_EX_CONFIG, "performance_schema is off on '%s': there are no statement "
		   "digests to collect", dw_db_label(my));
	dw_err_hint(err, "start the server with performance_schema=ON (in my.cnf, under "
		    "[mysqld]); it cannot be turned on while the server runs");
	return -1;
}

/* @dw_prev, @dw_first and @dw_fresh from the snapshot before, and the new
 * snapshot's row (@dw_snap). */
static int begin_snapshot(struct dw_db *my, struct dw_capture_result *r, struct dw_err *err)
{
	int first = 0;
	long long prev = value_ll(my, "SELECT MAX(snap_id) FROM dw_tune_snapshot", &first, err);
	long long up = value_ll(my, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
				   "WHERE VARIABLE_NAME = 'UPTIME'", NULL, err);
	long long lost = value_ll(my, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
				     "WHERE VARIABLE_NAME = 'PERFORMANCE_SCHEMA_DIGEST_LOST'", NULL, err);
	long long prev_up, prev_lost;
	char p[32], u[32], f[4], fr[4], l[32];
	const char *params[] = { p, f, fr, u, l };

	if (prev < 0 || up < 0)
		return -1;
	snprintf(p, sizeof p, "%lld", prev);
	prev_up = first ? 0 : value_ll(my, "SELECT uptime_s FROM dw_tune_snapshot ORDER BY snap_id "
				      "DESC LIMIT 1", NULL, err);
	prev_lost = first ? 0 : value_ll(my, "SELECT digests_lost FROM dw_tune_snapshot ORDER BY "
					"snap_id DESC LIMIT 1", NULL, err);
	if (prev_up < 0 || prev_lost < 0 || lost < 0)
		return -1;
	r->restarted = !first && up < prev_up;
	r->lost = r->restarted || lost < prev_lost ? lost : lost - prev_lost;
	snprintf(l, sizeof l, "%lld", lost);
	snprintf(u, sizeof u, "%lld", up);
	snprintf(f, sizeof f, "%d", first);
	snprintf(fr, sizeof fr, "%d", r->restarted);
	/* A question's query may have been recorded a while before it ran and
	 * ended (ask.statement_timeout). */
	if (dw_db_exec(my, "SET @dw_prev = ?, @dw_first = ?, @dw_fresh = ?", 3, params, err) < 0 ||
	    dw_db_exec(my, "SET @dw_since = COALESCE((SELECT taken_at FROM dw_tune_snapshot "
		       "WHERE snap_id = @dw_prev), UTC_TIMESTAMP(6)) - INTERVAL 1 HOUR", 0, NULL,
		       err) < 0 ||
	    dw_db_exec(my, "INSERT INTO dw_tune_snapshot (taken_at, uptime_s, seconds, "
		       "digests_lost) VALUES (UTC_TIMESTAMP(6), ?, 0, ?)", 2, params + 3, err) < 0 ||
	    dw_db_exec(my, "SET @dw_snap = LAST_INSERT_ID()", 0, NULL, err) < 0 ||
	    dw_db_exec(my, "SET @dw_day = (SELECT DATE_FORMAT(taken_at, '%Y%m%d') + 0 "
		       "FROM dw_tune_snapshot WHERE snap_id = @dw_snap)", 0, NULL, err) < 0)
		return -1;
	r->snap_id = value_ll(my, "SELECT @dw_snap", NULL, err);
	return r->snap_id < 0 ? -1 : 0;
}

static int copy_all(struct dw_db *my, struct dw_capture_result *r, struct dw_err *err)
{
	long long n = dw_db_exec(my, stat_sql, 0, NULL, err);

	if (n < 0)
		return -1;
	r->digests = n;
	r->active = value_ll(my, "SELECT COUNT(*) FROM dw_tune_stat WHERE snap_id = @dw_snap AND "
			     "d_calls > 0", NULL, err);
	if (r->active < 0 || dw_db_exec(my, digest_sql, 0, NULL, err) < 0 ||
	    (r->asked = dw_db_exec(my, asked_sql, 0, NULL, err)) < 0 ||
	    dw_db_exec(my, index_sql, 0, NULL, err) < 0 || dw_db_exec(my, table_sql, 0, NULL, err) < 0)
		return -1;
	return 0;
}

int dw_capture_unwatched(struct dw_db *my)
{
	struct dw_err e = { 0 };

	if (dw_db_exec(my, "UPDATE performance_schema.threads SET INSTRUMENTED = 'NO' "
		       "WHERE PROCESSLIST_ID = CONNECTION_ID()", 0, NULL, &e) < 0) {
		dw_log_verbose(1, "the collector's own statements are counted: %s", e.msg);
		return 0;
	}
	return 1;
}

int dw_capture_snapshot(struct dw_db *my, struct dw_capture_result *r, struct dw_err *err)
{
	double t0 = dw_log_clock();
	char secs[32];
	const char *params[] = { secs };
	int rc;

	memset(r, 0, sizeof *r);
	if (schema_on(my, err) < 0 || dw_db_begin(my, err) < 0)
		return -1;
	rc = begin_snapshot(my, r, err);
	if (rc == 0)
		rc = copy_all(my, r, err);
	r->seconds = dw_log_clock() - t0;
	snprintf(secs, sizeof secs, "%.6f", r->seconds);
	if (rc == 0 && dw_db_exec(my, "UPDATE dw_tune_snapshot SET seconds = ? WHERE snap_id = "
				  "@dw_snap", 1, params, err) < 0)
		rc = -1;
	if (rc == 0)
		rc = dw_db_commit(my, err);
	else
		dw_db_rollback(my, NULL);
	if (rc < 0)
		dw_err_prefix(err, "collecting a snapshot");
	return rc;
}
