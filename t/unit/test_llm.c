/* Unit tests for lib/llm.c: provider names, request URLs, headers and JSON
 * bodies for each provider, response and error parsing with real-shaped
 * bodies, and SQL extraction from answers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "http.h"
#include "llm.h"

/* ---- helpers ------------------------------------------------------------ */

static const struct dw_llm_message conversation[] = {
	{ "user", "total sales by \"region\"\nin 2024 – €" },
	{ "assistant", "SELECT prfit FROM fact_sales" },
	{ "user", "unknown column 'prfit'" },
};
#define NCONV (sizeof conversation / sizeof conversation[0])

static struct dw_llm_endpoint endpoint(enum dw_llm_provider p, const char *url, const char *key)
{
	return (struct dw_llm_endpoint){
		.provider = p, .name = "test", .url = url, .model = "m-1", .api_key = key,
		.connect_timeout_ms = 1000, .timeout_ms = 5000, .temperature = 0.25,
	};
}

/* Builds a request that must succeed and returns its body parsed. */
static cJSON *build_ok(const struct dw_llm_endpoint *ep, const char *system,
		       struct dw_llm_request *req)
{
	struct dw_err err = { 0 };
	cJSON *body;

	if (dw_llm_request_build(ep, system, conversation, NCONV, req, &err) != 0)
		fail_msg("build failed: %s", err.msg);
	body = cJSON_Parse(req->body);
	assert_non_null(body);
	return body;
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	assert_true(cJSON_IsString(item));
	return item->valuestring;
}

static double num(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	assert_true(cJSON_IsNumber(item));
	return item->valuedouble;
}

static const cJSON *get(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	assert_non_null(item);
	return item;
}

/* messages[] of ollama/openai/anthropic: roles and contents in order. */
static void assert_chat_messages(const cJSON *messages, const char *system)
{
	size_t first = system ? 1 : 0;

	assert_true(cJSON_IsArray(messages));
	assert_int_equal(cJSON_GetArraySize(messages), (int)(NCONV + first));
	if (system) {
		assert_string_equal(str(cJSON_GetArrayItem(messages, 0), "role"), "system");
		assert_string_equal(str(cJSON_GetArrayItem(messages, 0), "content"), system);
	}
	for (size_t i = 0; i < NCONV; i++) {
		const cJSON *m = cJSON_GetArrayItem(messages, (int)(i + first));

		assert_string_equal(str(m, "role"), conversation[i].role);
		assert_string_equal(str(m, "content"), conversation[i].content);
	}
}

static void assert_url(enum dw_llm_provider p, const char *base, const char *want)
{
	struct dw_llm_endpoint ep = endpoint(p, base, NULL);
	struct dw_llm_request req;
	cJSON *body = build_ok(&ep, "s", &req);

	assert_string_equal(req.url, want);
	cJSON_Delete(body);
	dw_llm_request_release(&req);
}

static void assert_build_fails(const struct dw_llm_endpoint *ep, const struct dw_llm_message *msgs,
			       size_t n, int code, const char *msg_part)
{
	struct dw_err err = { 0 };
	struct dw_llm_request req;

	assert_int_equal(dw_llm_request_build(ep, "s", msgs, n, &req, &err), -1);
	assert_int_equal(err.code, code);
	assert_non_null(strstr(err.msg, msg_part));
	dw_llm_request_release(&req);
}

/* ---- names ---------------------------------------------------------------- */

static void test_provider_names(void **state)
{
	static const char *const names[] = { "ollama", "openai", "gemini", "anthropic" };
	enum dw_llm_provider p;

	for (int i = 0; i < 4; i++) {
		assert_int_equal(dw_llm_provider_parse(names[i], &p), 0);
		assert_int_equal(p, i);
		assert_string_equal(dw_llm_provider_name(p), names[i]);
	}
	assert_int_equal(dw_llm_provider_parse("chatgpt", &p), -1);
	assert_int_equal(dw_llm_provider_parse("OpenAI", &p), -1);
	assert_int_equal(dw_llm_provider_parse("", &p), -1);
}

/* ---- requests ------------------------------------------------------------- */

static void test_request_ollama(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_OLLAMA, "http://127.0.0.1:11434/", NULL);
	struct dw_llm_request req;
	cJSON *body = build_ok(&ep, "you write SQL", &req);

	assert_string_equal(req.url, "http://127.0.0.1:11434/api/chat");
	assert_int_equal(req.nheaders, 0);
	assert_string_equal(str(body, "model"), "m-1");
	assert_true(cJSON_IsFalse(get(body, "stream")));
	assert_float_equal(num(get(body, "options"), "temperature"), 0.25, 1e-9);
	assert_chat_messages(get(body, "messages"), "you write SQL");
	cJSON_Delete(body);
	dw_llm_request_release(&req);
}

static void test_request_ollama_key(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_OLLAMA, "https://ollama.example", "ok-1");
	struct dw_llm_request req;
	cJSON *body = build_ok(&ep, "s", &req);

	assert_int_equal(req.nheaders, 1);
	assert_string_equal(req.headers[0], "Authorization: Bearer ok-1");
	cJSON_Delete(body);
	dw_llm_request_release(&req);
}

static void test_request_openai(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_OPENAI, "https://api.example.com", "sk-test");
	struct dw_llm_request req;
	cJSON *body = build_ok(&ep, "you write SQL", &req);

	assert_string_equal(req.url, "https://api.example.com/v1/chat/completions");
	assert_int_equal(req.nheaders, 1);
	assert_string_equal(req.headers[0], "Authorization: Bearer sk-test");
	assert_string_equal(str(body, "model"), "m-1");
	assert_float_equal(num(body, "temperature"), 0.25, 1e-9);
	assert_chat_messages(get(body, "messages"), "you write SQL");
	cJSON_Delete(body);
	dw_llm_request_release(&req);
}

static void test_request_openai_no_key(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_OPENAI, "http://127.0.0.1:8080", "");
	struct dw_llm_request req;
	cJSON *body = build_ok(&ep, NULL, &req);

	assert_int_equal(req.nheaders, 0);
	assert_chat_messages(get(body, "messages"), NULL);
	cJSON_Delete(body);
	dw_llm_request_release(&req);
}

static void test_request_urls(void **state)
{
	assert_url(DW_LLM_OPENAI, "http://h:8080/v1", "http://h:8080/v1/chat/completions");
	assert_url(DW_LLM_OPENAI, "http://h:8080/v1/", "http://h:8080/v1/chat/completions");
	assert_url(DW_LLM_OPENAI, "http://h:8080/proxy/", "http://h:8080/proxy/v1/chat/completions");
	/* a path ending in "v1" but not the segment "/v1" is not a version */
	assert_url(DW_LLM_OPENAI, "http://h/apiv1", "http://h/apiv1/v1/chat/completions");
	assert_url(DW_LLM_OLLAMA, "http://h:11434", "http://h:11434/api/chat");
	assert_url(DW_LLM_ANTHROPIC, "https://api.anthropic.com", "https://api.anthropic.com/v1/messages");
	assert_url(DW_LLM_ANTHROPIC, "https://h/v1//", "https://h/v1/messages");
	assert_url(DW_LLM_GEMINI, "https://g.example/",
		   "https://g.example/v1beta/models/m-1:generateContent");
	assert_url(DW_LLM_GEMINI, "https://g.example/v1beta",
		   "https://g.example/v1beta/models/m-1:generateContent");
}

static void test_request_gemini(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_GEMINI, "https://generativelanguage.googleapis.com",
					     "AIza-test");
	struct dw_llm_request req;
	const cJSON *contents;
	cJSON *body;

	ep.model = "models/gemini-2.0-flash";
	body = build_ok(&ep, "you write SQL", &req);
	assert_string_equal(req.url, "https://generativelanguage.googleapis.com/v1beta/models/"
			    "gemini-2.0-flash:generateContent");
	assert_int_equal(req.nheaders, 1);
	assert_string_equal(req.headers[0], "x-goog-api-key: AIza-test");
	assert_string_equal(str(cJSON_GetArrayItem(get(get(body, "systemInstruction"), "parts"), 0),
				"text"), "you write SQL");
	contents = get(body, "contents");
	assert_int_equal(cJSON_GetArraySize(contents), NCONV);
	for (size_t i = 0; i < NCONV; i++) {
		const cJSON *c = cJSON_GetArrayItem(contents, (int)i);

		assert_string_equal(str(c, "role"), i == 1 ? "model" : "user");
		assert_int_equal(cJSON_GetArraySize(get(c, "parts")), 1);
		assert_string_equal(str(cJSON_GetArrayItem(get(c, "parts"), 0), "text"),
				    conversation[i].content);
	}
	assert_float_equal(num(get(body, "generationConfig"), "temperature"), 0.25, 1e-9);
	assert_null(cJSON_GetObjectItem(body, "messages"));
	cJSON_Delete(body);
	dw_llm_request_release(&req);
}

static void test_request_gemini_no_system(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_GEMINI, "https://g.example", NULL);
	struct dw_llm_request req;
	cJSON *body = build_ok(&ep, NULL, &req);

	assert_int_equal(req.nheaders, 0);
	assert_null(cJSON_GetObjectItem(body, "systemInstruction"));
	assert_int_equal(cJSON_GetArraySize(get(body, "contents")), NCONV);
	cJSON_Delete(body);
	dw_llm_request_release(&req);
}

static void test_request_gemini_bad_model(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_GEMINI, "https://g.example", NULL);

	ep.model = "../files?x=1";
	assert_build_fails(&ep, conversation, NCONV, DW_EX_CONFIG, "bad model name '../files?x=1'");
}

static void test_request_anthropic(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_ANTHROPIC, "https://api.anthropic.com/",
					     "sk-ant-test");
	struct dw_llm_request req;
	cJSON *body = build_ok(&ep, "you write SQL", &req);

	assert_string_equal(req.url, "https://api.anthropic.com/v1/messages");
	assert_int_equal(req.nheaders, 2);
	assert_string_equal(req.headers[0], "anthropic-version: 2023-06-01");
	assert_string_equal(req.headers[1], "x-api-key: sk-ant-test");
	assert_string_equal(str(body, "model"), "m-1");
	assert_int_equal((int)num(body, "max_tokens"), 1024);
	assert_string_equal(str(body, "system"), "you write SQL");
	assert_float_equal(num(body, "temperature"), 0.25, 1e-9);
	assert_chat_messages(get(body, "messages"), NULL);   /* no system role in messages */
	cJSON_Delete(body);
	dw_llm_request_release(&req);
}

static void test_request_anthropic_no_system(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_ANTHROPIC, "https://a.example", NULL);
	struct dw_llm_request req;
	cJSON *body = build_ok(&ep, NULL, &req);

	assert_int_equal(req.nheaders, 1);
	assert_string_equal(req.headers[0], "anthropic-version: 2023-06-01");
	assert_null(cJSON_GetObjectItem(body, "system"));
	cJSON_Delete(body);
	dw_llm_request_release(&req);
}

static void test_request_errors(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_OPENAI, "http://h", "sk\r\nX-Evil: 1");
	const struct dw_llm_message bad_role[] = { { "system", "x" } };

	assert_build_fails(&ep, conversation, NCONV, DW_EX_CONFIG, "control character");
	ep.api_key = NULL;
	assert_build_fails(&ep, bad_role, 1, DW_EX_SOFTWARE, "bad role 'system'");
	assert_build_fails(&ep, conversation, 0, DW_EX_SOFTWARE, "no message");
	ep.model = "";
	assert_build_fails(&ep, conversation, NCONV, DW_EX_CONFIG, "engine 'test' has no model");
	ep.model = "m";
	ep.url = NULL;
	assert_build_fails(&ep, conversation, NCONV, DW_EX_CONFIG, "engine 'test' has no url");
}

static void test_chat_bad_request(void **state)
{
	struct dw_llm_endpoint ep = endpoint(DW_LLM_OPENAI, "http://127.0.0.1:9", NULL);
	const struct dw_llm_message bad_role[] = { { "tool", "x" } };
	struct dw_llm_stats stats = { .attempts = 7 };
	struct dw_err err = { 0 };
	char *answer = (char *)"untouched";

	/* refused before anything is sent */
	assert_int_equal(dw_llm_chat(&ep, "s", bad_role, 1, &answer, &stats, &err), -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_null(answer);
	assert_int_equal(stats.attempts, 0);
	assert_int_equal(stats.http_status, 0);
}

/* Only http and https: libcurl refuses other schemes before any I/O. */
static void test_http_protocols(void **state)
{
	static const char *const urls[] = {
		"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "dict://127.0.0.1/",
	};

	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		struct dw_http_request req = { .url = urls[i], .body = "{}", .timeout_ms = 1000 };
		struct dw_http_response resp;
		struct dw_err err = { 0 };

		assert_int_equal(dw_http_post_json(&req, &resp, &err), -1);
		assert_int_equal(err.code, DW_EX_CONFIG);
		assert_non_null(strstr(err.msg, urls[i]));
		assert_int_equal(resp.status, 0);
		assert_null(resp.body);
		dw_http_response_release(&resp);
	}
}

/* ---- responses ------------------------------------------------------------ */

static void assert_answer(enum dw_llm_provider p, const char *body, const char *want)
{
	struct dw_llm_endpoint ep = endpoint(p, "http://h", NULL);
	struct dw_err err = { 0 };
	char *answer = NULL;

	if (dw_llm_response_parse(&ep, body, &answer, &err) != 0)
		fail_msg("parse failed: %s: %s", err.msg, err.detail);
	assert_string_equal(answer, want);
	free(answer);
}

static void assert_parse_error(enum dw_llm_provider p, const char *body, const char *msg_part)
{
	struct dw_llm_endpoint ep = endpoint(p, "http://h", NULL);
	struct dw_err err = { 0 };
	char *answer = (char *)"untouched";

	assert_int_equal(dw_llm_response_parse(&ep, body, &answer, &err), -1);
	assert_null(answer);
	assert_int_equal(err.code, DW_EX_UNAVAILABLE);
	if (!strstr(err.msg, msg_part))
		fail_msg("'%s' not in '%s'", msg_part, err.msg);
}

static void test_response_ollama(void **state)
{
	assert_answer(DW_LLM_OLLAMA,
		      "{\"model\":\"llama3.2\",\"created_at\":\"2024-07-22T08:17:24Z\","
		      "\"message\":{\"role\":\"assistant\",\"content\":\"SELECT 1\"},"
		      "\"done\":true,\"done_reason\":\"stop\",\"eval_count\":59}",
		      "SELECT 1");
	assert_parse_error(DW_LLM_OLLAMA, "{\"error\":\"model 'llama9' not found\"}",
			   "model 'llama9' not found");
}

static void test_response_openai(void **state)
{
	assert_answer(DW_LLM_OPENAI,
		      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
		      "\"model\":\"gpt\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
		      "\"assistant\",\"content\":\"```sql\\nSELECT 2\\n```\"},\"finish_reason\":"
		      "\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}",
		      "```sql\nSELECT 2\n```");
	assert_parse_error(DW_LLM_OPENAI,
			   "{\"error\":{\"message\":\"Incorrect API key provided\","
			   "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
			   "Incorrect API key provided");
	/* vLLM's shape */
	assert_parse_error(DW_LLM_OPENAI,
			   "{\"object\":\"error\",\"message\":\"model not served\",\"code\":404}",
			   "model not served");
	assert_parse_error(DW_LLM_OPENAI, "{\"choices\":[]}", "bad response");
	assert_parse_error(DW_LLM_OPENAI,
			   "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null}}]}",
			   "bad response");
}

static void test_response_gemini(void **state)
{
	assert_answer(DW_LLM_GEMINI,
		      "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"thinking...\","
		      "\"thought\":true},{\"text\":\"SELECT \"},{\"text\":\"3\"}],\"role\":\"model\"},"
		      "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":"
		      "{\"promptTokenCount\":4},\"modelVersion\":\"gemini-2.0-flash\"}",
		      "SELECT 3");
	assert_parse_error(DW_LLM_GEMINI,
			   "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass "
			   "a valid API key.\",\"status\":\"INVALID_ARGUMENT\"}}",
			   "API key not valid");
	assert_parse_error(DW_LLM_GEMINI,
			   "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{}}",
			   "blocked the prompt: SAFETY");
	assert_parse_error(DW_LLM_GEMINI,
			   "{\"candidates\":[{\"content\":{\"role\":\"model\"},"
			   "\"finishReason\":\"MAX_TOKENS\"}]}", "bad response");
}

static void test_response_anthropic(void **state)
{
	assert_answer(DW_LLM_ANTHROPIC,
		      "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
		      "\"claude\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\"},"
		      "{\"type\":\"text\",\"text\":\"SELECT 4\"},{\"type\":\"tool_use\","
		      "\"text\":\"ignored\"},{\"type\":\"text\",\"text\":\" -- done\"}],"
		      "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":5}}",
		      "SELECT 4 -- done");
	assert_parse_error(DW_LLM_ANTHROPIC,
			   "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
			   "\"message\":\"Overloaded\"}}", "Overloaded");
	assert_parse_error(DW_LLM_ANTHROPIC,
			   "{\"type\":\"message\",\"content\":[{\"type\":\"tool_use\"}]}",
			   "bad response");
}

static void test_response_malformed(void **state)
{
	for (int p = DW_LLM_OLLAMA; p <= DW_LLM_ANTHROPIC; p++) {
		assert_parse_error((enum dw_llm_provider)p, "{\"message\": {\"content\": \"SELE",
				   "engine 'test': bad response");
		assert_parse_error((enum dw_llm_provider)p, "<html>502 Bad Gateway</html>",
				   "bad response");
		assert_parse_error((enum dw_llm_provider)p, "", "bad response");
		assert_parse_error((enum dw_llm_provider)p, "[1,2]", "bad response");
	}
}

static void test_error_message(void **state)
{
	char *m;

	m = dw_llm_error_message("{\"error\":\"plain\"}");
	assert_string_equal(m, "plain");
	free(m);
	m = dw_llm_error_message("{\"error\":{\"message\":\"nested\",\"type\":\"t\"}}");
	assert_string_equal(m, "nested");
	free(m);
	m = dw_llm_error_message("{\"object\":\"error\",\"message\":\"top\"}");
	assert_string_equal(m, "top");
	free(m);
	assert_null(dw_llm_error_message("{\"error\":{\"code\":500}}"));
	assert_null(dw_llm_error_message("{\"choices\":[]}"));
	assert_null(dw_llm_error_message("not json"));
}

/* ---- SQL extraction -------------------------------------------------------- */

static void assert_sql(const char *answer, const char *want)
{
	char *sql = dw_llm_extract_sql(answer);

	if (!want) {
		if (sql)
			fail_msg("expected no SQL, got '%s'", sql);
		return;
	}
	if (!sql)
		fail_msg("no SQL found in '%s'", answer);
	assert_string_equal(sql, want);
	free(sql);
}

static void test_sql_bare_stacked_kept(void **state)
{
	/* A second statement after the ';' stays, for the validator to refuse. */
	assert_sql("SELECT 1 AS one; DROP TABLE fact_sales", "SELECT 1 AS one; DROP TABLE fact_sales");
	assert_sql("SELECT 1;\nupdate fact_sales set sales = 0;",
		   "SELECT 1;\nupdate fact_sales set sales = 0;");
	/* Prose after the ';' is still cut. */
	assert_sql("SELECT 1; This returns one.", "SELECT 1;");
}

static void test_sql_fenced(void **state)
{
	assert_sql("Here is the query:\n\n```sql\nSELECT region, SUM(sales)\nFROM fact_sales\n"
		   "GROUP BY region;\n```\n\nThis groups sales by region.",
		   "SELECT region, SUM(sales)\nFROM fact_sales\nGROUP BY region;");
	assert_sql("```\nSELECT 1\n```", "SELECT 1");
	assert_sql("~~~sql\nSELECT 2\n~~~\ntrailing words", "SELECT 2");
	assert_sql("~~~\nSELECT 3\n~~~", "SELECT 3");
	assert_sql("```SQL\nSELECT 4\n```", "SELECT 4");
	assert_sql("```mysql\nSELECT 5\n```", "SELECT 5");
	assert_sql("  ```sql  \n  select 6  \n  ```", "select 6");
}

static void test_sql_fenced_choice(void **state)
{
	assert_sql("First:\n```sql\nSELECT 1\n```\nOr:\n```sql\nSELECT 2\n```", "SELECT 1");
	/* a block in another language is skipped, with everything in it */
	assert_sql("```python\nprint('SELECT 0')\n```\n```sql\nSELECT 7\n```", "SELECT 7");
	/* an empty block is no answer */
	assert_sql("```sql\n```\n```sql\nSELECT 8\n```", "SELECT 8");
	/* a longer fence is closed only by as long a run */
	assert_sql("````\nSELECT '```' AS x\n````", "SELECT '```' AS x");
}

static void test_sql_fence_edges(void **state)
{
	/* the closing fence at the end of the last line */
	assert_sql("```sql\nSELECT 9```\nthat is all", "SELECT 9");
	/* unterminated: up to the end */
	assert_sql("```sql\nSELECT 10\nFROM t", "SELECT 10\nFROM t");
	/* a fenced block wins over bare SQL before it */
	assert_sql("SELECT wrong\n\n```sql\nSELECT right\n```", "SELECT right");
}

static void test_sql_bare(void **state)
{
	assert_sql("SELECT 1", "SELECT 1");
	assert_sql("  \n\tselect a from t  \n", "select a from t");
	assert_sql("SQL: SELECT 2", "SELECT 2");
	assert_sql("Query:\nSELECT 3", "SELECT 3");
	assert_sql("sql:\n  SeLeCt 4", "SeLeCt 4");
	assert_sql("WITH s AS (SELECT 1 AS x)\nSELECT x FROM s", "WITH s AS (SELECT 1 AS x)\nSELECT x FROM s");
	assert_sql("with recursive n(i) as (select 1) select i from n",
		   "with recursive n(i) as (select 1) select i from n");
	assert_sql("WITH `my cte` AS (SELECT 1) SELECT * FROM `my cte`",
		   "WITH `my cte` AS (SELECT 1) SELECT * FROM `my cte`");
}

static void test_sql_bare_prose(void **state)
{
	assert_sql("Sure! Here it is:\nSELECT region FROM dim_store\n\nThis lists the regions.",
		   "SELECT region FROM dim_store");
	assert_sql("SELECT 1;\nThis returns one.", "SELECT 1;");
	assert_sql("SELECT ';' AS semi, \"a;b\", `c;d` FROM t; -- done",
		   "SELECT ';' AS semi, \"a;b\", `c;d` FROM t;");
	assert_sql("SELECT 'it\\'s;' FROM t; more", "SELECT 'it\\'s;' FROM t;");
	assert_sql("SELECT 1 -- a ; in a comment\nFROM t; x", "SELECT 1 -- a ; in a comment\nFROM t;");
	assert_sql("SELECT 1 /* ; */ FROM t; x", "SELECT 1 /* ; */ FROM t;");
	/* a blank line followed by more SQL does not end the query */
	assert_sql("SELECT a\n\nFROM t\n\n  WHERE b = 1\n\nOn the other hand, this works.",
		   "SELECT a\n\nFROM t\n\n  WHERE b = 1");
	assert_sql("SELECT a\n\nFrom this you get a.", "SELECT a");
}

static void test_sql_none(void **state)
{
	assert_sql(NULL, NULL);
	assert_sql("", NULL);
	assert_sql("I cannot answer that from this schema.", NULL);
	assert_sql("With this data you cannot tell.", NULL);
	assert_sql("Selection is hard.", NULL);
	assert_sql("```python\nprint(1)\n```", NULL);
	assert_sql("```sql\n   \n```", NULL);
	assert_sql("DELETE FROM fact_sales", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_provider_names),
		cmocka_unit_test(test_request_ollama),
		cmocka_unit_test(test_request_ollama_key),
		cmocka_unit_test(test_request_openai),
		cmocka_unit_test(test_request_openai_no_key),
		cmocka_unit_test(test_request_urls),
		cmocka_unit_test(test_request_gemini),
		cmocka_unit_test(test_request_gemini_no_system),
		cmocka_unit_test(test_request_gemini_bad_model),
		cmocka_unit_test(test_request_anthropic),
		cmocka_unit_test(test_request_anthropic_no_system),
		cmocka_unit_test(test_request_errors),
		cmocka_unit_test(test_chat_bad_request),
		cmocka_unit_test(test_http_protocols),
		cmocka_unit_test(test_response_ollama),
		cmocka_unit_test(test_response_openai),
		cmocka_unit_test(test_response_gemini),
		cmocka_unit_test(test_response_anthropic),
		cmocka_unit_test(test_response_malformed),
		cmocka_unit_test(test_error_message),
		cmocka_unit_test(test_sql_fenced),
		cmocka_unit_test(test_sql_bare_stacked_kept),
		cmocka_unit_test(test_sql_fenced_choice),
		cmocka_unit_test(test_sql_fence_edges),
		cmocka_unit_test(test_sql_bare),
		cmocka_unit_test(test_sql_bare_prose),
		cmocka_unit_test(test_sql_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
