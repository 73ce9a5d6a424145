/* The roles policy of dw.yaml: the defaults, the format's errors with
 * file:line, and the checks against the shipped knowledge file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kb.h"
#include "user/policy.h"

static struct dw_kb kb;

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

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not in '%s'", needle, hay);
}

/* Loads text and checks it; returns the error message, "" when fine. */
static const char *load_check(const char *text, struct dw_policy *p, struct dw_err *err)
{
	dw_err_clear(err);
	if (dw_policy_load_string(p, text, "dw.yaml", err) < 0 || dw_policy_check(p, &kb, err) < 0) {
		assert_int_equal(err->code, DW_EX_CONFIG);
		return err->msg;
	}
	return "";
}

static void test_defaults(void **state)
{
	struct dw_policy p;
	struct dw_err err;
	enum dw_policy_rule rule;
	const char *to;

	(void)state;
	assert_string_equal(load_check("warehouse: {user: root}\n", &p, &err), "");
	assert_string_equal(p.source, "built-in defaults");
	assert_int_equal(p.nroles, 4);
	assert_string_equal(p.roles[0].name, "sales_associate");
	assert_int_equal(p.roles[0].export, 0);
	assert_int_equal(dw_policy_rule_of(&p.roles[0], "dim_customer", "customer_name", &rule, &to), 0);
	assert_int_equal(rule, DW_POLICY_REDACT);
	assert_string_equal(p.roles[1].name, "store_manager");
	assert_int_equal(p.roles[1].nscopes, 1);
	assert_string_equal(p.roles[1].scopes[0].dimension, "market");
	assert_int_equal(p.roles[1].scopes[0].person, 1);
	assert_int_equal(dw_policy_rule_of(&p.roles[2], "dim_customer", "customer_id", &rule, &to), 0);
	assert_int_equal(rule, DW_POLICY_PSEUDONYM);
	assert_int_equal(dw_policy_rule_of(&p.roles[3], "dim_location", "postal_code", &rule, &to), 0);
	assert_int_equal(rule, DW_POLICY_NONE);
	dw_policy_release(&p);
	/* An empty file, or only comments: the defaults too. */
	assert_string_equal(load_check("# nothing\n", &p, &err), "");
	assert_int_equal(p.nroles, 4);
	dw_policy_release(&p);
}

static void test_a_policy(void **state)
{
	struct dw_policy p;
	struct dw_err err;
	enum dw_policy_rule rule;
	const char *to;

	(void)state;
	assert_string_equal(load_check(
		"roles:\n"
		"  clerk:\n"
		"    tables: [fact_sales, dim_location]\n"
		"    mask: {dim_location.postal_code: 'generalize:country'}\n"
		"    scope: {market: [EU, Africa], category: person}\n", &p, &err), "");
	assert_string_equal(p.source, "dw.yaml");
	assert_int_equal(dw_policy_reads(&p.roles[0], "fact_sales"), 1);
	assert_int_equal(dw_policy_reads(&p.roles[0], "dim_customer"), 0);
	assert_int_equal(dw_policy_rule_of(&p.roles[0], "dim_location", "postal_code", &rule, &to), 0);
	assert_int_equal(rule, DW_POLICY_GENERALIZE);
	assert_string_equal(to, "country");
	/* No pii default: another column has no rule. */
	assert_int_equal(dw_policy_rule_of(&p.roles[0], "dim_customer", "customer_name", &rule, &to),
			 -1);
	assert_int_equal(p.roles[0].scopes[0].nvalues, 2);
	assert_string_equal(p.roles[0].scopes[0].values[1], "Africa");
	assert_int_equal(p.roles[0].scopes[1].person, 1);
	assert_int_equal(p.roles[0].export, 1);
	assert_int_equal(p.roles[0].audit_own, 0);
	dw_policy_release(&p);
	assert_string_equal(load_check("roles:\n  x: {pii: none, audit: own}\n", &p, &err), "");
	assert_int_equal(p.roles[0].audit_own, 1);
	dw_policy_release(&p);
}

static void test_format_errors(void **state)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "roles:\n  x: {pii: redakt}\n", "dw.yaml:2: role 'x': unknown rule 'redakt'" },
		{ "roles:\n  x: {piii: none}\n", "dw.yaml:2: unknown key 'piii' in role 'x'" },
		{ "roles:\n  X-1: {pii: none}\n", "dw.yaml:2: roles: 'X-1' is not a valid name" },
		{ "roles:\n  x: {pii: 'generalize:city'}\n", "'pii' takes a rule without a column" },
		{ "roles:\n  x: {mask: {customer_name: none}}\n", "'customer_name' is not table.column" },
		{ "roles:\n  x: {mask: {a.b: 'redact:c'}}\n", "only generalize takes a column" },
		{ "roles:\n  x: {scope: {market: []}}\n", "'market' needs values, or person" },
		{ "roles:\n  x: {export: maybe, pii: none}\n", "'export' must be true or false" },
		{ "roles:\n  x:\n", "dw.yaml:2: role 'x': say what it reads" },
		{ "roles: {}\n", "roles: at least one role" },
		{ "roles:\n  x: {pii: none, audit: all}\n", "'audit' must be none or own" },
	};
	struct dw_policy p;
	struct dw_err err;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_contains(load_check(cases[i].text, &p, &err), cases[i].msg);
		dw_policy_release(&p);
	}
	/* The closest rule as a hint. */
	load_check("roles:\n  x: {pii: pseudonim}\n", &p, &err);
	dw_policy_release(&p);
	assert_contains(err.hint, "did you mean 'pseudonym'?");
}

/* Against the knowledge file: a personal-data column with no rule is an
 * error, never a silent none. */
static void test_checks(void **state)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "roles:\n  x: {tables: [fact_sales, dim_customer]}\n",
		  "role 'x' reads dim_customer.customer_id, personal data, with no rule" },
		{ "roles:\n  x: {mask: {dim_customer.customer_id: none}}\n",
		  "role 'x' reads dim_customer.customer_name, personal data, with no rule" },
		{ "roles:\n  x: {pii: none, mask: {dim_product.product_name: redact}}\n",
		  "dim_product.product_name is not personal data" },
		{ "roles:\n  x: {tables: [fact_salez], pii: none}\n", "no table 'fact_salez'" },
		{ "roles:\n  x: {pii: none, scope: {markt: person}}\n", "no dimension 'markt'" },
	};
	struct dw_policy p;
	struct dw_err err;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_contains(load_check(cases[i].text, &p, &err), cases[i].msg);
		dw_policy_release(&p);
	}
	/* A role reading no personal data needs no rule. */
	assert_string_equal(load_check("roles:\n  x: {tables: [fact_sales, dim_date]}\n", &p, &err),
			    "");
	dw_policy_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_a_policy),
		cmocka_unit_test(test_format_errors),
		cmocka_unit_test(test_checks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
