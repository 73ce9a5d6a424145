/* shell: dw-ask's conversation around a session: the question from the
 * arguments, from standard input, or typed line by line on a terminal;
 * --list-reports; and what the answers need to know of the terminal (its
 * width, whether it shows UTF-8). */
#ifndef DW_ASK_SHELL_H
#define DW_ASK_SHELL_H

#include <stdio.h>

#include "ask/ask.h"
#include "config.h"
#include "err.h"

struct dw_shell_opts {
	struct dw_ask_opts ask;     /* engines, report, sql_only, explain, chart, svg,
	                             * format (DW_OUT_AUTO: table on a terminal, tsv
	                             * otherwise) and header; dw_shell_run fills the rest */
	const char *const *params;  /* -p KEY=VALUE, as given */
	int nparams;
	char *const *words;         /* the question as arguments, NULL or none to read it */
	int nwords;
	int list_reports;           /* --list-reports */
	int to_file;                /* -o FILE: the answer goes to a file */
};

/* Lists the reports of the knowledge file to out (--list-reports), runs
 * the report, or answers the question of the words, of standard input when
 * it is not a terminal, or else of each line typed until end of input or
 * "quit" (errors printed, the loop goes on, 0 at the end). Returns 0 or -1
 * with err: DW_EX_USAGE for options that do not go together or no question,
 * DW_EX_NEGATIVE when no engine could answer, and those of dw_ask_run. */
int dw_shell_run(const struct dw_config *cfg, const struct dw_shell_opts *o, FILE *out,
		 struct dw_err *err);

#endif
