/* width: the widest value, in characters, the warehouse holds for each
 * text field of the orders and returns files (sql/dw/001_schema.sql). The
 * OLTP database refuses longer values with CHECK constraints
 * (sql/oltp/002_fit.sql) and dw-etl import rejects them per line; t/009
 * checks that the three agree. */
#ifndef DW_ETL_WIDTH_H
#define DW_ETL_WIDTH_H

#include <stddef.h>

/* Width of the field named as in the files' header ("Customer Name"), 0
 * when the warehouse does not bound it as text (numbers, dates, lists). */
int dw_width_field(const char *name);
/* Characters (UTF-8 code points, as both databases count them) in s. */
size_t dw_width_chars(const char *s);

#endif
