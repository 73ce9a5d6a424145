/* Unit tests for lib/recent.c and lib/bitset.c: what they say was seen
 * was seen; what they forget is only what was pushed out. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "bitset.h"
#include "recent.h"

static int seen(struct dw_recent *r, const char *key, size_t part)
{
	return dw_recent_seen(r, key, strlen(key), part);
}

static void test_recent(void **state)
{
	struct dw_recent *r = dw_recent_new(4);

	(void)state;
	assert_non_null(r);
	assert_int_equal(seen(r, "CA-1|Ann", 4), 0);
	assert_int_equal(seen(r, "CA-1|Ann", 4), 1);   /* the key before */
	assert_int_equal(seen(r, "CA-2|Bob", 4), 0);
	assert_int_equal(seen(r, "CA-1|Ann", 4), 1);   /* in its slot */
	/* the same part, another key: never taken for the one it pushes out */
	assert_int_equal(seen(r, "CA-1|Eve", 4), 0);
	assert_int_equal(seen(r, "CA-1|Ann", 4), 0);
	assert_int_equal(seen(r, "CA-1|Ann", 4), 1);
	assert_int_equal(seen(r, "CA-1|An", 4), 0);     /* a prefix is another key */
	assert_int_equal(seen(r, "", 0), 0);
	assert_int_equal(seen(r, "", 0), 1);
	dw_recent_free(r);
}

/* However many keys pass, a key is said seen only when it was. */
static void test_recent_never_false(void **state)
{
	struct dw_recent *r = dw_recent_new(64);
	char key[32];
	static unsigned char added[5000];

	(void)state;
	assert_non_null(r);
	for (int i = 0; i < 20000; i++) {
		int k = (i * 7919) % 5000;

		snprintf(key, sizeof key, "key %d", k);
		if (seen(r, key, strlen(key)))
			assert_true(added[k]);
		added[k] = 1;
	}
	dw_recent_free(r);
}

static void test_bitset(void **state)
{
	struct dw_bitset *s = dw_bitset_new((uint64_t)1 << 27);

	(void)state;
	assert_non_null(s);
	assert_int_equal(dw_bitset_add(s, 0), 0);
	assert_int_equal(dw_bitset_add(s, 0), 1);
	assert_int_equal(dw_bitset_add(s, 63), 0);
	assert_int_equal(dw_bitset_add(s, 64), 0);
	assert_int_equal(dw_bitset_add(s, 63), 1);
	assert_int_equal(dw_bitset_add(s, ((uint64_t)1 << 27) - 1), 0);
	assert_int_equal(dw_bitset_add(s, ((uint64_t)1 << 27) - 1), 1);
	assert_int_equal(dw_bitset_add(s, (uint64_t)1 << 27), -1);
	assert_int_equal(dw_bitset_add(s, (uint64_t)1 << 27), -1);
	dw_bitset_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recent),
		cmocka_unit_test(test_recent_never_false),
		cmocka_unit_test(test_bitset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
