/* out_rows: prints a whole query result through lib/out, streaming. */
#ifndef DW_OUT_ROWS_H
#define DW_OUT_ROWS_H

#include <stdio.h>

#include "db/db.h"
#include "out.h"

/* Prints every row of rows (not freed) to fp; numeric columns are typed as
 * numbers. Returns the row count or -1 with err. */
long long dw_out_rows(struct dw_rows *rows, FILE *fp, enum dw_out_format fmt, int header,
		      struct dw_err *err);

#endif
