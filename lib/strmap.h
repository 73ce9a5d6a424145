/* strmap: an open-addressing hash map from strings to a 64-bit fingerprint
 * and a line number, for cross-row checks over large inputs (one entry per
 * distinct key; keys are copied into an arena). */
#ifndef DW_STRMAP_H
#define DW_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct dw_strmap;

struct dw_strmap_entry {
	uint64_t fingerprint;   /* hash of the values that must agree */
	long line;              /* where the key was first seen */
};

/* Returns a map freed with dw_strmap_free, NULL when out of memory. */
struct dw_strmap *dw_strmap_new(void);
void dw_strmap_free(struct dw_strmap *m);
/* Finds key; when absent inserts it with *init and sets *found 0. Returns
 * the entry (valid until the next insert) or NULL when out of memory. */
struct dw_strmap_entry *dw_strmap_upsert(struct dw_strmap *m, const char *key, size_t len,
					 const struct dw_strmap_entry *init, int *found);
/* Finds key without inserting; NULL when absent. */
struct dw_strmap_entry *dw_strmap_get(struct dw_strmap *m, const char *key, size_t len);
size_t dw_strmap_count(const struct dw_strmap *m);

/* FNV-1a 64-bit, chained: start with DW_HASH_INIT. */
#define DW_HASH_INIT 0xcbf29ce484222325ULL
uint64_t dw_strmap_hash_bytes(uint64_t h, const void *data, size_t len);
/* Hashes a string and a separator byte, so ("ab","c") != ("a","bc"). */
uint64_t dw_strmap_hash_str(uint64_t h, const char *s);

#endif
