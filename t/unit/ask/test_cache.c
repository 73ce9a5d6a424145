/* The values file of dw-ask's cache: read whole or not at all, for its key
 * alone, its escapes undone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ask/cache.h"
#include "kb.h"
#include "ask/sem/sem.h"

#define KEY "54-1\t7 2026-01-01 00:00:00\tabc"
#define HEAD "dw-ask values 1\t" KEY "\n"

static struct dw_kb kb;
static struct dw_sem *sem;

static int setup(void **state)
{
	struct dw_err err;

	(void)state;
	if (dw_kb_load(&kb, "etc/ask/superstore.yaml", &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dw_kb_release(&kb);
	return 0;
}

static int fresh(void **state)
{
	(void)state;
	dw_sem_free(sem);
	sem = dw_sem_new(&kb);
	return sem ? 0 : -1;
}

/* Whether dim has value (the knowledge file's aliases are values too). */
static int has(const char *dim, const char *value)
{
	const char *out[64];
	size_t n = dw_sem_dimension_values(sem, dim, out, 64);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(out[i], value))
			return 1;
	return 0;
}

static void test_whole(void **state)
{
	(void)state;
	assert_false(has("market", "Zorbaland"));
	assert_int_equal(dw_cache_apply(sem, &kb, HEAD "v\tmarket\tZorbaland\n"
					"v\tsegment\tHome\\tOffice\\\\x\\n\n"
					"m\tregion\tCentral\tEU\n"
					"m\tregion\tCentral\tUS\n"
					"m\tcity\tParis\t\n"
					"latest\t20141231\n"
					"end\n", KEY), 0);
	assert_true(has("segment", "Home\tOffice\\x\n"));
	assert_true(has("region", "Central"));
	assert_true(has("market", "Zorbaland"));
	assert_true(has("city", "Paris"));
}

/* Each is refused, and sem is given none of its values. */
static void test_refused(void **state)
{
	static const char *const bad[] = {
		/* cut short */
		HEAD "v\tmarket\tZorbaland\n",
		HEAD "v\tmarket\tZorbaland\nen",
		HEAD "v\tmarket\tZorbaland\nend",
		/* another key, or a longer one */
		"dw-ask values 1\t54-2\t7 2026-01-01 00:00:00\tabc\nv\tmarket\tZorbaland\nend\n",
		"dw-ask values 1\t" KEY "x\nv\tmarket\tZorbaland\nend\n",
		"dw-ask values 2\t" KEY "\nv\tmarket\tZorbaland\nend\n",
		"",
		/* damaged lines, after a good one */
		HEAD "v\tmarket\tZorbaland\nv\tno_such_dimension\tx\nend\n",
		HEAD "v\tmarket\tZorbaland\nv\tcity\tx\\qy\nend\n",
		HEAD "v\tmarket\tZorbaland\nv\tcity\tx\\\nend\n",
		HEAD "v\tmarket\tZorbaland\nv\tcity\ta\tb\nend\n",
		HEAD "v\tmarket\tZorbaland\nm\tregion\tCentral\nend\n",
		HEAD "v\tmarket\tZorbaland\nm\tregion\tCentral\tEU\tx\nend\n",
		HEAD "v\tmarket\tZorbaland\nlatest\t2014x\nend\n",
		HEAD "v\tmarket\tZorbaland\nlatest\t\nend\n",
		HEAD "v\tmarket\tZorbaland\nx\tmarket\tZorbaland\nend\n",
		HEAD "v\tmarket\tZorbaland\n\nend\n",
		/* something after the end */
		HEAD "v\tmarket\tZorbaland\nend\nv\tmarket\tUS\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(fresh(NULL), 0);
		if (dw_cache_apply(sem, &kb, bad[i], KEY) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_false(has("market", "Zorbaland"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_whole, fresh),
		cmocka_unit_test(test_refused),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);

	dw_sem_free(sem);
	return rc;
}
