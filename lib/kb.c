#include "kb.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "date.h"
#include "sqllex.h"
#include "text.h"
#include "ydoc.h"

/* Loading works on the whole YAML document as a node tree (libyaml's
 * loader), so sections may come in any order and every check can name the
 * line of the node it is about. */
struct kb_load {
	struct dw_kb *kb;
	struct dw_ydoc y;
};

/* ---- SQL scanning ------------------------------------------------------- */

/* The SQL of a knowledge file is read as the warehouse reads it (strings,
 * quoted names and comments per MariaDB's rules), by the lexer. */

/* t[0..2] is "table.column" written together: a word, a dot, a word. */
static int is_column_ref(const char *sql, const struct dw_sqltok *t)
{
	return t[0].kind == DW_SQLTOK_WORD && dw_sqllex_tok_is(sql, &t[1], ".") &&
	       t[2].kind == DW_SQLTOK_WORD && t[0].off + t[0].len == t[1].off &&
	       t[1].off + 1 == t[2].off;
}

static const struct dw_kb_param *report_param(const struct dw_kb_report *r, const char *name,
					      size_t len)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (strlen(r->params[i].name) == len && !strncmp(r->params[i].name, name, len))
			return &r->params[i];
	return NULL;
}

/* The report parameter a ":name" placeholder token names; NULL when none
 * (a ? has no name). */
static const struct dw_kb_param *placeholder_param(const struct dw_kb_report *r,
						   const struct dw_sqltok *t)
{
	if (r->sql[t->off] != ':')
		return NULL;
	return report_param(r, r->sql + t->off + 1, t->len - 1);
}

/* ---- types and formats -------------------------------------------------- */

static const char *const type_names[] = { "string", "int", "number", "date", "bool" };
static const char *const type_expects[] = {
	"any text", "an integer", "a decimal number", "a date YYYY-MM-DD", "true or false",
};
static const char *const format_names[] = { "number", "integer", "money", "percent", NULL };

#define NTYPES (sizeof type_names / sizeof type_names[0])
#define NFORMATS (sizeof format_names / sizeof format_names[0] - 1)

const char *dw_kb_type_name(enum dw_kb_type t)
{
	return (size_t)t < NTYPES ? type_names[t] : "unknown";
}

int dw_kb_type_parse(const char *s)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (!strcmp(s, type_names[i]))
			return (int)i;
	return -1;
}

static int is_integer(const char *s)
{
	char *end;

	if (*s == '+' || *s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	(void)strtoll(s, &end, 10);
	return !*end && !errno;
}

static int is_decimal(const char *s)
{
	size_t digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; isdigit((unsigned char)*s); s++)
		digits++;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits++;
	return digits > 0 && !*s;
}

static int is_iso_date(const char *s)
{
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return 0;
	return !s[10] && dw_date_valid(atoi(s), atoi(s + 5), atoi(s + 8));
}

/* Checks value against type; *bound is what to bind for it (the value
 * itself, or "1" / "0" for a bool). Returns 0 or -1. */
static int typed_value(enum dw_kb_type type, const char *value, const char **bound)
{
	*bound = value;
	switch (type) {
	case DW_KB_T_STRING:
		return 0;
	case DW_KB_T_INT:
		return is_integer(value) ? 0 : -1;
	case DW_KB_T_NUMBER:
		return is_decimal(value) ? 0 : -1;
	case DW_KB_T_DATE:
		return is_iso_date(value) ? 0 : -1;
	case DW_KB_T_BOOL:
		if (!strcasecmp(value, "true"))
			return *bound = "1", 0;
		if (!strcasecmp(value, "false"))
			return *bound = "0", 0;
		return -1;
	}
	return -1;
}

/* ---- release ------------------------------------------------------------ */

static void words_release(struct dw_kb_words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

static void table_release(void *item)
{
	struct dw_kb_table *t = item;

	for (size_t i = 0; i < t->ncolumns; i++) {
		free(t->columns[i].name);
		free(t->columns[i].description);
	}
	free(t->columns);
	free(t->name);
	free(t->description);
}

static void join_release(void *item)
{
	struct dw_kb_join *j = item;

	free(j->left_table);
	free(j->left_column);
	free(j->right_table);
	free(j->right_column);
	free(j->role);
}

static void metric_release(void *item)
{
	struct dw_kb_metric *m = item;

	free(m->name);
	free(m->description);
	words_release(&m->synonyms);
	free(m->sql);
	free(m->table);
}

static void dimension_release(void *item)
{
	struct dw_kb_dimension *d = item;

	free(d->name);
	free(d->description);
	words_release(&d->synonyms);
	free(d->table);
	free(d->column);
	words_release(&d->key);
	free(d->parent);
	free(d->hierarchy);
	for (size_t i = 0; i < d->naliases; i++) {
		free(d->aliases[i].word);
		free(d->aliases[i].value);
	}
	free(d->aliases);
}

static void grain_release(void *item)
{
	struct dw_kb_grain *g = item;

	free(g->name);
	words_release(&g->synonyms);
	free(g->sql);
	free(g->order_sql);
	free(g->step_sql);
}

static void example_release(void *item)
{
	struct dw_kb_example *e = item;

	free(e->question);
	free(e->sql);
}

static void param_release(void *item)
{
	struct dw_kb_param *p = item;

	free(p->name);
	free(p->description);
	free(p->def);
}

static void report_release(void *item)
{
	struct dw_kb_report *r = item;

	free(r->name);
	free(r->description);
	free(r->sql);
	for (size_t i = 0; i < r->nparams; i++)
		param_release(&r->params[i]);
	free(r->params);
}

/* Releases n items of size bytes each, then the array. */
static void array_release(void *arr, size_t n, size_t size, void (*release)(void *))
{
	for (size_t i = 0; i < n; i++)
		release((char *)arr + i * size);
	free(arr);
}

void dw_kb_release(struct dw_kb *kb)
{
	free(kb->path);
	free(kb->model);
	free(kb->description);
	array_release(kb->tables, kb->ntables, sizeof *kb->tables, table_release);
	array_release(kb->joins, kb->njoins, sizeof *kb->joins, join_release);
	array_release(kb->metrics, kb->nmetrics, sizeof *kb->metrics, metric_release);
	array_release(kb->dimensions, kb->ndimensions, sizeof *kb->dimensions,
		      dimension_release);
	free(kb->time.table);
	free(kb->time.key);
	free(kb->time.date_column);
	free(kb->time.default_role);
	array_release(kb->time.grains, kb->time.ngrains, sizeof *kb->time.grains, grain_release);
	words_release(&kb->rules);
	array_release(kb->examples, kb->nexamples, sizeof *kb->examples, example_release);
	array_release(kb->reports, kb->nreports, sizeof *kb->reports, report_release);
	memset(kb, 0, sizeof *kb);
}

/* ---- lookups ------------------------------------------------------------ */

const struct dw_kb_table *dw_kb_table(const struct dw_kb *kb, const char *name)
{
	for (size_t i = 0; i < kb->ntables; i++)
		if (!strcmp(kb->tables[i].name, name))
			return &kb->tables[i];
	return NULL;
}

const struct dw_kb_column *dw_kb_column(const struct dw_kb *kb, const char *table,
					const char *column)
{
	const struct dw_kb_table *t = dw_kb_table(kb, table);

	for (size_t i = 0; t && i < t->ncolumns; i++)
		if (!strcmp(t->columns[i].name, column))
			return &t->columns[i];
	return NULL;
}

const struct dw_kb_metric *dw_kb_metric(const struct dw_kb *kb, const char *name)
{
	for (size_t i = 0; i < kb->nmetrics; i++)
		if (!strcmp(kb->metrics[i].name, name))
			return &kb->metrics[i];
	return NULL;
}

const struct dw_kb_dimension *dw_kb_dimension(const struct dw_kb *kb, const char *name)
{
	for (size_t i = 0; i < kb->ndimensions; i++)
		if (!strcmp(kb->dimensions[i].name, name))
			return &kb->dimensions[i];
	return NULL;
}

const struct dw_kb_report *dw_kb_report(const struct dw_kb *kb, const char *name)
{
	for (size_t i = 0; i < kb->nreports; i++)
		if (!strcmp(kb->reports[i].name, name))
			return &kb->reports[i];
	return NULL;
}

const struct dw_kb_grain *dw_kb_grain(const struct dw_kb *kb, const char *name)
{
	for (size_t i = 0; i < kb->time.ngrains; i++)
		if (!strcmp(kb->time.grains[i].name, name))
			return &kb->time.grains[i];
	return NULL;
}

const struct dw_kb_join *dw_kb_join(const struct dw_kb *kb, const char *fact, const char *dim,
				    const char *role)
{
	const struct dw_kb_join *first = NULL;

	for (size_t i = 0; i < kb->njoins; i++) {
		const struct dw_kb_join *j = &kb->joins[i];

		if (strcmp(j->left_table, fact) || strcmp(j->right_table, dim))
			continue;
		if (!strcmp(j->role, role ? role : ""))
			return j;
		if (!first)
			first = j;
	}
	return role && *role ? NULL : first;
}

/* ---- YAML values and lists ---------------------------------------------- */

/* values: true, false or local (enum dw_kb_values). */
static int get_values(struct kb_load *ld, yaml_node_t *map, const char *where, int *out)
{
	yaml_node_t *v = dw_ydoc_value(&ld->y, map, "values");

	if (v && v->type == YAML_SCALAR_NODE && !strcmp(dw_ydoc_text(v), "local"))
		return *out = DW_KB_VALUES_LOCAL, 0;
	if (!v || (v->type == YAML_SCALAR_NODE && (!strcmp(dw_ydoc_text(v), "true") ||
						   !strcmp(dw_ydoc_text(v), "false"))))
		return dw_ydoc_get_bool(&ld->y, map, where, "values", out);
	return dw_ydoc_fail(&ld->y, v, "%s: 'values' must be true, false or local", where);
}

/* A list of scalars under key (none when absent). */
static int get_words(struct kb_load *ld, yaml_node_t *map, const char *where, const char *key,
		     struct dw_kb_words *w)
{
	yaml_node_t *v = dw_ydoc_value(&ld->y, map, key);
	yaml_node_item_t *it;

	if (!v)
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return dw_ydoc_fail(&ld->y, v, "%s: '%s' must be a list", where, key);
	it = v->data.sequence.items.start;
	w->v = calloc((size_t)(v->data.sequence.items.top - it) + 1, sizeof *w->v);
	if (!w->v)
		return dw_ydoc_oom(&ld->y);
	for (; it < v->data.sequence.items.top; it++)
		if (dw_ydoc_scalar(&ld->y, dw_ydoc_node(&ld->y, *it), where, key,
				   &w->v[w->n++]) < 0)
			return -1;
	return 0;
}

/* How to parse one kind of list item. ctx is passed through. */
struct list_kind {
	const char *key;         /* the list's key in its parent mapping */
	size_t size;             /* item size */
	int (*parse)(struct kb_load *ld, yaml_node_t *n, void *item, void *ctx);
	void (*release)(void *item);
};

/* Parses the list under kind->key of parent (named where in messages)
 * into a new array stored at arrp (the address of a typed array pointer,
 * hence void *). *n counts the items parsed so far, so while an item is
 * parsed the lookups see every earlier one, complete. */
static int parse_list(struct kb_load *ld, yaml_node_t *parent, const char *where,
		      const struct list_kind *kind, int required, void *ctx, void *arrp,
		      size_t *n)
{
	yaml_node_t *seq = dw_ydoc_value(&ld->y, parent, kind->key);
	yaml_node_item_t *it;
	char *arr;

	if (!seq)
		return required ? dw_ydoc_fail(&ld->y, parent, "%s: '%s' is missing", where,
					       kind->key) : 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return dw_ydoc_fail(&ld->y, seq, "%s: '%s' must be a list", where, kind->key);
	it = seq->data.sequence.items.start;
	if (required && it == seq->data.sequence.items.top)
		return dw_ydoc_fail(&ld->y, seq, "%s: '%s' is empty", where, kind->key);
	arr = calloc((size_t)(seq->data.sequence.items.top - it) + 1, kind->size);
	if (!arr)
		return dw_ydoc_oom(&ld->y);
	memcpy(arrp, &arr, sizeof arr);
	for (; it < seq->data.sequence.items.top; it++) {
		void *item = arr + *n * kind->size;

		if (kind->parse(ld, dw_ydoc_node(&ld->y, *it), item, ctx) < 0) {
			kind->release(item);
			return -1;
		}
		(*n)++;
	}
	return 0;
}

/* ---- consistency checks ------------------------------------------------- */

/* Fails with "unknown table" or "unknown column", hinting the closest name. */
static int unknown_column(struct kb_load *ld, const yaml_node_t *n, const char *what,
			  const char *table, const char *column)
{
	const struct dw_kb_table *t = dw_kb_table(ld->kb, table);
	size_t ncands = t ? t->ncolumns : ld->kb->ntables;
	const char **cands, *best;

	if (t)
		dw_ydoc_fail(&ld->y, n, "%s: unknown column '%s.%s'", what, table, column);
	else
		dw_ydoc_fail(&ld->y, n, "%s: unknown table '%s'", what, table);
	cands = calloc(ncands + 1, sizeof *cands);
	if (!cands)
		return -1;
	for (size_t i = 0; i < ncands; i++)
		cands[i] = t ? t->columns[i].name : ld->kb->tables[i].name;
	best = dw_text_closest(t ? column : table, cands, ncands, 3);
	if (best && t)
		dw_err_hint(ld->y.err, "did you mean '%s.%s'?", table, best);
	else if (best)
		dw_err_hint(ld->y.err, "did you mean '%s'?", best);
	free(cands);
	return -1;
}

/* Checks that every table.column in sql is declared under tables. When
 * table is given, sql must name at least one of its columns. */
static int check_sql_columns(struct kb_load *ld, const yaml_node_t *n, const char *what,
			     const char *sql, const char *table)
{
	struct dw_sqltok *t;
	struct dw_err e;
	size_t nt;
	int mentions = 0, rc = 0;
	char tab[128], col[128];

	if (dw_sqllex(sql, strlen(sql), DW_DB_MY, &t, &nt, &e) < 0)
		return dw_ydoc_fail(&ld->y, n, "%s: %s", what, e.msg);
	for (size_t i = 0; rc == 0 && i + 2 < nt; i++) {
		if (!is_column_ref(sql, &t[i]))
			continue;
		snprintf(tab, sizeof tab, "%.*s", (int)t[i].len, sql + t[i].off);
		snprintf(col, sizeof col, "%.*s", (int)t[i + 2].len, sql + t[i + 2].off);
		if (!dw_kb_column(ld->kb, tab, col))
			rc = unknown_column(ld, n, what, tab, col);
		mentions |= table && !strcmp(tab, table);
		i += 2;
	}
	free(t);
	if (rc == 0 && table && !mentions)
		return dw_ydoc_fail(&ld->y, n, "%s: sql uses no column of its table '%s'", what,
				    table);
	return rc;
}

/* Splits "table.column" and checks it is declared. */
static int get_column_ref(struct kb_load *ld, yaml_node_t *map, const char *where,
			  const char *key, char **table, char **column)
{
	yaml_node_t *v;
	char *dot;

	if (dw_ydoc_get_text(&ld->y, map, where, key, 1, table) < 0)
		return -1;
	v = dw_ydoc_value(&ld->y, map, key);
	dot = strchr(*table, '.');
	if (!dot || strchr(dot + 1, '.'))
		return dw_ydoc_fail(&ld->y, v, "%s: '%s' must be table.column, got '%s'", where,
				    key, *table);
	*dot = '\0';
	if (dw_ydoc_dup(&ld->y, dot + 1, column) < 0)
		return -1;
	if (!dw_kb_column(ld->kb, *table, *column))
		return unknown_column(ld, v, where, *table, *column);
	return 0;
}

static int answers_to(const char *name, const struct dw_kb_words *synonyms, const char *word)
{
	if (!strcasecmp(name, word))
		return 1;
	for (size_t i = 0; i < synonyms->n; i++)
		if (!strcasecmp(synonyms->v[i], word))
			return 1;
	return 0;
}

/* The metric, dimension or grain already answering to word, described in
 * buf ("metric 'sales'"); 0 when none. */
static int word_owner(const struct dw_kb *kb, const char *word, char *buf, size_t size)
{
	const char *kind = NULL, *name = NULL;

	for (size_t i = 0; !kind && i < kb->nmetrics; i++)
		if (answers_to(kb->metrics[i].name, &kb->metrics[i].synonyms, word))
			kind = "metric", name = kb->metrics[i].name;
	for (size_t i = 0; !kind && i < kb->ndimensions; i++)
		if (answers_to(kb->dimensions[i].name, &kb->dimensions[i].synonyms, word))
			kind = "dimension", name = kb->dimensions[i].name;
	for (size_t i = 0; !kind && i < kb->time.ngrains; i++)
		if (answers_to(kb->time.grains[i].name, &kb->time.grains[i].synonyms, word))
			kind = "grain", name = kb->time.grains[i].name;
	if (kind)
		snprintf(buf, size, "%s '%s'", kind, name);
	return kind != NULL;
}

/* A metric, dimension or grain's name and synonyms must each mean only it:
 * question words are matched against all of them. */
static int claim_words(struct kb_load *ld, const yaml_node_t *n, const char *what,
		       const char *name, const struct dw_kb_words *synonyms)
{
	char owner[300];

	for (size_t i = 0; i <= synonyms->n; i++) {
		const char *w = i ? synonyms->v[i - 1] : name;

		if (!*w)
			return dw_ydoc_fail(&ld->y, n, "%s: empty synonym", what);
		if (word_owner(ld->kb, w, owner, sizeof owner))
			return dw_ydoc_fail(&ld->y, n, "%s: '%s' already means %s", what, w, owner);
		for (size_t j = 0; j < i; j++)
			if (!strcasecmp(w, j ? synonyms->v[j - 1] : name))
				return dw_ydoc_fail(&ld->y, n, "%s: '%s' is listed twice", what, w);
	}
	return 0;
}

static int joined_to(const struct dw_kb *kb, const char *table)
{
	for (size_t i = 0; i < kb->njoins; i++)
		if (!strcmp(kb->joins[i].right_table, table))
			return 1;
	return 0;
}

static int is_fact_table(const struct dw_kb *kb, const char *table)
{
	for (size_t i = 0; i < kb->nmetrics; i++)
		if (!strcmp(kb->metrics[i].table, table))
			return 1;
	return 0;
}

/* ---- sections ----------------------------------------------------------- */

static int parse_column(struct kb_load *ld, yaml_node_t *key, yaml_node_t *v,
			const char *table, struct dw_kb_column *c)
{
	static const char *const keys[] = { "description", "pii", NULL };
	char where[300];

	snprintf(where, sizeof where, "tables.%s.columns", table);
	if (dw_ydoc_dup(&ld->y, dw_ydoc_text(key), &c->name) < 0 ||
	    dw_ydoc_check_name(&ld->y, key, where, c->name) < 0)
		return -1;
	snprintf(where, sizeof where, "tables.%s.columns.%s", table, c->name);
	if (v->type == YAML_SCALAR_NODE)
		return dw_ydoc_dup(&ld->y, dw_ydoc_text(v), &c->description);
	if (dw_ydoc_check_mapping(&ld->y, v, where, keys) < 0 ||
	    dw_ydoc_get_text(&ld->y, v, where, "description", 0, &c->description) < 0)
		return -1;
	return dw_ydoc_get_bool(&ld->y, v, where, "pii", &c->pii);
}

static int parse_table(struct kb_load *ld, yaml_node_t *key, yaml_node_t *v,
		       struct dw_kb_table *t)
{
	static const char *const keys[] = { "description", "columns", NULL };
	yaml_node_t *cols;
	yaml_node_pair_t *p;
	char where[200];

	if (dw_ydoc_dup(&ld->y, dw_ydoc_text(key), &t->name) < 0 ||
	    dw_ydoc_check_name(&ld->y, key, "tables", t->name) < 0)
		return -1;
	snprintf(where, sizeof where, "tables.%s", t->name);
	if (dw_ydoc_check_mapping(&ld->y, v, where, keys) < 0 ||
	    dw_ydoc_get_text(&ld->y, v, where, "description", 0, &t->description) < 0)
		return -1;
	cols = dw_ydoc_value(&ld->y, v, "columns");
	if (!cols)
		return dw_ydoc_fail(&ld->y, v, "%s: 'columns' is missing", where);
	snprintf(where, sizeof where, "tables.%s.columns", t->name);
	if (dw_ydoc_check_mapping(&ld->y, cols, where, NULL) < 0)
		return -1;
	p = cols->data.mapping.pairs.start;
	t->ncolumns = (size_t)(cols->data.mapping.pairs.top - p);
	if (!t->ncolumns)
		return dw_ydoc_fail(&ld->y, cols, "%s is empty", where);
	t->columns = calloc(t->ncolumns, sizeof *t->columns);
	if (!t->columns)
		return t->ncolumns = 0, dw_ydoc_oom(&ld->y);
	for (size_t i = 0; i < t->ncolumns; i++, p++)
		if (parse_column(ld, dw_ydoc_node(&ld->y, p->key), dw_ydoc_node(&ld->y, p->value),
				 t->name, &t->columns[i]) < 0)
			return -1;
	return 0;
}

/* tables: a mapping, so items are zeroed up front (release handles them). */
static int parse_tables(struct kb_load *ld, yaml_node_t *root)
{
	struct dw_kb *kb = ld->kb;
	yaml_node_t *v = dw_ydoc_value(&ld->y, root, "tables");
	yaml_node_pair_t *p;

	if (!v)
		return dw_ydoc_fail(&ld->y, root, "top level: 'tables' is missing");
	if (dw_ydoc_check_mapping(&ld->y, v, "tables", NULL) < 0)
		return -1;
	p = v->data.mapping.pairs.start;
	kb->ntables = (size_t)(v->data.mapping.pairs.top - p);
	if (!kb->ntables)
		return dw_ydoc_fail(&ld->y, v, "tables is empty");
	kb->tables = calloc(kb->ntables, sizeof *kb->tables);
	if (!kb->tables)
		return kb->ntables = 0, dw_ydoc_oom(&ld->y);
	for (size_t i = 0; i < kb->ntables; i++, p++)
		if (parse_table(ld, dw_ydoc_node(&ld->y, p->key), dw_ydoc_node(&ld->y, p->value),
				&kb->tables[i]) < 0)
			return -1;
	return 0;
}

static int parse_join(struct kb_load *ld, yaml_node_t *n, void *item, void *ctx)
{
	static const char *const keys[] = { "left", "right", "role", NULL };
	struct dw_kb_join *j = item;

	(void)ctx;
	if (dw_ydoc_check_mapping(&ld->y, n, "joins", keys) < 0 ||
	    get_column_ref(ld, n, "joins", "left", &j->left_table, &j->left_column) < 0 ||
	    get_column_ref(ld, n, "joins", "right", &j->right_table, &j->right_column) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, "joins", "role", 0, &j->role) < 0)
		return -1;
	if (*j->role &&
	    dw_ydoc_check_name(&ld->y, dw_ydoc_value(&ld->y, n, "role"), "joins", j->role) < 0)
		return -1;
	if (!strcmp(j->left_table, j->right_table))
		return dw_ydoc_fail(&ld->y, n, "joins: table '%s' is joined to itself",
				    j->left_table);
	for (size_t i = 0; i < ld->kb->njoins; i++) {
		const struct dw_kb_join *o = &ld->kb->joins[i];

		if (!strcmp(o->left_table, j->left_table) && !strcmp(o->right_table, j->right_table) &&
		    !strcmp(o->role, j->role))
			return dw_ydoc_fail(&ld->y, n,
					    "joins: a second join from '%s' to '%s' with role '%s'",
					    j->left_table, j->right_table, j->role);
	}
	return 0;
}

static int parse_format(struct kb_load *ld, yaml_node_t *n, const char *where,
			enum dw_kb_format *out)
{
	yaml_node_t *v = dw_ydoc_value(&ld->y, n, "format");

	*out = DW_KB_NUMBER;
	if (!v)
		return 0;
	for (size_t i = 0; format_names[i]; i++)
		if (v->type == YAML_SCALAR_NODE && !strcmp(dw_ydoc_text(v), format_names[i]))
			return *out = (enum dw_kb_format)i, 0;
	dw_ydoc_fail(&ld->y, v, "%s: 'format' must be number, integer, money or percent", where);
	if (v->type == YAML_SCALAR_NODE)
		dw_ydoc_hint_closest(&ld->y, dw_ydoc_text(v), format_names, NFORMATS);
	return -1;
}

static int parse_metric(struct kb_load *ld, yaml_node_t *n, void *item, void *ctx)
{
	static const char *const keys[] = {
		"name", "synonyms", "description", "table", "sql", "format", NULL
	};
	struct dw_kb_metric *m = item;
	char what[200];

	(void)ctx;
	if (dw_ydoc_check_mapping(&ld->y, n, "metrics", keys) < 0 ||
	    dw_ydoc_get_name(&ld->y, n, "metrics", "name", &m->name) < 0)
		return -1;
	snprintf(what, sizeof what, "metric '%s'", m->name);
	if (get_words(ld, n, what, "synonyms", &m->synonyms) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, what, "description", 0, &m->description) < 0 ||
	    dw_ydoc_get_name(&ld->y, n, what, "table", &m->table) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, what, "sql", 1, &m->sql) < 0 ||
	    parse_format(ld, n, what, &m->format) < 0 ||
	    claim_words(ld, n, what, m->name, &m->synonyms) < 0)
		return -1;
	if (!dw_kb_table(ld->kb, m->table))
		return unknown_column(ld, dw_ydoc_value(&ld->y, n, "table"), what, m->table, "");
	return check_sql_columns(ld, dw_ydoc_value(&ld->y, n, "sql"), what, m->sql, m->table);
}

/* aliases: a mapping of words to stored values; items zeroed up front. */
static int parse_aliases(struct kb_load *ld, yaml_node_t *n, struct dw_kb_dimension *d)
{
	yaml_node_t *v = dw_ydoc_value(&ld->y, n, "aliases");
	yaml_node_pair_t *p;
	char where[200];

	if (!v)
		return 0;
	snprintf(where, sizeof where, "aliases of dimension '%s'", d->name);
	if (dw_ydoc_check_mapping(&ld->y, v, where, NULL) < 0)
		return -1;
	p = v->data.mapping.pairs.start;
	d->naliases = (size_t)(v->data.mapping.pairs.top - p);
	d->aliases = calloc(d->naliases + 1, sizeof *d->aliases);
	if (!d->aliases)
		return d->naliases = 0, dw_ydoc_oom(&ld->y);
	for (size_t i = 0; i < d->naliases; i++, p++)
		if (dw_ydoc_dup(&ld->y, dw_ydoc_text(dw_ydoc_node(&ld->y, p->key)),
				&d->aliases[i].word) < 0 ||
		    dw_ydoc_scalar(&ld->y, dw_ydoc_node(&ld->y, p->value), where,
				   d->aliases[i].word, &d->aliases[i].value) < 0)
			return -1;
	return 0;
}

/* key: one table.column or a list of them, all of the dimension's table;
 * kept as column names. */
static int parse_key(struct kb_load *ld, yaml_node_t *n, const char *what,
		     struct dw_kb_dimension *d)
{
	yaml_node_t *v = dw_ydoc_value(&ld->y, n, "key");

	if (!v) {
		dw_ydoc_fail(&ld->y, n, "%s: 'key' is missing", what);
		dw_err_hint(ld->y.err, "name the columns that identify one member, such as "
			    "key: [dim_location.market, dim_location.region]");
		return -1;
	}
	if (v->type == YAML_SCALAR_NODE) {
		if (!(d->key.v = calloc(2, sizeof *d->key.v)))
			return dw_ydoc_oom(&ld->y);
		if (dw_ydoc_dup(&ld->y, dw_ydoc_text(v), &d->key.v[d->key.n++]) < 0)
			return -1;
	} else if (get_words(ld, n, what, "key", &d->key) < 0) {
		return -1;
	}
	if (!d->key.n)
		return dw_ydoc_fail(&ld->y, v, "%s: 'key' is empty", what);
	for (size_t i = 0; i < d->key.n; i++) {
		char *col = d->key.v[i], *dot = strchr(col, '.');

		if (!dot || strncmp(col, d->table, (size_t)(dot - col)) || d->table[dot - col])
			return dw_ydoc_fail(&ld->y, v, "%s: key column '%s' must be %s.<column>",
					    what, col, d->table);
		memmove(col, dot + 1, strlen(dot + 1) + 1);
		if (!dw_kb_column(ld->kb, d->table, col))
			return unknown_column(ld, v, what, d->table, col);
	}
	return 0;
}

/* parent: an earlier dimension of the same hierarchy. */
static int check_parent(struct kb_load *ld, yaml_node_t *n, const char *what,
			const struct dw_kb_dimension *d)
{
	const struct dw_kb_dimension *p = dw_kb_dimension(ld->kb, d->parent);

	if (!*d->parent)
		return 0;
	if (!p)
		return dw_ydoc_fail(&ld->y, dw_ydoc_value(&ld->y, n, "parent"),
				    "%s: parent '%s' is no dimension listed before it", what,
				    d->parent);
	if (!*d->hierarchy || strcmp(p->hierarchy, d->hierarchy))
		return dw_ydoc_fail(&ld->y, dw_ydoc_value(&ld->y, n, "parent"),
				    "%s: parent '%s' is not in hierarchy '%s'", what, d->parent,
				    d->hierarchy);
	return 0;
}

static int parse_dimension(struct kb_load *ld, yaml_node_t *n, void *item, void *ctx)
{
	static const char *const keys[] = {
		"name", "synonyms", "description", "column", "key", "parent", "hierarchy",
		"values", "pii", "aliases", NULL
	};
	struct dw_kb_dimension *d = item;
	const struct dw_kb *kb = ld->kb;
	char what[200];

	(void)ctx;
	if (dw_ydoc_check_mapping(&ld->y, n, "dimensions", keys) < 0 ||
	    dw_ydoc_get_name(&ld->y, n, "dimensions", "name", &d->name) < 0)
		return -1;
	snprintf(what, sizeof what, "dimension '%s'", d->name);
	if (get_words(ld, n, what, "synonyms", &d->synonyms) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, what, "description", 0, &d->description) < 0 ||
	    get_column_ref(ld, n, what, "column", &d->table, &d->column) < 0 ||
	    parse_key(ld, n, what, d) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, what, "parent", 0, &d->parent) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, what, "hierarchy", 0, &d->hierarchy) < 0 ||
	    get_values(ld, n, what, &d->values) < 0 ||
	    dw_ydoc_get_bool(&ld->y, n, what, "pii", &d->pii) < 0 ||
	    parse_aliases(ld, n, d) < 0 ||
	    claim_words(ld, n, what, d->name, &d->synonyms) < 0)
		return -1;
	if (*d->hierarchy && dw_ydoc_check_name(&ld->y, dw_ydoc_value(&ld->y, n, "hierarchy"),
						what, d->hierarchy) < 0)
		return -1;
	if (check_parent(ld, n, what, d) < 0)
		return -1;
	/* A dimension over a PII column is PII whatever the file says. */
	d->pii |= dw_kb_column(kb, d->table, d->column)->pii;
	for (size_t i = 0; *d->hierarchy && i < kb->ndimensions; i++)
		d->level += !strcmp(kb->dimensions[i].hierarchy, d->hierarchy);
	if (!is_fact_table(kb, d->table) && !joined_to(kb, d->table))
		return dw_ydoc_fail(&ld->y, n, "%s: no join leads to table '%s'", what, d->table);
	return 0;
}

static int parse_grain(struct kb_load *ld, yaml_node_t *n, void *item, void *ctx)
{
	static const char *const keys[] = { "name", "synonyms", "sql", "order", "step", NULL };
	struct dw_kb_grain *g = item;
	char what[200];

	(void)ctx;
	if (dw_ydoc_check_mapping(&ld->y, n, "time.grains", keys) < 0 ||
	    dw_ydoc_get_name(&ld->y, n, "time.grains", "name", &g->name) < 0)
		return -1;
	snprintf(what, sizeof what, "grain '%s'", g->name);
	if (get_words(ld, n, what, "synonyms", &g->synonyms) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, what, "sql", 1, &g->sql) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, what, "order", 0, &g->order_sql) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, what, "step", 0, &g->step_sql) < 0 ||
	    claim_words(ld, n, what, g->name, &g->synonyms) < 0 ||
	    check_sql_columns(ld, dw_ydoc_value(&ld->y, n, "sql"), what, g->sql,
			      ld->kb->time.table) < 0)
		return -1;
	if (*g->step_sql && check_sql_columns(ld, dw_ydoc_value(&ld->y, n, "step"), what,
					      g->step_sql, ld->kb->time.table) < 0)
		return -1;
	return *g->order_sql ? check_sql_columns(ld, dw_ydoc_value(&ld->y, n, "order"), what,
						 g->order_sql, ld->kb->time.table) : 0;
}

static const struct list_kind grain_list = {
	"grains", sizeof(struct dw_kb_grain), parse_grain, grain_release
};

static int parse_time(struct kb_load *ld, yaml_node_t *root)
{
	static const char *const keys[] = {
		"table", "key", "date_column", "default_role", "grains", NULL
	};
	struct dw_kb_time *t = &ld->kb->time;
	yaml_node_t *n = dw_ydoc_value(&ld->y, root, "time");

	if (!n)
		return dw_ydoc_fail(&ld->y, root, "top level: 'time' is missing");
	if (dw_ydoc_check_mapping(&ld->y, n, "time", keys) < 0 ||
	    dw_ydoc_get_name(&ld->y, n, "time", "table", &t->table) < 0 ||
	    dw_ydoc_get_name(&ld->y, n, "time", "key", &t->key) < 0 ||
	    dw_ydoc_get_name(&ld->y, n, "time", "date_column", &t->date_column) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, "time", "default_role", 0, &t->default_role) < 0)
		return -1;
	if (!dw_kb_column(ld->kb, t->table, t->key))
		return unknown_column(ld, dw_ydoc_value(&ld->y, n, "key"), "time", t->table,
				      t->key);
	if (!dw_kb_column(ld->kb, t->table, t->date_column))
		return unknown_column(ld, dw_ydoc_value(&ld->y, n, "date_column"), "time", t->table,
				      t->date_column);
	if (!joined_to(ld->kb, t->table))
		return dw_ydoc_fail(&ld->y, n, "time: no join leads to table '%s'", t->table);
	if (*t->default_role && !dw_kb_join(ld->kb, ld->kb->metrics[0].table, t->table,
					    t->default_role))
		return dw_ydoc_fail(&ld->y, dw_ydoc_value(&ld->y, n, "default_role"),
				    "time: no join from '%s' to '%s' has role '%s'",
				    ld->kb->metrics[0].table, t->table, t->default_role);
	return parse_list(ld, n, "time", &grain_list, 1, NULL, &t->grains, &t->ngrains);
}

static int parse_example(struct kb_load *ld, yaml_node_t *n, void *item, void *ctx)
{
	static const char *const keys[] = { "question", "sql", NULL };
	struct dw_kb_example *e = item;

	(void)ctx;
	if (dw_ydoc_check_mapping(&ld->y, n, "examples", keys) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, "examples", "question", 1, &e->question) < 0)
		return -1;
	return dw_ydoc_get_text(&ld->y, n, "examples", "sql", 1, &e->sql);
}

static int parse_param(struct kb_load *ld, yaml_node_t *n, void *item, void *ctx)
{
	static const char *const keys[] = { "name", "type", "description", "default", NULL };
	const struct dw_kb_report *r = ctx;
	struct dw_kb_param *p = item;
	yaml_node_t *def = dw_ydoc_value(&ld->y, n, "default");
	char where[300], *type = NULL;
	const char *bound;
	int t;

	snprintf(where, sizeof where, "params of report '%s'", r->name);
	if (dw_ydoc_check_mapping(&ld->y, n, where, keys) < 0 ||
	    dw_ydoc_get_name(&ld->y, n, where, "name", &p->name) < 0)
		return -1;
	snprintf(where, sizeof where, "report '%s': parameter '%s'", r->name, p->name);
	for (size_t i = 0; i < r->nparams; i++)
		if (!strcmp(r->params[i].name, p->name))
			return dw_ydoc_fail(&ld->y, n, "%s is declared twice", where);
	if (dw_ydoc_get_text(&ld->y, n, where, "description", 0, &p->description) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, where, "type", 1, &type) < 0)
		return free(type), -1;
	t = dw_kb_type_parse(type);
	if (t < 0) {
		dw_ydoc_fail(&ld->y, dw_ydoc_value(&ld->y, n, "type"), "%s: unknown type '%s'",
			     where, type);
		dw_ydoc_hint_closest(&ld->y, type, type_names, NTYPES);
		dw_err_detail(ld->y.err, "types: string, int, number, date, bool");
		return free(type), -1;
	}
	free(type);
	p->type = (enum dw_kb_type)t;
	if (def && dw_ydoc_scalar(&ld->y, def, where, "default", &p->def) < 0)
		return -1;
	if (def && typed_value(p->type, p->def, &bound) < 0)
		return dw_ydoc_fail(&ld->y, def, "%s: default must be %s (%s), got '%s'", where,
				    type_expects[p->type], type_names[p->type], p->def);
	return 0;
}

static const struct list_kind param_list = {
	"params", sizeof(struct dw_kb_param), parse_param, param_release
};

/* Every placeholder is a declared parameter and every parameter is used. */
static int check_placeholders(struct kb_load *ld, yaml_node_t *n, const struct dw_kb_report *r)
{
	struct dw_sqltok *p;
	struct dw_err e;
	size_t np, i, j;
	int rc = 0;

	if (dw_sqllex_params(r->sql, strlen(r->sql), DW_DB_MY, &p, &np, &e) < 0)
		return dw_ydoc_fail(&ld->y, n, "report '%s': %s", r->name, e.msg);
	for (i = 0; rc == 0 && i < np; i++) {
		if (placeholder_param(r, &p[i]))
			continue;
		if (p[i].len == 1) {
			rc = dw_ydoc_fail(&ld->y, n, "report '%s': placeholder '?' has no name",
					  r->name);
			dw_err_hint(ld->y.err,
				    "write a parameter as :name and declare it under 'params'");
		} else {
			rc = dw_ydoc_fail(&ld->y, n,
					  "report '%s': placeholder '%.*s' is not a declared parameter",
					  r->name, (int)p[i].len, r->sql + p[i].off);
			dw_err_hint(ld->y.err, "declare it under 'params' with a name and a type");
		}
	}
	for (i = 0; rc == 0 && i < r->nparams; i++) {
		for (j = 0; j < np && placeholder_param(r, &p[j]) != &r->params[i]; j++)
			;
		if (j == np)
			rc = dw_ydoc_fail(&ld->y, n,
					  "report '%s': parameter '%s' is not used in its sql",
					  r->name, r->params[i].name);
	}
	free(p);
	return rc;
}

static int parse_report(struct kb_load *ld, yaml_node_t *n, void *item, void *ctx)
{
	static const char *const keys[] = { "name", "description", "params", "sql", NULL };
	struct dw_kb_report *r = item;
	char what[200];

	(void)ctx;
	if (dw_ydoc_check_mapping(&ld->y, n, "reports", keys) < 0 ||
	    dw_ydoc_get_name(&ld->y, n, "reports", "name", &r->name) < 0)
		return -1;
	snprintf(what, sizeof what, "report '%s'", r->name);
	if (dw_kb_report(ld->kb, r->name))
		return dw_ydoc_fail(&ld->y, n, "%s is defined twice", what);
	if (dw_ydoc_get_text(&ld->y, n, what, "description", 0, &r->description) < 0 ||
	    dw_ydoc_get_text(&ld->y, n, what, "sql", 1, &r->sql) < 0 ||
	    parse_list(ld, n, what, &param_list, 0, r, &r->params, &r->nparams) < 0)
		return -1;
	return check_placeholders(ld, dw_ydoc_value(&ld->y, n, "sql"), r);
}

static const struct list_kind join_list = {
	"joins", sizeof(struct dw_kb_join), parse_join, join_release
};
static const struct list_kind metric_list = {
	"metrics", sizeof(struct dw_kb_metric), parse_metric, metric_release
};
static const struct list_kind dimension_list = {
	"dimensions", sizeof(struct dw_kb_dimension), parse_dimension, dimension_release
};
static const struct list_kind example_list = {
	"examples", sizeof(struct dw_kb_example), parse_example, example_release
};
static const struct list_kind report_list = {
	"reports", sizeof(struct dw_kb_report), parse_report, report_release
};

/* Sections are read in dependency order (tables before what names their
 * columns; metrics before dimensions and grains, which must not reuse a
 * metric's words), whatever their order in the file. */
static int parse_root(struct kb_load *ld, yaml_node_t *root)
{
	static const char *const keys[] = {
		"model", "description", "tables", "joins", "metrics", "dimensions", "time",
		"rules", "examples", "reports", NULL
	};
	struct dw_kb *kb = ld->kb;

	if (dw_ydoc_check_mapping(&ld->y, root, "top level", keys) < 0 ||
	    dw_ydoc_get_name(&ld->y, root, "top level", "model", &kb->model) < 0 ||
	    dw_ydoc_get_text(&ld->y, root, "top level", "description", 0, &kb->description) < 0 ||
	    parse_tables(ld, root) < 0 ||
	    parse_list(ld, root, "top level", &join_list, 0, NULL, &kb->joins, &kb->njoins) < 0 ||
	    parse_list(ld, root, "top level", &metric_list, 1, NULL, &kb->metrics,
		       &kb->nmetrics) < 0 ||
	    parse_list(ld, root, "top level", &dimension_list, 0, NULL, &kb->dimensions,
		       &kb->ndimensions) < 0 ||
	    parse_time(ld, root) < 0 ||
	    get_words(ld, root, "top level", "rules", &kb->rules) < 0 ||
	    parse_list(ld, root, "top level", &example_list, 0, NULL, &kb->examples,
		       &kb->nexamples) < 0)
		return -1;
	return parse_list(ld, root, "top level", &report_list, 0, NULL, &kb->reports,
			  &kb->nreports);
}

int dw_kb_load_string(struct dw_kb *kb, const char *yaml, const char *name, struct dw_err *err)
{
	struct kb_load ld = { .kb = kb, .y = { .name = name, .err = err } };
	yaml_node_t *root;
	int rc;

	memset(kb, 0, sizeof *kb);
	kb->path = strdup(name);
	if (!kb->path)
		return dw_ydoc_oom(&ld.y);
	if (dw_ydoc_parse(&ld.y, yaml, strlen(yaml), "knowledge file") < 0)
		return -1;
	root = dw_ydoc_root(&ld.y);
	if (root->type != YAML_MAPPING_NODE)
		rc = dw_ydoc_fail(&ld.y, root,
				  "expected a mapping of sections (model, tables, metrics, ...)");
	else
		rc = parse_root(&ld, root);
	dw_ydoc_free(&ld.y);
	return rc;
}

int dw_kb_load(struct dw_kb *kb, const char *path, struct dw_err *err)
{
	char *text;
	int rc;

	memset(kb, 0, sizeof *kb);
	rc = dw_ydoc_read_file(path, "knowledge file", &text, err);
	if (rc == 0)
		rc = dw_kb_load_string(kb, text, path, err);
	free(text);
	return rc;
}

/* ---- reports ------------------------------------------------------------ */

static int unknown_param(const struct dw_kb_report *r, const char *key, struct dw_err *err)
{
	const char **names = calloc(r->nparams + 1, sizeof *names);
	const char *best;

	dw_err_set(err, DW_EX_USAGE, "report '%s' has no parameter '%s'", r->name, key);
	if (!names)
		return -1;
	for (size_t i = 0; i < r->nparams; i++)
		names[i] = r->params[i].name;
	best = dw_text_closest(key, names, r->nparams, 3);
	if (best)
		dw_err_hint(err, "did you mean '%s'?", best);
	free(names);
	return -1;
}

/* The value to bind for each parameter (given, else its default), checked
 * against its type, into bound[i] for r->params[i]. */
static int resolve_params(const struct dw_kb_report *r, const char *const *keys,
			  const char *const *values, size_t n, const char **bound,
			  struct dw_err *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!report_param(r, keys[i], strlen(keys[i])))
			return unknown_param(r, keys[i], err);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(keys[i], keys[j]))
				return dw_err_set(err, DW_EX_USAGE,
						  "parameter '%s' is given twice", keys[i]);
	}
	for (size_t i = 0; i < r->nparams; i++) {
		const struct dw_kb_param *p = &r->params[i];
		const char *v = p->def;

		for (size_t j = 0; j < n; j++)
			if (!strcmp(keys[j], p->name))
				v = values[j];
		if (!v)
			return dw_err_set(err, DW_EX_USAGE,
					  "report '%s' needs parameter '%s' (%s)", r->name,
					  p->name, dw_kb_type_name(p->type));
		if (typed_value(p->type, v, &bound[i]) < 0)
			return dw_err_set(err, DW_EX_USAGE,
					  "parameter '%s' must be %s (%s), got '%s'", p->name,
					  type_expects[p->type], dw_kb_type_name(p->type), v);
	}
	return 0;
}

int dw_kb_report_bind(const struct dw_kb_report *r, const char *const *keys,
		      const char *const *values, size_t n, char **sql_out,
		      const char ***params_out, size_t *nparams_out, struct dw_err *err)
{
	const char **bound = calloc(r->nparams + 1, sizeof *bound), **params = NULL;
	struct dw_sqltok *p = NULL;
	size_t np = 0, from = 0;
	char *sql = malloc(strlen(r->sql) + 1), *to = sql;

	*sql_out = NULL;
	*params_out = NULL;
	*nparams_out = 0;
	if (dw_sqllex_params(r->sql, strlen(r->sql), DW_DB_MY, &p, &np, err) < 0) {
		/* the loader rules this out; a hand-built report may not */
		dw_err_prefix(err, "report '%s'", r->name);
		err->code = DW_EX_SOFTWARE;
		goto fail;
	}
	params = calloc(np + 1, sizeof *params);
	if (!bound || !sql || !params) {
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		goto fail;
	}
	if (resolve_params(r, keys, values, n, bound, err) < 0)
		goto fail;
	for (size_t i = 0; i < np; i++) {
		const struct dw_kb_param *prm = placeholder_param(r, &p[i]);

		if (!prm) {
			dw_err_set(err, DW_EX_SOFTWARE, "report '%s': undeclared placeholder '%.*s'",
				   r->name, (int)p[i].len, r->sql + p[i].off);
			goto fail;
		}
		memcpy(to, r->sql + from, p[i].off - from);
		to += p[i].off - from;
		*to++ = '?';
		params[i] = bound[prm - r->params];
		from = p[i].off + p[i].len;
	}
	strcpy(to, r->sql + from);
	free(bound);
	free(p);
	*sql_out = sql;
	*params_out = params;
	*nparams_out = np;
	return 0;
fail:
	free(bound);
	free(p);
	free(sql);
	free(params);
	return -1;
}
