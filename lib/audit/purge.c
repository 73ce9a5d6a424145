/* The purge: find the oldest contiguous events before the time, archive
 * them (JSON lines, read back and checked), then in one transaction turn
 * the last of them into the checkpoint and delete the rest, on the purge
 * path of the append-only guards (@dw_audit_purge). */
#include "audit/purge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "audit/verify.h"
#include "outfile.h"

/* The event columns, the hashed fields in their order after seq's three. */
static const char *const names[] = {
	"seq", "prev_hash", "hash", "event_id", "seq_text", "at", "tool", "action", "os_user",
	"role", "db_user", "question", "engine", "sql_text", "row_count", "elapsed_ms", "outcome",
	"detail",
};

static const char select_sql[] =
	"SELECT seq, prev_hash, hash, event_id, CAST(seq AS CHAR), "
	"DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), tool, action, os_user, role, db_user, question, "
	"engine, sql_text, CAST(row_count AS CHAR), CAST(elapsed_ms AS CHAR), outcome, detail "
	"FROM dw_audit_event WHERE seq <= ? ORDER BY seq";

/* The last event to purge: the one before the first event at or after
 * before; 0 when none. */
static int last_to_purge(struct dw_db *db, const char *before, long long *p, struct dw_err *err)
{
	const char *params[] = { before };
	char *v = NULL;
	int rc = dw_db_query_value(db, "SELECT IFNULL((SELECT MIN(seq) FROM dw_audit_event WHERE "
				   "at >= ?) - 1, (SELECT MAX(seq) FROM dw_audit_event))", 1, params,
				   &v, err);

	*p = v ? atoll(v) : 0;
	free(v);
	return rc;
}

/* Events up to p as JSON lines into the archive. */
static int write_archive(struct dw_db *db, const char *path, const char *p, struct dw_err *err)
{
	const char *params[] = { p };
	struct dw_outfile f;
	struct dw_rows *rows;
	int rc;

	if (dw_outfile_open(&f, path, 0600, err) < 0)
		return -1;
	if (!(rows = dw_db_query(db, select_sql, 1, params, err))) {
		dw_outfile_abort(&f);
		return -1;
	}
	while ((rc = dw_rows_next(rows, err)) > 0) {
		cJSON *o = cJSON_CreateObject();
		char *line;

		for (int i = 0; o && i < (int)(sizeof names / sizeof names[0]); i++)
			if (i != 3 && i != 4)   /* event_id and seq's text: not archived */
				cJSON_AddItemToObject(o, names[i], dw_rows_value(rows, i)
					? cJSON_CreateString(dw_rows_value(rows, i)) : cJSON_CreateNull());
		if (!o || !(line = cJSON_PrintUnformatted(o))) {
			cJSON_Delete(o);
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
			break;
		}
		fprintf(f.fp, "%s\n", line);
		free(line);
		cJSON_Delete(o);
	}
	dw_rows_free(rows);
	if (rc < 0) {
		dw_outfile_abort(&f);
		return -1;
	}
	return dw_outfile_commit(&f, err);
}

/* The 14 hashed fields of an archived event (pointers into o). */
static void archived_fields(const cJSON *o, const char *fields[DW_VERIFY_NFIELDS])
{
	for (int i = 0; i < DW_VERIFY_NFIELDS; i++) {
		const char *name = i == 0 ? "seq" : names[i + 4];
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

		fields[i] = cJSON_IsString(v) ? v->valuestring : NULL;
	}
}

/* One archived line against the one before it. Returns 0 or -1. */
static int check_line(const char *line, long lineno, char prev[65], long long *expect,
		      struct dw_err *err)
{
	cJSON *o = cJSON_Parse(line);
	const char *fields[DW_VERIFY_NFIELDS], *hash = NULL, *ph = NULL;
	char mine[65];
	long long seq;
	int rc = 0;

	if (!o)
		return dw_err_set(err, DW_EX_NEGATIVE, "archive line %ld: not JSON", lineno);
	archived_fields(o, fields);
	hash = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "hash"));
	ph = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "prev_hash"));
	seq = fields[0] ? atoll(fields[0]) : 0;
	if (!hash || !fields[0])
		rc = dw_err_set(err, DW_EX_NEGATIVE, "archive line %ld: no seq or hash", lineno);
	else if (lineno == 1 && dw_verify_is_checkpoint(fields))
		;   /* an earlier purge's checkpoint starts it */
	else if (*expect && seq != *expect)
		rc = dw_err_set(err, DW_EX_NEGATIVE, "archive line %ld: event %lld missing", lineno,
				*expect);
	else if (!ph || strcmp(ph, prev))
		rc = dw_err_set(err, DW_EX_NEGATIVE, "archive line %ld: event %lld does not follow "
				"the one before it", lineno, seq);
	else if (dw_verify_event_hash(prev, fields, mine) < 0 || strcmp(mine, hash))
		rc = dw_err_set(err, DW_EX_NEGATIVE, "archive line %ld: event %lld changed", lineno,
				seq);
	if (rc == 0) {
		snprintf(prev, 65, "%s", hash);
		*expect = seq + 1;
	}
	cJSON_Delete(o);
	return rc;
}

long long dw_purge_check_archive(struct dw_db *db, const char *path, struct dw_err *err)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, prev[65], *cp = NULL;
	size_t cap = 0;
	long lineno = 0;
	long long expect = 0;
	int rc = 0;

	if (!fp)
		return dw_err_set(err, DW_EX_IOERR, "cannot read the archive '%s'", path);
	memset(prev, '0', 64);
	prev[64] = '\0';
	while (rc == 0 && getline(&line, &cap, fp) > 0)
		rc = check_line(line, ++lineno, prev, &expect, err);
	free(line);
	fclose(fp);
	if (rc < 0)
		return -1;
	/* Its last hash is the one the chain's checkpoint keeps. */
	if (db && lineno) {
		char seq[32];
		const char *params[] = { seq };

		snprintf(seq, sizeof seq, "%lld", expect - 1);
		if (dw_db_query_value(db, "SELECT hash FROM dw_audit_event WHERE seq = ? AND tool = "
				      "'dw-audit' AND action = 'checkpoint'", 1, params, &cp, err) < 0)
			return -1;
		if (!cp || strcmp(cp, prev))
			rc = dw_err_set(err, DW_EX_NEGATIVE, "the archive ends at event %s, which is "
					"not the chain's checkpoint", seq);
		free(cp);
	}
	return rc < 0 ? -1 : lineno;
}

/* The last purged event becomes the checkpoint; the rest go. */
static int replace(struct dw_db *db, long long first, long long p, const char *archive,
		   const char *actor, struct dw_err *err)
{
	char ps[32], count[32], *detail;
	const char *params[4], *del[] = { ps };
	struct dw_err ignored;
	cJSON *o = cJSON_CreateObject();
	int rc;

	snprintf(ps, sizeof ps, "%lld", p);
	snprintf(count, sizeof count, "%lld", p - first + 1);
	cJSON_AddNumberToObject(o, "from", (double)first);
	cJSON_AddNumberToObject(o, "to", (double)p);
	if (archive)
		cJSON_AddStringToObject(o, "archive", archive);
	detail = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!detail)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	params[0] = actor, params[1] = count, params[2] = detail, params[3] = ps;
	rc = dw_db_exec(db, "SET @dw_audit_purge = 1", 0, NULL, err) < 0 || dw_db_begin(db, err) < 0 ||
	     dw_db_exec(db, "UPDATE dw_audit_event SET tool = 'dw-audit', action = 'checkpoint', "
			"os_user = ?, role = '', db_user = CURRENT_USER(), question = NULL, engine = "
			"NULL, sql_text = NULL, row_count = ?, elapsed_ms = 0, outcome = 'done', detail = "
			"? WHERE seq = ?", 4, params, err) != 1 ||
	     dw_db_exec(db, "DELETE FROM dw_audit_event WHERE seq < ?", 1, del, err) < 0 ||
	     dw_db_commit(db, err) < 0 ? -1 : 0;
	if (rc < 0)
		dw_db_rollback(db, &ignored);
	dw_db_exec(db, "SET @dw_audit_purge = NULL", 0, NULL, &ignored);
	free(detail);
	return rc;
}

int dw_purge_run(struct dw_db *db, const char *before, const char *archive, const char *actor,
		 struct dw_purge_result *r, struct dw_err *err)
{
	char *first_text = NULL, ps[32];
	long long p, first;

	memset(r, 0, sizeof r[0]);
	if (last_to_purge(db, before, &p, err) < 0 ||
	    dw_db_query_value(db, "SELECT MIN(seq) FROM dw_audit_event", 0, NULL, &first_text,
			      err) < 0)
		return -1;
	first = first_text ? atoll(first_text) : 0;
	free(first_text);
	if (!first || p <= first)
		return 0;   /* nothing older, or only the checkpoint */
	snprintf(ps, sizeof ps, "%lld", p);
	if (archive && (write_archive(db, archive, ps, err) < 0 ||
			dw_purge_check_archive(NULL, archive, err) < 0))
		return -1;
	if (replace(db, first, p, archive, actor, err) < 0)
		return -1;
	r->purged = p - first + 1;
	r->checkpoint = p;
	return 0;
}
