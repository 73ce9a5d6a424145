#!/bin/sh
# Every SQL text of etc/ask/superstore.yaml (each metric over its table,
# each dimension and grain through its join, each curated example, which
# must return rows, and each report with sample parameters) runs on a real
# synced warehouse: build/t/it/test_kb_examples prints the TAP.
. "${0%/*}/lib/test.sh"

newdb
bin=${DW_IT_BIN:-$DW_TOP/build/t/it}/test_kb_examples
loaddb 2000 sync
[ -x "$bin" ] || { echo "Bail out! $bin not found: run make integration"; exit 1; }
"$bin" "$CONF" "$DW_TOP/etc/ask/superstore.yaml"
