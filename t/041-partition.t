#!/bin/sh
# dw-partition on real servers, over ten years of generated orders: dw-etl
# init makes the months through the planner; premake makes exactly the
# missing months and a second apply does nothing; a one-month question
# reads one partition; rows in the catch-all are reported and moved; a
# far-future row is reported and makes no partition; a gap is reported;
# dw-etl run in a loop during apply loses nothing; the lock, the audit, the
# options and the exit codes.
. "${0%/*}/lib/test.sh"
plan 33

newdb
if ! { dwetl -v init && dwetl generate --orders 1500 --seed 3 --from 2015-01-01 --to 2024-12-31 \
		-o "$T/orders.csv" --returns "$T/returns.csv" &&
	dwetl import "$T/orders.csv" "$T/returns.csv" && dwetl run; } >"$T/setup.out" 2>&1; then
	echo "Bail out! setup failed: $(cat "$T/setup.out")"
	exit 1
fi
cd "$T" || exit 1
dp() { "$DW_BIN/dw-partition" -c "$CONF" "$@"; }
BG=""
cleanup() {
	for p in $BG; do kill "$p" 2>/dev/null; done
	_finish
}
trap cleanup EXIT
parts() {
	myq "SELECT GROUP_CONCAT(PARTITION_NAME ORDER BY PARTITION_ORDINAL_POSITION)
	     FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${1:-fact_sales}'"
}
nparts() { parts "$@" | tr ',' '\n' | wc -l; }
# Month names from 2011-01 to this month plus six, as the planner must make them.
months=$(date -u +%Y%m | awk '{ y = substr($1, 1, 4); m = substr($1, 5, 2) + 0
	for (i = 2011 * 12; i <= y * 12 + m - 1 + 6; i++) printf "p%04d%02d,", int(i / 12), i % 12 + 1 }')
want="p_before,${months}p_future"
facts() { myq "SELECT COUNT(*), SUM(sales), SUM(profit) FROM fact_sales" | tr '\t' ' '; }

# ---- init and a clean warehouse ----
is "$(parts)" "$want" "dw-etl init made every month from 2011-01 to this month plus six, between the catch-alls"
is "$(parts fact_return)" "$want" "... for fact_return too"
like "$(cat "$T/setup.out")" "warehouse: fact_sales: [0-9]+ partitions made" "init -v says so"
run dp check
is "$rc|$out|$errout" "0||" "check on a fresh warehouse: exit 0, nothing printed"
run dp plan
is "$rc|$out" "0|fact_sales: nothing to do (6 future month partitions)
fact_return: nothing to do (6 future month partitions)
dw_tune_stat: nothing to do (2 future month partitions)" "plan: nothing to do, for dw-tune's snapshots too"
run dp apply
is "$rc|$out|$errout" "0||" "apply with nothing to do: exit 0, quiet"

# ---- a one-month question reads one partition ----
is "$(myq "EXPLAIN PARTITIONS SELECT SUM(sales) FROM fact_sales
	WHERE order_date_key BETWEEN 20190301 AND 20190331" | cut -f4)" "p201903" \
	"EXPLAIN PARTITIONS: a one-month query on fact_sales reads one partition"

# ---- premake: the last three future months gone ----
last3=$(parts | tr ',' '\n' | tail -4 | head -3 | tr '\n' ',' | sed 's/,$//')
myq "ALTER TABLE fact_sales REORGANIZE PARTITION $last3, p_future INTO
	(PARTITION p_future VALUES LESS THAN MAXVALUE)"
run dp check
like "$rc $out" "^1 fact_sales: premake: 3 future month partitions, the policy keeps 6" \
	"check: too few future partitions, exit 1"
run dp plan --table fact_sales
like "$out" "^fact_sales: split p_future: 3 month partitions, $(echo "$last3" | cut -d, -f1) to $(echo "$last3" | cut -d, -f3), moving 0 rows$" \
	"plan names the three months to make"
run dp -n apply
like "$rc $out" "^0 ALTER TABLE \`fact_sales\` REORGANIZE PARTITION \`p_future\` INTO \\(PARTITION $(echo "$last3" | cut -d, -f1) VALUES LESS THAN" \
	"apply --dry-run prints the statement"
is "$(nparts)" "$(($(echo "$want" | tr ',' '\n' | wc -l) - 3))" "... and changes nothing"
run dp apply
like "$rc $out" "^0 fact_sales: split the catch-all into 3 month partitions, .* moving 0 rows; the statement held its lock [0-9.]+ s$" \
	"apply makes exactly the three and says how long it held the lock"
is "$(parts)" "$want" "the partitions are as init made them"
run dp apply
is "$rc|$out" "0|" "a second apply does nothing"
is "$(myq "SELECT GROUP_CONCAT(outcome ORDER BY seq SEPARATOR ' ') FROM dw_audit_event
	WHERE tool = 'dw-partition'")" "started done started done started done" "every apply is audited"
like "$(myq "SELECT detail FROM dw_audit_event WHERE tool = 'dw-partition' AND outcome = 'done'
	ORDER BY seq LIMIT 1 OFFSET 1")" '"partitions_added":3' "... with what it added"

# ---- rows in the catch-all: the last quarter of 2024 moved into it ----
before=$(facts)
q4=$(parts | tr ',' '\n' | sed -n '/^p202410$/,/^p_future$/p' | grep -v p_future | tr '\n' ',' | sed 's/,$//')
n=$(myq "SELECT COUNT(*) FROM fact_sales WHERE order_date_key >= 20241001")
myq "ALTER TABLE fact_sales REORGANIZE PARTITION $q4, p_future INTO (PARTITION p_future VALUES LESS THAN MAXVALUE)"
run dp check --table fact_sales
like "$rc $out" "fact_sales: catch-all p_future: $n rows belong in month partitions" \
	"check: $n rows in the catch-all that belong in months"
run dp apply --table fact_sales
like "$rc $out" "^0 fact_sales: split the catch-all into [0-9]+ month partitions, p202410 to .*, moving $n rows" \
	"apply moves them"
is "$(parts)" "$want" "every month is back"
is "$(myq "SELECT COUNT(*) FROM fact_sales PARTITION (p202411)")" \
	"$(myq "SELECT COUNT(*) FROM fact_sales WHERE order_date_key BETWEEN 20241101 AND 20241130")" \
	"November's rows are in November's partition"
is "$(facts)" "$before" "no fact was lost or changed"

# ---- a far-future row: reported, no partition ----
myq "INSERT INTO fact_sales (order_id, product_id, row_id, order_date_key, ship_date_key,
	customer_key, product_key, location_key, ship_mode, order_priority, quantity, sales,
	discount, profit, shipping_cost)
	SELECT 'ZZ-9999-1', product_id, row_id, 99990101, ship_date_key, customer_key, product_key,
	location_key, ship_mode, order_priority, quantity, sales, discount, profit, shipping_cost
	FROM fact_sales LIMIT 1"
run dp check --table fact_sales
like "$rc $out" "^1 fact_sales: beyond the horizon: order_id=ZZ-9999-1, product_id=[^:]*: order_date_key 99990101 is beyond the horizon [0-9-]+$" \
	"check names a row beyond the horizon by its key and value"
run dp apply
is "$rc|$out|$(parts)" "0||$want" "apply makes no partition for it"
myq "DELETE FROM fact_sales WHERE order_id = 'ZZ-9999-1'"

# ---- a partition missing in the middle ----
myq "ALTER TABLE fact_sales REORGANIZE PARTITION p202001, p202002 INTO
	(PARTITION p202002 VALUES LESS THAN (20200301))"
run dp check
is "$rc|$out" "1|fact_sales: gap p202002: it spans 2020-01-01 to 2020-03-01, not one month: a partition is missing" \
	"check: a partition missing in the middle"
myq "ALTER TABLE fact_sales REORGANIZE PARTITION p202002 INTO
	(PARTITION p202001 VALUES LESS THAN (20200201), PARTITION p202002 VALUES LESS THAN (20200301))"

# ---- list ----
run dp -F tsv --no-header list --table fact_sales --exact
is "$(printf '%s\n' "$out" | grep '^fact_sales	p201903	' | cut -f3,4,5,8,9)" \
	"2019-03-01	2019-04-01	$(myq "SELECT COUNT(*) FROM fact_sales WHERE order_date_key BETWEEN 20190301 AND 20190331")	$(myq "SELECT DATE_FORMAT(MIN(order_date_key), '%Y-%m-%d'), DATE_FORMAT(MAX(order_date_key), '%Y-%m-%d') FROM fact_sales WHERE order_date_key BETWEEN 20190301 AND 20190331")" \
	"list --exact: range, rows, oldest and newest of a partition"

# ---- a sync in a loop while apply splits: nothing lost ----
myq "ALTER TABLE fact_sales REORGANIZE PARTITION $last3, p_future INTO (PARTITION p_future VALUES LESS THAN MAXVALUE)"
( i=0; while [ $i -lt 15 ]; do
	pgq "UPDATE order_line SET quantity = quantity + 1 WHERE row_id % 7 = $((i % 7))" >/dev/null
	dwetl run >/dev/null 2>&1; i=$((i + 1)); done ) &
BG=$!
ok=0
for i in 1 2 3 4 5; do
	dp apply >/dev/null 2>&1 || ok=1
	myq "ALTER TABLE fact_sales REORGANIZE PARTITION $last3, p_future INTO (PARTITION p_future VALUES LESS THAN MAXVALUE)"
done
dp apply >/dev/null 2>&1 || ok=1
wait "$BG"; BG=""
dwetl run >/dev/null 2>&1
is "$ok" 0 "apply five times while dw-etl run loops: every apply succeeded"
run "$DW_BIN/dw-validate" -c "$CONF" diff
is "$rc|$out" "0|" "and the warehouse still says exactly what the OLTP says (dw-validate diff)"

# ---- the lock, options, exit codes ----
mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot "$DB" \
	-e "SELECT GET_LOCK(CONCAT('dw-partition ', DATABASE()), 0), SLEEP(3)" >/dev/null 2>&1 &
BG=$!
i=0
while [ $i -lt 100 ] && [ "$(myq "SELECT IS_FREE_LOCK(CONCAT('dw-partition ', DATABASE()))")" = 1 ]; do
	sleep 0.05; i=$((i + 1))
done
run dp apply
like "$rc $errout" "^75 .*another dw-partition is running" "another dw-partition holds the lock: exit 75"
wait "$BG"; BG=""
run dp check --table nowhere
is "$rc" 64 "an unknown --table: exit 64"
cp "$CONF" "$T/bad.yaml"
printf 'partition:\n  fact_sales:\n    column: order_date_key\n    interval: weekly\n' >>"$T/bad.yaml"
run "$DW_BIN/dw-partition" -c "$T/bad.yaml" check
like "$rc $errout" "^78 .*bad.yaml:[0-9]+: partition.fact_sales: interval must be month, quarter or year" \
	"a bad policy: exit 78, file and line"
cp "$CONF" "$T/dim.yaml"
printf 'partition:\n  dim_date: {column: date_key}\n' >>"$T/dim.yaml"
run "$DW_BIN/dw-partition" -c "$T/dim.yaml" check
like "$rc $errout" "^78 .*'dim_date' is not RANGE partitioned" "a table that is not RANGE partitioned: exit 78"
cp "$CONF" "$T/col.yaml"
printf 'partition:\n  fact_sales: {column: ship_date_key}\n' >>"$T/col.yaml"
run "$DW_BIN/dw-partition" -c "$T/col.yaml" check
like "$rc $errout" "^78 .*'fact_sales' is partitioned by order_date_key, not by ship_date_key" \
	"a policy naming another column than the table's: exit 78"
run dp --bogus check
is "$rc" 64 "an unknown option: exit 64"
