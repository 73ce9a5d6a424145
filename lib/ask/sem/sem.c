/* The offline engine in three steps: split the question into words; cut the
 * words into the longest phrases the lexicon knows (metrics, dimensions,
 * values, grains, time words, fillers); read the phrases in order into a
 * query plan; build SQL from the plan. Any word left over declines. */
#include "ask/sem/sem.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask/sem/sem_int.h"
#include "strmap.h"
#include "text.h"

/* ---- words ------------------------------------------------------------ */

/* A sign that carries meaning as a word of its own: "%" is "percent", "#"
 * "number"; a comparison or arithmetic sign stays itself, so a question
 * holding one is not read as if it were not there. NULL for others. */
static const char *sign_word(unsigned char c)
{
	static const char *const signs[][2] = {
		{ "%", "percent" }, { "#", "number" }, { "<", "<" }, { ">", ">" }, { "=", "=" },
		{ "+", "+" }, { "*", "*" }, { "/", "/" }, { "$", "$" },
	};

	for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++)
		if (c == (unsigned char)signs[i][0][0])
			return signs[i][1];
	return NULL;
}

/* Lower-cases text into words: runs of letters, digits and UTF-8 bytes,
 * and signs (sign_word). Apostrophe suffixes go ("what's" -> "what").
 * Returns the count or -1. */
int dw_sem_split(const char *text, char words[][DW_SEM_WORD], int max)
{
	int n = 0;
	const unsigned char *p = (const unsigned char *)text;

	while (*p) {
		size_t len = 0;
		const char *sign = NULL;

		while (*p && !(isalnum(*p) || *p >= 0x80) && !(sign = sign_word(*p)))
			p++;
		if (!*p)
			break;
		if (n == max)
			return -1;
		if (sign) {
			snprintf(words[n++], DW_SEM_WORD, "%s", sign);
			p++;
			continue;
		}
		while (*p && (isalnum(*p) || *p >= 0x80)) {
			if (len + 1 < DW_SEM_WORD)
				words[n][len++] = (char)tolower(*p);
			p++;
		}
		words[n][len] = '\0';
		n++;
		if (*p == '\'' && (p[1] == 's' || p[1] == 'S') && !isalnum(p[2]))
			p += 2;
	}
	return n;
}

/* Words [from, from+n) joined by single spaces into buf, as many whole
 * words as fit (no snprintf: this runs for every value loaded). */
static void join_words(char words[][DW_SEM_WORD], int from, int n, char *buf, size_t size)
{
	size_t len = 0;

	for (int i = from; i < from + n; i++) {
		size_t w = strlen(words[i]);

		if (len + (i > from) + w + 1 > size)
			break;
		if (i > from)
			buf[len++] = ' ';
		memcpy(buf + len, words[i], w);
		len += w;
	}
	buf[len] = '\0';
}

/* ---- lexicon ---------------------------------------------------------- */

struct lex_entry {
	enum dw_sem_kind kind;
	int ref;                 /* metric, dimension or grain index, keyword id, number */
	int plural;              /* matched through the generated plural form */
	int on_key;              /* DW_SEM_VALUE: the value is the dimension's key */
	const char *value;       /* DW_SEM_VALUE: the stored value */
	int next;                /* next entry for the same phrase, -1 at the end */
};

/* The members behind one label of a dimension: the rest of each one's key. */
struct member {
	int dim;
	int n;                   /* members with this label */
	const char *label;
	char *rest;              /* their rests, one per line */
	size_t len;
};

struct dw_sem {
	const struct dw_kb *kb;
	struct dw_strmap *lex;   /* phrase -> first entry index (in .line) */
	struct lex_entry *entries;
	size_t nentries, cap;
	char **values;           /* owned copies of stored values */
	size_t nvalues, vcap;
	long latest;             /* YYYYMMDD */
	unsigned long long masked;   /* bit d: dimension d is masked (dw_sem_mask) */
	struct dw_strmap *mmap;  /* "dim\x1flabel" -> member index (in .line) */
	struct member *members;
	size_t nmembers, mcap;
	struct dw_strmap *wmap;  /* word of any phrase -> index in single (in .line) */
	char **single;           /* every word of every phrase, for typos */
	unsigned char *content;  /* TYPO_* flags of single[i] */
	size_t nsingle, scap;
	struct deferred *later;  /* names (values: local) not yet in the lexicon */
	size_t nlater, lcap;
	int settled;             /* the names made of known words are in */
};

/* A name of a dimension marked values: local, kept out of the lexicon
 * until a question may name it (see dw_sem_answer). */
struct deferred {
	int dim;
	char *label;
	char *rest;              /* NULL: a value, not a member */
};

/* What the typo rule may read an unknown word as: a word of a metric,
 * dimension, grain or value, or an engine word that asks something (share,
 * growth, trend); never a word only of names (values: local). */
#define TYPO_TARGET 1
#define TYPO_NAME 2              /* in a name */
#define TYPO_OTHER 4             /* in a phrase that is no name */

static int typo_flag(enum dw_sem_kind k, int name)
{
	if (name)
		return TYPO_NAME;
	return TYPO_OTHER | (k == DW_SEM_METRIC || k == DW_SEM_DIM || k == DW_SEM_VALUE ||
			     k == DW_SEM_GRAIN || k == DW_SEM_SHARE || k == DW_SEM_GROWTH ||
			     k == DW_SEM_TREND ? TYPO_TARGET : 0);
}

/* Whether word is in a phrase other than a name. */
static int known_word(const struct dw_sem *sem, const char *word)
{
	const struct dw_strmap_entry *e = dw_strmap_get(sem->wmap, word, strlen(word));

	return e && sem->content[e->line] & TYPO_OTHER;
}

/* Keeps each word of a phrase for the typo rule. */
static int keep_words(struct dw_sem *sem, char words[][DW_SEM_WORD], int n,
		      enum dw_sem_kind kind, int name)
{
	for (int i = 0; i < n; i++) {
		struct dw_strmap_entry init = { 0, (long)sem->nsingle }, *e;
		int found;

		if (sem->nsingle == sem->scap) {
			size_t cap = sem->scap ? sem->scap * 2 : 256;
			char **p = realloc(sem->single, cap * sizeof *p);
			unsigned char *c = p ? realloc(sem->content, cap) : NULL;

			if (p)
				sem->single = p;
			if (!c)
				return -1;
			sem->content = c;
			sem->scap = cap;
		}
		e = dw_strmap_upsert(sem->wmap, words[i], strlen(words[i]), &init, &found);
		if (!e)
			return -1;
		if (!found) {
			if (!(sem->single[sem->nsingle] = strdup(words[i])))
				return -1;
			sem->content[sem->nsingle++] = 0;
		}
		sem->content[e->line] |= (unsigned char)typo_flag(kind, name);
	}
	return 0;
}

/* Names of people and products (values: local) are matched whole and
 * exactly: the typo rule never reads a word as one of theirs. */
static int names_only(const struct dw_sem *sem, const struct lex_entry *e)
{
	return e->kind == DW_SEM_VALUE && sem->kb->dimensions[e->ref].values == DW_KB_VALUES_LOCAL;
}

static int push_entry(struct dw_sem *sem, const char *phrase, struct lex_entry e)
{
	char norm[DW_SEM_PHRASE], words[DW_SEM_MAXWORDS][DW_SEM_WORD];
	struct dw_strmap_entry init = { 0, -1 }, *slot;
	int n = dw_sem_split(phrase, words, DW_SEM_MAXWORDS), found;

	if (n <= 0)
		return 0;   /* nothing matchable, e.g. a value of punctuation */
	join_words(words, 0, n, norm, sizeof norm);
	if (sem->nentries == sem->cap) {
		size_t cap = sem->cap ? sem->cap * 2 : 256;
		struct lex_entry *p = realloc(sem->entries, cap * sizeof *p);

		if (!p)
			return -1;
		sem->entries = p;
		sem->cap = cap;
	}
	slot = dw_strmap_upsert(sem->lex, norm, strlen(norm), &init, &found);
	if (!slot || keep_words(sem, words, n, e.kind, names_only(sem, &e)) < 0)
		return -1;
	/* Append, so earlier entries (the knowledge file's order) come first. */
	e.next = -1;
	sem->entries[sem->nentries] = e;
	if (slot->line < 0) {
		slot->line = (long)sem->nentries;
	} else {
		int i = (int)slot->line;

		while (sem->entries[i].next >= 0)
			i = sem->entries[i].next;
		sem->entries[i].next = (int)sem->nentries;
	}
	sem->nentries++;
	return 0;
}

/* "category" -> "categories", "ship mode" -> "ship modes". */
static void pluralize(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);

	if (n > 1 && s[n - 1] == 'y' && !strchr("aeiou", s[n - 2]))
		snprintf(buf, size, "%.*sies", (int)(n - 1), s);
	else if (n > 0 && (s[n - 1] == 's' || s[n - 1] == 'x' ||
			   (n > 1 && s[n - 1] == 'h' && strchr("cs", s[n - 2]))))
		snprintf(buf, size, "%ses", s);
	else
		snprintf(buf, size, "%ss", s);
}

/* A name with underscores is said with spaces ("ship_mode"). */
static int push_name(struct dw_sem *sem, const char *name, enum dw_sem_kind kind, int ref,
		     int with_plural)
{
	char spoken[DW_SEM_PHRASE], plural[DW_SEM_PHRASE + 4];

	snprintf(spoken, sizeof spoken, "%s", name);
	for (char *p = spoken; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (push_entry(sem, spoken, (struct lex_entry){ .kind = kind, .ref = ref }) < 0)
		return -1;
	if (!with_plural)
		return 0;
	pluralize(spoken, plural, sizeof plural);
	return push_entry(sem, plural, (struct lex_entry){ .kind = kind, .ref = ref, .plural = 1 });
}

static int push_names(struct dw_sem *sem, const char *name, const struct dw_kb_words *syn,
		      enum dw_sem_kind kind, int ref, int with_plural)
{
	if (push_name(sem, name, kind, ref, with_plural) < 0)
		return -1;
	for (size_t i = 0; i < syn->n; i++)
		if (push_name(sem, syn->v[i], kind, ref, with_plural) < 0)
			return -1;
	return 0;
}

static int push_aliases(struct dw_sem *sem, int d);

static int push_kb(struct dw_sem *sem)
{
	const struct dw_kb *kb = sem->kb;

	for (size_t i = 0; i < kb->nmetrics; i++)
		if (push_names(sem, kb->metrics[i].name, &kb->metrics[i].synonyms, DW_SEM_METRIC,
			       (int)i, 1) < 0)
			return -1;
	for (size_t i = 0; i < kb->ndimensions; i++)
		if (push_names(sem, kb->dimensions[i].name, &kb->dimensions[i].synonyms, DW_SEM_DIM,
			       (int)i, 1) < 0 || push_aliases(sem, (int)i) < 0)
			return -1;
	for (size_t i = 0; i < kb->time.ngrains; i++)
		if (push_names(sem, kb->time.grains[i].name, &kb->time.grains[i].synonyms,
			       DW_SEM_GRAIN, (int)i, 1) < 0)
			return -1;
	return 0;
}

/* "versus the previous year", "compared with the year before": growth
 * on the period before, at that grain (ref as dw_sem_words_growth_grain). */
static int push_previous(struct dw_sem *sem)
{
	static const char *const lead[] = {
		"versus the", "vs the", "compared with the", "compared to the", "over the", "on the",
	};
	static const char *const before[] = { "previous", "prior", "preceding" };
	char phrase[DW_SEM_PHRASE];

	for (int g = 1; g <= 3; g++)
		for (size_t l = 0; l < sizeof lead / sizeof *lead; l++) {
			const char *grain = dw_sem_words_growth_grain[g];
			struct lex_entry e = { .kind = DW_SEM_GROWTH, .ref = g };

			snprintf(phrase, sizeof phrase, "%s %s before", lead[l], grain);
			if (push_entry(sem, phrase, e) < 0)
				return -1;
			for (size_t b = 0; b < sizeof before / sizeof *before; b++) {
				snprintf(phrase, sizeof phrase, "%s %s %s", lead[l], before[b], grain);
				if (push_entry(sem, phrase, e) < 0)
					return -1;
			}
		}
	return 0;
}

static int push_vocabulary(struct dw_sem *sem)
{
	const struct dw_sem_word *w;

	for (w = dw_sem_words_vocabulary; w->phrase; w++)
		if (push_entry(sem, w->phrase,
			       (struct lex_entry){ .kind = w->kind, .ref = w->ref }) < 0)
			return -1;
	for (w = dw_sem_words_numbers; w->phrase; w++)
		if (push_entry(sem, w->phrase,
			       (struct lex_entry){ .kind = w->kind, .ref = w->ref }) < 0)
			return -1;
	if (push_previous(sem) < 0)
		return -1;
	for (int r = 0; dw_sem_words_ranked[r].phrase; r++)
		if (dw_kb_metric(sem->kb, dw_sem_words_ranked[r].metric) &&
		    push_entry(sem, dw_sem_words_ranked[r].phrase,
			       (struct lex_entry){ .kind = DW_SEM_RANKED, .ref = r }) < 0)
			return -1;
	return 0;
}

struct dw_sem *dw_sem_new(const struct dw_kb *kb)
{
	struct dw_sem *sem = calloc(1, sizeof *sem);

	if (!sem)
		return NULL;
	sem->kb = kb;
	sem->lex = dw_strmap_new();
	sem->mmap = dw_strmap_new();
	sem->wmap = dw_strmap_new();
	if (!sem->lex || !sem->mmap || !sem->wmap || push_kb(sem) < 0 || push_vocabulary(sem) < 0) {
		dw_sem_free(sem);
		return NULL;
	}
	return sem;
}

void dw_sem_free(struct dw_sem *sem)
{
	if (!sem)
		return;
	for (size_t i = 0; i < sem->nvalues; i++)
		free(sem->values[i]);
	free(sem->values);
	free(sem->entries);
	for (size_t i = 0; i < sem->nsingle; i++)
		free(sem->single[i]);
	free(sem->single);
	free(sem->content);
	dw_strmap_free(sem->wmap);
	for (size_t i = 0; i < sem->nlater; i++) {
		free(sem->later[i].label);
		free(sem->later[i].rest);
	}
	free(sem->later);
	for (size_t i = 0; i < sem->nmembers; i++)
		free(sem->members[i].rest);
	free(sem->members);
	dw_strmap_free(sem->mmap);
	dw_strmap_free(sem->lex);
	free(sem);
}

static const char *keep_value(struct dw_sem *sem, const char *value)
{
	if (sem->nvalues == sem->vcap) {
		size_t cap = sem->vcap ? sem->vcap * 2 : 64;
		char **p = realloc(sem->values, cap * sizeof *p);

		if (!p)
			return NULL;
		sem->values = p;
		sem->vcap = cap;
	}
	sem->values[sem->nvalues] = strdup(value);
	return sem->values[sem->nvalues] ? sem->values[sem->nvalues++] : NULL;
}

static int dimension_index(const struct dw_kb *kb, const char *name)
{
	for (size_t i = 0; i < kb->ndimensions; i++)
		if (!strcmp(kb->dimensions[i].name, name))
			return (int)i;
	return -1;
}

/* Keeps a name for later. Returns 0 or -1. */
static int defer(struct dw_sem *sem, int d, const char *label, const char *rest)
{
	struct deferred *x;

	if (sem->nlater == sem->lcap) {
		size_t cap = sem->lcap ? sem->lcap * 2 : 256;

		if (!(x = realloc(sem->later, cap * sizeof *x)))
			return -1;
		sem->later = x;
		sem->lcap = cap;
	}
	x = &sem->later[sem->nlater];
	*x = (struct deferred){ d, strdup(label), rest ? strdup(rest) : NULL };
	if (!x->label || (rest && !x->rest)) {
		free(x->label);
		free(x->rest);
		return -1;
	}
	sem->nlater++;
	return 0;
}

static int is_local(const struct dw_sem *sem, int d)
{
	return d >= 0 && sem->kb->dimensions[d].values == DW_KB_VALUES_LOCAL;
}

static int add_value_now(struct dw_sem *sem, int d, const char *value);
static int add_member_now(struct dw_sem *sem, int d, const char *label, const char *rest);

int dw_sem_add_value(struct dw_sem *sem, const char *dim, const char *value)
{
	int d = dimension_index(sem->kb, dim);

	if (d < 0)
		return -1;
	return is_local(sem, d) && !sem->settled ? defer(sem, d, value, NULL)
						 : add_value_now(sem, d, value);
}

static int add_value_now(struct dw_sem *sem, int d, const char *value)
{
	const char *kept;

	if (!(kept = keep_value(sem, value)))
		return -1;
	return push_entry(sem, kept,
			  (struct lex_entry){ .kind = DW_SEM_VALUE, .ref = d, .value = kept });
}

/* "dim\x1flabel" into key (the label cut to fit); returns its length. */
static size_t member_key(int d, const char *label, char *key, size_t size)
{
	size_t len = 0, n = strlen(label);
	char digits[16];
	int k = 0;

	do
		digits[k++] = (char)('0' + d % 10);
	while ((d /= 10) > 0);
	while (k > 0)
		key[len++] = digits[--k];
	key[len++] = '\x1f';
	if (n > size - len - 1)
		n = size - len - 1;
	memcpy(key + len, label, n);
	len += n;
	key[len] = '\0';
	return len;
}

static struct member *find_member(const struct dw_sem *sem, int d, const char *label)
{
	char key[DW_SEM_PHRASE * 2];
	size_t len = member_key(d, label, key, sizeof key);
	const struct dw_strmap_entry *e = dw_strmap_get(sem->mmap, key, len);

	return e ? &sem->members[e->line] : NULL;
}

static struct member *new_member(struct dw_sem *sem, int d, const char *label)
{
	char key[DW_SEM_PHRASE * 2];
	struct dw_strmap_entry init = { 0, (long)sem->nmembers };
	struct member *m;
	int found;

	if (sem->nmembers == sem->mcap) {
		size_t cap = sem->mcap ? sem->mcap * 2 : 64;
		struct member *p = realloc(sem->members, cap * sizeof *p);

		if (!p)
			return NULL;
		sem->members = p;
		sem->mcap = cap;
	}
	if (!dw_strmap_upsert(sem->mmap, key, member_key(d, label, key, sizeof key), &init,
			      &found) ||
	    add_value_now(sem, d, label) < 0)
		return NULL;
	m = &sem->members[sem->nmembers++];
	*m = (struct member){ .dim = d, .label = sem->values[sem->nvalues - 1] };
	return m;
}

/* Whether column is one of dimension dim's key columns. */
static int in_key(const struct dw_kb_dimension *dim, const char *column)
{
	for (size_t k = 0; k < dim->key.n; k++)
		if (!strcmp(dim->key.v[k], column))
			return 1;
	return 0;
}

/* A member's key is a word for it too, when the key is one column other
 * than the label ("CG-12520" for a customer). */
static int push_key(struct dw_sem *sem, int d, const char *rest)
{
	const struct dw_kb_dimension *dim = &sem->kb->dimensions[d];
	const char *kept;

	if (dim->key.n != 1 || in_key(dim, dim->column) || !*rest)
		return 0;
	if (!(kept = keep_value(sem, rest)))
		return -1;
	return push_entry(sem, kept, (struct lex_entry){ .kind = DW_SEM_VALUE, .ref = d,
							 .on_key = 1, .value = kept });
}

int dw_sem_add_member(struct dw_sem *sem, const char *dim, const char *label,
		      const char *rest)
{
	int d = dimension_index(sem->kb, dim);

	if (d < 0)
		return -1;
	return is_local(sem, d) && !sem->settled ? defer(sem, d, label, rest)
						 : add_member_now(sem, d, label, rest);
}

static int add_member_now(struct dw_sem *sem, int d, const char *label, const char *rest)
{
	struct member *m = find_member(sem, d, label);
	size_t n = strlen(rest);
	char *p;

	if (!m && !(m = new_member(sem, d, label)))
		return -1;
	if (!(p = realloc(m->rest, m->len + n + 2)))
		return -1;
	m->rest = p;
	memcpy(p + m->len, rest, n);
	m->len += n;
	p[m->len++] = '\n';
	p[m->len] = '\0';
	m->n++;
	return push_key(sem, d, rest);
}

/* Aliases ("europe" -> "EU") are words for values. */
static int push_aliases(struct dw_sem *sem, int d)
{
	const struct dw_kb_dimension *dim = &sem->kb->dimensions[d];

	for (size_t i = 0; i < dim->naliases; i++) {
		const char *kept = keep_value(sem, dim->aliases[i].value);

		if (!kept || push_entry(sem, dim->aliases[i].word,
					(struct lex_entry){ .kind = DW_SEM_VALUE, .ref = d,
							    .value = kept }) < 0)
			return -1;
	}
	return 0;
}

size_t dw_sem_dimension_values(const struct dw_sem *sem, const char *dim, const char **out,
			       size_t max)
{
	int d = dimension_index(sem->kb, dim);
	size_t n = 0;

	for (size_t i = 0; d >= 0 && i < sem->nentries && n < max; i++) {
		const struct lex_entry *e = &sem->entries[i];
		size_t k = 0;

		if (e->kind != DW_SEM_VALUE || e->ref != d)
			continue;
		while (k < n && strcmp(out[k], e->value))
			k++;
		if (k == n)
			out[n++] = e->value;
	}
	return n;
}

void dw_sem_set_latest(struct dw_sem *sem, long yyyymmdd)
{
	sem->latest = yyyymmdd;
}

int dw_sem_mask(struct dw_sem *sem, const char *dim)
{
	int d = dimension_index(sem->kb, dim);

	if (d < 0 || d >= 64)
		return -1;
	sem->masked |= 1ULL << d;
	return 0;
}

int dw_sem_load_members(const struct dw_kb_dimension *dim)
{
	return !(dim->key.n == 1 && in_key(dim, dim->column));
}

char *dw_sem_load_sql(struct dw_db *db, const struct dw_kb_dimension *dim)
{
	char *t = dw_db_quote_ident(db, dim->table), *c = dw_db_quote_ident(db, dim->column);
	char *sql = NULL;
	size_t len;
	FILE *fp = t && c ? open_memstream(&sql, &len) : NULL;
	int rest = 0, ok = fp != NULL;

	if (ok)
		fprintf(fp, "SELECT %s, ", c);
	for (size_t k = 0; ok && k < dim->key.n; k++) {
		char *q;

		if (!strcmp(dim->key.v[k], dim->column))
			continue;
		if (!(q = dw_db_quote_ident(db, dim->key.v[k]))) {
			ok = 0;
			break;
		}
		fprintf(fp, "%s%s", rest++ ? ", " : "CONCAT_WS(', ', ", q);
		free(q);
	}
	if (ok && rest)
		fprintf(fp, ") FROM %s WHERE %s IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2", t, c);
	else if (ok)
		fprintf(fp, "'' FROM %s WHERE %s IS NOT NULL GROUP BY 1", t, c);
	if (fp && fclose(fp) != 0)
		ok = 0;
	free(t);
	free(c);
	if (!ok) {
		free(sql);
		return NULL;
	}
	return sql;
}

void dw_sem_load_latest_sql(const struct dw_kb *kb, char *buf, size_t size)
{
	const char *fact, *key;

	*buf = '\0';
	if (dw_sem_sql_time_key(kb, &fact, &key) == 0)
		snprintf(buf, size, "SELECT MAX(%s) FROM %s", key, fact);
}

/* ---- phrases ---------------------------------------------------------- */

/* Two neighbouring letters swapped ("prodcuts", "teh"). */
static int swapped(const char *a, const char *b)
{
	size_t n = strlen(a), i = 0;

	if (n != strlen(b))
		return 0;
	while (i < n && a[i] == b[i])
		i++;
	return i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] && !strcmp(a + i + 2, b + i + 2);
}

/* Whether a is b's plural: b with "s" or "es". */
static int is_plural(const char *a, const char *b)
{
	size_t n = strlen(b);

	return !strncmp(a, b, n) && (!strcmp(a + n, "s") || !strcmp(a + n, "es"));
}

/* One edit apart: Levenshtein 1, or two neighbouring letters swapped. */
static int one_edit(const char *a, const char *b)
{
	return dw_text_edit_distance(a, b) <= 1 || swapped(a, b);
}

/* The typo rule: an unknown word is read as the one known word one edit
 * away, when exactly one known word is that close and the unknown word is
 * not one of the words that change a question's meaning ("median" is not
 * the city Medan). A word of 5 letters or more may be one edit from a word
 * of a metric, a dimension, a time grain, a value, or share, growth or
 * trend words; a word of 3 or 4 letters only two swapped letters from any
 * known word ("teh"). Never a word only of names. NULL otherwise. */
static const char *correct(const struct dw_sem *sem, const char *word)
{
	const struct dw_sem_word *w;
	long hit = -1;
	size_t len = strlen(word);

	if (len < 3)
		return NULL;
	for (w = dw_sem_words_never_corrected; w->phrase; w++)
		if (!strcmp(w->phrase, word))
			return NULL;
	for (size_t i = 0; i < sem->nsingle; i++) {
		size_t l = strlen(sem->single[i]);

		/* A known word that makes no phrase here ("united" alone) is no
		 * typo: reading it as itself would cut the same words forever. */
		if (!strcmp(word, sem->single[i]))
			return NULL;
		if (l + 1 < len || l > len + 1 ||
		    !(len >= 5 ? one_edit(word, sem->single[i]) : swapped(word, sem->single[i])))
			continue;
		if (hit >= 0 && is_plural(sem->single[i], sem->single[hit]))
			continue;   /* "profitt": "profit", not also "profits" */
		if (hit >= 0 && !is_plural(sem->single[hit], sem->single[i]))
			return NULL;   /* two words as close: no guess */
		hit = (long)i;
	}
	if (hit < 0 || !(sem->content[hit] & TYPO_OTHER))
		return NULL;   /* only a word of names */
	return len < 5 || sem->content[hit] & TYPO_TARGET ? sem->single[hit] : NULL;
}

/* Every word in no phrase the engine knows, read as its typo where the
 * rule allows: a line for each into fixes. */
static void correct_words(const struct dw_sem *sem, char words[][DW_SEM_WORD], int n,
			  char *fixes, size_t size)
{
	for (int i = 0; i < n; i++) {
		const char *fix;

		if (isdigit((unsigned char)words[i][0]) ||
		    dw_strmap_get(sem->wmap, words[i], strlen(words[i])) ||
		    !(fix = correct(sem, words[i])))
			continue;
		snprintf(fixes + strlen(fixes), size - strlen(fixes), "read '%s' as '%s'\n",
			 words[i], fix);
		snprintf(words[i], DW_SEM_WORD, "%s", fix);
	}
}

/* The longest phrase at words[i] ending by words[end - 1]: its length, 0
 * when none. */
static int longest_at(const struct dw_sem *sem, char words[][DW_SEM_WORD], int i, int end)
{
	for (int len = end - i < DW_SEM_MAXPHRASE ? end - i : DW_SEM_MAXPHRASE; len > 0; len--) {
		char phrase[DW_SEM_PHRASE];

		join_words(words, i, len, phrase, sizeof phrase);
		if (dw_strmap_get(sem->lex, phrase, strlen(phrase)))
			return len;
	}
	return 0;
}

/* Whether words [from, to) cut into known phrases. */
static int cuts(const struct dw_sem *sem, char words[][DW_SEM_WORD], int from, int to)
{
	for (int len; from < to; from += len)
		if (!(len = longest_at(sem, words, from, to)))
			return 0;
	return 1;
}

/* Whether phrases a and b have one meaning, the same. */
static int same_meaning(const struct dw_sem *sem, const char *a, const char *b)
{
	const struct lex_entry *x = &sem->entries[dw_strmap_get(sem->lex, a, strlen(a))->line];
	const struct lex_entry *y = &sem->entries[dw_strmap_get(sem->lex, b, strlen(b))->line];

	return x->next < 0 && y->next < 0 && x->kind == y->kind && x->ref == y->ref &&
	       x->kind != DW_SEM_VALUE;
}

/* "shipping cost per order priority": the longest phrase ("shipping cost
 * per order") overlaps another ("order priority"), and the words before
 * the other are phrases too: two readings, no guess. Writes the decline
 * into why and returns 1 then. */
static int crossing(const struct dw_sem *sem, char words[][DW_SEM_WORD], int n, int i, int len,
		    char *why, size_t size)
{
	for (int k = i + 1; k < i + len; k++) {
		int l = longest_at(sem, words, k, n);
		char a[DW_SEM_PHRASE], b[DW_SEM_PHRASE];

		if (k + l <= i + len || !cuts(sem, words, i, k))
			continue;
		join_words(words, i, len, a, sizeof a);
		join_words(words, k, l, b, sizeof b);
		if (same_meaning(sem, a, b))
			continue;   /* "number of products sold": both the same metric */
		snprintf(why, size, "'%s' and '%s' overlap: the question can be read two ways", a, b);
		return 1;
	}
	return 0;
}

/* Cuts the words into the longest known phrases. Returns the item count,
 * or -1 with the first unknown word in *unknown, or with why set when two
 * phrases overlap. */
static int cut_phrases(const struct dw_sem *sem, char words[][DW_SEM_WORD], int n,
		       struct dw_sem_item *items, int *unknown, char *why, size_t wsize)
{
	int nitems = 0;

	for (int i = 0; i < n;) {
		int len = longest_at(sem, words, i, n), found = len > 0;
		struct dw_sem_item *it = &items[nitems];

		memset(it, 0, sizeof *it);
		if (found) {
			char phrase[DW_SEM_PHRASE];

			join_words(words, i, len, phrase, sizeof phrase);
			it->first = (int)dw_strmap_get(sem->lex, phrase, strlen(phrase))->line;
			if (crossing(sem, words, n, i, len, why, wsize))
				return -1;
		}
		if (!found) {
			char *end;
			long v = strtol(words[i], &end, 10);

			if (*end || !isdigit((unsigned char)words[i][0])) {
				*unknown = i;
				return -1;
			}
			it->first = -1;
			it->number = v;
			len = 1;
		}
		snprintf(it->text, sizeof it->text, "%s", words[i]);
		for (int k = i + 1; k < i + len; k++)
			snprintf(it->text + strlen(it->text), sizeof it->text - strlen(it->text),
				 " %s", words[k]);
		it->nwords = len;
		i += len;
		nitems++;
	}
	return nitems;
}

/* The interpretations of an item as a flat array, for the reader. */
static void fill_meanings(const struct dw_sem *sem, struct dw_sem_item *it)
{
	it->nmeanings = 0;
	if (it->first < 0) {
		it->meanings[it->nmeanings++] = (struct dw_sem_meaning){
			.kind = it->number >= 1000 && it->number <= 9999 ? DW_SEM_YEAR
									  : DW_SEM_NUMBER,
			.ref = (int)it->number };
		return;
	}
	for (int i = it->first; i >= 0 && it->nmeanings < DW_SEM_MAXMEANINGS;
	     i = sem->entries[i].next) {
		const struct lex_entry *e = &sem->entries[i];

		it->meanings[it->nmeanings++] = (struct dw_sem_meaning){
			.kind = e->kind, .ref = e->ref, .plural = e->plural, .on_key = e->on_key,
			.value = e->value };
		if (e->kind == DW_SEM_NUMBER)
			it->number = e->ref;   /* "five" */
	}
}

/* Whether another filter narrows dimension d to one member: a filter on a
 * dimension of the same table whose column is in d's key ("Central EU"). */
static int narrowed(const struct dw_sem_plan *p, int d)
{
	const struct dw_kb_dimension *dim = &p->kb->dimensions[d];

	for (int i = 0; i < p->nfilters; i++) {
		const struct dw_kb_dimension *o = &p->kb->dimensions[p->filters[i].dim];

		if (p->filters[i].dim != d && !strcmp(o->table, dim->table) &&
		    strcmp(o->column, dim->column) && in_key(dim, o->column))
			return 1;
	}
	return 0;
}

/* "'Central' is a region of 3 markets: EU, LATAM, US; all are included;
 * say 'Central EU' for one" into buf. */
static void shared_text(const struct dw_kb *kb, const struct member *m, char *buf, size_t size)
{
	const struct dw_kb_dimension *dim = &kb->dimensions[m->dim];
	char what[DW_SEM_PHRASE + 4], parent[DW_SEM_PHRASE + 4], spoken[DW_SEM_PHRASE];
	const char *sep = strstr(m->rest, ", ") ? "; " : ", ";
	size_t len;

	snprintf(spoken, sizeof spoken, "%s", dim->name);
	for (char *c = spoken; *c; c++)
		*c = *c == '_' ? ' ' : *c;
	pluralize(spoken, what, sizeof what);
	if (*dim->parent && dim->key.n > 1) {   /* the rest of the key is the parent's */
		pluralize(dim->parent, parent, sizeof parent);
		len = (size_t)snprintf(buf, size, "'%s' is a %s of %d %s: ", m->label, spoken, m->n,
				       parent);
	} else {
		len = (size_t)snprintf(buf, size, "'%s' names %d %s: ", m->label, m->n, what);
	}
	for (const char *r = m->rest; *r && len < size; r = strchr(r, '\n') + 1)
		len += (size_t)snprintf(buf + len, size - len, "%s%.*s", r == m->rest ? "" : sep,
					(int)strcspn(r, "\n"), r);
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len, "; all are included");
	if (*dim->parent && dim->key.n > 1 && len < size)
		snprintf(buf + len, size - len, "; say '%s %.*s' for one", m->label,
			 (int)strcspn(m->rest, ",\n"), m->rest);
	else if (dim->key.n == 1 && len < size)
		snprintf(buf + len, size - len, "; name one by its %s, like '%.*s'",
			 dim->key.v[0], (int)strcspn(m->rest, "\n"), m->rest);
}

/* "sales in the South": with no other grouping, a value naming several
 * members is answered with one row for each of them. */
static void group_shared(struct dw_sem_plan *p, int d)
{
	if (p->intent != DW_SEM_AGGREGATE || p->ndims || p->grain >= 0 || p->direction)
		return;
	p->dims[p->ndims++] = d;
	dw_sem_read_explain(p, "group by: %s (a row for each %s of that name)",
			    p->kb->dimensions[d].name, p->kb->dimensions[d].name);
}

/* The first filter value that names several members and is not narrowed
 * to one: its notice, also a line of the explanation. Returns 0 or -1. */
static int note_shared(const struct dw_sem *sem, struct dw_sem_plan *p, char **notice)
{
	char buf[1024];

	for (int i = 0; i < p->nfilters; i++) {
		const struct dw_sem_filter *f = &p->filters[i];

		for (int v = 0; v < f->nvalues && !narrowed(p, f->dim); v++) {
			const struct member *m = find_member(sem, f->dim, f->values[v]);

			if (!m || m->n < 2)
				continue;
			shared_text(sem->kb, m, buf, sizeof buf);
			dw_sem_read_explain(p, "notice: %s", buf);
			group_shared(p, f->dim);
			return (*notice = strdup(buf)) ? 0 : -1;
		}
	}
	return 0;
}

/* Whether every word of text but numbers is in a phrase other than a name. */
static int all_known(const struct dw_sem *sem, const char *text)
{
	char words[DW_SEM_MAXITEMS][DW_SEM_WORD];
	int n = dw_sem_split(text, words, DW_SEM_MAXITEMS);

	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)words[i][0]) && !known_word(sem, words[i]))
			return 0;
	return n >= 0;
}

/* Puts deferred names into the lexicon: those made only of words of other
 * phrases (want 0), with their keys, or all of them (want 1). A name left
 * out holds a word no other phrase has, so only a question holding that
 * word, which loads them all, can name it. Returns 0 or -1. */
static int load_names(struct dw_sem *sem, int want)
{
	size_t keep = 0;
	unsigned char *now = calloc(sem->nlater + 1, 1);

	if (!now)
		return -1;
	/* Decide first: names loaded now must not make others look known. */
	for (size_t i = 0; i < sem->nlater; i++)
		now[i] = want || all_known(sem, sem->later[i].label);
	for (size_t i = 0; i < sem->nlater; i++) {
		struct deferred *x = &sem->later[i];
		int rc = 0;

		if (!now[i]) {
			sem->later[keep++] = *x;
			continue;
		}
		rc = x->rest ? add_member_now(sem, x->dim, x->label, x->rest)
			     : add_value_now(sem, x->dim, x->label);
		free(x->label);
		free(x->rest);
		if (rc < 0) {
			memmove(&sem->later[keep], &sem->later[i + 1],
				(sem->nlater - i - 1) * sizeof *x);   /* keep the rest owned */
			sem->nlater = keep + sem->nlater - i - 1;
			free(now);
			return -1;
		}
	}
	sem->nlater = keep;
	sem->settled = 1;
	free(now);
	return 0;
}

/* Names of customers and products (values: local) are thousands: they go
 * into the lexicon only when the question has a word nothing else knows,
 * but for those made only of known words, which always do. */
static int names_for(struct dw_sem *sem, char words[][DW_SEM_WORD], int n)
{
	if (!sem->settled && load_names(sem, 0) < 0)
		return -1;
	for (int i = 0; sem->nlater && i < n; i++)
		if (!isdigit((unsigned char)words[i][0]) && !known_word(sem, words[i]))
			return load_names(sem, 1);
	return 0;
}

/* 0 to 99 said in words from words[i] ("thirteen", "forty two", "oh
 * five"): how many words, 0 if none; the number in *v. */
static int spoken_two(char words[][DW_SEM_WORD], int i, int n, int *v)
{
	long x = i < n ? dw_sem_words_number(words[i]) : -1, u;

	if (i < n && !strcmp(words[i], "oh"))   /* "oh five" */
		return i + 1 < n && (u = dw_sem_words_number(words[i + 1])) >= 1 && u <= 9
		       ? (*v = (int)u, 2) : 0;
	if (x < 1 || x > 90 || (x > 19 && x % 10))
		return 0;
	*v = (int)x;
	if (x >= 20 && i + 1 < n && (u = dw_sem_words_number(words[i + 1])) >= 1 && u <= 9)
		return *v += (int)u, 2;
	return 1;
}

/* A year said in words at words[i]: "twenty thirteen", "nineteen
 * ninety nine", "twenty oh five", "two thousand (and) fourteen". How many
 * words, 0 if none ("twenty five" is a number); the year in *year. */
static int spoken_year(char words[][DW_SEM_WORD], int i, int n, int *year)
{
	int v, k;

	if (i + 1 < n && !strcmp(words[i], "two") && !strcmp(words[i + 1], "thousand")) {
		k = i + 2 < n && !strcmp(words[i + 2], "and") ? 3 : 2;
		int used = spoken_two(words, i + k, n, &v);

		*year = 2000 + (used ? v : 0);
		return used ? k + used : 2;
	}
	if (i + 1 >= n || (strcmp(words[i], "nineteen") && strcmp(words[i], "twenty")))
		return 0;
	k = spoken_two(words, i + 1, n, &v);
	if (!k || (v < 10 && strcmp(words[i + 1], "oh")))
		return 0;
	*year = (words[i][1] == 'i' ? 1900 : 2000) + v;
	return 1 + k;
}

/* Years said in words become digits, each noted in fixes. Returns n. */
static int spoken_years(char words[][DW_SEM_WORD], int n, char *fixes, size_t size)
{
	for (int i = 0; i < n; i++) {
		char said[DW_SEM_PHRASE];
		int year, k = spoken_year(words, i, n, &year);
		size_t len = strlen(fixes);

		if (!k)
			continue;
		join_words(words, i, k, said, sizeof said);
		snprintf(fixes + len, size - len, "read '%s' as %d\n", said, year);
		snprintf(words[i], DW_SEM_WORD, "%d", year);
		memmove(words[i + 1], words[i + k], (size_t)(n - i - k) * sizeof words[0]);
		n -= k - 1;
	}
	return n;
}

/* "orders were sent back", "revenue was returned", "orders that came
 * back": the passive or phrasal forms of "returned" become that word, so
 * the knowledge file's phrases ("orders returned") read them. Each is
 * noted in fixes. Returns n. */
static int returned_words(char words[][DW_SEM_WORD], int n, char *fixes, size_t size)
{
	for (int i = 0; i < n; i++) {
		int a = dw_sem_words_in(words[i], dw_sem_words_auxiliaries), k = a;
		char said[DW_SEM_PHRASE];
		size_t len = strlen(fixes);

		if (i + k + 1 < n && dw_sem_words_in(words[i + k], dw_sem_words_back) &&
		    !strcmp(words[i + k + 1], "back"))
			k += 2;
		else if (i + k < n && a && !strcmp(words[i + k], "returned"))
			k += 1;
		else
			continue;
		if (k < 2)
			continue;
		join_words(words, i, k, said, sizeof said);
		snprintf(fixes + len, size - len, "read '%s' as 'returned'\n", said);
		snprintf(words[i], DW_SEM_WORD, "returned");
		memmove(words[i + 1], words[i + k], (size_t)(n - i - k) * sizeof words[0]);
		n -= k - 1;
	}
	return n;
}

int dw_sem_answer(struct dw_sem *sem, const char *question, struct dw_sem_answer *ans,
		  struct dw_err *err)
{
	char words[DW_SEM_MAXITEMS][DW_SEM_WORD];
	struct dw_sem_item items[DW_SEM_MAXITEMS];
	struct dw_sem_plan plan;
	char *notice = NULL, fixes[1024] = "", why[2 * DW_SEM_PHRASE + 64] = "";
	int n = dw_sem_split(question, words, DW_SEM_MAXITEMS), nitems, unknown = 0, rc;

	memset(ans, 0, sizeof *ans);
	dw_err_clear(err);
	if (n < 0)
		return dw_err_set(err, DW_EX_NEGATIVE, "the question is too long"), 0;
	if (n == 0)
		return dw_err_set(err, DW_EX_NEGATIVE, "the question is empty"), 0;
	n = spoken_years(words, n, fixes, sizeof fixes);
	n = returned_words(words, n, fixes, sizeof fixes);
	if (names_for(sem, words, n) < 0)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	correct_words(sem, words, n, fixes, sizeof fixes);
	nitems = cut_phrases(sem, words, n, items, &unknown, why, sizeof why);
	if (nitems < 0 && *why)
		return dw_err_set(err, DW_EX_NEGATIVE, "%s", why), 0;
	if (nitems < 0)
		return dw_err_set(err, DW_EX_NEGATIVE, "'%s' is not understood", words[unknown]), 0;
	for (int i = 0; i < nitems; i++)
		fill_meanings(sem, &items[i]);
	dw_sem_read_plan_init(&plan, sem->kb, sem->latest);
	plan.masked = sem->masked;
	for (char *f = fixes, *nl; (nl = strchr(f, '\n')); f = nl + 1)
		dw_sem_read_explain(&plan, "%.*s", (int)(nl - f), f);
	if (dw_sem_read_question(&plan, items, nitems, err) < 0)
		return 0;
	if (note_shared(sem, &plan, &notice) < 0)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	rc = dw_sem_sql_build(&plan, ans, err);
	if (rc == 1)
		ans->notice = notice;
	else
		free(notice);
	return rc;
}

void dw_sem_answer_release(struct dw_sem_answer *ans)
{
	for (size_t i = 0; i < ans->nparams; i++)
		free(ans->params[i]);
	free(ans->params);
	free(ans->sql);
	free(ans->explain);
	free(ans->notice);
	memset(ans, 0, sizeof *ans);
}
