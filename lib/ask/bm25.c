#include "ask/bm25.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

#define BM25_K1 1.2
#define BM25_B 0.75

struct posting {
	size_t doc;
	unsigned tf;              /* occurrences of the term in doc */
};

struct postings {
	size_t n, cap;
	struct posting *v;        /* by increasing doc */
};

struct dw_bm25 {
	size_t ndocs;
	size_t *doclen;           /* terms per document */
	double avgdl;
	struct dw_strmap *vocab;  /* term -> its id, kept in the entry's line */
	size_t nterms, cap;
	struct postings *terms;   /* by term id */
};

/* Sorted only for the reader; looked up linearly. */
static const char *const stopwords[] = {
	"a", "about", "all", "an", "and", "are", "as", "at", "be", "by", "can", "did", "do",
	"does", "for", "from", "give", "had", "has", "have", "how", "i", "in", "is", "it", "its",
	"list", "me", "my", "of", "on", "or", "our", "please", "s", "show", "t", "tell", "that",
	"the", "their", "there", "these", "this", "those", "to", "was", "we", "were",
	"what", "when", "where", "which", "who", "with", "you", "your",
};

static int is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static int is_stopword(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof stopwords / sizeof stopwords[0]; i++)
		if (strlen(stopwords[i]) == len && !memcmp(stopwords[i], s, len))
			return 1;
	return 0;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

static size_t stem_plural(char *s, size_t len)
{
	if (len >= 5 && ends_with(s, len, "ies")) {
		s[len - 3] = 'y';
		return len - 2;
	}
	if (len >= 5 && ends_with(s, len, "es") &&
	    (ends_with(s, len - 2, "ss") || ends_with(s, len - 2, "x") ||
	     ends_with(s, len - 2, "ch") || ends_with(s, len - 2, "sh")))
		return len - 2;
	if (ends_with(s, len, "s") && !strchr("siu", s[len - 2]))
		return len - 1;
	return len;
}

static size_t stem_ing(const char *s, size_t len)
{
	size_t n = len - 3;

	if (len < 7 || !ends_with(s, len, "ing"))
		return len;
	if (s[n - 1] == s[n - 2] && !strchr("aeioulsz", s[n - 1]))
		n--;
	return n;
}

/* Stems the word s[0..len) in place (it only ever shrinks); returns the
 * new length. */
static size_t stem(char *s, size_t len)
{
	if (len < 4)
		return len;
	if (s[len - 1] == 's')
		return stem_plural(s, len);
	return stem_ing(s, len);
}

/* A lowercased copy of text to cut terms from; NULL when out of memory. */
static char *lowercase_copy(const char *text)
{
	char *copy = strdup(text ? text : "");

	for (char *p = copy; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return copy;
}

/* The next term at or after *pos in a lowercase copy, stemmed in place:
 * sets *start and returns its length, or returns 0 at the end. */
static size_t next_term(char **pos, char **start)
{
	char *p = *pos;

	for (;;) {
		char *s;

		while (*p && !is_word_byte((unsigned char)*p))
			p++;
		if (!*p) {
			*pos = p;
			return 0;
		}
		s = p;
		while (is_word_byte((unsigned char)*p))
			p++;
		if (!is_stopword(s, (size_t)(p - s))) {
			*pos = p;
			*start = s;
			return stem(s, (size_t)(p - s));
		}
	}
}

char *dw_bm25_terms(const char *text)
{
	char *work = lowercase_copy(text), *pos = work, *term, *out, *o;
	size_t len;

	if (!work)
		return NULL;
	out = o = malloc(strlen(work) + 1);
	if (out) {
		while ((len = next_term(&pos, &term))) {
			if (o != out)
				*o++ = ' ';
			memcpy(o, term, len);
			o += len;
		}
		*o = '\0';
	}
	free(work);
	return out;
}

/* The id of a term, adding it to the vocabulary when new; -1 when out of
 * memory. */
static long term_id(struct dw_bm25 *ix, const char *term, size_t len)
{
	struct dw_strmap_entry init = { .line = (long)ix->nterms }, *e;
	int found;

	if (ix->nterms == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 64;
		struct postings *p = realloc(ix->terms, cap * sizeof *p);

		if (!p)
			return -1;
		ix->terms = p;
		ix->cap = cap;
	}
	e = dw_strmap_upsert(ix->vocab, term, len, &init, &found);
	if (!e)
		return -1;
	if (!found)
		ix->terms[ix->nterms++] = (struct postings){ 0 };
	return e->line;
}

static int add_occurrence(struct postings *p, size_t doc)
{
	if (p->n && p->v[p->n - 1].doc == doc) {
		p->v[p->n - 1].tf++;
		return 0;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4;
		struct posting *v = realloc(p->v, cap * sizeof *v);

		if (!v)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = (struct posting){ .doc = doc, .tf = 1 };
	return 0;
}

static int add_doc(struct dw_bm25 *ix, size_t doc, const char *text)
{
	char *work = lowercase_copy(text), *pos = work, *term;
	size_t len;
	int rc = 0;

	if (!work)
		return -1;
	while (rc == 0 && (len = next_term(&pos, &term))) {
		long id = term_id(ix, term, len);

		rc = id < 0 ? -1 : add_occurrence(&ix->terms[id], doc);
		ix->doclen[doc]++;
	}
	free(work);
	return rc;
}

struct dw_bm25 *dw_bm25_new(const char *const *docs, size_t n)
{
	struct dw_bm25 *ix = calloc(1, sizeof *ix);
	size_t total = 0;

	if (!ix)
		return NULL;
	ix->ndocs = n;
	ix->doclen = calloc(n ? n : 1, sizeof *ix->doclen);
	ix->vocab = dw_strmap_new();
	if (!ix->doclen || !ix->vocab)
		goto fail;
	for (size_t d = 0; d < n; d++) {
		if (add_doc(ix, d, docs[d]) < 0)
			goto fail;
		total += ix->doclen[d];
	}
	ix->avgdl = n ? (double)total / (double)n : 0;
	return ix;
fail:
	dw_bm25_free(ix);
	return NULL;
}

void dw_bm25_free(struct dw_bm25 *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nterms; i++)
		free(ix->terms[i].v);
	free(ix->terms);
	dw_strmap_free(ix->vocab);
	free(ix->doclen);
	free(ix);
}

/* Adds one query term's contribution to every document containing it. */
static void score_term(const struct dw_bm25 *ix, const struct postings *p, double *scores)
{
	double df = (double)p->n, n = (double)ix->ndocs;
	/* Lucene's variant: never negative, even for a term in every doc. */
	double idf = log(1 + (n - df + 0.5) / (df + 0.5));

	for (size_t i = 0; i < p->n; i++) {
		double tf = p->v[i].tf, dl = (double)ix->doclen[p->v[i].doc];
		double norm = BM25_K1 * (1 - BM25_B + BM25_B * dl / ix->avgdl);

		scores[p->v[i].doc] += idf * tf * (BM25_K1 + 1) / (tf + norm);
	}
}

/* Scores every document for query into scores (zeroed by the caller).
 * Returns 0 or -1 when out of memory. */
static int score_query(const struct dw_bm25 *ix, const char *query, double *scores)
{
	char *work = lowercase_copy(query), *pos = work, *term;
	unsigned char *seen = calloc(ix->nterms ? ix->nterms : 1, 1);
	size_t len;
	int rc = work && seen ? 0 : -1;

	while (rc == 0 && (len = next_term(&pos, &term))) {
		struct dw_strmap_entry *e = dw_strmap_get(ix->vocab, term, len);

		if (e && !seen[e->line]) {
			seen[e->line] = 1;
			score_term(ix, &ix->terms[e->line], scores);
		}
	}
	free(seen);
	free(work);
	return rc;
}

struct ranked {
	double score;
	size_t doc;
};

static int by_score_then_doc(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->doc < y->doc ? -1 : x->doc > y->doc;
}

size_t dw_bm25_top(const struct dw_bm25 *ix, const char *query, size_t k, size_t *idx,
		   double *score)
{
	double *scores = calloc(ix->ndocs ? ix->ndocs : 1, sizeof *scores);
	struct ranked *r = malloc((ix->ndocs ? ix->ndocs : 1) * sizeof *r);
	size_t n = 0;

	if (scores && r && score_query(ix, query, scores) == 0) {
		for (size_t d = 0; d < ix->ndocs; d++)
			if (scores[d] > 0)
				r[n++] = (struct ranked){ .score = scores[d], .doc = d };
		qsort(r, n, sizeof *r, by_score_then_doc);
		if (n > k)
			n = k;
		for (size_t i = 0; i < n; i++) {
			idx[i] = r[i].doc;
			if (score)
				score[i] = r[i].score;
		}
	}
	free(r);
	free(scores);
	return n;
}
