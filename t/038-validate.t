#!/bin/sh
# dw-validate run on real servers: each kind of check passes on clean data
# and fails on data broken for it (the breakage written in SQL, then
# undone); severities, thresholds, samples; list; the shipped checks on
# generated data; every exit code.
. "${0%/*}/lib/test.sh"
plan 58

newdb
cd "$T" || exit 1
# The schemas, for the history each run writes (t/040).
dwetl init >/dev/null 2>&1 || { echo "Bail out! init failed"; exit 1; }
myq "CREATE TABLE t_parent (id INT PRIMARY KEY);
	INSERT INTO t_parent VALUES (1), (2);
	CREATE TABLE t_check (id INT PRIMARY KEY, code VARCHAR(10), n INT, at DATETIME(6), ref INT);
	INSERT INTO t_check VALUES (1, 'a', 1, UTC_TIMESTAMP(6), 1), (2, 'b', 2, UTC_TIMESTAMP(6), 1),
	  (3, 'c', 3, UTC_TIMESTAMP(6), 2)"
pgq "CREATE TABLE t_check (id int PRIMARY KEY, code text, n int);
	INSERT INTO t_check VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)" >/dev/null
cat >"$T/checks.yaml" <<'YAML'
checks:
  - {name: rc, database: warehouse, table: t_check, kind: row_count, min: 3, max: 5, tags: [w]}
  - {name: nn, database: warehouse, table: t_check, kind: not_null, columns: [code, n], tags: [w]}
  - {name: un, database: warehouse, table: t_check, kind: unique, columns: [code], tags: [w]}
  - {name: av, database: warehouse, table: t_check, kind: accepted_values, column: code,
     values: [a, b, c, "d'e"], tags: [w]}
  - {name: rg, database: warehouse, table: t_check, kind: range, column: n, min: 0, max: 10}
  - {name: fr, database: warehouse, table: t_check, kind: freshness, column: at, within: 1h}
  - {name: rf, database: warehouse, table: t_check, kind: referential, column: ref,
     references: t_parent.id}
  - {name: sq, database: warehouse, table: t_check, kind: sql,
     query: "SELECT id FROM t_check WHERE n = 7"}
  - {name: pg_av, database: oltp, table: t_check, kind: accepted_values, column: code,
     values: [a, b, c], tags: [pg]}
  - {name: pg_rg, database: oltp, table: t_check, kind: range, column: n, max: 10, tags: [pg]}
  - {name: soft, database: warehouse, table: t_check, kind: range, column: n, max: 2,
     warn_if: "> 40%"}
  - {name: pt, database: warehouse, table: t_check, kind: pattern, column: code,
     pattern: "^[a-c]$"}
  - {name: sc, database: warehouse, table: t_check, kind: schema, strict: true,
     columns: {id: int(11), CODE: VARCHAR(10), n: int(11), at: datetime(6), ref: int(11)}}
  - {name: pg_pt, database: oltp, table: t_check, kind: pattern, column: n, pattern: "^[0-9]$",
     tags: [pg2]}
  - {name: pg_sc, database: oltp, table: t_check, kind: schema,
     columns: {id: integer, code: text, n: integer}, tags: [pg2]}
YAML
printf 'validate:\n  checks: %s/checks.yaml\n' "$T" >>"$CONF"
v() { "$DW_BIN/dw-validate" -c "$CONF" "$@"; }

run v run --check rc
is "$rc$out$errout" 0 "a passing check: exit 0, nothing printed"
# Each kind: break the data, run it, undo.
kind() {   # name, breakage, undo, failing rows expected
	myq "$2"
	run v run --check "$1"
	like "$rc $out" "^1 FAIL $1: $4 failing in " "$1 fails on data broken for it ($4 failing)"
	myq "$3"
	run v run --check "$1"
	is "$rc$out" 0 "$1 passes again once undone"
}
kind rc "INSERT INTO t_check VALUES (4,'a',1,NOW(),1),(5,'a',1,NOW(),1),(6,'b',1,NOW(),1)" \
	"DELETE FROM t_check WHERE id > 3" 1
kind nn "UPDATE t_check SET code = NULL WHERE id = 2" "UPDATE t_check SET code = 'b' WHERE id = 2" 1
kind un "UPDATE t_check SET code = 'a' WHERE id IN (2, 3)" \
	"UPDATE t_check SET code = ELT(id, 'a', 'b', 'c')" 1
kind av "UPDATE t_check SET code = 'zz' WHERE id = 3" "UPDATE t_check SET code = 'c' WHERE id = 3" 1
kind rg "UPDATE t_check SET n = 11 WHERE id = 1" "UPDATE t_check SET n = 1 WHERE id = 1" 1
kind fr "UPDATE t_check SET at = at - INTERVAL 2 HOUR" "UPDATE t_check SET at = UTC_TIMESTAMP(6)" 1
kind rf "UPDATE t_check SET ref = 9 WHERE id > 1" "UPDATE t_check SET ref = 1" 2
kind sq "UPDATE t_check SET n = 7 WHERE id = 3" "UPDATE t_check SET n = 3 WHERE id = 3" 1
# Upper case fails: REGEXP is case-sensitive as POSIX is, whatever the collation.
kind pt "UPDATE t_check SET code = 'A' WHERE id = 1; UPDATE t_check SET code = 'c2' WHERE id = 3" \
	"UPDATE t_check SET code = ELT(id, 'a', 'b', 'c')" 2
# A type changed, a column missing, one not listed (strict): 3 failing.
kind sc "ALTER TABLE t_check MODIFY code VARCHAR(20), DROP COLUMN ref, ADD extra INT" \
	"ALTER TABLE t_check MODIFY code VARCHAR(10), DROP COLUMN extra, ADD ref INT;
	UPDATE t_check SET ref = 1" 3
myq "ALTER TABLE t_check MODIFY code VARCHAR(20)"
run v run --check sc --samples 5
is "$(printf '%s\n' "$out" | sed 1d)" "column_name	expected	actual
CODE	VARCHAR(10)	varchar(20)" "a schema check's samples: the column, its type expected and actual"
myq "ALTER TABLE t_check MODIFY code VARCHAR(10)"

pgq "UPDATE t_check SET code = 'x', n = 99 WHERE id = 1" >/dev/null
run v run --tag pg
is "$rc $(printf '%s\n' "$out" | sort | tr '\n' ' ')" \
	"1 FAIL pg_av: 1 failing in oltp.t_check (accepted_values) FAIL pg_rg: 1 failing in oltp.t_check (range) " \
	"checks on the OLTP database too, selected by tag"
run v run --check pg_rg --samples 5
like "$(printf '%s\n' "$out" | sed -n 3p)" "^1	x	99$" "--samples prints the failing rows, under a header"
pgq "UPDATE t_check SET code = 'a', n = 1 WHERE id = 1" >/dev/null
run v run --tag pg2
is "$rc$out" 0 "a pattern and a schema check of the OLTP database pass"
pgq "UPDATE t_check SET n = 12 WHERE id = 2; ALTER TABLE t_check ALTER n TYPE bigint" >/dev/null
run v run --tag pg2
is "$rc $(printf '%s\n' "$out" | sort | tr '\n' ' ')" \
	"1 FAIL pg_pt: 1 failing in oltp.t_check (pattern) FAIL pg_sc: 1 failing in oltp.t_check (schema) " \
	"they fail on PostgreSQL: a number as text against the pattern, a type changed"
pgq "UPDATE t_check SET n = 2 WHERE id = 2; ALTER TABLE t_check ALTER n TYPE integer" >/dev/null

# ---- thresholds and severities ----
run v run --check soft
is "$rc$out" 0 "1 of 3 rows (33%) above max, warn_if > 40%: passes"
myq "UPDATE t_check SET n = 5 WHERE id = 1"
run v run --check soft
like "$rc $out" "^0 WARN soft: 2 failing" "2 of 3 rows (67%): a warning, exit 0"
run v run --check soft --strict
is "$rc" 1 "--strict: a warning fails"
myq "UPDATE t_check SET n = 1 WHERE id = 1"
run v -F tsv --no-header run --tag w
is "$(printf '%s\n' "$out" | cut -f1,5,6 | tr '\n' ' ')" "rc	0	pass nn	0	pass un	0	pass av	0	pass " \
	"-F: a row per check with its outcome"
run v -F tsv --no-header list --tag pg
is "$(printf '%s\n' "$out" | cut -f1-4 | tr '\n' ' ')" "pg_av	oltp	t_check	accepted_values pg_rg	oltp	t_check	range " \
	"list"

# ---- test reports: TAP read by prove, JUnit by an XML parser ----
tap() {   # name of the report, then the options of run
	_name=$1
	shift
	v -F tap run "$@" >"$T/$_name.tap" 2>/dev/null
	run prove --exec cat "$T/$_name.tap"
}
tap clean --tag w
like "$rc $(printf '%s' "$out" | tr '\n' ' ')" "^0 .*All tests successful.*Tests=4," \
	"-F tap: prove passes the clean checks"
myq "UPDATE t_check SET code = NULL WHERE id = 2; UPDATE t_check SET n = 5 WHERE id = 1"
tap broken --tag w --samples 3
like "$rc $(printf '%s' "$out" | tr '\n' ' ')" "^1 .*Failed 1/4 subtests.*Failed test: +2 " \
	"and fails on broken data, naming the check"
like "$(cat "$T/broken.tap")" "^TAP version 13
1\.\.4
ok 1 - rc
not ok 2 - nn # 1 failing in warehouse\.t_check \(not_null\)
# id	code	n	at	ref
# 2		2	" "its points, the failing count, the samples as comments"
tap warned --check soft
like "$rc $(grep soft "$T/warned.tap")" "^0 not ok 1 - soft # TODO warning: 2 failing" \
	"a warning is a TODO point: prove passes"
tap strict --check soft --strict
like "$rc $(grep soft "$T/strict.tap")" "^1 not ok 1 - soft # warning: 2 failing" \
	"with --strict it fails"
myq "UPDATE t_check SET code = '<&\"x''>' WHERE id = 3"
v -F junit run --samples 3 >"$T/junit.xml" 2>/dev/null
xp() { xmllint --xpath "$1" "$T/junit.xml" 2>/dev/null; }
is "$(xp 'string(/testsuites/@tests)') $(xp 'string(/testsuites/@failures)') $(xp 'count(//testcase[failure])') $(xp 'count(//testcase)')" \
	"15 3 3 15" "-F junit: XML with a testcase per check, 3 of them failures"
is "$(xp 'string(//testcase[@name="nn"]/failure/@message)')" \
	"1 failing in warehouse.t_check (not_null)" "a failure says how many rows fail"
like "$(xp 'string(//testcase[@name="av"]/failure)')" "	<&\"x'>	3	" \
	"and lists them, escaped so that the document holds"
like "$(xp 'string(//testcase[@name="soft"]/system-out)')" "^warning: 2 failing" \
	"a warning is the testcase's output, not a failure"
myq "UPDATE t_check SET code = ELT(id, 'a', 'b', 'c'), n = id"
run v -F tap list
like "$rc $errout" "^64 .*'list' writes no test report \(-F tap or junit\)" "list writes no test report: 64"
run "$DW_BIN/dw-etl" -c "$CONF" -F junit status
is "$rc" 64 "nor do the other tools"

run v run
is "$rc$out" 0 "all clean: every check passes"
loaddb 100 sync
run v --set validate.checks="$DW_TOP/etc/checks/superstore.yaml" run
is "$rc$out$errout" 0 "the shipped checks, patterns and schemas too, pass on generated data"

# ---- exit codes ----
run v run --check nope
is "$rc" 64 "an unknown check: exit 64"
cp "$T/checks.yaml" "$T/good.yaml"
printf '  - {name: bad, table: t, kind: not_null, colums: [a]}\n' >>"$T/checks.yaml"
run v run
like "$rc $errout" "^65 .*checks.yaml:[0-9]+: unknown key 'colums' in checks" "an unknown key: exit 65, file and line"
like "$errout" "did you mean 'columns'" "with a hint"
cp "$T/good.yaml" "$T/checks.yaml"
printf '  - {name: bad, table: t, kind: not_nul, columns: [a]}\n' >>"$T/checks.yaml"
run v run
like "$rc $errout" "^65 .*unknown kind 'not_nul'" "an unknown kind: exit 65"
cp "$T/good.yaml" "$T/checks.yaml"
printf '  - {name: bad, table: t, kind: unique, columns: [a], values: [b]}\n' >>"$T/checks.yaml"
run v run
like "$rc $errout" "^65 .*a unique check takes no 'values'" "a key the kind does not take: exit 65"
cp "$T/good.yaml" "$T/checks.yaml"
printf '  - {name: bad, table: t, kind: pattern, column: a, patern: "^a"}\n' >>"$T/checks.yaml"
run v run
like "$rc $(printf '%s' "$errout" | tr '\n' ' ')" \
	"^65 .*checks.yaml:[0-9]+: unknown key 'patern' in checks hint: did you mean 'pattern'" \
	"a misspelt key of a pattern check: exit 65, file, line and a hint"
cp "$T/good.yaml" "$T/checks.yaml"
printf '  - {name: bad, table: t, kind: pattern, column: a, pattern: "a(b"}\n' >>"$T/checks.yaml"
run v run
like "$rc $errout" "^65 .*checks.yaml:[0-9]+: check 'bad': 'pattern' is not a POSIX extended regular expression" \
	"a pattern that does not compile: exit 65 before any query"
cp "$T/good.yaml" "$T/checks.yaml"
printf '  - {name: bad, table: t, kind: schema, columns: [a, b]}\n' >>"$T/checks.yaml"
run v run
like "$rc $errout" "^65 .*checks.yaml:[0-9]+: check 'bad': 'columns' must map each column to its type" \
	"a schema check's columns as a list: exit 65"
cp "$T/good.yaml" "$T/checks.yaml"
printf '  - {name: bad, table: t, kind: schema, columns: {a: int}, strict: yes}\n' >>"$T/checks.yaml"
run v run
like "$rc $errout" "^65 .*checks.yaml:[0-9]+: check 'bad': 'strict' must be true or false" \
	"strict is true or false"
cp "$T/good.yaml" "$T/checks.yaml"
printf '  - {name: gone, database: warehouse, table: no_such_table, kind: row_count, min: 1}\n' >>"$T/checks.yaml"
run v run
like "$rc $errout" "^70 .*check 'gone' \(.*checks.yaml:[0-9]+\): warehouse: .*no_such_table' doesn't exist" \
	"a check whose table is missing: exit 70, naming it and why"
v -F junit run >"$T/junit.xml" 2>/dev/null
is "$(xp 'count(//testcase[error])') $(xp 'string(//testcase[error]/@name)')" "1 gone" \
	"-F junit: a whole document, the check that could not run an error"
run v -F tap run
like "$(printf '%s' "$out" | tail -n 1)" "^Bail out! check 'gone'" "-F tap: it bails out"
cp "$T/good.yaml" "$T/checks.yaml"
run v --set warehouse.port=1 --set warehouse.host=127.0.0.1 run --tag w
is "$rc" 69 "the warehouse unreachable: exit 69"
run v --set validate.checks="$T/none.yaml" run
like "$rc $errout" "^74 .*cannot read checks file" "a checks file that cannot be read: exit 74"
