#include "date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"

int dw_date_fmt_parse(const char *name)
{
	if (!strcmp(name, "auto"))
		return DW_DATE_ANY;
	if (!strcmp(name, "mdy"))
		return DW_DATE_MDY;
	if (!strcmp(name, "dmy"))
		return DW_DATE_DMY;
	if (!strcmp(name, "ymd") || !strcmp(name, "iso"))
		return DW_DATE_YMD;
	return 0;
}

const char *dw_date_fmt_name(int fmt)
{
	switch (fmt) {
	case DW_DATE_MDY: return "mdy";
	case DW_DATE_DMY: return "dmy";
	case DW_DATE_YMD: return "ymd";
	case DW_DATE_ANY: return "auto";
	default: return "?";
	}
}

int dw_date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Reads up to maxdigits digits; returns the count read (0 on none). */
static int read_number(const char **p, int maxdigits, int *out)
{
	int n = 0, v = 0;

	while (n < maxdigits && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return isdigit((unsigned char)**p) ? 0 : n;
}

/* Splits "a<sep>b<sep>c[ time]" into three numbers and their digit counts. */
static int split3(const char *s, int v[3], int len[3], char *sep_out)
{
	const char *p = s;
	char sep = 0;

	while (*p == ' ')
		p++;
	for (int i = 0; i < 3; i++) {
		len[i] = read_number(&p, 4, &v[i]);
		if (!len[i])
			return -1;
		if (i == 2)
			break;
		if (*p != '/' && *p != '-' && *p != '.')
			return -1;
		if (sep && *p != sep)
			return -1;
		sep = *p++;
	}
	if (*p && *p != ' ' && *p != 'T')
		return -1;
	*sep_out = sep;
	return 0;
}

char dw_date_separator(const char *s)
{
	int v[3], len[3];
	char sep;

	return split3(s, v, len, &sep) == 0 ? sep : 0;
}

int dw_date_parse(const char *s, int fmt, int *y, int *m, int *d)
{
	int v[3], len[3];
	char sep;

	if (split3(s, v, len, &sep) < 0)
		return -1;
	switch (fmt) {
	case DW_DATE_YMD:
		if (len[0] != 4 || len[1] > 2 || len[2] > 2)
			return -1;
		*y = v[0], *m = v[1], *d = v[2];
		break;
	case DW_DATE_MDY:
	case DW_DATE_DMY:
		if (len[2] != 4 || len[0] > 2 || len[1] > 2)
			return -1;
		*y = v[2];
		*m = fmt == DW_DATE_MDY ? v[0] : v[1];
		*d = fmt == DW_DATE_MDY ? v[1] : v[0];
		break;
	default:
		return -1;
	}
	return dw_date_valid(*y, *m, *d) ? 0 : -1;
}

int dw_date_formats_of(const char *s, int mask)
{
	static const int all[] = { DW_DATE_MDY, DW_DATE_DMY, DW_DATE_YMD };
	int out = 0, y, m, d;

	for (int i = 0; i < 3; i++)
		if ((mask & all[i]) && dw_date_parse(s, all[i], &y, &m, &d) == 0)
			out |= all[i];
	return out;
}

/* Howard Hinnant's days_from_civil. */
long dw_date_days_from_civil(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void dw_date_civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int dw_date_weekday(long days)
{
	/* 1970-01-01 was a Thursday (4). */
	long w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w) + 1;
}

int dw_date_time_arg(const char *s, char out[32], struct dw_err *err)
{
	long ms;
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0;

	/* A bare number, which would be seconds, is no time. */
	if (dw_config_duration_ms(s, &ms) == 0 && strspn(s, "0123456789.") < strlen(s)) {
		time_t t = time(NULL) - (time_t)(ms / 1000);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
		return 0;
	}
	if ((sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && !s[n]) ||
	    (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) == 6 && !s[n])) {
		snprintf(out, 32, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, se);
		return 0;
	}
	return dw_err_set(err, DW_EX_USAGE, "'%s' is not a time: YYYY-MM-DD, YYYY-MM-DD HH:MM:SS "
			  "or a duration such as 24h", s);
}

void dw_date_iso(int y, int m, int d, char out[11])
{
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}
