#!/bin/sh
# dw-etl run and status: a generated data set imported into the OLTP database
# and synced into the warehouse; reconciliation of the two, idempotence,
# propagation of every kind of change made by SQL, transactions in flight
# (T0), --full, the run lock, servers down, LOCAL INFILE refused, schema
# drift, --dry-run, status and its health verdict, verbosity, fiscal years.
. "${0%/*}/lib/test.sh"
plan 210

newdb
if ! dwetl init >"$T/init.out" 2>&1; then
	echo "Bail out! dw-etl init failed: $(cat "$T/init.out")"
	exit 1
fi
cd "$T" || exit 1

# A second warehouse on the same OLTP database (etl.fiscal_year_start=10),
# background sessions, and LOCAL INFILE on the server are undone whatever
# happens.
FY=${DB}_fy
BG=""
cleanup() {
	for p in $BG; do kill "$p" 2>/dev/null; done
	myq "SET GLOBAL local_infile = 1" 2>/dev/null
	mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot -e "DROP DATABASE IF EXISTS $FY" 2>/dev/null
	_finish
}
trap cleanup EXIT

myq_on() { (DB=$1; myq "$2"); }
# Raw output (no escaping of tabs, newlines and backslashes), like pgq's.
myraw_on() { mariadb --no-defaults -N -B -r --socket="$DW_TEST_MYSOCK" -uroot "$1" -e "$2"; }
PSQL="psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $DW_TEST_PGPORT -U postgres -d $DB"

# Polls SQL on the OLTP database until it returns 1 (10 s at most).
pg_wait() {
	_i=0
	until [ "$(pgq "$1")" = 1 ]; do
		_i=$((_i + 1))
		[ $_i -gt 200 ] && return 1
		sleep 0.05
	done
}

# ---- reconciliation: the same questions asked of both sides ----

# Lines, sales, profit and quantity per month of order date and category.
pg_month() {
	pgq "SELECT concat_ws('|', to_char(o.order_date, 'YYYY-MM'), cat.name, count(*), sum(ol.sales),
	            sum(ol.profit), sum(ol.quantity))
	     FROM order_line ol JOIN orders o USING (order_id) JOIN product p USING (product_id)
	     JOIN subcategory sc USING (subcategory_id) JOIN category cat USING (category_id)
	     GROUP BY to_char(o.order_date, 'YYYY-MM'), cat.name" | LC_ALL=C sort
}
my_month_on() {
	myq_on "$1" "SELECT CONCAT_WS('|', DATE_FORMAT(d.full_date, '%Y-%m'), p.category, COUNT(*),
	            SUM(f.sales), SUM(f.profit), SUM(f.quantity))
	     FROM fact_sales f JOIN dim_date d ON d.date_key = f.order_date_key
	     JOIN dim_product p ON p.product_key = f.product_key
	     GROUP BY DATE_FORMAT(d.full_date, '%Y-%m'), p.category" | LC_ALL=C sort
}
# Every line, return, customer and product with all that the warehouse keeps
# of it, keys resolved through the dimensions.
pg_detail() {
	pgq "SELECT concat_ws('|', 'S', ol.order_id, ol.product_id, ol.product_id, ol.row_id, o.order_date,
	            o.ship_date, o.customer_id, o.ship_mode, o.order_priority, o.market, o.region,
	            o.country, o.state, o.city, coalesce(o.postal_code, ''), ol.quantity, ol.sales,
	            ol.discount, ol.profit, ol.shipping_cost, (r.order_id IS NOT NULL)::int)
	     FROM order_line ol JOIN orders o USING (order_id) LEFT JOIN order_return r USING (order_id)
	     UNION ALL
	     SELECT concat_ws('|', 'R', r.order_id, r.region, o.order_date, o.customer_id, o.market,
	            o.region, o.country, o.state, o.city, coalesce(o.postal_code, ''))
	     FROM order_return r JOIN orders o USING (order_id)
	     UNION ALL
	     SELECT concat_ws('|', 'C', c.customer_id, c.name, s.name)
	     FROM customer c JOIN segment s USING (segment_id)
	     UNION ALL
	     SELECT concat_ws('|', 'P', p.product_id, p.name, sc.name, cat.name)
	     FROM product p JOIN subcategory sc USING (subcategory_id) JOIN category cat USING (category_id)" |
		LC_ALL=C sort
}
my_detail_on() {
	myraw_on "$1" "SELECT CONCAT_WS('|', 'S', f.order_id, f.product_id, p.product_id, f.row_id,
	            od.full_date, sd.full_date, c.customer_id, f.ship_mode, f.order_priority, l.market,
	            l.region, l.country, l.state, l.city, l.postal_code, f.quantity, f.sales,
	            f.discount, f.profit, f.shipping_cost, f.returned)
	     FROM fact_sales f JOIN dim_date od ON od.date_key = f.order_date_key
	     JOIN dim_date sd ON sd.date_key = f.ship_date_key
	     JOIN dim_customer c ON c.customer_key = f.customer_key
	     JOIN dim_product p ON p.product_key = f.product_key
	     JOIN dim_location l ON l.location_key = f.location_key
	     UNION ALL
	     SELECT CONCAT_WS('|', 'R', f.order_id, f.region, d.full_date, c.customer_id, l.market,
	            l.region, l.country, l.state, l.city, l.postal_code)
	     FROM fact_return f JOIN dim_date d ON d.date_key = f.order_date_key
	     JOIN dim_customer c ON c.customer_key = f.customer_key
	     JOIN dim_location l ON l.location_key = f.location_key
	     UNION ALL
	     SELECT CONCAT_WS('|', 'C', customer_id, customer_name, segment) FROM dim_customer
	     UNION ALL
	     SELECT CONCAT_WS('|', 'P', product_id, product_name, subcategory, category) FROM dim_product" |
		LC_ALL=C sort
}
# recon NAME [WAREHOUSE_DB]: two assertions, the monthly summary and the
# detail, both identical on the two sides.
recon() {
	pg_month >"$T/pg.month"
	my_month_on "${2:-$DB}" >"$T/my.month"
	if [ -s "$T/pg.month" ] && cmp -s "$T/pg.month" "$T/my.month"; then
		_report 0 "$1: lines, sales, profit, quantity per month and category match"
	else
		_report 1 "$1: lines, sales, profit, quantity per month and category match"
		diff "$T/pg.month" "$T/my.month" | head -10 | sed 's/^/#   /'
	fi
	pg_detail >"$T/pg.detail"
	my_detail_on "${2:-$DB}" >"$T/my.detail"
	if [ -s "$T/pg.detail" ] && cmp -s "$T/pg.detail" "$T/my.detail"; then
		_report 0 "$1: every line, return, customer and product matches"
	else
		_report 1 "$1: every line, return, customer and product matches"
		diff "$T/pg.detail" "$T/my.detail" | head -10 | sed 's/^/#   /'
	fi
}
# "rc:stderr" of the last run, "0:" when it succeeded silently.
quiet_ok() { is "$rc:$errout" "0:" "$1"; }

watermarks() { myq "SELECT table_name, DATE_FORMAT(watermark, '%Y-%m-%d %H:%i:%s.%f') FROM dw_etl_watermark ORDER BY 1"; }
nruns() { myq "SELECT COUNT(*) FROM dw_etl_run"; }
fact() { myq "SELECT CONCAT_WS(' ', quantity, sales, ship_mode) FROM fact_sales WHERE order_id = '$1' AND product_id = '$2'"; }
nfacts() { myq "SELECT COUNT(*) FROM fact_sales WHERE order_id = '$1'"; }
# The tables a run reports on: the extract sections of the shipped SQL.
SECTIONS=$(sed -n 's/^-- extract \([a-z_]*\)\( dimension\)\{0,1\}$/\1/p' "$DW_TOP/sql/oltp/sync_extract.sql")
NSEC=$(printf '%s\n' "$SECTIONS" | grep -c .)
# "table<TAB>count" per section: $2 for table $1, 0 for the others.
counts_but() { printf '%s\n' "$SECTIONS" | awk -v t="$1" -v n="$2" '{ print $0 "\t" ($0 == t ? n : 0) }'; }
warehouse_sum() { myq "CHECKSUM TABLE fact_sales, fact_return, dim_customer, dim_product, dim_location, dim_date"; }

# ---- the data: 2000 generated orders, and two orders on known dates ----

dwetl generate --orders 2000 --seed 6 -o orders.csv --returns returns.csv
if ! dwetl import orders.csv returns.csv >"$T/import.out" 2>&1; then
	echo "Bail out! dw-etl import failed: $(cat "$T/import.out")"
	exit 1
fi
# A copy of the first order on other dates, with one line.
copy_order() {
	pgq "INSERT INTO orders (order_id, customer_id, order_date, ship_date, ship_mode, order_priority,
	         market, region, country, state, city, postal_code)
	     SELECT '$1', customer_id, DATE '$2', DATE '$3', ship_mode, order_priority, market, region,
	         country, state, city, postal_code FROM orders ORDER BY order_id LIMIT 1;
	     INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount, profit,
	         shipping_cost)
	     SELECT '$1', product_id, 900000 + length('$1'), 2, 100.5, 0.1, -3.25, 7 FROM product
	     ORDER BY product_id LIMIT 1"
}
copy_order KD-2012-000001 2012-03-04 2012-10-15
copy_order KD-2012-000002 2012-01-01 2013-12-30

# ---- 11. status on a warehouse that has never been synced ----

run dwetl status
is "$rc" 1 "status exits 1 before the first run"
like "$errout" "no dw-etl run" "and says no run has been recorded"

# ---- 12 and 1. the first run: quiet, and the warehouse matches ----

run dwetl run
is "$rc" 0 "the first run exits 0"
is "$out" "" "run prints nothing on stdout"
is "$errout" "" "run prints nothing on stderr"

recon "after import and run"
is "$(myq "SELECT COUNT(*) FROM fact_sales")" "$(pgq "SELECT count(*) FROM order_line")" "fact_sales has a row per order_line"
is "$(myq "SELECT COUNT(*) FROM fact_return")" "$(pgq "SELECT count(*) FROM order_return")" "fact_return has a row per order_return"
is "$(myq "SELECT COUNT(*) FROM dim_customer")" "$(pgq "SELECT count(*) FROM customer")" "dim_customer has a row per customer"
is "$(myq "SELECT COUNT(*) FROM dim_product")" "$(pgq "SELECT count(*) FROM product")" "dim_product has a row per product"
ok "[ $(pgq "SELECT count(*) FROM order_return") -gt 20 ]" "the data set has returns"
is "$(myq "SELECT SUM(returned) FROM fact_sales")" \
   "$(pgq "SELECT count(*) FROM order_line WHERE order_id IN (SELECT order_id FROM order_return)")" \
   "returned is set on exactly the lines of returned orders"
is "$(myq "SELECT COUNT(*) - COUNT(DISTINCT order_id, product_id) FROM fact_sales")" 0 "no line is there twice"
is "$(myq "SELECT (SELECT COUNT(*) FROM fact_sales f LEFT JOIN dim_date d ON d.date_key = f.order_date_key WHERE d.date_key IS NULL)
	+ (SELECT COUNT(*) FROM fact_sales f LEFT JOIN dim_date d ON d.date_key = f.ship_date_key WHERE d.date_key IS NULL)
	+ (SELECT COUNT(*) FROM fact_return f LEFT JOIN dim_date d ON d.date_key = f.order_date_key WHERE d.date_key IS NULL)")" 0 \
   "every order and ship date of the facts is in dim_date"
is "$(myq "SELECT COUNT(DISTINCT date_key) FROM dim_date")" \
   "$(pgq "SELECT count(*) FROM (SELECT order_date FROM orders UNION SELECT ship_date FROM orders) d")" \
   "dim_date holds exactly the order and ship dates"
is "$(myq "SELECT COUNT(*) FROM dim_date WHERE date_key <> DATE_FORMAT(full_date, '%Y%m%d')")" 0 "date_key is full_date as YYYYMMDD"
dim_date() {
	myq_on "${2:-$DB}" "SELECT CONCAT_WS(' ', full_date, year, quarter, month, month_name, week, day_of_month,
	         day_of_week, day_name, is_weekend, fiscal_year, fiscal_quarter) FROM dim_date WHERE date_key = $1"
}
is "$(dim_date 20120304)" "2012-03-04 2012 1 3 March 9 4 7 Sunday 1 2012 1" "2012-03-04: a Sunday of ISO week 9, fiscal 2012 Q1"
is "$(dim_date 20121015)" "2012-10-15 2012 4 10 October 42 15 1 Monday 0 2012 4" "2012-10-15: a Monday of ISO week 42, fiscal 2012 Q4"
is "$(dim_date 20120101)" "2012-01-01 2012 1 1 January 52 1 7 Sunday 1 2012 1" "2012-01-01 is in ISO week 52 (of 2011)"
is "$(dim_date 20131230)" "2013-12-30 2013 4 12 December 1 30 1 Monday 0 2013 4" "2013-12-30 is in ISO week 1 (of 2014)"

# ---- 2. running again changes nothing ----

keys() {
	myq "SELECT customer_id, customer_key FROM dim_customer WHERE customer_key <= $kmax_c ORDER BY 1"
	myq "SELECT product_id, product_key FROM dim_product WHERE product_key <= $kmax_p ORDER BY 1"
}
kmax_c=$(myq "SELECT MAX(customer_key) FROM dim_customer")
kmax_p=$(myq "SELECT MAX(product_key) FROM dim_product")
keys >"$T/keys.before"
sum_before=$(warehouse_sum)
wm_before=$(watermarks)
run dwetl -F tsv --no-header run
is "$rc" 0 "a second run exits 0"
has_core() { for _t in customer product sales returns deleted; do printf '%s\n' "$SECTIONS" | grep -qx "$_t" || return 1; done; }
ok has_core "(the shipped SQL extracts customer, product, sales, returns and deleted)"
is "$(printf '%s\n' "$out" | cut -f1,3)" "$(counts_but none 0)" "-F tsv: a second run extracts nothing from any table"
is "$(warehouse_sum)" "$sum_before" "a second run leaves the warehouse tables as they were"
ok "[ \"\$(watermarks)\" != \"\$wm_before\" ]" "a second run advances the watermarks"
# Right after a first sync the dimensions' statistics still say they are
# empty: the merge must not let that pick a plan that scans them first.
t0=$(date +%s)
run dwetl run --full
t1=$(date +%s)
is "$rc" 0 "run --full exits 0"
ok "[ $((t1 - t0)) -lt 30 ]" "run --full right after the first sync takes seconds, not minutes"
is "$(warehouse_sum)" "$sum_before" "run --full with nothing changed leaves the warehouse tables as they were"
keys >"$T/keys.after"
ok "[ -s keys.before ] && cmp -s keys.before keys.after" "the surrogate keys of customers and products stay"

# ---- 11. status after good runs ----

run dwetl -F tsv --no-header status
is "$rc" 0 "status exits 0 after good runs"
is "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')" "$(printf '%s\n' "$SECTIONS" | LC_ALL=C sort | tr '\n' ' ')" \
   "status lists every table (customer deleted product returns sales)"
is "$(printf '%s\n' "$out" | cut -f2 | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}$')" "$NSEC" \
   "with a watermark each"
is "$(printf '%s\n' "$out" | cut -f2 | sort -u)" "$(myq "SELECT DISTINCT DATE_FORMAT(watermark, '%Y-%m-%d %H:%i:%s.%f') FROM dw_etl_watermark")" \
   "the watermarks are those stored"
run dwetl -F json status --runs 2
is "$rc" 0 "status --runs 2 exits 0"
is "$(printf '%s' "$out" | perl -MJSON::PP -e 'local $/; my $a = decode_json(<STDIN>);
	print scalar(@$a), " ", join(",", map { "$_->{mode}:$_->{status}" } @$a)')" "2 full:ok,incremental:ok" \
   "-F json status --runs 2 is a JSON array of the last 2 runs, newest first"
run dwetl status --max-lag 0s
is "$rc" 1 "status --max-lag 0s exits 1"
like "$errout" "exceeds --max-lag" "and says the lag is too high"
run dwetl status --max-lag 1h
is "$rc" 0 "status --max-lag 1h exits 0"

# ---- 3. changes made by SQL on the OLTP database reach the warehouse ----

# Orders with two lines or more and no return, and orders with a return.
set -- $(pgq "SELECT order_id FROM order_line ol WHERE NOT EXISTS (SELECT 1 FROM order_return r WHERE r.order_id = ol.order_id)
	GROUP BY order_id HAVING count(*) >= 2 ORDER BY order_id LIMIT 8")
O1=$1 O2=$2 O3=$3 O4=$4 O5=$5 O6=$6 O7=$7 O8=$8
set -- $(pgq "SELECT order_id FROM order_return r WHERE (SELECT count(*) FROM order_line l WHERE l.order_id = r.order_id) >= 2 ORDER BY order_id LIMIT 3")
R1=$1 R2=$2 R3=$3
ok "[ -n '$O8' ] && [ -n '$R3' ]" "the data set has the orders these tests change"
lines_of() { pgq "SELECT product_id FROM order_line WHERE order_id = '$1' ORDER BY product_id"; }
set -- $(lines_of "$O1"); O1P1=$1 O1P2=$2

# a. one line's sales; its order is not touched.
order_stamp=$(pgq "SELECT updated_at FROM orders WHERE order_id = '$O1'")
other_before=$(fact "$O1" "$O1P2")
pgq "UPDATE order_line SET sales = 4321.1234, quantity = 11 WHERE order_id = '$O1' AND product_id = '$O1P1'"
is "$(pgq "SELECT updated_at FROM orders WHERE order_id = '$O1'")" "$order_stamp" "(updating a line leaves its order's stamp)"
run dwetl run
quiet_ok "run after a line update exits 0 quietly"
like "$(fact "$O1" "$O1P1")" "^11 4321.1234 " "the new quantity and sales of the line reach fact_sales"
is "$(fact "$O1" "$O1P2")" "$other_before" "the other line of the order is unchanged"
recon "after a line update"

# b. an order's ship mode, customer and city: every line follows.
mode=$(pgq "SELECT CASE WHEN ship_mode = 'Same Day' THEN 'First Class' ELSE 'Same Day' END FROM orders WHERE order_id = '$O2'")
cust=$(pgq "SELECT customer_id FROM customer WHERE customer_id <> (SELECT customer_id FROM orders WHERE order_id = '$O2') ORDER BY 1 LIMIT 1")
n2=$(pgq "SELECT count(*) FROM order_line WHERE order_id = '$O2'")
pgq "UPDATE orders SET ship_mode = '$mode', customer_id = '$cust', city = 'Testville' WHERE order_id = '$O2'"
run dwetl run
quiet_ok "run after an order update exits 0 quietly"
is "$(myq "SELECT GROUP_CONCAT(DISTINCT f.ship_mode), GROUP_CONCAT(DISTINCT c.customer_id), GROUP_CONCAT(DISTINCT l.city), COUNT(*)
	FROM fact_sales f JOIN dim_customer c USING (customer_key) JOIN dim_location l USING (location_key) WHERE f.order_id = '$O2'")" \
   "$(printf '%s\t%s\tTestville\t%s' "$mode" "$cust" "$n2")" "all lines of the order get its new ship mode, customer and city"
recon "after an order update"

# c. an order moved to another month, and a returned one: the facts move.
old3=$(pgq "SELECT to_char(order_date, 'YYYYMMDD') FROM orders WHERE order_id = '$O3'")
pgq "UPDATE orders SET order_date = order_date - 40 WHERE order_id IN ('$O3', '$R3')"
new3=$(pgq "SELECT to_char(order_date, 'YYYYMMDD') FROM orders WHERE order_id = '$O3'")
newr3=$(pgq "SELECT to_char(order_date, 'YYYYMMDD') FROM orders WHERE order_id = '$R3'")
run dwetl run
quiet_ok "run after moving orders to another month exits 0 quietly"
is "$(myq "SELECT COUNT(*), COUNT(DISTINCT product_id), GROUP_CONCAT(DISTINCT order_date_key) FROM fact_sales WHERE order_id = '$O3'")" \
   "$(printf '%s\t%s\t%s' "$(pgq "SELECT count(*) FROM order_line WHERE order_id = '$O3'")" \
	"$(pgq "SELECT count(*) FROM order_line WHERE order_id = '$O3'")" "$new3")" \
   "the lines of the moved order are there once each, under the new order date"
is "$(myq "SELECT COUNT(*) FROM fact_sales WHERE order_date_key = $old3 AND order_id = '$O3'")" 0 "nothing is left under the old date"
is "$(myq "SELECT CONCAT_WS(' ', COUNT(*), GROUP_CONCAT(order_date_key)) FROM fact_return WHERE order_id = '$R3'")" "1 $newr3" \
   "the return of a moved order moves with it"
is "$(myq "SELECT CONCAT_WS(' ', MIN(returned), COUNT(*)) FROM fact_sales WHERE order_id = '$R3' AND order_date_key = $newr3")" \
   "1 $(pgq "SELECT count(*) FROM order_line WHERE order_id = '$R3'")" "the moved lines of a returned order stay returned"
recon "after moving orders"
is "$(pgq "SELECT key2 FROM dw_tombstone WHERE table_name = 'order_date' AND key1 = '$O3'")" "$old3" \
   "the OLTP recorded the order's old date (schema version 3)"

# c2. moved twice between runs, then away and back: the facts are under
# the last date once each, from the old dates recorded.
lines3=$(pgq "SELECT count(*) FROM order_line WHERE order_id = '$O3'")
pgq "UPDATE orders SET order_date = order_date + 31 WHERE order_id = '$O3';
	UPDATE orders SET order_date = order_date + 31 WHERE order_id = '$O3'"
last3=$(pgq "SELECT to_char(order_date, 'YYYYMMDD') FROM orders WHERE order_id = '$O3'")
run dwetl run
quiet_ok "run after moving an order twice exits 0 quietly"
is "$(myq "SELECT CONCAT_WS(' ', COUNT(*), GROUP_CONCAT(DISTINCT order_date_key)) FROM fact_sales WHERE order_id = '$O3'")" \
   "$lines3 $last3" "moved twice: its lines once each, under the last date only"
pgq "UPDATE orders SET order_date = order_date - 31 WHERE order_id = '$O3';
	UPDATE orders SET order_date = order_date + 31 WHERE order_id = '$O3'"
run dwetl run
is "$(myq "SELECT CONCAT_WS(' ', COUNT(*), GROUP_CONCAT(DISTINCT order_date_key)) FROM fact_sales WHERE order_id = '$O3'")" \
   "$lines3 $last3" "moved away and back: its lines once each, under the same date"
recon "after moving an order twice, and away and back"

# c3. a move the OLTP did not record (made before schema version 3, here
# with its trigger off) is found by run --full.
pgq "ALTER TABLE orders DISABLE TRIGGER orders_move;
	UPDATE orders SET order_date = order_date + 40 WHERE order_id = '$O3';
	ALTER TABLE orders ENABLE TRIGGER orders_move"
moved3=$(pgq "SELECT to_char(order_date, 'YYYYMMDD') FROM orders WHERE order_id = '$O3'")
run dwetl run --full
quiet_ok "run --full after an unrecorded move exits 0 quietly"
is "$(myq "SELECT CONCAT_WS(' ', COUNT(*), GROUP_CONCAT(DISTINCT order_date_key)) FROM fact_sales WHERE order_id = '$O3'")" \
   "$lines3 $moved3" "run --full finds a move no date was recorded for"
recon "after an unrecorded move and run --full"

# d. a customer renamed keeps its key.
c4=$(pgq "SELECT customer_id FROM orders WHERE order_id = '$O4'")
k4=$(myq "SELECT customer_key FROM dim_customer WHERE customer_id = '$c4'")
pgq "UPDATE customer SET name = 'Zoë Renamed' WHERE customer_id = '$c4'"
run dwetl run
quiet_ok "run after renaming a customer exits 0 quietly"
is "$(myq "SELECT CONCAT_WS(' ', customer_key, customer_name) FROM dim_customer WHERE customer_id = '$c4'")" "$k4 Zoë Renamed" \
   "dim_customer has the new name under the same key"
recon "after renaming a customer"

# e. a category renamed: every product of it.
nos=$(pgq "SELECT count(*) FROM product JOIN subcategory USING (subcategory_id) JOIN category c USING (category_id) WHERE c.name = 'Office Supplies'")
pgq "UPDATE category SET name = 'Office Things' WHERE name = 'Office Supplies'"
run dwetl run
quiet_ok "run after renaming a category exits 0 quietly"
is "$(myq "SELECT CONCAT_WS(' ', SUM(category = 'Office Things'), SUM(category = 'Office Supplies')) FROM dim_product")" "$nos 0" \
   "every product of the renamed category has its new name"
ok "[ $nos -gt 10 ]" "(the category has products)"
recon "after renaming a category"

# f. a new customer with an order on a new product, and a customer without orders.
pgq "BEGIN;
     INSERT INTO customer (customer_id, name, segment_id) VALUES ('ZZ-00001', 'New Customer', 1), ('ZZ-00002', 'Lone Customer', 2);
     INSERT INTO product (product_id, subcategory_id, name) VALUES ('ZZZ-NEW-1', 1, 'New Product');
     INSERT INTO orders (order_id, customer_id, order_date, ship_date, ship_mode, order_priority, market,
         region, country, state, city, postal_code)
     VALUES ('ZZ-2014-000001', 'ZZ-00001', '2014-06-07', '2014-06-09', 'First Class', 'High', 'US', 'West',
         'United States', 'Oregon', 'Portland', '97201');
     INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount, profit, shipping_cost)
     VALUES ('ZZ-2014-000001', 'ZZZ-NEW-1', 990001, 3, 99.9900, 0, 12.3400, 5.5000);
     COMMIT"
run dwetl run
quiet_ok "run after inserting a customer, a product and an order exits 0 quietly"
is "$(myq "SELECT CONCAT_WS(' ', c.customer_id, p.product_id, f.quantity, f.sales, f.order_date_key) FROM fact_sales f
	JOIN dim_customer c USING (customer_key) JOIN dim_product p USING (product_key) WHERE f.order_id = 'ZZ-2014-000001'")" \
   "ZZ-00001 ZZZ-NEW-1 3 99.9900 20140607" "the new order's line is in fact_sales, with its new customer and product"
is "$(myq "SELECT customer_name FROM dim_customer WHERE customer_id = 'ZZ-00002'")" "Lone Customer" "a customer without orders is in dim_customer"
recon "after inserting an order"

# g. a line deleted, and the customer without orders.
pgq "DELETE FROM order_line WHERE order_id = '$O1' AND product_id = '$O1P2'; DELETE FROM customer WHERE customer_id = 'ZZ-00002'"
run dwetl run
quiet_ok "run after deleting a line exits 0 quietly"
is "$(fact "$O1" "$O1P2")" "" "the deleted line is gone from fact_sales"
like "$(fact "$O1" "$O1P1")" "^11 4321.1234 " "the other line of its order stays"
is "$(myq "SELECT COUNT(*) FROM dim_customer WHERE customer_id = 'ZZ-00002'")" 0 "the deleted customer is gone from dim_customer"
recon "after deleting a line"

# A line whose key changes in place (another product) leaves no fact behind.
NEWP=$(pgq "SELECT product_id FROM product WHERE product_id NOT IN
	    (SELECT product_id FROM order_line WHERE order_id = '$O1') ORDER BY 1 LIMIT 1")
OLDP=$(pgq "SELECT product_id FROM order_line WHERE order_id = '$O1' ORDER BY 1 LIMIT 1")
pgq "UPDATE order_line SET product_id = '$NEWP' WHERE order_id = '$O1' AND product_id = '$OLDP'"
run dwetl run
quiet_ok "a run after a key change exits 0 quietly"
is "$(myq "SELECT COUNT(*) FROM fact_sales WHERE order_id = '$O1' AND product_id = '$OLDP'")" 0 \
   "the line's old key is gone from the warehouse"
is "$(myq "SELECT COUNT(*) FROM fact_sales WHERE order_id = '$O1' AND product_id = '$NEWP'")" 1 \
   "the line is there under its new key"
recon "after changing a line's key"

# h. a return deleted: the lines are no longer returned.
pgq "DELETE FROM order_return WHERE order_id = '$R1'"
run dwetl run
quiet_ok "run after deleting a return exits 0 quietly"
is "$(myq "SELECT COUNT(*) FROM fact_return WHERE order_id = '$R1'")" 0 "the deleted return is gone from fact_return"
is "$(myq "SELECT CONCAT_WS(' ', SUM(returned), COUNT(*)) FROM fact_sales WHERE order_id = '$R1'")" \
   "0 $(pgq "SELECT count(*) FROM order_line WHERE order_id = '$R1'")" "the lines of that order are no longer returned"
recon "after deleting a return"

# i. a return of an order synced before.
pgq "INSERT INTO order_return (order_id, region) VALUES ('$O5', 'Central')"
run dwetl run
quiet_ok "run after a return of a synced order exits 0 quietly"
is "$(myq "SELECT CONCAT_WS(' ', COUNT(*), MAX(region)) FROM fact_return WHERE order_id = '$O5'")" "1 Central" "the return is in fact_return"
is "$(myq "SELECT CONCAT_WS(' ', MIN(returned), COUNT(*)) FROM fact_sales WHERE order_id = '$O5'")" \
   "1 $(pgq "SELECT count(*) FROM order_line WHERE order_id = '$O5'")" "every line of the order is now returned"
recon "after a late return"

# j. a returned order deleted, lines and return going with it.
pgq "DELETE FROM orders WHERE order_id = '$R2'"
run dwetl run
quiet_ok "run after deleting an order exits 0 quietly"
is "$(nfacts "$R2") $(myq "SELECT COUNT(*) FROM fact_return WHERE order_id = '$R2'")" "0 0" \
   "the lines and the return of the deleted order are gone"
recon "after deleting an order"

# k. a line deleted and inserted again in one transaction.
set -- $(lines_of "$O6"); O6P1=$1
pgq "BEGIN;
     DELETE FROM order_line WHERE order_id = '$O6' AND product_id = '$O6P1';
     INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount, profit, shipping_cost)
     VALUES ('$O6', '$O6P1', 990002, 77, 777.7700, 0, 1, 1);
     COMMIT"
run dwetl run
quiet_ok "run after deleting and inserting a line again exits 0 quietly"
like "$(fact "$O6" "$O6P1")" "^77 777.7700 " "the line is there with its new values"
is "$(myq "SELECT COUNT(*) FROM fact_sales WHERE order_id = '$O6' AND product_id = '$O6P1'")" 1 "once"
recon "after deleting and inserting a line again"

# ---- 4. transactions in flight when a run starts ----

# An order inserted by a transaction that is still open during a run: its
# rows are stamped with the transaction's start, earlier than the run, and
# must be taken by the run after the commit. A watermark set to the run's
# own start would skip them forever.
mkfifo in1
PGAPPNAME=dw-inflight $PSQL -f in1 >in1.out 2>&1 &
in1=$!
BG="$BG $in1"
exec 7>in1
echo "BEGIN; INSERT INTO orders (order_id, customer_id, order_date, ship_date, ship_mode, order_priority,
	market, region, country, state, city) VALUES ('IF-2014-000001', 'ZZ-00001', '2014-07-01',
	'2014-07-02', 'Same Day', 'Low', 'US', 'West', 'United States', 'Oregon', 'Portland');
	INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount, profit, shipping_cost)
	VALUES ('IF-2014-000001', 'ZZZ-NEW-1', 990003, 5, 55.5500, 0, 5, 1);" >&7
pg_wait "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dw-inflight'
	AND state = 'idle in transaction' AND query LIKE 'INSERT INTO order_line%'"
ok "[ $? -eq 0 ]" "(the open transaction has inserted its order)"
started1=$(pgq "SELECT clock_timestamp()")
run dwetl run
quiet_ok "run while a transaction is open exits 0 quietly"
is "$(nfacts IF-2014-000001)" 0 "the uncommitted order is not in the warehouse"
wm1=$(myq "SELECT DATE_FORMAT(watermark, '%Y-%m-%d %H:%i:%s.%f') FROM dw_etl_watermark WHERE table_name = 'sales'")
echo "COMMIT;" >&7
exec 7>&-
wait "$in1"
is "$?:$(cat in1.out)" "0:" "(the open transaction commits)"
is "$(pgq "SELECT updated_at < '$started1' FROM order_line WHERE order_id = 'IF-2014-000001'")" t \
   "(the committed line is stamped before the start of that run)"
is "$(pgq "SELECT '$wm1'::timestamp AT TIME ZONE 'UTC' <= updated_at FROM order_line WHERE order_id = 'IF-2014-000001'")" t \
   "the run's watermark stops at the start of the open transaction"
run dwetl run
quiet_ok "run after the commit exits 0 quietly"
like "$(fact IF-2014-000001 ZZZ-NEW-1)" "^5 55.5500 Same Day$" "the order committed late, with an old stamp, reaches the warehouse"
recon "after an order committed late"

# Three sessions: B opens a transaction, then C; A creates a customer (stamped
# after C's start) and B orders for it and commits (stamped before C's start).
# A run while C is open stops its window at C's start: B's line is in it, its
# customer is not. The line must not be lost.
mkfifo sb sc
PGAPPNAME=dw-race-b $PSQL -f sb >sb.out 2>&1 &
pb=$!
PGAPPNAME=dw-race-c $PSQL -f sc >sc.out 2>&1 &
pc=$!
BG="$BG $pb $pc"
exec 7>sb 8>sc
echo "BEGIN; SELECT 1 WHERE false;" >&7
pg_wait "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dw-race-b' AND state = 'idle in transaction'"
echo "BEGIN; SELECT 2 WHERE false;" >&8
pg_wait "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dw-race-c' AND state = 'idle in transaction' AND query = 'SELECT 2 WHERE false;'"
ok "[ $? -eq 0 ]" "(two transactions are open)"
pgq "INSERT INTO customer (customer_id, name, segment_id) VALUES ('ZZ-00003', 'Race Customer', 1)"
echo "INSERT INTO orders (order_id, customer_id, order_date, ship_date, ship_mode, order_priority,
	market, region, country, state, city) VALUES ('RC-2014-000001', 'ZZ-00003', '2014-08-01',
	'2014-08-02', 'Same Day', 'Low', 'US', 'West', 'United States', 'Oregon', 'Portland');
	INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount, profit, shipping_cost)
	VALUES ('RC-2014-000001', 'ZZZ-NEW-1', 990004, 6, 66.6600, 0, 6, 1); COMMIT;" >&7
exec 7>&-
wait "$pb"
is "$?:$(cat sb.out)" "0:" "(the older transaction orders for the new customer and commits)"
run dwetl run
echo "COMMIT;" >&8
exec 8>&-
wait "$pc"
run dwetl run
quiet_ok "run after the last transaction ends exits 0 quietly"
like "$(fact RC-2014-000001 ZZZ-NEW-1)" "^6 66.6600 " \
   "a line committed before a run, for a customer created after the run's window, is not lost"
recon "after transactions overlapping a run"

# ---- 5. run --full ----

# Changes the triggers do not see: a line deleted with its tombstone, a line
# changed with triggers off, and rows in the warehouse that never were in
# the OLTP database.
set -- $(lines_of "$O7"); O7P1=$1 O7P2=$2
pgq "BEGIN;
     DELETE FROM order_line WHERE order_id = '$O7' AND product_id = '$O7P1';
     DELETE FROM dw_tombstone WHERE table_name = 'order_line' AND key1 = '$O7' AND key2 = '$O7P1';
     COMMIT"
pgq "SET session_replication_role = replica;
     UPDATE order_line SET quantity = 99 WHERE order_id = '$O7' AND product_id = '$O7P2'"
myq "INSERT INTO fact_sales (order_id, product_id, row_id, order_date_key, ship_date_key, customer_key,
	product_key, location_key, ship_mode, order_priority, quantity, sales, discount, profit, shipping_cost)
     SELECT 'XX-BOGUS', product_id, 1, order_date_key, ship_date_key, customer_key, product_key,
	location_key, ship_mode, order_priority, 1, 1, 0, 0, 0 FROM fact_sales LIMIT 1;
     INSERT INTO fact_return (order_id, order_date_key, customer_key, location_key, region)
     SELECT 'XX-BOGUS', order_date_key, customer_key, location_key, 'Nowhere' FROM fact_sales LIMIT 1"
pgq "UPDATE order_line SET sales = 1.2300 WHERE order_id = '$O8' AND product_id = (SELECT min(product_id) FROM order_line WHERE order_id = '$O8')"
run dwetl run
quiet_ok "an incremental run exits 0"
ok "[ -n \"\$(fact '$O7' '$O7P1')\" ] && [ \"\$(nfacts XX-BOGUS)\" = 1 ] && ! fact '$O7' '$O7P2' | grep -q '^99 '" \
   "(the incremental run cannot see the changes made behind the triggers' back)"
like "$(myq "SELECT sales FROM fact_sales WHERE order_id = '$O8' ORDER BY product_id LIMIT 1")" "^1.2300$" "(it syncs the change made with the triggers on)"
run dwetl run --full
quiet_ok "run --full exits 0 quietly"
is "$(fact "$O7" "$O7P1")" "" "run --full deletes a line deleted without a tombstone"
like "$(fact "$O7" "$O7P2")" "^99 " "run --full takes a change made with the triggers off"
is "$(myq "SELECT (SELECT COUNT(*) FROM fact_sales WHERE order_id = 'XX-BOGUS') + (SELECT COUNT(*) FROM fact_return WHERE order_id = 'XX-BOGUS')")" 0 \
   "run --full deletes the facts that are not in the OLTP database"
is "$(myq "SELECT COUNT(*) - COUNT(DISTINCT order_id, product_id) FROM fact_sales")" 0 "run --full leaves no line twice"
recon "after run --full"
keys >"$T/keys.after"
ok "cmp -s keys.before keys.after" "the surrogate keys of the first customers and products stay through every change and --full"
sum_before=$(warehouse_sum)
run dwetl run --full
is "$(warehouse_sum)" "$sum_before" "a second run --full changes nothing"

# ---- 6. one run at a time ----

pgq "UPDATE order_line SET quantity = 21 WHERE order_id = '$O8' AND product_id = (SELECT max(product_id) FROM order_line WHERE order_id = '$O8')"
p8=$(pgq "SELECT max(product_id) FROM order_line WHERE order_id = '$O8'")
mkfifo lk
mariadb --no-defaults -N -B --socket="$DW_TEST_MYSOCK" -uroot "$DB" <lk >lk.out 2>&1 &
plk=$!
BG="$BG $plk"
exec 7>lk
echo "SELECT GET_LOCK(CONCAT('dw-etl run ', DATABASE()), 0);" >&7
_i=0
until [ "$(myq "SELECT IS_USED_LOCK(CONCAT('dw-etl run ', DATABASE())) IS NOT NULL")" = 1 ] || [ $_i -gt 200 ]; do
	_i=$((_i + 1)); sleep 0.05
done
runs0=$(nruns)
t0=$(date +%s)
run dwetl run
t1=$(date +%s)
is "$rc" 75 "a run while another holds the lock exits 75"
ok "[ $((t1 - t0)) -le 2 ]" "at once"
like "$errout" "another dw-etl run is in progress" "and says another run is in progress"
is "$(nruns)" "$runs0" "the refused run records no run"
ok "[ \"\$(fact '$O8' '$p8' | cut -d' ' -f1)\" != 21 ]" "and writes nothing"
exec 7>&-
wait "$plk"
is "$(cat lk.out)" 1 "(the other session held the lock)"
run dwetl run
quiet_ok "a run after the lock is released exits 0 quietly"
like "$(fact "$O8" "$p8")" "^21 " "and syncs the change"

# ---- 7. servers down ----

closed=$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0)->sockport')
pgq "UPDATE order_line SET quantity = 22 WHERE order_id = '$O8' AND product_id = '$p8'"
runs0=$(nruns)
wm0=$(watermarks)
run dwetl --set warehouse.port="$closed" run
is "$rc" 69 "a run with the warehouse down exits 69"
like "$errout" "cannot connect to 'warehouse'" "and names the warehouse"
run dwetl --set warehouse.socket=/nonexistent/dw.sock run
is "$rc" 69 "a run with no warehouse socket exits 69"
run dwetl --set "oltp.conninfo=host=127.0.0.1 port=$closed user=postgres dbname=$DB connect_timeout=5" run
is "$rc" 69 "a run with the OLTP database down exits 69"
like "$errout" "cannot connect to 'oltp'" "and names the OLTP database"
is "$(nruns) $(fact "$O8" "$p8" | cut -d' ' -f1)" "$runs0 21" "runs that cannot connect change nothing and record nothing"
is "$(watermarks)" "$wm0" "and leave the watermarks"
run dwetl run
quiet_ok "a run with both up exits 0 quietly"
like "$(fact "$O8" "$p8")" "^22 " "and syncs the change"

# ---- 8. LOCAL INFILE refused: batched INSERT ----

# Names with every character COPY escapes, a literal \N among them.
hex_pg() { pgq "SELECT upper(encode(convert_to(name, 'UTF8'), 'hex')) FROM customer WHERE customer_id = '$1'"; }
hex_my() { myq "SELECT HEX(customer_name) FROM dim_customer WHERE customer_id = '$1'"; }
c5=$(pgq "SELECT customer_id FROM customer WHERE customer_id NOT LIKE 'ZZ-%' AND customer_id <> '$c4' ORDER BY 1 DESC LIMIT 1")
rename_odd() {
	pgq "UPDATE customer SET name = '$1 tab' || chr(9) || 'here back\slash \N ff' || chr(12) || 'vt' || chr(11)
	         || ' bs' || chr(8) || ' cr' || chr(13) || ' nl' || chr(10) || 'end' WHERE customer_id = '$c4';
	     UPDATE customer SET name = '\N' WHERE customer_id = '$c5'"
	pgq "UPDATE order_line SET sales = $2 WHERE order_id = '$O8' AND product_id = '$p8'"
}
myq "SET GLOBAL local_infile = 0"
rename_odd "Infile Off" 2.5
run dwetl -v run
myq "SET GLOBAL local_infile = 1"
is "$rc" 0 "a run with LOCAL INFILE off on the server exits 0"
like "$errout" "LOCAL INFILE refused by the warehouse; loading with INSERT" "-v says it loads with INSERT"
like "$(fact "$O8" "$p8")" " 2.5000 " "the changed line arrives by INSERT"
is "$(hex_my "$c4")" "$(hex_pg "$c4")" "a name with tab, newline, CR, backslash, form feed, vertical tab and backspace arrives byte for byte by INSERT"
is "$(hex_my "$c5")" "5C4E" "a name that is a backslash and N arrives as text, not NULL, by INSERT"
recon "after a run with LOCAL INFILE off on the server"

rename_odd "No Infile" 3.5
run dwetl -v --set warehouse.local_infile=false run
is "$rc" 0 "a run with warehouse.local_infile=false exits 0"
like "$errout" "loading with INSERT" "-v says it loads with INSERT"
like "$(fact "$O8" "$p8")" " 3.5000 " "the changed line arrives"
is "$(hex_my "$c4")" "$(hex_pg "$c4")" "the name arrives byte for byte"

rename_odd "Infile On" 4.5
run dwetl -v run
is "$rc" 0 "a run with LOCAL INFILE exits 0"
ok "! printf '%s' \"\$errout\" | grep -q 'loading with INSERT'" "it loads with LOAD DATA LOCAL"
is "$(hex_my "$c4")" "$(hex_pg "$c4")" "a name with tab, newline, CR, backslash, form feed, vertical tab and backspace arrives byte for byte by LOAD DATA"
is "$(hex_my "$c5")" "5C4E" "a name that is a backslash and N arrives as text, not NULL, by LOAD DATA"
recon "after a run with LOCAL INFILE"

# ---- 9. schema drift ----

pgq "UPDATE order_line SET quantity = 23 WHERE order_id = '$O8' AND product_id = '$p8'"
wm0=$(watermarks)
myq "ALTER TABLE dim_customer CHANGE segment segment_x VARCHAR(50) NOT NULL"
run dwetl run
myq "ALTER TABLE dim_customer CHANGE segment_x segment VARCHAR(50) NOT NULL"
is "$rc" 78 "a run against a warehouse column renamed exits 78"
like "$errout" "schema drift.*customer.*'segment'" "and names the merge and the column"
like "$(fact "$O8" "$p8")" "^22 " "nothing is written"
is "$(watermarks)" "$wm0" "the watermarks stay"

# ---- 11. status after a failed run ----

run dwetl status
is "$rc" 1 "status exits 1 after a failed run"
like "$errout" "last run failed: .*schema drift" "and says the last run failed, and why"
run dwetl -F json status --runs 1
is "$(printf '%s' "$out" | perl -MJSON::PP -e 'local $/; my $a = decode_json(<STDIN>); print scalar(@$a), " $a->[0]{status}"')" \
   "1 failed" "the failed run is recorded"

pgq "ALTER TABLE customer RENAME COLUMN name TO full_name"
run dwetl run
pgq "ALTER TABLE customer RENAME COLUMN full_name TO name"
is "$rc" 78 "a run against an OLTP column renamed exits 78"
like "$errout" "schema drift.*'customer' extraction.*name" "and names the table and the column"
like "$(fact "$O8" "$p8")" "^22 " "nothing is written"
is "$(watermarks)" "$wm0" "the watermarks stay"

run dwetl run
quiet_ok "a run with the schemas back exits 0 quietly"
like "$(fact "$O8" "$p8")" "^23 " "and syncs the change"
run dwetl status
is "$rc" 0 "status exits 0 again after a good run"

# A failed run followed by a good one with nothing to sync.
pgq "ALTER TABLE customer RENAME COLUMN name TO full_name"
run dwetl run
pgq "ALTER TABLE customer RENAME COLUMN full_name TO name"
is "$rc" 78 "(another failed run)"
run dwetl status
is "$rc" 1 "(status says so)"
run dwetl run
quiet_ok "a run with nothing to sync exits 0 quietly"
run dwetl status
is "$rc:$errout" "0:" "status exits 0 when the last run succeeded, even with nothing to sync"

# ---- 10. --dry-run ----

pgq "UPDATE order_line SET quantity = 24 WHERE order_id = '$O8' AND product_id = '$p8'"
runs0=$(nruns)
wm0=$(watermarks)
run dwetl -F tsv --no-header run --dry-run
is "$rc" 0 "run --dry-run exits 0"
is "$(printf '%s\n' "$out" | cut -f1,3)" "$(counts_but sales 1)" "--dry-run counts what would be extracted per table"
run dwetl run --dry-run
is "$rc" 0 "run --dry-run without -F exits 0"
like "$out" "sales.*1" "and prints the counts"
is "$(nruns) $(watermarks)" "$runs0 $wm0" "--dry-run records no run and leaves the watermarks"
like "$(fact "$O8" "$p8")" "^23 " "--dry-run writes nothing"

# ---- 12. -v ----

run dwetl -v run
is "$rc" 0 "run -v exits 0"
is "$(printf '%s\n' "$errout" | grep -cE '^dw-etl: [a-z_]+: [0-9]+ extracted, [0-9]+ merged, [0-9]+ deleted')" "$NSEC" \
   "-v prints one line per table"
like "$errout" "sales: 1 extracted, [0-9]+ merged, 0 deleted" "-v counts the changed line"
is "$out" "" "-v prints nothing on stdout"

# ---- 1. fiscal years starting in October, on a fresh warehouse ----

mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot -e "CREATE DATABASE $FY"
run dwetl --set warehouse.database="$FY" init
is "$rc" 0 "init of a second warehouse exits 0"
run dwetl --set warehouse.database="$FY" status
is "$rc" 1 "status of a fresh warehouse exits 1"
run dwetl --set warehouse.database="$FY" --set etl.fiscal_year_start=10 run
quiet_ok "a run into it with etl.fiscal_year_start=10 exits 0 quietly"
is "$(dim_date 20121015 "$FY")" "2012-10-15 2012 4 10 October 42 15 1 Monday 0 2013 1" "2012-10-15 is in fiscal 2013 Q1"
is "$(dim_date 20120304 "$FY")" "2012-03-04 2012 1 3 March 9 4 7 Sunday 1 2012 2" "2012-03-04 is in fiscal 2012 Q2"
is "$(dim_date 20131230 "$FY")" "2013-12-30 2013 4 12 December 1 30 1 Monday 0 2014 1" "2013-12-30 is in fiscal 2014 Q1"
is "$(dim_date 20120101 "$FY")" "2012-01-01 2012 1 1 January 52 1 7 Sunday 1 2012 2" "2012-01-01 is in fiscal 2012 Q2"
recon "a second warehouse synced from scratch" "$FY"

exit $((_failed > 0))
