#!/bin/sh
# The SQL validator against MariaDB's own parser: on a schema-only
# warehouse (dw-etl init) with its dw_ control tables, a second database
# and stored functions, build/t/it/test_validate_diff runs the unit test's
# cases, the fuzz corpus, the knowledge file's SQL and the gold SQL of
# t/ask/questions.yaml through dw_validate_sql_tables, and has a probe
# account holding SELECT on exactly the reported tables EXPLAIN every
# accepted query: a table or routine the server resolves that the validator
# did not report fails. It prints the TAP.
#
# More inputs (one query per file, or directories of them, such as a
# fuzzer's corpus or findings): DW_VALIDATE_DIFF_INPUT="dir file ...".
. "${0%/*}/lib/test.sh"

newdb
other=${DB}_shop
trap 'myq "DROP DATABASE IF EXISTS $other" 2>/dev/null; _finish' EXIT
bin=${DW_IT_BIN:-$DW_TOP/build/t/it}/test_validate_diff
if ! { dwetl init &&
	myq "CREATE DATABASE $other; CREATE TABLE $other.secrets (id INT);
	CREATE FUNCTION $other.leak_fn() RETURNS INT RETURN 1;
	CREATE FUNCTION leak_fn() RETURNS INT RETURN 1;
	CREATE FUNCTION secret_fn() RETURNS INT RETURN 1;
	CREATE TABLE secrets (id INT)"; } >"$T/setup.log" 2>&1; then
	echo "Bail out! warehouse setup failed: $(cat "$T/setup.log")"
	exit 1
fi
[ -x "$bin" ] || { echo "Bail out! $bin not found: run make integration"; exit 1; }
# shellcheck disable=SC2086 # a list of paths
"$bin" -k "$DW_TOP/etc/ask/superstore.yaml" -q "$DW_TOP/t/ask/questions.yaml" -o "$other" \
	"$CONF" "$DW_TOP/t/fuzz/corpus" ${DW_VALIDATE_DIFF_INPUT:-}
