/* Password rules against the real cracklib dictionary of the machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <crack.h>

#include "user/password.h"

static void refused(const char *pw, const char *name, const char *why)
{
	struct dw_err err;

	dw_err_clear(&err);
	if (dw_password_check(pw, name, NULL, &err) == 0)
		fail_msg("'%s' was accepted", pw);
	assert_int_equal(err.code, DW_EX_DATAERR);
	if (!strstr(err.msg, why))
		fail_msg("'%s': '%s' does not say '%s'", pw, err.msg, why);
}

static void test_rules(void **state)
{
	struct dw_err err;

	(void)state;
	refused("Tr0ub4dor&3", "alice", "too short: 11 characters, at least 15");
	/* Characters, not bytes: 14 letters of two bytes each are short. */
	refused("ééééééééééééé1", "alice", "too short: 14");
	refused("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "alice", "too long");
	refused("my name is ALICE, hello", "alice", "contains the user's name");
	refused("characteristically", "alice", "based on a dictionary word");
	refused("abcdefghijklmnopq", "alice", "too simplistic");
	refused("aaaaaaaaaaaaaaaaaaaa", "alice", "too easy to guess");
	/* A long passphrase, no composition rule: accepted. */
	dw_err_clear(&err);
	assert_int_equal(dw_password_check("violet tundra cobalt ferry", "alice", NULL, &err), 0);
	/* 64 characters are allowed. */
	assert_int_equal(dw_password_check("tundra-violet-ferry-cobalt-lantern-quarry-mosaic-harbor-ember-x",
					   "alice", NULL, &err), 0);
}

static void test_history(void **state)
{
	char h[DW_PASSWORD_HASH_MAX], h2[DW_PASSWORD_HASH_MAX];
	char *hashes[] = { h, h2 };
	struct dw_err err;

	(void)state;
	assert_int_equal(dw_password_hash("violet tundra cobalt ferry", h, sizeof h, &err), 0);
	assert_non_null(strstr(h, "$argon2id$v=19$m=19456,t=2,p=1$"));
	assert_int_equal(dw_password_hash("violet tundra cobalt ferry", h2, sizeof h2, &err), 0);
	assert_string_not_equal(h, h2);   /* a salt each */
	assert_int_equal(dw_password_reused("violet tundra cobalt ferry", hashes, 2), 1);
	assert_int_equal(dw_password_reused("violet tundra cobalt ferrx", hashes, 2), 0);
	assert_int_equal(dw_password_reused("violet tundra cobalt ferry", hashes, 0), 0);
}

static void test_random(void **state)
{
	char a[32], b[32];
	struct dw_err err;

	(void)state;
	assert_int_equal(dw_password_random(a, sizeof a, "ann", &err), 0);
	assert_int_equal(dw_password_random(b, sizeof b, "ann", &err), 0);
	assert_int_equal(strlen(a), 24);
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
			 24);
	assert_string_not_equal(a, b);
	assert_int_equal(dw_password_random(a, 24, "ann", &err), -1);
}

/* About one random draw in a thousand is "too simplistic/systematic" for
 * cracklib, which the server's plugin enforces: none may come out. */
static void test_random_passes_cracklib(void **state)
{
	char pw[32];
	struct dw_err err;

	(void)state;
	for (int i = 0; i < 5000; i++) {
		assert_int_equal(dw_password_random(pw, sizeof pw, "ann", &err), 0);
		assert_null(FascistCheckUser(pw, GetDefaultCracklibDict(), "ann", NULL));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_random_passes_cracklib),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
