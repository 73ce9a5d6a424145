/* Unit tests for lib/csv.c: the streaming RFC 4180 reader and the field
 * writer. Inputs come from memory via fmemopen. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"

/* ---- helpers ---- */

/* A reader over a copy of data[0..len). */
struct reader {
	char *data;
	FILE *fp;
	struct dw_csv *csv;
	struct dw_err err;
};

static void reader_open_n(struct reader *r, const char *data, size_t len, const char *name)
{
	memset(r, 0, sizeof *r);
	if (len == 0) {
		r->fp = tmpfile();   /* fmemopen refuses size 0 on some libcs */
	} else {
		/* "r" on a private copy: glibc's "w+" mode overwrites the last
		 * byte of a full buffer with a NUL on flush. */
		r->data = malloc(len);
		assert_non_null(r->data);
		memcpy(r->data, data, len);
		r->fp = fmemopen(r->data, len, "r");
	}
	assert_non_null(r->fp);
	r->csv = dw_csv_new(r->fp, name);
	assert_non_null(r->csv);
}

static void reader_open(struct reader *r, const char *data)
{
	reader_open_n(r, data, strlen(data), "test.csv");
}

static void reader_close(struct reader *r)
{
	dw_csv_free(r->csv);
	fclose(r->fp);
	free(r->data);
}

static int reader_next(struct reader *r)
{
	return dw_csv_next(r->csv, &r->err);
}

/* Reads the next record and checks its lines and its n fields (C strings). */
static void expect_record(struct reader *r, long line, long end_line, size_t n, ...)
{
	va_list ap;

	assert_int_equal(reader_next(r), 1);
	assert_int_equal(dw_csv_line(r->csv), line);
	assert_int_equal(dw_csv_end_line(r->csv), end_line);
	assert_int_equal(dw_csv_nfields(r->csv), n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);

		assert_string_equal(dw_csv_field(r->csv, i), want);
		assert_int_equal(dw_csv_field_len(r->csv, i), strlen(want));
	}
	va_end(ap);
}

static void expect_end(struct reader *r)
{
	assert_int_equal(reader_next(r), 0);
	assert_int_equal(dw_csv_nfields(r->csv), 0);
	assert_int_equal(reader_next(r), 0);   /* stays at end */
}

static void expect_error(struct reader *r, int code, const char *msg_part)
{
	assert_int_equal(reader_next(r), -1);
	assert_int_equal(r->err.code, code);
	assert_non_null(strstr(r->err.msg, msg_part));
}

/* ---- reader ---- */

static void test_simple_records(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "id,name,qty\n1,apple,3\n2,pear,10\n");
	expect_record(&r, 1, 1, 3, "id", "name", "qty");
	expect_record(&r, 2, 2, 3, "1", "apple", "3");
	expect_record(&r, 3, 3, 3, "2", "pear", "10");
	expect_end(&r);
	reader_close(&r);
}

static void test_empty_input(void **state)
{
	struct reader r;

	(void)state;
	reader_open_n(&r, "", 0, "test.csv");
	expect_end(&r);
	reader_close(&r);
}

static void test_quoted_comma(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "\"Smith, John\",\"a,b,c\",x\n\"plain\",y\n");
	expect_record(&r, 1, 1, 3, "Smith, John", "a,b,c", "x");
	expect_record(&r, 2, 2, 2, "plain", "y");
	expect_end(&r);
	reader_close(&r);
}

static void test_escaped_quotes(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "\"say \"\"hi\"\"\",\"\"\"\"\"\",\"\",\"a\"\"\"\n");
	expect_record(&r, 1, 1, 4, "say \"hi\"", "\"\"", "", "a\"");
	expect_end(&r);
	reader_close(&r);
}

static void test_embedded_newline(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "id,note\n"
			"1,\"line one\nline two\nline three\"\n"
			"2,\"crlf\r\ninside\",z\n"
			"3,after\n");
	expect_record(&r, 1, 1, 2, "id", "note");
	expect_record(&r, 2, 4, 2, "1", "line one\nline two\nline three");
	expect_record(&r, 5, 6, 3, "2", "crlf\r\ninside", "z");
	expect_record(&r, 7, 7, 2, "3", "after");
	expect_end(&r);
	reader_close(&r);
}

static void test_crlf(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "a,b\r\n\"c\",d\r\ne,\"f\"\r\n");
	expect_record(&r, 1, 1, 2, "a", "b");
	expect_record(&r, 2, 2, 2, "c", "d");
	expect_record(&r, 3, 3, 2, "e", "f");
	expect_end(&r);
	reader_close(&r);
}

static void test_lone_cr_ends_line(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "a,b\rc,d\r\re\r");
	expect_record(&r, 1, 1, 2, "a", "b");
	expect_record(&r, 2, 2, 2, "c", "d");
	expect_record(&r, 4, 4, 1, "e");
	expect_end(&r);
	reader_close(&r);
}

static void test_bom(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "\xEF\xBB\xBFid,name\n1,x\n");
	expect_record(&r, 1, 1, 2, "id", "name");
	expect_record(&r, 2, 2, 2, "1", "x");
	expect_end(&r);
	reader_close(&r);

	/* Only a BOM at the very start is skipped; later ones are data. */
	reader_open(&r, "a\n\xEF\xBB\xBF" "b\n");
	expect_record(&r, 1, 1, 1, "a");
	expect_record(&r, 2, 2, 1, "\xEF\xBB\xBF" "b");
	expect_end(&r);
	reader_close(&r);

	/* A BOM before a quoted first field. */
	reader_open(&r, "\xEF\xBB\xBF\"id\",x\n");
	expect_record(&r, 1, 1, 2, "id", "x");
	expect_end(&r);
	reader_close(&r);
}

static void test_blank_lines(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "\n\na,b\n\r\n\nc\n\n");
	expect_record(&r, 3, 3, 2, "a", "b");
	expect_record(&r, 6, 6, 1, "c");
	expect_end(&r);
	reader_close(&r);
}

static void test_empty_fields(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "a,b,\n,,\na,,b\n\"\",x\nx,\"\"\n");
	expect_record(&r, 1, 1, 3, "a", "b", "");
	expect_record(&r, 2, 2, 3, "", "", "");
	expect_record(&r, 3, 3, 3, "a", "", "b");
	expect_record(&r, 4, 4, 2, "", "x");
	expect_record(&r, 5, 5, 2, "x", "");
	expect_end(&r);
	reader_close(&r);
}

static void test_last_line_without_newline(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "a,b\nc,d");
	expect_record(&r, 1, 1, 2, "a", "b");
	expect_record(&r, 2, 2, 2, "c", "d");
	expect_end(&r);
	reader_close(&r);

	reader_open(&r, "a,b\n\"c\nc\",\"d\"");
	expect_record(&r, 1, 1, 2, "a", "b");
	expect_record(&r, 2, 3, 2, "c\nc", "d");
	expect_end(&r);
	reader_close(&r);

	reader_open(&r, "a,");
	expect_record(&r, 1, 1, 2, "a", "");
	expect_end(&r);
	reader_close(&r);
}

static void test_utf8_passthrough(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "Resi P\xC3\xB6lking,\"Stra\xC3\x9F" "e 5, K\xC3\xB6ln\",\xE2\x82\xAC\n");
	expect_record(&r, 1, 1, 3, "Resi P\xC3\xB6lking", "Stra\xC3\x9F" "e 5, K\xC3\xB6ln",
		      "\xE2\x82\xAC");
	assert_int_equal(dw_csv_field_len(r.csv, 0), 13);   /* bytes, not characters */
	expect_end(&r);
	reader_close(&r);
}

static void test_bare_quote_in_unquoted_field(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "ab\"c,5\" screen,x\"\n");
	expect_record(&r, 1, 1, 3, "ab\"c", "5\" screen", "x\"");
	expect_end(&r);
	reader_close(&r);
}

static void test_field_access_out_of_range(void **state)
{
	struct reader r;

	(void)state;
	reader_open(&r, "a,b\n");
	assert_int_equal(reader_next(&r), 1);
	assert_null(dw_csv_field(r.csv, 2));
	assert_int_equal(dw_csv_field_len(r.csv, 2), 0);
	reader_close(&r);
}

/* ---- errors ---- */

static void test_unterminated_quote(void **state)
{
	struct reader r;
	const char *data = "id,note\n1,ok\n\n2,\"never\nclosed,x\n3,y\n";

	(void)state;
	reader_open_n(&r, data, strlen(data), "orders.csv");
	expect_record(&r, 1, 1, 2, "id", "note");
	expect_record(&r, 2, 2, 2, "1", "ok");
	expect_error(&r, DW_EX_DATAERR, "");
	assert_int_equal(r.err.code, 65);
	assert_string_equal(r.err.msg, "orders.csv: line 4: unterminated quoted field");
	/* The error sticks: the reader does not resume mid-file. */
	memset(&r.err, 0, sizeof r.err);
	expect_error(&r, DW_EX_DATAERR, "line 4: unterminated quoted field");
	reader_close(&r);

	/* "-" is shown as stdin. */
	reader_open_n(&r, "\"abc", 4, "-");
	assert_string_equal(dw_csv_name(r.csv), "stdin");
	expect_error(&r, DW_EX_DATAERR, "");
	assert_string_equal(r.err.msg, "stdin: line 1: unterminated quoted field");
	reader_close(&r);
}

static void test_stray_char_after_quote(void **state)
{
	struct reader r;

	(void)state;
	const char *data = "a,b,c\nx,\"ab\"c,d\n";

	reader_open_n(&r, data, strlen(data), "orders.csv");
	expect_record(&r, 1, 1, 3, "a", "b", "c");
	expect_error(&r, DW_EX_DATAERR, "orders.csv: line 2, field 2:");
	assert_non_null(strstr(r.err.msg, "'c'"));
	reader_close(&r);

	/* A space after the closing quote is also an error, on the right line. */
	reader_open(&r, "\"multi\nline\" ,x\n");
	expect_error(&r, DW_EX_DATAERR, "test.csv: line 2, field 1:");
	reader_close(&r);
}

static void test_nul_byte(void **state)
{
	struct reader r;

	(void)state;
	reader_open_n(&r, "a,b\nc,d\0e\n", 10, "nul.csv");
	expect_record(&r, 1, 1, 2, "a", "b");
	expect_error(&r, DW_EX_DATAERR, "nul.csv: line 2, field 2: NUL byte");
	reader_close(&r);

	reader_open_n(&r, "\"in\0quotes\"\n", 12, "nul.csv");
	expect_error(&r, DW_EX_DATAERR, "NUL byte");
	reader_close(&r);
}

static void test_read_error(void **state)
{
	char path[] = "/tmp/test_csv_XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;
	struct dw_csv *csv;
	struct dw_err err;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	fp = fopen(path, "w");   /* write-only: reading it fails (EBADF) */
	assert_non_null(fp);
	csv = dw_csv_new(fp, "out.csv");
	assert_non_null(csv);
	assert_int_equal(dw_csv_next(csv, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_non_null(strstr(err.msg, "out.csv: read error"));
	dw_csv_free(csv);
	fclose(fp);
	unlink(path);
}

/* ---- big records and buffer boundaries ---- */

static void test_record_longer_than_buffer(void **state)
{
	size_t big = 1024 * 1024, plain = 300 * 1024, cap = 2 * big + plain + 64, len = 0;
	char *data = malloc(cap), *want = malloc(big + 1), *want_plain = malloc(plain + 1);
	struct reader r;

	(void)state;
	assert_non_null(data);
	assert_non_null(want);
	assert_non_null(want_plain);
	/* Quoted field of 1 MiB with an escaped quote every 997 bytes and a
	 * newline every 10007 bytes; then a 300 KB unquoted field. */
	size_t nl = 0;
	data[len++] = '"';
	for (size_t i = 0; i < big; i++) {
		char c = (char)('a' + i % 26);

		if (i % 997 == 996)
			c = '"';
		else if (i % 10007 == 10006)
			c = '\n', nl++;
		want[i] = c;
		data[len++] = c;
		if (c == '"')
			data[len++] = '"';
	}
	want[big] = '\0';
	data[len++] = '"';
	data[len++] = ',';
	for (size_t i = 0; i < plain; i++)
		want_plain[i] = data[len++] = (char)('A' + i % 26);
	want_plain[plain] = '\0';
	memcpy(data + len, "\r\nnext,row\n", 11);
	len += 11;
	assert_true(len <= cap);

	reader_open_n(&r, data, len, "big.csv");
	assert_int_equal(reader_next(&r), 1);
	assert_int_equal(dw_csv_nfields(r.csv), 2);
	assert_int_equal(dw_csv_line(r.csv), 1);
	assert_int_equal(dw_csv_end_line(r.csv), 1 + (long)nl);
	assert_int_equal(dw_csv_field_len(r.csv, 0), big);
	assert_memory_equal(dw_csv_field(r.csv, 0), want, big + 1);
	assert_int_equal(dw_csv_field_len(r.csv, 1), plain);
	assert_memory_equal(dw_csv_field(r.csv, 1), want_plain, plain + 1);
	expect_record(&r, 2 + (long)nl, 2 + (long)nl, 2, "next", "row");
	expect_end(&r);
	reader_close(&r);
	free(data);
	free(want);
	free(want_plain);
}

/* With a field limit, a longer field keeps its first bytes and is marked
 * cut; the fields and records after it are read as usual, line numbers too. */
static void test_max_field(void **state)
{
	size_t big = 300 * 1024, len = 0, cap = 2 * big + 64;
	char *data = malloc(cap);
	struct reader r;

	(void)state;
	assert_non_null(data);
	memcpy(data + len, "id,a,b\n1,", 9);
	len += 9;
	for (size_t i = 0; i < big; i++)
		data[len++] = (char)('a' + i % 26);
	data[len++] = ',';
	data[len++] = '"';
	for (size_t i = 0; i < big; i++)
		data[len++] = i % 1000 == 999 ? '\n' : 'x';
	memcpy(data + len, "\"\n2,abcdefgh,\"x\"\"yz\"\n", 20);
	len += 20;
	assert_true(len <= cap);

	reader_open_n(&r, data, len, "cut.csv");
	dw_csv_set_max_field(r.csv, 8);
	expect_record(&r, 1, 1, 3, "id", "a", "b");
	assert_int_equal(dw_csv_field_cut(r.csv, 0), 0);
	assert_int_equal(reader_next(&r), 1);
	assert_int_equal(dw_csv_nfields(r.csv), 3);
	assert_string_equal(dw_csv_field(r.csv, 0), "1");
	assert_string_equal(dw_csv_field(r.csv, 1), "abcdefgh");
	assert_string_equal(dw_csv_field(r.csv, 2), "xxxxxxxx");
	assert_int_equal(dw_csv_field_cut(r.csv, 0), 0);
	assert_int_equal(dw_csv_field_cut(r.csv, 1), 1);
	assert_int_equal(dw_csv_field_cut(r.csv, 2), 1);
	assert_int_equal(dw_csv_field_cut(r.csv, 3), 0);
	/* Exactly the limit is not cut; the quote escape counts as one byte. */
	expect_record(&r, 3 + (long)(big / 1000), 3 + (long)(big / 1000), 3, "2", "abcdefgh",
		      "x\"yz");
	assert_int_equal(dw_csv_field_cut(r.csv, 1), 0);
	assert_int_equal(dw_csv_field_cut(r.csv, 2), 0);
	expect_end(&r);
	reader_close(&r);
	free(data);
}

/* ---- writer ---- */

/* Returns what dw_csv_write_field writes for s; the caller frees it. */
static char *written(const char *s)
{
	char *out = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&out, &n);

	assert_non_null(fp);
	dw_csv_write_field(fp, s);
	fclose(fp);
	return out;
}

static void expect_written(const char *in, const char *want)
{
	char *got = written(in);

	assert_string_equal(got, want);
	free(got);
}

static void test_write_field(void **state)
{
	(void)state;
	expect_written("abc", "abc");
	expect_written("", "");
	expect_written("Resi P\xC3\xB6lking", "Resi P\xC3\xB6lking");
	expect_written("in the middle ok", "in the middle ok");
	expect_written("a,b", "\"a,b\"");
	expect_written("say \"hi\"", "\"say \"\"hi\"\"\"");
	expect_written("\"", "\"\"\"\"");
	expect_written("a\nb", "\"a\nb\"");
	expect_written("a\rb", "\"a\rb\"");
	expect_written(" lead", "\" lead\"");
	expect_written("trail ", "\"trail \"");
	expect_written("ab\"c", "\"ab\"\"c\"");
}

/* Deterministic pseudo-random numbers (same sequence on every libc). */
static uint32_t rng_next(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* Fills buf with a random field of up to max bytes from an alphabet rich in
 * characters that need quoting; returns its length. */
static size_t random_field(uint32_t *s, char *buf, size_t max)
{
	static const char alphabet[] = "ab,\"\r\n xyz\xC3\xB6;'\t0123456789";
	size_t n = rng_next(s) % (max + 1);

	if (rng_next(s) % 8 == 0)
		n = 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = alphabet[rng_next(s) % (sizeof alphabet - 1)];
	buf[n] = '\0';
	return n;
}

/* Lines in s[0..n): LF, CRLF and lone CR each count as one line end. */
static long count_line_ends(const char *s, size_t n)
{
	long lines = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
			lines++;
	return lines;
}

enum { RT_RECORDS = 6000, RT_MAXFIELDS = 12, RT_MAXLEN = 60 };

/* OWASP's CSV injection rule: =, +, -, @, tab or CR first, unless the
 * whole cell is a plain number. */
static void test_formula_like(void **state)
{
	static const char *const yes[] = {
		"=1+2", "+SUM(A1)", "-1+2", "@cmd", "\tx", "\r=x", "-", "+", "=", "-e5", "-1e",
		"-1.2.3", "- 3",
	};
	static const char *const no[] = {
		"", "plain", "1+2", "-12.5", "+3", "-.5", "-1e3", "+1E-3", "a=b", " =x", "12",
	};
	char *got;

	(void)state;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!dw_csv_formula_like(yes[i]))
			fail_msg("'%s' is not taken for a formula", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (dw_csv_formula_like(no[i]))
			fail_msg("'%s' is taken for a formula", no[i]);
	assert_false(dw_csv_formula_like(NULL));

	{
		char *out = NULL;
		size_t n = 0;
		FILE *fp = open_memstream(&out, &n);

		assert_non_null(fp);
		dw_csv_write_safe_field(fp, "=HYPERLINK(\"http://x\")");
		putc(',', fp);
		dw_csv_write_safe_field(fp, "-12.5");
		putc(',', fp);
		dw_csv_write_safe_field(fp, "a,b");
		fclose(fp);
		got = out;
	}
	assert_string_equal(got, "\"'=HYPERLINK(\"\"http://x\"\")\",-12.5,\"a,b\"");
	free(got);
}

static void test_write_read_round_trip(void **state)
{
	static char fields[RT_RECORDS][RT_MAXFIELDS][RT_MAXLEN + 1];
	static size_t nfields[RT_RECORDS];
	static long start[RT_RECORDS];
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp = open_memstream(&out, &outlen);
	uint32_t seed = 12345;
	long line = 1;
	size_t counted = 0;
	struct reader r;

	(void)state;
	assert_non_null(fp);
	for (size_t i = 0; i < RT_RECORDS; i++) {
		/* The previous record ended with LF, so no CRLF spans the cut. */
		fflush(fp);
		line += count_line_ends(out + counted, outlen - counted);
		counted = outlen;
		start[i] = line;
		/* At least two fields: a record of one empty field would be a
		 * blank line, which the reader skips. */
		nfields[i] = 2 + rng_next(&seed) % (RT_MAXFIELDS - 1);
		for (size_t f = 0; f < nfields[i]; f++) {
			random_field(&seed, fields[i][f], RT_MAXLEN);
			if (f > 0)
				putc(',', fp);
			dw_csv_write_field(fp, fields[i][f]);
		}
		fputs(i % 3 == 0 ? "\r\n" : "\n", fp);
	}
	fclose(fp);
	assert_true(outlen > 3 * 128 * 1024);   /* crosses several buffer refills */

	reader_open_n(&r, out, outlen, "rt.csv");
	for (size_t i = 0; i < RT_RECORDS; i++) {
		assert_int_equal(reader_next(&r), 1);
		assert_int_equal(dw_csv_line(r.csv), start[i]);
		assert_int_equal(dw_csv_nfields(r.csv), nfields[i]);
		for (size_t f = 0; f < nfields[i]; f++) {
			assert_int_equal(dw_csv_field_len(r.csv, f), strlen(fields[i][f]));
			assert_string_equal(dw_csv_field(r.csv, f), fields[i][f]);
		}
	}
	expect_end(&r);
	reader_close(&r);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_records),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_quoted_comma),
		cmocka_unit_test(test_escaped_quotes),
		cmocka_unit_test(test_embedded_newline),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_lone_cr_ends_line),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_last_line_without_newline),
		cmocka_unit_test(test_utf8_passthrough),
		cmocka_unit_test(test_bare_quote_in_unquoted_field),
		cmocka_unit_test(test_field_access_out_of_range),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_stray_char_after_quote),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_record_longer_than_buffer),
		cmocka_unit_test(test_max_field),
		cmocka_unit_test(test_write_field),
		cmocka_unit_test(test_write_read_round_trip),
		cmocka_unit_test(test_formula_like),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
