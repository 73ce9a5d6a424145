/* Unit tests for lib/sqllex.c: comment forms per dialect, strings and their
 * escapes, quoted identifiers, dollar quoting, numbers, operators,
 * placeholders and variables, errors with offsets, never reading past the
 * given length, the placeholder list and string literals quoted per
 * dialect. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqllex.h"

#define MY DW_DB_MY
#define PG DW_DB_PG

/* ---- helpers ------------------------------------------------------------------ */

struct tok {
	enum dw_sqltok_kind kind;
	const char *text;
};

#define T(kind, text) { DW_SQLTOK_##kind, text }

static const char *kind_name(enum dw_sqltok_kind k)
{
	static const char *const names[] = { "WORD", "QIDENT", "STRING", "NUMBER", "OP",
					     "PARAM", "VAR", "SEMI", "COMMENT", "EXEC_COMMENT" };

	return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* Lexes sql from a heap copy exactly as long as it (no NUL after it, so
 * ASan catches a read past the end) and compares kinds and texts. */
static void check_lex(enum dw_db_kind d, const char *sql, const struct tok *want, size_t nwant)
{
	size_t len = strlen(sql), n;
	char *buf = malloc(len ? len : 1);
	struct dw_sqltok *toks;
	struct dw_err err;

	assert_non_null(buf);
	memcpy(buf, sql, len);
	if (dw_sqllex(buf, len, d, &toks, &n, &err) != 0)
		fail_msg("lexing \"%s\" failed: %s", sql, err.msg);
	for (size_t i = 0; i < n && i < nwant; i++) {
		if (toks[i].kind != want[i].kind || toks[i].len != strlen(want[i].text) ||
		    memcmp(buf + toks[i].off, want[i].text, toks[i].len))
			fail_msg("\"%s\" token %zu: got %s \"%.*s\", want %s \"%s\"", sql, i,
				 kind_name(toks[i].kind), (int)toks[i].len, buf + toks[i].off,
				 kind_name(want[i].kind), want[i].text);
	}
	if (n != nwant)
		fail_msg("\"%s\": %zu tokens, want %zu", sql, n, nwant);
	free(toks);
	free(buf);
}

#define CHECK(d, sql, ...)                                                   \
	do {                                                                 \
		const struct tok want_[] = { __VA_ARGS__ };                  \
		check_lex(d, sql, want_, sizeof want_ / sizeof want_[0]);    \
	} while (0)

/* Lexing must fail with a message containing msg. */
static void check_error(enum dw_db_kind d, const char *sql, size_t len, const char *msg)
{
	char *buf = malloc(len ? len : 1);
	struct dw_sqltok *toks = (struct dw_sqltok *)&toks;
	struct dw_err err;
	size_t n = 99;

	assert_non_null(buf);
	memcpy(buf, sql, len);
	dw_err_clear(&err);
	assert_int_equal(dw_sqllex(buf, len, d, &toks, &n, &err), -1);
	assert_null(toks);
	assert_int_equal(n, 0);
	assert_int_equal(err.code, DW_EX_DATAERR);
	if (!strstr(err.msg, msg))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", sql, err.msg, msg);
	free(buf);
}

/* ---- words, offsets, whitespace -------------------------------------------------- */

static void test_words_and_punctuation(void **state)
{
	CHECK(MY, "SELECT a, b FROM t", T(WORD, "SELECT"), T(WORD, "a"), T(OP, ","), T(WORD, "b"),
	      T(WORD, "FROM"), T(WORD, "t"));
	CHECK(PG, "f(x)[1]", T(WORD, "f"), T(OP, "("), T(WORD, "x"), T(OP, ")"), T(OP, "["),
	      T(NUMBER, "1"), T(OP, "]"));
	CHECK(MY, "a$b _x \xc3\xa9t\xc3\xa9", T(WORD, "a$b"), T(WORD, "_x"), T(WORD, "\xc3\xa9t\xc3\xa9"));
}

static void test_offsets(void **state)
{
	const char *sql = "  SELECT\t\f\vx;";
	struct dw_sqltok *toks;
	struct dw_err err;
	size_t n;

	assert_int_equal(dw_sqllex(sql, strlen(sql), MY, &toks, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(toks[0].off, 2);
	assert_int_equal(toks[0].len, 6);
	assert_int_equal(toks[1].off, 11);
	assert_int_equal(toks[1].len, 1);
	assert_int_equal(toks[2].kind, DW_SQLTOK_SEMI);
	assert_int_equal(toks[2].off, 12);
	free(toks);
}

static void test_empty_input(void **state)
{
	struct dw_sqltok *toks = (struct dw_sqltok *)&toks;
	struct dw_err err;
	size_t n = 5;

	assert_int_equal(dw_sqllex("", 0, PG, &toks, &n, &err), 0);
	assert_null(toks);
	assert_int_equal(n, 0);
	assert_int_equal(dw_sqllex(" \n\t ", 4, MY, &toks, &n, &err), 0);
	assert_null(toks);
	assert_int_equal(n, 0);
}

/* ---- comments ----------------------------------------------------------------------- */

static void test_dash_comment_mysql(void **state)
{
	/* MySQL needs whitespace or a control character after "--" */
	CHECK(MY, "1--1", T(NUMBER, "1"), T(OP, "-"), T(OP, "-"), T(NUMBER, "1"));
	CHECK(MY, "1 --'x'", T(NUMBER, "1"), T(OP, "-"), T(OP, "-"), T(STRING, "'x'"));
	CHECK(MY, "1 -- c\n2", T(NUMBER, "1"), T(COMMENT, "-- c"), T(NUMBER, "2"));
	CHECK(MY, "1 --\tc", T(NUMBER, "1"), T(COMMENT, "--\tc"));
	CHECK(MY, "1 --", T(NUMBER, "1"), T(COMMENT, "--"));
	/* MySQL ends it at \n only */
	CHECK(MY, "1 -- a\rb\n2", T(NUMBER, "1"), T(COMMENT, "-- a\rb"), T(NUMBER, "2"));
}

static void test_dash_comment_pg(void **state)
{
	CHECK(PG, "1--1", T(NUMBER, "1"), T(COMMENT, "--1"));
	CHECK(PG, "1 +-- c\n2", T(NUMBER, "1"), T(OP, "+"), T(COMMENT, "-- c"), T(NUMBER, "2"));
	/* PostgreSQL ends it at \r too: what follows is code */
	CHECK(PG, "1 --x\r, f(2)", T(NUMBER, "1"), T(COMMENT, "--x"), T(OP, ","), T(WORD, "f"),
	      T(OP, "("), T(NUMBER, "2"), T(OP, ")"));
}

static void test_hash(void **state)
{
	CHECK(MY, "1 # c ; d\n2", T(NUMBER, "1"), T(COMMENT, "# c ; d"), T(NUMBER, "2"));
	CHECK(PG, "1 # 2", T(NUMBER, "1"), T(OP, "#"), T(NUMBER, "2"));
	CHECK(PG, "j #>> '{a}'", T(WORD, "j"), T(OP, "#>>"), T(STRING, "'{a}'"));
}

static void test_block_comments(void **state)
{
	/* MySQL ends a comment at the first star-slash; PostgreSQL nests them */
	CHECK(MY, "/* a /* b */ c */", T(COMMENT, "/* a /* b */"), T(WORD, "c"), T(OP, "*"),
	      T(OP, "/"));
	CHECK(PG, "/* a /* b */ c */ d", T(COMMENT, "/* a /* b */ c */"), T(WORD, "d"));
	CHECK(MY, "1/**/2", T(NUMBER, "1"), T(COMMENT, "/**/"), T(NUMBER, "2"));
	CHECK(PG, "2*/*x*/3", T(NUMBER, "2"), T(OP, "*"), T(COMMENT, "/*x*/"), T(NUMBER, "3"));
}

static void test_exec_comments(void **state)
{
	CHECK(MY, "SELECT /*! 1 */", T(WORD, "SELECT"), T(EXEC_COMMENT, "/*! 1 */"));
	CHECK(MY, "/*!50000 DROP */x", T(EXEC_COMMENT, "/*!50000 DROP */"), T(WORD, "x"));
	CHECK(MY, "/*M!100000 x */", T(EXEC_COMMENT, "/*M!100000 x */"));
	CHECK(MY, "SELECT /*+ BKA(t) */ 1", T(WORD, "SELECT"), T(EXEC_COMMENT, "/*+ BKA(t) */"),
	      T(NUMBER, "1"));
	CHECK(MY, "/*M x */", T(COMMENT, "/*M x */"));
	/* plain comments in PostgreSQL */
	CHECK(PG, "/*! x */ /*+ y */", T(COMMENT, "/*! x */"), T(COMMENT, "/*+ y */"));
}

/* ---- strings and quoted identifiers --------------------------------------------------- */

static void test_strings_mysql(void **state)
{
	CHECK(MY, "'it''s'", T(STRING, "'it''s'"));
	CHECK(MY, "'a\\'; b' c", T(STRING, "'a\\'; b'"), T(WORD, "c"));
	CHECK(MY, "'a\\\\' b", T(STRING, "'a\\\\'"), T(WORD, "b"));
	CHECK(MY, "\"x\\\"y\"", T(STRING, "\"x\\\"y\""));
	CHECK(MY, "N'x\\'y' X'41' b'01' _utf8mb4'z'", T(STRING, "N'x\\'y'"), T(STRING, "X'41'"),
	      T(STRING, "b'01'"), T(STRING, "_utf8mb4'z'"));
	/* hex strings take no escapes */
	CHECK(MY, "X'\\' 'b'", T(STRING, "X'\\'"), T(STRING, "'b'"));
	CHECK(MY, "_utf8 'z'", T(WORD, "_utf8"), T(STRING, "'z'"));
	CHECK(MY, "'a\nb'", T(STRING, "'a\nb'"));
}

static void test_strings_pg(void **state)
{
	/* standard strings: backslash is an ordinary character */
	CHECK(PG, "'a\\'; b", T(STRING, "'a\\'"), T(SEMI, ";"), T(WORD, "b"));
	CHECK(PG, "'it''s'", T(STRING, "'it''s'"));
	CHECK(PG, "E'a\\'b' e'\\\\'", T(STRING, "E'a\\'b'"), T(STRING, "e'\\\\'"));
	CHECK(PG, "U&'d\\0061t' B'01' X'ff' N'n'", T(STRING, "U&'d\\0061t'"), T(STRING, "B'01'"),
	      T(STRING, "X'ff'"), T(STRING, "N'n'"));
	CHECK(PG, "\"x\" \"a\"\"b\"", T(QIDENT, "\"x\""), T(QIDENT, "\"a\"\"b\""));
	CHECK(PG, "U&\"d\\0061t\"", T(QIDENT, "U&\"d\\0061t\""));
	CHECK(PG, "u & 'x'", T(WORD, "u"), T(OP, "&"), T(STRING, "'x'"));
}

static void test_dollar_quoting(void **state)
{
	CHECK(PG, "$$it's; x$$ y", T(STRING, "$$it's; x$$"), T(WORD, "y"));
	CHECK(PG, "$fn$ $$ ' $fn$", T(STRING, "$fn$ $$ ' $fn$"));
	CHECK(PG, "$a$x$b$y$a$", T(STRING, "$a$x$b$y$a$"));
	CHECK(PG, "$1 + $23", T(PARAM, "$1"), T(OP, "+"), T(PARAM, "$23"));
	CHECK(PG, "x$1$", T(WORD, "x$1$"));
	CHECK(PG, "1$$a$$", T(NUMBER, "1"), T(STRING, "$$a$$"));
	/* MySQL has no dollar quoting: $ is an identifier character */
	CHECK(MY, "$$x", T(WORD, "$$x"));
}

static void test_quoted_identifiers(void **state)
{
	CHECK(MY, "`a``b` `sel ect`", T(QIDENT, "`a``b`"), T(QIDENT, "`sel ect`"));
	CHECK(MY, "\"not an ident\"", T(STRING, "\"not an ident\""));
	check_error(PG, "`x`", 3, "unexpected character '`' at offset 0");
}

/* ---- numbers, operators, placeholders, variables -------------------------------------- */

static void test_numbers(void **state)
{
	CHECK(MY, "1.5e-3 .5 0x1F 0b101 7. 2E9", T(NUMBER, "1.5e-3"), T(NUMBER, ".5"),
	      T(NUMBER, "0x1F"), T(NUMBER, "0b101"), T(NUMBER, "7."), T(NUMBER, "2E9"));
	/* MySQL identifiers may start with digits; PostgreSQL splits them */
	CHECK(MY, "123abc", T(WORD, "123abc"));
	CHECK(PG, "123abc", T(NUMBER, "123"), T(WORD, "abc"));
	CHECK(MY, "1.5x", T(NUMBER, "1.5"), T(WORD, "x"));
	CHECK(MY, "1e", T(WORD, "1e"));
	/* a dot after a name qualifies it */
	CHECK(MY, "t.5", T(WORD, "t"), T(OP, "."), T(NUMBER, "5"));
	CHECK(MY, "t .5", T(WORD, "t"), T(NUMBER, ".5"));
}

static void test_operators(void **state)
{
	CHECK(MY, "a<=>b a->>'$.x' a->'$' a:=1 a||b a<>b a!=b a<=b a>=b a&&b",
	      T(WORD, "a"), T(OP, "<=>"), T(WORD, "b"),
	      T(WORD, "a"), T(OP, "->>"), T(STRING, "'$.x'"),
	      T(WORD, "a"), T(OP, "->"), T(STRING, "'$'"),
	      T(WORD, "a"), T(OP, ":="), T(NUMBER, "1"),
	      T(WORD, "a"), T(OP, "||"), T(WORD, "b"),
	      T(WORD, "a"), T(OP, "<>"), T(WORD, "b"),
	      T(WORD, "a"), T(OP, "!="), T(WORD, "b"),
	      T(WORD, "a"), T(OP, "<="), T(WORD, "b"),
	      T(WORD, "a"), T(OP, ">="), T(WORD, "b"),
	      T(WORD, "a"), T(OP, "&&"), T(WORD, "b"));
	CHECK(PG, "x::int j @> k ~* 'a'", T(WORD, "x"), T(OP, "::"), T(WORD, "int"), T(WORD, "j"),
	      T(OP, "@>"), T(WORD, "k"), T(OP, "~*"), T(STRING, "'a'"));
	/* an operator never swallows the start of a comment */
	CHECK(PG, "1<--2", T(NUMBER, "1"), T(OP, "<"), T(COMMENT, "--2"));
}

static void test_placeholders(void **state)
{
	CHECK(MY, "a = ? AND b = :name", T(WORD, "a"), T(OP, "="), T(PARAM, "?"), T(WORD, "AND"),
	      T(WORD, "b"), T(OP, "="), T(PARAM, ":name"));
	CHECK(PG, "a::b :c", T(WORD, "a"), T(OP, "::"), T(WORD, "b"), T(PARAM, ":c"));
}

static void test_variables(void **state)
{
	CHECK(MY, "@x @'a b' @`q` @\"d\" @@global.max_connections @",
	      T(VAR, "@x"), T(VAR, "@'a b'"), T(VAR, "@`q`"), T(VAR, "@\"d\""),
	      T(VAR, "@@global.max_connections"), T(VAR, "@"));
	CHECK(MY, "1 INTO@x", T(NUMBER, "1"), T(WORD, "INTO"), T(VAR, "@x"));
	CHECK(PG, "@ -5", T(OP, "@"), T(OP, "-"), T(NUMBER, "5"));
}

static void test_semicolons(void **state)
{
	CHECK(MY, "a;b;", T(WORD, "a"), T(SEMI, ";"), T(WORD, "b"), T(SEMI, ";"));
}

/* ---- errors ---------------------------------------------------------------------------- */

static void test_unterminated(void **state)
{
	check_error(MY, "SELECT 'abc", 11, "unterminated string starting at offset 7");
	check_error(MY, "SELECT 'abc\\'", 13, "unterminated string starting at offset 7");
	check_error(MY, "SELECT 'abc\\", 12, "unterminated string starting at offset 7");
	check_error(PG, "x E'a\\'", 7, "unterminated string starting at offset 2");
	check_error(MY, "x `a``", 6, "unterminated quoted identifier starting at offset 2");
	check_error(PG, "x \"a", 4, "unterminated quoted identifier starting at offset 2");
	check_error(MY, "1 /* x", 6, "unterminated comment starting at offset 2");
	check_error(MY, "1 /*! x", 7, "unterminated comment starting at offset 2");
	check_error(PG, "1 /* /* */", 10, "unterminated comment starting at offset 2");
	check_error(PG, "$$ x", 4, "unterminated dollar-quoted string starting at offset 0");
	check_error(PG, "$a$ x $b$", 9, "unterminated dollar-quoted string starting at offset 0");
	check_error(MY, "@'x", 3, "unterminated variable name starting at offset 0");
}

static void test_unexpected_bytes(void **state)
{
	check_error(MY, "SELECT 1\\G", 10, "unexpected character '\\' at offset 8");
	check_error(MY, "SELECT 1\0; DROP", 15, "unexpected byte 0x00 at offset 8");
	check_error(PG, "SELECT \x01", 8, "unexpected byte 0x01 at offset 7");
	check_error(PG, "SELECT $", 8, "unexpected character '$' at offset 7");
	check_error(PG, "SELECT $a", 9, "unexpected character '$' at offset 7");
}

/* The length bounds the input: a string cut by len is unterminated even
 * though the buffer goes on. */
static void test_length_bounds_input(void **state)
{
	const char *sql = "SELECT 'abc' FROM t";
	struct dw_sqltok *toks;
	struct dw_err err;
	size_t n;

	check_error(MY, sql, 10, "unterminated string starting at offset 7");
	assert_int_equal(dw_sqllex(sql, 6, MY, &toks, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(toks[0].len, 6);
	free(toks);
}

/* Every prefix of tricky inputs, from exact-size heap buffers: lexing
 * succeeds or fails cleanly, and tokens stay inside the prefix. */
static void test_every_prefix(void **state)
{
	static const char *const inputs[] = {
		"SELECT 'a\\'b', `c``d`, \"e\\\"f\" /*! x */ /*M!1 y */ -- z\n# w\n@'v' @@g.h 0x1F 1e-5 ?",
		"SELECT E'a\\'b', U&\"c\", $t$ $ $t$, $1, /* /* */ */ --x\r\"q\"\"r\" :n x::int 1<=>2",
	};

	for (size_t k = 0; k < 2; k++) {
		size_t len = strlen(inputs[k]);

		for (size_t cut = 0; cut <= len; cut++) {
			for (int d = 0; d < 2; d++) {
				char *buf = malloc(cut ? cut : 1);
				struct dw_sqltok *toks;
				struct dw_err err;
				size_t n;

				assert_non_null(buf);
				memcpy(buf, inputs[k], cut);
				if (dw_sqllex(buf, cut, d ? PG : MY, &toks, &n, &err) == 0) {
					for (size_t i = 0; i < n; i++)
						assert_true(toks[i].off + toks[i].len <= cut);
					free(toks);
				} else {
					assert_int_equal(err.code, DW_EX_DATAERR);
				}
				free(buf);
			}
		}
	}
}

/* ---- helpers of the API ----------------------------------------------------------------- */

static void test_tok_is(void **state)
{
	const char *sql = "select <= 'select' `select`";
	struct dw_sqltok *toks;
	struct dw_err err;
	size_t n;

	assert_int_equal(dw_sqllex(sql, strlen(sql), MY, &toks, &n, &err), 0);
	assert_int_equal(n, 4);
	assert_true(dw_sqllex_tok_is(sql, &toks[0], "SELECT"));
	assert_true(dw_sqllex_tok_is(sql, &toks[0], "select"));
	assert_false(dw_sqllex_tok_is(sql, &toks[0], "SELEC"));
	assert_false(dw_sqllex_tok_is(sql, &toks[0], "SELECTS"));
	assert_true(dw_sqllex_tok_is(sql, &toks[1], "<="));
	assert_false(dw_sqllex_tok_is(sql, &toks[1], "<"));
	assert_false(dw_sqllex_tok_is(sql, &toks[2], "'select'"));   /* strings never match */
	assert_false(dw_sqllex_tok_is(sql, &toks[3], "`select`"));   /* nor quoted names */
	free(toks);
}

static void test_tok_name(void **state)
{
	const char *my = "abc `a``b` 'str' ``";
	const char *pg = "\"a\"\"b\" \"Mixed Case\"";
	struct dw_sqltok *toks;
	struct dw_err err;
	char buf[16];
	size_t n;

	assert_int_equal(dw_sqllex(my, strlen(my), MY, &toks, &n, &err), 0);
	assert_int_equal(n, 4);
	assert_int_equal(dw_sqllex_tok_name(my, &toks[0], buf, sizeof buf), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(dw_sqllex_tok_name(my, &toks[1], buf, sizeof buf), 3);
	assert_string_equal(buf, "a`b");
	assert_int_equal(dw_sqllex_tok_name(my, &toks[2], buf, sizeof buf), 0);   /* a string */
	assert_int_equal(dw_sqllex_tok_name(my, &toks[3], buf, sizeof buf), 0);   /* empty */
	assert_int_equal(dw_sqllex_tok_name(my, &toks[0], buf, 3), 0);            /* no room */
	assert_int_equal(dw_sqllex_tok_name(my, &toks[0], buf, 4), 3);
	free(toks);
	assert_int_equal(dw_sqllex(pg, strlen(pg), PG, &toks, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(dw_sqllex_tok_name(pg, &toks[0], buf, sizeof buf), 3);
	assert_string_equal(buf, "a\"b");
	assert_int_equal(dw_sqllex_tok_name(pg, &toks[1], buf, sizeof buf), 10);
	assert_string_equal(buf, "Mixed Case");
	assert_int_equal(dw_sqllex_tok_name(pg, &toks[1], buf, 10), 0);
	free(toks);
}

/* ---- placeholders and literals ------------------------------------------------------- */

static void test_params(void **state)
{
	const char *sql = "a = ? -- b = ?\n AND c = :x /* ? */ AND d = 'it\\'s ?' AND e = ?";
	struct dw_sqltok *p = (struct dw_sqltok *)&p;
	struct dw_err err;
	size_t n = 99;

	assert_int_equal(dw_sqllex_params(sql, strlen(sql), MY, &p, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(sql + p[0].off, "?", 1);
	assert_int_equal(p[0].off, 4);
	assert_memory_equal(sql + p[1].off, ":x", 2);
	assert_int_equal(p[1].len, 2);
	assert_int_equal(p[2].off, strlen(sql) - 1);
	free(p);
	assert_int_equal(dw_sqllex_params("a = '?'", 7, MY, &p, &n, &err), 0);
	assert_null(p);
	assert_int_equal(n, 0);
	dw_err_clear(&err);
	assert_int_equal(dw_sqllex_params("a = 'x", 6, MY, &p, &n, &err), -1);
	assert_null(p);
	assert_int_equal(n, 0);
	assert_int_equal(err.code, DW_EX_DATAERR);
}

/* The literal reads back as one string token spanning all of it. */
static void check_quote(enum dw_db_kind d, const char *value, const char *want)
{
	char *lit = dw_sqllex_quote(value, d);
	struct dw_sqltok *toks;
	struct dw_err err;
	size_t n;

	assert_non_null(lit);
	assert_string_equal(lit, want);
	assert_int_equal(dw_sqllex(lit, strlen(lit), d, &toks, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(toks[0].kind, DW_SQLTOK_STRING);
	assert_int_equal(toks[0].len, strlen(lit));
	free(toks);
	free(lit);
}

static void test_quote(void **state)
{
	check_quote(MY, "", "''");
	check_quote(MY, "plain ? -- text", "'plain ? -- text'");
	check_quote(MY, "it's", "'it''s'");
	check_quote(MY, "a\\", "'a\\\\'");
	check_quote(MY, "\\'; DROP TABLE t; -- ", "'\\\\''; DROP TABLE t; -- '");
	check_quote(PG, "it's a\\", "'it''s a\\'");   /* backslash is literal in PostgreSQL */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_punctuation),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_dash_comment_mysql),
		cmocka_unit_test(test_dash_comment_pg),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_block_comments),
		cmocka_unit_test(test_exec_comments),
		cmocka_unit_test(test_strings_mysql),
		cmocka_unit_test(test_strings_pg),
		cmocka_unit_test(test_dollar_quoting),
		cmocka_unit_test(test_quoted_identifiers),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_semicolons),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_unexpected_bytes),
		cmocka_unit_test(test_length_bounds_input),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_tok_is),
		cmocka_unit_test(test_tok_name),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
