/* advise: the first step of dw-tune advise, index advice for the MariaDB
 * warehouse. Pure, no database: the columns a SELECT uses per table
 * reference (dw_advise_usage), the indexes they suggest that no existing
 * index already serves (dw_advise_candidates), and the existing indexes
 * another index of their table makes redundant (dw_advise_redundant).
 *
 * The extractor is conservative: a shape it does not follow loses
 * columns, it never invents one. It reads, per SELECT (subqueries,
 * derived tables and WITH queries each on their own, with the SQL lexer
 * of sqllex.h):
 * - the conjuncts (AND) of WHERE and of each JOIN's ON, looking into
 *   parenthesised ones (CASE ... END brackets like them); nothing at a
 *   level that OR, XOR or || joins;
 * - col = value, col <=> value, col IN (values), col IS NULL (EQ), either
 *   side first; col <, <=, >, >= value, col BETWEEN value AND value,
 *   col LIKE 'prefix%' (RANGE). A value is a literal, a placeholder, a
 *   variable, CURRENT_DATE and its kin, DATE '...', INTERVAL n unit and
 *   calls of functions on these; never a column or a subquery;
 * - col = col of another table reference, derived table or WITH query
 *   (JOIN, for each side that is a base table's), and each column of
 *   USING (...) for the table it joins and, when there is just one, the
 *   table reference before it; NATURAL JOIN gives none;
 * - GROUP BY and ORDER BY lists, only when every item is a column (or the
 *   position of a select-list column) of one and the same table
 *   reference: an index delivers no other order. ORDER BY is left out
 *   where it sorts a UNION.
 * A column is [[schema.]table.]col, nothing around it: YEAR(d) = 2014,
 * d + 0 = 1, NOT, <>, IS NOT NULL, LIKE '%x' and LIKE ? are none. A
 * qualifier resolves through the aliases of its SELECT and then of the
 * enclosing ones (correlated subqueries). An unqualified column belongs to
 * the only table of its SELECT's FROM; with several it is left out, as is
 * one named like a select-list alias in GROUP BY or ORDER BY, and any
 * column of a derived table or WITH query. A derived table sees no table
 * beside it (MariaDB has no LATERAL). Past a FROM shape it does not follow
 * (FOR SYSTEM_TIME, an ODBC { OJ }), the later tables are not read and
 * unqualified columns of that SELECT are left out. HAVING's predicates
 * are not read (its subqueries are). */
#ifndef DW_TUNE_ADVISE_H
#define DW_TUNE_ADVISE_H

#include <stddef.h>

#include "err.h"

/* Room for a MariaDB name: 64 characters of up to 4 bytes, and the NUL.
 * Longer names are left out. */
#define DW_ADVISE_NAME_MAX 257
/* The columns of a candidate index at most. */
#define DW_ADVISE_COLS_MAX 4

enum dw_advise_use {
	DW_ADVISE_EQ,      /* col = value, col <=> value, col IN (values), col IS NULL */
	DW_ADVISE_JOIN,    /* col = col of another table reference, USING (col) */
	DW_ADVISE_RANGE,   /* col <, <=, >, >= value, BETWEEN, LIKE 'prefix%' */
	DW_ADVISE_GROUP,   /* GROUP BY, in its order */
	DW_ADVISE_ORDER,   /* ORDER BY, in its order */
};

struct dw_advise_col {
	char name[DW_ADVISE_NAME_MAX];   /* as first written */
	enum dw_advise_use use;
	int desc;                        /* DW_ADVISE_ORDER: sorted DESC */
	/* EQ and RANGE: the first predicate's text, bytes [pred_off, +pred_len)
	 * of the statement, when it can be run on a sample of the table as it
	 * is (literals and operators only: no function call, placeholder,
	 * variable or subquery); pred_len 0 otherwise. */
	size_t pred_off, pred_len;
};

/* One reference to a base table in a FROM: a table read twice (a self
 * join, again in a subquery) has two, so predicates on different reads of
 * it never make one index. */
struct dw_advise_table {
	char schema[DW_ADVISE_NAME_MAX];  /* "" when the query names none */
	char name[DW_ADVISE_NAME_MAX];
	char alias[DW_ADVISE_NAME_MAX];   /* the name when it has no alias */
	struct dw_advise_col *cols;       /* one per column and use (names compare
					     case-insensitively), in the order read:
					     USING and ON, WHERE, GROUP BY, ORDER BY,
					     then the subqueries' correlations */
	size_t ncols;
};

struct dw_advise_usage {
	struct dw_advise_table *tables;   /* every base table reference, in the order
					     read: WITH queries', then each SELECT's FROM
					     (a derived table's in its place) before its
					     subqueries' */
	size_t ntables;
};

/* The usage of the one SELECT statement sql (MariaDB dialect; a trailing
 * ';' and comments are fine). Returns 0, or -1 with err: DW_EX_DATAERR for
 * what the lexer refuses, an empty statement, one that is not a SELECT
 * (or WITH, or a parenthesised SELECT), more than one statement and
 * unbalanced parentheses or CASE ... END; DW_EX_SOFTWARE when out of
 * memory. u is empty after a failure; release it with
 * dw_advise_usage_release either way. */
int dw_advise_usage(const char *sql, struct dw_advise_usage *u, struct dw_err *err);
void dw_advise_usage_release(struct dw_advise_usage *u);

/* An existing B-tree index (FULLTEXT and SPATIAL ones are not described
 * here: they serve none of these lookups). Nothing is copied. */
struct dw_advise_index {
	const char *schema;         /* NULL or "": matches its table in any schema */
	const char *table;
	const char *name;
	const char *const *cols;    /* ncols column names, in index order */
	size_t ncols;
	int unique;
	int primary;                /* PRIMARY KEY (unique too, whatever unique says) */
};

struct dw_advise_candidate {
	char schema[DW_ADVISE_NAME_MAX];   /* the table reference's: "" when unnamed */
	char table[DW_ADVISE_NAME_MAX];
	char cols[DW_ADVISE_COLS_MAX][DW_ADVISE_NAME_MAX];
	size_t ncols;                      /* 1 to DW_ADVISE_COLS_MAX */
};

/* The candidate indexes of u, per table reference in order. First one of
 * many columns: its EQ columns, then its JOIN ones (each in the order
 * read; at most DW_ADVISE_COLS_MAX in all), then its first RANGE column
 * not among them if there is one and room; with no such RANGE column,
 * its GROUP BY columns, or else its ORDER BY ones when all sort the same
 * way, those not already in, when all fit. Then each EQ, JOIN and RANGE
 * column alone, in the order read.
 * Duplicates are dropped (the same table, schema and columns; columns
 * compare case-insensitively), and so is a candidate that an existing
 * index of the table starts with (the same columns in the same order at
 * its start; the table's name and schema compare exactly, an unnamed
 * schema matching any). Returns 0 with *out a malloc'd array of *n
 * candidates (the caller frees it with free(); NULL when there are none),
 * or -1 with err (DW_EX_SOFTWARE, out of memory). */
int dw_advise_candidates(const struct dw_advise_usage *u, const struct dw_advise_index *existing,
			 size_t nexisting, struct dw_advise_candidate **out, size_t *n,
			 struct dw_err *err);

/* An existing index another one makes redundant: positions in the array
 * given to dw_advise_redundant. */
struct dw_advise_cover {
	size_t index;   /* the redundant index */
	size_t by;      /* the index that covers it */
};

/* The redundant indexes of existing[0..n): those whose columns start
 * another index of the same table (names compare exactly, a NULL or ""
 * schema matching any; columns case-insensitively), unless PRIMARY, and unless
 * UNIQUE when the other is not unique or is longer (its uniqueness would
 * be lost). Of two with the same columns that cover each other, the later
 * one is redundant. Each is named with the longest index that covers it,
 * the first of those of equal length. Returns 0 with *out a malloc'd array
 * of *nout, in the order of existing (the caller frees it with free();
 * NULL when there are none), or -1 with err (DW_EX_SOFTWARE, out of
 * memory). */
int dw_advise_redundant(const struct dw_advise_index *existing, size_t n,
			struct dw_advise_cover **out, size_t *nout, struct dw_err *err);

#endif
