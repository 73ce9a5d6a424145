/* Unit tests for lib/bloom.c: no key added is ever reported new, and new
 * keys are seldom reported seen at 8 bytes a key. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "bloom.h"
#include "strmap.h"

static uint64_t key(long i)
{
	char s[32];

	snprintf(s, sizeof s, "%ld", i);
	return dw_strmap_hash_str(DW_HASH_INIT, s);
}

static void test_seen_again(void **state)
{
	struct dw_bloom *b = dw_bloom_new(1 << 16);

	(void)state;
	assert_non_null(b);
	assert_int_equal(dw_bloom_add(b, key(1)), 0);
	assert_int_equal(dw_bloom_add(b, key(1)), 1);
	assert_int_equal(dw_bloom_add(b, key(2)), 0);
	/* full far past its size: every key added is still seen */
	for (long i = 0; i < 100000; i++)
		dw_bloom_add(b, key(i));
	for (long i = 0; i < 100000; i++)
		assert_int_equal(dw_bloom_add(b, key(i)), 1);
	dw_bloom_free(b);
}

/* A million distinct keys in 8 MB: a false "seen" is about one in ten
 * million; more than 5 means the bits are not spread. */
static void test_false_seen_rare(void **state)
{
	struct dw_bloom *b = dw_bloom_new((size_t)8 << 20);
	long fp = 0;

	(void)state;
	assert_non_null(b);
	for (long i = 0; i < 1000000; i++)
		fp += dw_bloom_add(b, key(i));
	assert_in_range(fp, 0, 5);
	dw_bloom_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seen_again),
		cmocka_unit_test(test_false_seen_rare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
