/* bm25: a small Okapi BM25 index (k1 = 1.2, b = 0.75) over short
 * documents, used by dw-ask to pick the curated examples most relevant to a
 * question locally (no vector database, no model downloads).
 *
 * Terms: runs of ASCII letters and digits, lowercased, with every byte
 * >= 0x80 counted as a word character (UTF-8 words stay whole, unfolded).
 * A short English stopword list is dropped ("the", "what", "show", "by",
 * ...; not "us", a market). Light stemming, ASCII endings only:
 *   -ies -> -y          categories -> category   (words of 5+ bytes)
 *   -es  -> ""          after ss, x, ch, sh: classes -> class, taxes -> tax
 *   -s   -> ""          sales -> sale, cases -> case, but not after s, u, i
 *                       (class, status, analysis)
 *   -ing -> ""          when 4+ bytes remain; a doubled final consonant
 *                       other than l, s, z is undoubled: shipping -> ship
 * Words shorter than 4 bytes are never stemmed. */
#ifndef DW_BM25_H
#define DW_BM25_H

#include <stddef.h>

struct dw_bm25;

/* Indexes docs[0..n) (a NULL doc counts as empty; the strings are not kept).
 * Returns an index freed with dw_bm25_free, NULL when out of memory. */
struct dw_bm25 *dw_bm25_new(const char *const *docs, size_t n);
void dw_bm25_free(struct dw_bm25 *ix);

/* The best k documents for query: fills idx[] (and score[] when not NULL)
 * best first, leaving out documents that share no term with the query.
 * Ties go to the lower index, so the order is deterministic. A term
 * repeated in the query counts once. Returns how many were filled (0 also
 * when out of memory). */
size_t dw_bm25_top(const struct dw_bm25 *ix, const char *query, size_t k, size_t *idx,
		   double *score);

/* The terms of text as the index sees them, separated by single spaces
 * ("Sales by categories" -> "sale category"). Returns a malloc'd string
 * the caller frees, NULL when out of memory. */
char *dw_bm25_terms(const char *text);

#endif
