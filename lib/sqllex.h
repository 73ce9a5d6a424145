/* sqllex: a lexer for the MySQL/MariaDB and PostgreSQL dialects, enough to
 * tell code from strings, quoted identifiers and comments exactly as the
 * server does (dw-ask's validator is built on it).
 *
 * Assumed server settings, the defaults: MySQL without ANSI_QUOTES or
 * NO_BACKSLASH_ESCAPES ("..." is a string, backslash escapes in strings),
 * PostgreSQL with standard_conforming_strings on (backslash is literal in
 * '...', an escape only in E'...'). */
#ifndef DW_SQLLEX_H
#define DW_SQLLEX_H

#include <stddef.h>

#include "db/db.h"
#include "err.h"

enum dw_sqltok_kind {
	DW_SQLTOK_WORD,          /* unquoted identifier or keyword */
	DW_SQLTOK_QIDENT,        /* quoted identifier: `x` (MySQL), "x" and U&"x" (PostgreSQL) */
	DW_SQLTOK_STRING,        /* '..', MySQL "..", N'..' X'..' B'..' _charset'..',
				    PostgreSQL E'..' U&'..' $tag$..$tag$ */
	DW_SQLTOK_NUMBER,        /* 12, 1.5, .5, 1e-3, 0x1F, 0b101 */
	DW_SQLTOK_OP,            /* operator or punctuation: ( ) , . <= <=> :: ->> ... */
	DW_SQLTOK_PARAM,         /* placeholder: ?, $1 (PostgreSQL), :name */
	DW_SQLTOK_VAR,           /* MySQL variable: @x, @'x', @@x, @@global.x */
	DW_SQLTOK_SEMI,          /* ; */
	DW_SQLTOK_COMMENT,       /* "-- ..", "# .." (MySQL) and block comments (which
				    PostgreSQL nests) */
	DW_SQLTOK_EXEC_COMMENT,  /* MySQL block comments the server reads: executable
				    ones opening with "!", "!50000" or MariaDB's "M!",
				    and optimizer hints opening with "+" */
};

struct dw_sqltok {
	enum dw_sqltok_kind kind;
	size_t off;              /* byte offset of the first byte in the input */
	size_t len;              /* bytes, quotes and comment markers included */
};

/* Splits sql[0..len) into tokens; whitespace is dropped, comments are kept.
 * Never reads past len, so sql need not be NUL-terminated. Returns 0 with
 * *toks a malloc'd array of *ntoks tokens (the caller frees it with free();
 * NULL when there are none), or -1 with err (DW_EX_DATAERR naming the byte
 * offset) for an unterminated string, quoted identifier or comment and for
 * a byte that starts no token (NUL, control characters, a backslash,
 * PostgreSQL's lone $), DW_EX_SOFTWARE when out of memory; *toks is then
 * NULL. */
int dw_sqllex(const char *sql, size_t len, enum dw_db_kind dialect, struct dw_sqltok **toks,
	      size_t *ntoks, struct dw_err *err);

/* The placeholders of sql[0..len) in order: the PARAM tokens of dw_sqllex,
 * so a ? or :name inside a string, quoted identifier or comment is none.
 * Returns 0 with *params a malloc'd array of *n tokens (the caller frees
 * it with free(); NULL when there are none), or -1 with err as dw_sqllex. */
int dw_sqllex_params(const char *sql, size_t len, enum dw_db_kind dialect,
		     struct dw_sqltok **params, size_t *n, struct dw_err *err);

/* value as a string literal of dialect, which dw_sqllex reads as one
 * STRING token and the server as value: quotes doubled, and in MySQL
 * backslashes doubled too. Returns it malloc'd (the caller frees it), NULL
 * when out of memory. */
char *dw_sqllex_quote(const char *value, enum dw_db_kind dialect);

/* 1 when t is the word (compared case-insensitively) or the operator text,
 * 0 otherwise. */
int dw_sqllex_tok_is(const char *sql, const struct dw_sqltok *t, const char *text);

/* The name a WORD or QIDENT token stands for, quotes removed and doubled
 * quote characters undoubled (`a``b` is a`b), copied NUL-terminated into
 * buf. Returns its length, or 0 when t is not a name, is empty or does not
 * fit in size bytes. Case is kept as written. */
size_t dw_sqllex_tok_name(const char *sql, const struct dw_sqltok *t, char *buf, size_t size);

#endif
