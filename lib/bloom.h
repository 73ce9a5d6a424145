/* bloom: a blocked Bloom filter of fixed size, to tell in one pass over a
 * large input, in memory that does not grow with it, that no key came
 * twice: it can say a new key was seen (rarely: a false positive), never
 * that a key seen was not. Keys are given as 64-bit hashes. */
#ifndef DW_BLOOM_H
#define DW_BLOOM_H

#include <stddef.h>
#include <stdint.h>

struct dw_bloom;

/* A filter of bytes (rounded down to a power of two, at least 64), zeroed
 * memory the system gives page by page as keys land; NULL when out of
 * memory. */
struct dw_bloom *dw_bloom_new(size_t bytes);
void dw_bloom_free(struct dw_bloom *b);
/* Adds the key of hash h: 1 when it may have been added before, 0 when it
 * certainly was not. */
int dw_bloom_add(struct dw_bloom *b, uint64_t h);
/* Asks for the memory of h's block early: an add some time later finds it
 * in the cache rather than wait for it. */
void dw_bloom_prefetch(const struct dw_bloom *b, uint64_t h);

#endif
