/* csv: streaming RFC 4180 reader (quoted fields, embedded commas, quotes and
 * newlines, CRLF or LF, UTF-8 BOM) that reports file line numbers. */
#ifndef DW_CSV_H
#define DW_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

struct dw_csv;

/* Reads from fp (not closed by the reader). name is used in messages
 * ("orders.csv", "-" shown as "stdin"). Returns a reader the caller frees
 * with dw_csv_free, or NULL on allocation failure. */
struct dw_csv *dw_csv_new(FILE *fp, const char *name);
void dw_csv_free(struct dw_csv *csv);

/* Reads the next record. Returns 1 with a record, 0 at end of input, -1 on
 * error (err: DW_EX_DATAERR for malformed input such as an unterminated quote,
 * naming file and line; DW_EX_IOERR for read errors). Field pointers stay
 * valid until the next call; they are NUL-terminated (a field holding a NUL
 * byte is an error). A blank line is skipped. */
int dw_csv_next(struct dw_csv *csv, struct dw_err *err);
size_t dw_csv_nfields(const struct dw_csv *csv);
const char *dw_csv_field(const struct dw_csv *csv, size_t i);
/* Length in bytes of field i. */
size_t dw_csv_field_len(const struct dw_csv *csv, size_t i);
/* Keeps at most max bytes of each field (0, the default: no limit); the
 * rest of a longer field is read and dropped, and dw_csv_field_cut says so.
 * So a field without end does not take all memory, and the caller can
 * reject the one record. */
void dw_csv_set_max_field(struct dw_csv *csv, size_t max);
/* 1 when field i of the current record was longer than the limit (and so
 * holds only its first max bytes), else 0. */
int dw_csv_field_cut(const struct dw_csv *csv, size_t i);
/* File line (1-based) where the current record starts / ends. */
long dw_csv_line(const struct dw_csv *csv);
long dw_csv_end_line(const struct dw_csv *csv);
const char *dw_csv_name(const struct dw_csv *csv);

/* Writes one field to fp, quoting it when it holds a comma, quote, CR or LF
 * (or leading/trailing space). */
void dw_csv_write_field(FILE *fp, const char *s);

/* 1 when a spreadsheet would read s as a formula: it starts with =, +, -,
 * @, tab or CR (OWASP, "CSV injection") and is not a plain number such as
 * -12.5 or +1e3. */
int dw_csv_formula_like(const char *s);
/* Like dw_csv_write_field, but a formula-like s is written quoted with a
 * single quote before it ("'=1+2"), as OWASP recommends, so a spreadsheet
 * shows it as text instead of running it. */
void dw_csv_write_safe_field(FILE *fp, const char *s);

#endif
