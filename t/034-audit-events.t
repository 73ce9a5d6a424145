#!/bin/sh
# Every data-changing verb of every tool leaves events in the audit trail,
# written before the change ("started": nothing changes without it) and
# after ("done" or "failed", with what was done), and they all make one
# valid chain.
. "${0%/*}/lib/test.sh"
plan 25

userdb
cd "$T" || exit 1
U=dwe$$
cleanup() { droproles; myq "DROP USER IF EXISTS '$U'@'%'" 2>/dev/null; _finish; }
trap cleanup EXIT
dwetl init >/dev/null 2>&1 || { echo "Bail out! init failed"; exit 1; }
dwetl generate --orders 200 --seed 1 -o "$T/orders.csv" --returns "$T/returns.csv" >/dev/null
user() { printf '%s\n' "${PW:-}" | "$DW_BIN/dw-user" -c "$CONF" "$@"; }
# The outcomes of a tool's verb, in order: "started done", ...
events() {
	myq "SELECT GROUP_CONCAT(outcome ORDER BY seq SEPARATOR ' ') FROM dw_audit_event
		WHERE tool = '$1' AND action = '$2'${3:+ AND question = '$3'}"
}

# ---- dw-etl ----
dwetl init >/dev/null 2>&1
is "$(events dw-etl init)" "done started done" \
	"dw-etl init: the first records its outcome once it made the trail; the second before and after"
dwetl import "$T/orders.csv" "$T/returns.csv" >/dev/null 2>&1
is "$(events dw-etl import)" "started done" "dw-etl import"
like "$(myq "SELECT detail FROM dw_audit_event WHERE action = 'import' AND outcome = 'done'")" \
	'^\{"lines":[0-9]+,"rejected":0,"tables":\{.*"order_line":\{"inserted":[1-9][0-9]*,' \
	"with the counts of each table, as JSON"
is "$(myq "SELECT row_count FROM dw_audit_event WHERE action = 'import' AND outcome = 'done'")" \
	"$(($(wc -l <"$T/orders.csv") + $(wc -l <"$T/returns.csv") - 2))" "and the lines read"
dwetl run >/dev/null 2>&1
dwetl run --full >/dev/null 2>&1
is "$(events dw-etl run run) / $(events dw-etl run 'run --full')" "started done / started done" \
	"dw-etl run and run --full"
like "$(myq "SELECT detail FROM dw_audit_event WHERE question = 'run --full' AND outcome = 'done'")" \
	'"full":true,"watermark":"[0-9-]+ [0-9:.]+","tables":\{"customer":\{"extracted":' \
	"with the watermark and the counts of each table"
dwetl --set etl.poll_interval=1s follow >/dev/null 2>&1 &
fpid=$!
i=0
while [ $i -lt 50 ] && [ "$(myq "SELECT COUNT(*) FROM dw_audit_event WHERE question = 'follow' AND outcome = 'done'")" = 0 ]; do
	sleep 0.1; i=$((i + 1))
done
kill -TERM $fpid; wait $fpid
like "$(events dw-etl run follow)" "^started done( started done)*( started)?$" \
	"each cycle of dw-etl follow, on its own connection"
printf 'not,a,superstore,file\n' >"$T/bad.csv"
dwetl import "$T/bad.csv" >/dev/null 2>&1
is "$(events dw-etl import "import $T/bad.csv")" "started failed" "a failed import: its event says so"
# The trail cannot be written: the change is refused, nothing changes.
before=$(pgq "SELECT count(*) FROM order_line")
myq "RENAME TABLE dw_audit_event TO dw_audit_away"
run dwetl import "$T/orders.csv"
like "$rc $errout" "^[1-9][0-9]* .*dw_audit_event" "import refused when its event cannot be written"
run dwetl run
ok "[ $rc -ne 0 ]" "and run"
myq "RENAME TABLE dw_audit_away TO dw_audit_event"
is "$(pgq "SELECT count(*) FROM order_line")" "$before" "and nothing was imported"

# ---- dw-user ----
user roles apply >/dev/null 2>&1
is "$(myq "SELECT COUNT(*) FROM dw_audit_event WHERE tool = 'dw-user' AND action = 'roles apply' AND outcome = 'created'")" 4 \
	"dw-user roles apply: a role created, an event"
PW="violet tundra cobalt ferry" user add "$U" --role admin --auth password >/dev/null 2>&1
is "$(events dw-user add "$U")" "started done" "dw-user add"
for v in "set-role $U executive" "scope $U market=EU" "lock $U" "unlock $U"; do
	user $v >/dev/null 2>&1
	set -- $v
	is "$(events dw-user "$1" "$U")" "started done" "dw-user $1"
done
PW="amber lantern quarry mosaic" user passwd "$U" >/dev/null 2>&1
is "$(events dw-user passwd "$U")" "started done" "dw-user passwd"
user reset "$U" >/dev/null 2>&1
is "$(events dw-user reset "$U")" "started done" "dw-user reset"
user del "$U" >/dev/null 2>&1
is "$(events dw-user del "$U")" "started done" "dw-user del"

# ---- dw-validate, dw-partition, dw-audit (dw-tune's try and revert: t/048) ----
myq "UPDATE fact_sales SET profit = profit + 1 ORDER BY sales_key LIMIT 1"
"$DW_BIN/dw-validate" -c "$CONF" diff --repair >/dev/null 2>&1
is "$(events dw-validate repair)" "started done" "dw-validate diff --repair"
"$DW_BIN/dw-partition" -c "$CONF" apply >/dev/null 2>&1
is "$(events dw-partition apply)" "started done" "dw-partition apply"
"$DW_BIN/dw-audit" -c "$CONF" purge --older-than 1s --archive "$T/purged.jsonl" >/dev/null 2>&1
like "$(events dw-audit purge)" "^started done$" "dw-audit purge"
sleep 1

# ---- dw-ask, and the chain of them all ----
"$DW_BIN/dw-ask" -c "$CONF" "total sales" >/dev/null 2>&1
is "$(myq "SELECT GROUP_CONCAT(CONCAT(action, ':', outcome) ORDER BY seq SEPARATOR ' ') FROM dw_audit_event WHERE tool = 'dw-ask'")" \
	"query:started question:answered" "dw-ask: the query before it runs, the question after"
run "$DW_BIN/dw-audit" -c "$CONF" verify
is "$rc$errout" 0 "every event of every tool: one valid chain"
