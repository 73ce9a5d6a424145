/* result: a query result held in memory (capped), for answers that are
 * audited before they are shown and drawn as charts. */
#ifndef DW_RESULT_H
#define DW_RESULT_H

#include <stddef.h>
#include <stdio.h>

#include "db/db.h"
#include "out.h"

struct dw_result {
	int ncols;
	char **names;
	enum dw_out_kind *kinds;
	size_t nrows;
	char **cells;             /* nrows * ncols, row-major; NULL is SQL NULL */
	int truncated;            /* more rows than the caps let in were available */
	int byte_capped;          /* and the byte cap was the one reached */
};

/* Reads at most limit rows of rows (not freed) into res, and no more rows
 * than fit in max_bytes (the values and their pointers): the rows are
 * held, not streamed, so this bounds memory. One more row is looked at to
 * set truncated. Returns 0 or -1 with err. Release res with
 * dw_result_release either way. */
int dw_result_fetch(struct dw_rows *rows, long limit, size_t max_bytes, struct dw_result *res,
		    struct dw_err *err);
/* Declares the columns of res in out and writes its rows, leaving
 * dw_out_end to the caller. Returns 0 or -1 with err. */
int dw_result_write(const struct dw_result *res, struct dw_out *out, struct dw_err *err);
/* Prints res in fmt. Returns 0 or -1 (DW_EX_IOERR). */
int dw_result_print(const struct dw_result *res, FILE *fp, enum dw_out_format fmt, int header,
		    struct dw_err *err);
void dw_result_release(struct dw_result *res);

#endif
