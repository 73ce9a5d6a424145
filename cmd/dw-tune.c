/* dw-tune: watch the warehouse's workload. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "tune/advice.h"
#include "tune/predict.h"
#include "tune/report.h"
#include "tune/trial.h"
#include "tune/vtune.h"
#include "tune/watch.h"

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

static const struct dw_cli_opt workload_opts[] = {
	{ "rate", 0, "R", "queries a minute at the daily peak (default 60)" },
	{ "duration", 0, "D", "run this long (20s, 10m, 1h; default 5m)" },
	{ "day", 0, "D", "the length of one compressed day of the rhythm (default 5m)" },
	{ "seed", 0, "N", "the same seed, the same queries at the same times (default 1)" },
	{ "anomalies", 0, "K", "inject K anomalies at random times (default 0)" },
	{ "labels", 0, "FILE", "write the anomalies' times and kinds to FILE" },
	{ "connections", 0, "N", "run queries on N connections at once (default 1)" },
	{ "phase", 0, "D", "start at this time of the compressed day (default 0, its midnight); "
	  "'clock': the time it is, so that runs in a row keep one rhythm" },
	{ 0 },
};

static const struct dw_cli_opt anomalies_opts[] = {
	{ "since", 0, "D", "report those ending in the window: a duration back from now or a UTC "
	  "time (default 1h)" },
	{ "season", 0, "D", "the length of a compressed day (5m); else hour of day and day of week" },
	{ 0 },
};

static const struct dw_cli_opt forecast_opts[] = {
	{ "horizon", 0, "D", "how far ahead (default one season)" },
	{ "season", 0, "D", "the length of a compressed day (5m); else found in the data" },
	{ 0 },
};

static const struct dw_cli_opt advise_opts[] = {
	{ "since", 0, "D", "the window of statements: a duration back from now or a UTC time "
	  "(default 24h)" },
	{ "limit", 'n', "N", "this many indexes to create at most (default 10)" },
	{ 0 },
};

static int advise(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	const char *n = dw_cli_value(cli, "limit");
	struct dw_advice_opts o = { dw_cli_value(cli, "since"), n ? atol(n) : 10, cli->format,
				    cli->header };

	return dw_advice_print(cfg, &o, cli->out, err);
}

static const struct dw_cli_opt try_opts[] = {
	{ "since", 0, "D", "the window the advice is from, as for advise (default 24h)" },
	{ "runs", 0, "N", "timed runs of each example, before and after (default 5)" },
	{ "dry-run", 0, NULL, "say what would be changed and timed; change nothing" },
	{ 0 },
};

static const struct dw_cli_opt predict_opts[] = {
	{ "save", 0, NULL, "store the fit in dw_tune_model, where dw-ask reads it" },
	{ 0 },
};

static const struct dw_cli_opt auto_opts[] = {
	{ "since", 0, "D", "the window of statements, as for advise (default 24h)" },
	{ "runs", 0, "N", "timed runs of each example, before and after (default 5)" },
	{ "max", 0, "N", "indexes made by dw-tune at most (default 5)" },
	{ "max-mb", 0, "MB", "their size at most, the next one's estimate included (default 1024)" },
	{ "cooldown", 0, "D", "the least time since the last trial (default 1h)" },
	{ "dry-run", 0, NULL, "say what would be built and timed; change nothing" },
	{ 0 },
};

static struct dw_trial_opts *topts(const struct dw_cli *cli, struct dw_trial_opts *o)
{
	const char *runs = dw_cli_value(cli, "runs"), *max = dw_cli_value(cli, "max");

	*o = (struct dw_trial_opts){ .id = cli->nargs ? cli->args[0] : NULL,
				     .since = dw_cli_value(cli, "since"),
				     .runs = runs ? atol(runs) : 5,
				     .dry_run = dw_cli_flag(cli, "dry-run"), .format = cli->format,
				     .header = cli->header, .max = max ? atol(max) : 5,
				     .max_mb = dw_cli_value(cli, "max-mb"),
				     .cooldown = dw_cli_value(cli, "cooldown") };
	return o;
}

static int try_(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_trial_opts o;

	return dw_trial_try(cfg, topts(cli, &o), cli->out, err);
}

static int predict(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	return dw_predict_print(cfg, cli->nargs ? cli->args[0] : NULL, dw_cli_flag(cli, "save"),
				cli->out, err);
}

static int auto_(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_trial_opts o;

	return dw_trial_auto(cfg, topts(cli, &o), cli->out, err);
}

static int revert(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_trial_opts o;

	return dw_trial_revert(cfg, topts(cli, &o), cli->out, err);
}

static int history(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_trial_opts o;

	return dw_trial_history(cfg, topts(cli, &o), cli->out, err);
}

static const struct dw_cli_opt report_opts[] = {
	{ "html", 0, "FILE", "write the report to FILE: one HTML page with its charts" },
	{ "since", 0, "D", "the window shown: a duration back from now or a UTC time "
	  "(default 24h)" },
	{ "season", 0, "D", "the length of a compressed day (5m); else hour of day and day of week" },
	{ 0 },
};

static int report(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_report_opts o = { dw_cli_value(cli, "html"), dw_cli_value(cli, "since"),
				    dw_cli_value(cli, "season") };

	return dw_report_write(cfg, &o, err);
}

static const struct dw_watch_opts *wopts(const struct dw_cli *cli, struct dw_watch_opts *o)
{
	*o = (struct dw_watch_opts){
		.since = dw_cli_value(cli, "since"), .season = dw_cli_value(cli, "season"),
		.horizon = dw_cli_value(cli, "horizon"), .format = cli->format,
		.header = cli->header,
	};
	return o;
}

static int anomalies(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_watch_opts o;

	return dw_watch_anomalies(cfg, wopts(cli, &o), cli->out, err);
}

static int forecast(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_watch_opts o;

	return dw_watch_forecast(cfg, wopts(cli, &o), cli->out, err);
}

static const struct dw_vtune_opts *opts(const struct dw_cli *cli, struct dw_vtune_opts *o)
{
	const char *n = dw_cli_value(cli, "limit");

	*o = (struct dw_vtune_opts){
		.every = dw_cli_value(cli, "every"), .since = dw_cli_value(cli, "since"),
		.by = dw_cli_value(cli, "by"), .n = n ? atol(n) : 10, .format = cli->format,
		.header = cli->header, .rate = dw_cli_value(cli, "rate"),
		.duration = dw_cli_value(cli, "duration"), .day = dw_cli_value(cli, "day"),
		.seed = dw_cli_value(cli, "seed"), .anomalies = dw_cli_value(cli, "anomalies"),
		.labels = dw_cli_value(cli, "labels"),
		.connections = dw_cli_value(cli, "connections"),
		.phase = dw_cli_value(cli, "phase"),
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

static int workload(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vtune_opts o;

	return dw_vtune_workload(cfg, opts(cli, &o), cli->out, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "collect", NULL, 0, 0, DW_CLI_CONFIG, "one snapshot of the workload (performance_schema "
	  "digests, index reads, table sizes)", collect_opts, collect },
	{ "top", NULL, 0, 0, DW_CLI_CONFIG, "the statements that cost the warehouse most",
	  top_opts, top },
	{ "anomalies", NULL, 0, 0, DW_CLI_CONFIG, "load and statements far from their seasonal "
	  "baseline; exit 1 on a high one", anomalies_opts, anomalies },
	{ "forecast", NULL, 0, 0, DW_CLI_CONFIG, "the load ahead, with a 95% interval and the "
	  "backtest error", forecast_opts, forecast },
	{ "advise", NULL, 0, 0, DW_CLI_CONFIG, "indexes to create for the costliest statements, "
	  "and unused and redundant ones to drop", advise_opts, advise },
	{ "try", "ID", 1, 1, DW_CLI_CONFIG, "build (or drop) the index of advice ID, time its "
	  "statements and the table's merge before and after, keep the change if they say so",
	  try_opts, try_ },
	{ "auto", NULL, 0, 0, DW_CLI_CONFIG, "try the first advice, from cron, within guard rails "
	  "(not while dw-etl runs, a cool-down, a most of indexes)", auto_opts, auto_ },
	{ "predict", "[SQL]", 0, 1, DW_CLI_CONFIG, "the expected time of a SELECT, from its plan and "
	  "the collected history; --save stores the fit", predict_opts, predict },
	{ "revert", "ID", 1, 1, DW_CLI_CONFIG, "undo the change a try of advice ID kept", NULL,
	  revert },
	{ "history", NULL, 0, 0, DW_CLI_CONFIG, "every try: the times before and after, what was "
	  "decided", NULL, history },
	{ "report", NULL, 0, 0, DW_CLI_CONFIG, "the workload as one HTML page: load, forecast, "
	  "anomalies, statements, sizes", report_opts, report },
	{ "workload", NULL, 0, 0, DW_CLI_CONFIG, "a reproducible analyst load on the warehouse "
	  "(the knowledge file's examples and reports), with anomalies", workload_opts, workload },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-tune", NULL, "warehouse.database=dw", verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
