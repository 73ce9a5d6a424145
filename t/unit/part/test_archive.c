/* Unit tests for lib/part/archive.c: the canonical text of a row (every
 * escape, NULL against the text \N, U+001F and line ends inside values),
 * its split back (bad escapes, bare carriage returns, too many fields), a
 * round trip of every byte, the manifest as JSON and back with each of its
 * refusals, file names, and the data file checked against its manifest:
 * intact, a byte flipped, cut short, a count or hash that differs, a row of
 * the wrong width, a row outside the manifest's range, not gzip, missing,
 * a symbolic link; and restore's file
 * operand by its suffix. What needs a server (export, checksum, match,
 * load, the statements) is left to t/042-partition-retain.t. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "err.h"
#include "part/archive.h"

/* ---- helpers ------------------------------------------------------------ */

static char dir[PATH_MAX];

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/dw-test-archive-XXXXXX", t && *t ? t : "/tmp");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* The canonical text of one row, malloc'd. */
static char *row_text(const char *const *v, size_t n)
{
	struct dw_archive_text t = { 0 };

	assert_int_equal(dw_archive_row(&t, v, n), 0);
	return t.s;
}

static void sha_hex(const char *s, size_t n, char out[65])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	assert_int_equal(EVP_Digest(s, n, d, &len, EVP_sha256(), NULL), 1);
	for (unsigned int i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static char *path_in(const char *name)
{
	static char p[PATH_MAX + 64];

	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static void write_gz(const char *path, const char *text)
{
	gzFile gz = gzopen(path, "wb");

	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
	assert_int_equal(gzclose(gz), Z_OK);
}

static char *read_file(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf = malloc(1 << 16);

	assert_non_null(fp);
	*n = fread(buf, 1, 1 << 16, fp);
	fclose(fp);
	return buf;
}

static char *names3[] = { "id", "d", "s" };
static char *types3[] = { "int(11)", "int(11)", "varchar(50)" };
static char *key1[] = { "id" };

/* A manifest of three columns for db.t partition p201101. */
static struct dw_archive_manifest manifest3(const char *rows_text)
{
	struct dw_archive_manifest m = {
		.version = DW_ARCHIVE_VERSION, .database = "db", .table = "t",
		.partition = "p201101", .column = "d", .from = 20110101, .to = 20110201,
		.names = names3, .types = types3, .ncols = 3, .key = key1, .nkey = 1,
		.file = "db.t.p201101.tsv.gz", .created = "2026-12-01T02:00:00Z",
	};
	const char *p;

	for (p = rows_text; *p; p++)
		m.rows += *p == '\n';
	sha_hex(rows_text, strlen(rows_text), m.sha256);
	return m;
}

static const char rows3[] = "1\x1f" "20110105\x1f" "a\\\\b\n"
			    "2\x1f" "20110106\x1f" "\\N\n"
			    "3\x1f" "20110107\x1f" "x\\x1fy\\nz\n";

/* ---- the canonical text ------------------------------------------------- */

static void test_row_plain(void **state)
{
	const char *v[] = { "1", "CA-2015-25808", "49.0500" };
	char *s = row_text(v, 3);

	assert_string_equal(s, "1\x1f" "CA-2015-25808\x1f" "49.0500\n");
	free(s);
}

static void test_row_null_and_empty(void **state)
{
	const char *v[] = { NULL, "", "\\N", NULL };
	char *s = row_text(v, 4);

	/* NULL is \N; the text \N has its backslash doubled; "" is nothing */
	assert_string_equal(s, "\\N\x1f\x1f\\\\N\x1f\\N\n");
	free(s);
}

static void test_row_escapes(void **state)
{
	const char *v[] = { "a\\b", "line1\nline2\r", "x\x1fy", "\\x1f" };
	char *s = row_text(v, 4);

	assert_string_equal(s, "a\\\\b\x1fline1\\nline2\\r\x1fx\\x1fy\x1f\\\\x1f\n");
	free(s);
}

static void test_row_one_column(void **state)
{
	const char *v[] = { "" };
	char *s = row_text(v, 1);

	assert_string_equal(s, "\n");
	free(s);
}

static void test_row_appends(void **state)
{
	struct dw_archive_text t = { 0 };
	const char *a[] = { "1" }, *b[] = { "2" };

	assert_int_equal(dw_archive_row(&t, a, 1), 0);
	assert_int_equal(dw_archive_row(&t, b, 1), 0);
	assert_string_equal(t.s, "1\n2\n");
	assert_int_equal(t.len, 4);
	dw_archive_text_free(&t);
	assert_null(t.s);
}

static void test_split_fields(void **state)
{
	char line[] = "a\\\\b\x1f\\N\x1f\x1fx\\x1fy\\nz\\r\x1f\\\\N";
	char *f[8];

	assert_int_equal(dw_archive_split(line, f, 8), 5);
	assert_string_equal(f[0], "a\\b");
	assert_null(f[1]);
	assert_string_equal(f[2], "");
	assert_string_equal(f[3], "x\x1fy\nz\r");
	assert_string_equal(f[4], "\\N");
}

static void test_split_edges(void **state)
{
	char empty[] = "", nulls[] = "\\N\x1f\\N", trailing[] = "a\x1f";
	char *f[4];

	assert_int_equal(dw_archive_split(empty, f, 4), 1);
	assert_string_equal(f[0], "");
	assert_int_equal(dw_archive_split(nulls, f, 4), 2);
	assert_null(f[0]);
	assert_null(f[1]);
	assert_int_equal(dw_archive_split(trailing, f, 4), 2);
	assert_string_equal(f[0], "a");
	assert_string_equal(f[1], "");
}

static void test_split_refuses(void **state)
{
	const char *bad[] = {
		"a\\qb",          /* an unknown escape */
		"a\\",            /* a backslash at the end */
		"a\\x1",          /* \x1f cut short */
		"a\\x20",         /* only \x1f is an escape */
		"a\\N",           /* \N within a value */
		"\\Na",           /* \N followed by more */
		"a\rb",           /* a bare carriage return */
		"1\x1f" "2\x1f" "3",  /* more fields than max */
	};
	char *f[2];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *line = strdup(bad[i]);

		assert_int_equal(dw_archive_split(line, f, 2), -1);
		free(line);
	}
}

/* Every byte but NUL, in values of every length up to 40, comes back. */
static void test_round_trip(void **state)
{
	unsigned seed = 7;

	for (int round = 0; round < 2000; round++) {
		char vals[3][41], *f[3];
		const char *v[3];
		struct dw_archive_text t = { 0 };

		for (int c = 0; c < 3; c++) {
			int len = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 41;

			for (int i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				/* mostly the bytes that need escapes */
				vals[c][i] = (seed >> 16) % 3 ? "\\\n\r\x1fN"[(seed >> 20) % 5]
							      : (char)((seed >> 8) % 255 + 1);
			}
			vals[c][len] = '\0';
			v[c] = round % 7 == c ? NULL : vals[c];
		}
		assert_int_equal(dw_archive_row(&t, v, 3), 0);
		assert_int_equal(t.s[t.len - 1], '\n');
		assert_null(memchr(t.s, '\n', t.len - 1));
		assert_null(memchr(t.s, '\r', t.len));
		t.s[--t.len] = '\0';
		assert_int_equal(dw_archive_split(t.s, f, 3), 3);
		for (int c = 0; c < 3; c++) {
			if (!v[c])
				assert_null(f[c]);
			else
				assert_string_equal(f[c], v[c]);
		}
		dw_archive_text_free(&t);
	}
}

/* ---- the manifest ------------------------------------------------------- */

static void test_path(void **state)
{
	char *p = dw_archive_path("/var/dw", "dw", "fact_sales", "p201101", DW_ARCHIVE_DATA);

	assert_string_equal(p, "/var/dw/dw.fact_sales.p201101.tsv.gz");
	free(p);
	p = dw_archive_path(NULL, "dw", "fact_sales", "p201101", DW_ARCHIVE_MANIFEST);
	assert_string_equal(p, "dw.fact_sales.p201101.manifest.json");
	free(p);
}

static void test_manifest_round_trip(void **state)
{
	struct dw_archive_manifest m = manifest3(rows3), back;
	struct dw_err err = { 0 };
	char *json = dw_archive_manifest_json(&m);

	assert_non_null(json);
	assert_non_null(strstr(json, "\"from\":\t\"2011-01-01\""));
	assert_non_null(strstr(json, "\"to\":\t\"2011-02-01\""));
	assert_non_null(strstr(json, "\"rows\":\t3"));
	assert_int_equal(dw_archive_manifest_parse(&back, json, "m.json", &err), 0);
	assert_int_equal(back.version, 1);
	assert_string_equal(back.database, "db");
	assert_string_equal(back.table, "t");
	assert_string_equal(back.partition, "p201101");
	assert_string_equal(back.column, "d");
	assert_int_equal(back.from, 20110101);
	assert_int_equal(back.to, 20110201);
	assert_int_equal(back.rows, 3);
	assert_string_equal(back.sha256, m.sha256);
	assert_int_equal(back.ncols, 3);
	assert_string_equal(back.names[2], "s");
	assert_string_equal(back.types[2], "varchar(50)");
	assert_int_equal(back.nkey, 1);
	assert_string_equal(back.key[0], "id");
	assert_string_equal(back.file, "db.t.p201101.tsv.gz");
	assert_string_equal(back.created, "2026-12-01T02:00:00Z");
	dw_archive_manifest_release(&back);
	assert_null(back.table);
	free(json);
}

/* The manifest's JSON with from replaced by to (first occurrence). */
static char *edited(const char *from, const char *to)
{
	struct dw_archive_manifest m = manifest3(rows3);
	char *json = dw_archive_manifest_json(&m), *at = strstr(json, from), *out;

	assert_non_null(at);
	out = malloc(strlen(json) + strlen(to) + 1);
	sprintf(out, "%.*s%s%s", (int)(at - json), json, to, at + strlen(from));
	free(json);
	return out;
}

static void test_manifest_refused(void **state)
{
	static const struct { const char *from, *to, *msg; } cases[] = {
		{ "\"format\":\t\"dw-partition archive\"", "\"format\": \"other\"", "not a manifest" },
		{ "\"version\":\t1", "\"version\": 2", "version 2" },
		{ "\"rows\":\t3", "\"rows\": -3", "rows is missing" },
		{ "\"rows\":\t3", "\"rows\": 2.5", "rows is missing" },
		{ "\"rows\":\t3", "\"rows\": \"3\"", "rows is missing" },
		{ "\"table\":\t\"t\"", "\"tables\": \"t\"", "table is missing" },
		{ "\"from\":\t\"2011-01-01\"", "\"from\": \"2011-02-01\"", "the first before" },
		{ "\"to\":\t\"2011-02-01\"", "\"to\": \"2011-13-01\"", "not two dates" },
		{ "\"sha256\":\t\"", "\"sha256\": \"X", "64 hex digits" },
		{ "\"file\":\t\"db.t.", "\"file\": \"db.u.", "is not the file of" },
		{ "\"table\":\t\"t\"", "\"table\": \"u\"", "is not the file of" },
		{ "\"partition\":\t\"p201101\"", "\"partition\": \"../p201101\"", "holds a '/'" },
		{ "\"key\":\t[\"id\"]", "\"key\": []", "key is missing or empty" },
		{ "\"name\":\t\"s\"", "\"name\": 5", "columns: an entry's name is not a string" },
		{ "\"key\":\t[\"id\"]", "\"key\": [1]", "key: an entry is not a string" },
	};
	struct dw_archive_manifest m;
	struct dw_err err = { 0 };

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *json = edited(cases[i].from, cases[i].to);

		memset(&err, 0, sizeof err);
		assert_int_equal(dw_archive_manifest_parse(&m, json, "m.json", &err), -1);
		assert_int_equal(err.code, DW_EX_DATAERR);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].msg);
		dw_archive_manifest_release(&m);
		free(json);
	}
	assert_int_equal(dw_archive_manifest_parse(&m, "{", "m.json", &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	dw_archive_manifest_release(&m);
}

/* ---- the data file ------------------------------------------------------ */

static void test_verify_intact(void **state)
{
	struct dw_archive_manifest m = manifest3(rows3);
	struct dw_err err = { 0 };

	write_gz(path_in("a.tsv.gz"), rows3);
	assert_int_equal(dw_archive_verify(&m, path_in("a.tsv.gz"), &err), 0);
}

static void test_verify_empty(void **state)
{
	struct dw_archive_manifest m = manifest3("");
	struct dw_err err = { 0 };

	write_gz(path_in("e.tsv.gz"), "");
	assert_int_equal(dw_archive_verify(&m, path_in("e.tsv.gz"), &err), 0);
	m.rows = 1;
	assert_int_equal(dw_archive_verify(&m, path_in("e.tsv.gz"), &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
}

static void expect_refused(const struct dw_archive_manifest *m, const char *path, int code,
			   const char *msg)
{
	struct dw_err err = { 0 };

	assert_int_equal(dw_archive_verify(m, path, &err), -1);
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, msg))
		fail_msg("'%s' lacks '%s'", err.msg, msg);
}

static void test_verify_corrupt(void **state)
{
	struct dw_archive_manifest m = manifest3(rows3);
	size_t n;
	char *gz;

	write_gz(path_in("a.tsv.gz"), rows3);
	gz = read_file(path_in("a.tsv.gz"), &n);
	gz[n / 2] ^= 0x55;                              /* a byte flipped */
	write_file(path_in("b.tsv.gz"), gz, n);
	expect_refused(&m, path_in("b.tsv.gz"), DW_EX_DATAERR, "is corrupt");
	gz[n / 2] ^= 0x55;
	write_file(path_in("c.tsv.gz"), gz, n - 6);     /* cut short */
	expect_refused(&m, path_in("c.tsv.gz"), DW_EX_DATAERR, "cut short");
	write_file(path_in("d.tsv.gz"), gz, 12);
	expect_refused(&m, path_in("d.tsv.gz"), DW_EX_DATAERR, "cut short");
	write_file(path_in("e.tsv.gz"), rows3, strlen(rows3));   /* not gzip */
	expect_refused(&m, path_in("e.tsv.gz"), DW_EX_DATAERR, "not a gzip file");
	free(gz);
}

static void test_verify_mismatch(void **state)
{
	struct dw_archive_manifest m = manifest3(rows3);

	write_gz(path_in("a.tsv.gz"), rows3);
	m.rows = 4;
	expect_refused(&m, path_in("a.tsv.gz"), DW_EX_DATAERR, "holds 3 rows, its manifest says 4");
	m.rows = 3;
	m.sha256[0] = m.sha256[0] == '0' ? '1' : '0';
	expect_refused(&m, path_in("a.tsv.gz"), DW_EX_DATAERR, "does not match its manifest");
}

static void test_verify_bad_rows(void **state)
{
	struct dw_archive_manifest m = manifest3("1\x1f" "2\n");

	write_gz(path_in("w.tsv.gz"), "1\x1f" "2\n");   /* two fields, three columns */
	expect_refused(&m, path_in("w.tsv.gz"), DW_EX_DATAERR, "row 1 is not 3 fields");
	m = manifest3("1\x1f" "2\x1f" "3");
	write_gz(path_in("x.tsv.gz"), "1\x1f" "2\x1f" "3");   /* no line feed at the end */
	expect_refused(&m, path_in("x.tsv.gz"), DW_EX_DATAERR, "no line feed");
	m = manifest3("1\x1f" "2\x1f" "\\t\n");
	write_gz(path_in("y.tsv.gz"), "1\x1f" "2\x1f" "\\t\n");
	expect_refused(&m, path_in("y.tsv.gz"), DW_EX_DATAERR, "well-formed escapes");
}

/* Every row's partition column lies in the manifest's range. */
static void test_verify_range(void **state)
{
	struct dw_archive_manifest m = manifest3(rows3);
	struct dw_err err = { 0 };

	write_gz(path_in("a.tsv.gz"), rows3);
	m.to = 20110107;           /* row 3 is dated 20110107 */
	expect_refused(&m, path_in("a.tsv.gz"), DW_EX_DATAERR,
		       "row 3: d '20110107' is outside the manifest's range, 2011-01-01 to 2011-01-07");
	m.to = 20110201, m.from = 20110106;
	expect_refused(&m, path_in("a.tsv.gz"), DW_EX_DATAERR, "row 1: d '20110105' is outside");
	m.from = 20110101, m.column = "s";   /* text is no date */
	expect_refused(&m, path_in("a.tsv.gz"), DW_EX_DATAERR, "row 1: s 'a\\b' is outside");
	m.column = "nope";
	expect_refused(&m, path_in("a.tsv.gz"), DW_EX_DATAERR, "'nope' is not one of its columns");
	/* dates as DATE and DATETIME text */
	m = manifest3("1\x1f" "2011-01-31\x1f" "x\n" "2\x1f" "2011-01-01 00:00:00\x1f" "y\n");
	write_gz(path_in("b.tsv.gz"),
		 "1\x1f" "2011-01-31\x1f" "x\n" "2\x1f" "2011-01-01 00:00:00\x1f" "y\n");
	assert_int_equal(dw_archive_verify(&m, path_in("b.tsv.gz"), &err), 0);
}

static void test_verify_unreadable(void **state)
{
	struct dw_archive_manifest m = manifest3(rows3);
	char target[PATH_MAX + 64];

	expect_refused(&m, path_in("missing.tsv.gz"), DW_EX_IOERR, "No such file");
	snprintf(target, sizeof target, "%s", path_in("a.tsv.gz"));
	write_gz(target, rows3);
	assert_int_equal(symlink(target, path_in("l.tsv.gz")), 0);
	expect_refused(&m, path_in("l.tsv.gz"), DW_EX_IOERR, "symbolic link");
}

static void test_open(void **state)
{
	struct dw_archive_manifest m = manifest3(rows3), got;
	struct dw_err err = { 0 };
	char *json = dw_archive_manifest_json(&m), *data = NULL, man[PATH_MAX + 64];

	write_gz(path_in("db.t.p201101.tsv.gz"), rows3);
	snprintf(man, sizeof man, "%s", path_in("db.t.p201101.manifest.json"));
	write_file(man, json, strlen(json));
	/* by the manifest, and by the data file */
	assert_int_equal(dw_archive_open(&got, man, &data, &err), 0);
	assert_string_equal(data, path_in("db.t.p201101.tsv.gz"));
	assert_int_equal(got.rows, 3);
	dw_archive_manifest_release(&got);
	free(data);
	assert_int_equal(dw_archive_open(&got, path_in("db.t.p201101.tsv.gz"), &data, &err), 0);
	assert_string_equal(got.partition, "p201101");
	dw_archive_manifest_release(&got);
	free(data);
	/* another name */
	assert_int_equal(dw_archive_open(&got, path_in("db.t.p201101.csv"), &data, &err), -1);
	assert_int_equal(err.code, DW_EX_USAGE);
	dw_archive_manifest_release(&got);
	free(data);
	/* a manifest whose rows differ from the file's */
	free(json);
	m.rows = 2;
	json = dw_archive_manifest_json(&m);
	write_file(man, json, strlen(json));
	assert_int_equal(dw_archive_open(&got, man, &data, &err), -1);
	assert_int_equal(err.code, DW_EX_DATAERR);
	dw_archive_manifest_release(&got);
	free(data);
	/* no manifest at all */
	unlink(man);
	assert_int_equal(dw_archive_open(&got, path_in("db.t.p201101.tsv.gz"), &data, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	dw_archive_manifest_release(&got);
	free(data);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_plain),
		cmocka_unit_test(test_row_null_and_empty),
		cmocka_unit_test(test_row_escapes),
		cmocka_unit_test(test_row_one_column),
		cmocka_unit_test(test_row_appends),
		cmocka_unit_test(test_split_fields),
		cmocka_unit_test(test_split_edges),
		cmocka_unit_test(test_split_refuses),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_manifest_round_trip),
		cmocka_unit_test(test_manifest_refused),
		cmocka_unit_test_setup_teardown(test_verify_intact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_bad_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
