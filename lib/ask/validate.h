/* validate: proves that SQL from an LLM or the semantic engine is one
 * read-only query over known tables and columns before dw-ask runs it.
 *
 * The checks work on lib/sqllex tokens (so strings, quoted identifiers and
 * comments are told apart as the server does) and are a careful heuristic
 * over the token stream, not a SQL grammar. A query passes only when:
 *
 * - it is at most DW_ASK_SQL_MAX bytes, lexes cleanly and holds exactly one
 *   statement: a trailing ';' (then only comments) is allowed;
 * - it starts with SELECT or WITH (after any '('), the query after a WITH
 *   list is a SELECT, and every WITH query's body is a SELECT;
 * - it holds no MySQL executable comment or optimizer hint, no comment
 *   containing ';', no variable (@x, @@x), no ':=', and no unquoted word
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
 *   NEXT VALUE FOR;
 * - it calls none of these functions: LOAD_FILE SLEEP BENCHMARK GET_LOCK
 *   RELEASE_LOCK RELEASE_ALL_LOCKS IS_FREE_LOCK IS_USED_LOCK MASTER_POS_WAIT
 *   SOURCE_POS_WAIT MASTER_GTID_WAIT WAIT_FOR_EXECUTED_GTID_SET
 *   WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS NEXTVAL SETVAL SET_CONFIG TS_STAT
 *   TS_REWRITE, nor any
 *   whose name starts with PG_ LO_ DBLINK SYS_ QUERY_TO_XML CURSOR_TO_XML
 *   TABLE_TO_XML SCHEMA_TO_XML DATABASE_TO_XML; function names are never
 *   quoted or qualified (no stored routines);
 * - no name is qualified by a system schema (information_schema, mysql,
 *   performance_schema, sys, pg_*) and every schema-qualified table is in
 *   schema->database;
 * - every table after FROM or JOIN (comma joins included) is a table of
 *   schema or a WITH query; derived tables need nothing;
 * - every column reference exists: alias.col in the aliased table (for WITH
 *   queries and derived tables, a name declared anywhere in the query or a
 *   column of any table it reads), an unqualified name in one of the tables
 *   the query reads, unless it is an alias (AS or implicit), a WITH or
 *   derived column name, a keyword or a function name.
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

#endif
