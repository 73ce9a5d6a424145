/* http: a small libcurl wrapper for posting JSON to LLM endpoints. Only
 * http and https, redirects never followed, bodies capped in size. Headers
 * are never logged and are wiped after use (they carry API keys). */
#ifndef DW_HTTP_H
#define DW_HTTP_H

#include <stddef.h>

#include "err.h"

/* Largest response body accepted. */
#define DW_HTTP_MAX_BODY (8u << 20)

struct dw_http_request {
	const char *url;
	const char *const *headers;   /* "Name: value" lines added to the request */
	size_t nheaders;
	const char *body;             /* JSON text, sent as application/json */
	long connect_timeout_ms;      /* 0 = libcurl's default */
	long timeout_ms;              /* whole exchange; 0 = no limit */
};

struct dw_http_response {
	long status;                  /* HTTP status, 0 when none was received */
	char *body;                   /* NUL-terminated; freed by dw_http_response_release */
	size_t body_len;
	long retry_after_s;           /* Retry-After in seconds, -1 when absent */
	int timed_out;                /* the connect or the exchange ran out of time */
};

/* POSTs req->body to req->url. Returns 0 when a response arrived, whatever
 * its status, or -1 with err: DW_EX_UNAVAILABLE when the server cannot be
 * reached, times out (resp->timed_out set) or sends an oversized body;
 * DW_EX_CONFIG for a malformed or non-http(s) URL. resp is filled in both
 * cases; release it with dw_http_response_release. */
int dw_http_post_json(const struct dw_http_request *req, struct dw_http_response *resp,
		      struct dw_err *err);
void dw_http_response_release(struct dw_http_response *resp);

#endif
