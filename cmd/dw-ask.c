/* dw-ask: answer a plain-English question or run a saved report on the
 * warehouse, read-only. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ask/ask.h"
#include "ask/kb.h"
#include "config.h"
#include "err.h"
#include "log.h"
#include "out.h"

static const char usage_text[] =
	"usage: dw-ask [-qv] [-c file] [-F format] [--no-header] [--set key=value]\n"
	"              [-e engines] [--sql] [--explain] [--chart] [--svg file] [question ...]\n"
	"       dw-ask [options] --report name [-p key=value ...]\n"
	"       dw-ask [options] --list-reports\n"
	"\n"
	"Answers a question about the warehouse. The question is the arguments, or\n"
	"standard input; with neither on a terminal, asks questions in a loop.\n"
	"\n"
	"options:\n"
	"  -e, --engine LIST    engines to try in order, e.g. semantic,ollama (default ask.engines)\n"
	"      --sql            print the SQL instead of running it\n"
	"      --explain        say which engine answered, how, and how long it took (stderr)\n"
	"      --chart          draw a terminal chart of the answer when one fits\n"
	"      --svg FILE       write the chart as a standalone SVG file\n"
	"      --report NAME    run a saved report from the knowledge file\n"
	"  -p, --param K=V      a report parameter (repeatable)\n"
	"      --list-reports   list the saved reports and their parameters\n"
	"  -c, --config FILE    configuration file (see dw.yaml(5))\n"
	"  -F, --format FORMAT  table, tsv, csv, json or jsonl\n"
	"      --no-header      omit the header line\n"
	"      --set KEY=VALUE  override a configuration key, e.g. ask.row_limit=50\n"
	"  -q, --quiet          only errors\n"
	"  -v, --verbose        more detail (repeatable)\n"
	"  -h, --help           this help\n"
	"  -V, --version        print the version\n";

enum {
	OPT_NO_HEADER = 256, OPT_SET, OPT_SQL, OPT_EXPLAIN, OPT_CHART, OPT_SVG, OPT_REPORT,
	OPT_LIST_REPORTS,
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "config", required_argument, NULL, 'c' },
	{ "format", required_argument, NULL, 'F' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "engine", required_argument, NULL, 'e' },
	{ "param", required_argument, NULL, 'p' },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "set", required_argument, NULL, OPT_SET },
	{ "sql", no_argument, NULL, OPT_SQL },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "chart", no_argument, NULL, OPT_CHART },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "list-reports", no_argument, NULL, OPT_LIST_REPORTS },
	{ NULL, 0, NULL, 0 },
};

#define MAX_LIST 64

struct opts {
	const char *config;
	int verbosity;
	int list_reports;
	const char *sets[MAX_LIST];
	int nsets;
	const char *pkeys[MAX_LIST], *pvalues[MAX_LIST];
	char *pbuf[MAX_LIST];
	struct dw_ask_opts ask;
	char *question;            /* joined arguments, or NULL */
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "dw-ask: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nhint: see 'dw-ask --help'\n");
	return DW_EX_USAGE;
}

static int add_param(struct opts *o, const char *arg)
{
	size_t i = o->ask.nparams;
	char *eq;

	if (i == MAX_LIST)
		return usage_error("%s", "too many -p options");
	if (!(o->pbuf[i] = strdup(arg)) || !(eq = strchr(o->pbuf[i], '=')) || eq == o->pbuf[i])
		return usage_error("-p: expected KEY=VALUE, got '%s'", arg);
	*eq = '\0';
	o->pkeys[i] = o->pbuf[i];
	o->pvalues[i] = eq + 1;
	o->ask.nparams++;
	return 0;
}

/* The words of the question, joined by spaces. */
static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *q;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (!(q = calloc(1, len)))
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(q, " ");
		strcat(q, argv[i]);
	}
	return q;
}

static int parse_option(struct opts *o, int c, char **argv)
{
	struct dw_err err;

	switch (c) {
	case 'h':
		fputs(usage_text, stdout);
		exit(0);
	case 'V':
		printf("dw-ask %s\n", DW_VERSION);
		exit(0);
	case 'c': o->config = optarg; return 0;
	case 'F':
		if (dw_out_parse_format(optarg, &o->ask.format, &err) < 0)
			return usage_error("%s", err.msg);
		return 0;
	case 'q': o->verbosity = -1; return 0;
	case 'v': o->verbosity = o->verbosity < 0 ? 1 : o->verbosity + 1; return 0;
	case 'e': o->ask.engines = optarg; return 0;
	case 'p': return add_param(o, optarg);
	case OPT_NO_HEADER: o->ask.header = 0; return 0;
	case OPT_SET:
		if (o->nsets == MAX_LIST)
			return usage_error("%s", "too many --set options");
		o->sets[o->nsets++] = optarg;
		return 0;
	case OPT_SQL: o->ask.sql_only = 1; return 0;
	case OPT_EXPLAIN: o->ask.explain = 1; return 0;
	case OPT_CHART: o->ask.chart = 1; return 0;
	case OPT_SVG: o->ask.svg = optarg; return 0;
	case OPT_REPORT: o->ask.report = optarg; return 0;
	case OPT_LIST_REPORTS: o->list_reports = 1; return 0;
	case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
	default: return usage_error("unknown option '%s'", argv[optind - 1]);
	}
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int c, rc;

	memset(o, 0, sizeof *o);
	o->ask.header = 1;
	o->ask.pkeys = o->pkeys;
	o->ask.pvalues = o->pvalues;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVc:F:qve:p:", long_opts, NULL)) != -1)
		if ((rc = parse_option(o, c, argv)) != 0)
			return rc;
	if (o->ask.nparams && !o->ask.report)
		return usage_error("%s", "-p is for --report parameters");
	if (o->ask.report && optind < argc)
		return usage_error("%s", "give either a question or --report, not both");
	if (o->ask.report && o->ask.engines)
		return usage_error("%s", "--engine does not apply to --report");
	if (optind < argc && !(o->question = join_args(argc - optind, argv + optind)))
		return usage_error("%s", "out of memory");
	return 0;
}

static void release_opts(struct opts *o)
{
	for (size_t i = 0; i < o->ask.nparams; i++)
		free(o->pbuf[i]);
	free(o->question);
}

static int terminal_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (cols && atoi(cols) > 0)
		return atoi(cols);
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

static int locale_is_utf8(void)
{
	const char *vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return strstr(v, "UTF-8") || strstr(v, "utf8") || strstr(v, "UTF8") ||
			       strstr(v, "utf-8");
	}
	return 0;
}

static int list_reports(const struct dw_config *cfg, const struct dw_ask_opts *o,
			struct dw_err *err)
{
	struct dw_kb kb;
	struct dw_out *out;
	int rc = -1;

	if (dw_kb_load(&kb, cfg->ask.knowledge, err) == 0 &&
	    (out = dw_out_new(stdout, o->format, o->header))) {
		dw_out_column(out, "report", DW_OUT_TEXT);
		dw_out_column(out, "parameters", DW_OUT_TEXT);
		dw_out_column(out, "description", DW_OUT_TEXT);
		rc = 0;
		for (size_t i = 0; i < kb.nreports && rc == 0; i++) {
			const struct dw_kb_report *r = &kb.reports[i];
			char params[512] = "";
			const char *row[3] = { r->name, params, r->description };

			for (size_t p = 0; p < r->nparams; p++)
				snprintf(params + strlen(params), sizeof params - strlen(params),
					 "%s%s:%s%s", p ? " " : "", r->params[p].name,
					 dw_kb_type_name(r->params[p].type),
					 r->params[p].def ? "?" : "");
			rc = dw_out_row(out, row, err);
		}
		if (rc == 0)
			rc = dw_out_end(out, err);
		dw_out_free(out);
	}
	dw_kb_release(&kb);
	return rc;
}

/* Reports an outcome other than an answer; returns the exit code. */
static int report_failure(int rc, struct dw_err *err)
{
	if (rc == 1) {
		fprintf(stderr, "dw-ask: no engine could answer: %s\n", err->msg);
		return DW_EX_NEGATIVE;
	}
	if (err->code == DW_EX_NEGATIVE) {
		fprintf(stderr, "dw-ask: %s\n", err->msg);
		return DW_EX_NEGATIVE;
	}
	if (err->code == DW_EX_USAGE && !err->hint[0])
		dw_err_hint(err, "see 'dw-ask --help'");
	return dw_log_err(err);
}

/* One question per line until end of input or "quit". */
static int interactive(struct dw_ask_session *s, struct dw_ask_opts *ask)
{
	char *line = NULL;
	size_t cap = 0;
	struct dw_err err;

	fprintf(stderr, "dw-ask: type a question, or 'quit'\n");
	for (;;) {
		ssize_t n;

		fprintf(stderr, "dw-ask> ");
		if ((n = getline(&line, &cap, stdin)) < 0)
			break;
		line[strcspn(line, "\r\n")] = '\0';
		if (!strcmp(line, "quit") || !strcmp(line, "exit"))
			break;
		if (!line[strspn(line, " \t")])
			continue;
		ask->question = line;
		dw_err_clear(&err);
		int rc = dw_ask_run(s, ask, stdout, stderr, &err);

		if (rc != 0)
			report_failure(rc, &err);
	}
	fputc('\n', stderr);
	free(line);
	return 0;
}

/* The question from standard input when it is not a terminal. */
static char *read_stdin(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int c;

	if (!fp)
		return NULL;
	while ((c = getchar()) != EOF)
		fputc(c == '\n' || c == '\r' ? ' ' : c, fp);
	fclose(fp);
	return buf;
}

static int ask(struct opts *o, const struct dw_config *cfg, struct dw_err *err)
{
	struct dw_ask_session *s;
	char *from_stdin = NULL;
	int rc;

	if (!o->ask.report && !o->question && !isatty(STDIN_FILENO)) {
		from_stdin = read_stdin();
		if (!from_stdin || !from_stdin[strspn(from_stdin, " \t")]) {
			free(from_stdin);
			return dw_err_set(err, DW_EX_USAGE, "no question given"), -1;
		}
		o->question = from_stdin;
	}
	o->ask.question = o->question;
	if (!(s = dw_ask_open(cfg, err)))
		return -1;
	if (!o->ask.report && !o->question)
		rc = interactive(s, &o->ask);
	else
		rc = dw_ask_run(s, &o->ask, stdout, stderr, err);
	dw_ask_close(s);
	return rc;
}

int main(int argc, char **argv)
{
	struct dw_config cfg;
	struct dw_err err;
	struct opts o;
	int rc;

	dw_err_clear(&err);
	if ((rc = parse_args(argc, argv, &o)) != 0) {
		release_opts(&o);
		return rc;
	}
	dw_log_init("dw-ask", o.verbosity);
	if (o.ask.format == DW_OUT_AUTO)
		o.ask.format = isatty(STDOUT_FILENO) ? DW_OUT_TABLE : DW_OUT_TSV;
	o.ask.width = terminal_width();
	o.ask.utf8 = locale_is_utf8();
	rc = dw_config_load(&cfg, o.config, &err);
	if (rc == 0)
		rc = dw_config_apply_sets(&cfg, o.sets, o.nsets, &err);
	if (rc == 0)
		rc = o.list_reports ? list_reports(&cfg, &o.ask, &err) : ask(&o, &cfg, &err);
	dw_config_release(&cfg);
	release_opts(&o);
	return rc == 0 ? 0 : report_failure(rc, &err);
}
