/* sem_int: the pieces of the offline engine shared by its files
 * (sem.c: words and phrases; sem_read.c: phrases into a plan;
 * sem_sql.c: plan into SQL). Only sem*.c include this. */
#ifndef DW_ASK_SEM_INT_H
#define DW_ASK_SEM_INT_H

#include "kb.h"
#include "ask/sem/sem.h"
#include "err.h"

#define DW_SEM_WORD 48           /* longest word kept (longer ones are cut) */
#define DW_SEM_PHRASE 256
#define DW_SEM_MAXWORDS 16       /* words in one lexicon phrase */
#define DW_SEM_MAXPHRASE 8       /* longest phrase tried in a question */
#define DW_SEM_MAXITEMS 64       /* words in a question */
#define DW_SEM_MAXMEANINGS 8
#define DW_SEM_MAX 8             /* metrics, groups or filters in a plan */

enum dw_sem_kind {
	DW_SEM_METRIC, DW_SEM_DIM, DW_SEM_VALUE, DW_SEM_GRAIN,
	DW_SEM_FILLER,           /* a word that carries no meaning here */
	DW_SEM_BY,               /* by, per, each: group by what follows */
	DW_SEM_DESC, DW_SEM_ASC, /* top, highest / bottom, lowest */
	DW_SEM_SORTBY,           /* ranked by, sorted by: all rows, ordered by a measure */
	DW_SEM_SORTDIR,          /* highest first (ref 1), lowest first (ref -1) */
	DW_SEM_HOWMANY,          /* how many, number of */
	DW_SEM_COVER,            /* date range, cover: the data's time coverage */
	DW_SEM_LIST,             /* list, show: lists values when no metric is asked */
	DW_SEM_LAST,             /* last, latest: relative to the latest data */
	DW_SEM_BETWEEN, DW_SEM_FROM, DW_SEM_TO, DW_SEM_SINCE, DW_SEM_BEFORE,
	DW_SEM_AND,
	DW_SEM_MONTH,            /* ref 1..12 */
	DW_SEM_QUARTER,          /* q1..q4: ref 1..4 */
	DW_SEM_ORDINAL,          /* first..fourth: ref 1..4 */
	DW_SEM_NUMBER, DW_SEM_YEAR,
	DW_SEM_HOWMUCH,          /* how much: skipped, but a selling verb then means sales */
	DW_SEM_SELL,             /* sell, sold (ref 0), bought, spent (ref 1) */
	DW_SEM_TREND,            /* trend, over time: a time series */
	DW_SEM_COMPARE,          /* vs, compare: the values named, one row each */
	DW_SEM_RANKED,           /* most profitable: ref indexes dw_sem_words_ranked */
	DW_SEM_HASDATA,          /* have orders: periods with data, after a grain */
	DW_SEM_SHARE,            /* share, percent of: part / whole */
	DW_SEM_GROWTH,           /* growth: ref 0, or the grain of "year over year" (1 year ..) */
};

/* The engine's own words (sem_words.c), documented in dw-ask(1). */
struct dw_sem_word {
	const char *phrase;
	enum dw_sem_kind kind;
	int ref;
};
extern const struct dw_sem_word dw_sem_words_vocabulary[];
/* Metric adjectives ("most profitable"): a ranking by the knowledge
 * file's metric named metric, highest first (direction 1) or lowest (-1);
 * yields: a measure after "by" ranks instead ("best-selling by units"). */
struct dw_sem_ranked {
	const char *phrase;
	const char *metric;
	int direction;
	int yields;
};
extern const struct dw_sem_ranked dw_sem_words_ranked[];
extern const char *const dw_sem_words_growth_grain[];
/* Numbers as words ("five"): read as the number ref. */
extern const struct dw_sem_word dw_sem_words_numbers[];
/* Words the typo rule never changes: they change the question's meaning. */
extern const struct dw_sem_word dw_sem_words_never_corrected[];
extern const char *const dw_sem_words_prepositions[];
extern const char *const dw_sem_words_auxiliaries[];
extern const char *const dw_sem_words_back[];

/* Whether w is one of list's words (NULL-terminated). */
int dw_sem_words_in(const char *w, const char *const *list);

/* A number said in one word ("thirteen", "forty"), or -1. */
long dw_sem_words_number(const char *w);

struct dw_sem_meaning {
	enum dw_sem_kind kind;
	int ref;
	int plural;
	int on_key;              /* a value that is the dimension's key */
	const char *value;
};

/* One phrase of the question with every way of reading it. */
struct dw_sem_item {
	char text[DW_SEM_PHRASE];
	int nwords;
	int first;               /* lexicon entry, -1 for a number */
	long number;
	int nmeanings;
	struct dw_sem_meaning meanings[DW_SEM_MAXMEANINGS];
	int buyer;               /* right before bought/buy: 1, 2 when a ranking word follows */
	int bought;              /* after a selling or buying verb: what is sold or bought */
	int object;              /* the phrase right after that verb */
	int after_prep;          /* right after of, from, for, ... ("from Technology products") */
};

struct dw_sem_filter {
	int dim;
	int on_key;              /* values are keys ("CG-12520"), not labels */
	int nvalues;
	const char *values[DW_SEM_MAX];
};

/* A value read in the first of several dimensions it belongs to. */
struct dw_sem_ambiguous {
	const char *value;
	int chosen;
	int ncands;
	int cands[DW_SEM_MAXMEANINGS];
};

enum dw_sem_intent {
	DW_SEM_AGGREGATE, DW_SEM_LIST_VALUES, DW_SEM_COUNT, DW_SEM_COVERAGE,
	DW_SEM_LIST_GRAIN,       /* the periods of a grain that have facts */
};

/* What the question asks, before any SQL. */
struct dw_sem_plan {
	const struct dw_kb *kb;
	long latest;             /* YYYYMMDD of the latest fact, 0 unknown */
	enum dw_sem_intent intent;
	int howmany, list, cover;
	int howmuch, sell;                    /* "how much"; a selling verb: ref + 1 */
	int sell_asked;                       /* "how much did X sell": sales, whatever else */
	int counted;                          /* the item "how many" counts, or -1 */
	int bought_noun;                      /* "bought the most products": no measure */
	int trend, compare;                   /* trend, over time; vs, compare */
	int hasdata;                          /* "have orders" */
	int by_at;                            /* 1 + index in dims of the first after "by" */
	int metrics[DW_SEM_MAX], nmetrics;
	int subset_metric;                    /* a measure said as another's subset ("orders returned") */
	int dims[DW_SEM_MAX], ndims;          /* grouping dimensions, in order */
	int grain;                            /* grouping time grain, -1 none */
	int grain_first;                      /* the grain came before the dimensions */
	struct dw_sem_filter filters[DW_SEM_MAX];
	int nfilters;
	struct dw_sem_ambiguous ambiguous[DW_SEM_MAX];
	int nambiguous;
	long from, to;                        /* order date keys [from, to), 0 = open */
	int range;                            /* the period was "from A to B" or "between" */
	struct dw_sem_period { long from, to; int grain; } periods[DW_SEM_MAX];
	int nperiods;                         /* periods named; more than one: a row each */
	int share;                            /* share of the total */
	int growth;                           /* growth on the previous period: ref + 1 */
	int direction;                        /* 0 none, 1 desc (top), -1 asc (bottom) */
	int sorted;                           /* ranked or sorted: every row, no limit */
	long limit;                           /* 0 none */
	int rank_metric;                      /* metric ordered by, -1 = first */
	int rank_dim_plural;                  /* "top subcategories" (vs "top subcategory") */
	int adjective;                        /* 1 + index in dw_sem_words_ranked, 0 none */
	unsigned long long masked;            /* dimensions masked for the reader (bit d) */
	char explain[2048];
};

void dw_sem_read_plan_init(struct dw_sem_plan *p, const struct dw_kb *kb, long latest);
/* Reads the phrases into the plan. Returns 0, or -1 declining with the
 * reason in err (code DW_EX_NEGATIVE). */
int dw_sem_read_question(struct dw_sem_plan *p, struct dw_sem_item *items, int n, struct dw_err *err);
/* Builds the SQL. Returns 1 with ans filled, 0 declining, -1 on error. */
int dw_sem_sql_build(const struct dw_sem_plan *p, struct dw_sem_answer *ans, struct dw_err *err);
/* The fact table and its date key column used for time ("fact_sales",
 * "order_date_key"). Returns 0, or -1 when the knowledge file has none. */
int dw_sem_sql_time_key(const struct dw_kb *kb, const char **fact, const char **key);
/* Splits text into lower-case words; returns the count or -1 when more than max. */
int dw_sem_split(const char *text, char words[][DW_SEM_WORD], int max);
/* Appends a formatted line to the plan's explanation. */
void dw_sem_read_explain(struct dw_sem_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
