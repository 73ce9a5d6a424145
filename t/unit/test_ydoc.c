/* Unit tests for lib/ydoc.c on its own: one document per file (syntax
 * errors with their line, empty and second documents), mappings checked
 * for duplicate and unknown keys (with a hint), and the typed getters. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "ydoc.h"

/* ---- helpers ------------------------------------------------------------ */

/* A fresh y reading "t.yaml" into err. */
static void start(struct dw_ydoc *y, struct dw_err *err)
{
	memset(y, 0, sizeof *y);
	y->name = "t.yaml";
	y->err = err;
	dw_err_clear(err);
}

/* Parses text, which must be one valid document; returns its root. */
static yaml_node_t *parse_ok(struct dw_ydoc *y, struct dw_err *err, const char *text)
{
	start(y, err);
	if (dw_ydoc_parse(y, text, strlen(text), "test file") != 0)
		fail_msg("parse failed: %s", err->msg);
	assert_true(y->loaded);
	assert_non_null(dw_ydoc_root(y));
	return dw_ydoc_root(y);
}

/* Parses text, which must fail with a configuration error and leave no
 * document behind; err tells why. */
static void parse_fails(struct dw_ydoc *y, struct dw_err *err, const char *text)
{
	start(y, err);
	assert_int_equal(dw_ydoc_parse(y, text, strlen(text), "test file"), -1);
	assert_int_equal(err->code, DW_EX_CONFIG);
	assert_false(y->loaded);
	assert_null(dw_ydoc_root(y));
	dw_ydoc_free(y);
}

/* ---- the document ------------------------------------------------------- */

static void test_syntax_error_line(void **state)
{
	struct dw_ydoc y;
	struct dw_err err;

	(void)state;
	parse_fails(&y, &err, "a: 1\nb: 2\n  c: 3\n");
	/* "t.yaml:3: " and then libyaml's own words for the problem. */
	assert_memory_equal(err.msg, "t.yaml:3: ", 10);
	assert_true(strlen(err.msg) > 10);

	/* One in a second document too (the list ends with the stream). */
	parse_fails(&y, &err, "a: 1\n---\nb: [1, 2\n");
	assert_memory_equal(err.msg, "t.yaml:4: ", 10);
	assert_true(strlen(err.msg) > 10);
}

static void test_empty_document(void **state)
{
	struct dw_ydoc y;
	struct dw_err err;

	(void)state;
	parse_fails(&y, &err, "");
	assert_string_equal(err.msg, "t.yaml: test file is empty");

	start(&y, &err);
	assert_int_equal(dw_ydoc_parse(&y, "# nothing\n", 10, "knowledge file"), -1);
	assert_string_equal(err.msg, "t.yaml: knowledge file is empty");
	assert_false(y.loaded);

	/* Without a name for it, an empty document is no error: no root. */
	start(&y, &err);
	assert_int_equal(dw_ydoc_parse(&y, "# nothing\n", 10, NULL), 0);
	assert_null(dw_ydoc_root(&y));
	dw_ydoc_free(&y);
}

static void test_second_document(void **state)
{
	struct dw_ydoc y;
	struct dw_err err;

	(void)state;
	parse_fails(&y, &err, "a: 1\n---\nb: 2\n");
	assert_string_equal(err.msg, "t.yaml:3: only one YAML document is allowed");

	/* An explicit end of the document, then nothing, is one document. */
	parse_ok(&y, &err, "---\na: 1\n...\n");
	dw_ydoc_free(&y);
}

/* Only len bytes are read: the text need not end with a NUL there. */
static void test_parse_reads_len_bytes(void **state)
{
	struct dw_ydoc y;
	struct dw_err err;
	yaml_node_t *root;

	(void)state;
	start(&y, &err);
	assert_int_equal(dw_ydoc_parse(&y, "a: 1\nb: [", 5, "test file"), 0);
	root = dw_ydoc_root(&y);
	assert_int_equal(root->type, YAML_MAPPING_NODE);
	assert_int_equal(root->data.mapping.pairs.top - root->data.mapping.pairs.start, 1);
	dw_ydoc_free(&y);
}

static void test_free_is_safe(void **state)
{
	struct dw_ydoc y = { 0 };
	struct dw_err err;

	(void)state;
	dw_ydoc_free(&y);              /* never parsed */
	dw_ydoc_free(&y);
	assert_null(dw_ydoc_root(&y));

	parse_ok(&y, &err, "a: 1\n");
	dw_ydoc_free(&y);
	assert_false(y.loaded);
	assert_null(dw_ydoc_root(&y));
	dw_ydoc_free(&y);              /* twice */
}

/* ---- nodes and mappings ------------------------------------------------- */

static void test_nodes_and_lines(void **state)
{
	struct dw_ydoc y;
	struct dw_err err;
	yaml_node_t *root = parse_ok(&y, &err, "# a comment\nname: shop\nlist: [x, y]\n");
	yaml_node_t *v;

	(void)state;
	assert_int_equal(dw_ydoc_check_mapping(&y, root, "top level", NULL), 0);
	assert_int_equal(dw_ydoc_line(root), 2);
	v = dw_ydoc_value(&y, root, "name");
	assert_non_null(v);
	assert_string_equal(dw_ydoc_text(v), "shop");
	assert_int_equal(dw_ydoc_line(v), 2);
	v = dw_ydoc_value(&y, root, "list");
	assert_int_equal(v->type, YAML_SEQUENCE_NODE);
	assert_int_equal(dw_ydoc_line(v), 3);
	assert_string_equal(dw_ydoc_text(dw_ydoc_node(&y, v->data.sequence.items.start[1])), "y");
	assert_null(dw_ydoc_value(&y, root, "nam"));
	assert_int_equal(err.code, 0);
	dw_ydoc_free(&y);
}

static void test_mapping_required(void **state)
{
	struct dw_ydoc y;
	struct dw_err err;
	yaml_node_t *root = parse_ok(&y, &err, "- a\n- b\n");

	(void)state;
	assert_int_equal(dw_ydoc_check_mapping(&y, root, "roles", NULL), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_string_equal(err.msg, "t.yaml:1: roles must be a mapping");
	dw_ydoc_free(&y);

	root = parse_ok(&y, &err, "a: 1\n[x]: 2\n");
	assert_int_equal(dw_ydoc_check_mapping(&y, root, "roles", NULL), -1);
	assert_string_equal(err.msg, "t.yaml:2: expected a key in roles");
	dw_ydoc_free(&y);
}

static void test_duplicate_key(void **state)
{
	struct dw_ydoc y;
	struct dw_err err;
	yaml_node_t *root = parse_ok(&y, &err, "a: 1\nb: 2\na: 3\n");

	(void)state;
	assert_int_equal(dw_ydoc_check_mapping(&y, root, "top level", NULL), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_string_equal(err.msg, "t.yaml:3: duplicate key 'a' in top level");
	dw_ydoc_free(&y);
}

static void test_unknown_key_hint(void **state)
{
	static const char *const keys[] = { "name", "synonyms", "table", NULL };
	struct dw_ydoc y;
	struct dw_err err;
	yaml_node_t *root = parse_ok(&y, &err, "name: a\nsynonym: [b]\n");

	(void)state;
	assert_int_equal(dw_ydoc_check_mapping(&y, root, "metrics", keys), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_string_equal(err.msg, "t.yaml:2: unknown key 'synonym' in metrics");
	assert_string_equal(err.hint, "did you mean 'synonyms'?");
	dw_ydoc_free(&y);

	root = parse_ok(&y, &err, "table: t\nname: a\nquestion: x\n");
	assert_int_equal(dw_ydoc_check_mapping(&y, root, "metrics", keys), -1);
	assert_string_equal(err.msg, "t.yaml:3: unknown key 'question' in metrics");
	assert_string_equal(err.hint, "");   /* nothing close */
	dw_ydoc_free(&y);

	root = parse_ok(&y, &err, "table: t\nname: a\n");
	assert_int_equal(dw_ydoc_check_mapping(&y, root, "metrics", keys), 0);
	assert_int_equal(err.code, 0);
	dw_ydoc_free(&y);
}

/* ---- typed values ------------------------------------------------------- */

static void test_get_text(void **state)
{
	struct dw_ydoc y;
	struct dw_err err;
	yaml_node_t *root = parse_ok(&y, &err, "a: hello\nempty: ''\nlist: [1]\n");
	char *s = NULL;

	(void)state;
	assert_int_equal(dw_ydoc_get_text(&y, root, "top", "a", 1, &s), 0);
	assert_string_equal(s, "hello");
	free(s);
	assert_int_equal(dw_ydoc_get_text(&y, root, "top", "absent", 0, &s), 0);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(dw_ydoc_get_text(&y, root, "top", "empty", 0, &s), 0);
	assert_string_equal(s, "");
	free(s);

	assert_int_equal(dw_ydoc_get_text(&y, root, "top", "absent", 1, &s), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_string_equal(err.msg, "t.yaml:1: top: 'absent' is missing");

	s = NULL;
	assert_int_equal(dw_ydoc_get_text(&y, root, "top", "empty", 1, &s), -1);
	assert_string_equal(err.msg, "t.yaml:2: top: 'empty' is empty");
	free(s);

	s = NULL;
	assert_int_equal(dw_ydoc_get_text(&y, root, "top", "list", 0, &s), -1);
	assert_string_equal(err.msg, "t.yaml:3: top: 'list' must be a single value");
	free(s);
	dw_ydoc_free(&y);
}

static void test_get_bool(void **state)
{
	struct dw_ydoc y;
	struct dw_err err;
	yaml_node_t *root = parse_ok(&y, &err, "yes: true\nno: false\nmaybe: yes\nl: [true]\n");
	int b;

	(void)state;
	b = 0;
	assert_int_equal(dw_ydoc_get_bool(&y, root, "col", "yes", &b), 0);
	assert_int_equal(b, 1);
	b = 7;
	assert_int_equal(dw_ydoc_get_bool(&y, root, "col", "no", &b), 0);
	assert_int_equal(b, 0);
	b = 7;
	assert_int_equal(dw_ydoc_get_bool(&y, root, "col", "absent", &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(err.code, 0);

	assert_int_equal(dw_ydoc_get_bool(&y, root, "col", "maybe", &b), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_string_equal(err.msg, "t.yaml:3: col: 'maybe' must be true or false");
	assert_int_equal(dw_ydoc_get_bool(&y, root, "col", "l", &b), -1);
	assert_string_equal(err.msg, "t.yaml:4: col: 'l' must be true or false");
	dw_ydoc_free(&y);
}

static void test_names(void **state)
{
	struct dw_ydoc y;
	struct dw_err err;
	yaml_node_t *root = parse_ok(&y, &err, "good: ab_1\nbad: 1ab\nupper: Ab\n");
	char *s = NULL;

	(void)state;
	assert_true(dw_ydoc_valid_name("ab_1"));
	assert_true(dw_ydoc_valid_name("_x"));
	assert_true(dw_ydoc_valid_name("z"));
	assert_false(dw_ydoc_valid_name(""));
	assert_false(dw_ydoc_valid_name("1ab"));
	assert_false(dw_ydoc_valid_name("Ab"));
	assert_false(dw_ydoc_valid_name("a-b"));
	assert_false(dw_ydoc_valid_name("a b"));
	assert_false(dw_ydoc_valid_name("caf\xc3\xa9"));

	assert_int_equal(dw_ydoc_check_name(&y, root, "roles", "ok_name"), 0);
	assert_int_equal(err.code, 0);
	assert_int_equal(dw_ydoc_check_name(&y, dw_ydoc_value(&y, root, "bad"), "roles", "1ab"),
			 -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_string_equal(err.msg, "t.yaml:2: roles: '1ab' is not a valid name");
	assert_string_equal(err.hint, "names are lower case letters, digits and '_', "
				      "not starting with a digit");

	assert_int_equal(dw_ydoc_get_name(&y, root, "top", "good", &s), 0);
	assert_string_equal(s, "ab_1");
	free(s);
	s = NULL;
	assert_int_equal(dw_ydoc_get_name(&y, root, "top", "upper", &s), -1);
	assert_string_equal(err.msg, "t.yaml:3: top: 'Ab' is not a valid name");
	free(s);
	dw_ydoc_free(&y);
}

static void test_fail_and_hint(void **state)
{
	static const char *const cands[] = { "generalize", "hash", "redact" };
	struct dw_ydoc y;
	struct dw_err err;
	yaml_node_t *root = parse_ok(&y, &err, "\n\nrule: hahs\n");
	yaml_node_t *v = dw_ydoc_value(&y, root, "rule");

	(void)state;
	assert_int_equal(dw_ydoc_fail(&y, v, "unknown rule '%s'", dw_ydoc_text(v)), -1);
	dw_ydoc_hint_closest(&y, dw_ydoc_text(v), cands, 3);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_string_equal(err.msg, "t.yaml:3: unknown rule 'hahs'");
	assert_string_equal(err.hint, "did you mean 'hash'?");

	assert_int_equal(dw_ydoc_oom(&y), -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_string_equal(err.msg, "out of memory");
	dw_ydoc_free(&y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syntax_error_line),
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_second_document),
		cmocka_unit_test(test_parse_reads_len_bytes),
		cmocka_unit_test(test_free_is_safe),
		cmocka_unit_test(test_nodes_and_lines),
		cmocka_unit_test(test_mapping_required),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_unknown_key_hint),
		cmocka_unit_test(test_get_text),
		cmocka_unit_test(test_get_bool),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_fail_and_hint),
	};

	return cmocka_run_group_tests_name("ydoc", tests, NULL, NULL);
}
