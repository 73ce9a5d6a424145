#!/bin/sh
# dw-etl command line: --help, --version, bad options, generate.
. "${0%/*}/lib/test.sh"
plan 31

run "$DW_BIN/dw-etl" --help
is "$rc" 0 "--help exits 0"
like "$out" "^usage: dw-etl" "--help prints usage on stdout"
is "$errout" "" "--help prints nothing on stderr"

# Every long option in --help is documented in the man page, and back.
missing=""
for o in $(printf '%s\n' "$out" | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
	sed 's/\\-/-/g' "$DW_TOP/man/dw-etl.1" | grep -q -- "Fl ${o#-}" || missing="$missing $o"
done
is "$missing" "" "every option in --help is in dw-etl.1"
missing=""
for o in $(sed 's/\\-/-/g' "$DW_TOP/man/dw-etl.1" | grep -oE '^\.It Fl -?[a-z][a-z-]+' | awk '{print $3}' | sort -u); do
	printf '%s\n' "$out" | grep -q -- "-$o\b" || missing="$missing $o"
done
is "$missing" "" "every option in dw-etl.1 is in --help"

run "$DW_BIN/dw-etl" --version
is "$rc" 0 "--version exits 0"
like "$out" "^dw-etl [0-9]+\.[0-9]+\.[0-9]+$" "--version prints the version"

run "$DW_BIN/dw-etl" --bogus
is "$rc" 64 "unknown option exits 64"
like "$errout" "^dw-etl: error: unknown option '--bogus'" "unknown option is named"

run "$DW_BIN/dw-etl"
is "$rc" 64 "no command exits 64"

run "$DW_BIN/dw-etl" frobnicate
is "$rc" 64 "unknown command exits 64"
like "$errout" "unknown command 'frobnicate'" "unknown command is named"

run "$DW_BIN/dw-etl" init --orders 5
is "$rc" 64 "an option of another command exits 64"
like "$errout" "^dw-etl: error: 'init' has no option '--orders'" "the misplaced option is named"
run "$DW_BIN/dw-etl" --dry-run status
is "$rc" 64 "an option of another command exits 64, before the command too"
run "$DW_BIN/dw-etl" init now
is "$rc" 64 "an operand to a command that takes none exits 64"

run "$DW_BIN/dw-etl" -F xml generate
is "$rc" 64 "unknown format exits 64"

run "$DW_BIN/dw-etl" generate --orders 300 --seed 7 --returns "$T/r1.csv"
cp "$T/out" "$T/o1.csv"
is "$rc" 0 "generate exits 0"
"$DW_BIN/dw-etl" generate --orders 300 --seed 7 --returns "$T/r2.csv" >"$T/o2.csv"
ok "cmp -s '$T/o1.csv' '$T/o2.csv' && cmp -s '$T/r1.csv' '$T/r2.csv'" "generate is deterministic for a seed"
"$DW_BIN/dw-etl" generate --orders 300 --seed 8 >"$T/o3.csv"
ok "! cmp -s '$T/o1.csv' '$T/o3.csv'" "another seed gives other data"
is "$(cut -d, -f2 "$T/o1.csv" | sed 1d | sort -u | wc -l | tr -d ' ')" 300 "generate writes the asked number of orders"

"$DW_BIN/dw-etl" generate --orders 300 --seed 7 -o "$T/o4.csv" &&
	"$DW_BIN/dw-etl" --output "$T/o5.csv" --seed 7 generate --orders 300
ok "cmp -s '$T/o1.csv' '$T/o4.csv' && cmp -s '$T/o1.csv' '$T/o5.csv'" \
	"-o and --output write the orders file, with options before or after the command"
run "$DW_BIN/dw-etl" -q generate --orders 2 --output
like "$errout" "^dw-etl: error: option '--output' needs a value" "a missing value is named"

# Output files are never written through a link planted at their name.
echo precious >"$T/victim"
ln -s "$T/victim" "$T/link.csv"
run "$DW_BIN/dw-etl" generate --orders 2 -o "$T/link.csv"
is "$rc" 74 "generate -o to a symbolic link exits 74"
like "$errout" "'$T/link.csv'.*symbolic link" "the link is named"
run "$DW_BIN/dw-etl" generate --orders 2 --returns "$T/link.csv" -o "$T/o6.csv"
is "$rc" 74 "generate --returns to a symbolic link exits 74"
is "$(cat "$T/victim")" "precious" "the link's target is untouched"
ok "[ ! -e '$T/o6.csv' ] && [ -z \"\$(ls -A '$T' | grep '^\\.')\" ]" \
	"nothing else is written, and no temporary file is left"
"$DW_BIN/dw-etl" generate --orders 300 --seed 7 -o "$T/o4.csv" --returns "$T/r4.csv"
ok "cmp -s '$T/o1.csv' '$T/o4.csv' && cmp -s '$T/r1.csv' '$T/r4.csv'" \
	"generate replaces existing files whole"

run "$DW_BIN/dw-etl" generate --orders many
is "$rc" 64 "generate with a bad number exits 64"
run "$DW_BIN/dw-etl" generate --from 2014-01-01 --to 2013-01-01
is "$rc" 64 "generate with from after to exits 64"
