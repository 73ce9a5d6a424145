/* The repair of dw-validate diff --repair. The rows to fix are few, so they
 * travel as plain parameterized statements (no COPY or LOAD DATA): each
 * extract section of sql/oltp/sync_extract.sql that has "-- key" lines for
 * the tables in question runs with its window replaced by those
 * conditions, {keys} standing for the keys sent as one parameter; its rows
 * go into the sync's staging table; the keys the OLTP database no longer
 * has go into stage_deleted; then the merge runs as dw-etl run runs it. */
#include "check/repair.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sqlfile.h"

#define KEYS_SUBQUERY "SELECT unnest(string_to_array($%d, chr(30))) AS k"

struct job {
	struct dw_db *pg, *my;
	const struct dw_diff *d;
	struct dw_repair *r;
	struct dw_sql_section *x, *stage, *steps, *checks;
	int nx, nstage, nsteps, nchecks;
};

/* The keys of table's differences that the OLTP database has, joined by
 * U+001E; NULL when there are none (or out of memory, *oom set). */
static char *present_keys(const struct dw_diff *d, const char *table, int *oom)
{
	size_t n = 1, len = 0;
	char *k;

	for (size_t i = 0; i < d->nfound; i++)
		if (d->found[i].what != DW_DIFF_EXTRA && !strcmp(d->found[i].table, table))
			n += strlen(d->found[i].key) + 1;
	if (n == 1 || !(k = malloc(n))) {
		*oom = n > 1;
		return NULL;
	}
	k[0] = '\0';
	for (size_t i = 0; i < d->nfound; i++)
		if (d->found[i].what != DW_DIFF_EXTRA && !strcmp(d->found[i].table, table))
			len += (size_t)sprintf(k + len, "%s%s", len ? "\x1e" : "", d->found[i].key);
	return k;
}

/* cond ("TABLE COND" without TABLE) with each {keys} replaced by the
 * keys subquery of parameter $param, appended to buf. */
static void add_cond(char *buf, size_t n, const char *cond, int param)
{
	size_t len = strlen(buf);
	const char *p;

	len += (size_t)snprintf(buf + len, n - len, "%s(", len ? " OR " : "");
	while ((p = strstr(cond, "{keys}")) && len < n) {
		len += (size_t)snprintf(buf + len, n - len, "%.*s" KEYS_SUBQUERY, (int)(p - cond),
					cond, param);
		cond = p + 6;
	}
	if (len < n)
		snprintf(buf + len, n - len, "%s)", cond);
}

/* Section x's query for the keys in question, with its parameters in p
 * (freed by the caller); NULL with *np 0 when none of its tables has any. */
static char *extract_sql(const struct dw_sql_section *x, const struct dw_diff *d, char **p,
			 int *np, struct dw_err *err)
{
	char cond[8192] = "", *sql = NULL, *w;
	int oom = 0;

	*np = 0;
	for (int i = 0; i < x->nkeys && !oom; i++) {
		char table[64];
		int skip = 0;

		if (sscanf(x->keys[i], "%63s %n", table, &skip) != 1 || !skip)
			continue;
		if (!(p[*np] = present_keys(d, table, &oom)))
			continue;
		(*np)++;
		add_cond(cond, sizeof cond, x->keys[i] + skip, *np);
	}
	if (oom || (*np && (w = strstr(x->body, "{window}")) &&
		    !(sql = malloc(strlen(x->body) + strlen(cond) + 1))))
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	else if (*np && w)
		sprintf(sql, "%.*s%s%s", (int)(w - x->body), x->body, cond, w + 8);
	return sql;
}

/* ---- staging ---- */

static int insert_row(struct job *j, const char *stage, int ncols, const char *const *v,
		      struct dw_err *err)
{
	char sql[1024], msg[256];
	size_t len = (size_t)snprintf(sql, sizeof sql, "INSERT INTO stage_%s VALUES (", stage);
	long long w;

	for (int c = 0; c < ncols && len < sizeof sql; c++)
		len += (size_t)snprintf(sql + len, sizeof sql - len, c ? ", ?" : "?");
	if (len + 2 >= sizeof sql)
		return dw_err_set(err, DW_EX_SOFTWARE, "too many columns in stage_%s", stage);
	strcat(sql, ")");
	if (dw_db_exec(j->my, sql, ncols, v, err) < 0 ||
	    (w = dw_db_my_warnings(j->my, msg, sizeof msg, err)) < 0)
		return -1;
	if (w)
		return dw_err_set(err, DW_EX_DATAERR, "stage_%s: the warehouse changed a value "
				  "(%s); nothing was repaired", stage, msg);
	return 0;
}

static int stage_section(struct job *j, const struct dw_sql_section *x, struct dw_err *err)
{
	char *p[DW_SQL_MAX_CURSORS] = { 0 };
	int np, rc = 0;
	char *sql = extract_sql(x, j->d, p, &np, err);
	struct dw_rows *rows = sql ? dw_db_query(j->pg, sql, np, (const char *const *)p, err)
				   : NULL;

	if (np && !rows)
		rc = -1;
	while (rows && (rc = dw_rows_next(rows, err)) == 1) {
		const char *v[64];
		int n = dw_rows_ncols(rows);

		for (int c = 0; c < n && c < 64; c++)
			v[c] = dw_rows_value(rows, c);
		if ((rc = insert_row(j, x->word1, n, v, err)) < 0)
			break;
		j->r->staged++;
	}
	dw_rows_free(rows);
	for (int i = 0; i < np; i++)
		free(p[i]);
	free(sql);
	if (rc < 0)
		dw_err_prefix(err, "re-extracting %s", x->word1);
	return rc < 0 ? -1 : 0;
}

/* The keys the OLTP database no longer has, as the sync stages deletions. */
static int stage_deleted(struct job *j, struct dw_err *err)
{
	for (size_t i = 0; i < j->d->nfound; i++) {
		const struct dw_diff_found *f = &j->d->found[i];
		char key1[512], *sep;
		const char *v[3] = { f->tombstone, key1, "" };

		if (f->what != DW_DIFF_EXTRA)
			continue;
		if (!strcmp(f->tombstone, "-")) {
			j->r->skipped++;
			continue;
		}
		snprintf(key1, sizeof key1, "%s", f->key);
		if ((sep = strchr(key1, '\x1f')))
			*sep = '\0', v[2] = sep + 1;
		if (insert_row(j, "deleted", 3, v, err) < 0)
			return -1;
		j->r->deleted++;
	}
	return 0;
}

/* ---- merge ---- */

static int merge(struct job *j, struct dw_err *err)
{
	for (int i = 0; i < j->nsteps; i++) {
		long long n = dw_db_exec(j->my, j->steps[i].body, 0, NULL, err);

		if (n < 0) {
			dw_err_prefix(err, "merging %s (step %d)", j->steps[i].word2, i + 1);
			return -1;
		}
		if (strcmp(j->steps[i].word1, "none"))
			j->r->merged += n;
	}
	for (int i = 0; i < j->nchecks; i++) {
		char *v = NULL;
		long long n;

		if (dw_db_query_value(j->my, j->checks[i].body, 0, NULL, &v, err) < 0)
			return -1;
		n = v ? atoll(v) : 0;
		free(v);
		if (n)
			return dw_err_set(err, DW_EX_SOFTWARE, "%lld re-extracted %s rows did not "
					  "reach the warehouse; nothing was repaired", n,
					  j->checks[i].word1);
	}
	return 0;
}

static int transaction(struct job *j, int dry_run, struct dw_err *err)
{
	int rc = dw_db_begin(j->my, err);

	for (int i = 0; rc == 0 && i < j->nstage; i++)
		rc = dw_db_exec(j->my, j->stage[i].body, 0, NULL, err) < 0 ? -1 : 0;
	for (int i = 0; rc == 0 && i < j->nx; i++)
		rc = stage_section(j, &j->x[i], err);
	if (rc == 0)
		rc = stage_deleted(j, err);
	if (rc == 0)
		rc = merge(j, err);
	if (rc == 0 && !dry_run)
		rc = dw_db_commit(j->my, err);
	else
		dw_db_rollback(j->my, NULL);
	for (int i = 0; i < j->nstage; i++) {
		char sql[128];

		snprintf(sql, sizeof sql, "DROP TEMPORARY TABLE IF EXISTS stage_%s",
			 j->stage[i].word1);
		dw_db_exec(j->my, sql, 0, NULL, NULL);
	}
	return rc;
}

/* dw-etl run's lock: a repair and a sync never merge at the same time. */
static int locked(struct job *j, int fiscal, int dry_run, struct dw_err *err)
{
	char f[8], *got = NULL;
	const char *p[] = { f };
	int rc;

	snprintf(f, sizeof f, "%d", fiscal);
	if (dw_db_query_value(j->my, "SELECT GET_LOCK(CONCAT('dw-etl run ', DATABASE()), 0)", 0,
			      NULL, &got, err) < 0)
		return -1;
	rc = got && !strcmp(got, "1") ? 0 : -1;
	free(got);
	if (rc < 0) {
		dw_err_set(err, DW_EX_TEMPFAIL, "a dw-etl run is in progress on '%s'",
			   dw_db_label(j->my));
		dw_err_hint(err, "try again when it has finished");
		return -1;
	}
	rc = dw_db_exec(j->my, "SET @dw_full = 0, @dw_fiscal_start = ?", 1, p, err) < 0 ||
	     dw_db_exec(j->my, "SET lc_time_names = 'en_US'", 0, NULL, err) < 0 ||
	     dw_db_exec(j->pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL,
			err) < 0 ? -1 : transaction(j, dry_run, err);
	dw_db_rollback(j->pg, NULL);
	dw_db_query_value(j->my, "SELECT RELEASE_LOCK(CONCAT('dw-etl run ', DATABASE()))", 0,
			  NULL, &got, NULL);
	free(got);
	return rc;
}

int dw_repair_run(struct dw_db *pg, struct dw_db *my, const struct dw_diff *d,
		  int fiscal_year_start, int dry_run, struct dw_repair *r, struct dw_err *err)
{
	struct job j = { .pg = pg, .my = my, .d = d, .r = r };
	int rc = -1;

	memset(r, 0, sizeof *r);
	j.nx = dw_sqlfile_sections("oltp/sync_extract.sql", "extract", &j.x, err);
	j.nstage = dw_sqlfile_sections("dw/sync_stage.sql", "stage", &j.stage, err);
	j.nsteps = dw_sqlfile_sections("dw/sync_merge.sql", "step", &j.steps, err);
	j.nchecks = dw_sqlfile_sections("dw/sync_merge.sql", "check", &j.checks, err);
	if (j.nx >= 0 && j.nstage >= 0 && j.nsteps >= 0 && j.nchecks >= 0)
		rc = locked(&j, fiscal_year_start, dry_run, err);
	dw_log_verbose(1, "repair: %lld rows re-extracted, %lld keys deleted, %lld merged%s",
		       r->staged, r->deleted, r->merged, dry_run ? " (dry run, rolled back)" : "");
	dw_sqlfile_sections_free(j.x, j.nx);
	dw_sqlfile_sections_free(j.stage, j.nstage);
	dw_sqlfile_sections_free(j.steps, j.nsteps);
	dw_sqlfile_sections_free(j.checks, j.nchecks);
	return rc;
}
