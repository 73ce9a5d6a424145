#!/bin/sh
# dw-etl run, the first load: fact_sales empty, the facts stream from the
# OLTP database straight into it with the warehouse's dimension keys
# resolved there, its non-unique indexes built again afterwards.  The
# warehouse ends exactly as the staged merge leaves it (dw-validate diff);
# with LOCAL INFILE refused it stages as before; a key the warehouse lacks
# fails the run and commits nothing.
. "${0%/*}/lib/test.sh"
plan 23

newdb
if ! { dwetl init && dwetl generate --orders 400 --seed 7 -o "$T/orders.csv" --returns "$T/returns.csv" &&
	dwetl import "$T/orders.csv" "$T/returns.csv"; } >"$T/setup.out" 2>&1; then
	echo "Bail out! setup failed: $(cat "$T/setup.out")"
	exit 1
fi
trap 'myq "SET GLOBAL local_infile = 1" 2>/dev/null; _finish
	psql -X -q -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d postgres \
		-c "DROP ROLE IF EXISTS dwt_reader_$$" >/dev/null 2>&1' EXIT

fact_indexes() {
	myq "SELECT GROUP_CONCAT(CONCAT(index_name, ':', cols) ORDER BY index_name SEPARATOR ' ')
		FROM (SELECT index_name, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols
		FROM information_schema.statistics WHERE table_schema = DATABASE()
		AND table_name = 'fact_sales' GROUP BY index_name) x"
}
lines=$(pgq "SELECT count(*) FROM order_line")
returned=$(pgq "SELECT count(*) FROM order_line ol JOIN order_return r USING (order_id)")
indexes=$(fact_indexes)
diff_clean() {
	run "$DW_BIN/dw-validate" -c "$CONF" diff
	is "$rc" 0 "$1: dw-validate diff finds no difference ($out)"
}

# ---- 1. the first run streams the facts ----
run dwetl -vv run
is "$rc" 0 "the first run exits 0"
like "$errout" "first load of sales: $lines rows" "-vv: the $lines order lines stream straight into fact_sales"
like "$errout" "built 4 indexes of fact_sales again" "-v: its four non-unique indexes are built again"
is "$(myq "SELECT count(*) FROM fact_sales")" "$lines" "every order line is a fact"
is "$(myq "SELECT sum(returned) FROM fact_sales")" "$returned" "the lines of returned orders are flagged returned"
is "$(fact_indexes)" "$indexes" "fact_sales has every index it had"
diff_clean "after the first load"
run dwetl -vv run
is "$(printf '%s\n' "$errout" | grep -c 'first load')" 0 "the next run is no first load"

# ---- 2. LOCAL INFILE refused: the first load stages and inserts ----
myq "TRUNCATE fact_sales"
myq "SET GLOBAL local_infile = 0"
run dwetl -vv run --full
myq "SET GLOBAL local_infile = 1"
is "$rc" 0 "a first load with LOCAL INFILE off exits 0"
like "$errout" "loading with INSERT" "it loads with INSERT"
is "$(printf '%s\n' "$errout" | grep -c 'first load of')" 0 "and stages the facts"
is "$(fact_indexes)" "$indexes" "fact_sales has every index it had"
diff_clean "after a first load by INSERT"

# ---- 2b. an OLTP account that may not make temporary tables stages too ----
READER=dwt_reader_$$
pgq "REVOKE TEMPORARY ON DATABASE $DB FROM PUBLIC; CREATE ROLE $READER LOGIN;
	GRANT USAGE ON SCHEMA public TO $READER; GRANT SELECT ON ALL TABLES IN SCHEMA public TO $READER"
sed "s/user=postgres/user=$READER/" "$CONF" >"$T/reader.yaml"
chmod 600 "$T/reader.yaml"
myq "TRUNCATE fact_sales"
run "$DW_BIN/dw-etl" -c "$T/reader.yaml" -vv run --full
is "$rc" 0 "a first load by an account without TEMPORARY exits 0 ($(printf '%s' "$errout" | grep error))"
is "$(printf '%s\n' "$errout" | grep -c 'first load of')" 0 "and stages the facts"
diff_clean "after a first load without temporary tables"
pgq "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM $READER; REVOKE ALL ON SCHEMA public FROM $READER;
	GRANT TEMPORARY ON DATABASE $DB TO PUBLIC" >/dev/null

# ---- 3. a dimension key the warehouse lacks fails the run ----
city=$(pgq "SELECT min(city) FROM orders")
myq "TRUNCATE fact_sales"
myq "CREATE TRIGGER dwt_mangle BEFORE INSERT ON dim_location FOR EACH ROW
	SET NEW.city = IF(NEW.city = '$city', CONCAT(NEW.city, ' (mangled)'), NEW.city)"
myq "DELETE FROM dim_location WHERE city = '$city'"
wm=$(myq "SELECT GROUP_CONCAT(watermark ORDER BY table_name) FROM dw_etl_watermark")
run dwetl run --full
is "$rc" 65 "a fact whose location the warehouse lacks fails the first load (65)"
like "$errout" "first load of sales: .*location_key" "the error names the load and the column"
is "$(myq "SELECT count(*) FROM fact_sales")" 0 "no fact is committed"
is "$(myq "SELECT GROUP_CONCAT(watermark ORDER BY table_name) FROM dw_etl_watermark")" "$wm" \
	"no watermark moves"
is "$(fact_indexes)" "$indexes" "fact_sales keeps every index"
myq "DROP TRIGGER dwt_mangle"
run dwetl run --full
is "$rc" 0 "without the fault the next run exits 0 ($errout)"
diff_clean "after the failed first load and the next"
