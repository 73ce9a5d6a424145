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
	int no_history;             /* --no-history: run records nothing */
	const char *since;          /* history --since D (NULL: 7 days back) */
	int trend;                  /* history --trend */
	enum dw_out_format format;  /* DW_OUT_AUTO: one line per failure, nothing on success;
	                             * DW_OUT_TAP, DW_OUT_JUNIT: run only */
	int header;
};

/* run: every check (or those named or tagged) against its database, the
 * run then recorded in the warehouse's history (a warning when it cannot
 * be). Returns 0 when none failed, -1 with err: DW_EX_NEGATIVE when one
 * failed (or warned, with strict), DW_EX_DATAERR for a bad checks file. */
int dw_vcheck_run(const struct dw_config *cfg, const struct dw_vcheck_opts *o, FILE *out,
		  struct dw_err *err);
/* history: the recorded runs since o->since, of o->check or all, a row per
 * check run, or per check with o->trend. */
int dw_vcheck_history(const struct dw_config *cfg, const struct dw_vcheck_opts *o, FILE *out,
		      struct dw_err *err);
/* list: the checks of the file, a row each. */
int dw_vcheck_list(const struct dw_config *cfg, const struct dw_vcheck_opts *o, FILE *out,
		   struct dw_err *err);

#endif
