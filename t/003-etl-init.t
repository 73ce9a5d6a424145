#!/bin/sh
# dw-etl init: creates both schemas once, idempotently, with the tables,
# partitions, triggers and constraints of the reference model; --dry-run;
# concurrent runs.
. "${0%/*}/lib/test.sh"
plan 62

newdb

# Extra pairs of databases, made by hand: one for --dry-run, one for
# concurrent inits. mkpair NAME writes a config for them to $T/NAME.yaml.
EXTRA=""
mkpair() {
	psql -X -q -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d postgres \
		-c "CREATE DATABASE $1" >/dev/null
	mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot -e "CREATE DATABASE $1"
	EXTRA="$EXTRA $1"
	cat >"$T/$1.yaml" <<YAML
oltp:
  conninfo: "host=127.0.0.1 port=$DW_TEST_PGPORT user=postgres dbname=$1"
warehouse:
  host: 127.0.0.1
  port: $DW_TEST_MYPORT
  user: root
  database: $1
YAML
	chmod 600 "$T/$1.yaml"
}
cleanup() {
	for d in $EXTRA; do
		psql -X -q -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d postgres \
			-c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1
		mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot \
			-e "DROP DATABASE IF EXISTS $d" 2>/dev/null
	done
	_finish
}
trap cleanup EXIT

# pgq / myq on another database than this test's own.
pgq_on() { (DB=$1; pgq "$2"); }
myq_on() { (DB=$1; myq "$2"); }

pg_tables() {
	pgq "SELECT string_agg(table_name, ' ' ORDER BY table_name) FROM information_schema.tables
	     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
}
my_tables() {
	myq "SELECT group_concat(table_name ORDER BY table_name SEPARATOR ' ')
	     FROM information_schema.tables WHERE table_schema = DATABASE()"
}

# Everything init creates, in a form that can be compared.
fingerprint() {
	pgq "SELECT table_name, column_name, ordinal_position, data_type, is_nullable,
	            coalesce(column_default, '') FROM information_schema.columns
	     WHERE table_schema = 'public' ORDER BY 1, 3"
	pgq "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
	pgq "SELECT conrelid::regclass, conname, pg_get_constraintdef(oid) FROM pg_constraint
	     WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"
	pgq "SELECT tgrelid::regclass, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal
	     ORDER BY 1, 2"
	pgq "SELECT proname, md5(prosrc) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
	     ORDER BY 1"
	pgq "SELECT version, name, applied_at FROM dw_schema_version ORDER BY 1"
	myq "SELECT table_name, column_name, ordinal_position, column_type, is_nullable,
	            coalesce(column_default, ''), extra FROM information_schema.columns
	     WHERE table_schema = DATABASE() ORDER BY 1, 3"
	myq "SELECT table_name, index_name, seq_in_index, column_name FROM information_schema.statistics
	     WHERE table_schema = DATABASE() ORDER BY 1, 2, 3"
	myq "SELECT table_name, partition_name, partition_description FROM information_schema.partitions
	     WHERE table_schema = DATABASE() ORDER BY 1, partition_ordinal_position"
	myq "SELECT version, name, applied_at FROM dw_schema_version ORDER BY 1"
}

# --- first and second init ---------------------------------------------------
run dwetl init
is "$rc" 0 "init exits 0"
is "$out" "" "init prints nothing on stdout"
is "$errout" "" "init prints nothing on stderr"

is "$(pg_tables)" \
	"category customer dw_schema_version dw_tombstone order_line order_return orders product segment subcategory" \
	"every OLTP table exists"
is "$(my_tables)" \
	"dim_customer dim_date dim_location dim_product dw_audit_event dw_audit_head dw_check_result dw_check_run dw_etl_pending_index dw_etl_run dw_etl_watermark dw_mask_key dw_password_history dw_person dw_role dw_schema_version dw_scope dw_tune_asked dw_tune_digest dw_tune_index dw_tune_model dw_tune_snapshot dw_tune_stat dw_tune_table dw_tune_trial fact_return fact_sales" \
	"every warehouse table exists"
is "$(pgq "SELECT count(*) || ' ' || max(version) FROM dw_schema_version")" "3 3" \
	"PostgreSQL: three version rows, version 3 (widths, keys, stamps, moved orders)"
is "$(myq "SELECT concat(count(*), ' ', max(version)) FROM dw_schema_version")" "8 8" \
	"MariaDB: eight version rows, version 8 (the audit trail, exact keys, roles, the chain, check history, tune, pending indexes)"

fingerprint >"$T/fp1" 2>&1
run dwetl -v init
is "$rc" 0 "second init exits 0"
is "$out" "" "second init prints nothing on stdout"
like "$errout" "oltp: schema version 3 \(up to date\)" "-v reports the OLTP version"
like "$errout" "warehouse: schema version 8 \(up to date\)" "-v reports the warehouse version"
fingerprint >"$T/fp2" 2>&1
ok "[ -s '$T/fp1' ] && cmp -s '$T/fp1' '$T/fp2'" "second init changes nothing on either side"
is "$(pgq "SELECT count(*) FROM dw_schema_version")" 3 "PostgreSQL: still three version rows"
is "$(myq "SELECT count(*) FROM dw_schema_version")" 8 "MariaDB: still eight version rows"

# --- --dry-run -------------------------------------------------------------------
DRY=${DB}_dry
mkpair "$DRY"
run "$DW_BIN/dw-etl" -c "$T/$DRY.yaml" -v init --dry-run
is "$rc" 0 "init --dry-run exits 0"
like "$out" "CREATE TABLE (IF NOT EXISTS )?order_line" "--dry-run prints the OLTP SQL"
like "$out" "CREATE TABLE (IF NOT EXISTS )?fact_sales" "--dry-run prints the warehouse SQL"
like "$out" "CREATE TRIGGER" "--dry-run prints the triggers too"
like "$errout" "oltp: schema version 3" "--dry-run -v tells the version it would reach"
is "$(pgq_on "$DRY" "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")" 0 \
	"--dry-run creates nothing in PostgreSQL"
is "$(myq_on "$DRY" "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()")" 0 \
	"--dry-run creates nothing in MariaDB"
run dwetl init --dry-run
is "$rc:$out" "0:" "--dry-run on an up-to-date database prints no SQL"

# --- warehouse partitions --------------------------------------------------------
nparts=$(myq "SELECT count(*) FROM information_schema.partitions
	      WHERE table_schema = DATABASE() AND table_name = 'fact_sales'")
ok "[ '$nparts' -gt 12 ]" "fact_sales is partitioned ($nparts partitions)"
ok "[ $(myq "SELECT count(*) FROM information_schema.partitions WHERE table_schema = DATABASE()
	       AND table_name = 'fact_return'") -gt 12 ]" "fact_return is partitioned"
parts=$(mariadb --no-defaults -B --socket="$DW_TEST_MYSOCK" -uroot "$DB" -e \
	"EXPLAIN PARTITIONS SELECT sum(sales) FROM fact_sales
	 WHERE order_date_key BETWEEN 20130301 AND 20130331" |
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "partitions") c = i; next }
		    { print $c }')
is "$parts" "p201303" "a one-month query on fact_sales prunes to one partition"

# --- OLTP triggers -----------------------------------------------------------------
pgq "INSERT INTO segment (name) VALUES ('Consumer');
     INSERT INTO category (name) VALUES ('Technology');
     INSERT INTO subcategory (category_id, name)
         SELECT category_id, 'Phones' FROM category WHERE name = 'Technology';
     INSERT INTO product (product_id, subcategory_id, name)
         SELECT 'TEC-PH-1', subcategory_id, 'Phone One' FROM subcategory
         UNION ALL SELECT 'TEC-PH-2', subcategory_id, 'Phone Two' FROM subcategory;
     INSERT INTO customer (customer_id, name, segment_id)
         SELECT 'AB-10015', 'Aaron Bergman', segment_id FROM segment;
     INSERT INTO orders (order_id, customer_id, order_date, ship_date, ship_mode,
                         order_priority, market, region, country, state, city, postal_code)
         VALUES ('CA-2013-1', 'AB-10015', '2013-03-05', '2013-03-09', 'Standard Class',
                 'High', 'US', 'West', 'United States', 'California', 'Fresno', '93727');
     INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount,
                             profit, shipping_cost)
         VALUES ('CA-2013-1', 'TEC-PH-1', 1, 2, 100, 0.2, 10, 5),
                ('CA-2013-1', 'TEC-PH-2', 2, 1, 50, 0, 5, 2)" >"$T/ins" 2>&1
is "$?:$(cat "$T/ins")" "0:" "a segment-to-order_line chain can be inserted"

before=$(pgq "SELECT updated_at FROM order_line WHERE row_id = 1")
pgq "SELECT pg_sleep(0.02)" >/dev/null
pgq "UPDATE order_line SET quantity = 3 WHERE row_id = 1"
is "$(pgq "SELECT updated_at > '$before'::timestamptz FROM order_line WHERE row_id = 1")" t \
	"UPDATE of an order_line moves its updated_at forward"
before=$(pgq "SELECT updated_at FROM orders WHERE order_id = 'CA-2013-1'")
pgq "SELECT pg_sleep(0.02)" >/dev/null
pgq "UPDATE orders SET ship_mode = 'First Class', updated_at = '2000-01-01' WHERE order_id = 'CA-2013-1'"
is "$(pgq "SELECT updated_at > '$before'::timestamptz FROM orders WHERE order_id = 'CA-2013-1'")" t \
	"updated_at cannot be set by hand: the trigger stamps it"
is "$(pgq "SELECT count(*) FROM order_line WHERE row_id = 2
	   AND updated_at < (SELECT updated_at FROM order_line WHERE row_id = 1)")" 1 \
	"the other line keeps its updated_at"

# NOTIFY: one psql session listens, then writes.
printf "LISTEN dw_change;\nINSERT INTO segment (name) VALUES ('Corporate');\n" |
	psql -X -q -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d "$DB" >"$T/notify" 2>&1
like "$(cat "$T/notify")" 'Asynchronous notification "dw_change" with payload "segment"' \
	"a write NOTIFYs dw_change with the table name"

# CHECK constraints.
chk() {
	pgq "$1" >/dev/null 2>"$T/chk"
	[ $? -ne 0 ] && grep -q "violates check constraint" "$T/chk"
}
ok "chk \"INSERT INTO order_line (order_id, product_id, row_id, quantity, sales, discount, profit,
	   shipping_cost) VALUES ('CA-2013-1', 'TEC-PH-9', 9, 0, 1, 0, 0, 0)\"" \
	"CHECK refuses quantity 0"
ok "chk \"UPDATE order_line SET quantity = 0 WHERE row_id = 2\"" "CHECK refuses an update to quantity 0"
ok "chk \"UPDATE order_line SET discount = 1 WHERE row_id = 2\"" "CHECK refuses discount 1"
ok "chk \"UPDATE order_line SET discount = -0.1 WHERE row_id = 2\"" "CHECK refuses a negative discount"
ok "chk \"UPDATE orders SET ship_date = '2013-03-04' WHERE order_id = 'CA-2013-1'\"" \
	"CHECK refuses ship_date before order_date"
ok "chk \"UPDATE orders SET ship_mode = 'Teleport' WHERE order_id = 'CA-2013-1'\"" \
	"CHECK refuses an unknown ship mode"
is "$(pgq "SELECT quantity || ' ' || discount FROM order_line WHERE row_id = 2")" "1 0.0000" \
	"refused changes left the row as it was"

# Deletes leave tombstones, through ON DELETE CASCADE too.
pgq "DELETE FROM orders WHERE order_id = 'CA-2013-1'"
is "$(pgq "SELECT count(*) FROM order_line")" 0 "deleting an order deletes its lines"
is "$(pgq "SELECT string_agg(table_name || ':' || key1 || ':' || coalesce(key2, '-'), ' '
	       ORDER BY table_name, key2) FROM dw_tombstone")" \
	"order_line:CA-2013-1:TEC-PH-1 order_line:CA-2013-1:TEC-PH-2 orders:CA-2013-1:-" \
	"tombstones record the order and its lines by natural key"
pgq "DELETE FROM product WHERE product_id = 'TEC-PH-2'"
is "$(pgq "SELECT key1 || ':' || coalesce(key2, '-') FROM dw_tombstone WHERE table_name = 'product'")" \
	"TEC-PH-2:-" "a deleted product leaves its tombstone"

# --- concurrent inits ---------------------------------------------------------------
CONC=${DB}_conc
mkpair "$CONC"
"$DW_BIN/dw-etl" -c "$T/$CONC.yaml" init >"$T/c1.out" 2>&1 &
p1=$!
"$DW_BIN/dw-etl" -c "$T/$CONC.yaml" init >"$T/c2.out" 2>&1 &
p2=$!
wait "$p1"; rc1=$?
wait "$p2"; rc2=$?
is "$rc1 $rc2" "0 0" "two concurrent inits both exit 0"
is "$(cat "$T/c1.out" "$T/c2.out")" "" "and print nothing"
is "$(pgq_on "$CONC" "SELECT count(*) || ' ' || max(version) FROM dw_schema_version")" "3 3" \
	"concurrent inits: three version rows in PostgreSQL"
is "$(myq_on "$CONC" "SELECT concat(count(*), ' ', max(version)) FROM dw_schema_version")" "8 8" \
	"concurrent inits: eight version rows in MariaDB"

# --- upgrade: a warehouse at version 1 gets only versions 2 to 8 -----------------
myq_on "$CONC" "DROP TABLE dw_audit_event; DELETE FROM dw_schema_version WHERE version >= 2"
myq_on "$CONC" "INSERT INTO dw_etl_watermark VALUES ('sales', '2020-01-01', NOW(6))"
run "$DW_BIN/dw-etl" -c "$T/$CONC.yaml" -v init
is "$rc" 0 "init upgrades a version-1 warehouse"
like "$errout" "warehouse: schema version 8$" "-v reports the new version"
is "$(myq_on "$CONC" "SELECT concat(count(*), ' ', max(version)) FROM dw_schema_version")" "8 8" \
	"the upgrade records versions 2 to 8"
is "$(myq_on "$CONC" "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'dw_audit_event'")" 1 \
	"the upgrade creates dw_audit_event"
is "$(myq_on "$CONC" "SELECT watermark FROM dw_etl_watermark")" "2020-01-01 00:00:00.000000" \
	"and keeps the data already there"

# --- upgrade from the previous versions, with data ---------------------------------
# Both sides built from the shipped files of OLTP version 1 and warehouse
# version 2, with rows in them; init brings them to the current versions and
# keeps every row.
OLD=${DB}_old
mkpair "$OLD"
pgq_on "$OLD" "CREATE TABLE dw_schema_version (version integer PRIMARY KEY, name text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
(DB=$OLD; psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DW_TEST_PGPORT" -U postgres -d "$DB" \
	-f "$DW_TOP/sql/oltp/001_schema.sql") >"$T/old.out" 2>&1
pgq_on "$OLD" "INSERT INTO dw_schema_version (version, name) VALUES (1, 'oltp/001_schema.sql');
	INSERT INTO segment (name) VALUES ('Consumer');
	INSERT INTO customer (customer_id, name, segment_id) VALUES ('AB-1', 'Zoë 😀', 1), ('AB-1 ', 'Padded', 1)" \
	>>"$T/old.out" 2>&1
mariadb --no-defaults -N -B --default-character-set=utf8mb4 --socket="$DW_TEST_MYSOCK" -uroot "$OLD" -e \
	"CREATE TABLE dw_schema_version (version INT PRIMARY KEY, name VARCHAR(200) NOT NULL,
	applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
	$(cat "$DW_TOP/sql/dw/001_schema.sql" "$DW_TOP/sql/dw/002_audit.sql");
	INSERT INTO dw_schema_version (version, name) VALUES (1, 'dw/001_schema.sql'), (2, 'dw/002_audit.sql');
	INSERT INTO dim_customer (customer_id, customer_name, segment, updated_at)
	VALUES ('AB-1', 'Zoë 😀', 'Consumer', '2020-01-01');
	INSERT INTO dw_etl_watermark VALUES ('customer', '2020-01-02', NOW(6))" >>"$T/old.out" 2>&1
is "$(cat "$T/old.out")" "" "(a version-1 OLTP database and a version-2 warehouse, with rows)"
run "$DW_BIN/dw-etl" -c "$T/$OLD.yaml" -v init
is "$rc" 0 "init upgrades them"
like "$errout" "oltp: schema version 3$" "-v reports OLTP version 3"
like "$errout" "warehouse: schema version 8$" "-v reports warehouse version 8"
is "$(pgq_on "$OLD" "SELECT string_agg(version || ':' || name, ' ' ORDER BY version) FROM dw_schema_version")" \
	"1:oltp/001_schema.sql 2:oltp/002_fit.sql 3:oltp/003_moves.sql" "the OLTP upgrade is recorded"
is "$(myq_on "$OLD" "SELECT GROUP_CONCAT(CONCAT(version, ':', name) ORDER BY version SEPARATOR ' ') FROM dw_schema_version")" \
	"1:dw/001_schema.sql 2:dw/002_audit.sql 3:dw/003_exact.sql 4:dw/004_roles.sql 5:dw/005_audit_chain.sql 6:dw/006_check_history.sql 7:dw/007_tune.sql 8:dw/008_pending_index.sql" \
	"the warehouse upgrade is recorded"
is "$(pgq_on "$OLD" "SELECT string_agg('[' || customer_id || '|' || name || ']', ' ' ORDER BY customer_id) FROM customer")" \
	"[AB-1|Zoë 😀] [AB-1 |Padded]" "the OLTP rows survive"
is "$(myq_on "$OLD" "SELECT CONCAT(customer_key, ' ', HEX(customer_name), ' ', COLLATION(customer_id)) FROM dim_customer")" \
	"1 $(printf 'Zoë 😀' | od -An -tx1 | tr -d ' \n' | tr a-f A-F) utf8mb4_nopad_bin" \
	"the warehouse row survives, its key and its 4-byte character kept, its key now exact"
is "$(myq_on "$OLD" "SELECT watermark FROM dw_etl_watermark")" "2020-01-02 00:00:00.000000" \
	"the watermark survives"
myq_on "$OLD" "INSERT INTO dim_customer (customer_id, customer_name, segment, updated_at)
	VALUES ('AB-1 ', 'Padded', 'Consumer', '2020-01-01')" >"$T/pad.out" 2>&1
is "$?:$(cat "$T/pad.out")" "0:" "the upgraded warehouse takes 'AB-1 ' beside 'AB-1'"
is "$(pgq_on "$OLD" "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
	WHERE attrelid = 'segment'::regclass AND attname = 'segment_id'")" "integer" \
	"segment_id is an integer"
ok "! pgq_on '$OLD' \"UPDATE customer SET name = repeat('x', 201)\" 2>/dev/null" \
	"the upgraded OLTP database refuses a name the warehouse cannot hold"
run "$DW_BIN/dw-etl" -c "$T/$OLD.yaml" -v init
is "$rc:$(printf '%s' "$errout" | grep -c 'up to date')" "0:2" "a second init finds both up to date"
