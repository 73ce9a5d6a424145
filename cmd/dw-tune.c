/* dw-tune: watch the warehouse's workload. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "tune/vtune.h"

static const struct dw_cli_opt collect_opts[] = {
	{ "every", 0, "D", "one snapshot every D (60s, 5m, 1h) until stopped" },
	{ 0 },
};

static const struct dw_cli_opt top_opts[] = {
	{ "since", 0, "D", "the window: a duration back from now (24h, 7d) or a UTC time "
	  "(default 24h)" },
	{ "by", 0, "WHAT", "rank by time (the default), calls, rows or scans" },
	{ "limit", 'n', "N", "this many digests (default 10)" },
	{ 0 },
};

static const struct dw_vtune_opts *opts(const struct dw_cli *cli, struct dw_vtune_opts *o)
{
	const char *n = dw_cli_value(cli, "limit");

	*o = (struct dw_vtune_opts){
		.every = dw_cli_value(cli, "every"), .since = dw_cli_value(cli, "since"),
		.by = dw_cli_value(cli, "by"), .n = n ? atol(n) : 10, .format = cli->format,
		.header = cli->header,
	};
	return o;
}

static int collect(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vtune_opts o;

	return dw_vtune_collect(cfg, opts(cli, &o), cli->out, err);
}

static int top(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vtune_opts o;

	return dw_vtune_top(cfg, opts(cli, &o), cli->out, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "collect", NULL, 0, 0, DW_CLI_CONFIG, "one snapshot of the workload (performance_schema "
	  "digests, index reads, table sizes)", collect_opts, collect },
	{ "top", NULL, 0, 0, DW_CLI_CONFIG, "the statements that cost the warehouse most",
	  top_opts, top },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-tune", NULL, "warehouse.database=dw", verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
