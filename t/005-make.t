#!/bin/sh
# The Makefile's install, lint and demo targets.
. "${0%/*}/lib/test.sh"
plan 23

# make in the top directory on the build under test. MAKEFLAGS is cleared:
# under make -jN check it names a jobserver this make cannot reach, and make
# would warn about it on stderr.
mk() { env MAKEFLAGS= make -s -C "$DW_TOP" BUILD="${DW_BIN%/bin}" "$@"; }

run mk install DESTDIR="$T/inst" PREFIX=/usr
is "$rc" 0 "make install exits 0"
for f in bin/dw-etl bin/dw-ask share/man/man1/dw-etl.1 share/man/man1/dw-ask.1 \
	share/man/man5/dw.yaml.5 share/man/man5/dw-knowledge.5 share/man/man7/dw.7 \
	share/dw/sql/oltp/001_schema.sql share/dw/sql/dw/001_schema.sql share/dw/sql/dw/002_audit.sql \
	share/dw/etc/dw.yaml.sample share/dw/etc/dw-ask-reader.sql share/dw/ask/superstore.yaml; do
	[ -f "$T/inst/usr/$f" ] || missing="${missing:-} $f"
done
is "${missing:-}" "" "make install puts binaries, man pages, sql and samples under DESTDIR"
run "$T/inst/usr/bin/dw-etl" --version
is "$rc" 0 "the installed binary runs"

run mk lint
is "$rc$out$errout" 0 "make lint: every man page is mandoc -Tlint clean"

# make lint's house rules (t/lib/lint-lib) on a copy of lib/ and its objects,
# clean first, then broken on purpose: lint-lib reads lib/ from the current
# directory and the objects from the directory it is given.
mkdir "$T/lint"
cp -R "$DW_TOP/lib" "$T/lint/lib"
cp -R "$DW_BIN/../lib" "$T/lint/obj"
lint_copy() { (cd "$T/lint" && sh "$DW_TOP/t/lib/lint-lib" "$T/lint/obj"); }
run lint_copy
is "$rc$errout" 0 "lint-lib passes on an unchanged copy of lib/"
cp "$T/lint/lib/etl/follow.c" "$T/lint/follow.c"
printf '#include "ask/prompt.h"\n' >>"$T/lint/lib/etl/follow.c"
run lint_copy
is "$rc" 1 "lint-lib fails when a family includes another family's header"
like "$errout" "lib/etl/follow.c:[0-9]+: family 'etl' includes another family's header \"ask/prompt.h\"" \
	"lint-lib names the file, the line and the header"
mv "$T/lint/follow.c" "$T/lint/lib/etl/follow.c"
printf 'int dw_bad(void);\nint dw_bad(void) { return 0; }\n' >"$T/lint/lib/etl/xx.c"
"${CC:-cc}" -c -o "$T/lint/obj/etl/xx.o" "$T/lint/lib/etl/xx.c"
run lint_copy
is "$rc" 1 "lint-lib fails when a file exports a name without its prefix"
like "$errout" "lib/etl/xx.c: exports 'dw_bad', which does not start with 'dw_xx_'" \
	"lint-lib names the file and the symbol"
rm "$T/lint/lib/etl/xx.c" "$T/lint/obj/etl/xx.o"
printf 'int dw_xb_f(void);\nint dw_xa_f(void) { return dw_xb_f(); }\n' >"$T/lint/lib/etl/xa.c"
printf 'int dw_xa_f(void);\nint dw_xb_f(void) { return dw_xa_f() + 1; }\n' >"$T/lint/lib/etl/xb.c"
"${CC:-cc}" -c -o "$T/lint/obj/etl/xa.o" "$T/lint/lib/etl/xa.c"
"${CC:-cc}" -c -o "$T/lint/obj/etl/xb.o" "$T/lint/lib/etl/xb.c"
run lint_copy
is "$rc" 1 "lint-lib fails when calls go around a loop"
like "$errout" "calls go around a loop.*lib/etl/xa.c.*lib/etl/xb.c" "lint-lib names the files of the loop"
rm "$T/lint/lib/etl/xa.c" "$T/lint/lib/etl/xb.c" "$T/lint/obj/etl/xa.o" "$T/lint/obj/etl/xb.o"
cp "$T/lint/lib/etl/follow.c" "$T/lint/follow.c"
printf '/* printf(\"x\") in a comment is fine */\nstatic void zz(void) { puts("x"); }\n' >>"$T/lint/lib/etl/follow.c"
run lint_copy
is "$rc" 1 "lint-lib fails when lib/ prints other than through the log module"
like "$errout" "lib/etl/follow.c:[0-9]+:.*puts" "lint-lib names the file and line that prints"
ok "! printf %s \"$errout\" | grep -q printf" "lint-lib does not count words in comments"
mv "$T/lint/follow.c" "$T/lint/lib/etl/follow.c"

# The demo on its own servers under a temporary run directory.
DW_DEMO_DIR=$T/demo run sh "$DW_TOP/t/lib/demo"
is "$rc" 0 "the demo exits 0"
like "$out" "orders +\| +25000" "the demo prints the OLTP row counts"
like "$out" "order_line +[0-9]+ +0 +0 +0" "the demo's import inserts every line"
like "$out" "subcategory +profit" "the demo asks dw-ask a question and prints the answer"
like "$out" "sales by market" "the demo draws a dw-ask chart"
like "$out" "GRANT SELECT ON \`dwdemo\`\.\`fact_sales\` TO \`dw_ask\`@\`localhost\`" \
	"the demo makes dw-ask's reader with etc/dw-ask-reader.sql"
ok 'grep -q "^  user: dw_ask" "$T/demo/dw.yaml"' "the demo's dw-ask reads as that reader"
DW_DEMO_DIR=$T/demo run sh "$DW_TOP/t/lib/demo"
is "$rc" 0 "a second demo run reuses the servers and exits 0"
sh "$DW_TOP/t/lib/dwservers" stop "$T/demo"
ok "! sh '$DW_TOP/t/lib/dwservers' status '$T/demo'" "the demo servers stop"
