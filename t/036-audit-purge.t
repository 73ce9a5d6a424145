#!/bin/sh
# dw-audit purge: the events older than the retention go to an archive of
# JSON lines, checked by reading it back, then are replaced by one
# checkpoint that keeps the last purged hash, so that verify still passes,
# and the archive can be verified against the checkpoint; the purge is an
# event itself, and a checkpoint without one is caught.
. "${0%/*}/lib/test.sh"
plan 17

userdb
cd "$T" || exit 1
dwetl init >/dev/null 2>&1 || { echo "Bail out! init failed"; exit 1; }
# A trail that starts 100 days ago: init's own event set aside.
myq "SET @dw_audit_purge = 1; DELETE FROM dw_audit_event;
	UPDATE dw_audit_head SET seq = 0, hash = REPEAT('0', 64)"
cat >>"$CONF" <<YAML
audit:
  signing_key: $T/anchor.pem
  public_key: $T/anchor.pub
  anchors: $T/anchors
YAML
audit() { "$DW_BIN/dw-audit" -c "$CONF" "$@"; }
events() {   # N events, D days old
	myq "INSERT INTO dw_audit_event (at, tool, action, os_user, role, db_user, question,
		elapsed_ms, outcome) SELECT NOW(6) - INTERVAL $2 DAY, 'test', 'x', 'u', 'r', 'd',
		CONCAT('q', s.seq), s.seq, 'done' FROM seq_1_to_$1 AS s ORDER BY s.seq"
}
audit keygen
START=$(myq "SELECT seq FROM dw_audit_head")
events 30 100
audit anchor >/dev/null
events 20 0
audit anchor >/dev/null
LAST_OLD=$((START + 30))

run audit -v purge --older-than 90d --archive "$T/archive.jsonl"
like "$rc $errout" "^0 .*$LAST_OLD events purged, up to event $LAST_OLD, now the checkpoint" \
	"purge: the events older than 90 days, up to the last old one"
is "$(myq "SELECT CONCAT(MIN(seq), ' ', tool, ' ', action) FROM dw_audit_event WHERE seq = (SELECT MIN(seq) FROM dw_audit_event)")" \
	"$LAST_OLD dw-audit checkpoint" "the last of them is now the checkpoint"
is "$(myq "SELECT COUNT(*) FROM dw_audit_event WHERE seq < $LAST_OLD")" 0 "the others are gone"
is "$(wc -l <"$T/archive.jsonl") $(stat -c %a "$T/archive.jsonl")" "$LAST_OLD 600" \
	"the archive has each purged event, readable by its owner only"
like "$(head -1 "$T/archive.jsonl")" '^\{"seq":"1","prev_hash":"0{64}","hash":"[0-9a-f]{64}","at":' \
	"as JSON lines with their hashes"
is "$(myq "SELECT GROUP_CONCAT(outcome ORDER BY seq SEPARATOR ' ') FROM dw_audit_event WHERE tool = 'dw-audit' AND action = 'purge'")" \
	"started done" "the purge is an event itself"
like "$(myq "SELECT detail FROM dw_audit_event WHERE action = 'purge' AND outcome = 'done'")" \
	"\"checkpoint\":$LAST_OLD," "naming its checkpoint"

run audit -v verify
like "$rc $(printf '%s' "$errout" | tr '\n' ' ')" "^0 .*checkpoint of a purge, event $LAST_OLD" \
	"verify passes across the purge"
like "$errout" "2 anchors signed and extended by the chain" "and the anchors, the first one purged"
run audit -v verify --archive "$T/archive.jsonl"
like "$rc $(printf '%s' "$errout" | tr '\n' ' ')" "^0 .*$LAST_OLD archived events chained to the checkpoint" \
	"verify --archive checks the archived part against the checkpoint"
sed '5s/"question":"q[0-9]*"/"question":"rewritten"/' "$T/archive.jsonl" >"$T/bad.jsonl"
run audit verify --archive "$T/bad.jsonl"
like "$rc $errout" "^1 .*archive line 5: event 5 changed" "an archived event edited: named"
sed '7d' "$T/archive.jsonl" >"$T/gap.jsonl"
run audit verify --archive "$T/gap.jsonl"
like "$rc $errout" "^1 .*archive line 7: event 7 missing" "an archived event removed: named"

run audit -v purge --older-than 90d
like "$rc $errout" "^0" "purging again with nothing older: nothing to do"
is "$(myq "SELECT MIN(seq) FROM dw_audit_event")" "$LAST_OLD" "the checkpoint stays"
run audit purge
is "$rc" 64 "purge without --older-than: exit 64"

# ---- a checkpoint made by hand, to hide the start of the chain ----
myq "SET @dw_audit_purge = 1;
	DELETE FROM dw_audit_event WHERE seq < $LAST_OLD + 10;
	UPDATE dw_audit_event SET tool = 'dw-audit', action = 'checkpoint' WHERE seq = $LAST_OLD + 10"
run audit verify --anchors /dev/null
is "$rc" 1 "a checkpoint no purge recorded: verify fails"
like "$errout" "a checkpoint with no purge recorded after it: events removed at the start" "and says why"
