/* test_kb_examples: runs every SQL text of a knowledge file against a real
 * warehouse and prints TAP: each metric over its table, each dimension and
 * each grain through its join, each curated example (which must return at
 * least one row) and each report with sample parameter values (a default
 * when there is one, else a sample of the parameter's type).
 *
 * usage: test_kb_examples DW.YAML KNOWLEDGE.YAML (run by t/022-ask-kb-live.t)
 * Exits 0 when everything ran, 1 when something failed, 2 on setup errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb.h"
#include "config.h"
#include "db/db.h"

static int failures, tests;

/* Runs sql with params; returns the row count or -1 (printed). */
static long run(struct dw_db *db, const char *sql, const char *const *params, size_t n)
{
	struct dw_err err;
	struct dw_rows *rows;
	long count = 0;
	int rc;

	dw_err_clear(&err);
	rows = dw_db_query(db, sql, (int)n, params, &err);
	if (!rows) {
		printf("# %s\n", err.msg);
		return -1;
	}
	while ((rc = dw_rows_next(rows, &err)) == 1)
		count++;
	dw_rows_free(rows);
	if (rc < 0) {
		printf("# %s\n", err.msg);
		return -1;
	}
	return count;
}

static void report_result(int ok, const char *what, const char *name, long rows,
			  const char *sql)
{
	tests++;
	if (!ok)
		failures++;
	printf("%sok %d - %s %s (%ld rows)\n", ok ? "" : "not ", tests, what, name, rows);
	if (!ok)
		printf("# sql: %s\n", sql);
}

static void check(struct dw_db *db, const char *what, const char *name, const char *sql,
		  int need_rows)
{
	long rows = run(db, sql, NULL, 0);

	report_result(rows > (need_rows ? 0 : -1), what, name, rows, sql);
}

/* "JOIN dim ON dim.key = fact.key" for the edge of role from fact to dim;
 * empty when dim is fact. */
static void join_clause(const struct dw_kb *kb, const char *fact, const char *dim,
			const char *role, char *buf, size_t size)
{
	const struct dw_kb_join *j = dw_kb_join(kb, fact, dim, role);

	if (!j) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, size, "JOIN %s ON %s.%s = %s.%s", dim, dim, j->right_column, fact,
		 j->left_column);
}

static void check_model(struct dw_db *db, const struct dw_kb *kb)
{
	const char *fact = kb->metrics[0].table;
	char sql[4096], join[512];

	for (size_t i = 0; i < kb->nmetrics; i++) {
		const struct dw_kb_metric *m = &kb->metrics[i];

		snprintf(sql, sizeof sql, "SELECT %s AS %s FROM %s", m->sql, m->name, m->table);
		check(db, "metric", m->name, sql, 1);
	}
	for (size_t i = 0; i < kb->ndimensions; i++) {
		const struct dw_kb_dimension *d = &kb->dimensions[i];

		join_clause(kb, fact, d->table, "", join, sizeof join);
		snprintf(sql, sizeof sql,
			 "SELECT %s.%s AS %s, %s AS %s FROM %s %s GROUP BY 1 ORDER BY 2 DESC LIMIT 5",
			 d->table, d->column, d->name, kb->metrics[0].sql, kb->metrics[0].name, fact,
			 join);
		check(db, "dimension", d->name, sql, 1);
	}
	join_clause(kb, fact, kb->time.table, kb->time.default_role, join, sizeof join);
	for (size_t i = 0; i < kb->time.ngrains; i++) {
		const struct dw_kb_grain *g = &kb->time.grains[i];

		/* As dw-knowledge(5) says: grouped by order and label, sorted by order. */
		snprintf(sql, sizeof sql,
			 "SELECT %s AS %s, %s AS %s FROM %s %s GROUP BY %s, %s ORDER BY %s",
			 g->sql, g->name, kb->metrics[0].sql, kb->metrics[0].name, fact, join,
			 *g->order_sql ? g->order_sql : g->sql, g->sql,
			 *g->order_sql ? g->order_sql : g->sql);
		check(db, "grain", g->name, sql, 1);
	}
}

static const char *sample_value(enum dw_kb_type t, const char *name)
{
	switch (t) {
	case DW_KB_T_INT:
		return "2014";
	case DW_KB_T_NUMBER:
		return "0.2";
	case DW_KB_T_DATE:
		return strcmp(name, "to") ? "2014-01-01" : "2014-06-30";
	case DW_KB_T_BOOL:
		return "true";
	case DW_KB_T_STRING:
		break;
	}
	return "";
}

static void check_report(struct dw_db *db, const struct dw_kb_report *r)
{
	const char *keys[32], *values[32], **params;
	size_t n = 0, nparams;
	struct dw_err err;
	char *sql;
	long rows;

	for (size_t i = 0; i < r->nparams && n < 32; i++) {
		if (r->params[i].def)
			continue;
		keys[n] = r->params[i].name;
		values[n++] = sample_value(r->params[i].type, r->params[i].name);
	}
	dw_err_clear(&err);
	if (dw_kb_report_bind(r, keys, values, n, &sql, &params, &nparams, &err) < 0) {
		printf("# %s\n", err.msg);
		report_result(0, "report", r->name, -1, r->sql);
		return;
	}
	rows = run(db, sql, params, nparams);
	report_result(rows > 0, "report", r->name, rows, sql);
	free(sql);
	free(params);
}

int main(int argc, char **argv)
{
	struct dw_config cfg;
	struct dw_err err;
	struct dw_kb kb;
	struct dw_db *db = NULL;

	if (argc != 3) {
		fprintf(stderr, "usage: check-examples DW.YAML KNOWLEDGE.YAML\n");
		return 2;
	}
	dw_err_clear(&err);
	memset(&kb, 0, sizeof kb);
	if (dw_config_load(&cfg, argv[1], &err) == 0 && dw_kb_load(&kb, argv[2], &err) == 0)
		db = dw_db_my_open(&cfg.warehouse, "warehouse", &err);
	if (db) {
		check_model(db, &kb);
		for (size_t i = 0; i < kb.nexamples; i++)
			check(db, "example", kb.examples[i].question, kb.examples[i].sql, 1);
		for (size_t i = 0; i < kb.nreports; i++)
			check_report(db, &kb.reports[i]);
		printf("1..%d\n", tests);
		dw_db_close(db);
	} else {
		fprintf(stderr, "check-examples: %s\n", err.msg);
		if (*err.hint)
			fprintf(stderr, "hint: %s\n", err.hint);
	}
	dw_kb_release(&kb);
	dw_config_release(&cfg);
	return !db ? 2 : failures ? 1 : 0;
}
