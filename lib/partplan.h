/* partplan: the partition policy of dw.yaml (dw.yaml(5), partition) and
 * the planner that turns it into the partitions a RANGE partitioned
 * warehouse table needs: one per month, quarter or year between a catch-all
 * for older rows (the first partition) and one for later rows (the last,
 * VALUES LESS THAN MAXVALUE). dw-etl init and dw-partition(1) share it. */
#ifndef DW_PARTPLAN_H
#define DW_PARTPLAN_H

#include <stddef.h>

#include "db/db.h"
#include "err.h"

#define DW_PARTPLAN_MAXVALUE 99999999L   /* the bound of the future catch-all */

enum dw_partplan_interval { DW_PARTPLAN_MONTH = 1, DW_PARTPLAN_QUARTER = 3, DW_PARTPLAN_YEAR = 12 };

struct dw_partplan_policy {
	char *table, *column;
	enum dw_partplan_interval interval;
	int premake;          /* future periods kept ready */
	int retain;           /* months kept (0: for ever) */
	int horizon;          /* months ahead beyond which a row is reported, never partitioned */
	char *archive;        /* where retired partitions go ("" none) */
	char **key;           /* columns that name a row in messages */
	size_t nkey;
	int line;
};

struct dw_partplan_set {
	char *source;         /* the file read, or "built-in defaults" */
	size_t n;
	struct dw_partplan_policy *t;
};

/* The partition section of the dw.yaml at config_path (NULL: none), or
 * the defaults (fact_sales and fact_return by month of order date) when it
 * has none. Returns 0 or -1 with err naming file:line (DW_EX_CONFIG). */
int dw_partplan_load(struct dw_partplan_set *s, const char *config_path, struct dw_err *err);
void dw_partplan_free(struct dw_partplan_set *s);
/* A length of time as months: "10y", "8q", "24m" (a count from 1 to 1200
 * of years, quarters or months), or "none" as 0. Returns 0, or -1 when s
 * is none of these. */
int dw_partplan_months(const char *s, int *out);
/* The policy of table, NULL when it has none. */
const struct dw_partplan_policy *dw_partplan_find(const struct dw_partplan_set *s,
						  const char *table);

/* ---- periods: dates as YYYYMMDD longs ---- */

/* The first day of the period holding date. */
long dw_partplan_floor(long date, enum dw_partplan_interval iv);
/* The first day of the period n periods after the one starting at start. */
long dw_partplan_add(long start, enum dw_partplan_interval iv, int n);
/* The name of the partition of the period starting at start: p201702,
 * p2017q1 or p2017. */
void dw_partplan_name(long start, enum dw_partplan_interval iv, char *buf, size_t n);

/* ---- a table's partitions ---- */

struct dw_partplan_part {
	char name[65];
	long from, bound;     /* [from, bound): from 0 for the first, bound MAXVALUE for the last */
	long long rows;       /* the server's estimate */
	long long data, index;   /* bytes */
};

struct dw_partplan_layout {
	char table[65];
	int dates;            /* RANGE COLUMNS on a DATE: bounds are quoted dates */
	size_t n;
	struct dw_partplan_part *p;
};

/* Reads table's partitions from information_schema. A table that is not
 * RANGE partitioned with a MAXVALUE catch-all last and an older catch-all
 * first, or (column not NULL) not by column, is DW_EX_CONFIG. Returns 0
 * or -1 with err. */
int dw_partplan_read(struct dw_db *my, const char *table, const char *column,
		     struct dw_partplan_layout *l, struct dw_err *err);
void dw_partplan_layout_release(struct dw_partplan_layout *l);
/* Bound b (YYYYMMDD) in the column's terms, for SQL: 20170201, or
 * '2017-02-01' for a DATE column. */
void dw_partplan_bound_sql(const struct dw_partplan_layout *l, long b, char *buf, size_t n);

/* ---- the plan ---- */

struct dw_partplan_plan {
	long *add;            /* period starts to split out of the future catch-all */
	size_t nadd;
	size_t *retire;       /* partitions (indexes into the layout) past retention, oldest first */
	size_t nretire;
	long horizon;         /* rows at or after this date get no partition */
	int future;           /* period partitions starting after today's period */
};

/* What policy p needs of layout l today: the periods from the last one to
 * today's plus premake, or to newest (the newest row of the future
 * catch-all before the horizon, 0 when none), and the partitions whose
 * every day is older than the retention. Returns 0 or -1 (out of memory). */
int dw_partplan_compute(const struct dw_partplan_policy *p, const struct dw_partplan_layout *l,
			long today, long newest, struct dw_partplan_plan *plan);
void dw_partplan_plan_release(struct dw_partplan_plan *plan);

/* The statement that splits plan's periods out of the future catch-all
 * (REORGANIZE PARTITION: only the catch-all's rows are copied), NULL when
 * there are none or out of memory (*oom set). Caller frees. */
char *dw_partplan_split_sql(struct dw_db *my, const struct dw_partplan_layout *l,
			    const struct dw_partplan_policy *p, const struct dw_partplan_plan *plan,
			    int *oom);

/* The newest value of the future catch-all below the horizon (0: none),
 * and how many rows lie at or beyond it. Returns 0 or -1 with err. */
int dw_partplan_catchall(struct dw_db *my, const struct dw_partplan_policy *p,
			 const struct dw_partplan_layout *l, long horizon, long *newest,
			 long long *in_range, long long *beyond, struct dw_err *err);

/* What dw_partplan_apply did, or would do. */
struct dw_partplan_done {
	size_t added;          /* periods split out of the future catch-all */
	long first, last;      /* the first and last of them */
	long long moved;       /* rows of the catch-all that moved into them */
	long long beyond;      /* rows left in it, beyond the horizon */
	double seconds;        /* how long the statement ran, holding its lock */
	char *sql;             /* the statement (NULL when none); freed by the caller */
};

/* Reads table p->table, plans today's splits and, unless dry_run, runs
 * the statement. Returns 0 or -1 with err. */
int dw_partplan_apply(struct dw_db *my, const struct dw_partplan_policy *p, long today,
		      int dry_run, struct dw_partplan_done *d, struct dw_err *err);

/* The lock of the warehouse's partitions (one dw-partition at a time, as
 * dw-etl run has its own), waiting up to wait_s seconds: 0, or -1 with err
 * (DW_EX_TEMPFAIL when another holds it). */
int dw_partplan_lock(struct dw_db *my, int wait_s, struct dw_err *err);
void dw_partplan_unlock(struct dw_db *my);

/* Today (UTC) as YYYYMMDD; DW_TODAY=YYYY-MM-DD overrides it (tests). */
long dw_partplan_today(void);

#endif
