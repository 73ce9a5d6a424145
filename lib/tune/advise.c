/* The extractor follows the statement only as far as the server's grammar
 * nests it: brackets ('(' and CASE ... END), SELECT clauses, FROM items,
 * conjuncts. Wherever a shape is not one it knows, it reads nothing rather
 * than guess: a wrong column would make advice, a missing one only less. */
#include "tune/advise.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqllex.h"

#define NONE ((size_t)-1)
/* The table of a column is known and no base table: a derived table or a
 * WITH query. */
#define OTHER ((size_t)-2)
#define IS_ANY(c, i, list) is_any(c, i, list, sizeof list / sizeof list[0])

/* The keywords that start a clause of a SELECT after its select list. */
static const char *const clauses[] = {
	"FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET", "FETCH", "FOR",
	"LOCK", "INTO", "PROCEDURE",
};

static const char *const select_modifiers[] = {
	"ALL", "DISTINCT", "DISTINCTROW", "HIGH_PRIORITY", "STRAIGHT_JOIN", "SQL_SMALL_RESULT",
	"SQL_BIG_RESULT", "SQL_BUFFER_RESULT", "SQL_CACHE", "SQL_NO_CACHE", "SQL_CALC_FOUND_ROWS",
};

static const char *const set_operators[] = { "UNION", "EXCEPT", "INTERSECT", "MINUS" };

/* What joins two table references in FROM (LEFT and RIGHT also name
 * functions: see join_word). */
static const char *const join_words[] = {
	",", "JOIN", "INNER", "CROSS", "OUTER", "LEFT", "RIGHT", "NATURAL", "STRAIGHT_JOIN",
};

/* Words after a table reference that are not its alias (FOR SYSTEM_TIME
 * is one this does not follow). */
static const char *const table_followers[] = {
	"ON", "USING", "JOIN", "INNER", "CROSS", "OUTER", "LEFT", "RIGHT", "NATURAL",
	"STRAIGHT_JOIN", "USE", "FORCE", "IGNORE", "PARTITION", "FOR",
};

/* What FOR starts inside FROM rather than a clause (FOR UPDATE): a
 * system-versioned table's FOR SYSTEM_TIME, an index hint's FOR JOIN, FOR
 * ORDER BY, FOR GROUP BY. */
static const char *const for_in_from[] = { "SYSTEM_TIME", "JOIN", "ORDER", "GROUP" };

/* Words that are values, never columns. */
static const char *const value_words[] = {
	"NULL", "TRUE", "FALSE", "UNKNOWN", "DEFAULT", "CURRENT_DATE", "CURRENT_TIME",
	"CURRENT_TIMESTAMP", "CURRENT_USER", "LOCALTIME", "LOCALTIMESTAMP", "UTC_DATE", "UTC_TIME",
	"UTC_TIMESTAMP",
};

/* Words that make a typed literal of the string after them. */
static const char *const typed_literals[] = { "DATE", "TIME", "TIMESTAMP" };

static const char *const interval_units[] = {
	"MICROSECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR",
	"SECOND_MICROSECOND", "MINUTE_MICROSECOND", "MINUTE_SECOND", "HOUR_MICROSECOND",
	"HOUR_SECOND", "HOUR_MINUTE", "DAY_MICROSECOND", "DAY_SECOND", "DAY_MINUTE", "DAY_HOUR",
	"YEAR_MONTH",
};

/* Operators that may join the parts of a value. */
static const char *const value_operators[] = { "(", ")", ",", "+", "-", "*", "/", "%" };

/* The operators a predicate turns on: the first of them at the top of a
 * conjunct decides what it is (NOT, <>, REGEXP... make it none). */
static const char *const comparisons[] = {
	"=", "<=>", "<", "<=", ">", ">=", "<>", "!=", "!", "IN", "IS", "BETWEEN", "LIKE", "NOT",
	"REGEXP", "RLIKE", "SOUNDS", "MEMBER",
};

struct ctx {
	const char *sql;
	struct dw_sqltok *t;      /* the tokens before any ';', without comments */
	size_t n;
	char **name;              /* per WORD or QIDENT token: its name; else NULL */
	char *arena;              /* storage of the names */
	size_t *match;            /* per '(' or CASE: its ')' or END; else NONE */
	const char **ctes;        /* the names of the WITH queries */
	size_t nctes;
	struct dw_advise_usage *u;
	struct dw_err *err;
	size_t pb, pe;            /* the predicate being read, tokens [pb, pe); pb == pe: none */
};

/* What a qualifier names in one SELECT: a table reference or a derived
 * table. */
struct source {
	const char *alias;
	size_t ref;               /* its index in u->tables, or OTHER */
};

/* A select-list item: its expression [b, e) and its alias's token, or
 * NONE. */
struct item {
	size_t b, e, alias;
};

struct range {
	size_t b, e;
};

/* One SELECT, as its predicates are read. */
struct block {
	const struct block *outer;
	int sure;                 /* its FROM was read to the end: every name is known */
	struct source *src;
	size_t nsrc;
	struct range *on;         /* the ON conditions */
	size_t non;
	struct item *item;
	size_t nitem;
};

static int query(struct ctx *c, size_t b, size_t e, const struct block *outer);
static int conds(struct ctx *c, const struct block *k, size_t b, size_t e);
static int from_list(struct ctx *c, struct block *k, size_t b, size_t e);

static int oom(struct ctx *c)
{
	return dw_err_set(c->err, DW_EX_SOFTWARE, "out of memory");
}

/* ---- tokens ---------------------------------------------------------------- */

static int is(const struct ctx *c, size_t i, const char *text)
{
	return i < c->n && dw_sqllex_tok_is(c->sql, &c->t[i], text);
}

static int is_any(const struct ctx *c, size_t i, const char *const *list, size_t n)
{
	for (size_t j = 0; j < n; j++)
		if (is(c, i, list[j]))
			return 1;
	return 0;
}

static int is_kind(const struct ctx *c, size_t i, enum dw_sqltok_kind kind)
{
	return i < c->n && c->t[i].kind == kind;
}

/* Token i inside [.., e) is text. */
static int at(const struct ctx *c, size_t i, size_t e, const char *text)
{
	return i < e && is(c, i, text);
}

/* The token after i, past the bracket i opens. */
static size_t next(const struct ctx *c, size_t i)
{
	return c->match[i] != NONE ? c->match[i] + 1 : i + 1;
}

/* CASE and END bracket like parentheses, unless a qualifier makes them
 * names (t.end). */
static int is_case_word(const struct ctx *c, size_t i, const char *word)
{
	return is(c, i, word) && !(i > 0 && is(c, i - 1, "."));
}

/* '(' opening a query: a subquery or a derived table. */
static int is_query(const struct ctx *c, size_t i)
{
	if (!is(c, i, "("))
		return 0;
	while (is(c, i, "("))
		i++;
	return is(c, i, "SELECT") || is(c, i, "WITH");
}

/* A name that can be a column's: quoted, or a word that is no value. */
static int is_column_name(const struct ctx *c, size_t i)
{
	return is_kind(c, i, DW_SQLTOK_QIDENT) ||
	       (is_kind(c, i, DW_SQLTOK_WORD) && !IS_ANY(c, i, value_words));
}

static int join_word(const struct ctx *c, size_t i)
{
	return IS_ANY(c, i, join_words) &&
	       !((is(c, i, "LEFT") || is(c, i, "RIGHT")) && is(c, i + 1, "("));
}

/* The end of the item at i of a comma-separated list ending at e. */
static size_t item_end(const struct ctx *c, size_t i, size_t e)
{
	while (i < e && !is(c, i, ","))
		i = next(c, i);
	return i;
}

/* ---- setup ----------------------------------------------------------------- */

/* Keeps the tokens up to a ';', without comments, and decodes the names;
 * only ';' and comments may follow the first ';'. */
static int load_tokens(struct ctx *c, const struct dw_sqltok *all, size_t nall)
{
	size_t arena_len = 0;
	int ended = 0;
	char *p;

	c->t = malloc((nall + 1) * sizeof *c->t);
	c->name = calloc(nall + 1, sizeof *c->name);
	c->match = malloc((nall + 1) * sizeof *c->match);
	c->ctes = malloc((nall + 1) * sizeof *c->ctes);
	for (size_t i = 0; i < nall; i++)
		arena_len += all[i].len + 1;
	c->arena = p = malloc(arena_len + 1);
	if (!c->t || !c->name || !c->match || !c->ctes || !c->arena)
		return oom(c);
	for (size_t i = 0; i < nall; i++) {
		const struct dw_sqltok *t = &all[i];

		if (t->kind == DW_SQLTOK_COMMENT || t->kind == DW_SQLTOK_EXEC_COMMENT)
			continue;
		if (t->kind == DW_SQLTOK_SEMI) {
			ended = 1;
			continue;
		}
		if (ended)
			return dw_err_set(c->err, DW_EX_DATAERR,
					  "more than one statement: '%.*s' at byte %zu after ';'",
					  (int)(t->len < 64 ? t->len : 64), c->sql + t->off, t->off);
		c->t[c->n] = *t;
		if (t->kind == DW_SQLTOK_WORD || t->kind == DW_SQLTOK_QIDENT) {
			/* a decoded name is never longer than its token */
			p[0] = '\0';
			c->name[c->n] = p;
			p += dw_sqllex_tok_name(c->sql, t, p, t->len + 1) + 1;
		}
		c->n++;
	}
	return 0;
}

/* Pairs each '(' with its ')' and each CASE with its END. */
static int pair_brackets(struct ctx *c)
{
	size_t *open = malloc((c->n + 1) * sizeof *open), depth = 0, bad = NONE;

	if (!open)
		return oom(c);
	for (size_t i = 0; i < c->n && bad == NONE; i++) {
		c->match[i] = NONE;
		if (is(c, i, "(") || is_case_word(c, i, "CASE"))
			open[depth++] = i;
		else if (is(c, i, ")") || is_case_word(c, i, "END")) {
			if (!depth || is(c, open[depth - 1], "(") != is(c, i, ")"))
				bad = i;
			else
				c->match[open[--depth]] = i;
		}
	}
	if (bad == NONE && depth)
		bad = open[depth - 1];
	free(open);
	if (bad == NONE)
		return 0;
	return dw_err_set(c->err, DW_EX_DATAERR,
			  "unbalanced parentheses or CASE ... END: '%.*s' at byte %zu",
			  (int)(c->t[bad].len < 64 ? c->t[bad].len : 64), c->sql + c->t[bad].off,
			  c->t[bad].off);
}

static void free_ctx(struct ctx *c)
{
	free(c->t);
	free(c->name);
	free(c->match);
	free(c->ctes);
	free(c->arena);
}

/* ---- recording --------------------------------------------------------------- */

/* A new table reference: schema token s (or NONE), name token nt. Returns
 * its index, OTHER when a name does not fit, NONE when out of memory. */
static size_t add_table(struct ctx *c, size_t s, size_t nt, const char *alias)
{
	const char *schema = s != NONE ? c->name[s] : "";
	struct dw_advise_table *v;

	if (strlen(schema) >= DW_ADVISE_NAME_MAX || strlen(c->name[nt]) >= DW_ADVISE_NAME_MAX ||
	    strlen(alias) >= DW_ADVISE_NAME_MAX)
		return OTHER;
	v = realloc(c->u->tables, (c->u->ntables + 1) * sizeof *v);
	if (!v) {
		oom(c);
		return NONE;
	}
	c->u->tables = v;
	v += c->u->ntables;
	memset(v, 0, sizeof *v);
	strcpy(v->schema, schema);
	strcpy(v->name, c->name[nt]);
	strcpy(v->alias, alias);
	return c->u->ntables++;
}

/* Tokens [b, e) are a predicate that can be run on a sample of its table
 * as it is: its values literals and operators, no call of any function
 * (one may have effects, or take long), no placeholder or variable (their
 * values are another session's). */
static int sampleable(const struct ctx *c, size_t b, size_t e)
{
	if (b >= e)
		return 0;
	for (size_t i = b; i < e; i++) {
		if (is_kind(c, i, DW_SQLTOK_PARAM) || is_kind(c, i, DW_SQLTOK_VAR) ||
		    is_query(c, i) || (is_kind(c, i, DW_SQLTOK_WORD) && !is(c, i, "IN") &&
					at(c, i + 1, e, "(")))
			return 0;
		if (!is_kind(c, i, DW_SQLTOK_WORD) && !is_kind(c, i, DW_SQLTOK_QIDENT) &&
		    !is_kind(c, i, DW_SQLTOK_NUMBER) && !is_kind(c, i, DW_SQLTOK_STRING) &&
		    !is_kind(c, i, DW_SQLTOK_OP))
			return 0;
	}
	return 1;
}

/* Records that table reference ref (none when OTHER or NONE) uses col so;
 * once per column and use; an EQ or RANGE use keeps the predicate's text
 * when it can be sampled. */
static int use(struct ctx *c, size_t ref, const char *col, enum dw_advise_use how, int desc)
{
	struct dw_advise_table *t;
	struct dw_advise_col *v;

	if (ref >= OTHER || strlen(col) >= DW_ADVISE_NAME_MAX)
		return 0;
	t = &c->u->tables[ref];
	for (size_t i = 0; i < t->ncols; i++)
		if (t->cols[i].use == how && !strcasecmp(t->cols[i].name, col))
			return 0;
	v = realloc(t->cols, (t->ncols + 1) * sizeof *v);
	if (!v)
		return oom(c);
	t->cols = v;
	v += t->ncols++;
	strcpy(v->name, col);
	v->use = how;
	v->desc = desc;
	v->pred_off = v->pred_len = 0;
	if ((how == DW_ADVISE_EQ || how == DW_ADVISE_RANGE) && sampleable(c, c->pb, c->pe)) {
		v->pred_off = c->t[c->pb].off;
		v->pred_len = c->t[c->pe - 1].off + c->t[c->pe - 1].len - v->pred_off;
	}
	return 0;
}

/* ---- columns and values ---------------------------------------------------- */

/* The source a qualifier names, from block k outwards; NONE when none, or
 * when a block whose FROM was not read through is passed on the way. */
static size_t qualified(const struct block *k, const char *q)
{
	for (; k; k = k->outer) {
		for (size_t i = 0; i < k->nsrc; i++)
			if (!strcmp(k->src[i].alias, q))
				return k->src[i].ref;
		if (!k->sure)
			return NONE;
	}
	return NONE;
}

/* The table reference schema.table without an alias, as qualified. */
static size_t schema_qualified(const struct ctx *c, const struct block *k, const char *schema,
			       const char *table)
{
	for (; k; k = k->outer) {
		for (size_t i = 0; i < k->nsrc; i++) {
			const struct dw_advise_table *t;

			if (k->src[i].ref >= OTHER)
				continue;
			t = &c->u->tables[k->src[i].ref];
			if (!strcmp(t->schema, schema) && !strcmp(t->name, table) &&
			    !strcmp(t->alias, table))
				return k->src[i].ref;
		}
		if (!k->sure)
			return NONE;
	}
	return NONE;
}

/* The table reference of the column that tokens [b, e) are, nothing more:
 * its index in u->tables with *col its name, OTHER for a column of a
 * derived table or WITH query, NONE when [b, e) is no column or its table
 * is not known. */
static size_t resolve(const struct ctx *c, const struct block *k, size_t b, size_t e,
		      const char **col)
{
	size_t n = e - b;

	if (b >= e || (n != 1 && n != 3 && n != 5))
		return NONE;
	for (size_t i = b; i < e; i += 2)
		if (!is_column_name(c, i) || (i + 1 < e && !is(c, i + 1, ".")))
			return NONE;
	*col = c->name[e - 1];
	if (n == 1)
		return k->sure && k->nsrc == 1 ? k->src[0].ref : NONE;
	if (n == 3)
		return qualified(k, c->name[b]);
	return schema_qualified(c, k, c->name[b], c->name[b + 2]);
}

/* Tokens [b, e) are a value the server computes once for the statement:
 * literals, placeholders, variables, the current date and time, typed
 * literals, INTERVAL n unit, arithmetic, calls of functions on these. */
static int constant(const struct ctx *c, size_t b, size_t e)
{
	if (b >= e)
		return 0;
	for (size_t i = b; i < e; i++) {
		switch (c->t[i].kind) {
		case DW_SQLTOK_NUMBER:
		case DW_SQLTOK_STRING:
		case DW_SQLTOK_PARAM:
		case DW_SQLTOK_VAR:
			break;
		case DW_SQLTOK_OP:
			if (is_query(c, i) || !IS_ANY(c, i, value_operators))
				return 0;
			break;
		case DW_SQLTOK_WORD:
			if (at(c, i + 1, e, "(") || IS_ANY(c, i, value_words) ||
			    (IS_ANY(c, i, typed_literals) && i + 1 < e &&
			     is_kind(c, i + 1, DW_SQLTOK_STRING)))
				break;
			if (!is(c, i, "INTERVAL") || i + 2 >= e ||
			    !(is_kind(c, i + 1, DW_SQLTOK_NUMBER) ||
			      is_kind(c, i + 1, DW_SQLTOK_STRING) || is_kind(c, i + 1, DW_SQLTOK_PARAM)) ||
			    !IS_ANY(c, i + 2, interval_units))
				return 0;
			i += 2;
			break;
		default:
			return 0;
		}
	}
	return 1;
}

/* A LIKE pattern an index can range over: a plain quoted string that
 * starts with a character, not a wildcard or an escape. */
static int prefix_pattern(const struct ctx *c, size_t i)
{
	const char *s = c->sql + c->t[i].off;

	return is_kind(c, i, DW_SQLTOK_STRING) && c->t[i].len > 2 && (s[0] == '\'' || s[0] == '"') &&
	       s[1] != s[0] && !strchr("%_\\", s[1]);
}

/* ---- predicates ------------------------------------------------------------ */

/* [lb, le) = [rb, re): a column and a value, or columns of two table
 * references. */
static int equality(struct ctx *c, const struct block *k, size_t lb, size_t le, size_t rb,
		    size_t re)
{
	const char *lc = NULL, *rc = NULL;
	size_t l = resolve(c, k, lb, le, &lc), r = resolve(c, k, rb, re, &rc);

	if (l != NONE && constant(c, rb, re))
		return use(c, l, lc, DW_ADVISE_EQ, 0);
	if (r != NONE && constant(c, lb, le))
		return use(c, r, rc, DW_ADVISE_EQ, 0);
	if (l == NONE || r == NONE || l == r)
		return 0;
	if (use(c, l, lc, DW_ADVISE_JOIN, 0) < 0)
		return -1;
	return use(c, r, rc, DW_ADVISE_JOIN, 0);
}

/* [lb, le) op [rb, re) with op one of < <= > >=: a column and a value. */
static int comparison(struct ctx *c, const struct block *k, size_t lb, size_t le, size_t rb,
		      size_t re)
{
	const char *col = NULL;
	size_t ref;

	if ((ref = resolve(c, k, lb, le, &col)) != NONE && constant(c, rb, re))
		return use(c, ref, col, DW_ADVISE_RANGE, 0);
	if ((ref = resolve(c, k, rb, re, &col)) != NONE && constant(c, lb, le))
		return use(c, ref, col, DW_ADVISE_RANGE, 0);
	return 0;
}

/* The use that the rest of a predicate [op, e) makes of the column before
 * it, op being IN, IS, BETWEEN or LIKE; -1 for none. */
static int postfix_use(const struct ctx *c, size_t op, size_t e)
{
	size_t and = op + 1;

	if (is(c, op, "IN"))
		return is(c, op + 1, "(") && c->match[op + 1] == e - 1 && !is_query(c, op + 1) &&
				       constant(c, op + 2, e - 1)
			       ? DW_ADVISE_EQ
			       : -1;
	if (is(c, op, "IS"))
		return op + 2 == e && is(c, op + 1, "NULL") ? DW_ADVISE_EQ : -1;
	if (is(c, op, "LIKE"))
		return op + 2 == e && prefix_pattern(c, op + 1) ? DW_ADVISE_RANGE : -1;
	while (and < e && !is(c, and, "AND"))
		and = next(c, and);
	return constant(c, op + 1, and) && constant(c, and + 1, e) ? DW_ADVISE_RANGE : -1;
}

/* One conjunct [b, e) that is no parenthesised condition. */
static int predicate(struct ctx *c, const struct block *k, size_t b, size_t e)
{
	const char *col = NULL;
	size_t op = b, ref;
	int how;

	int rc;

	while (op < e && !IS_ANY(c, op, comparisons))
		op = next(c, op);
	if (op == e)
		return 0;
	c->pb = b, c->pe = e;
	if (is(c, op, "=") || is(c, op, "<=>")) {
		rc = equality(c, k, b, op, op + 1, e);
	} else if (is(c, op, "<") || is(c, op, "<=") || is(c, op, ">") || is(c, op, ">=")) {
		rc = comparison(c, k, b, op, op + 1, e);
	} else if (!is(c, op, "IN") && !is(c, op, "IS") && !is(c, op, "BETWEEN") &&
		   !is(c, op, "LIKE")) {
		rc = 0;
	} else {
		ref = resolve(c, k, b, op, &col);
		how = postfix_use(c, op, e);
		rc = ref == NONE || how < 0 ? 0 : use(c, ref, col, (enum dw_advise_use)how, 0);
	}
	c->pb = c->pe = 0;
	return rc;
}

static int conjunct(struct ctx *c, const struct block *k, size_t b, size_t e)
{
	if (b < e && is(c, b, "(") && c->match[b] == e - 1 && !is_query(c, b))
		return conds(c, k, b + 1, e - 1);
	return predicate(c, k, b, e);
}

/* The predicates of condition [b, e) that an index can serve: those of its
 * conjuncts, none when OR, XOR or || joins anything at its level (the
 * AND of a BETWEEN joins nothing). */
static int conds(struct ctx *c, const struct block *k, size_t b, size_t e)
{
	size_t start = b;
	int between = 0;

	for (size_t i = b; i < e; i = next(c, i))
		if (is(c, i, "OR") || is(c, i, "XOR") || is(c, i, "||"))
			return 0;
	for (size_t i = b; i < e; i = next(c, i)) {
		if (is(c, i, "BETWEEN"))
			between = 1;
		else if (is(c, i, "AND") && between)
			between = 0;
		else if (is(c, i, "AND") || is(c, i, "&&")) {
			if (conjunct(c, k, start, i) < 0)
				return -1;
			start = i + 1;
		}
	}
	return conjunct(c, k, start, e);
}

/* ---- GROUP BY, ORDER BY ---------------------------------------------------- */

/* The select-list position that NUMBER token i is, 0 when none. */
static size_t position(const struct ctx *c, size_t i)
{
	const char *s = c->sql + c->t[i].off;
	size_t p = 0;

	for (size_t j = 0; j < c->t[i].len; j++) {
		if (s[j] < '0' || s[j] > '9' || p > 100000)
			return 0;
		p = p * 10 + (size_t)(s[j] - '0');
	}
	return p;
}

/* Token i, a select-list alias, may be name: a name or a quoted string
 * that is it, or a string with a prefix (N'..'), not decoded here. */
static int alias_may_be(const struct ctx *c, size_t i, const char *name)
{
	const char *s = c->sql + c->t[i].off;
	size_t len = c->t[i].len - 2;

	if (c->name[i])
		return !strcasecmp(c->name[i], name);
	return (*s != '\'' && *s != '"') || (strlen(name) == len && !strncasecmp(s + 1, name, len));
}

static int is_select_alias(const struct ctx *c, const struct block *k, const char *name)
{
	for (size_t i = 0; i < k->nitem; i++)
		if (k->item[i].alias != NONE && alias_may_be(c, k->item[i].alias, name))
			return 1;
	return 0;
}

/* The table reference of GROUP BY or ORDER BY item [b, e), as resolve; a
 * name that a select-list alias has may be either, so it is none. */
static size_t by_item(const struct ctx *c, const struct block *k, size_t b, size_t e,
		      const char **col, int *desc)
{
	*desc = e > b + 1 && is(c, e - 1, "DESC");
	if (e > b + 1 && (*desc || is(c, e - 1, "ASC")))
		e--;
	if (e == b + 1 && is_kind(c, b, DW_SQLTOK_NUMBER)) {
		size_t p = position(c, b);

		return p >= 1 && p <= k->nitem ? resolve(c, k, k->item[p - 1].b, k->item[p - 1].e, col)
					       : NONE;
	}
	if (e == b + 1 && c->name[b] && is_select_alias(c, k, c->name[b]))
		return NONE;
	return resolve(c, k, b, e, col);
}

/* GROUP BY or ORDER BY list [b, e): recorded when every item is a column
 * of one and the same table reference. */
static int by_list(struct ctx *c, const struct block *k, size_t b, size_t e,
		   enum dw_advise_use how)
{
	const char *col = NULL;
	size_t ref = NONE, end;
	int desc;

	for (size_t s = b; s < e; s = end + 1) {
		size_t r;

		end = item_end(c, s, e);
		r = by_item(c, k, s, end, &col, &desc);
		if (r >= OTHER || (ref != NONE && r != ref))
			return 0;
		ref = r;
	}
	for (size_t s = b; s < e; s = end + 1) {
		end = item_end(c, s, e);
		ref = by_item(c, k, s, end, &col, &desc);
		if (use(c, ref, col, how, desc) < 0)
			return -1;
	}
	return 0;
}

/* ---- SELECT ---------------------------------------------------------------- */

/* Select-list item [b, e), its alias split off: "expr AS name" or
 * "expr name" where expr ends in an operand. */
static struct item select_item(const struct ctx *c, size_t b, size_t e)
{
	struct item it = { b, e, NONE };
	size_t last = e - 1;
	int named = is_kind(c, last, DW_SQLTOK_QIDENT) || is_kind(c, last, DW_SQLTOK_STRING) ||
		    (is_kind(c, last, DW_SQLTOK_WORD) && c->match[last] == NONE &&
		     !is_case_word(c, last, "END"));

	if (e - b < 2 || !named)
		return it;
	if (e - b >= 3 && is(c, last - 1, "AS"))
		it.e = last - 1;
	else if (is(c, last - 1, ")") || is_case_word(c, last - 1, "END") ||
		 (!is_kind(c, last - 1, DW_SQLTOK_OP) && !is(c, last - 1, "AS")))
		it.e = last;
	else
		return it;
	it.alias = last;
	return it;
}

/* The select list [b, e) into k->item. */
static void select_list(const struct ctx *c, struct block *k, size_t b, size_t e)
{
	size_t end;

	while (b < e && IS_ANY(c, b, select_modifiers))
		b++;
	for (size_t s = b; s < e; s = end + 1) {
		end = item_end(c, s, e);
		if (s < end)
			k->item[k->nitem++] = select_item(c, s, end);
	}
}

/* Token i starts a clause of a SELECT. */
static int is_clause(const struct ctx *c, size_t i)
{
	if (is(c, i, "FOR"))
		return !IS_ANY(c, i + 1, for_in_from);
	return IS_ANY(c, i, clauses) && !(i > 0 && is(c, i - 1, "FOR"));
}

/* The first clause of a SELECT at or after i (at its level), or e. */
static size_t clause_end(const struct ctx *c, size_t i, size_t e)
{
	while (i < e && !is_clause(c, i))
		i = next(c, i);
	return i;
}

/* The clause of SELECT [b, e) that starts with word (nwords keywords):
 * 1 with its body in *r, 0 when there is none. */
static int clause(const struct ctx *c, size_t b, size_t e, const char *word, size_t nwords,
		  struct range *r)
{
	for (size_t i = b; i < e; i = next(c, i))
		if (is(c, i, word) && is_clause(c, i)) {
			r->b = i + nwords < e ? i + nwords : e;
			r->e = clause_end(c, r->b, e);
			return 1;
		}
	return 0;
}

/* The subqueries in tokens [b, e) of SELECT k, each with k outside it. */
static int subqueries(struct ctx *c, const struct block *k, size_t b, size_t e)
{
	for (size_t i = b; i < e; i++)
		if (is_query(c, i)) {
			if (query(c, i + 1, c->match[i], k) < 0)
				return -1;
			i = c->match[i];
		}
	return 0;
}

/* The clauses of SELECT k [b, e) but FROM, its select list read. */
static int clauses_of(struct ctx *c, struct block *k, size_t b, size_t e, int keep_order,
		      struct range from)
{
	struct range r;

	for (size_t j = 0; j < k->non; j++)
		if (conds(c, k, k->on[j].b, k->on[j].e) < 0)
			return -1;
	if (clause(c, b, e, "WHERE", 1, &r) && conds(c, k, r.b, r.e) < 0)
		return -1;
	if (clause(c, b, e, "GROUP", 2, &r) && by_list(c, k, r.b, r.e, DW_ADVISE_GROUP) < 0)
		return -1;
	if (keep_order && clause(c, b, e, "ORDER", 2, &r) &&
	    by_list(c, k, r.b, r.e, DW_ADVISE_ORDER) < 0)
		return -1;
	if (subqueries(c, k, b, from.b) < 0 || subqueries(c, k, from.e, e) < 0)
		return -1;
	for (size_t j = 0; j < k->non; j++)
		if (subqueries(c, k, k->on[j].b, k->on[j].e) < 0)
			return -1;
	return 0;
}

/* The SELECT [b, e), b its SELECT keyword; keep_order 0 where its ORDER BY
 * sorts a UNION. */
static int select_block(struct ctx *c, size_t b, size_t e, const struct block *outer,
			int keep_order)
{
	struct block k = { .outer = outer, .sure = 1 };
	size_t list_end = clause_end(c, b + 1, e);
	struct range from = { list_end, list_end };
	int rc = 0;

	k.src = malloc((e - b + 1) * sizeof *k.src);
	k.on = malloc((e - b + 1) * sizeof *k.on);
	k.item = malloc((e - b + 1) * sizeof *k.item);
	if (!k.src || !k.on || !k.item)
		rc = oom(c);
	if (rc == 0) {
		select_list(c, &k, b + 1, list_end);
		if (clause(c, b, e, "FROM", 1, &from))
			rc = from_list(c, &k, from.b, from.e);
	}
	if (rc == 0)
		rc = clauses_of(c, &k, b, e, keep_order, from);
	free(k.src);
	free(k.on);
	free(k.item);
	return rc;
}

/* ---- FROM ------------------------------------------------------------------ */

/* What follows a table reference at *i: PARTITION (...), its alias (into
 * *alias), a derived table's column names, index hints. Returns 0, or -1
 * when an index hint has no list. */
static int table_tail(const struct ctx *c, size_t *pos, size_t e, const char **alias)
{
	size_t i = *pos;

	if (at(c, i, e, "PARTITION") && at(c, i + 1, e, "("))
		i = c->match[i + 1] + 1;
	if (at(c, i, e, "AS") && i + 1 < e && c->name[i + 1]) {
		*alias = c->name[i + 1];
		i += 2;
	} else if (i < e && c->name[i] && !IS_ANY(c, i, table_followers)) {
		*alias = c->name[i++];
	}
	if (at(c, i, e, "("))
		i = c->match[i] + 1;
	while (at(c, i, e, "USE") || at(c, i, e, "FORCE") || at(c, i, e, "IGNORE")) {
		while (i < e && !is(c, i, "("))
			i++;
		if (i >= e)
			return -1;
		i = c->match[i] + 1;
	}
	*pos = i;
	return 0;
}

static int is_cte(const struct ctx *c, const char *name)
{
	for (size_t i = 0; i < c->nctes; i++)
		if (!strcasecmp(c->ctes[i], name))
			return 1;
	return 0;
}

/* The table reference at *pos into k: a base table, a derived table, a
 * table function or a parenthesised join. k->sure is cleared when it is
 * none of these. */
static int table_ref(struct ctx *c, struct block *k, size_t *pos, size_t e)
{
	size_t i = *pos, s = NONE, nt = NONE, ref = OTHER;
	const char *alias = NULL;

	if (at(c, i, e, "LATERAL"))
		i++;
	if (at(c, i, e, "(") && !is_query(c, i)) {
		*pos = c->match[i] + 1;
		return from_list(c, k, i + 1, c->match[i]);
	}
	if (at(c, i, e, "(")) {
		if (query(c, i + 1, c->match[i], k->outer) < 0)
			return -1;
		i = c->match[i] + 1;
	} else if (i < e && c->name[i]) {
		if (at(c, i + 1, e, ".") && i + 2 < e && c->name[i + 2]) {
			s = i;
			i += 2;
		}
		alias = c->name[i];
		if (at(c, i + 1, e, "("))   /* a table function: JSON_TABLE(...) */
			i = c->match[i + 1] + 1;
		else if (s != NONE || !is_cte(c, c->name[i]))
			nt = i++;
		else
			i++;
	} else {
		k->sure = 0;
		return 0;
	}
	if (table_tail(c, &i, e, &alias) < 0 || !alias) {
		k->sure = 0;
		return 0;
	}
	if (nt != NONE && (ref = add_table(c, s, nt, alias)) == NONE)
		return -1;
	k->src[k->nsrc++] = (struct source){ alias, ref };
	*pos = i;
	return 0;
}

/* USING (columns) [b, e) of the table references k->src[left..]: each
 * column is a join column of the one table reference it joins and of the
 * one before it, when just one each. */
static int using_list(struct ctx *c, const struct block *k, size_t left, size_t b, size_t e)
{
	for (size_t i = b; i < e; i++) {
		if (!c->name[i])
			continue;
		if (k->nsrc == left + 1 && use(c, k->src[left].ref, c->name[i], DW_ADVISE_JOIN, 0) < 0)
			return -1;
		if (left == 1 && use(c, k->src[0].ref, c->name[i], DW_ADVISE_JOIN, 0) < 0)
			return -1;
	}
	return 0;
}

/* The table references of FROM [b, e) into k, their ON conditions kept
 * for when all are known. At a shape it does not follow, k->sure is
 * cleared and the rest left. */
static int from_list(struct ctx *c, struct block *k, size_t b, size_t e)
{
	size_t i = b;

	while (i < e) {
		size_t left = k->nsrc;

		while (i < e && join_word(c, i))
			i++;
		if (i >= e)
			break;
		if (table_ref(c, k, &i, e) < 0)
			return -1;
		if (!k->sure)
			return 0;
		if (at(c, i, e, "ON")) {
			k->on[k->non].b = ++i;
			while (i < e && !join_word(c, i))
				i = next(c, i);
			k->on[k->non++].e = i;
		} else if (at(c, i, e, "USING") && at(c, i + 1, e, "(")) {
			if (using_list(c, k, left, i + 2, c->match[i + 1]) < 0)
				return -1;
			i = c->match[i + 1] + 1;
		}
		if (i < e && !join_word(c, i)) {
			k->sure = 0;
			return 0;
		}
	}
	return 0;
}

/* ---- queries --------------------------------------------------------------- */

/* WITH [RECURSIVE] name [(columns)] AS (query), ... at b: the names kept,
 * the bodies walked; *pos is where the main query starts. */
static int with_list(struct ctx *c, size_t b, size_t e, const struct block *outer, size_t *pos)
{
	size_t i = b + 1;

	if (at(c, i, e, "RECURSIVE"))
		i++;
	while (i < e && c->name[i]) {
		c->ctes[c->nctes++] = c->name[i++];
		if (at(c, i, e, "("))
			i = c->match[i] + 1;
		if (!at(c, i, e, "AS") || !at(c, i + 1, e, "("))
			break;
		if (query(c, i + 2, c->match[i + 1], outer) < 0)
			return -1;
		i = c->match[i + 1] + 1;
		if (!at(c, i, e, ","))
			break;
		i++;
	}
	*pos = i;
	return 0;
}

/* One operand of a set operation: a SELECT, or a parenthesised query
 * (what follows its ')' sorts or limits it). VALUES and TABLE use no
 * index. */
static int query_part(struct ctx *c, size_t b, size_t e, const struct block *outer,
		      int keep_order)
{
	if (at(c, b, e, "("))
		return query(c, b + 1, c->match[b], outer);
	if (at(c, b, e, "SELECT"))
		return select_block(c, b, e, outer, keep_order);
	return 0;
}

/* The query [b, e): an optional WITH, then SELECTs or parenthesised
 * queries joined by UNION, EXCEPT or INTERSECT. */
static int query(struct ctx *c, size_t b, size_t e, const struct block *outer)
{
	size_t start;
	int parts = 1;

	if (at(c, b, e, "WITH") && with_list(c, b, e, outer, &b) < 0)
		return -1;
	for (size_t i = b; i < e; i = next(c, i))
		parts += IS_ANY(c, i, set_operators);
	start = b;
	for (size_t i = b;; i = next(c, i)) {
		if (i < e && !IS_ANY(c, i, set_operators))
			continue;
		if (query_part(c, start, i, outer, parts == 1) < 0)
			return -1;
		if (i >= e)
			return 0;
		start = i + 1;
		if (at(c, start, e, "ALL") || at(c, start, e, "DISTINCT"))
			start++;
	}
}

int dw_advise_usage(const char *sql, struct dw_advise_usage *u, struct dw_err *err)
{
	struct ctx c = { .sql = sql, .u = u, .err = err };
	struct dw_sqltok *all;
	size_t nall, first;
	int rc;

	memset(u, 0, sizeof *u);
	if (dw_sqllex(sql, strlen(sql), DW_DB_MY, &all, &nall, err) < 0)
		return -1;
	rc = load_tokens(&c, all, nall);
	free(all);
	if (rc == 0)
		rc = pair_brackets(&c);
	for (first = 0; rc == 0 && first + 1 < c.n && is(&c, first, "("); first++)
		;
	if (rc == 0 && c.n == 0)
		rc = dw_err_set(err, DW_EX_DATAERR, "empty statement");
	else if (rc == 0 && !is(&c, first, "SELECT") && !is(&c, first, "WITH"))
		rc = dw_err_set(err, DW_EX_DATAERR, "not a SELECT statement: it starts with '%.*s'",
				(int)(c.t[first].len < 64 ? c.t[first].len : 64),
				sql + c.t[first].off);
	if (rc == 0)
		rc = query(&c, 0, c.n, NULL);
	free_ctx(&c);
	if (rc < 0)
		dw_advise_usage_release(u);
	return rc;
}

void dw_advise_usage_release(struct dw_advise_usage *u)
{
	for (size_t i = 0; i < u->ntables; i++)
		free(u->tables[i].cols);
	free(u->tables);
	u->tables = NULL;
	u->ntables = 0;
}

/* ---- candidates ------------------------------------------------------------ */

/* The columns of an index in the making. */
struct cols {
	const char *v[DW_ADVISE_COLS_MAX];
	size_t n;
};

struct cand_list {
	struct dw_advise_candidate *v;
	size_t n, cap;
	const struct dw_advise_index *existing;
	size_t nexisting;
};

static int has_col(const struct cols *ix, const char *name)
{
	for (size_t i = 0; i < ix->n; i++)
		if (!strcasecmp(ix->v[i], name))
			return 1;
	return 0;
}

/* Appends t's columns of use how that ix lacks, while there is room. */
static void append_use(const struct dw_advise_table *t, enum dw_advise_use how, struct cols *ix)
{
	for (size_t i = 0; i < t->ncols && ix->n < DW_ADVISE_COLS_MAX; i++)
		if (t->cols[i].use == how && !has_col(ix, t->cols[i].name))
			ix->v[ix->n++] = t->cols[i].name;
}

/* Appends t's columns of use how that ix lacks, all or none (a part of a
 * GROUP BY or ORDER BY list serves neither); ORDER BY only when it sorts
 * all one way. */
static void append_all(const struct dw_advise_table *t, enum dw_advise_use how, struct cols *ix)
{
	struct cols more = *ix;
	int dir = -1;

	for (size_t i = 0; i < t->ncols; i++) {
		if (t->cols[i].use != how || has_col(&more, t->cols[i].name))
			continue;
		if (more.n == DW_ADVISE_COLS_MAX || (dir >= 0 && t->cols[i].desc != dir))
			return;
		dir = t->cols[i].desc;
		more.v[more.n++] = t->cols[i].name;
	}
	*ix = more;
}

static int has_use(const struct dw_advise_table *t, enum dw_advise_use how)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (t->cols[i].use == how)
			return 1;
	return 0;
}

/* The many-column candidate of t. */
static void composite(const struct dw_advise_table *t, struct cols *ix)
{
	const char *range = NULL;

	ix->n = 0;
	append_use(t, DW_ADVISE_EQ, ix);
	append_use(t, DW_ADVISE_JOIN, ix);
	for (size_t i = 0; i < t->ncols && !range; i++)
		if (t->cols[i].use == DW_ADVISE_RANGE && !has_col(ix, t->cols[i].name))
			range = t->cols[i].name;
	if (range && ix->n < DW_ADVISE_COLS_MAX)
		ix->v[ix->n++] = range;
	else if (!range)
		append_all(t, has_use(t, DW_ADVISE_GROUP) ? DW_ADVISE_GROUP : DW_ADVISE_ORDER, ix);
}

/* An index of table's name and schema; a NULL or "" schema matches any. */
static int same_table(const char *schema_a, const char *table_a, const char *schema_b,
		      const char *table_b)
{
	return !strcmp(table_a, table_b) &&
	       (!schema_a || !*schema_a || !schema_b || !*schema_b || !strcmp(schema_a, schema_b));
}

/* ix starts an existing index of t. */
static int served(const struct cand_list *l, const struct dw_advise_table *t,
		  const struct cols *ix)
{
	for (size_t i = 0; i < l->nexisting; i++) {
		const struct dw_advise_index *x = &l->existing[i];
		size_t j = 0;

		if (!same_table(x->schema, x->table, t->schema, t->name) || x->ncols < ix->n)
			continue;
		while (j < ix->n && !strcasecmp(x->cols[j], ix->v[j]))
			j++;
		if (j == ix->n)
			return 1;
	}
	return 0;
}

static int listed(const struct cand_list *l, const struct dw_advise_table *t,
		  const struct cols *ix)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct dw_advise_candidate *d = &l->v[i];
		size_t j = 0;

		if (strcmp(d->table, t->name) || strcmp(d->schema, t->schema) || d->ncols != ix->n)
			continue;
		while (j < ix->n && !strcasecmp(d->cols[j], ix->v[j]))
			j++;
		if (j == ix->n)
			return 1;
	}
	return 0;
}

static int add_candidate(struct cand_list *l, const struct dw_advise_table *t,
			 const struct cols *ix)
{
	struct dw_advise_candidate *d;

	if (!ix->n || served(l, t, ix) || listed(l, t, ix))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;

		d = realloc(l->v, cap * sizeof *d);
		if (!d)
			return -1;
		l->v = d;
		l->cap = cap;
	}
	d = &l->v[l->n++];
	strcpy(d->schema, t->schema);
	strcpy(d->table, t->name);
	for (size_t j = 0; j < ix->n; j++)
		strcpy(d->cols[j], ix->v[j]);
	d->ncols = ix->n;
	return 0;
}

/* The candidates of table reference t: its composite, then its columns
 * alone. */
static int table_candidates(struct cand_list *l, const struct dw_advise_table *t)
{
	struct cols ix;

	composite(t, &ix);
	if (add_candidate(l, t, &ix) < 0)
		return -1;
	for (size_t i = 0; i < t->ncols; i++) {
		if (t->cols[i].use != DW_ADVISE_EQ && t->cols[i].use != DW_ADVISE_JOIN &&
		    t->cols[i].use != DW_ADVISE_RANGE)
			continue;
		ix.v[0] = t->cols[i].name;
		ix.n = 1;
		if (add_candidate(l, t, &ix) < 0)
			return -1;
	}
	return 0;
}

int dw_advise_candidates(const struct dw_advise_usage *u, const struct dw_advise_index *existing,
			 size_t nexisting, struct dw_advise_candidate **out, size_t *n,
			 struct dw_err *err)
{
	struct cand_list l = { .existing = existing, .nexisting = nexisting };

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < u->ntables; i++)
		if (table_candidates(&l, &u->tables[i]) < 0) {
			free(l.v);
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		}
	*out = l.v;
	*n = l.n;
	return 0;
}

/* ---- redundant indexes ----------------------------------------------------- */

/* b serves every lookup a serves and enforces what a enforces. */
static int covers(const struct dw_advise_index *b, const struct dw_advise_index *a)
{
	size_t j = 0;

	if (a == b || a->primary || !a->ncols || a->ncols > b->ncols ||
	    !same_table(a->schema, a->table, b->schema, b->table))
		return 0;
	if (a->unique && (!(b->unique || b->primary) || a->ncols != b->ncols))
		return 0;
	while (j < a->ncols && !strcasecmp(a->cols[j], b->cols[j]))
		j++;
	return j == a->ncols;
}

/* The index that makes existing[i] redundant, or NONE. */
static size_t cover_of(const struct dw_advise_index *existing, size_t n, size_t i)
{
	size_t by = NONE;

	for (size_t j = 0; j < n; j++) {
		if (!covers(&existing[j], &existing[i]))
			continue;
		if (j > i && covers(&existing[i], &existing[j]))
			continue;   /* twins: the earlier one stays */
		if (by == NONE || existing[j].ncols > existing[by].ncols)
			by = j;
	}
	return by;
}

int dw_advise_redundant(const struct dw_advise_index *existing, size_t n,
			struct dw_advise_cover **out, size_t *nout, struct dw_err *err)
{
	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i < n; i++) {
		size_t by = cover_of(existing, n, i);
		struct dw_advise_cover *v;

		if (by == NONE)
			continue;
		v = realloc(*out, (*nout + 1) * sizeof *v);
		if (!v) {
			free(*out);
			*out = NULL;
			*nout = 0;
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		}
		*out = v;
		v[(*nout)++] = (struct dw_advise_cover){ i, by };
	}
	return 0;
}
