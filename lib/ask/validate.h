/* validate: proves that SQL from an LLM or the semantic engine is one
 * read-only query over the model's tables before dw-ask runs it.
 *
 * The checks work on lib/sqllex tokens (so strings, quoted identifiers and
 * comments are told apart as the server does). They are an allow list over
 * the token stream: what the validator cannot resolve is refused. A query
 * passes only when:
 *
 * - it is at most DW_ASK_SQL_MAX bytes, lexes cleanly and holds exactly one
 *   statement: a trailing ';' (then only comments) is allowed;
 * - it starts with SELECT or WITH (after any '('), the query after a WITH
 *   list is a SELECT, every WITH query's body is a SELECT, and a WITH list
 *   starts the query or a parenthesised subquery;
 * - it holds no MySQL executable comment or optimizer hint, no comment
 *   containing ';', no variable (@x, @@x), no ':=', no ODBC escape ({ or }),
 *   no index hint (USE, FORCE or IGNORE INDEX or KEY), and no unquoted word
 *   with non-ASCII bytes (look-alike letters);
 * - no unquoted word is one of INTO OUTFILE DUMPFILE INSERT UPDATE DELETE
 *   REPLACE MERGE UPSERT CREATE ALTER DROP TRUNCATE RENAME GRANT REVOKE SET
 *   CALL DO HANDLER LOAD COPY EXECUTE EXEC PREPARE DEALLOCATE LOCK UNLOCK
 *   KILL SHUTDOWN ANALYZE ANALYSE OPTIMIZE VACUUM REINDEX CLUSTER REFRESH
 *   LISTEN NOTIFY UNLISTEN DISCARD RESET FLUSH PURGE INSTALL UNINSTALL
 *   CHECKPOINT PROCEDURE TABLE BEGIN COMMIT ROLLBACK SAVEPOINT RETURNING
 *   (INSERT( REPLACE( TRUNCATE( are the string and number functions and
 *   pass; CHARACTER SET passes), and there is no locking clause (FOR UPDATE,
 *   FOR SHARE, FOR NO KEY UPDATE, FOR KEY SHARE, LOCK IN SHARE MODE) and no
 *   NEXT or PREVIOUS VALUE FOR;
 * - every name followed by '(' is a function of the allow list of the
 *   dialect (built-in aggregate, arithmetic, string, date, conditional and
 *   window functions whose built-in wins over a stored function of the
 *   name), a type with its length after AS or ::, or syntax (IN (, EXISTS
 *   (, ANY ( and SOME ( before a subquery, OVER ( ...); function names are
 *   never quoted or qualified, so no stored routine runs;
 * - no name is qualified by a system schema (information_schema, mysql,
 *   performance_schema, sys, pg_*);
 * - every table reference after FROM, JOIN or a comma of a FROM list
 *   resolves, by the server's scoping rules, to a WITH query in scope (the
 *   rest of the query its list starts; in the list's bodies the earlier
 *   queries, all of them with RECURSIVE), else to a table of schema named
 *   exactly (optionally qualified by exactly schema->database) that is not
 *   a control table (dw_*); or it is a derived table, a parenthesised join,
 *   DUAL or (PostgreSQL) generate_series or unnest; after it and its alias
 *   only a join, ON, USING, ',', ')' or the next clause may follow, so
 *   PARTITION (...), FOR SYSTEM_TIME and other table options are refused;
 * - every column reference exists: alias.col in the aliased table (for WITH
 *   queries and derived tables, a name declared anywhere in the query or a
 *   column of any table it reads), database.table.col in a table read
 *   without an alias, an unqualified name in one of the tables the query
 *   reads, unless it is an alias (AS or implicit), a WITH or derived column
 *   name, a keyword or a function name.
 * Placeholders (?, $1, :name) and string literals are fine.
 *
 * sql is a C string: nothing after a NUL byte is checked, nor sent to a
 * server by the C client libraries. */
#ifndef DW_ASK_VALIDATE_H
#define DW_ASK_VALIDATE_H

#include "ask/schema.h"
#include "db/db.h"
#include "err.h"

#define DW_ASK_SQL_MAX 65536

/* Returns 0 when sql is safe to run against schema's database in dialect,
 * or -1 with err: DW_EX_DATAERR with a message naming the offending token
 * ("unknown column 'prfit'") and, when one is close, a hint ("did you mean
 * 'profit'?"); DW_EX_SOFTWARE when out of memory. */
int dw_validate_sql(const char *sql, enum dw_db_kind dialect, const struct dw_schema *schema,
		    struct dw_err *err);

/* As dw_validate_sql; on success, when tables is not NULL, *tables is a
 * malloc'd array (the caller frees it with free(); its entries point into
 * schema) of the *ntables distinct model tables the query reads, as the
 * server resolves its names: WITH queries and derived tables are not in
 * it. On failure *tables is NULL. */
int dw_validate_sql_tables(const char *sql, enum dw_db_kind dialect,
			   const struct dw_schema *schema, const struct dw_schema_table ***tables,
			   size_t *ntables, struct dw_err *err);

/* The i-th function of dialect's allow list (upper case, static), NULL
 * past its end: for tests that prove each is the server's own. */
const char *dw_validate_function(enum dw_db_kind dialect, size_t i);

#endif
