/* LLM engines: a prompt of the live schema, the knowledge file and the
 * closest curated examples; the model's SQL is validated and run, and a
 * refusal or a failure is sent back for a corrected query a bounded number
 * of times. */
#include "ask/ask_llm.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ask/exec.h"
#include "ask/prompt.h"
#include "ask/validate.h"
#include "llm.h"
#include "log.h"
#include "text.h"

#define MAX_TURNS 16

static const struct dw_config_llm *llm_config(const struct dw_config *cfg, const char *engine)
{
	if (!strcmp(engine, "ollama"))
		return &cfg->ollama;
	if (!strcmp(engine, "openai"))
		return &cfg->openai;
	if (!strcmp(engine, "gemini"))
		return &cfg->gemini;
	if (!strcmp(engine, "anthropic"))
		return &cfg->anthropic;
	return NULL;
}

static int endpoint_for(const struct dw_config *cfg, const char *engine,
			struct dw_llm_endpoint *ep, struct dw_err *err)
{
	const struct dw_config_llm *c = llm_config(cfg, engine);

	memset(ep, 0, sizeof *ep);
	if (!c || dw_llm_provider_parse(engine, &ep->provider) < 0) {
		dw_err_set(err, DW_EX_CONFIG, "unknown engine '%s' in ask.engines", engine);
		dw_err_hint(err, "engines are semantic, ollama, openai, gemini and anthropic");
		return -1;
	}
	ep->name = engine;
	ep->url = c->url;
	ep->model = c->model;
	ep->api_key = c->api_key;
	ep->connect_timeout_ms = c->connect_timeout_ms;
	ep->timeout_ms = c->timeout_ms;
	ep->remote = c->remote;
	ep->max_retries = c->retries;
	ep->backoff_ms = c->backoff_ms;
	ep->temperature = 0;
	return 0;
}

/* The examples put in the prompt, listed for --explain. */
static void note_examples(struct dw_ask_answer *a, const struct dw_kb *kb, const size_t *idx,
			  size_t n)
{
	size_t len = strlen(a->examples);

	for (size_t i = 0; i < n && len < sizeof a->examples; i++)
		len += (size_t)snprintf(a->examples + len, sizeof a->examples - len,
					"example: %s\n", kb->examples[idx[i]].question);
}

/* Dimension values for the prompt (ask.prompt_values): the prompt builder
 * leaves out personal data, and anything undeclared for a remote endpoint. */
struct prompt_values {
	struct dw_prompt_values dims[64];
	const char *vals[64][DW_PROMPT_MAX_VALUES + 1];
	size_t n;
};

static void collect_values(struct dw_ask_session *s, struct prompt_values *pv)
{
	pv->n = 0;
	for (size_t d = 0; d < s->kb.ndimensions && pv->n < 64; d++) {
		const struct dw_kb_dimension *dim = &s->kb.dimensions[d];

		if (dim->values != DW_KB_VALUES_ALL)
			continue;
		pv->dims[pv->n] = (struct dw_prompt_values){
			.dimension = dim->name, .values = pv->vals[pv->n],
			.n = dw_sem_dimension_values(s->sem, dim->name, pv->vals[pv->n],
						     DW_PROMPT_MAX_VALUES + 1) };
		pv->n++;
	}
}

static char *system_prompt(struct dw_ask_session *s, const struct dw_llm_endpoint *ep,
			   const char *question, struct dw_ask_answer *a)
{
	static struct prompt_values pv;
	size_t k = (size_t)s->cfg->ask.examples, *idx = calloc(k + 1, sizeof *idx), n;
	struct dw_prompt_input in = {
		.kb = &s->kb, .schema = &s->schema, .dialect = DW_DB_MY,
		.remote = ep->remote, .row_limit = s->cfg->ask.row_limit,
		.role = s->cfg->ask.as_person ? s->role : NULL,
	};
	char *text;

	if (!idx)
		return NULL;
	n = dw_prompt_pick_examples(&s->kb, question, k, idx);
	in.examples = idx;
	in.nexamples = n;
	if (s->cfg->ask.prompt_values) {
		collect_values(s, &pv);
		in.values = pv.dims;
		in.nvalues = pv.n;
	}
	note_examples(a, &s->kb, idx, n);
	text = dw_prompt_system(&in);
	free(idx);
	return text;
}

/* One conversation: the question, then each wrong answer and its error. */
struct chat {
	struct dw_llm_message msgs[MAX_TURNS];
	char *owned[MAX_TURNS];
	size_t n;
};

static int chat_add(struct chat *c, const char *role, char *text)
{
	if (!text || c->n == MAX_TURNS) {
		free(text);
		return -1;
	}
	c->owned[c->n] = text;
	c->msgs[c->n++] = (struct dw_llm_message){ role, text };
	return 0;
}

static void chat_release(struct chat *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->owned[i]);
}

/* "SELECT ...;" runs as "SELECT ..." (the validator allows one trailing
 * semicolon; a prepared statement does not). */
static void trim_semicolons(char *sql)
{
	size_t n = strlen(sql);

	while (n && (sql[n - 1] == ';' || isspace((unsigned char)sql[n - 1])))
		sql[--n] = '\0';
}

/* Checks and runs the model's answer: 1 done, 0 refused or failed (the
 * reason in why, to send back), -1 a failure not worth a retry. A model
 * off this machine (remote) is told the kind of a warehouse error, never
 * the server's text, which can hold row data. */
static int check_and_run(struct dw_ask_session *s, const struct dw_ask_opts *o, int remote,
			 struct dw_ask_answer *a, const char *answer, char **why,
			 struct dw_err *err)
{
	struct dw_err e = { 0 };
	size_t len, ok;

	free(a->sql);
	a->sql = dw_llm_extract_sql(answer);
	if (!a->sql) {
		*why = strdup("the answer has no SQL query; reply with one query in a ```sql block");
		dw_err_set(err, DW_EX_DATAERR, "the answer has no SQL query");
		return 0;
	}
	len = strlen(a->sql);
	if ((ok = dw_text_utf8_valid(a->sql, len)) < len)
		dw_err_set(&e, DW_EX_DATAERR, "the query is not valid UTF-8 (byte %zu)", ok + 1);
	if (e.code || dw_validate_sql(a->sql, DW_DB_MY, &s->schema, &e) < 0) {
		*why = malloc(2 * DW_ERR_MSG_MAX + 16);
		if (*why)
			snprintf(*why, 2 * DW_ERR_MSG_MAX + 16, "%s%s%s", e.msg, *e.hint ? "; " : "",
				 e.hint);
		*err = e;
		return 0;
	}
	trim_semicolons(a->sql);
	if (o->sql_only)
		return 1;
	if (dw_exec_query(&s->exec, a->sql, NULL, 0, &a->result, &a->exec_ms, &e) == 0) {
		a->ran = 1;
		return 1;
	}
	*err = e;
	/* Only the warehouse's rejection of the query is sent back. */
	if (!s->exec.error || e.code == DW_EX_TEMPFAIL || e.code == DW_EX_UNAVAILABLE)
		return -1;
	*why = strdup(remote && s->exec.error ? dw_exec_error_kind(s->exec.error) : e.msg);
	err->code = DW_EX_DATAERR;
	return 0;
}

/* s, malloc'd, as well-formed UTF-8 (freed); NULL when out of memory. What
 * goes back to a model is valid JSON text, whatever it sent. */
static char *well_formed(char *s)
{
	char *c = dw_text_utf8_clean(s, SIZE_MAX);

	free(s);
	return c;
}

static char *retry_prompt(const char *sql, const char *why)
{
	char *clean = dw_text_utf8_clean(sql ? sql : "", SIZE_MAX), *text;

	if (!clean)
		return NULL;
	text = dw_prompt_retry(clean, why ? why : "");
	free(clean);
	return text;
}

/* A remote model's SQL runs only on an account that can do nothing but
 * read the model's tables, unless --unsafe-account says otherwise: then
 * the warehouse, not dw-ask's check, is the barrier. */
static int check_account(const struct dw_ask_session *s, const struct dw_llm_endpoint *ep,
			 const struct dw_ask_opts *o, struct dw_err *err)
{
	if (!ep->remote || !s->account_unsafe || o->unsafe_account)
		return 0;
	dw_err_set(err, DW_EX_NOPERM, "engine '%s' is remote and the account '%s' may do more than "
		   "read the model's tables", ep->name, s->db_user);
	if (s->account_unsafe < 0) {
		dw_err_detail(err, "%s", s->account_what);
		dw_err_hint(err, "use an account made as in dw-ask-reader.sql, or, alone on this "
			    "warehouse, pass --unsafe-account");
		return -1;
	}
	dw_err_detail(err, "it holds %s", s->account_what);
	dw_err_hint(err, "remove it (%s), use an account made as in dw-ask-reader.sql, or, "
		    "alone on this warehouse, pass --unsafe-account", s->account_revoke);
	return -1;
}

int dw_ask_llm_try(struct dw_ask_session *s, const char *engine, const struct dw_ask_opts *o,
		   struct dw_ask_answer *a, struct dw_err *err)
{
	struct dw_llm_endpoint ep;
	struct chat c = { 0 };
	char *system = NULL, *why = NULL;
	int rc = -1;

	if (!o->question)
		return dw_err_set(err, DW_EX_USAGE, "no question"), -1;
	if (endpoint_for(s->cfg, engine, &ep, err) < 0 || check_account(s, &ep, o, err) < 0)
		return -1;
	if (!(system = system_prompt(s, &ep, o->question, a)) ||
	    chat_add(&c, "user", strdup(o->question)) < 0) {
		free(system);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	for (int turn = 0; turn <= s->cfg->ask.reprompts; turn++) {
		char *answer = NULL;
		struct dw_llm_stats st = { 0 };
		double t0 = dw_log_clock();

		free(why);
		why = NULL;
		rc = dw_llm_chat(&ep, system, c.msgs, c.n, &answer, &st, err);
		a->engine_ms += (dw_log_clock() - t0) * 1000;
		if (rc < 0)
			break;
		rc = check_and_run(s, o, ep.remote, a, answer, &why, err);
		if (rc != 0) {
			free(answer);
			break;
		}
		dw_log_verbose(1, "%s: answer %d refused: %s", engine, turn + 1, why ? why : "");
		if (chat_add(&c, "assistant", well_formed(answer)) < 0 ||
		    chat_add(&c, "user", retry_prompt(a->sql, why)) < 0) {
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
			break;
		}
	}
	/* The user is told the server's own words. */
	if (rc == 0) {
		char last[DW_ERR_MSG_MAX];

		snprintf(last, sizeof last, "%s", err->msg);
		dw_err_set(err, DW_EX_DATAERR, "%s: no usable query after %d correction%s: %.300s",
			   engine, s->cfg->ask.reprompts, s->cfg->ask.reprompts == 1 ? "" : "s",
			   last);
		rc = -1;
	}
	free(why);
	chat_release(&c);
	free(system);
	return rc;
}
