/* bitset: a set of the whole numbers below a bound, a bit each, in zeroed
 * memory the system gives page by page as numbers land: numbers close to
 * each other take little, whatever the bound. */
#ifndef DW_BITSET_H
#define DW_BITSET_H

#include <stddef.h>
#include <stdint.h>

struct dw_bitset;

/* A set for 0 .. bound - 1; NULL when out of memory. */
struct dw_bitset *dw_bitset_new(uint64_t bound);
void dw_bitset_free(struct dw_bitset *s);
/* Adds n: 1 when it was there already, 0 when it was not, -1 when n is
 * not below the bound (nothing added). */
int dw_bitset_add(struct dw_bitset *s, uint64_t n);

#endif
