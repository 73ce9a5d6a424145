/* rule: one check run against its database: the failing rows counted by
 * one query (values bound as parameters, names quoted), and samples. */
#ifndef DW_CHECK_RULE_H
#define DW_CHECK_RULE_H

#include "check/checkfile.h"
#include "db/db.h"
#include "err.h"

enum dw_rule_outcome { DW_RULE_PASS, DW_RULE_WARN, DW_RULE_FAIL };

struct dw_rule_result {
	long long failing;         /* failing rows (row_count: 1 when out of bounds) */
	long long total;           /* the table's rows when a threshold is a percentage,
	                            * else -1 */
	enum dw_rule_outcome outcome;
	double seconds;
};

/* "pass", "warn", "fail". */
const char *dw_rule_outcome_name(enum dw_rule_outcome o);

/* Runs check c on db. Returns 0 or -1 with err (the check's SQL failed:
 * a missing table or column, say). */
int dw_rule_run(struct dw_db *db, const struct dw_checkfile_check *c, struct dw_rule_result *r,
		struct dw_err *err);

/* Up to n failing rows of c (NULL with err clear when the kind has none). */
struct dw_rows *dw_rule_samples(struct dw_db *db, const struct dw_checkfile_check *c, long n,
				struct dw_err *err);

#endif
