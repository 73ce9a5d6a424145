#!/bin/sh
# dw-audit anchors: the chain's head signed with Ed25519 into a file
# outside the warehouse. An attacker with full access to the warehouse but
# not the key can truncate the chain, or rewrite it whole after an edit,
# so that the chain alone verifies; the anchors catch both.
. "${0%/*}/lib/test.sh"
plan 18

userdb
cd "$T" || exit 1
loaddb 20
cat >>"$CONF" <<YAML
audit:
  signing_key: $T/keys/anchor.pem
  public_key: $T/keys/anchor.pub
  anchors: $T/anchors
YAML
mkdir "$T/keys"
grep -v -e '^audit:' -e '^  signing_key:' -e '^  public_key:' -e '^  anchors:' "$CONF" >"$T/chain-only.yaml"
audit() { "$DW_BIN/dw-audit" -c "$CONF" "$@"; }
events() {
	myq "INSERT INTO dw_audit_event (at, tool, action, os_user, role, db_user, question,
		elapsed_ms, outcome) SELECT NOW(6), 'test', 'x', 'u', 'r', 'd', CONCAT('q', s.seq),
		s.seq, 'done' FROM seq_1_to_$1 AS s ORDER BY s.seq"
}
broken() { printf '%s' "$errout" | sed -n 's/^dw-audit: \(error: \)*//p' | head -1; }

run audit keygen
is "$rc$errout" 0 "keygen makes the key pair"
is "$(stat -c %a "$T/keys/anchor.pem") $(stat -c %a "$T/keys/anchor.pub")" "600 644" \
	"the private key readable by its owner only"
run audit keygen
is "$rc" 65 "and never replaces it"

events 50
run audit anchor
like "$rc $out" "^0 dw-audit-anchor v1 seq=[0-9]+ hash=[0-9a-f]{64} time=[0-9T:.-]+Z sig=[A-Za-z0-9+/]{86}==$" \
	"anchor prints the signed head"
is "$(cat "$T/anchors")" "$out" "and appends it to the anchors file"
events 10
run audit anchor
is "$(wc -l <"$T/anchors")" 2 "a second anchor, later"
run audit -v verify
like "$rc $(printf '%s' "$errout" | tail -1)" "^0 dw-audit: 2 anchors signed and extended by the chain" \
	"verify checks the chain and both anchors"
HEAD=$(myq "SELECT seq FROM dw_audit_head")

# ---- the last ten events removed, the head set back to match ----
myq "DROP TRIGGER dw_audit_no_update; DROP TRIGGER dw_audit_no_delete;
	DELETE FROM dw_audit_event WHERE seq > $HEAD - 10;
	UPDATE dw_audit_head SET seq = $HEAD - 10,
		hash = (SELECT hash FROM dw_audit_event WHERE seq = $HEAD - 10)"
run "$DW_BIN/dw-audit" -c "$T/chain-only.yaml" verify
is "$rc" 0 "truncated with the head set back: the chain alone verifies"
run audit verify
is "$rc" 1 "the anchors do not"
like "$(broken)" "anchor on line 2: the chain no longer has event $HEAD \(truncated\)" "naming the anchor"

# ---- an event edited and the whole chain computed again ----
events 10
myq "SET @dw_audit_purge = 1;
	UPDATE dw_audit_event SET question = 'never asked' WHERE seq = 25;
	SET @h = REPEAT('0', 64);
	UPDATE dw_audit_event SET prev_hash = @h, hash = (@h := SHA2(CONCAT(CAST(@h AS BINARY),
		CAST(dw_audit_canonical(seq, at, tool, action, os_user, role, db_user, question, engine,
		sql_text, row_count, elapsed_ms, outcome, detail) AS BINARY)), 256)) ORDER BY seq;
	UPDATE dw_audit_head SET hash = @h"
run "$DW_BIN/dw-audit" -c "$T/chain-only.yaml" verify
is "$rc" 0 "an edit with the whole chain computed again: the chain alone verifies"
run audit verify
is "$rc" 1 "the anchors do not"
like "$(broken)" "anchor on line 1: event [0-9]+ has another hash than when it was anchored \(the chain was rewritten\)" \
	"naming the first anchor"

# ---- anchors that were not signed with the key ----
myq "SET @dw_audit_purge = 1; DELETE FROM dw_audit_event; UPDATE dw_audit_head SET seq = 0, hash = REPEAT('0', 64)"
: >"$T/anchors"
events 5
audit anchor >/dev/null
# (its hash's first digit changed, whatever it was)
sed -e 's/hash=0/hash=1/' -e 't' -e 's/hash=./hash=0/' "$T/anchors" >"$T/forged"
run audit verify --anchors "$T/forged"
like "$rc $(broken)" "^1 anchor on line 1 of .*: not signed by this key \(forged or damaged\)" \
	"an anchor altered: its signature fails"
sed -e "s|$T/keys/anchor|$T/keys/other|" "$CONF" >"$T/other.yaml"
"$DW_BIN/dw-audit" -c "$T/other.yaml" keygen && "$DW_BIN/dw-audit" -c "$T/other.yaml" anchor >/dev/null
run audit verify
like "$rc $(broken)" "^1 anchor on line 2 of .*: not signed by this key" "an anchor signed with another key fails"

# ---- errors ----
run "$DW_BIN/dw-audit" -c "$T/chain-only.yaml" anchor
is "$rc" 78 "anchor with no signing key configured: exit 78"
ln -s "$T/elsewhere" "$T/link"
run audit --set audit.anchors="$T/link" anchor
like "$rc $(broken)" "^74 cannot open the anchors file" "an anchors file that is a symbolic link is refused"
ok "[ ! -e '$T/elsewhere' ]" "and nothing is written through it"
