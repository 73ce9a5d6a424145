/* The validator's test cases: adversarial queries it must refuse (with a
 * message naming the offending token) and everyday warehouse queries it
 * must accept, in both dialects. Shared by the unit test
 * (t/unit/ask/test_validate.c, against a built schema of database "dw")
 * and the differential test against a real server
 * (t/it/test_validate_diff.c), which runs every query the validator
 * accepts through the server's own parser. */
#ifndef DW_T_VALIDATE_CASES_H
#define DW_T_VALIDATE_CASES_H

#include "db/db.h"

#define MY DW_DB_MY
#define PG DW_DB_PG

/* ---- rejected --------------------------------------------------------------- */

struct bad {
	const char *name;
	enum dw_db_kind dialect;
	const char *sql;
	const char *msg;    /* must occur in err.msg */
	const char *hint;   /* must occur in err.hint; NULL: not checked */
};

static const struct bad bad_cases[] = {
	/* one statement */
	{ "stacked_drop", MY, "SELECT 1; DROP TABLE fact_sales", "'DROP' after ';'", NULL },
	{ "stacked_drop_pg", PG, "SELECT 1; DROP TABLE fact_sales", "'DROP' after ';'", NULL },
	{ "stacked_select", MY, "SELECT 1; SELECT 2", "'SELECT' after ';'", NULL },
	{ "double_semicolon", MY, "SELECT 1;;", "more than one statement: ';'", NULL },
	{ "hash_comment_newline", MY, "SELECT 1#\n; DROP TABLE x", "'DROP' after ';'", NULL },
	{ "hash_is_operator_pg", PG, "SELECT 1#\n; DROP TABLE x", "'DROP' after ';'", NULL },
	{ "dashdash_without_space", MY, "SELECT 1 --x\n; DROP TABLE x", "'DROP' after ';'", NULL },
	{ "dashdash_comment_semicolon", MY, "SELECT 'a' -- ' ; DROP TABLE x",
	  "comment holding ';'", "hide a second statement" },
	{ "dashdash_quote_not_comment", MY, "SELECT 'a' --' ; DROP TABLE x",
	  "unterminated string starting at offset 13", NULL },
	{ "or_true_then_stacked", MY, "SELECT * FROM fact_sales WHERE order_id = 'x' OR 1=1 -- \n"
	  "; DROP TABLE x", "'DROP' after ';'", NULL },
	{ "backslash_quote_pg", PG, "SELECT 'a\\'; DROP TABLE x; --'", "'DROP' after ';'", NULL },
	{ "dollar_string_then_stacked", PG, "SELECT $$a$$; DROP TABLE x", "'DROP' after ';'", NULL },
	{ "block_comment_semicolon", MY, "SELECT 1 /* ; */", "comment holding ';'", NULL },
	/* PostgreSQL nests comments, MySQL ends one at the first star-slash. */
	{ "nested_comment_pg", PG, "SELECT 1 /* /* */ ; DROP TABLE x */", "comment holding ';'",
	  NULL },
	{ "nested_comment_my", MY, "SELECT 1 /* /* */ ; DROP TABLE x */", "'DROP' after ';'", NULL },
	/* PostgreSQL ends "--" comments at \r: the rest is code */
	{ "carriage_return_ends_comment_pg", PG, "SELECT 1 --x\r, pg_sleep(10)", "function 'pg_sleep'",
	  NULL },
	{ "backslash_g", MY, "SELECT 1\\G", "unexpected character '\\' at offset 8", NULL },
	/* executable comments and hints */
	{ "exec_comment", MY, "SELECT 1 /*!; DROP TABLE x */", "executable comment '/*!'", NULL },
	{ "exec_comment_version", MY, "SELECT 1 /*!50000 UNION SELECT 2 */",
	  "executable comment '/*!50000'", NULL },
	{ "exec_comment_mariadb", MY, "SELECT 1 /*M!100000 , SLEEP(1) */",
	  "executable comment '/*M!100000'", NULL },
	{ "optimizer_hint", MY, "SELECT /*+ MAX_EXECUTION_TIME(1) */ 1", "executable comment '/*+'",
	  NULL },
	{ "exec_comment_after_semicolon", MY, "SELECT 1; /*! DROP TABLE x */",
	  "executable comment '/*!'", NULL },
	/* statement kinds */
	{ "drop", MY, "DROP TABLE fact_sales", "not 'DROP'", "read-only SELECT" },
	{ "delete", MY, "DELETE FROM fact_sales", "not 'DELETE'", NULL },
	{ "update", PG, "UPDATE fact_sales SET profit = 0", "not 'UPDATE'", NULL },
	{ "insert", MY, "INSERT INTO fact_sales VALUES (1)", "not 'INSERT'", NULL },
	{ "show", MY, "SHOW TABLES", "not 'SHOW'", NULL },
	{ "set_global", MY, "SET GLOBAL max_connections = 1", "not 'SET'", NULL },
	{ "call", MY, "CALL refresh_all()", "not 'CALL'", NULL },
	{ "load_data", MY, "LOAD DATA INFILE '/etc/passwd' INTO TABLE fact_sales", "not 'LOAD'", NULL },
	{ "explain", PG, "EXPLAIN ANALYZE SELECT 1", "not 'EXPLAIN'", NULL },
	{ "table_statement", PG, "TABLE fact_sales", "not 'TABLE'", NULL },
	{ "parenthesised_delete", MY, "(DELETE FROM fact_sales)", "not 'DELETE'", NULL },
	{ "empty", MY, "  -- nothing\n", "empty query", NULL },
	{ "with_then_delete", MY, "WITH x AS (SELECT 1) DELETE FROM fact_sales", "not 'DELETE'", NULL },
	{ "cte_delete", PG, "WITH d AS (DELETE FROM fact_sales RETURNING *) SELECT * FROM d",
	  "WITH query 'd' is not a SELECT: 'DELETE'", NULL },
	{ "cte_update", PG, "WITH u AS (UPDATE fact_sales SET profit = 0 RETURNING *) SELECT 1",
	  "WITH query 'u' is not a SELECT: 'UPDATE'", NULL },
	{ "nested_cte_insert", PG, "SELECT * FROM (WITH i AS (INSERT INTO fact_return DEFAULT VALUES "
	  "RETURNING *) SELECT * FROM i) t", "WITH query 'i' is not a SELECT: 'INSERT'", NULL },
	/* INTO, locking, procedures */
	{ "into_outfile", MY, "SELECT * FROM fact_sales INTO OUTFILE '/tmp/x'", "'INTO' is not allowed",
	  NULL },
	{ "into_dumpfile", MY, "SELECT profit INTO DUMPFILE '/tmp/x' FROM fact_sales",
	  "'INTO' is not allowed", NULL },
	{ "into_in_subquery", MY, "SELECT * FROM fact_sales WHERE order_id IN (SELECT order_id "
	  "FROM fact_return INTO OUTFILE '/tmp/x')", "'INTO' is not allowed", NULL },
	{ "into_new_table_pg", PG, "SELECT * INTO stolen FROM fact_sales", "'INTO' is not allowed",
	  NULL },
	{ "for_update", MY, "SELECT * FROM fact_sales FOR UPDATE", "locking clause 'FOR UPDATE'", NULL },
	{ "lock_in_share_mode", MY, "SELECT * FROM fact_sales LOCK IN SHARE MODE",
	  "locking clause 'LOCK IN SHARE MODE'", NULL },
	{ "for_share_derived", PG, "SELECT * FROM (SELECT 1) t FOR SHARE", "locking clause 'FOR SHARE'",
	  NULL },
	{ "for_no_key_update", PG, "SELECT * FROM fact_sales FOR NO KEY UPDATE",
	  "locking clause 'FOR NO KEY UPDATE'", NULL },
	{ "for_key_share", PG, "SELECT * FROM fact_sales FOR KEY SHARE", "locking clause 'FOR KEY SHARE'",
	  NULL },
	{ "union_for_update", MY, "SELECT 1 FROM DUAL UNION SELECT sales FROM fact_sales FOR UPDATE",
	  "locking clause 'FOR UPDATE'", NULL },
	{ "procedure_analyse", MY, "SELECT * FROM fact_sales PROCEDURE ANALYSE()",
	  "'PROCEDURE' is not allowed", NULL },
	{ "union_table", MY, "SELECT * FROM fact_sales UNION TABLE fact_return", "'TABLE' is not allowed",
	  NULL },
	{ "replace_statement_word", MY, "SELECT 1 FROM fact_sales WHERE 1 = 0 REPLACE INTO x VALUES (1)",
	  "'REPLACE' is not allowed", NULL },
	{ "sequence_next_value", MY, "SELECT NEXT VALUE FOR s", "sequence access 'NEXT VALUE FOR'", NULL },
	/* functions */
	{ "load_file", MY, "SELECT LOAD_FILE('/etc/passwd')", "function 'LOAD_FILE'", NULL },
	{ "sleep", MY, "SELECT SLEEP(10)", "function 'SLEEP'", NULL },
	{ "sleep_lowercase_space", MY, "SELECT 1 FROM fact_sales WHERE sleep (5)", "function 'sleep'",
	  NULL },
	{ "sleep_comment_before_paren", MY, "SELECT SLEEP/**/(5)", "function 'SLEEP'", NULL },
	{ "benchmark", MY, "SELECT BENCHMARK(1e9, MD5(1))", "function 'BENCHMARK'", NULL },
	{ "union_load_file", MY, "SELECT 1 UNION SELECT LOAD_FILE('x')", "function 'LOAD_FILE'", NULL },
	{ "get_lock", MY, "SELECT GET_LOCK('x', 10)", "function 'GET_LOCK'", NULL },
	{ "release_lock", MY, "SELECT RELEASE_LOCK('x')", "function 'RELEASE_LOCK'", NULL },
	{ "master_pos_wait", MY, "SELECT MASTER_POS_WAIT('log', 4)", "function 'MASTER_POS_WAIT'",
	  NULL },
	{ "sys_exec_udf", MY, "SELECT sys_exec('rm -rf /')", "function 'sys_exec'", NULL },
	{ "pg_sleep", PG, "SELECT pg_sleep(5)", "function 'pg_sleep'", NULL },
	{ "pg_read_file", PG, "SELECT pg_read_file('/etc/passwd')", "function 'pg_read_file'", NULL },
	{ "pg_ls_dir", PG, "SELECT pg_ls_dir('.')", "function 'pg_ls_dir'", NULL },
	{ "pg_advisory_lock", PG, "SELECT pg_advisory_lock(1)", "function 'pg_advisory_lock'", NULL },
	{ "pg_terminate_backend", PG, "SELECT pg_terminate_backend(42)",
	  "function 'pg_terminate_backend'", NULL },
	{ "lo_import", PG, "SELECT lo_import('/etc/passwd')", "function 'lo_import'", NULL },
	{ "dblink", PG, "SELECT * FROM dblink('host=x', 'select 1') AS t(a int)", "function 'dblink'",
	  NULL },
	{ "set_config", PG, "SELECT set_config('search_path', 'x', false)", "function 'set_config'",
	  NULL },
	{ "nextval", PG, "SELECT nextval('s')", "function 'nextval'", NULL },
	{ "ts_stat_runs_sql", PG, "SELECT * FROM ts_stat('SELECT 1')", "function 'ts_stat'", NULL },
	{ "query_to_xml", PG, "SELECT query_to_xml('delete from fact_sales', true, true, '')",
	  "function 'query_to_xml'", NULL },
	{ "qualified_function", MY, "SELECT dw.wipe(1)", "qualified function call 'dw.wipe'", NULL },
	{ "quoted_function", MY, "SELECT `sleep`(5)", "quoted function name '`sleep`'", NULL },
	/* variables and assignment */
	{ "user_variable_assign", MY, "SELECT @a := 1", "variable '@a'", NULL },
	{ "system_variable", MY, "SELECT @@version", "variable '@@version'", NULL },
	{ "quoted_variable", MY, "SELECT @'x'", "variable '@'x''", NULL },
	{ "assignment", MY, "SELECT profit := 1 FROM fact_sales", "assignment ':='", NULL },
	/* schemas and tables */
	{ "mysql_user", MY, "SELECT * FROM mysql.user", "system schema 'mysql'", "'dw'" },
	{ "information_schema", MY, "SELECT * FROM information_schema.tables",
	  "system schema 'information_schema'", NULL },
	{ "information_schema_upper", MY, "SELECT * FROM INFORMATION_SCHEMA.COLUMNS",
	  "system schema 'INFORMATION_SCHEMA'", NULL },
	{ "mysql_quoted", MY, "SELECT * FROM `mysql`.`user`", "system schema 'mysql'", NULL },
	{ "performance_schema", MY, "SELECT * FROM performance_schema.threads",
	  "system schema 'performance_schema'", NULL },
	{ "sys_schema", MY, "SELECT * FROM sys.version", "system schema 'sys'", NULL },
	{ "pg_catalog", PG, "SELECT * FROM pg_catalog.pg_authid", "system schema 'pg_catalog'", NULL },
	{ "pg_catalog_quoted", PG, "SELECT * FROM \"pg_catalog\".\"pg_shadow\"",
	  "system schema 'pg_catalog'", NULL },
	{ "system_schema_comma_join", MY, "SELECT * FROM fact_sales f, mysql.user u",
	  "system schema 'mysql'", NULL },
	{ "system_schema_in_derived", MY, "SELECT * FROM (SELECT * FROM mysql.user) t",
	  "system schema 'mysql'", NULL },
	{ "other_database", MY, "SELECT * FROM shop.orders", "unknown schema 'shop'", "'dw'" },
	{ "control_table", MY, "SELECT * FROM dw_etl_run", "unknown table 'dw_etl_run'", NULL },
	{ "unqualified_pg_view", PG, "SELECT * FROM pg_user", "unknown table 'pg_user'", NULL },
	{ "table_typo", MY, "SELECT * FROM fact_sale", "unknown table 'fact_sale'",
	  "did you mean 'fact_sales'?" },
	{ "parenthesised_comma_join", MY, "SELECT * FROM (fact_sales, dw_etl_run)",
	  "unknown table 'dw_etl_run'", NULL },
	{ "join_unknown_table", MY, "SELECT * FROM fact_sales f JOIN dw_etl_run r ON 1 = 1",
	  "unknown table 'dw_etl_run'", NULL },
	{ "unknown_table_in_scalar_subquery", MY, "SELECT (SELECT MAX(x) FROM secrets)",
	  "unknown table 'secrets'", NULL },
	{ "unknown_table_in_extract_subquery", MY, "SELECT EXTRACT(YEAR FROM (SELECT MAX(d) FROM "
	  "secrets))", "unknown table 'secrets'", NULL },
	/* columns */
	{ "column_typo", MY, "SELECT prfit FROM fact_sales", "unknown column 'prfit'",
	  "did you mean 'profit'?" },
	{ "qualified_column_typo", MY, "SELECT f.prfit FROM fact_sales f", "unknown column 'f.prfit'",
	  "did you mean 'f.profit'?" },
	{ "column_of_unjoined_table", MY, "SELECT segment FROM fact_sales", "unknown column 'segment'",
	  "'segment' is a column of table 'dim_customer'" },
	{ "column_in_where", PG, "SELECT sales FROM fact_sales WHERE regoin = 'West'",
	  "unknown column 'regoin'", NULL },
	{ "column_of_wrong_alias", MY, "SELECT d.profit FROM fact_sales f JOIN dim_date d ON "
	  "d.date_key = f.order_date_key", "unknown column 'd.profit'", NULL },
	{ "unknown_alias", MY, "SELECT x.profit FROM fact_sales f", "unknown table or alias 'x'", NULL },
	{ "table_not_in_from", MY, "SELECT dim_date.year FROM fact_sales",
	  "unknown table or alias 'dim_date'", "add 'dim_date' to FROM or JOIN" },
	{ "name_after_alias", MY, "SELECT sales total extra FROM fact_sales", "unknown column 'extra'",
	  NULL },
	{ "column_without_table", MY, "SELECT profit", "unknown column 'profit'",
	  "'profit' is a column of table 'fact_sales'" },
	/* lexing and size */
	{ "unterminated_string", MY, "SELECT 'abc", "unterminated string starting at offset 7", NULL },
	{ "unterminated_comment", PG, "SELECT 1 /* /* */", "unterminated comment starting at offset 9",
	  NULL },
	{ "unterminated_dollar", PG, "SELECT $$; DROP TABLE x", "unterminated dollar-quoted string",
	  NULL },
	{ "unbalanced_paren", MY, "SELECT * FROM fact_sales WHERE (profit > 0", "unbalanced '('", NULL },
	{ "cyrillic_lookalike", MY, "SELECT \xd1\x95leep(5)", "non-ASCII letters", NULL },
	{ "fullwidth_semicolon", MY, "SELECT * FROM fact_sales\xef\xbc\x9b" "DROP TABLE x",
	  "non-ASCII letters outside quotes are not allowed: 'fact_sales", NULL },
	/* ODBC escapes: the FROM scan used to stop at '{' */
	{ "odbc_oj", MY, "SELECT * FROM {oj dw_audit_event}", "ODBC escape '{'", NULL },
	{ "odbc_oj_join", MY, "SELECT * FROM fact_sales f, {oj dim_date d LEFT OUTER JOIN secrets s "
	  "ON 1 = 1}", "ODBC escape '{'", NULL },
	{ "odbc_oj_in_subquery", MY, "SELECT * FROM fact_sales WHERE order_id IN (SELECT order_id "
	  "FROM {OJ shop.orders})", "ODBC escape '{'", NULL },
	{ "odbc_date_literal", MY, "SELECT {d '2020-01-01'}", "ODBC escape '{'", NULL },
	{ "odbc_fn", MY, "SELECT {fn secret_fn()}", "ODBC escape '{'", NULL },
	{ "odbc_leading_dot_table", MY, "SELECT 1 AS secrets FROM .secrets",
	  "unsupported syntax '.' where a table belongs", NULL },
	/* index hints: their FOR used to end the FROM list */
	{ "use_index_for_order_by", MY, "SELECT * FROM fact_sales USE INDEX FOR ORDER BY (), "
	  "dw_audit_event", "index hint 'USE INDEX'", NULL },
	{ "force_key_for_join", MY, "SELECT * FROM fact_sales f FORCE KEY FOR JOIN (PRIMARY), secrets",
	  "index hint 'FORCE KEY'", NULL },
	{ "ignore_index", MY, "SELECT * FROM fact_sales IGNORE INDEX (PRIMARY)",
	  "index hint 'IGNORE INDEX'", NULL },
	{ "use_key_in_subquery", MY, "SELECT (SELECT COUNT(*) FROM fact_return r USE KEY (x)) AS n",
	  "index hint 'USE KEY'", NULL },
	{ "partition_selection", MY, "SELECT * FROM fact_sales PARTITION (p202001)",
	  "unsupported syntax 'PARTITION' after table 'fact_sales'", NULL },
	{ "for_system_time", MY, "SELECT * FROM fact_sales FOR SYSTEM_TIME ALL, secrets",
	  "unsupported syntax 'FOR' after table 'fact_sales'", NULL },
	{ "for_system_time_alias", MY, "SELECT * FROM fact_sales f FOR SYSTEM_TIME AS OF NOW()",
	  "unsupported syntax 'FOR' after table 'fact_sales'", NULL },
	{ "string_after_table", MY, "SELECT * FROM fact_sales 'x'",
	  "unsupported syntax ''x'' after table 'fact_sales'", NULL },
	/* CTE names are scoped as the server scopes them */
	{ "cte_in_subquery_shadows_outer", MY, "SELECT * FROM secrets WHERE 1 IN (WITH secrets AS "
	  "(SELECT 1 AS a) SELECT a FROM secrets)", "unknown table 'secrets'", NULL },
	{ "cte_in_subquery_control_table", MY, "SELECT * FROM dw_audit_event WHERE 1 IN (WITH "
	  "dw_audit_event AS (SELECT 1 AS a) SELECT a FROM dw_audit_event)",
	  "unknown table 'dw_audit_event'", NULL },
	{ "cte_in_derived_used_outside", MY, "SELECT * FROM (WITH secrets AS (SELECT 1 AS a) "
	  "SELECT a FROM secrets) t, secrets", "unknown table 'secrets'", NULL },
	{ "cte_nested_shadowing", MY, "WITH x AS (SELECT 1 AS a) SELECT * FROM (WITH y AS "
	  "(SELECT 2 AS a) SELECT a FROM y) t, y", "unknown table 'y'", NULL },
	{ "cte_in_union_branch", MY, "(WITH s AS (SELECT 1 AS a) SELECT a FROM s) UNION "
	  "SELECT a FROM s", "unknown table 's'", NULL },
	{ "cte_self_reference_not_recursive", MY, "WITH secrets AS (SELECT * FROM secrets) "
	  "SELECT * FROM secrets", "unknown table 'secrets'", NULL },
	{ "cte_forward_reference", MY, "WITH a AS (SELECT * FROM secrets), secrets AS (SELECT 1 "
	  "AS x) SELECT * FROM a", "unknown table 'secrets'", NULL },
	{ "cte_name_case", MY, "WITH Secrets AS (SELECT 1 AS a) SELECT a FROM secrets",
	  "unknown table 'secrets'", NULL },
	{ "with_not_at_query_start", MY, "SELECT 1 FROM fact_sales WHERE 1 = 1 WITH s AS "
	  "(SELECT 1) SELECT 2", "WITH", NULL },
	/* derived tables named like a database */
	{ "derived_alias_database_table", MY, "SELECT * FROM (SELECT 1 AS orders) shop, shop.orders",
	  "unknown schema 'shop'", NULL },
	{ "derived_alias_database_column", MY, "SELECT shop.orders.id FROM (SELECT 1 AS orders) shop",
	  "unknown schema 'shop'", NULL },
	{ "derived_alias_own_database", MY, "SELECT dw.fact_sales.profit FROM (SELECT 1 AS profit) "
	  "fact_sales", "unknown column 'dw.fact_sales.profit'", NULL },
	{ "derived_alias_hides_table_after_hint", MY, "SELECT * FROM (SELECT 1 AS orders) shop, "
	  "fact_sales USE INDEX FOR ORDER BY (), shop.orders", "index hint 'USE INDEX'", NULL },
	/* control tables and table case */
	{ "control_table_in_schema", MY, "SELECT question FROM dw_audit_event",
	  "unknown table 'dw_audit_event'", "control tables" },
	{ "control_table_qualified", MY, "SELECT * FROM dw.dw_audit_event",
	  "unknown table 'dw_audit_event'", NULL },
	{ "table_case", MY, "SELECT * FROM FACT_SALES", "unknown table 'FACT_SALES'",
	  "did you mean 'fact_sales'?" },
	{ "database_case", MY, "SELECT * FROM DW.fact_sales", "unknown schema 'DW'", NULL },
	/* functions come from an allow list */
	{ "stored_function_unqualified", MY, "SELECT secret_fn()", "function 'secret_fn'", NULL },
	{ "stored_function_in_where", MY, "SELECT profit FROM fact_sales WHERE leak(order_id) = 1",
	  "function 'leak'", NULL },
	{ "stored_function_other_schema", MY, "SELECT shop.leak(1)", "qualified function call 'shop.leak'",
	  NULL },
	{ "stored_function_own_schema_quoted", MY, "SELECT `dw`.`leak`(1)",
	  "qualified function call 'dw.leak'", NULL },
	{ "function_named_like_column", MY, "SELECT quantity(1) FROM fact_sales",
	  "function 'quantity'", NULL },
	{ "function_named_like_keyword", MY, "SELECT first(1) FROM fact_sales", "function 'first'",
	  NULL },
	{ "function_database", MY, "SELECT DATABASE()", "function 'DATABASE'", NULL },
	{ "function_user", MY, "SELECT USER()", "function 'USER'", NULL },
	{ "function_lastval", MY, "SELECT LASTVAL(s)", "function 'LASTVAL'", NULL },
	{ "function_convert_tz", MY, "SELECT CONVERT_TZ(NOW(), 'UTC', 'Europe/Paris')",
	  "function 'CONVERT_TZ'", NULL },
	{ "pg_only_function_my", MY, "SELECT DATE_TRUNC('month', full_date) FROM dim_date",
	  "function 'DATE_TRUNC'", NULL },
	{ "function_in_join_on", MY, "SELECT 1 FROM fact_sales f JOIN dim_date d ON d.date_key = "
	  "peek(f.order_date_key)", "function 'peek'", NULL },
	{ "table_function_json_table", MY, "SELECT * FROM JSON_TABLE('[]', '$[*]' COLUMNS (a INT "
	  "PATH '$')) t", "function 'JSON_TABLE'", NULL },
	{ "table_function_unknown_pg", PG, "SELECT * FROM secret_rows() t", "function 'secret_rows'",
	  NULL },
	{ "function_after_dot", MY, "SELECT (1).leak(2)", "function 'leak'", NULL },
	{ "any_function_call", MY, "SELECT ANY(1)", "'ANY (' must open a subquery", NULL },
	{ "previous_value_for", MY, "SELECT PREVIOUS VALUE FOR s", "sequence access 'PREVIOUS VALUE FOR'",
	  NULL },
};

/* ---- accepted ---------------------------------------------------------------- */

struct good {
	const char *name;
	enum dw_db_kind dialect;
	const char *sql;
};

static const struct good good_cases[] = {
	{ "constant", MY, "SELECT 1" },
	{ "dual", MY, "SELECT 1 FROM DUAL" },
	{ "aggregate", PG, "SELECT SUM(sales) FROM fact_sales" },
	{ "join_with_aliases", MY,
	  "SELECT l.region, SUM(f.sales) AS total FROM fact_sales f JOIN dim_location l "
	  "ON f.location_key = l.location_key GROUP BY l.region ORDER BY total DESC LIMIT 10" },
	{ "comma_join", MY,
	  "SELECT d.year, SUM(f.profit) FROM fact_sales f, dim_date d "
	  "WHERE f.order_date_key = d.date_key GROUP BY d.year" },
	{ "implicit_aliases", PG,
	  "SELECT p.category cat, COUNT(*) n FROM fact_sales AS f INNER JOIN dim_product AS p "
	  "ON p.product_key = f.product_key GROUP BY cat ORDER BY n DESC" },
	{ "cte", MY,
	  "WITH monthly AS (SELECT d.year, d.month, SUM(f.sales) AS sales FROM fact_sales f "
	  "JOIN dim_date d ON d.date_key = f.order_date_key GROUP BY d.year, d.month) "
	  "SELECT year, month, sales FROM monthly ORDER BY year, month" },
	{ "cte_column_list_using", PG,
	  "WITH t(area, total) AS (SELECT l.region, SUM(f.sales) FROM fact_sales f "
	  "JOIN dim_location l USING (location_key) GROUP BY l.region) "
	  "SELECT t.area, t.total FROM t WHERE t.total > 1000" },
	{ "recursive_cte", PG,
	  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
	  "SELECT i FROM n" },
	{ "exists_subquery", MY,
	  "SELECT customer_name FROM dim_customer c WHERE EXISTS "
	  "(SELECT 1 FROM fact_return r WHERE r.customer_key = c.customer_key)" },
	{ "not_in_subquery", PG,
	  "SELECT COUNT(*) FROM fact_sales WHERE order_id NOT IN (SELECT order_id FROM fact_return)" },
	{ "derived_table", MY,
	  "SELECT t.region, t.total FROM (SELECT l.region, SUM(f.sales) AS total FROM fact_sales f "
	  "JOIN dim_location l ON f.location_key = l.location_key GROUP BY l.region) t "
	  "ORDER BY t.total DESC" },
	{ "scalar_subquery", MY, "SELECT (SELECT MAX(full_date) FROM dim_date) AS latest" },
	{ "case_alias_group_by", MY,
	  "SELECT CASE WHEN profit < 0 THEN 'loss' ELSE 'gain' END AS kind, COUNT(*) "
	  "FROM fact_sales GROUP BY kind" },
	{ "case_implicit_alias", PG,
	  "SELECT CASE WHEN discount > 0 THEN 1 ELSE 0 END discounted FROM fact_sales" },
	{ "window_rank", MY,
	  "SELECT l.region, SUM(f.sales) AS s, RANK() OVER (ORDER BY SUM(f.sales) DESC) AS rnk "
	  "FROM fact_sales f JOIN dim_location l ON l.location_key = f.location_key GROUP BY l.region" },
	{ "window_frame", PG,
	  "SELECT order_id, sales, ROW_NUMBER() OVER (PARTITION BY customer_key ORDER BY sales DESC "
	  "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rn FROM fact_sales" },
	{ "named_window", MY,
	  "SELECT sales, SUM(sales) OVER w AS running FROM fact_sales "
	  "WINDOW w AS (ORDER BY order_date_key)" },
	{ "date_format", MY,
	  "SELECT DATE_FORMAT(d.full_date, '%Y-%m') AS month, SUM(f.sales) FROM fact_sales f "
	  "JOIN dim_date d ON d.date_key = f.order_date_key GROUP BY month" },
	{ "count_distinct", MY, "SELECT COUNT(DISTINCT f.customer_key) AS customers FROM fact_sales f" },
	{ "backquoted", MY, "SELECT `f`.`profit` FROM `fact_sales` AS `f`" },
	{ "double_quoted_pg", PG, "SELECT \"f\".\"profit\" AS \"Profit\" FROM \"fact_sales\" \"f\"" },
	{ "comments", MY, "SELECT /* total */ SUM(sales) -- all time\nFROM fact_sales # done" },
	{ "trailing_semicolon", MY, "SELECT 1;" },
	{ "trailing_semicolon_comment", PG, "SELECT 1; -- bye\n/* really */" },
	{ "placeholders", MY,
	  "SELECT SUM(sales) FROM fact_sales WHERE ship_mode = ? AND order_date_key BETWEEN ? AND ?" },
	{ "dollar_placeholders", PG, "SELECT SUM(sales) FROM fact_sales WHERE ship_mode = $1 LIMIT $2" },
	{ "named_placeholder", MY, "SELECT SUM(sales) FROM fact_sales WHERE ship_mode = :mode" },
	{ "backslash_quote_my", MY, "SELECT 'a\\'; DROP TABLE x; --'" },
	{ "e_string_pg", PG, "SELECT E'a\\'; DROP TABLE x; --'" },
	{ "keywords_in_string", MY, "SELECT 'DROP TABLE fact_sales; DELETE' AS s" },
	{ "dollar_string", PG, "SELECT $$it's; DROP$$ AS s" },
	{ "double_quoted_string_my", MY, "SELECT \"x; DELETE\" AS s" },
	{ "pg_casts", PG,
	  "SELECT DATE_TRUNC('month', d.full_date)::date AS month, SUM(f.sales)::numeric(12,2) total "
	  "FROM fact_sales f JOIN dim_date d ON d.date_key = f.order_date_key GROUP BY 1 ORDER BY 1" },
	{ "filter", PG, "SELECT COUNT(*) FILTER (WHERE returned = 1) AS returns FROM fact_sales" },
	{ "extract", PG, "SELECT EXTRACT(YEAR FROM full_date) AS y, COUNT(*) FROM dim_date GROUP BY y" },
	{ "trim_from", MY, "SELECT TRIM(LEADING '0' FROM order_id) FROM fact_sales" },
	{ "is_distinct_from", PG, "SELECT * FROM fact_sales WHERE discount IS DISTINCT FROM 0" },
	{ "interval", MY,
	  "SELECT COUNT(*) FROM fact_sales f JOIN dim_date d ON d.date_key = f.order_date_key "
	  "WHERE d.full_date >= CURRENT_DATE - INTERVAL 30 DAY" },
	{ "union_all", MY, "SELECT region FROM dim_location UNION ALL SELECT region FROM fact_return" },
	{ "date_part_columns", MY, "SELECT year, quarter, month, week FROM dim_date WHERE year = 2020" },
	{ "callable_denied_words", MY,
	  "SELECT REPLACE(customer_name, 'a', 'b'), INSERT(segment, 1, 2, 'x'), TRUNCATE(2.5, 0) "
	  "FROM dim_customer" },
	{ "character_set", MY,
	  "SELECT CAST(customer_name AS CHAR CHARACTER SET utf8mb4) FROM dim_customer" },
	{ "group_concat", MY,
	  "SELECT segment, GROUP_CONCAT(DISTINCT customer_name ORDER BY customer_name "
	  "SEPARATOR ', ') FROM dim_customer GROUP BY segment" },
	{ "schema_qualified", MY, "SELECT dw.fact_sales.profit FROM dw.fact_sales" },
	{ "parenthesised_union", MY, "(SELECT 1) UNION (SELECT 2)" },
	{ "star_of_alias", PG, "SELECT f.* FROM fact_sales f LIMIT 5" },
	{ "minus_minus_is_not_comment", MY, "SELECT 1--1" },
	{ "having_alias", MY,
	  "SELECT customer_key, SUM(sales) AS s FROM fact_sales GROUP BY customer_key HAVING s > 100" },
	{ "left_join_is_not_null", MY,
	  "SELECT d.year FROM fact_sales f LEFT OUTER JOIN dim_date d ON d.date_key = f.ship_date_key "
	  "WHERE d.year IS NOT NULL" },
	{ "nested_comment_pg", PG, "SELECT 1 /* outer /* inner */ still comment */" },
	{ "fetch_first", PG,
	  "SELECT sales FROM fact_sales ORDER BY sales DESC NULLS LAST FETCH FIRST 5 ROWS ONLY" },
	{ "if_implicit_alias", MY, "SELECT IF(returned = 1, 'yes', 'no') r FROM fact_sales" },
	{ "in_list", MY,
	  "SELECT COALESCE(SUM(profit), 0) AS p FROM fact_sales "
	  "WHERE ship_mode IN ('First Class', 'Second Class')" },
	{ "with_rollup", MY, "SELECT segment, COUNT(*) FROM dim_customer GROUP BY segment WITH ROLLUP" },
	{ "non_ascii_in_string", MY, "SELECT COUNT(*) FROM dim_customer WHERE customer_name = 'Zo\xc3\xab'" },
	{ "generate_series", PG, "SELECT g.n FROM generate_series(1, 12) AS g(n)" },
	{ "parenthesised_comma_join", MY,
	  "SELECT COUNT(*) FROM ((fact_sales f JOIN dim_date d ON f.order_date_key = d.date_key), "
	  "dim_product p) WHERE p.product_key = f.product_key" },
	{ "carriage_return_comment_my", MY, "SELECT 1 -- x\r, y\n" },
	{ "with_ordinality", PG,
	  "SELECT u.x, u.n FROM unnest(ARRAY[1, 2]) WITH ORDINALITY AS u(x, n)" },
	{ "parenthesised_join", MY,
	  "SELECT COUNT(*) FROM (fact_sales f JOIN dim_date d ON d.date_key = f.order_date_key)" },
	/* scoping: a WITH query shadows a table inside its scope only */
	{ "cte_shadows_model_table", MY,
	  "WITH fact_sales AS (SELECT 1 AS profit) SELECT profit FROM fact_sales" },
	{ "cte_visible_in_subquery", MY,
	  "WITH m AS (SELECT 1 AS a) SELECT * FROM fact_sales WHERE 1 IN (SELECT a FROM m)" },
	{ "cte_earlier_in_list", MY,
	  "WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT x FROM b" },
	{ "cte_in_subquery", MY,
	  "SELECT * FROM fact_sales WHERE order_id IN (WITH r AS (SELECT order_id FROM fact_return) "
	  "SELECT order_id FROM r)" },
	{ "cte_self_reference_recursive", MY,
	  "WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 5) "
	  "SELECT i FROM n" },
	{ "cte_table_of_same_name_inside_body", MY,
	  "WITH fact_sales AS (SELECT SUM(profit) AS profit FROM fact_sales) SELECT profit FROM "
	  "fact_sales" },
	{ "derived_alias_like_database", MY, "SELECT shop.orders FROM (SELECT 1 AS orders) shop" },
	/* allowed functions, also where a column has their name */
	{ "function_and_column_year", MY, "SELECT YEAR(full_date), year FROM dim_date" },
	{ "functions_everyday", MY,
	  "SELECT ROUND(SUM(sales), 2), COALESCE(MAX(discount), 0), IFNULL(MIN(profit), 0), "
	  "DATEDIFF(MAX(d.full_date), MIN(d.full_date)), CONCAT_WS('-', MAX(d.year), MAX(d.month)), "
	  "DATE_ADD(MAX(d.full_date), INTERVAL 1 DAY), CAST(SUM(quantity) AS DECIMAL(12, 2)), "
	  "CONVERT(MAX(order_id), CHAR), LEFT(MAX(order_id), 2), ABS(SUM(profit)), "
	  "GREATEST(1, 2), LEAST(1, 2), UPPER(MAX(ship_mode)), LENGTH(MAX(ship_mode)) "
	  "FROM fact_sales f JOIN dim_date d ON d.date_key = f.order_date_key" },
	{ "window_functions", MY,
	  "SELECT order_id, LAG(sales) OVER (ORDER BY sales), LEAD(sales, 1) OVER w, "
	  "DENSE_RANK() OVER w, NTILE(4) OVER w, FIRST_VALUE(sales) OVER w FROM fact_sales "
	  "WINDOW w AS (PARTITION BY customer_key ORDER BY sales)" },
	{ "within_group", MY,
	  "SELECT DISTINCT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY sales) OVER () FROM fact_sales" },
	{ "any_subquery", MY,
	  "SELECT COUNT(*) FROM fact_sales WHERE profit > ANY (SELECT profit FROM fact_sales)" },
	{ "natural_and_cross_join", MY,
	  "SELECT COUNT(*) FROM fact_sales NATURAL JOIN fact_return CROSS JOIN dim_date "
	  "STRAIGHT_JOIN dim_product p ON p.product_key = 1" },
};

#endif
