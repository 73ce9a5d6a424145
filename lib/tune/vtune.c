/* dw-tune's verbs. */
#include "tune/vtune.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "db/db.h"
#include "kb.h"
#include "log.h"
#include "out_rows.h"
#include "outfile.h"
#include "tune/capture.h"
#include "tune/driver.h"
#include "tune/mix.h"
#include "tune/top.h"
#include "tune/workload.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* SIGINT and SIGTERM set stop_requested (no SA_RESTART: a sleep ends). */
static void catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
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
	if (r.lost)
		dw_log_warn("the server's table of statement digests is full: %lld statements since "
			    "the snapshot before were not counted; raise performance_schema_digests_size, "
			    "or empty it (TRUNCATE performance_schema.events_statements_summary_by_digest)",
			    r.lost);
	dw_log_verbose(1, "snapshot %lld: %lld digests, %lld called since the one before%s, "
		       "%lld dw-ask queries traced, in %.3f s", r.snap_id, r.digests, r.active,
		       r.restarted ? " (the server restarted)" : "", r.asked, r.seconds);
	return 0;
}

int dw_vtune_collect(const struct dw_config *cfg, const struct dw_vtune_opts *o, FILE *out,
		     struct dw_err *err)
{
	long ms = o->every ? every_ms(o->every) : 0;
	struct dw_db *my;
	int rc;

	(void)out;
	if (ms < 0)
		return dw_err_set(err, DW_EX_USAGE, "--every: '%s' is not a duration such as 60s, "
				  "5m or 1h", o->every);
	if (!(my = dw_db_my_open(&cfg->warehouse, "warehouse", err)))
		return -1;
	dw_capture_unwatched(my);
	catch_stop();
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

/* ---- workload ---- */

/* s (def when NULL) as a number from lo to hi, a whole one when whole. */
static int number_arg(const char *s, const char *def, double lo, double hi, int whole,
		      const char *opt, double *v, struct dw_err *err)
{
	char *end;

	s = s ? s : def;
	errno = 0;
	*v = strtod(s, &end);
	if (end == s || *end || errno || !(*v >= lo && *v <= hi) || (whole && *v != (long)*v))
		return dw_err_set(err, DW_EX_USAGE, "--%s: '%s' is not a %s from %g to %g", opt, s,
				  whole ? "whole number" : "number", lo, hi);
	return 0;
}

static int duration_arg(const char *s, const char *def, const char *opt, long long *ms,
			struct dw_err *err)
{
	long v = 0;

	s = s ? s : def;
	if (dw_config_duration_ms(s, &v) < 0 || v <= 0)
		return dw_err_set(err, DW_EX_USAGE, "--%s: '%s' is not a duration such as 20s, 5m "
				  "or 1h", opt, s);
	*ms = v;
	return 0;
}

static int seed_arg(const char *s, uint64_t *seed, struct dw_err *err)
{
	s = s ? s : "1";
	errno = 0;
	*seed = strtoull(s, NULL, 10);
	if (!*s || strspn(s, "0123456789") != strlen(s) || errno)
		return dw_err_set(err, DW_EX_USAGE, "--seed: '%s' is not a whole number from 0 to "
				  "%llu", s, (unsigned long long)UINT64_MAX);
	return 0;
}

static int workload_args(const struct dw_vtune_opts *o, struct dw_workload_opts *w, int *conns,
			 struct dw_err *err)
{
	double k, c;

	memset(w, 0, sizeof *w);
	if (number_arg(o->rate, "60", 0.01, 100000, 0, "rate", &w->rate, err) < 0 ||
	    duration_arg(o->duration, "5m", "duration", &w->duration_ms, err) < 0 ||
	    duration_arg(o->day, "5m", "day", &w->day_ms, err) < 0 ||
	    seed_arg(o->seed, &w->seed, err) < 0 ||
	    number_arg(o->anomalies, "0", 0, 1000, 1, "anomalies", &k, err) < 0 ||
	    number_arg(o->connections, "1", 1, DW_DRIVER_MAX_CONNECTIONS, 1, "connections", &c,
		       err) < 0)
		return -1;
	w->anomalies = (int)k;
	*conns = (int)c;
	if (!o->phase || !strcmp(o->phase, "clock"))
		return 0;
	if (strcmp(o->phase, "0") && duration_arg(o->phase, NULL, "phase", &w->phase_ms, err) < 0)
		return -1;
	if (w->phase_ms >= w->day_ms)
		return dw_err_set(err, DW_EX_USAGE, "--phase: '%s' is not within the day of %.3f s",
				  o->phase, (double)w->day_ms / 1000);
	return 0;
}

/* Everything a workload holds. */
struct load {
	struct dw_kb kb;
	struct dw_workload w;
	struct dw_outfile labels;
	struct dw_driver d;
	struct dw_mix mix;
	struct dw_driver_stats st;
};

static int load_open(struct load *l, const struct dw_config *cfg, const struct dw_vtune_opts *o,
		     struct dw_workload_opts *wo, int conns, struct dw_err *err)
{
	if (dw_kb_load(&l->kb, cfg->ask.knowledge, err) < 0)
		return -1;
	wo->nqueries = l->kb.nexamples + l->kb.nreports;
	if (!wo->nqueries)
		return dw_err_set(err, DW_EX_CONFIG, "the knowledge file '%s' has no examples and no "
				  "reports to make a workload of", cfg->ask.knowledge);
	if (dw_workload_init(&l->w, wo, err) < 0 ||
	    (o->labels && dw_outfile_open(&l->labels, o->labels, 0644, err) < 0) ||
	    dw_driver_open(&l->d, &cfg->warehouse, conns, cfg->ask.statement_timeout_ms, err) < 0)
		return -1;
	return dw_mix_init(&l->mix, &l->kb, l->d.db[0], wo->seed, err);
}

static void load_close(struct load *l)
{
	dw_outfile_abort(&l->labels);
	dw_mix_release(&l->mix);
	dw_driver_close(&l->d);
	dw_workload_release(&l->w);
	dw_kb_release(&l->kb);
}

static void summary(const struct load *l)
{
	const struct dw_driver_stats *s = &l->st;
	int k[DW_WORKLOAD_KINDS] = { 0 };

	for (int i = 0; i < l->w.o.anomalies && l->w.anomalies[i].start_ms < s->stop_ms; i++)
		k[l->w.anomalies[i].kind]++;
	dw_log_verbose(1, "%lld queries in %.1f s%s: %lld failed, %lld skipped", s->run,
		       (double)s->stop_ms / 1000, s->stopped ? " (stopped)" : "", s->failed,
		       s->skipped);
	dw_log_verbose(1, "anomalies: %d burst (%lld queries), %d heavy (%lld queries), %d quiet",
		       k[DW_WORKLOAD_BURST], s->by_kind[DW_WORKLOAD_BURST], k[DW_WORKLOAD_HEAVY],
		       s->by_kind[DW_WORKLOAD_HEAVY], k[DW_WORKLOAD_QUIET]);
	if (s->failed)
		dw_log_verbose(1, "the first failure: %s", s->first.msg);
}

static int load_end(struct load *l, const char *labels, struct dw_err *err)
{
	const struct dw_driver_stats *s = &l->st;

	summary(l);
	if (s->run && s->failed == s->run) {
		*err = s->first;
		if (err->code != DW_EX_UNAVAILABLE && err->code != DW_EX_NOPERM)
			err->code = DW_EX_SOFTWARE;
		dw_err_prefix(err, "all %lld queries failed, the first", s->run);
		return -1;
	}
	if (!labels)
		return 0;
	if (dw_workload_labels(l->labels.fp, &l->w, s->start_ms, s->stop_ms) < 0)
		return dw_err_set(err, DW_EX_IOERR, "cannot write the labels file '%s'", labels);
	return dw_outfile_commit(&l->labels, err);
}

/* The time of the compressed day now, from its midnight: days from the
 * epoch, so that the rhythm follows the clock as a real day does. */
static long long phase_now(long long day_ms)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return ((long long)now.tv_sec * 1000 + now.tv_nsec / 1000000) % day_ms;
}

int dw_vtune_workload(const struct dw_config *cfg, const struct dw_vtune_opts *o, FILE *out,
		      struct dw_err *err)
{
	struct dw_workload_opts wo;
	struct load l;
	int conns, rc, clock;

	(void)out;
	if (workload_args(o, &wo, &conns, err) < 0)
		return -1;
	memset(&l, 0, sizeof l);
	clock = o->phase && !strcmp(o->phase, "clock");
	if (clock)
		wo.phase_ms = phase_now(wo.day_ms);
	rc = load_open(&l, cfg, o, &wo, conns, err);
	if (rc == 0) {
		catch_stop();
		if (clock)   /* again: opening took a while */
			l.w.o.phase_ms = phase_now(wo.day_ms);
		rc = dw_driver_run(&l.d, &l.w, &l.mix, &stop_requested, &l.st, err);
	}
	if (rc == 0)
		rc = load_end(&l, o->labels, err);
	load_close(&l);
	return rc;
}
