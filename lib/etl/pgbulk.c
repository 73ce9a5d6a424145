#include "etl/pgbulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Row by row, an index entry and a foreign-key probe per row cost about
 * three times the insert itself (1M order lines: 18 s against 6 s); built
 * and checked once from the loaded table they cost a sort and a join.
 * PostgreSQL's DDL is transactional: a failure or a crash rolls the drops
 * back with the rows, so the import stays one transaction.  Unique indexes
 * stay, and keep checking every row; a primary key put back checks them
 * all at once, and a duplicate fails the import. */

/* The statements that drop each secondary index and foreign key of $1, and
 * its primary key (one sort afterwards, not an index entry per row) with
 * the foreign keys of other tables that refer to it, when the account owns
 * those tables; each with the one that puts it back, as the catalog
 * defines it (NOT VALID and DEFERRABLE included), in the order they are
 * dropped: they are put back in the reverse order. A foreign key put back
 * checks every row of its table: the tables that refer to an empty one
 * can hold none, unless their key was NOT VALID, and then it stays so. */
static const char deps_sql[] =
	"WITH pk_free AS (SELECT NOT EXISTS (SELECT 1 FROM pg_constraint r "
	"JOIN pg_class c ON c.oid = r.conrelid WHERE r.confrelid = $1::regclass "
	"AND r.contype = 'f' AND NOT pg_has_role(c.relowner, 'USAGE')) AS ok) "
	"SELECT d, c FROM ("
	"SELECT 1 AS step, format('DROP INDEX %I.%I', n.nspname, c.relname) AS d, "
	"pg_get_indexdef(i.indexrelid) AS c "
	"FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"WHERE i.indrelid = $1::regclass AND NOT i.indisunique AND NOT i.indisprimary "
	"UNION ALL "
	"SELECT CASE WHEN contype = 'p' THEN 4 WHEN conrelid = $1::regclass THEN 2 ELSE 3 END, "
	"format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname), "
	"format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, "
	"pg_get_constraintdef(oid)) "
	"FROM pg_constraint WHERE (contype = 'f' AND conrelid = $1::regclass) OR "
	"((SELECT ok FROM pk_free) AND ((contype = 'p' AND conrelid = $1::regclass) OR "
	"(contype = 'f' AND confrelid = $1::regclass AND conrelid <> $1::regclass)))"
	") x ORDER BY step";

struct deps {
	char **drop, **create;
	int n;
};

static void deps_free(struct deps *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->drop[i]);
		free(d->create[i]);
	}
	free(d->drop);
	free(d->create);
}

static int deps_add(struct deps *d, const char *drop, const char *create)
{
	char **dr = realloc(d->drop, (size_t)(d->n + 1) * sizeof *dr), **cr;

	if (!dr)
		return -1;
	d->drop = dr;
	cr = realloc(d->create, (size_t)(d->n + 1) * sizeof *cr);
	if (!cr)
		return -1;
	d->create = cr;
	d->drop[d->n] = strdup(drop);
	d->create[d->n] = strdup(create);
	d->n++;
	return d->drop[d->n - 1] && d->create[d->n - 1] ? 0 : -1;
}

static int deps_read(struct dw_db *pg, const char *table, struct deps *d, struct dw_err *err)
{
	struct dw_rows *rows = dw_db_query(pg, deps_sql, 1, &table, err);
	int rc;

	if (!rows)
		return -1;
	while ((rc = dw_rows_next(rows, err)) == 1)
		if (deps_add(d, dw_rows_value(rows, 0), dw_rows_value(rows, 1)) < 0) {
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
			break;
		}
	dw_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* 1 when the value of the one-row query is true. */
static int is_true(struct dw_db *pg, const char *sql, int nparams, const char *const *params,
		   struct dw_err *err)
{
	char *v = NULL;
	int rc = dw_db_query_value(pg, sql, nparams, params, &v, err);

	if (rc >= 0)
		rc = v && *v == 't';
	free(v);
	return rc;
}

/* Owned, and empty once no one else can write to it.  The unlocked look
 * first keeps a table that is not empty from being locked at all. */
static int qualifies(struct dw_db *pg, const char *table, const char *qt, struct dw_err *err)
{
	char sql[256];
	int rc;

	rc = is_true(pg, "SELECT pg_has_role(relowner, 'USAGE') FROM pg_class "
		     "WHERE oid = $1::regclass", 1, &table, err);
	snprintf(sql, sizeof sql, "SELECT NOT EXISTS (SELECT 1 FROM %s)", qt);
	if (rc == 1)
		rc = is_true(pg, sql, 0, NULL, err);
	if (rc == 1) {
		char lock[160];

		snprintf(lock, sizeof lock, "LOCK TABLE %s IN ACCESS EXCLUSIVE MODE", qt);
		rc = dw_db_exec(pg, lock, 0, NULL, err) < 0 ? -1 : is_true(pg, sql, 0, NULL, err);
	}
	return rc;
}

/* The n statements of sql, first to last, or last to first (step -1). */
static int exec_all(struct dw_db *pg, char **sql, int n, int step, struct dw_err *err)
{
	for (int i = 0; i < n; i++)
		if (dw_db_exec(pg, sql[step > 0 ? i : n - 1 - i], 0, NULL, err) < 0)
			return -1;
	return 0;
}

/* Into *trigger the stamp's trigger, quoted, when the table has it
 * enabled: the rows are then stamped by the INSERT, the trigger held off;
 * NULL when not (the trigger, if any, does it). Returns 0 or -1. */
static int stamp_trigger(struct dw_db *pg, const char *table, const struct dw_pgbulk_stamp *st,
			 char **trigger, struct dw_err *err)
{
	const char *params[] = { table, st ? st->trigger : "" };
	char *v = NULL;
	int rc = 0;

	*trigger = NULL;
	if (st && (rc = dw_db_query_value(pg, "SELECT 1 FROM pg_trigger WHERE tgrelid = "
					  "$1::regclass AND tgname = $2 AND tgenabled = 'O'", 2,
					  params, &v, err)) == 0 &&
	    v && !(*trigger = dw_db_quote_ident(pg, st->trigger)))
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	free(v);
	return rc < 0 ? -1 : 0;
}

/* ALTER TABLE qt verb TRIGGER trigger. */
static int trigger_set(struct dw_db *pg, const char *qt, const char *verb, const char *trigger,
		       struct dw_err *err)
{
	char sql[512];

	snprintf(sql, sizeof sql, "ALTER TABLE %s %s TRIGGER %s", qt, verb, trigger);
	return dw_db_exec(pg, sql, 0, NULL, err) < 0 ? -1 : 0;
}

/* The rows in (stamped by the INSERT when trigger is set, held off
 * meanwhile), the dropped put back, and statistics taken: until
 * autovacuum comes, the next statements on the table (an import's merge,
 * a sync) would be planned for an empty one. */
static int load(struct dw_db *pg, const char *qt, const char *cols, const char *src,
		const struct dw_pgbulk_stamp *st, const char *trigger, const struct deps *d,
		long long *rows, struct dw_err *err)
{
	size_t len = strlen(qt) + strlen(cols) + strlen(src) + (st ? strlen(st->column) : 0) + 80;
	char *sql = malloc(len);
	int rc = -1;

	if (!sql)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (trigger)
		snprintf(sql, len, "INSERT INTO %s (%s, %s) SELECT s.*, clock_timestamp() FROM (%s) s",
			 qt, cols, st->column, src);
	else
		snprintf(sql, len, "INSERT INTO %s (%s) %s", qt, cols, src);
	if ((!trigger || trigger_set(pg, qt, "DISABLE", trigger, err) == 0) &&
	    (*rows = dw_db_exec(pg, sql, 0, NULL, err)) >= 0 &&
	    (!trigger || trigger_set(pg, qt, "ENABLE", trigger, err) == 0) &&
	    exec_all(pg, d->create, d->n, -1, err) == 0) {
		snprintf(sql, len, "ANALYZE %s", qt);
		rc = dw_db_exec(pg, sql, 0, NULL, err) < 0 ? -1 : 1;
	}
	free(sql);
	return rc;
}

int dw_pgbulk_load(struct dw_db *pg, const char *table, const char *cols, const char *src,
		   const struct dw_pgbulk_stamp *stamp, long long *rows, struct dw_err *err)
{
	char *qt = dw_db_quote_ident(pg, table), *trigger = NULL;
	struct deps d = { 0 };
	int rc;

	if (!qt)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	rc = qualifies(pg, table, qt, err);
	if (rc == 1)
		rc = deps_read(pg, table, &d, err) < 0 || exec_all(pg, d.drop, d.n, 1, err) < 0 ? -1 : 1;
	if (rc == 1)
		rc = stamp_trigger(pg, table, stamp, &trigger, err) < 0 ? -1 : 1;
	if (rc == 1)
		rc = load(pg, qt, cols, src, stamp, trigger, &d, rows, err);
	deps_free(&d);
	free(trigger);
	free(qt);
	return rc;
}
