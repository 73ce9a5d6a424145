#!/bin/sh
# dw-audit verify on a real warehouse: the trigger chains every event,
# whoever writes it; verify names the first broken event and what is wrong
# (content changed, missing, inserted, order changed, removed at the end);
# eight writers at once make one chain.
. "${0%/*}/lib/test.sh"
plan 23

userdb
cd "$T" || exit 1
loaddb 50
audit() { "$DW_BIN/dw-audit" -c "$CONF" "$@"; }
events() {   # N events, written with the mariadb client, as any writer could
	myq "INSERT INTO dw_audit_event (at, tool, action, os_user, role, db_user, question,
		elapsed_ms, outcome) SELECT NOW(6), 'test', 'x', 'u', 'r', 'd', CONCAT('q', s.seq),
		s.seq, 'done' FROM seq_1_to_$1 AS s ORDER BY s.seq"
}
reset() {   # an empty trail: the purge path of the append-only guards
	myq "SET @dw_audit_purge = 1; DELETE FROM dw_audit_event;
		UPDATE dw_audit_head SET seq = 0, hash = REPEAT('0', 64)"
}
broken_at() { printf '%s' "$errout" | sed -n 's/.*broken at event \([0-9]*\):.*/\1/p'; }

reset   # the events of loaddb's init and import set aside
events 50
run audit verify
is "$rc$out$errout" 0 "an intact chain: exit 0, nothing printed"
run audit -v verify
like "$errout" "50 events, a chain intact up to event 50" "-v says how many"
is "$(myq "SELECT COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM dw_audit_event")" "50	1	50" \
	"the trigger numbers them 1 to 50"

# ---- append-only ----
like "$(myq "UPDATE dw_audit_event SET question = 'x' WHERE seq = 5" 2>&1)" "append-only" \
	"an UPDATE of an event is refused, even to root"
like "$(myq "DELETE FROM dw_audit_event WHERE seq = 5" 2>&1)" "append-only" "and a DELETE"
# From here on, an attacker with full access, who drops those guards.
myq "DROP TRIGGER dw_audit_no_update; DROP TRIGGER dw_audit_no_delete"

# ---- content changed, and restored ----
Q=$(myq "SELECT question FROM dw_audit_event WHERE seq = 25")
myq "UPDATE dw_audit_event SET question = 'nothing to see' WHERE seq = 25"
run audit verify
is "$rc $(broken_at)" "1 25" "one field of event 25 edited: exit 1, event 25 named"
like "$errout" "content changed" "and what is wrong"
myq "UPDATE dw_audit_event SET question = '$Q' WHERE seq = 25"
run audit verify
is "$rc" 0 "restored exactly, it verifies again"
myq "UPDATE dw_audit_event SET at = at + INTERVAL 1 MICROSECOND WHERE seq = 10"
run audit verify
is "$rc $(broken_at)" "1 10" "a time moved by a microsecond: event 10"
myq "UPDATE dw_audit_event SET at = at - INTERVAL 1 MICROSECOND WHERE seq = 10"

# ---- order changed ----
myq "UPDATE dw_audit_event SET seq = -1 WHERE seq = 30; UPDATE dw_audit_event SET seq = 30 WHERE seq = 31;
	UPDATE dw_audit_event SET seq = 31 WHERE seq = -1"
run audit verify
is "$rc $(broken_at)" "1 30" "two events swapped: event 30"
like "$errout" "inserted, or the order changed" "named as an order change"
myq "UPDATE dw_audit_event SET seq = -1 WHERE seq = 30; UPDATE dw_audit_event SET seq = 30 WHERE seq = 31;
	UPDATE dw_audit_event SET seq = 31 WHERE seq = -1"
run audit verify
is "$rc" 0 "swapped back, it verifies"

# ---- missing, removed at the end ----
myq "DELETE FROM dw_audit_event WHERE seq = 33"
run audit verify
is "$rc $(broken_at)" "1 33" "event 33 deleted: named"
like "$errout" "event missing" "as missing"
reset; events 50
myq "DELETE FROM dw_audit_event WHERE seq > 40"
run audit verify
is "$rc $(broken_at)" "1 41" "the last 10 deleted: the head still says 50, event 41 named"
like "$errout" "events removed at the end" "as removed at the end"

# ---- eight writers at once ----
reset
i=0
while [ $i -lt 8 ]; do
	(n=0; while [ $n -lt 200 ]; do
		echo "INSERT INTO dw_audit_event (at, tool, action, os_user, role, db_user, elapsed_ms, outcome)
			VALUES (NOW(6), 'writer$i', 'x', 'u', 'r', 'd', $n, 'done');"
		n=$((n + 1))
	done) | mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot "$DB" &
	i=$((i + 1))
done
wait
is "$(myq "SELECT COUNT(*), COUNT(DISTINCT seq), MAX(seq), COUNT(DISTINCT tool) FROM dw_audit_event")" \
	"1600	1600	1600	8" "8 writers of 200 events at once: 1,600 events numbered 1 to 1,600"
run audit verify
is "$rc$errout" 0 "one valid chain"

# ---- the tools' own events ----
"$DW_BIN/dw-ask" -c "$CONF" "total sales" >/dev/null 2>&1
run audit verify
is "$rc $(myq "SELECT COUNT(*) FROM dw_audit_event WHERE tool = 'dw-ask'")" "0 2" \
	"dw-ask's events join the chain"

# ---- a forged event in the middle, by someone who drops the trigger ----
myq "DROP TRIGGER dw_audit_chain;
	UPDATE dw_audit_event SET seq = seq + 1 WHERE seq >= 800 ORDER BY seq DESC;
	INSERT INTO dw_audit_event (at, tool, action, os_user, role, db_user, elapsed_ms, outcome,
		seq, prev_hash, hash)
	SELECT NOW(6), 'forged', 'x', 'u', 'r', 'd', 0, 'done', 800, e.hash, REPEAT('f', 64)
	FROM dw_audit_event AS e WHERE e.seq = 799;
	UPDATE dw_audit_head SET seq = seq + 1"
run audit verify
is "$rc $(broken_at)" "1 800" "a forged event put in as event 800: named"
myq "UPDATE dw_audit_event SET hash = (SELECT hash FROM (SELECT hash FROM dw_audit_event WHERE seq = 801) AS x) WHERE seq = 800"
run audit verify
is "$rc $(broken_at)" "1 800" "even with a borrowed hash"
run audit verify --nope
is "$rc" 64 "an unknown option: exit 64"
# Exit 70: an internal failure, forced by a stand-in for libcrypto's digest
# context that reports no memory (the only way verify can fail inside).
printf '#include <stddef.h>\nvoid *EVP_MD_CTX_new(void) { return NULL; }\n' >"$T/nomem.c"
${CC:-cc} -shared -fPIC -o "$T/nomem.so" "$T/nomem.c"
rc=0; errout=$(LD_PRELOAD="$T/nomem.so" "$DW_BIN/dw-audit" -c "$CONF" verify 2>&1 >/dev/null) || rc=$?
is "$rc $errout" "70 dw-audit: error: out of memory" "an internal failure: exit 70, said"
