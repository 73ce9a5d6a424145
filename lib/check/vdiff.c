/* dw-validate diff: the differences as rows (-F), as a test report (-F tap
 * or junit: a test per table) or a line each, a summary with -v; --repair
 * fixes them, audited, then compares again. */
#include "check/vdiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "check/diff.h"
#include "check/repair.h"
#include "check/vreport.h"
#include "db/db.h"
#include "log.h"
#include "partplan.h"

#define SHOWN 20            /* differences a test report shows per table, the others counted */

/* The key for people: its parts joined by '|'. */
static void key_text(const char *key, char *buf, size_t n)
{
	snprintf(buf, n, "%s", key);
	for (char *p = buf; *p; p++)
		if (*p == '\x1f')
			*p = '|';
}

static int print_rows(const struct dw_diff *d, const struct dw_vdiff_opts *o, FILE *out,
		      struct dw_err *err)
{
	static const char *const cols[] = { "table", "key", "difference", "detail" };
	struct dw_out *t = dw_out_new(out, o->format, o->header);
	int rc = t ? 0 : dw_err_set(err, DW_EX_SOFTWARE, "out of memory");

	for (int i = 0; t && i < 4; i++)
		dw_out_column(t, cols[i], DW_OUT_TEXT);
	for (size_t i = 0; rc == 0 && i < d->nfound; i++) {
		const struct dw_diff_found *f = &d->found[i];
		char key[1024];
		const char *row[] = { f->table, key, dw_diff_what_name(f->what),
				      f->detail ? f->detail : "" };

		key_text(f->key, key, sizeof key);
		rc = dw_out_row(t, row, err);
	}
	if (rc == 0)
		rc = dw_out_end(t, err);
	dw_out_free(t);
	return rc;
}

/* "KEY: what[: detail]" */
static void print_found(const struct dw_diff_found *f, FILE *out)
{
	char key[1024];

	key_text(f->key, key, sizeof key);
	fprintf(out, "%s: %s%s%s%s\n", key, dw_diff_what_name(f->what),
		f->what == DW_DIFF_MISSING ? " in the warehouse" :
		f->what == DW_DIFF_EXTRA ? " in the warehouse, not in the oltp database" : "",
		f->detail ? ": " : "", f->detail ? f->detail : "");
}

static void print_lines(const struct dw_diff *d, FILE *out)
{
	for (size_t i = 0; i < d->nfound; i++) {
		fprintf(out, "DIFF %s ", d->found[i].table);
		print_found(&d->found[i], out);
	}
}

/* ---- test reports ---- */

static int is_test_report(enum dw_out_format f)
{
	return f == DW_OUT_TAP || f == DW_OUT_JUNIT;
}

/* t's differences, a line each (malloc'd), NULL when it has none or out
 * of memory: they only illustrate its count. */
static char *table_text(const struct dw_diff *d, const struct dw_diff_table *t)
{
	char *text = NULL;
	size_t len = 0;
	long long shown = 0;
	FILE *fp;

	if (!t->differences || !(fp = open_memstream(&text, &len)))
		return NULL;
	for (size_t i = 0; shown < SHOWN && i < d->nfound; i++)
		if (!strcmp(d->found[i].table, t->name))
			print_found(&d->found[i], fp), shown++;
	if (t->differences > shown)
		fprintf(fp, "and %lld more\n", t->differences - shown);
	if (fclose(fp) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static int test_report(const struct dw_diff *d, const struct dw_vdiff_opts *o, FILE *out,
		       struct dw_err *err)
{
	struct dw_vreport *r = dw_vreport_new(out, o->format, o->header, 0, "diff", d->tables,
					      d->started);
	int rc;

	if (!r)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (int i = 0; i < d->tables; i++) {
		const struct dw_diff_table *t = &d->table[i];
		char failure[64], *text = table_text(d, t);

		snprintf(failure, sizeof failure, "%lld difference%s", t->differences,
			 t->differences == 1 ? "" : "s");
		dw_vreport_table(r, t->name, t->differences ? failure : NULL, text, t->seconds);
		free(text);
	}
	rc = dw_vreport_end(r, err);
	dw_vreport_free(r);
	return rc;
}

/* ---- the verb ---- */

static int report(const struct dw_diff *d, const struct dw_vdiff_opts *o, FILE *out,
		  struct dw_err *err)
{
	if (is_test_report(o->format))
		return test_report(d, o, out, err);
	if (o->format != DW_OUT_AUTO)
		return print_rows(d, o, out, err);
	print_lines(d, out);
	return 0;
}

static int compare(struct dw_db *pg, struct dw_db *my, const struct dw_vdiff_opts *o, long from,
		   struct dw_diff *d, struct dw_err *err)
{
	*d = (struct dw_diff){ .limit = o->limit };
	if (dw_diff_run(pg, my, o->table, from, d, err) < 0)
		return -1;
	dw_log_verbose(1, "diff: %d tables, %lld rows compared in %.2fs, %zu differences, "
		       "%lld pending (changed since the watermark %s), %lld queries, "
		       "%lld bytes received", d->tables, d->compared, d->seconds, d->nfound,
		       d->pending, d->watermark[0] ? d->watermark : "none", d->queries, d->bytes);
	return 0;
}

static int negative(const struct dw_diff *d, const char *after, struct dw_err *err)
{
	return dw_err_set(err, DW_EX_NEGATIVE, "%zu difference%s%s%s", d->nfound,
			  d->nfound == 1 ? "" : "s",
			  d->truncated ? " listed, and more (raise --limit to list them)" : "", after);
}

/* The repair, audited: nothing changes unless its event is written. */
static int repair(const struct dw_config *cfg, struct dw_db *pg, struct dw_db *my,
		  const struct dw_diff *d, int dry_run, struct dw_repair *r, struct dw_err *err)
{
	struct dw_audit_event ev = { .tool = "dw-validate", .action = "repair", .role = "",
				     .db_user = cfg->warehouse.user, .question = "diff --repair",
				     .rows = -1 };
	char detail[256];
	int rc;

	if (!dry_run && dw_audit_started(my, &ev, err) < 0)
		return -1;
	rc = dw_repair_run(pg, my, d, cfg->etl.fiscal_year_start, dry_run, r, err);
	if (dry_run)
		return rc;
	snprintf(detail, sizeof detail, "{\"differences\":%zu,\"re-extracted\":%lld,"
		 "\"deleted\":%lld,\"merged\":%lld}", d->nfound, r->staged, r->deleted, r->merged);
	ev.rows = rc == 0 ? r->merged : -1;
	if (dw_audit_outcome(my, &ev, detail, rc < 0 ? err : NULL, rc < 0 ? NULL : err) < 0)
		rc = -1;
	return rc;
}

/* The first order date the warehouse is meant to hold: with a retention
 * for fact_sales in the partition policy, the bound of its first catch-all
 * (dw-partition retain moves it up as it archives months); else 0, all. */
static int retained_from(const struct dw_config *cfg, struct dw_db *my, long *from,
			 struct dw_err *err)
{
	struct dw_partplan_set set;
	const struct dw_partplan_policy *p;
	struct dw_partplan_layout l;
	int rc = dw_partplan_load(&set, cfg->path, err);

	*from = 0;
	p = rc == 0 ? dw_partplan_find(&set, "fact_sales") : NULL;
	if (p && p->retain && (rc = dw_partplan_read(my, p->table, p->column, &l, err)) == 0) {
		*from = l.p[0].bound;
		dw_partplan_layout_release(&l);
	}
	dw_partplan_free(&set);
	return rc;
}

/* The repair of what d found, then the comparison again, printed when
 * something still differs (a test report always: it is of this one). */
static int repaired(const struct dw_config *cfg, struct dw_db *pg, struct dw_db *my,
		    const struct dw_vdiff_opts *o, long from, struct dw_diff *d, FILE *out,
		    struct dw_err *err)
{
	struct dw_repair r;
	size_t found = d->nfound;

	if (repair(cfg, pg, my, d, o->dry_run, &r, err) < 0)
		return -1;
	if (o->dry_run)
		return negative(d, " (dry run: the repair was rolled back)", err);
	dw_diff_release(d);
	if (compare(pg, my, o, from, d, err) < 0)
		return -1;
	if ((d->nfound || is_test_report(o->format)) && report(d, o, out, err) < 0)
		return -1;
	if (d->nfound)
		return negative(d, " after the repair", err);
	dw_log_verbose(0, "repaired %zu difference%s (%lld rows re-extracted, %lld deleted); the "
		       "warehouse agrees with the oltp database", found, found == 1 ? "" : "s",
		       r.staged, r.deleted);
	return 0;
}

static int diff_and_repair(const struct dw_config *cfg, struct dw_db *pg, struct dw_db *my,
			   const struct dw_vdiff_opts *o, FILE *out, struct dw_err *err)
{
	long from = 0;
	struct dw_diff d = { 0 };
	int rc = retained_from(cfg, my, &from, err), repairs;

	if (rc == 0)
		rc = compare(pg, my, o, from, &d, err);
	repairs = rc == 0 && d.nfound && o->repair;
	/* A test report is one document: of the comparison after the repair. */
	if (rc == 0 && !(repairs && !o->dry_run && is_test_report(o->format)))
		rc = report(&d, o, out, err);
	if (rc == 0 && repairs)
		rc = repaired(cfg, pg, my, o, from, &d, out, err);
	else if (rc == 0 && d.nfound)
		rc = negative(&d, "", err);
	dw_diff_release(&d);
	return rc;
}

int dw_vdiff_run(const struct dw_config *cfg, const struct dw_vdiff_opts *o, FILE *out,
		 struct dw_err *err)
{
	struct dw_db *pg = dw_db_pg_open(&cfg->oltp, "oltp", err), *my = NULL;
	int rc = -1;

	if (pg && (my = dw_db_my_open(&cfg->warehouse, "warehouse", err)))
		rc = diff_and_repair(cfg, pg, my, o, out, err);
	dw_db_close(my);
	dw_db_close(pg);
	return rc;
}
