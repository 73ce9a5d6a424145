#include "etl/follow.h"

#include <time.h>

#include "db/db.h"
#include "log.h"

struct follower {
	const struct dw_config *cfg;
	const struct dw_follow_opts *fo;
	volatile sig_atomic_t *stop;
	struct dw_db *listen, *pg, *my;
	long backoff_ms;
};

static void close_all(struct follower *f)
{
	dw_db_close(f->listen);
	dw_db_close(f->pg);
	dw_db_close(f->my);
	f->listen = f->pg = f->my = NULL;
}

/* Sleeps up to ms, waking early when asked to stop. */
static void pause_ms(struct follower *f, long ms)
{
	while (ms > 0 && !*f->stop) {
		long step = ms < 100 ? ms : 100;
		struct timespec ts = { 0, step * 1000000L };

		nanosleep(&ts, NULL);
		ms -= step;
	}
}

static void back_off(struct follower *f, const struct dw_err *e)
{
	dw_log_warn("%s; retrying in %.1fs", e->msg, f->backoff_ms / 1000.0);
	close_all(f);
	pause_ms(f, f->backoff_ms);
	f->backoff_ms *= 2;
	if (f->backoff_ms > f->fo->max_backoff_ms)
		f->backoff_ms = f->fo->max_backoff_ms;
}

/* LISTEN first, so a change committed during the cycle still wakes us. */
static int connect_all(struct follower *f, struct dw_err *err)
{
	if (!f->listen) {
		f->listen = dw_db_pg_open(&f->cfg->oltp, "oltp", err);
		if (!f->listen || dw_db_pg_listen(f->listen, DW_CHANGE_CHANNEL, err) < 0)
			return -1;
	}
	if (!f->pg && !(f->pg = dw_db_pg_open(&f->cfg->oltp, "oltp", err)))
		return -1;
	if (!f->my && !(f->my = dw_db_my_open(&f->cfg->warehouse, "warehouse", err)))
		return -1;
	return 0;
}

static int retryable(const struct dw_err *e)
{
	return e->code == DW_EX_UNAVAILABLE || e->code == DW_EX_TEMPFAIL;
}

/* dw_db_pg_wait_notify for up to ms, in slices of at most STOP_CHECK_MS: a
 * stop signal that lands after *stop was looked at but before select()
 * starts does not interrupt it, so *stop is looked at between slices. */
#define STOP_CHECK_MS 200

static int wait_notify(struct follower *f, long ms, struct dw_err *err)
{
	double end = dw_log_clock() + ms / 1000.0;
	int rc;

	do {
		long left = (long)((end - dw_log_clock()) * 1000);

		left = left < 0 ? 0 : left > STOP_CHECK_MS ? STOP_CHECK_MS : left;
		rc = dw_db_pg_wait_notify(f->listen, left, err);
	} while (rc == 0 && !*f->stop && dw_log_clock() < end);
	return rc;
}

/* Waits for a notification or the poll interval; after a notification,
 * waits until the channel has been quiet for the debounce time. */
static int wait_for_change(struct follower *f, struct dw_err *err)
{
	int rc = wait_notify(f, f->fo->poll_ms, err);
	double until = dw_log_clock() + f->fo->debounce_ms * 10 / 1000.0;

	/* A steady stream of changes must not postpone the cycle forever. */
	while (rc == 1 && !*f->stop && dw_log_clock() < until)
		rc = wait_notify(f, f->fo->debounce_ms, err);
	return rc < 0 ? -1 : 0;
}

static int follow_loop(struct follower *f, dw_follow_report_fn report, void *arg,
		       struct dw_err *err)
{
	struct dw_sync_result r;

	while (!*f->stop) {
		if (connect_all(f, err) < 0 || dw_sync_run(f->pg, f->my, &f->fo->sync, &r, err) < 0) {
			if (!retryable(err))
				return -1;
			back_off(f, err);
			continue;
		}
		f->backoff_ms = 250;
		if (report)
			report(arg, &r);
		if (!*f->stop && wait_for_change(f, err) < 0)
			back_off(f, err);
	}
	return 0;
}

int dw_follow_run(const struct dw_config *cfg, const struct dw_follow_opts *fo,
		  volatile sig_atomic_t *stop, dw_follow_report_fn report, void *arg,
		  struct dw_err *err)
{
	struct follower f = { .cfg = cfg, .fo = fo, .stop = stop, .backoff_ms = 250 };
	int rc = follow_loop(&f, report, arg, err);

	close_all(&f);
	return rc;
}
