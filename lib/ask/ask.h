/* ask: dw-ask's work. A session holds what every question needs (the
 * knowledge file, the read-only warehouse connection, the live schema, the
 * offline engine's values); each question goes through the configured
 * engines in order, its SQL is validated, run read-only with a time limit and
 * a row cap, audited, then printed. */
#ifndef DW_ASK_H
#define DW_ASK_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

struct dw_ask_session;

/* The longest question, or report parameter value, in bytes. */
#define DW_ASK_MAX_INPUT 65535

struct dw_ask_opts {
	const char *question;         /* NULL when running a report */
	const char *engines;          /* engine order; NULL = ask.engines */
	const char *report;           /* --report NAME */
	const char *const *pkeys;     /* --report parameters key=value */
	const char *const *pvalues;
	size_t nparams;
	int sql_only;                 /* --sql: print the SQL, run nothing */
	int unsafe_account;           /* --unsafe-account: remote engines on any reader */
	int explain;                  /* --explain */
	int chart;                    /* --chart */
	const char *svg;              /* --svg FILE, NULL none */
	enum dw_out_format format;
	int header;
	int width;                    /* terminal width for tables and charts */
	int utf8;                     /* charts may use block characters */
};

/* Loads the knowledge file, connects the read-only account (and the audit
 * account when it differs), reads the live schema and the values the
 * offline engine matches. Returns a session or NULL with err. */
struct dw_ask_session *dw_ask_open(const struct dw_config *cfg, struct dw_err *err);
void dw_ask_close(struct dw_ask_session *s);
/* Whether the reader may write answers to files: 0 for a person whose role
 * says export: false (dw-user), 1 otherwise. */
int dw_ask_may_export(const struct dw_ask_session *s);

/* Answers one question or runs one report: data to out; the explanation
 * (--explain) and notices go through the log module. A question or value
 * that is not UTF-8 or is too long is refused before anything runs; each
 * query is audited as started before it runs, and the question with its
 * outcome before anything is shown. Returns 0 answered, 1 no engine could
 * answer (reason in err), or -1 with err (64 usage, 65 refused input or SQL, 69
 * unavailable, 75 retry later, 77 denied, 70 internal, 74 I/O). */
int dw_ask_run(struct dw_ask_session *s, const struct dw_ask_opts *o, FILE *out,
	       struct dw_err *err);

#endif
