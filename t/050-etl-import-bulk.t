#!/bin/sh
# dw-etl import into empty tables loads in bulk: secondary indexes and
# foreign keys dropped, the rows inserted, then the indexes built and the
# keys checked, all in the import's one transaction.  The tables end with
# exactly the indexes and constraints they had; a failure rolls the drops
# back; tables that hold rows, or an account that does not own them, get
# the row-by-row merge.
. "${0%/*}/lib/test.sh"
plan 29

LOADER=dwt_loader_$$
trap 'psql -X -q -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d postgres \
	-c "DROP DATABASE IF EXISTS $DB" -c "DROP ROLE IF EXISTS $LOADER" >/dev/null 2>&1; _finish' EXIT

newdb
if ! dwetl init >"$T/init.out" 2>&1; then
	echo "Bail out! dw-etl init failed: $(cat "$T/init.out")"
	exit 1
fi
cp "$DW_TOP"/t/data/orders-sample.csv "$DW_TOP"/t/data/returns-sample.csv "$T"/
cd "$T" || exit 1

# Every index and constraint of the OLTP tables, as the catalog defines them.
schema() {
	pgq "SELECT string_agg(d, E'\n' ORDER BY d) FROM (
		SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
		UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
		FROM pg_constraint WHERE connamespace = 'public'::regnamespace) x"
}
counts() {
	pgq "SELECT concat_ws(' ', (SELECT count(*) FROM customer), (SELECT count(*) FROM orders),
		(SELECT count(*) FROM order_line), (SELECT count(*) FROM order_return))"
}
before=$(schema)
nfk=$(pgq "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace")

# ---- 1. a first import loads every table in bulk ----
# (what orders has for a primary key when its rows go in, seen by a trigger)
pgq "CREATE TABLE dwt_pk_seen (n int);
	CREATE FUNCTION dwt_pk_seen() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN
	INSERT INTO dwt_pk_seen SELECT count(*) FROM pg_constraint
		WHERE conrelid = 'orders'::regclass AND contype = 'p'; RETURN NULL; END \$\$;
	CREATE TRIGGER dwt_pk_seen BEFORE INSERT ON orders FOR EACH STATEMENT EXECUTE FUNCTION dwt_pk_seen()"
run dwetl -vv import orders-sample.csv returns-sample.csv
is "$rc" 0 "a first import exits 0"
is "$(printf '%s\n' "$errout" | grep -c '^dw-etl: loaded .* in bulk in')" 8 \
	"all eight tables are loaded in bulk"
is "$(counts)" "6 7 12 2" "every row arrives"
is "$(schema)" "$before" "the tables end with the indexes and constraints they had"
ok '[ "$nfk" -ge 7 ]' "there were foreign keys to drop and put back ($nfk)"
is "$(pgq "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	WHERE c.relname = 'order_line_product_idx' AND i.indisvalid")" 1 "a rebuilt index is valid"
is "$(pgq "SELECT string_agg(n::text, ',') FROM dwt_pk_seen")" 0 \
	"the primary key of orders, which foreign keys refer to, is dropped for the load and put back"
is "$(pgq "SELECT count(DISTINCT tablename) FROM pg_stats WHERE schemaname = 'public'
	AND tablename IN ('orders', 'order_line', 'customer')")" 3 \
	"the tables loaded in bulk have statistics (ANALYZE), not those of empty tables"
pgq "DROP TRIGGER dwt_pk_seen ON orders; DROP FUNCTION dwt_pk_seen(); DROP TABLE dwt_pk_seen"
# The touch triggers, held off while the rows go in, stamped by the INSERT.
touch_on() {
	pgq "SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%\_touch' AND tgenabled = 'O'"
}
is "$(touch_on)" 8 "the touch triggers are enabled again after the load"
is "$(pgq "SELECT (SELECT min(updated_at) FROM order_line) > (SELECT max(updated_at) FROM orders)
	AND (SELECT min(updated_at) FROM orders) > (SELECT max(updated_at) FROM customer)")" t \
	"each row stamped with the moment it was written, as the trigger does (not the import's start)"

# ---- 2. the keys are still checked after a bulk load ----
run pgq "INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount, profit, shipping_cost)
	VALUES ('NO-SUCH-ORDER', (SELECT min(product_id) FROM product), 999, 1, 1, 0, 0, 0)"
ok '[ "$rc" -ne 0 ]' "a line of an unknown order is refused after the load"
like "$errout" "order_line_order_id_fkey" "by the foreign key put back"

# ---- 3. tables that hold rows are merged, not bulk loaded ----
run dwetl -vv import orders-sample.csv returns-sample.csv
is "$rc" 0 "a second import exits 0"
is "$(printf '%s\n' "$errout" | grep -c 'in bulk')" 0 "nothing is loaded in bulk into tables with rows"
is "$(printf '%s\n' "$errout" | grep -c '^dw-etl: merged ')" 8 "every table is merged"
is "$(counts)" "6 7 12 2" "and nothing changes"

# ---- 4. a failure during the bulk load rolls back the drops ----
pgq "TRUNCATE order_return, order_line, orders, customer, product, subcategory, category, segment CASCADE"
pgq "CREATE FUNCTION dwt_refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$
	BEGIN RAISE EXCEPTION 'refused by the test'; END \$\$;
	CREATE TRIGGER dwt_refuse BEFORE INSERT ON order_line FOR EACH ROW EXECUTE FUNCTION dwt_refuse()"
with_trigger=$(schema)
run dwetl import orders-sample.csv returns-sample.csv
ok '[ "$rc" -ne 0 ]' "an import whose order lines fail exits non-zero ($rc)"
like "$errout" "refused by the test" "and says why"
is "$(counts)" "0 0 0 0" "nothing is left of it"
is "$(schema)" "$with_trigger" "every dropped index and foreign key is back"
is "$(touch_on)" 8 "and every touch trigger is enabled"
pgq "DROP TRIGGER dwt_refuse ON order_line; DROP FUNCTION dwt_refuse()"

# ---- 5. an account that does not own the tables merges ----
pgq "CREATE ROLE $LOADER LOGIN; GRANT USAGE ON SCHEMA public TO $LOADER;
	GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO $LOADER;
	GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO $LOADER;
	GRANT TEMPORARY ON DATABASE $DB TO $LOADER"
sed "s/user=postgres/user=$LOADER/" "$CONF" >"$T/loader.yaml"
chmod 600 "$T/loader.yaml"
run "$DW_BIN/dw-etl" -c "$T/loader.yaml" -vv import orders-sample.csv returns-sample.csv
is "$rc" 0 "an account with INSERT and UPDATE grants imports into empty tables ($errout)"
is "$(printf '%s\n' "$errout" | grep -c 'in bulk')" 0 "without the bulk load it may not do"
is "$(counts)" "6 7 12 2" "every row arrives"
is "$(schema)" "$before" "and the tables keep their indexes and constraints"
pgq "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM $LOADER; REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM $LOADER;
	REVOKE ALL ON SCHEMA public FROM $LOADER; REVOKE ALL ON DATABASE $DB FROM $LOADER" >/dev/null

# ---- 6. kill -9 in the middle of a bulk load: the server rolls it all back ----
# The bulk loads of product and orders drop the foreign keys order_line has
# on them; a lock held on order_line stops the import at the first, with
# tables loaded and their keys dropped and put back in its transaction.
pgq "TRUNCATE order_return, order_line, orders, customer, product, subcategory, category, segment CASCADE"
psql -X -q -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d "$DB" \
	-c "BEGIN; LOCK TABLE order_line IN ACCESS SHARE MODE; SELECT pg_sleep(4); COMMIT" >/dev/null &
locker=$!
sleep 0.5
"$DW_BIN/dw-etl" -c "$CONF" import orders-sample.csv returns-sample.csv >/dev/null 2>&1 &
victim=$!
i=0
while [ $i -lt 100 ] && [ "$(pgq "SELECT count(*) FROM pg_locks WHERE NOT granted
	AND relation = 'order_line'::regclass")" = 0 ]; do
	sleep 0.05; i=$((i + 1))
done
ok '[ $i -lt 100 ]' "the import waits inside its bulk loads"
kill -9 $victim
wait $victim 2>/dev/null
wait $locker
i=0
while [ $i -lt 100 ] && [ "$(pgq "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
	AND pid <> pg_backend_pid() AND backend_type = 'client backend'")" != 0 ]; do
	sleep 0.05; i=$((i + 1))
done
is "$(counts)" "0 0 0 0" "after kill -9, nothing of it is left"
is "$(schema)" "$before" "every index, key and foreign key is back"
is "$(touch_on)" 8 "and every touch trigger is enabled"
