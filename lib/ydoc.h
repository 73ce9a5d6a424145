/* ydoc: one YAML document (libyaml's document API) read with the errors
 * dw's files give: "FILE:LINE: message" (exit status DW_EX_CONFIG), unknown
 * keys with the closest known one as a hint, duplicate keys refused. The
 * knowledge file (kb.c) and the roles of dw.yaml (user/policy.c) are read
 * with it. */
#ifndef DW_YDOC_H
#define DW_YDOC_H

#include <yaml.h>

#include "err.h"

struct dw_ydoc {
	yaml_document_t doc;
	const char *name;          /* file name for messages */
	struct dw_err *err;
	int loaded;
};

/* Parses text (len bytes) as exactly one YAML document; what names it in
 * messages ("knowledge file"). Returns 0, or -1 with err: a syntax error
 * with its line, an empty document ("NAME: WHAT is empty"; with what NULL
 * an empty document is no error, and has no root), or a second
 * document ("NAME:LINE: only one YAML document is allowed"). y->name and
 * y->err must be set first, and a document parsed before freed. On success
 * y holds the document until dw_ydoc_free; on failure it holds none. */
int dw_ydoc_parse(struct dw_ydoc *y, const char *text, size_t len, const char *what);
/* Deletes the document if one is loaded; safe twice, and on a zeroed y. */
void dw_ydoc_free(struct dw_ydoc *y);
/* Reads the whole file at path into *text (the caller frees it); what
 * names it in messages ("cannot read WHAT 'PATH': reason", DW_EX_IOERR). */
int dw_ydoc_read_file(const char *path, const char *what, char **text, struct dw_err *err);

/* The root node, never NULL after a successful parse; NULL when none is
 * loaded. Nodes belong to the document (gone after dw_ydoc_free). */
yaml_node_t *dw_ydoc_root(struct dw_ydoc *y);
yaml_node_t *dw_ydoc_node(struct dw_ydoc *y, yaml_node_item_t id);
const char *dw_ydoc_text(const yaml_node_t *n);   /* a scalar's text */
int dw_ydoc_line(const yaml_node_t *n);           /* 1-based */

/* Sets err to "FILE:LINE: message" for node n (DW_EX_CONFIG); returns -1. */
int dw_ydoc_fail(struct dw_ydoc *y, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets err to "out of memory" (DW_EX_SOFTWARE); returns -1. */
int dw_ydoc_oom(struct dw_ydoc *y);
/* Adds "did you mean 'X'?" for the candidate closest to word, if any. */
void dw_ydoc_hint_closest(struct dw_ydoc *y, const char *word, const char *const *cands,
			  size_t n);

/* Checks that n is a mapping with scalar keys, each given once and, when
 * allowed (NULL-terminated) is given, one of those; where names it. */
int dw_ydoc_check_mapping(struct dw_ydoc *y, yaml_node_t *n, const char *where,
			  const char *const *allowed);
/* The value under key in a checked mapping, NULL when absent. */
yaml_node_t *dw_ydoc_value(struct dw_ydoc *y, yaml_node_t *map, const char *key);
/* strdup into *out; 0 or -1 (out of memory). */
int dw_ydoc_dup(struct dw_ydoc *y, const char *s, char **out);
/* v must be a scalar ("WHERE: 'KEY' must be a single value"); copied. */
int dw_ydoc_scalar(struct dw_ydoc *y, yaml_node_t *v, const char *where, const char *key,
		   char **out);
/* The scalar under key copied into *out; "" when absent unless required
 * ("'KEY' is missing"); a required one may not be empty. */
int dw_ydoc_get_text(struct dw_ydoc *y, yaml_node_t *map, const char *where, const char *key,
		     int required, char **out);
/* true or false under key; 0 when absent. */
int dw_ydoc_get_bool(struct dw_ydoc *y, yaml_node_t *map, const char *where, const char *key,
		     int *out);
/* [a-z_][a-z0-9_]*: 1 when s is such a name. */
int dw_ydoc_valid_name(const char *s);
/* Refuses an invalid name with a hint; 0 or -1. */
int dw_ydoc_check_name(struct dw_ydoc *y, const yaml_node_t *n, const char *where,
		       const char *name);
/* A required name under key. */
int dw_ydoc_get_name(struct dw_ydoc *y, yaml_node_t *map, const char *where, const char *key,
		     char **out);

#endif
