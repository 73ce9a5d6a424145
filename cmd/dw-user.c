/* dw-user: people, roles and personal-data masking in the warehouse. */
#include <stdio.h>

#include "cli.h"
#include "user/user.h"

static const struct dw_cli_opt roles_opts[] = {
	{ "dry-run", 0, NULL, "print the SQL it would run, change nothing" },
	{ 0 },
};

static int roles(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_user_opts o = {
		.dry_run = dw_cli_flag(cli, "dry-run"), .args = cli->args, .nargs = cli->nargs,
	};

	return dw_user_roles(cfg, &o, cli->out, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "roles", "apply", 0, 1, 1, "make the warehouse's roles, schemas and masking views\n"
	  "match the roles of dw.yaml", roles_opts, roles },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-user", NULL, "warehouse.user=admin", verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
