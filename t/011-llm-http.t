#!/bin/sh
# lib/llm.h and lib/http.h over real HTTP: runs the cmocka binary
# t/it/test_llm_http.c (built by `make integration` into $(BUILD)/t/it)
# against t/lib/fakellm, a loopback server speaking the ollama, openai,
# gemini and anthropic APIs.
. "${0%/*}/lib/test.sh"
plan 1

bin=${DW_IT_BIN:-$DW_TOP/build/t/it}/test_llm_http
if [ -x "$bin" ]; then
	env -u DW_IT_FILTER -u http_proxy -u https_proxy -u HTTPS_PROXY -u ALL_PROXY -u all_proxy \
		DW_IT_FAKELLM="$DW_TOP/t/lib/fakellm" DW_IT_TMP="$T" "$bin" >"$T/log" 2>&1
	rc=$?
else
	echo "$bin not found: run make integration" >"$T/log"
	rc=127
fi
is "$rc" 0 "lib/llm over HTTP against fakellm (test_llm_http exits 0)"
sed 's/^/# /' "$T/log"
