/* dw-audit's verbs: each opens the warehouse and calls one module. */
#include "audit/trail.h"

#include <stdlib.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "audit/anchor.h"
#include "audit/purge.h"
#include "audit/verify.h"
#include "db/db.h"
#include "log.h"

int dw_trail_verify(const struct dw_config *cfg, const char *anchors, const char *archive,
		    FILE *out, struct dw_err *err)
{
	struct dw_db *db = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	struct dw_verify v;
	long n = 0;
	long long archived = 0;
	int rc;

	(void)out;
	if (!db)
		return -1;
	if (!anchors && *cfg->audit.anchors)
		anchors = cfg->audit.anchors;
	rc = dw_verify_chain(db, &v, err);
	if (rc == 0 && v.broken)
		rc = dw_err_set(err, DW_EX_NEGATIVE, "the audit trail is broken at event %lld: %s",
				v.broken, v.what);
	if (rc == 0 && anchors)
		rc = (n = dw_anchor_check(db, anchors, cfg->audit.public_key, cfg->audit.signing_key,
					  err)) < 0 ? -1 : 0;
	if (rc == 0 && archive)
		rc = (archived = dw_purge_check_archive(db, archive, err)) < 0 ? -1 : 0;
	dw_db_close(db);
	if (rc < 0)
		return -1;
	dw_log_verbose(1, "%lld events, a chain intact up to event %lld%s", v.events, v.head_seq,
		       anchors ? "" : " (no anchors checked)");
	if (anchors)
		dw_log_verbose(1, "%ld anchors signed and extended by the chain", n);
	if (v.checkpoint)
		dw_log_verbose(1, "the chain starts at the checkpoint of a purge, event %lld",
			       v.checkpoint);
	if (archive)
		dw_log_verbose(1, "%lld archived events chained to the checkpoint", archived);
	return 0;
}

/* UTC now less ms, as a DATETIME. */
static void before(long ms, char *buf, size_t size)
{
	time_t t = time(NULL) - (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

int dw_trail_purge(const struct dw_config *cfg, const char *older_than, const char *archive,
		   struct dw_err *err)
{
	struct dw_audit_event ev = { .tool = "dw-audit", .action = "purge", .role = "",
				     .db_user = cfg->warehouse.user, .question = older_than,
				     .rows = -1 };
	struct dw_purge_result r;
	struct dw_db *db;
	char when[32], *detail = NULL;
	long ms;
	int rc;

	if (!older_than || dw_config_duration_ms(older_than, &ms) < 0 || ms <= 0)
		return dw_err_set(err, DW_EX_USAGE, "purge needs --older-than DURATION, like 90d");
	before(ms, when, sizeof when);
	if (!(db = dw_db_my_open(&cfg->warehouse, "warehouse", err)))
		return -1;
	rc = dw_audit_started(db, &ev, err) < 0 ? -1
	     : dw_purge_run(db, when, archive, dw_audit_os_user(), &r, err);
	if (rc == 0) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "purged", (double)r.purged);
		cJSON_AddNumberToObject(o, "checkpoint", (double)r.checkpoint);
		cJSON_AddStringToObject(o, "before", when);
		if (archive)
			cJSON_AddStringToObject(o, "archive", archive);
		detail = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		ev.rows = r.purged;
		dw_log_verbose(1, "%lld events purged, up to event %lld, now the checkpoint",
			       r.purged, r.checkpoint);
	}
	if (rc == 0 || err->code != DW_EX_UNAVAILABLE) {
		struct dw_err ignored;

		if (dw_audit_outcome(db, &ev, detail, rc < 0 ? err : NULL, rc < 0 ? &ignored : err) < 0)
			rc = -1;
	}
	free(detail);
	dw_db_close(db);
	return rc;
}

int dw_trail_anchor(const struct dw_config *cfg, FILE *out, struct dw_err *err)
{
	struct dw_db *db = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	char line[DW_ANCHOR_MAX];
	int rc;

	if (!db)
		return -1;
	rc = dw_anchor_make(db, cfg->audit.signing_key, line, sizeof line, err);
	dw_db_close(db);
	if (rc == 0)
		rc = dw_anchor_append(cfg->audit.anchors, line, err);
	if (rc == 0 && (fprintf(out, "%s\n", line) < 0 || fflush(out) != 0))
		rc = dw_err_set(err, DW_EX_IOERR, "cannot print the anchor");
	return rc;
}

int dw_trail_keygen(const struct dw_config *cfg, struct dw_err *err)
{
	return dw_anchor_keygen(cfg->audit.signing_key, cfg->audit.public_key, err);
}

int dw_trail_log(const struct dw_config *cfg, const struct dw_review_filter *f, FILE *out,
		 enum dw_out_format fmt, int header, struct dw_err *err)
{
	struct dw_db *db = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	int rc;

	if (!db)
		return -1;
	rc = dw_review_log(db, f, out, fmt, header, err);
	dw_db_close(db);
	return rc;
}

int dw_trail_export(const struct dw_config *cfg, const struct dw_review_filter *f, int syslog,
		    FILE *out, struct dw_err *err)
{
	struct dw_db *db = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	long long n;

	if (!db)
		return -1;
	n = dw_review_export(db, f, syslog, out, err);
	dw_db_close(db);
	if (n >= 0)
		dw_log_verbose(1, "%lld events exported", n);
	return n < 0 ? -1 : 0;
}
