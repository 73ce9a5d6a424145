/* Archives of retired partitions: the canonical text of the rows, the
 * manifest, the gzip data file written, read back and loaded again. */
#include "part/archive.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "log.h"
#include "outfile.h"

#define ROW_MAX (64L << 20)          /* a longer row is not one dw wrote */
#define MANIFEST_MAX (16L << 20)
#define BATCH_ROWS 1000              /* rows per INSERT */
#define BATCH_PARAMS 30000           /* and parameters, well under the server's 65535 */
#define BATCH_BYTES (4L << 20)       /* and bytes of values, under max_allowed_packet */

/* What describe says of a column. */
#define COL_GENERATED 1u             /* computed by the server: never inserted */
#define COL_TEXT 2u                  /* a string the C client could cut at a NUL byte */

static const char format_name[] = "dw-partition archive";
static const char encoding_text[] =
	"gzip; one row per line, the rows in primary key order; columns separated by U+001F; "
	"NULL as \\N; in a value \\\\ for a backslash, \\n for a line feed, \\r for a carriage "
	"return, \\x1f for U+001F; sha256 is of the decompressed bytes";

static int oom(struct dw_err *err)
{
	return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
}

/* ---- text ---- */

void dw_archive_text_free(struct dw_archive_text *t)
{
	free(t->s);
	memset(t, 0, sizeof *t);
}

static int text_add(struct dw_archive_text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		char *p;

		while (cap < t->len + n + 1)
			cap *= 2;
		if (!(p = realloc(t->s, cap)))
			return -1;
		t->s = p, t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
	return 0;
}

static int text_str(struct dw_archive_text *t, const char *s)
{
	return text_add(t, s, strlen(s));
}

static int add_value(struct dw_archive_text *t, const char *v)
{
	if (!v)
		return text_add(t, "\\N", 2);
	while (*v) {
		size_t plain = strcspn(v, "\\\n\r\x1f");
		const char *e;

		if (plain && text_add(t, v, plain) < 0)
			return -1;
		v += plain;
		if (!*v)
			break;
		e = *v == '\\' ? "\\\\" : *v == '\n' ? "\\n" : *v == '\r' ? "\\r" : "\\x1f";
		if (text_str(t, e) < 0)
			return -1;
		v++;
	}
	return 0;
}

int dw_archive_row(struct dw_archive_text *t, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((i && text_add(t, "\x1f", 1) < 0) || add_value(t, v[i]) < 0)
			return -1;
	return text_add(t, "\n", 1);
}

/* Undoes the escapes of the field at *src up to its end, writing at *dst.
 * Returns 0, or -1 for a bad escape or a bare carriage return. */
static int unescape(char **src, char **dst)
{
	char *r = *src, *w = *dst;

	for (; *r && *r != '\x1f'; r++) {
		if (*r == '\r')
			return -1;
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		r++;
		if (*r == '\\' || *r == 'n' || *r == 'r')
			*w++ = *r == 'n' ? '\n' : *r == 'r' ? '\r' : '\\';
		else if (!strncmp(r, "x1f", 3))
			*w++ = '\x1f', r += 2;
		else
			return -1;
	}
	*src = r, *dst = w;
	return 0;
}

int dw_archive_split(char *line, char **fields, size_t max)
{
	char *r = line, *w = line;
	size_t n = 0;

	for (;;) {
		if (n == max)
			return -1;
		if (r[0] == '\\' && r[1] == 'N' && (r[2] == '\x1f' || !r[2])) {
			fields[n++] = NULL;   /* \N alone; within a value it is a bad escape */
			r += 2;
		} else {
			fields[n++] = w;
			if (unescape(&r, &w) < 0)
				return -1;
		}
		if (!*r) {
			*w = '\0';
			return (int)n;
		}
		*w++ = '\0';
		r++;
	}
}

/* ---- SHA-256 ---- */

struct sum {
	EVP_MD_CTX *md;
	long long rows;
};

static int sum_init(struct sum *s, struct dw_err *err)
{
	s->rows = 0;
	if (!(s->md = EVP_MD_CTX_new()) || EVP_DigestInit_ex(s->md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(s->md);
		s->md = NULL;
		return oom(err);
	}
	return 0;
}

static void sum_add(struct sum *s, const void *p, size_t n)
{
	EVP_DigestUpdate(s->md, p, n);
}

static void sum_hex(struct sum *s, char out[65])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_DigestFinal_ex(s->md, d, &n);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	out[64] = '\0';
}

static void sum_free(struct sum *s)
{
	EVP_MD_CTX_free(s->md);
	s->md = NULL;
}

/* ---- the manifest ---- */

static void date_text(long d, char out[16])
{
	snprintf(out, 16, "%04ld-%02ld-%02ld", d / 10000 % 10000, d / 100 % 100, d % 100);
}

static long date_of(const char *s)
{
	int y, m, d, len = 0;

	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &len) != 3 || s[len] || len != 10 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	return y * 10000L + m * 100L + d;
}

static cJSON *string_array(char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < n; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(v[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

char *dw_archive_manifest_json(const struct dw_archive_manifest *m)
{
	cJSON *o = cJSON_CreateObject(), *cols = cJSON_CreateArray();
	char from[16], to[16], *text = NULL;
	int ok = o && cols;

	date_text(m->from, from);
	date_text(m->to, to);
	ok = ok && cJSON_AddStringToObject(o, "format", format_name) &&
	     cJSON_AddNumberToObject(o, "version", m->version) &&
	     cJSON_AddStringToObject(o, "database", m->database) &&
	     cJSON_AddStringToObject(o, "table", m->table) &&
	     cJSON_AddStringToObject(o, "partition", m->partition) &&
	     cJSON_AddStringToObject(o, "column", m->column) &&
	     cJSON_AddStringToObject(o, "from", from) && cJSON_AddStringToObject(o, "to", to) &&
	     cJSON_AddNumberToObject(o, "rows", (double)m->rows) &&
	     cJSON_AddStringToObject(o, "sha256", m->sha256) &&
	     cJSON_AddStringToObject(o, "file", m->file) &&
	     cJSON_AddStringToObject(o, "created", m->created) &&
	     cJSON_AddStringToObject(o, "encoding", encoding_text) &&
	     cJSON_AddItemToObject(o, "key", string_array(m->key, m->nkey));
	for (size_t i = 0; ok && i < m->ncols; i++) {
		cJSON *c = cJSON_CreateObject();

		ok = c && cJSON_AddItemToArray(cols, c) &&
		     cJSON_AddStringToObject(c, "name", m->names[i]) &&
		     cJSON_AddStringToObject(c, "type", m->types[i]);
	}
	if (ok && cJSON_AddItemToObject(o, "columns", cols))
		cols = NULL;
	else
		ok = 0;
	if (ok)
		text = cJSON_Print(o);
	cJSON_Delete(cols);
	cJSON_Delete(o);
	return text;
}

void dw_archive_manifest_release(struct dw_archive_manifest *m)
{
	for (size_t i = 0; i < m->ncols; i++) {
		free(m->names ? m->names[i] : NULL);
		free(m->types ? m->types[i] : NULL);
	}
	for (size_t i = 0; i < m->nkey; i++)
		free(m->key[i]);
	free(m->names), free(m->types), free(m->key);
	free(m->database), free(m->table), free(m->partition), free(m->column);
	free(m->file), free(m->created);
	memset(m, 0, sizeof *m);
}

char *dw_archive_path(const char *dir, const char *database, const char *table,
		      const char *partition, const char *suffix)
{
	size_t n = (dir ? strlen(dir) + 1 : 0) + strlen(database) + strlen(table) +
		   strlen(partition) + strlen(suffix) + 3;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s.%s.%s%s", dir ? dir : "", dir ? "/" : "", database, table,
			 partition, suffix);
	return p;
}

/* The string member key of o, duplicated into *out. */
static int get_string(const cJSON *o, const char *key, char **out, const char *name,
		      struct dw_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v) || !v->valuestring)
		return dw_err_set(err, DW_EX_DATAERR, "manifest '%s': %s is missing or not a string",
				  name, key);
	if (!(*out = strdup(v->valuestring)))
		return oom(err);
	return 0;
}

/* The array what of strings, or (member not NULL) of objects and their
 * string member. */
static int get_strings(const cJSON *a, const char *what, const char *member, char ***out,
		       size_t *n, const char *name, struct dw_err *err)
{
	const cJSON *e;

	if (!cJSON_IsArray(a) || !cJSON_GetArraySize(a))
		return dw_err_set(err, DW_EX_DATAERR, "manifest '%s': %s is missing or empty", name,
				  what);
	if (!(*out = calloc((size_t)cJSON_GetArraySize(a), sizeof **out)))
		return oom(err);
	cJSON_ArrayForEach(e, a) {
		const cJSON *v = member ? cJSON_GetObjectItemCaseSensitive(e, member) : e;

		if (!cJSON_IsString(v) || !v->valuestring)
			return dw_err_set(err, DW_EX_DATAERR, "manifest '%s': %s: an entry%s%s is not "
					  "a string", name, what, member ? "'s " : "", member ? member : "");
		if (!((*out)[(*n)++] = strdup(v->valuestring)))
			return oom(err);
	}
	return 0;
}

static int get_number(const cJSON *o, const char *key, long long *out, const char *name,
		      struct dw_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9e15 ||
	    v->valuedouble != (double)(long long)v->valuedouble)
		return dw_err_set(err, DW_EX_DATAERR, "manifest '%s': %s is missing or not a "
				  "whole number", name, key);
	*out = (long long)v->valuedouble;
	return 0;
}

static int plain_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* The fields that need more than their type: version, dates, hash, file. */
static int check_fields(struct dw_archive_manifest *m, const cJSON *o, const char *name,
			struct dw_err *err)
{
	char *from = NULL, *to = NULL, *sha = NULL, *want = NULL;
	int rc = -1;
	size_t n = 0;

	if (get_string(o, "from", &from, name, err) < 0 || get_string(o, "to", &to, name, err) < 0 ||
	    get_string(o, "sha256", &sha, name, err) < 0)
		goto out;
	m->from = date_of(from), m->to = date_of(to);
	if (m->from < 0 || m->to < 0 || m->from >= m->to) {
		dw_err_set(err, DW_EX_DATAERR, "manifest '%s': from '%s' and to '%s' are not two "
			   "dates YYYY-MM-DD, the first before the second", name, from, to);
		goto out;
	}
	n = strspn(sha, "0123456789abcdef");
	if (n != 64 || sha[n]) {
		dw_err_set(err, DW_EX_DATAERR, "manifest '%s': sha256 is not 64 hex digits", name);
		goto out;
	}
	memcpy(m->sha256, sha, 65);
	if (!plain_name(m->database) || !plain_name(m->table) || !plain_name(m->partition)) {
		dw_err_set(err, DW_EX_DATAERR, "manifest '%s': a database, table or partition name "
			   "holds a '/'", name);
		goto out;
	}
	if (!(want = dw_archive_path(NULL, m->database, m->table, m->partition, DW_ARCHIVE_DATA))) {
		oom(err);
		goto out;
	}
	if (strcmp(m->file, want)) {
		dw_err_set(err, DW_EX_DATAERR, "manifest '%s': file '%s' is not the file of %s.%s "
			   "partition %s ('%s')", name, m->file, m->database, m->table, m->partition,
			   want);
		goto out;
	}
	rc = 0;
out:
	free(from), free(to), free(sha), free(want);
	return rc;
}

int dw_archive_manifest_parse(struct dw_archive_manifest *m, const char *text, const char *name,
			      struct dw_err *err)
{
	cJSON *o = cJSON_Parse(text);
	const cJSON *f = o ? cJSON_GetObjectItemCaseSensitive(o, "format") : NULL;
	const cJSON *cols = o ? cJSON_GetObjectItemCaseSensitive(o, "columns") : NULL;
	long long version = 0;
	size_t ntypes = 0;
	int rc = -1;

	memset(m, 0, sizeof *m);
	if (!cJSON_IsObject(o) || !cJSON_IsString(f) || strcmp(f->valuestring, format_name)) {
		dw_err_set(err, DW_EX_DATAERR, "'%s' is not a manifest of dw-partition: not JSON "
			   "with format \"%s\"", name, format_name);
		goto out;
	}
	if (get_number(o, "version", &version, name, err) < 0)
		goto out;
	if (version != DW_ARCHIVE_VERSION) {
		dw_err_set(err, DW_EX_DATAERR, "manifest '%s': version %lld; this dw-partition "
			   "reads version %d", name, version, DW_ARCHIVE_VERSION);
		goto out;
	}
	m->version = (int)version;
	if (get_string(o, "database", &m->database, name, err) < 0 ||
	    get_string(o, "table", &m->table, name, err) < 0 ||
	    get_string(o, "partition", &m->partition, name, err) < 0 ||
	    get_string(o, "column", &m->column, name, err) < 0 ||
	    get_string(o, "file", &m->file, name, err) < 0 ||
	    get_string(o, "created", &m->created, name, err) < 0 ||
	    get_number(o, "rows", &m->rows, name, err) < 0 ||
	    get_strings(cJSON_GetObjectItemCaseSensitive(o, "key"), "key", NULL, &m->key, &m->nkey,
			name, err) < 0 ||
	    get_strings(cols, "columns", "name", &m->names, &m->ncols, name, err) < 0 ||
	    get_strings(cols, "columns", "type", &m->types, &ntypes, name, err) < 0 ||
	    check_fields(m, o, name, err) < 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(o);
	return rc;
}

/* The whole of a small file, NUL ended, into *text (caller frees). */
static int read_text(const char *path, const char *what, char **text, struct dw_err *err)
{
	FILE *fp = fopen(path, "r");
	size_t n = 0;
	char *buf = NULL;

	*text = NULL;
	if (!fp)
		return dw_err_set(err, DW_EX_IOERR, "cannot read %s '%s': %s", what, path,
				  strerror(errno));
	if (!(buf = malloc(MANIFEST_MAX + 1))) {
		fclose(fp);
		return oom(err);
	}
	n = fread(buf, 1, MANIFEST_MAX + 1, fp);
	if (ferror(fp) || n > MANIFEST_MAX) {
		int e = errno, failed = ferror(fp);

		fclose(fp);
		free(buf);
		return failed ? dw_err_set(err, DW_EX_IOERR, "cannot read %s '%s': %s", what, path,
					   strerror(e))
			      : dw_err_set(err, DW_EX_DATAERR, "%s '%s' is too long", what, path);
	}
	fclose(fp);
	buf[n] = '\0';
	*text = buf;
	return 0;
}

static int manifest_read(struct dw_archive_manifest *m, const char *path, struct dw_err *err)
{
	char *text;
	int rc;

	memset(m, 0, sizeof *m);
	if (read_text(path, "manifest", &text, err) < 0)
		return -1;
	rc = dw_archive_manifest_parse(m, text, path, err);
	free(text);
	return rc;
}

/* ---- reading a data file ---- */

struct reader {
	gzFile gz;
	const char *path;
	size_t col;             /* the partition column's field */
	char buf[1 << 16];
	size_t pos, len;
	int eof, checked;
	struct dw_archive_text line;
	struct sum sum;
};

static int reader_open(struct reader *r, const char *path, struct dw_err *err)
{
	int fd;

	memset(r, 0, sizeof *r);
	r->path = path;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return dw_err_set(err, DW_EX_IOERR, "cannot read archive '%s': %s", path,
				  errno == ELOOP ? "it is a symbolic link" : strerror(errno));
	if (!(r->gz = gzdopen(fd, "rb"))) {
		close(fd);
		return oom(err);
	}
	gzbuffer(r->gz, 1 << 17);
	if (sum_init(&r->sum, err) < 0) {
		gzclose(r->gz);
		r->gz = NULL;
		return -1;
	}
	return 0;
}

static void reader_close(struct reader *r)
{
	if (r->gz)
		gzclose(r->gz);
	sum_free(&r->sum);
	dw_archive_text_free(&r->line);
	r->gz = NULL;
}

static int corrupt(struct reader *r, const char *why, struct dw_err *err)
{
	dw_err_set(err, DW_EX_DATAERR, "archive '%s' is corrupt: %s", r->path, why);
	dw_err_hint(err, "its manifest no longer vouches for it: find an intact copy");
	return -1;
}

static int reader_fill(struct reader *r, struct dw_err *err)
{
	int n = gzread(r->gz, r->buf, sizeof r->buf), errnum = Z_OK;
	const char *msg = gzerror(r->gz, &errnum);

	if (n < 0 || errnum != Z_OK) {
		const char *colon = strstr(msg, ": ");   /* zlib says "<fd:3>: what" */

		if (errnum == Z_ERRNO)
			return dw_err_set(err, DW_EX_IOERR, "cannot read archive '%s': %s", r->path,
					  strerror(errno));
		return corrupt(r, errnum == Z_BUF_ERROR ? "it is cut short" : colon ? colon + 2 : msg,
			       err);
	}
	if (!r->checked && gzdirect(r->gz))
		return corrupt(r, "not a gzip file", err);
	r->checked = 1;
	sum_add(&r->sum, r->buf, (size_t)n);
	r->pos = 0, r->len = (size_t)n;
	r->eof = n == 0;
	return 0;
}

/* The next row, without its line feed, in r->line: 1, 0 at the end, -1. */
static int reader_line(struct reader *r, struct dw_err *err)
{
	r->line.len = 0;
	if (text_add(&r->line, "", 0) < 0)
		return oom(err);
	for (;;) {
		char *nl;
		size_t n;

		if (r->pos == r->len) {
			if (!r->eof && reader_fill(r, err) < 0)
				return -1;
			if (r->eof)
				return r->line.len ? corrupt(r, "the last row has no line feed", err) : 0;
			continue;
		}
		nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
		n = nl ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos;
		if (r->line.len + n > ROW_MAX)
			return corrupt(r, "a row longer than 64 MB", err);
		if (text_add(&r->line, r->buf + r->pos, n) < 0)
			return oom(err);
		r->pos += n + (nl != NULL);
		if (nl) {
			r->sum.rows++;
			return 1;
		}
	}
}

/* A partition column's value as YYYYMMDD: 20150503, or '2015-05-03'
 * with or without a time; -1 for anything else. */
static long day_of(const char *v)
{
	int y, mo, d, len = 0;
	char *end;
	long n;

	if (!v)
		return -1;
	if (sscanf(v, "%4d-%2d-%2d%n", &y, &mo, &d, &len) == 3 && len == 10)
		return y * 10000L + mo * 100L + d;
	n = strtol(v, &end, 10);
	return *end || end == v ? -1 : n;
}

/* The next row split into m->ncols fields, its partition column within
 * the manifest's range: 1, 0 at the end, -1. */
static int reader_row(struct reader *r, const struct dw_archive_manifest *m, char **fields,
		      struct dw_err *err)
{
	int rc = reader_line(r, err);
	char why[256], a[16], b[16];
	long day;

	if (rc != 1)
		return rc;
	if (dw_archive_split(r->line.s, fields, m->ncols + 1) != (int)m->ncols) {
		snprintf(why, sizeof why, "row %lld is not %zu fields with well-formed escapes",
			 r->sum.rows, m->ncols);
		return corrupt(r, why, err);
	}
	day = day_of(fields[r->col]);
	if (day < m->from || day >= m->to) {
		date_text(m->from, a);
		date_text(m->to, b);
		dw_err_set(err, DW_EX_DATAERR, "archive '%s': row %lld: %s '%s' is outside the "
			   "manifest's range, %s to %s", r->path, r->sum.rows, m->column,
			   fields[r->col] ? fields[r->col] : "NULL", a, b);
		dw_err_hint(err, "the file or its manifest was changed: find an intact copy");
		return -1;
	}
	return 1;
}

/* Opens the data file of m at path, its partition column found. */
static int reader_start(struct reader *r, const struct dw_archive_manifest *m, const char *path,
			struct dw_err *err)
{
	size_t c = 0;

	while (c < m->ncols && strcmp(m->names[c], m->column))
		c++;
	if (c == m->ncols) {
		memset(r, 0, sizeof *r);
		return dw_err_set(err, DW_EX_DATAERR, "manifest of '%s': the partition column '%s' "
				  "is not one of its columns", path, m->column);
	}
	if (reader_open(r, path, err) < 0)
		return -1;
	r->col = c;
	return 0;
}

/* After the last row: the count and hash against m's. */
static int reader_matches(struct reader *r, const struct dw_archive_manifest *m,
			  struct dw_err *err)
{
	char sha[65];

	sum_hex(&r->sum, sha);
	if (r->sum.rows != m->rows) {
		dw_err_set(err, DW_EX_DATAERR, "archive '%s' holds %lld rows, its manifest says %lld",
			   r->path, r->sum.rows, m->rows);
		dw_err_hint(err, "the file or its manifest was changed: find an intact copy");
		return -1;
	}
	if (strcmp(sha, m->sha256)) {
		dw_err_set(err, DW_EX_DATAERR, "archive '%s' does not match its manifest: SHA-256 "
			   "%s, the manifest says %s", r->path, sha, m->sha256);
		dw_err_hint(err, "the file or its manifest was changed: find an intact copy");
		return -1;
	}
	return 0;
}

int dw_archive_verify(const struct dw_archive_manifest *m, const char *path, struct dw_err *err)
{
	struct reader *r = malloc(sizeof *r);
	char **fields = calloc(m->ncols + 1, sizeof *fields);
	int rc = r && fields ? reader_start(r, m, path, err) : oom(err);

	if (rc == 0) {
		while ((rc = reader_row(r, m, fields, err)) == 1)
			;
		if (rc == 0)
			rc = reader_matches(r, m, err);
		reader_close(r);
	}
	free(r);
	free(fields);
	return rc;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

int dw_archive_open(struct dw_archive_manifest *m, const char *path, char **data,
		    struct dw_err *err)
{
	size_t n = strlen(path);
	char *man = NULL;
	const char *slash;
	int rc;

	memset(m, 0, sizeof *m);
	*data = NULL;
	if (has_suffix(path, DW_ARCHIVE_DATA))
		n -= strlen(DW_ARCHIVE_DATA);
	else if (has_suffix(path, DW_ARCHIVE_MANIFEST))
		n -= strlen(DW_ARCHIVE_MANIFEST);
	else
		return dw_err_set(err, DW_EX_USAGE, "'%s' is neither an archive (%s) nor its manifest "
				  "(%s)", path, DW_ARCHIVE_DATA, DW_ARCHIVE_MANIFEST);
	if (!(man = malloc(n + strlen(DW_ARCHIVE_MANIFEST) + 1)))
		return oom(err);
	snprintf(man, n + strlen(DW_ARCHIVE_MANIFEST) + 1, "%.*s%s", (int)n, path,
		 DW_ARCHIVE_MANIFEST);
	rc = manifest_read(m, man, err);
	slash = strrchr(man, '/');
	if (rc == 0 && !(*data = malloc((size_t)(slash ? slash - man + 1 : 0) + strlen(m->file) + 1)))
		rc = oom(err);
	if (rc == 0) {
		snprintf(*data, (size_t)(slash ? slash - man + 1 : 0) + strlen(m->file) + 1, "%.*s%s",
			 (int)(slash ? slash - man + 1 : 0), man, m->file);
		rc = dw_archive_verify(m, *data, err);
	}
	free(man);
	return rc;
}

/* ---- the table ---- */

static int text_type(const char *t)
{
	static const char *const text[] = {
		"char", "varchar", "tinytext", "text", "mediumtext", "longtext", NULL,
	};

	for (int i = 0; text[i]; i++)
		if (!strcasecmp(t, text[i]))
			return 1;
	return 0;
}

/* Types whose text does not bring the same value back. */
static int lossy_type(const char *t)
{
	static const char *const lossy[] = {
		"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit", "float",
		"double", "real", "geometry", "point", "linestring", "polygon", "multipoint",
		"multilinestring", "multipolygon", "geometrycollection", NULL,
	};

	for (int i = 0; lossy[i]; i++)
		if (!strcasecmp(t, lossy[i]))
			return 1;
	return 0;
}

static int push(char ***v, size_t *n, const char *s)
{
	char **p = realloc(*v, (*n + 1) * sizeof *p);

	if (!p)
		return -1;
	*v = p;
	if (!(p[*n] = strdup(s ? s : "")))
		return -1;
	(*n)++;
	return 0;
}

/* The table's database, columns (names, types, COL_* flags) and primary
 * key into m; archiving: refuse what an archive cannot hold. */
static int describe(struct dw_db *my, const char *table, struct dw_archive_manifest *m,
		    unsigned char **flags, int archiving, struct dw_err *err)
{
	const char *params[] = { table };
	struct dw_rows *r;
	size_t ntypes = 0;
	int rc;

	*flags = NULL;
	if (dw_db_query_value(my, "SELECT DATABASE()", 0, NULL, &m->database, err) < 0)
		return -1;
	if (!(r = dw_db_query(my, "SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, EXTRA FROM "
			      "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
			      "TABLE_NAME = ? ORDER BY ORDINAL_POSITION", 1, params, err)))
		return -1;
	while ((rc = dw_rows_next(r, err)) == 1) {
		const char *name = dw_rows_value(r, 0), *extra = dw_rows_value(r, 3);
		unsigned char *g = realloc(*flags, m->ncols + 1);

		if (g)
			*flags = g;
		if (!g || push(&m->names, &m->ncols, name) < 0 ||
		    push(&m->types, &ntypes, dw_rows_value(r, 1)) < 0) {
			rc = oom(err);
			break;
		}
		g[m->ncols - 1] = (extra && strstr(extra, "GENERATED") ? COL_GENERATED : 0) |
				  (text_type(dw_rows_value(r, 2)) ? COL_TEXT : 0);
		if (archiving && lossy_type(dw_rows_value(r, 2))) {
			dw_err_set(err, DW_EX_CONFIG, "table '%s': column '%s' is %s, whose text "
				   "would not bring the same value back", table, name,
				   dw_rows_value(r, 1));
			dw_err_hint(err, "dw-partition archives tables of numbers, dates and text");
			rc = -1;
			break;
		}
	}
	dw_rows_free(r);
	if (rc < 0)
		return -1;
	if (!m->ncols)
		return dw_err_set(err, archiving ? DW_EX_CONFIG : DW_EX_DATAERR, "table '%s' does not "
				  "exist in database '%s'", table, m->database ? m->database : "");
	if (!(r = dw_db_query(my, "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE "
			      "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = "
			      "'PRIMARY' ORDER BY SEQ_IN_INDEX", 1, params, err)))
		return -1;
	while ((rc = dw_rows_next(r, err)) == 1)
		if (push(&m->key, &m->nkey, dw_rows_value(r, 0)) < 0) {
			rc = oom(err);
			break;
		}
	dw_rows_free(r);
	if (rc < 0)
		return -1;
	if (archiving && !m->nkey)
		return dw_err_set(err, DW_EX_CONFIG, "table '%s' has no primary key to order its rows "
				  "by", table);
	return 0;
}

/* "`a`, `b`" of n names (but those whose flags have skip), appended to
 * t. */
static int add_names(struct dw_db *my, struct dw_archive_text *t, char *const *names, size_t n,
		     const unsigned char *flags, unsigned skip)
{
	int first = 1;

	for (size_t i = 0; i < n; i++) {
		char *q;
		int rc;

		if (flags && flags[i] & skip)
			continue;
		if (!(q = dw_db_quote_ident(my, names[i])))
			return -1;
		rc = text_str(t, first ? "" : ", ") < 0 || text_str(t, q) < 0 ? -1 : 0;
		free(q);
		if (rc < 0)
			return -1;
		first = 0;
	}
	return 0;
}

/* ", LENGTH(CONVERT(`c` USING utf8mb4))" for each text column: the bytes
 * the client is sent, to compare with what it reads. */
static int add_lengths(struct dw_db *my, struct dw_archive_text *t,
		       const struct dw_archive_manifest *m, const unsigned char *flags)
{
	for (size_t i = 0; flags && i < m->ncols; i++) {
		char *q;
		int rc;

		if (!(flags[i] & COL_TEXT))
			continue;
		if (!(q = dw_db_quote_ident(my, m->names[i])))
			return -1;
		rc = text_str(t, ", LENGTH(CONVERT(") < 0 || text_str(t, q) < 0 ||
		     text_str(t, " USING utf8mb4))") < 0 ? -1 : 0;
		free(q);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* "SELECT cols FROM t PARTITION (p) ORDER BY key" of m, malloc'd; with
 * flags, the lengths of the text columns after the columns. */
static char *select_sql(struct dw_db *my, const struct dw_archive_manifest *m,
			const unsigned char *flags)
{
	struct dw_archive_text t = { 0 };
	char *tq = dw_db_quote_ident(my, m->table), *pq = dw_db_quote_ident(my, m->partition);
	int ok = tq && pq && text_str(&t, "SELECT ") == 0 &&
		 add_names(my, &t, m->names, m->ncols, NULL, 0) == 0 &&
		 add_lengths(my, &t, m, flags) == 0 && text_str(&t, " FROM ") == 0 &&
		 text_str(&t, tq) == 0 && text_str(&t, " PARTITION (") == 0 &&
		 text_str(&t, pq) == 0 && text_str(&t, ") ORDER BY ") == 0 &&
		 add_names(my, &t, m->key, m->nkey, NULL, 0) == 0;

	free(tq), free(pq);
	if (!ok)
		dw_archive_text_free(&t);
	return t.s;
}

/* With flags: the text values of the row r are whole (the C client reads
 * a value up to its first NUL byte, which no archive could hold). */
static int whole(struct dw_rows *r, const struct dw_archive_manifest *m, const unsigned char *flags,
		 const char *const *v, struct dw_err *err)
{
	int k = (int)m->ncols;

	for (size_t i = 0; flags && i < m->ncols; i++) {
		const char *len;

		if (!(flags[i] & COL_TEXT))
			continue;
		len = dw_rows_value(r, k++);
		if (v[i] && len && strlen(v[i]) != (size_t)atoll(len)) {
			dw_err_set(err, DW_EX_DATAERR, "cannot archive %s partition %s: column '%s' "
				   "holds a NUL byte (in the row of %s '%s')", m->table, m->partition,
				   m->names[i], m->key[0], v[0] ? v[0] : "NULL");
			dw_err_hint(err, "an archive holds text without NUL bytes: mend the value");
			return -1;
		}
	}
	return 0;
}

/* Streams m's partition in the canonical text into s and, when gz is not
 * NULL, into gz; with flags (describe's), checks the text is whole. */
static int scan(struct dw_db *my, const struct dw_archive_manifest *m, const unsigned char *flags,
		gzFile gz, struct sum *s, struct dw_err *err)
{
	char *sql = select_sql(my, m, flags);
	const char **v = calloc(m->ncols, sizeof *v);
	struct dw_archive_text t = { 0 };
	struct dw_log_progress progress;
	struct dw_rows *r = NULL;
	int rc = -1, want = (int)m->ncols;

	for (size_t i = 0; flags && i < m->ncols; i++)
		want += (flags[i] & COL_TEXT) != 0;
	if (!sql || !v) {
		free(sql), free(v);
		return oom(err);
	}
	if (!(r = dw_db_query(my, sql, 0, NULL, err)))
		goto out;
	if (dw_rows_ncols(r) != want) {
		dw_err_set(err, DW_EX_SOFTWARE, "%s: %d columns read, %d expected", m->table,
			   dw_rows_ncols(r), want);
		goto out;
	}
	dw_log_progress_start(&progress, m->partition, 0);
	progress.enabled = progress.enabled && gz;   /* the export's, not the checks' */
	while ((rc = dw_rows_next(r, err)) == 1) {
		for (size_t i = 0; i < m->ncols; i++)
			v[i] = dw_rows_value(r, (int)i);
		if ((rc = whole(r, m, flags, v, err)) < 0)
			break;
		t.len = 0;
		if (dw_archive_row(&t, v, m->ncols) < 0) {
			rc = oom(err);
			break;
		}
		sum_add(s, t.s, t.len);
		s->rows++;
		if (gz && gzwrite(gz, t.s, (unsigned)t.len) != (int)t.len) {
			int errnum;
			const char *msg = gzerror(gz, &errnum);

			rc = dw_err_set(err, DW_EX_IOERR, "cannot write the archive of %s: %s",
					m->partition, errnum == Z_ERRNO ? strerror(errno) : msg);
			break;
		}
		if (s->rows % 4096 == 0)
			dw_log_progress_update(&progress, s->rows);
	}
	progress.done = s->rows;
	dw_log_progress_done(&progress);
out:
	dw_rows_free(r);
	dw_archive_text_free(&t);
	free(sql);
	free(v);
	return rc < 0 ? -1 : 0;
}

/* An archive already at the manifest's path must hold the rows of m. */
static int replaceable(const char *path, const struct dw_archive_manifest *m, struct dw_err *err)
{
	struct dw_archive_manifest old;
	struct stat st;
	int rc;

	if (lstat(path, &st) < 0 && errno == ENOENT)
		return 0;
	rc = manifest_read(&old, path, err);
	if (rc < 0) {
		dw_err_prefix(err, "refusing to replace the archive of %s", m->partition);
		dw_err_hint(err, "move '%s' and its data file away", path);
	} else if (old.rows != m->rows || strcmp(old.sha256, m->sha256)) {
		dw_err_set(err, DW_EX_DATAERR, "refusing to replace archive '%s': it holds other rows "
			   "(%lld) than partition %s has now (%lld)", path, old.rows, m->partition,
			   m->rows);
		dw_err_hint(err, "restore it first (dw-partition restore), or move it and its data "
			    "file away");
		rc = -1;
	}
	dw_archive_manifest_release(&old);
	return rc;
}

static int write_manifest(const char *path, const struct dw_archive_manifest *m,
			  struct dw_err *err)
{
	struct dw_outfile f;
	char *text = dw_archive_manifest_json(m);

	if (!text)
		return oom(err);
	if (dw_outfile_open(&f, path, 0600, err) < 0) {
		free(text);
		return -1;
	}
	fprintf(f.fp, "%s\n", text);
	free(text);
	return dw_outfile_commit(&f, err);
}

/* The rows of m's partition into a new data file at path (not yet in
 * place: *f is committed by the caller), m's count and hash filled. */
static int write_data(struct dw_db *my, const char *path, struct dw_archive_manifest *m,
		      const unsigned char *flags, struct dw_outfile *f, struct dw_err *err)
{
	struct sum s;
	gzFile gz;
	int fd, rc, zrc;

	if (dw_outfile_open(f, path, 0600, err) < 0)
		return -1;
	if ((fd = dup(fileno(f->fp))) < 0 || !(gz = gzdopen(fd, "wb"))) {
		if (fd >= 0)
			close(fd);
		dw_outfile_abort(f);
		return oom(err);
	}
	rc = sum_init(&s, err);
	if (rc == 0)
		rc = scan(my, m, flags, gz, &s, err);
	if ((zrc = gzclose(gz)) != Z_OK && rc == 0)
		rc = dw_err_set(err, DW_EX_IOERR, "cannot write '%s': %s", path,
				zrc == Z_ERRNO ? strerror(errno) : "gzip failed");
	if (rc == 0) {
		m->rows = s.rows;
		sum_hex(&s, m->sha256);
	}
	sum_free(&s);
	if (rc < 0)
		dw_outfile_abort(f);
	return rc;
}

/* Fills m with what export knows before reading a row, and *flags
 * (describe's; the caller frees them). */
static int manifest_start(struct dw_db *my, const struct dw_archive_part *p,
			  struct dw_archive_manifest *m, unsigned char **flags, struct dw_err *err)
{
	char created[32];
	time_t now = time(NULL);
	struct tm tm;

	memset(m, 0, sizeof *m);
	m->version = DW_ARCHIVE_VERSION;
	m->from = p->from, m->to = p->to;
	gmtime_r(&now, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (describe(my, p->table, m, flags, 1, err) < 0)
		return -1;
	if (!(m->table = strdup(p->table)) || !(m->partition = strdup(p->partition)) ||
	    !(m->column = strdup(p->column)) || !(m->created = strdup(created)) ||
	    !(m->file = dw_archive_path(NULL, m->database, m->table, m->partition,
					DW_ARCHIVE_DATA)))
		return oom(err);
	return 0;
}

/* An empty partition whose archive is there already: the archive holds
 * its rows (a restore that failed, a retire cut short) and stays. */
static int keep_old(const char *man, const char *data, const struct dw_archive_manifest *m,
		    int *kept, struct dw_err *err)
{
	struct dw_archive_manifest old;
	struct stat st;
	int rc;

	*kept = 0;
	if (m->rows || (lstat(man, &st) < 0 && errno == ENOENT))
		return 0;
	if ((rc = manifest_read(&old, man, err)) == 0 && old.rows &&
	    (rc = dw_archive_verify(&old, data, err)) == 0)
		*kept = 1;
	dw_archive_manifest_release(&old);
	if (rc < 0)
		dw_err_prefix(err, "refusing to replace the archive of %s", m->partition);
	return rc;
}

int dw_archive_export(struct dw_db *my, const char *dir, const struct dw_archive_part *p,
		      struct dw_archive_manifest *m, int *kept, struct dw_err *err)
{
	struct dw_outfile f;
	unsigned char *flags = NULL;
	char *data = NULL, *man = NULL;
	int rc = manifest_start(my, p, m, &flags, err);

	*kept = 0;
	if (rc == 0 && (!(data = dw_archive_path(dir, m->database, m->table, m->partition,
						 DW_ARCHIVE_DATA)) ||
			!(man = dw_archive_path(dir, m->database, m->table, m->partition,
						DW_ARCHIVE_MANIFEST))))
		rc = oom(err);
	if (rc == 0)
		rc = write_data(my, data, m, flags, &f, err);
	if (rc == 0 && ((rc = keep_old(man, data, m, kept, err)) < 0 || *kept ||
			(rc = replaceable(man, m, err)) < 0))
		dw_outfile_abort(&f);
	if (rc == 0 && !*kept)
		rc = dw_outfile_commit(&f, err);
	if (rc == 0 && !*kept)
		rc = write_manifest(man, m, err);
	if (rc == 0 && !*kept)
		rc = dw_archive_verify(m, data, err);
	free(data), free(man), free(flags);
	return rc;
}

int dw_archive_checksum(struct dw_db *my, const struct dw_archive_manifest *m, long long *rows,
			char sha256[65], struct dw_err *err)
{
	struct sum s;
	int rc = sum_init(&s, err);

	if (rc == 0)
		rc = scan(my, m, NULL, NULL, &s, err);
	if (rc == 0) {
		*rows = s.rows;
		sum_hex(&s, sha256);
	}
	sum_free(&s);
	return rc;
}

/* Types compared without case and spaces. */
static int same_type(const char *a, const char *b)
{
	for (;; a++, b++) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		if (!*a)
			return 1;
	}
}

static int compare_table(const struct dw_archive_manifest *m, const struct dw_archive_manifest *t,
			 struct dw_err *err)
{
	if (strcmp(m->database, t->database)) {
		dw_err_set(err, DW_EX_DATAERR, "the archive of %s.%s is for database '%s', the "
			   "warehouse is '%s'", m->table, m->partition, m->database, t->database);
		dw_err_hint(err, "restore it into the database it came from");
		return -1;
	}
	for (size_t i = 0; i < m->ncols || i < t->ncols; i++) {
		if (i < m->ncols && i < t->ncols && !strcasecmp(m->names[i], t->names[i]) &&
		    same_type(m->types[i], t->types[i]))
			continue;
		dw_err_set(err, DW_EX_DATAERR, "the archive of %s.%s does not fit the table: column "
			   "%zu is %s %s in the archive, %s %s in the table", m->table,
			   m->partition, i + 1, i < m->ncols ? m->names[i] : "(none)",
			   i < m->ncols ? m->types[i] : "", i < t->ncols ? t->names[i] : "(none)",
			   i < t->ncols ? t->types[i] : "");
		return -1;
	}
	return 0;
}

int dw_archive_match(struct dw_db *my, const struct dw_archive_manifest *m, struct dw_err *err)
{
	struct dw_archive_manifest t = { 0 };
	unsigned char *flags = NULL;
	int rc = describe(my, m->table, &t, &flags, 0, err);

	if (rc == 0)
		rc = compare_table(m, &t, err);
	free(flags);
	dw_archive_manifest_release(&t);
	return rc;
}

/* ---- loading ---- */

struct batch {
	struct dw_db *my;
	const struct dw_archive_manifest *m;
	const unsigned char *flags;        /* describe's */
	struct dw_archive_text prefix;     /* INSERT INTO t (cols) VALUES */
	size_t ncols;                      /* columns inserted */
	char **lines;                      /* the rows held, split */
	const char **params;
	size_t n, max, bytes;
	long long done;
};

/* Inserts the rows held and checks the server took each whole. */
static int flush(struct batch *b, struct dw_err *err)
{
	struct dw_archive_text sql = { 0 };
	char msg[256];
	long long n;
	int rc = text_add(&sql, b->prefix.s, b->prefix.len);

	for (size_t i = 0; rc == 0 && i < b->n; i++) {
		rc = text_str(&sql, i ? ", (" : "(");
		for (size_t c = 0; rc == 0 && c < b->ncols; c++)
			rc = text_str(&sql, c ? ", ?" : "?");
		if (rc == 0)
			rc = text_str(&sql, ")");
	}
	if (rc < 0) {
		dw_archive_text_free(&sql);
		return oom(err);
	}
	n = dw_db_exec(b->my, sql.s, (int)(b->n * b->ncols), b->params, err);
	dw_archive_text_free(&sql);
	if (n >= 0 && n != (long long)b->n)
		rc = dw_err_set(err, DW_EX_DATAERR, "loading rows %lld to %lld: the server took %lld "
				"of %zu", b->done + 1, b->done + (long long)b->n, n, b->n);
	else if (n >= 0 && (n = dw_db_my_warnings(b->my, msg, sizeof msg, err)) > 0)
		rc = dw_err_set(err, DW_EX_DATAERR, "loading rows %lld to %lld: the server changed "
				"a value: %s", b->done + 1, b->done + (long long)b->n, msg);
	else if (n < 0)
		rc = -1;
	if (rc < 0)
		dw_err_prefix(err, "restoring %s.%s", b->m->table, b->m->partition);
	for (size_t i = 0; i < b->n; i++)
		free(b->lines[i]);
	b->done += (long long)b->n;
	b->n = 0, b->bytes = 0;
	return rc;
}

/* Holds the row in r->line, split into fields, for the next INSERT: the
 * line's buffer moves to the batch. */
static int hold(struct batch *b, struct reader *r, char **fields, struct dw_err *err)
{
	size_t k = 0;

	b->lines[b->n] = r->line.s;
	b->bytes += r->line.len;
	memset(&r->line, 0, sizeof r->line);
	for (size_t c = 0; c < b->m->ncols; c++)
		if (!(b->flags[c] & COL_GENERATED))
			b->params[b->n * b->ncols + k++] = fields[c];
	b->n++;
	return b->n == b->max || b->bytes > BATCH_BYTES ? flush(b, err) : 0;
}

static int batch_start(struct batch *b, struct dw_db *my, const struct dw_archive_manifest *m,
		       const unsigned char *flags, struct dw_err *err)
{
	char *tq = dw_db_quote_ident(my, m->table);

	*b = (struct batch){ .my = my, .m = m, .flags = flags };
	for (size_t c = 0; c < m->ncols; c++)
		b->ncols += !(flags[c] & COL_GENERATED);
	b->max = b->ncols ? BATCH_PARAMS / b->ncols : 1;
	b->max = b->max > BATCH_ROWS ? BATCH_ROWS : b->max ? b->max : 1;
	if (!tq || text_str(&b->prefix, "INSERT INTO ") < 0 || text_str(&b->prefix, tq) < 0 ||
	    text_str(&b->prefix, " (") < 0 ||
	    add_names(my, &b->prefix, m->names, m->ncols, flags, COL_GENERATED) < 0 ||
	    text_str(&b->prefix, ") VALUES ") < 0 ||
	    !(b->lines = calloc(b->max, sizeof *b->lines)) ||
	    !(b->params = calloc(b->max * (b->ncols ? b->ncols : 1), sizeof *b->params))) {
		free(tq);
		return oom(err);
	}
	free(tq);
	return 0;
}

static void batch_end(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->lines[i]);
	free(b->lines);
	free(b->params);
	dw_archive_text_free(&b->prefix);
}

long long dw_archive_load(struct dw_db *my, const struct dw_archive_manifest *m, const char *path,
			  struct dw_err *err)
{
	struct dw_archive_manifest t = { 0 };
	unsigned char *flags = NULL;
	struct reader *r = malloc(sizeof *r);
	char **fields = calloc(m->ncols + 1, sizeof *fields);
	struct dw_log_progress progress;
	struct batch b = { 0 };
	int rc = r && fields ? 0 : oom(err), opened = 0;

	if (rc == 0 && (rc = describe(my, m->table, &t, &flags, 0, err)) == 0)
		rc = compare_table(m, &t, err);
	if (rc == 0)
		rc = batch_start(&b, my, m, flags, err);
	if (rc == 0 && (rc = reader_start(r, m, path, err)) == 0)
		opened = 1;
	dw_log_progress_start(&progress, m->partition, m->rows);
	while (rc == 0 && (rc = reader_row(r, m, fields, err)) == 1) {
		rc = hold(&b, r, fields, err);
		if (r->sum.rows % 4096 == 0)
			dw_log_progress_update(&progress, r->sum.rows);
	}
	progress.done = r->sum.rows;
	dw_log_progress_done(&progress);
	if (rc == 0 && b.n)
		rc = flush(&b, err);
	if (rc == 0)
		rc = reader_matches(r, m, err);
	if (opened)
		reader_close(r);
	batch_end(&b);
	free(r), free(fields), free(flags);
	dw_archive_manifest_release(&t);
	return rc < 0 ? -1 : b.done;
}

/* ---- the statements ---- */

int dw_archive_retire_sql(struct dw_db *my, const struct dw_partplan_layout *l, size_t i,
			  char **truncate, char **reorganize)
{
	char *t = dw_db_quote_ident(my, l->table), *c = dw_db_quote_ident(my, l->p[0].name);
	char *p = dw_db_quote_ident(my, l->p[i].name), b[32];
	size_t n = 3 * 200;

	*truncate = *reorganize = NULL;
	dw_partplan_bound_sql(l, l->p[i].bound, b, sizeof b);
	if (t && c && p && (*truncate = malloc(n)) && (*reorganize = malloc(n + 200))) {
		snprintf(*truncate, n, "ALTER TABLE %s TRUNCATE PARTITION %s", t, p);
		snprintf(*reorganize, n + 200, "ALTER TABLE %s REORGANIZE PARTITION %s, %s INTO "
			 "(PARTITION %s VALUES LESS THAN (%s))", t, c, p, c, b);
	} else {
		free(*truncate);
		*truncate = NULL;
	}
	free(t), free(c), free(p);
	return *reorganize ? 0 : -1;
}

char *dw_archive_split_sql(struct dw_db *my, const struct dw_partplan_layout *l,
			   const struct dw_archive_manifest *m)
{
	char *t = dw_db_quote_ident(my, l->table), *c = dw_db_quote_ident(my, l->p[0].name);
	char *p = dw_db_quote_ident(my, m->partition), from[32], to[32], *sql = NULL;
	size_t n = 4 * 200;

	dw_partplan_bound_sql(l, m->from, from, sizeof from);
	dw_partplan_bound_sql(l, m->to, to, sizeof to);
	if (t && c && p && (sql = malloc(n)))
		snprintf(sql, n, "ALTER TABLE %s REORGANIZE PARTITION %s INTO (PARTITION %s VALUES "
			 "LESS THAN (%s), PARTITION %s VALUES LESS THAN (%s))", t, c, c, from, p, to);
	free(t), free(c), free(p);
	return sql;
}
