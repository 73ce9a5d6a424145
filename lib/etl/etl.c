#include "etl/etl.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "date.h"
#include "db/db.h"
#include "etl/follow.h"
#include "etl/gen.h"
#include "etl/import.h"
#include "etl/init.h"
#include "etl/status.h"
#include "etl/sync.h"
#include "log.h"
#include "out_rows.h"
#include "outfile.h"
#include "partplan.h"

static int parse_number(const char *s, long long min, long long *out)
{
	char *end;

	*out = strtoll(s, &end, 10);
	return end == s || *end || *out < min ? -1 : 0;
}

/* Connects to the OLTP database, then the warehouse. Both pointers are
 * set (NULL on failure) so the caller can close both either way. */
static int open_both(const struct dw_config *cfg, struct dw_db **pg, struct dw_db **my,
		     struct dw_err *err)
{
	*my = NULL;
	*pg = dw_db_pg_open(&cfg->oltp, "oltp", err);
	if (*pg)
		*my = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	return *pg && *my ? 0 : -1;
}

/* ---- the audit of changes ----------------------------------------------- */

/* The event of an ETL change: what names it (the files, "run --full"). */
static struct dw_audit_event etl_event(const struct dw_config *cfg, const char *verb,
				       const char *what)
{
	return (struct dw_audit_event){ .tool = "dw-etl", .action = verb, .role = "",
					.db_user = cfg->warehouse.user, .question = what,
					.rows = -1 };
}

/* The outcome of a change, its counts as JSON in detail (rc < 0: its
 * error). Returns rc, or -1 when the event cannot be written. */
static int etl_outcome(struct dw_db *my, struct dw_audit_event *ev, long long rows, cJSON *json,
		       int rc, struct dw_err *err)
{
	char *detail = rc == 0 && json ? cJSON_PrintUnformatted(json) : NULL;
	struct dw_err ignored;

	ev->rows = rc == 0 ? rows : -1;
	if (dw_audit_outcome(my, ev, detail, rc < 0 ? err : NULL, rc < 0 ? &ignored : err) < 0)
		rc = -1;
	free(detail);
	cJSON_Delete(json);
	return rc;
}

/* Adds to t, under name, an object of the n counts v named keys; nothing
 * without a name (a run stopped before its tables were named). */
static void counts_json(cJSON *t, const char *name, const char *const *keys, const long long *v,
			int n)
{
	cJSON *o = name ? cJSON_CreateObject() : NULL;

	for (int i = 0; o && i < n; i++)
		cJSON_AddNumberToObject(o, keys[i], (double)v[i]);
	if (o && !cJSON_AddItemToObject(t, name, o))
		cJSON_Delete(o);
}

static cJSON *import_json(const struct dw_import_result *r)
{
	static const char *const keys[] = { "inserted", "updated", "unchanged", "rejected" };
	cJSON *o = cJSON_CreateObject(), *t;

	cJSON_AddNumberToObject(o, "lines", (double)r->lines);
	cJSON_AddNumberToObject(o, "rejected", (double)r->rejected);
	if (r->rejects_path[0])
		cJSON_AddStringToObject(o, "rejects", r->rejects_path);
	t = cJSON_AddObjectToObject(o, "tables");
	for (int i = 0; t && i < DW_IMP_NTABLES; i++) {
		const long long v[] = { r->t[i].inserted, r->t[i].updated, r->t[i].unchanged,
					r->t[i].rejected };

		counts_json(t, r->t[i].table, keys, v, 4);
	}
	return o;
}

static cJSON *sync_json(const struct dw_sync_result *r, int full)
{
	static const char *const keys[] = { "extracted", "merged", "deleted" };
	cJSON *o = cJSON_CreateObject(), *t;

	cJSON_AddBoolToObject(o, "full", full);
	cJSON_AddStringToObject(o, "watermark", r->t0);
	t = cJSON_AddObjectToObject(o, "tables");
	for (int i = 0; t && i < r->ntables; i++) {
		const long long v[] = { r->t[i].extracted, r->t[i].merged, r->t[i].deleted };

		counts_json(t, r->t[i].name, keys, v, 3);
	}
	return o;
}

/* Whether the warehouse has its audit trail yet (before the first init it
 * has not). */
static int has_audit(struct dw_db *my)
{
	char *v = NULL;
	struct dw_err ignored;
	int yes = dw_db_query_value(my, "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
				    "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'dw_audit_event'", 0,
				    NULL, &v, &ignored) == 0 && v && strcmp(v, "0");

	free(v);
	return yes;
}

/* The months (or the policy's periods) of each partitioned table up to
 * today's premake: the schema creates the facts with their two catch-alls
 * only, and dw-partition's planner does the rest, here as in apply. */
static int init_partitions(const struct dw_config *cfg, struct dw_db *my, long long *added,
			   struct dw_err *err)
{
	struct dw_partplan_set set;
	int rc = dw_partplan_load(&set, cfg->path, err), locked = 0;

	if (rc == 0 && (rc = dw_partplan_lock(my, 60, err)) == 0)
		locked = 1;
	for (size_t i = 0; rc == 0 && i < set.n; i++) {
		struct dw_partplan_done d;

		rc = dw_partplan_apply(my, &set.t[i], dw_partplan_today(), 0, &d, err);
		if (rc == 0 && d.added) {
			char a[16], b[16];

			dw_partplan_name(d.first, set.t[i].interval, a, sizeof a);
			dw_partplan_name(d.last, set.t[i].interval, b, sizeof b);
			dw_log_verbose(1, "warehouse: %s: %zu partitions made, %s to %s",
				       set.t[i].table, d.added, a, b);
		}
		*added += (long long)d.added;
		free(d.sql);
	}
	if (locked)
		dw_partplan_unlock(my);
	dw_partplan_free(&set);
	return rc;
}

int dw_etl_init(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
		struct dw_err *err)
{
	long long parts = 0;
	struct dw_init_side oltp = { 0, 0 }, dw = { 0, 0 };
	struct dw_db *pg = NULL, *my = NULL;
	struct dw_audit_event ev = etl_event(cfg, "init", "init");
	int rc = -1, audit = 0;

	/* Audited before when the trail exists already; the first init makes it. */
	if (open_both(cfg, &pg, &my, err) == 0 &&
	    (o->dry_run || !(audit = has_audit(my)) || dw_audit_started(my, &ev, err) == 0))
		rc = dw_init_run(pg, my, o->dry_run ? out : NULL, &oltp, &dw, err);
	if (rc == 0 && !o->dry_run)
		rc = init_partitions(cfg, my, &parts, err);
	if (my && !o->dry_run && (audit || rc == 0)) {
		cJSON *j = cJSON_CreateObject();

		cJSON_AddNumberToObject(j, "oltp_version", oltp.to_version);
		cJSON_AddNumberToObject(j, "warehouse_version", dw.to_version);
		cJSON_AddNumberToObject(j, "partitions_made", (double)parts);
		rc = etl_outcome(my, &ev, -1, j, rc, err);
	}
	if (rc == 0) {
		dw_log_verbose(1, "oltp: schema version %d%s", oltp.to_version,
			       oltp.to_version == oltp.from_version ? " (up to date)" : "");
		dw_log_verbose(1, "warehouse: schema version %d%s", dw.to_version,
			       dw.to_version == dw.from_version ? " (up to date)" : "");
	}
	dw_db_close(pg);
	dw_db_close(my);
	return rc;
}

/* One line of counts: a name, an optional second text column, numbers. */
struct count_row {
	const char *name, *text;
	long long n[4];
};

/* Prints rows whose first ntext columns are text and the next nnum numbers. */
static int print_count_rows(const struct dw_etl_opts *o, FILE *fp, const char *const *cols,
			    int ntext, int nnum, const struct count_row *rows, int nrows,
			    struct dw_err *err)
{
	struct dw_out *out = dw_out_new(fp, o->format, o->header);
	int rc = 0;

	if (!out)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (int c = 0; c < ntext + nnum; c++)
		dw_out_column(out, cols[c], c < ntext ? DW_OUT_TEXT : DW_OUT_NUMBER);
	for (int i = 0; i < nrows && rc == 0; i++) {
		char v[4][24];
		const char *row[6] = { rows[i].name, rows[i].text };

		for (int k = 0; k < nnum; k++) {
			snprintf(v[k], sizeof v[k], "%lld", rows[i].n[k]);
			row[ntext + k] = v[k];
		}
		rc = dw_out_row(out, row, err);
	}
	if (rc == 0)
		rc = dw_out_end(out, err);
	dw_out_free(out);
	return rc;
}

static int print_import_counts(const struct dw_etl_opts *o, FILE *fp,
			       const struct dw_import_result *r, struct dw_err *err)
{
	static const char *const cols[] = { "table", "inserted", "updated", "unchanged", "rejected" };
	struct count_row rows[DW_IMP_NTABLES];

	for (int t = 0; t < DW_IMP_NTABLES; t++) {
		const struct dw_import_count *c = &r->t[t];

		rows[t] = (struct count_row){ c->table, NULL,
					      { c->inserted, c->updated, c->unchanged, c->rejected } };
	}
	return print_count_rows(o, fp, cols, 1, 4, rows, DW_IMP_NTABLES, err);
}

static void log_import_counts(const struct dw_import_result *r)
{
	for (int t = 0; t < DW_IMP_NTABLES; t++)
		dw_log_verbose(1, "%s: %lld inserted, %lld updated, %lld unchanged, %lld rejected",
			       r->t[t].table, r->t[t].inserted, r->t[t].updated, r->t[t].unchanged,
			       r->t[t].rejected);
}

static int import_options(const struct dw_etl_opts *o, const struct dw_config *cfg,
			  struct dw_import_opts *io, struct dw_err *err)
{
	const char *fmt = o->date_format ? o->date_format : cfg->import.date_format;
	long long max = cfg->import.max_rejects;

	if (o->nargs < 1 || o->nargs > 2)
		return dw_err_set(err, DW_EX_USAGE, "import needs ORDERS.csv and optionally RETURNS.csv");
	memset(io, 0, sizeof *io);
	io->orders_path = o->args[0];
	io->returns_path = o->nargs > 1 ? o->args[1] : NULL;
	io->rejects_path = o->rejects;
	io->csv_safe = o->csv_safe != DW_OUT_CSV_SAFE_OFF;
	io->dry_run = o->dry_run;
	io->date_format = dw_date_fmt_parse(fmt);
	if (!io->date_format)
		return dw_err_set(err, DW_EX_USAGE,
				  "unknown date format '%s' (expected auto, mdy, dmy or ymd)", fmt);
	if (o->max_rejects && parse_number(o->max_rejects, 0, &max) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--max-rejects: expected a number, got '%s'",
				  o->max_rejects);
	io->max_rejects = (long)max;
	return 0;
}

int dw_etl_import(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
		  struct dw_err *err)
{
	struct dw_import_opts io;
	struct dw_import_result r;
	struct dw_db *pg;
	int rc;

	struct dw_db *my = NULL;
	struct dw_audit_event ev;
	char what[8300];

	if (import_options(o, cfg, &io, err) < 0)
		return -1;
	snprintf(what, sizeof what, "import %s%s%s", io.orders_path, io.returns_path ? " " : "",
		 io.returns_path ? io.returns_path : "");
	ev = etl_event(cfg, "import", what);
	memset(&r, 0, sizeof r);
	/* The OLTP database changes; the audit trail is in the warehouse. */
	if (open_both(cfg, &pg, &my, err) < 0 ||
	    (!o->dry_run && dw_audit_started(my, &ev, err) < 0)) {
		dw_db_close(pg);
		dw_db_close(my);
		return -1;
	}
	rc = dw_import_run(pg, &io, &r, err);
	if (!o->dry_run)
		rc = etl_outcome(my, &ev, r.lines, import_json(&r), rc, err);
	dw_db_close(pg);
	dw_db_close(my);
	if (r.rejects_path[0])
		dw_log_warn("%lld line%s rejected; see '%s'", r.rejected, r.rejected == 1 ? "" : "s",
			    r.rejects_path);
	if (rc < 0)
		return -1;
	if (io.date_format == DW_DATE_ANY)
		dw_log_verbose(1, "dates read as %s%s", dw_date_fmt_name(r.date_format),
			       r.date_format_guessed ? " (every date was ambiguous)" : "");
	log_import_counts(&r);
	return o->format != DW_OUT_AUTO ? print_import_counts(o, out, &r, err) : 0;
}

static int print_sync_counts(const struct dw_etl_opts *o, FILE *fp, const struct dw_sync_result *r,
			     struct dw_err *err)
{
	static const char *const cols[] = { "table", "from", "extracted", "merged", "deleted" };
	struct count_row rows[DW_SYNC_MAX_TABLES];

	for (int i = 0; i < r->ntables; i++) {
		const struct dw_sync_table *t = &r->t[i];

		rows[i] = (struct count_row){ t->name, t->from[0] ? t->from : NULL,
					      { t->extracted, t->merged, t->deleted, 0 } };
	}
	return print_count_rows(o, fp, cols, 2, 3, rows, r->ntables, err);
}

static void log_sync(const struct dw_etl_opts *o, const struct dw_sync_result *r)
{
	for (int i = 0; i < r->ntables; i++) {
		const struct dw_sync_table *t = &r->t[i];

		dw_log_verbose(1, "%s: %lld extracted, %lld merged, %lld deleted in %.3fs",
			       t->name, t->extracted, t->merged, t->deleted, t->seconds);
	}
	dw_log_verbose(1, "%s up to %s UTC in %.3fs", o->dry_run ? "would sync" : "synced",
		       r->t0, r->seconds);
}

/* A sync cycle's events (run, run --full, each cycle of follow). */
struct sync_audit {
	struct dw_audit_event ev;
	int full;
};

static int sync_before(void *arg, struct dw_db *my, struct dw_err *err)
{
	struct sync_audit *sa = arg;

	if (!has_audit(my))
		return dw_err_set(err, DW_EX_CONFIG, "warehouse: no audit trail (run dw-etl init)");
	return dw_audit_started(my, &sa->ev, err);
}

static int sync_after(void *arg, struct dw_db *my, const struct dw_sync_result *r,
		      const struct dw_err *failed, struct dw_err *err)
{
	struct sync_audit *sa = arg;
	char *detail = NULL;
	cJSON *j = failed ? NULL : sync_json(r, sa->full);
	int rc;

	if (j)
		detail = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	rc = dw_audit_outcome(my, &sa->ev, detail, failed, err);
	free(detail);
	return rc;
}

int dw_etl_run(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
	       struct dw_err *err)
{
	struct sync_audit sa = { etl_event(cfg, "run", o->full ? "run --full" : "run"), o->full };
	const struct dw_sync_audit hooks = { sync_before, sync_after, &sa };
	struct dw_sync_opts so = { o->full, o->dry_run, cfg->etl.safety_lag_ms,
				   cfg->etl.fiscal_year_start, &hooks };
	struct dw_sync_result r;
	struct dw_db *pg = NULL, *my = NULL;
	int rc = -1;

	if (open_both(cfg, &pg, &my, err) == 0)
		rc = dw_sync_run(pg, my, &so, &r, err);
	dw_db_close(pg);
	dw_db_close(my);
	if (rc < 0)
		return -1;
	if (r.lag_fallback)
		dw_log_warn("the ETL role cannot see other sessions (needs pg_read_all_stats); "
			    "synced up to now minus etl.safety_lag");
	log_sync(o, &r);
	return o->format != DW_OUT_AUTO || o->dry_run ? print_sync_counts(o, out, &r, err) : 0;
}

int dw_etl_status(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
		  struct dw_err *err)
{
	struct dw_status_health h;
	struct dw_rows *rows = NULL;
	struct dw_db *my;
	long long limit = 0;
	int rc = -1;

	if (o->runs && parse_number(o->runs, 1, &limit) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--runs: expected a number, got '%s'", o->runs);
	my = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	if (my)
		rows = o->runs ? dw_status_runs(my, (long)limit, err) : dw_status_tables(my, err);
	if (rows && dw_out_rows(rows, out, o->format, o->header, err) >= 0)
		rc = dw_status_health(my, &h, err);
	dw_rows_free(rows);
	dw_db_close(my);
	return rc < 0 ? -1 : dw_status_verdict(&h, o->max_lag, err);
}

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void report_cycle(void *arg, const struct dw_sync_result *r)
{
	static int warned;

	if (r->lag_fallback && !warned++)
		dw_log_warn("the ETL role cannot see other sessions (needs pg_read_all_stats); "
			    "syncing up to now minus etl.safety_lag");
	log_sync(arg, r);
}

int dw_etl_follow(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
		  struct dw_err *err)
{
	struct sync_audit cycle = { etl_event(cfg, "run", "follow"), 0 };
	const struct dw_sync_audit hooks = { sync_before, sync_after, &cycle };
	struct dw_follow_opts fo = {
		{ 0, 0, cfg->etl.safety_lag_ms, cfg->etl.fiscal_year_start, &hooks },
		cfg->etl.poll_interval_ms, cfg->etl.debounce_ms, 30000,
	};
	struct sigaction sa;

	(void)out;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;   /* no SA_RESTART: a signal ends the wait */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return dw_follow_run(cfg, &fo, &stop_requested, report_cycle, (void *)o, err);
}

static int parse_ymd(const char *s, int *y, int *m, int *d)
{
	return dw_date_parse(s, DW_DATE_YMD, y, m, d);
}

/* generate's options into g. */
static int gen_options(const struct dw_etl_opts *o, struct dw_gen_opts *g, struct dw_err *err)
{
	long long n;

	dw_gen_opts_init(g);
	if (o->orders && parse_number(o->orders, 0, &g->orders) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--orders: expected a number of orders, got '%s'",
				  o->orders);
	if (o->seed && parse_number(o->seed, 0, &n) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--seed: expected a non-negative number, got '%s'",
				  o->seed);
	if (o->seed)
		g->seed = (unsigned long long)n;
	if (o->from && parse_ymd(o->from, &g->from_year, &g->from_month, &g->from_day) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--from: expected a date YYYY-MM-DD, got '%s'",
				  o->from);
	if (o->to && parse_ymd(o->to, &g->to_year, &g->to_month, &g->to_day) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--to: expected a date YYYY-MM-DD, got '%s'", o->to);
	if (o->date_format)
		g->date_format = o->date_format;
	return 0;
}

int dw_etl_generate(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
		    struct dw_err *err)
{
	struct dw_gen_opts g;
	struct dw_outfile of = { 0 }, rf = { 0 };
	long long lines = 0;
	int rc;

	(void)cfg;
	if (gen_options(o, &g, err) < 0)
		return -1;
	/* Files are written whole or not at all, never through a link. */
	if (o->output && dw_outfile_open(&of, o->output, 0666, err) < 0)
		return -1;
	if (o->returns && dw_outfile_open(&rf, o->returns, 0666, err) < 0) {
		dw_outfile_abort(&of);
		return -1;
	}
	rc = dw_gen_write(&g, o->output ? of.fp : out, rf.fp, &lines, err);
	if (rc == 0 && !o->output && fflush(out) != 0)
		rc = dw_err_set(err, DW_EX_IOERR, "cannot write output: %s", strerror(errno));
	if (rc == 0 && o->output)
		rc = dw_outfile_commit(&of, err);
	if (rc == 0 && o->returns)
		rc = dw_outfile_commit(&rf, err);
	dw_outfile_abort(&of);
	dw_outfile_abort(&rf);
	if (rc == 0)
		dw_log_verbose(1, "%lld orders, %lld lines", g.orders, lines);
	return rc;
}
