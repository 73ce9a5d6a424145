/* dw-ask: answer a plain-English question or run a saved report on the
 * warehouse, read-only. */
#include <stdio.h>

#include "ask/shell.h"
#include "cli.h"

static const struct dw_cli_opt opts[] = {
	{ "engine", 'e', "LIST", "engines to try in order, e.g. semantic,ollama" },
	{ "sql", 0, NULL, "print the SQL instead of running it" },
	{ "explain", 0, NULL, "say which engine answered, how, how long (stderr)" },
	{ "chart", 0, NULL, "draw a terminal chart of the answer when one fits" },
	{ "svg", 0, "FILE", "write the chart as a standalone SVG file" },
	{ "report", 0, "NAME", "run a saved report from the knowledge file" },
	{ "param", 'p', "KEY=VALUE", "a report parameter (repeatable)" },
	{ "list-reports", 0, NULL, "list the saved reports and their parameters" },
	{ "unsafe-account", 0, NULL, "let remote engines use an account that can do more than read" },
	{ 0 },
};

static int ask(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	const char *params[DW_CLI_MAX_VALUES];
	struct dw_shell_opts o = {
		.ask = {
			.engines = dw_cli_value(cli, "engine"),
			.report = dw_cli_value(cli, "report"),
			.sql_only = dw_cli_flag(cli, "sql"), .explain = dw_cli_flag(cli, "explain"),
			.unsafe_account = dw_cli_flag(cli, "unsafe-account"),
			.chart = dw_cli_flag(cli, "chart"), .svg = dw_cli_value(cli, "svg"),
			.format = cli->format, .header = cli->header,
		},
		.params = params, .nparams = dw_cli_values(cli, "param", params, DW_CLI_MAX_VALUES),
		.words = cli->args, .nwords = cli->nargs,
		.list_reports = dw_cli_flag(cli, "list-reports"),
		.to_file = cli->output != NULL,
	};

	return dw_shell_run(cfg, &o, cli->out, err);
}

static const struct dw_cli_verb verbs[] = {
	{ NULL, "[question ...]\n--report NAME [-p KEY=VALUE ...]\n--list-reports", 0, -1, 1, NULL,
	  opts, ask },
	{ 0 },
};

static const struct dw_cli_tool tool = {
	"dw-ask",
	"Answers a question about the warehouse. The question is the arguments, or\n"
	"standard input; with neither on a terminal, asks questions in a loop.",
	"ask.row_limit=50", verbs,
};

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
