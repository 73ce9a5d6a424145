/* gen: deterministic generator of Global Superstore orders and returns
 * CSV files (the formats of DESIGN.md section 5) at any scale. */
#ifndef DW_ETL_GEN_H
#define DW_ETL_GEN_H

#include <stdio.h>

#include "err.h"

struct dw_gen_opts {
	long long orders;         /* number of orders (each 1..N lines) */
	unsigned long long seed;
	int from_year, from_month, from_day;   /* first order date, inclusive */
	int to_year, to_month, to_day;         /* last order date, inclusive */
	const char *date_format;  /* "mdy" M/D/YYYY unpadded (default, as in the
	                           * Excel exports), "dmy" DD-MM-YYYY, "iso" YYYY-MM-DD */
};

/* Defaults: 1000 orders, seed 1, 2011-01-01 .. 2014-12-31, "mdy". */
void dw_gen_opts_init(struct dw_gen_opts *o);

/* Writes the orders CSV (header + lines) to orders and, when returns is not
 * NULL, the returns CSV to returns. Same opts give byte-identical output.
 * *lines_out (if not NULL) gets the number of order lines written.
 * Returns 0 or -1 (DW_EX_IOERR on write failure, DW_EX_USAGE on bad opts). */
int dw_gen_write(const struct dw_gen_opts *o, FILE *orders, FILE *returns,
		 long long *lines_out, struct dw_err *err);

#endif
