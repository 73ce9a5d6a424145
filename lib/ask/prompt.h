/* prompt: the text dw-ask sends to LLM engines: a system prompt built
 * from the live schema, the knowledge file (descriptions, joins, metrics,
 * dimensions, time grains, rules) and the curated examples most relevant to
 * the question (chosen locally with BM25), and the follow-up message after
 * a failed attempt.
 *
 * The prompt never holds row data, except the distinct values of
 * dimensions the caller passes (when configured), and never the values of
 * a personal-data dimension. */
#ifndef DW_ASK_PROMPT_H
#define DW_ASK_PROMPT_H

#include <stddef.h>

#include "kb.h"
#include "ask/schema.h"
#include "db/db.h"

/* At most this many values are listed per dimension. */
#define DW_PROMPT_MAX_VALUES 50

/* The distinct values of one dimension, named as in the knowledge file. */
struct dw_prompt_values {
	const char *dimension;
	size_t n;
	const char *const *values;
};

struct dw_prompt_input {
	const struct dw_kb *kb;
	const struct dw_schema *schema;   /* the live schema: only its tables are described */
	enum dw_db_kind dialect;
	const size_t *examples;           /* indexes into kb->examples, best first */
	size_t nexamples;
	const struct dw_prompt_values *values;   /* NULL/0 unless configured */
	size_t nvalues;
	int remote;                       /* the endpoint is not on this machine */
	long row_limit;                   /* > 0: ask for LIMIT row_limit on row lists */
	const char *role;                 /* the reader's role, whose views mask personal
	                                   * data (dw-user); NULL when none */
};

/* The system prompt: task and rules; each live table (knowledge-file tables
 * missing from the live schema are left out, live tables missing from the
 * knowledge file are listed bare) with its columns, types, descriptions and
 * personal-data marks; the joins, metrics and dimensions over live tables;
 * the time grains; the business rules; the chosen examples in order; and
 * the given dimension values. Values are left out for a dimension that is
 * personal data (the dimension or its column is marked pii), and, when the
 * endpoint is remote, also for a dimension the knowledge file does not
 * declare (it cannot be shown not to be personal data). Returns a malloc'd
 * string the caller frees, NULL when out of memory. */
char *dw_prompt_system(const struct dw_prompt_input *in);

/* The user message after a failed attempt: the error and the SQL, asking
 * for one corrected query. Returns a malloc'd string the caller frees, NULL
 * when out of memory. */
char *dw_prompt_retry(const char *sql, const char *error);

/* Picks up to k examples whose questions best match question (BM25 over
 * kb->examples' questions): fills idx best first and returns how many (0
 * also when out of memory: the prompt then simply has no examples). */
size_t dw_prompt_pick_examples(const struct dw_kb *kb, const char *question, size_t k,
				   size_t *idx);

#endif
