/* vdiff: dw-validate diff, the verb: the reconciliation printed, and with
 * --repair the differences fixed and compared again. */
#ifndef DW_CHECK_VDIFF_H
#define DW_CHECK_VDIFF_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

struct dw_vdiff_opts {
	const char *table;          /* --table NAME: only this one */
	long limit;                 /* --limit N differences listed (0: all) */
	int repair, dry_run;        /* --repair [--dry-run] */
	enum dw_out_format format;  /* DW_OUT_AUTO: one line per difference */
	int header;
};

/* Returns 0 when the warehouse says what the OLTP database says (after the
 * repair, with --repair), -1 with err: DW_EX_NEGATIVE when a difference
 * remains, 69 a database unavailable, 78 schema drift. */
int dw_vdiff_run(const struct dw_config *cfg, const struct dw_vdiff_opts *o, FILE *out,
		 struct dw_err *err);

#endif
