#include "db/db_int.h"

#include <stdlib.h>
#include <string.h>

void dw_db_close(struct dw_db *db)
{
	if (db)
		db->ops->close(db);
}

enum dw_db_kind dw_db_kind(const struct dw_db *db)
{
	return db->kind;
}

const char *dw_db_label(const struct dw_db *db)
{
	return db->label;
}

int dw_db_native_error(const struct dw_db *db)
{
	return db->native_error;
}

const char *dw_db_sqlstate(const struct dw_db *db)
{
	return db->sqlstate;
}

int dw_db_local_infile_refused(const struct dw_db *db)
{
	return db->infile_refused;
}

long long dw_db_exec(struct dw_db *db, const char *sql, int nparams,
		     const char *const *params, struct dw_err *err)
{
	return db->ops->exec(db, sql, nparams, params, err);
}

int dw_db_exec_script(struct dw_db *db, const char *sql, struct dw_err *err)
{
	return db->ops->exec_script(db, sql, err);
}

struct dw_rows *dw_db_query(struct dw_db *db, const char *sql, int nparams,
			    const char *const *params, struct dw_err *err)
{
	return db->ops->query(db, sql, nparams, params, err);
}

int dw_db_query_value(struct dw_db *db, const char *sql, int nparams,
		      const char *const *params, char **out, struct dw_err *err)
{
	struct dw_rows *rows = dw_db_query(db, sql, nparams, params, err);
	int rc;

	*out = NULL;
	if (!rows)
		return -1;
	rc = dw_rows_next(rows, err);
	if (rc == 1 && dw_rows_value(rows, 0)) {
		*out = strdup(dw_rows_value(rows, 0));
		if (!*out)
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	while (rc == 1)
		rc = dw_rows_next(rows, err);
	dw_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

static int exec_simple(struct dw_db *db, const char *sql, struct dw_err *err)
{
	return dw_db_exec(db, sql, 0, NULL, err) < 0 ? -1 : 0;
}

int dw_db_begin(struct dw_db *db, struct dw_err *err)
{
	return exec_simple(db, db->kind == DW_DB_PG ? "BEGIN" : "START TRANSACTION", err);
}

int dw_db_commit(struct dw_db *db, struct dw_err *err)
{
	return exec_simple(db, "COMMIT", err);
}

int dw_db_rollback(struct dw_db *db, struct dw_err *err)
{
	return exec_simple(db, "ROLLBACK", err);
}

int dw_db_begin_read_only(struct dw_db *db, struct dw_err *err)
{
	return exec_simple(db, "START TRANSACTION READ ONLY", err);
}

/* MariaDB: max_statement_time (seconds, fractions allowed); MySQL 8:
 * max_execution_time (milliseconds, SELECT only); PostgreSQL:
 * statement_timeout (milliseconds). */
int dw_db_statement_timeout(struct dw_db *db, long ms, struct dw_err *err)
{
	char sql[96];
	struct dw_err ignored;

	if (db->kind == DW_DB_PG) {
		snprintf(sql, sizeof sql, "SET statement_timeout = %ld", ms);
		return exec_simple(db, sql, err);
	}
	snprintf(sql, sizeof sql, "SET SESSION max_statement_time = %ld.%03ld", ms / 1000,
		 ms % 1000);
	if (exec_simple(db, sql, &ignored) == 0)
		return 0;
	snprintf(sql, sizeof sql, "SET SESSION max_execution_time = %ld", ms);
	return exec_simple(db, sql, err);
}

int dw_db_is_timeout(const struct dw_db *db)
{
	/* MariaDB 1969 ER_STATEMENT_TIMEOUT, MySQL 3024, PostgreSQL 57014. */
	if (db->kind == DW_DB_PG)
		return !strcmp(db->sqlstate, "57014");
	return db->native_error == 1969 || db->native_error == 3024;
}

char *dw_db_quote_name(enum dw_db_kind kind, const char *name)
{
	char q = kind == DW_DB_PG ? '"' : '`';
	size_t n = 2;
	char *out, *p;

	for (const char *s = name; *s; s++)
		n += *s == q ? 2 : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	p = out;
	*p++ = q;
	for (const char *s = name; *s; s++) {
		if (*s == q)
			*p++ = q;
		*p++ = *s;
	}
	*p++ = q;
	*p = '\0';
	return out;
}

char *dw_db_quote_ident(const struct dw_db *db, const char *name)
{
	return dw_db_quote_name(db->kind, name);
}
