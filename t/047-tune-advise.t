#!/bin/sh
# dw-tune advise on real servers: a statement filtering on a column no
# index has is advised an index on that column, first, naming its digest;
# an index that already serves a statement is not advised again; an index
# nothing reads is advised for drop, and so is one that another index
# starts with; the same advice keeps its id; the exit codes.
. "${0%/*}/lib/test.sh"
plan 18

newdb
loaddb 300 sync
myq "TRUNCATE TABLE performance_schema.events_statements_summary_by_digest"
cd "$T" || exit 1
tu() { "$DW_BIN/dw-tune" -c "$CONF" "$@"; }

# An unused index, and one that another index starts with.
myq "CREATE INDEX t_unused ON dim_location (city);
	CREATE INDEX t_wide ON fact_sales (customer_key, location_key)"
tu collect
i=0
while [ $i -lt 15 ]; do
	myq "SELECT COUNT(*), SUM(sales) FROM fact_sales WHERE ship_mode = 'First Class'" >/dev/null
	myq "SELECT SUM(f.sales) FROM fact_sales f WHERE f.product_key = 3" >/dev/null
	myq "SELECT SUM(sales), SUM(profit), SUM(quantity) FROM fact_sales WHERE returned = 0 AND ship_date_key > 0" >/dev/null
	i=$((i + 1))
done
tu collect
myq "SELECT 1" >/dev/null
tu collect

run tu -F tsv advise
is "$rc" 0 "advise: exit 0"
is "$(printf '%s\n' "$out" | sed -n 1p)" "id	action	table	index	served_s	share	reads	match_pct	size_mb	merge_pct	digests	reason" \
	"the columns"
first=$(printf '%s\n' "$out" | sed -n 2p)
like "$first" "^[0-9a-f]{8}	create	fact_sales	ship_mode	[0-9.]+	[0-9.]+	[1-9][0-9]*	[0-9.]+	[0-9.]+	[0-9.]+	[0-9a-f]{12}	ship_mode: equality$" \
	"the selective unindexed filter first: fact_sales (ship_mode), the rows read now, the share it finds, a size, a share of the merge, its digest and why"
share=$(myq "SELECT ROUND(100 * SUM(ship_mode = 'First Class') / COUNT(*), 5) FROM fact_sales")
ok "awk 'BEGIN { exit !(($(printf '%s\n' "$first" | cut -f8) - $share) ^ 2 < 0.01 * $share ^ 2) }'" \
	"... match_pct: the share of the rows its predicate finds, run on the table ($share%, all of it in the sample)"
last=$(printf '%s\n' "$out" | awk -F '\t' '$2 == "create" { l = $0 } END { print l }')
like "$last" "^[0-9a-f]{8}	create	fact_sales	returned,ship_date_key	[0-9.]+	[0-9.]+	[0-9]+	([3-9][0-9]|100)(\.[0-9]+)?	" \
	"a filter most rows pass (returned = 0 AND ship_date_key > 0) last, costly as it is: an index finding that share saves nothing; (returned) alone, which serves no more, left out"
rows=$(myq "SELECT COUNT(*) FROM fact_sales")
ok '[ "$(printf "%s\n" "$first" | cut -f7)" -ge $((rows / 2)) ]' \
	"... the rows read now: a full scan of fact_sales, as EXPLAIN says ($rows rows)"
digest=$(printf '%s\n' "$first" | cut -f11)
is "$(myq "SELECT COUNT(*) FROM dw_tune_digest WHERE LEFT(digest, 12) = '$digest'
	AND digest_text LIKE '%ship_mode%'")" 1 "... the digest named is the statement's"
ok '! printf "%s\n" "$out" | grep -q "	create	fact_sales	product_key	"' \
	"a filter an index serves (fact_sales_product) gets no advice"
like "$out" "	drop	dim_location	t_unused								unused: no read in [0-9]+ snapshots since " \
	"an index nothing read: drop"
like "$out" "	drop	fact_sales	fact_sales_customer							[0-9a-f]{12} [0-9a-f]{12} [0-9a-f]{12}	redundant: t_wide starts with its columns" \
	"an index another starts with: drop, naming the digests that read its table (its trial times them)"
size=$(printf '%s\n' "$first" | cut -f9) merge=$(printf '%s\n' "$first" | cut -f10)
tb=$(myq "SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'fact_sales'")
ok "awk -v s=$size -v m=$merge -v t=$tb 'BEGIN { e = 100 * s * 1048576 / t; exit !(m > 0 && (m - e) ^ 2 < (0.01 * e + 0.1) ^ 2) }'" \
	"... merge_pct: its size as a share of its table's data and indexes ($merge%)"
ok '! printf "%s\n" "$out" | grep -q "	drop	[a-z_]*	PRIMARY	"' "never the primary key"
id1=$(printf '%s\n' "$first" | cut -f1)
run tu -F tsv --no-header advise -n 1
is "$(printf '%s\n' "$out" | grep -c '	create	')|$(printf '%s\n' "$out" | sed -n 1p | cut -f1)" "1|$id1" \
	"-n 1: one index to create, with the same id"
run tu -F json advise -n 1
like "$(printf '%s\n' "$out" | sed -n 2p)" '^\{"id":"[0-9a-f]{8}","action":"create"' "every -F format: JSON"

run tu advise -n 0
is "$rc" 64 "-n 0: exit 64"
run tu advise --since soon
is "$rc" 64 "--since that is not a time: exit 64"
run tu --set warehouse.port=1 advise
is "$rc" 69 "the warehouse unreachable: exit 69"
myq "DROP TABLE dw_tune_index"
run tu advise
like "$rc $errout" "^78 .*no dw-tune tables" "without the dw_tune_ tables: exit 78"
