#!/bin/sh
# dw-etl run loses nothing silently: values the warehouse cannot hold fail the
# run (65, nothing committed, table, key and column named) by LOAD DATA LOCAL
# and by INSERT, and the next run succeeds once the row is fixed; keys that
# differ only by trailing spaces stay apart; 4-byte UTF-8, combining marks and
# control characters arrive byte for byte; both schemas agree on every width
# and the OLTP side refuses what the warehouse cannot hold; a row's stamp is
# taken when it is written (the T0 rule); rolled-back loads burn no small keys.
. "${0%/*}/lib/test.sh"
plan 76

newdb
if ! dwetl init >"$T/init.out" 2>&1; then
	echo "Bail out! dw-etl init failed: $(cat "$T/init.out")"
	exit 1
fi
cd "$T" || exit 1
cp "$DW_TOP/t/data/orders-sample.csv" "$DW_TOP/t/data/returns-sample.csv" .
if ! dwetl import orders-sample.csv returns-sample.csv >"$T/import.out" 2>&1 ||
	! dwetl run >>"$T/import.out" 2>&1; then
	echo "Bail out! dw-etl import or run failed: $(cat "$T/import.out")"
	exit 1
fi

# The model's tables (not dw_etl_run, where a failed run is recorded).
warehouse_sum() { myq "CHECKSUM TABLE fact_sales, fact_return, dim_customer, dim_product, dim_location, dim_date"; }
watermarks() { myq "SELECT table_name, DATE_FORMAT(watermark, '%Y-%m-%d %H:%i:%s.%f') FROM dw_etl_watermark ORDER BY 1"; }
hex_pg() { pgq "SELECT upper(encode(convert_to(name, 'UTF8'), 'hex')) FROM customer WHERE customer_id = '$1'"; }
hex_my() { myq "SELECT HEX(customer_name) FROM dim_customer WHERE customer_id = '$1'"; }
NOINFILE="--set warehouse.local_infile=false"

# fails_cleanly NAME LABEL ARGS...: runs dw-etl ARGS... run and checks it exits
# 65, names the table, the key and the column, and changes nothing.
fails_cleanly() {
	_name=$1 _label=$2
	shift 2
	_sum=$(warehouse_sum) _wm=$(watermarks)
	run dwetl "$@" run
	is "$rc" 65 "$_label: the run exits 65"
	like "$errout" "$_name" "$_label: the message names table, key and column"
	ok "[ \"\$(printf '%s\n' \"\$errout\" | grep -c '^dw-etl: error:')\" -eq 1 ]" \
		"$_label: one error line"
	is "$(warehouse_sum)$(watermarks)" "$_sum$_wm" "$_label: the warehouse and its watermarks are unchanged"
}

# ---- 1. the OLTP side refuses what the warehouse cannot hold ----

# Every text column the sync copies and the warehouse column it lands in.
PAIRS="segment.name:dim_customer.segment category.name:dim_product.category
subcategory.name:dim_product.subcategory product.product_id:dim_product.product_id
product.name:dim_product.product_name customer.customer_id:dim_customer.customer_id
customer.name:dim_customer.customer_name orders.order_id:fact_sales.order_id
orders.market:dim_location.market orders.region:dim_location.region
orders.country:dim_location.country orders.state:dim_location.state
orders.city:dim_location.city orders.postal_code:dim_location.postal_code
orders.ship_mode:fact_sales.ship_mode orders.order_priority:fact_sales.order_priority
order_return.region:fact_return.region"
# For each pair: a CHECK in the OLTP database bounds the column to the
# warehouse column's width (ship mode and priority are bounded by lists).
agree=""
for p in $PAIRS; do
	src=${p%%:*} dst=${p#*:}
	w=$(myq "SELECT character_maximum_length FROM information_schema.columns WHERE table_schema = DATABASE()
		 AND table_name = '${dst%%.*}' AND column_name = '${dst#*.}'")
	n=$(pgq "SELECT count(*) FROM pg_constraint WHERE conrelid = '${src%%.*}'::regclass AND contype = 'c'
		 AND pg_get_constraintdef(oid) LIKE '%char_length(${src#*.}) <= $w)%'")
	case "${src#*.}" in ship_mode|order_priority) n=1 ;; esac
	[ "$n" = 1 ] || agree="$agree $src($w)"
done
is "$agree" "" "every text column the sync copies is limited in the OLTP database to its warehouse width"
chk() {
	pgq "BEGIN; $1; ROLLBACK" >/dev/null 2>"$T/chk"
	[ $? -ne 0 ] && grep -q "violates check constraint" "$T/chk"
}
ok "chk \"UPDATE customer SET name = repeat('é', 201) WHERE customer_id = 'DK-13375'\"" \
	"the OLTP database refuses a customer name of 201 characters"
ok "! chk \"UPDATE customer SET name = repeat('é', 200) WHERE customer_id = 'DK-13375'\"" \
	"and takes one of 200 (characters, not bytes)"
ok "chk \"INSERT INTO orders SELECT repeat('X', 33), customer_id, order_date, ship_date, ship_mode,
	order_priority, market, region, country, state, city, postal_code FROM orders LIMIT 1\"" \
	"the OLTP database refuses an order ID of 33 characters"
ok "chk \"UPDATE orders SET city = repeat('c', 101)\"" "the OLTP database refuses a city of 101 characters"

# dw-etl import rejects such a line and loads the others.
long_name=$(printf '%0201d' 0 | tr 0 N)
awk -F, -v OFS=, -v n="$long_name" 'NR == 1 || NR == 2 { print; next }
	NR == 3 { $1 = 70001; $2 = "ZZ-2014-000077"; $6 = "ZZ-10001"; $7 = n; print }' \
	orders-sample.csv >orders-long.csv
run dwetl import orders-long.csv
is "$rc" 0 "import of a file with an over-long name exits 0"
like "$(cat orders-long.rejects.csv 2>/dev/null)" "orders-long.csv,3,Customer Name,N{201}," \
	"the line is rejected, naming the field"
is "$(pgq "SELECT count(*) FROM customer WHERE customer_id = 'ZZ-10001'")" 0 "the line is not loaded"

# ---- 2. over-long and out-of-range values written by SQL fail the run ----

# A name longer than dim_customer.customer_name, the CHECK dropped.
pgq "ALTER TABLE customer DROP CONSTRAINT IF EXISTS customer_name_width"
pgq "UPDATE customer SET name = repeat('N', 201) WHERE customer_id = 'DK-13375'"
fails_cleanly "customer.*customer_id 'DK-13375'.*customer_name|customer.*customer_name.*customer_id 'DK-13375'" \
	"over-long name by LOAD DATA LOCAL"
fails_cleanly "customer.*customer_id 'DK-13375'.*customer_name|customer.*customer_name.*customer_id 'DK-13375'" \
	"over-long name by INSERT" $NOINFILE
pgq "UPDATE customer SET name = repeat('N', 200) WHERE customer_id = 'DK-13375'"
run dwetl run
is "$rc:$errout" "0:" "once the name is fixed the next run succeeds"
is "$(myq "SELECT CHAR_LENGTH(customer_name) FROM dim_customer WHERE customer_id = 'DK-13375'")" 200 \
	"and the name arrives whole"

# Two order IDs that share their first 32 characters.
O=CA-2011-100006
long1=LONG-ORDER-ID-000000000000000000-1 long2=LONG-ORDER-ID-000000000000000000-2
pgq "ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_order_id_width"
for o in $long1 $long2; do
	pgq "INSERT INTO orders SELECT '$o', customer_id, order_date, ship_date, ship_mode, order_priority,
	         market, region, country, state, city, postal_code FROM orders WHERE order_id = '$O';
	     INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount, profit, shipping_cost)
	     SELECT '$o', product_id, row_id + 80000 + length('$o') * 0 + ascii(right('$o', 1)), quantity, sales,
	         discount, profit, shipping_cost FROM order_line WHERE order_id = '$O'"
done
fails_cleanly "sales.*order_id 'LONG-ORDER-ID-0+-[12]'" "two order IDs alike in 32 characters by LOAD DATA LOCAL"
fails_cleanly "sales.*order_id 'LONG-ORDER-ID-0+-[12]'" "two order IDs alike in 32 characters by INSERT" $NOINFILE
pgq "DELETE FROM orders WHERE order_id IN ('$long1', '$long2')"
run dwetl run
is "$rc:$errout" "0:" "once the orders are removed the next run succeeds"
is "$(myq "SELECT COUNT(*) FROM fact_sales WHERE order_id LIKE 'LONG-%'")" 0 "and no truncated order is left"

# A quantity beyond INT, through a wider type in the OLTP database.
P=$(pgq "SELECT product_id FROM order_line WHERE order_id = '$O' ORDER BY product_id LIMIT 1")
pgq "ALTER TABLE order_line ALTER quantity TYPE bigint;
     UPDATE order_line SET quantity = 3000000000 WHERE order_id = '$O' AND product_id = '$P'"
fails_cleanly "sales.*order_id '$O'.*product_id '$P'.*quantity|sales.*quantity.*order_id '$O'.*product_id '$P'" \
	"quantity out of range by LOAD DATA LOCAL"
fails_cleanly "sales.*order_id '$O'.*product_id '$P'.*quantity|sales.*quantity.*order_id '$O'.*product_id '$P'" \
	"quantity out of range by INSERT" $NOINFILE
pgq "UPDATE order_line SET quantity = 7 WHERE order_id = '$O' AND product_id = '$P';
     ALTER TABLE order_line ALTER quantity TYPE integer"
run dwetl run
is "$rc:$errout" "0:" "once the quantity is fixed the next run succeeds"
is "$(myq "SELECT quantity FROM fact_sales WHERE order_id = '$O' AND product_id = '$P'")" 7 "and it arrives"

# Sales with more decimals than the warehouse keeps: rounded, a note only.
pgq "ALTER TABLE order_line ALTER sales TYPE numeric(16,6);
     UPDATE order_line SET sales = 12.345678 WHERE order_id = '$O' AND product_id = '$P'"
fails_cleanly "sales.*order_id '$O'.*product_id '$P'.*sales|sales.*sales.*order_id '$O'.*product_id '$P'" \
	"sales rounded by LOAD DATA LOCAL"
fails_cleanly "sales.*order_id '$O'.*product_id '$P'.*sales|sales.*sales.*order_id '$O'.*product_id '$P'" \
	"sales rounded by INSERT" $NOINFILE
pgq "UPDATE order_line SET sales = 12.3456 WHERE order_id = '$O' AND product_id = '$P';
     ALTER TABLE order_line ALTER sales TYPE numeric(14,4)"
run dwetl $NOINFILE run
is "$rc:$errout" "0:" "once the sales are fixed the next run succeeds"
is "$(myq "SELECT sales FROM fact_sales WHERE order_id = '$O' AND product_id = '$P'")" 12.3456 "and they arrive"
run dwetl status
is "$rc" 0 "status is healthy again after the failed runs"

# ---- 3. keys that differ only by trailing spaces ----

P1=TEC-PH-10002075
pgq "INSERT INTO product (product_id, subcategory_id, name)
         SELECT '$P1 ', subcategory_id, 'Padded Phone' FROM product WHERE product_id = '$P1';
     INSERT INTO orders SELECT 'PAD-2014-000001', customer_id, order_date, ship_date, ship_mode,
         order_priority, market, region, country, state, city || ' ', postal_code
         FROM orders WHERE order_id = '$O';
     INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount, profit, shipping_cost)
         VALUES ('PAD-2014-000001', '$P1 ', 81001, 4, 40, 0, 4, 1), ('PAD-2014-000001', '$P1', 81002, 5, 50, 0, 5, 1)"
run dwetl run
is "$rc:$errout" "0:" "a run with keys that differ only by trailing spaces exits 0"
is "$(myq "SELECT GROUP_CONCAT(CONCAT('[', product_id, '|', product_name, ']') ORDER BY product_id SEPARATOR ' ')
	   FROM dim_product WHERE product_id LIKE '$P1%'")" \
	"[$P1|$(pgq "SELECT name FROM product WHERE product_id = '$P1'")] [$P1 |Padded Phone]" \
	"'$P1' and '$P1 ' are two products, each with its own name"
is "$(myq "SELECT GROUP_CONCAT(CONCAT(f.quantity, ':[', p.product_id, ']:[', l.city, ']') ORDER BY f.quantity SEPARATOR ' ')
	   FROM fact_sales f JOIN dim_product p USING (product_key) JOIN dim_location l USING (location_key)
	   WHERE f.order_id = 'PAD-2014-000001'")" \
	"4:[$P1 ]:[New York City ] 5:[$P1]:[New York City ]" \
	"each line points at its own product, and at the city with the trailing space"
is "$(myq "SELECT COUNT(*) FROM dim_location WHERE city LIKE 'New York City%'")" \
	"$(pgq "SELECT count(DISTINCT (market, region, country, state, city, postal_code)) FROM orders
	       WHERE city LIKE 'New York City%'")" \
	"'New York City' and 'New York City ' are distinct locations"
is "$(myq "SELECT CONCAT('[', l.city, ']') FROM fact_sales f JOIN dim_location l USING (location_key)
	   WHERE f.order_id = '$O' LIMIT 1")" "[New York City]" "the order in 'New York City' still points there"
bad=$(myq "SELECT GROUP_CONCAT(CONCAT(table_name, '.', column_name, ':', collation_name))
	   FROM information_schema.columns WHERE table_schema = DATABASE() AND collation_name IS NOT NULL
	   AND table_name IN ('dim_customer', 'dim_product', 'dim_location', 'dim_date', 'fact_sales', 'fact_return')
	   AND collation_name <> 'utf8mb4_nopad_bin'")
is "$bad" "NULL" "every text column of the star schema compares exactly (utf8mb4_nopad_bin)"
is "$(myq "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE()
	   AND character_set_name IS NOT NULL AND character_set_name <> 'utf8mb4'")" 0 \
	"every text column of the warehouse is utf8mb4"
is "$(myq "SELECT CONCAT(default_character_set_name, ' ', default_collation_name) FROM information_schema.schemata
	   WHERE schema_name = DATABASE()")" "utf8mb4 utf8mb4_nopad_bin" "so are the warehouse database's defaults"

# ---- 4. 4-byte UTF-8, combining marks and every control character ----

odd="'Zoë 😀 e' || chr(769) || ' 𝄞 '"
ctl=$(awk 'BEGIN { for (i = 1; i < 32; i++) printf " || chr(%d)", i; printf " || chr(127)" }')
C2=$(pgq "SELECT customer_id FROM customer WHERE customer_id <> 'DK-13375' ORDER BY 1 LIMIT 1")
pgq "UPDATE customer SET name = $odd $ctl || ' end' WHERE customer_id = '$C2'"
run dwetl run
is "$rc:$errout" "0:" "a run with emoji, combining marks and control characters exits 0"
is "$(hex_my "$C2")" "$(hex_pg "$C2")" "they arrive byte for byte by LOAD DATA LOCAL"
pgq "UPDATE customer SET name = 'by insert ' || $odd $ctl WHERE customer_id = '$C2'"
run dwetl $NOINFILE run
is "$rc:$errout" "0:" "a run by INSERT with them exits 0"
is "$(hex_my "$C2")" "$(hex_pg "$C2")" "they arrive byte for byte by INSERT"
# And out of the warehouse through dw-ask, as JSON.
printf 'ask:\n  knowledge: %s\n  cache_dir: %s\n  role: admin\n' \
	"$DW_TOP/etc/ask/superstore.yaml" "$T/cache" >>"$CONF"
"$DW_BIN/dw-ask" -c "$CONF" -F json "sales by customer" </dev/null >ask.json 2>ask.err
# A customer is shown as "name (customer_id)": names are not unique.
is "$(C2=$C2 perl -MJSON::PP -e 'local $/; my $a = JSON::PP->new->decode(<STDIN>);
	print join("\n", map { my $c = $_->{customer}; $c =~ s/ \(\Q$ENV{C2}\E\)\z// ? uc unpack("H*", $c) : () } @$a)' \
	<ask.json | grep -x "$(hex_pg "$C2")")" \
	"$(hex_pg "$C2")" "dw-ask -F json shows the name byte for byte"

# The same through import: a name with an emoji and a combining mark.
awk -F, -v OFS=, 'NR == 1 { print; next } NR == 2 { $1 = 70002; $2 = "ZZ-2014-000078"; $6 = "ZZ-10002";
	$7 = "Ana 😀 Jose\314\201"; print }' orders-sample.csv >orders-emoji.csv
run dwetl import orders-emoji.csv
is "$rc:$errout" "0:" "import of a name with an emoji and a combining mark exits 0"
run dwetl run
is "$rc:$errout" "0:" "and so does the run after it"
is "$(hex_my ZZ-10002)" "$(printf 'Ana 😀 Jose\314\201' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
	"the name arrives in the warehouse byte for byte"

# ---- 5. a row's stamp is taken when it is written ----

# T0 is the start of the oldest transaction that pg_stat_activity shows; a
# row stamped with its transaction's start (taken before the transaction
# shows there) could be older than a T0 computed in between. Stamped when
# written, it is always later than its transaction's xact_start.
is "$(pgq "BEGIN; SELECT pg_sleep(0.2); UPDATE customer SET name = 'Stamped Late' WHERE customer_id = '$C2';
	   SELECT updated_at >= now() + interval '0.15 s' FROM customer WHERE customer_id = '$C2'; COMMIT" | tail -1)" t \
	"a row written 0.2 s into its transaction is stamped when written, not at the transaction's start"
is "$(pgq "BEGIN; SELECT pg_sleep(0.2); DELETE FROM order_return WHERE order_id = (SELECT min(order_id) FROM order_return);
	   SELECT deleted_at >= now() + interval '0.15 s' FROM dw_tombstone ORDER BY tombstone_id DESC LIMIT 1; COMMIT" | tail -1)" t \
	"so is a tombstone"
run dwetl run
is "$rc:$errout" "0:" "and the sync takes them"
is "$(myq "SELECT customer_name FROM dim_customer WHERE customer_id = '$C2'")" "Stamped Late" "the late-stamped row arrives"

# ---- 6. a rolled-back load burns no small keys ----

pgq "BEGIN; INSERT INTO segment (name) SELECT 'Burnt ' || g FROM generate_series(1, 40000) g; ROLLBACK" >/dev/null 2>&1
awk -F, -v OFS=, 'NR == 1 { print; next } NR == 2 { $1 = 70003; $2 = "ZZ-2014-000079"; $6 = "ZZ-10003";
	$8 = "New Segment"; print }' orders-sample.csv >orders-segment.csv
run dwetl import orders-segment.csv
is "$rc:$errout" "0:" "after 40,000 segments were inserted and rolled back, an import with a new segment succeeds"
is "$(pgq "SELECT count(*) FROM segment WHERE name = 'New Segment'")" 1 "and the segment is there"

# ---- 7. the sync needs the current schemas ----

pgq "DELETE FROM dw_schema_version WHERE version >= 2"
run dwetl run
pgq "INSERT INTO dw_schema_version (version, name) VALUES (2, 'oltp/002_fit.sql'), (3, 'oltp/003_moves.sql')"
is "$rc" 78 "a run against an OLTP database at schema version 1 exits 78"
like "$errout" "oltp: schema version 1, this dw-etl needs version 3" "saying which version it needs"
like "$errout" "hint: run 'dw-etl init'" "and how to get there"

# ---- 8. dw-etl import knows the same widths (lib/etl/width.c) ----

# Each line of its table: { "Field", N }, /* table.column, ... */
bad=""
for fc in $(sed -n 's/^	{ "\([^"]*\)", \([0-9]*\) }, *\/\* \(.*\) \*\/$/\2:\3/p' "$DW_TOP/lib/etl/width.c" |
	sed 's/, /,/g; s/ /_/g'); do
	w=${fc%%:*}
	for tc in $(printf '%s' "${fc#*:}" | tr ',' ' '); do
		got=$(myq "SELECT character_maximum_length FROM information_schema.columns
			   WHERE table_schema = DATABASE() AND table_name = '${tc%%.*}' AND column_name = '${tc#*.}'")
		[ "$got" = "$w" ] || bad="$bad $tc($w/$got)"
	done
done
is "$(sed -n 's/^	{ "\([^"]*\)", \([0-9]*\) }.*/x/p' "$DW_TOP/lib/etl/width.c" | wc -l | tr -d ' ')" 14 \
	"(lib/etl/width.c bounds 14 fields)"
is "$bad" "" "each of them as the warehouse does"
