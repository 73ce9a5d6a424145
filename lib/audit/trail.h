/* trail: the verbs of dw-audit(1), the tamper-evident audit trail. */
#ifndef DW_AUDIT_TRAIL_H
#define DW_AUDIT_TRAIL_H

#include <stdio.h>

#include "config.h"
#include "err.h"

/* verify: walks the hash chain; 0 when intact, -1 with err otherwise
 * (DW_EX_NEGATIVE naming the first broken sequence number and what is
 * wrong with it). */
int dw_trail_verify(const struct dw_config *cfg, FILE *out, struct dw_err *err);

#endif
