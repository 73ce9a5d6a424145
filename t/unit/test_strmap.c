/* Unit tests for lib/strmap.c: the open-addressing string map used for
 * cross-row checks, and the FNV-1a helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

/* ---- helpers ---- */

static int setup_map(void **state)
{
	struct dw_strmap *m = dw_strmap_new();

	if (!m)
		return -1;
	*state = m;
	return 0;
}

static int teardown_map(void **state)
{
	dw_strmap_free(*state);
	return 0;
}

/* Upserts a NUL-terminated key; returns the entry and stores the found flag. */
static struct dw_strmap_entry *put(struct dw_strmap *m, const char *key, uint64_t fp, long line,
				   int *found)
{
	struct dw_strmap_entry init = { .fingerprint = fp, .line = line };
	struct dw_strmap_entry *e;

	*found = -1;
	e = dw_strmap_upsert(m, key, strlen(key), &init, found);
	assert_non_null(e);
	assert_true(*found == 0 || *found == 1);
	return e;
}

/* ---- map ---- */

static void test_new_empty(void **state)
{
	struct dw_strmap *m = *state;

	assert_int_equal(dw_strmap_count(m), 0);
}

static void test_free_null(void **state)
{
	dw_strmap_free(NULL);
}

static void test_insert_then_find(void **state)
{
	struct dw_strmap *m = *state;
	struct dw_strmap_entry *e;
	int found;

	e = put(m, "order-1", 0x1234, 2, &found);
	assert_int_equal(found, 0);
	assert_int_equal(e->fingerprint, 0x1234);
	assert_int_equal(e->line, 2);
	assert_int_equal(dw_strmap_count(m), 1);

	/* Second upsert finds the entry; init is ignored, first values kept. */
	e = put(m, "order-1", 0x9999, 17, &found);
	assert_int_equal(found, 1);
	assert_int_equal(e->fingerprint, 0x1234);
	assert_int_equal(e->line, 2);
	assert_int_equal(dw_strmap_count(m), 1);
}

static void test_get(void **state)
{
	struct dw_strmap *m = *state;
	struct dw_strmap_entry *e;
	int found;

	/* Absent: NULL, and nothing is inserted. */
	assert_null(dw_strmap_get(m, "nope", 4));
	assert_null(dw_strmap_get(m, "", 0));
	assert_int_equal(dw_strmap_count(m), 0);

	put(m, "order-1", 0xabc, 5, &found);
	e = dw_strmap_get(m, "order-1", 7);
	assert_non_null(e);
	assert_int_equal(e->fingerprint, 0xabc);
	assert_int_equal(e->line, 5);
	/* The pointer is the same entry upsert returns. */
	assert_ptr_equal(e, put(m, "order-1", 0, 0, &found));
	assert_null(dw_strmap_get(m, "order-", 6));
	assert_null(dw_strmap_get(m, "order-12", 8));
	assert_null(dw_strmap_get(m, "order-1", 6));   /* len is honoured */
	assert_int_equal(dw_strmap_count(m), 1);
}

static void test_entry_is_writable(void **state)
{
	struct dw_strmap *m = *state;
	struct dw_strmap_entry *e;
	int found;

	e = put(m, "k", 1, 10, &found);
	e->fingerprint = 42;
	e->line = 99;
	e = put(m, "k", 7, 7, &found);
	assert_int_equal(found, 1);
	assert_int_equal(e->fingerprint, 42);
	assert_int_equal(e->line, 99);
}

static void test_full_fingerprint_preserved(void **state)
{
	struct dw_strmap *m = *state;
	struct dw_strmap_entry *e;
	int found;

	/* All 64 bits survive, including the top and bottom ones. */
	put(m, "hi", UINT64_MAX, -1, &found);
	put(m, "zero", 0, 0, &found);
	put(m, "top", UINT64_C(1) << 63, 123456789L, &found);
	e = put(m, "hi", 5, 5, &found);
	assert_int_equal(found, 1);
	assert_true(e->fingerprint == UINT64_MAX);
	assert_int_equal(e->line, -1);
	e = put(m, "zero", 5, 5, &found);
	assert_int_equal(found, 1);
	assert_true(e->fingerprint == 0);
	assert_int_equal(e->line, 0);
	e = put(m, "top", 5, 5, &found);
	assert_int_equal(found, 1);
	assert_true(e->fingerprint == UINT64_C(1) << 63);
	assert_int_equal(e->line, 123456789L);
}

static void test_same_prefix_distinct(void **state)
{
	static const char *const keys[] = { "", "a", "ab", "abc", "abcd", "abd", "b", "ba" };
	struct dw_strmap *m = *state;
	const size_t n = sizeof keys / sizeof keys[0];
	int found;

	for (size_t i = 0; i < n; i++) {
		put(m, keys[i], i * 10, (long)i, &found);
		assert_int_equal(found, 0);
	}
	assert_int_equal(dw_strmap_count(m), n);
	for (size_t i = 0; i < n; i++) {
		struct dw_strmap_entry *e = put(m, keys[i], 0, -5, &found);

		assert_int_equal(found, 1);
		assert_int_equal(e->fingerprint, i * 10);
		assert_int_equal(e->line, (long)i);
	}
	assert_int_equal(dw_strmap_count(m), n);
}

static void test_len_prefix_of_buffer(void **state)
{
	struct dw_strmap *m = *state;
	struct dw_strmap_entry init = { 1, 1 }, *e;
	const char buf[] = "abcdef";
	int found;

	/* Only len bytes count: "abc" from a longer buffer is the key "abc". */
	e = dw_strmap_upsert(m, buf, 3, &init, &found);
	assert_non_null(e);
	assert_int_equal(found, 0);
	e = put(m, "abc", 2, 2, &found);
	assert_int_equal(found, 1);
	assert_int_equal(e->line, 1);
	put(m, "abcdef", 3, 3, &found);
	assert_int_equal(found, 0);
	assert_int_equal(dw_strmap_count(m), 2);
}

static void test_embedded_nul(void **state)
{
	struct dw_strmap *m = *state;
	struct dw_strmap_entry init, *e;
	int found;

	/* "a\0b", "a\0c", "a" and "a\0" are four different keys. */
	init = (struct dw_strmap_entry){ 1, 1 };
	e = dw_strmap_upsert(m, "a\0b", 3, &init, &found);
	assert_non_null(e);
	assert_int_equal(found, 0);
	init = (struct dw_strmap_entry){ 2, 2 };
	e = dw_strmap_upsert(m, "a\0c", 3, &init, &found);
	assert_non_null(e);
	assert_int_equal(found, 0);
	init = (struct dw_strmap_entry){ 3, 3 };
	e = dw_strmap_upsert(m, "a", 1, &init, &found);
	assert_non_null(e);
	assert_int_equal(found, 0);
	init = (struct dw_strmap_entry){ 4, 4 };
	e = dw_strmap_upsert(m, "a\0", 2, &init, &found);
	assert_non_null(e);
	assert_int_equal(found, 0);
	assert_int_equal(dw_strmap_count(m), 4);

	init = (struct dw_strmap_entry){ 0, 0 };
	e = dw_strmap_upsert(m, "a\0b", 3, &init, &found);
	assert_int_equal(found, 1);
	assert_int_equal(e->line, 1);
	e = dw_strmap_upsert(m, "a\0c", 3, &init, &found);
	assert_int_equal(found, 1);
	assert_int_equal(e->line, 2);
	e = dw_strmap_upsert(m, "a", 1, &init, &found);
	assert_int_equal(found, 1);
	assert_int_equal(e->line, 3);
	e = dw_strmap_upsert(m, "a\0", 2, &init, &found);
	assert_int_equal(found, 1);
	assert_int_equal(e->line, 4);
	assert_int_equal(dw_strmap_count(m), 4);

	assert_int_equal(dw_strmap_get(m, "a\0b", 3)->line, 1);
	assert_int_equal(dw_strmap_get(m, "a\0c", 3)->line, 2);
	assert_int_equal(dw_strmap_get(m, "a\0", 2)->line, 4);
	assert_null(dw_strmap_get(m, "a\0d", 3));
	assert_null(dw_strmap_get(m, "a\0b\0", 4));
}

static void test_long_key(void **state)
{
	struct dw_strmap *m = *state;
	struct dw_strmap_entry init = { 7, 70 }, *e;
	size_t len = 200000;   /* bigger than one arena block */
	char *key = malloc(len);
	int found;

	assert_non_null(key);
	memset(key, 'x', len);
	put(m, "short", 1, 1, &found);
	e = dw_strmap_upsert(m, key, len, &init, &found);
	assert_non_null(e);
	assert_int_equal(found, 0);
	key[len - 1] = 'y';
	e = dw_strmap_upsert(m, key, len, &init, &found);
	assert_int_equal(found, 0);
	key[len - 1] = 'x';
	init.line = 0;
	e = dw_strmap_upsert(m, key, len, &init, &found);
	assert_int_equal(found, 1);
	assert_int_equal(e->line, 70);
	/* The small key inserted before the big block is still there. */
	e = put(m, "short", 0, 0, &found);
	assert_int_equal(found, 1);
	assert_int_equal(e->line, 1);
	put(m, "after", 2, 2, &found);
	assert_int_equal(found, 0);
	assert_int_equal(dw_strmap_count(m), 4);
	free(key);
}

#define MANY 300000

static void test_growth(void **state)
{
	struct dw_strmap *m = *state;
	char key[32];
	int found;

	for (long i = 0; i < MANY; i++) {
		snprintf(key, sizeof key, "key-%ld", i);
		put(m, key, (uint64_t)i * 2654435761u, i + 1, &found);
		if (found)
			fail_msg("\"%s\" found before insert", key);
		if (dw_strmap_count(m) != (size_t)i + 1)
			fail_msg("count %zu after %ld inserts", dw_strmap_count(m), i + 1);
	}
	assert_int_equal(dw_strmap_count(m), MANY);
	for (long i = 0; i < MANY; i++) {
		struct dw_strmap_entry *e;

		snprintf(key, sizeof key, "key-%ld", i);
		e = dw_strmap_get(m, key, strlen(key));
		if (!e || e->line != i + 1 || e->fingerprint != (uint64_t)i * 2654435761u)
			fail_msg("get \"%s\": %s line %ld", key, e ? "found" : "absent",
				 e ? e->line : 0);
		e = put(m, key, 0, -1, &found);
		if (!found || e->line != i + 1 || e->fingerprint != (uint64_t)i * 2654435761u)
			fail_msg("\"%s\": found %d line %ld", key, found, e->line);
	}
	assert_null(dw_strmap_get(m, "key-300000", 10));
	assert_int_equal(dw_strmap_count(m), MANY);
	/* Absent keys are still absent. */
	put(m, "key-", 0, 0, &found);
	assert_int_equal(found, 0);
	put(m, "key-300000", 0, 0, &found);
	assert_int_equal(found, 0);
	assert_int_equal(dw_strmap_count(m), MANY + 2);
}

/* Binary keys that differ only in one byte, including 0x00 and 0xff. */
static void test_binary_keys(void **state)
{
	struct dw_strmap *m = *state;
	unsigned char key[4] = { 0, 0, 0, 0 };
	struct dw_strmap_entry init, *e;
	int found;

	for (int b = 0; b < 256; b++) {
		key[2] = (unsigned char)b;
		init = (struct dw_strmap_entry){ (uint64_t)b, b };
		e = dw_strmap_upsert(m, (const char *)key, sizeof key, &init, &found);
		assert_non_null(e);
		assert_int_equal(found, 0);
	}
	assert_int_equal(dw_strmap_count(m), 256);
	for (int b = 0; b < 256; b++) {
		key[2] = (unsigned char)b;
		init = (struct dw_strmap_entry){ 0, -1 };
		e = dw_strmap_upsert(m, (const char *)key, sizeof key, &init, &found);
		assert_int_equal(found, 1);
		assert_int_equal(e->line, b);
	}
}

/* ---- hashing ---- */

static void test_hash_bytes_fnv1a(void **state)
{
	/* Published FNV-1a 64 test vectors. */
	assert_true(dw_strmap_hash_bytes(DW_HASH_INIT, "", 0) == UINT64_C(0xcbf29ce484222325));
	assert_true(dw_strmap_hash_bytes(DW_HASH_INIT, "a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
	assert_true(dw_strmap_hash_bytes(DW_HASH_INIT, "foobar", 6) == UINT64_C(0x85944171f73967e8));
}

static void test_hash_bytes_chained(void **state)
{
	uint64_t h = dw_strmap_hash_bytes(DW_HASH_INIT, "foo", 3);

	assert_true(dw_strmap_hash_bytes(h, "bar", 3) == dw_strmap_hash_bytes(DW_HASH_INIT, "foobar", 6));
}

static void test_hash_str_separator(void **state)
{
	uint64_t h1 = dw_strmap_hash_str(dw_strmap_hash_str(DW_HASH_INIT, "ab"), "c");
	uint64_t h2 = dw_strmap_hash_str(dw_strmap_hash_str(DW_HASH_INIT, "a"), "bc");
	uint64_t h3 = dw_strmap_hash_str(dw_strmap_hash_str(DW_HASH_INIT, "abc"), "");
	uint64_t h4 = dw_strmap_hash_str(dw_strmap_hash_str(DW_HASH_INIT, ""), "abc");

	assert_true(h1 != h2);
	assert_true(h1 != h3);
	assert_true(h3 != h4);
	assert_true(h2 != h4);
	/* Deterministic. */
	assert_true(h1 == dw_strmap_hash_str(dw_strmap_hash_str(DW_HASH_INIT, "ab"), "c"));
	/* Without the separator the chained byte hashes would collide. */
	assert_true(dw_strmap_hash_bytes(dw_strmap_hash_bytes(DW_HASH_INIT, "ab", 2), "c", 1) ==
		    dw_strmap_hash_bytes(dw_strmap_hash_bytes(DW_HASH_INIT, "a", 1), "bc", 2));
	/* An empty string still changes the hash (the separator is hashed). */
	assert_true(dw_strmap_hash_str(DW_HASH_INIT, "") != DW_HASH_INIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_empty, setup_map, teardown_map),
		cmocka_unit_test(test_free_null),
		cmocka_unit_test_setup_teardown(test_insert_then_find, setup_map, teardown_map),
		cmocka_unit_test_setup_teardown(test_get, setup_map, teardown_map),
		cmocka_unit_test_setup_teardown(test_entry_is_writable, setup_map, teardown_map),
		cmocka_unit_test_setup_teardown(test_full_fingerprint_preserved, setup_map,
						teardown_map),
		cmocka_unit_test_setup_teardown(test_same_prefix_distinct, setup_map, teardown_map),
		cmocka_unit_test_setup_teardown(test_len_prefix_of_buffer, setup_map, teardown_map),
		cmocka_unit_test_setup_teardown(test_embedded_nul, setup_map, teardown_map),
		cmocka_unit_test_setup_teardown(test_long_key, setup_map, teardown_map),
		cmocka_unit_test_setup_teardown(test_growth, setup_map, teardown_map),
		cmocka_unit_test_setup_teardown(test_binary_keys, setup_map, teardown_map),
		cmocka_unit_test(test_hash_bytes_fnv1a),
		cmocka_unit_test(test_hash_bytes_chained),
		cmocka_unit_test(test_hash_str_separator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
