/* The roles policy: read from dw.yaml's roles section with the errors of
 * dw's files (file:line, unknown keys with a hint), checked against the
 * knowledge file. */
#include "user/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ydoc.h"

/* The four roles of the seed, when dw.yaml has no roles section: a sales
 * associate sees no personal data and exports nothing; a store manager
 * sees pseudonyms, in the markets given to the person; an executive sees
 * pseudonyms everywhere; admin sees everything. */
static const char default_roles[] =
	"roles:\n"
	"  sales_associate: {pii: redact, export: false}\n"
	"  store_manager: {pii: pseudonym, scope: {market: person}}\n"
	"  executive: {pii: pseudonym}\n"
	"  admin: {pii: none}\n";

static const char *const rule_names[] = {
	"none", "redact", "initials", "pseudonym", "generalize", NULL,
};

const char *dw_policy_rule_name(enum dw_policy_rule rule)
{
	return rule_names[rule];
}

/* "pseudonym", or "generalize:country" (to = "country"). */
static int parse_rule(struct dw_ydoc *y, yaml_node_t *v, const char *where,
		      enum dw_policy_rule *rule, char **to)
{
	const char *s, *colon;
	size_t len;

	if (v->type != YAML_SCALAR_NODE)
		return dw_ydoc_fail(y, v, "%s must be a single rule", where);
	s = dw_ydoc_text(v);
	colon = strchr(s, ':');
	len = colon ? (size_t)(colon - s) : strlen(s);
	for (int i = 0; rule_names[i]; i++) {
		if (strlen(rule_names[i]) != len || strncmp(rule_names[i], s, len))
			continue;
		if (colon && i != DW_POLICY_GENERALIZE)
			return dw_ydoc_fail(y, v, "%s: only generalize takes a column ('%s')", where, s);
		if (colon && !dw_ydoc_valid_name(colon + 1))
			return dw_ydoc_fail(y, v, "%s: '%s' is not a column name", where, colon + 1);
		*rule = (enum dw_policy_rule)i;
		return dw_ydoc_dup(y, colon ? colon + 1 : "", to);
	}
	dw_ydoc_fail(y, v, "%s: unknown rule '%s'", where, s);
	dw_ydoc_hint_closest(y, s, rule_names, 5);
	return -1;
}

/* A list of names (tables, values), or one scalar as a list of one. */
static int parse_list(struct dw_ydoc *y, yaml_node_t *v, const char *where, char ***out,
		      size_t *n)
{
	yaml_node_item_t *it;

	if (v->type == YAML_SCALAR_NODE) {
		if (!(*out = calloc(1, sizeof **out)))
			return dw_ydoc_oom(y);
		*n = 1;
		return dw_ydoc_dup(y, dw_ydoc_text(v), &(*out)[0]);
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return dw_ydoc_fail(y, v, "%s must be a list", where);
	if (!(*out = calloc((size_t)(v->data.sequence.items.top - v->data.sequence.items.start) + 1,
			    sizeof **out)))
		return dw_ydoc_oom(y);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *e = dw_ydoc_node(y, *it);

		if (e->type != YAML_SCALAR_NODE)
			return dw_ydoc_fail(y, e, "%s: each item must be a single value", where);
		if (dw_ydoc_dup(y, dw_ydoc_text(e), &(*out)[(*n)++]) < 0)
			return -1;
	}
	return 0;
}

static int parse_tables(struct dw_ydoc *y, yaml_node_t *map, struct dw_policy_role *r,
			const char *where)
{
	yaml_node_t *v = dw_ydoc_value(y, map, "tables");

	r->all_tables = !v || (v->type == YAML_SCALAR_NODE && !strcmp(dw_ydoc_text(v), "all"));
	if (r->all_tables)
		return 0;
	if (parse_list(y, v, where, &r->tables, &r->ntables) < 0)
		return -1;
	for (size_t i = 0; i < r->ntables; i++)
		if (!dw_ydoc_valid_name(r->tables[i]))
			return dw_ydoc_fail(y, v, "%s: '%s' is not a table name", where, r->tables[i]);
	return 0;
}

/* The mapping under key of a role ("mask", "scope"): NULL when absent (or
 * on error, -1 in *rc), what set to "role 'x': KEY", *items allocated with
 * one zeroed element of size per pair. */
static yaml_node_t *role_mapping(struct dw_ydoc *y, yaml_node_t *map, const char *where,
				 const char *key, char *what, size_t wsize, size_t size,
				 void **items, int *rc)
{
	yaml_node_t *v = dw_ydoc_value(y, map, key);

	*rc = 0;
	if (!v)
		return NULL;
	snprintf(what, wsize, "%s: %s", where, key);
	if (dw_ydoc_check_mapping(y, v, what, NULL) < 0)
		return *rc = -1, NULL;
	*items = calloc((size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start) + 1, size);
	if (!*items)
		return *rc = dw_ydoc_oom(y), NULL;
	return v;
}

/* mask: {table.column: rule, ...} */
static int parse_masks(struct dw_ydoc *y, yaml_node_t *map, struct dw_policy_role *r,
		       const char *where)
{
	yaml_node_pair_t *p;
	char what[256];
	int rc;
	yaml_node_t *v = role_mapping(y, map, where, "mask", what, sizeof what, sizeof *r->masks,
				      (void **)&r->masks, &rc);

	if (!v)
		return rc;
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = dw_ydoc_node(y, p->key);
		struct dw_policy_mask *m = &r->masks[r->nmasks++];
		const char *dot = strchr(dw_ydoc_text(k), '.');

		if (!dot || dot == dw_ydoc_text(k) || !dw_ydoc_valid_name(dot + 1))
			return dw_ydoc_fail(y, k, "%s: '%s' is not table.column", what, dw_ydoc_text(k));
		if (!(m->table = strndup(dw_ydoc_text(k), (size_t)(dot - dw_ydoc_text(k)))) ||
		    dw_ydoc_dup(y, dot + 1, &m->column) < 0)
			return dw_ydoc_oom(y);
		if (parse_rule(y, dw_ydoc_node(y, p->value), what, &m->rule, &m->to) < 0)
			return -1;
	}
	return 0;
}

/* scope: {dimension: person | [values]} */
static int parse_scopes(struct dw_ydoc *y, yaml_node_t *map, struct dw_policy_role *r,
			const char *where)
{
	yaml_node_pair_t *p;
	char what[256];
	int rc;
	yaml_node_t *v = role_mapping(y, map, where, "scope", what, sizeof what, sizeof *r->scopes,
				      (void **)&r->scopes, &rc);

	if (!v)
		return rc;
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = dw_ydoc_node(y, p->key), *val = dw_ydoc_node(y, p->value);
		struct dw_policy_scope *s = &r->scopes[r->nscopes++];

		if (dw_ydoc_dup(y, dw_ydoc_text(k), &s->dimension) < 0)
			return -1;
		s->person = val->type == YAML_SCALAR_NODE && !strcmp(dw_ydoc_text(val), "person");
		if (!s->person && parse_list(y, val, what, &s->values, &s->nvalues) < 0)
			return -1;
		if (!s->person && !s->nvalues)
			return dw_ydoc_fail(y, val, "%s: '%s' needs values, or person", what,
					    s->dimension);
	}
	return 0;
}

/* audit: none (the default: the role writes its events, reads none) or
 * own (it reads its own). */
static int parse_audit(struct dw_ydoc *y, yaml_node_t *map, struct dw_policy_role *r,
		       const char *where)
{
	yaml_node_t *v = dw_ydoc_value(y, map, "audit");
	const char *t = v && v->type == YAML_SCALAR_NODE ? dw_ydoc_text(v) : NULL;

	if (!v || (t && !strcmp(t, "none")))
		return 0;
	if (t && !strcmp(t, "own"))
		return r->audit_own = 1, 0;
	return dw_ydoc_fail(y, v, "%s: 'audit' must be none or own", where);
}

static int parse_role(struct dw_ydoc *y, yaml_node_t *k, yaml_node_t *map,
		      struct dw_policy_role *r)
{
	static const char *const keys[] = { "tables", "pii", "mask", "scope", "export", "audit",
					    NULL };
	char where[128];
	yaml_node_t *pii;

	if (dw_ydoc_dup(y, dw_ydoc_text(k), &r->name) < 0 ||
	    dw_ydoc_check_name(y, k, "roles", r->name) < 0)
		return -1;
	if (strlen(r->name) > 32)
		return dw_ydoc_fail(y, k, "roles: '%s' is longer than 32 characters", r->name);
	snprintf(where, sizeof where, "role '%s'", r->name);
	r->export = 1;
	if (map->type == YAML_SCALAR_NODE && !*dw_ydoc_text(map))
		return dw_ydoc_fail(y, map, "%s: say what it reads, e.g. {pii: redact}", where);
	if (dw_ydoc_check_mapping(y, map, where, keys) < 0 ||
	    parse_tables(y, map, r, where) < 0 || parse_masks(y, map, r, where) < 0 ||
	    parse_scopes(y, map, r, where) < 0)
		return -1;
	if (dw_ydoc_value(y, map, "export") &&
	    dw_ydoc_get_bool(y, map, where, "export", &r->export) < 0)
		return -1;
	if (parse_audit(y, map, r, where) < 0)
		return -1;
	if ((pii = dw_ydoc_value(y, map, "pii"))) {
		char *to = NULL;
		int rc = parse_rule(y, pii, where, &r->pii, &to);

		if (rc == 0 && *to)
			rc = dw_ydoc_fail(y, pii, "%s: 'pii' takes a rule without a column", where);
		free(to);
		if (rc < 0)
			return -1;
		r->has_pii = 1;
	}
	return 0;
}

static int parse_roles(struct dw_ydoc *y, yaml_node_t *roles, struct dw_policy *p)
{
	yaml_node_pair_t *pr;

	if (dw_ydoc_check_mapping(y, roles, "roles", NULL) < 0)
		return -1;
	p->roles = calloc((size_t)(roles->data.mapping.pairs.top - roles->data.mapping.pairs.start)
			  + 1, sizeof *p->roles);
	if (!p->roles)
		return dw_ydoc_oom(y);
	for (pr = roles->data.mapping.pairs.start; pr < roles->data.mapping.pairs.top; pr++)
		if (parse_role(y, dw_ydoc_node(y, pr->key), dw_ydoc_node(y, pr->value),
			       &p->roles[p->nroles++]) < 0)
			return -1;
	if (!p->nroles)
		return dw_ydoc_fail(y, roles, "roles: at least one role");
	return 0;
}

/* The roles section of a dw.yaml document; *found 0 when it has none. */
static int parse_text(struct dw_policy *p, const char *text, const char *name, int *found,
		      struct dw_err *err)
{
	struct dw_ydoc y = { .name = name, .err = err };
	yaml_node_t *root, *roles = NULL;
	int rc = 0;

	*found = 0;
	if (!*text)
		return 0;
	if (dw_ydoc_parse(&y, text, strlen(text), NULL) < 0)
		return dw_ydoc_free(&y), -1;
	root = dw_ydoc_root(&y);
	if (root && root->type == YAML_MAPPING_NODE)
		roles = dw_ydoc_value(&y, root, "roles");
	if (roles && !(roles->type == YAML_SCALAR_NODE && !*dw_ydoc_text(roles))) {
		*found = 1;
		rc = parse_roles(&y, roles, p);
	}
	dw_ydoc_free(&y);
	return rc;
}

int dw_policy_load_string(struct dw_policy *p, const char *text, const char *name,
			  struct dw_err *err)
{
	int found;

	memset(p, 0, sizeof *p);
	if (parse_text(p, text, name, &found, err) < 0)
		return -1;
	if (!found) {
		dw_policy_release(p);
		if (parse_text(p, default_roles, "built-in defaults", &found, err) < 0)
			return -1;
		name = "built-in defaults";
	}
	if (!(p->source = strdup(name)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return 0;
}

int dw_policy_load(struct dw_policy *p, const char *config_path, struct dw_err *err)
{
	char *text = NULL;
	int rc;

	if (config_path && dw_ydoc_read_file(config_path, "configuration", &text, err) < 0) {
		free(text);
		memset(p, 0, sizeof *p);
		return -1;
	}
	rc = dw_policy_load_string(p, text ? text : "", config_path ? config_path : "(none)", err);
	free(text);
	return rc;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void dw_policy_release(struct dw_policy *p)
{
	for (size_t i = 0; p->roles && i < p->nroles; i++) {
		struct dw_policy_role *r = &p->roles[i];

		free(r->name);
		free_list(r->tables, r->ntables);
		for (size_t m = 0; m < r->nmasks; m++) {
			free(r->masks[m].table);
			free(r->masks[m].column);
			free(r->masks[m].to);
		}
		free(r->masks);
		for (size_t s = 0; s < r->nscopes; s++) {
			free(r->scopes[s].dimension);
			free_list(r->scopes[s].values, r->scopes[s].nvalues);
		}
		free(r->scopes);
	}
	free(p->roles);
	free(p->source);
	memset(p, 0, sizeof *p);
}

int dw_policy_reads(const struct dw_policy_role *r, const char *table)
{
	if (r->all_tables)
		return 1;
	for (size_t i = 0; i < r->ntables; i++)
		if (!strcmp(r->tables[i], table))
			return 1;
	return 0;
}

int dw_policy_rule_of(const struct dw_policy_role *r, const char *table, const char *column,
		      enum dw_policy_rule *rule, const char **to)
{
	for (size_t i = 0; i < r->nmasks; i++)
		if (!strcmp(r->masks[i].table, table) && !strcmp(r->masks[i].column, column)) {
			*rule = r->masks[i].rule;
			*to = r->masks[i].to;
			return 0;
		}
	if (!r->has_pii)
		return -1;
	*rule = r->pii;
	*to = "";
	return 0;
}

static const struct dw_kb_table *kb_table(const struct dw_kb *kb, const char *name)
{
	for (size_t i = 0; i < kb->ntables; i++)
		if (!strcmp(kb->tables[i].name, name))
			return &kb->tables[i];
	return NULL;
}

static int check_role(const struct dw_policy *p, const struct dw_policy_role *r,
		      const struct dw_kb *kb, struct dw_err *err)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (!kb_table(kb, r->tables[i]))
			return dw_err_set(err, DW_EX_CONFIG, "%s: role '%s': no table '%s' in the "
					  "knowledge file %s", p->source, r->name, r->tables[i],
					  kb->path);
	for (size_t i = 0; i < r->nmasks; i++) {
		const struct dw_kb_column *c = dw_kb_column(kb, r->masks[i].table,
							    r->masks[i].column);

		if (!c || !c->pii)
			return dw_err_set(err, DW_EX_CONFIG, "%s: role '%s': %s.%s is not personal "
					  "data in the knowledge file %s (pii: true)", p->source,
					  r->name, r->masks[i].table, r->masks[i].column, kb->path);
	}
	for (size_t i = 0; i < r->nscopes; i++)
		if (!dw_kb_dimension(kb, r->scopes[i].dimension))
			return dw_err_set(err, DW_EX_CONFIG, "%s: role '%s': scope: no dimension '%s' "
					  "in the knowledge file %s", p->source, r->name,
					  r->scopes[i].dimension, kb->path);
	for (size_t t = 0; t < kb->ntables; t++) {
		const struct dw_kb_table *kt = &kb->tables[t];

		for (size_t c = 0; dw_policy_reads(r, kt->name) && c < kt->ncolumns; c++) {
			enum dw_policy_rule rule;
			const char *to;

			if (kt->columns[c].pii &&
			    dw_policy_rule_of(r, kt->name, kt->columns[c].name, &rule, &to) < 0) {
				dw_err_set(err, DW_EX_CONFIG, "%s: role '%s' reads %s.%s, personal data, "
					   "with no rule", p->source, r->name, kt->name,
					   kt->columns[c].name);
				dw_err_hint(err, "give the role 'pii: RULE' or 'mask: {%s.%s: RULE}'",
					    kt->name, kt->columns[c].name);
				return -1;
			}
		}
	}
	return 0;
}

int dw_policy_check(const struct dw_policy *p, const struct dw_kb *kb, struct dw_err *err)
{
	for (size_t i = 0; i < p->nroles; i++)
		if (check_role(p, &p->roles[i], kb, err) < 0)
			return -1;
	return 0;
}
