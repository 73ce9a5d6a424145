#!/bin/sh
# dw-tune workload on real servers: a short run with an anomaly lasts its
# duration, prints nothing without -v, runs the knowledge file's queries
# (each seen by dw-tune collect and top, the burst ranked first by calls),
# writes the labels of its anomaly inside the run; the same seed twice
# gives the same labels and the same calls of each statement; several
# connections; the sessions are read-only (a knowledge file that writes
# fails every query: 70); SIGTERM ends it cleanly with its labels; an
# unreachable warehouse exits 69 and bad options 64.
. "${0%/*}/lib/test.sh"
plan 31

newdb
printf 'ask:\n  knowledge: %s/etc/ask/superstore.yaml\n' "$DW_TOP" >>"$CONF"
loaddb 300 sync
# The servers are shared by every test: start from an empty digest table,
# not one that earlier tests may have filled.
myq "TRUNCATE TABLE performance_schema.events_statements_summary_by_digest"
cd "$T" || exit 1
tu() { "$DW_BIN/dw-tune" -c "$CONF" "$@"; }
now_ms() { date -u +%s%3N; }
ms_of() { date -u -d "$1" +%s%3N; }
# The anomalies of a labels file, in milliseconds from its start: START END KIND.
rel() {
	s0=$(ms_of "$(sed -n 's/^# start //p' "$1")")
	grep -v '^#' "$1" | while read -r a b k; do
		echo "$(($(ms_of "$a") - s0)) $(($(ms_of "$b") - s0)) $k"
	done
}
# The calls of each statement on the warehouse's tables in the last
# snapshot: "CALLS DIGEST" lines.
fact_calls() {
	myq "SELECT s.d_calls, s.digest FROM dw_tune_stat s JOIN dw_tune_digest d
		USING (schema_name, digest) WHERE s.snap_id = (SELECT MAX(snap_id)
		FROM dw_tune_snapshot) AND s.d_calls > 0 AND d.digest_text LIKE '%\`fact\\_%'
		ORDER BY s.digest"
}
LOAD="--duration 20s --day 10s --rate 120 --seed 5 --anomalies 1"

tu collect >/dev/null 2>&1
t0=$(now_ms)
run tu -v workload $LOAD --labels "$T/a.labels"
t1=$(now_ms)
is "$rc|$out" "0|" "workload: exit 0, nothing on standard output"
like "$errout" "^dw-tune: [0-9]+ queries in 20\.0 s: 0 failed, 0 skipped" "-v sums it up"
like "$errout" "anomalies: 1 burst \([1-9][0-9]* queries\), 0 heavy \(0 queries\), 0 quiet" \
	"... with the anomaly: a burst"
queries=$(printf '%s\n' "$errout" | sed -n 's/^dw-tune: \([0-9]*\) queries.*/\1/p')
ok '[ $((t1 - t0)) -ge 20000 ] && [ $((t1 - t0)) -lt 26000 ]' \
	"it lasts its duration ($((t1 - t0)) ms)"
is "$(sed -n '1p;3p;5p' a.labels | tr '\n' '|')" \
	"# dw-tune workload --seed 5 --rate 120 --duration 20000ms --day 10000ms --anomalies 1|# day 10.000|# columns: start end kind|" \
	"the labels: the options, the day in seconds, the columns"
is "$(sed -n 4p a.labels)" "# phase 0.000" "... the run starting at the day's midnight"
like "$(sed -n 2p a.labels)" '^# start [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' \
	"... the start, UTC ISO 8601 with milliseconds"
like "$(grep -v '^#' a.labels)" \
	'^[0-9-]{10}T[0-9:]{8}\.[0-9]{3}Z [0-9-]{10}T[0-9:]{8}\.[0-9]{3}Z burst$' \
	"... one line for the anomaly: start, end, kind"
set -- $(grep -v '^#' a.labels)
a=$(ms_of "$1")
b=$(ms_of "$2")
ok '[ "$a" -ge "$t0" ] && [ "$b" -le "$t1" ] && [ $((b - a)) -eq 1250 ]' \
	"... inside the run, an eighth of a day long"
set -- $(rel a.labels)
from=$1 to=$2
ok '[ "$from" -ge 0 ] && [ "$to" -le 20000 ]' "... from the start: $from ms to $to ms"

tu collect >/dev/null 2>&1
fact_calls >calls.a
is "$(awk '{ n += $1 } END { print n }' calls.a)" "$((queries + 2))" \
	"collect sees every query run on the facts (and the two reading the dates)"
ok '[ "$(wc -l <calls.a)" -ge 5 ]' "... of several statements ($(wc -l <calls.a))"
run tu -F tsv --no-header top --by calls -n 1
like "$(printf '%s\n' "$out" | cut -f5,14)" '^[0-9]+	SELECT .*`fact_(sales|return)`' \
	"top: the burst's query first by calls"
ok '[ "$(printf "%s\n" "$out" | cut -f5)" -ge 25 ]' \
	"... called at least the 25 times of the burst"

run tu workload $LOAD --labels "$T/b.labels"
is "$rc|$out|$errout" "0||" "the same seed again: quiet"
is "$(rel b.labels)" "$(rel a.labels)" "... the same labels, from the start"
tu collect >/dev/null 2>&1
fact_calls >calls.b
is "$(cat calls.b)" "$(cat calls.a)" "... the same calls of each statement"
run tu -v workload --duration 3s --day 3s --rate 6000 --connections 4
like "$rc $errout" "^0 dw-tune: [1-9][0-9]* queries in 3\.0 s: 0 failed" "four connections"
tu collect >/dev/null 2>&1
run tu -F tsv top --by calls -n 100
ok 'printf "%s\n" "$out" | grep -q "WHERE d.year = @dw_year"' \
	"the reports run as text, their values in variables: seen by top"

# A knowledge file whose only query writes: the session refuses it.
sed '/^examples:/,$d' "$DW_TOP/etc/ask/superstore.yaml" >write.yaml
printf 'examples:\n  - question: a write\n    sql: UPDATE dim_customer SET segment = segment\n' \
	>>write.yaml
run tu --set ask.knowledge="$T/write.yaml" workload --duration 2s --day 2s --rate 3000 \
	--labels "$T/w.labels"
like "$rc $errout" "^70 dw-tune: error: all [0-9]+ queries failed, the first: warehouse: .*READ ONLY" \
	"read-only sessions: a writing query fails; all failed: exit 70 with the first error"
ok '[ ! -e w.labels ]' "... and no labels file"

# SIGTERM: a clean stop, labels complete.
"$DW_BIN/dw-tune" -c "$CONF" workload --duration 1h --anomalies 2 --labels "$T/s.labels" \
	2>"$T/s.err" &
pid=$!
sleep 3
kill -TERM "$pid"
wait "$pid"
is "$?|$(cat s.err)" "0|" "SIGTERM stops it cleanly: exit 0"
is "$(grep -c '^#' s.labels)|$(grep -vc '^#' s.labels)" "5|0" \
	"... the labels written: no anomaly had started"

run tu workload --duration 1s --day 10s --rate 60 --phase clock --labels "$T/p.labels"
s0=$(ms_of "$(sed -n 's/^# start //p' p.labels)")
ph=$(sed -n 's/^# phase //p' p.labels)
ok "[ $rc = 0 ] && awk -v s=$s0 -v p=$ph 'BEGIN { d = (s % 10000) / 1000 - p; exit !(d > -0.05 && d < 0.05) }'" \
	"--phase clock: the run starts at the time of the compressed day it is ($ph s, started $s0)"
run tu workload --duration 1s --day 10s --phase 10s
like "$rc $errout" "^64 .*--phase: '10s' is not within the day" "--phase past the day: exit 64"

run tu --set warehouse.port=1 workload --duration 2s
is "$rc" 69 "an unreachable warehouse: exit 69"
for bad in "--rate 0" "--duration soon" "--anomalies 1.5" "--connections 0" \
	"--duration 1s --anomalies 10"; do
	run tu workload $bad
	is "$rc" 64 "workload $bad: exit 64"
done
