#include "ask/prompt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask/bm25.h"

static const char pii_mark[] =
	"(personal data: never output raw values unless asked for one customer)";

static int has(const char *s)
{
	return s && *s;
}

static int is_space_or_control(unsigned char c)
{
	return c <= ' ' || c == 0x7f;
}

/* Writes s on one line: runs of whitespace and control characters become
 * one space, none at either end (descriptions may be folded YAML). */
static void put_text(FILE *f, const char *s)
{
	int started = 0, gap = 0;

	for (; s && *s; s++) {
		if (is_space_or_control((unsigned char)*s)) {
			gap = 1;
			continue;
		}
		if (gap && started)
			fputc(' ', f);
		gap = 0;
		started = 1;
		fputc(*s, f);
	}
}

/* Writes s (SQL, possibly several lines) without trailing whitespace. */
static void put_block(FILE *f, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	while (len && is_space_or_control((unsigned char)s[len - 1]))
		len--;
	if (len)
		fwrite(s, 1, len, f);
}

/* Writes s as an SQL string literal, on one line. */
static void put_literal(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; s && *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(is_space_or_control((unsigned char)*s) ? ' ' : *s, f);
	}
	fputc('\'', f);
}

/* Writes " (also: a, b)" for a non-empty synonym list. */
static void put_synonyms(FILE *f, const struct dw_kb_words *w)
{
	for (size_t i = 0; i < w->n; i++) {
		fputs(i ? ", " : " (also: ", f);
		put_text(f, w->v[i]);
	}
	if (w->n)
		fputc(')', f);
}

static int is_live(const struct dw_prompt_input *in, const char *table)
{
	return dw_schema_table(in->schema, table) != NULL;
}

static void put_task(FILE *f, const struct dw_prompt_input *in)
{
	fprintf(f, "You translate questions into ONE read-only SQL SELECT statement for %s.\n",
		in->dialect == DW_DB_PG ? "PostgreSQL" : "MariaDB/MySQL");
	if (has(in->kb->model) || has(in->kb->description)) {
		fputs("The data warehouse", f);
		if (has(in->kb->model))
			fprintf(f, " \"%s\"", in->kb->model);
		if (has(in->kb->description)) {
			fputs(": ", f);
			put_text(f, in->kb->description);
		}
		fputc('\n', f);
	}
	if (has(in->role))
		fprintf(f, "The reader holds the role \"%s\": personal data may be masked in its "
			"views (redacted, initials or pseudonyms); group customers by their key column.\n",
			in->role);
	fputs("Answer with the SQL in a ```sql fenced block and nothing else.\n\n"
	      "Rules:\n"
	      "- Use only the tables and columns listed below, joined as listed.\n"
	      "- Write one SELECT (WITH is allowed): no INSERT, UPDATE, DELETE or DDL, no INTO,\n"
	      "  no variables, no comments.\n", f);
	if (in->row_limit > 0)
		fprintf(f, "- End with LIMIT %ld unless the result is a single row of aggregates.\n",
			in->row_limit);
	fputs("- For a listed metric use its expression, aliased with the metric name.\n", f);
}

static void put_table(FILE *f, const struct dw_kb *kb, const struct dw_schema_table *t)
{
	const struct dw_kb_table *kt = dw_kb_table(kb, t->name);

	fprintf(f, "- %s", t->name);
	if (kt && has(kt->description)) {
		fputs(": ", f);
		put_text(f, kt->description);
	}
	fputc('\n', f);
	for (size_t i = 0; i < t->ncolumns; i++) {
		const struct dw_schema_column *c = &t->columns[i];
		const struct dw_kb_column *kc = dw_kb_column(kb, t->name, c->name);

		fprintf(f, "  - %s %s", c->name, c->type);
		if (kc && has(kc->description)) {
			fputs(": ", f);
			put_text(f, kc->description);
		}
		if (kc && kc->pii)
			fprintf(f, " %s", pii_mark);
		fputc('\n', f);
	}
}

static void put_tables(FILE *f, const struct dw_prompt_input *in)
{
	fputs("\nTables:\n", f);
	for (size_t i = 0; i < in->schema->ntables; i++)
		put_table(f, in->kb, &in->schema->tables[i]);
}

static void put_joins(FILE *f, const struct dw_prompt_input *in)
{
	int any = 0;

	for (size_t i = 0; i < in->kb->njoins; i++) {
		const struct dw_kb_join *j = &in->kb->joins[i];

		if (!is_live(in, j->left_table) || !is_live(in, j->right_table))
			continue;
		fprintf(f, "%s- %s.%s = %s.%s", any++ ? "" : "\nJoins:\n", j->left_table,
			j->left_column, j->right_table, j->right_column);
		if (has(j->role))
			fprintf(f, " (role: %s)", j->role);
		fputc('\n', f);
	}
}

static void put_metrics(FILE *f, const struct dw_prompt_input *in)
{
	int any = 0;

	for (size_t i = 0; i < in->kb->nmetrics; i++) {
		const struct dw_kb_metric *m = &in->kb->metrics[i];

		if (has(m->table) && !is_live(in, m->table))
			continue;
		fprintf(f, "%s- %s: ", any++ ? "" : "\nMetrics:\n", m->name);
		put_text(f, m->sql);
		if (has(m->description)) {
			fputs(" — ", f);
			put_text(f, m->description);
		}
		put_synonyms(f, &m->synonyms);
		fputc('\n', f);
	}
}

/* "; key: t.a, t.b; within: parent": the columns that name one member. */
static void put_key(FILE *f, const struct dw_kb_dimension *d)
{
	for (size_t k = 0; k < d->key.n; k++)
		fprintf(f, "%s%s.%s", k ? ", " : "; key: ", d->table, d->key.v[k]);
	if (has(d->parent))
		fprintf(f, "; within: %s", d->parent);
}

static void put_dimensions(FILE *f, const struct dw_prompt_input *in)
{
	int any = 0;

	for (size_t i = 0; i < in->kb->ndimensions; i++) {
		const struct dw_kb_dimension *d = &in->kb->dimensions[i];

		if (!is_live(in, d->table))
			continue;
		fprintf(f, "%s- %s: %s.%s", any++ ? "" : "\nDimensions:\n", d->name, d->table,
			d->column);
		if (has(d->description)) {
			fputs(" — ", f);
			put_text(f, d->description);
		}
		put_synonyms(f, &d->synonyms);
		put_key(f, d);
		fputc('\n', f);
	}
	if (any)
		fputs("Group by every key column of a dimension and show its label beside them: "
		      "a label alone can name several members (a region name in several markets), "
		      "which would add them together.\n", f);
}

static void put_time(FILE *f, const struct dw_prompt_input *in)
{
	const struct dw_kb_time *t = &in->kb->time;

	if (!has(t->table) || !is_live(in, t->table))
		return;
	fprintf(f, "\nTime: dates are %s.%s, joined from facts on %s", t->table,
		t->date_column, t->key);
	if (has(t->default_role))
		fprintf(f, " (default role: %s)", t->default_role);
	fputs(".\n", f);
	for (size_t i = 0; i < t->ngrains; i++) {
		fprintf(f, "%s- %s: ", i ? "" : "Time grains:\n", t->grains[i].name);
		put_text(f, t->grains[i].sql);
		fputc('\n', f);
	}
}

static void put_rules(FILE *f, const struct dw_prompt_input *in)
{
	for (size_t i = 0; i < in->kb->rules.n; i++) {
		fputs(i ? "- " : "\nBusiness rules:\n- ", f);
		put_text(f, in->kb->rules.v[i]);
		fputc('\n', f);
	}
}

static void put_examples(FILE *f, const struct dw_prompt_input *in)
{
	int any = 0;

	for (size_t i = 0; i < in->nexamples; i++) {
		const struct dw_kb_example *e;

		if (in->examples[i] >= in->kb->nexamples)
			continue;
		e = &in->kb->examples[in->examples[i]];
		fputs(any++ ? "\nQ: " : "\nExamples:\nQ: ", f);
		put_text(f, e->question);
		fputs("\nSQL: ", f);
		put_block(f, e->sql);
		fputc('\n', f);
	}
}

/* Whether the values of dimension name may go into the prompt: never for
 * personal data or values kept local; for a dimension the knowledge file does not declare, only
 * when the endpoint is local. */
static int values_allowed(const struct dw_prompt_input *in, const char *name)
{
	const struct dw_kb_dimension *d = has(name) ? dw_kb_dimension(in->kb, name) : NULL;
	const struct dw_kb_column *c;

	if (!d)
		return has(name) && !in->remote;
	c = dw_kb_column(in->kb, d->table, d->column);
	return !d->pii && !(c && c->pii) && d->values != DW_KB_VALUES_LOCAL;
}

static void put_values(FILE *f, const struct dw_prompt_input *in)
{
	int any = 0;

	for (size_t i = 0; i < in->nvalues; i++) {
		const struct dw_prompt_values *v = &in->values[i];
		size_t shown = v->n < DW_PROMPT_MAX_VALUES ? v->n : DW_PROMPT_MAX_VALUES;

		if (!v->n || !values_allowed(in, v->dimension))
			continue;
		fprintf(f, "%s- %s: ", any++ ? "" : "\nKnown values:\n", v->dimension);
		for (size_t j = 0; j < shown; j++) {
			if (j)
				fputs(", ", f);
			put_literal(f, v->values[j]);
		}
		if (v->n > shown)
			fprintf(f, " (and %zu more)", v->n - shown);
		fputc('\n', f);
	}
}

/* Closes a memstream; returns its text, or NULL (freed) when any write
 * failed. */
static char *finish(FILE *f, char **buf)
{
	int failed = ferror(f);

	if (fclose(f) != 0 || failed) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

char *dw_prompt_system(const struct dw_prompt_input *in)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	put_task(f, in);
	put_tables(f, in);
	put_joins(f, in);
	put_metrics(f, in);
	put_dimensions(f, in);
	put_time(f, in);
	put_rules(f, in);
	put_examples(f, in);
	put_values(f, in);
	return finish(f, &buf);
}

char *dw_prompt_retry(const char *sql, const char *error)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("That query failed: ", f);
	put_text(f, error);
	fputs("\n\n```sql\n", f);
	put_block(f, sql);
	fputs("\n```\n\nAnswer with one corrected SQL SELECT in a ```sql fenced block and "
	      "nothing else.\n", f);
	return finish(f, &buf);
}

size_t dw_prompt_pick_examples(const struct dw_kb *kb, const char *question, size_t k,
				   size_t *idx)
{
	const char **docs = malloc((kb->nexamples ? kb->nexamples : 1) * sizeof *docs);
	struct dw_bm25 *ix;
	size_t n = 0;

	if (!docs)
		return 0;
	for (size_t i = 0; i < kb->nexamples; i++)
		docs[i] = kb->examples[i].question;
	ix = dw_bm25_new(docs, kb->nexamples);
	if (ix)
		n = dw_bm25_top(ix, question, k, idx, NULL);
	dw_bm25_free(ix);
	free(docs);
	return n;
}
