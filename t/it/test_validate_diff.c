/* test_validate_diff: the validator against the server's own parser and
 * name resolution, on a real MariaDB warehouse (schema only; run by
 * t/023-ask-validate-diff.t).
 *
 * Every query the validator accepts (dialect MariaDB, the live schema) is
 * explained (EXPLAIN FORMAT=JSON) by a probe account that holds SELECT on
 * exactly the tables dw_validate_sql_tables reported and nothing else: a
 * table the server resolves that the validator did not report (another
 * database, a control table, a base table the validator took for a WITH
 * query) or a stored function the server would call is a permission error,
 * and a failure. Each "table_name" of the plan must be a reported table, a
 * name the query declares (aliases, WITH queries) or a <derivedN>-style
 * placeholder. Queries the validator refuses pass; the knowledge file's SQL
 * and the gold SQL of a questions file must be accepted and explained.
 *
 * Before the queries, every function of the validator's MariaDB allow list
 * is created as a stored function of the warehouse and called unqualified:
 * the server's built-in must answer, never the stored function.
 *
 * usage: test_validate_diff DW.YAML [-k KNOWLEDGE.YAML] [-q QUESTIONS.YAML]
 *                           [-o OTHERDB] [FILE|DIR]...
 * A FILE holds one query (a fuzzer's corpus entry or finding); a DIR, one
 * query per regular file. -o names another database the probe must never
 * reach: a few adversarial queries name it. The unit test's cases
 * (t/unit/ask/validate_cases.h) always run. Prints TAP; exits 0 when all
 * passed, 1 when something failed, 2 on setup errors. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/ask/validate_cases.h"
#include "kb.h"
#include "ask/schema.h"
#include "ask/validate.h"
#include "config.h"
#include "db/db.h"
#include "sqllex.h"

#define PROBE_USER "dw_validate_probe"

struct run {
	struct dw_db *root, *probe;
	struct dw_schema schema;
	const char *database;
	int tests, failures, accepted, refused, server_refused;
};

static void report(struct run *r, int ok, const char *what, const char *name)
{
	r->tests++;
	r->failures += !ok;
	printf("%sok %d - %s: %.100s\n", ok ? "" : "not ", r->tests, what, name);
}

static int exec_root(struct run *r, const char *sql)
{
	struct dw_err err;

	dw_err_clear(&err);
	if (dw_db_exec(r->root, sql, 0, NULL, &err) >= 0)
		return 0;
	printf("# %s: %s\n", sql, err.msg);
	return -1;
}

/* ---- the probe account ---------------------------------------------------- */

static int create_probe(struct run *r, const struct dw_config *cfg)
{
	struct dw_config_warehouse w = cfg->warehouse;
	char sql[512], password[33];
	struct dw_err err;
	FILE *rnd = fopen("/dev/urandom", "r");
	unsigned char bytes[16];

	if (!rnd || fread(bytes, 1, sizeof bytes, rnd) != sizeof bytes) {
		if (rnd)
			fclose(rnd);
		return -1;
	}
	fclose(rnd);
	for (size_t i = 0; i < sizeof bytes; i++)
		snprintf(password + 2 * i, 3, "%02x", bytes[i]);
	snprintf(sql, sizeof sql, "DROP USER IF EXISTS '" PROBE_USER "'@'%%'");
	if (exec_root(r, sql) < 0)
		return -1;
	snprintf(sql, sizeof sql, "CREATE USER '" PROBE_USER "'@'%%' IDENTIFIED BY '%s'", password);
	if (exec_root(r, sql) < 0)
		return -1;
	/* Any privilege on the database lets the probe make it its default;
	 * SHOW VIEW reads no rows. */
	snprintf(sql, sizeof sql, "GRANT SHOW VIEW ON `%s`.* TO '" PROBE_USER "'@'%%'",
		 r->database);
	if (exec_root(r, sql) < 0)
		return -1;
	w.user = PROBE_USER;
	w.password = password;
	w.socket = "";
	dw_err_clear(&err);
	r->probe = dw_db_my_open(&w, "probe", &err);
	explicit_bzero(password, sizeof password);
	if (!r->probe)
		printf("# probe: %s\n", err.msg);
	return r->probe ? 0 : -1;
}

/* The probe holds SELECT on exactly these tables, and SHOW VIEW on the
 * database, which lets it keep it as its default and reads no rows. */
static int grant_exactly(struct run *r, const struct dw_schema_table **tables, size_t n)
{
	char sql[512];

	if (exec_root(r, "REVOKE ALL PRIVILEGES, GRANT OPTION FROM '" PROBE_USER "'@'%'") < 0)
		return -1;
	snprintf(sql, sizeof sql, "GRANT SHOW VIEW ON `%s`.* TO '" PROBE_USER "'@'%%'",
		 r->database);
	if (exec_root(r, sql) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		snprintf(sql, sizeof sql, "GRANT SELECT ON `%s`.`%s` TO '" PROBE_USER "'@'%%'",
			 r->database, tables[i]->name);
		if (exec_root(r, sql) < 0)
			return -1;
	}
	return 0;
}

/* ---- the server's plan ------------------------------------------------------ */

/* sql with every placeholder replaced by 1, so the server can plan it.
 * Returns it malloc'd, or NULL. */
static char *bind_ones(const char *sql)
{
	struct dw_sqltok *params;
	struct dw_err err;
	size_t n, len = strlen(sql), at = 0, out = 0;
	char *s;

	if (dw_sqllex_params(sql, len, DW_DB_MY, &params, &n, &err) < 0)
		return NULL;
	s = malloc(len + 1);
	for (size_t i = 0; s && i < n; i++) {
		memcpy(s + out, sql + at, params[i].off - at);
		out += params[i].off - at;
		s[out++] = '1';
		at = params[i].off + params[i].len;
	}
	if (s)
		strcpy(s + out, sql + at);
	free(params);
	return s;
}

/* name is a word or quoted name of sql (an alias or WITH query). */
static int declared_in(const char *sql, const char *name)
{
	struct dw_sqltok *t;
	struct dw_err err;
	size_t n;
	int found = 0;
	char buf[256];

	if (dw_sqllex(sql, strlen(sql), DW_DB_MY, &t, &n, &err) < 0)
		return 0;
	for (size_t i = 0; i < n && !found; i++)
		found = dw_sqllex_tok_name(sql, &t[i], buf, sizeof buf) && !strcmp(buf, name);
	free(t);
	return found;
}

/* Every "table_name" in the plan is reported, declared or a placeholder. */
static int plan_tables_known(const cJSON *node, const char *sql,
			     const struct dw_schema_table **tables, size_t n, char *note, size_t size)
{
	const cJSON *child;

	if (cJSON_IsString(node) && node->string && !strcmp(node->string, "table_name")) {
		const char *name = node->valuestring;

		if (name[0] == '<' || declared_in(sql, name))
			return 1;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(tables[i]->name, name))
				return 1;
		snprintf(note, size, "the plan reads '%s', which the validator did not report", name);
		return 0;
	}
	cJSON_ArrayForEach(child, node)
		if (!plan_tables_known(child, sql, tables, n, note, size))
			return 0;
	return 1;
}

/* Server errors that mean it resolved a table, database or routine the
 * probe holds no privilege on, or one that does not exist. */
static int is_resolution_error(int code)
{
	static const int codes[] = {
		1044, /* access denied to database */
		1049, /* unknown database */
		1142, /* command denied for table */
		1143, /* command denied for column */
		1146, /* table does not exist */
		1305, /* routine does not exist */
		1370, /* execute denied for routine */
	};

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (code == codes[i])
			return 1;
	return 0;
}

/* EXPLAIN as the probe: 1 planned and every table known, 0 the server
 * refused the query for some other reason (syntax, a column), -1 a
 * failure; why in note. */
static int explain(struct run *r, const char *sql, const struct dw_schema_table **tables,
		   size_t n, char *note, size_t size)
{
	char *bound = bind_ones(sql), *text, *json = NULL;
	struct dw_err err;
	cJSON *plan;
	int rc;

	if (!bound)
		return -1;
	text = malloc(strlen(bound) + 32);
	if (!text) {
		free(bound);
		return -1;
	}
	sprintf(text, "EXPLAIN FORMAT=JSON %s", bound);
	free(bound);
	dw_err_clear(&err);
	rc = dw_db_query_value(r->probe, text, 0, NULL, &json, &err);
	free(text);
	if (rc < 0) {
		int code = dw_db_native_error(r->probe);

		snprintf(note, size, "server: %s", err.msg);
		return is_resolution_error(code) ? -1 : 0;
	}
	plan = json ? cJSON_Parse(json) : NULL;
	/* MariaDB leaves a '"' of a condition unescaped in the plan: then the
	 * permission check alone speaks. */
	if (!plan)
		snprintf(note, size, "the plan is not valid JSON; only the permission check applies");
	rc = !plan || plan_tables_known(plan, sql, tables, n, note, size) ? 1 : -1;
	cJSON_Delete(plan);
	free(json);
	return rc;
}

/* ---- one query -------------------------------------------------------------- */

/* must_accept: the validator must accept sql and the server must plan it. */
static void check_query(struct run *r, const char *what, const char *name, const char *sql,
			int must_accept)
{
	const struct dw_schema_table **tables;
	struct dw_err err;
	char note[sizeof ((struct dw_err *)0)->msg + 64] = "";
	size_t n;
	int rc;

	dw_err_clear(&err);
	if (dw_validate_sql_tables(sql, DW_DB_MY, &r->schema, &tables, &n, &err) < 0) {
		r->refused++;
		report(r, !must_accept, must_accept ? what : "refused", name);
		if (must_accept)
			printf("# refused: %s\n# sql: %s\n", err.msg, sql);
		return;
	}
	r->accepted++;
	rc = grant_exactly(r, tables, n) < 0 ? -1 : explain(r, sql, tables, n, note, sizeof note);
	r->server_refused += rc == 0;
	report(r, rc > 0 || (rc == 0 && !must_accept), what, name);
	if (*note)
		printf("# %s\n", note);
	if (rc < 0 || (rc == 0 && must_accept))
		printf("# sql: %s\n", sql);
	free(tables);
}

/* ---- sources of queries ----------------------------------------------------- */

static void check_unit_cases(struct run *r)
{
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
		if (bad_cases[i].dialect == DW_DB_MY)
			check_query(r, "unit case", bad_cases[i].name, bad_cases[i].sql, 0);
	for (size_t i = 0; i < sizeof good_cases / sizeof good_cases[0]; i++)
		if (good_cases[i].dialect == DW_DB_MY)
			check_query(r, "unit case", good_cases[i].name, good_cases[i].sql, 0);
}

/* Queries naming the other database and the probe's own in ways the
 * validator must see through. */
static void check_other_database(struct run *r, const char *other)
{
	static const char *const forms[] = {
		"SELECT * FROM {oj %s.secrets}",
		"SELECT * FROM fact_sales USE INDEX FOR ORDER BY (), %s.secrets",
		"SELECT * FROM fact_sales f FORCE KEY FOR JOIN (PRIMARY), %s.secrets",
		"SELECT * FROM (SELECT 1 AS secrets) %s, %s.secrets",
		"SELECT %s.secrets.id FROM (SELECT 1 AS id) secrets",
		"SELECT * FROM fact_sales WHERE 1 IN (WITH secrets AS (SELECT 1) SELECT * FROM "
		"%s.secrets)",
		"SELECT %s.leak_fn()",
		"SELECT leak_fn()",
		"SELECT * FROM dw_audit_event",
		"SELECT * FROM dw_audit_event WHERE 1 IN (WITH dw_audit_event AS (SELECT 1) SELECT "
		"* FROM dw_audit_event)",
		"WITH dw_etl_run AS (SELECT * FROM dw_etl_run) SELECT * FROM dw_etl_run",
	};
	char sql[512];

	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		snprintf(sql, sizeof sql, forms[i], other, other);
		check_query(r, "other database", sql, sql, 0);
	}
}

static void join_clause(const struct dw_kb *kb, const char *fact, const char *dim,
			const char *role, char *buf, size_t size)
{
	const struct dw_kb_join *j = dw_kb_join(kb, fact, dim, role);

	buf[0] = '\0';
	if (j)
		snprintf(buf, size, "JOIN %s ON %s.%s = %s.%s", dim, dim, j->right_column, fact,
			 j->left_column);
}

/* The knowledge file's SQL as dw-ask and t/it/test_kb_examples use it. */
static int check_kb(struct run *r, const char *path)
{
	struct dw_kb kb;
	struct dw_err err;
	char sql[4096], join[512];
	const char *fact;

	memset(&kb, 0, sizeof kb);
	if (dw_kb_load(&kb, path, &err) < 0) {
		printf("# %s: %s\n", path, err.msg);
		dw_kb_release(&kb);
		return -1;
	}
	fact = kb.metrics[0].table;
	for (size_t i = 0; i < kb.nmetrics; i++) {
		snprintf(sql, sizeof sql, "SELECT %s AS %s FROM %s", kb.metrics[i].sql,
			 kb.metrics[i].name, kb.metrics[i].table);
		check_query(r, "metric", kb.metrics[i].name, sql, 1);
	}
	for (size_t i = 0; i < kb.ndimensions; i++) {
		const struct dw_kb_dimension *d = &kb.dimensions[i];

		join_clause(&kb, fact, d->table, "", join, sizeof join);
		snprintf(sql, sizeof sql, "SELECT %s.%s AS %s, %s FROM %s %s GROUP BY 1", d->table,
			 d->column, d->name, kb.metrics[0].sql, fact, join);
		check_query(r, "dimension", d->name, sql, 1);
	}
	join_clause(&kb, fact, kb.time.table, kb.time.default_role, join, sizeof join);
	for (size_t i = 0; i < kb.time.ngrains; i++) {
		const struct dw_kb_grain *g = &kb.time.grains[i];
		const char *order = *g->order_sql ? g->order_sql : g->sql;

		snprintf(sql, sizeof sql, "SELECT %s AS %s, %s FROM %s %s GROUP BY %s, %s ORDER BY %s",
			 g->sql, g->name, kb.metrics[0].sql, fact, join, order, g->sql, order);
		check_query(r, "grain", g->name, sql, 1);
	}
	for (size_t i = 0; i < kb.nexamples; i++)
		check_query(r, "example", kb.examples[i].question, kb.examples[i].sql, 1);
	for (size_t i = 0; i < kb.nreports; i++)
		check_query(r, "report", kb.reports[i].name, kb.reports[i].sql, 1);
	dw_kb_release(&kb);
	return 0;
}

static size_t indent_of(const char *line)
{
	return strspn(line, " ");
}

/* The gold SQL of t/ask/questions.yaml: the block after "sql: |", its
 * lines indented more than "sql:". */
static int check_questions(struct run *r, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024], id[64] = "", *sql = NULL;
	size_t sql_indent = 0, len = 0;

	if (!f) {
		printf("# cannot open %s\n", path);
		return -1;
	}
	for (int more = 1; more;) {
		more = fgets(line, sizeof line, f) != NULL;
		if (sql && (!more || (indent_of(line) <= sql_indent && line[indent_of(line)] != '\n'))) {
			check_query(r, "question", id, sql, 1);
			free(sql);
			sql = NULL;
		}
		if (!more)
			break;
		if (sql) {
			char *grown = realloc(sql, len + strlen(line) + 1);

			if (!grown)
				break;
			sql = grown;
			strcpy(sql + len, line);
			len += strlen(line);
		} else if (sscanf(line, " - id: %63s", id) == 1) {
			continue;
		} else if (line[0] == ' ' && !strncmp(line + indent_of(line), "sql: |", 6)) {
			sql_indent = indent_of(line);
			sql = calloc(1, 1);
			len = 0;
		}
	}
	free(sql);
	fclose(f);
	return 0;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (s = malloc((size_t)size + 1)) != NULL) {
		size_t got = fread(s, 1, (size_t)size, f);

		s[got] = '\0';
	}
	fclose(f);
	return s;
}

static void check_file(struct run *r, const char *path)
{
	char *sql = read_file(path);

	if (!sql) {
		report(r, 0, "cannot read", path);
		return;
	}
	check_query(r, "file", path, sql, 0);
	free(sql);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void check_path(struct run *r, const char *path)
{
	struct dirent **entries;
	struct stat st;
	int n;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		check_file(r, path);
		return;
	}
	n = scandir(path, &entries, NULL, by_name);
	for (int i = 0; i < n; i++) {
		char full[4096];

		snprintf(full, sizeof full, "%s/%s", path, entries[i]->d_name);
		if (entries[i]->d_name[0] != '.' && stat(full, &st) == 0 && S_ISREG(st.st_mode))
			check_file(r, full);
		free(entries[i]);
	}
	if (n >= 0)
		free(entries);
}

/* ---- the allow list is the server's own -------------------------------------- */

/* Each allowed function created as a stored function returning a marker
 * and called unqualified: the built-in answers (or refuses the call's
 * arguments); the stored function never runs. */
static void check_functions_native(struct run *r)
{
	const char *fn;
	char sql[256];

	for (size_t i = 0; (fn = dw_validate_function(DW_DB_MY, i)) != NULL; i++) {
		struct dw_err err;
		char *value = NULL;
		int created, ran;

		snprintf(sql, sizeof sql, "CREATE FUNCTION `%s`() RETURNS INT RETURN 4242", fn);
		dw_err_clear(&err);
		created = dw_db_exec(r->root, sql, 0, NULL, &err) >= 0;
		snprintf(sql, sizeof sql, "SELECT %s()", fn);
		ran = dw_db_query_value(r->root, sql, 0, NULL, &value, &err) == 0 && value &&
		      !strcmp(value, "4242");
		free(value);
		if (created) {
			snprintf(sql, sizeof sql, "DROP FUNCTION `%s`", fn);
			exec_root(r, sql);
		}
		report(r, !ran, "allowed function is the server's own", fn);
	}
}

/* ---- main ------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	const char *kb = NULL, *questions = NULL, *other = NULL;
	struct run r = { 0 };
	struct dw_config cfg;
	struct dw_err err;
	int opt, rc = 2;

	while ((opt = getopt(argc, argv, "k:q:o:")) != -1) {
		if (opt == 'k')
			kb = optarg;
		else if (opt == 'q')
			questions = optarg;
		else if (opt == 'o')
			other = optarg;
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: test_validate_diff DW.YAML [-k KB] [-q QUESTIONS] [-o DB] "
				"[FILE|DIR]...\n");
		return 2;
	}
	dw_err_clear(&err);
	if (dw_config_load(&cfg, argv[optind], &err) == 0)
		r.root = dw_db_my_open(&cfg.warehouse, "warehouse", &err);
	if (r.root && dw_schema_read(r.root, &r.schema, &err) == 0) {
		r.database = r.schema.database;
		if (create_probe(&r, &cfg) == 0) {
			check_functions_native(&r);
			check_unit_cases(&r);
			if (other)
				check_other_database(&r, other);
			if ((!kb || check_kb(&r, kb) == 0) &&
			    (!questions || check_questions(&r, questions) == 0)) {
				for (int i = optind + 1; i < argc; i++)
					check_path(&r, argv[i]);
				printf("# %d accepted (%d of them refused by the server), %d refused\n",
				       r.accepted, r.server_refused, r.refused);
				printf("1..%d\n", r.tests);
				rc = r.failures ? 1 : 0;
			}
		}
		exec_root(&r, "DROP USER IF EXISTS '" PROBE_USER "'@'%'");
	} else {
		fprintf(stderr, "test_validate_diff: %s\n", err.msg);
	}
	if (r.probe)
		dw_db_close(r.probe);
	if (r.root)
		dw_db_close(r.root);
	if (r.schema.database)
		dw_schema_release(&r.schema);
	dw_config_release(&cfg);
	return rc;
}
