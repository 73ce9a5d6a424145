/* The checks file, read with the errors of dw's files: file:line, unknown
 * keys with the closest known one, a key that does not fit the kind. */
#include "check/checkfile.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ydoc.h"

static const char *const kind_names[] = {
	"row_count", "not_null", "unique", "accepted_values", "range", "freshness",
	"referential", "sql", "pattern", "schema", NULL,
};

const char *dw_checkfile_kind_name(enum dw_checkfile_kind k)
{
	return kind_names[k];
}

/* A scalar or a list of scalars under key into *v, *n. */
static int words(struct dw_ydoc *y, yaml_node_t *map, const char *where, const char *key,
		 char ***v, size_t *n)
{
	yaml_node_t *node = dw_ydoc_value(y, map, key);
	yaml_node_item_t *it;

	*v = NULL;
	*n = 0;
	if (!node)
		return 0;
	if (node->type == YAML_SCALAR_NODE) {
		if (!(*v = calloc(1, sizeof **v)))
			return dw_ydoc_oom(y);
		*n = 1;
		return dw_ydoc_dup(y, dw_ydoc_text(node), &(*v)[0]);
	}
	if (node->type != YAML_SEQUENCE_NODE)
		return dw_ydoc_fail(y, node, "%s: '%s' must be a list", where, key);
	if (!(*v = calloc((size_t)(node->data.sequence.items.top - node->data.sequence.items.start)
			  + 1, sizeof **v)))
		return dw_ydoc_oom(y);
	for (it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
		yaml_node_t *e = dw_ydoc_node(y, *it);

		if (e->type != YAML_SCALAR_NODE)
			return dw_ydoc_fail(y, e, "%s: '%s' holds single values", where, key);
		if (dw_ydoc_dup(y, dw_ydoc_text(e), &(*v)[(*n)++]) < 0)
			return -1;
	}
	return 0;
}

/* "> 10" or "> 2.5%". */
static int threshold(struct dw_ydoc *y, yaml_node_t *map, const char *where, const char *key,
		     struct dw_checkfile_threshold *t)
{
	yaml_node_t *v = dw_ydoc_value(y, map, key);
	const char *s;
	char *end;

	memset(t, 0, sizeof *t);
	if (!v)
		return 0;
	s = v->type == YAML_SCALAR_NODE ? dw_ydoc_text(v) : "";
	while (*s == ' ')
		s++;
	if (*s++ != '>')
		return dw_ydoc_fail(y, v, "%s: '%s' must be '> N' or '> N%%'", where, key);
	t->value = strtod(s, &end);
	t->percent = *end == '%';
	if (end == s || (*end && strcmp(end, "%")) || t->value < 0)
		return dw_ydoc_fail(y, v, "%s: '%s' must be '> N' or '> N%%'", where, key);
	t->set = 1;
	return 0;
}

/* The keys each kind takes, besides the common ones. */
static const char *const kind_keys[][4] = {
	{ "min", "max" }, { "columns" }, { "columns" }, { "column", "values" },
	{ "column", "min", "max" }, { "column", "within" }, { "column", "references" }, { "query" },
	{ "column", "pattern" }, { "columns", "strict" },
};

static int kind_of(struct dw_ydoc *y, yaml_node_t *map, const char *where,
		   enum dw_checkfile_kind *k)
{
	char *s = NULL;
	int i;

	if (dw_ydoc_get_text(y, map, where, "kind", 1, &s) < 0)
		return -1;
	for (i = 0; kind_names[i] && strcmp(kind_names[i], s); i++)
		;
	if (!kind_names[i]) {
		dw_ydoc_fail(y, dw_ydoc_value(y, map, "kind"), "%s: unknown kind '%s'", where, s);
		dw_ydoc_hint_closest(y, s, kind_names, sizeof kind_names / sizeof *kind_names - 1);
		free(s);
		return -1;
	}
	free(s);
	*k = (enum dw_checkfile_kind)i;
	return 0;
}

/* A key given that the kind does not take is an error, not ignored. */
static int kind_fits(struct dw_ydoc *y, yaml_node_t *map, const char *where,
		     enum dw_checkfile_kind k)
{
	static const char *const all[] = { "min", "max", "columns", "column", "values", "within",
					   "references", "query", "pattern", "strict", NULL };

	for (int i = 0; all[i]; i++) {
		int ok = 0;

		for (int j = 0; j < 4 && kind_keys[k][j]; j++)
			ok |= !strcmp(kind_keys[k][j], all[i]);
		if (!ok && dw_ydoc_value(y, map, all[i]))
			return dw_ydoc_fail(y, dw_ydoc_value(y, map, all[i]), "%s: a %s check takes "
					    "no '%s'", where, kind_names[k], all[i]);
	}
	return 0;
}

/* schema: 'columns' maps each column to its type, as the server spells it. */
static int schema_columns(struct dw_ydoc *y, yaml_node_t *map, const char *where,
			  struct dw_checkfile_check *c)
{
	yaml_node_t *m = dw_ydoc_value(y, map, "columns");
	yaml_node_pair_t *p;
	size_t n;

	if (!m)
		return dw_ydoc_fail(y, map, "%s: 'columns' is missing", where);
	if (m->type != YAML_MAPPING_NODE || !(n = (size_t)(m->data.mapping.pairs.top -
							   m->data.mapping.pairs.start)))
		return dw_ydoc_fail(y, m, "%s: 'columns' must map each column to its type", where);
	if (dw_ydoc_check_mapping(y, m, where, NULL) < 0)
		return -1;
	/* Both lists hold n from here, filled or not, for dw_checkfile_free. */
	c->columns = calloc(n + 1, sizeof *c->columns);
	c->types = calloc(n + 1, sizeof *c->types);
	if (!c->columns || !c->types)
		return dw_ydoc_oom(y);
	c->ncolumns = n;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = dw_ydoc_node(y, p->key), *v = dw_ydoc_node(y, p->value);
		size_t i = (size_t)(p - m->data.mapping.pairs.start);

		if (dw_ydoc_dup(y, dw_ydoc_text(k), &c->columns[i]) < 0 ||
		    dw_ydoc_scalar(y, v, where, c->columns[i], &c->types[i]) < 0)
			return -1;
		if (!*c->types[i])
			return dw_ydoc_fail(y, v, "%s: column '%s' has no type", where, c->columns[i]);
	}
	return 0;
}

/* pattern: compiled here once, so that a bad one is an error of the file
 * with its line rather than of a server. */
static int pattern(struct dw_ydoc *y, yaml_node_t *map, const char *where,
		   struct dw_checkfile_check *c)
{
	regex_t re;
	char why[128];
	int rc;

	if (dw_ydoc_get_text(y, map, where, "pattern", 1, &c->pattern) < 0)
		return -1;
	if ((rc = regcomp(&re, c->pattern, REG_EXTENDED | REG_NOSUB)) == 0) {
		regfree(&re);
		return 0;
	}
	regerror(rc, &re, why, sizeof why);
	return dw_ydoc_fail(y, dw_ydoc_value(y, map, "pattern"), "%s: 'pattern' is not a POSIX "
			    "extended regular expression: %s", where, why);
}

static int parse_kind_keys(struct dw_ydoc *y, yaml_node_t *map, const char *where,
			   struct dw_checkfile_check *c)
{
	char *col = NULL, *within = NULL, *ref = NULL;
	int rc = 0;

	if (c->kind == DW_CHECK_NOT_NULL || c->kind == DW_CHECK_UNIQUE) {
		if (words(y, map, where, "columns", &c->columns, &c->ncolumns) < 0)
			return -1;
		if (!c->ncolumns)
			return dw_ydoc_fail(y, map, "%s: 'columns' is missing", where);
	} else if (c->kind == DW_CHECK_SCHEMA) {
		if (schema_columns(y, map, where, c) < 0 ||
		    dw_ydoc_get_bool(y, map, where, "strict", &c->strict) < 0)
			return -1;
	} else if (c->kind != DW_CHECK_ROW_COUNT && c->kind != DW_CHECK_SQL) {
		if (dw_ydoc_get_text(y, map, where, "column", 1, &col) < 0)
			return -1;
		if (!(c->columns = calloc(1, sizeof *c->columns)))
			return free(col), dw_ydoc_oom(y);
		c->columns[0] = col;
		c->ncolumns = 1;
	}
	if (dw_ydoc_get_text(y, map, where, "min", 0, &c->min) < 0 ||
	    dw_ydoc_get_text(y, map, where, "max", 0, &c->max) < 0 ||
	    words(y, map, where, "values", &c->values, &c->nvalues) < 0)
		return -1;
	if (c->kind == DW_CHECK_ACCEPTED_VALUES && !c->nvalues)
		return dw_ydoc_fail(y, map, "%s: 'values' is missing", where);
	if (c->kind == DW_CHECK_SQL && dw_ydoc_get_text(y, map, where, "query", 1, &c->sql) < 0)
		return -1;
	if (c->kind == DW_CHECK_PATTERN && pattern(y, map, where, c) < 0)
		return -1;
	if (c->kind == DW_CHECK_FRESHNESS) {
		if (dw_ydoc_get_text(y, map, where, "within", 1, &within) < 0)
			return -1;
		if (dw_config_duration_ms(within, &c->within_ms) < 0)
			rc = dw_ydoc_fail(y, dw_ydoc_value(y, map, "within"), "%s: 'within' must be a "
					  "duration, like 2h", where);
		free(within);
	}
	if (rc == 0 && c->kind == DW_CHECK_REFERENTIAL) {
		char *dot;

		if (dw_ydoc_get_text(y, map, where, "references", 1, &ref) < 0)
			return -1;
		if (!(dot = strchr(ref, '.')) || dot == ref || !dot[1])
			rc = dw_ydoc_fail(y, dw_ydoc_value(y, map, "references"), "%s: 'references' "
					  "must be table.column", where);
		else if (!(c->ref_table = strndup(ref, (size_t)(dot - ref))) ||
			 !(c->ref_column = strdup(dot + 1)))
			rc = dw_ydoc_oom(y);
		free(ref);
	}
	return rc;
}

static int parse_check(struct dw_ydoc *y, yaml_node_t *map, struct dw_checkfile_check *c)
{
	static const char *const keys[] = {
		"name", "database", "table", "kind", "severity", "tags", "warn_if", "error_if",
		"min", "max", "columns", "column", "values", "within", "references", "query",
		"pattern", "strict", NULL,
	};
	char where[160], *db = NULL, *sev = NULL;

	c->line = dw_ydoc_line(map);
	if (dw_ydoc_check_mapping(y, map, "checks", keys) < 0 ||
	    dw_ydoc_get_name(y, map, "checks", "name", &c->name) < 0)
		return -1;
	if (strlen(c->name) > DW_CHECKFILE_NAME_MAX)
		return dw_ydoc_fail(y, dw_ydoc_value(y, map, "name"), "checks: a name is at most %d "
				    "characters", DW_CHECKFILE_NAME_MAX);
	snprintf(where, sizeof where, "check '%s'", c->name);
	if (dw_ydoc_get_text(y, map, where, "database", 0, &db) < 0)
		return -1;
	c->warehouse = !strcmp(db, "warehouse");
	if (*db && !c->warehouse && strcmp(db, "oltp")) {
		free(db);
		return dw_ydoc_fail(y, dw_ydoc_value(y, map, "database"), "%s: 'database' must be "
				    "oltp or warehouse", where);
	}
	free(db);
	if (dw_ydoc_get_text(y, map, where, "table", 1, &c->table) < 0 ||
	    kind_of(y, map, where, &c->kind) < 0 || kind_fits(y, map, where, c->kind) < 0 ||
	    parse_kind_keys(y, map, where, c) < 0 ||
	    words(y, map, where, "tags", &c->tags, &c->ntags) < 0 ||
	    threshold(y, map, where, "warn_if", &c->warn_if) < 0 ||
	    threshold(y, map, where, "error_if", &c->error_if) < 0)
		return -1;
	if (c->kind == DW_CHECK_SCHEMA && (c->warn_if.percent || c->error_if.percent))
		return dw_ydoc_fail(y, map, "%s: a schema check counts columns, not a percentage "
				    "of rows", where);
	if (dw_ydoc_get_text(y, map, where, "severity", 0, &sev) < 0)
		return free(sev), -1;
	/* By default any failing row fails: an error, or with severity: warn
	 * a warning. */
	if (*sev && strcmp(sev, "error") && strcmp(sev, "warn")) {
		free(sev);
		return dw_ydoc_fail(y, dw_ydoc_value(y, map, "severity"), "%s: 'severity' must be "
				    "error or warn", where);
	}
	if (!c->warn_if.set && !c->error_if.set)
		*(strcmp(sev, "warn") ? &c->error_if : &c->warn_if) =
			(struct dw_checkfile_threshold){ 1, 0, 0 };
	free(sev);
	return 0;
}

int dw_checkfile_load(struct dw_checkfile *f, const char *path, struct dw_err *err)
{
	struct dw_ydoc y = { .name = path, .err = err };
	yaml_node_t *root, *list;
	yaml_node_item_t *it;
	char *text = NULL;
	int rc = -1;

	memset(f, 0, sizeof *f);
	if (!(f->path = strdup(path)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (dw_ydoc_read_file(path, "checks file", &text, err) < 0 ||
	    dw_ydoc_parse(&y, text, strlen(text), "checks file") < 0)
		goto out;
	root = dw_ydoc_root(&y);
	if (dw_ydoc_check_mapping(&y, root, "the checks file", (const char *const[]){ "checks",
								     NULL }) < 0)
		goto out;
	list = dw_ydoc_value(&y, root, "checks");
	if (!list || list->type != YAML_SEQUENCE_NODE) {
		dw_ydoc_fail(&y, list ? list : root, "'checks' must be a list of checks");
		goto out;
	}
	f->checks = calloc((size_t)(list->data.sequence.items.top - list->data.sequence.items.start)
			   + 1, sizeof *f->checks);
	if (!f->checks) {
		dw_ydoc_oom(&y);
		goto out;
	}
	rc = 0;
	for (it = list->data.sequence.items.start; rc == 0 && it < list->data.sequence.items.top;
	     it++)
		rc = parse_check(&y, dw_ydoc_node(&y, *it), &f->checks[f->nchecks++]);
	for (size_t i = 0; rc == 0 && i < f->nchecks; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(f->checks[i].name, f->checks[j].name))
				rc = dw_err_set(err, DW_EX_DATAERR, "%s:%d: a second check named '%s'",
						path, f->checks[i].line, f->checks[i].name);
out:
	/* The file's errors are data errors of dw-validate (65). */
	if (rc < 0 && err->code == DW_EX_CONFIG)
		err->code = DW_EX_DATAERR;
	dw_ydoc_free(&y);
	free(text);
	return rc;
}

static void free_words(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void dw_checkfile_free(struct dw_checkfile *f)
{
	for (size_t i = 0; f->checks && i < f->nchecks; i++) {
		struct dw_checkfile_check *c = &f->checks[i];

		free(c->name);
		free(c->table);
		free_words(c->columns, c->ncolumns);
		free_words(c->types, c->types ? c->ncolumns : 0);
		free(c->pattern);
		free_words(c->values, c->nvalues);
		free(c->min);
		free(c->max);
		free(c->ref_table);
		free(c->ref_column);
		free(c->sql);
		free_words(c->tags, c->ntags);
	}
	free(f->checks);
	free(f->path);
	memset(f, 0, sizeof *f);
}
