/* dw-audit: the tamper-evident audit trail of every dw tool. */
#include <stdio.h>

#include "audit/trail.h"
#include "cli.h"

static int verify(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	return dw_trail_verify(cfg, cli->out, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "verify", NULL, 0, 0, 1, "walk the hash chain of the audit trail; exit 1 naming the\n"
	  "first broken event and what is wrong with it", NULL, verify },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-audit", NULL, "warehouse.user=auditor", verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
