#!/bin/sh
# dw-validate diff on real servers: a synced warehouse compares clean; each
# kind of breakage (an edited measure, a deleted fact, an extra fact, a
# changed dimension attribute, a trailing space, another Unicode form, an
# edited location, a missing return) is found with its exact key and
# columns; changes the OLTP made since the sync are pending, not errors;
# --repair fixes exactly what differs and nothing else, audited; -F tap and
# junit write a test report, a test per table; every exit code.
. "${0%/*}/lib/test.sh"
plan 45

newdb
loaddb 300 sync
cd "$T" || exit 1
v() { "$DW_BIN/dw-validate" -c "$CONF" "$@"; }
BG=""
cleanup() {
	for p in $BG; do kill "$p" 2>/dev/null; done
	_finish
}
trap cleanup EXIT

run v diff
is "$rc|$out|$errout" "0||" "a freshly synced warehouse: exit 0, nothing printed"
run v -v diff
like "$errout" "diff: 5 tables, [0-9]+ rows compared in .*, 0 differences, 0 pending .*, [0-9]+ queries, [0-9]+ bytes received" \
	"-v: tables, rows, queries and bytes"

# Test reports: TAP read by prove, JUnit by an XML parser.
tap() {   # name of the report, then the options of diff
	_name=$1
	shift
	v -F tap diff "$@" >"$T/$_name.tap" 2>/dev/null
	run prove --exec cat "$T/$_name.tap"
}
xp() { xmllint --xpath "$1" "$T/diff.xml" 2>/dev/null; }
tap clean
like "$rc $(printf '%s' "$out" | tr '\n' ' ')" "^0 .*All tests successful.*Tests=5," \
	"-F tap: a test per table, prove passes"

# Lines picked by their position, each for one breakage (ASCII names, so
# the expected detail can be written here).
line() { pgq "SELECT order_id || '|' || product_id FROM order_line ORDER BY order_id, product_id OFFSET $1 LIMIT 1"; }
L1=$(line 10) L2=$(line 20) L3=$(line 30)
o() { echo "${1%|*}"; }
p() { echo "${1#*|}"; }
where() { echo "order_id = '$(o "$1")' AND product_id = '$(p "$1")'"; }

# ---- each breakage alone, undone by SQL ----
myq "UPDATE fact_sales SET profit = profit + 0.5 WHERE $(where "$L1")"
want=$(pgq "SELECT 'warehouse ''' || (profit + 0.5)::text || ''', oltp ''' || profit::text || ''''
	FROM order_line WHERE $(where "$L1")")
run v diff
is "$rc|$out" "1|DIFF sales $L1: changed: profit: $want" "an edited measure: its key, column and both values"
tap broken
like "$rc $(printf '%s' "$out" | tr '\n' ' ')" "^1 .*Failed 1/5 subtests.*Failed test: +1 " \
	"-F tap: prove fails on the table that differs"
is "$(sed -n 3,5p "$T/broken.tap")" "not ok 1 - sales # 1 difference
# $L1: changed: profit: $want
ok 2 - returns" "its point: the count, then the difference as a comment"
run v -F junit -o "$T/diff.xml" diff
is "$rc $(xp 'string(/testsuites/@tests)') $(xp 'string(/testsuites/@failures)') $(xp 'count(//testcase)') $(xp 'string(//testcase[failure]/@name)')" \
	"1 5 1 5 sales" "-F junit: a testcase per table, the one that differs a failure"
is "$(xp 'string(//failure/@message)')|$(xp 'string(//failure)')" "1 difference|$L1: changed: profit: $want" \
	"its message is the count, its text the difference"
myq "UPDATE fact_sales SET profit = profit - 0.5 WHERE $(where "$L1")"

myq "UPDATE fact_sales SET quantity = quantity + 1 ORDER BY sales_key LIMIT 25"
tap many
is "$(grep -c '^# ' "$T/many.tap") $(grep '^# and' "$T/many.tap")" "21 # and 5 more" \
	"25 differences: a test shows 20, then how many more"
tap limited --limit 3
is "$(grep '^not ok' "$T/limited.tap") $(grep -c '^# ' "$T/limited.tap") $(grep '^# and' "$T/limited.tap")" \
	"not ok 1 - sales # 25 differences 4 # and 22 more" "with --limit 3: the 3 listed, counted all the same"
myq "UPDATE fact_sales SET quantity = quantity - 1 ORDER BY sales_key LIMIT 25"

myq "CREATE TABLE saved AS SELECT * FROM fact_sales WHERE $(where "$L2");
	DELETE FROM fact_sales WHERE $(where "$L2")"
run v diff
is "$rc|$out" "1|DIFF sales $L2: missing in the warehouse" "a deleted fact: missing, with its key"
myq "INSERT INTO fact_sales SELECT * FROM saved; DROP TABLE saved"

myq "INSERT INTO fact_sales (order_id, product_id, row_id, order_date_key, ship_date_key,
	customer_key, product_key, location_key, ship_mode, order_priority, quantity, sales,
	discount, profit, shipping_cost, returned)
	SELECT order_id, 'ZZ-EXTRA', row_id, order_date_key, ship_date_key, customer_key, product_key,
	location_key, ship_mode, order_priority, quantity, sales, discount, profit, shipping_cost,
	returned FROM fact_sales WHERE $(where "$L3")"
run v diff
is "$rc|$out" "1|DIFF sales $(o "$L3")|ZZ-EXTRA: extra in the warehouse, not in the oltp database" \
	"an extra fact: extra, with its key"
run v diff --table customer
is "$rc|$out" "0|" "--table compares only that table"
myq "DELETE FROM fact_sales WHERE product_id = 'ZZ-EXTRA'"

C1=$(pgq "SELECT customer_id FROM customer ORDER BY customer_id LIMIT 1")
SEG=$(pgq "SELECT s.name FROM customer c JOIN segment s USING (segment_id) WHERE customer_id = '$C1'")
myq "UPDATE dim_customer SET segment = 'Nowhere' WHERE customer_id = '$C1'"
run v diff
is "$rc|$out" "1|DIFF customer $C1: changed: segment: warehouse 'Nowhere', oltp '$SEG'" \
	"a changed dimension attribute"
myq "UPDATE dim_customer SET segment = '$SEG' WHERE customer_id = '$C1'"

P1=$(pgq "SELECT product_id FROM product WHERE name ~ '^[A-Za-z0-9 ,.-]+$' ORDER BY product_id LIMIT 1")
PN=$(pgq "SELECT name FROM product WHERE product_id = '$P1'")
myq "UPDATE dim_product SET product_name = CONCAT(product_name, ' ') WHERE product_id = '$P1'"
run v diff
is "$rc|$out" "1|DIFF product $P1: changed: product_name: warehouse '$PN ', oltp '$PN'" \
	"a value that differs only in a trailing space"
myq "UPDATE dim_product SET product_name = TRIM(TRAILING ' ' FROM product_name) WHERE product_id = '$P1'"

# The same name in NFC at the source and NFD in the warehouse.
C2=$(pgq "SELECT customer_id FROM customer ORDER BY customer_id OFFSET 1 LIMIT 1")
pgq "UPDATE customer SET name = U&'Ren\00E9e Caf\00E9' WHERE customer_id = '$C2'"
dwetl run >/dev/null 2>&1
myq "UPDATE dim_customer SET customer_name = CONCAT('Rene', _utf8mb4 0xCC81, 'e Cafe', _utf8mb4 0xCC81)
	WHERE customer_id = '$C2'"
run v diff
is "$rc|$out" "1|DIFF customer $C2: changed: customer_name: warehouse 'Rene\\u0301e Cafe\\u0301', oltp 'Ren\\u00E9e Caf\\u00E9'" \
	"a value in another Unicode normalisation form, escaped so the difference shows"
myq "UPDATE dim_customer SET customer_name = CONCAT('Ren', _utf8mb4 0xC3A9, 'e Caf', _utf8mb4 0xC3A9)
	WHERE customer_id = '$C2'"
run v diff
is "$rc|$out" "0|" "the same bytes again: clean"

# An edited location: every fact shipped there, and the location itself.
LK=$(myq "SELECT location_key FROM fact_sales WHERE $(where "$L1")")
NF=$(myq "SELECT COUNT(*) FROM fact_sales WHERE location_key = $LK")
myq "UPDATE dim_location SET city = CONCAT(city, 'x') WHERE location_key = $LK"
run v -F tsv --no-header diff
is "$rc $(printf '%s\n' "$out" | cut -f1,3 | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
	"1  1 location	extra; 1 location	missing; $NF sales	changed;" \
	"an edited location: each of its $NF facts changed, the location extra and missing"
like "$(printf '%s\n' "$out" | grep -m1 '^sales')" "	city: warehouse '[^']*x', oltp '[^']*'$" \
	"-F tsv: table, key, difference, detail naming the city"
myq "UPDATE dim_location SET city = LEFT(city, CHAR_LENGTH(city) - 1) WHERE location_key = $LK"

R1=$(pgq "SELECT order_id FROM order_return ORDER BY order_id LIMIT 1")
myq "CREATE TABLE saved AS SELECT * FROM fact_return WHERE order_id = '$R1';
	DELETE FROM fact_return WHERE order_id = '$R1'"
run v diff
is "$rc|$out" "1|DIFF returns $R1: missing in the warehouse" "a missing return"
myq "INSERT INTO fact_return SELECT * FROM saved; DROP TABLE saved"
run v diff
is "$rc|$out" "0|" "every breakage undone: clean again"

# ---- pending: the OLTP changed after the sync ----
pgq "UPDATE order_line SET quantity = quantity + 1 WHERE $(where "$L2")"
pgq "DELETE FROM order_line WHERE $(where "$L3")"
run v -v diff
is "$rc|$out" "0|" "rows the OLTP changed or deleted since the sync are not differences"
like "$errout" " 0 differences, 2 pending " "... but counted as pending"
dwetl run >/dev/null 2>&1
run v -v diff
like "$rc $errout" "^0 .* 0 differences, 0 pending " "the next sync carries them: nothing pending"

# ---- repair ----
L4=$(line 40) L5=$(line 50)
LK=$(myq "SELECT location_key FROM fact_sales WHERE $(where "$L5")")
R1=$(pgq "SELECT order_id FROM order_return ORDER BY order_id LIMIT 1")
R2=$(pgq "SELECT order_id FROM order_line WHERE order_id NOT IN (SELECT order_id FROM order_return)
	ORDER BY order_id LIMIT 1")
# The orders shipped to the location the breakage edits: the repair points
# their facts at the right location (a new row; the edited one stays,
# unreferenced).
AT=$(myq "SELECT GROUP_CONCAT(DISTINCT QUOTE(order_id)) FROM fact_sales WHERE location_key = $LK")
break_all() {
	myq "UPDATE fact_sales SET sales = sales * 2, discount = 0 WHERE $(where "$L1");
	DELETE FROM fact_sales WHERE $(where "$L4");
	INSERT INTO fact_sales (order_id, product_id, row_id, order_date_key, ship_date_key,
	  customer_key, product_key, location_key, ship_mode, order_priority, quantity, sales,
	  discount, profit, shipping_cost, returned)
	  SELECT order_id, 'ZZ-EXTRA', row_id, order_date_key, ship_date_key, customer_key,
	  product_key, location_key, ship_mode, order_priority, quantity, sales, discount, profit,
	  shipping_cost, returned FROM fact_sales WHERE $(where "$L2");
	UPDATE dim_customer SET segment = 'Nowhere' WHERE customer_id = '$C1';
	UPDATE dim_product SET product_name = CONCAT(product_name, ' ') WHERE product_id = '$P1';
	UPDATE dim_location SET state = CONCAT(state, 'x') WHERE location_key = $LK;
	DELETE FROM fact_return WHERE order_id = '$R1';
	INSERT INTO fact_return (order_id, order_date_key, customer_key, location_key, region)
	  SELECT order_id, order_date_key, customer_key, location_key, 'Nowhere'
	  FROM fact_sales WHERE order_id = '$R2' LIMIT 1"
}
# What must not change: every fact, return, customer and product the
# breakage did not touch, surrogate keys and stamps included.
untouched() {
	myq "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', sales_key, order_id, product_id, row_id,
	  order_date_key, ship_date_key, customer_key, product_key, location_key, ship_mode,
	  order_priority, quantity, sales, discount, profit, shipping_cost, returned)))
	  FROM fact_sales WHERE order_id NOT IN ('$(o "$L1")', '$(o "$L2")', '$(o "$L4")', '$R1', '$R2')
	  AND order_id NOT IN ($AT);
	SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', return_key, order_id, order_date_key, customer_key,
	  location_key, region))) FROM fact_return WHERE order_id NOT IN ('$R1', '$R2', $AT);
	SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', customer_key, customer_id, customer_name, segment,
	  updated_at))) FROM dim_customer WHERE customer_id <> '$C1';
	SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', product_key, product_id, product_name, subcategory,
	  category, updated_at))) FROM dim_product WHERE product_id <> '$P1'"
}
before=$(untouched)
break_all
run v diff
n=$(printf '%s\n' "$out" | wc -l)
ok '[ "$rc" = 1 ] && [ "$n" -ge 9 ]' "all the breakages at once: $n differences"
broken=$out
run v diff --repair --dry-run
is "$rc" 1 "--repair --dry-run: exit 1, the differences remain"
run v diff
is "$out" "$broken" "... and nothing changed"
is "$(myq "SELECT COUNT(*) FROM dw_audit_event WHERE tool = 'dw-validate'")" 0 \
	"a dry run writes no audit event"
run v diff --repair
like "$rc $errout" "^0 .*repaired $n differences .*the warehouse agrees with the oltp database" \
	"--repair: exit 0, says what it did"
run v diff
is "$rc|$out" "0|" "after the repair, diff is clean"
is "$(untouched)" "$before" "the repair left every other fact, return, customer and product as it was"
is "$(myq "SELECT COUNT(*), SUM(sales), SUM(profit), SUM(discount) FROM fact_sales" | tr '\t' ' ')" \
	"$(pgq "SELECT count(*), sum(sales), sum(profit), sum(discount) FROM order_line" | tr '|' ' ')" \
	"the warehouse's facts add up to the OLTP's lines again"
is "$(myq "SELECT GROUP_CONCAT(outcome ORDER BY seq SEPARATOR ' ') FROM dw_audit_event
	WHERE tool = 'dw-validate' AND action = 'repair'")" "started done" "the repair is audited: started, done"
like "$(myq "SELECT detail FROM dw_audit_event WHERE tool = 'dw-validate' AND outcome = 'done'")" \
	"\"differences\":$n," "... with what it repaired"
run v diff --repair
is "$rc|$out|$errout" "0||" "--repair with nothing to repair: exit 0, quiet"

# ---- options and exit codes ----
myq "UPDATE fact_sales SET profit = profit + 1 WHERE $(where "$L1") OR $(where "$L2")"
run v diff --limit 1
like "$rc $(printf '%s\n' "$out" | wc -l) $(echo $errout)" "^1 1 .*1 difference listed, and more \\(raise --limit" \
	"--limit 1: one listed, and says there are more"
run v diff --table nowhere
is "$rc" 64 "an unknown --table: exit 64"
myq "ALTER TABLE dim_customer CHANGE segment seg VARCHAR(50) NOT NULL"
run v diff
like "$rc $errout" "^78 .*schema drift" "a warehouse column renamed: exit 78, schema drift"
myq "ALTER TABLE dim_customer CHANGE seg segment VARCHAR(50) NOT NULL"
# dw-etl's run lock held by another session for 3 s: the repair waits for
# nothing.
mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot "$DB" \
	-e "SELECT GET_LOCK(CONCAT('dw-etl run ', DATABASE()), 0), SLEEP(3)" >/dev/null 2>&1 &
BG=$!
i=0
while [ $i -lt 100 ] && [ "$(myq "SELECT IS_FREE_LOCK(CONCAT('dw-etl run ', DATABASE()))")" = 1 ]; do
	sleep 0.05; i=$((i + 1))
done
run v diff --repair
like "$rc $errout" "^75 .*in progress" "a sync holding the run lock: --repair exits 75"
wait "$BG"; BG=""
run v diff --repair
is "$rc" 0 "once the lock is free, the repair runs"
myq "UPDATE fact_sales SET profit = profit + 1 WHERE $(where "$L1")"
run v -F tap diff --repair
is "$rc|$(printf '%s\n' "$out" | grep -c '^ok')|$(printf '%s\n' "$out" | grep -vc '^ok')" "0|5|2" \
	"-F tap with --repair: one report, of the comparison after the repair"
sed "s/port: $DW_TEST_MYPORT/port: 1/" "$CONF" >"$T/down.yaml"
chmod 600 "$T/down.yaml"
run "$DW_BIN/dw-validate" -c "$T/down.yaml" diff
is "$rc" 69 "the warehouse unreachable: exit 69"
run v diff --bogus
is "$rc" 64 "an unknown option: exit 64"
run v diff --help
like "$out" "--repair" "--help lists the options"
run v diff --repair --dry-run
is "$rc|$out" "0|" "a dry run on a clean warehouse: exit 0"
