/* dw-partition: the partition lifecycle of the warehouse's facts. */
#include <stdio.h>

#include "cli.h"
#include "part/vpart.h"

static const struct dw_cli_opt table_opt[] = {
	{ "table", 0, "NAME", "only this table of the policy" },
	{ 0 },
};

static const struct dw_cli_opt list_opts[] = {
	{ "table", 0, "NAME", "only this table of the policy" },
	{ "exact", 0, NULL, "count the rows (else the server's estimate)" },
	{ 0 },
};

static const struct dw_cli_opt apply_opts[] = {
	{ "table", 0, "NAME", "only this table of the policy" },
	{ "dry-run", 'n', NULL, "print the SQL; change nothing" },
	{ 0 },
};

static const struct dw_cli_opt retain_opts[] = {
	{ "table", 0, "NAME", "only this table of the policy" },
	{ "older-than", 0, "D", "retire partitions older than D (10y, 8q, 24m), not the "
	  "policy's retain" },
	{ "archive", 0, "DIR", "archive into DIR, not the policy's archive" },
	{ "dry-run", 'n', NULL, "print what would be archived and the SQL; change nothing, "
	  "write no file" },
	{ 0 },
};

static const struct dw_cli_opt restore_opts[] = {
	{ "dry-run", 'n', NULL, "check the archive, print the SQL; change nothing" },
	{ 0 },
};

static const struct dw_vpart_opts *opts(const struct dw_cli *cli, struct dw_vpart_opts *o)
{
	*o = (struct dw_vpart_opts){
		.table = dw_cli_value(cli, "table"), .exact = dw_cli_flag(cli, "exact"),
		.dry_run = dw_cli_flag(cli, "dry-run"), .format = cli->format,
		.header = cli->header, .older_than = dw_cli_value(cli, "older-than"),
		.archive = dw_cli_value(cli, "archive"), .file = cli->nargs ? cli->args[0] : NULL,
	};
	return o;
}

static int list(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vpart_opts o;

	return dw_vpart_list(cfg, opts(cli, &o), cli->out, err);
}

static int plan(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vpart_opts o;

	return dw_vpart_plan(cfg, opts(cli, &o), cli->out, err);
}

static int apply(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vpart_opts o;

	return dw_vpart_apply(cfg, opts(cli, &o), cli->out, err);
}

static int check(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vpart_opts o;

	return dw_vpart_check(cfg, opts(cli, &o), cli->out, err);
}

static int retain(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vpart_opts o;

	return dw_vpart_retain(cfg, opts(cli, &o), cli->out, err);
}

static int restore(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_vpart_opts o;

	return dw_vpart_restore(cfg, opts(cli, &o), cli->out, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "list", NULL, 0, 0, DW_CLI_CONFIG, "the partitions: range, rows, sizes, oldest and "
	  "newest value", list_opts, list },
	{ "plan", NULL, 0, 0, DW_CLI_CONFIG, "what the policy needs now", table_opt, plan },
	{ "apply", NULL, 0, 0, DW_CLI_CONFIG, "make the partitions the policy needs now",
	  apply_opts, apply },
	{ "check", NULL, 0, 0, DW_CLI_CONFIG, "exit 1 when a partition is missing or rows are "
	  "misplaced", table_opt, check },
	{ "retain", NULL, 0, 0, DW_CLI_CONFIG, "archive the partitions past retention, check "
	  "the files, retire the partitions", retain_opts, retain },
	{ "restore", "FILE", 1, 1, DW_CLI_CONFIG, "load an archived partition back (FILE: its "
	  ".manifest.json or .tsv.gz)", restore_opts, restore },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-partition", NULL, "warehouse.database=dw",
					 verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
