#include "err.h"

#include <stdio.h>
#include <string.h>

void dw_err_clear(struct dw_err *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = err->detail[0] = err->hint[0] = '\0';
}

int dw_err_vset(struct dw_err *err, int code, const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	dw_err_clear(err);
	err->code = code;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	return -1;
}

int dw_err_set(struct dw_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dw_err_vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

void dw_err_detail(struct dw_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof err->detail, fmt, ap);
	va_end(ap);
}

void dw_err_hint(struct dw_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof err->hint, fmt, ap);
	va_end(ap);
}

void dw_err_prefix(struct dw_err *err, const char *fmt, ...)
{
	char prefix[DW_ERR_MSG_MAX], old[DW_ERR_MSG_MAX];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	/* Both halves fit in msg only when short; cut the tail, never overflow. */
	if (snprintf(err->msg, sizeof err->msg, "%.200s: %.300s", prefix, old) < 0)
		err->msg[0] = '\0';
}

const char *dw_err_exit_name(int code)
{
	switch (code) {
	case DW_EX_OK: return "ok";
	case DW_EX_NEGATIVE: return "negative";
	case DW_EX_USAGE: return "usage";
	case DW_EX_DATAERR: return "dataerr";
	case DW_EX_UNAVAILABLE: return "unavailable";
	case DW_EX_SOFTWARE: return "software";
	case DW_EX_IOERR: return "ioerr";
	case DW_EX_TEMPFAIL: return "tempfail";
	case DW_EX_NOPERM: return "noperm";
	case DW_EX_CONFIG: return "config";
	default: return "unknown";
	}
}
