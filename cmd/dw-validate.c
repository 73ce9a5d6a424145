/* dw-validate: data-quality checks on the OLTP database and the warehouse. */
#include <stdio.h>
#include <stdlib.h>

#include "check/vcheck.h"
#include "cli.h"

static const struct dw_cli_opt run_opts[] = {
	{ "check", 0, "NAME", "only this check" },
	{ "tag", 0, "TAG", "only the checks with this tag" },
	{ "strict", 0, NULL, "warnings fail too" },
	{ "samples", 0, "N", "print up to N failing rows of each failing check" },
	{ 0 },
};

static const struct dw_cli_opt list_opts[] = {
	{ "tag", 0, "TAG", "only the checks with this tag" },
	{ 0 },
};

static const struct dw_vcheck_opts *opts(const struct dw_cli *cli, struct dw_vcheck_opts *o)
{
	const char *n = dw_cli_value(cli, "samples");

	*o = (struct dw_vcheck_opts){
		.check = dw_cli_value(cli, "check"), .tag = dw_cli_value(cli, "tag"),
		.strict = dw_cli_flag(cli, "strict"), .samples = n ? atol(n) : 0,
		.format = cli->format, .header = cli->header,
	};
	return o;
}

static int run(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vcheck_opts o;

	return dw_vcheck_run(cfg, opts(cli, &o), cli->out, err);
}

static int list(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vcheck_opts o;

	return dw_vcheck_list(cfg, opts(cli, &o), cli->out, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "run", NULL, 0, 0, 1, "run the checks of validate.checks; exit 1 when one fails",
	  run_opts, run },
	{ "list", NULL, 0, 0, 1, "the checks of the file", list_opts, list },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-validate", NULL,
					 "validate.checks=etc/checks/superstore.yaml", verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
