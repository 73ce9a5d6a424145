#!/bin/sh
# dw-user roles apply on a real warehouse: the default roles become
# database roles with schemas of masking views; accounts holding them read
# through the views only, whatever SQL they write; applying again changes
# nothing; a policy change updates and removes.
. "${0%/*}/lib/test.sh"
plan 110

userdb
cd "$T" || exit 1
loaddb 800 sync

# Accounts of this test only; dropped with the role schemas at the end.
cleanup() {
	droproles
	for u in sa sm ex ad; do myq "DROP USER IF EXISTS '${DB}_$u'@'%'" 2>/dev/null; done
	_finish
}
trap cleanup EXIT

user() { "$DW_BIN/dw-user" -c "$CONF" "$@"; }
schemas() {
	myq "SELECT COALESCE(GROUP_CONCAT(SCHEMA_NAME ORDER BY SCHEMA_NAME SEPARATOR ' '), '')
		FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '${DB}\\_%'"
}

# ---- dry run, apply, apply again ----

run user roles apply --dry-run
is "$rc" 0 "roles apply --dry-run exits 0"
is "$(printf '%s\n' "$out" | grep -c '^CREATE ROLE IF NOT EXISTS')" 4 "it prints a role for each of the four default roles"
like "$out" "CREATE OR REPLACE SQL SECURITY DEFINER VIEW \`${DB}_sales_associate\`.\`dim_customer\`" \
	"and the masking views"
is "$(schemas)" "" "and changes nothing"

run user -v roles apply
is "$rc" 0 "roles apply exits 0"
is "$(schemas)" "${DB}_admin ${DB}_executive ${DB}_sales_associate ${DB}_store_manager" \
	"a schema per role"
is "$(myq "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME SEPARATOR ' ') FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${DB}_sales_associate' AND TABLE_TYPE = 'VIEW'")" \
	"dim_customer dim_date dim_location dim_product dw_audit_event dw_etl_watermark dw_role_info dw_tune_model fact_return fact_sales" \
	"a view per warehouse table, and the watermark and audit views dw-ask uses"
is "$(printf '%s\n' "$errout" | grep -c ': created$')" 4 "-v says each role was created"
is "$(myq "SELECT COUNT(*) FROM dw_audit_event WHERE tool = 'dw-user' AND outcome = 'created'")" 4 \
	"each creation is audited"
is "$(myq "SELECT LENGTH(secret) FROM dw_mask_key")" 64 "the pseudonym key is written"
SECRET=$(myq "SELECT secret FROM dw_mask_key")

run user -v roles apply
is "$rc $(printf '%s\n' "$errout" | grep -c ': unchanged$')" "0 4" "a second apply changes nothing"
run user roles apply --dry-run
is "$(printf '%s\n' "$out" | grep -vc '^--')" 0 "and a dry run then has no SQL to print"
is "$(myq "SELECT COUNT(*) FROM dw_audit_event WHERE tool = 'dw-user'")" 4 "nor anything to audit"
is "$(myq "SELECT secret FROM dw_mask_key")" "$SECRET" "the key stays"

# ---- accounts holding the roles ----

account() {   # short name, role
	myq "CREATE USER '${DB}_$1'@'%' IDENTIFIED BY 'pw-$1-$$-violet-tundra'; GRANT ${DB}_$2 TO '${DB}_$1'@'%';
		SET DEFAULT ROLE ${DB}_$2 FOR '${DB}_$1'@'%'"
}
account sa sales_associate
account sm store_manager
account ex executive
account ad admin
myq "INSERT INTO dw_scope VALUES ('${DB}_sm', 'market', 'EU')"
as() {   # short name, role, SQL: runs as that account in its role's schema
	mariadb --no-defaults -N -B -h 127.0.0.1 -P "$DW_TEST_MYPORT" -u"${DB}_$1" -p"pw-$1-$$-violet-tundra" \
		"${DB}_$2" -e "$3" 2>&1
}
myq "SELECT customer_name FROM dim_customer" >"$T/names"
NAME=$(head -1 "$T/names")
leaks() {   # prints the lines of $1 holding a real name or the key
	printf '%s\n' "$1" | grep -F -f "$T/names"
	printf '%s\n' "$1" | grep -F "$SECRET"
}

# A sales associate: no customer name, however asked.
i=0
while IFS= read -r q; do
	i=$((i + 1))
	got=$(as sa sales_associate "$q")
	is "$(leaks "$got")" "" "sales associate, query $i leaks no name: $q"
done <<SQL
SELECT * FROM dim_customer
SELECT customer_name AS n, UPPER(customer_name), CONCAT(customer_name, '!') FROM dim_customer
SELECT CAST(customer_name AS BINARY), CONVERT(customer_name USING latin1) FROM dim_customer
SELECT (SELECT MAX(customer_name) FROM dim_customer), (SELECT MIN(customer_id) FROM dim_customer)
WITH c AS (SELECT * FROM dim_customer) SELECT c.customer_name FROM c
SELECT customer_name FROM dim_customer UNION SELECT customer_name FROM $DB.dim_customer
SELECT * FROM $DB.dim_customer
SELECT secret FROM $DB.dw_mask_key
SHOW CREATE VIEW dim_customer
SELECT VIEW_DEFINITION FROM information_schema.VIEWS
SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$DB'
SET @x = (SELECT customer_name FROM dim_customer LIMIT 1); SELECT @x
SELECT GROUP_CONCAT(DISTINCT customer_name) FROM fact_sales JOIN dim_customer USING (customer_key)
SELECT JSON_OBJECT('n', customer_name) FROM dim_customer LIMIT 5
SELECT c.customer_name AS \`x\` FROM dim_customer AS c
SELECT REVERSE(customer_name), LOWER(customer_id) FROM dim_customer LIMIT 20
SELECT HEX(customer_name), UNHEX(HEX(customer_name)) FROM dim_customer LIMIT 20
SELECT TO_BASE64(customer_name), FROM_BASE64(TO_BASE64(customer_name)) FROM dim_customer LIMIT 20
SELECT SUBSTRING(customer_name, 1, 50), LEFT(customer_id, 20) FROM dim_customer LIMIT 20
SELECT CAST(customer_name AS CHAR(200)), CONVERT(customer_id, CHAR) FROM dim_customer LIMIT 20
SELECT customer_name COLLATE utf8mb4_bin FROM dim_customer LIMIT 20
SELECT * FROM (SELECT * FROM dim_customer) AS x LIMIT 20
SELECT (SELECT customer_name FROM dim_customer c2 WHERE c2.customer_key = c.customer_key) FROM dim_customer c LIMIT 20
WITH RECURSIVE r AS (SELECT customer_name AS n, 1 AS i FROM dim_customer WHERE customer_key = 1 UNION ALL SELECT n, i + 1 FROM r WHERE i < 3) SELECT * FROM r
WITH a AS (SELECT customer_key, customer_name FROM dim_customer) SELECT a.* FROM a JOIN fact_sales f USING (customer_key) LIMIT 20
SELECT customer_name FROM dim_customer UNION ALL SELECT customer_name FROM ${DB}_admin.dim_customer
SELECT customer_name FROM ${DB}_admin.dim_customer LIMIT 5
SELECT customer_name FROM ${DB}_executive.dim_customer LIMIT 5
SELECT * FROM $DB.fact_sales LIMIT 1
SELECT * FROM mysql.user LIMIT 1
SELECT * FROM mysql.global_priv LIMIT 1
SELECT * FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '$DB'
SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA LIKE '${DB}%'
SELECT * FROM information_schema.SCHEMATA
SHOW DATABASES
SHOW TABLES FROM $DB
SHOW CREATE TABLE $DB.dim_customer
SHOW GRANTS
SELECT LOAD_FILE('/etc/passwd')
SELECT customer_name FROM dim_customer INTO OUTFILE '/tmp/dw-leak-$$.txt'
SELECT MAX(secret) FROM ${DB}.dw_mask_key
SELECT * FROM ${DB}_admin.dw_audit_event
PREPARE s FROM 'SELECT customer_name FROM $DB.dim_customer'; EXECUTE s
SET @q = CONCAT('SELECT customer_name FROM ', '$DB', '.dim_customer'); PREPARE s FROM @q; EXECUTE s
SELECT customer_name, ROW_NUMBER() OVER (ORDER BY customer_name) FROM dim_customer LIMIT 20
SELECT customer_name, COUNT(*) OVER (PARTITION BY customer_name) FROM dim_customer LIMIT 20
SELECT DISTINCT LENGTH(customer_name), LENGTH(customer_id) FROM dim_customer
SELECT SHA2(customer_name, 256), MD5(customer_id) FROM dim_customer LIMIT 20
SELECT customer_name REGEXP '^A' AS a, COUNT(*) FROM dim_customer GROUP BY a
SELECT SOUNDEX(customer_name), customer_name LIKE '%a%' FROM dim_customer LIMIT 20
SELECT c.customer_name, l.city, l.postal_code FROM fact_sales f JOIN dim_customer c USING (customer_key) JOIN dim_location l USING (location_key) LIMIT 20
SELECT postal_code FROM dim_location WHERE postal_code IS NOT NULL LIMIT 20
SELECT * FROM dw_audit_event
SELECT * FROM dw_etl_watermark
SELECT SESSION_USER(), CURRENT_USER(), CURRENT_ROLE(), DATABASE()
SET ROLE NONE; SELECT customer_name FROM $DB.dim_customer LIMIT 1
SET ROLE ${DB}_admin; SELECT customer_name FROM ${DB}_admin.dim_customer LIMIT 1
SELECT customer_name FROM dim_customer PROCEDURE ANALYSE()
SQL
# Inference: comparing or sorting by the masked value cannot split the
# customers, so it tells nothing of the names.
ALL=$(myq "SELECT COUNT(*) FROM dim_customer")
for cmp in "customer_name < 'M'" "customer_name LIKE 'A%'" "customer_id > 'M'" "LEFT(customer_name, 1) = 'J'"; do
	n=$(as sa sales_associate "SELECT COUNT(*) FROM dim_customer WHERE $cmp")
	ok "[ '$n' = 0 ] || [ '$n' = '$ALL' ]" "a sales associate learns nothing from WHERE $cmp ($n of $ALL)"
done
is "$(ls /tmp/dw-leak-$$.txt 2>/dev/null)" "" "no file was written by INTO OUTFILE"
is "$(as sa sales_associate "SELECT COUNT(*) FROM dim_customer WHERE customer_name = '$(printf '%s' "$NAME" | sed "s/'/''/g")'")" 0 \
	"a sales associate cannot test a guessed name"
is "$(as sa sales_associate "SELECT COUNT(*) FROM fact_sales")" "$(myq "SELECT COUNT(*) FROM fact_sales")" \
	"a sales associate reads every sale"

# A store manager: its market only, pseudonyms.
is "$(as sm store_manager "SELECT GROUP_CONCAT(DISTINCT market) FROM dim_location")" EU \
	"a store manager scoped to EU sees only EU locations"
is "$(as sm store_manager "SELECT COUNT(*), ROUND(SUM(sales), 2) FROM fact_sales")" \
	"$(myq "SELECT COUNT(*), ROUND(SUM(f.sales), 2) FROM fact_sales f JOIN dim_location l USING (location_key) WHERE l.market = 'EU'")" \
	"and only the EU's sales"
is "$(as sm store_manager "SELECT COUNT(*) FROM fact_return WHERE location_key NOT IN (SELECT location_key FROM dim_location)")" 0 \
	"and only the EU's returns"
is "$(leaks "$(as sm store_manager "SELECT customer_name FROM dim_customer")")" "" "and no names"
# The scope holds for any query: no other market's rows or names appear.
i=0
while IFS= read -r q; do
	i=$((i + 1))
	got=$(as sm store_manager "$q")
	is "$(printf '%s\n' "$got" | grep -wE 'APAC|LATAM|EMEA|Africa|Canada|US')" "" \
		"store manager, query $i shows no other market: $q"
done <<SQL
SELECT DISTINCT market FROM dim_location
SELECT l.market, COUNT(*) FROM fact_sales f JOIN dim_location l USING (location_key) GROUP BY 1
SELECT market FROM dim_location UNION SELECT market FROM ${DB}_admin.dim_location
SELECT market FROM $DB.dim_location
WITH x AS (SELECT * FROM dim_location) SELECT DISTINCT market FROM x
SELECT (SELECT GROUP_CONCAT(DISTINCT market) FROM dim_location)
SELECT region FROM fact_return GROUP BY region
DELETE FROM dw_scope; SELECT DISTINCT market FROM dim_location
INSERT INTO $DB.dw_scope VALUES (SUBSTRING_INDEX(USER(), '@', 1), 'market', CONCAT('U', 'S')); SELECT DISTINCT market FROM dim_location
SQL
is "$(as sm store_manager "SELECT COUNT(*) FROM fact_sales f LEFT JOIN dim_location l USING (location_key) WHERE l.location_key IS NULL")" 0 \
	"a store manager sees no sale whose location is out of scope"

# An executive: pseudonyms, stable, one per customer.
P1=$(as ex executive "SELECT customer_name FROM dim_customer ORDER BY customer_key")
P2=$(as ex executive "SELECT customer_name FROM dim_customer ORDER BY customer_key")
is "$(leaks "$P1")" "" "an executive sees no names"
ok "[ -n '$(printf '%s' "$P1" | head -1)' ] && [ '$P1' = '$P2' ]" "the pseudonyms are the same in two sessions"
is "$(printf '%s\n' "$P1" | sort -u | wc -l)" "$(sort -u "$T/names" | wc -l)" \
	"one pseudonym per distinct name, so counts by customer still work"
is "$(as ex executive "SELECT COUNT(*) FROM fact_sales")" "$(myq "SELECT COUNT(*) FROM fact_sales")" \
	"an executive reads every sale"

# Admin: everything.
is "$(as ad admin "SELECT customer_name FROM dim_customer ORDER BY customer_key" | head -3)" \
	"$(myq "SELECT customer_name FROM dim_customer ORDER BY customer_key LIMIT 3")" "admin sees names"
like "$(as ad admin "SELECT COUNT(*) FROM $DB.dw_check_result")" "denied" \
	"but, like every role, not the control tables, such as dw-validate's history"

# ---- the policy changes ----

like "$(as sa sales_associate "SELECT COUNT(*) FROM dw_audit_event")" "denied" \
	"a role reads no audit events by default"
cat >>"$CONF" <<YAML
roles:
  sales_associate: {pii: initials, export: false, audit: own}
  store_manager: {pii: pseudonym, scope: {market: person}}
  admin: {pii: none}
YAML
run user -v roles apply
is "$rc" 0 "apply after a policy change exits 0"
like "$errout" "role sales_associate .*: updated" "the changed role is updated"
like "$errout" "role executive .*: removed" "the dropped role is removed"
is "$(schemas)" "${DB}_admin ${DB}_sales_associate ${DB}_store_manager" "with its schema"
is "$(myq "SELECT COUNT(*) FROM mysql.roles_mapping WHERE Role = '${DB}_executive'")" 0 "and its role"
like "$(as sa sales_associate "SELECT customer_name FROM dim_customer LIMIT 1")" "^[[:alpha:]]\.( [[:alpha:]]\.)?$" \
	"a sales associate now sees initials"
is "$(as sa sales_associate "SELECT COUNT(*) FROM dw_audit_event")" 0 \
	"and, with audit: own, may read its own audit events (none)"

# ---- bad policies ----

cat >>"$CONF" <<YAML
  analyst: {tables: [fact_sales, dim_customer]}
YAML
run user roles apply
is "$rc" 78 "a role reading personal data with no rule: exit 78"
like "$errout" "role 'analyst' reads dim_customer.customer_id, personal data, with no rule" \
	"the message names the role and the column"
sed -i 's/analyst: {tables: \[fact_sales, dim_customer\]}/analyst: {tables: all, piii: none}/' "$CONF"
run user roles apply
like "$rc $errout" "^78 .*dw.yaml:[0-9]+: unknown key 'piii' in role 'analyst'" \
	"an unknown key: exit 78 with file and line"
