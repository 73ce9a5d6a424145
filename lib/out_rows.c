#include "out_rows.h"

#include <stdlib.h>

long long dw_out_rows(struct dw_rows *rows, FILE *fp, enum dw_out_format fmt, int header,
		      struct dw_err *err)
{
	struct dw_out *out = dw_out_new(fp, fmt, header);
	int ncols = dw_rows_ncols(rows), rc;
	const char **vals = calloc((size_t)ncols + 1, sizeof *vals);
	long long n = 0;

	if (!out || !vals) {
		dw_out_free(out);
		free(vals);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	for (int c = 0; c < ncols; c++)
		dw_out_column(out, dw_rows_name(rows, c),
			      dw_rows_is_numeric(rows, c) ? DW_OUT_NUMBER : DW_OUT_TEXT);
	while ((rc = dw_rows_next(rows, err)) == 1) {
		for (int c = 0; c < ncols; c++)
			vals[c] = dw_rows_value(rows, c);
		if (dw_out_row(out, vals, err) < 0) {
			rc = -1;
			break;
		}
		n++;
	}
	if (rc == 0 && dw_out_end(out, err) < 0)
		rc = -1;
	dw_out_free(out);
	free(vals);
	return rc < 0 ? -1 : n;
}
