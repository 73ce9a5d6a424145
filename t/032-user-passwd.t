#!/bin/sh
# dw-user's network accounts: ed25519 passwords held to NIST SP 800-63B
# (length, the cracklib blocklist, the user's name, the last five), read
# from standard input here (never from the command line), a lock, and a
# one-time password that must be changed at the next login.
. "${0%/*}/lib/test.sh"
plan 33

userdb
cd "$T" || exit 1
loaddb 100
U=dwp$$
cleanup() {
	droproles
	myq "DROP USER IF EXISTS '$U'@'%'; DROP USER IF EXISTS '${U}w'@'%'" 2>/dev/null
	_finish
}
trap cleanup EXIT

user() { "$DW_BIN/dw-user" -c "$CONF" "$@"; }
pw() { printf '%s\n' "$1" | "$DW_BIN/dw-user" -c "$CONF" "$2" "$U"; }
login() {   # password, SQL: as the account over TCP
	mariadb --no-defaults -N -B -h 127.0.0.1 -P "$DW_TEST_MYPORT" -u"$U" -p"$1" -e "${2:-SELECT 1}" 2>&1
}
P1="violet tundra cobalt ferry"

run user roles apply
is "$rc" 0 "roles applied"
run sh -c "printf '%s\n' 'short one' | '$DW_BIN/dw-user' -c '$CONF' add ${U}w --role executive --auth password"
is "$rc" 65 "add with a weak password: exit 65"
is "$(myq "SELECT COUNT(*) FROM mysql.user WHERE User = '${U}w'")" 0 "and no account is made"
run sh -c "printf '%s\n' '$P1' | '$DW_BIN/dw-user' -c '$CONF' add $U --role executive --auth password"
is "$rc$errout" 0 "add with a good password"
is "$(login "$P1" "SELECT CURRENT_USER(), CURRENT_ROLE()")" "$U@%	${DB}_executive" \
	"the account logs in over the network with it, holding the role"
is "$(myq "SELECT plugin FROM mysql.user WHERE User = '$U'")" ed25519 "authenticated by ed25519"

# ---- the rules ----
run pw "too short pw" passwd
like "$rc $errout" "^65 .*too short: 12 characters, at least 15" "passwd: too short"
run pw "abcdefghijklmnopqrs" passwd
like "$rc $errout" "^65 .*too easy to guess" "passwd: refused by the cracklib blocklist"
run pw "hello $U how are you" passwd
like "$rc $errout" "^65 .*contains the user's name" "passwd: containing the name"
run pw "$P1" passwd
like "$rc $errout" "^65 .*one of the last 5" "passwd: the current password again"
P2="amber lantern quarry mosaic"
run pw "$P2" passwd
is "$rc$errout" 0 "passwd: a good one is accepted"
like "$(login "$P1")" "Access denied" "the old password no longer logs in"
is "$(login "$P2")" 1 "the new one does"
for p in "harbor ember sequoia plinth" "granite kettle mirage vortex" \
	"saffron meadow pylon crescent" "nimbus quartz tangle orchard"; do
	pw "$p" passwd >/dev/null 2>&1
done
P6="nimbus quartz tangle orchard"
run pw "$P2" passwd
like "$rc $errout" "^65 .*one of the last 5" "the fourth before is still one of the last five"
run pw "$P1" passwd
like "$rc $errout" "^65 .*the server refuses the password" \
	"the sixth before: dw-user would allow it, the server's reuse check does not"
is "$(myq "SELECT COUNT(*) FROM dw_password_history WHERE account = '$U'")" 5 \
	"only five hashes are kept"
like "$(myq "SELECT MIN(hash) FROM dw_password_history WHERE account = '$U'")" '^\$argon2id\$v=19\$m=19456,t=2,p=1\$' \
	"as argon2id with OWASP's parameters"

# ---- lock, reset ----
run user lock "$U"
like "$(login "$P6")" "locked" "a locked account cannot log in"
run user unlock "$U"
run user reset "$U"
OT=$out
like "$rc $OT" "^0 [A-Za-z0-9_-]{24}$" "reset prints a one-time password of 24 characters"
like "$(login "$OT")" "must SET PASSWORD" "which is expired: a new one must be chosen at login"
# The server holds any client to the same rules (roles apply set them up).
expired() {   # one-time password, SQL: in the expired-password sandbox
	mariadb --no-defaults -N -B -h 127.0.0.1 -P "$DW_TEST_MYPORT" -u"$U" -p"$1" \
		--connect-expired-password -e "$2" 2>&1
}
like "$(expired "$OT" "SET PASSWORD = PASSWORD('short pass')")" "does not satisfy the current policy" \
	"the server refuses a short password from the mariadb client"
like "$(expired "$OT" "SET PASSWORD = PASSWORD('characteristically')")" "does not satisfy the current policy" \
	"and a blocklisted one"
like "$(expired "$OT" "SET PASSWORD = PASSWORD('$P2')")" "does not satisfy the current policy" \
	"and one used before"
P7="juniper atlas wicket fennel"
is "$(expired "$OT" "SET PASSWORD = PASSWORD('$P7'); SELECT 'changed'")" changed \
	"a good new password is accepted in the sandbox"
is "$(login "$P7")" 1 "and logs in"
is "$(myq "SELECT @@GLOBAL.max_password_errors")" 100 "failed logins are limited by the server"

# ---- a person's own password: dw-user passwd with no name ----
cat >"$T/person.yaml" <<YAML
warehouse:
  host: 127.0.0.1
  port: $DW_TEST_MYPORT
  user: $U
YAML
self() { printf '%s\n%s\n' "$1" "$2" | "$DW_BIN/dw-user" -c "$T/person.yaml" passwd; }
run user reset "$U"
OT2=$out
run self "not the one" "cedar pagoda lumen thicket"
is "$rc" 77 "passwd with a wrong current password: exit 77"
run self "$OT2" "short new"
like "$rc $errout" "^65 .*too short" "passwd of one's own: the rules hold"
P8="cedar pagoda lumen thicket"
run self "$OT2" "$P8"
is "$rc$errout" 0 "a person sets their own password from the expired one-time password"
is "$(login "$P8")" 1 "and logs in with it"
is "$(myq "SELECT COUNT(*) FROM dw_audit_event WHERE tool = 'dw-user' AND action = 'passwd' AND db_user = '$U' AND role = 'executive'")" 1 \
	"the change is audited as the person, with the role"
is "$(myq "SELECT COUNT(*) FROM dw_audit_event WHERE detail LIKE '%$P1%' OR detail LIKE '%$P2%' OR detail LIKE '%$OT%' OR question LIKE '%$P1%'")" 0 \
	"no password is in the audit trail"
run sh -c "printf '%s\n' '$P1' | '$DW_BIN/dw-user' -c '$CONF' passwd nobody_at_all"
is "$rc" 65 "passwd for no person: exit 65"
