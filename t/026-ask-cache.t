#!/bin/sh
# dw-ask's values cache (ask.cache_dir): the dimension values and the
# latest date are read once and kept in a file only the user may read, and
# the file is never stale: a sync, a schema change or a knowledge file
# change reads the warehouse again. A damaged file or a cache directory
# that cannot be written only costs the read.
. "${0%/*}/lib/test.sh"
plan 25

newdb
cat >>"$CONF" <<YAML
ask:
  knowledge: $DW_TOP/etc/ask/superstore.yaml
  cache_dir: $T/cache
YAML
cd "$T" || exit 1
loaddb 300 sync

ask() { "$DW_BIN/dw-ask" -c "$CONF" -v -v -e semantic -F tsv --no-header "$@" </dev/null; }
VALUES=$T/cache/values-$DB.tsv
CITY="FROM fact_sales f JOIN dim_location l USING (location_key) WHERE l.city"
sales_in() { myq "SELECT SUM(f.sales) $CITY = '$1'" | awk '{ printf "%.2f\n", $1 }'; }
first() { printf '%s\n' "$1" | head -1 | awk '{ printf "%.2f\n", $1 }'; }
from_cache() { case $errout in *"values from the cache"*) echo yes ;; *) echo no ;; esac; }

# ---- read once, then from the file ----

run ask "total sales in Zorbaville"
is "$rc" 1 "a city not in the warehouse is declined"
is "$(from_cache)" no "the first question reads the values from the warehouse"
ok "[ -f '$VALUES' ]" "the values are written to ask.cache_dir"
is "$(stat -c %a "$VALUES")" 600 "the values file is readable by its owner alone"
is "$(tail -1 "$VALUES")" end "the values file ends with its end line"
run ask "total sales"
is "$rc" 0 "the next question answers"
is "$(from_cache)" yes "the next question reads the values from the file"

# ---- a sync: the watermark moves ----

O=$(pgq "SELECT min(order_id) FROM orders")
pgq "UPDATE orders SET city = 'Zorbaville' WHERE order_id = '$O'"
run dwetl run
is "$rc" 0 "a sync brings a new city"
run ask "total sales in Zorbaville"
is "$rc" 0 "after a sync, the new city is answered"
is "$(first "$out")" "$(sales_in Zorbaville)" "after a sync, the new city's figure is right"
is "$(from_cache)" no "after a sync, the values are read from the warehouse"
run ask "total sales in Zorbaville"
is "$(from_cache)" yes "after that, from the file again"

# ---- a schema change ----

# A direct write moves no watermark; the column added beside it changes the
# schema's stamp.
myq "UPDATE dim_location SET city = 'Quuxton' WHERE city = 'Zorbaville';
     ALTER TABLE dim_location ADD COLUMN cache_test INT"
run ask "total sales in Quuxton"
is "$rc" 0 "after a schema change, a renamed city is answered"
is "$(first "$out")" "$(sales_in Quuxton)" "after a schema change, its figure is right"
myq "ALTER TABLE dim_location DROP COLUMN cache_test"

# ---- a knowledge file change ----

sed '/column: dim_location.city/,/values:/s/values: true/values: false/' \
	"$DW_TOP/etc/ask/superstore.yaml" >"$T/kb.yaml"
sed "s|knowledge: .*|knowledge: $T/kb.yaml|" "$CONF" >"$T/kb-conf.yaml"
chmod 600 "$T/kb-conf.yaml"
run "$DW_BIN/dw-ask" -c "$T/kb-conf.yaml" -e semantic -- "total sales in Quuxton"
is "$rc" 1 "with city values off in the knowledge file, a city is declined"
run ask "total sales in Quuxton"
is "$rc" 0 "with the knowledge file back, the city is answered"

# ---- a damaged file ----

head -c 200 "$VALUES" >"$T/cut" && cat "$T/cut" >"$VALUES"
run ask "total sales in Quuxton"
is "$rc" 0 "a file cut short is ignored"
is "$(first "$out")" "$(sales_in Quuxton)" "a file cut short is ignored: the figure is right"
is "$(tail -1 "$VALUES")" end "a file cut short is written again"
key=$(head -1 "$VALUES")
{ printf '%s\nv\tno_such_dimension\tx\nend\n' "$key"; } >"$VALUES"
run ask "total sales in Quuxton"
is "$rc" 0 "a file naming an unknown dimension is ignored"
is "$(from_cache)" no "a file naming an unknown dimension is read again from the warehouse"
run ask "total sales in Quuxton"
sed '$d' "$VALUES" >"$T/whole"
{ cat "$T/whole"; printf 'v\tcity\tx\\qy\nend\n'; } >"$VALUES"
run ask "total sales in Quuxton"
is "$rc" 0 "a file with a bad escape at its end is ignored"
is "$(printf '%s\n' "$errout" | grep -c notice)" 0 "a file with a bad escape at its end adds none of its values"

# ---- a cache directory that cannot be written ----

: >"$T/file"
sed "s|cache_dir: .*|cache_dir: $T/file/cache|" "$CONF" >"$T/unwritable.yaml"
chmod 600 "$T/unwritable.yaml"
run "$DW_BIN/dw-ask" -c "$T/unwritable.yaml" -F tsv --no-header "total sales in Quuxton"
is "$rc" 0 "an unwritable cache directory still answers"
is "$(first "$out")" "$(sales_in Quuxton)" "an unwritable cache directory: the figure is right"
