/* recent: an exact, bounded cache of the keys seen last, to tell that a
 * key came before without keeping every key: a direct-mapped table of
 * copies, a key pushing out the one in its slot. It never says a key came
 * before when it did not (keys are compared whole); it may forget one. */
#ifndef DW_RECENT_H
#define DW_RECENT_H

#include <stddef.h>

struct dw_recent;

/* A cache of slots keys (rounded up to a power of two); NULL when out of
 * memory. */
struct dw_recent *dw_recent_new(size_t slots);
void dw_recent_free(struct dw_recent *r);
/* 1 when key (len bytes) is in the cache, else puts it there and returns
 * 0 (also when out of memory: it is then not kept). Its first part bytes
 * pick its slot: keys that share them push each other out. */
int dw_recent_seen(struct dw_recent *r, const void *key, size_t len, size_t part);

#endif
