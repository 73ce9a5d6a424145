#!/bin/sh
# dw-etl run and follow when things go wrong: a run killed in the middle
# leaves the warehouse as it was and the next run loads everything once;
# follow picks up commits (woken by NOTIFY, also under a steady stream of
# notifications), finishes the cycle in progress and exits 0 on SIGTERM and
# SIGINT, survives a restart of the warehouse server, gives up at once on
# what waiting cannot cure and keeps retrying what it can.
. "${0%/*}/lib/test.sh"
plan 82

bail() {
	echo "Bail out! $*"
	exit 1
}

newdb
dwetl init >"$T/init.out" 2>&1 || bail "dw-etl init failed: $(cat "$T/init.out")"

# ---- background processes ----
# bg NAME CMD...: runs CMD (an executable, so that the pid is its own) in
# the background with stdout and stderr in $T/NAME.out and $T/NAME.err.
# $T/NAME.pid holds its pid and, once it has ended, $T/NAME.rc its exit
# status. Whatever is still running on exit is killed by pid.
BGS=""
bg() {
	_b=$1
	shift
	rm -f "$T/$_b.pid" "$T/$_b.rc"
	(
		"$@" >"$T/$_b.out" 2>"$T/$_b.err" &
		echo $! >"$T/$_b.pid"
		wait $!
		echo $? >"$T/$_b.rc.tmp" && mv "$T/$_b.rc.tmp" "$T/$_b.rc"
	) </dev/null >/dev/null 2>&1 &
	BGS="$BGS $_b"
	wait_for "[ -s '$T/$_b.pid' ]" || bail "cannot start $*"
}
running() { [ -s "$T/$1.pid" ] && [ ! -e "$T/$1.rc" ]; }
# signal NAME SIG: sends SIG to NAME if it is still running.
signal() { ! running "$1" || kill -"$2" "$(cat "$T/$1.pid")"; }
# finish NAME [SECONDS]: waits for NAME to end (30 s by default); $bgrc is
# its exit status, or "running" when it did not end in time.
finish() {
	if wait_for "[ -e '$T/$1.rc' ]" "${2:-30}"; then bgrc=$(cat "$T/$1.rc"); else bgrc=running; fi
}
# bounded NAME CMD...: runs CMD like test.sh's run, but gives up after 30 s
# (rc "running", and CMD is killed) instead of hanging.
bounded() {
	_bn=$1
	bg "$@"
	finish "$_bn"
	[ "$bgrc" != running ] || signal "$_bn" KILL
	rc=$bgrc
	errout=$(cat "$T/$_bn.err")
}

# wait_for COND [SECONDS]: evaluates COND every 0.2 s until it holds
# (returns 0) or SECONDS (30 by default) have passed (returns 1).
wait_for() {
	_w=$((${2:-30} * 5))
	until eval "$1"; do
		_w=$((_w - 1))
		[ "$_w" -gt 0 ] || return 1
		sleep 0.2
	done
}

# Ends the blocking sessions of section 1 on the server's side (those
# sleeping N seconds, or all).
kill_sleeper() {
	for _id in $(myq "SELECT id FROM information_schema.processlist
		WHERE db = DATABASE() AND info LIKE 'SELECT SLEEP(${1:-}%'"); do
		myq "KILL $_id"
	done
}
EMPTY=${DB}_empty
cleanup() {
	kill_sleeper 2>/dev/null
	for b in $BGS; do signal "$b" TERM 2>/dev/null; done
	for b in $BGS; do
		wait_for "! running $b" 10 || signal "$b" KILL 2>/dev/null
	done
	[ -d "$T/srv2" ] && sh "$DW_TOP/t/lib/dwservers" stop "$T/srv2"
	psql -X -q -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d postgres -c \
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB'" \
		>/dev/null 2>&1
	mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot -e "DROP DATABASE IF EXISTS $EMPTY" 2>/dev/null
	_finish
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# ---- the warehouse seen from the side ----
# Statements of this test's warehouse database running in other sessions
# whose text starts with one of the patterns given.
busy() {
	_c="info LIKE '$1%'"
	shift
	for _p in "$@"; do _c="$_c OR info LIKE '$_p%'"; done
	[ "$(myq "SELECT count(*) FROM information_schema.processlist
		WHERE db = DATABASE() AND id <> CONNECTION_ID() AND ($_c)")" -gt 0 ]
}
# The connection holding the run lock (dw-etl takes it per database), NULL
# when free.
lock_holder() { myq "SELECT IS_USED_LOCK(CONCAT('dw-etl run ', DATABASE()))"; }
lock_free() { [ "$(lock_holder)" = NULL ]; }
# A first load's facts on their way into fact_sales (LOAD DATA, no staging).
streaming() {
	[ "$(myq "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE()
		AND id <> CONNECTION_ID() AND info LIKE 'LOAD DATA%INTO TABLE fact_sales%'")" -gt 0 ]
}
# The indexes of fact_sales, each with its columns.
fact_indexes() {
	myq "SELECT GROUP_CONCAT(CONCAT(index_name, ':', cols) ORDER BY index_name SEPARATOR ' ')
		FROM (SELECT index_name, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols
		FROM information_schema.statistics WHERE table_schema = DATABASE()
		AND table_name = 'fact_sales' GROUP BY index_name) x"
}
# Everything a run writes, on one line: counts and checksums of the tables,
# the run records and the watermarks.
wh_state() {
	myq "SELECT concat_ws(' ',
		(SELECT concat_ws('/', count(*), sum(crc32(concat_ws('|', customer_id, customer_name, segment))))
		 FROM dim_customer),
		(SELECT count(*) FROM dim_product), (SELECT count(*) FROM dim_location),
		(SELECT count(*) FROM dim_date), (SELECT count(*) FROM fact_return),
		(SELECT concat_ws('/', count(*), sum(quantity), sum(sales), sum(profit), sum(returned))
		 FROM fact_sales),
		(SELECT count(*) FROM dw_etl_run),
		(SELECT coalesce(group_concat(table_name, '=', watermark ORDER BY table_name), 'no watermark')
		 FROM dw_etl_watermark))"
}

# ---- reconciliation: the same figures from both sides ----
# Per month of order date: lines, units, sales, discounts, profit, shipping
# cost and returned lines.
oltp_months() {
	pgq "SELECT concat_ws(' ', m, n, q, s, d, p, c, r) FROM (
		SELECT to_char(o.order_date, 'YYYYMM') AS m, count(*) AS n, sum(ol.quantity) AS q,
		       sum(ol.sales) AS s, sum(ol.discount) AS d, sum(ol.profit) AS p,
		       sum(ol.shipping_cost) AS c, count(r.order_id) AS r
		FROM order_line ol JOIN orders o USING (order_id) LEFT JOIN order_return r USING (order_id)
		GROUP BY 1) x ORDER BY m"
}
wh_months() {
	myq "SELECT concat_ws(' ', m, n, q, s, d, p, c, r) FROM (
		SELECT order_date_key DIV 100 AS m, count(*) AS n, sum(quantity) AS q, sum(sales) AS s,
		       sum(discount) AS d, sum(profit) AS p, sum(shipping_cost) AS c, sum(returned) AS r
		FROM fact_sales GROUP BY order_date_key DIV 100) x ORDER BY m"
}
# Per segment and category (through the dimensions): lines and sales.
oltp_dims() {
	pgq "SELECT concat_ws('|', g, k, n, s) FROM (
		SELECT sg.name AS g, ca.name AS k, count(*) AS n, sum(ol.sales) AS s
		FROM order_line ol JOIN orders o USING (order_id)
		JOIN customer cu ON cu.customer_id = o.customer_id JOIN segment sg USING (segment_id)
		JOIN product pr ON pr.product_id = ol.product_id
		JOIN subcategory sc USING (subcategory_id) JOIN category ca USING (category_id)
		GROUP BY 1, 2) x ORDER BY g, k"
}
wh_dims() {
	myq "SELECT concat_ws('|', g, k, n, s) FROM (
		SELECT c.segment AS g, p.category AS k, count(*) AS n, sum(f.sales) AS s
		FROM fact_sales f JOIN dim_customer c USING (customer_key)
		JOIN dim_product p USING (product_key)
		GROUP BY c.segment, p.category) x ORDER BY g, k"
}
oltp_counts() {
	pgq "SELECT concat_ws(' ', (SELECT count(*) FROM customer), (SELECT count(*) FROM product),
		(SELECT count(*) FROM order_line), (SELECT count(*) FROM order_return))"
}
wh_counts() {
	myq "SELECT concat_ws(' ', (SELECT count(*) FROM dim_customer), (SELECT count(*) FROM dim_product),
		(SELECT count(*) FROM fact_sales), (SELECT count(*) FROM fact_return))"
}
# reconciled WHAT: 4 tests.
reconciled() {
	is "$(wh_counts)" "$(oltp_counts)" "$1: customers, products, lines and returns as in the OLTP database"
	is "$(wh_months)" "$(oltp_months)" "$1: the per-month sums match"
	is "$(wh_dims)" "$(oltp_dims)" "$1: the per-segment and category sums match"
	is "$(myq "SELECT count(*) = count(DISTINCT order_id, product_id) FROM fact_sales")" 1 \
		"$1: no line is there twice"
}

# dw-etl run, again while it exits 75. The run lock is a GET_LOCK held by
# the run's warehouse connection: after a kill -9 the server keeps it (and
# the open transaction) until it notices the connection is dead, which is
# when the statement it was running ends; only then does it roll back and
# free the lock, so a run right after a crash may find it still held.
run_retrying() {
	_r=150
	while :; do
		run dwetl "$@"
		if [ "$rc" != 75 ] || [ $_r -le 0 ]; then break; fi
		_r=$((_r - 1))
		sleep 0.2
	done
}

# ---- 1. crash safety: a run killed while it loads, then just before it commits ----
# A data set large enough for a run to take a while.
"$DW_BIN/dw-etl" generate --orders 60000 -o "$T/orders.csv" --returns "$T/returns.csv" 2>"$T/gen.err" ||
	bail "dw-etl generate failed: $(cat "$T/gen.err")"
dwetl import "$T/orders.csv" "$T/returns.csv" >"$T/import.out" 2>&1 ||
	bail "dw-etl import failed: $(cat "$T/import.out")"

before=$(wh_state)
indexes_before=$(fact_indexes)
is "$(myq "SELECT count(*) FROM fact_sales")" 0 "the warehouse is empty before the first run"
# The kill lands while the facts stream into fact_sales: a session's gap
# locks on the empty fact_return hold the run at its returns merge, one on
# fact_sales (taken once the run has dropped its indexes) then holds the
# stream, and the first is let go.
bg gapret mariadb --no-defaults -N -B --socket="$DW_TEST_MYSOCK" -uroot "$DB" \
	-e "BEGIN; SELECT count(*) FROM fact_return FOR UPDATE; SELECT SLEEP(301)"
wait_for "busy 'SELECT SLEEP(301)'" || diag "the fact_return session did not start"
bg run1 "$DW_BIN/dw-etl" -c "$CONF" run
ok "wait_for \"busy 'INSERT INTO fact_return'\" 60" "the first run loads the warehouse, up to its returns"
bg gapsales mariadb --no-defaults -N -B --socket="$DW_TEST_MYSOCK" -uroot "$DB" \
	-e "BEGIN; SELECT count(*) FROM fact_sales FOR UPDATE; SELECT SLEEP(302)"
wait_for "busy 'SELECT SLEEP(302)'" || diag "the fact_sales session did not start"
kill_sleeper 301
ok "wait_for streaming 60" "it streams the facts straight into fact_sales"
like "$(lock_holder)" '^[0-9]+$' "it holds the run lock"
signal run1 KILL
finish run1
is "$bgrc" 137 "kill -9 ends it"
kill_sleeper
finish gapret
finish gapsales
ok "wait_for lock_free 60" "the server frees the run lock of the killed run"
is "$(wh_state)" "$before" "the killed run left nothing behind: no rows, no run record, no watermark"
is "$(myq "SELECT GROUP_CONCAT(index_name ORDER BY index_name) FROM dw_etl_pending_index")" \
	"fact_sales_customer,fact_sales_location,fact_sales_product,fact_sales_ship_date" \
	"a first load drops the non-unique indexes of fact_sales, listed as pending"
run_retrying run
is "$rc" 0 "the next run exits 0"
reconciled "after the next run"
is "$(fact_indexes)" "$indexes_before" "fact_sales has every index it had"
is "$(myq "SELECT count(*) FROM dw_etl_pending_index")" 0 "none is pending"
is "$(myq "SELECT group_concat(status) FROM dw_etl_run")" ok "one run is recorded, ok"
is "$(myq "SELECT count(*) FROM dw_etl_watermark WHERE table_name = 'sales'")" 1 "the sales watermark is set"
is "$(myq "SELECT count(*) FROM dw_etl_watermark WHERE watermark <> (SELECT watermark FROM dw_etl_run)")" 0 \
	"every watermark is the recorded run's"

# A first load killed after its commit, while it builds the indexes again:
# a session reading fact_sales in a transaction holds the table's metadata
# lock, so the ALTER TABLE waits for it, and the kill lands there.
myq "TRUNCATE fact_sales"
bg run1b "$DW_BIN/dw-etl" -c "$CONF" run --full
ok "wait_for \"busy 'LOAD DATA'\" 60" "a first load into an emptied fact_sales loads"
bg reader mariadb --no-defaults -N -B --socket="$DW_TEST_MYSOCK" -uroot "$DB" \
	-e "BEGIN; SELECT count(*) FROM fact_sales; SELECT SLEEP(300)"
ok "wait_for \"busy 'ALTER TABLE'\" 60" "it commits and waits to build the indexes again"
signal run1b KILL
finish run1b
is "$bgrc" 137 "kill -9 ends it there"
kill_sleeper
finish reader
ok "wait_for lock_free 60" "the server frees the run lock"
is "$(myq "SELECT count(*) FROM fact_sales")" "$(pgq "SELECT count(*) FROM order_line")" \
	"the load is committed"
is "$(myq "SELECT count(*) FROM dw_etl_pending_index")" 4 "its four indexes are pending"
run_retrying run
is "$rc" 0 "the next run exits 0"
is "$(fact_indexes)" "$indexes_before" "and builds them first"
is "$(myq "SELECT count(*) FROM dw_etl_pending_index")" 0 "none is pending any more"
reconciled "after the first load killed while building indexes"
myq "DELETE FROM dw_etl_run WHERE run_id > (SELECT min(run_id) FROM (SELECT run_id FROM dw_etl_run) x)"

# Updates, renames and deletions, then a run stopped just before its
# commit: a session holding the watermark rows makes it wait there, after
# the merge, so the kill lands at the latest possible point every time.
gone=$(pgq "SELECT string_agg(quote_literal(order_id), ',') FROM
	(SELECT order_id FROM order_return ORDER BY order_id LIMIT 3) x")
is "$(myq "SELECT count(DISTINCT order_id) FROM fact_return WHERE order_id IN ($gone)")" 3 \
	"three returned orders are in the warehouse"
pgq "UPDATE order_line SET sales = sales + 1 WHERE row_id % 7 = 0"
pgq "UPDATE customer SET name = name || ' Jr' WHERE customer_id IN
	(SELECT customer_id FROM customer ORDER BY customer_id LIMIT 20)"
pgq "DELETE FROM orders WHERE order_id IN ($gone)"
before=$(wh_state)
bg blocker mariadb --no-defaults -N -B --socket="$DW_TEST_MYSOCK" -uroot "$DB" \
	-e "BEGIN; SELECT count(*) FROM dw_etl_watermark FOR UPDATE; SELECT SLEEP(300)"
wait_for "busy 'SELECT SLEEP'" || diag "the blocking session did not start: $(cat "$T/blocker.err")"
bg run2 "$DW_BIN/dw-etl" -c "$CONF" run
ok "wait_for \"busy 'INSERT INTO dw_etl_watermark'\" 60" \
	"a run of the changes merges them and waits to advance the watermarks"
signal run2 KILL
finish run2
is "$bgrc" 137 "kill -9 ends it"
kill_sleeper
finish blocker
ok "wait_for lock_free 60" "the server frees the run lock of the killed run"
is "$(wh_state)" "$before" "killed before its commit, the run left the warehouse as it was, watermarks too"
run_retrying run
is "$rc" 0 "the next run exits 0"
reconciled "after the changes"
is "$(myq "SELECT (SELECT count(*) FROM fact_sales WHERE order_id IN ($gone)) +
	(SELECT count(*) FROM fact_return WHERE order_id IN ($gone))")" 0 "the deleted orders are gone"
is "$(myq "SELECT count(*) FROM dim_customer WHERE customer_name LIKE '% Jr'")" 20 "the renamed customers are renamed"
is "$(myq "SELECT group_concat(status) FROM dw_etl_run")" ok,ok "two runs are recorded, both ok"

# ---- 2. follow picks up commits ----
# A poll interval of an hour: only a NOTIFY can wake follow in time here.
synced() { [ "$(grep -c 'synced up to' "$T/$1.err")" -ge "${2:-1}" ]; }
fact_of() {
	myq "SELECT concat_ws(' ', f.quantity, f.sales, c.customer_name, c.segment) FROM fact_sales f
		JOIN dim_customer c USING (customer_key) WHERE f.order_id = '$1'"
}
has() { [ "$(fact_of "$1")" = "$2" ]; }
# new_order ID CUSTOMER_ID: an order with one line; a customer named
# "Zoe ID" is added when CUSTOMER_ID is new.
new_order() {
	pgq "BEGIN;
	INSERT INTO customer (customer_id, name, segment_id)
		SELECT '$2', 'Zoe $1', segment_id FROM segment WHERE name = 'Home Office'
		ON CONFLICT (customer_id) DO NOTHING;
	INSERT INTO orders (order_id, customer_id, order_date, ship_date, ship_mode, order_priority,
		market, region, country, state, city, postal_code)
		VALUES ('$1', '$2', '2014-06-15', '2014-06-18', 'First Class', 'High',
		'US', 'East', 'United States', 'New York', 'New York City', '10024');
	INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount, profit,
		shipping_cost)
		SELECT '$1', min(product_id), 900001, 3, 123.45, 0.1, 12.34, 5.67 FROM product;
	COMMIT"
}

bg follow1 "$DW_BIN/dw-etl" -c "$CONF" --set etl.poll_interval=1h -v follow
ok "wait_for 'synced follow1'" "follow runs a first cycle"
new_order ZZ-2014-900001 ZZ-90001
ok "wait_for 'has ZZ-2014-900001 \"3 123.4500 Zoe ZZ-2014-900001 Home Office\"'" \
	"follow loads a new order, its line and its new customer"
pgq "UPDATE order_line SET quantity = 5, sales = 205.75 WHERE order_id = 'ZZ-2014-900001'"
ok "wait_for 'has ZZ-2014-900001 \"5 205.7500 Zoe ZZ-2014-900001 Home Office\"'" \
	"and a later change of the line: it keeps following"
pgq "DELETE FROM orders WHERE order_id = 'ZZ-2014-900001'"
ok "wait_for 'has ZZ-2014-900001 \"\"'" "and the deletion of the order"

# A notification every 20 ms, for longer than the test waits: the debounce
# (wait until the channel is quiet) must still end, or a busy OLTP database
# would never be followed.
bg noise env PGAPPNAME=dw_noise psql -X -q -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d "$DB" \
	-c "DO \$\$ BEGIN FOR i IN 1..6000 LOOP
		PERFORM pg_notify('dw_change', 'noise'); COMMIT; PERFORM pg_sleep(0.02); END LOOP; END \$\$"
wait_for "[ \"\$(pgq \"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dw_noise'\")\" = 1 ]" ||
	diag "the notifying session did not start: $(cat "$T/noise.err")"
new_order ZZ-2014-900002 ZZ-90001
ok "wait_for 'has ZZ-2014-900002 \"3 123.4500 Zoe ZZ-2014-900001 Home Office\"'" \
	"follow loads an order committed while notifications keep coming"
pgq "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dw_noise'" >/dev/null
finish noise
ok "running follow1" "follow is still running"

# ---- 3. SIGTERM and SIGINT ----
signal follow1 TERM
finish follow1
is "$bgrc" 0 "follow exits 0 on SIGTERM"
is "$(grep -c 'error' "$T/follow1.err")" 0 "and has reported no error"
bg follow2 "$DW_BIN/dw-etl" -c "$CONF" --set etl.poll_interval=1h -v follow
ok "wait_for 'synced follow2'" "another follow runs a first cycle"
signal follow2 INT
finish follow2
is "$bgrc" 0 "follow exits 0 on SIGINT"

# ---- 4. a warehouse restart, on a MariaDB server of this test's own ----
sh "$DW_TOP/t/lib/dwservers" start "$T/srv2" >"$T/srv2.log" 2>&1 ||
	bail "cannot start a second MariaDB server: $(cat "$T/srv2.log")"
S2_DIR=$(. "$T/srv2/env" && echo "$DW_TEST_DIR")
S2_PORT=$(. "$T/srv2/env" && echo "$DW_TEST_MYPORT")
S2_SOCK=$(. "$T/srv2/env" && echo "$DW_TEST_MYSOCK")
my2() { mariadb --no-defaults -N -B --socket="$S2_SOCK" -uroot "$DB" -e "$1"; }
my2_up() { mariadb-admin --no-defaults --socket="$S2_SOCK" -uroot ping >/dev/null 2>&1; }
# As t/lib/dwservers starts it, with the same data directory, socket and
# port (dwservers start would pick new ports, which the config would miss).
my2_start() {
	if [ "$(id -u)" -eq 0 ]; then set -- /usr/sbin/runuser -u dwtest --; else set --; fi
	"$@" /usr/sbin/mariadbd --no-defaults --datadir="$S2_DIR/my" --socket="$S2_SOCK" \
		--port="$S2_PORT" --bind-address=127.0.0.1 --pid-file="$S2_DIR/my/pid" \
		--log-error="$S2_DIR/my/err" --local-infile=1 --skip-log-bin \
		--innodb-flush-log-at-trx-commit=2 --innodb-buffer-pool-size=256M \
		--max-connections=200 </dev/null >/dev/null 2>&1 &
}
mariadb --no-defaults --socket="$S2_SOCK" -uroot -e "CREATE DATABASE $DB"
CONF2=$T/dw2.yaml
sed -e "s/port: $DW_TEST_MYPORT\$/port: $S2_PORT/" "$CONF" >"$CONF2"
printf 'etl:\n  poll_interval: 1h\n' >>"$CONF2"
chmod 600 "$CONF2"
run "$DW_BIN/dw-etl" -c "$CONF2" init
is "$rc" 0 "init of a warehouse on the second server exits 0"

# Its first cycle loads everything: a signal in the middle of it.
bg follow3 "$DW_BIN/dw-etl" -c "$CONF2" -v follow
busy2() {
	[ "$(my2 "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE()
		AND (info LIKE 'LOAD DATA%' OR info LIKE 'INSERT INTO fact_sales%')")" -gt 0 ]
}
ok "wait_for busy2 60" "follow into the new warehouse starts loading everything"
signal follow3 INT
finish follow3 120
is "$bgrc" 0 "SIGINT in the middle of a cycle: follow exits 0"
ok "synced follow3" "once the cycle is done"
is "$(my2 "SELECT count(*) FROM fact_sales")" "$(pgq "SELECT count(*) FROM order_line")" \
	"which is committed whole"

bg follow4 "$DW_BIN/dw-etl" -c "$CONF2" -v follow
ok "wait_for 'synced follow4'" "follow runs a first cycle on the second server"
my2pid=$(cat "$S2_DIR/my/pid")
kill -TERM "$my2pid"
ok "wait_for '! kill -0 $my2pid 2>/dev/null' 60" "the second MariaDB server stops"
new_order ZZ-2014-900003 ZZ-90003
ok "wait_for 'grep -q \"warning: .*retrying in\" \"$T/follow4.err\"'" \
	"follow, woken by a commit, finds the warehouse gone and says it is retrying"
ok "running follow4" "and keeps running"
my2_start
ok "wait_for my2_up 60" "the second MariaDB server starts again, on the same port"
has2() {
	[ "$(my2 "SELECT concat_ws(' ', f.quantity, c.customer_name) FROM fact_sales f
		JOIN dim_customer c USING (customer_key) WHERE f.order_id = 'ZZ-2014-900003'")" = "3 Zoe ZZ-2014-900003" ]
}
# follow retries with a growing backoff (at most 30 s).
ok "wait_for has2 90" "follow reconnects and loads the change into the restarted warehouse"
ok "running follow4" "follow is still running"
signal follow4 TERM
finish follow4
is "$bgrc" 0 "and exits 0 on SIGTERM"
sh "$DW_TOP/t/lib/dwservers" stop "$T/srv2"

# ---- 5. what waiting cannot cure, and what it can ----
cp "$CONF" "$T/bad-key.yaml"
printf 'etl:\n  poll_intervall: 1s\n' >>"$T/bad-key.yaml"
bounded bad1 "$DW_BIN/dw-etl" -c "$T/bad-key.yaml" follow
is "$rc" 78 "follow with an unknown config key exits 78 at once"
like "$errout" "unknown key 'etl.poll_intervall'" "naming the key"

cat "$CONF" - >"$T/bad-secret.yaml" <<YAML
  password_file: $T/no-such-secret
YAML
bounded bad2 "$DW_BIN/dw-etl" -c "$T/bad-secret.yaml" follow
is "$rc" 78 "follow with a missing secret file exits 78 at once"
like "$errout" "no-such-secret" "naming the file"

mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot -e "CREATE DATABASE $EMPTY"
bounded bad3 "$DW_BIN/dw-etl" -c "$CONF" --set warehouse.database="$EMPTY" follow
is "$rc" 78 "follow into a warehouse without the schema exits 78 at once"
like "$errout" "dw-etl init" "the hint says to run dw-etl init"

free_port() {
	perl -MIO::Socket::INET -e \
		'print IO::Socket::INET->new(Listen=>1,LocalAddr=>"127.0.0.1",LocalPort=>0)->sockport'
}
bg down1 "$DW_BIN/dw-etl" -c "$CONF" --set warehouse.port="$(free_port)" follow
ok "wait_for '[ \$(grep -c retrying \"$T/down1.err\") -ge 4 ]'" \
	"follow with the warehouse unreachable retries"
ok "running down1" "and keeps running"
like "$(head -1 "$T/down1.err")" "^dw-etl: warning: cannot connect to 'warehouse': .*; retrying in" \
	"saying why, as a warning"
like "$(sed -n 4p "$T/down1.err")" "retrying in 2\.0s$" "waiting longer each time"
signal down1 TERM
finish down1
is "$bgrc" 0 "SIGTERM while it waits to retry: exit 0"

bg down2 "$DW_BIN/dw-etl" -c "$CONF" \
	--set oltp.conninfo="host=127.0.0.1 port=$(free_port) user=postgres dbname=$DB" follow
ok "wait_for '[ \$(grep -c retrying \"$T/down2.err\") -ge 4 ]'" \
	"follow with the OLTP database unreachable retries"
ok "running down2" "and keeps running"
like "$(head -1 "$T/down2.err")" "^dw-etl: warning: cannot connect to 'oltp': .*; retrying in" \
	"saying why, as a warning"
signal down2 INT
finish down2
is "$bgrc" 0 "SIGINT while it waits to retry: exit 0"

exit $((_failed > 0))
