/* The reconciliation of dw-validate diff. Per table, each side runs its
 * section of sql/{oltp,dw}/diff.sql wrapped in one aggregate: per range
 * (the part column, and the last two characters of the key) the row
 * count and the sum of the first 60 bits of each row's MD5 over the canonical
 * text (the key and every column joined by U+001F). Only the ranges whose
 * figures differ are read back row by row (key, hash, columns) and
 * compared by key; when nothing differs, no row leaves either server. */
#include "check/diff.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sqlfile.h"

#define BATCH 200           /* ranges read back per statement */

/* A result kept in memory: rows sorted by key. */
struct row {
	char *key;
	char **v;
};

struct rowset {
	struct row *rows;
	size_t n, cap;
	int ncols;
	char **names;
};

struct tally {
	long long queries, bytes;
};

struct side {
	struct dw_db *db;
	struct dw_sql_section *sec;
	int nsec;
	struct tally n;
};

struct table {
	const char *name, *tombstone;
	const char *q[2];           /* the section's query: oltp, warehouse */
	char **cols;                /* the compared columns (after part and k) */
	int ncols;
	struct dw_diff_table *seen; /* its figures in the dw_diff */
};

/* ---- rowsets ---- */

static void rowset_free(struct rowset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->rows[i].key);
		for (int c = 0; c < s->ncols; c++)
			free(s->rows[i].v[c]);
		free(s->rows[i].v);
	}
	for (int c = 0; s->names && c < s->ncols; c++)
		free(s->names[c]);
	free(s->names);
	free(s->rows);
	memset(s, 0, sizeof *s);
}

static char *dup_or_null(const char *v)
{
	return v ? strdup(v) : NULL;
}

/* The key of a row: its first nkey values joined by U+001F (a range's
 * part never holds one). */
static char *row_key(struct dw_rows *rows, int nkey)
{
	size_t n = 1;
	char *k;

	for (int c = 0; c < nkey; c++)
		n += strlen(dw_rows_value(rows, c) ? dw_rows_value(rows, c) : "") + 1;
	if (!(k = calloc(1, n)))
		return NULL;
	for (int c = 0; c < nkey; c++) {
		const char *v = dw_rows_value(rows, c);

		strcat(strcat(k, c ? "\x1f" : ""), v ? v : "");
	}
	return k;
}

static int rowset_add(struct rowset *s, struct dw_rows *rows, int nkey, struct tally *d)
{
	struct row *r;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct row *nr = realloc(s->rows, cap * sizeof *nr);

		if (!nr)
			return -1;
		s->rows = nr, s->cap = cap;
	}
	r = &s->rows[s->n];
	if (!(r->key = row_key(rows, nkey)) || !(r->v = calloc((size_t)s->ncols + 1, sizeof *r->v))) {
		free(r->key);
		return -1;
	}
	s->n++;
	for (int c = 0; c < s->ncols; c++) {
		const char *v = dw_rows_value(rows, c + nkey);

		d->bytes += v ? (long long)strlen(v) : 0;
		if (v && !(r->v[c] = strdup(v)))
			return -1;
	}
	d->bytes += (long long)strlen(r->key);
	return 0;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->key, ((const struct row *)b)->key);
}

/* Runs sql on db and keeps every row: the first nkey columns joined as its
 * key, the others as its values. Appends to s (names set on the first). */
static int fetch(struct dw_db *db, const char *sql, int np, const char *const *p, int nkey,
		 struct rowset *s, struct tally *d, struct dw_err *err)
{
	struct dw_rows *rows = dw_db_query(db, sql, np, p, err);
	int rc;

	d->queries++;
	if (!rows)
		return -1;
	if (!s->names) {
		s->ncols = dw_rows_ncols(rows) - nkey;
		if (!(s->names = calloc((size_t)s->ncols + 1, sizeof *s->names))) {
			dw_rows_free(rows);
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		}
		for (int c = 0; c < s->ncols; c++)
			s->names[c] = dup_or_null(dw_rows_name(rows, c + nkey));
	}
	while ((rc = dw_rows_next(rows, err)) == 1)
		if (rowset_add(s, rows, nkey, d) < 0) {
			rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
			break;
		}
	dw_rows_free(rows);
	if (rc == 0 && s->n)
		qsort(s->rows, s->n, sizeof *s->rows, by_key);
	return rc;
}

/* ---- SQL of each side ---- */

static int is_pg(struct dw_db *db)
{
	return dw_db_kind(db) == DW_DB_PG;
}

/* ", x.c1, x.c2 ..." for the compared columns, quoted for db. */
static int col_list(struct dw_db *db, const struct table *t, const char *prefix, char *buf,
		    size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int c = 0; c < t->ncols && len < n; c++) {
		char *q = dw_db_quote_ident(db, t->cols[c]);

		if (!q)
			return -1;
		len += (size_t)snprintf(buf + len, n - len, ", %s%s", prefix, q);
		free(q);
	}
	return len < n ? 0 : -1;
}

/* The section's rows with their range (dw_b: the key's last two
 * characters, binary on MariaDB, whose PAD SPACE collations would group
 * "5" with "5 ") and the MD5 of their canonical text (dw_h): the key and
 * the columns joined by U+001F. Any function of the key would do for the
 * range: one that differs between the sides only costs rows read back. */
static char *hashed(struct dw_db *db, const struct table *t, struct dw_err *err)
{
	char cols[4096], *sql = NULL;
	const char *q = t->q[!is_pg(db)];
	size_t n = strlen(q) + sizeof cols + 160;

	if (col_list(db, t, "x.", cols, sizeof cols) == 0 && (sql = malloc(n)))
		snprintf(sql, n, is_pg(db)
			 ? "SELECT x.*, right(k, 2) AS dw_b, "
			   "md5(concat_ws(chr(31), k%s)) AS dw_h FROM (\n%s\n) x"
			 : "SELECT x.*, CAST(RIGHT(k, 2) AS BINARY) AS dw_b, "
			   "MD5(CONCAT_WS(CHAR(31 USING utf8mb4), k%s)) AS dw_h FROM (\n%s\n) x",
			 cols, q);
	else
		dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return sql;
}

/* sql with "%s" replaced by the hashed rows; run, kept in s. */
static int fetch_hashed(struct dw_db *db, const struct table *t, const char *fmt,
			int np, const char *const *p, int nkey, struct rowset *s,
			struct tally *d, struct dw_err *err)
{
	char *inner = hashed(db, t, err), *sql;
	size_t n;
	int rc;

	if (!inner)
		return -1;
	n = strlen(inner) + strlen(fmt);
	if (!(sql = malloc(n))) {
		free(inner);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	snprintf(sql, n, fmt, inner);
	rc = fetch(db, sql, np, p, nkey, s, d, err);
	free(sql);
	free(inner);
	return rc;
}

/* Per range: rows, and the sum of the first 60 bits of their hashes (one
 * slice: MariaDB merges the derived table and would compute the MD5 again
 * for a second one). OFFSET 0 keeps PostgreSQL from sorting whole rows to
 * group them: it hashes first, then groups the three short columns. */
static int ranges(struct side *sd, const struct table *t, char **r, size_t nr, struct rowset *s,
		  struct dw_err *err)
{
	struct dw_db *db = sd->db;

	static const char pg[] = "SELECT part, dw_b, count(*), "
		"sum(('x' || substr(dw_h, 1, 15))::bit(60)::bigint) "
		"FROM (SELECT part, dw_b, dw_h FROM (%s) y0 OFFSET 0) y GROUP BY part, dw_b";
	static const char my[] = "SELECT part, dw_b, COUNT(*), "
		"SUM(CAST(CONV(SUBSTRING(dw_h, 1, 15), 16, 10) AS UNSIGNED)) FROM (%s) y "
		"GROUP BY part, dw_b";

	(void)r, (void)nr;
	return fetch_hashed(db, t, is_pg(db) ? pg : my, 0, NULL, 2, s, &sd->n, err);
}

/* The rows of nr ranges (part U+001F b): key, then hash and columns. */
static int rows_in(struct side *sd, const struct table *t, char **r, size_t nr,
		   struct rowset *s, struct dw_err *err)
{
	struct dw_db *db = sd->db;
	char cols[4096], *fmt, *p[2 * BATCH] = { 0 };
	size_t n = sizeof cols + 96 + nr * 48, len;
	int rc = -1;

	if (col_list(db, t, "", cols, sizeof cols) < 0 || !(fmt = malloc(n)))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	len = (size_t)snprintf(fmt, n, "SELECT k, dw_h%s FROM (%%s) y WHERE false", cols);
	for (size_t i = 0; i < nr; i++) {
		char *slash = strchr(r[i], '\x1f');

		p[2 * i] = strndup(r[i], (size_t)(slash - r[i]));
		p[2 * i + 1] = slash + 1;
		if (is_pg(db))
			len += (size_t)snprintf(fmt + len, n - len, " OR (part = $%zu AND dw_b = $%zu)",
						2 * i + 1, 2 * i + 2);
		else
			len += (size_t)snprintf(fmt + len, n - len, " OR (part = ? AND dw_b = ?)");
	}
	rc = fetch_hashed(db, t, fmt, (int)(2 * nr), (const char *const *)p, 1, s, &sd->n, err);
	for (size_t i = 0; i < nr; i++)
		free(p[2 * i]);
	free(fmt);
	return rc;
}

/* ---- both sides at once ---- */

typedef int (*side_fn)(struct side *sd, const struct table *t, char **r, size_t nr,
		       struct rowset *s, struct dw_err *err);

struct task {
	double seconds;
	side_fn fn;
	struct side *sd;
	const struct table *t;
	char **r;
	size_t nr;
	struct rowset *s;
	struct dw_err err;
	int rc;
};

static void *task_run(void *arg)
{
	struct task *k = arg;
	double t0 = dw_log_clock();

	k->rc = k->fn(k->sd, k->t, k->r, k->nr, k->s, &k->err);
	k->seconds = dw_log_clock() - t0;
	return NULL;
}

/* fn on the warehouse in a thread of its own while the OLTP side runs it
 * here: each side's server works at the same time. */
static int both(side_fn fn, struct side *sd, const struct table *t, char **r, size_t nr,
		struct rowset *s, struct dw_err *err)
{
	struct task k = { 0, fn, &sd[1], t, r, nr, &s[1], { 0 }, -1 };
	pthread_t th;
	int threaded = pthread_create(&th, NULL, task_run, &k) == 0, rc;
	double t0 = dw_log_clock();

	rc = fn(&sd[0], t, r, nr, &s[0], err);
	t0 = dw_log_clock() - t0;
	if (threaded)
		pthread_join(th, NULL);
	else
		task_run(&k);
	dw_log_verbose(2, "diff %s: oltp %.2fs, warehouse %.2fs", t->name, t0, k.seconds);
	if (rc == 0 && k.rc < 0) {
		*err = k.err;
		rc = -1;
	}
	return rc;
}

/* ---- differences ---- */

static int add_found(struct dw_diff *d, const struct table *t, const char *key,
		     enum dw_diff_what what, char *detail)
{
	struct dw_diff_found *f;

	t->seen->differences++;
	if (d->limit && (long)d->nfound >= d->limit) {
		d->truncated = 1;
		free(detail);
		return 0;
	}
	if (d->nfound == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;

		if (!(f = realloc(d->found, cap * sizeof *f))) {
			free(detail);
			return -1;
		}
		d->found = f, d->cap = cap;
	}
	f = &d->found[d->nfound];
	*f = (struct dw_diff_found){ strdup(t->name), strdup(t->tombstone), strdup(key), what,
				     detail };
	if (!f->table || !f->tombstone || !f->key) {
		free(f->table), free(f->tombstone), free(f->key), free(detail);
		return -1;
	}
	d->nfound++;
	return 0;
}

/* v quoted, with every byte outside printable ASCII escaped (\xNN for
 * control bytes, \uXXXX for a UTF-8 sequence): two values that differ only
 * in trailing blanks or in Unicode normalisation must look different. */
static size_t shown(const char *v, char *buf, size_t n)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t len;

	if (!v)
		return (size_t)snprintf(buf, n, "NULL");
	len = (size_t)snprintf(buf, n, "'");
	while (*s && len + 12 < n) {
		int extra = *s >= 0xf0 ? 3 : *s >= 0xe0 ? 2 : *s >= 0xc0 ? 1 : 0;
		unsigned cp = extra ? *s & (0x3f >> extra) : *s;
		int ok = 1;

		for (int i = 1; i <= extra; i++)
			ok = ok && (s[i] & 0xc0) == 0x80, cp = ok ? cp << 6 | (s[i] & 0x3f) : cp;
		if (extra && ok)
			len += (size_t)snprintf(buf + len, n - len, "\\u%04X", cp), s += extra + 1;
		else if (*s < 0x20 || *s >= 0x7f || *s == '\'' || *s == '\\')
			len += (size_t)snprintf(buf + len, n - len, "\\x%02X", *s++);
		else
			buf[len++] = (char)*s++;
	}
	return len + (size_t)snprintf(buf + len, n - len, "'");
}

/* "column: warehouse 'a', oltp 'b'; ..." for the columns that differ. */
static char *changes(const struct table *t, char **oltp, char **wh)
{
	size_t n = 4096, len = 0;
	char *buf = malloc(n);

	for (int c = 0; buf && c < t->ncols && len + 600 < n; c++) {
		if ((!oltp[c] && !wh[c]) || (oltp[c] && wh[c] && !strcmp(oltp[c], wh[c])))
			continue;
		len += (size_t)snprintf(buf + len, n - len, "%s%s: warehouse ", len ? "; " : "",
					t->cols[c]);
		len += shown(wh[c], buf + len, (n - len) / 2);
		len += (size_t)snprintf(buf + len, n - len, ", oltp ");
		len += shown(oltp[c], buf + len, n - len - 8);
	}
	if (buf && !len)
		snprintf(buf, n, "same columns, another hash");
	return buf;
}

/* The ranges whose figures differ between o (oltp) and w (warehouse). */
static int differing(const struct rowset *o, const struct rowset *w, char ***out, size_t *nout)
{
	size_t i = 0, j = 0, n = 0;
	char **r = calloc(o->n + w->n + 1, sizeof *r);

	while (r && (i < o->n || j < w->n)) {
		int cmp = i == o->n ? 1 : j == w->n ? -1 : strcmp(o->rows[i].key, w->rows[j].key);
		int same = cmp == 0;

		for (int c = 0; same && c < o->ncols; c++)
			same = o->rows[i].v[c] && w->rows[j].v[c] &&
			       !strcmp(o->rows[i].v[c], w->rows[j].v[c]);
		if (!same)
			r[n++] = cmp <= 0 ? o->rows[i].key : w->rows[j].key;
		i += cmp <= 0, j += cmp >= 0;
	}
	*out = r, *nout = n;
	return r ? 0 : -1;
}

/* The keys the OLTP changed at or after the watermark, in s: a difference
 * there is one the next sync carries. None when never synced. */
static int pending_keys(struct side *pg, const char *pending, const char *watermark,
			struct rowset *s, struct dw_err *err)
{
	const char *p[] = { watermark };

	if (!pending || !watermark[0])
		return 0;
	return fetch(pg->db, pending, 1, p, 1, s, &pg->n, err);
}

static int is_pending(const struct rowset *pending, const char *key)
{
	struct row k = { .key = (char *)key };

	return pending->n && bsearch(&k, pending->rows, pending->n, sizeof *pending->rows, by_key);
}

/* Rows compared by key: v[0] is the hash, v[1..] the columns. */
static int compare_rows(const struct table *t, const struct rowset *o, const struct rowset *w,
			const struct rowset *pending, struct dw_diff *d)
{
	size_t i = 0, j = 0;
	int rc = 0;

	while (rc == 0 && (i < o->n || j < w->n)) {
		int cmp = i == o->n ? 1 : j == w->n ? -1 : strcmp(o->rows[i].key, w->rows[j].key);
		const char *key = cmp <= 0 ? o->rows[i].key : w->rows[j].key;
		int same = cmp == 0 && !strcmp(o->rows[i].v[0], w->rows[j].v[0]);

		if (!same && is_pending(pending, key))
			d->pending++;
		else if (!same)
			rc = add_found(d, t, key, cmp < 0 ? DW_DIFF_MISSING :
				       cmp > 0 ? DW_DIFF_EXTRA : DW_DIFF_CHANGED,
				       cmp ? NULL : changes(t, o->rows[i].v + 1, w->rows[j].v + 1));
		i += cmp <= 0, j += cmp >= 0;
	}
	return rc;
}

static int compare_table(struct side *sd, const struct table *t, const char *pending,
			 struct dw_diff *d, struct dw_err *err)
{
	struct rowset r[2] = { 0 }, rows[2] = { 0 }, pend = { 0 };
	char **diff = NULL;
	size_t ndiff = 0;
	long long pending_before = d->pending;
	int rc = 0;

	rc = both(ranges, sd, t, NULL, 0, r, err);
	for (size_t i = 0; rc == 0 && i < r[0].n; i++)
		t->seen->compared += atoll(r[0].rows[i].v[0]);
	d->compared += t->seen->compared;
	if (rc == 0 && differing(&r[0], &r[1], &diff, &ndiff) < 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	dw_log_verbose(2, "diff %s: %zu ranges, %zu differ", t->name, r[0].n, ndiff);
	for (size_t i = 0; rc == 0 && i < ndiff; i += BATCH)
		rc = both(rows_in, sd, t, diff + i, ndiff - i < BATCH ? ndiff - i : BATCH, rows, err);
	if (rc == 0 && ndiff)
		rc = pending_keys(&sd[0], pending, d->watermark, &pend, err);
	if (rc == 0 && ndiff && compare_rows(t, &rows[0], &rows[1], &pend, d) < 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	dw_log_verbose(2, "diff %s: %lld differences, %lld pending", t->name,
		       t->seen->differences, d->pending - pending_before);
	free(diff);
	rowset_free(&pend);
	for (int s = 0; s < 2; s++)
		rowset_free(&r[s]), rowset_free(&rows[s]);
	return rc;
}

/* ---- tables ---- */

static int names_of(struct side *sd, const char *q, struct rowset *s, struct dw_err *err)
{
	size_t n = strlen(q) + 48;
	char *sql = malloc(n);
	int rc;

	if (!sql)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	snprintf(sql, n, "SELECT * FROM (\n%s\n) x LIMIT 0", q);
	rc = fetch(sd->db, sql, 0, NULL, 0, s, &sd->n, err);
	free(sql);
	return rc;
}

/* The columns both sides select for section i: part, k, then the same
 * compared columns in the same order, or drift (78). */
static int columns(struct side *sd, int i, struct table *t, struct rowset *s,
		   struct dw_err *err)
{
	int same;

	for (int k = 0; k < 2; k++)
		if (names_of(&sd[k], t->q[k], &s[k], err) < 0) {
			dw_err_prefix(err, "schema drift in sql/%s/diff.sql (%s)",
				      k ? "dw" : "oltp", sd[k].sec[i].word1);
			err->code = DW_EX_CONFIG;
			return -1;
		}
	same = s[0].ncols == s[1].ncols && s[0].ncols >= 2 && !strcmp(s[0].names[0], "part") &&
	       !strcmp(s[0].names[1], "k");
	for (int c = 0; same && c < s[0].ncols; c++)
		same = !strcmp(s[0].names[c], s[1].names[c]);
	if (!same)
		return dw_err_set(err, DW_EX_SOFTWARE, "sql/oltp/diff.sql and sql/dw/diff.sql "
				  "select other columns for %s", t->name);
	t->cols = s[0].names + 2, t->ncols = s[0].ncols - 2;
	return 0;
}

/* A new entry of d->table, NULL when out of memory. */
static struct dw_diff_table *table_seen(struct dw_diff *d, const char *name)
{
	struct dw_diff_table *tt = realloc(d->table, ((size_t)d->tables + 1) * sizeof *tt);

	if (!tt)
		return NULL;
	d->table = tt;
	tt += d->tables;
	*tt = (struct dw_diff_table){ .name = strdup(name) };
	if (!tt->name)
		return NULL;
	d->tables++;
	return tt;
}

static int compare_all(struct side *sd, const struct dw_sql_section *pend, int npend,
		       const char *only, struct dw_diff *d, struct dw_err *err)
{
	int rc = 0;

	for (int i = 0; rc == 0 && i < sd[0].nsec; i++) {
		struct table t = { sd[0].sec[i].word1, sd[0].sec[i].word2,
				   { sd[0].sec[i].body, sd[1].sec[i].body }, NULL, 0, NULL };
		const struct dw_sql_section *p = dw_sqlfile_section_named(pend, npend, t.name);
		struct rowset names[2] = { 0 };
		double t0 = dw_log_clock();

		if (only && strcmp(only, t.name))
			continue;
		if (!(t.seen = table_seen(d, t.name)))
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		rc = columns(sd, i, &t, names, err);
		if (rc == 0)
			rc = compare_table(sd, &t, p ? p->body : NULL, d, err);
		t.seen->seconds = dw_log_clock() - t0;
		rowset_free(&names[0]), rowset_free(&names[1]);
	}
	if (rc == 0 && only && !d->tables)
		rc = dw_err_set(err, DW_EX_USAGE, "no table '%s' in sql/oltp/diff.sql", only);
	return rc;
}

/* body with every "{name}" replaced by value, in place. */
static int subst(char **body, const char *name, const char *value)
{
	char *p;

	while ((p = strstr(*body, name))) {
		size_t n = strlen(*body) - strlen(name) + strlen(value) + 1;
		char *b = malloc(n);

		if (!b)
			return -1;
		snprintf(b, n, "%.*s%s%s", (int)(p - *body), *body, value, p + strlen(name));
		free(*body);
		*body = b;
	}
	return 0;
}

/* The first order date compared, in each side's terms. */
static int dates_from(struct side *sd, long from, struct dw_err *err)
{
	char date[48], key[24];

	snprintf(date, sizeof date, "%04ld-%02ld-%02ld", from ? from / 10000 : 1,
		 from ? from / 100 % 100 : 1, from ? from % 100 : 1);
	snprintf(key, sizeof key, "%ld", from);
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < sd[k].nsec; i++)
			if (subst(&sd[k].sec[i].body, "{from_date}", date) < 0 ||
			    subst(&sd[k].sec[i].body, "{from_key}", key) < 0)
				return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	return 0;
}

static int same_sections(const struct side *sd, struct dw_err *err)
{
	int same = sd[0].nsec == sd[1].nsec;

	for (int i = 0; same && i < sd[0].nsec; i++)
		same = !strcmp(sd[0].sec[i].word1, sd[1].sec[i].word1);
	return same ? 0 : dw_err_set(err, DW_EX_SOFTWARE, "sql/oltp/diff.sql and sql/dw/diff.sql "
				     "differ in their sections");
}

/* The warehouse's snapshot first, with its watermark; then the OLTP's,
 * which is therefore at least as recent. Each side's memory for the sales
 * section: the warehouse keeps its products in memory (sql/dw/diff.sql),
 * the OLTP hashes its orders (4 MB spills 1M lines' worth to disk). */
static int snapshots(struct side *sd, struct dw_diff *d, struct dw_err *err)
{
	char *wm = NULL;

	if (dw_db_exec(sd[1].db, "SET SESSION max_heap_table_size = GREATEST("
		       "@@max_heap_table_size, 256 << 20), tmp_table_size = GREATEST("
		       "@@tmp_table_size, 256 << 20)", 0, NULL, err) < 0 ||
	    dw_db_exec(sd[1].db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", 0, NULL,
		       err) < 0 ||
	    dw_db_exec(sd[1].db, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", 0, NULL,
		       err) < 0 ||
	    dw_db_query_value(sd[1].db, "SELECT DATE_FORMAT(MIN(watermark), "
			      "'%Y-%m-%d %H:%i:%s.%f') FROM dw_etl_watermark", 0, NULL, &wm,
			      err) < 0 ||
	    dw_db_exec(sd[0].db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL,
		       err) < 0 ||
	    dw_db_exec(sd[0].db, "SET LOCAL work_mem = '64MB'", 0, NULL, err) < 0) {
		free(wm);
		return -1;
	}
	snprintf(d->watermark, sizeof d->watermark, "%s", wm ? wm : "");
	free(wm);
	return 0;
}

int dw_diff_run(struct dw_db *pg, struct dw_db *my, const char *only, long from,
		struct dw_diff *d, struct dw_err *err)
{
	struct side sd[2] = { { .db = pg }, { .db = my } };
	struct dw_sql_section *pend = NULL;
	int npend, rc = -1;
	double t0 = dw_log_clock();

	d->started = time(NULL);
	sd[0].nsec = dw_sqlfile_sections("oltp/diff.sql", "diff", &sd[0].sec, err);
	sd[1].nsec = dw_sqlfile_sections("dw/diff.sql", "diff", &sd[1].sec, err);
	npend = dw_sqlfile_sections("oltp/diff.sql", "pending", &pend, err);
	if (sd[0].nsec >= 0 && sd[1].nsec >= 0 && npend >= 0 && same_sections(sd, err) == 0 &&
	    dates_from(sd, from, err) == 0 && snapshots(sd, d, err) == 0)
		rc = compare_all(sd, pend, npend, only, d, err);
	dw_db_rollback(pg, NULL);
	dw_db_rollback(my, NULL);
	dw_sqlfile_sections_free(sd[0].sec, sd[0].nsec);
	dw_sqlfile_sections_free(sd[1].sec, sd[1].nsec);
	dw_sqlfile_sections_free(pend, npend);
	d->queries = sd[0].n.queries + sd[1].n.queries;
	d->bytes = sd[0].n.bytes + sd[1].n.bytes;
	d->seconds = dw_log_clock() - t0;
	return rc;
}

void dw_diff_release(struct dw_diff *d)
{
	for (size_t i = 0; i < d->nfound; i++) {
		free(d->found[i].table), free(d->found[i].tombstone);
		free(d->found[i].key), free(d->found[i].detail);
	}
	for (int i = 0; i < d->tables; i++)
		free(d->table[i].name);
	free(d->found);
	free(d->table);
	d->found = NULL, d->nfound = d->cap = 0;
	d->table = NULL, d->tables = 0;
}

const char *dw_diff_what_name(enum dw_diff_what w)
{
	static const char *const names[] = { "missing", "extra", "changed" };

	return names[w];
}
