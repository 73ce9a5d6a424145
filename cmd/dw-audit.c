/* dw-audit: the tamper-evident audit trail of every dw tool. */
#include <stdio.h>

#include "audit/trail.h"
#include "cli.h"

static const struct dw_cli_opt verify_opts[] = {
	{ "anchors", 0, "FILE", "also check the anchors of FILE (default audit.anchors)" },
	{ 0 },
};

static int verify(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	return dw_trail_verify(cfg, dw_cli_value(cli, "anchors"), cli->out, err);
}

static int anchor(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	return dw_trail_anchor(cfg, cli->out, err);
}

static int keygen(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	(void)cli;
	return dw_trail_keygen(cfg, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "verify", NULL, 0, 0, 1, "walk the hash chain of the audit trail, then the anchors;\n"
	  "exit 1 naming the first broken event or anchor", verify_opts, verify },
	{ "anchor", NULL, 0, 0, 1, "sign the chain's head, append it to audit.anchors and print it",
	  NULL, anchor },
	{ "keygen", NULL, 0, 0, 1, "make the Ed25519 key pair of audit.signing_key and\n"
	  "audit.public_key", NULL, keygen },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-audit", NULL, "warehouse.user=auditor", verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
