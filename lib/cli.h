/* cli: the command line every dw tool shares (DESIGN.md sections 2 and 4).
 *
 * A tool is a table of verbs, each with one table of its own options. From
 * those tables come the parsing (getopt_long underneath), the refusal of an
 * option given to another verb, and the --help text, which so exists once.
 * The common options -c/--config, -F/--format, -o/--output, --no-header, --csv-safe,
 * --no-csv-safe, --set, -q, -v, -h/--help and -V/--version belong to every
 * verb. dw_cli_main runs a whole
 * command: it loads the configuration for the verbs that read it, and maps
 * a struct dw_err to the exit statuses of dw(7). */
#ifndef DW_CLI_H
#define DW_CLI_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

/* At most this many --set options, and options of the verb, per command. */
#define DW_CLI_MAX_VALUES 64

/* One option: --name, and -letter too when letter is not 0. arg names its
 * value in the help ("FILE"), NULL for a flag. An option may be in the
 * tables of several verbs, the same but for its help. */
struct dw_cli_opt {
	const char *name;
	int letter;
	const char *arg;
	const char *help;
};

struct dw_cli;

/* The flags of a verb. */
#define DW_CLI_CONFIG 1u    /* dw_cli_main loads the configuration first */
#define DW_CLI_REPORTS 2u   /* it writes test reports: -F tap and junit */

/* One verb. A tool without verbs has exactly one, whose name is NULL. */
struct dw_cli_verb {
	const char *name;
	const char *args;               /* its operands in the help ("FILE [FILE]"), NULL
	                                 * for none; each '\n' starts another usage line */
	int min_args, max_args;         /* operands allowed; max_args -1 for no limit */
	unsigned flags;                 /* DW_CLI_CONFIG, DW_CLI_REPORTS */
	const char *help;               /* what it does, in one line; NULL without a name */
	const struct dw_cli_opt *opts;  /* its own options, ended by { 0 }; NULL for none */
	/* The work: cfg is NULL without DW_CLI_CONFIG. Returns 0 or -1 with err. */
	int (*run)(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err);
};

struct dw_cli_tool {
	const char *name;                /* "dw-etl", also the name in messages */
	const char *about;               /* printed under the usage lines, or NULL */
	const char *set_example;         /* a KEY=VALUE for the help of --set */
	const struct dw_cli_verb *verbs; /* ended by an entry whose run is NULL */
};

/* One option of the verb as given: value is "" for a flag. */
struct dw_cli_given {
	const char *name;
	const char *value;
};

/* A parsed command line; its strings point into argv. */
struct dw_cli {
	const struct dw_cli_tool *tool;
	const struct dw_cli_verb *verb;
	int asked;                         /* 'h' after --help, 'V' after --version */
	const char *config;                /* -c FILE; NULL: the lookup of dw.yaml(5) */
	enum dw_out_format format;         /* -F; DW_OUT_AUTO when not given */
	const char *output;                /* -o FILE, NULL when not given or when the verb
	                                    * declares --output itself (then a value of it) */
	int header;                        /* 0 with --no-header */
	enum dw_out_csv_safe csv_safe;     /* --csv-safe, --no-csv-safe; AUTO when neither */
	int verbosity;                     /* -1 with -q, one more for each -v */
	const char *sets[DW_CLI_MAX_VALUES];   /* --set KEY=VALUE, in order */
	int nsets;
	char **args;                       /* the operands after the verb */
	int nargs;
	FILE *out;                         /* where data goes (see dw_cli_main) */
	struct dw_cli_given given[DW_CLI_MAX_VALUES];   /* in the order given */
	int ngiven;
};

/* The whole command: parses argv, prints the help or version to out when
 * asked, sets up the log, loads the configuration (dw_config_load with -c,
 * then the --set options) when the verb reads it, runs the verb with out as
 * cli->out, and prints any error (dw_cli_error). Returns the exit status.
 * With -o FILE cli->out is a new file (lib/outfile.h: a symbolic link or
 * other non-regular file at FILE is refused, 74) that replaces FILE when
 * the verb returns 0, or a negative result after some output, and is
 * removed otherwise. -F
 * xlsx without -o on a terminal is a usage error. */
int dw_cli_main(const struct dw_cli_tool *t, int argc, char **argv, FILE *out);

/* Parses argv (argv[0] is the program) for tool t. Options and operands
 * may come in any order; the first operand of a tool with verbs names the
 * verb. Returns 0 with cli->verb set, 1 when --help or --version was given
 * (cli->asked), or -1 with err: DW_EX_USAGE for an unknown or misplaced
 * option, a missing value, a bad -F (or a test report's format for a verb
 * that writes none), an unknown or missing verb, or a wrong number of
 * operands; DW_EX_SOFTWARE when the tables contradict each other. */
int dw_cli_parse(struct dw_cli *cli, const struct dw_cli_tool *t, int argc, char **argv,
		 struct dw_err *err);

/* Writes the --help text of t, from its tables, to fp. */
void dw_cli_help(const struct dw_cli_tool *t, FILE *fp);

/* The value of the verb's option name as last given ("" for a flag), or
 * NULL when it was not given. */
const char *dw_cli_value(const struct dw_cli *cli, const char *name);
/* 1 when the verb's option name was given, else 0. */
int dw_cli_flag(const struct dw_cli *cli, const char *name);
/* Every value given to the repeatable option name, in order, into v (at
 * most max). Returns how many. */
int dw_cli_values(const struct dw_cli *cli, const char *name, const char **v, int max);

/* Prints err the way every tool does, and returns its exit status: a
 * negative result (DW_EX_NEGATIVE) as the one line "PROG: MESSAGE", even
 * with -q; anything else through dw_log_err, a usage error with the hint
 * "see 'PROG --help'" when it has no hint of its own. */
int dw_cli_error(const struct dw_err *err);

#endif
