/* import: loads the Global Superstore orders and returns CSV files into
 * the normalized OLTP tables: validate every line, reject bad ones to a
 * file, stream good ones into staging with COPY, then set-based upserts in
 * one transaction. */
#ifndef DW_ETL_IMPORT_H
#define DW_ETL_IMPORT_H

#include "db/db.h"
#include "err.h"

struct dw_import_opts {
	const char *orders_path;    /* "-" reads stdin */
	const char *returns_path;   /* NULL when absent; "-" reads stdin */
	const char *rejects_path;   /* NULL: beside the orders file */
	int csv_safe;               /* rejects file: formula-like values quoted with a ' */
	int date_format;            /* DW_DATE_* value, DW_DATE_ANY to detect */
	long max_rejects;           /* -1: unlimited */
	int dry_run;                /* do everything, then roll back */
};

enum dw_import_table {
	DW_IMP_SEGMENT, DW_IMP_CATEGORY, DW_IMP_SUBCATEGORY, DW_IMP_PRODUCT, DW_IMP_CUSTOMER,
	DW_IMP_ORDERS, DW_IMP_ORDER_LINE, DW_IMP_ORDER_RETURN, DW_IMP_NTABLES
};

struct dw_import_count {
	const char *table;
	long long inserted, updated, unchanged, rejected;
};

struct dw_import_result {
	struct dw_import_count t[DW_IMP_NTABLES];
	long long lines;            /* data lines read, both files */
	long long rejected;         /* lines rejected, both files */
	char rejects_path[4096];    /* "" when nothing was rejected */
	int date_format;            /* the format used (a single DW_DATE_* value) */
	int date_format_guessed;    /* 1 when every date was ambiguous */
};

/* Reads s as a decimal number: [-][$]digits[.digits][e[-]digits], with
 * thousands commas before the point ("-$1,234.50", "1.5E+03"); no
 * hexadecimal, infinity or NaN. Writes it to out rounded half away from
 * zero to scale decimals, as PostgreSQL stores it in a numeric(int_digits +
 * scale, scale) column ("-1234.5000"). Returns 0, -1 when s is not such a
 * number, -2 when the rounded value needs more than int_digits digits
 * before the point. out needs int_digits + scale + 4 bytes. */
int dw_import_decimal(const char *s, int int_digits, int scale, char *out, size_t outsz);

/* Returns 0 (good rows loaded, possibly with rejects) or -1 with err: 65 for
 * unusable input or too many rejects (nothing written), 74 for I/O. */
int dw_import_run(struct dw_db *pg, const struct dw_import_opts *o, struct dw_import_result *r,
		  struct dw_err *err);

#endif
