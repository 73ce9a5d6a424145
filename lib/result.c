#include "result.h"

#include <stdlib.h>
#include <string.h>

static int add_row(struct dw_result *res, struct dw_rows *rows, size_t *cap)
{
	size_t need = (res->nrows + 1) * (size_t)res->ncols;

	if (need > *cap) {
		size_t ncap = *cap ? *cap * 2 : (size_t)res->ncols * 64;
		char **p;

		while (ncap < need)
			ncap *= 2;
		if (!(p = realloc(res->cells, ncap * sizeof *p)))
			return -1;
		res->cells = p;
		*cap = ncap;
	}
	for (int c = 0; c < res->ncols; c++) {
		const char *v = dw_rows_value(rows, c);
		char **cell = &res->cells[res->nrows * (size_t)res->ncols + (size_t)c];

		*cell = v ? strdup(v) : NULL;
		if (v && !*cell) {
			while (c-- > 0)
				free(res->cells[res->nrows * (size_t)res->ncols + (size_t)c]);
			return -1;
		}
	}
	res->nrows++;
	return 0;
}

static int take_columns(struct dw_result *res, struct dw_rows *rows)
{
	res->ncols = dw_rows_ncols(rows);
	res->names = calloc((size_t)res->ncols + 1, sizeof *res->names);
	res->kinds = calloc((size_t)res->ncols + 1, sizeof *res->kinds);
	if (!res->names || !res->kinds)
		return -1;
	for (int c = 0; c < res->ncols; c++) {
		res->kinds[c] = dw_rows_is_numeric(rows, c) ? DW_OUT_NUMBER : DW_OUT_TEXT;
		if (!(res->names[c] = strdup(dw_rows_name(rows, c))))
			return -1;
	}
	return 0;
}

/* Bytes the current row takes once held. */
static size_t row_bytes(const struct dw_result *res, struct dw_rows *rows)
{
	size_t n = (size_t)res->ncols * sizeof(char *);

	for (int c = 0; c < res->ncols; c++) {
		const char *v = dw_rows_value(rows, c);

		n += v ? strlen(v) + 1 : 0;
	}
	return n;
}

int dw_result_fetch(struct dw_rows *rows, long limit, size_t max_bytes, struct dw_result *res,
		    struct dw_err *err)
{
	size_t cap = 0, bytes = 0, more;
	int rc;

	memset(res, 0, sizeof *res);
	if (take_columns(res, rows) < 0)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	while ((rc = dw_rows_next(rows, err)) == 1) {
		if ((long)res->nrows == limit) {
			res->truncated = 1;
			break;
		}
		if ((more = row_bytes(res, rows)) > max_bytes - bytes) {
			res->truncated = res->byte_capped = 1;
			break;
		}
		bytes += more;
		if (add_row(res, rows, &cap) < 0)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	return rc < 0 ? -1 : 0;
}

int dw_result_write(const struct dw_result *res, struct dw_out *out, struct dw_err *err)
{
	int rc = 0;

	for (int c = 0; c < res->ncols; c++)
		dw_out_column(out, res->names[c], res->kinds[c]);
	for (size_t r = 0; r < res->nrows && rc == 0; r++)
		rc = dw_out_row(out, (const char *const *)&res->cells[r * (size_t)res->ncols], err);
	return rc;
}

int dw_result_print(const struct dw_result *res, FILE *fp, enum dw_out_format fmt, int header,
		    struct dw_err *err)
{
	struct dw_out *out = dw_out_new(fp, fmt, header);
	int rc;

	if (!out)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	rc = dw_result_write(res, out, err);
	if (rc == 0)
		rc = dw_out_end(out, err);
	dw_out_free(out);
	return rc;
}

void dw_result_release(struct dw_result *res)
{
	for (size_t i = 0; i < res->nrows * (size_t)res->ncols; i++)
		free(res->cells[i]);
	for (int c = 0; res->names && c < res->ncols; c++)
		free(res->names[c]);
	free(res->cells);
	free(res->names);
	free(res->kinds);
	memset(res, 0, sizeof *res);
}
