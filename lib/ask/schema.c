#include "ask/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
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
	s->fingerprint = dw_strmap_hash_str(s->fingerprint, table);
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
	s->fingerprint = dw_strmap_hash_str(dw_strmap_hash_str(s->fingerprint, column), c->type);
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
	const char *best = dw_text_closest(name, cands, n, max);

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

/* ---- the cache file --------------------------------------------------------- */

void dw_schema_cache_path(const char *cache_dir, const char *name, char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (cache_dir && *cache_dir)
		snprintf(buf, size, "%s/%s", cache_dir, name);
	else if (xdg && *xdg)
		snprintf(buf, size, "%s/dw/%s", xdg, name);
	else
		snprintf(buf, size, "%s/.cache/dw/%s", home ? home : "/tmp", name);
}

/* Reads the cache when its first line is stamp. Returns 1 read, 0 stale. */
static int cache_read(const char *path, const char *stamp, const char *database,
		      struct dw_schema *sc)
{
	FILE *fp = fopen(path, "r");
	char line[1024];
	int ok = 0;

	if (!fp)
		return 0;
	if (fgets(line, sizeof line, fp) && !strncmp(line, stamp, strlen(stamp)) &&
	    line[strlen(stamp)] == '\n') {
		dw_schema_init(sc, database);
		ok = 1;
		while (ok && fgets(line, sizeof line, fp)) {
			char *table = strtok(line, "\t\n"), *col = strtok(NULL, "\t\n");
			char *type = strtok(NULL, "\n");

			if (!table || !col)
				ok = 0;
			else if ((!sc->ntables || strcmp(sc->tables[sc->ntables - 1].name, table)) &&
				 dw_schema_add_table(sc, table) < 0)
				ok = 0;
			else if (dw_schema_add_column(sc, col, type ? type : "") < 0)
				ok = 0;
		}
		if (!ok)
			dw_schema_release(sc);
	}
	fclose(fp);
	return ok;
}

static void cache_write(const char *path, const char *stamp, const struct dw_schema *sc)
{
	char tmp[4200], dir[4096];
	FILE *fp;

	snprintf(dir, sizeof dir, "%s", path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	mkdir(dir, 0700);   /* one level; the parent is $HOME/.cache or set */
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	if (!(fp = fopen(tmp, "w")))
		return;
	fprintf(fp, "%s\n", stamp);
	for (size_t t = 0; t < sc->ntables; t++)
		for (size_t c = 0; c < sc->tables[t].ncolumns; c++)
			fprintf(fp, "%s\t%s\t%s\n", sc->tables[t].name, sc->tables[t].columns[c].name,
				sc->tables[t].columns[c].type);
	if (fclose(fp) != 0 || rename(tmp, path) != 0)
		remove(tmp);
}

int dw_schema_load(struct dw_db *db, const char *cache_dir, const char *database,
		   const char *known, struct dw_schema *sc, struct dw_err *err)
{
	char *stamp = known ? strdup(known) : NULL, path[4096], name[512];

	if (!known && dw_db_query_value(db, DW_SCHEMA_STAMP_SQL, 0, NULL, &stamp, err) < 0)
		return -1;
	snprintf(name, sizeof name, "schema-%s.tsv", database);
	dw_schema_cache_path(cache_dir, name, path, sizeof path);
	if (stamp && cache_read(path, stamp, database, sc)) {
		dw_log_verbose(2, "schema from the cache %s", path);
		free(stamp);
		return 0;
	}
	if (dw_schema_read(db, sc, err) < 0) {
		free(stamp);
		return -1;
	}
	if (stamp)
		cache_write(path, stamp, sc);
	free(stamp);
	return 0;
}
