/* A plan into SQL over the star: the fact table, the dimension tables the
 * plan needs joined along the knowledge file's join paths, values bound as
 * parameters, periods as ranges of the fact's date key (so partitions are
 * pruned). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask/sem/sem_int.h"
#include "db/db.h"

int dw_sem_sql_time_key(const struct dw_kb *kb, const char **fact, const char **key)
{
	const struct dw_kb_join *j;

	if (!kb->nmetrics || !kb->time.table)
		return -1;
	*fact = kb->metrics[0].table;
	j = dw_kb_join(kb, *fact, kb->time.table, kb->time.default_role ? kb->time.default_role : "");
	if (!j)
		return -1;
	*key = j->left_column;
	return 0;
}

struct sql {
	FILE *fp;
	char *text;
	size_t len;
	const struct dw_sem_plan *p;
	const char *fact;
	const char *tables[DW_SEM_MAX * 2 + 2];   /* dimension tables joined */
	int ntables;
	char **params;
	size_t nparams;
};

static void put_alias(struct sql *q, const char *name)
{
	char *quoted = dw_db_quote_name(DW_DB_MY, name);

	fprintf(q->fp, " AS %s", quoted ? quoted : name);
	free(quoted);
}

static int add_param(struct sql *q, const char *value)
{
	char **p = realloc(q->params, (q->nparams + 1) * sizeof *p);

	if (!p)
		return -1;
	q->params = p;
	if (!(p[q->nparams] = strdup(value)))
		return -1;
	q->nparams++;
	return 0;
}

static void need_table(struct sql *q, const char *table)
{
	if (!strcmp(table, q->fact))
		return;
	for (int i = 0; i < q->ntables; i++)
		if (!strcmp(q->tables[i], table))
			return;
	q->tables[q->ntables++] = table;
}

static const struct dw_kb_dimension *dim(const struct sql *q, int d)
{
	return &q->p->kb->dimensions[d];
}

static const struct dw_kb_grain *grain(const struct sql *q)
{
	return &q->p->kb->time.grains[q->p->grain];
}

static int put_joins(struct sql *q, struct dw_err *err)
{
	const struct dw_kb *kb = q->p->kb;

	fprintf(q->fp, " FROM %s", q->fact);
	for (int i = 0; i < q->ntables; i++) {
		int is_time = !strcmp(q->tables[i], kb->time.table);
		const struct dw_kb_join *j = dw_kb_join(kb, q->fact, q->tables[i],
							is_time ? kb->time.default_role : "");

		if (!j)
			return dw_err_set(err, DW_EX_NEGATIVE, "no join path from %s to %s", q->fact,
					  q->tables[i]), -1;
		fprintf(q->fp, " JOIN %s ON %s.%s = %s.%s", j->right_table, j->right_table,
			j->right_column, j->left_table, j->left_column);
	}
	return 0;
}

/* The share's part: the filter that names it, -1 when none. */
static int share_part(const struct dw_sem_plan *p)
{
	return p->share && p->nfilters ? 0 : -1;
}

static void put_filter_column(struct sql *q, const struct dw_sem_filter *f)
{
	const struct dw_kb_dimension *d = dim(q, f->dim);

	fprintf(q->fp, "%s.%s", d->table, f->on_key ? d->key.v[0] : d->column);
}

/* "col = ?" or "col IN (?, ...)", the values bound. */
static int put_in(struct sql *q, const struct dw_sem_filter *f)
{
	if (f->nvalues == 1)
		fputs(" = ?", q->fp);
	else
		for (int v = 0; v < f->nvalues; v++)
			fprintf(q->fp, "%s?%s", v ? ", " : " IN (", v + 1 == f->nvalues ? ")" : "");
	for (int v = 0; v < f->nvalues; v++)
		if (add_param(q, f->values[v]) < 0)
			return -1;
	return 0;
}

/* The filters (but a share's part: the whole is over every part) and the
 * period; growth reads from the start, as the first period's growth needs
 * the one before it (the outer query drops the rows before the period). */
static int put_where(struct sql *q, const char *time_key)
{
	const struct dw_sem_plan *p = q->p;
	const char *glue = " WHERE ";

	for (int i = 0; i < p->nfilters; i++) {
		if (i == share_part(p))
			continue;
		fputs(glue, q->fp);
		put_filter_column(q, &p->filters[i]);
		if (put_in(q, &p->filters[i]) < 0)
			return -1;
		glue = " AND ";
	}
	if (p->from && !p->growth)
		fprintf(q->fp, "%s%s.%s >= %ld", glue, q->fact, time_key, p->from), glue = " AND ";
	if (p->to)
		fprintf(q->fp, "%s%s.%s < %ld", glue, q->fact, time_key, p->to), glue = " AND ";
	for (int i = 0; p->nperiods > 1 && i < p->nperiods; i++)
		fprintf(q->fp, "%s%s%s.%s >= %ld AND %s.%s < %ld%s", i ? "" : glue, i ? " OR " : "(",
			q->fact, time_key, p->periods[i].from, q->fact, time_key, p->periods[i].to,
			i + 1 == p->nperiods ? ")" : "");
	return 0;
}

/* The key columns of d, then its label when it is not one of them: what
 * grouping by d groups by. */
static void put_key_columns(struct sql *q, const struct dw_kb_dimension *d, int with_label)
{
	int label_in_key = 0;

	for (size_t k = 0; k < d->key.n; k++) {
		fprintf(q->fp, "%s%s.%s", k ? ", " : "", d->table, d->key.v[k]);
		label_in_key |= !strcmp(d->key.v[k], d->column);
	}
	if (with_label && !label_in_key)
		fprintf(q->fp, ", %s.%s", d->table, d->column);
}

static int label_alone(const struct dw_kb_dimension *d)
{
	return d->key.n == 1 && !strcmp(d->key.v[0], d->column);
}

/* The label of grouping dimension i as shown: qualified by the rest of its
 * key when the label alone may name several members ("Central (EU)"), so
 * that every row names one member and reads the same whatever else the
 * answer holds. */
static void put_label(struct sql *q, int i)
{
	const struct dw_kb_dimension *d = dim(q, q->p->dims[i]);

	if (label_alone(d)) {
		fprintf(q->fp, "%s.%s", d->table, d->column);
		return;
	}
	fprintf(q->fp, "CONCAT(%s.%s, ' (', CONCAT_WS(', '", d->table, d->column);
	for (size_t k = 0; k < d->key.n; k++)
		if (strcmp(d->key.v[k], d->column))
			fprintf(q->fp, ", %s.%s", d->table, d->key.v[k]);
	fputs("), ')')", q->fp);
}

/* The grouping expressions in output order: the grain first when the
 * question named it first ("monthly sales by category"). With aliases, the
 * labels shown; without, the keys grouped and ordered by. */
static void put_groups(struct sql *q, int with_alias, int with_grain_order)
{
	const struct dw_sem_plan *p = q->p;
	const char *sep = "";

	for (int pass = 0; pass < 2; pass++) {
		int grain_now = (pass == 0) == (p->grain_first != 0);

		if (grain_now && p->grain >= 0) {
			fprintf(q->fp, "%s%s", sep, grain(q)->sql);
			if (with_alias)
				put_alias(q, grain(q)->name);
			if (with_grain_order && *grain(q)->order_sql)
				fprintf(q->fp, ", %s", grain(q)->order_sql);
			sep = ", ";
		}
		if (grain_now)
			continue;
		for (int i = 0; i < p->ndims; i++) {
			fputs(sep, q->fp);
			if (with_alias) {
				put_label(q, i);
				put_alias(q, dim(q, p->dims[i])->name);
			} else {
				put_key_columns(q, dim(q, p->dims[i]), 1);
			}
			sep = ", ";
		}
	}
}

static void put_order(struct sql *q)
{
	const struct dw_sem_plan *p = q->p;
	const struct dw_kb_metric *rank =
		&p->kb->metrics[p->rank_metric >= 0 ? p->rank_metric : p->metrics[0]];
	char *alias = dw_db_quote_name(DW_DB_MY, rank->name);

	if (p->direction) {
		fprintf(q->fp, " ORDER BY %s %s", alias, p->direction > 0 ? "DESC" : "ASC");
		if (p->ndims || p->grain >= 0) {
			fputs(", ", q->fp);
			put_groups(q, 0, 0);
		}
		if (p->limit) {
			fprintf(q->fp, " LIMIT %ld", p->limit);
			dw_sem_read_explain((struct dw_sem_plan *)p, "order: %s %s, first %ld row%s",
				       rank->name, p->direction > 0 ? "highest first" : "lowest first",
				       p->limit, p->limit == 1 ? "" : "s");
		} else {
			dw_sem_read_explain((struct dw_sem_plan *)p, "order: %s %s, every row", rank->name,
				       p->direction > 0 ? "highest first" : "lowest first");
		}
	} else if (p->grain >= 0) {
		fprintf(q->fp, " ORDER BY %s", *grain(q)->order_sql ? grain(q)->order_sql
								       : grain(q)->sql);
		for (int i = 0; i < p->ndims; i++) {
			fputs(", ", q->fp);
			put_key_columns(q, dim(q, p->dims[i]), 1);
		}
	} else if (p->ndims) {
		fprintf(q->fp, " ORDER BY %s DESC", alias);
	}
	free(alias);
}

/* FROM the facts joined to every table the plan's groups and filters
 * need, and WHERE. */
static int put_from(struct sql *q, const char *time_key, struct dw_err *err)
{
	const struct dw_sem_plan *p = q->p;

	for (int i = 0; i < p->ndims; i++)
		need_table(q, dim(q, p->dims[i])->table);
	if (p->grain >= 0)
		need_table(q, p->kb->time.table);
	for (int i = 0; i < p->nfilters; i++)
		need_table(q, dim(q, p->filters[i].dim)->table);
	return put_joins(q, err) < 0 || put_where(q, time_key) < 0 ? -1 : 0;
}

static int build_aggregate(struct sql *q, const char *time_key, struct dw_err *err)
{
	const struct dw_sem_plan *p = q->p;

	fputs("SELECT ", q->fp);
	if (p->ndims || p->grain >= 0) {
		put_groups(q, 1, 0);
		fputs(", ", q->fp);
	}
	for (int i = 0; i < p->nmetrics; i++) {
		const struct dw_kb_metric *m = &p->kb->metrics[p->metrics[i]];

		fprintf(q->fp, "%s%s", i ? ", " : "", m->sql);
		put_alias(q, m->name);
	}
	if (put_from(q, time_key, err) < 0)
		return -1;
	if (p->ndims || p->grain >= 0) {
		fputs(" GROUP BY ", q->fp);
		put_groups(q, 0, 1);
	}
	put_order(q);
	return 0;
}

/* The name of the wrapped query's measure: "sales_share", "sales_growth". */
static void derived_name(const struct sql *q, char *buf, size_t size)
{
	snprintf(buf, size, "%s_%s", q->p->kb->metrics[q->p->metrics[0]].name,
		 q->p->share ? "share" : "growth");
}

/* PARTITION BY the dimensions' keys, ORDER BY the grain's step. */
static void put_window(struct sql *q)
{
	fputs(" OVER (", q->fp);
	for (int i = 0; i < q->p->ndims; i++) {
		fputs(i ? ", " : "PARTITION BY ", q->fp);
		put_key_columns(q, dim(q, q->p->dims[i]), 0);
	}
	fprintf(q->fp, "%sORDER BY MIN(%s))", q->p->ndims ? " " : "", grain(q)->step_sql);
}

/* The inner query of a share or a growth: the groups as shown, the derived
 * measure, and hidden columns (dw_part: the share's part label; dw_step,
 * dw_gap, dw_first, dw_prev_first: a growth's periods). */
static int put_inner(struct sql *q, const char *time_key, struct dw_err *err)
{
	const struct dw_sem_plan *p = q->p;
	const char *m = p->kb->metrics[p->metrics[0]].sql;
	int part = share_part(p);
	char name[DW_SEM_PHRASE];

	derived_name(q, name, sizeof name);
	fputs("SELECT ", q->fp);
	put_groups(q, 1, 0);
	if (p->ndims || p->grain >= 0)
		fputs(", ", q->fp);
	if (p->share) {
		fprintf(q->fp, "%s / SUM(%s) OVER ()", m, m);
	} else {
		fprintf(q->fp, "%s / LAG(%s)", m, m);
		put_window(q);
		fputs(" - 1", q->fp);
	}
	put_alias(q, name);
	if (part >= 0) {
		fputs(", ", q->fp);
		put_filter_column(q, &p->filters[part]);
		fputs(" AS dw_part", q->fp);
		need_table(q, dim(q, p->filters[part].dim)->table);
	}
	if (p->grain >= 0 && *grain(q)->step_sql)
		fprintf(q->fp, ", MIN(%s) AS dw_step", grain(q)->step_sql);
	if (p->growth) {
		fprintf(q->fp, ", MIN(%s) - LAG(MIN(%s))", grain(q)->step_sql, grain(q)->step_sql);
		put_window(q);
		fprintf(q->fp, " AS dw_gap, MIN(%s.%s) AS dw_first, LAG(MIN(%s.%s))", q->fact,
			time_key, q->fact, time_key);
		put_window(q);
		fputs(" AS dw_prev_first", q->fp);
	}
	if (put_from(q, time_key, err) < 0)
		return -1;
	fputs(" GROUP BY ", q->fp);
	put_groups(q, 0, 1);
	if (part >= 0 && (p->ndims != 1 || p->dims[0] != p->filters[part].dim)) {
		fputs(p->ndims || p->grain >= 0 ? ", " : "", q->fp);
		put_key_columns(q, dim(q, p->filters[part].dim), 1);
	}
	return 0;
}

/* A share or a growth: the inner query per group, then the rows asked for
 * (the part named; the periods with a previous one, inside the period). */
static int build_wrapped(struct sql *q, const char *time_key, struct dw_err *err)
{
	const struct dw_sem_plan *p = q->p;
	int part = share_part(p);
	char name[DW_SEM_PHRASE], *alias;

	/* The growth of one period of its own grain ("yoy growth by market
	 * in 2014") has no time column: it would only repeat the period. */
	int one = p->growth && p->nperiods == 1 && !p->range && p->periods[0].grain == p->grain;

	derived_name(q, name, sizeof name);
	fputs("SELECT ", q->fp);
	for (int pass = 0; pass < 2; pass++)
		for (int i = -1; i < p->ndims; i++) {
			const char *col = i < 0 ? (p->grain >= 0 && !one ? grain(q)->name : NULL)
						: dim(q, p->dims[i])->name;

			if (col && (i < 0) == ((pass == 0) == (p->grain_first != 0))) {
				char *c = dw_db_quote_name(DW_DB_MY, col);

				fprintf(q->fp, "t.%s, ", c ? c : col);
				free(c);
			}
		}
	if (!(alias = dw_db_quote_name(DW_DB_MY, name)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory"), -1;
	fprintf(q->fp, "t.%s FROM (", alias);
	if (put_inner(q, time_key, err) < 0) {
		free(alias);
		return -1;
	}
	fputs(") AS t", q->fp);
	if (part >= 0) {
		fputs(" WHERE t.dw_part", q->fp);
		if (put_in(q, &p->filters[part]) < 0) {
			free(alias);
			return -1;
		}
	} else if (p->growth) {
		fputs(" WHERE t.dw_gap = 1", q->fp);
		if (p->from)
			fprintf(q->fp, " AND t.dw_first >= %ld", p->from);
		if (p->from && p->range)
			fprintf(q->fp, " AND t.dw_prev_first >= %ld", p->from);
	}
	if (p->direction)
		fprintf(q->fp, " ORDER BY t.%s %s", alias, p->direction > 0 ? "DESC" : "ASC");
	else if (p->grain >= 0 && *grain(q)->step_sql)
		fputs(" ORDER BY t.dw_step", q->fp);
	else
		fprintf(q->fp, " ORDER BY t.%s DESC", alias);
	for (int i = 0; !p->direction && p->grain >= 0 && *grain(q)->step_sql && i < p->ndims; i++) {
		char *c = dw_db_quote_name(DW_DB_MY, dim(q, p->dims[i])->name);

		fprintf(q->fp, ", t.%s", c ? c : "1");
		free(c);
	}
	if (p->direction && p->limit)
		fprintf(q->fp, " LIMIT %ld", p->limit);
	free(alias);
	return 0;
}

/* Values of one dimension: straight from its table when nothing else is
 * involved, through the facts when filtered by other tables or a period. */
static int build_values(struct sql *q, const char *time_key, struct dw_err *err)
{
	const struct dw_sem_plan *p = q->p;
	const struct dw_kb_dimension *d = dim(q, p->dims[0]);
	int direct = !p->from && !p->to;

	for (int i = 0; i < p->nfilters; i++)
		direct &= !strcmp(dim(q, p->filters[i].dim)->table, d->table);
	if (p->intent == DW_SEM_COUNT) {
		fputs("SELECT COUNT(DISTINCT ", q->fp);
		put_key_columns(q, d, 0);
		fputc(')', q->fp);
	} else {
		fputs("SELECT ", q->fp);
		put_label(q, 0);
	}
	put_alias(q, d->name);
	if (direct) {
		q->fact = d->table;
	} else {
		need_table(q, d->table);
		for (int i = 0; i < p->nfilters; i++)
			need_table(q, dim(q, p->filters[i].dim)->table);
	}
	if (put_joins(q, err) < 0 || put_where(q, time_key) < 0)
		return -1;
	if (p->intent == DW_SEM_LIST_VALUES) {
		fputs(" GROUP BY ", q->fp);
		put_key_columns(q, d, 1);
		fputs(" ORDER BY 1", q->fp);
	}
	return 0;
}

/* "which years are in the data": the periods of the grain with facts,
 * through the fact table so periods without orders are left out. */
static int build_grain_list(struct sql *q, const char *time_key, struct dw_err *err)
{
	const struct dw_sem_plan *p = q->p;
	const struct dw_kb_grain *g = grain(q);

	fprintf(q->fp, "SELECT %s", g->sql);
	put_alias(q, g->name);
	need_table(q, p->kb->time.table);
	for (int i = 0; i < p->nfilters; i++)
		need_table(q, dim(q, p->filters[i].dim)->table);
	if (put_joins(q, err) < 0 || put_where(q, time_key) < 0)
		return -1;
	fprintf(q->fp, " GROUP BY %s", g->sql);
	if (*g->order_sql)
		fprintf(q->fp, ", %s", g->order_sql);
	fprintf(q->fp, " ORDER BY %s", *g->order_sql ? g->order_sql : g->sql);
	return 0;
}

static void build_coverage(struct sql *q)
{
	const struct dw_kb_time *t = &q->p->kb->time;

	fprintf(q->fp, "SELECT MIN(%s.%s)", t->table, t->date_column);
	put_alias(q, "first_date");
	fprintf(q->fp, ", MAX(%s.%s)", t->table, t->date_column);
	put_alias(q, "last_date");
	need_table(q, t->table);
}

static void free_params(struct sql *q)
{
	for (size_t i = 0; i < q->nparams; i++)
		free(q->params[i]);
	free(q->params);
}

static int is_fact(const struct dw_kb *kb, const char *table)
{
	for (size_t i = 0; i < kb->nmetrics; i++)
		if (!strcmp(kb->metrics[i].table, table))
			return 1;
	return 0;
}

/* A table the plan joins to the facts: a fact table (another grain) would
 * repeat rows and count measures more than once. Returns 0 or -1. */
static int check_table(const struct dw_sem_plan *p, const char *fact, const char *table,
		       struct dw_err *err)
{
	if (strcmp(table, fact) && is_fact(p->kb, table))
		return dw_err_set(err, DW_EX_NEGATIVE, "joining %s to %s would count its measures "
				  "more than once", table, fact), -1;
	return 0;
}

/* The plan's own checks before any SQL: every grouping has a key (a label
 * alone may name several members), no join fans rows out. Returns 0, or -1
 * declining. */
/* A dimension masked for the reader: its members cannot be told apart,
 * so grouping would add them together. */
static int check_masked(const struct dw_sem_plan *p, int d, struct dw_err *err)
{
	if (d < 64 && p->masked >> d & 1)
		return dw_err_set(err, DW_EX_NEGATIVE, "%s is personal data masked for your role: "
				  "its members cannot be told apart", p->kb->dimensions[d].name), -1;
	return 0;
}

static int check_plan(const struct dw_sem_plan *p, const char *fact, struct dw_err *err)
{
	for (int i = 0; i < p->ndims; i++) {
		const struct dw_kb_dimension *d = &p->kb->dimensions[p->dims[i]];

		if (check_masked(p, p->dims[i], err) < 0)
			return -1;

		if (!d->key.n)
			return dw_err_set(err, DW_EX_NEGATIVE, "dimension %s has no key: grouping by "
					  "its label could add several members together", d->name), -1;
		if (check_table(p, fact, d->table, err) < 0)
			return -1;
	}
	for (int i = 0; i < p->nfilters; i++)
		if (check_masked(p, p->filters[i].dim, err) < 0 ||
		    check_table(p, fact, p->kb->dimensions[p->filters[i].dim].table, err) < 0)
			return -1;
	return 0;
}

int dw_sem_sql_build(const struct dw_sem_plan *p, struct dw_sem_answer *ans, struct dw_err *err)
{
	struct sql q = { .p = p };
	const char *time_key;
	int rc = 0;

	if (dw_sem_sql_time_key(p->kb, &q.fact, &time_key) < 0)
		return dw_err_set(err, DW_EX_NEGATIVE, "the knowledge file has no time join"), 0;
	if (check_plan(p, q.fact, err) < 0)
		return 0;
	q.fp = open_memstream(&q.text, &q.len);
	if (!q.fp)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	switch (p->intent) {
	case DW_SEM_AGGREGATE:
		rc = p->share || p->growth ? build_wrapped(&q, time_key, err)
					   : build_aggregate(&q, time_key, err);
		break;
	case DW_SEM_LIST_VALUES:
	case DW_SEM_COUNT:
		rc = build_values(&q, time_key, err);
		break;
	case DW_SEM_LIST_GRAIN:
		rc = build_grain_list(&q, time_key, err);
		break;
	case DW_SEM_COVERAGE:
		build_coverage(&q);
		rc = put_joins(&q, err);
		break;
	}
	if (fclose(q.fp) != 0 || rc < 0 || !(ans->explain = strdup(p->explain))) {
		free(q.text);
		free_params(&q);
		free(ans->explain);
		ans->explain = NULL;
		if (err->code == DW_EX_NEGATIVE)
			return 0;
		return err->code ? -1 : dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	ans->sql = q.text;
	ans->params = q.params;
	ans->nparams = q.nparams;
	ans->time_axis = p->grain >= 0 && (p->grain_first || !p->ndims);
	return 1;
}
