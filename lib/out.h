/* out: result printing in table, tsv, csv, json, jsonl and xlsx formats.
 * Table is the default when stdout is a terminal, tsv otherwise. The
 * command line also names the formats of test reports, tap and junit,
 * which the verbs that write one print themselves. */
#ifndef DW_OUT_H
#define DW_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

enum dw_out_format {
	DW_OUT_AUTO = 0,   /* table on a terminal, tsv otherwise */
	DW_OUT_TABLE,
	DW_OUT_TSV,
	DW_OUT_CSV,
	DW_OUT_JSON,       /* one array of objects */
	DW_OUT_JSONL,      /* one object per line */
	DW_OUT_XLSX,       /* an Excel workbook (libxlsxwriter), written whole at the end */
	DW_OUT_TAP,        /* test reports: not for dw_out_new */
	DW_OUT_JUNIT,
};

/* Column kinds decide alignment (numbers right-aligned in tables) and JSON
 * typing (numbers unquoted; NULL is null). */
enum dw_out_kind {
	DW_OUT_TEXT = 0,
	DW_OUT_NUMBER,
	DW_OUT_BOOL,
};

struct dw_out;

/* Spreadsheet formula injection: with CSV safety on, a CSV cell that a
 * spreadsheet would run as a formula (dw_csv_formula_like: it starts with
 * =, +, -, @, tab or CR and is not a plain number) is written quoted with a
 * single quote before it. AUTO, the default, turns it on when the output is
 * a terminal. */
enum dw_out_csv_safe {
	DW_OUT_CSV_SAFE_AUTO = 0,
	DW_OUT_CSV_SAFE_ON,
	DW_OUT_CSV_SAFE_OFF,
};

/* Sets CSV safety for the outputs dw_out_new starts from now on. The
 * command line layer sets it once (--csv-safe, --no-csv-safe), as it sets
 * the log's verbosity. */
void dw_out_set_csv_safe(enum dw_out_csv_safe mode);

/* Parses "table", "tsv", "csv", "json", "jsonl", "xlsx", "tap", "junit".
 * Returns 0 or -1 (err DW_EX_USAGE naming the value). */
int dw_out_parse_format(const char *s, enum dw_out_format *fmt, struct dw_err *err);

/* Starts output on fp (NULL for a test report's format). AUTO picks table
 * when isatty(fileno(fp)). On a
 * terminal, tsv and csv write a control character (such as ESC or BEL,
 * which a terminal would obey), a C1 control or a byte that is not UTF-8
 * as \xNN, tab and newline excepted in csv; the table shows them as spaces
 * (an invalid byte as U+FFFD); json escapes them everywhere. The table
 * format fits its width to the terminal (COLUMNS, or the tty's width; 80 when
 * unknown) by truncating the widest columns with "…". header 0 omits the
 * header line (--no-header; ignored by json/jsonl). Caller frees with
 * dw_out_free after dw_out_end. */
struct dw_out *dw_out_new(FILE *fp, enum dw_out_format fmt, int header);
void dw_out_free(struct dw_out *out);

/* Declare columns before the first row. name is copied. */
void dw_out_column(struct dw_out *out, const char *name, enum dw_out_kind kind);
/* One row of ncols values (ncols == number of declared columns); a NULL
 * pointer is SQL NULL (empty in tsv/csv/table, null in JSON). Values are
 * copied when buffering is needed (table), streamed otherwise. */
int dw_out_row(struct dw_out *out, const char *const *values, struct dw_err *err);
/* Another sheet for xlsx, after the data sheet: name (at most 31
 * characters) and n rows of two text cells, keys[i] in bold and values[i]
 * (NULL is an empty cell). Copied; the other formats ignore it. */
void dw_out_note_sheet(struct dw_out *out, const char *name, const char *const *keys,
		       const char *const *values, size_t n);
/* Flushes (the table format prints here). xlsx writes the workbook here:
 * a sheet "data" with a bold header row (kept in view), one cell per value:
 * a NUMBER column's values as numbers shown with as many decimals as the
 * column's values have (a value that is not a number, or has more than 15
 * significant digits, which a double cannot hold, as text); a text column
 * whose values are all YYYY-MM-DD or YYYY-MM-DD HH:MM:SS[.fraction] as
 * dates; anything else as text, never a formula; NULL as an empty cell;
 * column widths from the content. The workbook is made in a temporary file
 * ($TMPDIR, else /tmp) and copied to fp, so fp may be a pipe; it refuses to
 * follow other output on a file (a second workbook, say). Returns 0 or -1
 * (DW_EX_IOERR; DW_EX_DATAERR when a sheet would hold more than 1048576
 * rows or a cell more than 32767 characters; DW_EX_USAGE after other
 * output). */
int dw_out_end(struct dw_out *out, struct dw_err *err);

/* Display width of a UTF-8 string in terminal columns (wide East Asian
 * characters count 2, combining marks 0, invalid bytes 1). */
size_t dw_out_width(const char *s);

#endif
