/* kb: the dw-ask knowledge file (YAML, one per warehouse model) in typed
 * structs: tables and columns with descriptions, join paths, metrics,
 * dimensions, time grains, business rules, curated examples and saved
 * reports. The format is documented in dw-knowledge(5). */
#ifndef DW_ASK_KB_H
#define DW_ASK_KB_H

#include <stddef.h>

#include "err.h"

/* A list of strings (synonyms, rules). */
struct dw_kb_words {
	size_t n;
	char **v;
};

struct dw_kb_column {
	char *name;
	char *description;        /* "" when absent */
	int pii;                  /* personal data: values never leave the machine */
};

struct dw_kb_table {
	char *name;
	char *description;
	size_t ncolumns;
	struct dw_kb_column *columns;
};

/* An equi-join edge "left_table.left_column = right_table.right_column",
 * left being the fact side. role names a role-playing use ("order", "ship")
 * or is "" when the edge is the default one between the two tables. */
struct dw_kb_join {
	char *left_table, *left_column;
	char *right_table, *right_column;
	char *role;
};

enum dw_kb_format { DW_KB_NUMBER = 0, DW_KB_INTEGER, DW_KB_MONEY, DW_KB_PERCENT };

/* An aggregate over one fact table, written with fully qualified column
 * names ("SUM(fact_sales.sales)"). */
struct dw_kb_metric {
	char *name;               /* also the result column alias */
	char *description;
	struct dw_kb_words synonyms;
	char *sql;
	char *table;              /* the fact table it aggregates */
	enum dw_kb_format format;
};

/* A value alias: a word users say for a stored value ("Europe" -> "EU"). */
struct dw_kb_alias {
	char *word;
	char *value;
};

/* A dimension: a column users group and filter by. */
/* A dimension's values: none loaded; loaded, and listed in model prompts;
 * loaded for the offline engine only (names of people, products), matched
 * exactly, never sent to a model. */
enum dw_kb_values { DW_KB_VALUES_NONE = 0, DW_KB_VALUES_ALL, DW_KB_VALUES_LOCAL };

struct dw_kb_dimension {
	char *name;               /* also the result column alias */
	char *description;
	struct dw_kb_words synonyms;
	char *table, *column;     /* from "column: table.column": the label */
	struct dw_kb_words key;   /* columns of table naming one member (market, region) */
	char *parent;             /* "" or the dimension it lies within (region: market) */
	char *hierarchy;          /* "" or the hierarchy name ("product", "geography") */
	int level;                /* position in the hierarchy, 0 = most general */
	int values;               /* enum dw_kb_values: which values match words in questions */
	int pii;
	size_t naliases;
	struct dw_kb_alias *aliases;
};

/* A time grain: how a date is bucketed for "by month", "monthly", ... */
struct dw_kb_grain {
	char *name;               /* year, quarter, month, week, day, weekday */
	struct dw_kb_words synonyms;
	char *sql;                /* label expression over the date table */
	char *order_sql;          /* sort expression ("" = sql) */
	char *step_sql;           /* a whole number, one more each period ("" = none) */
};

struct dw_kb_time {
	char *table;              /* the date dimension, e.g. dim_date */
	char *key;                /* its key column joined from facts (date_key) */
	char *date_column;        /* its DATE column (full_date) */
	char *default_role;       /* join role used for time ("order") */
	size_t ngrains;
	struct dw_kb_grain *grains;
};

struct dw_kb_example {
	char *question;
	char *sql;
};

enum dw_kb_type { DW_KB_T_STRING = 0, DW_KB_T_INT, DW_KB_T_NUMBER, DW_KB_T_DATE, DW_KB_T_BOOL };

struct dw_kb_param {
	char *name;
	enum dw_kb_type type;
	char *description;
	char *def;                /* default value, NULL when required */
};

/* A saved report: SQL with :name placeholders bound as parameters. */
struct dw_kb_report {
	char *name;
	char *description;
	char *sql;
	size_t nparams;
	struct dw_kb_param *params;
};

struct dw_kb {
	char *path;               /* file it came from */
	char *model;              /* model name ("superstore") */
	char *description;
	size_t ntables;
	struct dw_kb_table *tables;
	size_t njoins;
	struct dw_kb_join *joins;
	size_t nmetrics;
	struct dw_kb_metric *metrics;
	size_t ndimensions;
	struct dw_kb_dimension *dimensions;
	struct dw_kb_time time;
	struct dw_kb_words rules;
	size_t nexamples;
	struct dw_kb_example *examples;
	size_t nreports;
	struct dw_kb_report *reports;
};

/* Loads and checks a knowledge file. Returns 0, or -1 with err: DW_EX_IOERR
 * when unreadable, DW_EX_CONFIG naming file, line and key for a malformed
 * or inconsistent file (unknown keys, a metric or dimension naming a table
 * or column not declared under tables, a join to an unknown column, a
 * report placeholder that is no declared parameter, such as a bare ?, SQL
 * that does not lex, ...). Release with
 * dw_kb_release even on failure. */
int dw_kb_load(struct dw_kb *kb, const char *path, struct dw_err *err);
/* Same from memory; name is used in messages. */
int dw_kb_load_string(struct dw_kb *kb, const char *yaml, const char *name, struct dw_err *err);
void dw_kb_release(struct dw_kb *kb);

/* Lookups by exact name; NULL when absent. */
const struct dw_kb_table *dw_kb_table(const struct dw_kb *kb, const char *name);
const struct dw_kb_column *dw_kb_column(const struct dw_kb *kb, const char *table,
					const char *column);
const struct dw_kb_metric *dw_kb_metric(const struct dw_kb *kb, const char *name);
const struct dw_kb_dimension *dw_kb_dimension(const struct dw_kb *kb, const char *name);
const struct dw_kb_report *dw_kb_report(const struct dw_kb *kb, const char *name);
const struct dw_kb_grain *dw_kb_grain(const struct dw_kb *kb, const char *name);
/* The join from fact table to dim table with role ("" = the default edge,
 * else the first edge between them); NULL when none. */
const struct dw_kb_join *dw_kb_join(const struct dw_kb *kb, const char *fact, const char *dim,
				    const char *role);

/* "int", "string", ... and back; -1 for an unknown name. */
const char *dw_kb_type_name(enum dw_kb_type t);
int dw_kb_type_parse(const char *s);

/* Prepares a report for execution with the n parameter values given as
 * keys[i] = values[i]. Every :name placeholder outside string literals and
 * comments becomes ? ("::" is left alone) and *params_out gets, in
 * placeholder order, the value to bind for it: the one given, else the
 * parameter's default; a bool is bound as "1" or "0". Values are checked
 * against the declared types (int: an integer; number: a decimal like
 * -12.5; date: a calendar date YYYY-MM-DD; bool: true or false; string:
 * anything). Returns 0, or -1 with err DW_EX_USAGE naming the parameter
 * (unknown, given twice, missing without default, or not of its type), or
 * DW_EX_SOFTWARE for SQL that does not lex or has a placeholder that is no
 * declared parameter (the loader refuses both).
 * The caller frees *sql_out and the array *params_out (not its strings,
 * which point into values, the report or static storage). */
int dw_kb_report_bind(const struct dw_kb_report *r, const char *const *keys,
		      const char *const *values, size_t n, char **sql_out,
		      const char ***params_out, size_t *nparams_out, struct dw_err *err);

#endif
