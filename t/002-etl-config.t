#!/bin/sh
# dw-etl configuration: errors with file:line, secrets, lookup order,
# precedence of --set > environment > file, unreachable databases.
# Every case runs "dw-etl ... init", the command that loads the config.
. "${0%/*}/lib/test.sh"
plan 74

newdb
DWETL=$DW_BIN/dw-etl
# No per-user file may get in the way of the lookup tests.
export XDG_CONFIG_HOME="$T/xdg"
unset DW_CONFIG DW_WAREHOUSE_PORT DW_WAREHOUSE_PASSWORD DW_WAREHOUSE_PASSWORD_ENV \
	DW_WAREHOUSE_PASSWORD_FILE DW_OLTP_CONNINFO 2>/dev/null

# A MariaDB account with a password, so that the password is really used.
PWUSER=dwpw_$$
SECRET='pw1-Sekr3t-q9z'
WRONG='pw2-Wr0ng-k4x'
mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot -e "
	CREATE USER '$PWUSER'@'%' IDENTIFIED BY '$SECRET';
	GRANT ALL ON \`$DB\`.* TO '$PWUSER'@'%';"
cleanup() {
	mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot \
		-e "DROP USER IF EXISTS '$PWUSER'@'%'" 2>/dev/null
	_finish
}
trap cleanup EXIT

# A port where nothing listens: the kernel picks a free one, then it is closed.
CLOSED=$(perl -MIO::Socket::INET -e \
	'print IO::Socket::INET->new(Listen=>1,LocalAddr=>"127.0.0.1",LocalPort=>0)->sockport')

# Every stderr of this test is kept, to check that no secret ever shows.
: >"$T/allerr"
runc() { run "$@"; cat "$T/err" >>"$T/allerr"; }

# wconf FILE MODE [LINE...]: a config for this test's databases whose
# warehouse section ends with the given lines (the first ones set the port).
wconf() {
	f=$1 mode=$2
	shift 2
	{
		echo "# dw-etl test configuration"
		echo "oltp:"
		echo "  conninfo: \"host=127.0.0.1 port=$DW_TEST_PGPORT user=postgres dbname=$DB\""
		echo ""
		echo "warehouse:"
		echo "  host: 127.0.0.1"
		echo "  database: $DB"
		for l in "$@"; do echo "  $l"; done
	} >"$f"
	chmod "$mode" "$f"
}

# --- errors in the file name the file and the line ---------------------------
wconf "$T/typo.yaml" 600 "port: $DW_TEST_MYPORT" "user: root" "# a comment" "prot: 3307"
runc "$DWETL" -c "$T/typo.yaml" init
is "$rc" 78 "unknown key exits 78"
like "$errout" "^dw-etl: error: $T/typo.yaml:11: unknown key 'warehouse.prot'" \
	"unknown key: file, line and key are named"
like "$errout" "hint: did you mean 'port'\?" "unknown key: did-you-mean hint"
is "$out" "" "unknown key: nothing on stdout"

wconf "$T/far.yaml" 600 "port: $DW_TEST_MYPORT" "user: root" "frobnicate: 1"
runc "$DWETL" -c "$T/far.yaml" init
is "$rc" 78 "unknown key with no close match exits 78"
ok "! printf '%s' \"\$errout\" | grep -q 'did you mean'" "no hint when no key is close"

wconf "$T/type.yaml" 600 "user: root" "port: abc"
runc "$DWETL" -c "$T/type.yaml" init
is "$rc" 78 "port: abc exits 78"
like "$errout" "$T/type.yaml:9: 'warehouse.port': expected an integer.*'abc'" \
	"wrong type: file, line, key and value are named"

wconf "$T/range.yaml" 600 "user: root" "port: 70000"
runc "$DWETL" -c "$T/range.yaml" init
is "$rc" 78 "port out of range exits 78"

wconf "$T/sect.yaml" 600 "port: $DW_TEST_MYPORT" "user: root"
printf 'warehous:\n  port: 1\n' >>"$T/sect.yaml"
runc "$DWETL" -c "$T/sect.yaml" init
is "$rc" 78 "unknown section exits 78"
like "$errout" "$T/sect.yaml:10: unknown section 'warehous'" "unknown section: file, line and name"

wconf "$T/syntax.yaml" 600 "port: $DW_TEST_MYPORT" "user: @root" "connect_timeout: 5"
runc "$DWETL" -c "$T/syntax.yaml" init
is "$rc" 78 "YAML syntax error exits 78"
like "$errout" "^dw-etl: error: $T/syntax.yaml:9: " "YAML syntax error: file and line"

wconf "$T/indent.yaml" 600 "port: $DW_TEST_MYPORT" "user: root" "  connect_timeout: 5"
runc "$DWETL" -c "$T/indent.yaml" init
is "$rc" 78 "bad indentation exits 78"
like "$errout" "$T/indent.yaml:10: " "bad indentation: file and line"

wconf "$T/list.yaml" 600 "port: [$DW_TEST_MYPORT]" "user: root"
runc "$DWETL" -c "$T/list.yaml" init
is "$rc" 78 "a list value exits 78"

wconf "$T/docs.yaml" 600 "port: $DW_TEST_MYPORT" "user: root"
printf -- '---\netl:\n  safety_lag: 1s\n' >>"$T/docs.yaml"
runc "$DWETL" -c "$T/docs.yaml" init
is "$rc" 78 "a second YAML document exits 78"

# --- secrets -------------------------------------------------------------------
wconf "$T/open.yaml" 644 "port: $DW_TEST_MYPORT" "user: $PWUSER" "password: \"$SECRET\""
runc "$DWETL" -c "$T/open.yaml" init
is "$rc" 78 "inline password in a 0644 file exits 78"
like "$errout" "$T/open.yaml:10: 'warehouse.password'" "the unsafe password line is named"
like "$errout" "hint: chmod 600 " "with a chmod hint"

wconf "$T/priv.yaml" 600 "port: $DW_TEST_MYPORT" "user: $PWUSER" "password: \"$SECRET\""
runc "$DWETL" -c "$T/priv.yaml" init
is "$rc" 0 "inline password in a 0600 file is used"
is "$errout" "" "inline password: silent"
is "$(myq "SELECT count(*) FROM information_schema.tables WHERE table_schema = '$DB' AND table_name = 'fact_sales'")" \
	1 "init through the password account created the warehouse"

wconf "$T/nopw.yaml" 600 "port: $DW_TEST_MYPORT" "user: $PWUSER"
runc "$DWETL" -c "$T/nopw.yaml" init
is "$rc" 77 "no password for an account that needs one exits 77"

wconf "$T/env.yaml" 644 "port: $DW_TEST_MYPORT" "user: $PWUSER" "password_env: DWT_WH_PW"
runc env DWT_WH_PW=$SECRET "$DWETL" -c "$T/env.yaml" init
is "$rc" 0 "password_env works (and is allowed in a 0644 file)"
runc env -u DWT_WH_PW "$DWETL" -c "$T/env.yaml" init
is "$rc" 78 "password_env naming an unset variable exits 78"
like "$errout" "env.yaml:[0-9]+: 'warehouse.password_env' names an environment variable that is not set" "the key naming the unset variable is given with its line"

printf '%s\n' "$SECRET" >"$T/pwfile"
chmod 600 "$T/pwfile"
wconf "$T/file.yaml" 644 "port: $DW_TEST_MYPORT" "user: $PWUSER" "password_file: $T/pwfile"
runc "$DWETL" -c "$T/file.yaml" init
is "$rc" 0 "password_file works"
wconf "$T/nofile.yaml" 644 "port: $DW_TEST_MYPORT" "user: $PWUSER" "password_file: $T/nope"
runc "$DWETL" -c "$T/nofile.yaml" init
is "$rc" 78 "unreadable password_file exits 78"

wconf "$T/two.yaml" 600 "port: $DW_TEST_MYPORT" "user: $PWUSER" "password_env: DWT_WH_PW" \
	"password: \"$SECRET\""
runc env DWT_WH_PW=$SECRET "$DWETL" -c "$T/two.yaml" init
is "$rc" 78 "two password keys in a section exit 78"
like "$errout" "two.yaml:11: .*line 10" "both password lines are named"

wconf "$T/wrong.yaml" 600 "port: $DW_TEST_MYPORT" "user: $PWUSER" "password: \"$WRONG\""
runc "$DWETL" -c "$T/wrong.yaml" init
is "$rc" 77 "wrong password exits 77"
like "$errout" "cannot connect to 'warehouse'" "wrong password: the warehouse is named"
runc env DW_WAREHOUSE_PASSWORD=$SECRET "$DWETL" -c "$T/wrong.yaml" init
is "$rc" 0 "DW_WAREHOUSE_PASSWORD replaces the file's password"
runc env DW_WAREHOUSE_PASSWORD_FILE=$T/pwfile "$DWETL" -c "$T/wrong.yaml" init
is "$rc" 0 "DW_WAREHOUSE_PASSWORD_FILE replaces the file's password"
runc env DW_WAREHOUSE_PASSWORD=$WRONG "$DWETL" -c "$T/priv.yaml" init
is "$rc" 77 "a wrong DW_WAREHOUSE_PASSWORD is used, not the file's"

runc "$DWETL" -c "$T/nopw.yaml" --set "warehouse.password=$SECRET" init
is "$rc" 64 "--set cannot set a password"

# A password inside oltp.conninfo is a secret too (the test server trusts
# local connections, so a private file's password is simply not needed).
cconf() {
	f=$1 mode=$2 conn=$3
	wconf "$f" "$mode" "port: $DW_TEST_MYPORT" "user: root"
	sed -i "s|^  conninfo: .*|  conninfo: \"$conn\"|" "$f"
}
cconf "$T/connpw.yaml" 644 "host=127.0.0.1 port=$DW_TEST_PGPORT user=postgres password=$SECRET dbname=$DB"
runc "$DWETL" -c "$T/connpw.yaml" init
is "$rc" 78 "a password in oltp.conninfo of a 0644 file exits 78"
like "$errout" "connpw.yaml:3: 'oltp.conninfo' holds a password" "the conninfo line is named"
cconf "$T/connuri.yaml" 644 "postgresql://postgres:$SECRET@127.0.0.1:$DW_TEST_PGPORT/$DB"
runc "$DWETL" -c "$T/connuri.yaml" init
is "$rc" 78 "a password in a conninfo URI of a 0644 file exits 78"
chmod 600 "$T/connuri.yaml"
runc "$DWETL" -c "$T/connuri.yaml" init
is "$rc" 0 "a password in a conninfo URI of a 0600 file is accepted"
cconf "$T/connset.yaml" 644 "host=127.0.0.1 port=$DW_TEST_PGPORT user=postgres dbname=$DB"
runc "$DWETL" -c "$T/connset.yaml" --set \
	"oltp.conninfo=host=127.0.0.1 port=$DW_TEST_PGPORT user=postgres password=$SECRET dbname=$DB" init
is "$rc" 64 "--set oltp.conninfo with a password exits 64"
runc "$DWETL" -c "$T/connset.yaml" --set "oltp.conninfo=host=127.0.0.1 port=$DW_TEST_PGPORT user=postgres dbname=$DB" init
is "$rc" 0 "--set oltp.conninfo without a password is accepted"

ok "! grep -qF -e '$SECRET' -e '$WRONG' '$T/allerr'" "no password ever appears on stderr"

# --- where the file comes from ------------------------------------------------------
wconf "$T/good.yaml" 600 "port: $DW_TEST_MYPORT" "user: root"
runc env DW_CONFIG="$T/good.yaml" "$DWETL" init
is "$rc" 0 "DW_CONFIG is used when -c is absent"
runc env DW_CONFIG="$T/typo.yaml" "$DWETL" init
is "$rc" 78 "DW_CONFIG names the file that is read"
like "$errout" "$T/typo.yaml:11:" "the DW_CONFIG file is named in errors"
runc env DW_CONFIG="$T/typo.yaml" "$DWETL" -c "$T/good.yaml" init
is "$rc" 0 "-c beats DW_CONFIG"
runc env DW_CONFIG="$T/good.yaml" "$DWETL" -c "$T/typo.yaml" init
is "$rc" 78 "-c beats DW_CONFIG, whichever is bad"
runc env DW_CONFIG="$T/nope.yaml" "$DWETL" init
is "$rc" 78 "a missing DW_CONFIG file exits 78"
runc "$DWETL" -c "$T/nope.yaml" init
is "$rc" 78 "a missing -c file exits 78"
like "$errout" "'$T/nope.yaml'" "the missing file is named"
runc "$DWETL" -c "$T" init
is "$rc" 78 "a directory as config file exits 78"
# A FIFO would block the open until something writes to it: refused at once
# (timeout: a regression fails instead of hanging the suite).
mkfifo "$T/fifo.yaml"
runc timeout 20 "$DWETL" -c "$T/fifo.yaml" init
is "$rc" 78 "a FIFO as config file exits 78 at once"
like "$errout" "config '$T/fifo.yaml' is not a regular file" "the FIFO config is named"
wconf "$T/fifopw.yaml" 644 "port: $DW_TEST_MYPORT" "user: $PWUSER" "password_file: $T/fifo.yaml"
runc timeout 20 "$DWETL" -c "$T/fifopw.yaml" init
is "$rc" 78 "a FIFO as password_file exits 78 at once"
# Unreadable: root reads anything, so as root it runs as the servers' user.
wconf "$T/unread.yaml" 000 "port: $DW_TEST_MYPORT" "user: root"
if [ "$(id -u)" -ne 0 ]; then
	runc "$DWETL" -c "$T/unread.yaml" init
	is "$rc" 78 "an unreadable config file exits 78"
elif id dwtest >/dev/null 2>&1 && /usr/sbin/runuser -u dwtest -- test -x "$DWETL"; then
	runc /usr/sbin/runuser -u dwtest -- "$DWETL" -c "$T/unread.yaml" init
	is "$rc" 78 "an unreadable config file exits 78"
else
	echo "ok $((_n + 1)) - # SKIP no unprivileged user that can run dw-etl"; _n=$((_n + 1))
fi

# With no file anywhere, the defaults (and the environment) are used.
mkdir -p "$T/empty"
(cd "$T/empty" && env -u DW_CONFIG XDG_CONFIG_HOME="$T/empty" \
	DW_OLTP_CONNINFO="host=127.0.0.1 port=$DW_TEST_PGPORT user=postgres dbname=$DB" \
	DW_WAREHOUSE_PORT="$DW_TEST_MYPORT" DW_WAREHOUSE_USER=root DW_WAREHOUSE_DATABASE="$DB" \
	"$DWETL" init) >"$T/out" 2>"$T/err"
rc=$?
if [ -e /etc/dw/dw.yaml ]; then
	echo "ok $((_n + 1)) - # SKIP /etc/dw/dw.yaml exists"; _n=$((_n + 1))
else
	is "$rc" 0 "no file at all: defaults and environment are enough"
fi
mkdir -p "$T/xdg2/dw"
wconf "$T/xdg2/dw/dw.yaml" 600 "port: $DW_TEST_MYPORT" "user: root" "prot: 1"
runc env -u DW_CONFIG XDG_CONFIG_HOME="$T/xdg2" "$DWETL" init
is "$rc" 78 "\$XDG_CONFIG_HOME/dw/dw.yaml is read when nothing else is given"
like "$errout" "$T/xdg2/dw/dw.yaml:10:" "and named in errors"

# --- precedence: --set > environment > file ----------------------------------------
wconf "$T/badport.yaml" 600 "port: $CLOSED" "user: root"
runc "$DWETL" -c "$T/badport.yaml" init
is "$rc" 69 "unreachable warehouse (closed port) exits 69"
like "$errout" "cannot connect to 'warehouse'" "unreachable warehouse is named"
runc env DW_WAREHOUSE_PORT=$DW_TEST_MYPORT "$DWETL" -c "$T/badport.yaml" init
is "$rc" 0 "DW_WAREHOUSE_PORT overrides a wrong port in the file"
runc env DW_WAREHOUSE_PORT=$CLOSED "$DWETL" -c "$T/good.yaml" init
is "$rc" 69 "a wrong DW_WAREHOUSE_PORT overrides a good port in the file"
runc env DW_WAREHOUSE_PORT=$CLOSED "$DWETL" -c "$T/good.yaml" --set "warehouse.port=$DW_TEST_MYPORT" init
is "$rc" 0 "--set beats a wrong DW_WAREHOUSE_PORT"
runc env DW_WAREHOUSE_PORT=$DW_TEST_MYPORT "$DWETL" -c "$T/good.yaml" --set "warehouse.port=$CLOSED" init
is "$rc" 69 "a wrong --set beats a good DW_WAREHOUSE_PORT"
runc env DW_WAREHOUSE_PORT=abc "$DWETL" -c "$T/good.yaml" init
is "$rc" 78 "DW_WAREHOUSE_PORT of the wrong type exits 78"
like "$errout" "DW_WAREHOUSE_PORT" "the variable is named"
runc "$DWETL" -c "$T/good.yaml" --set unknown.key=1 init
is "$rc" 64 "--set unknown.key exits 64"
like "$errout" "unknown\.key" "the unknown key is named"
runc "$DWETL" -c "$T/good.yaml" --set warehouse.port=abc init
is "$rc" 64 "--set with a bad value exits 64"
runc "$DWETL" -c "$T/good.yaml" --set warehouse.port init
is "$rc" 64 "--set without = exits 64"

# --- unreachable OLTP ------------------------------------------------------------
runc env DW_OLTP_CONNINFO="host=127.0.0.1 port=$CLOSED user=postgres dbname=$DB" \
	"$DWETL" -c "$T/good.yaml" init
is "$rc" 69 "unreachable oltp exits 69"
like "$errout" "cannot connect to 'oltp'" "unreachable oltp is named"
