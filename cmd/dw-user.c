/* dw-user: people, roles and personal-data masking in the warehouse. */
#include <stdio.h>

#include "cli.h"
#include "user/user.h"

static const struct dw_cli_opt roles_opts[] = {
	{ "dry-run", 0, NULL, "print the SQL it would run, change nothing" },
	{ 0 },
};

static const struct dw_cli_opt add_opts[] = {
	{ "role", 0, "ROLE", "the role the person holds (required)" },
	{ "scope", 0, "DIM=V,...", "rows limited to these values of a dimension (repeatable)" },
	{ "auth", 0, "HOW", "socket (the default: the operating-system user) or password\n"
	  "(a network account; the password is read from the terminal)" },
	{ 0 },
};

/* The values of the command line. */
static const struct dw_user_opts *user_opts(const struct dw_cli *cli, struct dw_user_opts *o,
					    const char **scopes, int max)
{
	*o = (struct dw_user_opts){
		.dry_run = dw_cli_flag(cli, "dry-run"), .role = dw_cli_value(cli, "role"),
		.auth = dw_cli_value(cli, "auth"),
		.scopes = scopes, .nscopes = dw_cli_values(cli, "scope", scopes, max),
		.format = cli->format, .header = cli->header, .args = cli->args, .nargs = cli->nargs,
	};
	return o;
}

static int roles(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_user_opts o;
	const char *scopes[DW_CLI_MAX_VALUES];

	return dw_user_roles(cfg, user_opts(cli, &o, scopes, DW_CLI_MAX_VALUES), cli->out, err);
}

static int people(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_user_opts o;
	const char *scopes[DW_CLI_MAX_VALUES];

	return dw_user_people(cfg, cli->verb->name, user_opts(cli, &o, scopes, DW_CLI_MAX_VALUES),
			      cli->out, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "roles", "apply", 0, 1, 1, "make the warehouse's roles, schemas and masking views\n"
	  "match the roles of dw.yaml", roles_opts, roles },
	{ "add", "NAME", 1, 1, 1, "a person: the account NAME, authenticated as the\n"
	  "operating-system user NAME over the local socket", add_opts, people },
	{ "del", "NAME", 1, 1, 1, "drop a person's account and scope", NULL, people },
	{ "set-role", "NAME ROLE", 2, 2, 1, "give a person another role", NULL, people },
	{ "scope", "NAME [DIM=V,...]...", 1, -1, 1, "replace a person's row scope (none: no scope)",
	  NULL, people },
	{ "lock", "NAME", 1, 1, 1, "lock a person's account: it cannot log in", NULL, people },
	{ "unlock", "NAME", 1, 1, 1, "unlock a person's account", NULL, people },
	{ "passwd", "[NAME]", 0, 1, 1, "set the password of a person with one (read from the\n"
	  "terminal twice, or a line of standard input); without NAME, your own\n"
	  "(warehouse.user), even expired, after the current one", NULL, people },
	{ "reset", "NAME", 1, 1, 1, "a one-time password, printed once and expired: the person\n"
	  "chooses another at the next login", NULL, people },
	{ "list", NULL, 0, 0, 1, "the people: role, scope, locked", NULL, people },
	{ "show", "NAME", 1, 1, 1, "one person", NULL, people },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-user", NULL, "warehouse.user=admin", verbs };

int main(int argc, char **argv)
{
	return dw_cli_main(&tool, argc, argv, stdout);
}
