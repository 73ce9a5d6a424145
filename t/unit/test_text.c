/* Unit tests for lib/text.c: the UTF-8 check, XML text (and the closest
 * name). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static size_t valid(const char *s)
{
	return dw_text_utf8_valid(s, strlen(s));
}

static void test_utf8_valid(void **state)
{
	(void)state;
	assert_int_equal(valid(""), 0);
	assert_int_equal(valid("total sales"), 11);
	assert_int_equal(valid("Søren Gómez"), strlen("Søren Gómez"));
	assert_int_equal(valid("€ 中 \xF0\x9F\x98\x80"), strlen("€ 中 \xF0\x9F\x98\x80"));
	assert_int_equal(valid("\xF4\x8F\xBF\xBF"), 4);        /* U+10FFFF */
	assert_int_equal(dw_text_utf8_valid("a\0b", 3), 3);
}

/* The length of the good prefix: where the first bad byte is. */
static void test_utf8_invalid(void **state)
{
	(void)state;
	assert_int_equal(valid("total sales \xFF"), 12);
	assert_int_equal(valid("ab\x80"), 2);                  /* a lone continuation */
	assert_int_equal(valid("a\xC3"), 1);                   /* cut short */
	assert_int_equal(valid("a\xE2\x82"), 1);
	assert_int_equal(valid("\xC3(x"), 0);                  /* a bad continuation */
	assert_int_equal(valid("\xC0\xAF"), 0);                /* overlong '/' */
	assert_int_equal(valid("\xE0\x80\xAF"), 0);
	assert_int_equal(valid("\xF0\x80\x80\xAF"), 0);
	assert_int_equal(valid("x\xED\xA0\x80"), 1);           /* a surrogate, U+D800 */
	assert_int_equal(valid("\xED\xB3\xBF"), 0);            /* U+DCFF */
	assert_int_equal(valid("\xF4\x90\x80\x80"), 0);        /* past U+10FFFF */
	assert_int_equal(valid("\xF5\x80\x80\x80"), 0);
	/* len bounds the check: a character cut by it is not whole */
	assert_int_equal(dw_text_utf8_valid("\xC3\xA9", 1), 0);
}

static void test_utf8_clean(void **state)
{
	char *c;

	(void)state;
	c = dw_text_utf8_clean("total sales \xFF!", 100);
	assert_string_equal(c, "total sales \xEF\xBF\xBD!");
	free(c);
	c = dw_text_utf8_clean("\xC3(\xED\xA0\x80", 100);  /* each bad byte replaced */
	assert_string_equal(c, "\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	free(c);
	/* cut at max bytes, never inside a character */
	c = dw_text_utf8_clean("ab\xC3\xA9", 3);
	assert_string_equal(c, "ab");
	free(c);
	c = dw_text_utf8_clean("ab\xC3\xA9", 4);
	assert_string_equal(c, "ab\xC3\xA9");
	free(c);
	c = dw_text_utf8_clean("", 0);
	assert_string_equal(c, "");
	free(c);
}

static void expect_xml(const char *s, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	dw_text_xml(fp, s);
	fclose(fp);
	assert_string_equal(buf, want);
	free(buf);
}

static void test_xml(void **state)
{
	(void)state;
	expect_xml("", "");
	expect_xml("a < b & c > \"d\" 'e'", "a &lt; b &amp; c &gt; &quot;d&quot; &apos;e&apos;");
	expect_xml("Søren\t€\n中\r\xF0\x9F\x98\x80", "Søren\t€\n中\r\xF0\x9F\x98\x80");
	/* Controls XML cannot hold, noncharacters, bad and cut sequences. */
	expect_xml("a\x1b[2Jb\x01", "a\uFFFD[2Jb\uFFFD");
	expect_xml("\xEF\xBF\xBE\xEF\xBF\xBF", "\uFFFD\uFFFD");
	expect_xml("x\xC3(\xFF\xC0\xAFy", "x\uFFFD(\uFFFD\uFFFD\uFFFDy");
	expect_xml("end\xE2\x82", "end\uFFFD\uFFFD");
}

static void test_closest(void **state)
{
	const char *cands[] = { "profit", "sales", "quantity" };

	(void)state;
	assert_string_equal(dw_text_closest("prfit", cands, 3, 3), "profit");
	assert_null(dw_text_closest("zzzzzz", cands, 3, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_clean),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_closest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
