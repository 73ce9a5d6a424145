#!/bin/sh
# dw-etl import: the Global Superstore CSV files into the OLTP tables; counts,
# idempotence, updates, rejects, --max-rejects, returns, stdin, date formats,
# unusable input, --dry-run.
. "${0%/*}/lib/test.sh"
plan 134

newdb
if ! dwetl init >"$T/init.out" 2>&1; then
	echo "Bail out! dw-etl init failed: $(cat "$T/init.out")"
	exit 1
fi
# Work on copies: the default rejects file is written beside the input.
cp "$DW_TOP"/t/data/*.csv "$T"/
cd "$T" || exit 1

# Row counts of segment category subcategory product customer orders
# order_line order_return, on one line.
counts() {
	pgq "SELECT concat_ws(' ', (SELECT count(*) FROM segment), (SELECT count(*) FROM category),
		(SELECT count(*) FROM subcategory), (SELECT count(*) FROM product),
		(SELECT count(*) FROM customer), (SELECT count(*) FROM orders),
		(SELECT count(*) FROM order_line), (SELECT count(*) FROM order_return))"
}
# Expected -F tsv --no-header counts: one "table inserted updated unchanged rejected" per argument.
tsv() { printf '%s\n' "$@" | tr ' ' '\t'; }
# The first four columns (file,line,field,value) of a rejects file, header skipped.
rejects4() { sed 1d "$1" | cut -d, -f1-4; }

# ---- 1. counts, --dry-run and -F json on an empty database ----
# The sample: 12 lines, 7 orders, 6 customers, 9 products, 9 sub-categories,
# 3 categories, 3 segments; the returns sample names 2 of the orders.

run dwetl -F json import --dry-run orders-sample.csv returns-sample.csv
is "$rc" 0 "--dry-run -F json import exits 0"
is "$(printf '%s' "$out" | perl -MJSON::PP -e 'local $/; my $a = decode_json(<STDIN>);
	print join("\n", map { join " ", @$_{qw(table inserted updated unchanged rejected)} } @$a), "\n"')" \
   "segment 3 0 0 0
category 3 0 0 0
subcategory 9 0 0 0
product 9 0 0 0
customer 6 0 0 0
orders 7 0 0 0
order_line 12 0 0 0
order_return 2 0 0 0" "-F json prints valid JSON with the inserted count of every table"
is "$(counts)" "0 0 0 0 0 0 0 0" "--dry-run leaves every table empty"
ok "[ ! -e orders-sample.rejects.csv ]" "no rejects file when nothing is rejected"

run dwetl -v -F tsv --no-header import --dry-run orders-sample.csv returns-sample.csv
is "$rc" 0 "-v -F tsv import --dry-run exits 0"
is "$out" "$(tsv 'segment 3 0 0 0' 'category 3 0 0 0' 'subcategory 9 0 0 0' 'product 9 0 0 0' \
	'customer 6 0 0 0' 'orders 7 0 0 0' 'order_line 12 0 0 0' 'order_return 2 0 0 0')" \
	"-F tsv prints the counts per table"
like "$errout" "order_line: 12 inserted, 0 updated, 0 unchanged, 0 rejected" "-v prints the order_line counts on stderr"
like "$errout" "customer: 6 inserted, 0 updated, 0 unchanged, 0 rejected" "-v prints the customer counts on stderr"
is "$(printf '%s\n' "$errout" | grep -cE '^dw-etl: [a-z_]+: [0-9]+ inserted, [0-9]+ updated, [0-9]+ unchanged, [0-9]+ rejected$')" 8 \
	"-v prints one count line per table"
like "$errout" "dates read as mdy$" "-v says the dates were read as mdy, found from the unambiguous ones"
is "$(counts)" "0 0 0 0 0 0 0 0" "-v -F tsv --dry-run leaves every table empty"

run dwetl import orders-sample.csv returns-sample.csv
is "$rc" 0 "import of the sample exits 0"
is "$out" "" "import prints nothing on stdout"
is "$errout" "" "import prints nothing on stderr"
is "$(counts)" "3 3 9 9 6 7 12 2" "every table holds the distinct values of the sample"
is "$(pgq "SELECT encode(convert_to(name, 'UTF8'), 'hex') FROM customer WHERE customer_id = 'RP-19390'")" \
   "$(printf 'Resi Pölking' | od -An -tx1 | tr -d ' \n')" "a UTF-8 name is stored byte for byte"
is "$(pgq "SELECT name FROM customer WHERE customer_id = 'NF-18385'")" "Neil Französisch" "another UTF-8 name is stored"
is "$(pgq "SELECT name FROM product WHERE product_id = 'FUR-CH-10003950'")" \
   "Novimex Executive Leather Armchair, Black" "a quoted product name with a comma is stored whole"
is "$(pgq "SELECT name FROM product WHERE product_id = 'FUR-FU-10000023'")" \
   'Eldon "Executive" Wave Desk Accessories' "doubled quotes in a product name are stored as one"
is "$(pgq "SELECT order_date || ' ' || ship_date FROM orders WHERE order_id = 'CA-2011-100006'")" \
   "2011-01-07 2011-01-09" "1/7/2011 is read as 2011-01-07"
is "$(pgq "SELECT order_date || ' ' || ship_date FROM orders WHERE order_id = 'ES-2011-1402874'")" \
   "2011-08-15 2011-08-19" "8/15/2011 is read as 2011-08-15"
is "$(pgq "SELECT order_date || ' ' || ship_date FROM orders WHERE order_id = 'ES-2012-5113958'")" \
   "2012-12-31 2013-01-04" "a ship date in the next year is read"
is "$(pgq "SELECT sales FROM order_line WHERE row_id = 31532")" "1234.5000" '"$1,234.50" is stored as 1234.50'
is "$(pgq "SELECT quantity || ' ' || discount || ' ' || profit || ' ' || shipping_cost FROM order_line WHERE row_id = 26341")" \
   "9 0.1000 -288.7650 923.6300" "quantity, discount, a negative profit and shipping cost are stored"
is "$(pgq "SELECT count(*) FROM orders WHERE postal_code IS NULL")" 4 "the empty postal codes are stored as NULL"
is "$(pgq "SELECT postal_code FROM orders WHERE order_id = 'CA-2013-138688'")" "90036" "a US postal code is stored"
is "$(pgq "SELECT order_id || ' ' || count(*) FROM order_line GROUP BY order_id HAVING count(*) > 1 ORDER BY 1" | tr '\n' ' ')" \
   "CA-2011-100006 3 CA-2012-124891 2 CA-2013-138688 2 ES-2011-1402874 2 " "the lines of each order are kept together"
is "$(pgq "SELECT customer_id || ':' || g.name FROM customer c JOIN segment g USING (segment_id) ORDER BY 1" | tr '\n' ' ')" \
   "DK-13375:Consumer JR-16210:Corporate NF-18385:Home Office RH-19495:Consumer RP-19390:Consumer SC-20095:Corporate " \
   "each customer is linked to its segment"
is "$(pgq "SELECT s.name || ':' || c.name FROM subcategory s JOIN category c USING (category_id) ORDER BY 1" | tr '\n' ' ')" \
   "Accessories:Technology Art:Office Supplies Binders:Office Supplies Chairs:Furniture Copiers:Technology Furnishings:Furniture Labels:Office Supplies Phones:Technology Storage:Office Supplies " \
   "each sub-category is linked to its category"
is "$(pgq "SELECT p.product_id || ':' || s.name FROM product p JOIN subcategory s USING (subcategory_id) WHERE p.product_id IN ('TEC-PH-10002075', 'OFF-ST-10001713') ORDER BY 1" | tr '\n' ' ')" \
   "OFF-ST-10001713:Storage TEC-PH-10002075:Phones " "each product is linked to its sub-category"
is "$(pgq "SELECT order_id || ':' || region FROM order_return ORDER BY 1" | tr '\n' ' ')" \
   "CA-2011-100006:East ES-2011-1402874:Central " "the returns are stored with their region"

# ---- 3. importing the same files again changes nothing ----
ol_max=$(pgq "SELECT max(updated_at) FROM order_line")
all_max=$(pgq "SELECT greatest((SELECT max(updated_at) FROM customer), (SELECT max(updated_at) FROM orders),
	(SELECT max(updated_at) FROM product), (SELECT max(updated_at) FROM order_return))")
seqs() { pgq "SELECT string_agg(sequencename || '=' || coalesce(last_value, 0), ' ' ORDER BY sequencename) FROM pg_sequences"; }
seq_before=$(seqs)
run dwetl -F tsv --no-header import orders-sample.csv returns-sample.csv
is "$rc" 0 "a second import of the same files exits 0"
# INSERT ... ON CONFLICT draws a value of the smallint identity sequence for
# every row it is offered, so offering rows held unchanged runs the keys out.
is "$(seqs)" "$seq_before" "a second import draws no identity values"
is "$out" "$(tsv 'segment 0 0 3 0' 'category 0 0 3 0' 'subcategory 0 0 9 0' 'product 0 0 9 0' \
	'customer 0 0 6 0' 'orders 0 0 7 0' 'order_line 0 0 12 0' 'order_return 0 0 2 0')" \
	"a second import inserts and updates nothing"
is "$(pgq "SELECT max(updated_at) FROM order_line")" "$ol_max" "a second import leaves updated_at of order_line alone"
is "$(pgq "SELECT greatest((SELECT max(updated_at) FROM customer), (SELECT max(updated_at) FROM orders),
	(SELECT max(updated_at) FROM product), (SELECT max(updated_at) FROM order_return))")" "$all_max" \
	"a second import leaves updated_at of the other tables alone"
is "$(counts)" "3 3 9 9 6 7 12 2" "a second import leaves the counts alone"

# ---- 4. a changed line and a renamed customer are updated ----
sed -e '/^34000,/s/,14\.62,/,15.62,/' -e 's/,Rick Hansen,/,Rick Hanson,/' orders-sample.csv >orders-changed.csv
line_before=$(pgq "SELECT updated_at FROM order_line WHERE row_id = 34000")
run dwetl -F tsv --no-header import orders-changed.csv
is "$rc" 0 "import of a changed file exits 0"
is "$out" "$(tsv 'segment 0 0 3 0' 'category 0 0 3 0' 'subcategory 0 0 9 0' 'product 0 0 9 0' \
	'customer 0 1 5 0' 'orders 0 0 7 0' 'order_line 0 1 11 0' 'order_return 0 0 0 0')" \
	"the changed line and the renamed customer are counted as updated, and only they"
is "$(pgq "SELECT sales FROM order_line WHERE row_id = 34000")" "15.6200" "the new sales value is stored"
is "$(pgq "SELECT name FROM customer WHERE customer_id = 'RH-19495'")" "Rick Hanson" "the new customer name is stored"
is "$(pgq "SELECT updated_at > '$line_before' FROM order_line WHERE row_id = 34000")" "t" \
	"updated_at of the changed line moves forward"
is "$(pgq "SELECT string_agg(row_id::text, ' ') FROM order_line WHERE updated_at > '$ol_max'")" "34000" \
	"updated_at of the other lines stays"
is "$(pgq "SELECT string_agg(customer_id, ' ') FROM customer WHERE updated_at > '$all_max'")" "RH-19495" \
	"updated_at moves for the renamed customer only"
is "$(pgq "SELECT count(*) FROM orders WHERE updated_at > '$all_max'")" 0 "no order is touched by a line change"

# ---- 6. --max-rejects: orders-bad.csv has 9 bad lines among 3 good ones ----
before=$(counts)
run dwetl import --max-rejects 3 orders-bad.csv
is "$rc" 65 "more rejects than --max-rejects exits 65"
like "$errout" "more than 3 lines rejected" "the error names the limit"
is "$(counts)" "$before" "nothing is written when --max-rejects is passed"
is "$(pgq "SELECT count(*) FROM orders WHERE order_id LIKE 'US-2015-%'")" 0 "the good lines of that file are not loaded"
is "$(sed 1d orders-bad.rejects.csv | wc -l | tr -d ' ')" 4 "the rejects file holds the lines rejected up to the limit"
rm -f orders-bad.rejects.csv
run dwetl import --max-rejects 8 orders-bad.csv
is "$rc" 65 "--max-rejects one below the number of bad lines exits 65"
is "$(counts)" "$before" "and writes nothing"

# ---- 5. rejects ----
rm -f orders-bad.rejects.csv
run dwetl -F tsv --no-header import --max-rejects 9 orders-bad.csv
is "$rc" 0 "import with rejected lines exits 0 (--max-rejects equal to the bad lines)"
is "$out" "$(tsv 'segment 0 0 1 0' 'category 0 0 3 0' 'subcategory 2 0 1 0' 'product 3 0 0 0' \
	'customer 2 0 0 0' 'orders 2 0 0 0' 'order_line 3 0 0 9' 'order_return 0 0 0 0')" \
	"the good lines are loaded and the bad ones counted as rejected on order_line"
is "$(printf '%s\n' "$errout" | grep -c .)" 1 "one line on stderr"
like "$errout" "^dw-etl: warning: 9 lines rejected.*'orders-bad\.rejects\.csv'" "the warning names the count and the rejects file"
is "$(pgq "SELECT string_agg(row_id::text, ' ' ORDER BY row_id) FROM order_line WHERE order_id LIKE 'US-2015-%'")" \
   "50001 50002 50012" "exactly the good lines are loaded"
is "$(pgq "SELECT name FROM product WHERE product_id = 'OFF-PA-10000001'")" "Easy-staple paper
(500 sheets)" "a quoted field with a line break is stored with it"
is "$(pgq "SELECT name FROM customer WHERE customer_id = 'AB-10015'")" "Aaron Bergman" "the first name given for a customer wins"
is "$(head -1 orders-bad.rejects.csv)" "file,line,field,value,reason" "the rejects file has its header"
is "$(rejects4 orders-bad.rejects.csv)" "orders-bad.csv,5,Order Date,2/30/2011
orders-bad.csv,6,Discount,1.5
orders-bad.csv,7,Quantity,0
orders-bad.csv,8,Ship Date,3/18/2015
orders-bad.csv,9,Ship Mode,Express
orders-bad.csv,13,,
orders-bad.csv,11,Row ID,50001
orders-bad.csv,12,Product ID,TEC-PH-10000002
orders-bad.csv,10,Customer Name,Aaron Bergmann" "one rejects row per bad line with its physical line number, field and value (the checks across lines, in SQL, last)"
is "$(sed 1d orders-bad.rejects.csv | cut -d, -f5- | grep -c '^$')" 0 "every rejects row gives a reason"
like "$(sed -n 7p orders-bad.rejects.csv)" "23 fields.*24" "the field count reject says how many fields"
rm -f orders-bad.rejects.csv
run dwetl import --rejects "$T/elsewhere.csv" orders-bad.csv
is "$rc" 0 "import with --rejects exits 0"
like "$errout" "'$T/elsewhere.csv'" "the warning names the --rejects file"
is "$(rejects4 elsewhere.csv | wc -l | tr -d ' ')" 9 "--rejects writes the rejects there"
ok "[ ! -e orders-bad.rejects.csv ]" "--rejects writes nothing beside the input"
# The rejects file is never written through a link planted at its name.
echo precious >victim
ln -s "$T/victim" orders-bad.rejects.csv
before=$(counts)
run dwetl import orders-bad.csv
is "$rc" 74 "a symbolic link at the default rejects file exits 74"
like "$errout" "orders-bad\.rejects\.csv'.*symbolic link" "the link is named"
is "$(cat victim)" "precious" "the link's target is untouched"
is "$(counts)" "$before" "and nothing is imported"
run dwetl import --rejects "$T/orders-bad.rejects.csv" orders-bad.csv
is "$rc" 74 "a symbolic link as --rejects exits 74"
ok "[ -z \"\$(ls -A | grep '^\\.')\" ]" "no temporary file is left"
rm -f orders-bad.rejects.csv
run dwetl -q import orders-bad.csv
is "$rc$errout" "0" "-q silences the rejects warning"

# ---- 7. returns ----
run dwetl -F tsv --no-header import orders-sample.csv returns-bad.csv
is "$rc" 0 "import with rejected returns exits 0"
like "$out" "$(printf 'order_return\t2\t0\t0\t3')" "2 returns are loaded and 3 rejected"
is "$(pgq "SELECT string_agg(order_id || ':' || region, ' ' ORDER BY order_id) FROM order_return")" \
   "CA-2011-100006:East CA-2013-138688:West ES-2011-1402874:Central MX-2014-143658:Caribbean" \
   "the good returns are loaded (Yes in any case, spaces around values ignored)"
is "$(rejects4 orders-sample.rejects.csv | sort -t, -k2n)" "returns-bad.csv,3,Order ID,XX-2015-999999
returns-bad.csv,4,Returned,No
returns-bad.csv,5,Order ID,CA-2013-138688" "an unknown order, No and a repeated order are rejected"

# ---- 8. stdin, date formats ----
before=$(counts)
run dwetl -F tsv --no-header import --dry-run --date-format mdy --rejects "$T/mdy.csv" orders-dmy.csv
is "$rc" 0 "--date-format mdy on a dmy file exits 0"
like "$out" "$(printf 'order_line\t2\t0\t0\t3')" "the lines with a day above 12 are rejected under mdy"
is "$(rejects4 mdy.csv)" "orders-dmy.csv,2,Order Date,31-07-2012
orders-dmy.csv,4,Order Date,13-11-2012
orders-dmy.csv,6,Quantity,0" "the rejects under mdy name the dates"
is "$(counts)" "$before" "--dry-run changes nothing"

run dwetl -v import - returns-dmy.csv <orders-dmy.csv
is "$rc" 0 "import from stdin exits 0"
like "$errout" "dates read as dmy$" "D-M-YYYY dates are detected"
is "$(pgq "SELECT string_agg(order_id || ':' || order_date || ':' || ship_date, ' ' ORDER BY order_id) FROM orders WHERE order_id LIKE 'DE-%'")" \
   "DE-2012-200001:2012-07-31:2012-08-02 DE-2012-200002:2012-03-05:2012-03-07 DE-2012-200003:2012-11-13:2012-11-20 DE-2012-200004:2012-06-04:2012-06-08" \
   "dates from stdin are read as day-month-year"
like "$errout" "warning: 1 line rejected.*'rejects\.csv'" "the warning names rejects.csv"
is "$(rejects4 rejects.csv)" "stdin,6,Quantity,0" "rejects from stdin go to ./rejects.csv, naming stdin"
is "$(pgq "SELECT region FROM order_return WHERE order_id = 'DE-2012-200003'")" "Central" \
	"a return of an order in the same import is loaded"

# A FIFO (or a pipe as /dev/fd/N) is read once, like stdin, though the date
# format is found by reading the dates first (timeout: a regression fails
# instead of hanging).
mkfifo orders.fifo
(cat orders-dmy.csv >orders.fifo &)
run timeout 20 "$DW_BIN/dw-etl" -c "$CONF" -F tsv --no-header import --dry-run --rejects "$T/fifo-rejects.csv" orders.fifo
is "$rc" 0 "import of a FIFO exits 0"
like "$out" "$(printf 'order_line\t0\t0\t4\t1')" "every line of the FIFO is read once (all loaded from stdin before)"
mkdir adir.csv
run dwetl import adir.csv
is "$rc" 74 "a directory as orders file exits 74"
like "$errout" "'adir\.csv': it is a directory" "the directory is named"

run dwetl -v import orders-ambiguous.csv
is "$rc" 0 "import of an all-ambiguous file with other header spellings exits 0"
like "$errout" "dates read as mdy \(every date was ambiguous\)" "-v says every date was ambiguous"
is "$(pgq "SELECT string_agg(order_id || ':' || order_date || ':' || ship_date || ':' || ship_mode, ' ' ORDER BY order_id) FROM orders WHERE order_id LIKE 'US-2013-%'")" \
   "US-2013-300001:2013-03-04:2013-03-06:Standard Class US-2013-300002:2013-11-10:2013-11-12:First Class" \
   "all-ambiguous '/' dates are read as mdy, columns found by name"
is "$(pgq "SELECT string_agg(city, ',' ORDER BY order_id) FROM orders WHERE order_id LIKE 'US-2013-%'")" \
   "Chicago,Chicago" "spaces and tabs around a value are ignored"

# ---- 8b. values the database would refuse are rejected lines ----
# One bad value used to abort the whole import with a database error naming
# no line: hexadecimal, too large after rounding, a discount rounding to 1,
# a field over 128 KiB, a Latin-1 byte.
# oline ROW ORDER SALES DISCOUNT PROFIT CUSTOMER-NAME PRODUCT-NAME
oline() {
	printf '%s,%s,6/1/2016,6/3/2016,First Class,ZZ-%s,%s,Consumer,Boston,Massachusetts,United States,02108,US,East,ZZ-PR-%s,Technology,Phones,%s,%s,1,%s,%s,1.5,Low\n' \
		"$1" "$2" "$1" "$6" "$1" "$7" "$3" "$4" "$5"
}
big=$(head -c 140000 /dev/zero | tr '\0' 'x')
{
	head -1 orders-sample.csv
	oline 60001 US-2016-600001 12.5 0 1 "Good Customer" "Good Phone"
	oline 60002 US-2016-600002 0x10 0 1 "Hex Customer" "Hex Phone"
	oline 60003 US-2016-600003 10 0 9999999999.99995 "Huge Customer" "Huge Phone"
	oline 60004 US-2016-600004 10 0.99999 1 "Disc Customer" "Disc Phone"
	oline 60005 US-2016-600005 10 0 1 "Long Customer" "$big"
	oline 60006 US-2016-600006 10 0 1 "$(printf 'M\374ller')" "Latin Phone"
	oline 60007 US-2016-600007 10 0.99994 -9999999999.9999 "Edge Customer" "Edge Phone"
} >orders-values.csv
run dwetl -F tsv --no-header import orders-values.csv
is "$rc" 0 "bad values are rejected lines, not a failed import"
like "$out" "$(printf 'order_line\t2\t0\t0\t5')" "the 2 good lines load and the 5 bad ones are counted"
is "$(pgq "SELECT string_agg(row_id || ':' || sales || ':' || discount || ':' || profit, ' ' ORDER BY row_id) FROM order_line WHERE order_id LIKE 'US-2016-6%'")" \
   "60001:12.5000:0.0000:1.0000 60007:10.0000:0.9999:-9999999999.9999" "the good lines are stored, the edge values exactly"
is "$(rejects4 orders-values.rejects.csv | cut -d, -f1-3)" "orders-values.csv,3,Sales
orders-values.csv,4,Profit
orders-values.csv,5,Discount
orders-values.csv,6,Product Name
orders-values.csv,7,Customer Name" "each bad value is rejected with its file, line and field"
like "$(sed -n 2p orders-values.rejects.csv)" "0x10,expected a decimal number$" "hexadecimal is not a number"
like "$(sed -n 3p orders-values.rejects.csv)" "number out of range" "a value too large after rounding is out of range"
like "$(sed -n 4p orders-values.rejects.csv)" "less than 1 \(it rounds to 1 at 4 decimals\)$" "a discount rounding to 1 says so"
like "$(sed -n 5p orders-values.rejects.csv)" "value longer than 1000 bytes$" "a field over 128 KiB is too long"
like "$(sed -n 6p orders-values.rejects.csv)" "not valid UTF-8 \(byte 0xfc at offset 1\)" "a Latin-1 byte is named"
printf 'Returned,Order ID,Region\nYes,US-2016-600001,%s\nYes,US-2016-600007,East\n' "$(printf 'S\374d')" >returns-values.csv
run dwetl import --rejects "$T/rv.csv" orders-values.csv returns-values.csv
is "$rc" 0 "a Latin-1 byte in the returns file is a rejected line"
is "$(rejects4 rv.csv | grep -a returns-values | cut -d, -f1-3)" "returns-values.csv,2,Region" "the returns line and field are named"

# A value from the input written to the rejects file cannot be run as a
# formula by a spreadsheet: quoted with a ' first, unless --no-csv-safe.
{
	head -1 orders-sample.csv
	oline 60101 US-2016-600101 '=1+2' 0 1 "Formula Customer" "Formula Phone"
} >orders-formula.csv
run dwetl import orders-formula.csv
is "$rc" 0 "a formula-like bad value is a rejected line"
is "$(sed -n 2p orders-formula.rejects.csv)" "orders-formula.csv,2,Sales,\"'=1+2\",expected a decimal number" \
	"the rejects file quotes it with a ' first"
run dwetl --no-csv-safe import orders-formula.csv
is "$(sed -n 2p orders-formula.rejects.csv)" "orders-formula.csv,2,Sales,=1+2,expected a decimal number" \
	"--no-csv-safe writes it as it is"

# ---- 9. unusable input ----
before=$(counts)
run dwetl import orders-nocolumn.csv
is "$rc" 65 "a missing column exits 65"
like "$errout" "missing column 'Order Priority'" "the missing column is named"

run dwetl import orders-unterminated.csv
is "$rc" 65 "an unterminated quote exits 65"
like "$errout" "orders-unterminated\.csv: line 3: unterminated" "the line of the unterminated quote is named"

: >empty.csv
run dwetl import empty.csv
is "$rc" 65 "an empty file exits 65"

run dwetl import "$T/no-such.csv"
is "$rc" 74 "a missing file exits 74"
like "$errout" "no-such\.csv" "the missing file is named"

run dwetl import orders-sample.csv "$T/no-such-returns.csv"
is "$rc" 74 "a missing returns file exits 74"

run dwetl import - - </dev/null
is "$rc" 64 "both files on stdin exits 64"

run dwetl import orders-sample.csv returns-sample.csv extra.csv
is "$rc" 64 "a third file exits 64"

run dwetl import --date-format ydm orders-sample.csv
is "$rc" 64 "an unknown --date-format exits 64"

run dwetl import --max-rejects many orders-sample.csv
is "$rc" 64 "a bad --max-rejects exits 64"

is "$(counts)" "$before" "unusable input changes nothing"
is "$(pgq "SELECT count(*) FROM orders WHERE order_id LIKE 'US-2014-%'")" 0 "not even the good lines before the bad quote"

# Cross-line checks in SQL: a Row ID used before, an order whose fields
# change, and a new customer whose first line is one of those rejected: its
# next line still makes it (the upserts read one line per customer).
awk -F, -v OFS=, 'NR == 1 { print; next } NR == 2 {
		print 90001, "ZZ-2099-000001", $3, $4, $5, "ZZ-10001", "Zed One", $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24
		print 90001, "ZZ-2099-000002", $3, $4, $5, "ZZ-10002", "Zed Two", $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24
		print 90003, "ZZ-2099-000003", $3, $4, $5, "ZZ-10002", "Zed Two", $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24
		print 90004, "ZZ-2099-000001", $3, $4, "Same Day", "ZZ-10001", "Zed One", $8, $9, $10, $11, $12, $13, $14, "OFF-BI-10003166", $16, $17, $18, $19, $20, $21, $22, $23, $24
		exit }' orders-sample.csv | sed 's/^\xef\xbb\xbf//' >orders-cross.csv
run dwetl import orders-cross.csv
is "$rc" 0 "cross-line rejects: exit 0"
is "$(rejects4 orders-cross.rejects.csv)" "orders-cross.csv,3,Row ID,90001
orders-cross.csv,5,Order ID,ZZ-2099-000001" "a Row ID used at line 2, and an order whose ship mode line 2 gave otherwise, rejected"
like "$(sed -n 2p orders-cross.rejects.csv)" "Row ID 90001 is already used at line 2" "... saying where it was used first"
like "$(sed -n 3p orders-cross.rejects.csv)" "Order ID ZZ-2099-000001 has other order dates, ship mode, customer, location or priority at line 2" \
	"... and which line the order's fields came from"
is "$(pgq "SELECT string_agg(o.order_id || ' ' || c.name, ',' ORDER BY o.order_id) FROM orders o JOIN customer c USING (customer_id) WHERE o.order_id LIKE 'ZZ-2099-%'")" \
	"ZZ-2099-000001 Zed One,ZZ-2099-000003 Zed Two" "the customer whose first line was rejected is made from its next one"
rm -f orders-cross.rejects.csv

# An order whose lines do not come together, the same values on each: one
# order, both lines (orders are listed from the lines whose order was not
# on a line shortly before: 20,000 other orders come between its two).
awk -F, -v OFS=, 'NR == 1 { print; next } NR == 2 {
		print 91001, "ZZ-2099-000011", $3, $4, $5, "ZZ-10011", "Zed Eleven", $8, $9, $10, $11, $12, $13, $14, "OFF-BI-10003166", $16, $17, $18, $19, $20, $21, $22, $23, $24
		for (i = 0; i < 20000; i++)
			print 100000 + i, "ZY-2099-" (100000 + i), $3, $4, $5, "ZZ-10011", "Zed Eleven", $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24
		print 91003, "ZZ-2099-000011", $3, $4, $5, "ZZ-10011", "Zed Eleven", $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24
		exit }' orders-sample.csv | sed 's/^\xef\xbb\xbf//' >orders-apart.csv
run dwetl import orders-apart.csv
is "$rc" 0 "an order whose lines are apart: exit 0 ($errout)"
is "$(pgq "SELECT string_agg(order_id || ':' || (SELECT count(*) FROM order_line l WHERE l.order_id = o.order_id), ','
	ORDER BY order_id) FROM orders o WHERE order_id = 'ZZ-2099-000011'")" \
	"ZZ-2099-000011:2" "... the order once, with both its lines"

run dwetl -F tsv --no-header import --dry-run orders-changed.csv
is "$rc" 0 "--dry-run of a change exits 0"
like "$out" "$(printf 'customer\t0\t1\t')" "--dry-run reports the customer update"
is "$(pgq "SELECT name FROM customer WHERE customer_id = 'RH-19495'")" "Rick Hansen" "--dry-run leaves the tables unchanged"

exit $((_failed > 0))
