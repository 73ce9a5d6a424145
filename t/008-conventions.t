#!/bin/sh
# The conventions every tool shares (DESIGN.md sections 2 and 4, dw(7)),
# checked on each dw-* of $DW_BIN: --help on stdout and exit 0, --version,
# an unknown option exits 64 with a hint, a missing -c file exits 78, and
# the options of --help are exactly those of the man page's SYNOPSIS and
# OPTIONS.
. "${0%/*}/lib/test.sh"

TOOLS=$(cd "$DW_BIN" && for f in dw-*; do
	case $f in *.*) ;; *) [ -x "$f" ] && echo "$f" ;; esac
done)
PER_TOOL=13
plan $(($(printf '%s\n' $TOOLS | wc -l) * PER_TOOL))

# The options in a --help text, one a line: --name, and -x for short ones.
help_opts() {
	printf '%s\n' "$1" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
	printf '%s\n' "$1" | grep -oE -- '(^|[^A-Za-z0-9-])-[A-Za-z]\b' | sed 's/.*-/-/' | sort -u
}

# The options of a man page's SYNOPSIS and OPTIONS sections, in the same
# form: "Fl \-name" is --name, "Fl xy" is -x and -y.
man_opts() {
	awk '/^\.Sh /{ keep = ($2 == "SYNOPSIS" || $2 == "OPTIONS") } keep' "$1" |
		grep -oE 'Fl +(\\-[a-z][a-z0-9-]*|[A-Za-z]+)' | sed 's/^Fl *//' |
		while read -r o; do
			case $o in
			\\-*) echo "-${o#\\}" ;;
			*) printf '%s\n' "$o" | sed 's/./-&\n/g' | grep . ;;
			esac
		done | sort -u
}

# The first command listed by --help, for a tool with commands.
first_command() {
	printf '%s\n' "$1" | sed -n '/^commands:/{n;p;q;}' | awk '{ print $1 }'
}

for tool in $TOOLS; do
	bin=$DW_BIN/$tool
	page=$DW_TOP/man/$tool.1

	run "$bin" --help
	help=$out
	is "$rc" 0 "$tool --help exits 0"
	like "$out" "^usage: $tool " "$tool --help prints its usage on stdout"
	is "$errout" "" "$tool --help prints nothing on stderr"
	help_opts "$help" >"$T/help.opts"
	if [ -f "$page" ]; then man_opts "$page" >"$T/man.opts"; else : >"$T/man.opts"; fi
	is "$(comm -23 "$T/help.opts" "$T/man.opts" | tr '\n' ' ')" "" \
		"every option $tool --help prints is in the SYNOPSIS or OPTIONS of $tool.1"
	is "$(comm -13 "$T/help.opts" "$T/man.opts" | tr '\n' ' ')" "" \
		"every option in the SYNOPSIS and OPTIONS of $tool.1 is in $tool --help"

	run "$bin" --version
	is "$rc" 0 "$tool --version exits 0"
	like "$out" "^$tool [0-9]+\.[0-9]+\.[0-9]+$" "$tool --version prints '$tool VERSION'"
	is "$errout" "" "$tool --version prints nothing on stderr"

	run "$bin" --no-such-option </dev/null
	is "$rc" 64 "$tool with an unknown option exits 64"
	like "$errout" "^$tool: error: unknown option '--no-such-option'" "$tool names the unknown option"
	like "$errout" "hint: see '$tool --help'" "$tool points at --help"

	# A tool with commands: its first, which reads the configuration.
	cmd=$(first_command "$help")
	run "$bin" -c /nonexistent/dw.yaml $cmd </dev/null
	is "$rc" 78 "$tool -c with a missing file exits 78${cmd:+ ($cmd)}"
	like "$errout" "^$tool: error: .*'/nonexistent/dw\.yaml'" "$tool names the missing file"
done
