/* A trial measures, it does not estimate: the examples of the digests an
 * index would serve are run before and after it is built (read-only, a
 * warm-up run each, then the median of --runs), with performance_schema
 * not counting this connection, so a trial is not part of the workload it
 * judges. An example with user variables (dw-ask's @dw_p1.., the
 * workload's @dw_name) is left out: its values are not known. */
#include "tune/trial.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "date.h"
#include "db/db.h"
#include "log.h"
#include "out_rows.h"
#include "tune/advice.h"
#include "tune/capture.h"
#include "explain.h"
#include "tune/merge.h"
#include "tune/season.h"

#define KEEP_SPEEDUP 0.20   /* the least speedup a kept index brings */

struct examples {
	char *sql[DW_ADVICE_DIGESTS];
	size_t n;
};

static void examples_release(struct examples *ex)
{
	for (size_t i = 0; i < ex->n; i++)
		free(ex->sql[i]);
	ex->n = 0;
}

static int read_examples(struct dw_db *my, const struct dw_advice_item *it,
			 struct examples *ex, struct dw_err *err)
{
	for (size_t i = 0; i < it->ndigests; i++) {
		const char *params[] = { it->digest[i] };
		char *v = NULL;

		if (dw_db_query_value(my, "SELECT example FROM dw_tune_digest WHERE schema_name = "
				      "DATABASE() AND digest = ?", 1, params, &v, err) < 0)
			return -1;
		if (v && dw_explain_fits(v))
			ex->sql[ex->n++] = v;
		else {
			dw_log_verbose(1, "digest %.12s: no example to time%s", it->digest[i],
				       v ? " (it reads user variables, or is no SELECT)" : "");
			free(v);
		}
	}
	return 0;
}

/* The median of runs timed runs of sql, after a warm-up run, in ms. */
static int time_one(struct dw_db *my, const char *sql, long runs, double *ms,
		    struct dw_err *err)
{
	double *t = calloc((size_t)runs, sizeof *t);
	int rc = t ? 0 : dw_err_set(err, DW_EX_SOFTWARE, "out of memory");

	for (long i = -1; rc == 0 && i < runs; i++) {
		double t0 = dw_log_clock();
		struct dw_rows *r = dw_db_query(my, sql, 0, NULL, err);
		int k;

		if (!r) {
			rc = -1;
			break;
		}
		while ((k = dw_rows_next(r, err)) == 1)
			;
		dw_rows_free(r);
		if (k < 0)
			rc = -1;
		else if (i >= 0)
			t[i] = (dw_log_clock() - t0) * 1000;
	}
	if (rc == 0)
		*ms = dw_season_median(t, (size_t)runs);
	free(t);
	return rc;
}

/* Each example's median (each[]) and their sum, read-only. */
static int time_all(struct dw_db *my, const struct examples *ex, long runs, double *ms,
		    double each[DW_ADVICE_DIGESTS], struct dw_err *err)
{
	struct dw_err ignored;
	int rc = dw_db_exec(my, "START TRANSACTION READ ONLY", 0, NULL, err) < 0 ? -1 : 0;

	*ms = 0;
	for (size_t i = 0; rc == 0 && i < ex->n; i++) {
		rc = time_one(my, ex->sql[i], runs, &each[i], err);
		*ms += each[i];
	}
	dw_db_exec(my, "ROLLBACK", 0, NULL, &ignored);
	return rc;
}

/* One column of an index: `name`, or `name`(N) for "name(N)", a prefix. */
static void put_column(FILE *f, const char *c)
{
	const char *open = strrchr(c, '(');
	size_t len = strlen(c);
	char *q;

	if (open && open > c && len > 2 && c[len - 1] == ')' &&
	    strspn(open + 1, "0123456789") == (size_t)(c + len - 1 - (open + 1)) &&
	    open + 1 < c + len - 1) {
		char name[300];

		snprintf(name, sizeof name, "%.*s", (int)(open - c), c);
		q = dw_db_quote_name(DW_DB_MY, name);
		fprintf(f, "%s%s", q ? q : "``", open);
	} else {
		q = dw_db_quote_name(DW_DB_MY, c);
		fputs(q ? q : "``", f);
	}
	free(q);
}

/* CREATE INDEX name ON table (columns), online, or DROP INDEX. */
static int index_sql(struct dw_db *my, int create, const char *name, const char *table,
		     const char *cols, struct dw_err *err)
{
	char *n = dw_db_quote_name(DW_DB_MY, name), *t = dw_db_quote_name(DW_DB_MY, table);
	char *list = strdup(cols ? cols : ""), *sql = NULL, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&sql, &len);
	int rc = -1;

	if (n && t && list && f) {
		fprintf(f, create ? "CREATE INDEX %s ON %s (" : "DROP INDEX %s ON %s", n, t);
		for (char *c = create ? strtok_r(list, ",", &save) : NULL; c;
		     c = strtok_r(NULL, ",", &save)) {
			fputs(c == list ? "" : ", ", f);
			put_column(f, c);
		}
		if (create)   /* online; a drop is in place and quick in InnoDB anyway */
			fputs(") ALGORITHM=INPLACE LOCK=NONE", f);
	}
	if (f && fclose(f) == 0 && n && t && list)
		rc = dw_db_exec(my, sql, 0, NULL, err) < 0 ? -1 : 0;
	else
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	free(sql);
	free(list);
	free(n);
	free(t);
	return rc;
}

/* The columns of a secondary index, "a,b(10)" (a prefix length in
 * brackets), into cols; DW_EX_DATAERR for a unique index or none. */
static int index_columns(struct dw_db *my, const char *table, const char *name, char *cols,
			 size_t size, struct dw_err *err)
{
	const char *params[] = { table, name };
	struct dw_rows *r = dw_db_query(my, "SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, COALESCE("
					"CONCAT('(', SUB_PART, ')'), '')) ORDER BY SEQ_IN_INDEX "
					"SEPARATOR ','), MIN(NON_UNIQUE) FROM information_schema."
					"STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? "
					"AND INDEX_NAME = ?", 2, params, err);
	int rc;

	if (!r)
		return -1;
	cols[0] = '\0';
	if ((rc = dw_rows_next(r, err)) == 1 && dw_rows_value(r, 0)) {
		snprintf(cols, size, "%s", dw_rows_value(r, 0));
		if (strcmp(dw_rows_value(r, 1), "1"))
			rc = dw_err_set(err, DW_EX_DATAERR, "index %s on %s is unique: dw-tune does "
					"not drop it", name, table);
	}
	dw_rows_free(r);
	if (rc >= 0 && !cols[0])
		rc = dw_err_set(err, DW_EX_DATAERR, "no index %s on %s", name, table);
	return rc < 0 ? -1 : 0;
}

/* What a trial changes: create (or drop) index name on table (cols). */
struct change {
	int create;
	const char *table;
	char name[257];
	char cols[4 * 257 + 8];
};

struct outcome {
	double before, after, build_s;            /* ms: the examples' sums */
	double each_before[DW_ADVICE_DIGESTS], each_after[DW_ADVICE_DIGESTS];
	double change;                            /* of the sum: -0.2 is 20% faster */
	double worst;                             /* the largest of an example's changes */
	struct dw_merge merge_before, merge_after;
	const char *decision;
};

static int record(struct dw_db *my, const char *id, const struct change *c,
		  const struct examples *ex, long runs, const struct outcome *oc,
		  struct dw_err *err)
{
	char q[24], r[24], b[32], a[32], ch[32], s[32], mr[24], mb[32], ma[32];
	const char *params[] = { id, c->create ? "create" : "drop", c->table, c->name, c->cols, q,
				 r, b, a, ch, s, mr, mb, ma, oc->decision };

	snprintf(q, sizeof q, "%zu", ex->n);
	snprintf(ch, sizeof ch, "%.6f", 100 * oc->worst);
	snprintf(r, sizeof r, "%ld", runs);
	snprintf(b, sizeof b, "%.6f", oc->before);
	snprintf(a, sizeof a, "%.6f", oc->after);
	snprintf(s, sizeof s, "%.6f", oc->build_s);
	snprintf(mr, sizeof mr, "%lld", oc->merge_before.rows);
	snprintf(mb, sizeof mb, "%.6f", oc->merge_before.ms);
	snprintf(ma, sizeof ma, "%.6f", oc->merge_after.ms);
	return dw_db_exec(my, "INSERT INTO dw_tune_trial (advice_id, action, table_name, "
			  "index_name, columns, started_at, queries, runs, before_ms, after_ms, "
			  "worst_pct, build_s, merge_rows, merge_before_ms, merge_after_ms, decision) "
			  "VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 15,
			  params, err) < 0 ? -1 : 0;
}

/* The relative change from a to b (+0.25: a quarter more), 0 when a is. */
static double change_of(double a, double b)
{
	return a > 0 ? (b - a) / a : 0;
}

/* The change of the examples' time, and the largest of one example's. */
static void changes(struct outcome *oc, size_t n)
{
	oc->change = change_of(oc->before, oc->after);
	oc->worst = n ? change_of(oc->each_before[0], oc->each_after[0]) : 0;
	for (size_t i = 1; i < n; i++)
		if (change_of(oc->each_before[i], oc->each_after[i]) > oc->worst)
			oc->worst = change_of(oc->each_before[i], oc->each_after[i]);
}

/* A create is kept when its statements' time fell by KEEP_SPEEDUP or
 * more, none of them got KEEP_SPEEDUP slower (an index can change a plan
 * for the worse) and the merge no more than the budget slower; a drop is
 * kept unless a statement got KEEP_SPEEDUP slower or more. */
static const char *decide(const struct change *c, const struct outcome *oc, int budget)
{
	double m = change_of(oc->merge_before.ms, oc->merge_after.ms);

	if (c->create)
		return -oc->change >= KEEP_SPEEDUP && oc->worst < KEEP_SPEEDUP && 100 * m <= budget
		       ? "kept" : "dropped";
	return oc->worst < KEEP_SPEEDUP ? "kept" : "restored";
}

/* The examples' time and the table's merge, now. */
static int measure(struct dw_db *my, const struct change *c, const struct examples *ex,
		   long runs, double *ms, double each[DW_ADVICE_DIGESTS], struct dw_merge *m,
		   struct dw_err *err)
{
	if (time_all(my, ex, runs, ms, each, err) < 0)
		return -1;
	return dw_merge_time(my, c->table, runs, m, err);
}

/* Makes the change, times and decides; undone unless kept. */
static int trial(struct dw_db *my, const struct change *c, const struct examples *ex,
		 long runs, int budget, struct outcome *oc, struct dw_err *err)
{
	double t0;
	struct dw_err e = { 0 };

	if (measure(my, c, ex, runs, &oc->before, oc->each_before, &oc->merge_before, err) < 0)
		return -1;
	t0 = dw_log_clock();
	if (index_sql(my, c->create, c->name, c->table, c->cols, err) < 0)
		return -1;
	oc->build_s = dw_log_clock() - t0;
	if (measure(my, c, ex, runs, &oc->after, oc->each_after, &oc->merge_after, err) < 0) {
		index_sql(my, !c->create, c->name, c->table, c->cols, &e);
		return -1;
	}
	changes(oc, ex->n);
	oc->decision = decide(c, oc, budget);
	if (strcmp(oc->decision, "kept"))
		return index_sql(my, !c->create, c->name, c->table, c->cols, err);
	return 0;
}

static void say(FILE *out, const struct change *c, const struct examples *ex, long runs,
		int budget, const struct outcome *oc)
{
	char worst[48] = "";

	if (ex->n > 1)
		snprintf(worst, sizeof worst, ", the worst example %+.1f%%", 100 * oc->worst);
	fprintf(out, "%s: %s%s on %s (%s): %zu example%s, %.3f ms before, %.3f ms after "
		"(%+.1f%%%s, medians of %ld runs); merge of %lld rows %.3f ms before, %.3f ms after "
		"(%+.1f%%, budget %d%%); %s in %.3f s\n", oc->decision, c->create ? "" : "drop of ",
		c->name, c->table, c->cols, ex->n, ex->n == 1 ? "" : "s", oc->before, oc->after,
		100 * oc->change, worst, runs, oc->merge_before.rows,
		oc->merge_before.ms, oc->merge_after.ms,
		100 * change_of(oc->merge_before.ms, oc->merge_after.ms), budget,
		c->create ? "built" : "dropped", oc->build_s);
}

static int audited_trial(struct dw_db *my, const struct dw_config *cfg,
			 const struct dw_trial_opts *o, const struct change *c,
			 const struct examples *ex, FILE *out, struct dw_err *err)
{
	struct dw_audit_event ev = { .tool = "dw-tune", .action = "try", .role = "",
				     .db_user = cfg->warehouse.user, .question = o->id, .rows = -1,
				     .outcome = "started" };
	struct outcome oc = { 0 };
	int budget = cfg->tune.merge_budget;
	char detail[640];
	int rc;

	if (dw_audit_started(my, &ev, err) < 0)
		return -1;
	rc = trial(my, c, ex, o->runs, budget, &oc, err);
	if (rc == 0)
		rc = record(my, o->id, c, ex, o->runs, &oc, err);
	snprintf(detail, sizeof detail, "{\"action\": \"%s\", \"index\": \"%s\", \"table\": \"%s\", "
		 "\"before_ms\": %.3f, \"after_ms\": %.3f, \"merge_before_ms\": %.3f, "
		 "\"merge_after_ms\": %.3f, \"decision\": \"%s\"}", c->create ? "create" : "drop",
		 c->name, c->table, oc.before, oc.after, oc.merge_before.ms, oc.merge_after.ms,
		 oc.decision ? oc.decision : "none");
	if (dw_audit_outcome(my, &ev, detail, rc < 0 ? err : NULL, rc < 0 ? &(struct dw_err){ 0 }
			     : err) < 0 && rc == 0)
		rc = -1;
	if (rc == 0)
		say(out, c, ex, o->runs, budget, &oc);
	return rc;
}

/* The change advice it makes: a dw_tune_ index to create, or an index
 * to drop (its columns read from the table, to restore it). */
static int change_of_advice(struct dw_db *my, const struct dw_advice_item *it,
			    struct change *c, struct dw_err *err)
{
	memset(c, 0, sizeof *c);
	c->create = !strcmp(it->action, "create");
	c->table = it->table;
	if (c->create) {
		snprintf(c->name, sizeof c->name, "dw_tune_%s", it->id);
		snprintf(c->cols, sizeof c->cols, "%s", it->index);
		return 0;
	}
	snprintf(c->name, sizeof c->name, "%.256s", it->index);
	return index_columns(my, it->table, it->index, c->cols, sizeof c->cols, err);
}

static int try_on(struct dw_db *my, const struct dw_config *cfg, const struct dw_trial_opts *o,
		  FILE *out, struct dw_err *err)
{
	struct dw_advice_item it;
	struct examples ex = { 0 };
	struct change c;
	char since[32];
	int rc;

	if (dw_date_time_arg(o->since ? o->since : "24h", since, err) < 0 ||
	    dw_advice_lookup(my, cfg->warehouse.database, since, o->id, &it, err) < 0 ||
	    change_of_advice(my, &it, &c, err) < 0)
		return -1;
	if (read_examples(my, &it, &ex, err) < 0)
		return examples_release(&ex), -1;
	if (!ex.n && c.create)
		return dw_err_set(err, DW_EX_DATAERR, "advice %s: none of its %zu digests has an "
				  "example that can be timed", o->id, it.ndigests);
	if (o->dry_run) {
		fprintf(out, "would %s %s on %s (%s), time %zu example%s and the table's merge, "
			"%ld runs each, before and after\n", c.create ? "build" : "drop", c.name,
			c.table, c.cols, ex.n, ex.n == 1 ? "" : "s", o->runs);
		rc = 0;
	} else {
		rc = audited_trial(my, cfg, o, &c, &ex, out, err);
	}
	examples_release(&ex);
	return rc;
}

static struct dw_db *open_unwatched(const struct dw_config *cfg, struct dw_err *err)
{
	struct dw_db *my = dw_db_my_open(&cfg->warehouse, "warehouse", err);

	if (my)
		dw_capture_unwatched(my);
	return my;
}

typedef int (*locked_fn)(struct dw_db *my, const struct dw_config *cfg,
			 const struct dw_trial_opts *o, FILE *out, struct dw_err *err);

/* fn under dw-etl's own run lock: no run is under way, and none starts
 * during it (a trial's merge writes rows; its timings want no merge
 * beside them). DW_EX_TEMPFAIL when a run holds the lock. */
static int etl_locked(struct dw_db *my, locked_fn fn, const struct dw_config *cfg,
		      const struct dw_trial_opts *o, FILE *out, struct dw_err *err)
{
	struct dw_err ignored;
	char *got = NULL;
	int rc = dw_db_query_value(my, "SELECT GET_LOCK(CONCAT('dw-etl run ', DATABASE()), 0)", 0,
				   NULL, &got, err);

	if (rc == 0 && (!got || strcmp(got, "1")))
		rc = dw_err_set(err, DW_EX_TEMPFAIL, "dw-etl is running (it holds its run lock); "
				"nothing tried");
	else if (rc == 0)
		rc = fn(my, cfg, o, out, err);
	if (got && !strcmp(got, "1")) {
		char *v = NULL;

		dw_db_query_value(my, "SELECT RELEASE_LOCK(CONCAT('dw-etl run ', DATABASE()))", 0,
				  NULL, &v, &ignored);
		free(v);
	}
	free(got);
	return rc;
}

int dw_trial_try(const struct dw_config *cfg, const struct dw_trial_opts *o, FILE *out,
		 struct dw_err *err)
{
	struct dw_db *my;
	int rc;

	if (o->runs < 1 || o->runs > 1000)
		return dw_err_set(err, DW_EX_USAGE, "--runs must be from 1 to 1000");
	if (!(my = open_unwatched(cfg, err)))
		return -1;
	rc = etl_locked(my, try_on, cfg, o, out, err);
	dw_db_close(my);
	return rc;
}

/* ---- auto ---- */

/* Why auto may not try now, into why (empty when it may). */
static int guard(struct dw_db *my, const struct dw_trial_opts *o, char *why, size_t size,
		 struct dw_err *err)
{
	long ms = 0;
	char secs[32], *recent = NULL, *count = NULL;
	const char *params[] = { secs };
	int rc;

	if (dw_config_duration_ms(o->cooldown ? o->cooldown : "1h", &ms) < 0 || ms < 0)
		return dw_err_set(err, DW_EX_USAGE, "--cooldown: '%s' is not a duration such as 1h",
				  o->cooldown);
	snprintf(secs, sizeof secs, "%ld", ms / 1000);
	why[0] = '\0';
	rc = dw_db_query_value(my, "SELECT MAX(started_at) FROM dw_tune_trial WHERE started_at > "
			       "UTC_TIMESTAMP(6) - INTERVAL ? SECOND", 1, params, &recent, err);
	if (rc == 0)
		rc = dw_db_query_value(my, "SELECT COUNT(DISTINCT TABLE_NAME, INDEX_NAME) FROM "
				       "information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
				       "AND INDEX_NAME LIKE 'dw\\_tune\\_%' AND TABLE_NAME NOT LIKE "
				       "'dw\\_%'", 0, NULL, &count, err);
	if (rc == 0 && recent)
		snprintf(why, size, "the last trial was at %s, within the cool-down of %s", recent,
			 o->cooldown ? o->cooldown : "1h");
	else if (rc == 0 && count && atol(count) >= o->max)
		snprintf(why, size, "%s index%s made by dw-tune already, the most --max allows",
			 count, atol(count) == 1 ? "" : "es");
	free(recent);
	free(count);
	return rc;
}

/* The size of the indexes dw-tune made, in bytes. */
static int made_bytes(struct dw_db *my, double *bytes, struct dw_err *err)
{
	char *v = NULL;

	if (dw_db_query_value(my, "SELECT COALESCE(SUM(stat_value), 0) * @@innodb_page_size FROM "
			      "mysql.innodb_index_stats WHERE database_name = DATABASE() AND "
			      "index_name LIKE 'dw\\_tune\\_%' AND table_name NOT LIKE 'dw\\_%' "
			      "AND stat_name = 'size'", 0, NULL, &v, err) < 0)
		return dw_err_prefix(err, "the size of dw-tune's indexes (--max-mb)"), -1;
	*bytes = v ? atof(v) : 0;
	free(v);
	return 0;
}

/* The first create advice of the window with an estimated benefit and an
 * example to time. */
static int first_advice(struct dw_db *my, const struct dw_config *cfg, const char *since,
			char id[9], double *bytes, struct dw_err *err)
{
	struct dw_advice_item *v = NULL;
	size_t n = 0;
	int rc = dw_advice_list(my, cfg->warehouse.database, since, &v, &n, err);

	id[0] = '\0';
	for (size_t i = 0; rc == 0 && i < n && !id[0]; i++) {
		struct examples ex = { 0 };

		if (strcmp(v[i].action, "create") || v[i].benefit <= 0)
			continue;
		rc = read_examples(my, &v[i], &ex, err);
		if (rc == 0 && ex.n) {
			snprintf(id, 9, "%s", v[i].id);
			*bytes = v[i].bytes;
		}
		examples_release(&ex);
	}
	free(v);
	return rc;
}

/* "1024", "0.5": a number of megabytes, 0 or more. */
static int is_size(const char *s)
{
	char *end = NULL;
	double v = strtod(s, &end);

	return end != s && !*end && v >= 0;
}

static int auto_locked(struct dw_db *my, const struct dw_config *cfg,
		       const struct dw_trial_opts *o, FILE *out, struct dw_err *err)
{
	char why[256], since[32], id[9];
	struct dw_trial_opts t = *o;
	double made = 0, next = 0, max_mb = o->max_mb ? atof(o->max_mb) : 1024;

	if (guard(my, o, why, sizeof why, err) < 0)
		return -1;
	if (why[0]) {
		fprintf(out, "nothing tried: %s\n", why);
		return 0;
	}
	if (dw_date_time_arg(o->since ? o->since : "24h", since, err) < 0 ||
	    first_advice(my, cfg, since, id, &next, err) < 0 || made_bytes(my, &made, err) < 0)
		return -1;
	if (!id[0]) {
		fprintf(out, "nothing tried: no index advised with an estimated benefit and an "
			"example to time\n");
		return 0;
	}
	if ((made + next) / 1048576 > max_mb) {
		fprintf(out, "nothing tried: dw-tune's indexes take %.2f MB, with the next (%s, about "
			"%.2f MB) more than --max-mb %g\n", made / 1048576, id, next / 1048576,
			max_mb);
		return 0;
	}
	t.id = id;
	return try_on(my, cfg, &t, out, err);
}

int dw_trial_auto(const struct dw_config *cfg, const struct dw_trial_opts *o, FILE *out,
		  struct dw_err *err)
{
	struct dw_db *my;
	int rc;

	if (o->runs < 1 || o->runs > 1000)
		return dw_err_set(err, DW_EX_USAGE, "--runs must be from 1 to 1000");
	if (o->max < 0)
		return dw_err_set(err, DW_EX_USAGE, "--max must be 0 or more");
	if (o->max_mb && !is_size(o->max_mb))
		return dw_err_set(err, DW_EX_USAGE, "--max-mb: '%s' is not a number of megabytes",
				  o->max_mb);
	if (!(my = open_unwatched(cfg, err)))
		return -1;
	rc = etl_locked(my, auto_locked, cfg, o, out, err);
	dw_db_close(my);
	return rc;
}

static int revert_on(struct dw_db *my, const char *user, const struct dw_trial_opts *o,
		     FILE *out, struct dw_err *err)
{
	const char *params[] = { o->id };
	struct dw_rows *r = dw_db_query(my, "SELECT trial_id, table_name, index_name, action, "
					"columns FROM dw_tune_trial WHERE advice_id = ? AND decision "
					"= 'kept' ORDER BY trial_id DESC LIMIT 1", 1, params, err);
	struct dw_audit_event ev = { .tool = "dw-tune", .action = "revert", .role = "",
				     .db_user = user, .question = o->id, .rows = -1,
				     .outcome = "started" };
	char trial_id[32] = "", table[257] = "", detail[700];
	struct change c = { .table = table };
	const char *up[] = { trial_id };
	int rc;

	if (!r)
		return -1;
	if ((rc = dw_rows_next(r, err)) == 1) {
		snprintf(trial_id, sizeof trial_id, "%s", dw_rows_value(r, 0));
		snprintf(table, sizeof table, "%s", dw_rows_value(r, 1));
		snprintf(c.name, sizeof c.name, "%s", dw_rows_value(r, 2));
		c.create = !strcmp(dw_rows_value(r, 3), "create");
		snprintf(c.cols, sizeof c.cols, "%s", dw_rows_value(r, 4));
	}
	dw_rows_free(r);
	if (rc < 0)
		return -1;
	if (!trial_id[0])
		return dw_err_set(err, DW_EX_DATAERR, "no change of advice %s is kept", o->id);
	if (dw_audit_started(my, &ev, err) < 0)
		return -1;
	/* the reverse of the change: a made index dropped, a dropped one made again */
	rc = index_sql(my, !c.create, c.name, table, c.cols, err);
	if (rc == 0 && dw_db_exec(my, "UPDATE dw_tune_trial SET decision = 'reverted' WHERE "
				  "trial_id = ?", 1, up, err) < 0)
		rc = -1;
	snprintf(detail, sizeof detail, "{\"index\": \"%s\", \"table\": \"%s\", \"trial\": %s, "
		 "\"undid\": \"%s\"}", c.name, table, trial_id, c.create ? "create" : "drop");
	if (dw_audit_outcome(my, &ev, detail, rc < 0 ? err : NULL, rc < 0 ? &(struct dw_err){ 0 }
			     : err) < 0 && rc == 0)
		rc = -1;
	if (rc == 0)
		fprintf(out, "reverted: %s %s %s (%s) (trial %s)\n", c.name,
			c.create ? "dropped from" : "made again on", table, c.cols, trial_id);
	return rc;
}

int dw_trial_revert(const struct dw_config *cfg, const struct dw_trial_opts *o, FILE *out,
		    struct dw_err *err)
{
	struct dw_db *my = open_unwatched(cfg, err);
	int rc;

	if (!my)
		return -1;
	rc = revert_on(my, cfg->warehouse.user, o, out, err);
	dw_db_close(my);
	return rc;
}

int dw_trial_history(const struct dw_config *cfg, const struct dw_trial_opts *o, FILE *out,
		     struct dw_err *err)
{
	struct dw_db *my = dw_db_my_open(&cfg->warehouse, "warehouse", err);
	struct dw_rows *r;
	long long n = -1;

	if (!my)
		return -1;
	r = dw_db_query(my, "SELECT trial_id AS trial, advice_id AS id, DATE_FORMAT(started_at, "
			"'%Y-%m-%d %H:%i:%s') AS started_at, action, table_name AS `table`, "
			"index_name AS `index`, columns, queries, runs, ROUND(before_ms, 3) AS "
			"before_ms, ROUND(after_ms, 3) AS after_ms, ROUND(100 * (after_ms - "
			"before_ms) / NULLIF(before_ms, 0), 1) AS change_pct, ROUND(worst_pct, 1) AS "
			"worst_pct, merge_rows, "
			"ROUND(merge_before_ms, 3) AS merge_before_ms, ROUND(merge_after_ms, 3) AS "
			"merge_after_ms, ROUND(100 * (merge_after_ms - merge_before_ms) / "
			"NULLIF(merge_before_ms, 0), 1) AS merge_pct, ROUND(build_s, 3) AS build_s, "
			"decision FROM dw_tune_trial ORDER BY trial_id DESC", 0, NULL, err);
	if (r)
		n = dw_out_rows(r, out, o->format, o->header, err);
	dw_rows_free(r);
	dw_db_close(my);
	return n < 0 ? -1 : 0;
}
