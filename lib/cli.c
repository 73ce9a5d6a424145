#include "cli.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "outfile.h"

/* Options of every tool and verb, listed once by name, at most. */
#define MAX_OPTS 96
/* Help texts start in this column. */
#define HELP_COL 30
/* getopt_long returns FIRST_VAL + i for the long option i. */
#define FIRST_VAL 256

enum { C_CONFIG, C_FORMAT, C_OUTPUT, C_NO_HEADER, C_CSV_SAFE, C_NO_CSV_SAFE, C_SET, C_QUIET, C_VERBOSE,
       C_HELP, C_VERSION, C_N };

static const struct dw_cli_opt common[] = {
	[C_CONFIG] = { "config", 'c', "FILE", "configuration file (see dw.yaml(5))" },
	[C_FORMAT] = { "format", 'F', "FORMAT", "table, tsv, csv, json, jsonl or xlsx;\n"
		       "tap or junit: a test report, where the\ncommand writes one" },
	[C_OUTPUT] = { "output", 'o', "FILE", "write the output to FILE, whole or not at all;\n"
		       "-F xlsx needs it when standard output is a\nterminal" },
	[C_NO_HEADER] = { "no-header", 0, NULL, "omit the header line" },
	[C_CSV_SAFE] = { "csv-safe", 0, NULL, "put a ' before CSV cells a spreadsheet would\n"
			 "run as formulas (=, +, -, @); the default on\n"
			 "a terminal and in CSV files the tool writes" },
	[C_NO_CSV_SAFE] = { "no-csv-safe", 0, NULL, "write such cells as they are" },
	[C_SET] = { "set", 0, "KEY=VALUE", "override a configuration key" },
	[C_QUIET] = { "quiet", 'q', NULL, "only errors" },
	[C_VERBOSE] = { "verbose", 'v', NULL, "more detail (repeatable)" },
	[C_HELP] = { "help", 'h', NULL, "this help" },
	[C_VERSION] = { "version", 'V', NULL, "print the version" },
	{ 0 },
};

/* Every option of a tool for getopt_long: the common ones first (index i
 * is common[i]), then each verb's, once by name. */
struct optset {
	struct option longs[MAX_OPTS + 1];
	const struct dw_cli_opt *def[MAX_OPTS];
	char shorts[2 * MAX_OPTS + 2];
	int n;
};

/* Adds o unless an option of that name is there; refuses an option that
 * another table declares otherwise, or a letter taken by another name. */
static int optset_add(struct optset *s, const struct dw_cli_opt *o, struct dw_err *err)
{
	for (int i = 0; i < s->n; i++) {
		const struct dw_cli_opt *d = s->def[i];

		if (!strcmp(d->name, o->name) && d->letter == o->letter && !d->arg == !o->arg)
			return 0;
		if (!strcmp(d->name, o->name) || (o->letter && d->letter == o->letter))
			return dw_err_set(err, DW_EX_SOFTWARE, "option tables: '--%s' clashes "
					  "with '--%s'", o->name, d->name);
	}
	if (s->n == MAX_OPTS)
		return dw_err_set(err, DW_EX_SOFTWARE, "option tables: more than %d options",
				  MAX_OPTS);
	s->longs[s->n] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL,
					  FIRST_VAL + s->n };
	s->def[s->n++] = o;
	if (o->letter) {
		size_t len = strlen(s->shorts);

		s->shorts[len++] = (char)o->letter;
		if (o->arg)
			s->shorts[len++] = ':';
		s->shorts[len] = '\0';
	}
	return 0;
}

static int optset_build(struct optset *s, const struct dw_cli_tool *t, struct dw_err *err)
{
	memset(s, 0, sizeof *s);
	strcpy(s->shorts, ":");   /* ':' reports a missing value apart from an unknown option */
	for (const struct dw_cli_opt *o = common; o->name; o++)
		if (optset_add(s, o, err) < 0)
			return -1;
	for (const struct dw_cli_verb *v = t->verbs; v->run; v++)
		for (const struct dw_cli_opt *o = v->opts; o && o->name; o++)
			if (optset_add(s, o, err) < 0)
				return -1;
	return 0;
}

/* The index of what getopt_long returned, or -1. */
static int optset_index(const struct optset *s, int c)
{
	if (c >= FIRST_VAL)
		return c - FIRST_VAL;
	for (int i = 0; i < s->n; i++)
		if (s->def[i]->letter == c)
			return i;
	return -1;
}

/* Names the option getopt_long refused, as it was given, in a usage error. */
static int refused(const char *fmt, char **argv, struct dw_err *err)
{
	char letter[3] = { '-', (char)optopt, '\0' };

	/* optopt is the letter of a short option, 0 or a long option's value otherwise */
	return dw_err_set(err, DW_EX_USAGE, fmt,
			  optopt > 0 && optopt < FIRST_VAL ? letter : argv[optind - 1]);
}

/* Returns 0, 1 for --help and --version, or -1 with err. */
static int common_option(struct dw_cli *cli, int i, const char *arg, struct dw_err *err)
{
	switch (i) {
	case C_CONFIG: cli->config = arg; return 0;
	case C_FORMAT: return dw_out_parse_format(arg, &cli->format, err);
	case C_OUTPUT: cli->output = arg; return 0;
	case C_NO_HEADER: cli->header = 0; return 0;
	case C_CSV_SAFE: cli->csv_safe = DW_OUT_CSV_SAFE_ON; return 0;
	case C_NO_CSV_SAFE: cli->csv_safe = DW_OUT_CSV_SAFE_OFF; return 0;
	case C_SET:
		if (cli->nsets == DW_CLI_MAX_VALUES)
			return dw_err_set(err, DW_EX_USAGE, "too many --set options");
		cli->sets[cli->nsets++] = arg;
		return 0;
	case C_QUIET: cli->verbosity = -1; return 0;
	case C_VERBOSE: cli->verbosity = cli->verbosity < 0 ? 1 : cli->verbosity + 1; return 0;
	case C_HELP: cli->asked = 'h'; return 1;
	default: cli->asked = 'V'; return 1;
	}
}

static int give(struct dw_cli *cli, const char *name, const char *value, struct dw_err *err)
{
	if (cli->ngiven == DW_CLI_MAX_VALUES)
		return dw_err_set(err, DW_EX_USAGE, "too many options");
	cli->given[cli->ngiven++] = (struct dw_cli_given){ name, value ? value : "" };
	return 0;
}

/* "init, run or status": the verbs of t. */
static const char *verb_names(const struct dw_cli_tool *t, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (const struct dw_cli_verb *v = t->verbs; v->run && len < size; v++) {
		const char *sep = v == t->verbs ? "" : v[1].run ? ", " : " or ";

		len += snprintf(buf + len, size - len, "%s%s", sep, v->name);
	}
	return buf;
}

/* Takes the verb from the first operand when the tool has verbs. */
static int pick_verb(struct dw_cli *cli, int argc, char **argv, struct dw_err *err)
{
	const struct dw_cli_verb *v = cli->tool->verbs;
	char names[256];

	if (v->name) {
		if (!argc)
			return dw_err_set(err, DW_EX_USAGE, "no command given (expected %s)",
					  verb_names(cli->tool, names, sizeof names));
		while (v->run && strcmp(v->name, argv[0]))
			v++;
		if (!v->run)
			return dw_err_set(err, DW_EX_USAGE, "unknown command '%s' (expected %s)",
					  argv[0], verb_names(cli->tool, names, sizeof names));
		argc--;
		argv++;
	}
	cli->verb = v;
	cli->args = argv;
	cli->nargs = argc;
	return 0;
}

static const struct dw_cli_opt *verb_opt(const struct dw_cli_verb *v, const char *name)
{
	for (const struct dw_cli_opt *o = v->opts; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

/* Refuses the options of other verbs and a wrong number of operands. */
static int check_verb(const struct dw_cli *cli, struct dw_err *err)
{
	const struct dw_cli_verb *v = cli->verb;
	const char *name = v->name ? v->name : cli->tool->name;

	for (int i = 0; i < cli->ngiven; i++)
		if (!verb_opt(v, cli->given[i].name))
			return dw_err_set(err, DW_EX_USAGE, "'%s' has no option '--%s'", name,
					  cli->given[i].name);
	if ((cli->format == DW_OUT_TAP || cli->format == DW_OUT_JUNIT) &&
	    !(v->flags & DW_CLI_REPORTS))
		return dw_err_set(err, DW_EX_USAGE, "'%s' writes no test report (-F tap or junit)",
				  name);
	if (cli->nargs >= v->min_args && (v->max_args < 0 || cli->nargs <= v->max_args))
		return 0;
	if (!v->args)
		return dw_err_set(err, DW_EX_USAGE, "'%s' takes no arguments", name);
	return dw_err_set(err, DW_EX_USAGE, "'%s' takes the arguments %.*s", name,
			  (int)strcspn(v->args, "\n"), v->args);
}

int dw_cli_parse(struct dw_cli *cli, const struct dw_cli_tool *t, int argc, char **argv,
		 struct dw_err *err)
{
	struct optset set;
	int c, rc;

	memset(cli, 0, sizeof *cli);
	cli->tool = t;
	cli->header = 1;
	if (optset_build(&set, t, err) < 0)
		return -1;
	optind = 0;   /* 0, not 1: glibc's getopt starts afresh (a second parse) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, set.shorts, set.longs, NULL)) != -1) {
		int i = optset_index(&set, c);

		if (c == ':')
			return refused("option '%s' needs a value", argv, err);
		if (c == '?' || i < 0)
			return refused("unknown option '%s'", argv, err);
		if (i < C_N)
			rc = common_option(cli, i, optarg, err);
		else
			rc = give(cli, set.def[i]->name, optarg, err);
		if (rc != 0)
			return rc;
	}
	if (pick_verb(cli, argc - optind, argv + optind, err) < 0)
		return -1;
	/* A verb that declares --output writes that file itself. */
	if (cli->output && verb_opt(cli->verb, "output")) {
		if (give(cli, "output", cli->output, err) < 0)
			return -1;
		cli->output = NULL;
	}
	return check_verb(cli, err);
}

/* Writes text in HELP_COL after used columns, on the next line when they
 * reach it; each '\n' of text starts another line in HELP_COL. */
static void help_text(FILE *fp, int used, const char *text, const char *more)
{
	if (used > HELP_COL - 2) {
		fputc('\n', fp);
		used = 0;
	}
	for (;;) {
		int len = (int)strcspn(text, "\n");

		fprintf(fp, "%*s%.*s", HELP_COL - used, "", len, text);
		if (!text[len])
			break;
		fputc('\n', fp);
		text += len + 1;
		used = 0;
	}
	fprintf(fp, "%s\n", more ? more : "");
}

/* "  -c, --config FILE" or "      --no-header", indented, then its help. */
static void help_opt(FILE *fp, int indent, const struct dw_cli_opt *o, const char *more)
{
	int used;

	if (o->letter)
		used = fprintf(fp, "%*s-%c, --%s", indent, "", o->letter, o->name);
	else
		used = fprintf(fp, "%*s    --%s", indent, "", o->name);
	if (o->arg)
		used += fprintf(fp, " %s", o->arg);
	help_text(fp, used, o->help, more);
}

static void help_opts(FILE *fp, int indent, const struct dw_cli_opt *opts)
{
	for (const struct dw_cli_opt *o = opts; o && o->name; o++)
		help_opt(fp, indent, o, NULL);
}

/* One usage line per line of args: "usage: dw-ask [options] ARGS". */
static void help_usage(FILE *fp, const char *prog, const char *args)
{
	const char *lead = "usage:";

	do {
		int len = (int)strcspn(args, "\n");

		fprintf(fp, "%-6s %s [options]%s%.*s\n", lead, prog, len ? " " : "", len, args);
		lead = "";
		args += len + (args[len] == '\n');
	} while (*args);
}

static void help_verbs(FILE *fp, const struct dw_cli_verb *verbs)
{
	fputs("\ncommands:\n", fp);
	for (const struct dw_cli_verb *v = verbs; v->run; v++) {
		int used = fprintf(fp, "  %s", v->name);

		if (v->args)
			used += fprintf(fp, " %s", v->args);
		help_text(fp, used, v->help, NULL);
		help_opts(fp, 4, v->opts);
	}
}

void dw_cli_help(const struct dw_cli_tool *t, FILE *fp)
{
	const struct dw_cli_verb *v = t->verbs;
	char example[128] = "";

	if (t->set_example)
		snprintf(example, sizeof example, ", e.g. %s", t->set_example);
	help_usage(fp, t->name, v->name ? "command [arguments]" : v->args ? v->args : "");
	if (t->about)
		fprintf(fp, "\n%s\n", t->about);
	if (v->name)
		help_verbs(fp, v);
	fputs("\noptions:\n", fp);
	if (!v->name)
		help_opts(fp, 2, v->opts);
	for (const struct dw_cli_opt *o = common; o->name; o++)
		help_opt(fp, 2, o, o == &common[C_SET] ? example : NULL);
}

const char *dw_cli_value(const struct dw_cli *cli, const char *name)
{
	for (int i = cli->ngiven - 1; i >= 0; i--)
		if (!strcmp(cli->given[i].name, name))
			return cli->given[i].value;
	return NULL;
}

int dw_cli_flag(const struct dw_cli *cli, const char *name)
{
	return dw_cli_value(cli, name) != NULL;
}

int dw_cli_values(const struct dw_cli *cli, const char *name, const char **v, int max)
{
	int n = 0;

	for (int i = 0; i < cli->ngiven && n < max; i++)
		if (!strcmp(cli->given[i].name, name))
			v[n++] = cli->given[i].value;
	return n;
}

int dw_cli_error(const struct dw_err *err)
{
	struct dw_err e = *err;

	if (e.code == DW_EX_NEGATIVE) {
		/* a finding, not a failure: one line, no "error:" */
		dw_log_text("%s: %s\n", dw_log_prog(), e.msg);
		return DW_EX_NEGATIVE;
	}
	if (e.code == DW_EX_USAGE && !e.hint[0])
		dw_err_hint(&e, "see '%s --help'", dw_log_prog());
	return dw_log_err(&e);
}

/* --help or --version, to out. */
static int answer_asked(const struct dw_cli *cli, FILE *out)
{
	struct dw_err err;

	if (cli->asked == 'h')
		dw_cli_help(cli->tool, out);
	else
		fprintf(out, "%s %s\n", cli->tool->name, DW_VERSION);
	if (fflush(out) == 0 && !ferror(out))
		return 0;
	dw_err_set(&err, DW_EX_IOERR, "cannot write to standard output");
	return dw_cli_error(&err);
}

/* Runs the verb, with the configuration when it reads one. */
static int run_verb(const struct dw_cli *cli, struct dw_err *err)
{
	struct dw_config cfg;
	int rc;

	if (!(cli->verb->flags & DW_CLI_CONFIG))
		return cli->verb->run(cli, NULL, err);
	rc = dw_config_load(&cfg, cli->config, err);
	if (rc == 0)
		rc = dw_config_apply_sets(&cfg, cli->sets, cli->nsets, err);
	if (rc == 0)
		rc = cli->verb->run(cli, &cfg, err);
	dw_config_release(&cfg);
	return rc;
}

/* Runs the verb with its output in the file -o names: committed when the
 * output is whole (exit 0, or 1: a negative result is printed first), else
 * the file is left as it was. */
static int run_to_file(struct dw_cli *cli, struct dw_err *err)
{
	struct dw_outfile f;
	int rc;

	if (dw_outfile_open(&f, cli->output, 0666, err) < 0)
		return -1;
	cli->out = f.fp;
	rc = run_verb(cli, err);
	if (rc == 0 || (err->code == DW_EX_NEGATIVE && ftell(f.fp) > 0)) {
		struct dw_err cerr;

		if (dw_outfile_commit(&f, &cerr) < 0) {
			*err = cerr;
			return -1;
		}
	}
	dw_outfile_abort(&f);
	return rc;
}

int dw_cli_main(const struct dw_cli_tool *t, int argc, char **argv, FILE *out)
{
	struct dw_cli cli;
	struct dw_err err;
	int rc;

	dw_err_clear(&err);
	dw_log_init(t->name, 0);
	rc = dw_cli_parse(&cli, t, argc, argv, &err);
	if (rc > 0)
		return answer_asked(&cli, out);
	if (rc < 0)
		return dw_cli_error(&err);
	dw_log_init(t->name, cli.verbosity);
	dw_out_set_csv_safe(cli.csv_safe);
	cli.out = out;
	if (cli.format == DW_OUT_XLSX && !cli.output && isatty(fileno(out))) {
		dw_err_set(&err, DW_EX_USAGE, "-F xlsx writes a workbook, not text for a terminal");
		dw_err_hint(&err, "give -o FILE.xlsx, or redirect standard output");
		return dw_cli_error(&err);
	}
	rc = cli.output ? run_to_file(&cli, &err) : run_verb(&cli, &err);
	return rc < 0 ? dw_cli_error(&err) : 0;
}
