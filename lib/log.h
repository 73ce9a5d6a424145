/* log: the one place that writes messages to stderr.
 * Format: "PROG: error: MESSAGE" with optional "detail:" and "hint:" lines. */
#ifndef DW_LOG_H
#define DW_LOG_H

#include "err.h"

/* verbosity: -1 quiet (-q), 0 default, 1.. for each -v. */
void dw_log_init(const char *prog, int verbosity);
int dw_log_verbosity(void);
const char *dw_log_prog(void);
/* Prints err (message, detail, hint) as an error; returns err->code. */
int dw_log_err(const struct dw_err *err);
void dw_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warnings are printed unless -q. */
void dw_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Printed only at verbosity >= level (1 for -v, 2 for -vv). */
void dw_log_verbose(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text asked for on stderr (--explain, an interactive prompt): printed as
 * given, without the program name, even with -q. */
void dw_log_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Progress line for long work: shown on a terminal, or with -v. total 0
 * when unknown. dw_log_progress_done ends the line. */
struct dw_log_progress {
	const char *what;
	long long total;
	long long done;
	double started;     /* monotonic seconds */
	double last_shown;
	int enabled;
	int shown;
};
void dw_log_progress_start(struct dw_log_progress *p, const char *what, long long total);
void dw_log_progress_update(struct dw_log_progress *p, long long done);
void dw_log_progress_done(struct dw_log_progress *p);
double dw_log_clock(void);

#endif
