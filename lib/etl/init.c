#include "etl/init.h"

#include <stdlib.h>
#include <string.h>

#include "sql_embed.h"

struct side_sql {
	const char *dir;             /* "oltp" or "dw" */
	const char *create_version;  /* the version table, outside versioning */
	const char *has_version;     /* 1 row when the version table exists */
	const char *lock, *unlock;
};

static const struct side_sql pg_side = {
	"oltp",
	"CREATE TABLE IF NOT EXISTS dw_schema_version (version integer PRIMARY KEY, "
	"name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
	"SELECT 1 WHERE to_regclass('dw_schema_version') IS NOT NULL",
	"SELECT pg_advisory_lock(hashtext('dw-etl init'))",
	"SELECT pg_advisory_unlock(hashtext('dw-etl init'))",
};

static const struct side_sql my_side = {
	"dw",
	"CREATE TABLE IF NOT EXISTS dw_schema_version (version INT PRIMARY KEY, "
	"name VARCHAR(200) NOT NULL, applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) "
	"ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	"SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() "
	"AND table_name = 'dw_schema_version'",
	"SELECT GET_LOCK('dw-etl init', 60)",
	"SELECT RELEASE_LOCK('dw-etl init')",
};

/* Version of a file "dir/NNN_name.sql", 0 when it is not in dir. */
static int file_version(const char *name, const char *dir)
{
	size_t n = strlen(dir);

	if (strncmp(name, dir, n) || name[n] != '/')
		return 0;
	return atoi(name + n + 1);
}

int dw_init_schema_latest(const char *side)
{
	int latest = 0;

	for (const struct dw_sql_file *f = dw_sql_embed_files; f->name; f++)
		if (file_version(f->name, side) > latest)
			latest = file_version(f->name, side);
	return latest;
}

static int current_version(struct dw_db *db, const struct side_sql *s, int *version,
			   struct dw_err *err)
{
	char *v = NULL;

	*version = 0;
	if (dw_db_query_value(db, s->has_version, 0, NULL, &v, err) < 0)
		return -1;
	if (!v)
		return 0;
	free(v);
	if (dw_db_query_value(db, "SELECT max(version) FROM dw_schema_version", 0, NULL, &v,
			      err) < 0)
		return -1;
	*version = v ? atoi(v) : 0;
	free(v);
	return 0;
}

int dw_init_check(struct dw_db *db, struct dw_err *err)
{
	const struct side_sql *s = dw_db_kind(db) == DW_DB_PG ? &pg_side : &my_side;
	int have, want = dw_init_schema_latest(s->dir);

	if (current_version(db, s, &have, err) < 0)
		return -1;
	if (have >= want)
		return 0;
	dw_err_set(err, DW_EX_CONFIG, "%s: schema version %d, this dw-etl needs version %d",
		   dw_db_label(db), have, want);
	dw_err_hint(err, "run 'dw-etl init' to create or upgrade it");
	return -1;
}

static int apply_file(struct dw_db *db, const struct dw_sql_file *f, int version,
		      struct dw_err *err)
{
	char vbuf[16];
	const char *params[] = { vbuf, f->name };
	const char *record = dw_db_kind(db) == DW_DB_PG
		? "INSERT INTO dw_schema_version (version, name) VALUES ($1, $2)"
		: "INSERT INTO dw_schema_version (version, name) VALUES (?, ?)";
	int in_tx = dw_db_kind(db) == DW_DB_PG;   /* PostgreSQL DDL is transactional */

	snprintf(vbuf, sizeof vbuf, "%d", version);
	if (in_tx && dw_db_begin(db, err) < 0)
		return -1;
	if (dw_db_exec_script(db, f->text, err) < 0 || dw_db_exec(db, record, 2, params, err) < 0) {
		dw_err_prefix(err, "applying %s", f->name);
		if (in_tx)
			dw_db_rollback(db, NULL);
		return -1;
	}
	return in_tx ? dw_db_commit(db, err) : 0;
}

static int apply_pending(struct dw_db *db, const struct side_sql *s, FILE *dry_run,
			 struct dw_init_side *out, struct dw_err *err)
{
	if (current_version(db, s, &out->from_version, err) < 0)
		return -1;
	out->to_version = out->from_version;
	for (const struct dw_sql_file *f = dw_sql_embed_files; f->name; f++) {
		int v = file_version(f->name, s->dir);

		if (v <= out->from_version)
			continue;
		if (dry_run)
			fprintf(dry_run, "-- %s: %s (version %d)\n%s\n", dw_db_label(db), f->name, v,
				f->text);
		else if (apply_file(db, f, v, err) < 0)
			return -1;
		out->to_version = v;
	}
	return 0;
}

static int init_side(struct dw_db *db, const struct side_sql *s, FILE *dry_run,
		     struct dw_init_side *out, struct dw_err *err)
{
	char *got = NULL;
	int rc;

	if (dw_db_query_value(db, s->lock, 0, NULL, &got, err) < 0)
		return -1;
	if (dw_db_kind(db) == DW_DB_MY && (!got || strcmp(got, "1"))) {
		free(got);
		return dw_err_set(err, DW_EX_TEMPFAIL,
				  "%s: another dw-etl init holds the schema lock", dw_db_label(db));
	}
	free(got);
	rc = dry_run ? 0 : (dw_db_exec(db, s->create_version, 0, NULL, err) < 0 ? -1 : 0);
	if (rc == 0)
		rc = apply_pending(db, s, dry_run, out, err);
	if (dw_db_query_value(db, s->unlock, 0, NULL, &got, rc ? NULL : err) < 0 && rc == 0)
		rc = -1;
	free(got);
	return rc;
}

int dw_init_run(struct dw_db *pg, struct dw_db *my, FILE *dry_run, struct dw_init_side *oltp,
		struct dw_init_side *dw, struct dw_err *err)
{
	if (pg && init_side(pg, &pg_side, dry_run, oltp, err) < 0)
		return -1;
	if (my && init_side(my, &my_side, dry_run, dw, err) < 0)
		return -1;
	return 0;
}
