#include "etl/mybulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An index as SHOW CREATE TABLE writes it ("KEY `name` (...)"), and its
 * name, the backquotes undone. */
struct index {
	char *name, *def;
};

struct indexes {
	struct index *v;
	int n;
};

static void indexes_free(struct indexes *x)
{
	for (int i = 0; i < x->n; i++) {
		free(x->v[i].name);
		free(x->v[i].def);
	}
	free(x->v);
	x->v = NULL;
	x->n = 0;
}

static int indexes_add(struct indexes *x, const char *name, size_t namelen, const char *def,
		       size_t deflen)
{
	struct index *v = realloc(x->v, (size_t)(x->n + 1) * sizeof *v);

	if (!v)
		return -1;
	x->v = v;
	v[x->n].name = strndup(name, namelen);
	v[x->n].def = strndup(def, deflen);
	x->n++;
	return v[x->n - 1].name && v[x->n - 1].def ? 0 : -1;
}

/* The name of "`a``b` ..." (a`b) into out; returns the text after it. */
static const char *unquote(const char *p, char *out, size_t outsz, size_t *len)
{
	size_t n = 0;

	for (p++; *p && !(*p == '`' && p[1] != '`'); p++) {
		if (*p == '`')
			p++;
		if (n + 1 < outsz)
			out[n++] = *p;
	}
	out[n] = '\0';
	*len = n;
	return *p ? p + 1 : p;
}

/* The plain KEY lines of a CREATE TABLE: not PRIMARY, UNIQUE, FULLTEXT or
 * SPATIAL, which start otherwise. */
static int parse_keys(const char *create, struct indexes *x)
{
	for (const char *l = create; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l), namelen;
		char name[256];

		if (strncmp(l, "  KEY `", 7))
			continue;
		if (len && l[len - 1] == ',')
			len--;
		unquote(l + 6, name, sizeof name, &namelen);
		if (indexes_add(x, name, namelen, l + 2, len - 2) < 0)
			return -1;
	}
	return 0;
}

static int read_keys(struct dw_db *my, const char *qt, struct indexes *x, struct dw_err *err)
{
	char sql[256];
	struct dw_rows *rows;
	int rc;

	snprintf(sql, sizeof sql, "SHOW CREATE TABLE %s", qt);
	if (!(rows = dw_db_query(my, sql, 0, NULL, err)))
		return -1;
	rc = dw_rows_next(rows, err);
	if (rc == 1 && parse_keys(dw_rows_value(rows, 1), x) < 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	dw_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int is_empty(struct dw_db *my, const char *qt, struct dw_err *err)
{
	char sql[256], *v = NULL;
	int rc;

	snprintf(sql, sizeof sql, "SELECT NOT EXISTS (SELECT 1 FROM %s)", qt);
	rc = dw_db_query_value(my, sql, 0, NULL, &v, err);
	if (rc >= 0)
		rc = v && !strcmp(v, "1");
	free(v);
	return rc;
}

/* "ALTER TABLE t DROP INDEX a, DROP INDEX b" or "... ADD KEY ..., ADD ...". */
static int alter(struct dw_db *my, const char *qt, const struct indexes *x, int add,
		 struct dw_err *err)
{
	size_t size = strlen(qt) + 32;
	char *sql, *p;
	long long rc;

	for (int i = 0; i < x->n; i++)
		size += strlen(add ? x->v[i].def : x->v[i].name) * 2 + 24;
	if (!(p = sql = malloc(size)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	p += sprintf(p, "ALTER TABLE %s", qt);
	for (int i = 0; i < x->n; i++) {
		char *q = add ? NULL : dw_db_quote_ident(my, x->v[i].name);

		if (!add && !q) {
			free(sql);
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		}
		p += sprintf(p, "%s %s %s", i ? "," : "", add ? "ADD" : "DROP INDEX",
			     add ? x->v[i].def : q);
		free(q);
	}
	rc = dw_db_exec(my, sql, 0, NULL, err);
	free(sql);
	return rc < 0 ? -1 : 0;
}

int dw_mybulk_drop(struct dw_db *my, const char *table, struct dw_err *err)
{
	char *qt = dw_db_quote_ident(my, table);
	struct indexes x = { 0 };
	int empty, rc;

	if (!qt)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	rc = empty = is_empty(my, qt, err);
	if (rc == 1)
		rc = read_keys(my, qt, &x, err);
	for (int i = 0; rc == 0 && i < x.n; i++) {
		const char *params[] = { table, x.v[i].name, x.v[i].def };

		if (dw_db_exec(my, "INSERT INTO dw_etl_pending_index (table_name, index_name, "
			       "definition) VALUES (?, ?, ?)", 3, params, err) < 0)
			rc = -1;
	}
	if (rc == 0 && x.n)
		rc = alter(my, qt, &x, 0, err);
	indexes_free(&x);
	free(qt);
	return rc < 0 ? -1 : empty;
}

/* The pending indexes of one table that it lacks. */
static int pending_of(struct dw_db *my, const char *table, struct indexes *x, struct dw_err *err)
{
	struct dw_rows *rows = dw_db_query(
		my, "SELECT p.index_name, p.definition FROM dw_etl_pending_index p "
		"WHERE p.table_name = ? AND NOT EXISTS (SELECT 1 FROM information_schema.STATISTICS s "
		"WHERE s.table_schema = DATABASE() AND s.table_name = p.table_name "
		"AND s.index_name = p.index_name) ORDER BY p.index_name", 1, &table, err);
	int rc;

	if (!rows)
		return -1;
	while ((rc = dw_rows_next(rows, err)) == 1) {
		const char *name = dw_rows_value(rows, 0), *def = dw_rows_value(rows, 1);

		if (indexes_add(x, name, strlen(name), def, strlen(def)) < 0) {
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
			break;
		}
	}
	dw_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int restore_table(struct dw_db *my, const char *table, struct dw_err *err)
{
	char *qt = dw_db_quote_ident(my, table);
	struct indexes x = { 0 };
	int rc;

	if (!qt)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	rc = pending_of(my, table, &x, err);
	if (rc == 0 && x.n)
		rc = alter(my, qt, &x, 1, err);
	if (rc == 0 && dw_db_exec(my, "DELETE FROM dw_etl_pending_index WHERE table_name = ?", 1,
				  &table, err) < 0)
		rc = -1;
	if (rc < 0)
		dw_err_prefix(err, "building the indexes of %s again", table);
	rc = rc < 0 ? -1 : x.n;
	indexes_free(&x);
	free(qt);
	return rc;
}

int dw_mybulk_restore(struct dw_db *my, struct dw_err *err)
{
	char *table = NULL;
	int built = 0;

	for (;;) {
		int rc = dw_db_query_value(my, "SELECT min(table_name) FROM dw_etl_pending_index", 0,
					   NULL, &table, err);

		if (rc < 0)
			return -1;
		if (!table)
			return built;
		rc = restore_table(my, table, err);
		free(table);
		table = NULL;
		if (rc < 0)
			return -1;
		built += rc;
	}
}
