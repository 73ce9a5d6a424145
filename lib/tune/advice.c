/* The advice is read from what collect stored, so it costs the warehouse
 * a few queries on the dw_tune_ tables and information_schema, whatever
 * the workload. dw's own tables (dw_*) get no advice. */
#include "tune/advice.h"

#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "db/db.h"
#include "log.h"
#include "tune/advise.h"
#include "explain.h"

#define DIGESTS 20      /* the costliest digests read for candidates */
#define SAMPLE 10000    /* rows of a table a candidate's predicates are run on */
/* What a row found through a secondary index costs against one read in
 * a scan (the index's entry, then the primary key's lookup, at random):
 * an index that finds more than a quarter of the rows saves nothing. */
#define LOOKUP_COST 4

/* The warehouse's B-tree indexes, as tune/advise.h describes them. */
struct indexes {
	struct dw_advise_index *ix;
	char **bufs;                /* per index: its table, name and columns, NUL-separated */
	size_t n;
	const char *db;             /* the warehouse's database */
};

struct advice {
	char id[9];
	const char *action;         /* "create" or "drop" */
	char table[DW_ADVISE_NAME_MAX];
	char index[4 * DW_ADVISE_NAME_MAX + 8];
	double served_us;           /* create: the time of the digests it serves */
	double reads;               /* create: the rows they read from its table now (EXPLAIN) */
	double bytes;               /* create: its size, estimated */
	double match;               /* create: the share of rows its columns find in its
				       first example, -1 unknown */
	double saving_us;           /* create: the time it would save of served_us */
	double benefit;             /* create: saving_us / served_us, 0 to 1 */
	double table_bytes;         /* create: its table's data and indexes now */
	char digest[DW_ADVICE_DIGESTS][65];   /* the first of them */
	size_t ndigests;            /* all of them */
	char reason[256];
};

/* A digest of the window that reads a table (a drop is timed on them). */
struct reader {
	char table[DW_ADVISE_NAME_MAX];
	char digest[65];
};

struct advices {
	struct advice *a;
	size_t n, cap;
	double total_us;            /* the window's time */
	struct reader *rd;
	size_t nrd, caprd;
};

static int oom(struct dw_err *err)
{
	return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
}

static void advices_release(struct advices *s)
{
	free(s->a);
	free(s->rd);
	memset(s, 0, sizeof *s);
}

static void indexes_release(struct indexes *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->bufs[i]);
		free((void *)x->ix[i].cols);
	}
	free(x->bufs);
	free(x->ix);
	memset(x, 0, sizeof *x);
}

/* One index from its table, name, uniqueness and comma-separated columns. */
static int index_add(struct indexes *x, const char *table, const char *name, int unique,
		     const char *cols)
{
	size_t lt = strlen(table) + 1, ln = strlen(name) + 1, nc = 1;
	char *buf = malloc(lt + ln + strlen(cols) + 1), *c;
	const char **v;

	for (const char *p = cols; *p; p++)
		nc += *p == ',';
	v = calloc(nc, sizeof *v);
	if (!buf || !v) {
		free(buf);
		free(v);
		return -1;
	}
	memcpy(buf, table, lt);
	memcpy(buf + lt, name, ln);
	strcpy(buf + lt + ln, cols);
	nc = 0;
	for (c = buf + lt + ln; c; c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL)
		v[nc++] = c;
	for (c = buf + lt + ln; (c = strchr(c, ',')); )
		*c++ = '\0';
	x->bufs[x->n] = buf;
	x->ix[x->n++] = (struct dw_advise_index){ NULL, buf, buf + lt, v, nc, unique,
						  !strcmp(name, "PRIMARY") };
	return 0;
}

static int read_indexes(struct dw_db *my, struct indexes *x, struct dw_err *err)
{
	struct dw_rows *r = dw_db_query(my, "SELECT TABLE_NAME, INDEX_NAME, MIN(NON_UNIQUE) = 0, "
					"GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ',') "
					"FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
					"DATABASE() AND INDEX_TYPE = 'BTREE' AND TABLE_NAME NOT LIKE "
					"'dw\\_%' GROUP BY TABLE_NAME, INDEX_NAME ORDER BY 1, 2", 0,
					NULL, err);
	size_t cap = 0;
	int rc;

	if (!r)
		return -1;
	while ((rc = dw_rows_next(r, err)) == 1) {
		if (x->n == cap) {
			size_t nc = cap ? 2 * cap : 64;
			struct dw_advise_index *ix = realloc(x->ix, nc * sizeof *ix);
			char **b = ix ? realloc(x->bufs, nc * sizeof *b) : NULL;

			if (ix)
				x->ix = ix;
			if (!b) {
				rc = oom(err);
				break;
			}
			x->bufs = b;
			cap = nc;
		}
		if (index_add(x, dw_rows_value(r, 0), dw_rows_value(r, 1),
			      atoi(dw_rows_value(r, 2)), dw_rows_value(r, 3)) < 0) {
			rc = oom(err);
			break;
		}
	}
	dw_rows_free(r);
	return rc;
}

/* ---- the list of advice ---- */

static struct advice *advice_new(struct advices *s, const char *action, const char *table,
				 const char *index, struct dw_err *err)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char key[sizeof s->a->table + sizeof s->a->index + 16];
	struct advice *a;

	if (s->n == s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 32;
		struct advice *v = realloc(s->a, nc * sizeof *v);

		if (!v)
			return oom(err), NULL;
		s->a = v;
		s->cap = nc;
	}
	a = &s->a[s->n++];
	memset(a, 0, sizeof *a);
	a->action = action;
	snprintf(a->table, sizeof a->table, "%s", table);
	snprintf(a->index, sizeof a->index, "%s", index);
	snprintf(key, sizeof key, "%s %s(%s)", action, table, index);
	SHA256((const unsigned char *)key, strlen(key), md);
	snprintf(a->id, sizeof a->id, "%02x%02x%02x%02x", md[0], md[1], md[2], md[3]);
	return a;
}

static struct advice *advice_find(struct advices *s, const char *action, const char *table,
				  const char *index)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->a[i].action, action) && !strcmp(s->a[i].table, table) &&
		    !strcasecmp(s->a[i].index, index))
			return &s->a[i];
	return NULL;
}

static const char *const use_names[] = { "equality", "join", "range", "group by", "order by" };

/* "market: equality, location_key: join", from how the usage reads each
 * column of the candidate in its table. */
static void reason_of(const struct dw_advise_usage *u, const struct dw_advise_candidate *c,
		      char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < c->ncols && used < size; k++) {
		const char *use = "?";

		for (size_t t = 0; t < u->ntables; t++)
			for (size_t j = 0; !strcmp(use, "?") && j < u->tables[t].ncols; j++)
				if (!strcmp(u->tables[t].name, c->table) &&
				    !strcasecmp(u->tables[t].cols[j].name, c->cols[k]))
					use = use_names[u->tables[t].cols[j].use];
		used += (size_t)snprintf(buf + used, size - used, "%s%s: %s", k ? ", " : "",
					 c->cols[k], use);
	}
}

/* The rows the optimizer expects the example to read from table, each
 * reference to it by its alias (explain.h); 0 without a plan (an example
 * the server cannot plan, or cut short). */
static double table_reads(const struct dw_explain *plan, const struct dw_advise_usage *u,
			  const char *table)
{
	double rows = 0;

	for (size_t i = 0; plan && i < plan->n; i++)
		for (size_t t = 0; t < u->ntables; t++)
			if (!strcmp(u->tables[t].name, table) &&
			    !strcmp(u->tables[t].alias, plan->steps[i].alias)) {
				rows += plan->steps[i].reads;
				break;
			}
	return rows;
}

/* The digest as a reader of each table of its example. */
static int readers_note(struct advices *s, const struct dw_advise_usage *u, const char *digest,
			struct dw_err *err)
{
	for (size_t t = 0; t < u->ntables; t++) {
		struct reader *r;

		if (s->nrd == s->caprd) {
			size_t nc = s->caprd ? 2 * s->caprd : 32;
			struct reader *v = realloc(s->rd, nc * sizeof *v);

			if (!v)
				return oom(err);
			s->rd = v;
			s->caprd = nc;
		}
		r = &s->rd[s->nrd++];
		snprintf(r->table, sizeof r->table, "%s", u->tables[t].name);
		snprintf(r->digest, sizeof r->digest, "%.64s", digest);
	}
	return 0;
}

/* One digest of the window as its candidates are counted: its example is
 * read (u) and planned once (plan, NULL when the server cannot plan it). */
struct digest_ctx {
	struct dw_db *my;
	const char *digest, *example;
	double us;
	const struct dw_advise_usage *u;
	const struct dw_explain *plan;
};

/* The table reference of u the candidate was made from: the first of its
 * table that uses its first column. */
static const struct dw_advise_table *ref_of(const struct dw_advise_usage *u,
					    const struct dw_advise_candidate *c)
{
	for (size_t t = 0; t < u->ntables; t++)
		for (size_t j = 0; !strcmp(u->tables[t].name, c->table) && j < u->tables[t].ncols; j++)
			if (!strcasecmp(u->tables[t].cols[j].name, c->cols[0]))
				return &u->tables[t];
	return NULL;
}

/* The use of col in t an index serves best: EQ, else JOIN, else RANGE,
 * else GROUP BY or ORDER BY; NULL when none. */
static const struct dw_advise_col *best_use(const struct dw_advise_table *t, const char *col)
{
	const struct dw_advise_col *best = NULL;

	for (size_t j = 0; j < t->ncols; j++)
		if (!strcasecmp(t->cols[j].name, col) && (!best || t->cols[j].use < best->use))
			best = &t->cols[j];
	return best;
}

/* Whether a table reference of u other than t is filtered (an EQ or
 * RANGE use): a join can then start there and look rows of t up by the
 * join columns. With none, every row of t is read whatever its indexes. */
static int filtered_elsewhere(const struct dw_advise_usage *u, const struct dw_advise_table *t)
{
	for (size_t i = 0; i < u->ntables; i++)
		for (size_t j = 0; &u->tables[i] != t && j < u->tables[i].ncols; j++)
			if (u->tables[i].cols[j].use == DW_ADVISE_EQ ||
			    u->tables[i].cols[j].use == DW_ADVISE_RANGE)
				return 1;
	return 0;
}

/* The sample query of the candidate's columns as an index would use them:
 * the leading EQ and JOIN ones (JOIN ones only when the join can start
 * from a filtered table, joins), then one RANGE. A predicate with its
 * text is counted on the sample; a JOIN column, or an EQ one whose value
 * is not known, finds a row per distinct value. *usable: how many columns
 * count. */
static void sample_sql(FILE *f, const char *example, const struct dw_advise_table *t,
		       const struct dw_advise_candidate *c, int joins, int *usable)
{
	int npred = 0, ndist = 0;
	char *q;

	fputs("SET STATEMENT max_statement_time = 2 FOR SELECT COUNT(*), SUM(", f);
	*usable = 0;
	for (size_t k = 0; k < c->ncols; k++) {
		const struct dw_advise_col *u = best_use(t, c->cols[k]);

		if (!u || u->use > DW_ADVISE_RANGE || (u->use == DW_ADVISE_RANGE && !u->pred_len) ||
		    (u->use == DW_ADVISE_JOIN && !joins))
			break;
		++*usable;
		if (u->pred_len)
			fprintf(f, "%s(%.*s)", npred++ ? " AND " : "", (int)u->pred_len,
				example + u->pred_off);
		if (u->use == DW_ADVISE_RANGE)
			break;
	}
	fputs(npred ? "), COUNT(DISTINCT " : "1), COUNT(DISTINCT ", f);
	for (size_t k = 0; k < (size_t)*usable; k++) {
		const struct dw_advise_col *u = best_use(t, c->cols[k]);

		if (u->pred_len)
			continue;
		q = dw_db_quote_name(DW_DB_MY, u->name);
		fprintf(f, "%s%s", ndist++ ? ", " : "", q ? q : "``");
		free(q);
	}
	q = dw_db_quote_name(DW_DB_MY, t->name);
	fprintf(f, "%s) FROM (SELECT * FROM %s LIMIT %d) AS ", ndist ? "" : "1", q ? q : "``",
		SAMPLE);
	free(q);
	q = dw_db_quote_name(DW_DB_MY, t->alias);
	fputs(q ? q : "``", f);
	free(q);
}

/* The share of the table's rows the candidate finds, from its first
 * example's predicates run on a sample of the table (no function is
 * called: advise.h keeps only predicates of literals); -1 when unknown. */
static double sample_match(struct dw_db *my, const char *example,
			   const struct dw_advise_usage *u, const struct dw_advise_candidate *c)
{
	const struct dw_advise_table *t = ref_of(u, c);
	struct dw_err ignored = { 0 };
	struct dw_rows *r = NULL;
	char *sql = NULL;
	size_t len = 0;
	FILE *f = t ? open_memstream(&sql, &len) : NULL;
	int usable = 0;
	double match = -1;

	if (!f)
		return -1;
	sample_sql(f, example, t, c, filtered_elsewhere(u, t), &usable);
	if (fclose(f) == 0 && usable && (r = dw_db_query(my, sql, 0, NULL, &ignored)) &&
	    dw_rows_next(r, &ignored) == 1) {
		double n = atof(dw_rows_value(r, 0)), m = atof(dw_rows_value(r, 1) ?
							       dw_rows_value(r, 1) : "0");
		double d = atof(dw_rows_value(r, 2));

		/* none of the sample matching: at most half a row of it */
		if (n > 0 && d > 0)
			match = (m > 0 ? m : 0.5) / n / d;
	}
	if (!usable)
		match = 1;   /* GROUP BY, ORDER BY or an unfiltered join: it finds every row */
	dw_rows_free(r);
	free(sql);
	return match;
}

/* The candidate counted for the digest, once: its time, the rows EXPLAIN
 * says its example reads from the table, and the time it would save of
 * the digest's, judged from the example: by the share of rows it finds,
 * and the table's share of the rows the statement reads. */
static int serve(const struct digest_ctx *d, struct advices *s,
		 const struct dw_advise_candidate *c, struct dw_err *err)
{
	const struct dw_advise_usage *u = d->u;
	char cols[sizeof s->a->index];
	size_t used = 0;
	struct advice *a;
	double reads, all, match, benefit;
	int fresh = 0;

	for (size_t k = 0; k < c->ncols; k++)
		used += (size_t)snprintf(cols + used, sizeof cols - used, "%s%s", k ? "," : "",
					 c->cols[k]);
	if (!(a = advice_find(s, "create", c->table, cols))) {
		if (!(a = advice_new(s, "create", c->table, cols, err)))
			return -1;
		reason_of(u, c, a->reason, sizeof a->reason);
		fresh = 1;
	}
	for (size_t i = 0; i < a->ndigests && i < DW_ADVICE_DIGESTS; i++)
		if (!strcmp(a->digest[i], d->digest))
			return 0;
	reads = table_reads(d->plan, u, c->table);
	all = d->plan ? d->plan->reads : 0;
	match = sample_match(d->my, d->example, u, c);
	if (fresh)
		a->match = match;
	/* what it saves of the rows the table gives, times the table's share
	 * of what the statement reads */
	benefit = match < 0 ? 0.5 : match * LOOKUP_COST >= 1 ? 0 : 1 - match * LOOKUP_COST;
	if (all > 0)
		benefit *= reads / all;
	a->served_us += d->us;
	a->saving_us += d->us * benefit;
	a->benefit = a->served_us > 0 ? a->saving_us / a->served_us : 0;
	a->reads += reads;
	if (a->ndigests < DW_ADVICE_DIGESTS)
		snprintf(a->digest[a->ndigests], sizeof a->digest[0], "%.64s", d->digest);
	a->ndigests++;
	return 0;
}

/* Whether the candidate's columns start with every column of a unique
 * index of its table: that index finds the one row already (and InnoDB's
 * primary key holds the row), so a longer index serves no lookup. */
static int starts_unique(const struct indexes *x, const struct dw_advise_candidate *c)
{
	for (size_t k = 0; k < x->n; k++) {
		const struct dw_advise_index *ix = &x->ix[k];
		size_t in = 0;

		if (!(ix->unique || ix->primary) || strcmp(ix->table, c->table) ||
		    ix->ncols > c->ncols)
			continue;
		for (size_t i = 0; i < ix->ncols; i++)
			for (size_t j = 0; j < ix->ncols; j++)
				in += !strcasecmp(ix->cols[i], c->cols[j]);
		if (in == ix->ncols)
			return 1;
	}
	return 0;
}

/* The candidates of one digest's example that are tables of the
 * warehouse (a name the existing indexes know). */
static int digest_advice(struct dw_db *my, struct advices *s, const struct indexes *x,
			 const char *digest, const char *example, double us, struct dw_err *err)
{
	struct dw_advise_usage u;
	struct dw_advise_candidate *c = NULL;
	struct dw_explain plan;
	struct dw_err e = { 0 }, ignored = { 0 };
	struct digest_ctx d = { my, digest, example, us, &u, NULL };
	size_t n = 0;
	int rc = 0;

	if (dw_advise_usage(example, &u, &e) < 0) {
		dw_log_verbose(1, "digest %.12s: its example is not read: %s", digest, e.msg);
		dw_advise_usage_release(&u);
		return e.code == DW_EX_SOFTWARE ? (*err = e, -1) : 0;
	}
	if (dw_explain_read(my, example, &plan, &ignored) == 0)
		d.plan = &plan;
	if (readers_note(s, &u, digest, err) < 0 ||
	    dw_advise_candidates(&u, x->ix, x->n, &c, &n, err) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int known = 0;

		for (size_t k = 0; k < x->n && !known; k++)
			known = !strcmp(x->ix[k].table, c[i].table);
		if (known && (!c[i].schema[0] || !strcmp(c[i].schema, x->db)) &&
		    !starts_unique(x, &c[i]))
			rc = serve(&d, s, &c[i], err);
	}
	free(c);
	dw_explain_release(&plan);
	dw_advise_usage_release(&u);
	return rc;
}

/* The costliest digests of the window: digest, time, example, read
 * whole before any of them is EXPLAINed on the same connection. */
struct costly {
	char digest[65];
	double us;
	char *example;
};

static int create_advice(struct dw_db *my, const char *since, struct advices *s,
			 const struct indexes *x, struct dw_err *err)
{
	char lim[16];
	const char *params[] = { since, lim };
	struct costly d[DIGESTS];
	struct dw_rows *r;
	size_t n = 0;
	int rc;

	snprintf(lim, sizeof lim, "%d", DIGESTS);
	r = dw_db_query(my, "SELECT s.digest, SUM(s.d_total_us), d.example FROM dw_tune_stat s "
			"JOIN dw_tune_snapshot t ON t.snap_id = s.snap_id JOIN dw_tune_digest d "
			"ON d.schema_name = s.schema_name AND d.digest = s.digest "
			"WHERE t.taken_at >= ? AND s.schema_name = DATABASE() "
			"AND d.example IS NOT NULL GROUP BY s.digest, d.example "
			"HAVING SUM(s.d_total_us) > 0 ORDER BY 2 DESC LIMIT ?", 2, params, err);
	if (!r)
		return -1;
	while (n < DIGESTS && (rc = dw_rows_next(r, err)) == 1) {
		snprintf(d[n].digest, sizeof d[n].digest, "%s", dw_rows_value(r, 0));
		d[n].us = atof(dw_rows_value(r, 1));
		if (!(d[n++].example = strdup(dw_rows_value(r, 2))))
			rc = oom(err);
	}
	dw_rows_free(r);
	for (size_t i = 0; rc >= 0 && i < n; i++)
		if (d[i].example && digest_advice(my, s, x, d[i].digest, d[i].example, d[i].us,
						  err) < 0)
			rc = -1;
	for (size_t i = 0; i < n; i++)
		free(d[i].example);
	return rc < 0 ? -1 : 0;
}

/* Each create's size (and its table's, whose share it is of what a merge
 * writes, as an estimate: dw-tune try measures it): the table's rows times the bytes of its columns and
 * of the primary key's (which InnoDB keeps in every index), the fixed
 * types by their size, text by half its longest, plus 13 bytes a record,
 * and 1.5 for pages part full: a rough guide, not a measure. */
static int sizes(struct dw_db *my, struct advices *s, struct dw_err *err)
{
	for (size_t i = 0; i < s->n; i++) {
		struct advice *a = &s->a[i];
		const char *params[] = { a->table, a->index };
		char *v = NULL;

		if (strcmp(a->action, "create"))
			continue;
		if (dw_db_query_value(my, "SELECT 1.5 * MAX(t.TABLE_ROWS) * (13 + SUM(CASE "
				      "c.DATA_TYPE WHEN 'tinyint' THEN 1 WHEN 'smallint' THEN 2 "
				      "WHEN 'mediumint' THEN 3 WHEN 'int' THEN 4 WHEN 'bigint' THEN 8 "
				      "WHEN 'date' THEN 3 WHEN 'datetime' THEN 8 WHEN 'timestamp' "
				      "THEN 4 WHEN 'float' THEN 4 WHEN 'double' THEN 8 WHEN 'decimal' "
				      "THEN CEIL(c.NUMERIC_PRECISION / 2) ELSE LEAST(COALESCE("
				      "c.CHARACTER_OCTET_LENGTH, 32) / 2, 512) END)) "
				      "FROM information_schema.TABLES t JOIN information_schema.COLUMNS "
				      "c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME "
				      "WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_NAME = ? AND "
				      "(FIND_IN_SET(c.COLUMN_NAME, ?) OR c.COLUMN_KEY = 'PRI')", 2, params,
				      &v, err) < 0)
			return -1;
		a->bytes = v ? atof(v) : 0;
		free(v);
		v = NULL;
		if (dw_db_query_value(my, "SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema."
				      "TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", 1,
				      params, &v, err) < 0)
			return -1;
		a->table_bytes = v ? atof(v) : 0;
		free(v);
	}
	return 0;
}

/* By the time an index would save, then by the time it serves. */
static int by_saving(const void *a, const void *b)
{
	const struct advice *x = a, *y = b;
	double sx = x->saving_us, sy = y->saving_us;

	if (sx != sy)
		return (sx < sy) - (sx > sy);
	return (x->served_us < y->served_us) - (x->served_us > y->served_us);
}

/* Whether every column of a (comma-separated) is one of b's. */
static int cols_within(const char *a, const char *b)
{
	char list[sizeof ((struct advice *)0)->index], *save = NULL;

	snprintf(list, sizeof list, "%s", a);
	for (char *c = strtok_r(list, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(c);
		const char *p = b;
		int found = 0;

		while (!found && p && *p) {
			found = !strncasecmp(p, c, n) && (p[n] == ',' || !p[n]);
			p = strchr(p, ',');
			p = p ? p + 1 : NULL;
		}
		if (!found)
			return 0;
	}
	return 1;
}

/* Whether a (ranked after b) adds nothing to b: the same table, its
 * columns among b's and its digests (all of them known) among b's. */
static int dominated(const struct advice *a, const struct advice *b)
{
	if (strcmp(a->table, b->table) || a->ndigests > DW_ADVICE_DIGESTS ||
	    b->benefit < a->benefit || !cols_within(a->index, b->index))
		return 0;
	for (size_t i = 0; i < a->ndigests; i++) {
		size_t k = 0;

		while (k < b->ndigests && k < DW_ADVICE_DIGESTS && strcmp(a->digest[i], b->digest[k]))
			k++;
		if (k == b->ndigests || k == DW_ADVICE_DIGESTS)
			return 0;
	}
	return 1;
}

/* The ranked creates without those an earlier one dominates. */
static void prune(struct advices *s)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->n; i++) {
		int drop = 0;

		for (size_t j = 0; j < kept && !drop; j++)
			drop = dominated(&s->a[i], &s->a[j]);
		if (drop)
			dw_log_verbose(1, "advice %s (%s on %s) left out: a better one serves its "
				       "statements with its columns", s->a[i].id, s->a[i].index,
				       s->a[i].table);
		else
			s->a[kept++] = s->a[i];
	}
	s->n = kept;
}

/* ---- drop advice ---- */

/* Indexes (not PRIMARY, not UNIQUE) with no read in any snapshot, over
 * two snapshots at least. */
static int unused_advice(struct dw_db *my, struct advices *s, const struct indexes *x,
			 struct dw_err *err)
{
	struct dw_rows *r = dw_db_query(my, "SELECT i.table_name, i.index_name, COUNT(*), "
					"MIN(t.taken_at) FROM dw_tune_index i JOIN dw_tune_snapshot t "
					"ON t.snap_id = i.snap_id GROUP BY i.table_name, i.index_name "
					"HAVING SUM(i.d_read_count) = 0 AND COUNT(*) >= 2 ORDER BY 1, 2",
					0, NULL, err);
	int rc;

	if (!r)
		return -1;
	while ((rc = dw_rows_next(r, err)) == 1) {
		const char *table = dw_rows_value(r, 0), *name = dw_rows_value(r, 1);
		struct advice *a;

		for (size_t k = 0; k < x->n; k++) {
			if (strcmp(x->ix[k].table, table) || strcmp(x->ix[k].name, name) ||
			    x->ix[k].unique || x->ix[k].primary)
				continue;
			if (!(a = advice_new(s, "drop", table, name, err))) {
				rc = -1;
				break;
			}
			snprintf(a->reason, sizeof a->reason, "unused: no read in %s snapshots "
				 "since %s", dw_rows_value(r, 2), dw_rows_value(r, 3));
		}
		if (rc < 0)
			break;
	}
	dw_rows_free(r);
	return rc;
}

static int redundant_advice(struct advices *s, const struct indexes *x, struct dw_err *err)
{
	struct dw_advise_cover *c = NULL;
	size_t n = 0;

	if (dw_advise_redundant(x->ix, x->n, &c, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct dw_advise_index *ix = &x->ix[c[i].index], *by = &x->ix[c[i].by];
		struct advice *a = advice_find(s, "drop", ix->table, ix->name);

		if (!a && !(a = advice_new(s, "drop", ix->table, ix->name, err))) {
			free(c);
			return -1;
		}
		snprintf(a->reason, sizeof a->reason, "redundant: %s starts with its columns",
			 by->name);
	}
	free(c);
	return 0;
}

/* The digests that read a drop's table: its trial times them. */
static void drop_readers(const struct advices *s, struct advice *a)
{
	for (size_t i = 0; i < s->nrd; i++) {
		size_t k = 0;

		if (strcmp(s->rd[i].table, a->table))
			continue;
		while (k < a->ndigests && k < DW_ADVICE_DIGESTS && strcmp(a->digest[k], s->rd[i].digest))
			k++;
		if (k < a->ndigests)
			continue;
		if (a->ndigests < DW_ADVICE_DIGESTS)
			snprintf(a->digest[a->ndigests], sizeof a->digest[0], "%s", s->rd[i].digest);
		a->ndigests++;
	}
}

/* ---- out ---- */

static int print_all(const struct advices *s, size_t ncreate, const struct dw_advice_opts *o,
		     FILE *out, struct dw_err *err)
{
	static const char *const cols[] = { "id", "action", "table", "index", "served_s", "share",
					     "reads", "match_pct", "size_mb", "merge_pct", "digests",
					     "reason" };
	struct dw_out *t = dw_out_new(out, o->format, o->header);
	int rc = t ? 0 : oom(err);

	for (int i = 0; t && i < 12; i++)
		dw_out_column(t, cols[i], i >= 4 && i <= 9 ? DW_OUT_NUMBER : DW_OUT_TEXT);
	for (size_t i = 0; rc == 0 && i < s->n; i++) {
		const struct advice *a = &s->a[i];
		char served[32] = "", share[32] = "", reads[32] = "", mb[32] = "", merge[32] = "";
		char match[32] = "", digests[6 * 13 + 8] = "";
		const char *row[] = { a->id, a->action, a->table, a->index, served, share, reads,
				      match, mb, merge, digests, a->reason };

		for (size_t k = 0; k < a->ndigests && k < 6; k++)
			snprintf(digests + strlen(digests), sizeof digests - strlen(digests),
				 "%s%.12s", k ? " " : "", a->digest[k]);

		if (!strcmp(a->action, "create") && i >= ncreate)
			continue;
		if (!strcmp(a->action, "create")) {
			snprintf(served, sizeof served, "%.3f", a->served_us / 1e6);
			snprintf(share, sizeof share, "%.1f",
				 s->total_us > 0 ? 100 * a->served_us / s->total_us : 0);
			snprintf(reads, sizeof reads, "%.0f", a->reads);
			if (a->match >= 0)
				snprintf(match, sizeof match, "%.3g", 100 * a->match);
			snprintf(mb, sizeof mb, "%.2f", a->bytes / 1048576);
			if (a->table_bytes > 0)
				snprintf(merge, sizeof merge, "%.1f", 100 * a->bytes / a->table_bytes);
		}
		rc = dw_out_row(t, row, err);
	}
	if (rc == 0 && t)
		rc = dw_out_end(t, err);
	dw_out_free(t);
	return rc;
}

static int tables_there(struct dw_db *my, struct dw_err *err)
{
	char *v = NULL;
	int rc = dw_db_query_value(my, "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
				   "TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('dw_tune_stat', "
				   "'dw_tune_digest', 'dw_tune_index')", 0, NULL, &v, err);

	if (rc == 0 && (!v || strcmp(v, "3")))
		rc = dw_err_set(err, DW_EX_CONFIG, "no dw-tune tables (run dw-etl init)");
	free(v);
	return rc;
}

static int window_time(struct dw_db *my, const char *since, struct advices *s,
		       struct dw_err *err)
{
	const char *params[] = { since };
	char *v = NULL;

	if (dw_db_query_value(my, "SELECT SUM(s.d_total_us) FROM dw_tune_stat s JOIN "
			      "dw_tune_snapshot t ON t.snap_id = s.snap_id WHERE t.taken_at >= ? "
			      "AND s.schema_name = DATABASE()", 1, params, &v, err) < 0)
		return -1;
	s->total_us = v ? atof(v) : 0;
	free(v);
	return 0;
}

/* All the advice of the window into s (creates first, by the time they
 * serve; *ncreate of them), x holding the indexes it was made from. */
static int build(struct dw_db *my, const char *since, struct indexes *x, struct advices *s,
		 size_t *ncreate, struct dw_err *err)
{
	int rc = tables_there(my, err);

	if (rc == 0)
		rc = read_indexes(my, x, err);
	if (rc == 0)
		rc = window_time(my, since, s, err);
	if (rc == 0)
		rc = create_advice(my, since, s, x, err);
	if (rc == 0)
		rc = sizes(my, s, err);
	if (rc == 0 && s->n) {
		qsort(s->a, s->n, sizeof *s->a, by_saving);
		prune(s);
	}
	*ncreate = s->n;
	if (rc == 0)
		rc = unused_advice(my, s, x, err);
	if (rc == 0)
		rc = redundant_advice(s, x, err);
	for (size_t i = *ncreate; rc == 0 && i < s->n; i++)
		drop_readers(s, &s->a[i]);
	return rc;
}

int dw_advice_print(const struct dw_config *cfg, const struct dw_advice_opts *o, FILE *out,
		    struct dw_err *err)
{
	struct indexes x = { .db = cfg->warehouse.database };
	struct advices s = { 0 };
	char since[32];
	struct dw_db *my;
	size_t ncreate = 0;
	int rc;

	if (o->n <= 0)
		return dw_err_set(err, DW_EX_USAGE, "-n must be a positive number");
	if (dw_date_time_arg(o->since ? o->since : "24h", since, err) < 0)
		return -1;
	if (!(my = dw_db_my_open(&cfg->warehouse, "warehouse", err)))
		return -1;
	rc = build(my, since, &x, &s, &ncreate, err);
	if (rc == 0)
		rc = print_all(&s, ncreate < (size_t)o->n ? ncreate : (size_t)o->n, o, out, err);
	advices_release(&s);
	indexes_release(&x);
	dw_db_close(my);
	return rc;
}

static void item_of(const struct advice *a, struct dw_advice_item *it)
{
	memset(it, 0, sizeof *it);
	it->action = a->action;
	snprintf(it->id, sizeof it->id, "%s", a->id);
	snprintf(it->table, sizeof it->table, "%s", a->table);
	snprintf(it->index, sizeof it->index, "%s", a->index);
	it->bytes = a->bytes;
	it->benefit = a->benefit;
	it->ndigests = a->ndigests < DW_ADVICE_DIGESTS ? a->ndigests : DW_ADVICE_DIGESTS;
	memcpy(it->digest, a->digest, sizeof it->digest);
}

int dw_advice_list(struct dw_db *my, const char *db, const char *since,
		   struct dw_advice_item **items, size_t *n, struct dw_err *err)
{
	struct indexes x = { .db = db };
	struct advices s = { 0 };
	size_t ncreate = 0;
	int rc = build(my, since, &x, &s, &ncreate, err);

	*items = NULL, *n = 0;
	if (rc == 0 && s.n && !(*items = calloc(s.n, sizeof **items)))
		rc = oom(err);
	for (size_t i = 0; rc == 0 && i < s.n; i++)
		item_of(&s.a[i], &(*items)[(*n)++]);
	advices_release(&s);
	indexes_release(&x);
	return rc;
}

int dw_advice_lookup(struct dw_db *my, const char *db, const char *since, const char *id,
		     struct dw_advice_item *it, struct dw_err *err)
{
	struct dw_advice_item *v = NULL;
	size_t n = 0;
	int rc = dw_advice_list(my, db, since, &v, &n, err);

	memset(it, 0, sizeof *it);
	for (size_t i = 0; rc == 0 && i < n && !it->action; i++)
		if (!strcmp(v[i].id, id))
			*it = v[i];
	if (rc == 0 && !it->action)
		rc = dw_err_set(err, DW_EX_DATAERR, "no advice '%s' in the window since %s "
				"(dw-tune advise lists them)", id, since);
	free(v);
	return rc;
}
