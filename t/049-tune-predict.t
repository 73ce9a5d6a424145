#!/bin/sh
# dw-tune predict on real servers: too little history is refused; with the
# examples of a dozen statements collected, a SELECT gets an expected time
# inside its interval, the fit's size and leave-one-out R-squared; a
# statement that is not a SELECT, or reads a user variable, is refused;
# the exit codes. --save stores the fit, and dw-ask --explain shows the
# time it expects of each query, with a warning past the time limit.
. "${0%/*}/lib/test.sh"
plan 15

newdb
loaddb 1000 sync
myq "TRUNCATE TABLE performance_schema.events_statements_summary_by_digest"
cd "$T" || exit 1
tu() { "$DW_BIN/dw-tune" -c "$CONF" "$@"; }

tu collect
run tu predict "SELECT COUNT(*) FROM fact_sales"
like "$rc $errout" "^65 .*too few statements of the collected history to fit \([0-9]+; 8 needed\)" \
	"no history: exit 65, saying why"

for q in "SELECT COUNT(*) FROM fact_sales" "SELECT COUNT(*) FROM dim_customer" \
	"SELECT SUM(sales) FROM fact_sales WHERE order_date_key = 20140105" \
	"SELECT ship_mode, SUM(sales) FROM fact_sales GROUP BY ship_mode" \
	"SELECT l.market, SUM(f.sales) FROM fact_sales f JOIN dim_location l ON l.location_key = f.location_key GROUP BY l.market" \
	"SELECT c.segment, COUNT(*) FROM fact_sales f JOIN dim_customer c ON c.customer_key = f.customer_key GROUP BY c.segment" \
	"SELECT * FROM dim_product WHERE product_key = 3" "SELECT MAX(full_date) FROM dim_date" \
	"SELECT p.category, l.market, SUM(f.profit) FROM fact_sales f JOIN dim_product p ON p.product_key = f.product_key JOIN dim_location l ON l.location_key = f.location_key GROUP BY p.category, l.market" \
	"SELECT COUNT(DISTINCT customer_key) FROM fact_sales" "SELECT * FROM dim_location WHERE country = 'France'" \
	"SELECT order_priority, AVG(shipping_cost) FROM fact_sales GROUP BY order_priority ORDER BY 2 DESC"; do
	myq "$q; $q; $q" >/dev/null
done
tu collect
run tu predict "SELECT SUM(profit) FROM fact_sales WHERE ship_mode = 'First Class'"
is "$rc" 0 "predict: exit 0"
like "$out" "^[0-9.]+ ms expected \(95%: [0-9.]+ to [0-9.]+ ms\); fitted on [0-9]+ statements of the history, leave-one-out R-squared -?[0-9.]+$" \
	"the time, its interval, the fit"
set -- $(printf '%s\n' "$out" | sed 's/[^0-9.-]/ /g')
ok "awk 'BEGIN { exit !($3 <= $1 && $1 <= $4 && $5 >= 8) }'" "the time inside its interval, fitted on 8 or more ($5)"
run tu predict "DELETE FROM fact_sales"
like "$rc $errout" "^65 .*only a SELECT reading no user variable" "not a SELECT: exit 65"
run tu predict "SELECT SUM(sales) FROM fact_sales WHERE order_date_key = @d"
is "$rc" 65 "a SELECT reading a user variable: exit 65"
run tu predict "SELECT nosuch FROM fact_sales"
is "$rc" 65 "a SELECT the server cannot plan: exit 65"
run tu predict
like "$rc $errout" "^64 .*a SELECT, or --save" "neither SQL nor --save: exit 64"

# An index kept now: the history before it ran on other plans; with too
# little since, all of it is fitted, and -v says so.
myq "INSERT INTO dw_tune_trial (advice_id, action, table_name, index_name, columns, started_at,
	queries, runs, before_ms, after_ms, worst_pct, build_s, merge_rows, merge_before_ms,
	merge_after_ms, decision) VALUES ('00000000', 'create', 'fact_sales', 'x', 'ship_mode',
	UTC_TIMESTAMP(6), 1, 1, 2, 1, -50, 0.1, 100, 1, 1, 'kept')"
run tu -v predict "SELECT COUNT(*) FROM dim_date"
like "$rc|$errout" "^0\|.*0 statements since the last index change \([0-9: .-]+\): all the history is fitted" \
	"the fit is of the history since the last index kept, or all of it when that is too little"

run tu predict --save
like "$rc|$out" "^0\|saved: a fit on [0-9]+ statements of the history, leave-one-out R-squared -?[0-9.]+, in dw_tune_model$" \
	"--save stores the fit"
is "$(myq "SELECT COUNT(*), MIN(statements) >= 8 FROM dw_tune_model" | tr '\t' ' ')" "1 1" "... one row, its size"
printf 'ask:\n  knowledge: %s/etc/ask/superstore.yaml\n' "$DW_TOP" >>"$CONF"
ask() { "$DW_BIN/dw-ask" -c "$CONF" "$@"; }
run ask --explain "total sales by ship mode"
like "$rc|$errout" "^0\|.*
expected: [0-9.]+ ms \(95%: [0-9.]+ to [0-9.]+ ms\), from dw-tune's fit on [0-9]+ statements \(leave-one-out R-squared -?[0-9.]+\)" \
	"dw-ask --explain: the time the fit expects of the query"
ok '! printf "%s\n" "$errout" | grep -q "expected to take"' "... no warning within the time limit"
# A fit that expects a minute of every query (60000 ms a statement, no
# cost of its rows).
myq "INSERT INTO dw_tune_model (fitted_at, statements, loo_r2, loo_sd, b0, b1, b2, b3, b4, b5)
	VALUES (UTC_TIMESTAMP(6), 9, 0.9, 0.1, 60000, 0, 0, 0, 0, 0)"
run ask "total sales by ship mode"
like "$rc|$errout" "^0\|dw-ask: warning: the query is expected to take about 60.0 s \(95%: 49.[0-9] to 73.[0-9] s\), more than ask.statement_timeout \(30 s\): it may be stopped" \
	"the newest fit read: a warning before a query expected past the time limit, which still runs"
run tu --set warehouse.port=1 predict "SELECT 1"
is "$rc" 69 "the warehouse unreachable: exit 69"
