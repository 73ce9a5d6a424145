/* exec: the bottom of a dw-ask session. Runs an answer's SQL on the
 * read-only account under the statement time limit and the row cap, and
 * shows SQL with its parameters as --sql and --explain print it and the
 * audit trail keeps it. ask.c and ask_llm.c call it; it calls neither. */
#ifndef DW_EXEC_H
#define DW_EXEC_H

#include <stddef.h>

#include "db/db.h"
#include "err.h"
#include "explain.h"
#include "result.h"

struct dw_exec {
	struct dw_db *db;           /* the read-only account, its time limit set */
	long row_limit;             /* rows fetched at most (ask.row_limit) */
	size_t byte_limit;          /* bytes of values held at most (ask.byte_limit) */
	long timeout_ms;            /* the time limit, named when it stops a query */
	int error;                  /* the server's error number of the last failed
	                             * query, 0 when it ran or failed otherwise */
	/* Called with each query before it runs (the audit trail is written
	 * first), and its trace (16 hexadecimal digits, which the query that
	 * runs names in a comment): -1 with err and the query does not run.
	 * NULL for none. */
	int (*before)(void *arg, const char *sql, const char *const *params, size_t n,
		      const char *trace, struct dw_err *err);
	void *arg;
	/* The fit dw-tune predict --save stored (NULL, or n 0: none): each
	 * query is EXPLAINed first and its expected time set below, with a
	 * warning when it passes the time limit. expect_ms < 0: none. */
	const struct dw_explain_model *model;
	double expect_ms, expect_lo, expect_hi;
};

/* A statement as it runs: the outermost LIMIT of its own (a number, or a
 * placeholder's value) lowered to cap when it is larger. */
struct dw_exec_stmt {
	char *sql;
	const char **params;
	size_t n;
	char cap[24];               /* the text of cap, when a value was replaced */
};
/* Fills st from sql and its n params (the pointers are copied, not the
 * strings). Returns 0, or -1 with err when sql does not lex (65) or out of
 * memory; release st with dw_exec_stmt_release either way. */
int dw_exec_stmt_limit(struct dw_exec_stmt *st, const char *sql, const char *const *params,
		       size_t n, long cap, struct dw_err *err);
void dw_exec_stmt_release(struct dw_exec_stmt *st);

/* Runs sql with its n parameters, once x->before let it, in a read-only
 * transaction rolled back after, into res: at most row_limit rows (the
 * server stops after one more: by sql_select_limit, and by lowering the
 * query's own outermost LIMIT, dw_exec_stmt_limit; the statement so
 * lowered is what x->before is given) and byte_limit bytes, res->truncated
 * when there were more. On MariaDB the statement runs as text, so that the
 * server keeps its digest for dw-tune: a comment naming the trace first,
 * the values bound to @dw_p1.. by one prepared SET, a LIMIT or OFFSET value
 * written as the count it must be (else DW_EX_DATAERR). res is released
 * first, so it must be zeroed or hold an earlier result; release it with
 * dw_result_release either way. Adds the milliseconds the query took to
 * *ms. Returns 0, or -1 with err (DW_EX_TEMPFAIL when the time limit
 * stopped it), x->error set. */
int dw_exec_query(struct dw_exec *x, const char *sql, const char *const *params,
		  size_t n, struct dw_result *res, double *ms, struct dw_err *err);

/* What a server error number means, in words of our own, for a model
 * off this machine: the server's message can hold row data (EXTRACTVALUE
 * puts a value in it). Returns a static string naming the number, as in
 * "a subquery returned more than one row (MariaDB error 1242)", in static
 * storage valid until the next call. */
const char *dw_exec_error_kind(int native);

/* sql with its ? placeholders, those the server reads as such (not a ? in
 * a string, quoted identifier or comment), replaced in order by the n
 * values as string literals of dialect (NULL for a NULL value, which is
 * bound as SQL NULL); placeholders past n stay ?.
 * Returns it malloc'd (the caller frees it), or NULL with err:
 * DW_EX_DATAERR when sql does not lex, DW_EX_SOFTWARE when out of memory. */
char *dw_exec_sql_shown(const char *sql, const char *const *params, size_t n,
			enum dw_db_kind dialect, struct dw_err *err);

#endif
