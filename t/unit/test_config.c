/* Unit tests for lib/config.c: defaults, YAML values, typed keys, errors with
 * file:line, precedence, secrets, file permissions, lookup order, durations,
 * the dump, and the keys of the table against those man/dw.yaml.5 documents. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "err.h"

/* ---- helpers ------------------------------------------------------------ */

/* Every variable a test may set; unset before and after each test. */
static const char *const env_names[] = {
	"DW_CONFIG", "XDG_CONFIG_HOME",
	"DW_OLTP_CONNINFO", "DW_OLTP_PASSWORD", "DW_OLTP_PASSWORD_ENV", "DW_OLTP_PASSWORD_FILE",
	"DW_OLTP_CONNECT_TIMEOUT",
	"DW_WAREHOUSE_HOST", "DW_WAREHOUSE_PORT", "DW_WAREHOUSE_SOCKET", "DW_WAREHOUSE_USER",
	"DW_WAREHOUSE_PASSWORD", "DW_WAREHOUSE_PASSWORD_ENV", "DW_WAREHOUSE_PASSWORD_FILE",
	"DW_WAREHOUSE_DATABASE", "DW_WAREHOUSE_CONNECT_TIMEOUT", "DW_WAREHOUSE_LOCAL_INFILE",
	"DW_ETL_SAFETY_LAG", "DW_ETL_FISCAL_YEAR_START",
	"DW_IMPORT_DATE_FORMAT", "DW_IMPORT_MAX_REJECTS",
	"DW_TEST_SECRET", "DW_TEST_SECRET_UNSET",
};

/* Temporary files and directories, removed in reverse order by teardown. */
static char tmp_paths[32][PATH_MAX];
static int ntmp;
static char *saved_home;

static void clear_env(void)
{
	for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		unsetenv(env_names[i]);
}

static int setup(void **state)
{
	(void)state;
	clear_env();
	ntmp = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	clear_env();
	while (ntmp > 0)
		remove(tmp_paths[--ntmp]);
	if (saved_home) {
		setenv("HOME", saved_home, 1);
		free(saved_home);
		saved_home = NULL;
	}
	return 0;
}

static const char *tmp_base(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

static const char *track(const char *path)
{
	assert_true(ntmp < (int)(sizeof tmp_paths / sizeof tmp_paths[0]));
	snprintf(tmp_paths[ntmp], sizeof tmp_paths[ntmp], "%s", path);
	return tmp_paths[ntmp++];
}

/* A fresh temporary directory, removed by teardown. */
static const char *make_tmpdir(void)
{
	char tmpl[PATH_MAX];

	snprintf(tmpl, sizeof tmpl, "%s/dw-test-config-XXXXXX", tmp_base());
	assert_non_null(mkdtemp(tmpl));
	return track(tmpl);
}

/* Makes DIR/SUB (removed by teardown). */
static const char *make_subdir(const char *dir, const char *sub)
{
	char p[PATH_MAX];

	snprintf(p, sizeof p, "%s/%s", dir, sub);
	assert_int_equal(mkdir(p, 0700), 0);
	return track(p);
}

static void write_all(int fd, const char *content)
{
	size_t len = strlen(content);

	assert_int_equal(write(fd, content, len), (ssize_t)len);
}

/* Writes content to a new mkstemp file with the given mode. */
static const char *write_tmpfile(const char *content, mode_t mode)
{
	char tmpl[PATH_MAX];
	int fd;

	snprintf(tmpl, sizeof tmpl, "%s/dw-test-config-XXXXXX", tmp_base());
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	write_all(fd, content);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
	return track(tmpl);
}

/* Writes content to DIR/NAME with the given mode. */
static const char *write_file_at(const char *dir, const char *name, const char *content,
				 mode_t mode)
{
	char p[PATH_MAX];
	FILE *fp;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	fp = fopen(p, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(content, fp) >= 0, 1);
	assert_int_equal(fchmod(fileno(fp), mode), 0);
	assert_int_equal(fclose(fp), 0);
	return track(p);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("expected \"%s\" to contain \"%s\"", haystack, needle);
}

static void assert_not_contains(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle))
		fail_msg("expected \"%s\" not to contain \"%s\"", haystack, needle);
}

/* Loads yaml that must fail with code 78; the caller inspects err. */
static void load_fails(const char *yaml, const char *name, struct dw_err *err)
{
	struct dw_config cfg;

	dw_err_clear(err);
	assert_int_equal(dw_config_load_string(&cfg, yaml, name, err), -1);
	assert_int_equal(err->code, DW_EX_CONFIG);
	dw_config_release(&cfg);
}

static char *dump_to_string(const struct dw_config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	dw_config_dump(cfg, fp);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(buf);
	return buf;
}

/* ---- defaults and values ------------------------------------------------ */

static void test_defaults(void **state)
{
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg, "", "empty.yaml", &err), 0);
	assert_int_equal(err.code, 0);
	assert_null(cfg.path);
	assert_string_equal(cfg.oltp.conninfo, "");
	assert_null(cfg.oltp.password);
	assert_int_equal(cfg.oltp.connect_timeout, 10);
	assert_string_equal(cfg.warehouse.host, "127.0.0.1");
	assert_int_equal(cfg.warehouse.port, 3306);
	assert_string_equal(cfg.warehouse.socket, "");
	assert_string_equal(cfg.warehouse.user, "dw");
	assert_null(cfg.warehouse.password);
	assert_string_equal(cfg.warehouse.database, "dw");
	assert_int_equal(cfg.warehouse.connect_timeout, 10);
	assert_int_equal(cfg.warehouse.local_infile, 1);
	assert_int_equal(cfg.etl.safety_lag_ms, 5000);
	assert_int_equal(cfg.etl.fiscal_year_start, 1);
	assert_string_equal(cfg.import.date_format, "auto");
	assert_int_equal(cfg.import.max_rejects, -1);
	dw_config_release(&cfg);
	assert_null(cfg.warehouse.host);
	assert_null(cfg.import.date_format);
	dw_config_release(&cfg);   /* releasing twice is harmless */
}

static void test_empty_forms(void **state)
{
	static const char *const texts[] = {
		"# only a comment\n",
		"---\n",
		"warehouse:\n",
		"warehouse:\netl:\n",
		"{}\n",
	};
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		dw_err_clear(&err);
		if (dw_config_load_string(&cfg, texts[i], "e.yaml", &err) != 0)
			fail_msg("'%s' failed: %s", texts[i], err.msg);
		assert_int_equal(cfg.warehouse.port, 3306);
		assert_int_equal(cfg.etl.safety_lag_ms, 5000);
		dw_config_release(&cfg);
	}
}

static void test_values_from_string(void **state)
{
	const char *yaml =
		"# dw.yaml\n"
		"oltp:\n"
		"  conninfo: \"host=db dbname=shop\"\n"
		"  connect_timeout: 7\n"
		"warehouse:\n"
		"  host: wh.example\n"
		"  port: 3307\n"
		"  socket: /run/mysqld/mysqld.sock\n"
		"  user: loader\n"
		"  database: analytics\n"
		"  connect_timeout: 30\n"
		"  local_infile: false\n"
		"etl:\n"
		"  safety_lag: 500ms\n"
		"  fiscal_year_start: 4\n"
		"import:\n"
		"  date_format: dmy\n"
		"  max_rejects: 25\n";
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg, yaml, "v.yaml", &err), 0);
	assert_null(cfg.path);
	assert_string_equal(cfg.oltp.conninfo, "host=db dbname=shop");
	assert_int_equal(cfg.oltp.connect_timeout, 7);
	assert_string_equal(cfg.warehouse.host, "wh.example");
	assert_int_equal(cfg.warehouse.port, 3307);
	assert_string_equal(cfg.warehouse.socket, "/run/mysqld/mysqld.sock");
	assert_string_equal(cfg.warehouse.user, "loader");
	assert_string_equal(cfg.warehouse.database, "analytics");
	assert_int_equal(cfg.warehouse.connect_timeout, 30);
	assert_int_equal(cfg.warehouse.local_infile, 0);
	assert_int_equal(cfg.etl.safety_lag_ms, 500);
	assert_int_equal(cfg.etl.fiscal_year_start, 4);
	assert_string_equal(cfg.import.date_format, "dmy");
	assert_int_equal(cfg.import.max_rejects, 25);
	assert_null(cfg.warehouse.password);
	assert_null(cfg.oltp.password);
	dw_config_release(&cfg);
}

static void test_flow_style_and_later_wins(void **state)
{
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg,
		"warehouse: {host: a, port: 1}\n"
		"warehouse:\n"
		"  port: 2\n", "f.yaml", &err), 0);
	assert_string_equal(cfg.warehouse.host, "a");
	assert_int_equal(cfg.warehouse.port, 2);
	dw_config_release(&cfg);
}

static void test_durations_in_yaml(void **state)
{
	static const struct { const char *text; long ms; } cases[] = {
		{ "500ms", 500 }, { "2m", 120000 }, { "1h", 3600000 }, { "5s", 5000 },
		{ "1d", 86400000 }, { "7", 7000 }, { "0", 0 }, { "1.5s", 1500 },
		{ "\"250ms\"", 250 },
	};
	struct dw_config cfg;
	struct dw_err err;
	char yaml[128];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(yaml, sizeof yaml, "etl:\n  safety_lag: %s\n", cases[i].text);
		dw_err_clear(&err);
		if (dw_config_load_string(&cfg, yaml, "d.yaml", &err) != 0)
			fail_msg("'%s' failed: %s", cases[i].text, err.msg);
		assert_int_equal(cfg.etl.safety_lag_ms, cases[i].ms);
		dw_config_release(&cfg);
	}
}

static void test_bools_in_yaml(void **state)
{
	static const struct { const char *text; int v; } cases[] = {
		{ "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 }, { "on", 1 },
		{ "off", 0 }, { "1", 1 }, { "0", 0 }, { "False", 0 }, { "TRUE", 1 },
	};
	struct dw_config cfg;
	struct dw_err err;
	char yaml[128];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(yaml, sizeof yaml, "warehouse:\n  local_infile: %s\n", cases[i].text);
		dw_err_clear(&err);
		if (dw_config_load_string(&cfg, yaml, "b.yaml", &err) != 0)
			fail_msg("'%s' failed: %s", cases[i].text, err.msg);
		assert_int_equal(cfg.warehouse.local_infile, cases[i].v);
		dw_config_release(&cfg);
	}
}

static void test_int_ranges(void **state)
{
	static const char *const bad[] = {
		"warehouse:\n  port: 0\n",
		"warehouse:\n  port: 65536\n",
		"warehouse:\n  port: 12abc\n",
		"warehouse:\n  port: \"\"\n",
		"warehouse:\n  port: 99999999999999999999999\n",
		"etl:\n  fiscal_year_start: 13\n",
		"etl:\n  fiscal_year_start: 0\n",
		"oltp:\n  connect_timeout: 3601\n",
		"import:\n  max_rejects: -2\n",
		"import:\n  max_rejects: 1.5\n",
	};
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		dw_err_clear(&err);
		if (dw_config_load_string(&cfg, bad[i], "r.yaml", &err) != -1)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(err.code, DW_EX_CONFIG);
		assert_contains(err.msg, "r.yaml:2");
		dw_config_release(&cfg);
	}

	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg,
		"warehouse:\n  port: 65535\netl:\n  fiscal_year_start: 12\n"
		"import:\n  max_rejects: 0\n", "r.yaml", &err), 0);
	assert_int_equal(cfg.warehouse.port, 65535);
	assert_int_equal(cfg.etl.fiscal_year_start, 12);
	assert_int_equal(cfg.import.max_rejects, 0);
	dw_config_release(&cfg);

	assert_int_equal(dw_config_load_string(&cfg,
		"import:\n  max_rejects: 1000000000000\n", "r.yaml", &err), 0);
	assert_int_equal(cfg.import.max_rejects, 1000000000000L);
	dw_config_release(&cfg);
}

/* ---- errors with file:line ---------------------------------------------- */

static void test_wrong_type_int(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails("warehouse:\n"
		   "  host: h\n"
		   "\n"
		   "  port: abc\n", "site.yaml", &err);
	assert_contains(err.msg, "site.yaml:4");
	assert_contains(err.msg, "warehouse.port");
	assert_contains(err.msg, "'abc'");
}

static void test_wrong_type_bool_and_duration(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails("etl:\n"
		   "  fiscal_year_start: 2\n"
		   "warehouse:\n"
		   "  local_infile: maybe\n", "b.yaml", &err);
	assert_contains(err.msg, "b.yaml:4");
	assert_contains(err.msg, "warehouse.local_infile");
	assert_contains(err.msg, "maybe");

	load_fails("import:\n"
		   "  date_format: ymd\n"
		   "etl:\n"
		   "  fiscal_year_start: 2\n"
		   "  safety_lag: 5 minutes\n", "d.yaml", &err);
	assert_contains(err.msg, "d.yaml:5");
	assert_contains(err.msg, "etl.safety_lag");
	assert_contains(err.msg, "5 minutes");
}

static void test_unknown_key_hint(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails("warehouse:\n"
		   "  port: 3306\n"
		   "  hots: db.example\n", "dw.yaml", &err);
	assert_contains(err.msg, "dw.yaml:3");
	assert_contains(err.msg, "hots");
	assert_contains(err.msg, "unknown key");
	assert_contains(err.hint, "did you mean");
	assert_contains(err.hint, "'host'");

	/* Hints only name keys of the same section. */
	load_fails("etl:\n  safty_lag: 1s\n", "dw.yaml", &err);
	assert_contains(err.msg, "dw.yaml:2");
	assert_contains(err.hint, "'safety_lag'");

	/* Nothing close: no hint. */
	load_fails("\n\nimport:\n  zzzzzzzzzzzz: 1\n", "dw.yaml", &err);
	assert_contains(err.msg, "dw.yaml:4");
	assert_contains(err.msg, "zzzzzzzzzzzz");
	assert_string_equal(err.hint, "");

	/* A key that belongs to another section is still unknown here. */
	load_fails("etl:\n  port: 1\n", "dw.yaml", &err);
	assert_contains(err.msg, "dw.yaml:2");
	assert_contains(err.msg, "etl.port");
}

static void test_unknown_section(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails("etl:\n"
		   "  safety_lag: 1s\n"
		   "warehous:\n"
		   "  port: 1\n", "s.yaml", &err);
	assert_contains(err.msg, "s.yaml:3");
	assert_contains(err.msg, "unknown section");
	assert_contains(err.msg, "warehous");
	assert_contains(err.hint, "'warehouse'");

	load_fails("logging:\n  level: debug\n", "s.yaml", &err);
	assert_contains(err.msg, "s.yaml:1");
	assert_contains(err.msg, "logging");
	assert_string_equal(err.hint, "");
}

static void test_section_not_mapping(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails("oltp:\n"
		   "  connect_timeout: 5\n"
		   "warehouse: 3306\n", "m.yaml", &err);
	assert_contains(err.msg, "m.yaml:3");
	assert_contains(err.msg, "'warehouse'");
	assert_contains(err.msg, "mapping");

	load_fails("import:\n"
		   "  - max_rejects\n", "m.yaml", &err);
	assert_contains(err.msg, "m.yaml:2");
	assert_contains(err.msg, "'import'");

	/* A key's value must be a scalar. */
	load_fails("warehouse:\n"
		   "  port:\n"
		   "    - 1\n", "m.yaml", &err);
	assert_contains(err.msg, "m.yaml:3");
	assert_contains(err.msg, "warehouse.port");

	/* The top level must be a mapping. */
	load_fails("just a string\n", "m.yaml", &err);
	assert_contains(err.msg, "m.yaml:1");
	load_fails("\n- warehouse\n", "m.yaml", &err);
	assert_contains(err.msg, "m.yaml:2");
}

static void test_yaml_syntax_error(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails("warehouse:\n"
		   "  host: a\n"
		   "    port: 1\n", "y.yaml", &err);
	assert_contains(err.msg, "y.yaml:3");

	load_fails("etl:\n"
		   "  safety_lag: 1s\n"
		   "  fiscal_year_start: 2\n"
		   "\t- tab\n", "y.yaml", &err);
	assert_contains(err.msg, "y.yaml:4");

	/* A second document is not silently ignored. */
	load_fails("warehouse:\n"
		   "  port: 1\n"
		   "---\n"
		   "warehouse:\n"
		   "  hots: x\n", "y.yaml", &err);
	assert_contains(err.msg, "y.yaml:3");
	assert_contains(err.msg, "one YAML document");
	load_fails("---\n---\nwarehouse:\n  port: 1\n", "y.yaml", &err);
	assert_contains(err.msg, "y.yaml:2");

	load_fails("warehouse:\n"
		   "  host: \"unterminated\n"
		   "  port: 1\n", "y.yaml", &err);
	assert_contains(err.msg, "y.yaml:");
}

/* ---- precedence --------------------------------------------------------- */

static void test_env_overrides_file_set_overrides_env(void **state)
{
	const char *yaml = "warehouse:\n  port: 1111\n  host: file-host\netl:\n  safety_lag: 1s\n";
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg, yaml, "p.yaml", &err), 0);
	assert_int_equal(cfg.warehouse.port, 1111);
	dw_config_release(&cfg);

	setenv("DW_WAREHOUSE_PORT", "2222", 1);
	setenv("DW_WAREHOUSE_HOST", "env-host", 1);
	setenv("DW_ETL_SAFETY_LAG", "2m", 1);
	setenv("DW_WAREHOUSE_LOCAL_INFILE", "off", 1);
	setenv("DW_IMPORT_MAX_REJECTS", "3", 1);
	assert_int_equal(dw_config_load_string(&cfg, yaml, "p.yaml", &err), 0);
	assert_int_equal(cfg.warehouse.port, 2222);
	assert_string_equal(cfg.warehouse.host, "env-host");
	assert_int_equal(cfg.etl.safety_lag_ms, 120000);
	assert_int_equal(cfg.warehouse.local_infile, 0);
	assert_int_equal(cfg.import.max_rejects, 3);

	assert_int_equal(dw_config_set(&cfg, "warehouse.port", "3333", &err), 0);
	assert_int_equal(cfg.warehouse.port, 3333);
	assert_int_equal(dw_config_set(&cfg, "warehouse.host", "cli-host", &err), 0);
	assert_string_equal(cfg.warehouse.host, "cli-host");
	assert_int_equal(dw_config_set(&cfg, "etl.safety_lag", "1h", &err), 0);
	assert_int_equal(cfg.etl.safety_lag_ms, 3600000);
	assert_int_equal(dw_config_set(&cfg, "warehouse.local_infile", "yes", &err), 0);
	assert_int_equal(cfg.warehouse.local_infile, 1);
	dw_config_release(&cfg);

	/* The environment also overrides the defaults when there is no file. */
	assert_int_equal(dw_config_load_string(&cfg, "", "p.yaml", &err), 0);
	assert_int_equal(cfg.warehouse.port, 2222);
	dw_config_release(&cfg);
}

static void test_env_bad_value(void **state)
{
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	setenv("DW_WAREHOUSE_PORT", "not-a-port", 1);
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg, "", "p.yaml", &err), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_contains(err.msg, "DW_WAREHOUSE_PORT");
	assert_contains(err.msg, "not-a-port");
	dw_config_release(&cfg);
}

static void test_set_errors(void **state)
{
	static const struct { const char *key, *value; } bad[] = {
		{ "port", "1" },                          /* no section */
		{ "warehouse.hots", "x" },                /* unknown key */
		{ "nope.port", "1" },                     /* unknown section */
		{ "warehouse.port", "x" },                /* wrong type */
		{ "warehouse.port", "70000" },            /* out of range */
		{ "warehouse.local_infile", "maybe" },
		{ "etl.safety_lag", "soon" },
		{ "warehouse.password", "secret" },       /* secrets never on the command line */
		{ "warehouse.password_env", "X" },
		{ "oltp.password_file", "/tmp/x" },
		{ "averyveryveryveryveryveryveryveryveryveryveryveryveryverylongsection.key", "1" },
	};
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg, "", "s.yaml", &err), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		dw_err_clear(&err);
		if (dw_config_set(&cfg, bad[i].key, bad[i].value, &err) != -1)
			fail_msg("set %s=%s was accepted", bad[i].key, bad[i].value);
		assert_int_equal(err.code, DW_EX_USAGE);
		assert_contains(err.msg, bad[i].key);
	}
	/* Failed sets leave values alone. */
	assert_int_equal(cfg.warehouse.port, 3306);
	assert_int_equal(cfg.warehouse.local_infile, 1);
	assert_int_equal(cfg.etl.safety_lag_ms, 5000);
	assert_null(cfg.warehouse.password);
	dw_config_release(&cfg);
}

/* ---- secrets ------------------------------------------------------------ */

static void test_secret_env(void **state)
{
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	setenv("DW_TEST_SECRET", "s3cret", 1);
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg,
		"warehouse:\n  password_env: DW_TEST_SECRET\n"
		"oltp:\n  password_env: DW_TEST_SECRET\n", "s.yaml", &err), 0);
	assert_non_null(cfg.warehouse.password);
	assert_string_equal(cfg.warehouse.password, "s3cret");
	assert_string_equal(cfg.oltp.password, "s3cret");
	dw_config_release(&cfg);
	assert_null(cfg.warehouse.password);
}

static void test_api_key_never_inline(void **state)
{
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	/* Even a private file may not hold an API key (load_string counts as private). */
	load_fails("openai:\n  api_key: sk-inline-key\n", "k.yaml", &err);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_contains(err.msg, "k.yaml:2");
	assert_contains(err.msg, "openai.api_key");
	assert_null(strstr(err.msg, "sk-inline-key"));
	setenv("DW_TEST_API_KEY", "sk-from-env", 1);
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg,
		"anthropic:\n  api_key_env: DW_TEST_API_KEY\n  timeout: 2s\n"
		"ask:\n  engines: semantic, anthropic\n  row_limit: 50\n", "k.yaml", &err), 0);
	assert_string_equal(cfg.anthropic.api_key, "sk-from-env");
	assert_int_equal(cfg.anthropic.timeout_ms, 2000);
	assert_int_equal(cfg.anthropic.remote, 1);
	assert_int_equal(cfg.ollama.remote, 0);
	assert_null(cfg.openai.api_key);
	assert_string_equal(cfg.ask.engines, "semantic, anthropic");
	dw_config_release(&cfg);
	/* An API key variable that is not set fails only the engine using it. */
	assert_int_equal(dw_config_load_string(&cfg,
		"gemini:\n  api_key_env: DW_TEST_API_KEY_UNSET\n", "k.yaml", &err), 0);
	assert_null(cfg.gemini.api_key);
	dw_config_release(&cfg);
	assert_int_equal(dw_config_load_string(&cfg,
		"ask:\n  engines: semantic, anthropic\n  row_limit: 50\n", "k.yaml", &err), 0);
	assert_int_equal(cfg.ask.row_limit, 50);
	assert_int_equal(cfg.ask.reprompts, 2);
	dw_config_release(&cfg);
	/* --set cannot put a key on the command line either (argv is visible). */
	assert_int_equal(dw_config_load_string(&cfg, "", "k.yaml", &err), 0);
	assert_int_equal(dw_config_set(&cfg, "openai.api_key", "sk-argv", &err), -1);
	assert_int_equal(err.code, DW_EX_USAGE);
	dw_config_release(&cfg);
}

static void test_secret_env_unset(void **state)
{
	struct dw_err err;

	(void)state;
	load_fails("warehouse:\n  password_env: DW_TEST_SECRET_UNSET\n", "s.yaml", &err);
	assert_contains(err.msg, "warehouse.password_env");
	assert_contains(err.msg, "not set");
	/* The value is not echoed: it may be a secret put there by mistake. */
	assert_null(strstr(err.msg, "DW_TEST_SECRET_UNSET"));
}

static void test_secret_file(void **state)
{
	struct dw_config cfg;
	struct dw_err err;
	char yaml[PATH_MAX + 64];
	const char *p = write_tmpfile("hunter2\nsecond line\n", 0600);
	const char *crlf = write_tmpfile("crlf-pass\r\n", 0600);
	const char *nonl = write_tmpfile("no-newline", 0600);

	(void)state;
	snprintf(yaml, sizeof yaml, "warehouse:\n  password_file: %s\n", p);
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg, yaml, "s.yaml", &err), 0);
	assert_string_equal(cfg.warehouse.password, "hunter2");
	assert_null(cfg.oltp.password);
	dw_config_release(&cfg);

	snprintf(yaml, sizeof yaml, "oltp:\n  password_file: '%s'\n", crlf);
	assert_int_equal(dw_config_load_string(&cfg, yaml, "s.yaml", &err), 0);
	assert_string_equal(cfg.oltp.password, "crlf-pass");
	dw_config_release(&cfg);

	snprintf(yaml, sizeof yaml, "oltp:\n  password_file: %s\n", nonl);
	assert_int_equal(dw_config_load_string(&cfg, yaml, "s.yaml", &err), 0);
	assert_string_equal(cfg.oltp.password, "no-newline");
	dw_config_release(&cfg);
}

static void test_secret_file_missing(void **state)
{
	const char *dir = make_tmpdir();
	char yaml[PATH_MAX + 64];
	struct dw_err err;

	(void)state;
	snprintf(yaml, sizeof yaml, "warehouse:\n  password_file: %s/absent\n", dir);
	load_fails(yaml, "s.yaml", &err);
	assert_contains(err.msg, "absent");
}

static void test_secret_two_sources(void **state)
{
	const char *p = write_tmpfile("x\n", 0600);
	char yaml[PATH_MAX + 128];
	struct dw_err err;

	(void)state;
	setenv("DW_TEST_SECRET", "s3cret", 1);
	load_fails("warehouse:\n"
		   "  password: inline\n"
		   "  password_env: DW_TEST_SECRET\n", "two.yaml", &err);
	assert_contains(err.msg, "two.yaml:3");
	assert_contains(err.msg, "line 2");
	assert_contains(err.msg, "warehouse.password");

	snprintf(yaml, sizeof yaml,
		 "oltp:\n  password_env: DW_TEST_SECRET\n  connect_timeout: 3\n  password_file: %s\n", p);
	load_fails(yaml, "two.yaml", &err);
	assert_contains(err.msg, "two.yaml:4");
	assert_contains(err.msg, "oltp.password");

	/* The same key twice is also two sources. */
	load_fails("warehouse:\n  password: a\n  password: b\n", "two.yaml", &err);
	assert_contains(err.msg, "two.yaml:3");

	/* Flow style puts both on one line; still refused. */
	load_fails("warehouse: {password: a, password_env: DW_TEST_SECRET}\n", "two.yaml", &err);
	assert_contains(err.msg, "two.yaml:1");
	assert_contains(err.msg, "warehouse.password");
}

static void test_secret_env_overrides(void **state)
{
	const char *p = write_tmpfile("from-file\n", 0600);
	char yaml[PATH_MAX + 64];
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	snprintf(yaml, sizeof yaml, "warehouse:\n  password_file: %s\n", p);

	/* DW_WAREHOUSE_PASSWORD_ENV replaces the file's password_file. */
	setenv("DW_TEST_SECRET", "from-env-ref", 1);
	setenv("DW_WAREHOUSE_PASSWORD_ENV", "DW_TEST_SECRET", 1);
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg, yaml, "s.yaml", &err), 0);
	assert_string_equal(cfg.warehouse.password, "from-env-ref");
	dw_config_release(&cfg);
	unsetenv("DW_WAREHOUSE_PASSWORD_ENV");

	/* DW_WAREHOUSE_PASSWORD gives the secret directly. */
	setenv("DW_WAREHOUSE_PASSWORD", "direct", 1);
	assert_int_equal(dw_config_load_string(&cfg, yaml, "s.yaml", &err), 0);
	assert_string_equal(cfg.warehouse.password, "direct");
	dw_config_release(&cfg);
	unsetenv("DW_WAREHOUSE_PASSWORD");

	/* DW_OLTP_PASSWORD_FILE with no file at all. */
	setenv("DW_OLTP_PASSWORD_FILE", p, 1);
	assert_int_equal(dw_config_load_string(&cfg, "", "s.yaml", &err), 0);
	assert_string_equal(cfg.oltp.password, "from-file");
	assert_null(cfg.warehouse.password);
	dw_config_release(&cfg);
}

static void test_inline_secret_permissions(void **state)
{
	const char *yaml = "warehouse:\n  user: loader\n  password: inline-pw\n";
	const char *p = write_tmpfile(yaml, 0644);
	struct dw_config cfg;
	struct dw_err err;
	char where[PATH_MAX + 16];

	(void)state;
	dw_err_clear(&err);
	assert_int_equal(dw_config_load(&cfg, p, &err), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	snprintf(where, sizeof where, "%s:3", p);
	assert_contains(err.msg, where);
	assert_contains(err.msg, "warehouse.password");
	assert_contains(err.hint, "chmod");
	assert_contains(err.hint, p);
	assert_null(cfg.warehouse.password);
	dw_config_release(&cfg);

	/* Group-readable is refused too. */
	assert_int_equal(chmod(p, 0640), 0);
	dw_err_clear(&err);
	assert_int_equal(dw_config_load(&cfg, p, &err), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_contains(err.hint, "chmod");
	dw_config_release(&cfg);

	assert_int_equal(chmod(p, 0600), 0);
	dw_err_clear(&err);
	if (dw_config_load(&cfg, p, &err) != 0)
		fail_msg("0600 file refused: %s", err.msg);
	assert_string_equal(cfg.path, p);
	assert_non_null(cfg.warehouse.password);
	assert_string_equal(cfg.warehouse.password, "inline-pw");
	assert_string_equal(cfg.warehouse.user, "loader");
	dw_config_release(&cfg);
	assert_null(cfg.path);
	assert_null(cfg.warehouse.password);
}

static void test_world_readable_without_inline_secret(void **state)
{
	const char *yaml = "warehouse:\n  port: 4000\n  password_env: DW_TEST_SECRET\n";
	const char *p = write_tmpfile(yaml, 0644);
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	setenv("DW_TEST_SECRET", "via-env", 1);
	dw_err_clear(&err);
	if (dw_config_load(&cfg, p, &err) != 0)
		fail_msg("0644 file without inline secret refused: %s", err.msg);
	assert_int_equal(cfg.warehouse.port, 4000);
	assert_string_equal(cfg.warehouse.password, "via-env");
	dw_config_release(&cfg);
}

/* A password inside oltp.conninfo, key=value or URI, is a secret like any
 * other: refused from a file others can read and from --set. */
static void test_conninfo_password(void **state)
{
	static const char *const with_pw[] = {
		"host=db1 user=etl password=conn-pw-1",
		"host=db1 password = 'conn pw 1' dbname=shop",
		"postgresql://etl:conn-pw-1@db1:5432/shop",
		"postgres://etl@db1/shop?password=conn-pw-1",
		"host=db1 password",                      /* libpq cannot read it */
	};
	struct dw_config cfg;
	struct dw_err err;
	char yaml[256], where[PATH_MAX + 16];

	(void)state;
	for (size_t i = 0; i < sizeof with_pw / sizeof with_pw[0]; i++) {
		const char *p;

		snprintf(yaml, sizeof yaml, "oltp:\n  conninfo: \"%s\"\n", with_pw[i]);
		p = write_tmpfile(yaml, 0644);
		dw_err_clear(&err);
		if (dw_config_load(&cfg, p, &err) != -1)
			fail_msg("0644 file with conninfo '%s' accepted", with_pw[i]);
		assert_int_equal(err.code, DW_EX_CONFIG);
		snprintf(where, sizeof where, "%s:2", p);
		assert_contains(err.msg, where);
		assert_contains(err.msg, "oltp.conninfo");
		assert_contains(err.hint, "chmod");
		assert_not_contains(err.msg, "conn-pw-1");
		assert_not_contains(err.hint, "conn-pw-1");
		dw_config_release(&cfg);

		dw_err_clear(&err);
		assert_int_equal(dw_config_load_string(&cfg, "", "s.yaml", &err), 0);
		if (dw_config_set(&cfg, "oltp.conninfo", with_pw[i], &err) != -1)
			fail_msg("--set oltp.conninfo='%s' accepted", with_pw[i]);
		assert_int_equal(err.code, DW_EX_USAGE);
		assert_contains(err.msg, "oltp.conninfo");
		assert_not_contains(err.msg, "conn-pw-1");
		assert_string_equal(cfg.oltp.conninfo, "");
		dw_config_release(&cfg);

		/* The same in a private file is used, and the dump hides it. */
		assert_int_equal(chmod(p, 0600), 0);
		dw_err_clear(&err);
		if (i < 4) {
			char *dump;

			if (dw_config_load(&cfg, p, &err) != 0)
				fail_msg("0600 file with conninfo '%s' refused: %s", with_pw[i],
					 err.msg);
			assert_string_equal(cfg.oltp.conninfo, with_pw[i]);
			dump = dump_to_string(&cfg);
			assert_not_contains(dump, "conn-pw-1");
			free(dump);
			dw_config_release(&cfg);
		}
	}

	/* Without a password: fine from anywhere. */
	snprintf(yaml, sizeof yaml, "oltp:\n  conninfo: \"postgresql://etl@db1/shop\"\n");
	dw_err_clear(&err);
	if (dw_config_load(&cfg, write_tmpfile(yaml, 0644), &err) != 0)
		fail_msg("0644 file with a conninfo without password refused: %s", err.msg);
	if (dw_config_set(&cfg, "oltp.conninfo", "host=db2 user=etl", &err) != 0)
		fail_msg("--set oltp.conninfo without password refused: %s", err.msg);
	assert_string_equal(cfg.oltp.conninfo, "host=db2 user=etl");
	dw_config_release(&cfg);
}

static void test_file_error_names_path(void **state)
{
	const char *p = write_tmpfile("warehouse:\n  port: 1\n  hots: x\n", 0600);
	struct dw_config cfg;
	struct dw_err err;
	char where[PATH_MAX + 16];

	(void)state;
	dw_err_clear(&err);
	assert_int_equal(dw_config_load(&cfg, p, &err), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	snprintf(where, sizeof where, "%s:3", p);
	assert_contains(err.msg, where);
	assert_contains(err.hint, "'host'");
	dw_config_release(&cfg);
}

/* ---- lookup order ------------------------------------------------------- */

static void load_port(const char *explicit_path, int port, const char *path)
{
	struct dw_config cfg;
	struct dw_err err;

	dw_err_clear(&err);
	if (dw_config_load(&cfg, explicit_path, &err) != 0)
		fail_msg("load failed: %s", err.msg);
	assert_int_equal(cfg.warehouse.port, port);
	if (path) {
		assert_non_null(cfg.path);
		assert_string_equal(cfg.path, path);
	} else {
		assert_null(cfg.path);
	}
	dw_config_release(&cfg);
}

static void test_lookup_order(void **state)
{
	const char *dir = make_tmpdir();
	const char *xdg = make_subdir(dir, "xdg");
	const char *xdgdw = make_subdir(xdg, "dw");
	const char *explicit_p = write_file_at(dir, "explicit.yaml", "warehouse:\n  port: 1001\n", 0600);
	const char *env_p = write_file_at(dir, "env.yaml", "warehouse:\n  port: 1002\n", 0600);
	const char *xdg_p = write_file_at(xdgdw, "dw.yaml", "warehouse:\n  port: 1003\n", 0600);

	(void)state;
	setenv("DW_CONFIG", env_p, 1);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	load_port(explicit_p, 1001, explicit_p);   /* -c beats $DW_CONFIG */
	load_port(NULL, 1002, env_p);              /* $DW_CONFIG beats XDG */
	unsetenv("DW_CONFIG");
	load_port(NULL, 1003, xdg_p);              /* then $XDG_CONFIG_HOME/dw/dw.yaml */
	setenv("DW_CONFIG", "", 1);
	load_port(NULL, 1003, xdg_p);              /* empty $DW_CONFIG counts as unset */
}

static void test_lookup_home_and_none(void **state)
{
	const char *dir = make_tmpdir();
	const char *empty = make_subdir(dir, "empty");
	const char *home = make_subdir(dir, "home");
	const char *cfgdir = make_subdir(home, ".config");
	const char *dwdir = make_subdir(cfgdir, "dw");
	const char *home_p = write_file_at(dwdir, "dw.yaml", "warehouse:\n  port: 1004\n", 0600);
	const char *old_home = getenv("HOME");

	(void)state;
	saved_home = old_home ? strdup(old_home) : NULL;
	setenv("HOME", home, 1);
	load_port(NULL, 1004, home_p);             /* XDG unset: ~/.config/dw/dw.yaml */
	setenv("XDG_CONFIG_HOME", "", 1);
	load_port(NULL, 1004, home_p);             /* empty XDG: same */

	/* XDG set to a directory without dw/dw.yaml: nothing found, defaults
	 * (unless this machine has /etc/dw/dw.yaml). */
	setenv("XDG_CONFIG_HOME", empty, 1);
	if (access("/etc/dw/dw.yaml", F_OK) != 0)
		load_port(NULL, 3306, NULL);
}

static void test_lookup_missing_explicit(void **state)
{
	const char *dir = make_tmpdir();
	const char *xdg = make_subdir(dir, "xdg");
	const char *xdgdw = make_subdir(xdg, "dw");
	char missing[PATH_MAX];
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	write_file_at(xdgdw, "dw.yaml", "warehouse:\n  port: 1003\n", 0600);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	snprintf(missing, sizeof missing, "%s/nope.yaml", dir);

	/* A missing -c file is an error, not a fall-through to XDG. */
	dw_err_clear(&err);
	assert_int_equal(dw_config_load(&cfg, missing, &err), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_contains(err.msg, missing);
	dw_config_release(&cfg);

	/* Same for $DW_CONFIG. */
	setenv("DW_CONFIG", missing, 1);
	dw_err_clear(&err);
	assert_int_equal(dw_config_load(&cfg, NULL, &err), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_contains(err.msg, missing);
	dw_config_release(&cfg);
}

static void test_config_is_directory(void **state)
{
	const char *dir = make_tmpdir();
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	dw_err_clear(&err);
	assert_int_equal(dw_config_load(&cfg, dir, &err), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_contains(err.msg, dir);
	dw_config_release(&cfg);
}

/* ---- dw_config_duration_ms ----------------------------------------------- */

/* A FIFO as config or secret file would block until something writes to
 * it: refused at once (alarm: a regression fails instead of hanging). */
static void test_fifo_refused(void **state)
{
	const char *dir = make_tmpdir();
	char fifo[PATH_MAX], yaml[PATH_MAX + 64];
	struct dw_config cfg;
	struct dw_err err;

	(void)state;
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	track(fifo);
	alarm(10);
	dw_err_clear(&err);
	assert_int_equal(dw_config_load(&cfg, fifo, &err), -1);
	assert_int_equal(err.code, DW_EX_CONFIG);
	assert_contains(err.msg, fifo);
	assert_contains(err.msg, "not a regular file");
	dw_config_release(&cfg);

	snprintf(yaml, sizeof yaml, "warehouse:\n  password_file: %s\n", fifo);
	load_fails(yaml, "s.yaml", &err);
	assert_contains(err.msg, fifo);
	assert_contains(err.msg, "not a regular file");
	alarm(0);
}

static void test_parse_duration(void **state)
{
	static const struct { const char *s; long ms; } good[] = {
		{ "0", 0 }, { "5", 5000 }, { "5s", 5000 }, { "1.5s", 1500 }, { "0.25", 250 },
		{ "500ms", 500 }, { "0ms", 0 }, { "2m", 120000 }, { "1h", 3600000 },
		{ "1d", 86400000 }, { "30d", 2592000000L }, { "1.5m", 90000 },
	};
	static const char *const bad[] = {
		"", "abc", "ms", "s", "-1", "-1s", "5x", "5 s", "5sec", "5S", "5ms ", "1e400",
		"nan", "nanms", "inf", "infs", "1e30d",
		"9223372036854775807ms", "106751991168d",   /* past LONG_MAX ms */
	};
	long ms;

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		ms = -42;
		if (dw_config_duration_ms(good[i].s, &ms) != 0)
			fail_msg("'%s' rejected", good[i].s);
		if (ms != good[i].ms)
			fail_msg("'%s' gave %ld, want %ld", good[i].s, ms, good[i].ms);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ms = -42;
		if (dw_config_duration_ms(bad[i], &ms) != -1)
			fail_msg("'%s' accepted as %ld", bad[i], ms);
		assert_int_equal(ms, -42);   /* untouched on error */
	}
}

/* ---- dump --------------------------------------------------------------- */

static void test_dump_hides_secrets(void **state)
{
	struct dw_config cfg;
	struct dw_err err;
	char *out;

	(void)state;
	setenv("DW_TEST_SECRET", "topsecret-value", 1);
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg,
		"warehouse:\n  host: wh\n  password_env: DW_TEST_SECRET\n"
		"etl:\n  safety_lag: 2m\n", "dump.yaml", &err), 0);
	out = dump_to_string(&cfg);
	assert_not_contains(out, "topsecret-value");
	assert_contains(out, "warehouse:\n");
	assert_contains(out, "  password: (set)\n");
	assert_contains(out, "oltp:\n");
	assert_contains(out, "  password: (unset)\n");
	assert_contains(out, "  host: \"wh\"\n");
	assert_contains(out, "  port: 3306\n");
	assert_contains(out, "  safety_lag: 120000ms\n");
	assert_contains(out, "  max_rejects: -1\n");
	assert_contains(out, "  local_infile: true\n");
	assert_not_contains(out, "password_env");
	free(out);

	/* The dump is YAML this loader accepts and round-trips (minus secrets). */
	{
		struct dw_config back;
		char *filtered = strdup(""), *line, *save = NULL, *copy;

		out = dump_to_string(&cfg);
		copy = strdup(out);
		assert_non_null(copy);
		for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			size_t n = strlen(filtered) + strlen(line) + 2;

			if (strstr(line, "password:") || strstr(line, "api_key:"))
				continue;
			filtered = realloc(filtered, n);
			assert_non_null(filtered);
			strcat(filtered, line);
			strcat(filtered, "\n");
		}
		assert_int_equal(dw_config_load_string(&back, filtered, "dump", &err), 0);
		assert_string_equal(back.warehouse.host, "wh");
		assert_int_equal(back.etl.safety_lag_ms, 120000);
		assert_int_equal(back.warehouse.port, 3306);
		assert_null(back.warehouse.password);
		dw_config_release(&back);
		free(filtered);
		free(copy);
		free(out);
	}
	dw_config_release(&cfg);
}

/* ---- the manual documents every key ------------------------------------ */

#define MAN_PAGE "man/dw.yaml.5"   /* unit tests run from the top directory */
#define MAX_NAMES 256

/* A set of "section.key" names. */
struct names {
	char name[MAX_NAMES][64];
	int n;
};

static void names_add(struct names *ns, const char *section, const char *key)
{
	assert_true(ns->n < MAX_NAMES);
	snprintf(ns->name[ns->n++], sizeof ns->name[0], "%s.%s", section, key);
}

static int names_has(const struct names *ns, const char *name)
{
	for (int i = 0; i < ns->n; i++)
		if (!strcmp(ns->name[i], name))
			return 1;
	return 0;
}

static void collect_key(const char *section, const char *key, void *arg)
{
	names_add(arg, section, key);
}

/* A key name as the manual writes it: lower case, digits and '_'. */
static int is_key_word(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

/* Adds section.key for each section of an .Ss line ("ollama, openai") and
 * each key of an ".It Ic key , key_env , key_file Pq type" line (args is the
 * text after ".It Ic "; the keys end at the first other word). */
static void man_add_keys(struct names *ns, const char *secs, const char *args)
{
	char sbuf[512], kbuf[512], *sec, *key, *ssave = NULL, *ksave;

	snprintf(sbuf, sizeof sbuf, "%s", secs);
	for (sec = strtok_r(sbuf, ", ", &ssave); sec; sec = strtok_r(NULL, ", ", &ssave)) {
		snprintf(kbuf, sizeof kbuf, "%s", args);
		ksave = NULL;
		for (key = strtok_r(kbuf, ", ", &ksave); key && is_key_word(key);
		     key = strtok_r(NULL, ", ", &ksave))
			names_add(ns, sec, key);
	}
}

/* The keys the KEYS section of the manual documents: each .Ss names one or
 * more sections, and the items of its first list are their keys. A later
 * list in the same subsection (the defaults of the LLM sections) is not. */
static void man_keys(struct names *ns, const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[512], secs[512] = "";
	int in_keys = 0, depth = 0, lists = 0;

	if (!fp)
		fail_msg("cannot open %s: unit tests run from the top directory", path);
	while (fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, ".Sh ", 4)) {
			in_keys = !strcmp(line + 4, "KEYS");
		} else if (!in_keys) {
			continue;
		} else if (!strncmp(line, ".Ss ", 4)) {
			snprintf(secs, sizeof secs, "%s", line + 4);
			lists = 0;
		} else if (!strncmp(line, ".Bl ", 4)) {
			lists += depth++ == 0;
		} else if (!strcmp(line, ".El")) {
			depth--;
		} else if (!strncmp(line, ".It", 3) && depth == 1 && lists == 1) {
			if (strncmp(line, ".It Ic ", 7))
				fail_msg("%s: a key item must be \".It Ic key\": %s", path, line);
			man_add_keys(ns, secs, line + 7);
		}
	}
	assert_int_equal(fclose(fp), 0);
}

/* Names of one set missing from the other, each reported; returns how many. */
static int names_missing(const struct names *from, const struct names *in, const char *what)
{
	int bad = 0;

	for (int i = 0; i < from->n; i++)
		if (!names_has(in, from->name[i])) {
			print_error("%s: '%s' %s\n", MAN_PAGE, from->name[i], what);
			bad++;
		}
	return bad;
}

static void test_man_documents_every_key(void **state)
{
	static struct names known, documented;
	int bad;

	(void)state;
	known.n = documented.n = 0;
	dw_config_keys(collect_key, &known);
	man_keys(&documented, MAN_PAGE);
	assert_true(known.n > 40);
	bad = names_missing(&known, &documented, "is a key but is not documented") +
	      names_missing(&documented, &known, "is documented but is not a key");
	assert_int_equal(bad, 0);
}

/* Fails when the loader does not know section.key (a value it refuses is fine). */
static void key_is_loadable(const char *section, const char *key, void *arg)
{
	char yaml[256];
	struct dw_config cfg;
	struct dw_err err;

	(void)arg;
	snprintf(yaml, sizeof yaml, "%s:\n  %s: \"x\"\n", section, key);
	dw_err_clear(&err);
	if (dw_config_load_string(&cfg, yaml, "keys.yaml", &err) < 0 &&
	    strstr(err.msg, "unknown key"))
		fail_msg("dw_config_keys lists '%s.%s': %s", section, key, err.msg);
	dw_config_release(&cfg);
}

/* dw_config_keys lists the key table: every key of the dump (a secret as
 * K_env when K itself is not listed), and no name the loader does not know. */
static void test_keys_match_table(void **state)
{
	static struct names known;
	struct dw_config cfg;
	struct dw_err err;
	char *out, *line, *save = NULL, section[64] = "", key[64], env[80];
	int ndump = 0;

	(void)state;
	known.n = 0;
	dw_config_keys(collect_key, &known);
	dw_err_clear(&err);
	assert_int_equal(dw_config_load_string(&cfg, "", "empty.yaml", &err), 0);
	out = dump_to_string(&cfg);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != ' ') {
			snprintf(section, sizeof section, "%.*s", (int)strcspn(line, ":"), line);
			continue;
		}
		snprintf(key, sizeof key, "%s.%.*s", section, (int)strcspn(line + 2, ":"), line + 2);
		snprintf(env, sizeof env, "%s_env", key);
		if (!names_has(&known, key) && !names_has(&known, env))
			fail_msg("dump key '%s' is not listed by dw_config_keys", key);
		ndump++;
	}
	assert_true(ndump > 0 && ndump <= known.n);
	free(out);
	dw_config_release(&cfg);
	dw_config_keys(key_is_loadable, NULL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_empty_forms),
		T(test_values_from_string),
		T(test_flow_style_and_later_wins),
		T(test_durations_in_yaml),
		T(test_bools_in_yaml),
		T(test_int_ranges),
		T(test_wrong_type_int),
		T(test_wrong_type_bool_and_duration),
		T(test_unknown_key_hint),
		T(test_unknown_section),
		T(test_section_not_mapping),
		T(test_yaml_syntax_error),
		T(test_env_overrides_file_set_overrides_env),
		T(test_env_bad_value),
		T(test_set_errors),
		T(test_secret_env),
		T(test_secret_env_unset),
		T(test_secret_file),
		T(test_secret_file_missing),
		T(test_secret_two_sources),
		T(test_secret_env_overrides),
		T(test_inline_secret_permissions),
		T(test_world_readable_without_inline_secret),
		T(test_conninfo_password),
		T(test_file_error_names_path),
		T(test_lookup_order),
		T(test_lookup_home_and_none),
		T(test_lookup_missing_explicit),
		T(test_config_is_directory),
		T(test_fifo_refused),
		T(test_parse_duration),
		T(test_dump_hides_secrets),
		T(test_api_key_never_inline),
		T(test_man_documents_every_key),
		T(test_keys_match_table),
	};
#undef T

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
