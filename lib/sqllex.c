#include "sqllex.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct lexer {
	const char *s;
	size_t len, pos;
	enum dw_db_kind dialect;
	struct dw_sqltok *v;
	size_t n, cap;
	struct dw_err *err;
};

/* Byte at i as 0..255, or -1 past the end: the lexer never reads beyond len. */
static int at(const struct lexer *lx, size_t i)
{
	return i < lx->len ? (unsigned char)lx->s[i] : -1;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Both servers accept any byte >= 0x80 (UTF-8) in unquoted identifiers. */
static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int is_ident_char(int c)
{
	return is_ident_start(c) || is_digit(c) || c == '$';
}

static int push(struct lexer *lx, enum dw_sqltok_kind kind, size_t start)
{
	if (lx->n == lx->cap) {
		size_t cap = lx->cap ? lx->cap * 2 : 64;
		struct dw_sqltok *v = realloc(lx->v, cap * sizeof *v);

		if (!v)
			return dw_err_set(lx->err, DW_EX_SOFTWARE, "out of memory");
		lx->v = v;
		lx->cap = cap;
	}
	lx->v[lx->n++] = (struct dw_sqltok){ .kind = kind, .off = start, .len = lx->pos - start };
	return 0;
}

static int unterminated(struct lexer *lx, const char *what, size_t start)
{
	return dw_err_set(lx->err, DW_EX_DATAERR, "unterminated %s starting at offset %zu", what,
			  start);
}

/* Skips a run of [A-Za-z0-9_$\x80-]. */
static void skip_ident_chars(struct lexer *lx)
{
	while (is_ident_char(at(lx, lx->pos)))
		lx->pos++;
}

/* Scans a quoted run from the opening quote at pos to just past the closing
 * one. A doubled quote stands for itself; with backslash, \x escapes any
 * byte. Returns 0, or -1 when the input ends first. */
static int skip_quoted(struct lexer *lx, int quote, int backslash)
{
	lx->pos++;
	while (lx->pos < lx->len) {
		int c = at(lx, lx->pos);

		if (backslash && c == '\\') {
			if (lx->pos + 1 >= lx->len)
				break;
			lx->pos += 2;
		} else if (c == quote) {
			lx->pos++;
			if (at(lx, lx->pos) != quote)
				return 0;
			lx->pos++;
		} else {
			lx->pos++;
		}
	}
	return -1;
}

static int lex_quoted(struct lexer *lx, size_t start, int quote, int backslash,
		      enum dw_sqltok_kind kind)
{
	if (skip_quoted(lx, quote, backslash) < 0)
		return unterminated(lx, kind == DW_SQLTOK_QIDENT ? "quoted identifier" : "string",
				    start);
	return push(lx, kind, start);
}

/* "--" starts a comment in PostgreSQL always, in MySQL only when followed
 * by whitespace, a control character or the end ("1--1" is 1 - -1). */
static int dash_comment_starts(const struct lexer *lx)
{
	int c;

	if (at(lx, lx->pos) != '-' || at(lx, lx->pos + 1) != '-')
		return 0;
	if (lx->dialect == DW_DB_PG)
		return 1;
	c = at(lx, lx->pos + 2);
	return c < 0 || c <= ' ' || c == 0x7f;
}

/* MySQL ends a line comment at \n only, PostgreSQL at \r too. */
static int lex_line_comment(struct lexer *lx, size_t start)
{
	int c;

	while ((c = at(lx, lx->pos)) >= 0 && c != '\n' && !(c == '\r' && lx->dialect == DW_DB_PG))
		lx->pos++;
	return push(lx, DW_SQLTOK_COMMENT, start);
}

/* MySQL runs the inside of a block comment opening with "!" (optionally
 * followed by a version number) or MariaDB's "M!" as code, and reads one
 * opening with "+" as optimizer hints. */
static int is_exec_comment(const struct lexer *lx, size_t start)
{
	int c = at(lx, start + 2);

	if (lx->dialect != DW_DB_MY)
		return 0;
	return c == '!' || c == '+' || (c == 'M' && at(lx, start + 3) == '!');
}

/* PostgreSQL nests block comments; MySQL ends one at the first star-slash. */
static int lex_block_comment(struct lexer *lx, size_t start)
{
	size_t depth = 1;

	lx->pos += 2;
	while (lx->pos < lx->len) {
		if (at(lx, lx->pos) == '*' && at(lx, lx->pos + 1) == '/') {
			lx->pos += 2;
			if (--depth == 0)
				return push(lx, is_exec_comment(lx, start) ? DW_SQLTOK_EXEC_COMMENT
									  : DW_SQLTOK_COMMENT,
					    start);
		} else if (lx->dialect == DW_DB_PG && at(lx, lx->pos) == '/' &&
			   at(lx, lx->pos + 1) == '*') {
			lx->pos += 2;
			depth++;
		} else {
			lx->pos++;
		}
	}
	return unterminated(lx, "comment", start);
}

/* Digits with optional fraction and exponent, or 0x / 0b literals. In
 * MySQL an identifier may start with digits ("1st"), so an integer running
 * into letters is a word there. */
static int lex_number(struct lexer *lx, size_t start)
{
	int c = at(lx, lx->pos), next = at(lx, lx->pos + 1);
	int is_integer = 1;

	if (c == '0' && (next == 'x' || next == 'X') && isxdigit(at(lx, lx->pos + 2))) {
		lx->pos += 2;
		while (isxdigit(at(lx, lx->pos)))
			lx->pos++;
	} else if (c == '0' && (next == 'b' || next == 'B') &&
		   (at(lx, lx->pos + 2) == '0' || at(lx, lx->pos + 2) == '1')) {
		lx->pos += 2;
		while (at(lx, lx->pos) == '0' || at(lx, lx->pos) == '1')
			lx->pos++;
	} else {
		while (is_digit(at(lx, lx->pos)))
			lx->pos++;
		if (at(lx, lx->pos) == '.') {
			is_integer = 0;
			lx->pos++;
			while (is_digit(at(lx, lx->pos)))
				lx->pos++;
		}
		c = at(lx, lx->pos);
		next = at(lx, lx->pos + 1);
		if ((c == 'e' || c == 'E') &&
		    (is_digit(next) || ((next == '+' || next == '-') &&
					is_digit(at(lx, lx->pos + 2))))) {
			is_integer = 0;
			lx->pos += 2;
			while (is_digit(at(lx, lx->pos)))
				lx->pos++;
		}
	}
	if (lx->dialect == DW_DB_MY && is_integer && is_ident_char(at(lx, lx->pos))) {
		skip_ident_chars(lx);
		return push(lx, DW_SQLTOK_WORD, start);
	}
	return push(lx, DW_SQLTOK_NUMBER, start);
}

/* The string rules a one-word prefix right before a quote selects:
 * 1 with backslash escapes, 0 without, -1 when the word is no prefix. */
static int string_prefix(const struct lexer *lx, size_t start, size_t len)
{
	const char *w = lx->s + start;
	int my = lx->dialect == DW_DB_MY;

	if (len == 1 && strchr("xXbB", *w))
		return 0;   /* hex and bit strings hold no escapes */
	if (len == 1 && (*w == 'n' || *w == 'N'))
		return my;
	if (len == 1 && (*w == 'e' || *w == 'E') && !my)
		return 1;
	if (len > 1 && *w == '_' && my)
		return 1;   /* a character set introducer: _utf8mb4'..' */
	return -1;
}

static int lex_word(struct lexer *lx, size_t start)
{
	int backslash;

	skip_ident_chars(lx);
	if (at(lx, lx->pos) == '\'' &&
	    (backslash = string_prefix(lx, start, lx->pos - start)) >= 0)
		return lex_quoted(lx, start, '\'', backslash, DW_SQLTOK_STRING);
	/* PostgreSQL Unicode escapes: U&'..' is a string, U&".." an identifier;
	 * backslash starts an escape there but cannot escape the quote. */
	if (lx->dialect == DW_DB_PG && lx->pos - start == 1 && (lx->s[start] | 0x20) == 'u' &&
	    at(lx, lx->pos) == '&' && (at(lx, lx->pos + 1) == '\'' || at(lx, lx->pos + 1) == '"')) {
		int quote = at(lx, ++lx->pos);

		return lex_quoted(lx, start, quote, 0,
				  quote == '"' ? DW_SQLTOK_QIDENT : DW_SQLTOK_STRING);
	}
	return push(lx, DW_SQLTOK_WORD, start);
}

/* PostgreSQL: $1 is a parameter, $tag$ .. $tag$ (tag optional) a string. */
static int lex_dollar(struct lexer *lx, size_t start)
{
	size_t tag_len;

	lx->pos++;
	if (is_digit(at(lx, lx->pos))) {
		while (is_digit(at(lx, lx->pos)))
			lx->pos++;
		return push(lx, DW_SQLTOK_PARAM, start);
	}
	if (is_ident_start(at(lx, lx->pos)))
		while (is_ident_start(at(lx, lx->pos)) || is_digit(at(lx, lx->pos)))
			lx->pos++;
	if (at(lx, lx->pos) != '$')
		return dw_err_set(lx->err, DW_EX_DATAERR, "unexpected character '$' at offset %zu",
				  start);
	lx->pos++;
	tag_len = lx->pos - start;
	while (lx->pos < lx->len) {
		if (at(lx, lx->pos) == '$' && lx->len - lx->pos >= tag_len &&
		    !memcmp(lx->s + lx->pos, lx->s + start, tag_len)) {
			lx->pos += tag_len;
			return push(lx, DW_SQLTOK_STRING, start);
		}
		lx->pos++;
	}
	return unterminated(lx, "dollar-quoted string", start);
}

/* MySQL: @name, @'name', @"name", @`name`, @@name, @@global.name. */
static int lex_variable(struct lexer *lx, size_t start)
{
	int c;

	lx->pos++;
	if (at(lx, lx->pos) == '@')
		lx->pos++;
	c = at(lx, lx->pos);
	if (c == '\'' || c == '"' || c == '`') {
		if (skip_quoted(lx, c, c != '`') < 0)
			return unterminated(lx, "variable name", start);
	} else {
		while (is_ident_char(at(lx, lx->pos)) || at(lx, lx->pos) == '.')
			lx->pos++;
	}
	return push(lx, DW_SQLTOK_VAR, start);
}

/* Longest first. None ends in '-' or '/', so none swallows the start of
 * a comment. */
static const char *const multi_ops[] = {
	"<=>", "->>", "#>>", "!~*",
	"<=", ">=", "<>", "!=", ":=", "||", "::", "->", "&&", "<<", ">>", "#>", "@>", "<@",
	"~*", "!~", "=>",
};

static int lex_operator(struct lexer *lx, size_t start)
{
	int c = at(lx, lx->pos);

	for (size_t i = 0; i < sizeof multi_ops / sizeof multi_ops[0]; i++) {
		size_t n = strlen(multi_ops[i]);

		if (lx->len - lx->pos >= n && !memcmp(lx->s + lx->pos, multi_ops[i], n)) {
			lx->pos += n;
			return push(lx, DW_SQLTOK_OP, start);
		}
	}
	if ((c > 0 && c < 0x80 && strchr("+-*/%<>=~!^&|,.()[]{}:", c)) ||
	    (lx->dialect == DW_DB_PG && (c == '@' || c == '#'))) {
		lx->pos++;
		return push(lx, DW_SQLTOK_OP, start);
	}
	if (c > ' ' && c < 0x7f)
		return dw_err_set(lx->err, DW_EX_DATAERR, "unexpected character '%c' at offset %zu",
				  c, start);
	return dw_err_set(lx->err, DW_EX_DATAERR, "unexpected byte 0x%02x at offset %zu", c,
			  start);
}

/* A dot right after a name qualifies it ("t.1x" in MySQL); elsewhere a dot
 * before a digit starts a number (".5"). */
static int dot_starts_number(const struct lexer *lx)
{
	const struct dw_sqltok *prev = lx->n ? &lx->v[lx->n - 1] : NULL;

	if (!is_digit(at(lx, lx->pos + 1)))
		return 0;
	return !prev || prev->off + prev->len != lx->pos ||
	       (prev->kind != DW_SQLTOK_WORD && prev->kind != DW_SQLTOK_QIDENT);
}

static int lex_token(struct lexer *lx)
{
	size_t start = lx->pos;
	int c = at(lx, start), next = at(lx, start + 1);
	int my = lx->dialect == DW_DB_MY;

	if (dash_comment_starts(lx) || (my && c == '#'))
		return lex_line_comment(lx, start);
	if (c == '/' && next == '*')
		return lex_block_comment(lx, start);
	if (c == '\'')
		return lex_quoted(lx, start, '\'', my, DW_SQLTOK_STRING);
	if (c == '"')
		return my ? lex_quoted(lx, start, '"', 1, DW_SQLTOK_STRING)
			  : lex_quoted(lx, start, '"', 0, DW_SQLTOK_QIDENT);
	if (c == '`' && my)
		return lex_quoted(lx, start, '`', 0, DW_SQLTOK_QIDENT);
	if (is_digit(c) || (c == '.' && dot_starts_number(lx)))
		return lex_number(lx, start);
	if (is_ident_start(c) || (my && c == '$'))
		return lex_word(lx, start);
	if (c == '$')
		return lex_dollar(lx, start);
	if (c == '@' && my)
		return lex_variable(lx, start);
	if (c == '?' || (c == ':' && is_ident_start(next))) {
		lx->pos++;
		skip_ident_chars(lx);
		return push(lx, DW_SQLTOK_PARAM, start);
	}
	if (c == ';') {
		lx->pos++;
		return push(lx, DW_SQLTOK_SEMI, start);
	}
	return lex_operator(lx, start);
}

int dw_sqllex(const char *sql, size_t len, enum dw_db_kind dialect, struct dw_sqltok **toks,
	      size_t *ntoks, struct dw_err *err)
{
	struct lexer lx = { .s = sql, .len = len, .dialect = dialect, .err = err };

	*toks = NULL;
	*ntoks = 0;
	while (lx.pos < lx.len) {
		if (is_space(at(&lx, lx.pos))) {
			lx.pos++;
			continue;
		}
		if (lex_token(&lx) < 0) {
			free(lx.v);
			return -1;
		}
	}
	*toks = lx.v;
	*ntoks = lx.n;
	return 0;
}

int dw_sqllex_tok_is(const char *sql, const struct dw_sqltok *t, const char *text)
{
	size_t n = strlen(text);

	if (t->len != n)
		return 0;
	if (t->kind == DW_SQLTOK_WORD)
		return !strncasecmp(sql + t->off, text, n);
	return t->kind == DW_SQLTOK_OP && !memcmp(sql + t->off, text, n);
}

size_t dw_sqllex_tok_name(const char *sql, const struct dw_sqltok *t, char *buf, size_t size)
{
	const char *p = sql + t->off, *end = p + t->len;
	size_t n = 0;
	char quote;

	if (t->kind == DW_SQLTOK_WORD) {
		if (t->len >= size)
			return 0;
		memcpy(buf, p, t->len);
		buf[t->len] = '\0';
		return t->len;
	}
	if (t->kind != DW_SQLTOK_QIDENT)
		return 0;
	if (*p == 'U' || *p == 'u')
		p += 2;   /* U&"..": escapes are not decoded, the name keeps them */
	quote = *p++;
	end--;
	while (p < end) {
		if (n + 1 >= size)
			return 0;
		buf[n++] = *p;
		p += *p == quote ? 2 : 1;   /* a doubled quote inside stands for one */
	}
	buf[n] = '\0';
	return n;
}

int dw_sqllex_params(const char *sql, size_t len, enum dw_db_kind dialect,
		     struct dw_sqltok **params, size_t *n, struct dw_err *err)
{
	size_t ntoks, kept = 0;

	if (dw_sqllex(sql, len, dialect, params, &ntoks, err) < 0) {
		*n = 0;
		return -1;
	}
	for (size_t i = 0; i < ntoks; i++)
		if ((*params)[i].kind == DW_SQLTOK_PARAM)
			(*params)[kept++] = (*params)[i];
	if (!kept) {
		free(*params);
		*params = NULL;
	}
	*n = kept;
	return 0;
}

char *dw_sqllex_quote(const char *value, enum dw_db_kind dialect)
{
	size_t n = 2;
	char *lit, *to;

	for (const char *v = value; *v; v++)
		n += *v == '\'' || (*v == '\\' && dialect == DW_DB_MY) ? 2 : 1;
	if (!(lit = malloc(n + 1)))
		return NULL;
	to = lit;
	*to++ = '\'';
	for (const char *v = value; *v; v++) {
		if (*v == '\'' || (*v == '\\' && dialect == DW_DB_MY))
			*to++ = *v;
		*to++ = *v;
	}
	*to++ = '\'';
	*to = '\0';
	return lit;
}
