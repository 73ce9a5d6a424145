#!/bin/sh
# The Makefile's install, lint and demo targets.
. "${0%/*}/lib/test.sh"
plan 11

run make -s -C "$DW_TOP" install DESTDIR="$T/inst" PREFIX=/usr
is "$rc" 0 "make install exits 0"
for f in bin/dw-etl bin/dw-ask share/man/man1/dw-etl.1 share/man/man1/dw-ask.1 \
	share/man/man5/dw.yaml.5 share/man/man5/dw-knowledge.5 share/man/man7/dw.7 \
	share/dw/sql/oltp/001_schema.sql share/dw/sql/dw/001_schema.sql share/dw/sql/dw/002_audit.sql \
	share/dw/etc/dw.yaml.sample share/dw/ask/superstore.yaml; do
	[ -f "$T/inst/usr/$f" ] || missing="${missing:-} $f"
done
is "${missing:-}" "" "make install puts binaries, man pages, sql and samples under DESTDIR"
run "$T/inst/usr/bin/dw-etl" --version
is "$rc" 0 "the installed binary runs"

run make -s -C "$DW_TOP" lint
is "$rc$out$errout" 0 "make lint: every man page is mandoc -Tlint clean"

# The demo on its own servers under a temporary run directory.
DW_DEMO_DIR=$T/demo run sh "$DW_TOP/t/lib/demo"
is "$rc" 0 "the demo exits 0"
like "$out" "orders +\| +25000" "the demo prints the OLTP row counts"
like "$out" "order_line +[0-9]+ +0 +0 +0" "the demo's import inserts every line"
like "$out" "subcategory +profit" "the demo asks dw-ask a question and prints the answer"
like "$out" "sales by market" "the demo draws a dw-ask chart"
DW_DEMO_DIR=$T/demo run sh "$DW_TOP/t/lib/demo"
is "$rc" 0 "a second demo run reuses the servers and exits 0"
sh "$DW_TOP/t/lib/dwservers" stop "$T/demo"
ok "! sh '$DW_TOP/t/lib/dwservers' status '$T/demo'" "the demo servers stop"
