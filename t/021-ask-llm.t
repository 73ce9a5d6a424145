#!/bin/sh
# dw-ask with language model engines, against a synced warehouse and
# t/lib/fakellm (a loopback server speaking the ollama, openai, gemini and
# anthropic APIs): each provider's request and answer, what the prompt holds
# and never holds, bare and fenced SQL, corrections sent back, HTTP errors
# and retries, timeouts and unreachable endpoints moving on to the next
# engine, unsafe SQL refused with nothing changed, the statement time limit,
# the schema cache and its invalidation, unknown engines.
. "${0%/*}/lib/test.sh"
plan 137

# The fake answers on loopback: no proxy in between.
unset http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy

newdb
cd "$T" || exit 1
loaddb 2000 sync

# The reader made by etc/dw-ask-reader.sql, for this database.
READER=rd_$$
sed -e "s/\`dw\`/\`$DB\`/g" -e "s/'dw_ask'@'localhost'/'$READER'@'%'/g" \
	"$DW_TOP/etc/dw-ask-reader.sql" |
	mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot "$DB" || exit 1
myq "ALTER USER '$READER'@'%' IDENTIFIED BY 'pw-$$' ACCOUNT UNLOCK"
export DW_T021_READER_PW=pw-$$

KB=$DW_TOP/etc/ask/superstore.yaml
cp "$CONF" "$T/base.yaml"
cat >>"$T/base.yaml" <<YAML
ask:
  knowledge: $KB
  cache_dir: $T/cache
  user: $READER
  password_env: DW_T021_READER_PW
YAML
for p in ollama openai gemini anthropic; do
	eval "export DW_T021_KEY_$p=key-$p-$$"
done

# write_conf PORT [OLLAMA_PORT [OLLAMA_TIMEOUT]]: every provider at
# fakellm's PORT, ollama possibly elsewhere and with another time limit.
write_conf() {
	{
		cat "$T/base.yaml"
		for _p in ollama openai gemini anthropic; do
			_port=$1 _timeout=${TIMEOUT:-2s} _remote=true
			if [ "$_p" = ollama ]; then
				_port=${2:-$1} _timeout=${3:-$_timeout} _remote=false
			fi
			cat <<YAML
$_p:
  url: http://127.0.0.1:$_port
  model: fake-$_p
  timeout: $_timeout
  connect_timeout: 1s
  retries: 1
  backoff: 10ms
  remote: $_remote
  api_key_env: DW_T021_KEY_$_p
YAML
		done
	} >"$CONF"
}

# fake NAME LINE...: starts fakellm in the background with these script
# lines, waits for its port; sets PORT. Its requests go to $T/NAME.log.
FAKES=""
fake() {
	_name=$1
	shift
	printf '%s\n' "$@" >"$T/$_name.script"
	perl "$DW_TOP/t/lib/fakellm" --port-file "$T/$_name.port" --script "$T/$_name.script" \
		--log "$T/$_name.log" 2>>"$T/fakellm.err" &
	eval "PID_$_name=$!"
	FAKES="$FAKES $!"
	_i=0
	until [ -s "$T/$_name.port" ]; do
		_i=$((_i + 1))
		if [ $_i -gt 200 ]; then
			echo "Bail out! fakellm did not start: $(cat "$T/fakellm.err")"
			exit 1
		fi
		sleep 0.05
	done
	PORT=$(cat "$T/$_name.port")
	: >>"$T/$_name.log"
}
unfake() {
	eval "_pid=\$PID_$1"
	kill "$_pid" 2>/dev/null
	wait "$_pid" 2>/dev/null
}

cleanup() {
	for _pid in $FAKES; do kill "$_pid" 2>/dev/null; done
	mariadb --no-defaults --socket="$DW_TEST_MYSOCK" -uroot \
		-e "DROP USER IF EXISTS '$READER'@'%'" 2>/dev/null
	rm -f "/tmp/dw-pwn-$$"
	_finish
}
trap cleanup EXIT

# req NAME N WHAT: request N of fakellm NAME: its path, a header (h:NAME),
# the system prompt (system), the conversation after it (conv), its roles
# (roles), its message K (msg:K), the last user message (lastuser);
# "req NAME 0 count" is the number of requests.
req() {
	perl -MJSON::PP -e '
		my ($log, $n, $what) = @ARGV;
		binmode STDOUT, ":encoding(UTF-8)";
		open my $fh, "<", $log or die "$log: $!\n";
		my @r = map { decode_json($_) } <$fh>;
		if ($what eq "count") { print scalar @r; exit }
		my $r = $r[$n - 1] or exit;
		my $b = ref $r->{body} ? $r->{body} : {};
		my @conv = map { [$_->{role}, $_->{content}] } grep { $_->{role} ne "system" }
			@{ $b->{messages} || [] };
		push @conv, map { [$_->{role}, $_->{parts}[0]{text}] } @{ $b->{contents} || [] };
		if ($what eq "path") { print $r->{path} }
		elsif ($what =~ /^h:(.+)/) { print $r->{headers}{$1} // "" }
		elsif ($what eq "system") {
			print $b->{system} // "", $b->{systemInstruction}{parts}[0]{text} // "",
				map { $_->{content} } grep { $_->{role} eq "system" } @{ $b->{messages} || [] };
		}
		elsif ($what eq "conv") { print map { "$_->[0]: $_->[1]\n" } @conv }
		elsif ($what eq "roles") { print join " ", map { $_->[0] } @conv }
		elsif ($what =~ /^msg:(\d+)/) { print $conv[$1 - 1][1] // "" }
		elsif ($what eq "lastuser") {
			my @u = grep { $_->[0] eq "user" } @conv;
			print $u[-1][1] if @u;
		}' "$T/$1.log" "$2" "$3"
}

# has_all TEXT STRING...: TEXT holds every STRING; has_any: at least one.
has_all() {
	_text=$1
	shift
	for _s in "$@"; do printf '%s' "$_text" | grep -Fq -- "$_s" || return 1; done
}
has_any() {
	_text=$1
	shift
	for _s in "$@"; do printf '%s' "$_text" | grep -Fq -- "$_s" && return 0; done
	return 1
}

ask() { run "$DW_BIN/dw-ask" -c "$CONF" "$@"; }
# A script line answering SQL in a ```sql block.
fenced() { printf 'answer ```sql\\n%s\\n```' "$1"; }
# The tsv answer the warehouse gives for SQL, under a header line.
expect_rows() { printf '%s\n%s' "$1" "$(myq "$2")"; }

Q='what is the median order size'
SQL_CAT='SELECT category, SUM(sales) AS sales FROM fact_sales JOIN dim_product USING (product_key) GROUP BY category ORDER BY category LIMIT 1000'
ROWS_CAT=$(expect_rows "category	sales" "$SQL_CAT")
SQL_N='SELECT COUNT(*) AS n FROM fact_sales'
ROWS_N=$(expect_rows n "$SQL_N")

# ---- 1. each provider answers what the offline engine declines ----

fake prov "$(fenced "$SQL_CAT")"
write_conf "$PORT"
for p in ollama openai gemini anthropic; do
	case $p in
	ollama) path=/api/chat header=authorization key="Bearer key-$p-$$" ;;
	openai) path=/v1/chat/completions header=authorization key="Bearer key-$p-$$" ;;
	gemini) path=/v1beta/models/fake-gemini:generateContent header=x-goog-api-key key=key-$p-$$ ;;
	anthropic) path=/v1/messages header=x-api-key key=key-$p-$$ ;;
	esac
	before=$(req prov 0 count)
	ask -e "semantic,$p" --explain "$Q"
	n=$((before + 1))
	is "$rc" 0 "$p: exit 0"
	is "$out" "$ROWS_CAT" "$p: the rows are those of the model's SQL"
	like "$errout" "^engine: $p\$" "$p: --explain names the engine"
	like "$errout" "semantic: declined: 'median' is not understood" "$p: --explain lists the offline engine's decline"
	is "$(req prov 0 count) $(req prov $n path)" "$n $path" "$p: one request, to $path"
	is "$(req prov $n "h:$header")" "$key" "$p: the API key in $header"
	sys=$(req prov $n system)
	ok 'has_all "$sys" "- fact_sales:" "- dim_customer:" "  - shipping_cost decimal" "  - order_date_key int"' \
		"$p: the prompt holds the live schema"
	ex=$(printf '%s\n' "$errout" | sed -n 's/^example: //p' | head -1)
	ok '[ -n "$ex" ] && grep -Fxq -- "  - question: $ex" "$KB" &&
		printf "%s" "$sys" | grep -Fxq -- "Q: $ex"' \
		"$p: the prompt holds a curated example of the knowledge file ($ex)"
	is "$(req prov $n conv)" "user: $Q" "$p: the conversation is the question"
done
unfake prov
is "$(myq "SELECT GROUP_CONCAT(CONCAT_WS(' ', outcome, engine, row_count, sql_text) ORDER BY event_id SEPARATOR '|')
	FROM dw_audit_event WHERE question = '$Q' AND action = 'question'")" \
	"answered ollama 3 $SQL_CAT|answered openai 3 $SQL_CAT|answered gemini 3 $SQL_CAT|answered anthropic 3 $SQL_CAT" \
	"the audit trail records each answer, its engine and the model's SQL"

# ---- 1b. a remote engine's SQL runs only on a reader ----

fake acct "$(fenced "$SQL_N")"
write_conf "$PORT"
ask -e openai "$Q"
is "$rc:$out" "0:$ROWS_N" "the reader of dw-ask-reader.sql: a remote engine answers"
grep -v -e "^  user: $READER\$" -e '^  password_env: DW_T021_READER_PW$' "$CONF" >"$T/root.yaml"
chmod 600 "$T/root.yaml"
run "$DW_BIN/dw-ask" -c "$T/root.yaml" -e openai "$Q"
is "$rc" 77 "reading as root: a remote engine is refused, exit 77"
like "$errout" "engine 'openai' is remote and the account 'root' may do more than read the model's tables" \
	"reading as root: the error says why"
like "$errout" "detail: it holds (GRANT OPTION|ALL PRIVILEGES) ON \*\.\*" "reading as root: the grant is named"
like "$errout" "hint: remove it \(REVOKE (GRANT OPTION|ALL PRIVILEGES) ON \*\.\* FROM \`root\`@" \
	"reading as root: the hint names the REVOKE"
is "$(req acct 0 count)" 1 "reading as root: the remote engine is not even asked"
run "$DW_BIN/dw-ask" -c "$T/root.yaml" -e openai --unsafe-account "$Q"
is "$rc:$out" "0:$ROWS_N" "reading as root with --unsafe-account: answered"
run "$DW_BIN/dw-ask" -c "$T/root.yaml" -e ollama "$Q"
is "$rc:$out" "0:$ROWS_N" "reading as root: a local engine answers"
myq "GRANT INSERT ON $DB.dw_audit_event TO '$READER'@'%'"
ask -e openai "$Q"
is "$rc" 77 "a reader that can also write the audit trail: refused, exit 77"
like "$errout" "REVOKE INSERT ON \`$DB\`\.\`dw_audit_event\` FROM \`$READER\`@\`%\`" \
	"a reader that can write: the REVOKE to run"
myq "REVOKE INSERT ON $DB.dw_audit_event FROM '$READER'@'%'; GRANT SELECT ON $DB.* TO '$READER'@'%'"
ask -e openai "$Q"
is "$rc" 77 "a reader of the whole database, dw_ tables too: refused, exit 77"
like "$errout" "it holds SELECT ON \`$DB\`\.\*" "a reader of the whole database: the grant is named"
myq "REVOKE SELECT ON $DB.* FROM '$READER'@'%'"
ask -e openai "$Q"
is "$rc:$(req acct 0 count)" "0:4" "the grant removed: answered again"
unfake acct

# ---- 2. no personal data and no row data in requests ----

# 20 customers' names and ids, and 20 order ids and product names, none of
# which the knowledge file mentions by chance.
myq "SELECT customer_name FROM dim_customer ORDER BY customer_key LIMIT 20;
     SELECT customer_id FROM dim_customer ORDER BY customer_key LIMIT 20" |
	while IFS= read -r v; do grep -Fq -- "$v" "$KB" || printf '%s\n' "$v"; done >"$T/pii"
myq "SELECT DISTINCT order_id FROM fact_sales ORDER BY order_id LIMIT 20;
     SELECT product_name FROM dim_product ORDER BY product_key LIMIT 20" |
	while IFS= read -r v; do grep -Fq -- "$v" "$KB" || printf '%s\n' "$v"; done >"$T/rowdata"
ok '[ "$(wc -l <"$T/pii")" -ge 36 ] && [ "$(wc -l <"$T/rowdata")" -ge 36 ]' \
	"at least 36 customer names and ids, and 36 order ids and product names to look for"
MARKET=$(myq "SELECT market FROM dim_location WHERE market = 'EMEA' LIMIT 1")
is "$MARKET" EMEA "the data has the market EMEA"

fake pii "$(fenced "$SQL_N")"
write_conf "$PORT"
ask -e semantic,openai "$Q for each customer"
is "$rc" 0 "default settings: answered"
ok '! grep -Fq -f "$T/pii" "$T/pii.log"' "default settings: no customer name or id in the requests"
ok '! grep -Fq -f "$T/rowdata" "$T/pii.log"' "default settings: no order id or product name in the requests"
sys=$(req pii 1 system)
ok '! has_any "$sys" "Known values" "'\''EMEA'\''" "'\''Furniture'\''"' \
	"default settings: no dimension values in the prompt"

ask -e semantic,openai --set ask.prompt_values=true "$Q for each customer"
is "$rc" 0 "ask.prompt_values=true: answered"
sys=$(req pii 2 system)
known=$(printf '%s\n' "$sys" | sed -n '/^Known values:$/,$p')
like "$known" "^- market: .*'EMEA'" "ask.prompt_values=true: the market values are in the prompt"
like "$known" "^- category: .*'Furniture'" "ask.prompt_values=true: the category values are in the prompt"
ok '! grep -Fq -f "$T/pii" "$T/pii.log"' "ask.prompt_values=true: still no customer name or id in the requests"
ok '! grep -Fq -f "$T/rowdata" "$T/pii.log"' "ask.prompt_values=true: still no order id or product name"
ok '! printf "%s" "$known" | grep -Eq "^- (customer|product): "' \
	"ask.prompt_values=true: no values of the customer and product dimensions"
unfake pii

# ---- 3. a bare query among prose ----

fake bare 'answer Here is the query:\n\nSELECT COUNT(*) AS n\nFROM fact_sales\n\nThis counts the order lines.'
write_conf "$PORT"
ask -e openai --explain "$Q"
is "$rc" 0 "an unfenced query: exit 0"
is "$out" "$ROWS_N" "an unfenced query: its rows, without the prose"
ok 'printf "%s" "$errout" | grep -qx "sql: SELECT COUNT(\*) AS n" && ! has_any "$errout" "Here is" "This counts"' \
	"an unfenced query: --explain shows the SQL taken, without the prose"
unfake bare

# ---- 4. a refused query, then a corrected one ----

fake fix 'answer SELECT nosuchcol FROM fact_sales' "$(fenced "$SQL_CAT")"
write_conf "$PORT"
ask -e semantic,openai "$Q"
is "$rc" 0 "refused then corrected: exit 0"
is "$out" "$ROWS_CAT" "refused then corrected: the rows of the corrected query"
is "$(req fix 0 count)" 2 "refused then corrected: two requests"
fix=$(req fix 2 lastuser)
like "$fix" "unknown column 'nosuchcol'" "the second request sends the validator's error"
like "$fix" "SELECT nosuchcol FROM fact_sales" "and the refused SQL"
is "$(req fix 2 roles)" "user assistant user" "the second request: the question, the answer, the correction asked"
is "$(req fix 2 msg:2)" "SELECT nosuchcol FROM fact_sales" "the model's first answer is in the conversation"
unfake fix

fake fix0 'answer SELECT nosuchcol FROM fact_sales' "$(fenced "$SQL_CAT")"
write_conf "$PORT"
ask -e openai --set ask.reprompts=0 "$Q"
is "$rc" 65 "ask.reprompts=0: the refused query is final, exit 65"
like "$errout" "unknown column 'nosuchcol'" "ask.reprompts=0: the error says why"
is "$(req fix0 0 count)" 1 "ask.reprompts=0: one request"
unfake fix0

# A query the validator passes but the warehouse rejects is sent back too.
fake rej "$(fenced 'SELECT (SELECT order_id FROM fact_sales) AS o')" "$(fenced "$SQL_N")"
write_conf "$PORT"
ask -e openai "$Q"
is "$rc:$out" "0:$ROWS_N" "rejected by the warehouse then corrected: the corrected rows"
is "$(myq "SELECT GROUP_CONCAT(CONCAT_WS(' ', action, outcome) ORDER BY event_id SEPARATOR '|')
	FROM (SELECT * FROM dw_audit_event ORDER BY event_id DESC LIMIT 3) AS e")" \
	"query started|query started|question answered" \
	"both queries that ran, the rejected one too, are audited before they ran"
rej=$(req rej 2 lastuser)
like "$rej" "a subquery returned more than one row \(MariaDB error 1242\)" \
	"a remote model is sent the kind of the warehouse's error"
ok '! has_any "$rej" "Subquery returns"' "a remote model is not sent the server's text"
unfake rej
fake rejl "$(fenced 'SELECT (SELECT order_id FROM fact_sales) AS o')" "$(fenced "$SQL_N")"
write_conf "$PORT"
ask -e ollama "$Q"
is "$rc" 0 "rejected then corrected by a local model"
like "$(req rejl 2 lastuser)" "Subquery returns more than 1 row" "a local model is sent the server's text"
unfake rejl

# A server error can hold row data: a remote model never receives it.
NAME1=$(myq "SELECT customer_name FROM dim_customer ORDER BY customer_key LIMIT 1")
fake leak "$(fenced 'SELECT EXTRACTVALUE(1, CONCAT(0x7e, (SELECT customer_name FROM dim_customer ORDER BY customer_key LIMIT 1))) AS x')" \
	"$(fenced "$SQL_N")"
write_conf "$PORT"
ask -e openai "$Q"
is "$rc:$out" "0:$ROWS_N" "an error holding a customer name, then corrected: the corrected rows"
is "$(req leak 0 count)" 2 "an error holding a customer name: sent back once"
ok '[ -n "$NAME1" ] && ! grep -Fq -- "$NAME1" "$T/leak.log"' \
	"the customer name in the warehouse's error is not in any request"
# The warehouse's class of error, or the check's refusal of EXTRACTVALUE.
ok 'has_any "$(req leak 2 lastuser)" "(MariaDB error 1105)" "EXTRACTVALUE" "extractvalue"' \
	"the correction asked says what went wrong"
unfake leak

# A query that is not UTF-8 is refused before it runs, and sent back.
fake utf "answer SELECT COUNT(*) AS n FROM fact_sales WHERE 'x' <> 'caf\\xE9'" "$(fenced "$SQL_N")"
write_conf "$PORT"
n0=$(myq "SELECT COALESCE(MAX(event_id), 0) FROM dw_audit_event")
ask -e openai "$Q"
is "$rc:$out" "0:$ROWS_N" "a query with a byte that is not UTF-8, then corrected: the corrected rows"
like "$(req utf 2 lastuser)" "the query is not valid UTF-8 \(byte 55\)" "the reason is sent back"
is "$(myq "SELECT GROUP_CONCAT(CONCAT_WS(' ', action, outcome, sql_text) ORDER BY event_id SEPARATOR '|')
	FROM dw_audit_event WHERE event_id > $n0")" "query started $SQL_N|question answered $SQL_N" \
	"only the corrected query ran, audited before it ran"
unfake utf

# ---- the byte cap ----

# 50 values of 4 MB: 200 MB held without the cap, 4 rows and a notice with it.
fake big "$(fenced "SELECT REPEAT('x', 4000000) AS big FROM fact_sales LIMIT 50")"
write_conf "$PORT"
run /usr/bin/time -f '%M' -o "$T/rss" "$DW_BIN/dw-ask" -c "$CONF" -e openai -F tsv \
	--set ask.byte_limit=16777216 "$Q"
is "$rc" 0 "an answer over ask.byte_limit: exit 0"
is "$(printf '%s\n' "$out" | sed 1d | grep -c '^x*$')" 4 "ask.byte_limit of 16 MiB: the 4 rows of 4 MB that fit"
like "$errout" "notice: 4 rows shown; the answer has more: see ask.byte_limit" "ask.byte_limit: a notice"
rss=$(tail -n 1 "$T/rss")
ok '[ "$rss" -lt 100000 ]' "ask.byte_limit: dw-ask stays under 100 MB of memory (${rss} kB)"
unfake big

# ---- 5. HTTP errors and retries ----

fake h429 'status 429' "$(fenced "$SQL_N")"
write_conf "$PORT"
ask -e semantic,openai "$Q"
is "$rc:$out" "0:$ROWS_N" "429 then an answer (retries: 1): answered"
is "$(req h429 0 count)" 2 "429 then an answer: two requests"
unfake h429

fake h500 'status 500'
write_conf "$PORT"
ask -e semantic,openai "$Q"
is "$rc" 75 "500 beyond the retries: exit 75"
is "$(req h500 0 count)" 2 "500: asked once and retried once"
like "$errout" "500" "500: the error names the status"
unfake h500

fake h401 'status 401'
write_conf "$PORT"
ask -e semantic,gemini "$Q"
is "$rc" 77 "401: exit 77"
is "$(req h401 0 count)" 1 "401: not retried"
unfake h401

# ---- 6. timeouts and unreachable endpoints move on to the next engine ----

fake slow 'sleep 5' "$(fenced 'SELECT 1 AS wrong')"
SLOW=$PORT
fake quick "$(fenced "$SQL_N")"
write_conf "$PORT" "$SLOW" 1s
ask -e ollama,openai --explain "$Q"
is "$rc" 0 "ollama times out, openai answers: exit 0"
is "$out" "$ROWS_N" "the rows are openai's"
like "$errout" "^engine: openai\$" "--explain says openai answered"
like "$errout" "^ollama: unavailable: .*timed out" "--explain says ollama timed out"
unfake slow
unfake quick

fake slow2 'sleep 5'
TIMEOUT=1s
write_conf "$PORT"
TIMEOUT=
ask -e ollama,openai "$Q"
is "$rc" 69 "every engine times out: exit 69"
like "$errout" "engine 'openai': timed out" "the error is the last engine's"
unfake slow2

CLOSED=$(perl -MIO::Socket::INET -e \
	'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0)->sockport')
fake up "$(fenced "$SQL_N")"
write_conf "$PORT" "$CLOSED"
ask -e ollama,openai --explain "$Q"
is "$rc:$out" "0:$ROWS_N" "ollama refuses the connection, openai answers"
like "$errout" "ollama: unavailable" "--explain says ollama could not be reached"
ask -e ollama "$Q"
is "$rc" 69 "a refused connection alone: exit 69"
like "$errout" "cannot reach 'http://127.0.0.1:$CLOSED/api/chat'" "a refused connection: the error says so"
unfake up

# ---- 7. unsafe SQL is refused and changes nothing ----

state() {
	myq "CHECKSUM TABLE fact_sales, dim_customer, dim_product, dim_location, dim_date, fact_return"
	myq "SHOW FULL TABLES"
}
state >"$T/state.before"
ok 'grep -q "fact_sales	[0-9]" "$T/state.before"' "checksums read before"
i=0
: >"$T/unsafe.audit"
for sql in 'DROP TABLE fact_sales' 'SELECT 1; DROP TABLE fact_sales' \
	"SELECT * FROM fact_sales INTO OUTFILE '/tmp/dw-pwn-$$'" "SELECT LOAD_FILE('/etc/passwd')" \
	'SELECT SLEEP(5)' '/*!50000 DROP TABLE fact_sales */' 'UPDATE fact_sales SET sales = 0'; do
	i=$((i + 1))
	fake "unsafe$i" "$(fenced "$sql")"
	write_conf "$PORT"
	ask -e openai "unsafe answer $i"
	is "$rc $(req "unsafe$i" 0 count)" "65 3" "refused every time (3 requests), exit 65: $sql"
	unfake "unsafe$i"
	printf 'refused %s\n' "$sql" >>"$T/unsafe.audit"
done
# Not fenced: the statement after the ';' is kept, so it is refused too.
i=$((i + 1))
fake "unsafe$i" "answer SELECT 1 AS one; DROP TABLE fact_sales"
write_conf "$PORT"
ask -e openai "unsafe answer $i"
is "$rc $(req "unsafe$i" 0 count)" "65 3" "refused every time, exit 65: a bare stacked statement"
unfake "unsafe$i"
printf 'refused %s\n' "SELECT 1 AS one; DROP TABLE fact_sales" >>"$T/unsafe.audit"
state >"$T/state.after"
ok 'cmp -s "$T/state.before" "$T/state.after"' "the tables and their checksums are unchanged"
ok '[ ! -e "/tmp/dw-pwn-$$" ]' "no OUTFILE was written"
is "$(myq "SELECT CONCAT_WS(' ', outcome, sql_text) FROM dw_audit_event
	WHERE question LIKE 'unsafe answer %' ORDER BY event_id")" "$(cat "$T/unsafe.audit")" \
	"the audit trail records each as refused, with the model's SQL"

# ---- 8. the statement time limit ----

fake long "$(fenced 'SELECT COUNT(*) FROM fact_sales a, fact_sales b, fact_sales c')"
write_conf "$PORT"
ask -e openai --set ask.statement_timeout=200ms "$Q"
is "$rc" 75 "a query longer than ask.statement_timeout: exit 75"
like "$errout" "ask\.statement_timeout" "the error names ask.statement_timeout"
is "$(req long 0 count)" 1 "a timed-out query is not sent back to the model"
is "$(myq "SELECT COUNT(*) FROM information_schema.processlist
	WHERE info LIKE CONCAT('%fact_sales a', ', fact_sales b%')")" 0 "the query does not run on"
unfake long

# ---- 9. the schema cache, and its invalidation by a schema change ----

CACHE=$T/cache/schema-$DB.tsv
fake brand0 "$(fenced 'SELECT brand FROM dim_product LIMIT 1')"
write_conf "$PORT"
ask -e openai "$Q"
is "$rc" 65 "before the column exists: a query of it is refused, exit 65"
like "$errout" "unknown column 'brand'" "the error says unknown column"
unfake brand0
ok 'grep -q "^dim_product	product_name	" "$CACHE" && ! grep -q brand "$CACHE"' \
	"the schema cache is written under ask.cache_dir"

# A column added to the cache alone shows that the cache is read.
awk '{ print } /^dim_product\tproduct_name\t/ { print "dim_product\tghostcol\tint(11)" }' \
	"$CACHE" >"$T/cache.new" && mv "$T/cache.new" "$CACHE"
fake cached "$(fenced "$SQL_N")"
write_conf "$PORT"
ask -e openai "$Q"
is "$rc" 0 "with the doctored cache: answered"
like "$(req cached 1 system)" "ghostcol int" "an unchanged schema is read from the cache"
unfake cached

myq "ALTER TABLE dim_product ADD COLUMN brand VARCHAR(20) NOT NULL DEFAULT 'acme$$'"
fake brand1 "$(fenced 'SELECT brand FROM dim_product LIMIT 1')"
write_conf "$PORT"
ask -e openai "$Q"
is "$rc:$out" "0:brand
acme$$" "after ALTER TABLE ADD COLUMN: the new column is known and answered"
sys=$(req brand1 1 system)
ok 'printf "%s" "$sys" | grep -q "brand varchar(20)" && ! printf "%s" "$sys" | grep -q ghostcol' \
	"the prompt has the new column and not the stale cache"
ok 'grep -q "^dim_product	brand	" "$CACHE" && ! grep -q ghostcol "$CACHE"' "the cache is rewritten"
unfake brand1
myq "ALTER TABLE dim_product DROP COLUMN brand"
fake brand2 "$(fenced 'SELECT brand FROM dim_product LIMIT 1')"
write_conf "$PORT"
ask -e openai "$Q"
is "$rc" 65 "after DROP COLUMN: the column is unknown again, exit 65"
unfake brand2

# ---- 10. unknown engines ----

ask -e semantic,nosuch "$Q"
is "$rc" 78 "an unknown engine after a decline: exit 78"
like "$errout" "unknown engine 'nosuch'" "the error names it"
ask --engine nosuch "total sales"
is "$rc" 78 "an unknown engine alone: exit 78"
