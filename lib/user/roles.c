/* The policy into roles, schemas and masking views (DESIGN.md section 8):
 * the warehouse itself masks, so no SQL, whoever writes it, reads past the
 * views. Each role's statements are fingerprinted (SHA-256) in dw_role, so
 * applying an unchanged policy changes nothing. */
#include "user/roles.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "log.h"
#include "sqllex.h"

/* The statements that make one role, in order. */
struct stmts {
	char **v;
	size_t n, cap;
};

static int push(struct stmts *s, char *sql, struct dw_err *err)
{
	if (!sql)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **v = realloc(s->v, cap * sizeof *v);

		if (!v) {
			free(sql);
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = sql;
	return 0;
}

static void stmts_free(struct stmts *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

int dw_roles_object_name(const char *database, const char *role, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s_%s", database, role);

	return n < 0 || (size_t)n >= size || n > 64 ? -1 : 0;
}

/* A column of a warehouse table as the server has it. */
struct column {
	char *name;
	int text, date;          /* character or date/time type */
};

struct table {
	struct column *cols;
	size_t n;
};

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->cols[i].name);
	free(t->cols);
	memset(t, 0, sizeof *t);
}

static int read_columns(struct dw_db *db, const char *database, const char *table,
			struct table *t, struct dw_err *err)
{
	const char *params[] = { database, table };
	struct dw_rows *rows = dw_db_query(db, "SELECT COLUMN_NAME, DATA_TYPE FROM "
					   "information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND "
					   "TABLE_NAME = ? ORDER BY ORDINAL_POSITION", 2, params, err);
	int rc;

	if (!rows)
		return -1;
	while ((rc = dw_rows_next(rows, err)) > 0) {
		const char *type = dw_rows_value(rows, 1);
		struct column *c = realloc(t->cols, (t->n + 1) * sizeof *c);

		if (!c || !(c[t->n].name = strdup(dw_rows_value(rows, 0)))) {
			if (c)
				t->cols = c;
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
			break;
		}
		t->cols = c;
		c[t->n].text = strstr(type, "char") || strstr(type, "text");
		c[t->n].date = strstr(type, "date") || strstr(type, "time");
		t->n++;
	}
	dw_rows_free(rows);
	if (rc == 0 && !t->n)
		rc = dw_err_set(err, DW_EX_CONFIG, "warehouse: no table %s.%s (run dw-etl init)",
				database, table);
	return rc < 0 ? -1 : 0;
}

static int has_column(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->cols[i].name, name))
			return 1;
	return 0;
}

/* Writing SQL: identifiers quoted by the db module. */
struct out {
	FILE *fp;
	struct dw_db *db;
	int failed;
};

static void ident(struct out *o, const char *name)
{
	char *q = dw_db_quote_ident(o->db, name);

	if (!q) {
		o->failed = 1;
		return;
	}
	fputs(q, o->fp);
	free(q);
}

static void qualified(struct out *o, const char *schema, const char *name)
{
	ident(o, schema);
	fputc('.', o->fp);
	ident(o, name);
}

static void literal(struct out *o, const char *value)
{
	char *q = dw_sqllex_quote(value, DW_DB_MY);

	if (!q) {
		o->failed = 1;
		return;
	}
	fputs(q, o->fp);
	free(q);
}

/* The masked value of column c (t.c) under rule. */
static int put_mask(struct out *o, const struct dw_roles_apply *a, const struct table *t,
		    const struct column *c, enum dw_policy_rule rule, const char *to,
		    const char *table, struct dw_err *err)
{
	switch (rule) {
	case DW_POLICY_NONE:
		fputs("t.", o->fp), ident(o, c->name);
		return 0;
	case DW_POLICY_REDACT:
		if (!c->text)
			return fputs("NULL", o->fp), 0;
		fputs("IF(t.", o->fp), ident(o, c->name);
		fputs(" IS NULL, NULL, '[redacted]')", o->fp);
		return 0;
	case DW_POLICY_INITIALS:
		fputs("CONCAT(LEFT(t.", o->fp), ident(o, c->name);
		fputs(", 1), '.', IF(LOCATE(' ', t.", o->fp), ident(o, c->name);
		fputs(") > 0, CONCAT(' ', LEFT(SUBSTRING_INDEX(t.", o->fp), ident(o, c->name);
		fputs(", ' ', -1), 1), '.'), ''))", o->fp);
		return 0;
	case DW_POLICY_PSEUDONYM:
		/* The key is read by the view's definer; the view's text names the
		 * table, never the key. */
		fputs("CONCAT('~', LEFT(SHA2(CONCAT((SELECT k.secret FROM ", o->fp);
		qualified(o, a->database, "dw_mask_key");
		fputs(" AS k WHERE k.id = 1), ':', t.", o->fp), ident(o, c->name);
		fputs("), 256), 16))", o->fp);
		return 0;
	case DW_POLICY_GENERALIZE:
		if (*to) {
			if (!has_column(t, to))
				return dw_err_set(err, DW_EX_CONFIG, "generalize:%s: no column %s in %s",
						  to, to, table);
			fputs("t.", o->fp), ident(o, to);
		} else if (c->date) {
			fputs("DATE_FORMAT(t.", o->fp), ident(o, c->name), fputs(", '%Y-%m')", o->fp);
		} else if (c->text) {
			fputs("LEFT(t.", o->fp), ident(o, c->name), fputs(", 2)", o->fp);
		} else {
			return dw_err_set(err, DW_EX_CONFIG, "generalize: %s.%s is neither text nor a "
					  "date; say generalize:COLUMN", table, c->name);
		}
		return 0;
	}
	return 0;
}

/* The values a scope allows: fixed literals, or the person's own rows. */
static void put_scope_values(struct out *o, const struct dw_roles_apply *a,
			     const struct dw_policy_scope *s)
{
	if (s->person) {
		fputs("(SELECT s.value FROM ", o->fp);
		qualified(o, a->database, "dw_scope");
		fputs(" AS s WHERE s.account = SUBSTRING_INDEX(SESSION_USER(), '@', 1) AND "
		      "s.dimension = ", o->fp);
		literal(o, s->dimension);
		fputc(')', o->fp);
		return;
	}
	fputc('(', o->fp);
	for (size_t i = 0; i < s->nvalues; i++) {
		if (i)
			fputs(", ", o->fp);
		literal(o, s->values[i]);
	}
	fputc(')', o->fp);
}

/* The row scope of table: its own dimension column, or the facts' key
 * into the dimension's table. Other tables are not limited. */
static void put_scopes(struct out *o, const struct dw_roles_apply *a,
		       const struct dw_policy_role *r, const char *table)
{
	const char *glue = " WHERE ";

	for (size_t i = 0; i < r->nscopes; i++) {
		const struct dw_kb_dimension *d = dw_kb_dimension(a->kb, r->scopes[i].dimension);
		const struct dw_kb_join *j = dw_kb_join(a->kb, table, d->table, "");

		if (!strcmp(d->table, table)) {
			fprintf(o->fp, "%st.", glue), ident(o, d->column);
		} else if (j) {
			fprintf(o->fp, "%st.", glue), ident(o, j->left_column);
			fputs(" IN (SELECT d.", o->fp), ident(o, j->right_column);
			fputs(" FROM ", o->fp), qualified(o, a->database, d->table);
			fputs(" AS d WHERE d.", o->fp), ident(o, d->column);
		} else {
			continue;
		}
		fputs(" IN ", o->fp);
		put_scope_values(o, a, &r->scopes[i]);
		if (j && strcmp(d->table, table))
			fputc(')', o->fp);
		glue = " AND ";
	}
}

static int is_pii(const struct dw_kb *kb, const char *table, const char *column)
{
	const struct dw_kb_column *c = dw_kb_column(kb, table, column);

	return c && c->pii;
}

/* CREATE OR REPLACE ... VIEW schema.table AS SELECT masked columns FROM
 * the warehouse table WHERE scope. */
static char *view_sql(const struct dw_roles_apply *a, const struct dw_policy_role *r,
		      const char *schema, const char *table, struct dw_err *err)
{
	struct table t = { 0 };
	struct out o = { .db = a->db };
	char *sql = NULL;
	size_t len;
	int rc = 0;

	if (read_columns(a->db, a->database, table, &t, err) < 0)
		return NULL;
	if (!(o.fp = open_memstream(&sql, &len))) {
		table_free(&t);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory"), NULL;
	}
	fputs("CREATE OR REPLACE SQL SECURITY DEFINER VIEW ", o.fp);
	qualified(&o, schema, table);
	fputs(" AS SELECT ", o.fp);
	for (size_t i = 0; rc == 0 && i < t.n; i++) {
		enum dw_policy_rule rule = DW_POLICY_NONE;
		const char *to = "";

		if (i)
			fputs(", ", o.fp);
		if (is_pii(a->kb, table, t.cols[i].name) &&
		    dw_policy_rule_of(r, table, t.cols[i].name, &rule, &to) < 0)
			rc = dw_err_set(err, DW_EX_CONFIG, "role '%s' has no rule for %s.%s", r->name,
					table, t.cols[i].name);
		else
			rc = put_mask(&o, a, &t, &t.cols[i], rule, to, table, err);
		fputs(" AS ", o.fp), ident(&o, t.cols[i].name);
	}
	fputs(" FROM ", o.fp);
	qualified(&o, a->database, table);
	fputs(" AS t", o.fp);
	put_scopes(&o, a, r, table);
	table_free(&t);
	if (fclose(o.fp) != 0 || o.failed)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (rc < 0) {
		free(sql);
		return NULL;
	}
	return sql;
}

/* fmt with its one or two %s each the quoted name (and the second b,
 * quoted, when b is not NULL). Malloc'd, NULL when out of memory. */
static char *format2(const char *fmt, struct dw_db *db, const char *a, const char *b)
{
	char *qa = dw_db_quote_ident(db, a), *qb = dw_db_quote_ident(db, b ? b : a), *sql = NULL;
	int n = qa && qb ? snprintf(NULL, 0, fmt, qa, qb) : -1;

	if (n >= 0 && (sql = malloc((size_t)n + 1)))
		snprintf(sql, (size_t)n + 1, fmt, qa, qb);
	free(qa);
	free(qb);
	return sql;
}

static char *format(const char *fmt, struct dw_db *db, const char *name)
{
	return format2(fmt, db, name, NULL);
}

/* What dw-ask needs in a role's schema besides the model: the ETL
 * watermark (its cache is keyed by it), dw-tune's fit of query times (the
 * expected time of --explain), and the audit trail to write its events
 * to, seeing and writing only the person's own (db_user is the account;
 * WITH CHECK OPTION refuses any other). */
static const char *const control[] = { "dw_etl_watermark", "dw_tune_model", "dw_audit_event",
				       "dw_role_info", NULL };

/* dw_role_info: the role's name in the policy and whether it may export
 * (dw-ask refuses to write a file of answers when not). */
static char *role_info_sql(const struct dw_roles_apply *a, const struct dw_policy_role *r,
			   const char *object)
{
	char *q = dw_db_quote_ident(a->db, object), *name = dw_sqllex_quote(r->name, DW_DB_MY);
	char *sql = NULL;
	const char *fmt = "CREATE OR REPLACE SQL SECURITY DEFINER VIEW %s.dw_role_info AS SELECT %s "
			  "AS role, %d AS export";
	int n = q && name ? snprintf(NULL, 0, fmt, q, name, r->export) : -1;

	if (n >= 0 && (sql = malloc((size_t)n + 1)))
		snprintf(sql, (size_t)n + 1, fmt, q, name, r->export);
	free(q);
	free(name);
	return sql;
}

static int control_views(const struct dw_roles_apply *a, const struct dw_policy_role *r,
			 const char *object, struct stmts *s, struct dw_err *err)
{
	if (push(s, role_info_sql(a, r, object), err) < 0)
		return -1;
	if (push(s, format2("CREATE OR REPLACE SQL SECURITY DEFINER VIEW %s.dw_etl_watermark AS "
			    "SELECT * FROM %s.dw_etl_watermark", a->db, object, a->database),
		 err) < 0 ||
	    push(s, format2("CREATE OR REPLACE SQL SECURITY DEFINER VIEW %s.dw_tune_model AS "
			    "SELECT * FROM %s.dw_tune_model", a->db, object, a->database), err) < 0)
		return -1;
	return push(s, format2("CREATE OR REPLACE SQL SECURITY DEFINER VIEW %s.dw_audit_event AS "
			       "SELECT * FROM %s.dw_audit_event WHERE db_user = "
			       "SUBSTRING_INDEX(SESSION_USER(), '@', 1) WITH CHECK OPTION", a->db,
			       object, a->database), err);
}

static int is_control(const char *name)
{
	for (int i = 0; control[i]; i++)
		if (!strcmp(control[i], name))
			return 1;
	return 0;
}

/* GRANT priv ON object.table TO object. */
static char *grant(const struct dw_roles_apply *a, const char *priv, const char *object,
		   const char *table)
{
	char *o = dw_db_quote_ident(a->db, object), *t = dw_db_quote_ident(a->db, table), *sql = NULL;
	int n = o && t ? snprintf(NULL, 0, "GRANT %s ON %s.%s TO %s", priv, o, t, o) : -1;

	if (n >= 0 && (sql = malloc((size_t)n + 1)))
		snprintf(sql, (size_t)n + 1, "GRANT %s ON %s.%s TO %s", priv, o, t, o);
	free(o);
	free(t);
	return sql;
}

/* What the role may do, from nothing: SELECT on its views (the audit
 * view only with audit: own), INSERT on the audit view. */
static int role_grants(const struct dw_roles_apply *a, const struct dw_policy_role *r,
		       const char *object, struct stmts *s, struct dw_err *err)
{
	if (push(s, format("REVOKE ALL PRIVILEGES, GRANT OPTION FROM %s", a->db, object), err) < 0)
		return -1;
	for (size_t i = 0; i < a->kb->ntables; i++)
		if (dw_policy_reads(r, a->kb->tables[i].name) &&
		    push(s, grant(a, "SELECT", object, a->kb->tables[i].name), err) < 0)
			return -1;
	if (push(s, grant(a, "SELECT", object, "dw_etl_watermark"), err) < 0 ||
	    push(s, grant(a, "SELECT", object, "dw_tune_model"), err) < 0 ||
	    push(s, grant(a, "SELECT", object, "dw_role_info"), err) < 0 ||
	    (r->audit_own && push(s, grant(a, "SELECT", object, "dw_audit_event"), err) < 0))
		return -1;
	return push(s, grant(a, "INSERT", object, "dw_audit_event"), err);
}

/* Every statement that makes role r, in order. */
static int role_stmts(const struct dw_roles_apply *a, const struct dw_policy_role *r,
		      const char *object, struct stmts *s, struct dw_err *err)
{
	if (push(s, format("CREATE ROLE IF NOT EXISTS %s", a->db, object), err) < 0 ||
	    push(s, format("CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8mb4 COLLATE "
			   "utf8mb4_nopad_bin", a->db, object), err) < 0)
		return -1;
	for (size_t i = 0; i < a->kb->ntables; i++) {
		const char *table = a->kb->tables[i].name;

		if (dw_policy_reads(r, table) &&
		    push(s, view_sql(a, r, object, table, err), err) < 0)
			return -1;
	}
	return control_views(a, r, object, s, err) < 0 || role_grants(a, r, object, s, err) < 0
	       ? -1 : 0;
}

static void fingerprint(const struct stmts *s, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	hex[0] = '\0';
	if (!ctx)
		return;
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1) {
		for (size_t i = 0; i < s->n; i++) {
			EVP_DigestUpdate(ctx, s->v[i], strlen(s->v[i]));
			EVP_DigestUpdate(ctx, "\n", 1);
		}
		if (EVP_DigestFinal_ex(ctx, md, &n) != 1)
			n = 0;
	}
	EVP_MD_CTX_free(ctx);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* Runs or prints one statement; the bookkeeping of dw_role (the
 * statements with parameters) is not printed. */
static int run(const struct dw_roles_apply *a, const char *sql, int nparams,
	       const char *const *params, struct dw_err *err)
{
	if (a->dry_run) {
		if (!nparams)
			fprintf(a->dry_run, "%s;\n", sql);
		return 0;
	}
	return dw_db_exec(a->db, sql, nparams, params, err) < 0 ? -1 : 0;
}

static int kb_has_table(const struct dw_kb *kb, const char *name)
{
	for (size_t i = 0; i < kb->ntables; i++)
		if (!strcmp(kb->tables[i].name, name))
			return 1;
	return 0;
}

/* Views in the role's schema that the policy no longer has. */
static int drop_leftovers(const struct dw_roles_apply *a, const struct dw_policy_role *r,
			  const char *object, struct dw_err *err)
{
	const char *params[] = { object };
	struct dw_rows *rows = dw_db_query(a->db, "SELECT TABLE_NAME FROM information_schema.TABLES "
					   "WHERE TABLE_SCHEMA = ?", 1, params, err);
	struct stmts drop = { 0 };
	int rc;

	if (!rows)
		return -1;
	while ((rc = dw_rows_next(rows, err)) > 0) {
		const char *name = dw_rows_value(rows, 0);
		if ((dw_policy_reads(r, name) && kb_has_table(a->kb, name)) || is_control(name))
			continue;
		if ((rc = push(&drop, format2("DROP VIEW IF EXISTS %s.%s", a->db, object, name),
			       err)) < 0)
			break;
	}
	dw_rows_free(rows);
	for (size_t i = 0; rc == 0 && i < drop.n; i++)
		rc = run(a, drop.v[i], 0, NULL, err);
	stmts_free(&drop);
	return rc < 0 ? -1 : 0;
}

/* The fingerprint recorded for role, "" when none. */
static int applied(const struct dw_roles_apply *a, const char *role, char hex[65],
		   struct dw_err *err)
{
	const char *params[] = { role };
	char *v = NULL;

	hex[0] = '\0';
	if (dw_db_query_value(a->db, "SELECT r.fingerprint FROM dw_role AS r JOIN "
			      "information_schema.SCHEMATA AS s ON s.SCHEMA_NAME = r.role_name "
			      "WHERE r.name = ?", 1, params, &v, err) < 0)
		return -1;
	snprintf(hex, 65, "%s", v ? v : "");
	free(v);
	return 0;
}

/* The views of role r: its tables and the three control views. */
static int views_of(const struct dw_roles_apply *a, const struct dw_policy_role *r)
{
	int n = 3;

	for (size_t i = 0; i < a->kb->ntables; i++)
		n += dw_policy_reads(r, a->kb->tables[i].name);
	return n;
}

static int apply_role(const struct dw_roles_apply *a, const struct dw_policy_role *r,
		      struct dw_err *err)
{
	char object[80], now[65], before[65];
	struct stmts s = { 0 };
	int rc;

	if (dw_roles_object_name(a->database, r->name, object, sizeof object) < 0)
		return dw_err_set(err, DW_EX_CONFIG, "role '%s': %s_%s is longer than 64 characters",
				  r->name, a->database, r->name);
	if (role_stmts(a, r, object, &s, err) < 0 || applied(a, r->name, before, err) < 0) {
		stmts_free(&s);
		return -1;
	}
	fingerprint(&s, now);
	if (!strcmp(now, before)) {
		stmts_free(&s);
		if (a->report)
			a->report(a->report_arg, r->name, object, DW_ROLES_UNCHANGED, 0);
		return 0;
	}
	rc = 0;
	for (size_t i = 0; rc == 0 && i < s.n; i++)
		rc = run(a, s.v[i], 0, NULL, err);
	if (rc == 0)
		rc = drop_leftovers(a, r, object, err);
	if (rc == 0) {
		const char *params[] = { r->name, object, now };

		rc = run(a, "REPLACE INTO dw_role (name, role_name, fingerprint, applied_at) "
			 "VALUES (?, ?, ?, NOW(6))", 3, params, err);
	}
	if (rc == 0 && a->report)
		a->report(a->report_arg, r->name, object, *before ? DW_ROLES_UPDATED : DW_ROLES_CREATED,
			  views_of(a, r));
	stmts_free(&s);
	return rc;
}

static int in_policy(const struct dw_policy *p, const char *name)
{
	for (size_t i = 0; i < p->nroles; i++)
		if (!strcmp(p->roles[i].name, name))
			return 1;
	return 0;
}

/* Roles applied before that the policy no longer names: schema, role and
 * record go. */
static int remove_dropped(const struct dw_roles_apply *a, struct dw_err *err)
{
	struct dw_rows *rows = dw_db_query(a->db, "SELECT name, role_name FROM dw_role ORDER BY name",
					   0, NULL, err);
	struct stmts gone = { 0 }, names = { 0 };
	int rc;

	if (!rows)
		return -1;
	while ((rc = dw_rows_next(rows, err)) > 0)
		if (!in_policy(a->policy, dw_rows_value(rows, 0)) &&
		    ((rc = push(&names, strdup(dw_rows_value(rows, 0)), err)) < 0 ||
		     (rc = push(&gone, strdup(dw_rows_value(rows, 1)), err)) < 0))
			break;
	dw_rows_free(rows);
	for (size_t i = 0; rc == 0 && i < gone.n; i++) {
		char *db = format("DROP DATABASE IF EXISTS %s", a->db, gone.v[i]);
		char *role = format("DROP ROLE IF EXISTS %s", a->db, gone.v[i]);
		const char *params[] = { names.v[i] };

		rc = !db || !role ? dw_err_set(err, DW_EX_SOFTWARE, "out of memory") : 0;
		if (rc == 0)
			rc = run(a, db, 0, NULL, err);
		if (rc == 0)
			rc = run(a, role, 0, NULL, err);
		if (rc == 0)
			rc = run(a, "DELETE FROM dw_role WHERE name = ?", 1, params, err);
		if (rc == 0 && a->report)
			a->report(a->report_arg, names.v[i], gone.v[i], DW_ROLES_REMOVED, 0);
		free(db);
		free(role);
	}
	stmts_free(&gone);
	stmts_free(&names);
	return rc < 0 ? -1 : 0;
}

/* The pseudonym key: 32 random bytes, written once. */
static int ensure_key(const struct dw_roles_apply *a, struct dw_err *err)
{
	unsigned char raw[32];
	char hex[65];
	const char *params[] = { hex };
	int rc;

	if (a->dry_run) {
		fputs("-- the pseudonym key (dw_mask_key) is written when missing\n", a->dry_run);
		return 0;
	}
	if (RAND_bytes(raw, sizeof raw) != 1)
		return dw_err_set(err, DW_EX_SOFTWARE, "no random bytes for the pseudonym key");
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	rc = dw_db_exec(a->db, "INSERT IGNORE INTO dw_mask_key (id, secret) VALUES (1, ?)", 1,
			params, err) < 0 ? -1 : 0;
	OPENSSL_cleanse(hex, sizeof hex);
	OPENSSL_cleanse(raw, sizeof raw);
	return rc;
}

/* The server's own password checks, so that a person changing a password
 * with any client is held to dw-user passwd's rules: length 15 without
 * composition rules (simple_password_check), the cracklib blocklist
 * (cracklib_password_check), no password used before
 * (password_reuse_check), and failed logins limited (max_password_errors,
 * NIST SP 800-63B: at most 100). A plugin the server lacks is skipped with
 * a warning. Global settings: they hold until the server restarts. */
static const struct server_check {
	const char *plugin;            /* NULL: a server variable alone */
	const char *vars[5][2];        /* name, value */
} server_checks[] = {
	{ "simple_password_check", { { "simple_password_check_minimal_length", "15" },
				     { "simple_password_check_digits", "0" },
				     { "simple_password_check_letters_same_case", "0" },
				     { "simple_password_check_other_characters", "0" } } },
	{ "cracklib_password_check", { { NULL, NULL } } },
	{ "password_reuse_check", { { "password_reuse_check_interval", "0" } } },
	{ NULL, { { "max_password_errors", "100" } } },
};

/* SET GLOBAL name = value, unless it is so already (so that applying
 * again changes nothing). */
static int set_global(const struct dw_roles_apply *a, const char *name, const char *value,
		      struct dw_err *err)
{
	char sql[160], *v = NULL;
	int rc;

	snprintf(sql, sizeof sql, "SELECT @@GLOBAL.%s", name);
	if ((rc = dw_db_query_value(a->db, sql, 0, NULL, &v, err)) == 0 && (!v || strcmp(v, value))) {
		snprintf(sql, sizeof sql, "SET GLOBAL %s = %s", name, value);
		rc = run(a, sql, 0, NULL, err);
	}
	free(v);
	return rc;
}

/* Installs the plugin when missing: 1 when it is there, 0 when the server
 * has none (a warning) or, in a dry run, when it would be installed (its
 * variables cannot be read yet), -1 on error. */
static int ensure_plugin(const struct dw_roles_apply *a, const char *plugin, struct dw_err *err)
{
	const char *params[] = { plugin };
	char *v = NULL, sql[128];
	struct dw_err e = { 0 };
	int rc = dw_db_query_value(a->db, "SELECT COUNT(*) FROM information_schema.PLUGINS WHERE "
				   "PLUGIN_NAME = ? AND PLUGIN_STATUS = 'ACTIVE'", 1, params, &v, err);
	int missing = v && !strcmp(v, "0");

	free(v);
	if (rc < 0)
		return -1;
	if (!missing)
		return 1;
	snprintf(sql, sizeof sql, "INSTALL SONAME '%s'", plugin);
	if (a->dry_run)
		return run(a, sql, 0, NULL, err) < 0 ? -1 : 0;
	if (dw_db_exec(a->db, sql, 0, NULL, &e) < 0) {
		dw_log_warn("warehouse: no server-side password check %s: %s", plugin, e.msg);
		return 0;
	}
	return 1;
}

static int ensure_server_checks(const struct dw_roles_apply *a, struct dw_err *err)
{
	for (size_t i = 0; i < sizeof server_checks / sizeof server_checks[0]; i++) {
		const struct server_check *c = &server_checks[i];
		int rc = c->plugin ? ensure_plugin(a, c->plugin, err) : 1;

		if (rc < 0)
			return -1;
		/* In a dry run, a plugin not yet installed has no variables to read. */
		for (int k = 0; rc == 1 && k < 5 && c->vars[k][0]; k++)
			if (set_global(a, c->vars[k][0], c->vars[k][1], err) < 0)
				return -1;
	}
	return 0;
}

/* The control tables come with warehouse schema version 4. */
static int check_control(const struct dw_roles_apply *a, struct dw_err *err)
{
	const char *params[] = { a->database };
	char *n = NULL;
	int rc = dw_db_query_value(a->db, "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
				   "TABLE_SCHEMA = ? AND TABLE_NAME IN ('dw_mask_key', 'dw_scope', "
				   "'dw_role', 'dw_person')", 1, params, &n, err);

	if (rc == 0 && (!n || strcmp(n, "4")))
		rc = dw_err_set(err, DW_EX_CONFIG, "warehouse %s: the control tables of dw-user are "
				"missing (run dw-etl init)", a->database);
	free(n);
	return rc;
}

int dw_roles_apply(const struct dw_roles_apply *a, struct dw_err *err)
{
	if (dw_policy_check(a->policy, a->kb, err) < 0 || check_control(a, err) < 0 ||
	    ensure_key(a, err) < 0 || ensure_server_checks(a, err) < 0)
		return -1;
	for (size_t i = 0; i < a->policy->nroles; i++)
		if (apply_role(a, &a->policy->roles[i], err) < 0)
			return -1;
	return remove_dropped(a, err);
}
