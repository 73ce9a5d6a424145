/* err: the error value every lib/ function fills instead of printing. */
#ifndef DW_ERR_H
#define DW_ERR_H

#include <stdarg.h>

/* Exit codes shared by every tool (DESIGN.md section 4). */
enum dw_exit {
	DW_EX_OK = 0,
	DW_EX_NEGATIVE = 1,   /* ran fine, negative result */
	DW_EX_USAGE = 64,
	DW_EX_DATAERR = 65,
	DW_EX_UNAVAILABLE = 69,
	DW_EX_SOFTWARE = 70,
	DW_EX_IOERR = 74,
	DW_EX_TEMPFAIL = 75,
	DW_EX_NOPERM = 77,
	DW_EX_CONFIG = 78,
};

#define DW_ERR_MSG_MAX 512

struct dw_err {
	int code;                      /* one of enum dw_exit; 0 when no error */
	char msg[DW_ERR_MSG_MAX];
	char detail[DW_ERR_MSG_MAX];   /* optional, "" when absent */
	char hint[DW_ERR_MSG_MAX];     /* optional, "" when absent */
};

void dw_err_clear(struct dw_err *err);
/* Sets code and message; clears detail and hint. Returns -1 so callers can
 * write `return dw_err_set(err, ...);`. err may be NULL. */
int dw_err_set(struct dw_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int dw_err_vset(struct dw_err *err, int code, const char *fmt, va_list ap);
void dw_err_detail(struct dw_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dw_err_hint(struct dw_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prepends "PREFIX: " to the message, keeping code, detail and hint. */
void dw_err_prefix(struct dw_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Name of an exit code ("usage", "dataerr", ...) for messages and JSON. */
const char *dw_err_exit_name(int code);

#endif
