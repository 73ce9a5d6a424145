#!/bin/sh
# -F xlsx -o FILE: the workbooks of dw-ask and dw-etl status read back with
# an independent reader (xlsx2csv) and compared with the tsv output of the
# same command: numbers as numbers, dates as dates, dw-ask's "about" sheet;
# -o never writes through a symbolic link.
. "${0%/*}/lib/test.sh"
plan 22

newdb
cat >>"$CONF" <<YAML
ask:
  knowledge: $DW_TOP/etc/ask/superstore.yaml
  cache_dir: $T/cache
  role: store_manager
YAML
cd "$T" || exit 1
loaddb 500 sync
ask() { "$DW_BIN/dw-ask" -c "$CONF" "$@" </dev/null; }
# sheet FILE NAME [xlsx2csv options]: one sheet as tab-separated text
sheet() { _f=$1 _s=$2; shift 2; xlsx2csv -d tab -n "$_s" "$@" "$_f"; }
Q="sales by market in 2014"

# ---- dw-ask ----

run ask -F tsv "$Q"
tsv=$out
ok '[ -n "$tsv" ]' "dw-ask -F tsv answers"
run ask -F xlsx -o a.xlsx "$Q"
is "$rc" 0 "dw-ask -F xlsx -o exits 0"
is "$out" "" "nothing on standard output with -o"
is "$(head -c 4 a.xlsx | od -An -c | tr -d ' ')" 'PK003004' "the file is a zip container"
is "$(sheet a.xlsx data)" "$tsv" "the data sheet holds the tsv answer, header row and all"
# numbers are number cells: a float format the reader applies changes them
is "$(sheet a.xlsx data --floatformat %.1f | sed -n 2p | cut -f2)" \
	"$(printf '%s\n' "$tsv" | sed -n 2p | cut -f2 | awk '{ printf "%.1f", $1 }')" \
	"sales are numbers, not text"
is "$(sheet a.xlsx about | sed -n 1p)" "question	$Q" "the about sheet has the question"
is "$(sheet a.xlsx about | sed -n 2p)" "sql	$(ask --sql "$Q")" "and the SQL as run"
asof=$(myq "SELECT DATE_FORMAT(MIN(watermark), '%Y-%m-%d %H:%i:%s') FROM dw_etl_watermark")
is "$(sheet a.xlsx about | grep '^data as of')" "data as of	$asof" "and the data's freshness"
is "$(sheet a.xlsx about | grep '^rows')" "rows	$(($(printf '%s\n' "$tsv" | wc -l) - 1))" \
	"and the number of rows"
ask -F xlsx "$Q" >p.xlsx
is "$(sheet p.xlsx data)" "$tsv" "-F xlsx to a file that is not a terminal, without -o"

# ---- dw-etl status ----

run dwetl status -F tsv
st=$out
run dwetl status -F xlsx -o s.xlsx
is "$rc" 0 "dw-etl status -F xlsx -o exits 0"
# lag_s moves between the two runs: compare the other columns
is "$(sheet s.xlsx data -f '%Y-%m-%d %H:%M:%S' | cut -f1,2,4-)" \
	"$(printf '%s\n' "$st" | cut -f1,2,4- | sed 's/\.[0-9]*	/	/')" \
	"dw-etl status: the workbook holds what tsv prints"
# dates are date cells: a date format the reader applies changes them
day=$(myq "SELECT DATE_FORMAT(MIN(watermark), '%d.%m.%Y') FROM dw_etl_watermark")
is "$(sheet s.xlsx data -f %d.%m.%Y | sed -n 2p | cut -f2)" "$day" "the watermark is a date"
like "$(sheet s.xlsx data --floatformat %.1f | sed -n 2p | cut -f3)" '^[0-9]+\.[0-9]$' \
	"the lag is a number (tsv: $(printf '%s\n' "$st" | sed -n 2p | cut -f3))"
run dwetl status --runs 5 -F xlsx -o r.xlsx
is "$rc" 0 "dw-etl status --runs -F xlsx -o exits 0"
is "$(sheet r.xlsx data -f %d.%m.%Y | sed -n 2p | cut -f2)" \
	"$(myq "SELECT DATE_FORMAT(MAX(started_at), '%d.%m.%Y') FROM dw_etl_run")" \
	"the runs' start times are dates"

# ---- -o: never through a link ----

echo precious >victim
ln -s victim link.xlsx
run ask -F xlsx -o link.xlsx "$Q"
is "$rc" 74 "a symbolic link at the -o target is refused, 74"
is "$(cat victim)" "precious" "and the file it points to is untouched"
like "$errout" "link\.xlsx" "the error names the target"
run dwetl status -F xlsx -o link.xlsx
is "$rc" 74 "dw-etl refuses it too"
is "$(cat victim)" "precious" "still untouched"
