/* Unit tests for lib/out.c: every format, escaping, UTF-8 widths and table
 * fitting. Expected outputs are written out by hand. */
#define _GNU_SOURCE   /* posix_openpt, ptsname, cfmakeraw */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "out.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct capture {
	FILE *fp;
	char *buf;
	size_t len;
};

static void capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->fp = open_memstream(&c->buf, &c->len);
	assert_non_null(c->fp);
}

/* Returns the captured text; the caller frees it. */
static char *capture_close(struct capture *c)
{
	assert_int_equal(fclose(c->fp), 0);
	return c->buf;
}

/* Renders ncols columns and nrows rows (cells row-major, NULL is SQL NULL)
 * in fmt and returns the output; the caller frees it. */
static char *render(enum dw_out_format fmt, int header, size_t ncols,
		    const char *const *names, const enum dw_out_kind *kinds,
		    size_t nrows, const char *const *cells)
{
	struct capture c;
	struct dw_err err;
	struct dw_out *out;
	size_t i;

	capture_open(&c);
	out = dw_out_new(c.fp, fmt, header);
	assert_non_null(out);
	for (i = 0; i < ncols; i++)
		dw_out_column(out, names[i], kinds ? kinds[i] : DW_OUT_TEXT);
	for (i = 0; i < nrows; i++)
		assert_int_equal(dw_out_row(out, cells + i * ncols, &err), 0);
	assert_int_equal(dw_out_end(out, &err), 0);
	dw_out_free(out);
	return capture_close(&c);
}

static void expect_render(const char *expected, enum dw_out_format fmt, int header,
			  size_t ncols, const char *const *names,
			  const enum dw_out_kind *kinds, size_t nrows,
			  const char *const *cells)
{
	char *got = render(fmt, header, ncols, names, kinds, nrows, cells);

	assert_string_equal(got, expected);
	free(got);
}

static int clear_columns(void **state)
{
	(void)state;
	unsetenv("COLUMNS");
	return 0;
}

/* ---- dw_out_parse_format ---- */

static void test_parse_format_names(void **state)
{
	static const struct {
		const char *name;
		enum dw_out_format fmt;
	} cases[] = {
		{ "table", DW_OUT_TABLE }, { "tsv", DW_OUT_TSV }, { "csv", DW_OUT_CSV },
		{ "json", DW_OUT_JSON }, { "jsonl", DW_OUT_JSONL }, { "xlsx", DW_OUT_XLSX },
		{ "tap", DW_OUT_TAP }, { "junit", DW_OUT_JUNIT },
	};
	struct dw_err err;
	enum dw_out_format fmt;
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		fmt = DW_OUT_AUTO;
		dw_err_clear(&err);
		assert_int_equal(dw_out_parse_format(cases[i].name, &fmt, &err), 0);
		assert_int_equal(fmt, cases[i].fmt);
		assert_int_equal(err.code, 0);
	}
}

static void test_parse_format_unknown(void **state)
{
	static const char *const bad[] = { "xml", "", "TABLE", "json ", "auto", "js" };
	struct dw_err err;
	enum dw_out_format fmt = DW_OUT_CSV;
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++) {
		assert_int_equal(dw_out_parse_format(bad[i], &fmt, &err), -1);
		assert_int_equal(err.code, DW_EX_USAGE);
		snprintf(want, sizeof want, "unknown format '%s' (expected table, tsv, csv, json, "
			 "jsonl, xlsx, tap or junit)", bad[i]);
		assert_string_equal(err.msg, want);
		assert_int_equal(fmt, DW_OUT_CSV);
	}
	assert_int_equal(dw_out_parse_format("xml", &fmt, &err), -1);
	assert_string_equal(err.msg, "unknown format 'xml' (expected table, tsv, csv, json, "
			    "jsonl, xlsx, tap or junit)");
}

/* The formats of test reports are named, not written, here. */
static void test_new_refuses_reports(void **state)
{
	(void)state;
	assert_null(dw_out_new(stderr, DW_OUT_TAP, 1));
	assert_null(dw_out_new(stderr, DW_OUT_JUNIT, 1));
}

/* ---- dw_out_width ---- */

static void test_utf8_width_basic(void **state)
{
	(void)state;
	assert_int_equal(dw_out_width(""), 0);
	assert_int_equal(dw_out_width("abc"), 3);
	assert_int_equal(dw_out_width("Resi P\xc3\xb6lking"), 12);   /* ö precomposed */
	assert_int_equal(strlen("Resi P\xc3\xb6lking"), 13);
	assert_int_equal(dw_out_width("\xe2\x80\xa6"), 1);            /* … */
	assert_int_equal(dw_out_width("\xc3\xa9t\xc3\xa9"), 3);       /* été */
}

static void test_utf8_width_wide(void **state)
{
	(void)state;
	assert_int_equal(dw_out_width("\xe6\x97\xa5"), 2);             /* 日 U+65E5 */
	assert_int_equal(dw_out_width("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* 日本 */
	assert_int_equal(dw_out_width("a\xe6\x97\xa5" "b"), 4);
	assert_int_equal(dw_out_width("\xea\xb0\x80"), 2);             /* 가 U+AC00 */
	assert_int_equal(dw_out_width("\xef\xbc\xa1"), 2);             /* Ａ U+FF21 */
	assert_int_equal(dw_out_width("\xef\xbd\xa1"), 1);             /* ｡ U+FF61 halfwidth */
	assert_int_equal(dw_out_width("\xf0\x9f\x8d\xba"), 2);         /* 🍺 U+1F37A */
	assert_int_equal(dw_out_width("\xf0\x9f\xa4\x94"), 2);         /* 🤔 U+1F914 */
	assert_int_equal(dw_out_width("\xf0\xa0\x80\x80"), 2);         /* U+20000 */
	assert_int_equal(dw_out_width("\xe1\x84\x80"), 2);             /* U+1100 first */
	assert_int_equal(dw_out_width("\xe1\x85\x9f"), 2);             /* U+115F last */
	assert_int_equal(dw_out_width("\xe1\x85\xa0"), 1);             /* U+1160 outside */
	assert_int_equal(dw_out_width("\xea\x93\x8f"), 2);             /* U+A4CF last */
	assert_int_equal(dw_out_width("\xea\x93\x90"), 1);             /* U+A4D0 outside */
}

static void test_utf8_width_zero(void **state)
{
	(void)state;
	assert_int_equal(dw_out_width("e\xcc\x81"), 1);                /* e + U+0301 */
	assert_int_equal(dw_out_width("Po\xcc\x88lking"), 7);          /* o + U+0308 */
	assert_int_equal(dw_out_width("\xcc\x80\xcd\xaf"), 0);         /* U+0300, U+036F */
	assert_int_equal(dw_out_width("\xcd\xb0"), 1);                 /* U+0370 outside */
	assert_int_equal(dw_out_width("a\xe2\x80\x8b" "b"), 2);        /* U+200B */
	assert_int_equal(dw_out_width("\xe2\x80\x8f"), 0);             /* U+200F */
	assert_int_equal(dw_out_width("\xe2\x80\x90"), 1);             /* U+2010 outside */
	assert_int_equal(dw_out_width("\xe1\xaa\xb0"), 0);             /* U+1AB0 */
	assert_int_equal(dw_out_width("x\xe2\x83\x97"), 1);            /* U+20D7 */
	assert_int_equal(dw_out_width("\xef\xb8\xa0"), 0);             /* U+FE20 */
}

static void test_utf8_width_invalid(void **state)
{
	(void)state;
	assert_int_equal(dw_out_width("\xff"), 1);
	assert_int_equal(dw_out_width("a\xff\xfe" "b"), 4);
	assert_int_equal(dw_out_width("\x80"), 1);                     /* stray continuation */
	assert_int_equal(dw_out_width("\xe6\x97"), 2);                 /* truncated 日 */
	assert_int_equal(dw_out_width("\xe6\x97" "a"), 3);
	assert_int_equal(dw_out_width("\xc0\xaf"), 2);                 /* overlong '/' */
	assert_int_equal(dw_out_width("\xe0\x80\xaf"), 3);             /* overlong '/' */
	assert_int_equal(dw_out_width("\xed\xa0\x80"), 3);             /* surrogate D800 */
	assert_int_equal(dw_out_width("\xf4\x90\x80\x80"), 4);         /* > U+10FFFF */
	assert_int_equal(dw_out_width(NULL), 0);
}

/* ---- tsv ---- */

static const char *const people_names[] = { "id", "name", "active" };
static const enum dw_out_kind people_kinds[] = { DW_OUT_NUMBER, DW_OUT_TEXT, DW_OUT_BOOL };
static const char *const people[] = {
	"1", "Alice", "t",
	"42", NULL, "f",
	"7", "Bob", NULL,
};

static void test_tsv_basic(void **state)
{
	(void)state;
	expect_render("id\tname\tactive\n"
		      "1\tAlice\tt\n"
		      "42\t\tf\n"
		      "7\tBob\t\n",
		      DW_OUT_TSV, 1, 3, people_names, people_kinds, 3, people);
}

static void test_tsv_escaping(void **state)
{
	static const char *const names[] = { "a\tb", "back\\slash" };
	static const char *const cells[] = {
		"x\ty", "c:\\dir",
		"line1\nline2\r", "",
		"\\t literal", "\xc3\xa9t\xc3\xa9 \xe6\x97\xa5",
	};

	(void)state;
	expect_render("a\\tb\tback\\\\slash\n"
		      "x\\ty\tc:\\\\dir\n"
		      "line1\\nline2\\r\t\n"
		      "\\\\t literal\t\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\n",
		      DW_OUT_TSV, 1, 2, names, NULL, 3, cells);
}

static void test_tsv_no_header(void **state)
{
	(void)state;
	expect_render("1\tAlice\tt\n"
		      "42\t\tf\n"
		      "7\tBob\t\n",
		      DW_OUT_TSV, 0, 3, people_names, people_kinds, 3, people);
}

static void test_tsv_empty(void **state)
{
	(void)state;
	expect_render("id\tname\tactive\n", DW_OUT_TSV, 1, 3, people_names, people_kinds, 0, NULL);
	expect_render("", DW_OUT_TSV, 0, 3, people_names, people_kinds, 0, NULL);
}

static void test_auto_not_a_tty_is_tsv(void **state)
{
	(void)state;
	expect_render("id\tname\tactive\n"
		      "1\tAlice\tt\n"
		      "42\t\tf\n"
		      "7\tBob\t\n",
		      DW_OUT_AUTO, 1, 3, people_names, people_kinds, 3, people);
}

/* ---- csv ---- */

static void test_csv_basic(void **state)
{
	(void)state;
	expect_render("id,name,active\n"
		      "1,Alice,t\n"
		      "42,,f\n"
		      "7,Bob,\n",
		      DW_OUT_CSV, 1, 3, people_names, people_kinds, 3, people);
}

static void test_csv_quoting(void **state)
{
	static const char *const names[] = { "id", "a,b", "say \"x\"" };
	static const char *const cells[] = {
		"1", "Smith, John", "say \"hi\"",
		"2", NULL, "multi\nline",
		"3", "cr\r", "tab\there",
		"4", " spaced ", "\xc3\xa9t\xc3\xa9",
	};

	(void)state;
	expect_render("id,\"a,b\",\"say \"\"x\"\"\"\n"
		      "1,\"Smith, John\",\"say \"\"hi\"\"\"\n"
		      "2,,\"multi\nline\"\n"
		      "3,\"cr\r\",tab\there\n"
		      "4, spaced ,\xc3\xa9t\xc3\xa9\n",
		      DW_OUT_CSV, 1, 3, names, NULL, 4, cells);
}

static void test_csv_single_column_empty(void **state)
{
	static const char *const names[] = { "v" };
	static const char *const cells[] = { "", NULL, "x" };

	(void)state;
	/* An empty string alone would be a blank line; NULL stays empty. */
	expect_render("v\n\"\"\n\nx\n", DW_OUT_CSV, 1, 1, names, NULL, 3, cells);
}

static void test_csv_no_header_and_empty(void **state)
{
	(void)state;
	expect_render("1,Alice,t\n42,,f\n7,Bob,\n",
		      DW_OUT_CSV, 0, 3, people_names, people_kinds, 3, people);
	expect_render("id,name,active\n", DW_OUT_CSV, 1, 3, people_names, people_kinds, 0, NULL);
	expect_render("", DW_OUT_CSV, 0, 3, people_names, people_kinds, 0, NULL);
}

/* ---- json / jsonl ---- */

static const char *const mixed_names[] = { "id", "name", "ok", "amount" };
static const enum dw_out_kind mixed_kinds[] = {
	DW_OUT_NUMBER, DW_OUT_TEXT, DW_OUT_BOOL, DW_OUT_NUMBER,
};
static const char *const mixed[] = {
	"1", "Alice", "t", "12.50",
	"2", NULL, "false", "NaN",
	"-3", "q\"b\\s\n\x01\t", "1", "1e5",
	"007", "\xc3\xbc\xe6\x97\xa5", "maybe", NULL,
};

static void test_json_basic(void **state)
{
	(void)state;
	expect_render("[\n"
		      "{\"id\":1,\"name\":\"Alice\",\"ok\":true,\"amount\":12.50},\n"
		      "{\"id\":2,\"name\":null,\"ok\":false,\"amount\":\"NaN\"},\n"
		      "{\"id\":-3,\"name\":\"q\\\"b\\\\s\\n\\u0001\\t\",\"ok\":true,\"amount\":1e5},\n"
		      "{\"id\":\"007\",\"name\":\"\xc3\xbc\xe6\x97\xa5\",\"ok\":\"maybe\",\"amount\":null}\n"
		      "]\n",
		      DW_OUT_JSON, 1, 4, mixed_names, mixed_kinds, 4, mixed);
}

static void test_json_header_flag_ignored(void **state)
{
	static const char *const names[] = { "n" };
	static const enum dw_out_kind kinds[] = { DW_OUT_NUMBER };
	static const char *const cells[] = { "1", "2" };

	(void)state;
	expect_render("[\n{\"n\":1},\n{\"n\":2}\n]\n", DW_OUT_JSON, 0, 1, names, kinds, 2, cells);
	expect_render("{\"n\":1}\n{\"n\":2}\n", DW_OUT_JSONL, 0, 1, names, kinds, 2, cells);
}

static void test_json_empty(void **state)
{
	(void)state;
	expect_render("[]\n", DW_OUT_JSON, 1, 4, mixed_names, mixed_kinds, 0, NULL);
	expect_render("", DW_OUT_JSONL, 1, 4, mixed_names, mixed_kinds, 0, NULL);
}

static void test_json_escaping(void **state)
{
	static const char *const names[] = { "k\"ey\n" };
	static const char *const cells[] = {
		"\x1f\x7f/",
		("a\xff" "b"),
		"\xe2\x80\xa8\xf0\x9f\x8d\xba",
		"\r\b\f",
	};

	(void)state;
	expect_render("{\"k\\\"ey\\n\":\"\\u001f\\u007f/\"}\n"
		      "{\"k\\\"ey\\n\":\"a\\ufffdb\"}\n"
		      "{\"k\\\"ey\\n\":\"\xe2\x80\xa8\xf0\x9f\x8d\xba\"}\n"
		      "{\"k\\\"ey\\n\":\"\\r\\u0008\\u000c\"}\n",
		      DW_OUT_JSONL, 1, 1, names, NULL, 4, cells);
}

static void test_json_numbers(void **state)
{
	static const char *const good[] = {
		"0", "-0", "7", "-12", "1.5", "-0.25", "1e5", "1E+2", "2.5e-3", "10",
	};
	static const char *const bad[] = {
		"", "+1", ".5", "1.", "01", "-", "1e", "1e+", "--1", " 1", "1 ",
		"Infinity", "0x10", "1,5", "12abc", "-.5",
	};
	static const char *const names[] = { "n" };
	static const enum dw_out_kind kinds[] = { DW_OUT_NUMBER };
	char want[64];
	size_t i;

	(void)state;
	for (i = 0; i < N(good); i++) {
		snprintf(want, sizeof want, "{\"n\":%s}\n", good[i]);
		expect_render(want, DW_OUT_JSONL, 1, 1, names, kinds, 1, &good[i]);
	}
	for (i = 0; i < N(bad); i++) {
		snprintf(want, sizeof want, "{\"n\":\"%s\"}\n", bad[i]);
		expect_render(want, DW_OUT_JSONL, 1, 1, names, kinds, 1, &bad[i]);
	}
}

static void test_json_text_number_stays_string(void **state)
{
	static const char *const names[] = { "zip", "flag" };
	static const char *const cells[] = { "01234", "t" };

	(void)state;
	/* Kind TEXT: never a number or boolean even when it looks like one. */
	expect_render("{\"zip\":\"01234\",\"flag\":\"t\"}\n",
		      DW_OUT_JSONL, 1, 2, names, NULL, 1, cells);
}

static void test_json_bools(void **state)
{
	static const char *const names[] = { "b" };
	static const enum dw_out_kind kinds[] = { DW_OUT_BOOL };
	static const char *const cells[] = {
		"1", "t", "true", "TRUE", "T", "0", "f", "false", "False", "yes", "", NULL,
	};

	(void)state;
	expect_render("{\"b\":true}\n{\"b\":true}\n{\"b\":true}\n{\"b\":true}\n{\"b\":true}\n"
		      "{\"b\":false}\n{\"b\":false}\n{\"b\":false}\n{\"b\":false}\n"
		      "{\"b\":\"yes\"}\n{\"b\":\"\"}\n{\"b\":null}\n",
		      DW_OUT_JSONL, 1, 1, names, kinds, N(cells), cells);
}

static void test_jsonl_basic(void **state)
{
	(void)state;
	expect_render("{\"id\":1,\"name\":\"Alice\",\"ok\":true,\"amount\":12.50}\n"
		      "{\"id\":2,\"name\":null,\"ok\":false,\"amount\":\"NaN\"}\n"
		      "{\"id\":-3,\"name\":\"q\\\"b\\\\s\\n\\u0001\\t\",\"ok\":true,\"amount\":1e5}\n"
		      "{\"id\":\"007\",\"name\":\"\xc3\xbc\xe6\x97\xa5\",\"ok\":\"maybe\",\"amount\":null}\n",
		      DW_OUT_JSONL, 1, 4, mixed_names, mixed_kinds, 4, mixed);
}

/* ---- table ---- */

static void test_table_basic(void **state)
{
	(void)state;
	expect_render("id  name   active\n"
		      "--  -----  ------\n"
		      " 1  Alice  t\n"
		      "42         f\n"
		      " 7  Bob\n",
		      DW_OUT_TABLE, 1, 3, people_names, people_kinds, 3, people);
}

static void test_table_no_header(void **state)
{
	(void)state;
	/* Widths come from the data alone: "active" no longer widens column 3. */
	expect_render(" 1  Alice  t\n"
		      "42         f\n"
		      " 7  Bob\n",
		      DW_OUT_TABLE, 0, 3, people_names, people_kinds, 3, people);
}

static void test_table_no_header_narrow(void **state)
{
	static const char *const names[] = { "identifier", "n" };
	static const enum dw_out_kind kinds[] = { DW_OUT_NUMBER, DW_OUT_TEXT };
	static const char *const cells[] = { "1", "a", "22", "b" };

	(void)state;
	/* The long name must not widen the column it is not printed over. */
	expect_render(" 1  a\n22  b\n", DW_OUT_TABLE, 0, 2, names, kinds, 2, cells);
	expect_render("identifier  n\n----------  -\n         1  a\n        22  b\n",
		      DW_OUT_TABLE, 1, 2, names, kinds, 2, cells);
}

static void test_table_empty(void **state)
{
	(void)state;
	expect_render("id  name  active\n"
		      "--  ----  ------\n",
		      DW_OUT_TABLE, 1, 3, people_names, people_kinds, 0, NULL);
	expect_render("", DW_OUT_TABLE, 0, 3, people_names, people_kinds, 0, NULL);
}

static void test_table_utf8_alignment(void **state)
{
	static const char *const names[] = { "name", "n", "city" };
	static const enum dw_out_kind kinds[] = { DW_OUT_TEXT, DW_OUT_NUMBER, DW_OUT_TEXT };
	static const char *const cells[] = {
		"Resi P\xc3\xb6lking", "1", "K\xc3\xb6ln",
		"Bo", "22", "\xe6\x9d\xb1\xe4\xba\xac",              /* 東京 */
		"\xe6\x97\xa5\xe6\x9c\xac", "3", "Ame\xcc\x81lie",   /* 日本, Amélie decomposed */
	};

	(void)state;
	/* name is 12 columns wide (13 bytes in "Resi Pölking"). */
	expect_render("name           n  city\n"
		      "------------  --  ------\n"
		      "Resi P\xc3\xb6lking   1  K\xc3\xb6ln\n"
		      "Bo            22  \xe6\x9d\xb1\xe4\xba\xac\n"
		      "\xe6\x97\xa5\xe6\x9c\xac           3  Ame\xcc\x81lie\n",
		      DW_OUT_TABLE, 1, 3, names, kinds, 3, cells);
}

static void test_table_control_chars(void **state)
{
	static const char *const names[] = { "v", "w" };
	static const char *const cells[] = {
		"a\tb\nc", "x\t",
		"\x1b[1mz", "y\r\n",
	};

	(void)state;
	/* Tab, newline, CR and ESC show as spaces; none end up at a line end. */
	expect_render("v      w\n"
		      "-----  ---\n"
		      "a b c  x\n"
		      " [1mz  y\n",
		      DW_OUT_TABLE, 1, 2, names, NULL, 2, cells);
}

static void test_table_truncates_to_columns(void **state)
{
	static const char *const names[] = { "id", "description", "city" };
	static const enum dw_out_kind kinds[] = { DW_OUT_NUMBER, DW_OUT_TEXT, DW_OUT_TEXT };
	static const char *const cells[] = {
		"1", "A very long description text", "Berlin",
		"2", "short", "Z\xc3\xbcrich",
	};

	(void)state;
	setenv("COLUMNS", "20", 1);
	/* 2+28+6 plus separators is 40; description shrinks to 8. */
	expect_render("id  descrip\xe2\x80\xa6  city\n"
		      "--  --------  ------\n"
		      " 1  A very \xe2\x80\xa6  Berlin\n"
		      " 2  short     Z\xc3\xbcrich\n",
		      DW_OUT_TABLE, 1, 3, names, kinds, 2, cells);
	/* Without COLUMNS a non-terminal is unlimited. */
	unsetenv("COLUMNS");
	expect_render("id  description                   city\n"
		      "--  ----------------------------  ------\n"
		      " 1  A very long description text  Berlin\n"
		      " 2  short                         Z\xc3\xbcrich\n",
		      DW_OUT_TABLE, 1, 3, names, kinds, 2, cells);
}

static void test_table_truncates_wide_chars(void **state)
{
	static const char *const names[] = { "k", "v" };
	static const char *const cells[] = {
		"a", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad",  /* 日本語テキ */
		"b", "P\xc3\xb6lking Resi",
	};

	(void)state;
	setenv("COLUMNS", "9", 1);
	/* v shrinks from 12 to 6: 日本 (4) + … and the cell pads to 6 by width;
	 * "Pölki…" cuts after the 5th character, not the 5th byte. */
	expect_render("k  v\n"
		      "-  ------\n"
		      "a  \xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6\n"
		      "b  P\xc3\xb6lki\xe2\x80\xa6\n",
		      DW_OUT_TABLE, 1, 2, names, NULL, 2, cells);
}

static void test_table_truncate_keeps_combining(void **state)
{
	static const char *const names[] = { "v" };
	static const char *const cells[] = { "abe\xcc\x81xyz" };   /* abéxyz, é decomposed */

	(void)state;
	setenv("COLUMNS", "4", 1);
	expect_render("v\n----\nabe\xcc\x81\xe2\x80\xa6\n", DW_OUT_TABLE, 1, 1, names, NULL, 1, cells);
}

static void test_table_shrinks_widest_evenly(void **state)
{
	static const char *const names[] = { "x", "y", "n" };
	static const enum dw_out_kind kinds[] = { DW_OUT_TEXT, DW_OUT_TEXT, DW_OUT_NUMBER };
	static const char *const cells[] = { "abcdefghij", "0123456789", "12345" };

	(void)state;
	setenv("COLUMNS", "24", 1);
	/* 10+10+5+4 = 29: both 10-wide columns lose 5 columns together (3+2);
	 * the narrower number column is left alone. */
	expect_render("x        y             n\n"
		      "-------  --------  -----\n"
		      "abcdef\xe2\x80\xa6  0123456\xe2\x80\xa6  12345\n",
		      DW_OUT_TABLE, 1, 3, names, kinds, 1, cells);
}

static void test_table_minimum_width(void **state)
{
	static const char *const names[] = { "a", "b", "c" };
	static const char *const cells[] = { "abcdef", "ghijkl", "x" };

	(void)state;
	setenv("COLUMNS", "5", 1);
	/* Cannot fit: columns stop at 3 wide; a 1-wide column is not widened. */
	expect_render("a    b    c\n"
		      "---  ---  -\n"
		      "ab\xe2\x80\xa6  gh\xe2\x80\xa6  x\n",
		      DW_OUT_TABLE, 1, 3, names, NULL, 1, cells);
}

static void test_table_fits_exactly(void **state)
{
	static const char *const names[] = { "a", "b" };
	static const char *const cells[] = { "abcdef", "ghijkl" };

	(void)state;
	setenv("COLUMNS", "14", 1);
	expect_render("a       b\n------  ------\nabcdef  ghijkl\n",
		      DW_OUT_TABLE, 1, 2, names, NULL, 1, cells);
	setenv("COLUMNS", "13", 1);
	expect_render("a      b\n-----  ------\nabcd\xe2\x80\xa6  ghijkl\n",
		      DW_OUT_TABLE, 1, 2, names, NULL, 1, cells);
}

static void test_table_bad_columns_ignored(void **state)
{
	static const char *const names[] = { "v" };
	static const char *const cells[] = { "abcdefghij" };
	static const char *const values[] = { "abc", "0", "-5", "9x", " 9", "9 ", "" };
	size_t i;

	(void)state;
	for (i = 0; i < N(values); i++) {
		setenv("COLUMNS", values[i], 1);
		expect_render("v\n----------\nabcdefghij\n", DW_OUT_TABLE, 1, 1, names, NULL, 1, cells);
	}
}

static void test_table_long_value_unlimited(void **state)
{
	static const char *const names[] = { "v" };
	char big[301], want[2 + 301 + 301 + 1];
	const char *cells[1] = { big };

	(void)state;
	/* Not a terminal and no COLUMNS: nothing is cut. */
	memset(big, 'x', 300);
	big[300] = '\0';
	memcpy(want, "v\n", 2);
	memset(want + 2, '-', 300);
	want[302] = '\n';
	memcpy(want + 303, big, 300);
	want[603] = '\n';
	want[604] = '\0';
	expect_render(want, DW_OUT_TABLE, 1, 1, names, NULL, 1, cells);
}

/* Opens a pseudo-terminal of the given width in raw mode (no "\r\n"
 * translation). Returns the master fd and the slave as *slave, or -1. */
static int pty_open(unsigned short cols, FILE **slave)
{
	struct winsize ws = { .ws_row = 24, .ws_col = cols };
	struct termios tio;
	int master, fd;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0)
		return -1;
	if (grantpt(master) < 0 || unlockpt(master) < 0)
		goto fail;
	fd = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (fd < 0)
		goto fail;
	if (tcgetattr(fd, &tio) < 0 || ioctl(fd, TIOCSWINSZ, &ws) < 0) {
		close(fd);
		goto fail;
	}
	cfmakeraw(&tio);
	tcsetattr(fd, TCSANOW, &tio);
	*slave = fdopen(fd, "w");
	if (*slave)
		return master;
	close(fd);
fail:
	close(master);
	return -1;
}

/* Reads what the slave side wrote (want bytes expected) from the master,
 * waiting up to a second for it and briefly for anything extra. */
static char *pty_read(int master, size_t want)
{
	struct pollfd pfd = { .fd = master, .events = POLLIN };
	char *buf = calloc(1, want + 64);
	size_t len = 0;
	ssize_t n;

	assert_non_null(buf);
	while (len < want + 63 && poll(&pfd, 1, len < want ? 1000 : 50) == 1) {
		n = read(master, buf + len, want + 63 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	return buf;
}

static void test_auto_tty_is_table_fitted(void **state)
{
	static const char *const row[] = { "1", "A very long description text" };
	static const char *const want =
		"id  descrip\xe2\x80\xa6\n"
		"--  --------\n"
		" 1  A very \xe2\x80\xa6\n";
	struct dw_out *out;
	struct dw_err err;
	FILE *slave;
	char *got;
	int master;

	(void)state;
	master = pty_open(12, &slave);
	if (master < 0)
		skip();
	/* No COLUMNS: AUTO picks table on a terminal, 12 columns from the tty. */
	out = dw_out_new(slave, DW_OUT_AUTO, 1);
	assert_non_null(out);
	dw_out_column(out, "id", DW_OUT_NUMBER);
	dw_out_column(out, "description", DW_OUT_TEXT);
	assert_int_equal(dw_out_row(out, row, &err), 0);
	assert_int_equal(dw_out_end(out, &err), 0);
	dw_out_free(out);
	got = pty_read(master, strlen(want));
	assert_string_equal(got, want);
	free(got);
	fclose(slave);
	close(master);
}

static void test_tty_without_size_is_80(void **state)
{
	static const char *const head = "id  description\n--  ";
	char big[101], want[300], *got, *p;
	const char *row[2] = { "1", big };
	struct dw_out *out;
	struct dw_err err;
	FILE *slave;
	int master;

	(void)state;
	master = pty_open(0, &slave);
	if (master < 0)
		skip();
	memset(big, 'x', 100);
	big[100] = '\0';
	/* 2 + 2 + 76 = 80: description shrinks from 100 to 76. */
	p = stpcpy(want, head);
	memset(p, '-', 76);
	p = stpcpy(p + 76, "\n 1  ");
	memset(p, 'x', 75);
	strcpy(p + 75, "\xe2\x80\xa6\n");
	out = dw_out_new(slave, DW_OUT_TABLE, 1);
	assert_non_null(out);
	dw_out_column(out, "id", DW_OUT_NUMBER);
	dw_out_column(out, "description", DW_OUT_TEXT);
	assert_int_equal(dw_out_row(out, row, &err), 0);
	assert_int_equal(dw_out_end(out, &err), 0);
	dw_out_free(out);
	got = pty_read(master, strlen(want));
	assert_string_equal(got, want);
	free(got);
	fclose(slave);
	close(master);
}

/* ---- spreadsheet formulas and terminal controls ---- */

/* OWASP: a cell starting with = + - @ tab or CR is quoted with a ' first;
 * numbers, in a numeric column or not, are left alone. */
static void test_csv_safe(void **state)
{
	static const char *const names[] = { "=name", "amount" };
	static const enum dw_out_kind kinds[] = { DW_OUT_TEXT, DW_OUT_NUMBER };
	static const char *const cells[] = {
		"=1+2", "-12.5",
		"+SUM(A1:A9)", "+3",
		"-1+2", "-1e3",
		"@cmd", NULL,
		"\tx", "0",
		"\r=x", "1",
		"-12.5", "2",
		"a\"=b", "3",
		"=\"q\"", "4",
	};
	static const char *const safe =
		"\"'=name\",amount\n"
		"\"'=1+2\",-12.5\n"
		"\"'+SUM(A1:A9)\",+3\n"
		"\"'-1+2\",-1e3\n"
		"\"'@cmd\",\n"
		"\"'\tx\",0\n"
		"\"'\r=x\",1\n"
		"-12.5,2\n"
		"\"a\"\"=b\",3\n"
		"\"'=\"\"q\"\"\",4\n";
	static const char *const raw =
		"=name,amount\n"
		"=1+2,-12.5\n"
		"+SUM(A1:A9),+3\n"
		"-1+2,-1e3\n"
		"@cmd,\n"
		"\tx,0\n"
		"\"\r=x\",1\n"
		"-12.5,2\n"
		"\"a\"\"=b\",3\n"
		"\"=\"\"q\"\"\",4\n";

	(void)state;
	dw_out_set_csv_safe(DW_OUT_CSV_SAFE_ON);
	expect_render(safe, DW_OUT_CSV, 1, 2, names, kinds, N(cells) / 2, cells);
	dw_out_set_csv_safe(DW_OUT_CSV_SAFE_OFF);
	expect_render(raw, DW_OUT_CSV, 1, 2, names, kinds, N(cells) / 2, cells);
	/* AUTO: off in a pipe or file (a memory stream here) */
	dw_out_set_csv_safe(DW_OUT_CSV_SAFE_AUTO);
	expect_render(raw, DW_OUT_CSV, 1, 2, names, kinds, N(cells) / 2, cells);
	/* tsv is not csv: nothing added */
	dw_out_set_csv_safe(DW_OUT_CSV_SAFE_ON);
	expect_render("=name\tamount\n=1+2\t-12.5\n", DW_OUT_TSV, 1, 2, names, kinds, 1, cells);
	dw_out_set_csv_safe(DW_OUT_CSV_SAFE_AUTO);
}

/* Renders one column of rows on a pseudo-terminal (AUTO CSV safety). */
static char *render_tty(enum dw_out_format fmt, const char *const *cells, size_t nrows,
			size_t want)
{
	struct dw_out *out;
	struct dw_err err;
	FILE *slave;
	char *got;
	int master = pty_open(80, &slave);

	if (master < 0)
		return NULL;
	out = dw_out_new(slave, fmt, 0);
	assert_non_null(out);
	dw_out_column(out, "v", DW_OUT_TEXT);
	for (size_t i = 0; i < nrows; i++)
		assert_int_equal(dw_out_row(out, cells + i, &err), 0);
	assert_int_equal(dw_out_end(out, &err), 0);
	dw_out_free(out);
	got = pty_read(master, want);
	fclose(slave);
	close(master);
	return got;
}

/* ESC, BEL, CR, DEL, a C1 control and a stray byte reach a terminal as
 * \xNN in tsv and csv, and CSV cells are formula-safe there by default. */
static void test_tty_controls_escaped(void **state)
{
	static const char *const cells[] = {
		"a\x1b[31mred\x07", "cr\rlf", "del\x7f c1\xc2\x9b bad\x9b ok\xc3\xa9", "=1+2",
	};
	static const char *const tsv =
		"a\\x1b[31mred\\x07\n"
		"cr\\rlf\n"
		"del\\x7f c1\\xc2\\x9b bad\\x9b ok\xc3\xa9\n"
		"=1+2\n";
	static const char *const csv =
		"a\\x1b[31mred\\x07\n"
		"\"cr\\x0dlf\"\n"
		"del\\x7f c1\\xc2\\x9b bad\\x9b ok\xc3\xa9\n"
		"\"'=1+2\"\n";
	static const char *const table =
		"a [31mred\n"
		"cr lf\n"
		"del  c1  bad\xef\xbf\xbd ok\xc3\xa9\n"
		"=1+2\n";
	char *got;

	(void)state;
	got = render_tty(DW_OUT_TSV, cells, N(cells), strlen(tsv));
	if (!got)
		skip();
	assert_string_equal(got, tsv);
	free(got);
	got = render_tty(DW_OUT_CSV, cells, N(cells), strlen(csv));
	assert_string_equal(got, csv);
	free(got);
	got = render_tty(DW_OUT_TABLE, cells, N(cells), strlen(table));
	assert_string_equal(got, table);
	free(got);
	/* In a pipe or file the bytes stay as they are (tsv escapes only its
	 * own separators). */
	{
		static const char *const names[] = { "v" };

		expect_render("a\x1b[31mred\x07\n", DW_OUT_TSV, 0, 1, names, NULL, 1, cells);
	}
}

/* JSON escapes DEL and C1 controls as well as C0 ones. */
static void test_json_escapes_del_and_c1(void **state)
{
	static const char *const names[] = { "v" };
	static const char *const cells[] = { "a\x7f" "b\xc2\x9b" "c\x1b" };

	(void)state;
	expect_render("{\"v\":\"a\\u007fb\\u009bc\\u001b\"}\n", DW_OUT_JSONL, 1, 1, names, NULL, 1,
		      cells);
}

/* ---- errors ---- */

static void test_write_error_on_end(void **state)
{
	static const char *const row[] = { "1", "Alice", "t" };
	enum dw_out_format fmts[] = { DW_OUT_TSV, DW_OUT_TABLE, DW_OUT_JSON };
	struct dw_out *out;
	struct dw_err err;
	FILE *fp;
	size_t i;

	(void)state;
	for (i = 0; i < N(fmts); i++) {
		fp = fopen("/dev/full", "w");
		if (!fp)
			skip();
		out = dw_out_new(fp, fmts[i], 1);
		assert_non_null(out);
		dw_out_column(out, "id", DW_OUT_NUMBER);
		dw_out_column(out, "name", DW_OUT_TEXT);
		dw_out_column(out, "active", DW_OUT_BOOL);
		assert_int_equal(dw_out_row(out, row, &err), 0);   /* still buffered */
		dw_err_clear(&err);
		assert_int_equal(dw_out_end(out, &err), -1);
		assert_int_equal(err.code, DW_EX_IOERR);
		assert_string_equal(err.msg, "cannot write output: No space left on device");
		dw_out_free(out);
		fclose(fp);
	}
}

static void test_write_error_on_row(void **state)
{
	static const char *const row[] = { "1" };
	struct dw_out *out;
	struct dw_err err;
	FILE *fp = fopen("/dev/null", "r");   /* writes fail at once */

	(void)state;
	assert_non_null(fp);
	out = dw_out_new(fp, DW_OUT_CSV, 1);
	assert_non_null(out);
	dw_out_column(out, "id", DW_OUT_NUMBER);
	dw_err_clear(&err);
	assert_int_equal(dw_out_row(out, row, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_non_null(strstr(err.msg, "cannot write output"));
	dw_err_clear(&err);
	assert_int_equal(dw_out_end(out, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	dw_out_free(out);
	fclose(fp);
}

static void test_column_after_row(void **state)
{
	static const char *const row[] = { "1" };
	struct capture c;
	struct dw_out *out;
	struct dw_err err;

	(void)state;
	capture_open(&c);
	out = dw_out_new(c.fp, DW_OUT_TABLE, 1);
	assert_non_null(out);
	dw_out_column(out, "id", DW_OUT_NUMBER);
	assert_int_equal(dw_out_row(out, row, &err), 0);
	dw_out_column(out, "late", DW_OUT_TEXT);
	assert_int_equal(dw_out_row(out, row, &err), -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	assert_int_equal(dw_out_end(out, &err), -1);
	assert_int_equal(err.code, DW_EX_SOFTWARE);
	dw_out_free(out);
	free(capture_close(&c));
}

static void test_free_null_and_unended(void **state)
{
	static const char *const row[] = { "a", NULL };
	struct capture c;
	struct dw_out *out;
	struct dw_err err;

	(void)state;
	dw_out_free(NULL);
	capture_open(&c);
	out = dw_out_new(c.fp, DW_OUT_TABLE, 1);
	assert_non_null(out);
	dw_out_column(out, "x", DW_OUT_TEXT);
	dw_out_column(out, "y", DW_OUT_TEXT);
	assert_int_equal(dw_out_row(out, row, &err), 0);
	dw_out_free(out);   /* buffered rows are freed without printing */
	free(capture_close(&c));
}

/* ---- xlsx ---- */

/* Writes a workbook of the cells below to a temporary file and returns
 * what xlsx2csv (an independent reader: make deps installs it) reads from
 * all its sheets, dates shown as D.M.Y so that a date cell shows apart
 * from text. The caller frees it. */
static char *xlsx_read_back(void)
{
	static const char *const names[] = { "market", "sales", "day", "big", "ts", "text" };
	static const enum dw_out_kind kinds[] = { DW_OUT_TEXT, DW_OUT_NUMBER, DW_OUT_TEXT,
						  DW_OUT_NUMBER, DW_OUT_TEXT, DW_OUT_TEXT };
	static const char *const rows[] = {
		"Central", "2297200.8603", "2014-01-07", "12345678901234567", "2014-02-03 04:05:06", "=1+1",
		"West", "-0.5", NULL, "7", "2014-02-28 23:59:59.5", "2014-01-07",
		"East", "1e3", "2012-02-29", "-0.25", NULL, "2014-02-30",
	};
	static const char *const keys[] = { "question", "SQL" };
	static const char *const values[] = { "sales by market", "SELECT 1" };
	char path[] = "/tmp/dw-test-out-XXXXXX", cmd[128], *text = NULL;
	int fd = mkstemp(path);
	FILE *fp = fd < 0 ? NULL : fdopen(fd, "w"), *p;
	struct dw_out *out = dw_out_new(fp, DW_OUT_XLSX, 1);
	struct dw_err err;
	size_t len = 0;

	assert_non_null(out);
	for (size_t i = 0; i < N(names); i++)
		dw_out_column(out, names[i], kinds[i]);
	for (size_t r = 0; r < 3; r++)
		assert_int_equal(dw_out_row(out, rows + r * N(names), &err), 0);
	dw_out_note_sheet(out, "about", keys, values, N(keys));
	assert_int_equal(dw_out_end(out, &err), 0);
	dw_out_free(out);
	assert_int_equal(fclose(fp), 0);
	snprintf(cmd, sizeof cmd, "xlsx2csv -a -f %%d.%%m.%%Y %s", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_not_equal(getdelim(&text, &len, '\0', p), -1);
	assert_int_equal(pclose(p), 0);
	unlink(path);
	return text;
}

static void test_xlsx_values(void **state)
{
	char *got = xlsx_read_back();

	(void)state;
	/* numbers as numbers, shown with the column's decimals; a 17-digit
	 * number stays text; a column of dates (or date-times) is dates; one
	 * value that is no date keeps a column text; no formula runs */
	assert_string_equal(got,
		"-------- 1 - data\n"
		"market,sales,day,big,ts,text\n"
		"Central,2297200.8603,07.01.2014,12345678901234567,03.02.2014,=1+1\n"
		"West,-0.5000,,7.00,28.02.2014,2014-01-07\n"
		"East,1000.0000,29.02.2012,-0.25,,2014-02-30\n"
		"-------- 2 - about\n"
		"question,sales by market\n"
		"SQL,SELECT 1\n");
	free(got);
}

static void test_xlsx_one_workbook_per_stream(void **state)
{
	static const char *const row[] = { "1" };
	struct capture c;
	struct dw_out *out;
	struct dw_err err;

	(void)state;
	capture_open(&c);
	for (int i = 0; i < 2; i++) {
		out = dw_out_new(c.fp, DW_OUT_XLSX, 1);
		dw_out_column(out, "n", DW_OUT_NUMBER);
		assert_int_equal(dw_out_row(out, row, &err), 0);
		assert_int_equal(dw_out_end(out, &err), i ? -1 : 0);
		dw_out_free(out);
	}
	assert_int_equal(err.code, DW_EX_USAGE);
	fflush(c.fp);
	assert_true(c.len > 4 && !memcmp(c.buf, "PK\3\4", 4));
	free(capture_close(&c));
}

static void test_note_sheet_only_xlsx(void **state)
{
	static const char *const keys[] = { "question" }, *const values[] = { "q" };
	static const char *const row[] = { "1" };
	struct capture c;
	struct dw_out *out;
	struct dw_err err;
	char *got;

	(void)state;
	capture_open(&c);
	out = dw_out_new(c.fp, DW_OUT_TSV, 1);
	dw_out_column(out, "n", DW_OUT_NUMBER);
	dw_out_note_sheet(out, "about", keys, values, 1);
	assert_int_equal(dw_out_row(out, row, &err), 0);
	assert_int_equal(dw_out_end(out, &err), 0);
	dw_out_free(out);
	got = capture_close(&c);
	assert_string_equal(got, "n\n1\n");
	free(got);
}

#define T(f) cmocka_unit_test_setup_teardown(f, clear_columns, clear_columns)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse_format_names),
		T(test_parse_format_unknown),
		T(test_new_refuses_reports),
		T(test_utf8_width_basic),
		T(test_utf8_width_wide),
		T(test_utf8_width_zero),
		T(test_utf8_width_invalid),
		T(test_tsv_basic),
		T(test_tsv_escaping),
		T(test_tsv_no_header),
		T(test_tsv_empty),
		T(test_auto_not_a_tty_is_tsv),
		T(test_auto_tty_is_table_fitted),
		T(test_tty_without_size_is_80),
		T(test_csv_basic),
		T(test_csv_quoting),
		T(test_csv_single_column_empty),
		T(test_csv_no_header_and_empty),
		T(test_json_basic),
		T(test_json_header_flag_ignored),
		T(test_json_empty),
		T(test_json_escaping),
		T(test_json_numbers),
		T(test_json_text_number_stays_string),
		T(test_json_bools),
		T(test_jsonl_basic),
		T(test_table_basic),
		T(test_table_no_header),
		T(test_table_no_header_narrow),
		T(test_table_empty),
		T(test_table_utf8_alignment),
		T(test_table_control_chars),
		T(test_table_truncates_to_columns),
		T(test_table_truncates_wide_chars),
		T(test_table_truncate_keeps_combining),
		T(test_table_shrinks_widest_evenly),
		T(test_table_minimum_width),
		T(test_table_fits_exactly),
		T(test_table_bad_columns_ignored),
		T(test_table_long_value_unlimited),
		T(test_write_error_on_end),
		T(test_write_error_on_row),
		T(test_column_after_row),
		T(test_free_null_and_unended),
		T(test_csv_safe),
		T(test_tty_controls_escaped),
		T(test_json_escapes_del_and_c1),
		T(test_xlsx_values),
		T(test_xlsx_one_workbook_per_stream),
		T(test_note_sheet_only_xlsx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
