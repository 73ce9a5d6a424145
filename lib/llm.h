/* llm: chat requests to LLM engines over HTTP in each provider's own API:
 * ollama (/api/chat), openai (any OpenAI-compatible /v1/chat/completions
 * server), gemini (generateContent) and anthropic (/v1/messages). Building
 * requests and parsing responses are pure functions; dw_llm_chat posts,
 * retries HTTP 429/5xx with backoff and maps failures to exit codes. */
#ifndef DW_LLM_H
#define DW_LLM_H

#include <stddef.h>

#include "err.h"

enum dw_llm_provider { DW_LLM_OLLAMA, DW_LLM_OPENAI, DW_LLM_GEMINI, DW_LLM_ANTHROPIC };

struct dw_llm_endpoint {
	enum dw_llm_provider provider;
	const char *name;             /* engine name for messages */
	const char *url;              /* base URL ("http://127.0.0.1:11434") */
	const char *model;
	const char *api_key;          /* NULL when none */
	long connect_timeout_ms, timeout_ms;
	int remote;                   /* off this machine (the caller decides what to send) */
	int max_retries;              /* extra attempts after HTTP 429/5xx */
	long backoff_ms;              /* first retry delay, doubling, capped */
	double temperature;
};

struct dw_llm_message {
	const char *role;             /* "user" or "assistant" */
	const char *content;
};

/* Longest wait between attempts, whatever Retry-After or the doubling say. */
#define DW_LLM_BACKOFF_CAP_MS 30000L
#define DW_LLM_MAX_HEADERS 2

/* One HTTP request for an endpoint. */
struct dw_llm_request {
	char *url;
	char *headers[DW_LLM_MAX_HEADERS];   /* "Name: value" lines; wiped when released */
	size_t nheaders;
	char *body;                          /* JSON */
};

struct dw_llm_stats {
	int attempts;                 /* HTTP requests sent (1 + retries) */
	long http_status;             /* status of the last response, 0 when none */
	long elapsed_ms;              /* all attempts and waits */
	size_t request_bytes;         /* size of the request body */
	int timed_out;                /* the endpoint did not answer in time */
};

/* "ollama", "openai", "gemini", "anthropic". Returns 0, or -1 when s names
 * no provider. */
int dw_llm_provider_parse(const char *s, enum dw_llm_provider *p);
/* The provider's name as a static string. */
const char *dw_llm_provider_name(enum dw_llm_provider p);

/* Builds the request: URL joined to the provider's path, the key header
 * when ep->api_key is set (Authorization: Bearer for ollama and openai,
 * x-goog-api-key for gemini, x-api-key for anthropic), and a body with the
 * system prompt (NULL for none) and the n >= 1 messages in order. Returns 0
 * or -1 with err (DW_EX_SOFTWARE for a bad role or no message, DW_EX_CONFIG
 * for a gemini model name unfit for a URL). Release req with
 * dw_llm_request_release, also after a failure. */
int dw_llm_request_build(const struct dw_llm_endpoint *ep, const char *system,
			 const struct dw_llm_message *msgs, size_t n, struct dw_llm_request *req,
			 struct dw_err *err);
/* Wipes the headers and frees everything in req. */
void dw_llm_request_release(struct dw_llm_request *req);

/* The answer text in a successful response body of ep's provider, as a
 * malloc'd string the caller frees. Returns 0, or -1 with err
 * DW_EX_UNAVAILABLE: the provider's own error message when the body holds
 * one, "bad response" when the body is not the expected JSON. */
int dw_llm_response_parse(const struct dw_llm_endpoint *ep, const char *body, char **answer,
			  struct dw_err *err);
/* The provider's error message in an error body ({"error":"..."},
 * {"error":{"message":"..."}} or {"message":"..."}), malloc'd (caller
 * frees), or NULL when there is none. */
char *dw_llm_error_message(const char *body);

/* Sends the conversation to ep and sets *answer to the reply text (malloc'd,
 * caller frees). HTTP 429 and 5xx are retried up to ep->max_retries times,
 * waiting Retry-After (capped) or the doubling backoff. Returns 0, or -1
 * with err: DW_EX_TEMPFAIL when 429/5xx outlast the retries, DW_EX_NOPERM
 * for 401/403, DW_EX_UNAVAILABLE for other failures (unreachable, timed out
 * with stats->timed_out set, another 4xx, a bad or error response).
 * stats may be NULL. */
int dw_llm_chat(const struct dw_llm_endpoint *ep, const char *system,
		const struct dw_llm_message *msgs, size_t n, char **answer,
		struct dw_llm_stats *stats, struct dw_err *err);

/* The SQL in an answer: the first fenced block (``` or ~~~) whose language
 * is empty or ends in "sql"; else the first line that starts (after
 * whitespace and an optional "SQL:" or "Query:") with SELECT or WITH,
 * running to its first ';' outside quotes (kept), or to a blank line
 * followed by prose, or to the end. Keywords are case-insensitive. Returns
 * the trimmed SQL, malloc'd (caller frees), or NULL when there is none. */
char *dw_llm_extract_sql(const char *answer);

#endif
