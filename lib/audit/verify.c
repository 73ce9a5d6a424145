/* The walk: in sequence order, each event must follow the previous one
 * (seq one more, prev_hash its hash) and hash to what it says; the head
 * must name the last. The first event that does not is reported, with
 * what is wrong: content changed, event missing, event inserted or order
 * changed, events removed at the end. */
#include "audit/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

/* Fields hashed, as the SELECT below formats them (the order of
 * dw_audit_canonical's arguments). */
#define NFIELDS DW_VERIFY_NFIELDS

static const char select_sql[] =
	"SELECT seq, prev_hash, hash, event_id, CAST(seq AS CHAR), "
	"DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), tool, action, os_user, role, db_user, question, "
	"engine, sql_text, CAST(row_count AS CHAR), CAST(elapsed_ms AS CHAR), outcome, detail "
	"FROM dw_audit_event ORDER BY seq IS NULL, seq";

static int event_hash(EVP_MD_CTX *ctx, const char *prev, const char *const *fields,
		      char out[65]);

void dw_verify_encode(void *md_ctx, const char *const *fields, int n)
{
	EVP_MD_CTX *ctx = md_ctx;

	for (int i = 0; i < n; i++) {
		char len[24];

		if (!fields[i]) {
			EVP_DigestUpdate(ctx, "~,", 2);
			continue;
		}
		snprintf(len, sizeof len, "%zu:", strlen(fields[i]));
		EVP_DigestUpdate(ctx, len, strlen(len));
		EVP_DigestUpdate(ctx, fields[i], strlen(fields[i]));
		EVP_DigestUpdate(ctx, ",", 1);
	}
}

int dw_verify_is_checkpoint(const char *const *fields)
{
	return fields[2] && fields[3] && !strcmp(fields[2], "dw-audit") &&
	       !strcmp(fields[3], "checkpoint");
}

int dw_verify_event_hash(const char *prev, const char *const *fields, char out[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = ctx ? event_hash(ctx, prev, fields, out) : -1;

	EVP_MD_CTX_free(ctx);
	return rc;
}

/* SHA-256(prev || canonical(fields)) in hex. Returns 0 or -1. */
static int event_hash(EVP_MD_CTX *ctx, const char *prev, const char *const *fields,
		      char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, prev, strlen(prev)) != 1)
		return -1;
	dw_verify_encode(ctx, fields, NFIELDS);
	if (EVP_DigestFinal_ex(ctx, md, &n) != 1 || n != 32)
		return -1;
	for (unsigned int i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static void broken(struct dw_verify *v, long long seq, const char *fmt, const char *a)
{
	if (v->broken)
		return;
	v->broken = seq;
	snprintf(v->what, sizeof v->what, fmt, a);
}

/* One event against the one before it (prev, expected seq). */
static void check_event(struct dw_verify *v, struct dw_rows *rows, EVP_MD_CTX *ctx,
			char prev[65], long long *expect)
{
	const char *seq = dw_rows_value(rows, 0), *prev_hash = dw_rows_value(rows, 1);
	const char *hash = dw_rows_value(rows, 2);
	const char *fields[NFIELDS];
	char mine[65];
	long long s;

	if (!seq) {
		broken(v, *expect, "event_id %s is outside the chain (inserted without its "
		       "trigger)", dw_rows_value(rows, 3));
		return;
	}
	s = atoll(seq);
	for (int i = 0; i < NFIELDS; i++)
		fields[i] = dw_rows_value(rows, 4 + i);
	/* After a purge the chain starts at its checkpoint, which keeps the
	 * hash of the last event purged (dw-audit purge). */
	if (v->events == 1 && dw_verify_is_checkpoint(fields) && hash) {
		v->checkpoint = s;
		snprintf(prev, 65, "%s", hash);
		*expect = s + 1;
		return;
	}
	if (s > *expect)
		broken(v, *expect, "event missing (the next one is %s)", seq);
	else if (!prev_hash || strcmp(prev_hash, prev))
		broken(v, s, "%s", "does not follow the event before it: an event inserted, or the "
		       "order changed");
	else if (!hash || event_hash(ctx, prev, fields, mine) < 0 || strcmp(mine, hash))
		broken(v, s, "%s", "content changed: its hash does not match its fields");
	snprintf(prev, 65, "%s", hash ? hash : "");
	*expect = s + 1;
}

static int read_head(struct dw_db *db, struct dw_verify *v, struct dw_err *err)
{
	struct dw_rows *rows = dw_db_query(db, "SELECT seq, hash FROM dw_audit_head WHERE id = 1",
					   0, NULL, err);
	int rc;

	if (!rows)
		return -1;
	if ((rc = dw_rows_next(rows, err)) > 0) {
		v->head_seq = atoll(dw_rows_value(rows, 0));
		snprintf(v->head_hash, sizeof v->head_hash, "%s", dw_rows_value(rows, 1));
	}
	dw_rows_free(rows);
	if (rc == 0)
		return dw_err_set(err, DW_EX_CONFIG, "warehouse: no chain head (run dw-etl init)");
	return rc < 0 ? -1 : 0;
}

/* A checkpoint is made by dw-audit purge, whose own event, later in the
 * chain, names it. */
static int purge_recorded(struct dw_db *db, long long checkpoint)
{
	char like[64], *v = NULL;
	const char *params[] = { like };
	struct dw_err ignored;
	int yes;

	snprintf(like, sizeof like, "%%\"checkpoint\":%lld,%%", checkpoint);
	yes = dw_db_query_value(db, "SELECT COUNT(*) FROM dw_audit_event WHERE tool = 'dw-audit' "
				"AND action = 'purge' AND outcome = 'done' AND detail LIKE ?", 1,
				params, &v, &ignored) == 0 && v && strcmp(v, "0");
	free(v);
	return yes;
}

int dw_verify_chain(struct dw_db *db, struct dw_verify *v, struct dw_err *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	struct dw_rows *rows = NULL;
	char prev[65];
	long long expect = 1;
	int rc = -1;

	memset(v, 0, sizeof *v);
	memset(prev, '0', 64);
	prev[64] = '\0';
	if (!ctx)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	/* One snapshot: the head and the events agree. */
	if (dw_db_exec(db, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", 0, NULL, err) >= 0 &&
	    read_head(db, v, err) == 0 && (rows = dw_db_query(db, select_sql, 0, NULL, err))) {
		while ((rc = dw_rows_next(rows, err)) > 0) {
			v->events++;
			check_event(v, rows, ctx, prev, &expect);
		}
		dw_rows_free(rows);
	}
	dw_db_rollback(db, &(struct dw_err){ 0 });
	EVP_MD_CTX_free(ctx);
	if (rc < 0)
		return -1;
	if (v->head_seq != expect - 1) {
		char at[32];

		snprintf(at, sizeof at, "%lld", v->head_seq);
		broken(v, v->head_seq < expect - 1 ? v->head_seq + 1 : expect,
		       "the head is at %s: events removed at the end, or the head changed", at);
	}
	if (v->checkpoint && !purge_recorded(db, v->checkpoint))
		broken(v, v->checkpoint, "%s", "a checkpoint with no purge recorded after it: events "
		       "removed at the start");
	if (v->head_seq == expect - 1 && v->head_seq && strcmp(v->head_hash, prev))
		broken(v, v->head_seq, "%s", "the head's hash is not the last event's");
	return 0;
}
