#!/bin/sh
# dw-ask without a language model, on a synced warehouse: the command line,
# offline answers checked against reference SQL, formats, --sql and
# --explain, declined questions, the audit trail, the read-only account and
# connection errors, the row cap, charts and SVG, saved reports, and the
# interactive loop.
. "${0%/*}/lib/test.sh"
plan 161

RO=ro_$$
NO=no_$$
cleanup() {
	mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot \
		-e "DROP USER IF EXISTS '$RO'@'%', '$NO'@'%'" 2>/dev/null
	_finish
}
trap cleanup EXIT

newdb
cat >>"$CONF" <<YAML
ask:
  knowledge: $DW_TOP/etc/ask/superstore.yaml
  cache_dir: $T/cache
  role: store_manager
YAML
cd "$T" || exit 1
loaddb 2000 sync

ask() { "$DW_BIN/dw-ask" -c "$CONF" "$@" </dev/null; }
# ask in the locale $1, on a 60-column terminal
ask_in() {
	_l=$1; shift
	env COLUMNS=60 LC_ALL= LC_CTYPE= LANG="$_l" "$DW_BIN/dw-ask" -c "$CONF" "$@" </dev/null
}
nev() { myq "SELECT COUNT(*) FROM dw_audit_event"; }
# The last audit record: tool|action|os_user|role|db_user|engine|row_count|outcome
last_ev() {
	myq "SELECT CONCAT_WS('|', tool, action, os_user, role, db_user, IFNULL(engine, '-'),
	            IFNULL(row_count, '-'), outcome) FROM dw_audit_event ORDER BY event_id DESC LIMIT 1"
}
last_col() { myq "SELECT $1 FROM dw_audit_event ORDER BY event_id DESC LIMIT 1"; }
round2() { awk '{ printf "%.2f\n", $1 }'; }
ME=$(id -un)
FROM_ORDERS="FROM fact_sales f JOIN dim_date d ON d.date_key = f.order_date_key"
Y=$(myq "SELECT MAX(d.year) $FROM_ORDERS")      # the latest year with orders
Y0=$(myq "SELECT MIN(d.year) $FROM_ORDERS")

# ---- command line ----

run "$DW_BIN/dw-ask" --help
is "$rc" 0 "--help exits 0"
like "$out" "^usage: dw-ask" "--help prints usage on stdout"
is "$errout" "" "--help prints nothing on stderr"
printf '%s\n' "$out" | grep -oE -- '--[a-z][a-z-]+' | sort -u >"$T/help.opts"
grep '^\.It ' "$DW_TOP/man/dw-ask.1" | grep -oE 'Fl \\-[a-z][a-z-]+' | sed 's/^Fl \\-/--/' |
	sort -u >"$T/man.opts"
is "$(comm -23 "$T/help.opts" "$T/man.opts" | tr '\n' ' ')" "" "every long option in --help is an .It in dw-ask.1"
is "$(comm -13 "$T/help.opts" "$T/man.opts" | tr '\n' ' ')" "" "every .It long option in dw-ask.1 is in --help"

run "$DW_BIN/dw-ask" --version
is "$rc" 0 "--version exits 0"
like "$out" "^dw-ask [0-9]+\.[0-9]+\.[0-9]+$" "--version prints the version"

run ask --bogus
is "$rc" 64 "unknown option exits 64"
like "$errout" "unknown option '--bogus'" "unknown option is named"
like "$errout" "hint: see 'dw-ask --help'" "unknown option hints at --help"
run ask -p a=b total sales
is "$rc" 64 "-p without --report exits 64"
run ask --report sales_by_market -p year="$Y" total sales
is "$rc" 64 "a question and --report together exit 64"
run ask --report sales_by_market -p year="$Y" -e semantic
is "$rc" 64 "--engine with --report exits 64"
printf ' \n\n' | "$DW_BIN/dw-ask" -c "$CONF" >"$T/out" 2>"$T/err"
is "$?" 64 "an empty question on stdin exits 64"
like "$(cat "$T/err")" "no question given" "an empty question on stdin says so"

# ---- offline answers against reference SQL ----

n0=$(nev)
run ask total sales
is "$rc" 0 "total sales exits 0"
is "$(printf '%s\n' "$out" | sed 1d | round2)" "$(myq "SELECT SUM(sales) FROM fact_sales" | round2)" \
	"total sales is the sum of fact_sales.sales"
is "$(nev)" $((n0 + 2)) "a question adds two audit records: its query, as started, and the question"
is "$(last_ev)" "dw-ask|question|$ME|store_manager|root|semantic|1|answered" \
	"the audit record: tool, action, os user, ask.role, reader, engine, rows, outcome"
is "$(last_col question)" "total sales" "the audit record holds the question"
audited_sql=$(last_col sql_text)
run ask --sql total sales
is "$out" "$audited_sql" "the audit record holds the SQL that ran"

run ask -F tsv --no-header top 5 subcategories by profit in Europe last year
is "$rc" 0 "top 5 subcategories by profit in Europe last year exits 0"
is "$out" "$(myq "SELECT p.subcategory, SUM(f.profit) $FROM_ORDERS
	JOIN dim_product p ON p.product_key = f.product_key
	JOIN dim_location l ON l.location_key = f.location_key
	WHERE l.market = 'EU' AND d.year = $Y
	GROUP BY p.subcategory ORDER BY 2 DESC, 1 LIMIT 5")" "top 5 subcategories: the rows and order of the reference"
run ask -F tsv --no-header how many customers in Canada
is "$out" "$(myq "SELECT COUNT(DISTINCT f.customer_key) FROM fact_sales f
	JOIN dim_location l ON l.location_key = f.location_key WHERE l.country = 'Canada'")" \
	"how many customers in Canada"
run ask -F tsv --no-header show all categories
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3 "show all categories: 3 lines"
is "$(printf '%s\n' "$out" | sort)" "$(myq "SELECT DISTINCT category FROM dim_product ORDER BY 1")" \
	"show all categories: the categories"
run ask -F tsv --no-header monthly sales in "$Y0"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 12 "monthly sales in $Y0: 12 rows"
is "$out" "$(myq "SELECT DATE_FORMAT(d.full_date, '%Y-%m'), SUM(f.sales) $FROM_ORDERS
	WHERE d.year = $Y0 GROUP BY 1 ORDER BY 1")" "monthly sales in $Y0: the reference, in month order"
echo "total sales" | "$DW_BIN/dw-ask" -c "$CONF" -F tsv --no-header >"$T/out" 2>"$T/err"
is "$?" 0 "a question on stdin exits 0"
is "$(round2 <"$T/out")" "$(myq "SELECT SUM(sales) FROM fact_sales" | round2)" "a question on stdin is answered"

# ---- formats ----

run ask -F json sales by category
is "$rc" 0 "-F json exits 0"
perl -MJSON::PP -e 'local $/; my $d = decode_json(<STDIN>);
	print join(",", map { $_->{category} } @$d), "\n";
	print join(",", map { JSON::PP->new->allow_nonref->encode($_->{sales}) } @$d), "\n"' \
	<"$T/out" >"$T/json" 2>&1
is "$(sed -n 1p "$T/json")" "$(myq "SELECT p.category FROM fact_sales f
	JOIN dim_product p ON p.product_key = f.product_key GROUP BY 1 ORDER BY SUM(f.sales) DESC" |
	paste -sd, -)" "-F json parses, one object per category"
like "$(sed -n 2p "$T/json")" '^[0-9.]+,[0-9.]+,[0-9.]+$' "-F json numbers are JSON numbers"
run ask -F csv sales by segment
is "$(printf '%s\n' "$out" | sed -n 1p)" "segment,sales" "-F csv starts with its header"
like "$(printf '%s\n' "$out" | sed -n 2p)" '^[A-Za-z ]+,[0-9]+\.[0-9]+$' "-F csv rows are comma-separated"
run ask -F table total sales
is "$(printf '%s\n' "$out" | tail -n 1)" \
	"(data as of $(myq "SELECT DATE_FORMAT(MIN(watermark), '%Y-%m-%d %H:%i:%s') FROM dw_etl_watermark"), the last ETL watermark)" \
	"-F table ends with the freshness line of the last watermark"
run ask -F tsv total sales
is "$(printf '%s\n' "$out" | sed -n 1p)" "sales" "-F tsv has a header"
run ask -F tsv --no-header total sales
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1 "--no-header drops the header"

# ---- --sql and --explain ----

n0=$(nev)
run ask --sql top 5 subcategories by profit in Europe last year
is "$rc" 0 "--sql exits 0"
like "$out" "^SELECT .*'EU'" "--sql prints SQL with its parameter as a literal"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1 "--sql prints only the SQL"
is "$(nev)" $((n0 + 1)) "--sql is audited"
is "$(last_ev)" "dw-ask|question|$ME|store_manager|root|semantic|-|shown" "--sql: audited as shown, no rows run"
like "$(last_col sql_text)" "market = 'EU'" "--sql: the audited SQL has the literal"

run ask -F tsv top 5 subcategories by profit in Europe last year
plain=$out
run ask -F tsv --explain top 5 subcategories by profit in Europe last year
is "$rc" 0 "--explain exits 0"
like "$errout" "^engine: semantic" "--explain names the engine on stderr"
like "$errout" "^filter: market = 'EU' \(\"europe\"\)" "--explain shows the filter"
like "$errout" "^period: order dates from $Y-01-01 up to $((Y + 1))-01-01" "--explain shows the period"
is "$out" "$plain" "--explain: stdout holds only the data"
run ask -q -F tsv --explain top 5 subcategories by profit in Europe last year
like "$errout" "^engine: semantic" "--explain is shown even with -q"

# ---- declined questions ----

n0=$(nev)
run ask what is the median order size
is "$rc" 1 "a declined question exits 1"
like "$errout" "no engine could answer: 'median' is not understood" "a declined question says why"
is "$out" "" "a declined question prints no answer"
is "$(nev)" $((n0 + 1)) "a declined question is audited"
is "$(last_ev)" "dw-ask|question|$ME|store_manager|root|-|-|declined" "audited as declined, no engine"
like "$(last_col detail)" "median" "the audit record holds the reason"
run ask sales in March
is "$rc" 1 "a month without a year is declined"
like "$errout" "'march' needs a year" "a month without a year: the reason"

# ---- input checked, and the audit written, before anything runs ----

hex() { od -An -v -tx1 | tr -d ' \n' | tr a-f A-F; }
n0=$(nev)
run ask "total sales $(printf '\377')"
is "$rc" 65 "a question with a byte that is not UTF-8 exits 65"
like "$errout" "the question is not valid UTF-8 \(byte 13\)" "a byte that is not UTF-8: the error says where"
is "$(nev)" $((n0 + 1)) "a question that is not UTF-8: the refusal is audited, nothing else"
is "$(last_ev)" "dw-ask|question|$ME|store_manager|root|-|-|refused" "audited as refused, no rows"
is "$(last_col 'HEX(question)')" "$(printf 'total sales \357\277\275' | hex)" \
	"the audit holds the question with U+FFFD for the bad byte"
long=$(head -c 65536 /dev/zero | tr '\0' x)
n0=$(nev)
run ask "total sales $long"
is "$rc" 65 "a question over 64 KiB exits 65"
like "$errout" "the question is too long: 65548 bytes, at most 65535" "a long question: the error says so"
is "$(nev):$(last_ev)" "$((n0 + 1)):dw-ask|question|$ME|store_manager|root|-|-|refused" \
	"a long question: the refusal is audited"
run ask -F tsv --report sales_by_market -p year="$Y" -p "segment=$(printf 'x\377')"
is "$rc" 65 "a report parameter that is not UTF-8 exits 65"
like "$errout" "parameter 'segment' is not valid UTF-8" "a report parameter: the error names it"

# Every query is audited before it runs: an account that cannot write
# the audit trail runs nothing.
# The reader of etc/dw-ask-reader.sql, and an account that can read nothing.
sed -e "s/\`dw\`/\`$DB\`/g" -e "s/'dw_ask'@'localhost'/'$RO'@'%'/g" \
	"$DW_TOP/etc/dw-ask-reader.sql" |
	mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot "$DB" || exit 1
myq "ALTER USER '$RO'@'%' IDENTIFIED BY 'pw' ACCOUNT UNLOCK; CREATE USER '$NO'@'%' IDENTIFIED BY 'pw'"
export DW_T020_PW=pw
sed -e "s/^  user: root\$/  user: $RO\n  password_env: DW_T020_PW/" "$CONF" >"$T/noaudit.yaml"
chmod 600 "$T/noaudit.yaml"
myq "SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 1"
run "$DW_BIN/dw-ask" -c "$T/noaudit.yaml" -F tsv "sales by ship mode"
myq "SET GLOBAL general_log = 0"
is "$rc" 77 "an audit trail that cannot be written: exit 77"
like "$errout" "cannot write the audit trail" "an audit trail that cannot be written: the error says so"
is "$(myq "SELECT COUNT(*) FROM mysql.general_log WHERE user_host LIKE '$RO%'
	AND argument LIKE '%GROUP BY%ship_mode%'")" 0 \
	"an audit trail that cannot be written: the query never reached the warehouse"
myq "TRUNCATE mysql.general_log"
n0=$(nev)
run ask -F tsv "sales by ship mode"
is "$rc" 0 "sales by ship mode: answered"
is "$(myq "SELECT GROUP_CONCAT(CONCAT_WS(' ', action, outcome, IFNULL(engine, '-'), row_count IS NULL)
	ORDER BY event_id SEPARATOR '|') FROM dw_audit_event WHERE event_id > (SELECT $n0)")" \
	"query started semantic 1|question answered semantic 0" \
	"the query is audited as started before it runs, the question with its outcome after"

# ---- the read-only account and connection errors ----

{ cat "$CONF"; printf '  user: %s\n  password_env: DW_T020_PW\n' "$RO"; } >"$T/ro.yaml"
{ cat "$CONF"; printf '  user: %s\n  password_env: DW_T020_PW\n' "$NO"; } >"$T/no.yaml"
chmod 600 "$T/ro.yaml" "$T/no.yaml"
n0=$(nev)
run "$DW_BIN/dw-ask" -c "$T/ro.yaml" -F tsv --no-header total sales
is "$rc" 0 "a SELECT-only ask.user answers"
is "$(round2 <"$T/out")" "$(myq "SELECT SUM(sales) FROM fact_sales" | round2)" "a SELECT-only ask.user: the answer"
is "$(nev)" $((n0 + 2)) "a SELECT-only ask.user: the query and the question are audited"
is "$(last_ev)" "dw-ask|question|$ME|store_manager|$RO|semantic|1|answered" "the audit names the reader account"
run "$DW_BIN/dw-ask" -c "$T/no.yaml" total sales
is "$rc" 77 "an ask.user without SELECT exits 77"
like "$errout" "[Aa]ccess denied" "an ask.user without SELECT: access denied"
run env DW_T020_PW=wrong "$DW_BIN/dw-ask" -c "$T/ro.yaml" total sales
is "$rc" 77 "a bad ask.password exits 77"
run env DW_WAREHOUSE_PASSWORD=wrong "$DW_BIN/dw-ask" -c "$CONF" total sales
is "$rc" 77 "a bad warehouse.password exits 77"
run ask --set warehouse.port=1 total sales
is "$rc" 69 "a closed warehouse port exits 69"
{ cat "$CONF"; printf '  colour: blue\n'; } >"$T/badkey.yaml"
chmod 600 "$T/badkey.yaml"
run "$DW_BIN/dw-ask" -c "$T/badkey.yaml" total sales
is "$rc" 78 "an unknown config key exits 78"
like "$errout" "unknown key 'ask.colour'" "an unknown config key is named"
run ask --set ask.engines=nosuch total sales
is "$rc" 78 "an unknown engine exits 78"
like "$errout" "unknown engine 'nosuch'" "an unknown engine is named"
run ask --set ask.knowledge=/nonexistent.yaml total sales
is "$rc" 74 "a missing knowledge file exits 74"
{ cat "$DW_TOP/etc/ask/superstore.yaml"; printf 'flavour: vanilla\n'; } >"$T/kb-bad.yaml"
run ask --set ask.knowledge="$T/kb-bad.yaml" total sales
is "$rc" 78 "a knowledge file with an unknown key exits 78"
like "$errout" "flavour" "the unknown knowledge key is named"

# ---- the row cap ----

top3=$(myq "SELECT l.country, SUM(f.sales) FROM fact_sales f
	JOIN dim_location l ON l.location_key = f.location_key GROUP BY 1 ORDER BY 2 DESC LIMIT 3")
run ask --set ask.row_limit=3 -F tsv --no-header sales by country
is "$rc" 0 "a capped answer exits 0"
is "$out" "$top3" "ask.row_limit=3: the first 3 rows"
like "$errout" "notice: 3 rows shown; the answer has more" "ask.row_limit: a notice on stderr"
run ask -q --set ask.row_limit=3 -F tsv --no-header sales by country
like "$errout" "^dw-ask: notice: 3 rows shown; the answer has more" "ask.row_limit: the notice even with -q"
run ask --set ask.row_limit=3 -F table sales by country
like "$out" "^\(3 rows shown; the answer has more" "ask.row_limit: -F table has the notice line"
is "$(printf '%s\n' "$out" | grep -c '^[A-Z].*[0-9]$')" 3 "ask.row_limit: -F table has 3 rows"
# The server's own count of rows sent, in its slow log.
myq "TRUNCATE mysql.slow_log; SET GLOBAL log_output = 'TABLE', long_query_time = 0, slow_query_log = 1"
run ask --set ask.row_limit=3 -F tsv --no-header sales by country
myq "SET GLOBAL slow_query_log = 0, long_query_time = 10"
is "$(myq "SELECT GROUP_CONCAT(rows_sent) FROM mysql.slow_log
	WHERE sql_text LIKE '%GROUP BY%country%' AND sql_text NOT LIKE '%dw_audit_event%'")" 4 \
	"ask.row_limit=3: the server stops after 4 rows instead of sending every country"
myq "TRUNCATE mysql.slow_log"
# A LIMIT of the query's own is lowered too (a bound one: test_exec).
myq "SET GLOBAL log_output = 'TABLE', long_query_time = 0, slow_query_log = 1"
run ask --set ask.row_limit=3 -F tsv --no-header top 40 countries by sales
myq "SET GLOBAL slow_query_log = 0, long_query_time = 10"
is "$(myq "SELECT GROUP_CONCAT(rows_sent) FROM mysql.slow_log
	WHERE sql_text LIKE '/* dw-ask % */ SELECT%country%LIMIT%' AND sql_text NOT LIKE '%dw\\_%'")" "4" \
	"ask.row_limit=3: a query's own LIMIT 40 sends 4 rows"
is "$(myq "SELECT sql_text FROM dw_audit_event WHERE action = 'query' ORDER BY event_id DESC LIMIT 1" |
	grep -o 'LIMIT .*')" "LIMIT 4" "the audit keeps the LIMIT that ran"
myq "TRUNCATE mysql.slow_log"

# ---- charts and SVG ----

run ask_in C.UTF-8 --chart sales by category
is "$rc" 0 "--chart exits 0"
like "$out" "Technology +│█" "--chart on UTF-8: block bars"
run ask_in C --chart sales by category
like "$out" "Technology +[|]##" "--chart in the C locale: '#' bars"
ok "! printf '%s\n' \"\$out\" | LC_ALL=C grep -q '[^ -~]'" "--chart in the C locale: ASCII only"
run ask_in C.UTF-8 --chart monthly sales in "$Y0"
is "$rc" 0 "--chart of a time series exits 0"
like "$out" "^(▁|▂|▃|▄|▅|▆|▇|█){12}$" "--chart of 12 months: a sparkline of 12"
like "$out" "$Y0-01 +$Y0-12" "--chart of 12 months: a time axis"
run ask -F tsv --chart total sales
is "$rc" 0 "--chart with no chart fitting exits 0"
like "$errout" "no chart:" "--chart with no chart fitting says why"
run ask -q -F tsv --chart total sales
like "$errout" "^dw-ask: no chart: " "--chart with no chart fitting says why even with -q"
is "$(printf '%s\n' "$out" | round2 | tail -n 1)" "$(myq "SELECT SUM(sales) FROM fact_sales" | round2)" \
	"--chart with no chart fitting prints the table"

run ask --svg "$T/c.svg" sales by category
is "$rc" 0 "--svg exits 0"
like "$out" "^Technology	[0-9.]+$" "--svg prints the answer as well"
if command -v xmllint >/dev/null; then
	ok "xmllint --noout '$T/c.svg' 2>/dev/null" "--svg writes well-formed XML"
else
	ok "grep -q '<svg' '$T/c.svg' && tail -n 2 '$T/c.svg' | grep -q '</svg>'" "--svg writes an SVG document"
fi
ok "grep -q '<svg' '$T/c.svg' && ! grep -qi '<script' '$T/c.svg'" "--svg: an <svg> without scripts"
like "$(cat "$T/c.svg")" "<title>sales by category</title>" "--svg is titled with the question"
run ask --svg "$T/none.svg" total sales
is "$rc" 1 "--svg with no chart fitting exits 1"
ok "[ ! -e '$T/none.svg' ] && [ ! -e '$T/none.svg.tmp' ]" "--svg with no chart fitting writes no file"
like "$out" "^sales" "--svg with no chart fitting still prints the answer"
like "$errout" "no chart fits this answer" "--svg with no chart fitting says why"
run ask --svg "$T/nodir/c.svg" sales by category
is "$rc" 74 "--svg into a missing directory exits 74"
# Planted links: the target itself is refused; a link where a temporary
# file might go is never written through.
printf 'precious\n' >"$T/victim"
ln -s "$T/victim" "$T/link.svg"
run ask --svg "$T/link.svg" sales by category
is "$rc" 74 "--svg onto a symbolic link exits 74"
like "$errout" "refusing to write '$T/link.svg': it is a symbolic link" "--svg onto a link says so"
ln -s "$T/victim" "$T/c2.svg.tmp"
run ask --svg "$T/c2.svg" sales by category
is "$rc:$(cat "$T/victim")" "0:precious" "--svg: a link planted at FILE.tmp is not written through"
ok "grep -q '<svg' '$T/c2.svg' && [ ! -L '$T/c2.svg' ]" "--svg: the file is written, a regular file"
is "$(ls -a "$T" | grep -c '^\.c2\.svg\.')" 0 "--svg: no temporary file is left behind"

# ---- saved reports ----

names=$(sed -n '/^reports:/,$s/^  - name: //p' "$DW_TOP/etc/ask/superstore.yaml")
run ask --set warehouse.port=1 -F tsv --list-reports
is "$rc" 0 "--list-reports exits 0 without the warehouse"
is "$(printf '%s\n' "$out" | sed 1d | cut -f1)" "$names" "--list-reports lists the reports of the knowledge file"
ok "[ $(printf '%s\n' "$names" | wc -l) -ge 5 ]" "there are at least 5 reports"
like "$out" "sales_by_market	year:int segment:string[?]" "--list-reports shows typed parameters and defaults"

n0=$(nev)
run ask -F tsv --no-header --report sales_by_market -p year="$Y"
is "$rc" 0 "--report with its int parameter exits 0"
is "$(printf '%s\n' "$out" | cut -f1,2)" "$(myq "SELECT l.market, SUM(f.sales) $FROM_ORDERS
	JOIN dim_location l ON l.location_key = f.location_key
	WHERE d.year = $Y GROUP BY 1 ORDER BY 2 DESC")" "--report sales_by_market: the reference rows"
is "$(last_ev)" "dw-ask|report|$ME|store_manager|root|report|$(printf '%s\n' "$out" | wc -l | tr -d ' ')|answered" \
	"--report is audited as a report"
is "$(last_col question)" "--report sales_by_market -p year=$Y" "the audit holds the report and its parameters"
n0=$(nev)
run ask --report nosuch
is "$rc" 64 "an unknown report exits 64"
run ask --report sales_by_market -p yr="$Y"
is "$rc" 64 "an unknown report parameter exits 64"
like "$errout" "did you mean 'year'[?]" "an unknown parameter: a suggestion"
run ask --report sales_by_market -p year=abc
is "$rc" 64 "a parameter not of its type exits 64"
run ask --report sales_by_market
is "$rc" 64 "a missing required parameter exits 64"
is "$(nev)" "$n0" "usage errors are not audited"

snapshot() {
	myq "SHOW TABLES; SELECT COUNT(*), SUM(sales) FROM fact_sales; SELECT COUNT(*) FROM fact_return;
	     CHECKSUM TABLE dim_customer"
}
before=$(snapshot)
run ask -F tsv --no-header --report sales_by_market -p year="$Y" -p "segment=x' OR '1'='1"
is "$rc" 0 "a quote in a string parameter exits 0"
is "$out" "" "a quote in a string parameter is bound, not spliced: no rows"
run ask -F tsv --no-header --report sales_by_market -p year="$Y" -p "segment=x'; DROP TABLE fact_return; -- "
is "$rc$out" 0 "a statement in a string parameter: no rows"
is "$(snapshot)" "$before" "the warehouse is unchanged by parameter values"

# MariaDB keeps no digest of a prepared statement: dw-ask's queries run as
# text, values in user variables set by a prepared SET, a LIMIT's value as
# its count, and a comment naming the trace the audit event keeps.
{ cat "$DW_TOP/etc/ask/superstore.yaml"; cat <<'YAML'; } >"$T/kb-limit.yaml"
  - name: first_countries
    description: The first countries of a market, by name
    params:
      - {name: market, type: string}
      - {name: n, type: int}
    sql: |
      SELECT DISTINCT country FROM dim_location WHERE market = :market ORDER BY country LIMIT :n
YAML
myq "TRUNCATE performance_schema.events_statements_summary_by_digest"
run ask --set ask.knowledge="$T/kb-limit.yaml" -F tsv --no-header --report first_countries \
	-p market=EU -p n=2
is "$rc|$out" "0|$(myq "SELECT DISTINCT country FROM dim_location WHERE market = 'EU'
	ORDER BY country LIMIT 2")" "a report with LIMIT :n: the reference rows"
is "$(myq "SELECT COUNT(*) FROM performance_schema.events_statements_summary_by_digest
	WHERE SCHEMA_NAME = DATABASE() AND DIGEST_TEXT LIKE '%\`dim_location\`%= @? ORDER BY%LIMIT ?%'")" 1 \
	"... the query has a statement digest: it ran as text, its value in a variable"
trace=$(myq "SELECT JSON_VALUE(detail, '$.trace') FROM dw_audit_event WHERE action = 'query'
	ORDER BY event_id DESC LIMIT 1")
like "$trace" "^[0-9a-f]{16}$" "... its audit event keeps a trace"
is "$(myq "SELECT COUNT(*) FROM performance_schema.events_statements_history_long
	WHERE SQL_TEXT LIKE '/* dw-ask $trace */ SELECT%'")" 1 "... which the query that ran names"
like "$(last_col sql_text)" "^SELECT DISTINCT country FROM dim_location WHERE market = 'EU' ORDER BY country LIMIT 2([^0-9']|$)" \
	"... the audit keeps the query with its values"
run ask --set ask.knowledge="$T/kb-limit.yaml" --report first_countries -p market=EU -p n=-1
is "$rc" 65 "a LIMIT value that is not a count exits 65"
like "$errout" "LIMIT or OFFSET value must be a whole number, not '-1'" "... and says why"

# The audit keeps exactly what ran, placeholders read as the server reads
# them: a ? in a comment is none, a backslash-escaped quote ends no string.
{ cat "$DW_TOP/etc/ask/superstore.yaml"; cat <<'YAML'; } >"$T/kb-tricky.yaml"
  - name: tricky
    description: Order lines of a year and a segment, the SQL commented
    params:
      - {name: year, type: int}
      - {name: segment, type: string}
    sql: |
      SELECT COUNT(*) AS order_lines FROM fact_sales f
      JOIN dim_customer c ON c.customer_key = f.customer_key
      JOIN dim_date d ON d.date_key = f.order_date_key
      WHERE d.year = :year -- which year? the one asked
      AND c.segment <> 'it\'s' AND c.segment = :segment
YAML
tricky_sql() {
	printf "SELECT COUNT(*) AS order_lines FROM fact_sales f
JOIN dim_customer c ON c.customer_key = f.customer_key
JOIN dim_date d ON d.date_key = f.order_date_key
WHERE d.year = '%s' -- which year? the one asked
AND c.segment <> 'it\\\\'s' AND c.segment = '%s'\n" "$1" "$2"
}
audited_hex() { myq "SELECT HEX(sql_text) FROM dw_audit_event ORDER BY event_id DESC LIMIT 1"; }
audited_sql() {
	mariadb --no-defaults -N -B -r --socket="$DW_TEST_MYSOCK" -uroot "$DB" \
		-e "SELECT sql_text FROM dw_audit_event ORDER BY event_id DESC LIMIT 1"
}
run ask --set ask.knowledge="$T/kb-tricky.yaml" -F tsv --no-header --report tricky \
	-p year="$Y" -p segment=Consumer
is "$rc" 0 "a report with a ? in a comment and an escaped quote exits 0"
is "$out" "$(myq "SELECT COUNT(*) $FROM_ORDERS JOIN dim_customer c ON c.customer_key = f.customer_key
	WHERE d.year = $Y AND c.segment = 'Consumer'")" "the commented report: the reference count"
is "$(audited_hex)" "$(tricky_sql "$Y" Consumer | hex)" \
	"the audit holds the SQL that ran, values where the placeholders are"
is "$(myq "$(audited_sql)")" "$out" "the audited SQL, run, gives the answer"
run ask --set ask.knowledge="$T/kb-tricky.yaml" --sql --report tricky -p year="$Y" -p segment=Consumer
is "$(hex <"$T/out")" "$(tricky_sql "$Y" Consumer | hex)0A" "--sql shows the SQL the audit holds"
odd="x\\' OR 1=1 -- "
run ask --set ask.knowledge="$T/kb-tricky.yaml" -F tsv --no-header --report tricky \
	-p year="$Y" -p "segment=$odd"
is "$out" 0 "a quote and a backslash in a value: no rows match"
is "$(audited_hex)" "$(tricky_sql "$Y" "x\\\\'' OR 1=1 -- " | hex)" \
	"the audit shows the value as a literal, quote and backslash escaped"
is "$(myq "$(audited_sql)")" "$out" "the audited SQL with that literal, run, gives the answer"

# ---- the interactive loop (needs a terminal: script(1)) ----

if command -v script >/dev/null && script --version 2>/dev/null | grep -q util-linux; then
	n0=$(nev)
	printf 'total sales\nshow all categories\nquit\n' |
		script -qec "'$DW_BIN/dw-ask' -c '$CONF'" /dev/null >"$T/tty" 2>&1
	is "$?" 0 "the interactive loop exits 0"
	like "$(tr -d '\r' <"$T/tty")" "^$(myq "SELECT SUM(sales) FROM fact_sales")$" "the loop answers the first question"
	like "$(tr -d '\r' <"$T/tty")" "^Office Supplies$" "the loop answers the second question"
	is "$(nev)" $((n0 + 4)) "the loop audits each question and its query"
else
	for _ in 1 2 3 4; do echo "ok $((_n + 1)) - # SKIP script(1) of util-linux is not installed"; _n=$((_n + 1)); done
fi
