/* Integration tests for lib/llm.h and lib/http.h over real HTTP against
 * t/lib/fakellm, a loopback server speaking the four providers' APIs. Each
 * test runs once per provider, with its own fakellm and reply script. Run by
 * t/011-llm-http.t with DW_IT_FAKELLM (the script's path) and DW_IT_TMP (a
 * writable directory). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "it_util.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "llm.h"

static const char *g_fakellm, *g_tmp;

/* One test's provider and its fakellm. */
struct ctx {
	enum dw_llm_provider provider;
	pid_t pid;
	int port;
	char log[PATH_MAX];
	char key[64];
	struct dw_llm_endpoint ep;
	char url[64];
};

static struct ctx contexts[4];

/* ---- helpers ---- */

#define CHECK(cond, e)                                                                       \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			print_error("%s:%d: %s: [%d] %s (%s)\n", __FILE__, __LINE__, #cond,  \
				    (e).code, (e).msg, (e).detail);                          \
			fail();                                                              \
		}                                                                            \
	} while (0)

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}


static void set_endpoint(struct ctx *c, int port, const char *key)
{
	snprintf(c->url, sizeof c->url, "http://127.0.0.1:%d", port);
	c->ep = (struct dw_llm_endpoint){
		.provider = c->provider, .name = dw_llm_provider_name(c->provider), .url = c->url,
		.model = "m-1", .api_key = key, .connect_timeout_ms = 2000, .timeout_ms = 10000,
		.max_retries = 2, .backoff_ms = 10, .temperature = 0,
	};
}

/* Starts fakellm with script (one reply per line) and points c->ep at it,
 * with c->key as the API key. */
static void start_fake(struct ctx *c, const char *script)
{
	char script_path[PATH_MAX], port_path[PATH_MAX];
	const char *name = dw_llm_provider_name(c->provider);
	FILE *fp = NULL;

	snprintf(script_path, sizeof script_path, "%s/%s.script", g_tmp, name);
	snprintf(port_path, sizeof port_path, "%s/%s.port", g_tmp, name);
	snprintf(c->log, sizeof c->log, "%s/%s.log", g_tmp, name);
	snprintf(c->key, sizeof c->key, "key-%s-secret", name);
	write_file(script_path, script);
	unlink(port_path);
	unlink(c->log);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		execlp("perl", "perl", g_fakellm, "--port-file", port_path, "--script", script_path,
		       "--log", c->log, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && !fp; i++) {
		if (!(fp = fopen(port_path, "r")))
			sleep_ms(20);
	}
	assert_non_null(fp);
	assert_int_equal(fscanf(fp, "%d", &c->port), 1);
	fclose(fp);
	set_endpoint(c, c->port, c->key);
}

static int stop_fake(void **state)
{
	struct ctx *c = *state;

	if (c->pid > 0) {
		/* Perl may take a TERM only when a blocking accept returns, which
		 * can be never: a second's grace, then KILL. */
		kill(c->pid, SIGTERM);
		for (int i = 0; i < 50 && waitpid(c->pid, NULL, WNOHANG) == 0; i++)
			sleep_ms(20);
		if (kill(c->pid, 0) == 0) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, NULL, 0);
		}
		c->pid = 0;
	}
	return 0;
}

/* The requests fakellm logged, one parsed object each; returns the count. */
static int read_log(const struct ctx *c, cJSON **reqs, int max)
{
	char line[1 << 16];
	FILE *fp = fopen(c->log, "r");
	int n = 0;

	if (!fp)
		return 0;
	while (n < max && fgets(line, sizeof line, fp)) {
		reqs[n] = cJSON_Parse(line);
		assert_non_null(reqs[n]);
		n++;
	}
	fclose(fp);
	return n;
}

static void free_log(cJSON **reqs, int n)
{
	for (int i = 0; i < n; i++)
		cJSON_Delete(reqs[i]);
}

static const char *header(const cJSON *req, const char *name)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(req, "headers"), name);

	return cJSON_IsString(h) ? h->valuestring : NULL;
}

static const char *expected_path(enum dw_llm_provider p)
{
	switch (p) {
	case DW_LLM_OLLAMA: return "/api/chat";
	case DW_LLM_OPENAI: return "/v1/chat/completions";
	case DW_LLM_GEMINI: return "/v1beta/models/m-1:generateContent";
	case DW_LLM_ANTHROPIC: return "/v1/messages";
	}
	return "";
}

/* The header carrying the key and its expected value. */
static const char *key_header(const struct ctx *c, char *want, size_t size)
{
	switch (c->provider) {
	case DW_LLM_OLLAMA:
	case DW_LLM_OPENAI:
		snprintf(want, size, "Bearer %s", c->key);
		return "authorization";
	case DW_LLM_GEMINI:
		snprintf(want, size, "%s", c->key);
		return "x-goog-api-key";
	case DW_LLM_ANTHROPIC:
		snprintf(want, size, "%s", c->key);
		return "x-api-key";
	}
	return "";
}

static const struct dw_llm_message question[] = { { "user", "total sales by region?" } };
#define SYSTEM "SYSTEM-PROMPT tables: fact_sales(sales, store_key)"

/* Chats with c->ep; returns dw_llm_chat's result. */
static int chat(struct ctx *c, char **answer, struct dw_llm_stats *stats, struct dw_err *err)
{
	dw_err_clear(err);
	return dw_llm_chat(&c->ep, SYSTEM, question, 1, answer, stats, err);
}

/* ---- tests ---- */

static void test_answer(void **state)
{
	struct ctx *c = *state;
	struct dw_llm_stats stats;
	struct dw_err err;
	char *answer, *sql, *body, want[128], len[32];
	const char *hname;
	cJSON *reqs[4];
	int n;

	start_fake(c, "answer Here you go:\\n```sql\\nSELECT 42\\n```\n");
	CHECK(chat(c, &answer, &stats, &err) == 0, err);
	assert_string_equal(answer, "Here you go:\n```sql\nSELECT 42\n```");
	sql = dw_llm_extract_sql(answer);
	assert_string_equal(sql, "SELECT 42");
	assert_int_equal(stats.attempts, 1);
	assert_int_equal(stats.http_status, 200);
	assert_false(stats.timed_out);

	n = read_log(c, reqs, 4);
	assert_int_equal(n, 1);
	assert_string_equal(cJSON_GetObjectItem(reqs[0], "method")->valuestring, "POST");
	assert_string_equal(cJSON_GetObjectItem(reqs[0], "path")->valuestring,
			    expected_path(c->provider));
	hname = key_header(c, want, sizeof want);
	assert_non_null(header(reqs[0], hname));
	assert_string_equal(header(reqs[0], hname), want);
	assert_string_equal(header(reqs[0], "content-type"), "application/json");
	if (c->provider == DW_LLM_ANTHROPIC)
		assert_string_equal(header(reqs[0], "anthropic-version"), "2023-06-01");
	snprintf(len, sizeof len, "%zu", stats.request_bytes);
	assert_string_equal(header(reqs[0], "content-length"), len);
	/* the body arrived as JSON with the system prompt and the question */
	body = cJSON_PrintUnformatted(cJSON_GetObjectItem(reqs[0], "body"));
	assert_non_null(strstr(body, "SYSTEM-PROMPT tables: fact_sales(sales, store_key)"));
	assert_non_null(strstr(body, "total sales by region?"));
	free(body);
	free_log(reqs, n);
	free(sql);
	free(answer);
}

static void test_no_key(void **state)
{
	struct ctx *c = *state;
	struct dw_llm_stats stats;
	struct dw_err err;
	char *answer, want[128];
	cJSON *reqs[2];
	int n;

	start_fake(c, "answer SELECT 1\n");
	c->ep.api_key = NULL;
	CHECK(chat(c, &answer, &stats, &err) == 0, err);
	assert_string_equal(answer, "SELECT 1");
	n = read_log(c, reqs, 2);
	assert_int_equal(n, 1);
	assert_null(header(reqs[0], key_header(c, want, sizeof want)));
	free_log(reqs, n);
	free(answer);
}

static void test_retry_429(void **state)
{
	struct ctx *c = *state;
	struct dw_llm_stats stats;
	struct dw_err err;
	char *answer;
	cJSON *reqs[4];
	int n;

	start_fake(c, "status 429\nanswer SELECT 2\n");
	CHECK(chat(c, &answer, &stats, &err) == 0, err);
	assert_string_equal(answer, "SELECT 2");
	assert_int_equal(stats.attempts, 2);
	assert_int_equal(stats.http_status, 200);
	n = read_log(c, reqs, 4);
	assert_int_equal(n, 2);
	free_log(reqs, n);
	free(answer);
}

static void test_retry_after(void **state)
{
	struct ctx *c = *state;
	struct dw_llm_stats stats;
	struct dw_err err;
	char *answer;

	/* the 10 ms backoff would retry at once: only Retry-After makes it wait */
	start_fake(c, "status 503 1\nanswer SELECT 3\n");
	CHECK(chat(c, &answer, &stats, &err) == 0, err);
	assert_string_equal(answer, "SELECT 3");
	assert_int_equal(stats.attempts, 2);
	assert_true(stats.elapsed_ms >= 1000);
	free(answer);
}

static void test_5xx_exhausted(void **state)
{
	struct ctx *c = *state;
	struct dw_llm_stats stats;
	struct dw_err err;
	char *answer;
	cJSON *reqs[8];
	int n;

	start_fake(c, "status 500\n");
	assert_int_equal(chat(c, &answer, &stats, &err), -1);
	assert_null(answer);
	assert_int_equal(err.code, DW_EX_TEMPFAIL);
	assert_non_null(strstr(err.msg, "fake error 500"));
	assert_int_equal(stats.attempts, 3);
	assert_int_equal(stats.http_status, 500);
	n = read_log(c, reqs, 8);
	assert_int_equal(n, 3);
	free_log(reqs, n);
}

static void test_401(void **state)
{
	struct ctx *c = *state;
	struct dw_llm_stats stats;
	struct dw_err err;
	char *answer;

	start_fake(c, "status 401\n");
	assert_int_equal(chat(c, &answer, &stats, &err), -1);
	assert_int_equal(err.code, DW_EX_NOPERM);
	assert_non_null(strstr(err.msg, "HTTP 401"));
	assert_non_null(strstr(err.hint, "api key"));
	assert_null(strstr(err.msg, c->key));
	assert_int_equal(stats.attempts, 1);
}

static void test_400(void **state)
{
	struct ctx *c = *state;
	struct dw_llm_stats stats;
	struct dw_err err;
	char *answer;

	start_fake(c, "status 400\n");
	assert_int_equal(chat(c, &answer, &stats, &err), -1);
	assert_int_equal(err.code, DW_EX_UNAVAILABLE);
	assert_non_null(strstr(err.msg, "HTTP 400: fake error 400"));
	assert_int_equal(stats.attempts, 1);
	assert_false(stats.timed_out);
}

static void test_timeout(void **state)
{
	struct ctx *c = *state;
	struct dw_llm_stats stats;
	struct dw_err err;
	char *answer;

	start_fake(c, "sleep 5\nanswer SELECT late\n");
	c->ep.timeout_ms = 300;
	assert_int_equal(chat(c, &answer, &stats, &err), -1);
	assert_null(answer);
	assert_int_equal(err.code, DW_EX_UNAVAILABLE);
	assert_true(stats.timed_out);
	assert_non_null(strstr(err.msg, "timed out"));
	assert_int_equal(stats.attempts, 1);
	assert_int_equal(stats.http_status, 0);
}

static void test_refused(void **state)
{
	struct ctx *c = *state;
	struct dw_llm_stats stats;
	struct dw_err err;
	char *answer;

	set_endpoint(c, closed_port(), "k");
	assert_int_equal(chat(c, &answer, &stats, &err), -1);
	assert_null(answer);
	assert_int_equal(err.code, DW_EX_UNAVAILABLE);
	assert_false(stats.timed_out);
	assert_non_null(strstr(err.msg, "cannot reach"));
	assert_int_equal(stats.attempts, 1);
	assert_int_equal(stats.http_status, 0);
}

static void test_malformed(void **state)
{
	struct ctx *c = *state;
	struct dw_llm_stats stats;
	struct dw_err err;
	char *answer;

	start_fake(c, "malformed\n");
	assert_int_equal(chat(c, &answer, &stats, &err), -1);
	assert_int_equal(err.code, DW_EX_UNAVAILABLE);
	assert_non_null(strstr(err.msg, "bad response"));
	assert_int_equal(stats.http_status, 200);
}

/* ---- runner ---- */

struct case_def {
	const char *name;
	CMUnitTestFunction fn;
	int all_providers;            /* else only openai */
};

static const struct case_def cases[] = {
	{ "answer", test_answer, 1 },
	{ "no_key", test_no_key, 1 },
	{ "retry_429", test_retry_429, 1 },
	{ "retry_after", test_retry_after, 0 },
	{ "5xx_exhausted", test_5xx_exhausted, 1 },
	{ "401", test_401, 1 },
	{ "400", test_400, 1 },
	{ "timeout", test_timeout, 1 },
	{ "refused", test_refused, 1 },
	{ "malformed", test_malformed, 1 },
};

#define NCASES (sizeof cases / sizeof cases[0])

int main(void)
{
	static char names[NCASES * 4][64];
	struct CMUnitTest tests[NCASES * 4];
	size_t n = 0;

	g_fakellm = getenv("DW_IT_FAKELLM");
	g_tmp = getenv("DW_IT_TMP");
	if (!g_fakellm || !*g_fakellm || !g_tmp || !*g_tmp) {
		fprintf(stderr, "test_llm_http: set DW_IT_FAKELLM and DW_IT_TMP\n");
		return 2;
	}
	for (size_t p = 0; p < 4; p++)
		contexts[p].provider = (enum dw_llm_provider)p;
	for (size_t i = 0; i < NCASES; i++) {
		for (size_t p = 0; p < 4; p++) {
			if (!cases[i].all_providers && p != DW_LLM_OPENAI)
				continue;
			snprintf(names[n], sizeof names[n], "%s/%s", cases[i].name,
				 dw_llm_provider_name((enum dw_llm_provider)p));
			tests[n] = (struct CMUnitTest){ names[n], cases[i].fn, NULL, stop_fake,
							&contexts[p] };
			n++;
		}
	}
	/* the fake server is on loopback: never through a proxy */
	setenv("no_proxy", "127.0.0.1", 1);
	setenv("NO_PROXY", "127.0.0.1", 1);
	if (getenv("DW_IT_FILTER"))
		cmocka_set_test_filter(getenv("DW_IT_FILTER"));
	signal(SIGPIPE, SIG_IGN);
	alarm(300);
	return _cmocka_run_group_tests("test_llm_http", tests, n, NULL, NULL);
}
