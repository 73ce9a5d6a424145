/* vcheck: the verbs of dw-validate(1). */
#ifndef DW_CHECK_VCHECK_H
#define DW_CHECK_VCHECK_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

struct dw_vcheck_opts {
	const char *check;          /* --check NAME */
	const char *tag;            /* --tag TAG */
	int strict;                 /* --strict: warnings fail too */
	long samples;               /* --samples N */
	enum dw_out_format format;  /* DW_OUT_AUTO: one line per failure, nothing on success;
	                             * DW_OUT_TAP, DW_OUT_JUNIT: run only */
	int header;
};

/* run: every check (or those named or tagged) against its database.
 * Returns 0 when none failed, -1 with err: DW_EX_NEGATIVE when one failed
 * (or warned, with strict), DW_EX_DATAERR for a bad checks file. */
int dw_vcheck_run(const struct dw_config *cfg, const struct dw_vcheck_opts *o, FILE *out,
		  struct dw_err *err);
/* list: the checks of the file, a row each. */
int dw_vcheck_list(const struct dw_config *cfg, const struct dw_vcheck_opts *o, FILE *out,
		   struct dw_err *err);

#endif
