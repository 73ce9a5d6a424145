/* sqlfile: the SQL files compiled in from sql/, and their sections.
 * A section starts at a line "-- MARKER WORD [WORD]" and runs to the next
 * marker line; "-- cursor EXPR" and "-- key TABLE COND" lines inside it are
 * collected apart. */
#ifndef DW_SQLFILE_H
#define DW_SQLFILE_H

#include "err.h"

#define DW_SQL_MAX_CURSORS 8

struct dw_sql_section {
	char word1[64], word2[64];   /* the words after the marker ("" if absent) */
	char *body;                  /* SQL text, trailing ';' and blanks removed */
	char *cursors[DW_SQL_MAX_CURSORS];
	int ncursors;
	char *keys[DW_SQL_MAX_CURSORS];   /* "TABLE COND" lines, for dw-validate's repair */
	int nkeys;
};

/* Text of sql/NAME (e.g. "dw/sync_merge.sql"), NULL when not built in. */
const char *dw_sqlfile_text(const char *name);

/* Splits file NAME into the sections starting with "-- MARKER ". Returns the
 * count (>= 0) with *out an array the caller frees with dw_sqlfile_sections_free,
 * or -1 with err. */
int dw_sqlfile_sections(const char *name, const char *marker, struct dw_sql_section **out,
		    struct dw_err *err);
void dw_sqlfile_sections_free(struct dw_sql_section *s, int n);
/* The section of s (n of them) whose first word is name, or NULL. */
const struct dw_sql_section *dw_sqlfile_section_named(const struct dw_sql_section *s, int n,
						      const char *name);

#endif
