#include "http.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libcurl is opened on the first request, not linked: with the TLS,
 * Kerberos and LDAP libraries it needs, loading it cost every dw-ask call
 * about 3 ms, and most questions never reach a model. */
static struct {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *curl);
	const char *(*easy_strerror)(CURLcode rc);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
} lc;

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;
static char load_error[256];

static int load_curl(void)
{
	static const char *const names[] = {
		"curl_global_init", "curl_easy_init", "curl_easy_setopt", "curl_easy_perform",
		"curl_easy_getinfo", "curl_easy_cleanup", "curl_easy_strerror", "curl_slist_append",
		"curl_slist_free_all",
	};
	void **fn = (void **)&lc;
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);

	for (size_t i = 0; h && i < sizeof names / sizeof *names; i++)
		if (!(fn[i] = dlsym(h, names[i])))
			h = NULL;
	if (!h)
		snprintf(load_error, sizeof load_error, "%s", dlerror());
	return h ? 0 : -1;
}

static void global_init(void)
{
	if (load_curl() == 0)
		global_rc = lc.global_init(CURL_GLOBAL_DEFAULT);
}

/* The response body as it arrives. */
struct sink {
	char *buf;
	size_t len, cap;
	int too_big, no_memory;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;

	if (n > DW_HTTP_MAX_BODY - s->len) {
		s->too_big = 1;
		return 0;                     /* makes libcurl stop with a write error */
	}
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *p;

		while (cap < s->len + n + 1)
			cap *= 2;
		p = realloc(s->buf, cap);
		if (!p) {
			s->no_memory = 1;
			return 0;
		}
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return n;
}

/* Frees a header list after wiping every line: they may hold API keys. */
static void free_headers(struct curl_slist *list)
{
	for (struct curl_slist *h = list; h; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	lc.slist_free_all(list);
}

/* The request's headers plus the JSON ones. "Expect:" stops libcurl from
 * waiting for a 100-continue on large bodies. NULL when out of memory. */
static struct curl_slist *build_headers(const struct dw_http_request *req)
{
	static const char *const fixed[] = {
		"Content-Type: application/json", "Accept: application/json", "Expect:",
	};
	struct curl_slist *list = NULL, *next;

	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] + req->nheaders; i++) {
		const char *line = i < sizeof fixed / sizeof fixed[0] ? fixed[i]
			: req->headers[i - sizeof fixed / sizeof fixed[0]];

		next = lc.slist_append(list, line);
		if (!next) {
			free_headers(list);
			return NULL;
		}
		list = next;
	}
	return list;
}

static void set_options(CURL *curl, const struct dw_http_request *req, struct curl_slist *headers,
			struct sink *sink, char *errbuf)
{
	lc.easy_setopt(curl, CURLOPT_URL, req->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	lc.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	lc.easy_setopt(curl, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	lc.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	lc.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	lc.easy_setopt(curl, CURLOPT_USERAGENT, "dw");
	lc.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	lc.easy_setopt(curl, CURLOPT_POSTFIELDS, req->body);
	lc.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(req->body));
	lc.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
	lc.easy_setopt(curl, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	lc.easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)DW_HTTP_MAX_BODY);
	lc.easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	lc.easy_setopt(curl, CURLOPT_WRITEDATA, sink);
	lc.easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
}

/* Maps a failed transfer to an error; marks timeouts in resp. */
static int transfer_error(CURLcode rc, const struct sink *sink, const char *url,
			  const char *errbuf, struct dw_http_response *resp, struct dw_err *err)
{
	const char *why = *errbuf ? errbuf : lc.easy_strerror(rc);

	if (sink->no_memory || rc == CURLE_OUT_OF_MEMORY)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory reading '%s'", url);
	if (sink->too_big || rc == CURLE_FILESIZE_EXCEEDED)
		return dw_err_set(err, DW_EX_UNAVAILABLE, "response from '%s' is larger than %u MiB",
				  url, DW_HTTP_MAX_BODY >> 20);
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		resp->timed_out = 1;
		dw_err_set(err, DW_EX_UNAVAILABLE, "timed out waiting for '%s'", url);
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		dw_err_set(err, DW_EX_CONFIG, "bad url '%s'", url);
		dw_err_hint(err, "use an http:// or https:// url");
		break;
	default:
		dw_err_set(err, DW_EX_UNAVAILABLE, "cannot reach '%s'", url);
		break;
	}
	dw_err_detail(err, "%s", why);
	return -1;
}

/* Takes the body from sink (an empty string when none arrived). */
static int take_body(struct sink *sink, struct dw_http_response *resp, struct dw_err *err)
{
	if (!sink->buf && !(sink->buf = calloc(1, 1)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	resp->body = sink->buf;
	resp->body_len = sink->len;
	sink->buf = NULL;
	return 0;
}

int dw_http_post_json(const struct dw_http_request *req, struct dw_http_response *resp,
		      struct dw_err *err)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct sink sink = { 0 };
	struct curl_slist *headers;
	curl_off_t retry_after = 0;
	CURL *curl;
	CURLcode rc;
	int ret;

	*resp = (struct dw_http_response){ .retry_after_s = -1 };
	pthread_once(&global_once, global_init);
	if (*load_error)
		return dw_err_set(err, DW_EX_SOFTWARE, "cannot load libcurl: %s", load_error);
	if (global_rc != CURLE_OK)
		return dw_err_set(err, DW_EX_SOFTWARE, "cannot initialise libcurl: %s",
				  lc.easy_strerror(global_rc));
	if (!(curl = lc.easy_init()))
		return dw_err_set(err, DW_EX_SOFTWARE, "cannot initialise libcurl");
	if (!(headers = build_headers(req))) {
		lc.easy_cleanup(curl);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	set_options(curl, req, headers, &sink, errbuf);
	rc = lc.easy_perform(curl);
	lc.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
	if (rc != CURLE_OK) {
		ret = transfer_error(rc, &sink, req->url, errbuf, resp, err);
	} else {
		if (lc.easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK &&
		    retry_after > 0)
			resp->retry_after_s = (long)retry_after;
		ret = take_body(&sink, resp, err);
	}
	free(sink.buf);
	free_headers(headers);
	lc.easy_cleanup(curl);
	return ret;
}

void dw_http_response_release(struct dw_http_response *resp)
{
	if (!resp)
		return;
	free(resp->body);
	resp->body = NULL;
	resp->body_len = 0;
}
