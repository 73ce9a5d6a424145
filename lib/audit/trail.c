/* dw-audit's verbs: each opens the warehouse and calls one module. */
#include "audit/trail.h"

#include "audit/anchor.h"
#include "audit/verify.h"
#include "db/db.h"
#include "log.h"

int dw_trail_verify(const struct dw_config *cfg, const char *anchors, FILE *out,
		    struct dw_err *err)
{
	struct dw_db *db = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	struct dw_verify v;
	long n = 0;
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
	dw_db_close(db);
	if (rc < 0)
		return -1;
	dw_log_verbose(1, "%lld events, a chain intact up to event %lld%s", v.events, v.head_seq,
		       anchors ? "" : " (no anchors checked)");
	if (anchors)
		dw_log_verbose(1, "%ld anchors signed and extended by the chain", n);
	return 0;
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
