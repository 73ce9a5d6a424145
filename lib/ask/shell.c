#include "ask/shell.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kb.h"
#include "cli.h"
#include "log.h"
#include "out.h"

/* One dw_shell_run: the options for dw_ask_run and what they point to. */
struct shell {
	struct dw_ask_opts ask;
	char **keys;              /* copies of the -p KEY=VALUE, cut at '=' */
	const char **values;
	char *question;           /* the words joined, or standard input */
	int to_file;              /* -o FILE */
};

static int check_opts(const struct dw_shell_opts *o, struct dw_err *err)
{
	if (o->nparams && !o->ask.report)
		return dw_err_set(err, DW_EX_USAGE, "-p is for --report parameters");
	if (o->ask.report && o->nwords)
		return dw_err_set(err, DW_EX_USAGE, "give either a question or --report, not both");
	if (o->ask.report && o->ask.engines)
		return dw_err_set(err, DW_EX_USAGE, "--engine does not apply to --report");
	return 0;
}

/* Cuts each -p KEY=VALUE into sh->keys and sh->values. */
static int split_params(struct shell *sh, const struct dw_shell_opts *o, struct dw_err *err)
{
	sh->keys = calloc(o->nparams + 1, sizeof *sh->keys);
	sh->values = calloc(o->nparams + 1, sizeof *sh->values);
	if (!sh->keys || !sh->values)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (int i = 0; i < o->nparams; i++) {
		char *eq;

		if (!(sh->keys[i] = strdup(o->params[i])))
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		if (!(eq = strchr(sh->keys[i], '=')) || eq == sh->keys[i])
			return dw_err_set(err, DW_EX_USAGE, "-p: expected KEY=VALUE, got '%s'",
					  o->params[i]);
		*eq = '\0';
		sh->values[i] = eq + 1;
	}
	sh->ask.pkeys = (const char *const *)sh->keys;
	sh->ask.pvalues = sh->values;
	sh->ask.nparams = (size_t)o->nparams;
	return 0;
}

/* The words of the question, joined by spaces; NULL without words. */
static int join_words(struct shell *sh, const struct dw_shell_opts *o, struct dw_err *err)
{
	size_t len = 1;

	if (!o->nwords)
		return 0;
	for (int i = 0; i < o->nwords; i++)
		len += strlen(o->words[i]) + 1;
	if (!(sh->question = calloc(1, len)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (int i = 0; i < o->nwords; i++) {
		if (i)
			strcat(sh->question, " ");
		strcat(sh->question, o->words[i]);
	}
	return 0;
}

/* Columns of the terminal on fp: $COLUMNS, else the terminal's, else 80. */
static int terminal_width(FILE *fp)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (cols && atoi(cols) > 0)
		return atoi(cols);
	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Whether the locale's character set is UTF-8, by the variables that set it. */
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

static int list_reports(const struct dw_config *cfg, const struct dw_ask_opts *o, FILE *fp,
			struct dw_err *err)
{
	struct dw_kb kb;
	struct dw_out *out;
	int rc = -1;

	if (dw_kb_load(&kb, cfg->ask.knowledge, err) == 0 &&
	    (out = dw_out_new(fp, o->format, o->header))) {
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

/* One question or report; "no engine could answer" is a negative result. */
static int answer(struct dw_ask_session *s, const struct dw_ask_opts *o, FILE *out,
		  struct dw_err *err)
{
	int rc = dw_ask_run(s, o, out, err);

	if (rc != 1)
		return rc;
	dw_err_prefix(err, "no engine could answer");
	err->code = DW_EX_NEGATIVE;
	return -1;
}

/* One question per line until end of input or "quit". */
static int interactive(struct dw_ask_session *s, struct dw_ask_opts *o, FILE *out)
{
	char *line = NULL;
	size_t cap = 0;
	struct dw_err err;

	dw_log_verbose(0, "type a question, or 'quit'");
	for (;;) {
		dw_log_text("%s> ", dw_log_prog());
		if (getline(&line, &cap, stdin) < 0)
			break;
		line[strcspn(line, "\r\n")] = '\0';
		if (!strcmp(line, "quit") || !strcmp(line, "exit"))
			break;
		if (!line[strspn(line, " \t")])
			continue;
		o->question = line;
		dw_err_clear(&err);
		if (answer(s, o, out, &err) < 0)
			dw_cli_error(&err);
	}
	dw_log_text("\n");
	free(line);
	return 0;
}

/* The question from standard input, its lines joined by spaces. */
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

static int ask(struct shell *sh, const struct dw_config *cfg, FILE *out, struct dw_err *err)
{
	struct dw_ask_session *s;
	int rc;

	if (!sh->ask.report && !sh->question && !isatty(STDIN_FILENO)) {
		sh->question = read_stdin();
		if (!sh->question || !sh->question[strspn(sh->question, " \t")])
			return dw_err_set(err, DW_EX_USAGE, "no question given");
	}
	sh->ask.question = sh->question;
	if (!sh->ask.report && !sh->question && sh->ask.format == DW_OUT_XLSX)
		return dw_err_set(err, DW_EX_USAGE, "-F xlsx writes one answer: give the question");
	if (!(s = dw_ask_open(cfg, err)))
		return -1;
	/* A role that may not export (dw-user) writes no file of answers. */
	if ((sh->to_file || sh->ask.svg || sh->ask.format == DW_OUT_XLSX) && !dw_ask_may_export(s)) {
		dw_ask_close(s);
		return dw_err_set(err, DW_EX_NOPERM, "your role may not export answers to files "
				  "(-o, -F xlsx, --svg)");
	}
	if (!sh->ask.report && !sh->question)
		rc = interactive(s, &sh->ask, out);
	else
		rc = answer(s, &sh->ask, out, err);
	dw_ask_close(s);
	return rc;
}

static void release(struct shell *sh, int nparams)
{
	for (int i = 0; sh->keys && i < nparams; i++)
		free(sh->keys[i]);
	free(sh->keys);
	free(sh->values);
	free(sh->question);
}

int dw_shell_run(const struct dw_config *cfg, const struct dw_shell_opts *o, FILE *out,
		 struct dw_err *err)
{
	struct shell sh = { .ask = o->ask, .to_file = o->to_file };
	int rc;

	if (check_opts(o, err) < 0)
		return -1;
	if (sh.ask.format == DW_OUT_AUTO)
		sh.ask.format = isatty(fileno(out)) ? DW_OUT_TABLE : DW_OUT_TSV;
	sh.ask.width = terminal_width(out);
	sh.ask.utf8 = locale_is_utf8();
	rc = split_params(&sh, o, err);
	if (rc == 0)
		rc = join_words(&sh, o, err);
	if (rc == 0 && o->list_reports)
		rc = list_reports(cfg, &sh.ask, out, err);
	else if (rc == 0)
		rc = ask(&sh, cfg, out, err);
	release(&sh, o->nparams);
	return rc;
}
