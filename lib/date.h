/* date: calendar arithmetic, the date formats found in CSV exports, and
 * times given on a command line. */
#ifndef DW_DATES_H
#define DW_DATES_H

#include "err.h"

enum dw_date_fmt {
	DW_DATE_MDY = 1,   /* 1/7/2011, 01-07-2011 */
	DW_DATE_DMY = 2,   /* 7/1/2011, 07-01-2011 */
	DW_DATE_YMD = 4,   /* 2011-01-07 */
};
#define DW_DATE_ANY (DW_DATE_MDY | DW_DATE_DMY | DW_DATE_YMD)

/* Parses "auto" (returns DW_DATE_ANY), "mdy", "dmy", "ymd" (or "iso").
 * Returns 0 when unknown. */
int dw_date_fmt_parse(const char *name);
const char *dw_date_fmt_name(int fmt);

/* Parses s in fmt (one DW_DATE_* value): three numbers separated by one of
 * '/', '-', '.', with an optional time part after a space or 'T' that is
 * ignored. Returns 0 and fills y/m/d when it is a real calendar date, -1
 * otherwise. */
int dw_date_parse(const char *s, int fmt, int *y, int *m, int *d);
/* The subset of the formats in mask under which s is a valid date. */
int dw_date_formats_of(const char *s, int mask);
/* Separator of a D/M/Y-style value ('/', '-', '.'), 0 for others. */
char dw_date_separator(const char *s);

int dw_date_valid(int y, int m, int d);
/* y-m-d as YYYY-MM-DD into out (0 <= y <= 9999), without printf's cost
 * (a million lines read take two each). */
void dw_date_iso(int y, int m, int d, char out[11]);
/* Days since 1970-01-01 (proleptic Gregorian), and back. */
long dw_date_days_from_civil(int y, int m, int d);
void dw_date_civil_from_days(long days, int *y, int *m, int *d);
/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int dw_date_weekday(long days);

/* A time given on a command line (--since, --until): "2026-12-01",
 * "2026-12-01 10:00:00" (UTC), or a duration back from now such as "24h"
 * or "7d", into out as "YYYY-MM-DD HH:MM:SS", UTC. Returns 0 or -1 with
 * err (DW_EX_USAGE). */
int dw_date_time_arg(const char *s, char out[32], struct dw_err *err);

#endif
