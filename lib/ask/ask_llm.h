/* ask_llm: the LLM engines (ollama, openai, gemini, anthropic) of a dw-ask
 * session; called by ask.c, calls exec.c. */
#ifndef DW_ASK_LLM_H
#define DW_ASK_LLM_H

#include "ask/ask_int.h"

/* Asks engine for SQL answering o->question, validates and runs it,
 * re-prompting with the error a bounded number of times; fills a (sql,
 * result, examples, times). Returns 1 answered, 0 declined, -1 with err. */
int dw_ask_llm_try(struct dw_ask_session *s, const char *engine, const struct dw_ask_opts *o,
		   struct dw_ask_answer *a, struct dw_err *err);

#endif
