/* dw-etl: move data: CSV into the OLTP database, OLTP into the warehouse. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "date.h"
#include "db/db.h"
#include "err.h"
#include "etl/gen.h"
#include "etl/import.h"
#include "etl/init.h"
#include "etl/follow.h"
#include "etl/status.h"
#include "etl/sync.h"
#include "log.h"
#include "out.h"
#include "out_rows.h"

static const char usage_text[] =
	"usage: dw-etl [-qv] [-c file] [-F format] [--no-header] [--set key=value] command ...\n"
	"\n"
	"commands:\n"
	"  init [--dry-run]                   create or upgrade both schemas\n"
	"  run [--full] [--dry-run]           one sync cycle from the OLTP database into the warehouse\n"
	"  status [--runs N] [--max-lag DURATION]\n"
	"                                     watermark and lag per table, or the last N runs;\n"
	"                                     exit 1 when the last run failed or lag is too high\n"
	"  follow                             sync on every change (LISTEN) and on a timer\n"
	"  import [options] orders.csv [returns.csv]\n"
	"                                     load Superstore CSV files into the OLTP database\n"
	"      --date-format auto|mdy|dmy|ymd  date format of the files (default auto)\n"
	"      --rejects FILE                 where bad lines go (default beside the input)\n"
	"      --max-rejects N                load nothing when more than N lines are bad\n"
	"      --dry-run                      validate and count, then roll back\n"
	"  generate [options]                 write a synthetic Superstore orders CSV\n"
	"      --orders N --seed S --from YYYY-MM-DD --to YYYY-MM-DD\n"
	"      --date-format mdy|dmy|iso --returns FILE -o FILE\n"
	"\n"
	"options:\n"
	"  -c, --config FILE    configuration file (see dw.yaml(5))\n"
	"  -F, --format FORMAT  table, tsv, csv, json or jsonl\n"
	"      --no-header      omit the header line\n"
	"      --set KEY=VALUE  override a configuration key, e.g. warehouse.port=3307\n"
	"  -q, --quiet          only errors\n"
	"  -v, --verbose        more detail (repeatable)\n"
	"  -h, --help           this help\n"
	"  -V, --version        print the version\n";

enum {
	OPT_NO_HEADER = 256, OPT_SET, OPT_DRY_RUN, OPT_DATE_FORMAT, OPT_REJECTS, OPT_MAX_REJECTS,
	OPT_ORDERS, OPT_SEED, OPT_FROM, OPT_TO, OPT_RETURNS, OPT_FULL, OPT_MAX_LAG, OPT_RUNS,
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "config", required_argument, NULL, 'c' },
	{ "format", required_argument, NULL, 'F' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "output", required_argument, NULL, 'o' },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "set", required_argument, NULL, OPT_SET },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "date-format", required_argument, NULL, OPT_DATE_FORMAT },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "max-rejects", required_argument, NULL, OPT_MAX_REJECTS },
	{ "orders", required_argument, NULL, OPT_ORDERS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "returns", required_argument, NULL, OPT_RETURNS },
	{ "full", no_argument, NULL, OPT_FULL },
	{ "max-lag", required_argument, NULL, OPT_MAX_LAG },
	{ "runs", required_argument, NULL, OPT_RUNS },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	const char *config;
	enum dw_out_format format;
	int header;
	int verbosity;
	int dry_run;
	int full;
	const char *max_lag;
	const char *runs;
	const char *sets[32];
	int nsets;
	const char *date_format;
	const char *rejects;
	const char *max_rejects;
	const char *output;
	const char *returns;
	struct dw_gen_opts gen;
	const char *command;
	char **args;
	int nargs;
	/* which command-specific options were given, to refuse misplaced ones */
	unsigned used;
};

enum used_bits { U_DRY = 1, U_IMPORT = 2, U_GEN = 4, U_RUN = 8, U_STATUS = 16 };

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "dw-etl: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nhint: see 'dw-etl --help'\n");
	return DW_EX_USAGE;
}

static int parse_ymd(const char *s, int *y, int *m, int *d)
{
	return dw_date_parse(s, DW_DATE_YMD, y, m, d);
}

static int parse_number(const char *s, long long min, long long *out)
{
	char *end;

	*out = strtoll(s, &end, 10);
	return end == s || *end || *out < min ? -1 : 0;
}

/* Options for generate; returns 0 or an exit code. */
static int gen_option(struct opts *o, int c, const char *arg)
{
	struct dw_gen_opts *g = &o->gen;
	long long n;

	o->used |= U_GEN;
	switch (c) {
	case OPT_ORDERS:
		if (parse_number(arg, 0, &n) < 0)
			return usage_error("--orders: expected a number of orders, got '%s'", arg);
		g->orders = n;
		return 0;
	case OPT_SEED:
		if (parse_number(arg, 0, &n) < 0)
			return usage_error("--seed: expected a non-negative number, got '%s'", arg);
		g->seed = (unsigned long long)n;
		return 0;
	case OPT_FROM:
		if (parse_ymd(arg, &g->from_year, &g->from_month, &g->from_day) < 0)
			return usage_error("--from: expected a date YYYY-MM-DD, got '%s'", arg);
		return 0;
	case OPT_TO:
		if (parse_ymd(arg, &g->to_year, &g->to_month, &g->to_day) < 0)
			return usage_error("--to: expected a date YYYY-MM-DD, got '%s'", arg);
		return 0;
	case OPT_RETURNS:
		o->returns = arg;
		return 0;
	case 'o':
		o->output = arg;
		return 0;
	}
	return DW_EX_SOFTWARE;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	struct dw_err err;
	int c, rc;

	memset(o, 0, sizeof *o);
	o->header = 1;
	dw_gen_opts_init(&o->gen);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVc:F:qvo:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case 'V':
			printf("dw-etl %s\n", DW_VERSION);
			exit(0);
		case 'c': o->config = optarg; break;
		case 'F':
			if (dw_out_parse_format(optarg, &o->format, &err) < 0)
				return usage_error("%s", err.msg);
			break;
		case 'q': o->verbosity = -1; break;
		case 'v': o->verbosity = o->verbosity < 0 ? 1 : o->verbosity + 1; break;
		case OPT_NO_HEADER: o->header = 0; break;
		case OPT_SET:
			if (o->nsets == 32)
				return usage_error("%s", "too many --set options");
			o->sets[o->nsets++] = optarg;
			break;
		case OPT_DRY_RUN: o->dry_run = 1; o->used |= U_DRY; break;
		case OPT_FULL: o->full = 1; o->used |= U_RUN; break;
		case OPT_MAX_LAG: o->max_lag = optarg; o->used |= U_STATUS; break;
		case OPT_RUNS: o->runs = optarg; o->used |= U_STATUS; break;
		case OPT_DATE_FORMAT: o->date_format = optarg; break;
		case OPT_REJECTS: o->rejects = optarg; o->used |= U_IMPORT; break;
		case OPT_MAX_REJECTS: o->max_rejects = optarg; o->used |= U_IMPORT; break;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		case '?':
			return usage_error("unknown option '%s'", argv[optind - 1]);
		default:
			if ((rc = gen_option(o, c, optarg)) != 0)
				return rc;
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no command given (init, import or generate)");
	o->command = argv[optind];
	o->args = argv + optind + 1;
	o->nargs = argc - optind - 1;
	return 0;
}

/* Loads the config and applies --set overrides. */
static int load_config(const struct opts *o, struct dw_config *cfg, struct dw_err *err)
{
	if (dw_config_load(cfg, o->config, err) < 0)
		return -1;
	return dw_config_apply_sets(cfg, o->sets, o->nsets, err);
}

/* Connects to the OLTP database, then the warehouse. Both pointers are
 * set (NULL on failure) so the caller can close both either way. */
static int open_both(const struct dw_config *cfg, struct dw_db **pg, struct dw_db **my,
		     struct dw_err *err)
{
	*my = NULL;
	*pg = dw_db_pg_open(&cfg->oltp, "oltp", err);
	if (*pg)
		*my = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	return *pg && *my ? 0 : -1;
}

static int cmd_init(const struct opts *o, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_init_side oltp = { 0, 0 }, dw = { 0, 0 };
	struct dw_db *pg = NULL, *my = NULL;
	int rc = -1;

	if (o->nargs)
		return dw_err_set(err, DW_EX_USAGE, "init takes no arguments");
	if (open_both(cfg, &pg, &my, err) == 0)
		rc = dw_init_run(pg, my, o->dry_run ? stdout : NULL, &oltp, &dw, err);
	if (rc == 0) {
		dw_log_verbose(1, "oltp: schema version %d%s", oltp.to_version,
			       oltp.to_version == oltp.from_version ? " (up to date)" : "");
		dw_log_verbose(1, "warehouse: schema version %d%s", dw.to_version,
			       dw.to_version == dw.from_version ? " (up to date)" : "");
	}
	dw_db_close(pg);
	dw_db_close(my);
	return rc;
}

/* One line of counts: a name, an optional second text column, numbers. */
struct count_row {
	const char *name, *text;
	long long n[4];
};

/* Prints rows whose first ntext columns are text and the next nnum numbers. */
static int print_count_rows(const struct opts *o, const char *const *cols, int ntext, int nnum,
			    const struct count_row *rows, int nrows, struct dw_err *err)
{
	struct dw_out *out = dw_out_new(stdout, o->format, o->header);
	int rc = 0;

	if (!out)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	for (int c = 0; c < ntext + nnum; c++)
		dw_out_column(out, cols[c], c < ntext ? DW_OUT_TEXT : DW_OUT_NUMBER);
	for (int i = 0; i < nrows && rc == 0; i++) {
		char v[4][24];
		const char *row[6] = { rows[i].name, rows[i].text };

		for (int k = 0; k < nnum; k++) {
			snprintf(v[k], sizeof v[k], "%lld", rows[i].n[k]);
			row[ntext + k] = v[k];
		}
		rc = dw_out_row(out, row, err);
	}
	if (rc == 0)
		rc = dw_out_end(out, err);
	dw_out_free(out);
	return rc;
}

static int print_import_counts(const struct opts *o, const struct dw_import_result *r,
			       struct dw_err *err)
{
	static const char *const cols[] = { "table", "inserted", "updated", "unchanged", "rejected" };
	struct count_row rows[DW_IMP_NTABLES];

	for (int t = 0; t < DW_IMP_NTABLES; t++) {
		const struct dw_import_count *c = &r->t[t];

		rows[t] = (struct count_row){ c->table, NULL,
					      { c->inserted, c->updated, c->unchanged, c->rejected } };
	}
	return print_count_rows(o, cols, 1, 4, rows, DW_IMP_NTABLES, err);
}

static void log_import_counts(const struct dw_import_result *r)
{
	for (int t = 0; t < DW_IMP_NTABLES; t++)
		dw_log_verbose(1, "%s: %lld inserted, %lld updated, %lld unchanged, %lld rejected",
			       r->t[t].table, r->t[t].inserted, r->t[t].updated, r->t[t].unchanged,
			       r->t[t].rejected);
}

static int import_options(const struct opts *o, const struct dw_config *cfg,
			  struct dw_import_opts *io, struct dw_err *err)
{
	const char *fmt = o->date_format ? o->date_format : cfg->import.date_format;
	long long max = cfg->import.max_rejects;

	if (o->nargs < 1 || o->nargs > 2)
		return dw_err_set(err, DW_EX_USAGE, "import needs ORDERS.csv and optionally RETURNS.csv");
	memset(io, 0, sizeof *io);
	io->orders_path = o->args[0];
	io->returns_path = o->nargs > 1 ? o->args[1] : NULL;
	io->rejects_path = o->rejects;
	io->dry_run = o->dry_run;
	io->date_format = dw_date_fmt_parse(fmt);
	if (!io->date_format)
		return dw_err_set(err, DW_EX_USAGE,
				  "unknown date format '%s' (expected auto, mdy, dmy or ymd)", fmt);
	if (o->max_rejects && parse_number(o->max_rejects, 0, &max) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--max-rejects: expected a number, got '%s'",
				  o->max_rejects);
	io->max_rejects = (long)max;
	return 0;
}

static int cmd_import(const struct opts *o, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_import_opts io;
	struct dw_import_result r;
	struct dw_db *pg;
	int rc;

	if (import_options(o, cfg, &io, err) < 0)
		return -1;
	pg = dw_db_pg_open(&cfg->oltp, "oltp", err);
	if (!pg)
		return -1;
	rc = dw_import_run(pg, &io, &r, err);
	dw_db_close(pg);
	if (r.rejects_path[0])
		dw_log_warn("%lld line%s rejected; see '%s'", r.rejected, r.rejected == 1 ? "" : "s",
			    r.rejects_path);
	if (rc < 0)
		return -1;
	if (io.date_format == DW_DATE_ANY)
		dw_log_verbose(1, "dates read as %s%s", dw_date_fmt_name(r.date_format),
			       r.date_format_guessed ? " (every date was ambiguous)" : "");
	log_import_counts(&r);
	return o->format != DW_OUT_AUTO ? print_import_counts(o, &r, err) : 0;
}

static int print_sync_counts(const struct opts *o, const struct dw_sync_result *r,
			     struct dw_err *err)
{
	static const char *const cols[] = { "table", "from", "extracted", "merged", "deleted" };
	struct count_row rows[DW_SYNC_MAX_TABLES];

	for (int i = 0; i < r->ntables; i++) {
		const struct dw_sync_table *t = &r->t[i];

		rows[i] = (struct count_row){ t->name, t->from[0] ? t->from : NULL,
					      { t->extracted, t->merged, t->deleted, 0 } };
	}
	return print_count_rows(o, cols, 2, 3, rows, r->ntables, err);
}

static void log_sync(const struct opts *o, const struct dw_sync_result *r)
{
	for (int i = 0; i < r->ntables; i++) {
		const struct dw_sync_table *t = &r->t[i];

		dw_log_verbose(1, "%s: %lld extracted, %lld merged, %lld deleted in %.3fs",
			       t->name, t->extracted, t->merged, t->deleted, t->seconds);
	}
	dw_log_verbose(1, "%s up to %s UTC in %.3fs", o->dry_run ? "would sync" : "synced",
		       r->t0, r->seconds);
}

static int cmd_run(const struct opts *o, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_sync_opts so = { o->full, o->dry_run, cfg->etl.safety_lag_ms,
				   cfg->etl.fiscal_year_start };
	struct dw_sync_result r;
	struct dw_db *pg = NULL, *my = NULL;
	int rc = -1;

	if (o->nargs)
		return dw_err_set(err, DW_EX_USAGE, "run takes no arguments");
	if (open_both(cfg, &pg, &my, err) == 0)
		rc = dw_sync_run(pg, my, &so, &r, err);
	dw_db_close(pg);
	dw_db_close(my);
	if (rc < 0)
		return -1;
	if (r.lag_fallback)
		dw_log_warn("the ETL role cannot see other sessions (needs pg_read_all_stats); "
			    "synced up to now minus etl.safety_lag");
	log_sync(o, &r);
	return o->format != DW_OUT_AUTO || o->dry_run ? print_sync_counts(o, &r, err) : 0;
}

/* Exit 1 (with one line on stderr) when the last run failed or lag is
 * above --max-lag; 0 when healthy. */
static int status_verdict(const struct opts *o, const struct dw_status_health *h,
			  struct dw_err *err)
{
	long max_ms = -1;

	if (o->max_lag && dw_config_duration_ms(o->max_lag, &max_ms) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--max-lag: expected a duration like 90s or 5m, "
				  "got '%s'", o->max_lag);
	if (!h->runs)
		return dw_err_set(err, DW_EX_NEGATIVE, "no dw-etl run has been recorded yet");
	if (h->last_failed)
		return dw_err_set(err, DW_EX_NEGATIVE, "the last run failed: %s", h->last_error);
	if (max_ms >= 0 && h->max_lag_s * 1000 > max_ms)
		return dw_err_set(err, DW_EX_NEGATIVE, "lag %.1fs exceeds --max-lag %s",
				  h->max_lag_s, o->max_lag);
	return 0;
}

static int cmd_status(const struct opts *o, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_status_health h;
	struct dw_rows *rows = NULL;
	struct dw_db *my;
	long long limit = 0;
	int rc = -1;

	if (o->nargs)
		return dw_err_set(err, DW_EX_USAGE, "status takes no arguments");
	if (o->runs && parse_number(o->runs, 1, &limit) < 0)
		return dw_err_set(err, DW_EX_USAGE, "--runs: expected a number, got '%s'", o->runs);
	my = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	if (my)
		rows = o->runs ? dw_status_runs(my, (long)limit, err) : dw_status_tables(my, err);
	if (rows && dw_out_rows(rows, stdout, o->format, o->header, err) >= 0)
		rc = dw_status_health(my, &h, err);
	dw_rows_free(rows);
	dw_db_close(my);
	return rc < 0 ? -1 : status_verdict(o, &h, err);
}

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void report_cycle(void *arg, const struct dw_sync_result *r)
{
	static int warned;

	if (r->lag_fallback && !warned++)
		dw_log_warn("the ETL role cannot see other sessions (needs pg_read_all_stats); "
			    "syncing up to now minus etl.safety_lag");
	log_sync(arg, r);
}

static int cmd_follow(const struct opts *o, struct dw_config *cfg, struct dw_err *err)
{
	struct dw_follow_opts fo = {
		{ 0, 0, cfg->etl.safety_lag_ms, cfg->etl.fiscal_year_start },
		cfg->etl.poll_interval_ms, cfg->etl.debounce_ms, 30000,
	};
	struct sigaction sa;

	if (o->nargs)
		return dw_err_set(err, DW_EX_USAGE, "follow takes no arguments");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;   /* no SA_RESTART: a signal ends the wait */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return dw_follow_run(cfg, &fo, &stop_requested, report_cycle, (void *)o, err);
}

static int cmd_generate(struct opts *o, struct dw_err *err)
{
	FILE *orders = stdout, *returns = NULL;
	long long lines = 0;
	int rc;

	if (o->nargs)
		return dw_err_set(err, DW_EX_USAGE, "generate takes options only");
	if (o->date_format)
		o->gen.date_format = o->date_format;
	if (o->output && !(orders = fopen(o->output, "w")))
		return dw_err_set(err, DW_EX_IOERR, "cannot write '%s'", o->output);
	if (o->returns && !(returns = fopen(o->returns, "w"))) {
		if (orders != stdout)
			fclose(orders);
		return dw_err_set(err, DW_EX_IOERR, "cannot write '%s'", o->returns);
	}
	rc = dw_gen_write(&o->gen, orders, returns, &lines, err);
	if ((orders != stdout && fclose(orders) != 0) || (returns && fclose(returns) != 0) ||
	    (orders == stdout && fflush(stdout) != 0)) {
		if (rc == 0)
			rc = dw_err_set(err, DW_EX_IOERR, "write failed");
	}
	if (rc == 0)
		dw_log_verbose(1, "%lld orders, %lld lines", o->gen.orders, lines);
	return rc;
}

/* Refuses options that belong to another command. */
static int check_options(const struct opts *o, struct dw_err *err)
{
	int is_import = !strcmp(o->command, "import"), is_gen = !strcmp(o->command, "generate");

	if ((o->used & U_GEN) && !is_gen)
		return dw_err_set(err, DW_EX_USAGE, "generate options given to '%s'", o->command);
	if ((o->used & U_RUN) && strcmp(o->command, "run"))
		return dw_err_set(err, DW_EX_USAGE, "--full is an option of 'run', not '%s'", o->command);
	if ((o->used & U_STATUS) && strcmp(o->command, "status"))
		return dw_err_set(err, DW_EX_USAGE, "status options given to '%s'", o->command);
	if ((o->used & U_DRY) && (!strcmp(o->command, "status") || !strcmp(o->command, "follow")))
		return dw_err_set(err, DW_EX_USAGE, "%s has no --dry-run", o->command);
	if ((o->used & U_IMPORT) && !is_import)
		return dw_err_set(err, DW_EX_USAGE, "import options given to '%s'", o->command);
	if ((o->used & U_DRY) && is_gen)
		return dw_err_set(err, DW_EX_USAGE, "generate has no --dry-run");
	return 0;
}

static const struct command {
	const char *name;
	int (*fn)(const struct opts *o, struct dw_config *cfg, struct dw_err *err);
} commands[] = {
	{ "init", cmd_init }, { "import", cmd_import }, { "run", cmd_run },
	{ "status", cmd_status }, { "follow", cmd_follow }, { NULL, NULL },
};

static int run(struct opts *o, struct dw_err *err)
{
	const struct command *c;
	struct dw_config cfg;
	int rc;

	if (check_options(o, err) < 0)
		return -1;
	if (!strcmp(o->command, "generate"))
		return cmd_generate(o, err);
	for (c = commands; c->name && strcmp(c->name, o->command); c++)
		;
	if (!c->name)
		return dw_err_set(err, DW_EX_USAGE, "unknown command '%s' (expected init, import, run, "
				  "status, follow or generate)", o->command);
	rc = load_config(o, &cfg, err);
	if (rc == 0)
		rc = c->fn(o, &cfg, err);
	dw_config_release(&cfg);
	return rc;
}

int main(int argc, char **argv)
{
	struct dw_err err;
	struct opts o;
	int rc;

	dw_err_clear(&err);
	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;
	dw_log_init("dw-etl", o.verbosity);
	if (run(&o, &err) < 0) {
		if (err.code == DW_EX_NEGATIVE) {
			/* A finding, not a failure: one line, no "error:" prefix. */
			fprintf(stderr, "dw-etl: %s\n", err.msg);
			return DW_EX_NEGATIVE;
		}
		if (err.code == DW_EX_USAGE && !err.hint[0])
			dw_err_hint(&err, "see 'dw-etl --help'");
		return dw_log_err(&err);
	}
	return 0;
}
