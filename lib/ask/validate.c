#include "ask/validate.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqllex.h"

/* At most this many bytes of a token are quoted in a message. */
#define SHOW_MAX 64
#define SHOW(c, i) (int)show_len(&(c)->t[i]), (c)->sql + (c)->t[i].off

static const char *const deny_words[] = {
	"INTO", "OUTFILE", "DUMPFILE", "INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "UPSERT",
	"CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME", "GRANT", "REVOKE", "SET", "CALL", "DO",
	"HANDLER", "LOAD", "COPY", "EXECUTE", "EXEC", "PREPARE", "DEALLOCATE", "LOCK", "UNLOCK",
	"KILL", "SHUTDOWN", "ANALYZE", "ANALYSE", "OPTIMIZE", "VACUUM", "REINDEX", "CLUSTER",
	"REFRESH", "LISTEN", "NOTIFY", "UNLISTEN", "DISCARD", "RESET", "FLUSH", "PURGE", "INSTALL",
	"UNINSTALL", "CHECKPOINT", "PROCEDURE", "TABLE", "BEGIN", "COMMIT", "ROLLBACK",
	"SAVEPOINT", "RETURNING",
};

/* Denied words that are also harmless built-in functions when called. */
static const char *const deny_words_callable[] = { "INSERT", "REPLACE", "TRUNCATE" };

/* The functions a query may call: built-ins that compute (aggregates,
 * arithmetic, string, date, conditional, window); anything else, a stored
 * function above all, is refused. A name is listed for a dialect only when
 * that server's own function of the name wins over a stored one: MariaDB
 * calls a stored function only when no native function has its name, and
 * PostgreSQL searches pg_catalog first. */
static const char *const functions_common[] = {
	"ABS", "ASCII", "AVG", "BIT_AND", "BIT_LENGTH", "BIT_OR", "CAST", "CEIL", "CEILING",
	"CHAR_LENGTH", "CHARACTER_LENGTH", "COALESCE", "CONCAT", "CONCAT_WS", "COUNT",
	"CUME_DIST", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DENSE_RANK", "EXP",
	"EXTRACT", "FIRST_VALUE", "FLOOR", "GREATEST", "LAG", "LAST_VALUE", "LEAD", "LEAST",
	"LEFT", "LENGTH", "LN", "LOCALTIME", "LOCALTIMESTAMP", "LOG", "LOWER", "LPAD", "LTRIM",
	"MAX", "MD5", "MIN", "MOD", "NOW", "NTH_VALUE", "NTILE", "NULLIF", "OCTET_LENGTH",
	"PERCENT_RANK", "PERCENTILE_CONT", "PERCENTILE_DISC", "PI", "POSITION", "POWER", "RANK",
	"REPEAT", "REPLACE", "REVERSE", "RIGHT", "ROUND", "ROW_NUMBER", "RPAD", "RTRIM", "SIGN",
	"SQRT", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "SUBSTR", "SUBSTRING", "SUM", "TRIM",
	"UPPER", "VAR_POP", "VAR_SAMP", "VARIANCE",
};

static const char *const functions_my[] = {
	"ADDDATE", "BINARY", "BIT_XOR", "CHAR", "CONVERT", "CURDATE", "CURTIME", "DATE",
	"DATE_ADD", "DATE_FORMAT", "DATE_SUB", "DATEDIFF", "DAY", "DAYNAME", "DAYOFMONTH",
	"DAYOFWEEK", "DAYOFYEAR", "DECIMAL", "ELT", "FIELD", "FIND_IN_SET", "FORMAT",
	"FROM_DAYS", "FROM_UNIXTIME", "GROUP_CONCAT", "HEX", "HOUR", "IF", "IFNULL", "INSERT",
	"INSTR", "ISNULL", "LAST_DAY", "LCASE", "LOCATE", "LOG10", "LOG2", "MAKEDATE", "MEDIAN",
	"MICROSECOND", "MINUTE", "MONTH", "MONTHNAME", "PERIOD_ADD", "PERIOD_DIFF", "POW",
	"QUARTER", "REGEXP_INSTR", "REGEXP_REPLACE", "REGEXP_SUBSTR", "SEC_TO_TIME", "SECOND",
	"SPACE", "STD", "STR_TO_DATE", "STRCMP", "SUBDATE", "SUBSTRING_INDEX", "TIME",
	"TIME_FORMAT", "TIME_TO_SEC", "TIMEDIFF", "TIMESTAMP", "TIMESTAMPADD", "TIMESTAMPDIFF",
	"TO_DAYS", "TRUNCATE", "UCASE", "UNHEX", "UNIX_TIMESTAMP", "WEEK", "WEEKDAY",
	"WEEKOFYEAR", "YEAR", "YEARWEEK",
};

static const char *const functions_pg[] = {
	"ARRAY_AGG", "BOOL_AND", "BOOL_OR", "BTRIM", "DATE_PART", "DATE_TRUNC", "EVERY",
	"INITCAP", "MAKE_DATE", "SPLIT_PART", "STRING_AGG", "STRPOS", "TO_CHAR", "TO_DATE",
	"TO_NUMBER", "TRUNC", "UNNEST",
};

/* Functions that stand for a table in FROM (none in MariaDB here). */
static const char *const table_functions_pg[] = { "GENERATE_SERIES", "UNNEST" };

/* Type names written with a length after AS or :: ("DECIMAL(12, 2)"). */
static const char *const type_names[] = {
	"BIGINT", "BINARY", "BIT", "CHAR", "CHARACTER", "DATETIME", "DEC", "DECIMAL", "DOUBLE",
	"FLOAT", "INT", "INTEGER", "NCHAR", "NUMERIC", "SMALLINT", "TIME", "TIMESTAMP",
	"TINYINT", "VARBINARY", "VARCHAR",
};

/* Reserved words a '(' may follow without making a call. */
static const char *const syntax_before_paren[] = {
	"ALL", "AND", "ARRAY", "AS", "BETWEEN", "BY", "CASE", "DISTINCT", "DISTINCTROW", "DIV",
	"ELSE", "ESCAPE", "EXCEPT", "EXISTS", "FROM", "GROUP", "IN", "INTERSECT", "INTERVAL", "IS",
	"JOIN", "LATERAL", "LIKE", "LIMIT", "MATERIALIZED", "MINUS", "NOT", "OFFSET", "ON",
	"OR", "REGEXP", "RLIKE", "ROW", "SELECT", "STRAIGHT_JOIN", "THEN", "UNION", "USING",
	"WHEN", "WHERE", "HAVING", "XOR",
};

/* What may follow a table reference (and its alias) in FROM. Anything
 * else, index hints, PARTITION (...), FOR SYSTEM_TIME, a string, is syntax
 * the validator does not follow, so it is refused. */
static const char *const table_followers[] = {
	"ON", "USING", "JOIN", "INNER", "CROSS", "LEFT", "RIGHT", "FULL", "NATURAL",
	"STRAIGHT_JOIN", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FETCH",
	"WINDOW", "UNION", "EXCEPT", "INTERSECT", "MINUS",
};

/* FOR UPDATE, FOR SHARE, FOR KEY SHARE, FOR NO KEY UPDATE, LOCK IN SHARE
 * MODE: told by their first two words. */
struct locking_clause {
	const char *first, *second;
	size_t ntokens;
};

static const struct locking_clause locking_clauses[] = {
	{ "FOR", "UPDATE", 2 }, { "FOR", "SHARE", 2 }, { "FOR", "KEY", 3 }, { "FOR", "NO", 4 },
	{ "LOCK", "IN", 4 },
};

static const char *const system_schemas[] = {
	"information_schema", "mysql", "performance_schema", "sys",
};

/* Words that are never column names or implicit aliases here. */
static const char *const keywords[] = {
	"ALL", "AND", "ANY", "ARRAY", "AS", "ASC", "ASYMMETRIC", "AT", "BETWEEN", "BIGINT",
	"BINARY", "BOOL", "BOOLEAN", "BOTH", "BY", "CASE", "CAST", "CHAR", "CHARACTER", "COLLATE",
	"CROSS", "CUBE", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
	"CURRENT_USER", "DECIMAL", "DESC", "DISTINCT", "DISTINCTROW", "DIV", "DOUBLE", "DUAL",
	"ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUDE", "EXISTS", "FALSE", "FETCH", "FILTER",
	"FIRST", "FLOAT", "FOLLOWING", "FOR", "FORCE", "FROM", "FULL", "GROUP", "GROUPING",
	"GROUPS", "HAVING", "HIGH_PRIORITY", "IGNORE", "ILIKE", "IN", "INDEX", "INNER", "INT",
	"INTEGER", "INTERSECT", "INTERVAL", "IS", "JOIN", "LAST", "LATERAL", "LEADING", "LEFT",
	"LIKE", "LIMIT", "LOCALTIME", "LOCALTIMESTAMP", "MATERIALIZED", "MINUS", "MOD",
	"NATURAL", "NCHAR", "NEXT", "NO", "NOT", "NULL", "NULLS", "NUMERIC", "OF", "OFFSET", "ON",
	"ONLY", "OR", "ORDER", "ORDINALITY", "OTHERS", "OUTER", "OVER", "PARTITION", "PLACING", "PRECEDING",
	"PRECISION", "RANGE", "REAL", "RECURSIVE", "REGEXP", "RIGHT", "RLIKE", "ROLLUP", "ROW",
	"ROWS", "SELECT", "SEPARATOR", "SET", "SETS", "SIGNED", "SIMILAR", "SMALLINT", "SOME",
	"SQL_BIG_RESULT", "SQL_BUFFER_RESULT", "SQL_CACHE", "SQL_CALC_FOUND_ROWS", "SQL_NO_CACHE",
	"SQL_SMALL_RESULT", "STRAIGHT_JOIN", "SYMMETRIC", "THEN", "TIES", "TINYINT", "TO",
	"TRAILING", "TRUE", "UNBOUNDED", "UNION", "UNKNOWN", "UNSIGNED", "USE", "USING",
	"VARBINARY", "VARCHAR", "VARYING", "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN", "XOR",
	"ZONE",
};

/* Keywords that end an operand, so a name right after one is an alias
 * ("CASE ... END total"). */
static const char *const value_keywords[] = {
	"END", "NULL", "TRUE", "FALSE", "UNKNOWN", "CURRENT_DATE", "CURRENT_TIME",
	"CURRENT_TIMESTAMP", "CURRENT_USER", "LOCALTIME", "LOCALTIMESTAMP",
};

/* Date parts and type names that tables also use as column names (dim_date
 * has year and month): never reported as unknown columns. */
static const char *const soft_keywords[] = {
	"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MICROSECOND",
	"DATE", "TIME", "TIMESTAMP", "DATETIME", "TEXT", "JSON", "YEAR_MONTH", "DAY_HOUR",
	"DAY_MINUTE", "DAY_SECOND", "HOUR_MINUTE", "HOUR_SECOND", "MINUTE_SECOND",
	"DAY_MICROSECOND", "HOUR_MICROSECOND", "MINUTE_MICROSECOND", "SECOND_MICROSECOND",
	"EPOCH", "DOW", "DOY", "ISODOW", "ISOYEAR", "CENTURY", "DECADE", "MILLENNIUM",
	"MILLISECONDS", "MICROSECONDS",
};

/* Functions whose arguments use FROM without naming a table. */
static const char *const from_functions[] = {
	"EXTRACT", "TRIM", "SUBSTRING", "SUBSTR", "OVERLAY", "POSITION",
};

/* Keywords that end a FROM clause at their parenthesis level. */
static const char *const from_enders[] = {
	"WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "FETCH", "UNION", "EXCEPT",
	"INTERSECT", "MINUS", "WINDOW", "FOR", "INTO", "PROCEDURE", "SELECT",
};

#define IN_LIST(word, list) in_list(word, list, sizeof list / sizeof list[0])

enum word_class { WC_NAME, WC_KEYWORD, WC_SOFT };

enum role {
	ROLE_NONE,   /* still to be checked as a column reference */
	ROLE_SKIP,   /* checked or not a column: table names, types, charsets */
	ROLE_DECL,   /* a declared name: alias, WITH query or its column, window */
	ROLE_FUNC,   /* a table function in FROM, checked */
};

#define NONE ((size_t)-1)

/* A name a qualifier can stand for: a table or alias in FROM or JOIN. */
struct source {
	const char *name;
	const struct dw_schema_table *table;   /* NULL for WITH queries and derived tables */
};

/* A WITH query: its name and the '(' of its body. */
struct cte {
	const char *name;
	size_t list;              /* its WITH list in ctx.withs */
	size_t body;
};

/* A WITH list: its queries are ctx.ctes[first..first+count), all visible in
 * the query it starts, tokens [after, end); within the bodies, earlier
 * ones only (every one when RECURSIVE), as the server scopes them. */
struct with_list {
	int recursive;
	size_t first, count;
	size_t after, end;
};

struct ctx {
	const char *sql;
	enum dw_db_kind dialect;
	const struct dw_schema *schema;
	struct dw_err *err;
	struct dw_sqltok *t;      /* the tokens without comments */
	size_t n;
	char **name;              /* WORD and QIDENT tokens: the name; else NULL */
	char *arena;              /* storage of the names */
	size_t *match;            /* for '(' and ')': index of the other one */
	size_t *up;               /* the '(' a token is inside of, or NONE */
	unsigned char *cls;       /* enum word_class per token */
	unsigned char *role;      /* enum role per token */
	struct source *src;
	size_t nsrc;
	struct cte *ctes;
	size_t nctes;
	struct with_list *withs;
	size_t nwiths;
	const char **decl;        /* every declared name */
	size_t ndecl;
	const struct dw_schema_table **used;   /* schema tables the query reads */
	size_t nused;
};

static size_t show_len(const struct dw_sqltok *t)
{
	return t->len < SHOW_MAX ? t->len : SHOW_MAX;
}

static int in_list(const char *word, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(word, list[i]))
			return 1;
	return 0;
}

static int dataerr(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int dataerr(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dw_err_vset(c->err, DW_EX_DATAERR, fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(struct ctx *c)
{
	return dw_err_set(c->err, DW_EX_SOFTWARE, "out of memory");
}

/* ---- token predicates ---------------------------------------------------- */

static int is(const struct ctx *c, size_t i, const char *text)
{
	return i < c->n && dw_sqllex_tok_is(c->sql, &c->t[i], text);
}

static int is_kind(const struct ctx *c, size_t i, enum dw_sqltok_kind kind)
{
	return i < c->n && c->t[i].kind == kind;
}

/* A quoted identifier or a word that can be a name (soft keywords can). */
static int is_name(const struct ctx *c, size_t i)
{
	return is_kind(c, i, DW_SQLTOK_QIDENT) ||
	       (is_kind(c, i, DW_SQLTOK_WORD) && c->cls[i] != WC_KEYWORD);
}

static int is_keyword(const struct ctx *c, size_t i)
{
	return is_kind(c, i, DW_SQLTOK_WORD) && c->cls[i] == WC_KEYWORD;
}

/* Token i ends an operand: a name right after it is an alias. */
static int ends_operand(const struct ctx *c, size_t i)
{
	switch (c->t[i].kind) {
	case DW_SQLTOK_NUMBER:
	case DW_SQLTOK_STRING:
	case DW_SQLTOK_QIDENT:
	case DW_SQLTOK_PARAM:
		return 1;
	case DW_SQLTOK_OP:
		return is(c, i, ")") || is(c, i, "]");
	case DW_SQLTOK_WORD:
		/* "x::int y": a type name after :: ends the cast */
		return c->cls[i] != WC_KEYWORD || IN_LIST(c->name[i], value_keywords) ||
		       (i > 0 && is(c, i - 1, "::"));
	default:
		return 0;
	}
}

static size_t skip_open_parens(const struct ctx *c, size_t i)
{
	while (is(c, i, "("))
		i++;
	return i;
}

/* ---- setup --------------------------------------------------------------- */

static int is_comment(const struct dw_sqltok *t)
{
	return t->kind == DW_SQLTOK_COMMENT || t->kind == DW_SQLTOK_EXEC_COMMENT;
}

/* Keeps the tokens that are not comments, decodes names and classifies words. */
static int load_tokens(struct ctx *c, const struct dw_sqltok *all, size_t nall)
{
	size_t arena_len = 0;
	char *p;

	c->t = malloc((nall + 1) * sizeof *c->t);
	c->name = calloc(nall + 1, sizeof *c->name);
	c->match = calloc(nall + 1, sizeof *c->match);
	c->up = calloc(nall + 1, sizeof *c->up);
	c->cls = calloc(nall + 1, 1);
	c->role = calloc(nall + 1, 1);
	c->src = malloc((nall + 1) * sizeof *c->src);
	c->ctes = malloc((nall + 1) * sizeof *c->ctes);
	c->withs = malloc((nall + 1) * sizeof *c->withs);
	c->decl = malloc((nall + 1) * sizeof *c->decl);
	c->used = malloc((c->schema->ntables + 1) * sizeof *c->used);
	for (size_t i = 0; i < nall; i++)
		arena_len += all[i].len + 1;
	c->arena = p = malloc(arena_len + 1);
	if (!c->t || !c->name || !c->match || !c->up || !c->cls || !c->role || !c->src ||
	    !c->ctes || !c->withs || !c->decl || !c->used || !c->arena)
		return oom(c);
	for (size_t i = 0; i < nall; i++) {
		const struct dw_sqltok *t = &all[i];

		if (is_comment(t))
			continue;
		c->t[c->n] = *t;
		if (t->kind == DW_SQLTOK_WORD || t->kind == DW_SQLTOK_QIDENT) {
			/* a decoded name is never longer than its token */
			p[0] = '\0';
			c->name[c->n] = p;
			p += dw_sqllex_tok_name(c->sql, t, p, t->len + 1) + 1;
		}
		if (t->kind == DW_SQLTOK_WORD)
			c->cls[c->n] = IN_LIST(c->name[c->n], keywords)        ? WC_KEYWORD
				       : IN_LIST(c->name[c->n], soft_keywords) ? WC_SOFT
									       : WC_NAME;
		c->n++;
	}
	return 0;
}

static void free_ctx(struct ctx *c)
{
	free(c->t);
	free(c->name);
	free(c->match);
	free(c->up);
	free(c->cls);
	free(c->role);
	free(c->src);
	free(c->ctes);
	free(c->withs);
	free(c->decl);
	free(c->used);
	free(c->arena);
}

/* ---- checks on the raw tokens -------------------------------------------- */

static int has_non_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

/* Bytes of an executable comment shown in messages: the opener with its
 * '!', "M!" or '+' and any version number. */
static int opener_len(const struct dw_sqltok *t, const char *s)
{
	size_t n = 3;

	while (n < t->len && n < 12 && (s[n] == '!' || (s[n] >= '0' && s[n] <= '9')))
		n++;
	return (int)n;
}

/* Only comments may follow a ';'. */
static int check_after_semicolon(struct ctx *c, const struct dw_sqltok *all, size_t nall,
				 size_t semi)
{
	for (size_t j = semi + 1; j < nall; j++) {
		if (is_comment(&all[j]))
			continue;
		dw_err_set(c->err, DW_EX_DATAERR, "more than one statement: '%.*s' after ';'",
			   (int)show_len(&all[j]), c->sql + all[j].off);
		dw_err_hint(c->err, "send a single query");
		return -1;
	}
	return 0;
}

/* Exactly one statement, and nothing a lexer difference or the server
 * could turn into more: executable comments, comments holding ';',
 * variables, assignments, look-alike letters. */
static int check_raw(struct ctx *c, const struct dw_sqltok *all, size_t nall)
{
	for (size_t i = 0; i < nall; i++) {
		const struct dw_sqltok *t = &all[i];
		const char *s = c->sql + t->off;

		if (t->kind == DW_SQLTOK_EXEC_COMMENT) {
			dataerr(c, "executable comment '%.*s' is not allowed", opener_len(t, s), s);
			dw_err_hint(c->err, "MySQL runs the text of /*! */ and /*+ */ comments");
			return -1;
		}
		if (t->kind == DW_SQLTOK_COMMENT && memchr(s, ';', t->len)) {
			dataerr(c, "comment holding ';' is not allowed");
			dw_err_hint(c->err, "a ';' in a comment can hide a second statement");
			return -1;
		}
		if (t->kind == DW_SQLTOK_VAR)
			return dataerr(c, "variable '%.*s' is not allowed", (int)show_len(t), s);
		if (dw_sqllex_tok_is(c->sql, t, "{") || dw_sqllex_tok_is(c->sql, t, "}")) {
			dataerr(c, "ODBC escape '%c' is not allowed", *s);
			dw_err_hint(c->err, "write plain SQL: no {oj ...}, {d ...} or {fn ...}");
			return -1;
		}
		if (dw_sqllex_tok_is(c->sql, t, ":="))
			return dataerr(c, "assignment ':=' is not allowed");
		if (t->kind == DW_SQLTOK_WORD && has_non_ascii(s, t->len))
			return dataerr(c, "non-ASCII letters outside quotes are not allowed: '%.*s'",
				       (int)show_len(t), s);
		if (t->kind == DW_SQLTOK_SEMI && check_after_semicolon(c, all, nall, i) < 0)
			return -1;
	}
	return 0;
}

static int match_parens(struct ctx *c)
{
	size_t *stack = malloc((c->n + 1) * sizeof *stack), depth = 0;

	if (!stack)
		return oom(c);
	for (size_t i = 0; i < c->n; i++) {
		c->up[i] = depth ? stack[depth - 1] : NONE;
		if (is(c, i, "(")) {
			stack[depth++] = i;
		} else if (is(c, i, ")")) {
			if (!depth) {
				free(stack);
				return dataerr(c, "unbalanced ')' at offset %zu", c->t[i].off);
			}
			c->match[i] = stack[--depth];
			c->match[stack[depth]] = i;
		}
	}
	if (depth) {
		size_t open = stack[depth - 1];

		free(stack);
		return dataerr(c, "unbalanced '(' at offset %zu", c->t[open].off);
	}
	free(stack);
	return 0;
}

/* ---- statement shape ----------------------------------------------------- */

/* Declares the names of a parenthesised list (WITH or alias column names). */
static void declare_list(struct ctx *c, size_t open)
{
	for (size_t i = open + 1; i < c->match[open]; i++)
		if (is_name(c, i))
			c->role[i] = ROLE_DECL;
}

/* Records the WITH list at w whose queries are ctes[first..] and which
 * ends before after: it is seen by the rest of the query it starts, up to
 * the ')' around it or the end. Only a query starts with WITH. */
static int add_with_list(struct ctx *c, size_t w, size_t first, size_t after)
{
	struct with_list *l = &c->withs[c->nwiths];

	if (w > 0 && !is(c, w - 1, "(")) {
		dataerr(c, "a WITH list must start the query or a parenthesised subquery");
		dw_err_hint(c->err, "move the WITH clause to the start of the query");
		return -1;
	}
	*l = (struct with_list){ .recursive = is(c, w + 1, "RECURSIVE"), .first = first,
				 .count = c->nctes - first, .after = after,
				 .end = c->up[w] == NONE ? c->n : c->match[c->up[w]] };
	for (size_t k = first; k < c->nctes; k++)
		c->ctes[k].list = c->nwiths;
	c->nwiths++;
	return 0;
}

/* Parses "WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (body), ..."
 * at w. Returns 1 with *after just past the list, 0 when w does not start
 * one (WITH ROLLUP, WITH TIME ZONE), -1 when a body is not a SELECT or the
 * list is not at the start of a query. */
static int parse_with(struct ctx *c, size_t w, size_t *after)
{
	size_t i = w + 1, first = c->nctes;

	if (is(c, i, "RECURSIVE"))
		i++;
	for (;;) {
		size_t name = i, open, body;

		if (!is_name(c, i))
			return c->nctes = first, 0;
		if (is(c, ++i, "(")) {
			declare_list(c, i);
			i = c->match[i] + 1;
		}
		if (!is(c, i++, "AS"))
			return c->nctes = first, 0;
		if (is(c, i, "NOT"))
			i++;
		if (is(c, i, "MATERIALIZED"))
			i++;
		if (!is(c, i, "("))
			return c->nctes = first, 0;
		open = i;
		body = skip_open_parens(c, open + 1);
		if (!is(c, body, "SELECT") && !is(c, body, "WITH"))
			return dataerr(c, "WITH query '%s' is not a SELECT: '%.*s' is not allowed",
				       c->name[name], SHOW(c, body));
		c->role[name] = ROLE_DECL;
		c->ctes[c->nctes++] = (struct cte){ .name = c->name[name], .body = open };
		i = c->match[open] + 1;
		if (!is(c, i, ","))
			break;
		i++;
	}
	c->role[w] = ROLE_SKIP;
	*after = i;
	return add_with_list(c, w, first, i) < 0 ? -1 : 1;
}

static int not_select(struct ctx *c, size_t i, const char *where)
{
	if (i >= c->n)
		return dataerr(c, "%s holds no query", where);
	dataerr(c, "only SELECT queries are allowed, not '%.*s'", SHOW(c, i));
	dw_err_hint(c->err, "dw-ask runs one read-only SELECT (or WITH ... SELECT)");
	return -1;
}

/* The statement is a SELECT, or a WITH list then a SELECT; every WITH list
 * anywhere (subqueries too) holds only SELECTs. */
static int check_shape(struct ctx *c)
{
	size_t first = skip_open_parens(c, 0), after;
	int rc;

	if (!c->n)
		return dataerr(c, "empty query");
	if (is(c, first, "WITH")) {
		rc = parse_with(c, first, &after);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return dataerr(c, "malformed WITH clause");
		first = skip_open_parens(c, after);
		if (!is(c, first, "SELECT"))
			return not_select(c, first, "the WITH clause");
	} else if (!is(c, first, "SELECT")) {
		return not_select(c, first, "the query");
	}
	for (size_t i = 0; i < c->n; i++)
		if (c->role[i] == ROLE_NONE && is(c, i, "WITH") && parse_with(c, i, &after) < 0)
			return -1;
	return 0;
}

/* ---- denied words, functions and schemas ---------------------------------- */

/* Length to show of the text from token first to token last. */
static int span_len(const struct ctx *c, size_t first, size_t last)
{
	size_t len = c->t[last].off + c->t[last].len - c->t[first].off;

	return len < SHOW_MAX ? (int)len : SHOW_MAX;
}

static int check_word(struct ctx *c, size_t i)
{
	const char *w = c->name[i];
	int call = is(c, i + 1, "(");

	for (size_t k = 0; k < sizeof locking_clauses / sizeof locking_clauses[0]; k++) {
		const struct locking_clause *l = &locking_clauses[k];

		size_t last = i + l->ntokens <= c->n ? i + l->ntokens - 1 : i + 1;

		if (!strcasecmp(w, l->first) && is(c, i + 1, l->second))
			return dataerr(c, "locking clause '%.*s' is not allowed",
				       span_len(c, i, last), c->sql + c->t[i].off);
	}
	if ((!strcasecmp(w, "NEXT") || !strcasecmp(w, "PREVIOUS")) && is(c, i + 1, "VALUE") &&
	    is(c, i + 2, "FOR"))
		return dataerr(c, "sequence access '%s VALUE FOR' is not allowed", w);
	if ((!strcasecmp(w, "USE") || !strcasecmp(w, "FORCE") || !strcasecmp(w, "IGNORE")) &&
	    (is(c, i + 1, "INDEX") || is(c, i + 1, "KEY"))) {
		dataerr(c, "index hint '%.*s' is not allowed", span_len(c, i, i + 1),
			c->sql + c->t[i].off);
		dw_err_hint(c->err, "leave the plan to the server");
		return -1;
	}
	if (IN_LIST(w, deny_words) && !(call && IN_LIST(w, deny_words_callable)) &&
	    !(!strcasecmp(w, "SET") && i > 0 && is(c, i - 1, "CHARACTER"))) {
		dataerr(c, "'%.*s' is not allowed", SHOW(c, i));
		dw_err_hint(c->err, "dw-ask runs one read-only SELECT (or WITH ... SELECT)");
		return -1;
	}
	return 0;
}

static int is_system_schema(const char *name)
{
	return IN_LIST(name, system_schemas) || !strncasecmp(name, "pg_", 3);
}

/* name "." ...: no system schema, no stored routine. */
static int check_qualifier(struct ctx *c, size_t i)
{
	if (is_system_schema(c->name[i])) {
		dataerr(c, "system schema '%s' is not allowed", c->name[i]);
		dw_err_hint(c->err, "only tables of '%s' can be queried", c->schema->database);
		return -1;
	}
	if ((is_kind(c, i + 2, DW_SQLTOK_WORD) || is_kind(c, i + 2, DW_SQLTOK_QIDENT)) &&
	    is(c, i + 3, "("))
		return dataerr(c, "qualified function call '%s.%s' is not allowed", c->name[i],
			       c->name[i + 2]);
	return 0;
}

static int check_words(struct ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		if (is_kind(c, i, DW_SQLTOK_WORD) && check_word(c, i) < 0)
			return -1;
		if (c->name[i] && is(c, i + 1, ".") && check_qualifier(c, i) < 0)
			return -1;
	}
	return 0;
}

/* ---- tables in FROM and JOIN ----------------------------------------------- */

static void add_source(struct ctx *c, const char *name, const struct dw_schema_table *table)
{
	c->src[c->nsrc++] = (struct source){ .name = name, .table = table };
	if (!table)
		return;
	for (size_t i = 0; i < c->nused; i++)
		if (c->used[i] == table)
			return;
	c->used[c->nused++] = table;
}

/* "[AS] alias [(columns)]" after a table reference ending before i.
 * Returns the index past it. */
static size_t parse_alias(struct ctx *c, size_t i, const struct dw_schema_table *table)
{
	if (is(c, i, "AS"))
		i++;
	else if (!is_name(c, i))
		return i;
	if (!is_kind(c, i, DW_SQLTOK_WORD) && !is_kind(c, i, DW_SQLTOK_QIDENT))
		return i;
	c->role[i] = ROLE_DECL;
	add_source(c, c->name[i], table);
	if (!is(c, i + 1, "("))
		return i + 1;
	declare_list(c, i + 1);
	return c->match[i + 1] + 1;
}

/* Whether the WITH query q is visible at token at: in the rest of the
 * query its list starts, and in the bodies of the list's later queries
 * (of all of them when RECURSIVE). */
static int cte_visible(const struct ctx *c, size_t q, size_t at)
{
	const struct with_list *l = &c->withs[c->ctes[q].list];

	if (at >= l->after && at < l->end)
		return 1;
	for (size_t k = l->first; k < l->first + l->count; k++) {
		size_t open = c->ctes[k].body;

		if (at > open && at < c->match[open])
			return l->recursive || k > q;
	}
	return 0;
}

/* The unqualified name at i stands for a WITH query: 1, or 0 for a table;
 * -1 with err when a visible WITH query differs from it in case only,
 * which the validator cannot tell the way the server does. */
static int cte_lookup(struct ctx *c, size_t i)
{
	int near = 0;

	for (size_t q = 0; q < c->nctes; q++) {
		if (strcasecmp(c->ctes[q].name, c->name[i]) || !cte_visible(c, q, i))
			continue;
		if (!strcmp(c->ctes[q].name, c->name[i]))
			return 1;
		near = 1;
	}
	if (!near)
		return 0;
	dataerr(c, "unknown table '%s'", c->name[i]);
	dw_err_hint(c->err, "a WITH query is named exactly as it is used");
	return -1;
}

static int unknown_table(struct ctx *c, const char *name)
{
	const char *near = dw_schema_suggest_table(c->schema, name);

	dataerr(c, "unknown table '%s'", name);
	if (near)
		dw_err_hint(c->err, "did you mean '%s'?", near);
	return -1;
}

/* The model's table of that exact name; NULL with err for any other name,
 * control tables (dw_*) included even when the schema holds them. */
static const struct dw_schema_table *model_table(struct ctx *c, const char *name)
{
	const struct dw_schema_table *table;

	if (!strncasecmp(name, "dw_", 3)) {
		dataerr(c, "unknown table '%s'", name);
		dw_err_hint(c->err, "control tables (dw_*) cannot be queried");
		return NULL;
	}
	table = dw_schema_table(c->schema, name);
	if (!table) {
		unknown_table(c, name);
		return NULL;
	}
	if (strcmp(table->name, name)) {
		dataerr(c, "unknown table '%s'", name);
		dw_err_hint(c->err, "did you mean '%s'?", table->name);
		return NULL;
	}
	return table;
}

/* The token at i follows a table reference (what names it): only a join,
 * a condition or the next clause may. */
static int check_after_table(struct ctx *c, size_t i, const char *what)
{
	if (i >= c->n || is(c, i, ")") || is(c, i, ",") || is_kind(c, i, DW_SQLTOK_SEMI) ||
	    (is_keyword(c, i) && IN_LIST(c->name[i], table_followers)))
		return 0;
	dataerr(c, "unsupported syntax '%.*s' after table '%s'", SHOW(c, i), what);
	dw_err_hint(c->err, "a table is named plainly, with an optional alias: no index hints, "
		    "partitions, system versioning or escapes");
	return -1;
}

/* [schema.]table at i, with i+1 not '('. Returns the index past it and
 * its alias, or 0 with err. */
static size_t parse_table_name(struct ctx *c, size_t i)
{
	const struct dw_schema_table *table = NULL;
	size_t last = i;
	int cte = 0;

	if (is(c, i + 1, ".") && is_name(c, i + 2)) {
		if (is(c, i + 3, "."))
			return dataerr(c, "unknown table '%.*s'",
				       span_len(c, i, i + 4 < c->n ? i + 4 : i + 3),
				       c->sql + c->t[i].off), 0;
		if (strcmp(c->name[i], c->schema->database)) {
			dataerr(c, "unknown schema '%s'", c->name[i]);
			dw_err_hint(c->err, "only tables of '%s' can be queried",
				    c->schema->database);
			return 0;
		}
		c->role[i] = ROLE_SKIP;
		last = i + 2;
	}
	c->role[last] = ROLE_SKIP;
	if (last == i && (cte = cte_lookup(c, i)) < 0)
		return 0;
	if (!cte && !(table = model_table(c, c->name[last])))
		return 0;
	add_source(c, c->name[last], table);
	return parse_alias(c, last + 1, table);
}

static int allowed_table_function(const struct ctx *c, const char *name)
{
	return c->dialect == DW_DB_PG && IN_LIST(name, table_functions_pg);
}

/* name(...) [WITH ORDINALITY] [alias] at i: a table function. Returns the
 * index past it, or 0 with err. */
static size_t parse_table_function(struct ctx *c, size_t i)
{
	size_t end = c->match[i + 1] + 1;

	if (is_kind(c, i, DW_SQLTOK_QIDENT))
		return dataerr(c, "quoted function name '%.*s' is not allowed", SHOW(c, i)), 0;
	if (!allowed_table_function(c, c->name[i]))
		return dataerr(c, "function '%.*s' is not allowed", SHOW(c, i)), 0;
	c->role[i] = ROLE_FUNC;
	if (is(c, end, "WITH") && is(c, end + 1, "ORDINALITY"))
		end += 2;
	return parse_alias(c, end, NULL);
}

/* One table reference after FROM, JOIN or a comma in a FROM list, at i:
 * a model table, a WITH query in scope, a derived table, a parenthesised
 * join, DUAL or an allowed table function; nothing else. */
static int parse_table_ref(struct ctx *c, size_t i)
{
	size_t next;

	while (is(c, i, "LATERAL") || is(c, i, "ONLY"))
		i++;
	if (i >= c->n)
		return dataerr(c, "missing table after '%.*s'", SHOW(c, i - 1));
	if (is(c, i, "(")) {
		size_t inner = skip_open_parens(c, i);

		if (is(c, inner, "SELECT") || is(c, inner, "WITH"))
			return check_after_table(c, parse_alias(c, c->match[i] + 1, NULL),
						 "(subquery)");
		/* a parenthesised join */
		if (parse_table_ref(c, inner) < 0)
			return -1;
		return check_after_table(c, c->match[i] + 1, "(...)");
	}
	if (is(c, i, "DUAL"))
		return check_after_table(c, i + 1, "DUAL");
	if (!is_name(c, i)) {
		dataerr(c, "unsupported syntax '%.*s' where a table belongs", SHOW(c, i));
		dw_err_hint(c->err, "name a table, a WITH query or a (subquery)");
		return -1;
	}
	next = is(c, i + 1, "(") ? parse_table_function(c, i) : parse_table_name(c, i);
	return next ? check_after_table(c, next, c->name[i]) : -1;
}

enum frame_kind { FRAME_QUERY, FRAME_CALL, FRAME_FROM_CALL };

struct frame {
	enum frame_kind kind;
	int in_from;
};

/* A '(' right where a table reference goes opens a parenthesised join
 * (or a derived table, whose SELECT then ends the FROM list). */
static int opens_table_list(const struct ctx *c, size_t open, const struct frame *f)
{
	return f->in_from && open > 0 &&
	       (is(c, open - 1, "FROM") || is(c, open - 1, "JOIN") ||
		is(c, open - 1, "STRAIGHT_JOIN") || is(c, open - 1, ",") || is(c, open - 1, "("));
}

static enum frame_kind paren_kind(const struct ctx *c, size_t open)
{
	if (open == 0 || !is_name(c, open - 1))
		return FRAME_QUERY;
	if (is_kind(c, open - 1, DW_SQLTOK_WORD) && IN_LIST(c->name[open - 1], from_functions))
		return FRAME_FROM_CALL;
	return FRAME_CALL;
}

/* FROM names tables unless it is an argument (EXTRACT(x FROM y)) or part of
 * IS [NOT] DISTINCT FROM. */
static int from_names_tables(const struct ctx *c, size_t i, const struct frame *f)
{
	if (f->kind == FRAME_FROM_CALL)
		return 0;
	return !(i >= 2 && is(c, i - 1, "DISTINCT") && (is(c, i - 2, "IS") || is(c, i - 2, "NOT")));
}

/* Walks the tokens tracking parenthesis levels and FROM clauses; every
 * table reference must be a schema table or a WITH query. */
static int check_tables(struct ctx *c)
{
	struct frame *stack = malloc((c->n + 1) * sizeof *stack);
	size_t depth = 0;
	int rc = 0;

	if (!stack)
		return oom(c);
	stack[0] = (struct frame){ FRAME_QUERY, 0 };
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		struct frame *f = &stack[depth];

		if (is(c, i, "(")) {
			stack[depth + 1].kind = paren_kind(c, i);
			stack[depth + 1].in_from = opens_table_list(c, i, f);
			depth++;
		} else if (is(c, i, ")")) {
			depth--;   /* balanced: checked by match_parens */
		} else if (is(c, i, "FROM")) {
			if (from_names_tables(c, i, f)) {
				f->in_from = 1;
				rc = parse_table_ref(c, i + 1);
			}
		} else if (is(c, i, "JOIN") || is(c, i, "STRAIGHT_JOIN") ||
			   (f->in_from && is(c, i, ","))) {
			f->in_from = 1;
			rc = parse_table_ref(c, i + 1);
		} else if (is_keyword(c, i) && IN_LIST(c->name[i], from_enders)) {
			f->in_from = 0;
		}
	}
	free(stack);
	return rc;
}

/* ---- declared names ------------------------------------------------------ */

/* Marks names that are not column references: aliases with or without AS,
 * window names, type names after ::, character sets and collations. */
static void mark_names(struct ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->role[i] != ROLE_NONE)
			continue;
		if (is(c, i, "AS") && i + 1 < c->n && c->name[i + 1] && c->role[i + 1] == ROLE_NONE)
			/* a type when followed by '(': CAST(x AS DECIMAL(9, 2)) */
			c->role[i + 1] = is(c, i + 2, "(") ? ROLE_SKIP : ROLE_DECL;
		else if ((is(c, i, "::") || is(c, i, "COLLATE") || is(c, i, "OVER") ||
			  (is(c, i, "USING") && !is(c, i + 1, "(")) ||
			  (is(c, i, "SET") && i > 0 && is(c, i - 1, "CHARACTER"))) &&
			 is_name(c, i + 1) && c->role[i + 1] == ROLE_NONE)
			c->role[i + 1] = ROLE_SKIP;
		else if (is_name(c, i) && is(c, i + 1, "AS") && is(c, i + 2, "("))
			c->role[i] = ROLE_DECL;   /* WINDOW w AS (...) */
		else if (is_name(c, i) && i > 0 && ends_operand(c, i - 1) &&
			 c->role[i - 1] != ROLE_DECL && !is(c, i + 1, ".") && !is(c, i + 1, "("))
			c->role[i] = ROLE_DECL;   /* implicit alias: SUM(x) total, not a b c */
	}
	for (size_t i = 0; i < c->n; i++)
		if (c->role[i] == ROLE_DECL)
			c->decl[c->ndecl++] = c->name[i];
}

/* ---- functions -------------------------------------------------------------- */

static int allowed_function(const struct ctx *c, const char *name)
{
	if (IN_LIST(name, functions_common))
		return 1;
	return c->dialect == DW_DB_MY ? IN_LIST(name, functions_my) : IN_LIST(name, functions_pg);
}

/* The word at i, followed by '(', is syntax rather than a call: a reserved
 * word, ANY or SOME before a subquery, OVER or FILTER after a call. */
static int is_syntax_paren(struct ctx *c, size_t i, int *bad)
{
	const char *w = c->name[i];

	*bad = 0;
	if (IN_LIST(w, syntax_before_paren))
		return 1;
	if (!strcasecmp(w, "ANY") || !strcasecmp(w, "SOME")) {
		size_t inner = skip_open_parens(c, i + 1);

		*bad = !is(c, inner, "SELECT") && !is(c, inner, "WITH");
		return 1;
	}
	return (!strcasecmp(w, "OVER") || !strcasecmp(w, "FILTER")) && i > 0 && is(c, i - 1, ")");
}

/* Every name followed by '(' is an allowed function, a type with its
 * length (after AS or ::), a declared name with its column list, a checked
 * table function or syntax; a quoted name is never a function. */
static int check_functions(struct ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		int bad;

		/* name.name( was refused by check_qualifier */
		if (!is(c, i + 1, "(") || !c->name[i] || c->role[i] == ROLE_DECL ||
		    c->role[i] == ROLE_FUNC)
			continue;
		if (is_kind(c, i, DW_SQLTOK_QIDENT))
			return dataerr(c, "quoted function name '%.*s' is not allowed", SHOW(c, i));
		if (i > 0 && (is(c, i - 1, "AS") || is(c, i - 1, "::"))) {
			if (IN_LIST(c->name[i], type_names))
				continue;
			return dataerr(c, "type '%.*s' is not allowed", SHOW(c, i));
		}
		if (is_syntax_paren(c, i, &bad)) {
			if (bad)
				return dataerr(c, "'%s (' must open a subquery", c->name[i]);
			continue;
		}
		if (!allowed_function(c, c->name[i])) {
			dataerr(c, "function '%.*s' is not allowed", SHOW(c, i));
			dw_err_hint(c->err, "built-in aggregate, arithmetic, string, date, conditional "
				    "and window functions only");
			return -1;
		}
	}
	return 0;
}

/* ---- columns --------------------------------------------------------------- */

static int is_declared(const struct ctx *c, const char *name)
{
	for (size_t i = 0; i < c->ndecl; i++)
		if (!strcasecmp(c->decl[i], name))
			return 1;
	for (size_t i = 0; i < c->nsrc; i++)
		if (!strcasecmp(c->src[i].name, name))
			return 1;
	return 0;
}

static int in_used_table(const struct ctx *c, const char *column)
{
	for (size_t i = 0; i < c->nused; i++)
		if (dw_schema_column(c->used[i], column))
			return 1;
	return 0;
}

/* Closest column among tables (a view of the schema holding only them). */
static const char *suggest_column_in(const struct dw_schema_table **tables, size_t n,
				     const char *name)
{
	struct dw_schema view = { .ntables = n };
	const char *near;

	view.tables = malloc((n + 1) * sizeof *view.tables);
	if (!view.tables)
		return NULL;
	for (size_t i = 0; i < n; i++)
		view.tables[i] = *tables[i];
	near = dw_schema_suggest_column(&view, name);
	free(view.tables);
	return near;
}

static int unknown_column(struct ctx *c, const char *qualifier, const char *name,
			  const struct dw_schema_table **tables, size_t ntables)
{
	const char *near = suggest_column_in(tables, ntables, name);
	const char *dot = qualifier ? "." : "";

	qualifier = qualifier ? qualifier : "";
	dataerr(c, "unknown column '%s%s%s'", qualifier, dot, name);
	if (near) {
		dw_err_hint(c->err, "did you mean '%s%s%s'?", qualifier, dot, near);
		return -1;
	}
	for (size_t i = 0; i < c->schema->ntables; i++) {
		if (dw_schema_column(&c->schema->tables[i], name)) {
			dw_err_hint(c->err, "'%s' is a column of table '%s'", name,
				    c->schema->tables[i].name);
			return -1;
		}
	}
	near = dw_schema_suggest_column(c->schema, name);
	if (near)
		dw_err_hint(c->err, "did you mean '%s'?", near);
	return -1;
}

static int check_unqualified(struct ctx *c, size_t i)
{
	const char *name = c->name[i];

	if (in_used_table(c, name) || is_declared(c, name))
		return 0;
	return unknown_column(c, NULL, name, c->used, c->nused);
}

/* qualifier.column (column NULL for qualifier.*): the qualifier is a table
 * or alias in FROM or JOIN. */
static int check_column_of(struct ctx *c, const char *qualifier, const char *column)
{
	const struct dw_schema_table *tables[8];
	size_t ntables = 0;
	int found = 0, derived = 0;

	for (size_t i = 0; i < c->nsrc; i++) {
		if (strcasecmp(c->src[i].name, qualifier))
			continue;
		found = 1;
		if (!column)
			return 0;
		if (!c->src[i].table)
			derived = 1;
		else if (dw_schema_column(c->src[i].table, column))
			return 0;
		else if (ntables < sizeof tables / sizeof tables[0])
			tables[ntables++] = c->src[i].table;
	}
	if (!found) {
		dataerr(c, "unknown table or alias '%s'", qualifier);
		if (dw_schema_table(c->schema, qualifier))
			dw_err_hint(c->err, "add '%s' to FROM or JOIN", qualifier);
		return -1;
	}
	if (derived && (in_used_table(c, column) || is_declared(c, column)))
		return 0;
	return unknown_column(c, qualifier, column, tables, ntables);
}

/* database.table.column names a model table read without an alias. */
static int is_unaliased_table(const struct ctx *c, const char *name)
{
	for (size_t i = 0; i < c->nsrc; i++)
		if (c->src[i].table && !strcmp(c->src[i].name, name) &&
		    !strcmp(c->src[i].table->name, name))
			return 1;
	return 0;
}

/* A dotted name at i: [database.]table.column or [database.]table.*.
 * Returns the index of its last token, or -1 with err. */
static long check_qualified(struct ctx *c, size_t i)
{
	size_t parts[3] = { i }, n = 1, j = i, nqual;
	int star = 0;

	while (is(c, j + 1, ".")) {
		if (is(c, j + 2, "*")) {
			star = 1;
			j += 2;
			break;
		}
		/* after a dot even reserved words are names: t.order */
		if (!is_kind(c, j + 2, DW_SQLTOK_WORD) && !is_kind(c, j + 2, DW_SQLTOK_QIDENT))
			break;
		if (n == 3)
			return dataerr(c, "unknown column '%.*s'", span_len(c, i, j + 2),
				       c->sql + c->t[i].off);
		j += 2;
		parts[n++] = j;
	}
	nqual = star ? n : n - 1;
	if (nqual == 0)
		return dataerr(c, "dangling '.' after '%.*s'", SHOW(c, i));
	if (nqual == 3)
		return dataerr(c, "unknown column '%.*s'", span_len(c, i, j), c->sql + c->t[i].off);
	if (nqual == 2 && strcmp(c->name[parts[0]], c->schema->database)) {
		dataerr(c, "unknown schema '%s'", c->name[parts[0]]);
		dw_err_hint(c->err, "only tables of '%s' can be queried", c->schema->database);
		return -1;
	}
	if (nqual == 2 && !is_unaliased_table(c, c->name[parts[1]]))
		return dataerr(c, "unknown column '%.*s'", span_len(c, i, j), c->sql + c->t[i].off);
	if (check_column_of(c, c->name[parts[nqual - 1]], star ? NULL : c->name[parts[n - 1]]) < 0)
		return -1;
	return (long)j;
}

static int check_columns(struct ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		long last;

		if (c->role[i] != ROLE_NONE || !is_name(c, i))
			continue;
		if (is(c, i + 1, "("))
			continue;   /* a call: check_functions */
		if (is(c, i + 1, ".")) {
			last = check_qualified(c, i);
			if (last < 0)
				return -1;
			i = (size_t)last;
			continue;
		}
		if (c->cls[i] == WC_SOFT)
			continue;
		if (check_unqualified(c, i) < 0)
			return -1;
	}
	return 0;
}

/* ---- entry point ------------------------------------------------------------ */

static int check_tokens(struct ctx *c, const struct dw_sqltok *all, size_t nall)
{
	if (check_raw(c, all, nall) < 0 || load_tokens(c, all, nall) < 0 || match_parens(c) < 0 ||
	    check_shape(c) < 0 || check_words(c) < 0 || check_tables(c) < 0)
		return -1;
	mark_names(c);
	return check_functions(c) < 0 ? -1 : check_columns(c);
}

const char *dw_validate_function(enum dw_db_kind dialect, size_t i)
{
	size_t ncommon = sizeof functions_common / sizeof functions_common[0];
	size_t nmy = sizeof functions_my / sizeof functions_my[0];
	size_t npg = sizeof functions_pg / sizeof functions_pg[0];

	if (i < ncommon)
		return functions_common[i];
	i -= ncommon;
	if (dialect == DW_DB_MY)
		return i < nmy ? functions_my[i] : NULL;
	return i < npg ? functions_pg[i] : NULL;
}

int dw_validate_sql_tables(const char *sql, enum dw_db_kind dialect,
			   const struct dw_schema *schema, const struct dw_schema_table ***tables,
			   size_t *ntables, struct dw_err *err)
{
	size_t len = strnlen(sql, DW_ASK_SQL_MAX + 1), nall;
	struct ctx c = { .sql = sql, .dialect = dialect, .schema = schema, .err = err };
	struct dw_sqltok *all;
	int rc;

	if (tables)
		*tables = NULL, *ntables = 0;
	if (len > DW_ASK_SQL_MAX)
		return dw_err_set(err, DW_EX_DATAERR, "query is longer than %d bytes",
				  DW_ASK_SQL_MAX);
	if (dw_sqllex(sql, len, dialect, &all, &nall, err) < 0)
		return -1;
	rc = check_tokens(&c, all, nall);
	if (rc == 0 && tables) {
		*tables = c.used, *ntables = c.nused;
		c.used = NULL;
	}
	free_ctx(&c);
	free(all);
	return rc;
}

int dw_validate_sql(const char *sql, enum dw_db_kind dialect, const struct dw_schema *schema,
		    struct dw_err *err)
{
	return dw_validate_sql_tables(sql, dialect, schema, NULL, NULL, err);
}
