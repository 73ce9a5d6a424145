/* dw-validate's verbs: the checks file loaded, each check run on its
 * database (each opened once, when a check needs it), the results printed
 * in the format asked for (vreport.c) and recorded in the warehouse's
 * history (history.c), which history reads back. */
#include "check/vcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/checkfile.h"
#include "check/history.h"
#include "check/rule.h"
#include "check/vreport.h"
#include "date.h"
#include "db/db.h"
#include "log.h"

static int selected(const struct dw_checkfile_check *c, const struct dw_vcheck_opts *o)
{
	int tagged = !o->tag;

	for (size_t i = 0; !tagged && i < c->ntags; i++)
		tagged = !strcmp(c->tags[i], o->tag);
	return tagged && (!o->check || !strcmp(o->check, c->name));
}

static int count_selected(const struct dw_checkfile *f, const struct dw_vcheck_opts *o)
{
	int n = 0;

	for (size_t i = 0; i < f->nchecks; i++)
		n += selected(&f->checks[i], o);
	return n;
}

struct session {
	const struct dw_config *cfg;
	struct dw_db *pg, *my;
	int my_down;                        /* the warehouse could not be reached */
	struct dw_vreport *report;
	int failed, warned;
	struct dw_history_result *results;  /* of the checks that ran */
	size_t nresults;
};

static struct dw_db *db_for(struct session *s, const struct dw_checkfile_check *c,
			    struct dw_err *err)
{
	if (c->warehouse) {
		if (!s->my && !(s->my = dw_db_my_open(&s->cfg->warehouse, "warehouse", err)))
			s->my_down = 1;
		return s->my;
	}
	return s->pg ? s->pg : (s->pg = dw_db_pg_open(&s->cfg->oltp, "oltp", err));
}

/* c's result for the history; outcome NULL when it could not run. */
static void remember(struct session *s, const struct dw_checkfile_check *c,
		     const struct dw_rule_result *r, const char *outcome)
{
	s->results[s->nresults++] = (struct dw_history_result){
		c->name, c->warehouse, outcome ? outcome : "error", outcome ? r->failing : -1,
		outcome ? r->total : -1, r->seconds,
	};
}

/* The run into the warehouse's history. That it cannot be recorded is a
 * warning, once, and nothing more: the checks' outcome stands. */
static void record(struct session *s, const char *path, time_t started)
{
	struct dw_err err;
	struct tm tm;
	char at[32];

	/* Unreachable, the warehouse has said so as the run's error. */
	if (!s->nresults || s->my_down)
		return;
	strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S", gmtime_r(&started, &tm));
	if ((!s->my && !(s->my = dw_db_my_open(&s->cfg->warehouse, "warehouse", &err))) ||
	    dw_history_record(s->my, path, at, s->results, s->nresults, &err) < 0)
		dw_log_warn("the run is not in the history: %s", err.msg);
}

/* Runs check c and reports it. An error is the check's (it could not
 * run), reported and named with its line. */
static int run_check(struct session *s, const struct dw_checkfile *f,
		     const struct dw_checkfile_check *c, const struct dw_vcheck_opts *o,
		     struct dw_err *err)
{
	struct dw_rule_result r = { 0 };
	struct dw_rows *samples = NULL;
	struct dw_db *db;
	struct dw_err serr;
	int rc;

	if (!(db = db_for(s, c, err)) || dw_rule_run(db, c, &r, err) < 0) {
		if (db)
			dw_err_prefix(err, "check '%s' (%s:%d)", c->name, f->path, c->line);
		dw_vreport_error(s->report, c, err);
		remember(s, c, &r, NULL);
		return -1;
	}
	remember(s, c, &r, dw_rule_outcome_name(r.outcome));
	s->failed += r.outcome == DW_RULE_FAIL;
	s->warned += r.outcome == DW_RULE_WARN;
	if (r.outcome != DW_RULE_PASS && o->samples > 0 && dw_vreport_shows_samples(s->report))
		samples = dw_rule_samples(db, c, o->samples, &serr);
	rc = dw_vreport_check(s->report, c, &r, samples, err);
	dw_rows_free(samples);
	return rc;
}

int dw_vcheck_run(const struct dw_config *cfg, const struct dw_vcheck_opts *o, FILE *out,
		  struct dw_err *err)
{
	struct dw_checkfile f;
	struct session s = { .cfg = cfg };
	time_t started = time(NULL);
	struct dw_err eerr;
	int n, rc = 0;

	if (dw_checkfile_load(&f, cfg->validate.checks, err) < 0) {
		dw_checkfile_free(&f);
		return -1;
	}
	n = count_selected(&f, o);
	if (o->check && !n)
		rc = dw_err_set(err, DW_EX_USAGE, "no check named '%s'", o->check);
	else if (!(s.results = calloc((size_t)n + 1, sizeof *s.results)) ||
		 !(s.report = dw_vreport_new(out, o->format, o->header, o->strict, f.path, n,
					     started)))
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (size_t i = 0; rc == 0 && i < f.nchecks; i++)
		if (selected(&f.checks[i], o))
			rc = run_check(&s, &f, &f.checks[i], o, err);
	/* The report ends after an error too; the first error is the one told. */
	if (s.report && dw_vreport_end(s.report, rc == 0 ? err : &eerr) < 0)
		rc = -1;
	if (s.report && !o->no_history)
		record(&s, f.path, started);
	dw_vreport_free(s.report);
	free(s.results);
	dw_db_close(s.pg);
	dw_db_close(s.my);
	dw_checkfile_free(&f);
	if (rc < 0)
		return -1;
	dw_log_verbose(1, "%d checks: %d failed, %d warned", n, s.failed, s.warned);
	if (s.failed || (o->strict && s.warned))
		return dw_err_set(err, DW_EX_NEGATIVE, "%d check%s failed%s", s.failed + (o->strict ?
				  s.warned : 0), s.failed + (o->strict ? s.warned : 0) == 1 ? "" : "s",
				  o->strict && s.warned ? " (warnings count, --strict)" : "");
	return 0;
}

int dw_vcheck_list(const struct dw_config *cfg, const struct dw_vcheck_opts *o, FILE *out,
		   struct dw_err *err)
{
	static const char *const cols[] = { "check", "database", "table", "kind", "tags" };
	struct dw_checkfile f;
	struct dw_out *t;
	int rc = 0;

	if (dw_checkfile_load(&f, cfg->validate.checks, err) < 0) {
		dw_checkfile_free(&f);
		return -1;
	}
	t = dw_out_new(out, o->format, o->header);
	for (int i = 0; t && i < 5; i++)
		dw_out_column(t, cols[i], DW_OUT_TEXT);
	for (size_t i = 0; t && rc == 0 && i < f.nchecks; i++) {
		const struct dw_checkfile_check *c = &f.checks[i];
		char tags[512] = "";
		const char *row[5];

		if (!selected(c, o))
			continue;
		for (size_t k = 0; k < c->ntags; k++)
			snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "%s%s", k ? " " : "",
				 c->tags[k]);
		row[0] = c->name, row[1] = c->warehouse ? "warehouse" : "oltp", row[2] = c->table;
		row[3] = dw_checkfile_kind_name(c->kind), row[4] = tags;
		rc = dw_out_row(t, row, err);
	}
	if (!t)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	else if (rc == 0)
		rc = dw_out_end(t, err);
	dw_out_free(t);
	dw_checkfile_free(&f);
	return rc;
}

int dw_vcheck_history(const struct dw_config *cfg, const struct dw_vcheck_opts *o, FILE *out,
		      struct dw_err *err)
{
	struct dw_history_filter h = { .check = o->check, .trend = o->trend };
	char since[32];
	struct dw_db *db;
	int rc;

	if (dw_date_time_arg(o->since ? o->since : "7d", since, err) < 0 ||
	    !(db = dw_db_my_open(&cfg->warehouse, "warehouse", err)))
		return -1;
	h.since = since;
	rc = dw_history_print(db, &h, out, o->format, o->header, err);
	dw_db_close(db);
	return rc;
}
