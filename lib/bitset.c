#include "bitset.h"

#include <stdlib.h>

struct dw_bitset {
	uint64_t *word;
	uint64_t bound;
};

struct dw_bitset *dw_bitset_new(uint64_t bound)
{
	struct dw_bitset *s = malloc(sizeof *s);

	if (!s)
		return NULL;
	s->bound = bound;
	/* calloc of a large block maps zero pages: untouched, they cost nothing */
	s->word = calloc((size_t)(bound / 64 + 1), sizeof *s->word);
	if (!s->word) {
		free(s);
		return NULL;
	}
	return s;
}

void dw_bitset_free(struct dw_bitset *s)
{
	if (s)
		free(s->word);
	free(s);
}

int dw_bitset_add(struct dw_bitset *s, uint64_t n)
{
	uint64_t *w, bit;
	int had;

	if (n >= s->bound)
		return -1;
	w = &s->word[n / 64];
	bit = 1ULL << (n % 64);
	had = (*w & bit) != 0;
	*w |= bit;
	return had;
}
