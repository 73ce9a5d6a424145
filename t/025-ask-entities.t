#!/bin/sh
# dw-ask's offline engine on names shared by several entities, on a synced
# warehouse: a region name used in several markets, two customers with one
# name, two products with one name. Each answer must keep the entities
# apart (group by the key, show the label with the rest of the key), and a
# value naming several of them must include all, a row each, and say so.
. "${0%/*}/lib/test.sh"
plan 20

newdb
cat >>"$CONF" <<YAML
ask:
  knowledge: $DW_TOP/etc/ask/superstore.yaml
  cache_dir: $T/cache
YAML
cd "$T" || exit 1
loaddb 2000
# Two customers and two products that share a name with another one, as
# happens in the Superstore data: the two with the most sales take the
# names of the next two.
C1=$(pgq "SELECT o.customer_id FROM orders o JOIN order_line l USING (order_id)
	GROUP BY o.customer_id ORDER BY SUM(l.sales) DESC, o.customer_id LIMIT 1")
C2=$(pgq "SELECT o.customer_id FROM orders o JOIN order_line l USING (order_id)
	GROUP BY o.customer_id ORDER BY SUM(l.sales) DESC, o.customer_id LIMIT 1 OFFSET 1")
P1=$(pgq "SELECT product_id FROM order_line GROUP BY product_id
	ORDER BY SUM(sales) DESC, product_id LIMIT 1")
P2=$(pgq "SELECT product_id FROM order_line GROUP BY product_id
	ORDER BY SUM(sales) DESC, product_id LIMIT 1 OFFSET 1")
pgq "UPDATE customer SET name = (SELECT name FROM customer WHERE customer_id = '$C2')
	WHERE customer_id = '$C1';
     UPDATE product SET name = (SELECT name FROM product WHERE product_id = '$P2')
	WHERE product_id = '$P1'" >/dev/null
CNAME=$(pgq "SELECT name FROM customer WHERE customer_id = '$C2'")
PNAME=$(pgq "SELECT name FROM product WHERE product_id = '$P2'")
if ! dwetl run >"$T/run.out" 2>&1; then
	echo "Bail out! sync failed: $(cat "$T/run.out")"
	exit 1
fi

ask() { "$DW_BIN/dw-ask" -c "$CONF" -F tsv --no-header "$@" </dev/null; }
FACTS="FROM fact_sales f JOIN dim_location l ON l.location_key = f.location_key"
# A region name that several markets use.
SHARED=$(myq "SELECT l.region $FACTS GROUP BY l.region HAVING COUNT(DISTINCT l.market) > 1
	ORDER BY COUNT(DISTINCT l.market) DESC, l.region LIMIT 1")
NMARKETS=$(myq "SELECT COUNT(DISTINCT l.market) $FACTS WHERE l.region = '$SHARED'")
ONE=$(myq "SELECT MIN(l.market) $FACTS WHERE l.region = '$SHARED'")
ok "[ '$NMARKETS' -gt 1 ]" "the data has a region name in several markets ('$SHARED' in $NMARKETS)"
# Gold answers, written here against the star schema.
gold() { myq "$1" | awk -F'\t' -v OFS='\t' '{ $NF = sprintf("%.2f", $NF); print }' | sort; }
got() { printf '%s\n' "$out" | awk -F'\t' -v OFS='\t' '{ $NF = sprintf("%.2f", $NF); print }' | sort; }

# ---- a region name in several markets ----

run ask profit by region
is "$rc" 0 "profit by region answers"
is "$(got)" "$(gold "SELECT CONCAT(l.region, ' (', l.market, ')'), SUM(f.profit) $FACTS
	GROUP BY l.market, l.region")" \
	"profit by region: one row per region of a market, labelled with the market"
is "$(printf '%s\n' "$out" | grep -c "^$SHARED (")" "$NMARKETS" \
	"'$SHARED' is $NMARKETS rows, never added together"

run ask sales in "$SHARED"
is "$rc" 0 "sales in '$SHARED' answers"
is "$(got)" "$(gold "SELECT CONCAT(l.region, ' (', l.market, ')'), SUM(f.sales) $FACTS
	WHERE l.region = '$SHARED' GROUP BY l.market, l.region")" \
	"sales in '$SHARED': every market's '$SHARED' is included, a row each"
like "$errout" "'$SHARED' is a region of $NMARKETS markets: .*all are included; say '$SHARED [A-Za-z]+' for one" \
	"a notice says the name covers several regions and how to pick one"

run ask sales in "$SHARED" "$ONE"
is "$(got)" "$(gold "SELECT SUM(f.sales) $FACTS WHERE l.region = '$SHARED' AND l.market = '$ONE'")" \
	"sales in '$SHARED $ONE': the market picks one region"
is "$errout" "" "no notice when the phrase names one region"

# ---- two customers, two products with one name ----

run ask sales by customer
is "$rc" 0 "sales by customer answers"
is "$(printf '%s\n' "$out" | grep -c "^$CNAME (")" 2 \
	"two customers named '$CNAME' are two rows"
is "$(got | grep "^$CNAME (")" "$(gold "SELECT CONCAT(c.customer_name, ' (', c.customer_id, ')'),
	SUM(f.sales) FROM fact_sales f JOIN dim_customer c ON c.customer_key = f.customer_key
	WHERE c.customer_name = '$(printf '%s' "$CNAME" | sed "s/'/''/g")'
	GROUP BY c.customer_key, c.customer_name, c.customer_id")" \
	"each customer named '$CNAME' has its own sales, with its ID"

run ask sales by product
is "$rc" 0 "sales by product answers"
is "$(printf '%s\n' "$out" | grep -Fc "$PNAME (")" 2 "two products named '$PNAME' are two rows"
is "$(got | grep -F "$PNAME (")" "$(gold "SELECT CONCAT(p.product_name, ' (', p.product_id, ')'),
	SUM(f.sales) FROM fact_sales f JOIN dim_product p ON p.product_key = f.product_key
	WHERE p.product_name = '$(printf '%s' "$PNAME" | sed "s/'/''/g")'
	GROUP BY p.product_key, p.product_name, p.product_id")" \
	"each product named '$PNAME' has its own sales, with its ID"

# ---- customers and products named in a question, by name or by ID ----

q() { printf '%s' "$1" | sed "s/'/''/g"; }
run ask profit of "$CNAME"
is "$(got)" "$(gold "SELECT CONCAT(c.customer_name, ' (', c.customer_id, ')'), SUM(f.profit)
	FROM fact_sales f JOIN dim_customer c ON c.customer_key = f.customer_key
	WHERE c.customer_name = '$(q "$CNAME")' GROUP BY c.customer_key")" \
	"profit of '$CNAME': both customers of that name, a row each"
like "$errout" "'$(printf '%s' "$CNAME" | sed 's/[.[*^$]/\\&/g')' names 2 customers: .*all are included; name one by its customer_id" \
	"a notice says the name is shared and how to pick one"
run ask profit of customer "$C1"
is "$(got)" "$(gold "SELECT SUM(f.profit) FROM fact_sales f JOIN dim_customer c
	ON c.customer_key = f.customer_key WHERE c.customer_id = '$C1'")" \
	"profit of customer $C1: the ID names one customer"
run ask units of "$P1" by year
is "$(got)" "$(gold "SELECT d.year, SUM(f.quantity) FROM fact_sales f
	JOIN dim_product p ON p.product_key = f.product_key
	JOIN dim_date d ON d.date_key = f.order_date_key
	WHERE p.product_id = '$P1' GROUP BY d.year")" \
	"units of $P1 by year: the product ID names one product"
run ask sales of "$PNAME"
is "$(printf '%s\n' "$out" | grep -Fc "$PNAME (")" 2 "sales of '$PNAME': both products, a row each"
