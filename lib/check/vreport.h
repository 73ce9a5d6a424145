/* vreport: the results of dw-validate run as printed. Without -F a line
 * per failing or warning check and nothing on success, as cron wants; with
 * a row format (-F table, tsv, ...) a row per check; -F tap a TAP stream
 * that prove(1) reads; -F junit a JUnit XML document for CI servers. The
 * test reports of dw-validate diff too: a test per table compared. */
#ifndef DW_CHECK_VREPORT_H
#define DW_CHECK_VREPORT_H

#include <stdio.h>
#include <time.h>

#include "check/checkfile.h"
#include "check/rule.h"
#include "db/db.h"
#include "err.h"
#include "out.h"

struct dw_vreport;

/* Starts the report of the n checks to run from the checks file path, on
 * out, of a run started at started. strict: a warning fails (TAP and JUnit
 * report it as a failure). Returns it (freed with dw_vreport_free), NULL
 * when out of memory. */
struct dw_vreport *dw_vreport_new(FILE *out, enum dw_out_format fmt, int header, int strict,
				  const char *path, int n, time_t started);
/* 1 when the format shows a failing check's rows (the samples). */
int dw_vreport_shows_samples(const struct dw_vreport *r);
/* One check's result and, when not NULL, its failing rows (read, not
 * freed). Returns 0 or -1 with err. */
int dw_vreport_check(struct dw_vreport *r, const struct dw_checkfile_check *c,
		     const struct dw_rule_result *res, struct dw_rows *samples, struct dw_err *err);
/* With -F tap or junit: a table compared by diff, which passes when
 * failure is NULL, else fails with that message, text (NULL: none) its
 * differences. */
void dw_vreport_table(struct dw_vreport *r, const char *name, const char *failure,
		      const char *text, double seconds);
/* A check that could not run, which ends the run: e says why. */
void dw_vreport_error(struct dw_vreport *r, const struct dw_checkfile_check *c,
		      const struct dw_err *e);
/* Ends the report, after an error too (JUnit's document is then whole,
 * the table holds the checks that ran): the table and JUnit print here.
 * Returns 0 or -1 with err. */
int dw_vreport_end(struct dw_vreport *r, struct dw_err *err);
void dw_vreport_free(struct dw_vreport *r);

#endif
