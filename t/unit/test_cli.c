/* Unit tests for lib/cli.c: the table-driven parser (common options, verb
 * options anywhere on the line, misplaced and unknown options, operands),
 * the help printed from the tables, dw_cli_main (help, version, the
 * configuration, exit statuses) and the error-to-exit mapping. */
#define _GNU_SOURCE   /* posix_openpt, ptsname */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

/* ---- a tool with verbs, and one without ---- */

static const struct dw_cli_opt load_opts[] = {
	{ "dry-run", 0, NULL, "change nothing" },
	{ "limit", 0, "N", "at most N" },
	{ 0 },
};

static const struct dw_cli_opt make_opts[] = {
	{ "seed", 0, "S", "seed" },
	{ "output", 'o', "FILE", "write to FILE" },
	{ "tag", 't', "TAG", "a tag (repeatable)" },
	{ "dry-run", 0, NULL, "only count,\nthen stop" },
	{ 0 },
};

static int runs;                     /* how often fake_run ran */
static const struct dw_config *seen_cfg;
static FILE *seen_out;

static int fake_run(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	runs++;
	seen_cfg = cfg;
	seen_out = cli->out;
	if (dw_cli_flag(cli, "dry-run"))
		return dw_err_set(err, DW_EX_NEGATIVE, "nothing to do");
	return 0;
}

/* Writes "pong" to the output; fails (65) with -F csv, after writing. */
static int ping_run(const struct dw_cli *cli, struct dw_config *cfg, struct dw_err *err)
{
	fputs("pong\n", cli->out);
	if (cli->format == DW_OUT_CSV)
		return dw_err_set(err, DW_EX_DATAERR, "no csv");
	return fake_run(cli, cfg, err);
}

static const struct dw_cli_verb verbs[] = {
	{ "load", "FILE [FILE]", 1, 2, 1, "load files", load_opts, fake_run },
	{ "make", NULL, 0, 0, DW_CLI_REPORTS, "make data", make_opts, fake_run },
	{ "ping", NULL, 0, 0, 0, "say hello", NULL, ping_run },
	{ 0 },
};

static const struct dw_cli_tool tool = { "dw-t", NULL, "a.b=1", verbs };

static const struct dw_cli_verb one_verb[] = {
	{ NULL, "[word ...]\n--list", 0, -1, 0, NULL, load_opts, fake_run },
	{ 0 },
};

static const struct dw_cli_tool plain = { "dw-p", "Does one thing.", NULL, one_verb };

/* ---- helpers ---- */

/* Parses argv, which ends with NULL, expecting rc. */
static void parse(struct dw_cli *cli, const struct dw_cli_tool *t, char **argv, int argc,
		  int want_rc, struct dw_err *err)
{
	dw_err_clear(err);
	assert_int_equal(dw_cli_parse(cli, t, argc, argv, err), want_rc);
}

static void expect_usage(const struct dw_cli_tool *t, char **argv, int argc, const char *msg)
{
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, t, argv, argc, -1, &err);
	assert_int_equal(err.code, DW_EX_USAGE);
	assert_string_equal(err.msg, msg);
}

/* Redirects fd 2 to a temporary file. No assertion may fail between
 * cap_begin and cap_end: it would longjmp with stderr still captured. */
struct capture {
	FILE *f;
	int saved;
};

static void cap_begin(struct capture *c)
{
	c->f = tmpfile();
	assert_non_null(c->f);
	fflush(stderr);
	c->saved = dup(STDERR_FILENO);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->f), STDERR_FILENO) >= 0);
}

/* Restores fd 2; returns what was written there, which the caller frees. */
static char *cap_end(struct capture *c)
{
	long len;
	char *buf;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	len = ftell(c->f);
	rewind(c->f);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, c->f), (size_t)len);
	fclose(c->f);
	return buf;
}

/* Runs dw_cli_main with stdout and stderr captured; returns the status. */
static int run_main(const struct dw_cli_tool *t, char **argv, int argc, char **out, char **errout)
{
	struct capture c;
	size_t len;
	FILE *o = open_memstream(out, &len);
	int rc;

	assert_non_null(o);
	cap_begin(&c);
	rc = dw_cli_main(t, argc, argv, o);
	*errout = cap_end(&c);
	fclose(o);
	return rc;
}

/* dw_cli_error's status for err, and what it printed (caller frees). */
static int error_of(const struct dw_err *err, char **printed)
{
	struct capture c;
	int rc;

	cap_begin(&c);
	rc = dw_cli_error(err);
	*printed = cap_end(&c);
	return rc;
}

static int reset(void **state)
{
	runs = 0;
	seen_cfg = NULL;
	seen_out = NULL;
	dw_log_init("dw", 0);
	return 0;
}

/* ---- parsing ---- */

static void test_common_options(void **state)
{
	char *argv[] = { "dw-t", "-c", "x.yaml", "-F", "json", "--no-header", "--set", "a.b=1",
			 "ping", "--set=c.d=2", "-vv", "-q", "-v", NULL };
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &tool, argv, ARGC(argv), 0, &err);
	assert_ptr_equal(cli.verb, &verbs[2]);
	assert_string_equal(cli.config, "x.yaml");
	assert_int_equal(cli.format, DW_OUT_JSON);
	assert_int_equal(cli.header, 0);
	assert_int_equal(cli.nsets, 2);
	assert_string_equal(cli.sets[0], "a.b=1");
	assert_string_equal(cli.sets[1], "c.d=2");
	assert_int_equal(cli.verbosity, 1);   /* -q then -v: verbose again */
	assert_int_equal(cli.nargs, 0);
	assert_int_equal(cli.csv_safe, DW_OUT_CSV_SAFE_AUTO);
}

/* --csv-safe and --no-csv-safe: the last one given wins. */
static void test_csv_safe_options(void **state)
{
	char *on[] = { "dw-t", "--no-csv-safe", "ping", "--csv-safe", NULL };
	char *off[] = { "dw-t", "--csv-safe", "ping", "--no-csv-safe", NULL };
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &tool, on, ARGC(on), 0, &err);
	assert_int_equal(cli.csv_safe, DW_OUT_CSV_SAFE_ON);
	parse(&cli, &tool, off, ARGC(off), 0, &err);
	assert_int_equal(cli.csv_safe, DW_OUT_CSV_SAFE_OFF);
}

/* -F tap and junit for a verb that writes test reports. */
static void test_report_formats(void **state)
{
	char *tap[] = { "dw-t", "make", "-F", "tap", NULL };
	char *junit[] = { "dw-t", "-F", "junit", "make", NULL };
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &tool, tap, ARGC(tap), 0, &err);
	assert_int_equal(cli.format, DW_OUT_TAP);
	parse(&cli, &tool, junit, ARGC(junit), 0, &err);
	assert_int_equal(cli.format, DW_OUT_JUNIT);
}

static void test_defaults(void **state)
{
	char *argv[] = { "dw-t", "ping", NULL };
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &tool, argv, ARGC(argv), 0, &err);
	assert_null(cli.config);
	assert_int_equal(cli.format, DW_OUT_AUTO);
	assert_int_equal(cli.header, 1);
	assert_int_equal(cli.verbosity, 0);
	assert_int_equal(cli.nsets, 0);
	assert_int_equal(cli.ngiven, 0);
}

static void test_verb_options_anywhere(void **state)
{
	char *argv[] = { "dw-t", "--seed", "7", "-ofile.csv", "make", "-t", "a", "--tag=b",
			 "--seed", "8", "--dry-run", NULL };
	const char *tags[4];
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &tool, argv, ARGC(argv), 0, &err);
	assert_ptr_equal(cli.verb, &verbs[1]);
	assert_string_equal(dw_cli_value(&cli, "seed"), "8");   /* the last one wins */
	assert_string_equal(dw_cli_value(&cli, "output"), "file.csv");
	assert_int_equal(dw_cli_flag(&cli, "dry-run"), 1);
	assert_string_equal(dw_cli_value(&cli, "dry-run"), "");
	assert_null(dw_cli_value(&cli, "limit"));
	assert_int_equal(dw_cli_flag(&cli, "limit"), 0);
	assert_int_equal(dw_cli_values(&cli, "tag", tags, 4), 2);
	assert_string_equal(tags[0], "a");
	assert_string_equal(tags[1], "b");
	assert_int_equal(dw_cli_values(&cli, "tag", tags, 1), 1);
}

static void test_operands(void **state)
{
	char *argv[] = { "dw-t", "load", "a.csv", "--limit", "3", "b.csv", NULL };
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &tool, argv, ARGC(argv), 0, &err);
	assert_ptr_equal(cli.verb, &verbs[0]);
	assert_int_equal(cli.nargs, 2);
	assert_string_equal(cli.args[0], "a.csv");
	assert_string_equal(cli.args[1], "b.csv");
	assert_string_equal(dw_cli_value(&cli, "limit"), "3");
}

static void test_no_verbs(void **state)
{
	char *argv[] = { "dw-p", "total", "--limit", "2", "sales", NULL };
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &plain, argv, ARGC(argv), 0, &err);
	assert_ptr_equal(cli.verb, &one_verb[0]);
	assert_int_equal(cli.nargs, 2);
	assert_string_equal(cli.args[0], "total");
	assert_string_equal(cli.args[1], "sales");
	assert_string_equal(dw_cli_value(&cli, "limit"), "2");
}

static void test_help_and_version_asked(void **state)
{
	char *help[] = { "dw-t", "-q", "--help", "--bogus", NULL };
	char *version[] = { "dw-t", "-V", NULL };
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &tool, help, ARGC(help), 1, &err);
	assert_int_equal(cli.asked, 'h');
	parse(&cli, &tool, version, ARGC(version), 1, &err);
	assert_int_equal(cli.asked, 'V');
}

static void test_usage_errors(void **state)
{
	char *bogus[] = { "dw-t", "--bogus", "ping", NULL };
	char *bad_letter[] = { "dw-t", "-qx", "ping", NULL };
	char *no_value[] = { "dw-t", "ping", "-c", NULL };
	char *no_long_value[] = { "dw-t", "make", "--seed", NULL };
	char *misplaced[] = { "dw-t", "--limit", "3", "ping", NULL };
	char *misplaced_flag[] = { "dw-t", "load", "x", "-t", "y", NULL };
	char *no_verb[] = { "dw-t", "-v", NULL };
	char *bad_verb[] = { "dw-t", "frob", NULL };
	char *bad_format[] = { "dw-t", "-F", "xml", "ping", NULL };
	char *no_report[] = { "dw-t", "-F", "junit", "ping", NULL };
	char *too_many[] = { "dw-t", "ping", "x", NULL };
	char *too_few[] = { "dw-t", "load", NULL };

	expect_usage(&tool, bogus, ARGC(bogus), "unknown option '--bogus'");
	expect_usage(&tool, bad_letter, ARGC(bad_letter), "unknown option '-x'");
	expect_usage(&tool, no_value, ARGC(no_value), "option '-c' needs a value");
	expect_usage(&tool, no_long_value, ARGC(no_long_value), "option '--seed' needs a value");
	expect_usage(&tool, misplaced, ARGC(misplaced), "'ping' has no option '--limit'");
	expect_usage(&tool, misplaced_flag, ARGC(misplaced_flag),
		     "'load' has no option '--tag'");
	expect_usage(&tool, no_verb, ARGC(no_verb),
		     "no command given (expected load, make or ping)");
	expect_usage(&tool, bad_verb, ARGC(bad_verb),
		     "unknown command 'frob' (expected load, make or ping)");
	expect_usage(&tool, bad_format, ARGC(bad_format),
		     "unknown format 'xml' (expected table, tsv, csv, json, jsonl, xlsx, tap or "
		     "junit)");
	expect_usage(&tool, no_report, ARGC(no_report),
		     "'ping' writes no test report (-F tap or junit)");
	expect_usage(&tool, too_many, ARGC(too_many), "'ping' takes no arguments");
	expect_usage(&tool, too_few, ARGC(too_few), "'load' takes the arguments FILE [FILE]");
}

static void test_table_clash(void **state)
{
	static const struct dw_cli_opt taken_letter[] = { { "cfg", 'c', "F", "x" }, { 0 } };
	static const struct dw_cli_opt other_arg[] = { { "dry-run", 0, "X", "x" }, { 0 } };
	static const struct dw_cli_verb bad1[] = {
		{ "a", NULL, 0, 0, 0, "a", taken_letter, fake_run }, { 0 },
	};
	static const struct dw_cli_verb bad2[] = {
		{ "a", NULL, 0, 0, 0, "a", load_opts, fake_run },
		{ "b", NULL, 0, 0, 0, "b", other_arg, fake_run }, { 0 },
	};
	const struct dw_cli_tool t1 = { "t", NULL, NULL, bad1 }, t2 = { "t", NULL, NULL, bad2 };
	char *argv[] = { "t", "a", NULL };
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &t1, argv, ARGC(argv), -1, &err);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_string_equal(err.msg, "option tables: '--cfg' clashes with '--config'");
	parse(&cli, &t2, argv, ARGC(argv), -1, &err);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
}

static void test_parse_twice(void **state)
{
	/* getopt's state is global: a second parse starts afresh */
	char *a[] = { "dw-t", "-ox", "make", NULL };
	char *b[] = { "dw-t", "make", "-oy", NULL };
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &tool, a, ARGC(a), 0, &err);
	assert_string_equal(dw_cli_value(&cli, "output"), "x");
	parse(&cli, &tool, b, ARGC(b), 0, &err);
	assert_string_equal(dw_cli_value(&cli, "output"), "y");
}

/* ---- help ---- */

static char *help_of(const struct dw_cli_tool *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	dw_cli_help(t, fp);
	fclose(fp);
	return buf;
}

static const char common_help[] =
	"  -c, --config FILE           configuration file (see dw.yaml(5))\n"
	"  -F, --format FORMAT         table, tsv, csv, json, jsonl or xlsx;\n"
	"                              tap or junit: a test report, where the\n"
	"                              command writes one\n"
	"  -o, --output FILE           write the output to FILE, whole or not at all;\n"
	"                              -F xlsx needs it when standard output is a\n"
	"                              terminal\n"
	"      --no-header             omit the header line\n"
	"      --csv-safe              put a ' before CSV cells a spreadsheet would\n"
	"                              run as formulas (=, +, -, @); the default on\n"
	"                              a terminal and in CSV files the tool writes\n"
	"      --no-csv-safe           write such cells as they are\n"
	"      --set KEY=VALUE         override a configuration key%s\n"
	"  -q, --quiet                 only errors\n"
	"  -v, --verbose               more detail (repeatable)\n"
	"  -h, --help                  this help\n"
	"  -V, --version               print the version\n";

static void test_help_verbs(void **state)
{
	char want[4096];
	char *got = help_of(&tool);
	int n = snprintf(want, sizeof want, "%s",
		"usage: dw-t [options] command [arguments]\n"
		"\n"
		"commands:\n"
		"  load FILE [FILE]            load files\n"
		"        --dry-run             change nothing\n"
		"        --limit N             at most N\n"
		"  make                        make data\n"
		"        --seed S              seed\n"
		"    -o, --output FILE         write to FILE\n"
		"    -t, --tag TAG             a tag (repeatable)\n"
		"        --dry-run             only count,\n"
		"                              then stop\n"
		"  ping                        say hello\n"
		"\n"
		"options:\n");

	snprintf(want + n, sizeof want - n, common_help, ", e.g. a.b=1");
	assert_string_equal(got, want);
	free(got);
}

static void test_help_no_verbs(void **state)
{
	char want[4096];
	char *got = help_of(&plain);
	int n = snprintf(want, sizeof want, "%s",
		"usage: dw-p [options] [word ...]\n"
		"       dw-p [options] --list\n"
		"\n"
		"Does one thing.\n"
		"\n"
		"options:\n"
		"      --dry-run               change nothing\n"
		"      --limit N               at most N\n");

	snprintf(want + n, sizeof want - n, common_help, "");
	assert_string_equal(got, want);
	free(got);
}

static void test_help_long_left_part(void **state)
{
	static const struct dw_cli_opt wide[] = {
		{ "a-rather-long-option", 0, "VALUE", "wide" }, { 0 },
	};
	static const struct dw_cli_verb v[] = {
		{ NULL, NULL, 0, 0, 0, NULL, wide, fake_run }, { 0 },
	};
	const struct dw_cli_tool t = { "w", NULL, NULL, v };
	char *got = help_of(&t);

	assert_non_null(strstr(got, "usage: w [options]\n"));
	assert_non_null(strstr(got, "\n      --a-rather-long-option VALUE\n"
				    "                              wide\n"));
	free(got);
}

/* ---- dw_cli_main and dw_cli_error ---- */

static void test_main_help_version(void **state)
{
	char *help[] = { "dw-t", "ping", "--help", NULL };
	char *version[] = { "dw-t", "--version", NULL };
	char *out, *errout, *want = help_of(&tool);

	assert_int_equal(run_main(&tool, help, ARGC(help), &out, &errout), 0);
	assert_string_equal(out, want);
	assert_string_equal(errout, "");
	free(out);
	free(errout);
	assert_int_equal(run_main(&tool, version, ARGC(version), &out, &errout), 0);
	assert_string_equal(out, "dw-t " DW_VERSION "\n");
	assert_string_equal(errout, "");
	assert_int_equal(runs, 0);
	free(out);
	free(errout);
	free(want);
}

static void test_main_runs_verb(void **state)
{
	char *argv[] = { "dw-t", "ping", NULL };
	char *out, *errout;

	assert_int_equal(run_main(&tool, argv, ARGC(argv), &out, &errout), 0);
	assert_int_equal(runs, 1);
	assert_null(seen_cfg);            /* ping reads no configuration */
	assert_non_null(seen_out);
	assert_string_equal(errout, "");
	free(out);
	free(errout);
}

static void test_main_usage_error(void **state)
{
	char *argv[] = { "dw-t", "--bogus", NULL };
	char *out, *errout;

	assert_int_equal(run_main(&tool, argv, ARGC(argv), &out, &errout), DW_EX_USAGE);
	assert_string_equal(errout, "dw-t: error: unknown option '--bogus'\n"
				    "hint: see 'dw-t --help'\n");
	assert_string_equal(out, "");
	assert_int_equal(runs, 0);
	free(out);
	free(errout);
}

static void test_main_negative(void **state)
{
	char *argv[] = { "dw-t", "-q", "make", "--dry-run", NULL };
	char *out, *errout;

	assert_int_equal(run_main(&tool, argv, ARGC(argv), &out, &errout), DW_EX_NEGATIVE);
	assert_string_equal(errout, "dw-t: nothing to do\n");   /* even with -q */
	free(out);
	free(errout);
}

static void test_main_config(void **state)
{
	char path[] = "/tmp/test_cli.XXXXXX";
	int fd = mkstemp(path);
	char *missing[] = { "dw-t", "-c", "/nonexistent/dw.yaml", "load", "x", NULL };
	char *bad_set[] = { "dw-t", "-c", path, "--set", "warehouse.nosuch=1", "load", "x", NULL };
	char *good[] = { "dw-t", "-c", path, "--set", "warehouse.port=3307", "load", "x", NULL };
	char *out, *errout;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "warehouse:\n  port: 3306\n", 24), 24);
	close(fd);
	assert_int_equal(run_main(&tool, missing, ARGC(missing), &out, &errout), DW_EX_CONFIG);
	assert_non_null(strstr(errout, "dw-t: error: "));
	assert_non_null(strstr(errout, "/nonexistent/dw.yaml"));
	assert_int_equal(runs, 0);
	free(out);
	free(errout);
	assert_int_equal(run_main(&tool, bad_set, ARGC(bad_set), &out, &errout), DW_EX_USAGE);
	assert_int_equal(runs, 0);
	free(out);
	free(errout);
	assert_int_equal(run_main(&tool, good, ARGC(good), &out, &errout), 0);
	assert_int_equal(runs, 1);
	assert_non_null(seen_cfg);
	free(out);
	free(errout);
	unlink(path);
}

static void test_error_mapping(void **state)
{
	struct dw_err err;
	char *printed;

	dw_log_init("dw-t", 0);
	dw_err_set(&err, DW_EX_NEGATIVE, "lag 9s exceeds --max-lag 5s");
	assert_int_equal(error_of(&err, &printed), DW_EX_NEGATIVE);
	assert_string_equal(printed, "dw-t: lag 9s exceeds --max-lag 5s\n");
	free(printed);

	dw_err_set(&err, DW_EX_USAGE, "bad value");
	assert_int_equal(error_of(&err, &printed), DW_EX_USAGE);
	assert_string_equal(printed, "dw-t: error: bad value\nhint: see 'dw-t --help'\n");
	assert_string_equal(err.hint, "");   /* err itself is left as it was */
	free(printed);

	dw_err_hint(&err, "did you mean 'x'?");
	assert_int_equal(error_of(&err, &printed), DW_EX_USAGE);
	assert_string_equal(printed, "dw-t: error: bad value\nhint: did you mean 'x'?\n");
	free(printed);

	dw_err_set(&err, DW_EX_UNAVAILABLE, "cannot connect to 'warehouse'");
	dw_err_detail(&err, "refused");
	assert_int_equal(error_of(&err, &printed), DW_EX_UNAVAILABLE);
	assert_string_equal(printed,
			    "dw-t: error: cannot connect to 'warehouse'\ndetail: refused\n");
	free(printed);
}

/* ---- -o FILE ---- */

static void test_output_option(void **state)
{
	char *ping[] = { "dw-t", "ping", "-o", "f.txt", NULL };
	char *make[] = { "dw-t", "--output", "g.csv", "make", NULL };
	struct dw_cli cli;
	struct dw_err err;

	parse(&cli, &tool, ping, ARGC(ping), 0, &err);
	assert_string_equal(cli.output, "f.txt");
	assert_null(dw_cli_value(&cli, "output"));
	/* a verb that declares --output gets the value as its own */
	parse(&cli, &tool, make, ARGC(make), 0, &err);
	assert_null(cli.output);
	assert_string_equal(dw_cli_value(&cli, "output"), "g.csv");
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 256);

	assert_non_null(fp);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 255, fp) < 255);
	fclose(fp);
	return buf;
}

static void test_main_output_file(void **state)
{
	char dir[] = "/tmp/test_cli_o.XXXXXX", file[64], link[64], *text;
	char *argv[] = { "dw-t", "ping", "-o", file, NULL };
	char *failing[] = { "dw-t", "ping", "-F", "csv", "-o", file, NULL };
	char *via_link[] = { "dw-t", "ping", "-o", link, NULL };
	char *out, *errout;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof file, "%s/f", dir);
	snprintf(link, sizeof link, "%s/l", dir);
	assert_int_equal(run_main(&tool, argv, ARGC(argv), &out, &errout), 0);
	assert_string_equal(out, "");          /* the output went to the file */
	free(out);
	free(errout);
	text = slurp(file);
	assert_string_equal(text, "pong\n");
	free(text);
	/* a failed run leaves the file as it was */
	fd = open(file, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "old\n", 4), 4);
	close(fd);
	assert_int_equal(run_main(&tool, failing, ARGC(failing), &out, &errout), DW_EX_DATAERR);
	free(out);
	free(errout);
	text = slurp(file);
	assert_string_equal(text, "old\n");
	free(text);
	/* never through a symbolic link: 74, and the link's target untouched */
	assert_int_equal(symlink(file, link), 0);
	assert_int_equal(run_main(&tool, via_link, ARGC(via_link), &out, &errout), DW_EX_IOERR);
	assert_int_equal(runs, 1);
	free(out);
	free(errout);
	text = slurp(file);
	assert_string_equal(text, "old\n");
	free(text);
	unlink(link);
	unlink(file);
	rmdir(dir);
}

/* -F xlsx on a terminal without -o is a usage error; with -o it runs. */
static void test_main_xlsx_terminal(void **state)
{
	char dir[] = "/tmp/test_cli_x.XXXXXX", file[64];
	char *bare[] = { "dw-t", "ping", "-F", "xlsx", NULL };
	char *to_file[] = { "dw-t", "ping", "-F", "xlsx", "-o", file, NULL };
	int master = posix_openpt(O_RDWR | O_NOCTTY), rc;
	FILE *tty;
	struct capture c;
	char *errout;

	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	tty = fopen(ptsname(master), "w");
	assert_non_null(tty);
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof file, "%s/f.xlsx", dir);
	cap_begin(&c);
	rc = dw_cli_main(&tool, ARGC(bare), bare, tty);
	errout = cap_end(&c);
	assert_int_equal(rc, DW_EX_USAGE);
	assert_non_null(strstr(errout, "-F xlsx writes a workbook"));
	assert_int_equal(runs, 0);
	free(errout);
	cap_begin(&c);
	rc = dw_cli_main(&tool, ARGC(to_file), to_file, tty);
	errout = cap_end(&c);
	assert_int_equal(rc, 0);
	assert_int_equal(runs, 1);
	free(errout);
	fclose(tty);
	close(master);
	unlink(file);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_options),
		cmocka_unit_test(test_csv_safe_options),
		cmocka_unit_test(test_report_formats),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_verb_options_anywhere),
		cmocka_unit_test(test_operands),
		cmocka_unit_test(test_no_verbs),
		cmocka_unit_test(test_help_and_version_asked),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_table_clash),
		cmocka_unit_test(test_parse_twice),
		cmocka_unit_test(test_help_verbs),
		cmocka_unit_test(test_help_no_verbs),
		cmocka_unit_test(test_help_long_left_part),
		cmocka_unit_test_setup(test_main_help_version, reset),
		cmocka_unit_test_setup(test_main_runs_verb, reset),
		cmocka_unit_test_setup(test_main_usage_error, reset),
		cmocka_unit_test_setup(test_main_negative, reset),
		cmocka_unit_test_setup(test_main_config, reset),
		cmocka_unit_test_setup(test_error_mapping, reset),
		cmocka_unit_test(test_output_option),
		cmocka_unit_test_setup(test_main_output_file, reset),
		cmocka_unit_test_setup(test_main_xlsx_terminal, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
