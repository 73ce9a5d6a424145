#!/bin/sh
# dw-tune collect and top on real servers (performance_schema on, as the
# harness starts MariaDB): snapshots on an idle and a loaded warehouse, the
# changes between them, a slow query ranked first by time and a frequent
# one by calls, the collector's own statements left out, --every until a
# signal, dw-ask's questions traced to the digests they caused, and the
# exit codes.
. "${0%/*}/lib/test.sh"
plan 22

newdb
printf 'ask:\n  knowledge: %s/etc/ask/superstore.yaml\n' "$DW_TOP" >>"$CONF"
loaddb 300 sync
# The servers are shared by every test: start from an empty digest table,
# not one that earlier tests may have filled.
myq "TRUNCATE TABLE performance_schema.events_statements_summary_by_digest"
cd "$T" || exit 1
tu() { "$DW_BIN/dw-tune" -c "$CONF" "$@"; }

run tu -v collect
like "$rc $errout" "^0 dw-tune: snapshot [0-9]+: [0-9]+ digests, 0 called since the one before, 0 dw-ask queries traced, in [0-9.]+ s$" \
	"the first snapshot: exit 0, a baseline with no changes"
run tu collect
is "$rc|$out|$errout" "0||" "collect is quiet without -v"
is "$(myq "SELECT COUNT(*) > 0 FROM dw_tune_table WHERE table_name = 'fact_sales'")" 1 \
	"table rows and sizes are kept"
is "$(myq "SELECT COUNT(*) > 0 FROM dw_tune_index WHERE table_name = 'fact_sales'")" 1 \
	"index reads are kept"
is "$(myq "SELECT COUNT(*) = (SELECT COUNT(*) FROM dw_tune_stat) AND COUNT(*) > 0
	FROM dw_tune_stat PARTITION (p$(date -u +%Y%m))")" 1 \
	"the digests' rows are in this month's partition (dw-etl init made it)"

# A frequent cheap query, and a rare slow one.
i=0
while [ $i -lt 20 ]; do
	myq "SELECT COUNT(*) FROM dim_customer WHERE segment = 'Consumer'" >/dev/null
	i=$((i + 1))
done
myq "SELECT SLEEP(0.3), COUNT(*) FROM dim_product" >/dev/null
myq "SELECT SLEEP(0.3), COUNT(*) FROM dim_product" >/dev/null
# A statement with a four-byte character, which the server's history keeps
# as bytes its utf8mb3 column cannot hold.
mariadb --no-defaults -N -B --default-character-set=utf8mb4 --socket="$DW_TEST_MYSOCK" -uroot "$DB" \
	-e "INSERT INTO dim_customer (customer_id, customer_name, segment, updated_at)
	VALUES ('ZZ-1', 'Zoë 😀', 'Consumer', '2020-01-01'); DELETE FROM dim_customer WHERE customer_id = 'ZZ-1'"
# Questions of dw-ask: a question twice, a report with a parameter once.
ask() { "$DW_BIN/dw-ask" -c "$CONF" -F tsv "$@" >/dev/null; }
ask "profit by segment" && ask "profit by segment" && ask --report sales_by_market -p year=2014
run tu -v collect
like "$rc $errout" "^0 .*snapshot [0-9]+: [0-9]+ digests, [1-9][0-9]* called since the one before" \
	"a loaded warehouse: the digests called since are counted"
like "$errout" " 3 dw-ask queries traced" "... and dw-ask's queries traced to their digests"
is "$(myq "SELECT d_calls FROM dw_tune_stat s JOIN dw_tune_digest d USING (schema_name, digest)
	WHERE d.digest_text LIKE 'SELECT COUNT ( * ) FROM \`dim_customer\`%'
	ORDER BY snap_id DESC LIMIT 1")" 20 "the change since the snapshot before: 20 calls"
run tu -F tsv --no-header top -n 1
like "$(printf '%s\n' "$out" | cut -f1,5,14)" "^1	2	SELECT \`SLEEP\` \\(\\?\\) , COUNT \\( \\* \\) FROM \`dim_product\`$" \
	"top ranks the slow query first by time"
run tu -F tsv --no-header top -n 1 --by calls
like "$(printf '%s\n' "$out" | cut -f1,5)" "^1	20$" "top --by calls ranks the frequent one first"
like "$(printf '%s\n' "$out" | cut -f15)" "^SELECT COUNT\\(\\*\\) FROM dim_customer WHERE segment = 'Consumer'$" \
	"... with an example of it"
run tu -F tsv --no-header top -n 50
is "$(printf '%s\n' "$out" | awk -F '\t' '$16 == "profit by segment" { print $13, $5 }')" "2 2" \
	"top: the question's digest, asked twice, with the question"
rep=$(printf '%s\n' "$out" | awk -F '\t' '$16 ~ /^--report sales_by_market/ { print $13, $3 }')
is "$(myq "SELECT CONCAT('1 ', LEFT(digest, 12)) FROM dw_tune_digest WHERE digest_text LIKE
	'SELECT \`l\` . \`market\`%\`year\` = @? %'")" "$rep" \
	"... the report's digest, its value in a variable, asked once"
is "$(myq "SELECT COUNT(*) FROM dw_tune_asked q JOIN dw_audit_event a USING (event_id)
	WHERE a.tool = 'dw-ask' AND a.action = 'query'")" 3 "... each traced to its query's audit event"
run tu -F tsv top -n 50
ok '! printf "%s\n" "$out" | grep -q "dw_tune_"' "the collector's own statements are left out"
run tu -F json top -n 2
like "$(printf '%s\n' "$out" | sed -n 2p)" '^\{"rank":1,"schema":"' "every -F format: JSON"
run tu -F tsv --no-header top --since 2000-01-01 --by scans -n 3
ok '[ "$rc" = 0 ] && [ "$(printf "%s\n" "$out" | wc -l)" -le 3 ]' "--since as a date, --by scans"

# --every until a signal.
"$DW_BIN/dw-tune" -c "$CONF" collect --every 1s 2>"$T/every.err" &
pid=$!
sleep 2.5
kill -TERM "$pid"
wait "$pid"
is "$?" 0 "collect --every stops cleanly on SIGTERM"
n=$(myq "SELECT COUNT(*) FROM dw_tune_snapshot")
ok '[ "$n" -ge 5 ]' "... having taken a snapshot each second ($n in all)"
is "$(myq "SELECT COALESCE(SUM(d_calls), 0) FROM dw_tune_stat WHERE snap_id >= $n - 1")" 0 \
	"... counting none of its own statements on an idle server"

run tu top --by bogus
is "$rc" 64 "--by with an unknown ranking: exit 64"
run tu collect --every soon
is "$rc" 64 "--every that is not a duration: exit 64"
