/* dw-validate: data-quality checks on the OLTP database and the warehouse. */
#include <stdio.h>
#include <stdlib.h>

#include "check/vcheck.h"
#include "check/vdiff.h"
#include "cli.h"

static const struct dw_cli_opt run_opts[] = {
	{ "check", 0, "NAME", "only this check" },
	{ "tag", 0, "TAG", "only the checks with this tag" },
	{ "strict", 0, NULL, "warnings fail too" },
	{ "samples", 0, "N", "print up to N failing rows of each failing check" },
	{ "no-history", 0, NULL, "record nothing in the warehouse's history" },
	{ 0 },
};

static const struct dw_cli_opt history_opts[] = {
	{ "check", 0, "NAME", "only this check" },
	{ "since", 0, "D", "the runs since D: a date, a UTC time or a duration\n"
	  "back from now (default 7d)" },
	{ "trend", 0, NULL, "a row per check: runs, fails, last outcome,\n"
	  "failing count then and now" },
	{ 0 },
};

static const struct dw_cli_opt list_opts[] = {
	{ "tag", 0, "TAG", "only the checks with this tag" },
	{ 0 },
};

static const struct dw_cli_opt diff_opts[] = {
	{ "table", 0, "NAME", "only this table (sales, returns, customer, product, location)" },
	{ "limit", 0, "N", "list at most N differences (default 1000, 0: all)" },
	{ "repair", 0, NULL, "fix the differences from the OLTP database, then compare again" },
	{ "dry-run", 'n', NULL, "with --repair: carry out the repair, then roll it back" },
	{ 0 },
};

static const struct dw_vcheck_opts *opts(const struct dw_cli *cli, struct dw_vcheck_opts *o)
{
	const char *n = dw_cli_value(cli, "samples");

	*o = (struct dw_vcheck_opts){
		.check = dw_cli_value(cli, "check"), .tag = dw_cli_value(cli, "tag"),
		.strict = dw_cli_flag(cli, "strict"), .samples = n ? atol(n) : 0,
		.no_history = dw_cli_flag(cli, "no-history"), .since = dw_cli_value(cli, "since"),
		.trend = dw_cli_flag(cli, "trend"), .format = cli->format, .header = cli->header,
	};
	return o;
}

static int run(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vcheck_opts o;

	return dw_vcheck_run(cfg, opts(cli, &o), cli->out, err);
}

static int history(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vcheck_opts o;

	return dw_vcheck_history(cfg, opts(cli, &o), cli->out, err);
}

static int list(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vcheck_opts o;

	return dw_vcheck_list(cfg, opts(cli, &o), cli->out, err);
}

static int diff(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	const char *n = dw_cli_value(cli, "limit");
	struct dw_vdiff_opts o = {
		.table = dw_cli_value(cli, "table"), .limit = n ? atol(n) : 1000,
		.repair = dw_cli_flag(cli, "repair"), .dry_run = dw_cli_flag(cli, "dry-run"),
		.format = cli->format, .header = cli->header,
	};

	return dw_vdiff_run(cfg, &o, cli->out, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "run", NULL, 0, 0, DW_CLI_CONFIG | DW_CLI_REPORTS, "run the checks of validate.checks; "
	  "exit 1 when\none fails; -F tap or junit write a test report", run_opts, run },
	{ "history", NULL, 0, 0, 1, "the recorded runs of the checks", history_opts, history },
	{ "list", NULL, 0, 0, 1, "the checks of the file", list_opts, list },
	{ "diff", NULL, 0, 0, DW_CLI_CONFIG | DW_CLI_REPORTS, "compare the warehouse with the "
	  "OLTP database row by row;\nexit 1 when they differ; -F tap or junit write a test report",
	  diff_opts, diff },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-validate", NULL,
					 "validate.checks=etc/checks/superstore.yaml", verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
