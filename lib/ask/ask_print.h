/* ask_print: an answer shown; called by ask.c. */
#ifndef DW_ASK_PRINT_H
#define DW_ASK_PRINT_H

#include <stdio.h>

#include "ask/ask_int.h"

/* The result to out as a table/tsv/... or chart, the SVG, the footer
 * lines; why no chart fits and the row cap's notice go to the log, as text
 * printed even with -q.
 * Returns 0, or -1 with err (DW_EX_IOERR; DW_EX_NEGATIVE when --svg found
 * no chart to write, after the table is printed). */
int dw_ask_print_result(struct dw_ask_session *s, const struct dw_ask_opts *o,
			const struct dw_ask_answer *a, FILE *out, struct dw_err *err);

#endif
