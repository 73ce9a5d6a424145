#!/bin/sh
# dw-partition retain and restore on real servers, over ten years of
# generated orders: retain archives, verifies and retires exactly the months
# older than the cutoff into the older catch-all; each manifest's count and
# SHA-256 match the rows as the mariadb client reads them; a second retain
# does nothing; restore brings a month back identical and refuses a
# corrupted or edited archive, a manifest of another table or database, a
# partition that has its rows already, an older month while newer ones are
# retired; an archive is replaced only by the same rows; escapes, NULLs and
# a generated column round-trip; --dry-run, --older-than, --archive, no
# archive directory (78), the lock (75), the audit.
. "${0%/*}/lib/test.sh"
plan 60

newdb
if ! { dwetl init && dwetl generate --orders 1500 --seed 3 --from 2015-01-01 --to 2024-12-31 \
		-o "$T/orders.csv" --returns "$T/returns.csv" &&
	dwetl import "$T/orders.csv" "$T/returns.csv" && dwetl run; } >"$T/setup.out" 2>&1; then
	echo "Bail out! setup failed: $(cat "$T/setup.out")"
	exit 1
fi
cd "$T" || exit 1
BG=""
cleanup() {
	for p in $BG; do kill "$p" 2>/dev/null; done
	_finish
}
trap cleanup EXIT
# The planner's today: retain 10y retires the months before 2015-06.
export DW_TODAY=2025-06-15
mkdir "$T/archive" "$T/archive2"
cp "$CONF" "$T/p.yaml"
cat >>"$T/p.yaml" <<YAML
partition:
  fact_sales: {column: order_date_key, interval: month, key: [order_id, product_id],
               retain: 10y, archive: $T/archive}
  fact_return: {column: order_date_key, interval: month, key: [order_id]}
YAML
dp() { "$DW_BIN/dw-partition" -c "$T/p.yaml" "$@"; }
parts() {
	myq "SELECT GROUP_CONCAT(PARTITION_NAME ORDER BY PARTITION_ORDINAL_POSITION)
	     FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${1:-fact_sales}'"
}
# Months p201101 .. p201505: older than 2015-06-01, ten years before June 2025.
retired=$(awk 'BEGIN { for (i = 2011 * 12; i < 2015 * 12 + 5; i++) printf "p%04d%02d\n", int(i / 12), i % 12 + 1 }')
nretired=$(echo "$retired" | wc -l)
cols=$(myq "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS
	WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'fact_sales'")
# The canonical rows of [$1, $2) as the mariadb client reads them (the
# columns of fact_sales are NOT NULL and hold no backslash, tab or line
# break, so its output is the archive's text), and their SHA-256.
canon() {
	myq "SELECT CONCAT_WS(CHAR(31), $cols) FROM fact_sales
	     WHERE order_date_key >= $1 AND order_date_key < $2 ORDER BY sales_key, order_date_key"
}
sha() { canon "$1" "$2" | sha256sum | cut -d' ' -f1; }
# The brief's checksum of a range: count and the sum of a CRC per row.
crc() {
	myq "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', $cols))), 0) FROM fact_sales
	     WHERE order_date_key >= $1 AND order_date_key < $2" | tr '\t' ' '
}
# Fields of a manifest, by name, joined by spaces.
mf() { perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die; my $m = decode_json(<$f>);
	print join(" ", map { $m->{$_} } split / /, $ARGV[1])' "$1" "$2"; }
man() { echo "$T/archive/$DB.fact_sales.$1.manifest.json"; }
gz() { echo "$T/archive/$DB.fact_sales.$1.tsv.gz"; }
events() {
	myq "SELECT COALESCE(GROUP_CONCAT(CONCAT(action, ':', outcome) ORDER BY seq SEPARATOR ' '), '')
	     FROM dw_audit_event WHERE tool = 'dw-partition'"
}

before_parts=$(parts)
old_crc=$(crc 0 20150601)
may_crc=$(crc 20150501 20150601)
may_sha=$(sha 20150501 20150601)
apr_crc=$(crc 20150401 20150501)
jan_sha=$(sha 20150101 20150201)
total=$(myq "SELECT COUNT(*) FROM fact_sales")

# ---- --dry-run: the plan and the SQL, nothing changed, no file ----
run dp -n retain
is "$rc|$(printf '%s\n' "$out" | grep -c '^fact_sales: would retire ')|$errout" "0|$nretired|" \
	"retain -n: exit 0, one line for each of the $nretired months before 2015-06"
is "$(printf '%s\n' "$out" | sed -n 's/^fact_sales: would retire \(p[0-9]*\) .*/\1/p')" "$retired" \
	"... exactly p201101 to p201505, oldest first"
is "$(printf '%s\n' "$out" | grep -A2 '^fact_sales: would retire p201505 ')" \
	"fact_sales: would retire p201505 (2015-05-01 to 2015-06-01, $(echo "$may_crc" | cut -d' ' -f1) rows), archived to $T/archive/$DB.fact_sales.p201505.tsv.gz
ALTER TABLE \`fact_sales\` TRUNCATE PARTITION \`p201505\`;
ALTER TABLE \`fact_sales\` REORGANIZE PARTITION \`p_before\`, \`p201505\` INTO (PARTITION \`p_before\` VALUES LESS THAN (20150601));" \
	"... with the rows, the file and the two statements"
is "$(parts)|$(ls "$T/archive" | wc -l)|$(events)" "$before_parts|0|" \
	"... and changes nothing, writes no file, no audit event"

# ---- retain ----
run dp retain
is "$rc|$errout|$(printf '%s\n' "$out" | wc -l)" "0||$nretired" "retain: exit 0, a line per retired month"
like "$out" "^fact_sales: retired p201101: 0 rows, archived to $T/archive/$DB.fact_sales.p201101.tsv.gz, [0-9.]+ s" \
	"... naming the rows, the file and the seconds"
like "$out" "fact_sales: retired p201505: $(echo "$may_crc" | cut -d' ' -f1) rows, archived to $(gz p201505), [0-9.]+ s$" \
	"... May 2015 with its rows"
is "$(parts)" "$(echo "$before_parts" | tr ',' '\n' | grep -vxF "$retired" | paste -sd,)" \
	"the retired months are gone, every other partition stays"
is "$(crc 0 20150601)" "0 0" "no row before 2015-06 is left in the table"
is "$(myq "SELECT COUNT(*) FROM fact_sales")" "$((total - $(echo "$old_crc" | cut -d' ' -f1)))" \
	"... and every later row is"
run dp -F tsv --no-header list --table fact_sales
is "$(printf '%s\n' "$out" | head -2 | cut -f2,3,4 | tr '\t\n' ' |')" "p_before  2015-06-01|p201506 2015-06-01 2015-07-01|" \
	"list: the catch-all now ends at 2015-06-01, where June begins"
is "$(ls "$T/archive" | wc -l)" "$((2 * nretired))" "a data file and a manifest for each month"
is "$(mf "$(man p201505)" "rows sha256")" "$(echo "$may_crc" | cut -d' ' -f1) $may_sha" \
	"the manifest of May: its count and SHA-256 are the rows as the mariadb client read them"
is "$(mf "$(man p201501)" "sha256")" "$jan_sha" "... and January's"
is "$(zcat "$(gz p201505)" | sha256sum | cut -d' ' -f1) $(zcat "$(gz p201505)" | wc -l)" \
	"$may_sha $(echo "$may_crc" | cut -d' ' -f1)" "the data file decompressed is those bytes"
is "$(mf "$(man p201505)" "format version database table partition column from to file")" \
	"dw-partition archive 1 $DB fact_sales p201505 order_date_key 2015-05-01 2015-06-01 $DB.fact_sales.p201505.tsv.gz" \
	"the manifest names the database, table, partition, range and file"
is "$(perl -MJSON::PP -0777 -ne '$m = decode_json($_); print join(",", map { "$_->{name} $_->{type}" } @{$m->{columns}}), "|", join(",", @{$m->{key}})' "$(man p201505)")" \
	"$(myq "SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE) ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'fact_sales'")|sales_key,order_date_key" \
	"... the columns with their types, and the primary key that orders the rows"
n=0
for m in "$T"/archive/*.manifest.json; do n=$((n + $(mf "$m" rows))); done
is "$n" "$(echo "$old_crc" | cut -d' ' -f1)" "the manifests' counts add up to the rows retired"
is "$(stat -c %a "$(gz p201505)") $(find "$T/archive" -name '.*' | wc -l)" "600 0" \
	"the files are private and no temporary file is left"
is "$(events)" "retain:started retain:done" "retain is audited"
like "$(myq "SELECT CONCAT(row_count, ' ', detail) FROM dw_audit_event WHERE tool = 'dw-partition' AND outcome = 'done'")" \
	"^$(echo "$old_crc" | cut -d' ' -f1) .*\"partition\":\"p201505\",\"rows\":$(echo "$may_crc" | cut -d' ' -f1),\"archive\":\"$T/archive\",\"file\":\"$DB.fact_sales.p201505.tsv.gz\"" \
	"... with the partitions, rows and files in its detail"

run dp retain
is "$rc|$out|$errout" "0||" "a second retain does nothing, quietly"
run "$DW_BIN/dw-validate" -c "$T/p.yaml" diff
is "$rc|$out" "0|" "dw-validate diff after retain: the archived months are not differences"

# ---- restore ----
run dp restore "$(man p201505)"
like "$rc $out" "^0 fact_sales: restored p201505: $(echo "$may_crc" | cut -d' ' -f1) rows from $(man p201505 | sed 's/manifest.json$/tsv.gz/'), [0-9.]+ s$" \
	"restore: exit 0, one line"
is "$(crc 20150501 20150601)" "$may_crc" "May's rows are back: the same count and CRC sum as before retain"
is "$(sha 20150501 20150601)" "$may_sha" "... and exported again they have the manifest's SHA-256"
is "$(parts | cut -d, -f1-3)" "p_before,p201505,p201506" "May has its partition again, after the catch-all"
is "$(myq "SELECT COUNT(*) FROM fact_sales PARTITION (p201505)")" "$(echo "$may_crc" | cut -d' ' -f1)" \
	"... and the rows are in it"
like "$(myq "SELECT CONCAT(outcome, ' ', row_count, ' ', detail) FROM dw_audit_event WHERE action = 'restore' ORDER BY seq DESC LIMIT 1")" \
	"^done $(echo "$may_crc" | cut -d' ' -f1) .*\"partition\":\"p201505\".*\"split\":true" "restore is audited"
run dp restore "$(man p201505)"
like "$rc $errout" "^65 .*partition p201505 .*holds $(echo "$may_crc" | cut -d' ' -f1) rows already" \
	"restoring it twice: exit 65, nothing doubled"
is "$(crc 20150501 20150601)" "$may_crc" "... the rows as they were"
run dp restore "$(man p201503)"
like "$rc $errout" "^65 .*catch-all p_before ends at 2015-05-01, after it: restore the newer archives first" \
	"an older month while April is retired: exit 65, the ranges do not line up"
run dp -n restore "$(gz p201504)"
is "$rc|$out" "0|fact_sales: would restore p201504 (2015-04-01 to 2015-05-01, $(echo "$apr_crc" | cut -d' ' -f1) rows) from $(gz p201504)
ALTER TABLE \`fact_sales\` REORGANIZE PARTITION \`p_before\` INTO (PARTITION \`p_before\` VALUES LESS THAN (20150401), PARTITION \`p201504\` VALUES LESS THAN (20150501));" \
	"restore -n by the data file: the rows, the file and the statement"
is "$(parts | cut -d, -f1-2)" "p_before,p201505" "... and changes nothing"
run dp restore "$(gz p201504)"
is "$rc|$(crc 20150401 20150501)|$(parts | cut -d, -f1-3)" "0|$apr_crc|p_before,p201504,p201505" \
	"restore by the data file: April is back too"
run "$DW_BIN/dw-validate" -c "$T/p.yaml" diff
is "$rc|$out" "0|" "... and diff compares the restored months again, clean"

# ---- an archive is replaced only by the same rows ----
k=$(myq "SELECT MIN(sales_key) FROM fact_sales WHERE order_date_key BETWEEN 20150501 AND 20150531")
myq "UPDATE fact_sales SET quantity = quantity + 1 WHERE sales_key = $k AND order_date_key BETWEEN 20150501 AND 20150531"
old_man=$(cat "$(man p201505)")
run dp retain
like "$rc $errout" "^65 .*refusing to replace archive '$(man p201505)': it holds other rows" \
	"retain refuses to replace May's archive with rows that changed since: exit 65"
is "$(cat "$(man p201505)")|$(parts | cut -d, -f1-3)" "$old_man|p_before,p201505,p201506" \
	"... the archive and May's partition stay (April, unchanged, was retired again)"
myq "UPDATE fact_sales SET quantity = quantity - 1 WHERE sales_key = $k AND order_date_key BETWEEN 20150501 AND 20150531"
run dp retain
is "$rc|$(mf "$(man p201505)" "rows sha256")|$(parts | cut -d, -f1-2)" "0|$(echo "$may_crc" | cut -d' ' -f1) $may_sha|p_before,p201506" \
	"with the same rows again, retain retires May, its archive the same"
myq "ALTER TABLE fact_sales REORGANIZE PARTITION p_before INTO (PARTITION p_before VALUES LESS THAN (20150501),
	PARTITION p201505 VALUES LESS THAN (20150601))"
run dp retain
like "$rc $out" "^0 fact_sales: retired p201505: 0 rows, empty; its archive kept: $(gz p201505), [0-9.]+ s$" \
	"an empty May partition (as a failed restore leaves it): retired, May's archive kept"
is "$(mf "$(man p201505)" "rows sha256")|$(parts | cut -d, -f1-2)" "$(echo "$may_crc" | cut -d' ' -f1) $may_sha|p_before,p201506" \
	"... its rows still in the archive"

# ---- corrupted and edited archives are refused, nothing changes ----
cp "$(gz p201505)" "$T/may.gz"
cp "$(man p201505)" "$T/may.json"
state() { echo "$(parts | cut -d, -f1-2) $(myq "SELECT COUNT(*) FROM fact_sales")"; }
st=$(state)
size=$(stat -c %s "$T/may.gz")
printf '\377' | dd of="$(gz p201505)" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run dp restore "$(man p201505)"
like "$rc $errout" "^65 .*archive '.*p201505.tsv.gz' is corrupt" "a byte flipped in the .gz: exit 65, corrupt"
head -c $((size - 8)) "$T/may.gz" >"$(gz p201505)"
run dp restore "$(man p201505)"
like "$rc $errout" "^65 .*is corrupt: it is cut short" "the .gz cut short: exit 65"
cp "$T/may.gz" "$(gz p201505)"
perl -MJSON::PP -0777 -ne '$m = decode_json($_); $m->{rows}--; print JSON::PP->new->pretty->encode($m)' "$T/may.json" >"$(man p201505)"
run dp restore "$(man p201505)"
like "$rc $errout" "^65 .*holds $(echo "$may_crc" | cut -d' ' -f1) rows, its manifest says $(($(echo "$may_crc" | cut -d' ' -f1) - 1))" \
	"the manifest's count edited: exit 65"
cp "$T/may.json" "$(man p201505)"
zcat "$T/may.gz" | sed '1s/\x1f[0-9]*\.[0-9]*\x1f/\x1f0.0001\x1f/' | gzip >"$(gz p201505)"
run dp restore "$(man p201505)"
like "$rc $errout" "^65 .*archive '.*p201505.tsv.gz' does not match its manifest: SHA-256 [0-9a-f]{64}, the manifest says $may_sha" \
	"a value changed in a well-formed .gz (same rows, same count): exit 65, the SHA-256 differs"
cp "$T/may.gz" "$(gz p201505)"
perl -MJSON::PP -0777 -ne '$m = decode_json($_); $m->{sha256} =~ tr/0-9a-f/1-9a-f0/; print encode_json($m)' "$T/may.json" >"$(man p201505)"
run dp restore "$(man p201505)"
like "$rc $errout" "^65 .*does not match its manifest" "the manifest's SHA-256 edited: exit 65"
perl -MJSON::PP -0777 -ne '$m = decode_json($_); $m->{from} = "2015-05-10"; print encode_json($m)' "$T/may.json" >"$(man p201505)"
run dp restore "$(man p201505)"
like "$rc $errout" "^65 .*row [0-9]+: order_date_key '2015050[1-9]' is outside the manifest's range, 2015-05-10 to 2015-06-01" \
	"the manifest's range edited: exit 65"
perl -MJSON::PP -0777 -ne '$m = decode_json($_); $m->{table} = "fact_return"; $m->{file} =~ s/fact_sales/fact_return/; print encode_json($m)' "$T/may.json" >"$T/archive/$DB.fact_return.p201505.manifest.json"
cp "$T/may.gz" "$T/archive/$DB.fact_return.p201505.tsv.gz"
run dp restore "$T/archive/$DB.fact_return.p201505.manifest.json"
like "$rc $errout" "^65 .*does not fit the table: column 1 is sales_key bigint\\(20\\) in the archive, return_key" \
	"a manifest moved to another table: exit 65"
perl -MJSON::PP -0777 -ne '$m = decode_json($_); $m->{database} = "elsewhere"; $m->{file} =~ s/^[^.]*/elsewhere/; print encode_json($m)' "$T/may.json" >"$T/archive2/elsewhere.fact_sales.p201505.manifest.json"
cp "$T/may.gz" "$T/archive2/elsewhere.fact_sales.p201505.tsv.gz"
run dp restore "$T/archive2/elsewhere.fact_sales.p201505.tsv.gz"
like "$rc $errout" "^65 .*is for database 'elsewhere', the warehouse is '$DB'" "an archive of another database: exit 65"
cp "$T/may.json" "$(man p201505)"
is "$(state)" "$st" "after each refusal the table is as it was"
rm -f "$T"/archive/*fact_return* "$T"/archive2/*

# ---- --older-than and --archive override the policy ----
run dp retain --older-than 9y
is "$rc|$(printf '%s' "$errout" | head -1)|$out|$(parts | cut -d, -f1-2)" \
	"78|dw-partition: error: no archive directory for the retired partitions of 'fact_return'||p_before,p201506" \
	"--older-than applies to every table: fact_return has no archive directory, 78 before anything is retired"
run dp retain --table fact_sales --older-than 9y --archive "$T/archive2"
is "$rc|$(printf '%s\n' "$out" | wc -l)|$(ls "$T/archive2" | wc -l)|$(parts | cut -d, -f1-2)" "0|12|24|p_before,p201606" \
	"--older-than 9y --archive DIR: June 2015 to May 2016 retired into DIR, not the policy's"
run dp retain --older-than 5x
is "$rc" 64 "a bad --older-than: exit 64"

# ---- no archive directory, the lock ----
cp "$CONF" "$T/noarch.yaml"
printf 'partition:\n  fact_sales: {column: order_date_key, retain: 5y}\n' >>"$T/noarch.yaml"
run "$DW_BIN/dw-partition" -c "$T/noarch.yaml" retain
is "$rc|$errout" "78|dw-partition: error: no archive directory for the retired partitions of 'fact_sales'
hint: set partition.fact_sales.archive in $T/noarch.yaml, or give --archive DIR" \
	"a retention without an archive directory: exit 78, with a hint"
run dp retain --archive "$T/nowhere"
like "$rc $errout" "^74 .*archive directory '$T/nowhere': No such file" "a missing archive directory: exit 74"
mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot "$DB" \
	-e "SELECT GET_LOCK(CONCAT('dw-partition ', DATABASE()), 0), SLEEP(3)" >/dev/null 2>&1 &
BG=$!
i=0
while [ $i -lt 100 ] && [ "$(myq "SELECT IS_FREE_LOCK(CONCAT('dw-partition ', DATABASE()))")" = 1 ]; do
	sleep 0.05; i=$((i + 1))
done
run dp retain --table fact_sales --older-than 5y
r1="$rc $(printf '%s' "$errout" | head -1)"
run dp restore "$(man p201505)"
wait "$BG"; BG=""
is "$r1|$rc $(printf '%s' "$errout" | head -1)" \
	"75 dw-partition: error: another dw-partition is running on 'warehouse'|75 dw-partition: error: another dw-partition is running on 'warehouse'" \
	"another dw-partition holds the lock: retain and restore exit 75"

# ---- escapes, NULLs and a generated column, end to end ----
myq "CREATE TABLE t_odd (id INT NOT NULL, d INT NOT NULL, s VARCHAR(50) NULL, n DECIMAL(10,2) NULL,
	ts DATETIME(6) NULL, g INT AS (id * 2) VIRTUAL, PRIMARY KEY (id, d)) DEFAULT CHARSET=utf8mb4
	PARTITION BY RANGE (d) (PARTITION p_old VALUES LESS THAN (20110101),
	PARTITION p201101 VALUES LESS THAN (20110201), PARTITION p_new VALUES LESS THAN MAXVALUE);
	INSERT INTO t_odd (id, d, s, n, ts) VALUES (1, 20110105, 'a\\\\b', 1.5, '2011-01-05 10:00:00.123456'),
	(2, 20110106, 'line1\nline2\r', NULL, NULL), (3, 20110107, CONCAT('x', CHAR(31), 'y'), -0.01, NULL),
	(4, 20110108, '\\\\N', 0, NULL), (5, 20110109, '', NULL, NULL), (6, 20110110, NULL, NULL, NULL),
	(7, 20110111, CONVERT(X'53C3B872656E20F09F9880' USING utf8mb4), 3, NULL)"
odd() { myq "SELECT GROUP_CONCAT(CONCAT_WS(':', id, d, IFNULL(HEX(s), 'null'), IFNULL(n, 'null'), IFNULL(ts, 'null'), g) ORDER BY id) FROM t_odd"; }
odd_before=$(odd)
cp "$CONF" "$T/odd.yaml"
printf 'partition:\n  t_odd: {column: d, retain: 12m, archive: %s}\n' "$T/archive2" >>"$T/odd.yaml"
run "$DW_BIN/dw-partition" -c "$T/odd.yaml" retain
perl -e 'print "1\x{1f}20110105\x{1f}a\\\\b\x{1f}1.50\x{1f}2011-01-05 10:00:00.123456\x{1f}2\n",
	"2\x{1f}20110106\x{1f}line1\\nline2\\r\x{1f}\\N\x{1f}\\N\x{1f}4\n",
	"3\x{1f}20110107\x{1f}x\\x1fy\x{1f}-0.01\x{1f}\\N\x{1f}6\n",
	"4\x{1f}20110108\x{1f}\\\\N\x{1f}0.00\x{1f}\\N\x{1f}8\n",
	"5\x{1f}20110109\x{1f}\x{1f}\\N\x{1f}\\N\x{1f}10\n",
	"6\x{1f}20110110\x{1f}\\N\x{1f}\\N\x{1f}\\N\x{1f}12\n",
	"7\x{1f}20110111\x{1f}S\xc3\xb8ren \xf0\x9f\x98\x80\x{1f}3.00\x{1f}\\N\x{1f}14\n"' >"$T/odd.want"
is "$rc|$(zcat "$T/archive2/$DB.t_odd.p201101.tsv.gz" | cmp - "$T/odd.want" 2>&1)" "0|" \
	"odd values: the file holds the documented escapes, \\N for NULL, U+001F between columns"
run "$DW_BIN/dw-partition" -c "$T/odd.yaml" restore "$T/archive2/$DB.t_odd.p201101.manifest.json"
is "$rc|$(odd)" "0|$odd_before" "... and restore brings back every value and NULL, the generated column computed again"
odd_gz="$T/archive2/$DB.t_odd.p201101.tsv.gz"
odd_man="$T/archive2/$DB.t_odd.p201101.manifest.json"
"$DW_BIN/dw-partition" -c "$T/odd.yaml" retain >/dev/null
zcat "$odd_gz" | sed 's/\x1f1\.50\x1f/\x1f1.555\x1f/' >"$T/odd.tsv"
gzip -c "$T/odd.tsv" >"$odd_gz"
perl -MJSON::PP -0777 -e 'my $m = decode_json(<STDIN>); $m->{sha256} = $ARGV[0]; print encode_json($m)' \
	"$(sha256sum <"$T/odd.tsv" | cut -d' ' -f1)" <"$odd_man" >"$T/odd.json"
cp "$T/odd.json" "$odd_man"
run "$DW_BIN/dw-partition" -c "$T/odd.yaml" restore "$odd_man"
is "$rc|$errout|$(myq "SELECT COUNT(*) FROM t_odd")" \
	"65|dw-partition: error: restoring t_odd.p201101: loading rows 1 to 7: the server changed a value: Data truncated for column 'n' at row 1|0" \
	"a value the column cannot hold (1.555 in DECIMAL(10,2), manifest made to match): exit 65, nothing loaded"
myq "INSERT INTO t_odd (id, d, s) VALUES (9, 20110112, CONCAT('a', CHAR(0), 'b'))"
run "$DW_BIN/dw-partition" -c "$T/odd.yaml" retain
is "$rc|$(printf '%s' "$errout" | head -1)|$(myq "SELECT COUNT(*) FROM t_odd PARTITION (p201101)")" \
	"65|dw-partition: error: cannot archive t_odd partition p201101: column 's' holds a NUL byte (in the row of id '9')|1" \
	"a text value with a NUL byte, which the client would cut: exit 65, the partition stays"
