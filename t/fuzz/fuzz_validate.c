/* libFuzzer target for lib/sqllex.c and lib/ask/validate.c: every input is
 * lexed in both dialects from a buffer exactly as long as it (so a read past
 * the end is an ASan report) and validated in both dialects against the
 * warehouse schema. Besides crashes it checks that tokens stay in bounds and
 * in order, that refusals carry a message, that nothing the validator
 * accepts holds a variable, an executable comment, a second statement, an
 * ODBC escape or an index hint, and that every table it reports is a table
 * of the schema and not a control table. Findings can be replayed against
 * a real server: DW_VALIDATE_DIFF_INPUT=DIR (t/023-ask-validate-diff.t). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask/schema.h"
#include "ask/validate.h"
#include "sqllex.h"

static const char *const tables[] = {
	"dim_date date_key full_date year quarter month month_name week day_of_month "
	"day_of_week day_name is_weekend fiscal_year fiscal_quarter",
	"dim_customer customer_key customer_id customer_name segment updated_at",
	"dim_product product_key product_id product_name subcategory category updated_at",
	"dim_location location_key market region country state city postal_code",
	"fact_sales sales_key order_id product_id row_id order_date_key ship_date_key "
	"customer_key product_key location_key ship_mode order_priority quantity sales "
	"discount profit shipping_cost returned",
	"fact_return return_key order_id order_date_key customer_key location_key region",
	"dw_audit_event event_id question",
};

static struct dw_schema schema;

static void build_schema(void)
{
	dw_schema_init(&schema, "dw");
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char line[512], *save = NULL;

		snprintf(line, sizeof line, "%s", tables[i]);
		if (dw_schema_add_table(&schema, strtok_r(line, " ", &save)) < 0)
			abort();
		for (char *col = strtok_r(NULL, " ", &save); col; col = strtok_r(NULL, " ", &save))
			if (dw_schema_add_column(&schema, col, "int") < 0)
				abort();
	}
}

static int is_comment(const struct dw_sqltok *t)
{
	return t->kind == DW_SQLTOK_COMMENT || t->kind == DW_SQLTOK_EXEC_COMMENT;
}

/* USE, FORCE or IGNORE then INDEX or KEY, comments between them skipped. */
static int is_index_hint(const char *buf, const struct dw_sqltok *t, size_t n, size_t i)
{
	size_t j = i + 1;

	if (!dw_sqllex_tok_is(buf, &t[i], "USE") && !dw_sqllex_tok_is(buf, &t[i], "FORCE") &&
	    !dw_sqllex_tok_is(buf, &t[i], "IGNORE"))
		return 0;
	while (j < n && is_comment(&t[j]))
		j++;
	return j < n && (dw_sqllex_tok_is(buf, &t[j], "INDEX") || dw_sqllex_tok_is(buf, &t[j], "KEY"));
}

/* Every table an accepted query reads is a schema table, never dw_*. */
static void check_tables(const struct dw_schema_table **tables, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tables[i] < schema.tables || tables[i] >= schema.tables + schema.ntables ||
		    !strncmp(tables[i]->name, "dw_", 3))
			abort();
}

/* Lexes and checks the tokens; with accepted set, also what validation
 * promises about an accepted query. */
static void lex_and_check(const char *buf, size_t size, enum dw_db_kind d, int accepted)
{
	struct dw_sqltok *toks;
	struct dw_err err;
	size_t n, end = 0, semi = 0;

	if (dw_sqllex(buf, size, d, &toks, &n, &err) < 0) {
		if (err.code != DW_EX_DATAERR || !err.msg[0] || accepted)
			abort();
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (toks[i].off < end || toks[i].len == 0 || toks[i].off + toks[i].len > size)
			abort();
		end = toks[i].off + toks[i].len;
		if (!accepted)
			continue;
		if (toks[i].kind == DW_SQLTOK_VAR || toks[i].kind == DW_SQLTOK_EXEC_COMMENT ||
		    (semi && !is_comment(&toks[i])) || dw_sqllex_tok_is(buf, &toks[i], "{") ||
		    dw_sqllex_tok_is(buf, &toks[i], "}") || is_index_hint(buf, toks, n, i))
			abort();
		semi |= toks[i].kind == DW_SQLTOK_SEMI;
	}
	free(toks);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum dw_db_kind dialects[] = { DW_DB_MY, DW_DB_PG };
	char *buf = malloc(size ? size : 1), *str = malloc(size + 1);

	if (!schema.database)
		build_schema();
	if (!buf || !str)
		abort();
	memcpy(buf, data, size);
	memcpy(str, data, size);
	str[size] = '\0';
	for (size_t k = 0; k < 2; k++) {
		const struct dw_schema_table **tables;
		struct dw_err err;
		size_t ntables;
		int rc;

		lex_and_check(buf, size, dialects[k], 0);
		dw_err_clear(&err);
		rc = dw_validate_sql_tables(str, dialects[k], &schema, &tables, &ntables, &err);
		if (rc < 0 && (!err.msg[0] || tables ||
			       (err.code != DW_EX_DATAERR && err.code != DW_EX_SOFTWARE)))
			abort();
		/* validation sees the text up to the first NUL */
		if (rc == 0) {
			lex_and_check(str, strlen(str), dialects[k], 1);
			check_tables(tables, ntables);
		}
		free(tables);
	}
	free(buf);
	free(str);
	return 0;
}
