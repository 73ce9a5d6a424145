#!/bin/sh
# lib/db/db.h against the real servers: runs the cmocka binary t/it/test_db_live.c
# (built by `make integration` into $(BUILD)/t/it) on this test's databases.
. "${0%/*}/lib/test.sh"
plan 1

bin=${DW_IT_BIN:-$DW_TOP/build/t/it}/test_db_live
newdb
if [ -x "$bin" ]; then
	env -u DW_IT_FILTER DW_IT_PGPORT="$DW_TEST_PGPORT" DW_IT_MYPORT="$DW_TEST_MYPORT" \
		DW_IT_DB="$DB" "$bin" >"$T/log" 2>&1
	rc=$?
else
	echo "$bin not found: run make integration" >"$T/log"
	rc=127
fi
is "$rc" 0 "lib/db live tests (test_db_live exits 0)"
sed 's/^/# /' "$T/log"
