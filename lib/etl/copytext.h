#ifndef DW_ETL_COPYTEXT_H
#define DW_ETL_COPYTEXT_H

#include <stddef.h>

#include "db/db.h"
#include "err.h"

/* Rows for a PostgreSQL COPY ... FROM STDIN in text format, buffered and
 * sent in chunks, so memory stays flat whatever the row count. */
struct dw_copytext {
	struct dw_db *pg;
	char *buf;
	size_t len;
};

#define DW_COPYTEXT_SIZE (256 * 1024)

/* Returns 0, or -1 when out of memory. */
int dw_copytext_init(struct dw_copytext *w, struct dw_db *pg);
void dw_copytext_free(struct dw_copytext *w);
/* Appends one value (NULL is SQL NULL), escaped; last ends the row. */
int dw_copytext_value(struct dw_copytext *w, const char *s, int last, struct dw_err *err);
/* Sends what is buffered. */
int dw_copytext_flush(struct dw_copytext *w, struct dw_err *err);

#endif
