/* out_xlsx: an Excel workbook of one result, for lib/out (-F xlsx). */
#ifndef DW_OUT_XLSX_H
#define DW_OUT_XLSX_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "out.h"

/* A sheet of key/value rows after the data sheet. */
struct dw_out_xlsx_note {
	char *name;
	char **keys, **values;    /* n each; a NULL value is an empty cell */
	size_t n;
};

/* The result: nrows * ncols cells, row-major, NULL is SQL NULL. */
struct dw_out_xlsx_data {
	size_t ncols, nrows;
	const char *const *names;
	const enum dw_out_kind *kinds;
	const char *const *cells;
	int header;
	const struct dw_out_xlsx_note *notes;
	size_t nnotes;
};

/* Writes the workbook dw_out_end describes (out.h) to fp. Returns 0 or -1
 * with err. */
int dw_out_xlsx_write(const struct dw_out_xlsx_data *d, FILE *fp, struct dw_err *err);

#endif
