/* dw-audit's verbs: each opens the warehouse and calls one module. */
#include "audit/trail.h"

#include "audit/verify.h"
#include "db/db.h"
#include "log.h"

int dw_trail_verify(const struct dw_config *cfg, FILE *out, struct dw_err *err)
{
	struct dw_db *db = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	struct dw_verify v;
	int rc;

	(void)out;
	if (!db)
		return -1;
	rc = dw_verify_chain(db, &v, err);
	dw_db_close(db);
	if (rc < 0)
		return -1;
	if (v.broken)
		return dw_err_set(err, DW_EX_NEGATIVE, "the audit trail is broken at event %lld: %s",
				  v.broken, v.what);
	dw_log_verbose(1, "%lld events, a chain intact up to event %lld", v.events, v.head_seq);
	return 0;
}
