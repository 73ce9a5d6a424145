#include "recent.h"

#include <stdlib.h>
#include <string.h>

#include "strmap.h"

struct slot {
	char *key;
	size_t len, cap;
};

struct dw_recent {
	struct slot *slot;
	size_t mask;
	struct slot *last;      /* the slot of the key seen last */
};

struct dw_recent *dw_recent_new(size_t slots)
{
	struct dw_recent *r = malloc(sizeof *r);
	size_t n = 1;

	while (n < slots)
		n *= 2;
	if (!r || !(r->slot = calloc(n, sizeof *r->slot))) {
		free(r);
		return NULL;
	}
	r->mask = n - 1;
	r->last = r->slot;
	return r;
}

void dw_recent_free(struct dw_recent *r)
{
	if (!r)
		return;
	for (size_t i = 0; i <= r->mask; i++)
		free(r->slot[i].key);
	free(r->slot);
	free(r);
}

static int holds(const struct slot *s, const void *key, size_t len)
{
	return s->key && s->len == len && !memcmp(s->key, key, len);
}

int dw_recent_seen(struct dw_recent *r, const void *key, size_t len, size_t part)
{
	struct slot *s;

	/* the key of the line before, most often: no hash */
	if (holds(r->last, key, len))
		return 1;
	s = r->last = &r->slot[dw_strmap_hash_bytes(DW_HASH_INIT, key, part) & r->mask];
	if (holds(s, key, len))
		return 1;
	if (!s->key || len > s->cap) {
		char *k = realloc(s->key, len ? len : 1);

		if (!k) {
			free(s->key);
			*s = (struct slot){ NULL, 0, 0 };
			return 0;
		}
		s->key = k;
		s->cap = len;
	}
	memcpy(s->key, key, len);
	s->len = len;
	return 0;
}
