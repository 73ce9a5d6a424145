#include "ydoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* ---- the document ------------------------------------------------------- */

static int parser_failed(struct dw_ydoc *y, const yaml_parser_t *parser)
{
	if (parser->error == YAML_MEMORY_ERROR)
		return dw_ydoc_oom(y);
	return dw_err_set(y->err, DW_EX_CONFIG, "%s:%zu: %s", y->name,
			  parser->problem_mark.line + 1,
			  parser->problem ? parser->problem : "YAML syntax error");
}

/* Loads the first document of the stream into y->doc and makes sure no
 * second one follows (it would be silently ignored otherwise). */
static int load_one(struct dw_ydoc *y, yaml_parser_t *parser, const char *what)
{
	yaml_document_t next;
	yaml_node_t *extra;
	int rc;

	if (!yaml_parser_load(parser, &y->doc))
		return parser_failed(y, parser);
	y->loaded = 1;
	if (!yaml_document_get_root_node(&y->doc))
		return what ? dw_err_set(y->err, DW_EX_CONFIG, "%s: %s is empty", y->name, what) : 0;
	if (!yaml_parser_load(parser, &next))
		return parser_failed(y, parser);
	extra = yaml_document_get_root_node(&next);
	rc = extra ? dw_err_set(y->err, DW_EX_CONFIG, "%s:%zu: only one YAML document is allowed",
				y->name, extra->start_mark.line + 1)
		   : 0;
	yaml_document_delete(&next);
	return rc;
}

int dw_ydoc_parse(struct dw_ydoc *y, const char *text, size_t len, const char *what)
{
	yaml_parser_t parser;
	int rc;

	y->loaded = 0;
	if (!yaml_parser_initialize(&parser))
		return dw_ydoc_oom(y);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	rc = load_one(y, &parser, what);
	yaml_parser_delete(&parser);
	if (rc < 0)
		dw_ydoc_free(y);
	return rc;
}

void dw_ydoc_free(struct dw_ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = 0;
}

yaml_node_t *dw_ydoc_root(struct dw_ydoc *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *dw_ydoc_node(struct dw_ydoc *y, yaml_node_item_t id)
{
	return yaml_document_get_node(&y->doc, id);
}

const char *dw_ydoc_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

int dw_ydoc_line(const yaml_node_t *n)
{
	return (int)n->start_mark.line + 1;
}

/* ---- errors ------------------------------------------------------------- */

int dw_ydoc_fail(struct dw_ydoc *y, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[DW_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return dw_err_set(y->err, DW_EX_CONFIG, "%s:%d: %s", y->name, dw_ydoc_line(n), msg);
}

int dw_ydoc_oom(struct dw_ydoc *y)
{
	return dw_err_set(y->err, DW_EX_SOFTWARE, "out of memory");
}

void dw_ydoc_hint_closest(struct dw_ydoc *y, const char *word, const char *const *cands,
			  size_t n)
{
	const char *best = dw_text_closest(word, cands, n, 3);

	if (best)
		dw_err_hint(y->err, "did you mean '%s'?", best);
}

/* ---- mappings and values ------------------------------------------------ */

int dw_ydoc_check_mapping(struct dw_ydoc *y, yaml_node_t *n, const char *where,
			  const char *const *allowed)
{
	yaml_node_pair_t *start, *p;
	size_t i;

	if (n->type != YAML_MAPPING_NODE)
		return dw_ydoc_fail(y, n, "%s must be a mapping", where);
	start = n->data.mapping.pairs.start;
	for (p = start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = dw_ydoc_node(y, p->key);

		if (k->type != YAML_SCALAR_NODE)
			return dw_ydoc_fail(y, k, "expected a key in %s", where);
		for (yaml_node_pair_t *q = start; q < p; q++)
			if (!strcmp(dw_ydoc_text(dw_ydoc_node(y, q->key)), dw_ydoc_text(k)))
				return dw_ydoc_fail(y, k, "duplicate key '%s' in %s",
						    dw_ydoc_text(k), where);
		for (i = 0; allowed && allowed[i] && strcmp(allowed[i], dw_ydoc_text(k)); i++)
			;
		if (allowed && !allowed[i]) {
			dw_ydoc_fail(y, k, "unknown key '%s' in %s", dw_ydoc_text(k), where);
			dw_ydoc_hint_closest(y, dw_ydoc_text(k), allowed, i);
			return -1;
		}
	}
	return 0;
}

yaml_node_t *dw_ydoc_value(struct dw_ydoc *y, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++)
		if (!strcmp(dw_ydoc_text(dw_ydoc_node(y, p->key)), key))
			return dw_ydoc_node(y, p->value);
	return NULL;
}

int dw_ydoc_dup(struct dw_ydoc *y, const char *s, char **out)
{
	*out = strdup(s);
	return *out ? 0 : dw_ydoc_oom(y);
}

int dw_ydoc_scalar(struct dw_ydoc *y, yaml_node_t *v, const char *where, const char *key,
		   char **out)
{
	if (v->type != YAML_SCALAR_NODE)
		return dw_ydoc_fail(y, v, "%s: '%s' must be a single value", where, key);
	return dw_ydoc_dup(y, dw_ydoc_text(v), out);
}

int dw_ydoc_get_text(struct dw_ydoc *y, yaml_node_t *map, const char *where, const char *key,
		     int required, char **out)
{
	yaml_node_t *v = dw_ydoc_value(y, map, key);

	if (!v && required)
		return dw_ydoc_fail(y, map, "%s: '%s' is missing", where, key);
	if (!v)
		return dw_ydoc_dup(y, "", out);
	if (dw_ydoc_scalar(y, v, where, key, out) < 0)
		return -1;
	if (required && !**out)
		return dw_ydoc_fail(y, v, "%s: '%s' is empty", where, key);
	return 0;
}

int dw_ydoc_get_bool(struct dw_ydoc *y, yaml_node_t *map, const char *where, const char *key,
		     int *out)
{
	yaml_node_t *v = dw_ydoc_value(y, map, key);

	*out = 0;
	if (!v)
		return 0;
	if (v->type == YAML_SCALAR_NODE && !strcmp(dw_ydoc_text(v), "true"))
		return *out = 1, 0;
	if (v->type == YAML_SCALAR_NODE && !strcmp(dw_ydoc_text(v), "false"))
		return 0;
	return dw_ydoc_fail(y, v, "%s: '%s' must be true or false", where, key);
}

/* ---- names -------------------------------------------------------------- */

/* Byte ranges rather than islower()/isdigit(), so the locale cannot widen
 * what a name may hold. */
int dw_ydoc_valid_name(const char *s)
{
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (p > s && *p >= '0' && *p <= '9')))
			return 0;
	return *s != '\0';
}

int dw_ydoc_check_name(struct dw_ydoc *y, const yaml_node_t *n, const char *where,
		       const char *name)
{
	if (dw_ydoc_valid_name(name))
		return 0;
	dw_ydoc_fail(y, n, "%s: '%s' is not a valid name", where, name);
	dw_err_hint(y->err,
		    "names are lower case letters, digits and '_', not starting with a digit");
	return -1;
}

int dw_ydoc_get_name(struct dw_ydoc *y, yaml_node_t *map, const char *where, const char *key,
		     char **out)
{
	if (dw_ydoc_get_text(y, map, where, key, 1, out) < 0)
		return -1;
	return dw_ydoc_check_name(y, dw_ydoc_value(y, map, key), where, *out);
}

int dw_ydoc_read_file(const char *path, const char *what, char **text, struct dw_err *err)
{
	FILE *fp = fopen(path, "rb"), *mem;
	char buf[8192];
	size_t len = 0, n;
	int failed;

	*text = NULL;
	if (!fp)
		return dw_err_set(err, DW_EX_IOERR, "cannot read %s '%s': %s", what, path,
				  strerror(errno));
	mem = open_memstream(text, &len);
	if (!mem) {
		fclose(fp);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		fwrite(buf, 1, n, mem);
	failed = ferror(fp);
	fclose(fp);
	if (fclose(mem) != 0)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (failed)
		return dw_err_set(err, DW_EX_IOERR, "cannot read %s '%s'", what, path);
	return 0;
}
