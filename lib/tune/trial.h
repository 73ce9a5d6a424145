/* trial: dw-tune try, revert and history. try builds the index of a create
 * advice (tune/advice.h), times the examples of the digests it serves
 * before and after it, and keeps it only when they got at least 20%
 * faster; revert drops an index a try kept. Each trial is a row of
 * dw_tune_trial and two audit events. */
#ifndef DW_TUNE_TRIAL_H
#define DW_TUNE_TRIAL_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

struct dw_trial_opts {
	const char *id;             /* the advice's id (try) or the trial's index (revert) */
	const char *since;          /* try: the window the advice is from (default 24h) */
	long runs;                  /* try: timed runs of each example, before and after */
	int dry_run;                /* try, auto: say what would be done */
	long max;                   /* auto: dw_tune_ indexes at most */
	const char *max_mb;         /* auto: their size at most in MB, the next one's estimate
				       included (default 1024) */
	const char *cooldown;       /* auto: the least time since the last trial (1h) */
	enum dw_out_format format;  /* history */
	int header;
};

/* Prints one line: kept or dropped, the index, the time before and after.
 * Returns 0, or -1 with err: DW_EX_DATAERR for an unknown id, a drop
 * advice, or no example of its digests that can be timed (an example
 * with user variables, whose values are unknown, cannot); the
 * warehouse's errors. */
int dw_trial_try(const struct dw_config *cfg, const struct dw_trial_opts *o, FILE *out,
		 struct dw_err *err);
/* Drops the index of the last kept trial of advice id; DW_EX_DATAERR when
 * none is kept. */
int dw_trial_revert(const struct dw_config *cfg, const struct dw_trial_opts *o, FILE *out,
		    struct dw_err *err);
/* try of the first create advice whose examples can be timed, from cron,
 * within guard rails: never while dw-etl runs (it holds dw-etl's run lock
 * throughout, so no run starts either: DW_EX_TEMPFAIL when one is under
 * way), not within cooldown of the last trial, not past max dw_tune_
 * indexes nor past max_mb of them (their size from
 * mysql.innodb_index_stats, which the account must read, and the next
 * one's estimate). One trial a call; says why when there is none. */
int dw_trial_auto(const struct dw_config *cfg, const struct dw_trial_opts *o, FILE *out,
		  struct dw_err *err);
/* The trials, newest first. */
int dw_trial_history(const struct dw_config *cfg, const struct dw_trial_opts *o, FILE *out,
		     struct dw_err *err);

#endif
