#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static const char *log_prog = "dw";
static int log_level;

void dw_log_init(const char *prog, int verbosity)
{
	log_prog = prog;
	log_level = verbosity;
}

int dw_log_verbosity(void)
{
	return log_level;
}

const char *dw_log_prog(void)
{
	return log_prog;
}

static void vprint(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", log_prog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int dw_log_err(const struct dw_err *err)
{
	fprintf(stderr, "%s: error: %s\n", log_prog, err->msg[0] ? err->msg : "unknown error");
	if (err->detail[0])
		fprintf(stderr, "detail: %s\n", err->detail);
	if (err->hint[0])
		fprintf(stderr, "hint: %s\n", err->hint);
	return err->code ? err->code : DW_EX_SOFTWARE;
}

void dw_log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("error: ", fmt, ap);
	va_end(ap);
}

void dw_log_warn(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 0)
		return;
	va_start(ap, fmt);
	vprint("warning: ", fmt, ap);
	va_end(ap);
}

void dw_log_verbose(int level, const char *fmt, ...)
{
	va_list ap;

	if (log_level < level)
		return;
	va_start(ap, fmt);
	vprint("", fmt, ap);
	va_end(ap);
}

void dw_log_text(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

double dw_log_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void dw_log_progress_start(struct dw_log_progress *p, const char *what, long long total)
{
	p->what = what;
	p->total = total;
	p->done = 0;
	p->started = p->last_shown = dw_log_clock();
	p->enabled = log_level >= 0 && (isatty(STDERR_FILENO) || log_level > 0);
	p->shown = 0;
}

static void progress_print(struct dw_log_progress *p, double now, const char *end)
{
	double elapsed = now - p->started;
	double rate = elapsed > 0 ? p->done / elapsed : 0;

	fprintf(stderr, "\r%s: %s: %lld rows, %.0f rows/s, %.1fs", log_prog, p->what,
		p->done, rate, elapsed);
	if (p->total > 0 && rate > 0 && p->done < p->total)
		fprintf(stderr, ", ETA %.0fs", (p->total - p->done) / rate);
	fputs(end, stderr);
	p->shown = 1;
}

void dw_log_progress_update(struct dw_log_progress *p, long long done)
{
	double now;

	p->done = done;
	if (!p->enabled)
		return;
	now = dw_log_clock();
	if (now - p->last_shown < (isatty(STDERR_FILENO) ? 0.25 : 5.0))
		return;
	p->last_shown = now;
	progress_print(p, now, isatty(STDERR_FILENO) ? "\033[K" : "\n");
}

void dw_log_progress_done(struct dw_log_progress *p)
{
	/* With -v the final line is printed even when no update was shown yet
	 * (short runs, or non-terminal stderr where updates come every 5s). */
	if (p->enabled && (p->shown || log_level > 0))
		progress_print(p, dw_log_clock(), isatty(STDERR_FILENO) ? "\033[K\n" : "\n");
}
