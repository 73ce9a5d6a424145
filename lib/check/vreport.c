/* The formats of dw-validate run, and the test reports of diff. TAP:
 * "TAP version 13", the plan, then a test point per check (per table for
 * diff); a warning is "not ok ... # TODO", which prove counts as passing,
 * unless --strict makes it fail; the samples (differences) follow as
 * comments. JUnit: one testsuite of a testcase per check, a <failure> for
 * a failing one (the samples its text), a warning as <system-out>, a check
 * that could not run as <error>. */
#include "check/vreport.h"

#include <stdlib.h>
#include <string.h>

#include "out_rows.h"
#include "text.h"

struct dw_vreport {
	FILE *out;
	enum dw_out_format fmt;
	int header, strict;
	const char *path;
	struct dw_out *table;          /* a row format */
	int tests, failures, errors;   /* so far */
	double seconds;
	char started[32];              /* JUnit: the start, UTC */
	FILE *cases;                   /* JUnit: the testcases, held until the counts */
	char *text;                    /* are known */
	size_t len;
};

static int is_row_format(enum dw_out_format f)
{
	return f != DW_OUT_AUTO && f != DW_OUT_TAP && f != DW_OUT_JUNIT;
}

static struct dw_out *row_table(FILE *out, enum dw_out_format fmt, int header)
{
	static const char *const cols[] = { "check", "database", "table", "kind", "failing",
					    "outcome", "seconds" };
	struct dw_out *t = dw_out_new(out, fmt, header);

	for (int i = 0; t && i < 7; i++)
		dw_out_column(t, cols[i], i == 4 || i == 6 ? DW_OUT_NUMBER : DW_OUT_TEXT);
	return t;
}

struct dw_vreport *dw_vreport_new(FILE *out, enum dw_out_format fmt, int header, int strict,
				  const char *path, int n, time_t started)
{
	struct dw_vreport *r = calloc(1, sizeof *r);
	struct tm tm;

	if (!r)
		return NULL;
	*r = (struct dw_vreport){ .out = out, .fmt = fmt, .header = header, .strict = strict,
				  .path = path };
	gmtime_r(&started, &tm);
	strftime(r->started, sizeof r->started, "%Y-%m-%dT%H:%M:%S", &tm);
	if ((is_row_format(fmt) && !(r->table = row_table(out, fmt, header))) ||
	    (fmt == DW_OUT_JUNIT && !(r->cases = open_memstream(&r->text, &r->len)))) {
		dw_vreport_free(r);
		return NULL;
	}
	if (fmt == DW_OUT_TAP)
		fprintf(out, "TAP version 13\n1..%d\n", n);
	return r;
}

int dw_vreport_shows_samples(const struct dw_vreport *r)
{
	return !is_row_format(r->fmt);
}

/* "3 failing in warehouse.fact_sales (referential)" */
static void summary(const struct dw_checkfile_check *c, const struct dw_rule_result *res,
		    char *buf, size_t size)
{
	snprintf(buf, size, "%lld failing in %s.%s (%s)", res->failing,
		 c->warehouse ? "warehouse" : "oltp", c->table, dw_checkfile_kind_name(c->kind));
}

/* A test point of TAP, a testcase of JUnit: a check, or a table of diff. */
struct point {
	const char *name, *classname, *type;
	enum dw_rule_outcome outcome;
	const char *summary;        /* why it fails or warns */
	const char *text;           /* its rows, NULL: none */
	double seconds;
};

static int fails(const struct dw_vreport *r, enum dw_rule_outcome o)
{
	return o == DW_RULE_FAIL || (r->strict && o == DW_RULE_WARN);
}

/* The samples as TSV text (malloc'd), NULL when none or unreadable: they
 * only illustrate the check's figure. */
static char *samples_text(struct dw_rows *samples, int header)
{
	struct dw_err err;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	if (!samples || !(fp = open_memstream(&text, &len)))
		return NULL;
	if (dw_out_rows(samples, fp, DW_OUT_TSV, header, &err) < 0 || fclose(fp) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* ---- without -F, and the row formats ---- */

static void cron_line(struct dw_vreport *r, const struct dw_checkfile_check *c,
		      const struct dw_rule_result *res, struct dw_rows *samples)
{
	struct dw_err err;
	char sum[512];

	if (res->outcome == DW_RULE_PASS)
		return;
	summary(c, res, sum, sizeof sum);
	fprintf(r->out, "%s %s: %s\n", res->outcome == DW_RULE_FAIL ? "FAIL" : "WARN", c->name,
		sum);
	if (samples)
		dw_out_rows(samples, r->out, DW_OUT_TSV, r->header, &err);
}

static int table_row(struct dw_vreport *r, const struct dw_checkfile_check *c,
		     const struct dw_rule_result *res, struct dw_err *err)
{
	char failing[32], secs[32];
	const char *row[] = { c->name, c->warehouse ? "warehouse" : "oltp", c->table,
			      dw_checkfile_kind_name(c->kind), failing,
			      dw_rule_outcome_name(res->outcome), secs };

	snprintf(failing, sizeof failing, "%lld", res->failing);
	snprintf(secs, sizeof secs, "%.3f", res->seconds);
	return dw_out_row(r->table, row, err);
}

/* ---- TAP ---- */

/* text as TAP comment lines, "# " before each; a control character, which
 * a terminal would obey, as '?'. */
static void tap_comment(FILE *fp, const char *text)
{
	int start = 1;

	for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
		if (start)
			fputs("# ", fp);
		start = *p == '\n';
		fputc(start || *p == '\t' || (*p >= 0x20 && *p != 0x7f) ? *p : '?', fp);
	}
}

static void tap_point(struct dw_vreport *r, const struct point *p)
{
	fprintf(r->out, "%s %d - %s", p->outcome == DW_RULE_PASS ? "ok" : "not ok", r->tests,
		p->name);
	if (p->outcome == DW_RULE_WARN)
		fprintf(r->out, " # %swarning: %s", r->strict ? "" : "TODO ", p->summary);
	else if (p->outcome == DW_RULE_FAIL)
		fprintf(r->out, " # %s", p->summary);
	fputc('\n', r->out);
	tap_comment(r->out, p->text);
}

/* ---- JUnit ---- */

static void xml_attr(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, " %s=\"", name);
	dw_text_xml(fp, value);
	fputc('"', fp);
}

/* <testcase name=... classname=... time=...> */
static void junit_open(FILE *fp, const char *name, const char *classname, double seconds)
{
	fputs("    <testcase", fp);
	xml_attr(fp, "name", name);
	xml_attr(fp, "classname", classname);
	fprintf(fp, " time=\"%.3f\"", seconds);
}

static void junit_case(struct dw_vreport *r, const struct point *p)
{
	const char *text = p->text ? p->text : "";

	junit_open(r->cases, p->name, p->classname, p->seconds);
	if (p->outcome == DW_RULE_PASS) {
		fputs("/>\n", r->cases);
		return;
	}
	if (fails(r, p->outcome)) {
		fputs(">\n      <failure", r->cases);
		xml_attr(r->cases, "message", p->summary);
		xml_attr(r->cases, "type", p->type);
		fputs(">", r->cases);
		dw_text_xml(r->cases, text);
		fputs("</failure>\n", r->cases);
	} else {
		fputs(">\n      <system-out>warning: ", r->cases);
		dw_text_xml(r->cases, p->summary);
		fputs(p->text ? "\n" : "", r->cases);
		dw_text_xml(r->cases, text);
		fputs("</system-out>\n", r->cases);
	}
	fputs("    </testcase>\n", r->cases);
}

static void junit_counts(FILE *fp, const struct dw_vreport *r)
{
	fprintf(fp, " tests=\"%d\" failures=\"%d\" errors=\"%d\"", r->tests, r->failures,
		r->errors);
}

static void junit_document(struct dw_vreport *r)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dw-validate\"",
	      r->out);
	junit_counts(r->out, r);
	fprintf(r->out, " time=\"%.3f\">\n  <testsuite", r->seconds);
	xml_attr(r->out, "name", r->path);
	junit_counts(r->out, r);
	fprintf(r->out, " skipped=\"0\" time=\"%.3f\" timestamp=\"%s\">\n", r->seconds,
		r->started);
	fwrite(r->text, 1, r->len, r->out);
	fputs("  </testsuite>\n</testsuites>\n", r->out);
}

/* ---- the calls ---- */

/* p in the test report. */
static void test(struct dw_vreport *r, const struct point *p)
{
	r->tests++;
	r->failures += fails(r, p->outcome);
	r->seconds += p->seconds;
	if (r->fmt == DW_OUT_TAP)
		tap_point(r, p);
	else
		junit_case(r, p);
}

/* "warehouse.t_check" */
static void classname(const struct dw_checkfile_check *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s.%s", c->warehouse ? "warehouse" : "oltp", c->table);
}

int dw_vreport_check(struct dw_vreport *r, const struct dw_checkfile_check *c,
		     const struct dw_rule_result *res, struct dw_rows *samples, struct dw_err *err)
{
	char sum[512], cls[320], *text;
	struct point p = { c->name, cls, dw_checkfile_kind_name(c->kind), res->outcome, sum, NULL,
			   res->seconds };

	if (r->fmt == DW_OUT_AUTO) {
		cron_line(r, c, res, samples);
		return 0;
	}
	if (is_row_format(r->fmt))
		return table_row(r, c, res, err);
	summary(c, res, sum, sizeof sum);
	classname(c, cls, sizeof cls);
	p.text = text = samples_text(samples, r->header);
	test(r, &p);
	free(text);
	return 0;
}

void dw_vreport_table(struct dw_vreport *r, const char *name, const char *failure,
		      const char *text, double seconds)
{
	struct point p = { name, "diff", "diff", failure ? DW_RULE_FAIL : DW_RULE_PASS, failure,
			   text, seconds };

	test(r, &p);
}

void dw_vreport_error(struct dw_vreport *r, const struct dw_checkfile_check *c,
		      const struct dw_err *e)
{
	/* One line: a server's message may have more. */
	int len = (int)strcspn(e->msg, "\n");

	r->tests++;
	r->errors++;
	if (r->fmt == DW_OUT_TAP) {
		fprintf(r->out, "Bail out! %.*s\n", len, e->msg);
	} else if (r->fmt == DW_OUT_JUNIT) {
		char cls[320];

		classname(c, cls, sizeof cls);
		junit_open(r->cases, c->name, cls, 0);
		fputs(">\n      <error type=\"error\"", r->cases);
		xml_attr(r->cases, "message", e->msg);
		fputs("/>\n    </testcase>\n", r->cases);
	}
}

int dw_vreport_end(struct dw_vreport *r, struct dw_err *err)
{
	if (r->table)
		return dw_out_end(r->table, err);
	if (r->cases) {
		int rc = fclose(r->cases);

		r->cases = NULL;
		if (rc != 0)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		junit_document(r);
	}
	if (fflush(r->out) != 0 || ferror(r->out))
		return dw_err_set(err, DW_EX_IOERR, "cannot write the report");
	return 0;
}

void dw_vreport_free(struct dw_vreport *r)
{
	if (!r)
		return;
	dw_out_free(r->table);
	if (r->cases)
		fclose(r->cases);
	free(r->text);
	free(r);
}
