/* dw-audit: the tamper-evident audit trail of every dw tool. */
#include <stdio.h>

#include "audit/trail.h"
#include "cli.h"

static const struct dw_cli_opt verify_opts[] = {
	{ "anchors", 0, "FILE", "also check the anchors of FILE (default audit.anchors)" },
	{ "archive", 0, "FILE", "also check the archive of a purge" },
	{ 0 },
};

#define FILTERS \
	{ "since", 0, "TIME", "events at or after TIME: YYYY-MM-DD[ HH:MM:SS] (UTC) or a\n" \
	  "duration back from now, like 24h" }, \
	{ "until", 0, "TIME", "events before TIME" }, \
	{ "user", 0, "NAME", "events of this operating-system user or warehouse account" }, \
	{ "tool", 0, "TOOL", "events of this tool (dw-ask, dw-etl, dw-user, dw-audit)" }, \
	{ "outcome", 0, "OUTCOME", "events with this outcome (answered, done, failed, ...)" }, \
	{ "grep", 0, "TEXT", "events whose question, SQL or detail contains TEXT" }

static const struct dw_cli_opt log_opts[] = { FILTERS, { 0 } };

static const struct dw_cli_opt export_opts[] = {
	FILTERS,
	{ "syslog", 0, NULL, "RFC 5424 syslog lines instead of JSON lines" },
	{ 0 },
};

static const struct dw_review_filter *filter(const struct dw_cli *cli, struct dw_review_filter *f)
{
	*f = (struct dw_review_filter){
		dw_cli_value(cli, "since"), dw_cli_value(cli, "until"), dw_cli_value(cli, "user"),
		dw_cli_value(cli, "tool"), dw_cli_value(cli, "outcome"), dw_cli_value(cli, "grep"),
	};
	return f;
}

static int log_verb(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_review_filter f;

	return dw_trail_log(cfg, filter(cli, &f), cli->out, cli->format, cli->header, err);
}

static int export(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_review_filter f;

	return dw_trail_export(cfg, filter(cli, &f), dw_cli_flag(cli, "syslog"), cli->out, err);
}

static const struct dw_cli_opt purge_opts[] = {
	{ "older-than", 0, "DURATION", "purge the events older than this, like 90d (required)" },
	{ "archive", 0, "FILE", "write the purged events there first, as JSON lines" },
	{ 0 },
};

static int verify(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	return dw_trail_verify(cfg, dw_cli_value(cli, "anchors"), dw_cli_value(cli, "archive"),
			       cli->out, err);
}

static int anchor(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	return dw_trail_anchor(cfg, cli->out, err);
}

static int purge(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	return dw_trail_purge(cfg, dw_cli_value(cli, "older-than"), dw_cli_value(cli, "archive"),
			      err);
}

static int keygen(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	(void)cli;
	return dw_trail_keygen(cfg, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "verify", NULL, 0, 0, 1, "walk the hash chain of the audit trail, then the anchors;\n"
	  "exit 1 naming the first broken event or anchor", verify_opts, verify },
	{ "log", NULL, 0, 0, 1, "the events, a row each, in any -F format", log_opts, log_verb },
	{ "export", NULL, 0, 0, 1, "every field of the events, as JSON lines (for a SIEM) or\n"
	  "RFC 5424 syslog lines", export_opts, export },
	{ "anchor", NULL, 0, 0, 1, "sign the chain's head, append it to audit.anchors and print it",
	  NULL, anchor },
	{ "purge", NULL, 0, 0, 1, "replace the events older than --older-than by a checkpoint\n"
	  "that keeps the chain verifiable, archiving them first with --archive", purge_opts,
	  purge },
	{ "keygen", NULL, 0, 0, 1, "make the Ed25519 key pair of audit.signing_key and\n"
	  "audit.public_key", NULL, keygen },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-audit", NULL, "warehouse.user=auditor", verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
