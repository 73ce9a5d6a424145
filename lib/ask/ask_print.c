/* Showing an answer: table, chart, SVG, freshness. */
#include "ask/ask_print.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "log.h"
#include "outfile.h"

/* ---- freshness ----------------------------------------------------------- */

/* "data as of ...": every change before the oldest per-table watermark
 * has reached the warehouse. Malloc'd; NULL when no watermark is readable. */
static char *freshness(struct dw_ask_session *s)
{
	struct dw_err ignored;
	char *as_of = NULL;

	if (dw_db_query_value(s->db, "SELECT DATE_FORMAT(MIN(watermark), '%Y-%m-%d %H:%i:%s') "
			      "FROM dw_etl_watermark", 0, NULL, &as_of, &ignored) < 0) {
		free(as_of);
		return NULL;
	}
	return as_of;
}

static void print_freshness(struct dw_ask_session *s, FILE *out)
{
	char *as_of = freshness(s);

	if (!as_of)
		fprintf(out, "(data freshness unknown: no ETL watermark is readable)\n");
	else
		fprintf(out, "(data as of %s, the last ETL watermark)\n", as_of);
	free(as_of);
}

/* ---- xlsx ---------------------------------------------------------------- */

/* The result on a sheet, and a sheet "about": the question, the SQL as
 * run, the data's freshness, the engine and whether rows were cut. */
static int print_workbook(struct dw_ask_session *s, const struct dw_ask_opts *o,
			  const struct dw_ask_answer *a, FILE *fp, struct dw_err *err)
{
	static const char *const keys[] = { "question", "sql", "data as of", "engine", "rows" };
	struct dw_out *out = dw_out_new(fp, DW_OUT_XLSX, o->header);
	char *as_of = freshness(s), rows[160];
	const char *values[] = { o->question ? o->question : o->report, a->shown, NULL,
				 a->engine, rows };
	int rc;

	if (!out) {
		free(as_of);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	values[2] = as_of ? as_of : "unknown: no ETL watermark is readable";
	snprintf(rows, sizeof rows, "%zu%s", a->result.nrows, !a->result.truncated ? "" :
		 a->result.byte_capped ? ", cut by ask.byte_limit" : ", cut by ask.row_limit");
	rc = dw_result_write(&a->result, out, err);
	dw_out_note_sheet(out, "about", keys, values, sizeof keys / sizeof keys[0]);
	if (rc == 0)
		rc = dw_out_end(out, err);
	dw_out_free(out);
	free(as_of);
	return rc;
}

/* ---- charts -------------------------------------------------------------- */

static void chart_data(const struct dw_ask_answer *a, struct dw_chart_data *d)
{
	d->ncols = (size_t)a->result.ncols;
	d->nrows = a->result.nrows;
	d->names = (const char *const *)a->result.names;
	d->kinds = a->result.kinds;
	d->cells = (const char *const *)a->result.cells;
	d->time_axis = a->time_axis;
}

/* Written aside and renamed over the target, never through a link. */
static int write_svg(const struct dw_ask_opts *o, const struct dw_chart_data *d,
		     struct dw_err *err)
{
	struct dw_outfile f;

	if (dw_outfile_open(&f, o->svg, 0644, err) < 0)
		return -1;
	if (dw_chart_svg(d, f.fp, o->question ? o->question : o->report, err) < 0) {
		dw_outfile_abort(&f);
		return -1;
	}
	return dw_outfile_commit(&f, err);
}

/* The chart when one fits; otherwise why not in *why_not, so the table
 * shows (and --svg fails once it has). */
static int print_chart(const struct dw_ask_opts *o, const struct dw_chart_data *d, FILE *out,
		       int *drawn, char *why_not, size_t size, struct dw_err *err)
{
	char why[256];

	*drawn = 0;
	if (dw_chart_choose(d, why, sizeof why) == DW_CHART_NONE) {
		snprintf(why_not, size, "%s", why);
		return 0;
	}
	if (o->svg && write_svg(o, d, err) < 0)
		return -1;
	if (o->chart) {
		if (dw_chart_terminal(d, out, o->width, o->utf8, err) < 0)
			return -1;
		*drawn = 1;
	}
	return 0;
}

int dw_ask_print_result(struct dw_ask_session *s, const struct dw_ask_opts *o,
			const struct dw_ask_answer *a, FILE *out, struct dw_err *err)
{
	struct dw_chart_data d;
	int table = o->format == DW_OUT_TABLE, drawn = 0;
	char why_not[256] = "";

	chart_data(a, &d);
	if ((o->chart || o->svg) && print_chart(o, &d, out, &drawn, why_not, sizeof why_not, err) < 0)
		return -1;
	/* Notices, printed even with -q (dw-ask(1), OUTPUT). */
	if (*why_not && !o->svg)
		dw_log_text("%s: no chart: %s\n", dw_log_prog(), why_not);
	if (!drawn && o->format == DW_OUT_XLSX) {
		if (print_workbook(s, o, a, out, err) < 0)
			return -1;
	} else if (!drawn && dw_result_print(&a->result, out, o->format, o->header, err) < 0) {
		return -1;
	}
	if (a->result.truncated) {
		char note[128];

		snprintf(note, sizeof note, "%zu rows shown; the answer has more: see ask.%s",
			 a->result.nrows, a->result.byte_capped ? "byte_limit" : "row_limit");
		if (table)
			fprintf(out, "(%s)\n", note);
		else
			dw_log_text("%s: notice: %s\n", dw_log_prog(), note);
	}
	if (table)
		print_freshness(s, out);
	if (fflush(out) != 0)
		return dw_err_set(err, DW_EX_IOERR, "cannot write the answer: %s", strerror(errno));
	if (*why_not && o->svg)
		return dw_err_set(err, DW_EX_NEGATIVE, "no SVG written: no chart fits this answer: %s",
				  why_not);
	return 0;
}
