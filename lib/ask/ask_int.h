/* int: the pieces of dw-ask shared by lib/ask*.c. */
#ifndef DW_ASK_INT_H
#define DW_ASK_INT_H

#include "ask/ask.h"
#include "ask/kb.h"
#include "ask/schema.h"
#include "ask/sem/sem.h"
#include "db/db.h"
#include "result.h"

struct dw_ask_session {
	const struct dw_config *cfg;
	struct dw_kb kb;
	struct dw_db *db;             /* the read-only account */
	struct dw_db *audit;          /* writes the audit trail (may be db) */
	const char *db_user;
	struct dw_schema schema;
	struct dw_sem *sem;
};

/* One question's way through the engines. */
struct dw_ask_answer {
	char engine[32];              /* the engine that answered */
	char *sql;                    /* with ? placeholders */
	char *tried_sql;              /* the last SQL of an engine that failed, for the audit */
	char **params;
	size_t nparams;
	char *explain;                /* the engine's own account, lines */
	char examples[2048];          /* LLM engines: examples put in the prompt */
	char tried[2048];             /* engines that did not answer, and why */
	int time_axis;
	int ran;
	struct dw_result result;
	double engine_ms, exec_ms;
};

/* Runs sql read-only under the time limit and row cap. Returns 0 or -1. */
int dw_ask_execute(struct dw_ask_session *s, const char *sql, const char *const *params,
		   size_t n, struct dw_result *res, struct dw_err *err);
/* sql with its parameters shown as literals; malloc'd, NULL on OOM. */
char *dw_ask_sql_display(const char *sql, const char *const *params, size_t n);
/* Frees what an engine put in a, keeping tried. */
void dw_ask_answer_reset(struct dw_ask_answer *a);
/* An LLM engine (ollama, openai, gemini, anthropic): 1 answered, 0
 * declined, -1 with err. */
int dw_ask_llm_try(struct dw_ask_session *s, const char *engine, const struct dw_ask_opts *o,
		   struct dw_ask_answer *a, struct dw_err *err);
/* The result as a table/tsv/... or chart, the SVG, the footer lines. */
int dw_ask_print_result(struct dw_ask_session *s, const struct dw_ask_opts *o,
			const struct dw_ask_answer *a, FILE *out, FILE *msg, struct dw_err *err);

#endif
