#include "llm.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http.h"
#include "text.h"

#define ANTHROPIC_VERSION "2023-06-01"
#define ANTHROPIC_MAX_TOKENS 1024

static const char *const provider_names[] = {
	[DW_LLM_OLLAMA] = "ollama",
	[DW_LLM_OPENAI] = "openai",
	[DW_LLM_GEMINI] = "gemini",
	[DW_LLM_ANTHROPIC] = "anthropic",
};

#define NPROVIDERS (sizeof provider_names / sizeof provider_names[0])

int dw_llm_provider_parse(const char *s, enum dw_llm_provider *p)
{
	for (size_t i = 0; i < NPROVIDERS; i++) {
		if (!strcmp(s, provider_names[i])) {
			*p = (enum dw_llm_provider)i;
			return 0;
		}
	}
	return -1;
}

const char *dw_llm_provider_name(enum dw_llm_provider p)
{
	return (size_t)p < NPROVIDERS ? provider_names[p] : "unknown";
}

static const char *engine_name(const struct dw_llm_endpoint *ep)
{
	return ep->name && *ep->name ? ep->name : dw_llm_provider_name(ep->provider);
}

/* ---- request URL and headers ------------------------------------------- */

/* base + "/" + version + rest, without doubling a version the base already
 * ends with ("http://h/v1" + "v1" + "/messages"). */
static char *join_url(const char *base, const char *version, const char *rest)
{
	size_t len = strlen(base), vlen = strlen(version);

	while (len > 0 && base[len - 1] == '/')
		len--;
	if (len > vlen && base[len - vlen - 1] == '/' && !strncmp(base + len - vlen, version, vlen))
		return dw_text_printf("%.*s%s", (int)len, base, rest);
	return dw_text_printf("%.*s/%s%s", (int)len, base, version, rest);
}

/* The model name without the optional "models/" gemini accepts. */
static const char *gemini_model(const struct dw_llm_endpoint *ep)
{
	return strncmp(ep->model, "models/", 7) ? ep->model : ep->model + 7;
}

/* Gemini puts the model in the URL path: allow only name characters. */
static int url_safe_model(const char *model)
{
	for (const char *p = model; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			return 0;
	return 1;
}

static char *gemini_url(const struct dw_llm_endpoint *ep)
{
	char *rest = dw_text_printf("/models/%s:generateContent", gemini_model(ep)), *url;

	url = rest ? join_url(ep->url, "v1beta", rest) : NULL;
	free(rest);
	return url;
}

/* The provider's URL; NULL with err. */
static char *request_url(const struct dw_llm_endpoint *ep, struct dw_err *err)
{
	char *url = NULL;

	switch (ep->provider) {
	case DW_LLM_OLLAMA: url = join_url(ep->url, "api", "/chat"); break;
	case DW_LLM_OPENAI: url = join_url(ep->url, "v1", "/chat/completions"); break;
	case DW_LLM_GEMINI:
		if (!url_safe_model(gemini_model(ep))) {
			dw_err_set(err, DW_EX_CONFIG, "engine '%s': bad model name '%s'",
				   engine_name(ep), ep->model);
			dw_err_hint(err, "a gemini model name has only letters, digits, '.', '_' and '-'");
			return NULL;
		}
		url = gemini_url(ep);
		break;
	case DW_LLM_ANTHROPIC: url = join_url(ep->url, "v1", "/messages"); break;
	}
	if (!url)
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return url;
}

static int add_header(struct dw_llm_request *req, char *line)
{
	if (!line)
		return -1;
	req->headers[req->nheaders++] = line;
	return 0;
}

static int build_headers(const struct dw_llm_endpoint *ep, struct dw_llm_request *req)
{
	const char *key = ep->api_key && *ep->api_key ? ep->api_key : NULL;

	if (ep->provider == DW_LLM_ANTHROPIC &&
	    add_header(req, dw_text_printf("anthropic-version: %s", ANTHROPIC_VERSION)))
		return -1;
	if (!key)
		return 0;
	switch (ep->provider) {
	case DW_LLM_OLLAMA:
	case DW_LLM_OPENAI: return add_header(req, dw_text_printf("Authorization: Bearer %s", key));
	case DW_LLM_GEMINI: return add_header(req, dw_text_printf("x-goog-api-key: %s", key));
	case DW_LLM_ANTHROPIC: return add_header(req, dw_text_printf("x-api-key: %s", key));
	}
	return -1;
}

/* ---- request bodies ------------------------------------------------------ */

/* Appends a new empty object to arr; NULL when out of memory. */
static cJSON *add_object_to_array(cJSON *arr)
{
	cJSON *obj = cJSON_CreateObject();

	if (obj && !cJSON_AddItemToArray(arr, obj)) {
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

/* {"role": role, "content": content} appended to arr. */
static int add_chat_message(cJSON *arr, const char *role, const char *content)
{
	cJSON *m = add_object_to_array(arr);

	return m && cJSON_AddStringToObject(m, "role", role) &&
	       cJSON_AddStringToObject(m, "content", content) ? 0 : -1;
}

/* "messages": the system prompt first (ollama, openai), then the conversation. */
static int add_chat_messages(cJSON *root, const char *system, const struct dw_llm_message *msgs,
			     size_t n)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "messages");

	if (!arr || (system && add_chat_message(arr, "system", system)))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (add_chat_message(arr, msgs[i].role, msgs[i].content))
			return -1;
	return 0;
}

/* "parts": [{"text": text}] in obj (gemini). */
static int add_text_parts(cJSON *obj, const char *text)
{
	cJSON *part = add_object_to_array(cJSON_AddArrayToObject(obj, "parts"));

	return part && cJSON_AddStringToObject(part, "text", text) ? 0 : -1;
}

static int ollama_body(cJSON *root, const struct dw_llm_endpoint *ep, const char *system,
		       const struct dw_llm_message *msgs, size_t n)
{
	cJSON *options;

	return cJSON_AddStringToObject(root, "model", ep->model) &&
	       !add_chat_messages(root, system, msgs, n) &&
	       cJSON_AddFalseToObject(root, "stream") &&
	       (options = cJSON_AddObjectToObject(root, "options")) &&
	       cJSON_AddNumberToObject(options, "temperature", ep->temperature) ? 0 : -1;
}

static int openai_body(cJSON *root, const struct dw_llm_endpoint *ep, const char *system,
		       const struct dw_llm_message *msgs, size_t n)
{
	return cJSON_AddStringToObject(root, "model", ep->model) &&
	       !add_chat_messages(root, system, msgs, n) &&
	       cJSON_AddNumberToObject(root, "temperature", ep->temperature) ? 0 : -1;
}

static int gemini_body(cJSON *root, const struct dw_llm_endpoint *ep, const char *system,
		       const struct dw_llm_message *msgs, size_t n)
{
	cJSON *contents, *content, *config;

	if (system && add_text_parts(cJSON_AddObjectToObject(root, "systemInstruction"), system))
		return -1;
	if (!(contents = cJSON_AddArrayToObject(root, "contents")))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *role = strcmp(msgs[i].role, "assistant") ? "user" : "model";

		if (!(content = add_object_to_array(contents)) ||
		    !cJSON_AddStringToObject(content, "role", role) ||
		    add_text_parts(content, msgs[i].content))
			return -1;
	}
	return (config = cJSON_AddObjectToObject(root, "generationConfig")) &&
	       cJSON_AddNumberToObject(config, "temperature", ep->temperature) ? 0 : -1;
}

static int anthropic_body(cJSON *root, const struct dw_llm_endpoint *ep, const char *system,
			  const struct dw_llm_message *msgs, size_t n)
{
	if (!cJSON_AddStringToObject(root, "model", ep->model) ||
	    !cJSON_AddNumberToObject(root, "max_tokens", ANTHROPIC_MAX_TOKENS) ||
	    (system && !cJSON_AddStringToObject(root, "system", system)))
		return -1;
	return !add_chat_messages(root, NULL, msgs, n) &&
	       cJSON_AddNumberToObject(root, "temperature", ep->temperature) ? 0 : -1;
}

static char *request_body(const struct dw_llm_endpoint *ep, const char *system,
			  const struct dw_llm_message *msgs, size_t n)
{
	static int (*const builders[])(cJSON *, const struct dw_llm_endpoint *, const char *,
				       const struct dw_llm_message *, size_t) = {
		[DW_LLM_OLLAMA] = ollama_body,
		[DW_LLM_OPENAI] = openai_body,
		[DW_LLM_GEMINI] = gemini_body,
		[DW_LLM_ANTHROPIC] = anthropic_body,
	};
	cJSON *root = cJSON_CreateObject();
	char *body = NULL;

	if (root && !builders[ep->provider](root, ep, system, msgs, n))
		body = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return body;
}

/* Checks what the caller passed before anything is built. */
static int check_request(const struct dw_llm_endpoint *ep, const struct dw_llm_message *msgs,
			 size_t n, struct dw_err *err)
{
	if ((size_t)ep->provider >= NPROVIDERS)
		return dw_err_set(err, DW_EX_SOFTWARE, "engine '%s': unknown provider %d",
				  engine_name(ep), (int)ep->provider);
	if (!ep->url || !*ep->url)
		return dw_err_set(err, DW_EX_CONFIG, "engine '%s' has no url", engine_name(ep));
	if (!ep->model || !*ep->model)
		return dw_err_set(err, DW_EX_CONFIG, "engine '%s' has no model", engine_name(ep));
	for (const char *k = ep->api_key; k && *k; k++)
		if (iscntrl((unsigned char)*k))
			return dw_err_set(err, DW_EX_CONFIG,
					  "engine '%s': api key holds a control character",
					  engine_name(ep));
	if (n == 0)
		return dw_err_set(err, DW_EX_SOFTWARE, "engine '%s': no message to send",
				  engine_name(ep));
	for (size_t i = 0; i < n; i++)
		if (!msgs[i].role || !msgs[i].content ||
		    (strcmp(msgs[i].role, "user") && strcmp(msgs[i].role, "assistant")))
			return dw_err_set(err, DW_EX_SOFTWARE, "message %zu: bad role '%s'", i + 1,
					  msgs[i].role ? msgs[i].role : "(null)");
	return 0;
}

int dw_llm_request_build(const struct dw_llm_endpoint *ep, const char *system,
			 const struct dw_llm_message *msgs, size_t n, struct dw_llm_request *req,
			 struct dw_err *err)
{
	*req = (struct dw_llm_request){ 0 };
	if (check_request(ep, msgs, n, err))
		return -1;
	if (!(req->url = request_url(ep, err)))
		return -1;
	if (build_headers(ep, req) || !(req->body = request_body(ep, system, msgs, n)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return 0;
}

void dw_llm_request_release(struct dw_llm_request *req)
{
	for (size_t i = 0; i < req->nheaders; i++) {
		explicit_bzero(req->headers[i], strlen(req->headers[i]));
		free(req->headers[i]);
		req->headers[i] = NULL;
	}
	req->nheaders = 0;
	free(req->url);
	free(req->body);
	req->url = req->body = NULL;
}

/* ---- responses ----------------------------------------------------------- */

static const char *string_at(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* The error message in a parsed body, NULL when none. */
static const char *error_in(const cJSON *root)
{
	const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");

	if (cJSON_IsString(error))
		return error->valuestring;
	if (cJSON_IsObject(error))
		return string_at(error, "message");
	return string_at(root, "message");
}

char *dw_llm_error_message(const char *body)
{
	cJSON *root = cJSON_Parse(body);
	const char *msg = root ? error_in(root) : NULL;
	char *copy = msg ? strdup(msg) : NULL;

	cJSON_Delete(root);
	return copy;
}

static int gemini_text_part(const cJSON *part)
{
	return !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(part, "thought"));
}

static int anthropic_text_block(const cJSON *block)
{
	const char *type = string_at(block, "type");

	return type && !strcmp(type, "text");
}

/* The "text" of every wanted element of arr, concatenated; NULL when arr
 * holds none. */
static char *join_texts(const cJSON *arr, int (*wanted)(const cJSON *))
{
	const cJSON *item;
	size_t len = 0;
	char *out = NULL, *p;
	int found = 0;

	cJSON_ArrayForEach(item, arr) {
		const char *text = string_at(item, "text");

		if (wanted(item) && text) {
			len += strlen(text);
			found = 1;
		}
	}
	if (!found || !(out = p = malloc(len + 1)))
		return NULL;
	cJSON_ArrayForEach(item, arr) {
		const char *text = string_at(item, "text");

		if (wanted(item) && text)
			p = stpcpy(p, text);
	}
	*p = '\0';
	return out;
}

static const cJSON *path(const cJSON *node, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(node, key);
}

/* The answer text in a parsed successful body; NULL when the shape is wrong. */
static char *answer_in(enum dw_llm_provider provider, const cJSON *root)
{
	const char *text;

	switch (provider) {
	case DW_LLM_OLLAMA:
		text = string_at(path(root, "message"), "content");
		return text ? strdup(text) : NULL;
	case DW_LLM_OPENAI:
		text = string_at(path(cJSON_GetArrayItem(path(root, "choices"), 0), "message"),
				 "content");
		return text ? strdup(text) : NULL;
	case DW_LLM_GEMINI:
		return join_texts(path(path(cJSON_GetArrayItem(path(root, "candidates"), 0),
					    "content"), "parts"), gemini_text_part);
	case DW_LLM_ANTHROPIC:
		return join_texts(path(root, "content"), anthropic_text_block);
	}
	return NULL;
}

static const char *expected_shape(enum dw_llm_provider provider)
{
	switch (provider) {
	case DW_LLM_OLLAMA: return "no message.content";
	case DW_LLM_OPENAI: return "no choices[0].message.content";
	case DW_LLM_GEMINI: return "no candidates[0].content.parts[].text";
	case DW_LLM_ANTHROPIC: return "no content[] block of type text";
	}
	return "unknown provider";
}

int dw_llm_response_parse(const struct dw_llm_endpoint *ep, const char *body, char **answer,
			  struct dw_err *err)
{
	cJSON *root = cJSON_Parse(body);
	const char *msg;

	*answer = NULL;
	if (!root) {
		dw_err_set(err, DW_EX_UNAVAILABLE, "engine '%s': bad response", engine_name(ep));
		dw_err_detail(err, "the body is not JSON");
		return -1;
	}
	if ((msg = error_in(root))) {
		dw_err_set(err, DW_EX_UNAVAILABLE, "engine '%s': %s", engine_name(ep), msg);
	} else if (ep->provider == DW_LLM_GEMINI &&
		   (msg = string_at(path(root, "promptFeedback"), "blockReason"))) {
		dw_err_set(err, DW_EX_UNAVAILABLE, "engine '%s' blocked the prompt: %s",
			   engine_name(ep), msg);
	} else if (!(*answer = answer_in(ep->provider, root))) {
		dw_err_set(err, DW_EX_UNAVAILABLE, "engine '%s': bad response", engine_name(ep));
		dw_err_detail(err, "%s", expected_shape(ep->provider));
	}
	cJSON_Delete(root);
	return *answer ? 0 : -1;
}

/* ---- the exchange -------------------------------------------------------- */

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int retryable(long status)
{
	return status == 429 || (status >= 500 && status <= 599);
}

static long cap_delay(long ms)
{
	return ms < 0 ? 0 : ms > DW_LLM_BACKOFF_CAP_MS ? DW_LLM_BACKOFF_CAP_MS : ms;
}

/* Fills err for a response that is not a success, quoting the provider's
 * own message when the body has one. */
static int status_error(const struct dw_llm_endpoint *ep, const struct dw_http_response *resp,
			int attempts, struct dw_err *err)
{
	char *msg = dw_llm_error_message(resp->body);
	const char *sep = msg ? ": " : "", *text = msg ? msg : "", *name = engine_name(ep);

	if (resp->status == 401 || resp->status == 403) {
		dw_err_set(err, DW_EX_NOPERM, "engine '%s' refused the request (HTTP %ld)%s%s",
			   name, resp->status, sep, text);
		dw_err_hint(err, ep->api_key && *ep->api_key
			    ? "check the api key named by api_key_env or api_key_file"
			    : "set api_key_env or api_key_file for this engine");
	} else if (retryable(resp->status)) {
		dw_err_set(err, DW_EX_TEMPFAIL, "engine '%s' answered HTTP %ld %d time%s%s%s",
			   name, resp->status, attempts, attempts == 1 ? "" : "s", sep, text);
		dw_err_hint(err, "try again later");
	} else {
		dw_err_set(err, DW_EX_UNAVAILABLE, "engine '%s' answered HTTP %ld%s%s", name,
			   resp->status, sep, text);
	}
	free(msg);
	return -1;
}

/* Posts req until a response that is not worth retrying arrives, then
 * parses it. */
static int exchange(const struct dw_llm_endpoint *ep, const struct dw_llm_request *req,
		    char **answer, struct dw_llm_stats *stats, struct dw_err *err)
{
	const char *headers[DW_LLM_MAX_HEADERS];
	struct dw_http_request hreq = {
		.url = req->url, .headers = headers, .nheaders = req->nheaders, .body = req->body,
		.connect_timeout_ms = ep->connect_timeout_ms, .timeout_ms = ep->timeout_ms,
	};
	struct dw_http_response resp;
	long backoff = cap_delay(ep->backoff_ms);
	int rc;

	for (size_t i = 0; i < req->nheaders; i++)
		headers[i] = req->headers[i];
	for (;;) {
		stats->attempts++;
		if (dw_http_post_json(&hreq, &resp, err) < 0) {
			stats->timed_out = resp.timed_out;
			dw_http_response_release(&resp);
			dw_err_prefix(err, "engine '%s'", engine_name(ep));
			return -1;
		}
		stats->http_status = resp.status;
		if (!retryable(resp.status) || stats->attempts > ep->max_retries)
			break;
		sleep_ms(resp.retry_after_s >= 0 ? cap_delay(resp.retry_after_s * 1000) : backoff);
		backoff = cap_delay(backoff * 2);
		dw_http_response_release(&resp);
	}
	if (resp.status >= 200 && resp.status <= 299)
		rc = dw_llm_response_parse(ep, resp.body, answer, err);
	else
		rc = status_error(ep, &resp, stats->attempts, err);
	dw_http_response_release(&resp);
	return rc;
}

int dw_llm_chat(const struct dw_llm_endpoint *ep, const char *system,
		const struct dw_llm_message *msgs, size_t n, char **answer,
		struct dw_llm_stats *stats, struct dw_err *err)
{
	struct dw_llm_request req;
	struct dw_llm_stats local;
	long start = now_ms();
	int rc = -1;

	if (!stats)
		stats = &local;
	*stats = (struct dw_llm_stats){ 0 };
	*answer = NULL;
	if (!dw_llm_request_build(ep, system, msgs, n, &req, err)) {
		stats->request_bytes = strlen(req.body);
		rc = exchange(ep, &req, answer, stats, err);
	}
	dw_llm_request_release(&req);
	stats->elapsed_ms = now_ms() - start;
	return rc;
}

/* ---- SQL in an answer ---------------------------------------------------- */

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* The '\n' or '\0' ending the line p is on. */
static const char *line_end(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl : p + strlen(p);
}

/* The start of the line after the one ended by eol. */
static const char *next_line(const char *eol)
{
	return *eol == '\n' ? eol + 1 : eol;
}

static int blank_line(const char *p)
{
	p = skip_blanks(p);
	return *p == '\n' || *p == '\0';
}

/* Copy of [a, b) without surrounding whitespace; NULL when out of memory. */
static char *trimmed_copy(const char *a, const char *b)
{
	while (a < b && isspace((unsigned char)*a))
		a++;
	while (b > a && isspace((unsigned char)b[-1]))
		b--;
	return strndup(a, (size_t)(b - a));
}

/* Length of a code fence (3 or more '`' or '~') at p, 0 when none. */
static size_t fence_len(const char *p)
{
	size_t n = 0;

	if (*p != '`' && *p != '~')
		return 0;
	while (p[n] == p[0])
		n++;
	return n >= 3 ? n : 0;
}

/* A fence's info string names SQL when it is empty or its first word ends
 * in "sql" (sql, mysql, postgresql). */
static int sql_info(const char *info, const char *eol)
{
	const char *end;

	info = skip_blanks(info);
	for (end = info; end < eol && !isspace((unsigned char)*end); end++)
		;
	return end == info || (end - info >= 3 && !strncasecmp(end - 3, "sql", 3));
}

/* The closing fence of a block opened by len times c: anywhere from p on,
 * as answers often close it at the end of the last line. The end of the
 * text when unterminated. */
static const char *closing_fence(const char *p, char c, size_t len)
{
	for (; *p; p++) {
		size_t n = 0;

		while (p[n] == c)
			n++;
		if (n >= len)
			return p;
		p += n ? n - 1 : 0;
	}
	return p;
}

static char *fenced_sql(const char *s)
{
	const char *cur = s;

	while (*cur) {
		const char *p = skip_blanks(cur), *eol = line_end(p), *body, *close;
		size_t len = fence_len(p);
		char *sql;

		if (!len) {
			cur = next_line(eol);
			continue;
		}
		body = next_line(eol);
		close = closing_fence(body, *p, len);
		if (sql_info(p + len, eol)) {
			if ((sql = trimmed_copy(body, close)) && *sql)
				return sql;
			free(sql);
		}
		cur = next_line(line_end(close));
	}
	return NULL;
}

static size_t word_len(const char *p)
{
	size_t n = 0;

	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

/* p starts with the word kw (case-insensitive), not a longer word. */
static int at_keyword(const char *p, const char *kw)
{
	size_t n = strlen(kw);

	return !strncasecmp(p, kw, n) && word_len(p) == n;
}

static const char *skip_space(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* An identifier, plain or quoted with ` or "; NULL when none at p. */
static const char *skip_identifier(const char *p)
{
	if (*p == '`' || *p == '"') {
		const char *q = strchr(p + 1, *p);

		return q ? q + 1 : NULL;
	}
	return word_len(p) ? p + word_len(p) : NULL;
}

/* "WITH [RECURSIVE] name [(" or "WITH [RECURSIVE] name AS": a CTE, not a
 * sentence starting with "With". */
static int at_cte(const char *p)
{
	if (!at_keyword(p, "with"))
		return 0;
	p = skip_space(p + 4);
	if (at_keyword(p, "recursive"))
		p = skip_space(p + 9);
	if (!(p = skip_identifier(p)))
		return 0;
	p = skip_space(p);
	return *p == '(' || at_keyword(p, "as");
}

/* Where a bare query starts on the line at p, NULL when it does not. */
static const char *query_start(const char *p)
{
	static const char *const prefixes[] = { "sql:", "query:" };

	p = skip_blanks(p);
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (!strncasecmp(p, prefixes[i], strlen(prefixes[i])))
			p = skip_space(p + strlen(prefixes[i]));
	return at_keyword(p, "select") || at_cte(p) ? p : NULL;
}

/* After a blank line, does the line at p go on with the query? Indented
 * lines, punctuation, comments and clause keywords do; a keyword written
 * like the start of a sentence ("On the other hand") does not. */
static int continues_query(const char *p)
{
	static const char *const clauses[] = {
		"select", "from", "where", "group", "order", "having", "limit", "offset", "join",
		"inner", "left", "right", "full", "cross", "on", "and", "or", "union",
		"intersect", "except", "with", "window", "case", "when", "then", "else", "end",
	};
	size_t n = word_len(p);

	if (!*p)
		return 0;
	if (*p == ' ' || *p == '\t' || strchr("(),;", *p) || !strncmp(p, "--", 2) ||
	    !strncmp(p, "/*", 2))
		return 1;
	if (n > 1 && isupper((unsigned char)p[0]) && islower((unsigned char)p[1]))
		return 0;
	for (size_t i = 0; i < sizeof clauses / sizeof clauses[0]; i++)
		if (at_keyword(p, clauses[i]))
			return 1;
	return 0;
}

/* Whether p starts another SQL statement: a stacked statement stays in
 * the extracted text, so the validator sees it and refuses the answer. */
static int starts_statement(const char *p)
{
	static const char *const verbs[] = {
		"select", "with", "insert", "update", "delete", "replace", "drop", "create",
		"alter", "truncate", "rename", "grant", "revoke", "set", "call", "do", "load",
		"handler", "lock", "unlock", "kill", "shutdown", "prepare", "execute", "copy",
	};

	p = skip_space(p);
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (at_keyword(p, verbs[i]))
			return 1;
	return 0;
}

/* The end of the query starting at p: just after its first ';' outside
 * quotes and comments (unless another statement follows), or at a blank
 * line followed by prose, or at the end of the text. */
static const char *query_end(const char *p)
{
	char quote = 0;

	for (; *p; p++) {
		if (quote) {
			if (*p == '\\' && quote != '`' && p[1])
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"' || *p == '`') {
			quote = *p;
		} else if (*p == ';' && !starts_statement(p + 1)) {
			return p + 1;
		} else if (!strncmp(p, "--", 2)) {
			p = line_end(p) - 1;
		} else if (!strncmp(p, "/*", 2)) {
			const char *close = strstr(p + 2, "*/");

			p = close ? close + 1 : p + strlen(p) - 1;
		} else if (*p == '\n' && blank_line(p + 1)) {
			const char *next = p + 1;

			while (*next && blank_line(next))
				next = next_line(line_end(next));
			if (!continues_query(next))
				return p;
			p = next - 1;
		}
	}
	return p;
}

static char *bare_sql(const char *s)
{
	for (const char *line = s; *line; line = next_line(line_end(line))) {
		const char *start = query_start(line);

		if (start)
			return trimmed_copy(start, query_end(start));
	}
	return NULL;
}

char *dw_llm_extract_sql(const char *answer)
{
	char *sql;

	if (!answer)
		return NULL;
	sql = fenced_sql(answer);
	return sql ? sql : bare_sql(answer);
}
