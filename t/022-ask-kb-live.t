#!/bin/sh
# Every SQL text of etc/ask/superstore.yaml (each metric over its table,
# each dimension and grain through its join, each curated example, which
# must return rows, and each report with sample parameters) runs on a real
# synced warehouse: build/t/it/test_kb_examples prints the TAP.
. "${0%/*}/lib/test.sh"

newdb
bin=${DW_IT_BIN:-$DW_TOP/build/t/it}/test_kb_examples
if ! { dwetl init && "$DW_BIN/dw-etl" generate --orders 2000 --seed 1 \
	--returns "$T/returns.csv" -o "$T/orders.csv" && dwetl import "$T/orders.csv" "$T/returns.csv" &&
	dwetl run; } >"$T/setup.log" 2>&1; then
	echo "Bail out! warehouse setup failed: $(cat "$T/setup.log")"
	exit 1
fi
[ -x "$bin" ] || { echo "Bail out! $bin not found: run make integration"; exit 1; }
"$bin" "$CONF" "$DW_TOP/etc/ask/superstore.yaml"
