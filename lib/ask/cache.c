#include "ask/cache.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ask/schema.h"
#include "log.h"
#include "strmap.h"

#define MAGIC "dw-ask values 1"

/* Every ETL write moves updated_at (a sync with changes, a full sync), so
 * this changes whenever the warehouse's data may have. NULL when empty. */
#define WATERMARK_SQL \
	"SELECT CONCAT(COUNT(*), ' ', MIN(watermark), ' ', MAX(updated_at)) " \
	"FROM dw_etl_watermark"

/* ---- stamps ------------------------------------------------------------- */

int dw_cache_stamps(struct dw_db *db, struct dw_cache_stamps *st, struct dw_err *err)
{
	struct dw_err ignored = { 0 };
	struct dw_rows *rows;
	int rc;

	st->schema = st->watermark = NULL;
	rows = dw_db_query(db, "SELECT (" DW_SCHEMA_STAMP_SQL "), (" WATERMARK_SQL ")", 0, NULL,
			   &ignored);
	if (!rows)   /* no grant on dw_etl_watermark, or no such table */
		return dw_db_query_value(db, DW_SCHEMA_STAMP_SQL, 0, NULL, &st->schema, err);
	if ((rc = dw_rows_next(rows, err)) > 0) {
		const char *s = dw_rows_value(rows, 0), *w = dw_rows_value(rows, 1);

		st->schema = s ? strdup(s) : NULL;
		st->watermark = w ? strdup(w) : NULL;
		if ((s && !st->schema) || (w && !st->watermark))
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	dw_rows_free(rows);
	if (rc < 0)
		dw_cache_stamps_release(st);
	return rc < 0 ? -1 : 0;
}

void dw_cache_stamps_release(struct dw_cache_stamps *st)
{
	free(st->schema);
	free(st->watermark);
	st->schema = st->watermark = NULL;
}

/* ---- the file's text ---------------------------------------------------- */

/* Fields are tab-separated; a tab, newline or backslash in a value is
 * written \t, \n, \\. */
static void put_field(FILE *fp, const char *s)
{
	fputc('\t', fp);
	for (; *s; s++) {
		if (*s == '\t')
			fputs("\\t", fp);
		else if (*s == '\n')
			fputs("\\n", fp);
		else if (*s == '\\')
			fputs("\\\\", fp);
		else
			fputc(*s, fp);
	}
}

/* The next field of *p in place (unescaped), or NULL at the line's end. */
static char *next_field(char **p)
{
	char *start = *p, *out = *p, *in = *p;

	if (!start)
		return NULL;
	for (;;) {
		size_t run = strcspn(in, "\t\\");   /* plain text runs fast */

		memmove(out, in, run);
		out += run;
		in += run;
		if (*in != '\\')
			break;
		if (in[1] == 't')
			*out++ = '\t';
		else if (in[1] == 'n')
			*out++ = '\n';
		else if (in[1] == '\\')
			*out++ = '\\';
		else
			return NULL;
		in += 2;
	}
	*p = *in ? in + 1 : NULL;
	*out = '\0';
	return start;
}

static int known_dimension(const struct dw_kb *kb, const char *name)
{
	for (size_t d = 0; d < kb->ndimensions; d++)
		if (!strcmp(kb->dimensions[d].name, name))
			return 1;
	return 0;
}

/* A line of the cache, its fields unescaped in place. */
struct cache_line {
	char *kind, *a, *b, *c;
};

/* One line: "latest N", "v DIM LABEL" or "m DIM LABEL REST", checked. */
static int parse_line(const struct dw_kb *kb, char *line, struct cache_line *l)
{
	char *end;

	l->kind = next_field(&line), l->a = next_field(&line), l->b = next_field(&line);
	l->c = next_field(&line);
	if (!l->kind || next_field(&line))
		return -1;
	if (!strcmp(l->kind, "latest") && l->a && !l->b) {
		strtol(l->a, &end, 10);
		return *end || end == l->a ? -1 : 0;
	}
	if (!l->b || !known_dimension(kb, l->a))
		return -1;
	return (!strcmp(l->kind, "v") && !l->c) || (!strcmp(l->kind, "m") && l->c) ? 0 : -1;
}

static int apply_line(struct dw_sem *sem, const struct cache_line *l)
{
	if (!strcmp(l->kind, "latest"))
		return dw_sem_set_latest(sem, strtol(l->a, NULL, 10)), 0;
	return l->c ? dw_sem_add_member(sem, l->a, l->b, l->c) : dw_sem_add_value(sem, l->a, l->b);
}

/* Every line between the key line and "end", in order, into *out (text is
 * cut in place); -1 when any is damaged. */
static int parse_text(const struct dw_kb *kb, char *text, const char *key,
		      struct cache_line **out, size_t *n)
{
	char *line, *nl;
	size_t klen = strlen(MAGIC) + 1 + strlen(key), cap = 0;

	*out = NULL, *n = 0;
	if (strncmp(text, MAGIC "\t", strlen(MAGIC) + 1) ||
	    strncmp(text + strlen(MAGIC) + 1, key, strlen(key)) || text[klen] != '\n')
		return -1;
	for (line = text + klen + 1; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (!strcmp(line, "end"))
			return nl[1] ? -1 : 0;
		if (*n == cap) {
			struct cache_line *more = realloc(*out, (cap = cap ? 2 * cap : 256) * sizeof **out);

			if (!more)
				return -1;
			*out = more;
		}
		if (parse_line(kb, line, &(*out)[(*n)++]) < 0)
			return -1;
	}
	return -1;   /* cut short */
}

/* The whole file is checked before any of it goes into sem, so a damaged
 * file adds nothing. */
int dw_cache_apply(struct dw_sem *sem, const struct dw_kb *kb, const char *text,
		   const char *key)
{
	char *copy = strdup(text);
	struct cache_line *ls = NULL;
	size_t n = 0;
	int rc = copy ? parse_text(kb, copy, key, &ls, &n) : -1;

	for (size_t i = 0; rc == 0 && sem && i < n; i++)
		rc = apply_line(sem, &ls[i]);
	free(ls);
	free(copy);
	return rc;
}

/* ---- reading the warehouse ---------------------------------------------- */

struct load {
	const struct dw_kb *kb;
	struct dw_db *db;
	char **sql;                   /* per dimension: NULL when not loaded */
	char latest_sql[512];         /* "" when there is no time key */
	char key[1024];
};

/* Every statement and the key: stamps, then a hash of the statements and
 * the dimensions they fill. */
static int plan(struct load *l, const struct dw_cache_stamps *st)
{
	uint64_t h = DW_HASH_INIT;

	if (!(l->sql = calloc(l->kb->ndimensions + 1, sizeof *l->sql)))
		return -1;
	for (size_t d = 0; d < l->kb->ndimensions; d++) {
		const struct dw_kb_dimension *dim = &l->kb->dimensions[d];

		if (!dim->values)
			continue;
		if (!(l->sql[d] = dw_sem_load_sql(l->db, dim)))
			return -1;
		h = dw_strmap_hash_str(dw_strmap_hash_str(h, dim->name), l->sql[d]);
	}
	dw_sem_load_latest_sql(l->kb, l->latest_sql, sizeof l->latest_sql);
	h = dw_strmap_hash_str(h, l->latest_sql);
	snprintf(l->key, sizeof l->key, "%.200s\t%.200s\t%016" PRIx64,
		 st->schema ? st->schema : "", st->watermark ? st->watermark : "", h);
	return 0;
}

static int read_dimension(struct load *l, size_t d, FILE *fp, struct dw_err *err)
{
	const struct dw_kb_dimension *dim = &l->kb->dimensions[d];
	int shared = dw_sem_load_members(dim), rc;
	struct dw_rows *rows = dw_db_query(l->db, l->sql[d], 0, NULL, err);

	if (!rows)
		return -1;
	while ((rc = dw_rows_next(rows, err)) > 0) {
		const char *label = dw_rows_value(rows, 0), *rest = dw_rows_value(rows, 1);

		fputs(shared ? "m" : "v", fp);
		put_field(fp, dim->name);
		put_field(fp, label ? label : "");
		if (shared)
			put_field(fp, rest ? rest : "");
		fputc('\n', fp);
	}
	dw_rows_free(rows);
	return rc < 0 ? -1 : 0;
}

/* The values file's text, read from the warehouse in one snapshot so the
 * watermark read in it (the key) matches the values. Malloc'd or NULL. */
static char *read_warehouse(struct load *l, const struct dw_cache_stamps *st,
			    struct dw_err *err)
{
	struct dw_cache_stamps now = { .schema = st->schema };
	char *text = NULL, *v = NULL;
	size_t len;
	FILE *fp;
	int rc = dw_db_begin_read_only(l->db, err);

	if (rc == 0 && st->watermark) {
		struct dw_err ignored = { 0 };

		if (dw_db_query_value(l->db, WATERMARK_SQL, 0, NULL, &now.watermark, &ignored) < 0)
			now.watermark = NULL;
		if (plan(l, &now) < 0)
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		free(now.watermark);
	} else if (rc == 0 && plan(l, st) < 0) {
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	if (rc < 0 || !(fp = open_memstream(&text, &len))) {
		if (rc == 0)
			dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		dw_db_rollback(l->db, &(struct dw_err){ 0 });
		return NULL;
	}
	fprintf(fp, MAGIC "\t%s\n", l->key);
	for (size_t d = 0; rc == 0 && d < l->kb->ndimensions; d++)
		if (l->sql[d])
			rc = read_dimension(l, d, fp, err);
	if (rc == 0 && *l->latest_sql &&
	    (rc = dw_db_query_value(l->db, l->latest_sql, 0, NULL, &v, err)) == 0)
		fprintf(fp, "latest\t%ld\n", v ? atol(v) : 0L);
	free(v);
	fputs("end\n", fp);
	if (fclose(fp) != 0 && rc == 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	if (dw_db_rollback(l->db, rc < 0 ? &(struct dw_err){ 0 } : err) < 0)
		rc = -1;
	if (rc < 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* ---- the file ----------------------------------------------------------- */

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, cap = 0, n;

	if (!fp)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			char *p = realloc(text, cap = (len + 4096 + 1) * 2);

			if (!p) {
				free(text);
				fclose(fp);
				return NULL;
			}
			text = p;
		}
		n = fread(text + len, 1, cap - len - 1, fp);
		len += n;
	} while (n > 0);
	text[len] = '\0';
	if (ferror(fp) || strlen(text) != len) {
		free(text);
		text = NULL;
	}
	fclose(fp);
	return text;
}

/* Atomically, through a temporary file only the user may read. */
static void write_file(const char *path, const char *text)
{
	char tmp[4200], dir[4096];
	size_t len = strlen(text);
	int fd;

	snprintf(dir, sizeof dir, "%s", path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	mkdir(dir, 0700);   /* one level; the parent is $HOME/.cache or set */
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	remove(tmp);   /* left by a crash: O_EXCL then makes a new one, 0600 */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		dw_log_verbose(2, "values not cached: cannot write %s", tmp);
		return;
	}
	if (write(fd, text, len) != (ssize_t)len || close(fd) != 0 || rename(tmp, path) != 0) {
		dw_log_verbose(2, "values not cached: cannot write %s", path);
		remove(tmp);
	}
}

int dw_cache_sem_load(struct dw_sem *sem, const struct dw_kb *kb, struct dw_db *db,
		      const char *cache_dir, const char *database,
		      const struct dw_cache_stamps *st, struct dw_err *err)
{
	struct load l = { .kb = kb, .db = db };
	char path[4096], name[512], *text = NULL;
	int rc = -1;

	snprintf(name, sizeof name, "values-%s.tsv", database);
	dw_schema_cache_path(cache_dir, name, path, sizeof path);
	if (st->watermark && st->schema) {
		if (plan(&l, st) < 0)
			goto oom;
		if ((text = read_file(path)) && dw_cache_apply(sem, kb, text, l.key) == 0) {
			dw_log_verbose(2, "values from the cache %s", path);
			rc = 0;
			goto done;
		}
		free(text);
		for (size_t d = 0; d < kb->ndimensions; d++)
			free(l.sql[d]);
		free(l.sql);
		l.sql = NULL;
	}
	if (!(text = read_warehouse(&l, st, err)))
		goto done;
	if (dw_cache_apply(sem, kb, text, l.key) < 0)
		goto oom;
	/* Without a watermark nothing tells a later read the data changed. */
	if (st->watermark && st->schema)
		write_file(path, text);
	rc = 0;
	goto done;
oom:
	dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
done:
	for (size_t d = 0; l.sql && d < kb->ndimensions; d++)
		free(l.sql[d]);
	free(l.sql);
	free(text);
	return rc;
}
