#include "ask/exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sqllex.h"

int dw_exec_query(const struct dw_exec *x, const char *sql, const char *const *params,
		  size_t n, struct dw_result *res, double *ms, struct dw_err *err)
{
	struct dw_rows *rows;
	struct dw_err ignored;
	double t0 = dw_log_clock();
	int rc = -1, timed_out;

	dw_result_release(res);
	if (dw_db_begin_read_only(x->db, err) < 0)
		return -1;
	rows = dw_db_query(x->db, sql, (int)n, params, err);
	if (rows) {
		rc = dw_result_fetch(rows, x->row_limit, res, err);
		dw_rows_free(rows);
	}
	/* Read before the rollback, which clears the error. */
	timed_out = rc < 0 && dw_db_is_timeout(x->db);
	dw_db_rollback(x->db, &ignored);
	*ms += (dw_log_clock() - t0) * 1000;
	if (timed_out) {
		dw_err_set(err, DW_EX_TEMPFAIL, "the query ran longer than %.3g s (ask.statement_timeout)",
			   (double)x->timeout_ms / 1000);
		dw_err_hint(err, "ask a narrower question, or raise ask.statement_timeout");
	}
	return rc;
}

/* Writes sql to fp with the ? placeholders among the tokens p[0..np)
 * filled from params[0..n). Returns 0, or -1 when out of memory. */
static int fill_params(FILE *fp, const char *sql, const struct dw_sqltok *p, size_t np,
		       const char *const *params, size_t n, enum dw_db_kind dialect)
{
	size_t from = 0, k = 0;

	for (size_t i = 0; i < np && k < n; i++) {
		char *lit = NULL;

		if (p[i].len != 1 || sql[p[i].off] != '?')
			continue;
		/* A NULL value is bound as SQL NULL. */
		if (params[k] && !(lit = dw_sqllex_quote(params[k], dialect)))
			return -1;
		k++;
		fprintf(fp, "%.*s%s", (int)(p[i].off - from), sql + from, lit ? lit : "NULL");
		free(lit);
		from = p[i].off + 1;
	}
	fputs(sql + from, fp);
	return 0;
}

char *dw_exec_sql_shown(const char *sql, const char *const *params, size_t n,
			enum dw_db_kind dialect, struct dw_err *err)
{
	struct dw_sqltok *p = NULL;
	size_t np = 0, len = 0;
	char *buf = NULL;
	FILE *fp;
	int rc;

	if (n && dw_sqllex_params(sql, strlen(sql), dialect, &p, &np, err) < 0)
		return NULL;
	if (!(fp = open_memstream(&buf, &len))) {
		free(p);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory"), NULL;
	}
	rc = fill_params(fp, sql, p, np, params, n, dialect);
	free(p);
	if (fclose(fp) != 0 || rc < 0) {
		free(buf);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory"), NULL;
	}
	return buf;
}
