/* Times are read as seconds since the epoch by arithmetic on the stored
 * UTC values (TIMESTAMPDIFF from 1970-01-01), so the session's time zone
 * never shifts them. */
#include "tune/series.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPOCH "TIMESTAMPDIFF(SECOND, '1970-01-01', t.taken_at)"

static int alloc_series(struct dw_series *s, size_t n)
{
	s->t = calloc(n + 1, sizeof *s->t);
	s->v = calloc(n + 1, sizeof *s->v);
	s->n = n;
	return s->t && s->v ? 0 : -1;
}

/* The snapshots after the first, with the whole load's calls and ms. */
static int read_load(struct dw_db *my, struct dw_series *s, struct dw_err *err)
{
	struct dw_rows *r = dw_db_query(my, "SELECT " EPOCH ", COALESCE(SUM(s.d_calls), 0), "
					"COALESCE(SUM(s.d_total_us), 0) / 1e3 "
					"FROM dw_tune_snapshot t LEFT JOIN dw_tune_stat s "
					"ON s.snap_id = t.snap_id "
					"WHERE t.snap_id > (SELECT MIN(snap_id) FROM dw_tune_snapshot) "
					"GROUP BY t.snap_id, t.taken_at ORDER BY t.snap_id", 0, NULL, err);
	size_t cap = 0;
	int rc;

	if (!r)
		return -1;
	while ((rc = dw_rows_next(r, err)) == 1) {
		if (s[0].n == cap) {
			size_t nc = cap ? 2 * cap : 256;

			for (int k = 0; k < 2; k++) {
				long long *t = realloc(s[k].t, nc * sizeof *t);
				double *v = t ? realloc(s[k].v, nc * sizeof *v) : NULL;

				if (t)
					s[k].t = t;
				if (!v) {
					dw_rows_free(r);
					return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
				}
				s[k].v = v;
			}
			cap = nc;
		}
		for (int k = 0; k < 2; k++) {
			s[k].t[s[k].n] = atoll(dw_rows_value(r, 0));
			s[k].v[s[k].n++] = atof(dw_rows_value(r, k + 1));
		}
	}
	dw_rows_free(r);
	return rc;
}

/* The index of time t in s (whose times are in order), or n. */
static size_t at(const struct dw_series *s, long long t)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->t[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->t[lo] == t ? lo : s->n;
}

/* The calls of the top digests by time over all the snapshots, and of
 * those by their costliest snapshot: a statement new in the last hour that
 * took the server's time is what one wants judged, however small its total
 * next to the daily regulars'. */
static int read_digests(struct dw_db *my, int n, const struct dw_series *load,
			struct dw_series *d, size_t *nd, struct dw_err *err)
{
	char lim[16];
	const char *params[] = { lim, lim };
	struct dw_rows *r;
	int rc;

	snprintf(lim, sizeof lim, "%d", n);
	r = dw_db_query(my, "SELECT x.digest, " EPOCH ", s.d_calls, LEFT(g.digest_text, 200) "
			"FROM ((SELECT schema_name, digest FROM dw_tune_stat GROUP BY schema_name, "
			"digest ORDER BY SUM(d_total_us) DESC LIMIT ?) UNION "
			"(SELECT schema_name, digest FROM dw_tune_stat GROUP BY schema_name, "
			"digest ORDER BY MAX(d_total_us) DESC LIMIT ?)) x "
			"JOIN dw_tune_stat s ON s.schema_name = x.schema_name AND s.digest = x.digest "
			"JOIN dw_tune_snapshot t ON t.snap_id = s.snap_id "
			"LEFT JOIN dw_tune_digest g ON g.schema_name = x.schema_name "
			"AND g.digest = x.digest ORDER BY x.digest, s.snap_id", 2, params, err);
	if (!r)
		return -1;
	while ((rc = dw_rows_next(r, err)) == 1) {
		const char *dg = dw_rows_value(r, 0);
		struct dw_series *s = *nd ? &d[*nd - 1] : NULL;
		size_t i;

		if (!s || strcmp(s->digest, dg)) {
			s = &d[(*nd)++];
			if (alloc_series(s, load->n) < 0) {
				rc = dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
				break;
			}
			memcpy(s->t, load->t, load->n * sizeof *s->t);
			snprintf(s->digest, sizeof s->digest, "%s", dg);
			snprintf(s->name, sizeof s->name, "digest %.12s calls", dg);
			s->counts = 1;
			snprintf(s->text, sizeof s->text, "%s",
				 dw_rows_value(r, 3) ? dw_rows_value(r, 3) : "");
		}
		if ((i = at(s, atoll(dw_rows_value(r, 1)))) < s->n)
			s->v[i] = atof(dw_rows_value(r, 2));
	}
	dw_rows_free(r);
	return rc;
}

int dw_series_read(struct dw_db *my, int ndigests, struct dw_series **out, size_t *nout,
		   struct dw_err *err)
{
	struct dw_series *s = calloc(2 * (size_t)ndigests + 2, sizeof *s);
	size_t nd = 0;
	int rc;

	*out = NULL, *nout = 0;
	if (!s)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	snprintf(s[0].name, sizeof s[0].name, "load calls");
	snprintf(s[1].name, sizeof s[1].name, "load ms");
	s[0].counts = 1;
	rc = read_load(my, s, err);
	if (rc == 0 && s[0].n)
		rc = read_digests(my, ndigests, &s[0], s + 2, &nd, err);
	if (rc < 0) {
		dw_series_free(s, 2 * (size_t)ndigests + 2);
		return -1;
	}
	*out = s, *nout = s[0].n ? nd + 2 : 0;
	return 0;
}

void dw_series_free(struct dw_series *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i].t), free(s[i].v);
	free(s);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

long long dw_series_step(const struct dw_series *s)
{
	long long *d, m;

	if (s->n < 2 || !(d = malloc((s->n - 1) * sizeof *d)))
		return 0;
	for (size_t i = 1; i < s->n; i++)
		d[i - 1] = s->t[i] - s->t[i - 1];
	qsort(d, s->n - 1, sizeof *d, cmp_ll);
	m = d[(s->n - 1) / 2];
	free(d);
	return m;
}

long dw_series_findings(const struct dw_series *s, const struct dw_season_layout *l,
			struct dw_season_finding *f, double *base, size_t max)
{
	struct dw_season_point *p = calloc(s->n + 1, sizeof *p);
	struct dw_season_judgement *j = calloc(s->n + 1, sizeof *j);
	struct dw_season_opts o;
	long nf = -1;

	dw_season_opts_init(&o);
	o.counts = s->counts;
	o.rises_only = !s->counts;
	for (size_t i = 0; p && i < s->n; i++)
		p[i] = (struct dw_season_point){ l->kind == DW_SEASON_PERIOD ? (long long)i : s->t[i],
						 s->v[i] };
	if (p && j && dw_season_baseline(p, s->n, l, &o, j) == 0) {
		size_t n = dw_season_findings(p, j, s->n, DW_SEASON_LOW, 2, o.high, f, max);

		nf = (long)(n < max ? n : max);
		for (long i = 0; i < nf; i++)
			base[i] = j[f[i].peak].median;
	}
	free(p);
	free(j);
	return nf;
}
