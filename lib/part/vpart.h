/* vpart: the verbs of dw-partition(1): list, plan, apply, check, retain
 * and restore, over the tables of the partition policy (lib/partplan.h). */
#ifndef DW_PART_VPART_H
#define DW_PART_VPART_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

struct dw_vpart_opts {
	const char *table;          /* --table NAME: only this one */
	int exact;                  /* list --exact: count the rows */
	int dry_run;                /* apply, retain, restore --dry-run: print the SQL,
	                             * change nothing, write no file */
	const char *older_than;     /* retain --older-than D (10y, 8q, 24m): instead of the
	                             * policy's retain */
	const char *archive;        /* retain --archive DIR: instead of the policy's archive */
	const char *file;           /* restore: the manifest or data file of an archive */
	enum dw_out_format format;  /* DW_OUT_AUTO: lines for people (plan, apply, check) */
	int header;
};

/* Each returns 0 or -1 with err; check returns DW_EX_NEGATIVE when it
 * found a problem, apply, retain and restore DW_EX_TEMPFAIL when another
 * dw-partition runs. retain archives each partition past retention
 * (lib/part/archive.h), checks the file, then retires the partition into
 * the older catch-all: DW_EX_CONFIG without an archive directory. restore
 * verifies an archive (DW_EX_DATAERR when it does not hold what its
 * manifest says, or is not for this warehouse's table), makes its
 * partition again when the older catch-all has absorbed it, and loads its
 * rows in one transaction. */
int dw_vpart_list(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		  struct dw_err *err);
int dw_vpart_plan(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		  struct dw_err *err);
int dw_vpart_apply(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		   struct dw_err *err);
int dw_vpart_check(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		   struct dw_err *err);
int dw_vpart_retain(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		    struct dw_err *err);
int dw_vpart_restore(const struct dw_config *cfg, const struct dw_vpart_opts *o, FILE *out,
		     struct dw_err *err);

#endif
