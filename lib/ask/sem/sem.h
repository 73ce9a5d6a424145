/* sem: the offline engine. It reads a question word by word
 * against the knowledge file (metrics, dimensions, time grains and their
 * synonyms) and the dimension values found in the warehouse, and builds SQL
 * from the join graph. It answers only when every word is accounted for;
 * otherwise it declines and says which word it did not understand. It never
 * guesses. */
#ifndef DW_ASK_SEMANTIC_H
#define DW_ASK_SEMANTIC_H

#include <stddef.h>

#include "kb.h"
#include "db/db.h"
#include "err.h"

struct dw_sem;

/* What the engine knows about the warehouse's contents: the distinct values
 * of every dimension marked "values: true" and the latest order date (for
 * "last year"). Building one from a live warehouse: dw_sem_new, then the
 * rows of dw_sem_load_sql added (lib/ask/cache.c does, through its file);
 * tests add values by hand. */
struct dw_sem *dw_sem_new(const struct dw_kb *kb);
void dw_sem_free(struct dw_sem *sem);
/* Adds a stored value of dimension dim (by name). Returns 0 or -1 (unknown
 * dimension or out of memory). */
int dw_sem_add_value(struct dw_sem *sem, const char *dim, const char *value);
/* Adds a member of dimension dim: its label and the rest of its key, the
 * key columns other than the label joined by ", " ("Central", "EU"). A
 * label with several members is read as all of them, with a notice. The
 * label becomes a value as with dw_sem_add_value. Returns 0 or -1. */
int dw_sem_add_member(struct dw_sem *sem, const char *dim, const char *label,
		      const char *rest);
/* Latest date with facts as YYYYMMDD (0 = unknown: relative periods then
 * decline). */
void dw_sem_set_latest(struct dw_sem *sem, long yyyymmdd);
/* Dimension dim cannot be told apart in the schema read (its key is
 * masked for the reader's role): plans that group or filter by it are
 * declined. Returns 0, or -1 for an unknown dimension. */
int dw_sem_mask(struct dw_sem *sem, const char *dim);
/* 1 when the label of dim does not name one member alone, so its rows
 * are members (dw_sem_add_member), else 0 (dw_sem_add_value). */
int dw_sem_load_members(const struct dw_kb_dimension *dim);
/* The query that reads dim's values: "SELECT label, CONCAT_WS(', ', rest
 * of key) ... GROUP BY 1, 2" for members, else the labels and ''.
 * Identifiers are quoted by the db module. Malloc'd; NULL when out of
 * memory. */
char *dw_sem_load_sql(struct dw_db *db, const struct dw_kb_dimension *dim);
/* The query whose one value is the latest date key (dw_sem_set_latest),
 * into buf; "" when the model has no time key. */
void dw_sem_load_latest_sql(const struct dw_kb *kb, char *buf, size_t size);

/* Up to max distinct stored values of dimension dim (by name) into out
 * (pointers owned by sem); returns how many. For LLM prompts when
 * ask.prompt_values is on. */
size_t dw_sem_dimension_values(const struct dw_sem *sem, const char *dim, const char **out,
			       size_t max);

/* An answer: SQL with ? placeholders and their values, and how it was read. */
struct dw_sem_answer {
	char *sql;
	size_t nparams;
	char **params;
	char *explain;            /* lines "matched: ...", for --explain */
	char *notice;             /* NULL, or what the user must know (a value naming
				   * several members), one line without newline */
	int time_axis;            /* the first result column is a time grain */
};

/* Parses question. Returns 1 with ans filled (release it with
 * dw_sem_answer_release), 0 when the engine declines (reason in
 * err->msg, code 0... DW_EX_NEGATIVE), or -1 on an internal error. */
int dw_sem_answer(struct dw_sem *sem, const char *question, struct dw_sem_answer *ans,
		  struct dw_err *err);
void dw_sem_answer_release(struct dw_sem_answer *ans);

#endif
