#!/bin/sh
# dw-audit log and export: the trail read back with filters, in every -F
# format; export as JSON lines with the hashes, or RFC 5424 syslog lines.
. "${0%/*}/lib/test.sh"
plan 15

userdb
cd "$T" || exit 1
dwetl init >/dev/null 2>&1 || { echo "Bail out! init failed"; exit 1; }
myq "SET @dw_audit_purge = 1; DELETE FROM dw_audit_event; UPDATE dw_audit_head SET seq = 0, hash = REPEAT('0', 64);
	INSERT INTO dw_audit_event (at, tool, action, os_user, role, db_user, question, elapsed_ms, outcome)
	VALUES (NOW(6) - INTERVAL 3 DAY, 'dw-ask', 'question', 'alice', 'analyst', 'dw_ask', 'sales by \"region\"]', 5, 'answered'),
	       (NOW(6) - INTERVAL 2 DAY, 'dw-ask', 'question', 'bob', 'analyst', 'dw_ask', 'profit 100%', 6, 'declined'),
	       (NOW(6) - INTERVAL 1 HOUR, 'dw-user', 'lock', 'root', '', 'root', 'carol', 0, 'failed'),
	       (NOW(6), 'dw-etl', 'run', 'etl', '', 'dw', 'run', 0, 'done')"
audit() { "$DW_BIN/dw-audit" -c "$CONF" "$@"; }

run audit -F tsv --no-header log
is "$(printf '%s\n' "$out" | cut -f1,3,5,8)" "$(printf '1\tdw-ask\talice\tanswered\n2\tdw-ask\tbob\tdeclined\n3\tdw-user\troot\tfailed\n4\tdw-etl\tetl\tdone')" \
	"log: every event, in order"
run audit -F tsv --no-header log --tool dw-ask --outcome declined
is "$(printf '%s\n' "$out" | cut -f1)" 2 "--tool and --outcome"
run audit -F tsv --no-header log --since 1d
is "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')" "3 4 " "--since a duration"
run audit -F tsv --no-header log --until "$(date -u -d '-2 hours' +%Y-%m-%d\ %H:%M:%S)"
is "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')" "1 2 " "--until a time"
run audit -F tsv --no-header log --user bob
is "$(printf '%s\n' "$out" | cut -f1)" 2 "--user"
run audit -F tsv --no-header log --grep "100%"
is "$(printf '%s\n' "$out" | cut -f1)" 2 "--grep takes the text as it is (% is no pattern)"
run audit -F json log --tool dw-etl
like "$(printf '%s' "$out" | tr -d '\n')" '^\[\{"seq":4,"at":"[0-9 :-]+","tool":"dw-etl","action":"run"' "-F json"
run audit log --since yesterday
is "$rc" 64 "a time that is none: exit 64"

run audit export --tool dw-ask
like "$(printf '%s\n' "$out" | head -1)" '^\{"seq":"1","prev_hash":"0{64}","hash":"[0-9a-f]{64}","at":"[0-9T:.-]+","tool":"dw-ask",' \
	"export: JSON lines with the hashes"
is "$(printf '%s\n' "$out" | wc -l)" 2 "one line per event"
run audit export --syslog
like "$(printf '%s\n' "$out" | head -1)" '^<110>1 [0-9T:.-]+Z [^ ]+ dw-ask - question \[dw@32473 seq="1" user="alice" role="analyst" account="dw_ask" action="question" outcome="answered"\] sales by "region"\]$' \
	"export --syslog: RFC 5424, facility 13, severity 6"
like "$(printf '%s\n' "$out" | sed -n 3p)" '^<108>1 .* dw-user - lock ' "severity 4 for a failed outcome"
run audit verify
is "$rc" 0 "the trail read back is the trail verified"
run audit --set warehouse.port=1 verify
is "$rc" 69 "the warehouse unreachable: exit 69"
run audit --set warehouse.user=nobody_at_all verify
is "$rc" 77 "an account the server refuses: exit 77"
