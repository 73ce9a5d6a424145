#!/bin/sh
# dw-tune report --html on real servers: a report before any snapshot
# (valid, says there is no data), then twelve snapshots a second apart with
# a varying number of queries between them and one burst; the page is
# well-formed (the whole of it as XML, each SVG on its own), shows the
# costliest statement's text, the burst as a high anomaly in the table and
# shaded on the chart, the forecast band and its backtest, the tables'
# sizes and the indexes' reads; headless Chromium opens it with nothing in
# its console (no error, nothing blocked) and draws a page that is not
# blank. Never written through a link; the exit codes.
. "${0%/*}/lib/test.sh"
plan 35

newdb
loaddb 300 sync
cd "$T" || exit 1
tu() { "$DW_BIN/dw-tune" -c "$CONF" "$@"; }
R=$T/report.html

# Every <svg>...</svg> of $1, each on its own, well-formed.
svgs_ok() {
	awk -v d="$T/svg" '/<svg /{ n++; f = d "." n } f { print > f } /<\/svg>/{ close(f); f = "" }
		END { print n + 0 }' "$1" >"$T/svg.count"
	n=$(cat "$T/svg.count")
	i=1
	while [ "$i" -le "$n" ]; do
		xmllint --noout "$T/svg.$i" 2>/dev/null || return 1
		i=$((i + 1))
	done
}

# ---- no data yet ----

run tu report --html "$R"
is "$rc|$out|$errout" "0||" "no snapshot yet: exit 0, quiet"
ok "xmllint --noout '$R' 2>/dev/null && xmllint --html --noout '$R' 2>/dev/null" \
	"... a well-formed page (as XML and as HTML)"
like "$(cat "$R")" "<h2>No data yet</h2>" "... that says there is no data yet"

# ---- twelve snapshots, a second apart, one burst ----

tu collect
i=0
for n in 5 8 6 9 5 7 60 6 8 5 7 6; do
	i=$((i + 1))
	q=$(awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++)
		printf "SELECT COUNT(*) FROM dim_customer WHERE segment = '\''Consumer'\'';" }')
	[ "$i" = 3 ] && q="$q SELECT SLEEP(0.3), COUNT(*) FROM dim_product; SELECT SLEEP(0.3), COUNT(*) FROM dim_product;"
	myq "$q" >/dev/null
	sleep 1
	tu collect
done
burst=$(myq "SELECT DATE_FORMAT(taken_at, '%Y-%m-%d %H:%i:%s') FROM dw_tune_snapshot
	ORDER BY snap_id LIMIT 7, 1")

run tu report --html "$R"
is "$rc|$out|$errout" "0||" "report: exit 0, nothing on stdout or stderr"
ok "xmllint --noout '$R' 2>/dev/null" "the page is well-formed XML (polyglot HTML)"
ok "svgs_ok '$R'" "each SVG of it is well-formed on its own"
is "$(cat "$T/svg.count")" 2 "two charts: the calls and the time"
ok "! grep -qi '<script' '$R' && ! grep -Eqi '(src|href)=\"(https?:|//)' '$R'" \
	"no script, nothing to fetch"
like "$(cat "$R")" "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"" \
	"a policy that lets the browser fetch and run nothing"
slow=$(myq "SELECT RTRIM(LEFT(digest_text, 200)) FROM dw_tune_digest WHERE digest_text LIKE '%SLEEP%'")
first=$(grep -A1 '^<tr class="numbers"><td class="n">1</td>' "$R" | tail -n 1)
ok '[ -n "$slow" ] && printf "%s" "$first" | grep -qF "<code>$slow</code>"' \
	"the costliest statement first, with its text"
row=$(grep '^<tr><td><span class="sev high">high</span>' "$R" | grep "<td class=\"n\">$burst</td>" |
	grep ">load calls" | head -n 1)
ok '[ -n "$row" ]' "the burst at $burst: a high anomaly of the load in the table"
like "$row" "<td>up</td>" "... upwards"
like "$(grep -c '^<tr><td><span class="sev' "$R")" "^[2-9]|^[1-9][0-9]" \
	"... and of the burst's statement too"
like "$(cat "$R")" "<rect [^>]*fill=\"#e15759\" fill-opacity=\"0.25\"><title>high anomaly, up: load calls from $burst" \
	"the burst shaded on the chart, with what it is to hover"
like "$(cat "$R")" "<polygon fill=\"#4e79a7\" fill-opacity=\"0.20\" points=\"" \
	"the forecast's interval drawn after the last point"
like "$(cat "$R")" "MAPE [0-9.]+%, WAPE [0-9.]+%, [0-9]+ of [0-9]+ inside the 95% interval" \
	"the caption gives the backtest's MAPE"
like "$(cat "$R")" "<td>fact_sales</td><td class=\"n\">[0-9]+</td>" "the tables' sizes"
like "$(cat "$R")" "<td>dim_customer</td><td>[A-Za-z_]+</td><td class=\"n\">[0-9]+</td>" \
	"the indexes' reads in the window"
like "$(cat "$R")" "<b>[1-9][0-9]*</b><span>high anomalies, " "a card counts the high anomalies"

[ -n "${DW_KEEP:-}" ] && cp "$R" "$DW_KEEP"
# ---- in a browser ----

if command -v chromium >/dev/null; then
	shot() {  # shot PAGE PNG: a screenshot; the browser's log in PNG.log
		rm -rf "$T/prof" && mkdir "$T/prof"
		timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
			--no-first-run --disable-background-networking --disable-component-update \
			--disable-sync --user-data-dir="$T/prof" --enable-logging=stderr --v=0 \
			--screenshot="$2" --window-size=1200,2000 "file://$1" >/dev/null 2>"$2.log"
	}
	printf '<!DOCTYPE html><html><body><script>nosuchfn()</script></body></html>' >"$T/bad.html"
	shot "$T/bad.html" "$T/bad.png"
	like "$(cat "$T/bad.png.log")" ":CONSOLE[^]]*\] \"Uncaught ReferenceError" \
		"the browser's console is seen (a broken page shows)"
	shot "$R" "$T/report.png"
	is "$?" 0 "headless Chromium opens the report"
	is "$(grep -c ':CONSOLE' "$T/report.png.log")" 0 \
		"... with nothing in its console: no error, nothing blocked"
	like "$(file "$T/report.png")" "PNG image data, 1200 x 2000" "... a screenshot 1200 x 2000"
	size=$(wc -c <"$T/report.png")
	ok '[ "$size" -gt 60000 ]' "... that is not blank ($size bytes)"
	colors=$(python3 -c '
import sys, zlib, struct
d = open(sys.argv[1], "rb").read()
i, idat, w, h = 8, b"", 0, 0
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8]); c = d[i + 8:i + 8 + n]; i += 12 + n
    if t == b"IHDR": w, h, bits, ct = struct.unpack(">IIBB", c[:10]); bpp = {2: 3, 6: 4}[ct]
    if t == b"IDAT": idat += c
raw, prev, seen, p = zlib.decompress(idat), bytearray(w * bpp), set(), 0
for y in range(h):
    f, row = raw[p], bytearray(raw[p + 1:p + 1 + w * bpp]); p += 1 + w * bpp
    for x in range(len(row)):
        a = row[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
        pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
        row[x] = (row[x] + (0, a, b, (a + b) // 2, pr)[f]) & 255
    if y % 4 == 0: seen.update(bytes(row[k:k + 3]) for k in range(0, len(row), bpp * 2))
    prev = row
print(len(seen))' "$T/report.png" 2>/dev/null)
	ok '[ "${colors:-0}" -gt 50 ]' "... drawn in many colours (${colors:-?} seen)"
else
	for _ in 1 2 3 4 5 6; do
		echo "ok $((_n + 1)) - # SKIP chromium is not installed (make deps)"
		_n=$((_n + 1))
	done
fi

# ---- options, links and exit codes ----

run tu report --html "$R" --season 4s --since 1h
is "$rc" 0 "--season and --since: exit 0"
like "$(cat "$R")" "a compressed day of 4 snapshots" "... anomalies judged in a compressed day"
ok "xmllint --noout '$R' 2>/dev/null" "... still well-formed"
printf 'precious\n' >"$T/victim"
ln -s "$T/victim" "$T/link.html"
run tu report --html "$T/link.html"
is "$rc" 74 "onto a symbolic link: exit 74"
is "$(cat "$T/victim")" precious "... the file behind it untouched"
run tu report --html "$T/nodir/r.html"
is "$rc" 74 "into a missing directory: exit 74"
run tu report
like "$rc $errout" "^64 .*--html" "without --html: exit 64"
run tu report --html "$R" --season soon
is "$rc" 64 "--season that is not a duration: exit 64"
run tu --set warehouse.port=1 report --html "$R"
is "$rc" 69 "the warehouse unreachable: exit 69"
myq "DROP TABLE dw_tune_stat"
run tu report --html "$R"
like "$rc $errout" "^78 .*no dw-tune tables \(run dw-etl init\)" "without the dw_tune_ tables: exit 78"
