/* The schedule and the counts are shared by the threads under one mutex;
 * the mix is read only; each thread has its own connection. */
#include "tune/driver.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "log.h"

#define POLL_MS 100

struct run {
	pthread_mutex_t mu;
	struct dw_workload *w;
	const struct dw_mix *m;
	volatile sig_atomic_t *stop;
	double t0;                /* dw_log_clock() at the start */
	struct dw_driver_stats *st;
};

struct worker {
	struct run *r;
	struct dw_db *db;
	pthread_t thread;
};

int dw_driver_open(struct dw_driver *d, const struct dw_config_warehouse *cfg, int n,
		   long timeout_ms, struct dw_err *err)
{
	memset(d, 0, sizeof *d);
	if (n < 1 || n > DW_DRIVER_MAX_CONNECTIONS)
		return dw_err_set(err, DW_EX_USAGE, "connections must be 1 to %d",
				  DW_DRIVER_MAX_CONNECTIONS);
	while (d->n < n) {
		struct dw_db *db = dw_db_my_open(cfg, "warehouse", err);

		if (!db)
			return -1;
		d->db[d->n++] = db;
		if (dw_db_exec(db, "SET SESSION TRANSACTION READ ONLY", 0, NULL, err) < 0 ||
		    dw_db_statement_timeout(db, timeout_ms, err) < 0)
			return -1;
	}
	return 0;
}

void dw_driver_close(struct dw_driver *d)
{
	for (int i = 0; i < d->n; i++)
		dw_db_close(d->db[i]);
	d->n = 0;
}

static double elapsed_ms(const struct run *r)
{
	return (dw_log_clock() - r->t0) * 1000;
}

static void nap(double ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms * 1000000) % 1000000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The next event of the schedule: 1, or 0 at its end or when stopped. */
static int take(struct run *r, struct dw_workload_event *ev)
{
	int got;

	pthread_mutex_lock(&r->mu);
	got = !*r->stop && dw_workload_next(r->w, ev);
	pthread_mutex_unlock(&r->mu);
	return got;
}

/* Waits until at_ms: 1 then, 0 when stopped or the duration is over
 * (the event is then counted skipped). */
static int due(struct run *r, long long at_ms)
{
	for (;;) {
		double now = elapsed_ms(r), left = (double)at_ms - now;

		if (*r->stop)
			return 0;
		if (now >= (double)r->w->o.duration_ms) {
			pthread_mutex_lock(&r->mu);
			r->st->skipped++;
			pthread_mutex_unlock(&r->mu);
			return 0;
		}
		if (left <= 0)
			return 1;
		nap(left < POLL_MS ? left : POLL_MS);
	}
}

static void tally(struct run *r, const struct dw_workload_event *ev, int rc,
		  const struct dw_err *e)
{
	pthread_mutex_lock(&r->mu);
	r->st->run++;
	r->st->by_kind[ev->kind]++;
	if (rc < 0 && !r->st->failed++)
		r->st->first = *e;
	pthread_mutex_unlock(&r->mu);
}

static void *work(void *arg)
{
	struct worker *k = arg;
	struct dw_workload_event ev;

	while (take(k->r, &ev) && due(k->r, ev.at_ms)) {
		struct dw_err e;
		int rc;

		dw_err_clear(&e);
		rc = dw_mix_run(k->r->m, k->db, &ev, &e);
		tally(k->r, &ev, rc, &e);
	}
	return NULL;
}

/* Starts a thread per connection with the stop signals blocked, so that
 * they reach the caller's thread. Returns how many started. */
static int start(struct dw_driver *d, struct run *r, struct worker *ks)
{
	sigset_t block, old;
	int i;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < d->n; i++) {
		ks[i] = (struct worker){ .r = r, .db = d->db[i] };
		if (pthread_create(&ks[i].thread, NULL, work, &ks[i]) != 0)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return i;
}

/* The end of the duration, or of the run when stopped: where it ended,
 * and what was left of the schedule. */
static void finish(struct run *r)
{
	struct dw_workload_event ev;
	long long end = r->w->o.duration_ms;
	double now;

	while (!*r->stop && (now = elapsed_ms(r)) < (double)end)
		nap((double)end - now < POLL_MS ? (double)end - now : POLL_MS);
	now = elapsed_ms(r);
	r->st->stopped = *r->stop && now < (double)end;
	r->st->stop_ms = r->st->stopped ? (long long)now : end;
	while (!r->st->stopped && dw_workload_next(r->w, &ev))
		r->st->skipped++;
}

int dw_driver_run(struct dw_driver *d, struct dw_workload *w, const struct dw_mix *m,
		  volatile sig_atomic_t *stop, struct dw_driver_stats *st, struct dw_err *err)
{
	struct worker ks[DW_DRIVER_MAX_CONNECTIONS];
	struct run r = { .w = w, .m = m, .stop = stop, .st = st };
	struct timespec now;
	int started;

	memset(st, 0, sizeof *st);
	pthread_mutex_init(&r.mu, NULL);
	clock_gettime(CLOCK_REALTIME, &now);
	st->start_ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	r.t0 = dw_log_clock();
	started = start(d, &r, ks);
	if (started < d->n)
		*stop = 1;
	for (int i = 0; i < started; i++)
		pthread_join(ks[i].thread, NULL);
	finish(&r);
	pthread_mutex_destroy(&r.mu);
	if (started < d->n)
		return dw_err_set(err, DW_EX_SOFTWARE, "cannot start the thread of connection %d",
				  started + 1);
	return 0;
}
