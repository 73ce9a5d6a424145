#!/bin/sh
# dw-validate's history on real servers: each run recorded in the
# warehouse in one transaction (outcomes, failing counts, a check that
# could not run as an error), read back by history in every -F format with
# --check, --since and --trend; a run still reports its checks when the
# history cannot be written (tables missing, warehouse unreachable), with
# one warning; --no-history.
. "${0%/*}/lib/test.sh"
plan 25

newdb
cd "$T" || exit 1
dwetl init >/dev/null 2>&1 || { echo "Bail out! init failed"; exit 1; }
myq "CREATE TABLE t_check (id INT PRIMARY KEY, code VARCHAR(10), n INT);
	INSERT INTO t_check VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)"
pgq "CREATE TABLE t_check (id int PRIMARY KEY, n int);
	INSERT INTO t_check VALUES (1, 1), (2, 2)" >/dev/null
cat >"$T/checks.yaml" <<'YAML'
checks:
  - {name: nn, database: warehouse, table: t_check, kind: not_null, columns: [code]}
  - {name: rg, database: warehouse, table: t_check, kind: range, column: n, max: 10,
     warn_if: "> 50%"}
  - {name: pg_rg, database: oltp, table: t_check, kind: range, column: n, max: 10, tags: [pg]}
YAML
printf 'validate:\n  checks: %s/checks.yaml\n' "$T" >>"$CONF"
v() { "$DW_BIN/dw-validate" -c "$CONF" "$@"; }
results() { myq "SELECT c.run_id, c.check_name, c.database_name, c.outcome, IFNULL(c.failing, 'NULL'),
	IFNULL(c.total, 'NULL') FROM dw_check_result c ORDER BY c.run_id, c.check_name"; }

run v run
is "$rc$out$errout" 0 "a clean run: exit 0, nothing printed"
is "$(results)" "1	nn	warehouse	pass	0	NULL
1	pg_rg	oltp	pass	0	NULL
1	rg	warehouse	pass	0	3" "it is recorded: a row per check, the total counted for a percentage"
is "$(myq "SELECT COUNT(*), MAX(checks_file) FROM dw_check_run")" "1	$T/checks.yaml" \
	"and the run, with its checks file"

myq "UPDATE t_check SET code = NULL WHERE id > 1; UPDATE t_check SET n = 11 WHERE id = 1"
run v run
is "$rc" 1 "a failing run: exit 1"
is "$(results | sed 1,3d)" "2	nn	warehouse	fail	2	NULL
2	pg_rg	oltp	pass	0	NULL
2	rg	warehouse	pass	1	3" "recorded with its failing counts"
myq "UPDATE t_check SET n = 12 WHERE id = 2"
run v run --check rg
is "$(results | sed 1,6d)" "3	rg	warehouse	warn	2	3" "a warning, of the one check run"

# ---- history ----
run v -F tsv history
is "$(printf '%s\n' "$out" | cut -f1,3,5,6 | tr '\n' ' ')" \
	"run	check	outcome	failing 1	nn	pass	0 1	pg_rg	pass	0 1	rg	pass	0 2	nn	fail	2 2	pg_rg	pass	0 2	rg	pass	1 3	rg	warn	2 " \
	"history: a row per check of each run, oldest first"
like "$(printf '%s\n' "$out" | sed -n 2p)" "^1	[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}	nn	warehouse	pass	0		0\.[0-9]{3}$" \
	"with its run's start (UTC), database, total and seconds"
run v -F tsv --no-header history --check rg
is "$(printf '%s\n' "$out" | cut -f1,5 | tr '\n' ' ')" "1	pass 2	pass 3	warn " "--check"
run v -F tsv history --trend
is "$out" "$(printf 'check\truns\tfails\tlast_run\tlast_outcome\tfailing_before\tfailing_now
nn\t2\t1\t%s\tfail\t0\t2
pg_rg\t2\t0\t%s\tpass\t0\t0
rg\t3\t0\t%s\twarn\t0\t2' "$(myq "SELECT started_at FROM dw_check_run WHERE run_id = 2")" \
	"$(myq "SELECT started_at FROM dw_check_run WHERE run_id = 2")" \
	"$(myq "SELECT started_at FROM dw_check_run WHERE run_id = 3")")" \
	"--trend: per check its runs, fails, last outcome, failing count at the first run and now"
run v -F json history --check nn
is "$(printf '%s' "$out" | perl -MJSON::PP -e 'my $d = decode_json(join "", <STDIN>);
	print join " ", map { "$_->{run}:$_->{outcome}:$_->{failing}" } @$d')" "1:pass:0 2:fail:2" \
	"-F json: numbers as numbers"
run v -F table history --trend --check nn
like "$out" "^check +runs +fails" "-F table"
run v -F csv --no-header history --trend --check nn
like "$out" "^nn,2,1," "-F csv"
myq "INSERT INTO dw_check_run (started_at, checks_file) VALUES ('2020-01-01 00:00:00', 'old.yaml');
	INSERT INTO dw_check_result VALUES (LAST_INSERT_ID(), 'nn', 'warehouse', 'fail', 9, NULL, 0.5)"
run v -F tsv --no-header history --check nn
is "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')" "1 2 " "by default the last 7 days"
run v -F tsv --no-header history --check nn --since 2019-12-31 --trend
is "$(printf '%s\n' "$out" | cut -f2,3,6,7)" "3	2	9	2" "--since a date: the old run counts, failing 9 then"
run v history --since 1y
is "$rc" 64 "--since that is no time: exit 64"
run v -F tap history
like "$rc $errout" "^64 .*'history' writes no test report" "-F tap is for run and diff only"

# ---- a check that cannot run is an error in the history ----
myq "UPDATE t_check SET code = 'a', n = 1"
cp "$T/checks.yaml" "$T/good.yaml"
printf '  - {name: gone, database: warehouse, table: no_such, kind: row_count, min: 1}\n' >>"$T/checks.yaml"
run v run
is "$rc $(results | grep -c '^5	') $(results | grep '^5	gone')" "70 4 5	gone	warehouse	error	NULL	NULL" \
	"exit 70, and the checks that ran recorded, the last one an error"
cp "$T/good.yaml" "$T/checks.yaml"

# ---- when the history cannot be written, the checks still count ----
myq "RENAME TABLE dw_check_result TO t_result, dw_check_run TO t_run"
myq "UPDATE t_check SET code = NULL WHERE id = 1"
run v run
is "$rc $(printf '%s\n' "$errout" | grep -c 'warning')" "1 1" "the history tables missing: the run's own exit, one warning"
like "$errout" "warning: the run is not in the history: warehouse: no check history \(run dw-etl init\)" \
	"which says to run dw-etl init"
run v history
like "$rc $errout" "^78 .*no check history \(run dw-etl init\)" "history without its tables: exit 78"
myq "RENAME TABLE t_result TO dw_check_result, t_run TO dw_check_run; UPDATE t_check SET code = 'a'"
n=$(myq "SELECT COUNT(*) FROM dw_check_run")
run v --set warehouse.host=127.0.0.1 --set warehouse.port=1 run --tag pg
is "$rc $(printf '%s\n' "$errout" | grep -c .)" "0 1" "the warehouse unreachable: the OLTP checks pass, one line on stderr"
like "$errout" "warning: the run is not in the history: .*warehouse" "a warning naming the warehouse"
run v run --no-history
is "$rc$errout $(myq "SELECT COUNT(*) FROM dw_check_run")" "0 $n" "--no-history: nothing recorded"
printf '  - {name: %s, table: t, kind: row_count}\n' "$(printf 'x%.0s' $(seq 129))" >>"$T/checks.yaml"
run v run
like "$rc $errout" "^65 .*checks.yaml:[0-9]+: checks: a name is at most 128 characters" \
	"a name longer than the history holds: exit 65"
