#include "ask_schema.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strmap.h"
#include "text.h"

void dw_schema_init(struct dw_schema *s, const char *database)
{
	memset(s, 0, sizeof *s);
	s->database = strdup(database ? database : "");
	s->fingerprint = DW_HASH_INIT;
}

static int grow(void **v, size_t n, size_t size)
{
	void *p;

	/* Capacity doubles at powers of two, so only those sizes reallocate. */
	if (n & (n - 1) && n > 8)
		return 0;
	p = realloc(*v, (n < 8 ? 8 : n * 2) * size);
	if (!p)
		return -1;
	*v = p;
	return 0;
}

int dw_schema_add_table(struct dw_schema *s, const char *table)
{
	struct dw_schema_table *t;

	if (grow((void **)&s->tables, s->ntables, sizeof *s->tables) < 0)
		return -1;
	t = &s->tables[s->ntables];
	memset(t, 0, sizeof *t);
	t->name = strdup(table);
	if (!t->name)
		return -1;
	s->ntables++;
	s->fingerprint = dw_hash_str(s->fingerprint, table);
	return 0;
}

int dw_schema_add_column(struct dw_schema *s, const char *column, const char *type)
{
	struct dw_schema_table *t;
	struct dw_schema_column *c;

	if (!s->ntables)
		return -1;
	t = &s->tables[s->ntables - 1];
	if (grow((void **)&t->columns, t->ncolumns, sizeof *t->columns) < 0)
		return -1;
	c = &t->columns[t->ncolumns];
	c->name = strdup(column);
	c->type = strdup(type ? type : "");
	if (!c->name || !c->type) {
		free(c->name);
		free(c->type);
		return -1;
	}
	t->ncolumns++;
	s->fingerprint = dw_hash_str(dw_hash_str(s->fingerprint, column), c->type);
	return 0;
}

void dw_schema_release(struct dw_schema *s)
{
	for (size_t i = 0; i < s->ntables; i++) {
		for (size_t j = 0; j < s->tables[i].ncolumns; j++) {
			free(s->tables[i].columns[j].name);
			free(s->tables[i].columns[j].type);
		}
		free(s->tables[i].columns);
		free(s->tables[i].name);
	}
	free(s->tables);
	free(s->database);
	memset(s, 0, sizeof *s);
}

const struct dw_schema_table *dw_schema_table(const struct dw_schema *s, const char *name)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (!strcasecmp(s->tables[i].name, name))
			return &s->tables[i];
	return NULL;
}

const struct dw_schema_column *dw_schema_column(const struct dw_schema_table *t,
						const char *name)
{
	for (size_t i = 0; i < t->ncolumns; i++)
		if (!strcasecmp(t->columns[i].name, name))
			return &t->columns[i];
	return NULL;
}

/* Columns in table and ordinal order, so the fingerprint is stable. */
static const char schema_sql[] =
	"SELECT c.table_name, c.column_name, c.column_type "
	"FROM information_schema.columns c "
	"JOIN information_schema.tables t "
	"  ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
	"WHERE c.table_schema = DATABASE() AND c.table_name NOT LIKE 'dw\\_%' "
	"ORDER BY c.table_name, c.ordinal_position";

static int add_row(struct dw_schema *s, const char *table, const char *column, const char *type)
{
	if ((!s->ntables || strcmp(s->tables[s->ntables - 1].name, table)) &&
	    dw_schema_add_table(s, table) < 0)
		return -1;
	return dw_schema_add_column(s, column, type);
}

int dw_schema_read(struct dw_db *db, struct dw_schema *s, struct dw_err *err)
{
	struct dw_rows *rows;
	char *database = NULL;
	int rc;

	if (dw_db_query_value(db, "SELECT DATABASE()", 0, NULL, &database, err) < 0)
		return -1;
	dw_schema_init(s, database ? database : "");
	free(database);
	rows = dw_db_query(db, schema_sql, 0, NULL, err);
	if (!rows)
		return -1;
	while ((rc = dw_rows_next(rows, err)) > 0) {
		if (add_row(s, dw_rows_value(rows, 0), dw_rows_value(rows, 1),
			    dw_rows_value(rows, 2)) < 0) {
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
			break;
		}
	}
	dw_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static const char *suggest(const char *name, const char **cands, size_t n)
{
	/* Allow more slack for longer names: one edit per four letters. */
	size_t max = strlen(name) / 4 + 2;
	const char *best = dw_closest(name, cands, n, max);

	free(cands);
	return best;
}

const char *dw_schema_suggest_table(const struct dw_schema *s, const char *name)
{
	const char **cands = malloc((s->ntables + 1) * sizeof *cands);

	if (!cands)
		return NULL;
	for (size_t i = 0; i < s->ntables; i++)
		cands[i] = s->tables[i].name;
	return suggest(name, cands, s->ntables);
}

const char *dw_schema_suggest_column(const struct dw_schema *s, const char *name)
{
	size_t n = 0, total = 0;
	const char **cands;

	for (size_t i = 0; i < s->ntables; i++)
		total += s->tables[i].ncolumns;
	cands = malloc((total + 1) * sizeof *cands);
	if (!cands)
		return NULL;
	for (size_t i = 0; i < s->ntables; i++)
		for (size_t j = 0; j < s->tables[i].ncolumns; j++)
			cands[n++] = s->tables[i].columns[j].name;
	return suggest(name, cands, n);
}
