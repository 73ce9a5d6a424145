/* archive: a partition's rows as a file, and the manifest that vouches for
 * it (dw-partition(1), retain and restore).
 *
 * The data file, DIR/<database>.<table>.<partition>.tsv.gz, is gzip. Once
 * decompressed it holds the partition's rows in the order of the table's
 * primary key, one row per line: each column's text as the server gives
 * it, the columns separated by U+001F (the byte 0x1f), a line feed after
 * each row, no header. A NULL is the field \N; in a value a backslash is
 * written \\, a line feed \n, a carriage return \r and U+001F \x1f, and
 * every other byte is itself. The manifest, DIR/<...>.manifest.json, names
 * the rows (database, table, partition, range), their columns with their
 * types, and their count and SHA-256 over exactly those decompressed
 * bytes. */
#ifndef DW_PART_ARCHIVE_H
#define DW_PART_ARCHIVE_H

#include <stddef.h>

#include "db/db.h"
#include "err.h"
#include "partplan.h"

#define DW_ARCHIVE_VERSION 1
#define DW_ARCHIVE_DATA ".tsv.gz"
#define DW_ARCHIVE_MANIFEST ".manifest.json"

/* ---- the canonical text of a row ---- */

/* A growing text; zero it to start, dw_archive_text_free to end. */
struct dw_archive_text {
	char *s;
	size_t len, cap;
};
void dw_archive_text_free(struct dw_archive_text *t);

/* Appends the row of n values v (NULL for SQL NULL) to t in the canonical
 * text, its line feed included. Returns 0, or -1 when out of memory. */
int dw_archive_row(struct dw_archive_text *t, const char *const *v, size_t n);
/* Splits one row of the canonical text (line: without its line feed, NUL
 * ended) in place into its fields, undoing the escapes: fields[i] points
 * into line, NULL for \N. Returns the number of fields, or -1 when the line
 * holds a bad escape, a bare carriage return, or more than max fields. */
int dw_archive_split(char *line, char **fields, size_t max);

/* ---- the manifest ---- */

struct dw_archive_manifest {
	int version;
	char *database, *table, *partition;
	char *column;             /* the partition column */
	long from, to;            /* the rows' range [from, to), YYYYMMDD */
	char **names, **types;    /* the columns in the table's order, and their types */
	size_t ncols;
	char **key;               /* the primary key: the rows' order */
	size_t nkey;
	long long rows;
	char sha256[65];          /* lowercase hex */
	char *file;               /* the data file's name, without a directory */
	char *created;            /* UTC, 2026-12-01T02:00:00Z */
};

/* The manifest as JSON text (a malloc'd string the caller frees), NULL
 * when out of memory. */
char *dw_archive_manifest_json(const struct dw_archive_manifest *m);
/* Reads a manifest from JSON text; name is the file, for messages. Every
 * field must be there with its type, the version known, the data file's
 * name the one its database, table and partition make. Returns 0, or -1
 * with err (DW_EX_DATAERR). m is filled either way; release it. */
int dw_archive_manifest_parse(struct dw_archive_manifest *m, const char *text, const char *name,
			      struct dw_err *err);
void dw_archive_manifest_release(struct dw_archive_manifest *m);

/* "DIR/<database>.<table>.<partition>SUFFIX" (dir NULL: no directory), a
 * malloc'd string the caller frees; NULL when out of memory. */
char *dw_archive_path(const char *dir, const char *database, const char *table,
		      const char *partition, const char *suffix);

/* ---- files ---- */

/* Reads the gzip data file at path and checks it against m: every row has
 * m->ncols fields and well-formed escapes, its partition column (m->column)
 * within [m->from, m->to), and the count and SHA-256 of the decompressed
 * bytes are m's. Returns 0, or -1 with err: DW_EX_DATAERR for
 * a file that is not gzip, is corrupt or cut short, or does not match;
 * DW_EX_IOERR when it cannot be read. */
int dw_archive_verify(const struct dw_archive_manifest *m, const char *path, struct dw_err *err);

/* The manifest of a restore: path names the manifest or its data file (by
 * their suffixes; anything else is DW_EX_USAGE). Reads the manifest, then
 * verifies the data file beside it (dw_archive_verify). *data gets the data
 * file's path (the caller frees it, also on error). Returns 0, or -1 with
 * err; m is to be released either way. */
int dw_archive_open(struct dw_archive_manifest *m, const char *path, char **data,
		    struct dw_err *err);

/* ---- the warehouse ---- */

/* One partition to archive: [from, to) of table by column. */
struct dw_archive_part {
	const char *table, *partition, *column;
	long from, to;
};

/* Exports partition p into dir: the rows in the order of the primary key
 * (SELECT every column ... PARTITION (p) ORDER BY the key) into the data
 * file, then the manifest, each through a temporary file renamed over the
 * target (never through a symbolic link), then reads the data file back
 * and checks it against the manifest. An archive already there is replaced
 * only when it holds the same rows (count and SHA-256): one that holds
 * others, or whose manifest cannot be read, is DW_EX_DATAERR; but when the
 * partition is empty and the archive there (checked) holds rows, that one
 * stays and *kept is 1 (a restore that failed, or a retire cut short,
 * leaves such an empty partition behind). A table
 * without a primary key, or with a column whose text would not bring the
 * same value back (binary strings, BLOB, BIT, FLOAT, DOUBLE, spatial), is
 * DW_EX_CONFIG; a text value holding a NUL byte (which the client would
 * cut) is DW_EX_DATAERR. Fills m (release it). Returns 0 or -1 with err. */
int dw_archive_export(struct dw_db *my, const char *dir, const struct dw_archive_part *p,
		      struct dw_archive_manifest *m, int *kept, struct dw_err *err);

/* Reads partition m->partition of m->table as the export does and counts
 * and hashes its rows into *rows and sha256. Returns 0 or -1 with err. */
int dw_archive_checksum(struct dw_db *my, const struct dw_archive_manifest *m, long long *rows,
			char sha256[65], struct dw_err *err);

/* Checks that m is for this warehouse's table: the database the
 * connection uses, and the table's columns by name and type, in order.
 * Returns 0, or -1 with err (DW_EX_DATAERR when it is not). */
int dw_archive_match(struct dw_db *my, const struct dw_archive_manifest *m, struct dw_err *err);

/* Inserts the rows of the data file at path into m->table, in batches of
 * parameterized INSERTs (generated columns left to the server), inside the
 * caller's transaction. A warning on any batch, or a file that no longer
 * matches m, is DW_EX_DATAERR. Returns the rows inserted, or -1 with err. */
long long dw_archive_load(struct dw_db *my, const struct dw_archive_manifest *m, const char *path,
			  struct dw_err *err);

/* The statements that retire partition i of l into the catch-all l->p[0]
 * (the partitions between them already retired): ALTER TABLE ... TRUNCATE
 * PARTITION, then ALTER TABLE ... REORGANIZE PARTITION catch-all, p INTO
 * (PARTITION catch-all VALUES LESS THAN (p's bound)), which copies no row.
 * Returns 0, or -1 when out of memory; the caller frees both. */
int dw_archive_retire_sql(struct dw_db *my, const struct dw_partplan_layout *l, size_t i,
			  char **truncate, char **reorganize);
/* The statement that splits m's range out of the catch-all l->p[0], whose
 * bound must be m->to: REORGANIZE PARTITION catch-all INTO (catch-all
 * VALUES LESS THAN (from), m->partition VALUES LESS THAN (to)). A malloc'd
 * string, NULL when out of memory. */
char *dw_archive_split_sql(struct dw_db *my, const struct dw_partplan_layout *l,
			   const struct dw_archive_manifest *m);

#endif
