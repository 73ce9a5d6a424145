/* Reading the trail back. The filters become a WHERE of bound parameters;
 * the times are read by dw_date_time_arg (a date, a date and time, or a
 * duration back from now) and compared with at, which is UTC. */
#include "audit/review.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "date.h"
#include "out_rows.h"

#define MAXP 8

struct where {
	char sql[1024];
	const char *params[MAXP];
	int n;
	char times[2][32];
	char like[512];
};

static void cond(struct where *w, const char *sql)
{
	size_t len = strlen(w->sql);

	snprintf(w->sql + len, sizeof w->sql - len, "%s%s", len ? " AND " : " WHERE ", sql);
}

static int where(const struct dw_review_filter *f, struct where *w, struct dw_err *err)
{
	memset(w, 0, sizeof *w);
	if (f->since && (dw_date_time_arg(f->since, w->times[0], err) < 0))
		return -1;
	if (f->until && (dw_date_time_arg(f->until, w->times[1], err) < 0))
		return -1;
	if (f->since)
		cond(w, "at >= ?"), w->params[w->n++] = w->times[0];
	if (f->until)
		cond(w, "at < ?"), w->params[w->n++] = w->times[1];
	if (f->user) {
		cond(w, "(os_user = ? OR db_user = ?)");
		w->params[w->n++] = f->user;
		w->params[w->n++] = f->user;
	}
	if (f->tool)
		cond(w, "tool = ?"), w->params[w->n++] = f->tool;
	if (f->outcome)
		cond(w, "outcome = ?"), w->params[w->n++] = f->outcome;
	if (f->grep) {
		/* LOCATE: the text as it is, no pattern characters. */
		cond(w, "(LOCATE(?, question) > 0 OR LOCATE(?, sql_text) > 0 OR "
			"LOCATE(?, detail) > 0)");
		for (int i = 0; i < 3 && w->n < MAXP; i++)
			w->params[w->n++] = f->grep;
	}
	return 0;
}

static struct dw_rows *select_events(struct dw_db *db, const char *cols,
				     const struct dw_review_filter *f, struct dw_err *err)
{
	struct where w;
	char sql[2048];

	if (where(f, &w, err) < 0)
		return NULL;
	snprintf(sql, sizeof sql, "SELECT %s FROM dw_audit_event%s ORDER BY seq", cols, w.sql);
	return dw_db_query(db, sql, w.n, w.params, err);
}

int dw_review_log(struct dw_db *db, const struct dw_review_filter *f, FILE *out,
		  enum dw_out_format fmt, int header, struct dw_err *err)
{
	struct dw_rows *rows = select_events(db, "seq, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s') AS at, "
					     "tool, action, os_user, role, db_user, outcome, question, "
					     "detail", f, err);
	long long n;

	if (!rows)
		return -1;
	n = dw_out_rows(rows, out, fmt, header, err);
	dw_rows_free(rows);
	return n < 0 ? -1 : 0;
}

/* An SD-PARAM value: '"', '\' and ']' escaped (RFC 5424, 6.3.3). */
static void sd_value(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\' || *s == ']')
			fputc('\\', out);
		fputc(*s, out);
	}
}

static void syslog_line(FILE *out, struct dw_rows *rows, const char *host)
{
	const char *outcome = dw_rows_value(rows, 14), *q = dw_rows_value(rows, 9);
	int sev = outcome && (!strcmp(outcome, "failed") || !strcmp(outcome, "refused")) ? 4 : 6;
	static const int sd[] = { 0, 6, 7, 8, 5, 14 };   /* columns of export_cols */
	static const char *const sd_names[] = { "seq", "user", "role", "account", "action",
						"outcome" };

	fprintf(out, "<%d>1 %sZ %s %s - %s [dw@32473", 13 * 8 + sev, dw_rows_value(rows, 3), host,
		dw_rows_value(rows, 4), dw_rows_value(rows, 5));
	for (int i = 0; i < 6; i++) {
		fprintf(out, " %s=\"", sd_names[i]);
		sd_value(out, dw_rows_value(rows, sd[i]));
		fputc('"', out);
	}
	fputc(']', out);
	if (q) {
		fputc(' ', out);
		for (; *q; q++)
			fputc(*q == '\n' || *q == '\r' ? ' ' : *q, out);
	}
	fputc('\n', out);
}

static const char export_cols[] =
	"seq, prev_hash, hash, DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%f') AS at, tool, action, "
	"os_user, role, db_user, question, engine, sql_text, row_count, elapsed_ms, "
	"outcome, detail";

long long dw_review_export(struct dw_db *db, const struct dw_review_filter *f, int syslog,
			   FILE *out, struct dw_err *err)
{
	struct dw_rows *rows = select_events(db, export_cols, f, err);
	char host[256] = "-";
	long long n = 0;
	int rc;

	if (!rows)
		return -1;
	if (gethostname(host, sizeof host) < 0 || !*host)
		snprintf(host, sizeof host, "-");
	while ((rc = dw_rows_next(rows, err)) > 0) {
		if (syslog) {
			syslog_line(out, rows, host);
		} else {
			cJSON *o = cJSON_CreateObject();
			char *line;

			for (int i = 0; o && i < dw_rows_ncols(rows); i++)
				cJSON_AddItemToObject(o, dw_rows_name(rows, i), dw_rows_value(rows, i)
					? cJSON_CreateString(dw_rows_value(rows, i)) : cJSON_CreateNull());
			if (!o || !(line = cJSON_PrintUnformatted(o))) {
				cJSON_Delete(o);
				rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
				break;
			}
			fprintf(out, "%s\n", line);
			free(line);
			cJSON_Delete(o);
		}
		n++;
	}
	dw_rows_free(rows);
	if (rc < 0)
		return -1;
	if (fflush(out) != 0)
		return dw_err_set(err, DW_EX_IOERR, "cannot write the export");
	return n;
}
