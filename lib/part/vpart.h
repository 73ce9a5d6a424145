/* vpart: the verbs of dw-partition(1): list, plan, apply and check, over
 * the tables of the partition policy (lib/partplan.h). */
#ifndef DW_PART_VPART_H
#define DW_PART_VPART_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

struct dw_vpart_opts {
	const char *table;          /* --table NAME: only this one */
	int exact;                  /* list --exact: count the rows */
	int dry_run;                /* apply --dry-run: print the SQL, change nothing */
	enum dw_out_format format;  /* DW_OUT_AUTO: lines for people (plan, apply, check) */
	int header;
};

/* Each returns 0 or -1 with err; check returns DW_EX_NEGATIVE when it
 * found a problem, apply DW_EX_TEMPFAIL when another dw-partition runs. */
int dw_vpart_list(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		  struct dw_err *err);
int dw_vpart_plan(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		  struct dw_err *err);
int dw_vpart_apply(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		   struct dw_err *err);
int dw_vpart_check(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		   struct dw_err *err);

#endif
