#include "etl/copytext.h"

#include <stdlib.h>
#include <string.h>

int dw_copytext_init(struct dw_copytext *w, struct dw_db *pg)
{
	w->pg = pg;
	w->len = 0;
	w->buf = malloc(DW_COPYTEXT_SIZE);
	return w->buf ? 0 : -1;
}

void dw_copytext_free(struct dw_copytext *w)
{
	free(w->buf);
	w->buf = NULL;
}

int dw_copytext_flush(struct dw_copytext *w, struct dw_err *err)
{
	if (w->len && dw_db_pg_copy_in_put(w->pg, w->buf, w->len, err) < 0)
		return -1;
	w->len = 0;
	return 0;
}

/* The COPY stream may be cut anywhere, even inside a value: the buffer is
 * sent whenever an escaped character might not fit. */
int dw_copytext_value(struct dw_copytext *w, const char *s, int last, struct dw_err *err)
{
	if (w->len + 3 > DW_COPYTEXT_SIZE && dw_copytext_flush(w, err) < 0)
		return -1;
	if (!s) {
		memcpy(w->buf + w->len, "\\N", 2);
		w->len += 2;
	}
	for (; s && *s; s++) {
		char c = *s;

		if (w->len + 3 > DW_COPYTEXT_SIZE && dw_copytext_flush(w, err) < 0)
			return -1;
		if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
			w->buf[w->len++] = '\\';
			c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
		}
		w->buf[w->len++] = c;
	}
	w->buf[w->len++] = last ? '\n' : '\t';
	return 0;
}
