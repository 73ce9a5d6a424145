/* int: what the files of a dw-ask session share, the session and one
 * question's answer. Calls only go down: ask.c (the session, the engines
 * in turn, the audit) calls ask_llm.c (the LLM engines) and ask_print.c
 * (the answer shown); ask.c and ask_llm.c call exec.c (running and showing
 * SQL), which calls none of them. */
#ifndef DW_ASK_INT_H
#define DW_ASK_INT_H

#include "ask/ask.h"
#include "ask/exec.h"
#include "kb.h"
#include "ask/schema.h"
#include "ask/sem/sem.h"
#include "db/db.h"
#include "result.h"

struct dw_ask_session {
	const struct dw_config *cfg;
	struct dw_kb kb;
	struct dw_db *db;             /* the read-only account */
	struct dw_db *audit;          /* writes the audit trail (may be db) */
	struct dw_exec exec;          /* runs answers on db */
	struct dw_explain_model model;   /* dw-tune's fit of query times (n 0: none) */
	const char *db_user;
	char database[80];            /* the schema read: the warehouse's, or the role's */
	char role[80];                /* recorded in the audit trail */
	int may_export;               /* 0: the role may not write files of answers */
	struct dw_schema schema;
	struct dw_sem *sem;
	/* The reader's grants: 0 it may only read the model's tables, 1 more
	 * (what and the REVOKE that removes it), -1 unknown (what says why). */
	int account_unsafe;
	char account_what[512], account_revoke[512];
	/* The question being answered, for the audit of each query before
	 * it runs. */
	const struct dw_ask_opts *o;
	const char *engine;           /* the engine whose query runs */
	double t0;
	int audit_failed;             /* then nothing more is tried */
};

/* One question's way through the engines. */
struct dw_ask_answer {
	char engine[32];              /* the engine that answered */
	char *sql;                    /* with ? placeholders */
	char *shown;                  /* sql with its parameters filled in, as audited */
	char *tried_sql;              /* the last SQL of an engine that failed, for the audit */
	char **params;
	size_t nparams;
	char *explain;                /* the engine's own account, lines */
	char examples[2048];          /* LLM engines: examples put in the prompt */
	char tried[2048];             /* engines that did not answer, and why */
	int time_axis;
	int ran;
	struct dw_result result;
	double engine_ms, exec_ms;
};

#endif
