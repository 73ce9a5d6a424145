/* rows: reading a result set, whichever backend produced it. */
#include "db/db_int.h"

#include <stddef.h>

int dw_rows_next(struct dw_rows *rows, struct dw_err *err)
{
	return rows->ops->next(rows, err);
}

int dw_rows_ncols(const struct dw_rows *rows)
{
	return rows->ncols;
}

const char *dw_rows_name(const struct dw_rows *rows, int col)
{
	return col >= 0 && col < rows->ncols ? rows->ops->name(rows, col) : NULL;
}

const char *dw_rows_value(const struct dw_rows *rows, int col)
{
	return col >= 0 && col < rows->ncols ? rows->ops->value(rows, col) : NULL;
}

int dw_rows_is_numeric(const struct dw_rows *rows, int col)
{
	return col >= 0 && col < rows->ncols && rows->ops->is_numeric(rows, col);
}

void dw_rows_free(struct dw_rows *rows)
{
	if (rows)
		rows->ops->free(rows);
}
