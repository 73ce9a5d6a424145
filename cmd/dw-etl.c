/* dw-etl: move data: CSV into the OLTP database, OLTP into the warehouse. */
#include <stdio.h>

#include "cli.h"
#include "etl/etl.h"

static const struct dw_cli_opt init_opts[] = {
	{ "dry-run", 0, NULL, "print the SQL it would apply, change nothing" },
	{ 0 },
};

static const struct dw_cli_opt run_opts[] = {
	{ "full", 0, NULL, "extract every row, not only the changes" },
	{ "dry-run", 0, NULL, "count what it would extract, change nothing" },
	{ 0 },
};

static const struct dw_cli_opt status_opts[] = {
	{ "runs", 0, "N", "the last N runs instead of the tables" },
	{ "max-lag", 0, "DURATION", "exit 1 when a table lags more, e.g. 5m" },
	{ 0 },
};

static const struct dw_cli_opt import_opts[] = {
	{ "date-format", 0, "FORMAT", "auto, mdy, dmy or ymd (default auto)" },
	{ "rejects", 0, "FILE", "where bad lines go (default beside the input)" },
	{ "max-rejects", 0, "N", "load nothing when more than N lines are bad" },
	{ "dry-run", 0, NULL, "validate and count, then roll back" },
	{ 0 },
};

static const struct dw_cli_opt generate_opts[] = {
	{ "orders", 0, "N", "number of orders (default 1000)" },
	{ "seed", 0, "S", "seed of the generator (default 1)" },
	{ "from", 0, "YYYY-MM-DD", "first order date (default 2011-01-01)" },
	{ "to", 0, "YYYY-MM-DD", "last order date (default 2014-12-31)" },
	{ "date-format", 0, "FORMAT", "mdy, dmy or iso (default mdy)" },
	{ "returns", 0, "FILE", "also write the returns file" },
	{ "output", 'o', "FILE", "write the orders to FILE, not standard output" },
	{ 0 },
};

/* The values of the command line; the options of other verbs are NULL. */
static const struct dw_etl_opts *etl_opts(const struct dw_cli *cli, struct dw_etl_opts *o)
{
	*o = (struct dw_etl_opts){
		.format = cli->format, .header = cli->header, .csv_safe = cli->csv_safe,
		.dry_run = dw_cli_flag(cli, "dry-run"), .full = dw_cli_flag(cli, "full"),
		.runs = dw_cli_value(cli, "runs"), .max_lag = dw_cli_value(cli, "max-lag"),
		.date_format = dw_cli_value(cli, "date-format"),
		.rejects = dw_cli_value(cli, "rejects"),
		.max_rejects = dw_cli_value(cli, "max-rejects"),
		.orders = dw_cli_value(cli, "orders"), .seed = dw_cli_value(cli, "seed"),
		.from = dw_cli_value(cli, "from"), .to = dw_cli_value(cli, "to"),
		.returns = dw_cli_value(cli, "returns"), .output = dw_cli_value(cli, "output"),
		.args = cli->args, .nargs = cli->nargs,
	};
	return o;
}

static int init(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_etl_opts o;

	return dw_etl_init(cfg, etl_opts(cli, &o), cli->out, err);
}

static int run(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_etl_opts o;

	return dw_etl_run(cfg, etl_opts(cli, &o), cli->out, err);
}

static int status(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_etl_opts o;

	return dw_etl_status(cfg, etl_opts(cli, &o), cli->out, err);
}

static int follow(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_etl_opts o;

	return dw_etl_follow(cfg, etl_opts(cli, &o), cli->out, err);
}

static int import(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_etl_opts o;

	return dw_etl_import(cfg, etl_opts(cli, &o), cli->out, err);
}

static int generate(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_etl_opts o;

	return dw_etl_generate(cfg, etl_opts(cli, &o), cli->out, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "init", NULL, 0, 0, 1, "create or upgrade both schemas", init_opts, init },
	{ "run", NULL, 0, 0, 1, "one sync cycle from the OLTP database into the warehouse",
	  run_opts, run },
	{ "status", NULL, 0, 0, 1, "watermark and lag per table, or the last runs;\n"
	  "exit 1 when the last run failed or the lag is too high", status_opts, status },
	{ "follow", NULL, 0, 0, 1, "sync on every change (LISTEN) and on a timer", NULL, follow },
	{ "import", "orders.csv [returns.csv]", 1, 2, 1,
	  "load Superstore CSV files into the OLTP database", import_opts, import },
	{ "generate", NULL, 0, 0, 0, "write a synthetic Superstore orders CSV", generate_opts,
	  generate },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-etl", NULL, "warehouse.port=3307", verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
