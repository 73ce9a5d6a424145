#include "etl/keymap.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *p;
	size_t len, cap;
};

static int put(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		if (!(p = realloc(b->p, cap)))
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
	return 0;
}

static int put_value(struct buf *b, const char *v)
{
	cJSON *item = v ? cJSON_CreateString(v) : cJSON_CreateNull();
	char *text = item ? cJSON_PrintUnformatted(item) : NULL;
	int rc = text ? put(b, text) : -1;

	cJSON_free(text);
	cJSON_Delete(item);
	return rc;
}

static int put_row(struct buf *b, const struct dw_rows *rows, int first)
{
	if (put(b, first ? "[" : ",[") < 0)
		return -1;
	for (int c = 0; c < dw_rows_ncols(rows); c++)
		if ((c && put(b, ",") < 0) || put_value(b, dw_rows_value(rows, c)) < 0)
			return -1;
	return put(b, "]");
}

char *dw_keymap_json(struct dw_db *db, const char *query, struct dw_err *err)
{
	struct dw_rows *rows = dw_db_query(db, query, 0, NULL, err);
	struct buf b = { 0 };
	int rc, n = 0;

	if (!rows)
		return NULL;
	rc = put(&b, "[");
	while (rc == 0 && (rc = dw_rows_next(rows, err)) == 1)
		rc = put_row(&b, rows, n++ == 0) < 0 ? -2 : 0;
	dw_rows_free(rows);
	if (rc == 0 && put(&b, "]") < 0)
		rc = -2;
	if (rc == -2)
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (rc < 0) {
		free(b.p);
		return NULL;
	}
	return b.p;
}
