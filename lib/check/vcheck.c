/* dw-validate's verbs: the checks file loaded, each check run on its
 * database (each opened once, when a check needs it), the results printed:
 * with -F a row per check, else a line per failure and nothing on
 * success, as cron wants. */
#include "check/vcheck.h"

#include <stdio.h>
#include <string.h>

#include "check/checkfile.h"
#include "check/rule.h"
#include "db/db.h"
#include "log.h"
#include "out_rows.h"

static const char *const outcome_names[] = { "pass", "warn", "fail" };

static int selected(const struct dw_checkfile_check *c, const struct dw_vcheck_opts *o)
{
	int tagged = !o->tag;

	for (size_t i = 0; !tagged && i < c->ntags; i++)
		tagged = !strcmp(c->tags[i], o->tag);
	return tagged && (!o->check || !strcmp(o->check, c->name));
}

struct session {
	const struct dw_config *cfg;
	struct dw_db *pg, *my;
};

static struct dw_db *db_for(struct session *s, const struct dw_checkfile_check *c,
			    struct dw_err *err)
{
	if (c->warehouse)
		return s->my ? s->my : (s->my = dw_db_my_open(&s->cfg->warehouse, "warehouse", err));
	return s->pg ? s->pg : (s->pg = dw_db_pg_open(&s->cfg->oltp, "oltp", err));
}

static void sample(struct dw_db *db, const struct dw_checkfile_check *c,
		   const struct dw_vcheck_opts *o, FILE *out)
{
	struct dw_err err;
	struct dw_rows *rows = dw_rule_samples(db, c, o->samples, &err);

	if (rows) {
		dw_out_rows(rows, out, o->format == DW_OUT_AUTO ? DW_OUT_TSV : o->format, o->header,
			    &err);
		dw_rows_free(rows);
	}
}

static int report(struct dw_out *t, const struct dw_checkfile_check *c,
		  const struct dw_rule_result *r, FILE *out, struct dw_err *err)
{
	char failing[32], secs[32];
	const char *row[] = { c->name, c->warehouse ? "warehouse" : "oltp", c->table,
			      dw_checkfile_kind_name(c->kind), failing, outcome_names[r->outcome],
			      secs };

	snprintf(failing, sizeof failing, "%lld", r->failing);
	snprintf(secs, sizeof secs, "%.3f", r->seconds);
	if (t)
		return dw_out_row(t, row, err);
	if (r->outcome != DW_RULE_PASS)
		fprintf(out, "%s %s: %lld failing in %s.%s (%s)\n",
			r->outcome == DW_RULE_FAIL ? "FAIL" : "WARN", c->name, r->failing,
			row[1], c->table, row[3]);
	return 0;
}

static struct dw_out *table(FILE *out, const struct dw_vcheck_opts *o)
{
	static const char *const cols[] = { "check", "database", "table", "kind", "failing",
					    "outcome", "seconds" };
	struct dw_out *t = o->format == DW_OUT_AUTO ? NULL : dw_out_new(out, o->format, o->header);

	for (int i = 0; t && i < 7; i++)
		dw_out_column(t, cols[i], i == 4 || i == 6 ? DW_OUT_NUMBER : DW_OUT_TEXT);
	return t;
}

int dw_vcheck_run(const struct dw_config *cfg, const struct dw_vcheck_opts *o, FILE *out,
		  struct dw_err *err)
{
	struct dw_checkfile f;
	struct session s = { cfg, NULL, NULL };
	struct dw_out *t = NULL;
	int failed = 0, warned = 0, ran = 0, rc = 0;

	if (dw_checkfile_load(&f, cfg->validate.checks, err) < 0) {
		dw_checkfile_free(&f);
		return -1;
	}
	t = table(out, o);
	for (size_t i = 0; rc == 0 && i < f.nchecks; i++) {
		const struct dw_checkfile_check *c = &f.checks[i];
		struct dw_rule_result r;
		struct dw_db *db;

		if (!selected(c, o))
			continue;
		ran++;
		if (!(db = db_for(&s, c, err)) || dw_rule_run(db, c, &r, err) < 0) {
			if (db)
				dw_err_set(err, err->code, "check '%s' (%s:%d): %s", c->name, f.path,
					   c->line, err->msg);
			rc = -1;
			break;
		}
		failed += r.outcome == DW_RULE_FAIL;
		warned += r.outcome == DW_RULE_WARN;
		rc = report(t, c, &r, out, err);
		if (rc == 0 && r.outcome != DW_RULE_PASS && !t)
			sample(db, c, o, out);
	}
	if (t && rc == 0)
		rc = dw_out_end(t, err);
	dw_out_free(t);
	dw_db_close(s.pg);
	dw_db_close(s.my);
	dw_checkfile_free(&f);
	if (rc < 0)
		return -1;
	if (o->check && !ran)
		return dw_err_set(err, DW_EX_USAGE, "no check named '%s'", o->check);
	dw_log_verbose(1, "%d checks: %d failed, %d warned", ran, failed, warned);
	if (failed || (o->strict && warned))
		return dw_err_set(err, DW_EX_NEGATIVE, "%d check%s failed%s", failed + (o->strict ?
				  warned : 0), failed + (o->strict ? warned : 0) == 1 ? "" : "s",
				  o->strict && warned ? " (warnings count, --strict)" : "");
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
