#!/bin/sh
# dw-tune anomalies and forecast on real servers, over snapshots written
# in SQL with a known shape: ten compressed days of 24 snapshots 10 s
# apart, calls 100 + 50 sin(2 pi slot / 24) plus a little noise. A regular
# load gives no finding; a burst injected in it is found with its times;
# the forecast of the next day lies within its interval; the exit codes.
. "${0%/*}/lib/test.sh"
plan 12

newdb
dwetl init >/dev/null 2>&1 || { echo "Bail out! dw-etl init failed"; exit 1; }
cd "$T" || exit 1
tu() { "$DW_BIN/dw-tune" -c "$CONF" "$@"; }

# calls(i): the known series; snapshot i at 2026-11-01 00:00:00 + 10 i s.
calls="ROUND(100 + 50 * SIN(2 * PI() * (i MOD 24) / 24)) + (i * 7919) MOD 5"
myq "INSERT INTO dw_tune_snapshot (snap_id, taken_at, uptime_s, seconds)
	WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 240)
	SELECT i + 1, TIMESTAMP '2026-11-01 00:00:00' + INTERVAL i * 10 SECOND, 1000 + i * 10, 0
	FROM seq;
	INSERT INTO dw_tune_stat (snap_id, snap_day, schema_name, digest, calls, total_us, max_us,
	  rows_examined, rows_sent, full_scans, tmp_tables, d_calls, d_total_us, d_rows_examined,
	  d_rows_sent, d_full_scans, d_tmp_tables)
	WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 240)
	SELECT i + 1, 20261101, DATABASE(), 'a1b2c3d4e5f6', 0, 0, 0, 0, 0, 0, 0, $calls, 1000 * ($calls),
	  0, 0, 0, 0 FROM seq;
	INSERT INTO dw_tune_digest VALUES (DATABASE(), 'a1b2c3d4e5f6',
	  'SELECT SUM ( \`sales\` ) FROM \`fact_sales\`', NULL, '2026-11-01', '2026-11-01')"

run tu anomalies --season 4m --since 2000-01-01
is "$rc|$out" "0|" "a regular seasonal load: no anomaly, exit 0"

# The forecast of the day after, against the series' own next values.
run tu -F tsv --no-header forecast --season 4m
is "$(printf '%s\n' "$out" | wc -l)" 24 "forecast: one row per snapshot interval of the next season"
like "$(printf '%s\n' "$out" | head -1 | cut -f1)" "^2026-11-01 00:40:10$" \
	"... starting one interval after the last snapshot"
like "$errout" "Holt-Winters, season 24 snapshots: the last season forecast from the ones before has a MAPE of [0-9.]+%" \
	"the backtest error is printed beside it"
mape=$(printf '%s\n' "$errout" | sed -n 's/.*MAPE of \([0-9.]*\)%.*/\1/p')
ok "awk -v m='$mape' 'BEGIN { exit !(m < 10) }'" "backtest MAPE under 10% ($mape%)"
inside=$(printf '%s\n' "$out" | awk -F '\t' '{ i = NR + 240; v = int(100 + 50 * sin(2 * 3.141592653589793 * (i % 24) / 24) + 0.5) + (i * 7919) % 5
	if (v >= $3 && v <= $4) n++ } END { print n + 0 }')
ok '[ "$inside" -ge 22 ]' "the next day's true values lie within the 95% interval ($inside of 24)"

# A burst: five times the calls for four snapshots on the last day.
myq "UPDATE dw_tune_stat SET d_calls = d_calls * 5 WHERE snap_id BETWEEN 221 AND 224"
run tu -F tsv --no-header anomalies --season 4m --since 2000-01-01
is "$rc" 1 "a burst: exit 1"
like "$(printf '%s\n' "$out" | grep '	load calls	' | cut -f1-5)" \
	"^high	2026-11-01 00:36:40	2026-11-01 00:37:10	up	load calls$" \
	"the whole load's finding: high, up, from its first to its last snapshot"
like "$(printf '%s\n' "$out" | grep 'digest a1b2c3d4e5f6' | cut -f1,9)" \
	"^high	SELECT SUM \\( \`sales\` \\) FROM \`fact_sales\`$" "... and the digest's, with its text"
run tu anomalies --season 4m
is "$rc|$out" "0|" "--since (default 1h back from now) leaves out an old burst"

run tu forecast --horizon soon
is "$rc" 64 "--horizon that is not a duration: exit 64"
myq "DELETE FROM dw_tune_stat; DELETE FROM dw_tune_snapshot"
run tu forecast
like "$rc $errout" "^65 .*too few snapshots to forecast" "no snapshots: exit 65, says to collect"
