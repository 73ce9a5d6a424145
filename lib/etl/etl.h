/* etl: the commands of dw-etl, whole: each opens the databases it needs,
 * does its work through init, import, sync, status, follow or gen, prints
 * its data (count tables, status rows, SQL, CSV) to out and its messages
 * through the log. Each returns 0 or -1 with err. */
#ifndef DW_ETL_ETL_H
#define DW_ETL_ETL_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "out.h"

/* The command line's values; NULL or 0 when not given. */
struct dw_etl_opts {
	enum dw_out_format format;   /* -F; DW_OUT_AUTO when not given */
	int header;                  /* 0 with --no-header */
	enum dw_out_csv_safe csv_safe;   /* --csv-safe, --no-csv-safe; AUTO when neither */
	int dry_run;                 /* init, run, import --dry-run */
	int full;                    /* run --full */
	const char *runs;            /* status --runs N: the last N runs, not the tables */
	const char *max_lag;         /* status --max-lag DURATION */
	const char *date_format;     /* import, generate --date-format */
	const char *rejects;         /* import --rejects FILE */
	const char *max_rejects;     /* import --max-rejects N */
	const char *orders, *seed;   /* generate --orders N --seed S */
	const char *from, *to;       /* generate --from, --to YYYY-MM-DD */
	const char *returns;         /* generate --returns FILE */
	const char *output;          /* generate -o FILE; NULL: out */
	char *const *args;           /* operands: import's ORDERS.csv [RETURNS.csv] */
	int nargs;
};

/* Creates or upgrades both schemas; with dry_run, writes the SQL to out. */
int dw_etl_init(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
		struct dw_err *err);
/* Loads the CSV files into the OLTP database; the counts go to out when a
 * format was given. Rejected lines are a warning, not an error. */
int dw_etl_import(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
		  struct dw_err *err);
/* One sync cycle; the counts go to out when a format was given, or with
 * dry_run. */
int dw_etl_run(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
	       struct dw_err *err);
/* Prints the tables' lag, or the last runs, to out; then the verdict
 * (dw_status_verdict): DW_EX_NEGATIVE when the warehouse is unhealthy. */
int dw_etl_status(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
		  struct dw_err *err);
/* Syncs on every change until SIGINT or SIGTERM, which it catches; then
 * returns 0. Prints nothing to out. */
int dw_etl_follow(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
		  struct dw_err *err);
/* Writes a synthetic orders CSV to out (or -o), and the returns to
 * --returns. cfg is not used and may be NULL. */
int dw_etl_generate(const struct dw_config *cfg, const struct dw_etl_opts *o, FILE *out,
		    struct dw_err *err);

#endif
