#!/bin/sh
# dw-user's people, with real operating-system users (created here as
# root) who log in to the warehouse over the local socket as themselves,
# no password anywhere: the mariadb client and dw-ask run AS them
# (runuser) read through their role's masking views, audit as themselves,
# and follow every change dw-user makes.
. "${0%/*}/lib/test.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v runuser >/dev/null || ! command -v useradd >/dev/null; then
	echo "1..0 # SKIP needs root, useradd and runuser to make operating-system users"
	exit 0
fi
plan 37

userdb
cd "$T" || exit 1
loaddb 600 sync

A=dwa$$ B=dwb$$
cleanup() {
	droproles
	for u in "$A" "$B" nobody_here; do
		myq "DROP USER IF EXISTS '$u'@'localhost'" 2>/dev/null
		userdel "$u" 2>/dev/null
	done
	_finish
}
trap cleanup EXIT
useradd -M -d /nonexistent "$A" && useradd -M -d /nonexistent "$B" ||
	{ echo "Bail out! useradd failed"; exit 1; }

user() { "$DW_BIN/dw-user" -c "$CONF" "$@"; }
# What a person runs: their own configuration, readable by all, no secret.
cat >"$T/person.yaml" <<YAML
warehouse:
  socket: $DW_TEST_MYSOCK
  database: $DB
ask:
  knowledge: $DW_TOP/etc/ask/superstore.yaml
  as_person: true
  cache_dir: $T/caches
YAML
chmod 644 "$T/person.yaml"
mkdir -m 1777 "$T/caches"
as() { u=$1; shift; runuser -u "$u" -- "$@" </dev/null; }
sql_as() { as "$1" mariadb --no-defaults -N -B --socket="$DW_TEST_MYSOCK" -e "$2" 2>&1; }
ask_as() { as "$1" "$DW_BIN/dw-ask" -c "$T/person.yaml" -F tsv --no-header -- "$2"; }
gold() { myq "$1"; }
EU_SALES="SELECT l.market, SUM(f.sales) FROM fact_sales f JOIN dim_location l USING (location_key)"

run user roles apply
is "$rc" 0 "the default roles are applied"

# ---- add ----

run user add "$A" --role sales_associate
is "$rc$errout" 0 "add $A as a sales associate"
run user add "$B" --role store_manager --scope market=EU
is "$rc$errout" 0 "add $B as a store manager scoped to EU"
run user -F tsv --no-header list
is "$(printf '%s\n' "$out" | cut -f1-5)" "$(printf '%s\tsales_associate\tsocket\t\t0\n%s\tstore_manager\tsocket\tmarket=EU\t0' "$A" "$B")" \
	"list: name, role, auth, scope, locked"
is "$(sql_as "$A" "SELECT CURRENT_USER(), CURRENT_ROLE()")" "$A@localhost	${DB}_sales_associate" \
	"$A logs in over the socket as the operating-system user, holding the role"
is "$(myq "SELECT plugin FROM mysql.user WHERE User = '$A'")" unix_socket "no password exists: unix_socket"

# ---- reading as them ----

is "$(sql_as "$A" "SELECT DISTINCT customer_name FROM ${DB}_sales_associate.dim_customer")" "[redacted]" \
	"the mariadb client as $A: names redacted"
like "$(sql_as "$A" "SELECT customer_name FROM $DB.dim_customer LIMIT 1")" "denied" \
	"and the warehouse itself is out of reach"
run ask_as "$A" "sales by market"
is "$rc $(printf '%s\n' "$out" | sort)" "0 $(gold "$EU_SALES GROUP BY 1" | sort)" \
	"dw-ask as $A answers from the role's schema"
run ask_as "$A" "top 3 customers by sales"
is "$rc" 1 "dw-ask as $A declines to rank redacted customers"
like "$errout" "customer is personal data masked for your role" "and says why"
run ask_as "$B" "sales by market"
is "$rc $out" "0 $(gold "$EU_SALES WHERE l.market = 'EU' GROUP BY 1")" \
	"dw-ask as $B: only the EU"
run as "$A" "$DW_BIN/dw-ask" -c "$T/person.yaml" -o "$T/caches/a.tsv" -- "sales by market"
like "$rc $errout" "^77 .*your role may not export" "a sales associate may not write answers to a file"
ok "[ ! -e '$T/caches/a.tsv' ]" "and none is written"
run as "$B" "$DW_BIN/dw-ask" -c "$T/person.yaml" -o "$T/caches/b.tsv" -- "sales by market"
is "$rc $(cat "$T/caches/b.tsv" 2>/dev/null | wc -l)" "0 2" "a store manager may"
run ask_as "$B" "top 2 customers by sales"
like "$out" "^~[0-9a-f]{16} \(~[0-9a-f]{16}\)	" "and pseudonyms, ranked"
is "$(myq "SELECT DISTINCT CONCAT(os_user, ' ', db_user, ' ', role) FROM dw_audit_event WHERE tool = 'dw-ask' AND action = 'question' AND question = 'sales by market' ORDER BY 1")" \
	"$A $A sales_associate
$B $B store_manager" "each question is audited as the person, with the role"
like "$(sql_as "$A" "INSERT INTO ${DB}_sales_associate.dw_audit_event (at, tool, action, os_user, role, db_user, elapsed_ms, outcome) VALUES (NOW(), 'x', 'x', 'x', 'x', '$B', 0, 'x')")" \
	"CHECK OPTION failed" "a person cannot write an event as someone else"
like "$(sql_as "$A" "DELETE FROM ${DB}_sales_associate.dw_audit_event")" "denied" \
	"nor delete one"
like "$(sql_as "$A" "SELECT COUNT(*) FROM ${DB}_sales_associate.dw_audit_event")" "denied" \
	"nor read the audit trail: the policy does not say audit: own"

# ---- changes ----

run user lock "$A"
is "$rc" 0 "lock $A"
like "$(sql_as "$A" "SELECT 1")" "locked" "a locked account cannot log in"
run user unlock "$A"
is "$(sql_as "$A" "SELECT 1")" 1 "unlocked, it can"
run user set-role "$A" executive
is "$rc" 0 "set-role $A executive"
like "$(sql_as "$A" "SELECT customer_name FROM ${DB}_executive.dim_customer LIMIT 1")" "^~[0-9a-f]{16}$" \
	"$A now reads pseudonyms"
like "$(sql_as "$A" "SELECT 1 FROM ${DB}_sales_associate.dim_customer LIMIT 1")" "denied" \
	"and no longer the old role's schema"
run user scope "$B" market=Africa
run ask_as "$B" "sales by market"
is "$out" "$(gold "$EU_SALES WHERE l.market = 'Africa' GROUP BY 1")" "a new scope: $B sees Africa only"
run user show "$B"
is "$(printf '%s\n' "$out" | tail -1 | cut -f4)" "market=Africa" "show: one person"

# ---- refusals ----

run user add "$A" --role admin
is "$rc" 65 "adding a person twice: exit 65"
run user add nobody_here --role nope
is "$rc" 65 "an unknown role: exit 65"
like "$errout" "no role 'nope'" "named"
run user add nobody_here --role admin
like "$rc $errout" "^65 .*no operating-system user 'nobody_here'" "a name with no operating-system user: exit 65"
run user add "Bad Name" --role admin
is "$rc" 64 "a name that is not a user name: exit 64"
run user add "$B"x
is "$rc" 64 "add without --role: exit 64"
run user scope "$B" colour=red
is "$rc" 64 "a scope on no dimension: exit 64"

# ---- del, and the audit of it all ----

run user del "$B"
is "$rc $(myq "SELECT COUNT(*) FROM mysql.user WHERE User = '$B'") $(myq "SELECT COUNT(*) FROM dw_scope WHERE account = '$B'")" \
	"0 0 0" "del drops the account and its scope"
is "$(myq "SELECT GROUP_CONCAT(CONCAT(action, ':', outcome) ORDER BY event_id SEPARATOR ' ') FROM dw_audit_event WHERE tool = 'dw-user' AND question = '$B'")" \
	"add:started add:done scope:started scope:done scope:started scope:failed del:started del:done" \
	"every change to $B is audited before it is made, and its outcome after"
