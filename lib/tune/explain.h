/* explain: what the optimizer expects a SELECT to cost, from EXPLAIN: per
 * table of the plan, its alias and the rows it reads down the join order
 * of its SELECT; for the whole statement, the features dw-tune predict
 * fits (rows read, tables, a temporary table or a sort). */
#ifndef DW_TUNE_EXPLAIN_H
#define DW_TUNE_EXPLAIN_H

#include <stddef.h>

#include "db/db.h"
#include "err.h"

struct dw_explain_step {
	char alias[257];            /* EXPLAIN's table: an alias, or <derived2> and such */
	double reads;               /* the product of rows down its SELECT's join order */
};

struct dw_explain {
	struct dw_explain_step *steps;
	size_t n;
	double reads;               /* the sum of the steps' */
	int sorts;                  /* a step uses a temporary table or a filesort */
};

/* Whether sql is a statement EXPLAIN can plan as it would run: a SELECT
 * (or WITH) reading no user variable, whose values a session other than
 * its own lacks. */
int dw_explain_fits(const char *sql);

/* EXPLAIN of sql on my into e. Returns 0, or -1 with err (the server's
 * error: a statement it cannot plan, or one cut short); release e with
 * dw_explain_release either way. */
int dw_explain_read(struct dw_db *my, const char *sql, struct dw_explain *e, struct dw_err *err);
void dw_explain_release(struct dw_explain *e);

#endif
