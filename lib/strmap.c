#include "strmap.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	uint64_t hash;          /* 0 = empty */
	const char *key;
	size_t len;
	struct dw_strmap_entry e;
};

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

struct dw_strmap {
	struct slot *slots;
	size_t cap, count;
	struct arena_block *arena;
};

uint64_t dw_strmap_hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t dw_strmap_hash_str(uint64_t h, const char *s)
{
	static const unsigned char sep = 0x1f;

	h = dw_strmap_hash_bytes(h, s, strlen(s));
	return dw_strmap_hash_bytes(h, &sep, 1);
}

struct dw_strmap *dw_strmap_new(void)
{
	struct dw_strmap *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->cap = 1024;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void dw_strmap_free(struct dw_strmap *m)
{
	if (!m)
		return;
	while (m->arena) {
		struct arena_block *next = m->arena->next;

		free(m->arena);
		m->arena = next;
	}
	free(m->slots);
	free(m);
}

size_t dw_strmap_count(const struct dw_strmap *m)
{
	return m->count;
}

static const char *arena_copy(struct dw_strmap *m, const char *key, size_t len)
{
	struct arena_block *b = m->arena;
	char *out;

	if (!b || b->cap - b->used < len + 1) {
		size_t cap = len + 1 > 65536 ? len + 1 : 65536;

		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->next = m->arena;
		b->used = 0;
		b->cap = cap;
		m->arena = b;
	}
	out = b->data + b->used;
	memcpy(out, key, len);
	out[len] = '\0';
	b->used += len + 1;
	return out;
}

static struct slot *probe(struct slot *slots, size_t cap, uint64_t hash, const char *key,
			  size_t len)
{
	size_t i = hash & (cap - 1);

	while (slots[i].hash &&
	       (slots[i].hash != hash || slots[i].len != len || memcmp(slots[i].key, key, len)))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(struct dw_strmap *m)
{
	size_t cap = m->cap * 2;
	struct slot *slots = calloc(cap, sizeof *slots);

	if (!slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].hash)
			*probe(slots, cap, m->slots[i].hash, m->slots[i].key, m->slots[i].len) =
				m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

static uint64_t key_hash(const char *key, size_t len)
{
	return dw_strmap_hash_bytes(DW_HASH_INIT, key, len) | 1;   /* never 0: 0 marks empty */
}

struct dw_strmap_entry *dw_strmap_get(struct dw_strmap *m, const char *key, size_t len)
{
	struct slot *s = probe(m->slots, m->cap, key_hash(key, len), key, len);

	return s->hash ? &s->e : NULL;
}

struct dw_strmap_entry *dw_strmap_upsert(struct dw_strmap *m, const char *key, size_t len,
					 const struct dw_strmap_entry *init, int *found)
{
	uint64_t hash = key_hash(key, len);
	struct slot *s;

	if ((m->count + 1) * 4 > m->cap * 3 && grow(m) < 0)
		return NULL;
	s = probe(m->slots, m->cap, hash, key, len);
	if (s->hash) {
		*found = 1;
		return &s->e;
	}
	s->key = arena_copy(m, key, len);
	if (!s->key)
		return NULL;
	s->hash = hash;
	s->len = len;
	s->e = *init;
	m->count++;
	*found = 0;
	return &s->e;
}
