/* dw-tune's verbs. */
#include "tune/vtune.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "db/db.h"
#include "log.h"
#include "out_rows.h"
#include "tune/capture.h"
#include "tune/top.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* "60s", "5m", "1h" (at least a second) as milliseconds; -1 if not one. */
static long every_ms(const char *s)
{
	char unit = 0;
	long n = 0;
	int len = 0;

	if (sscanf(s, "%ld%c%n", &n, &unit, &len) != 2 || s[len] || n <= 0)
		return -1;
	n *= unit == 's' ? 1000 : unit == 'm' ? 60000 : unit == 'h' ? 3600000 : -1;
	return n > 0 ? n : -1;
}

/* Sleeps ms, waking when a stop signal lands (no SA_RESTART). */
static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (!stop_requested && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int one(struct dw_db *my, struct dw_err *err)
{
	struct dw_capture_result r;

	if (dw_capture_snapshot(my, &r, err) < 0)
		return -1;
	dw_log_verbose(1, "snapshot %lld: %lld digests, %lld called since the one before%s, "
		       "in %.3f s", r.snap_id, r.digests, r.active,
		       r.restarted ? " (the server restarted)" : "", r.seconds);
	return 0;
}

int dw_vtune_collect(const struct dw_config *cfg, const struct dw_vtune_opts *o, FILE *out,
		     struct dw_err *err)
{
	long ms = o->every ? every_ms(o->every) : 0;
	struct dw_db *my;
	struct sigaction sa;
	int rc;

	(void)out;
	if (ms < 0)
		return dw_err_set(err, DW_EX_USAGE, "--every: '%s' is not a duration such as 60s, "
				  "5m or 1h", o->every);
	if (!(my = dw_db_my_open(&cfg->warehouse, "warehouse", err)))
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	do {
		double t0 = dw_log_clock();

		rc = one(my, err);
		if (rc == 0 && ms)
			pause_ms(ms - (long)((dw_log_clock() - t0) * 1000));
	} while (rc == 0 && ms && !stop_requested);
	dw_db_close(my);
	return rc;
}

int dw_vtune_top(const struct dw_config *cfg, const struct dw_vtune_opts *o, FILE *out,
		 struct dw_err *err)
{
	int by = o->by ? dw_top_by_parse(o->by) : DW_TOP_TIME;
	char since[32];
	struct dw_db *my;
	struct dw_rows *rows = NULL;
	long long n = -1;

	if (by < 0)
		return dw_err_set(err, DW_EX_USAGE, "--by: '%s' is not time, calls, rows or scans",
				  o->by);
	if (o->n <= 0)
		return dw_err_set(err, DW_EX_USAGE, "-n must be a positive number");
	if (dw_date_time_arg(o->since ? o->since : "24h", since, err) < 0)
		return -1;
	if (!(my = dw_db_my_open(&cfg->warehouse, "warehouse", err)))
		return -1;
	rows = dw_top_query(my, since, (enum dw_top_by)by, o->n, err);
	if (rows)
		n = dw_out_rows(rows, out, o->format, o->header, err);
	dw_rows_free(rows);
	dw_db_close(my);
	return n < 0 ? -1 : 0;
}
