# Sourced by t/*.t: TAP helpers and per-test databases on the servers that
# t/lib/run-integration started (see DW_TEST_ENV).
#   plan N; ok COND NAME; is GOT WANT NAME; like GOT REGEX NAME
#   newdb                 -> creates this test's databases, sets $CONF
#   pgq SQL / myq SQL     -> run SQL on this test's OLTP / warehouse db
#   dwetl ARGS...         -> dw-etl -c $CONF ARGS...
#   run CMD...            -> runs CMD, sets $rc, $out (stdout), $errout (stderr)
set -u
: "${DW_TEST_ENV:?run integration tests through make check}"
. "$DW_TEST_ENV"
export PATH="/usr/sbin:$PATH"
T=$(mktemp -d "$DW_TEST_TMP/t.XXXXXX")
chmod 755 "$T"
_n=0
_failed=0
DB=dwt_$(basename "$0" .t | tr -c 'a-z0-9\n' '_')_$$

plan() { echo "1..$1"; }
_report() {
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _failed=$((_failed + 1)); fi
}
ok() { if eval "$1"; then _report 0 "$2"; else _report 1 "$2"; fi; }
is() {
	if [ "$1" = "$2" ]; then _report 0 "$3"; else
		_report 1 "$3"; printf '#   got:  %s\n#   want: %s\n' "$1" "$2" >&2; fi
}
like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then _report 0 "$3"; else
		_report 1 "$3"; printf '#   got:  %s\n#   want match: %s\n' "$1" "$2" >&2; fi
}
diag() { echo "# $*"; }

pgq() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d "$DB" -c "$1"; }
myq() { mariadb --no-defaults -N -B --socket="$DW_TEST_MYSOCK" -uroot "$DB" -e "$1"; }

newdb() {
	psql -X -q -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d postgres -c "CREATE DATABASE $DB" >/dev/null
	mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot -e "CREATE DATABASE $DB"
	CONF=$T/dw.yaml
	cat >"$CONF" <<YAML
oltp:
  conninfo: "host=127.0.0.1 port=$DW_TEST_PGPORT user=postgres dbname=$DB"
warehouse:
  host: 127.0.0.1
  port: $DW_TEST_MYPORT
  user: root
  database: $DB
YAML
	chmod 600 "$CONF"
}

dwetl() { "$DW_BIN/dw-etl" -c "$CONF" "$@"; }

# A warehouse whose roles dw-user applies: the shipped knowledge file in
# $CONF, and, at the end, the role schemas and roles of the test database
# dropped with it (roles and accounts outlive a database).
userdb() {
	newdb
	printf 'ask:\n  knowledge: %s/etc/ask/superstore.yaml\n' "$DW_TOP" >>"$CONF"
}
droproles() {
	for r in sales_associate store_manager executive admin; do
		myq "DROP DATABASE IF EXISTS ${DB}_$r; DROP ROLE IF EXISTS ${DB}_$r" 2>/dev/null
	done
}

# Fills the test databases with $1 generated orders (init, generate, import;
# the files in $T) and, with "sync" as $2, runs dw-etl run; bails out of the
# test when any step fails.
loaddb() {
	if ! { dwetl init &&
		dwetl generate --orders "$1" --seed 1 -o "$T/orders.csv" --returns "$T/returns.csv" &&
		dwetl import "$T/orders.csv" "$T/returns.csv" &&
		{ [ "${2:-}" != sync ] || dwetl run; }; } >"$T/setup.out" 2>&1; then
		echo "Bail out! warehouse setup failed: $(cat "$T/setup.out")"
		exit 1
	fi
}

run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	errout=$(cat "$T/err")
}

_finish() {
	psql -X -q -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d postgres \
		-c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
	mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot -e "DROP DATABASE IF EXISTS $DB" 2>/dev/null
	rm -rf "$T"
}
trap _finish EXIT
