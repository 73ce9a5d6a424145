/* Reading a question's phrases into a plan: which metrics, which groups,
 * which filters, which period, which order. Each phrase is taken in one
 * meaning by a fixed rule; a phrase that fits no rule declines. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ask/sem/sem_int.h"

void dw_sem_read_plan_init(struct dw_sem_plan *p, const struct dw_kb *kb, long latest)
{
	memset(p, 0, sizeof *p);
	p->kb = kb;
	p->latest = latest;
	p->grain = -1;
	p->rank_metric = -1;
	p->counted = -1;
}

void dw_sem_read_explain(struct dw_sem_plan *p, const char *fmt, ...)
{
	size_t len = strlen(p->explain);
	va_list ap;

	if (len + 2 >= sizeof p->explain)
		return;
	va_start(ap, fmt);
	vsnprintf(p->explain + len, sizeof p->explain - len - 1, fmt, ap);
	va_end(ap);
	len = strlen(p->explain);
	p->explain[len] = '\n';
	p->explain[len + 1] = '\0';
}

static int decline(struct dw_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int decline(struct dw_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dw_err_vset(err, DW_EX_NEGATIVE, fmt, ap);
	va_end(ap);
	return -1;
}

/* The meaning of kind k of an item, NULL when it cannot mean that. */
static const struct dw_sem_meaning *meaning(const struct dw_sem_item *it, enum dw_sem_kind k)
{
	for (int i = 0; it && i < it->nmeanings; i++)
		if (it->meanings[i].kind == k)
			return &it->meanings[i];
	return NULL;
}

static int is(const struct dw_sem_item *it, enum dw_sem_kind k)
{
	return meaning(it, k) != NULL;
}

/* The grain named name ("year"), -1 when the knowledge file has none. */
static int grain_named(const struct dw_kb *kb, const char *name)
{
	for (size_t i = 0; i < kb->time.ngrains; i++)
		if (!strcmp(kb->time.grains[i].name, name))
			return (int)i;
	return -1;
}

static int is_grain(const struct dw_sem_plan *p, const struct dw_sem_item *it, const char *name)
{
	const struct dw_sem_meaning *m = meaning(it, DW_SEM_GRAIN);

	return m && m->ref == grain_named(p->kb, name);
}

/* ---- time ------------------------------------------------------------- */

struct period {
	long from, to;           /* YYYYMMDD, [from, to) */
	const char *grain;       /* one year, quarter or month: its grain; else NULL */
	char what[2 * DW_SEM_PHRASE + 96];
};

static long ymd(int y, int m, int d)
{
	return (long)y * 10000 + m * 100 + d;
}

static void months(struct period *t, int y, int m, int count)
{
	int ey = y + (m - 1 + count) / 12, em = (m - 1 + count) % 12 + 1;

	t->from = ymd(y, m, 1);
	t->to = ymd(ey, em, 1);
}

/* The month count-1 months before y-m, into *sy, *sm. */
static void months_back(int y, int m, int count, int *sy, int *sm)
{
	int total = y * 12 + (m - 1) - (count - 1);

	*sy = total / 12;
	*sm = total % 12 + 1;
}

/* "the year before last": the whole year, quarter or month (grain ref as
 * in dw_sem_words_growth_grain) before the latest one with data. */
static int before_last(struct dw_sem_plan *p, struct dw_sem_item *it, int *i, int ref,
		       struct period *t, struct dw_err *err)
{
	int y = (int)(p->latest / 10000), m = (int)(p->latest / 100 % 100), sy, sm;
	const char *g = dw_sem_words_growth_grain[ref];

	if (!p->latest)
		return decline(err, "'%s' needs data: the warehouse has no orders", it[*i].text);
	if (ref == 1) {
		t->from = ymd(y - 1, 1, 1);
		t->to = ymd(y, 1, 1);
	} else {
		months_back(y, ref == 2 ? (m - 1) / 3 * 3 + 1 : m, ref == 2 ? 4 : 2, &sy, &sm);
		months(t, sy, sm, ref == 2 ? 3 : 1);
	}
	t->grain = g;
	snprintf(t->what, sizeof t->what, "\"%s\": relative to the latest order date %ld",
		 it[*i].text, p->latest);
	(*i)++;
	return 1;
}

/* "last year / quarter / month", "last 3 months": the latest ones with data
 * (the latest order date decides, not the clock). */
static int relative_period(struct dw_sem_plan *p, struct dw_sem_item *it, int n, int *i,
			   struct period *t, struct dw_err *err)
{
	int y = (int)(p->latest / 10000), m = (int)(p->latest / 100 % 100), count = 1, k = *i + 1;
	int sy, sm, before = meaning(&it[*i], DW_SEM_LAST)->ref;

	if (before)
		return before_last(p, it, i, before, t, err);

	if (k < n && is(&it[k], DW_SEM_NUMBER) && it[k].number >= 1 && it[k].number <= 120)
		count = (int)it[k++].number;
	if (k >= n || !is(&it[k], DW_SEM_GRAIN))
		return decline(err, "'%s' must be followed by year, quarter or month", it[*i].text);
	if (!p->latest)
		return decline(err, "'%s %s' needs data: the warehouse has no orders", it[*i].text,
			       it[k].text);
	if (is_grain(p, &it[k], "year")) {
		t->from = ymd(y - count + 1, 1, 1);
		t->to = ymd(y + 1, 1, 1);
	} else if (is_grain(p, &it[k], "quarter")) {
		months_back(y, (m - 1) / 3 * 3 + 1, (count - 1) * 3 + 1, &sy, &sm);
		months(t, sy, sm, count * 3);
	} else if (is_grain(p, &it[k], "month")) {
		months_back(y, m, count, &sy, &sm);
		months(t, sy, sm, count);
	} else {
		return decline(err, "'%s %s' is not supported: use year, quarter or month",
			       it[*i].text, it[k].text);
	}
	if (count == 1)
		t->grain = is_grain(p, &it[k], "year") ? "year"
			 : is_grain(p, &it[k], "quarter") ? "quarter" : "month";
	if (count > 1)
		snprintf(t->what, sizeof t->what, "\"%s %d %s\": relative to the latest order date %ld",
			 it[*i].text, count, it[k].text, p->latest);
	else
		snprintf(t->what, sizeof t->what, "\"%s %s\": relative to the latest order date %ld",
			 it[*i].text, it[k].text, p->latest);
	*i = k + 1;
	return 1;
}

/* A year next to position k (before or after), or 0. */
static int year_near(struct dw_sem_item *it, int n, int k, int *used)
{
	if (k + 1 < n && is(&it[k + 1], DW_SEM_YEAR)) {
		*used = k + 1;
		return (int)it[k + 1].number;
	}
	if (k > 0 && is(&it[k - 1], DW_SEM_YEAR)) {
		*used = k - 1;
		return (int)it[k - 1].number;
	}
	return 0;
}

/* A period starting at it[*i]: 1 read (and *i moved past it), 0 none here,
 * -1 declined (a month or quarter without a year). */
static int read_period(struct dw_sem_plan *p, struct dw_sem_item *it, int n, int *i,
		       struct period *t, struct dw_err *err)
{
	struct dw_sem_item *x = &it[*i];
	int k = *i, y, used = -1, q = 0;

	if (is(x, DW_SEM_LAST))
		return relative_period(p, it, n, i, t, err);
	if (is(x, DW_SEM_YEAR) && !(k + 1 < n && (is(&it[k + 1], DW_SEM_MONTH) ||
						 is(&it[k + 1], DW_SEM_QUARTER)))) {
		y = (int)x->number;
		t->from = ymd(y, 1, 1);
		t->to = ymd(y + 1, 1, 1);
		snprintf(t->what, sizeof t->what, "the year %d", y);
		t->grain = "year";
		*i = k + 1;
		return 1;
	}
	if (is(x, DW_SEM_YEAR))   /* "2014 march": read from the month */
		k++, x = &it[k];
	if (is(x, DW_SEM_GRAIN) && is_grain(p, x, "year") && k + 1 < n && is(&it[k + 1], DW_SEM_YEAR)) {
		*i = k + 1;       /* "year 2013": the year itself follows */
		return read_period(p, it, n, i, t, err);
	}
	if (is(x, DW_SEM_MONTH)) {
		if (!(y = year_near(it, n, k, &used)))
			return decline(err, "'%s' needs a year, e.g. '%s 2014'", x->text, x->text);
		months(t, y, meaning(x, DW_SEM_MONTH)->ref, 1);
		snprintf(t->what, sizeof t->what, "%s %d", x->text, y);
		t->grain = "month";
		*i = (used > k ? used : k) + 1;
		return 1;
	}
	if (is(x, DW_SEM_QUARTER))
		q = meaning(x, DW_SEM_QUARTER)->ref;
	else if (is(x, DW_SEM_ORDINAL) && k + 1 < n && is_grain(p, &it[k + 1], "quarter"))
		q = meaning(x, DW_SEM_ORDINAL)->ref, k++;
	if (!q)
		return 0;
	if (!(y = year_near(it, n, k, &used)))
		return decline(err, "'%s' needs a year, e.g. 'Q%d 2014'", it[*i].text, q);
	months(t, y, (q - 1) * 3 + 1, 3);
	snprintf(t->what, sizeof t->what, "Q%d %d", q, y);
	t->grain = "quarter";
	*i = (used > k ? used : k) + 1;
	return 1;
}

static void format_key(long key, char *buf, size_t size)
{
	snprintf(buf, size, "%04ld-%02ld-%02ld", key / 10000, key / 100 % 100, key % 100);
}

/* Records a period; a second one is kept beside the first when both are a
 * whole year, quarter or month (compared: a row each, see read_periods). */
static int set_period(struct dw_sem_plan *p, long from, long to, const char *grain,
		      const char *what, struct dw_err *err)
{
	char a[32] = "", b[32] = "";
	int g = grain ? grain_named(p->kb, grain) : -1;

	if (p->nperiods && (g < 0 || p->periods[0].grain != g || p->range))
		return decline(err, "the question names more than one period");
	if (p->nperiods == DW_SEM_MAX)
		return decline(err, "too many periods");
	if (p->latest && from > p->latest) {   /* an empty answer would look like a zero */
		format_key(p->latest, a, sizeof a);
		return decline(err, "the data ends on %s: no order in %s", a, what);
	}
	p->periods[p->nperiods++] = (struct dw_sem_period){ from, to, g };
	if (!p->from || from < p->from)
		p->from = from;
	if (p->nperiods == 1 || to > p->to)
		p->to = to;
	if (from)
		format_key(from, a, sizeof a);
	if (to)
		format_key(to, b, sizeof b);
	dw_sem_read_explain(p, "period: order dates from %s up to %s (%s)", from ? a : "the start",
		       to ? b : "the end", what);
	return 0;
}

/* between A and B, from A to B, since A, before A, or a bare period. */
static int read_time(struct dw_sem_plan *p, struct dw_sem_item *it, int n, int *i,
		     struct dw_err *err)
{
	struct period a = { 0 }, b = { 0 };
	char both[2 * sizeof a.what + 8];
	int k = *i, rc;
	enum dw_sem_kind lead = is(&it[k], DW_SEM_BETWEEN) ? DW_SEM_BETWEEN
			      : is(&it[k], DW_SEM_FROM)     ? DW_SEM_FROM
			      : is(&it[k], DW_SEM_SINCE)    ? DW_SEM_SINCE
			      : is(&it[k], DW_SEM_BEFORE)   ? DW_SEM_BEFORE
							    : DW_SEM_FILLER;

	if (lead != DW_SEM_FILLER)
		k++;
	if (lead == DW_SEM_BETWEEN && k < n && is(&it[k], DW_SEM_VALUE) && !is(&it[k], DW_SEM_YEAR)) {
		p->compare = 1;   /* "between the EU and LATAM": values compared */
		*i = k;
		return 1;
	}
	if (k >= n || (rc = read_period(p, it, n, &k, &a, err)) == 0)
		return lead == DW_SEM_FILLER || lead == DW_SEM_FROM ? 0
		       : decline(err, "'%s' must be followed by a period", it[*i].text);
	if (rc < 0)
		return -1;
	if (lead == DW_SEM_SINCE || lead == DW_SEM_BEFORE) {
		*i = k;
		return set_period(p, lead == DW_SEM_SINCE ? a.from : 0,
				  lead == DW_SEM_SINCE ? 0 : a.from, NULL, it[*i - 1].text, err) < 0
		       ? -1 : 1;
	}
	if ((lead == DW_SEM_BETWEEN || lead == DW_SEM_FROM) && k < n &&
	    (is(&it[k], DW_SEM_AND) || is(&it[k], DW_SEM_TO))) {
		k++;
		if (k >= n || (rc = read_period(p, it, n, &k, &b, err)) <= 0)
			return rc < 0 ? -1 : decline(err, "'%s' needs a second period", it[*i].text);
		if (b.to <= a.from)
			return decline(err, "the period ends before it starts");
		*i = k;
		snprintf(both, sizeof both, "%s to %s", a.what, b.what);
		if (set_period(p, a.from, b.to, NULL, both, err) < 0)
			return -1;
		p->range = 1;
		return 1;
	}
	if (lead == DW_SEM_BETWEEN)
		return decline(err, "'between' needs two periods");
	*i = k;
	return set_period(p, a.from, a.to, a.grain, a.what, err) < 0 ? -1 : 1;
}

/* ---- metrics, dimensions, values ---------------------------------------- */

static int add_unique(int *list, int *n, int v)
{
	for (int i = 0; i < *n; i++)
		if (list[i] == v)
			return 0;
	if (*n == DW_SEM_MAX)
		return -1;
	list[(*n)++] = v;
	return 0;
}

/* Whether text starts with the name or a synonym of a measure other than
 * m, followed by more words: "orders returned" names a part of "orders". */
static int names_subset(const struct dw_kb *kb, int m, const char *text)
{
	for (size_t o = 0; o < kb->nmetrics; o++) {
		const struct dw_kb_metric *x = &kb->metrics[o];

		for (size_t w = 0; (int)o != m && w <= x->synonyms.n; w++) {
			const char *word = w ? x->synonyms.v[w - 1] : x->name;
			size_t n = strlen(word);

			if (!strncmp(text, word, n) && text[n] == ' ')
				return 1;
		}
	}
	return 0;
}

static int add_metric(struct dw_sem_plan *p, int m, const char *text, struct dw_err *err)
{
	if (add_unique(p->metrics, &p->nmetrics, m) < 0)
		return decline(err, "too many measures");
	p->subset_metric |= names_subset(p->kb, m, text);
	dw_sem_read_explain(p, "measure: %s (\"%s\")", p->kb->metrics[m].name, text);
	return 0;
}

static int add_group(struct dw_sem_plan *p, int d, const char *text, struct dw_err *err)
{
	if (add_unique(p->dims, &p->ndims, d) < 0)
		return decline(err, "too many groupings");
	dw_sem_read_explain(p, "group by: %s (\"%s\")", p->kb->dimensions[d].name, text);
	return 0;
}

/* A value of dimension d, a label or (on_key) a key: values of one kind
 * of one dimension are alternatives (IN). */
static int add_filter(struct dw_sem_plan *p, int d, int on_key, const char *value,
		      struct dw_err *err)
{
	struct dw_sem_filter *f = NULL;

	for (int i = 0; i < p->nfilters; i++)
		if (p->filters[i].dim == d && p->filters[i].on_key == on_key)
			f = &p->filters[i];
	if (!f) {
		if (p->nfilters == DW_SEM_MAX)
			return decline(err, "too many filters");
		f = &p->filters[p->nfilters++];
		f->dim = d;
		f->on_key = on_key;
		f->nvalues = 0;
	}
	for (int i = 0; i < f->nvalues; i++)
		if (!strcmp(f->values[i], value))
			return 0;
	if (f->nvalues == DW_SEM_MAX)
		return decline(err, "too many values for '%s'", p->kb->dimensions[d].name);
	f->values[f->nvalues++] = value;
	return 0;
}

static void note_ambiguous(struct dw_sem_plan *p, const struct dw_sem_item *it,
			   const struct dw_sem_meaning *m)
{
	struct dw_sem_ambiguous *a;

	if (p->nambiguous == DW_SEM_MAX)
		return;
	a = &p->ambiguous[p->nambiguous++];
	a->value = m->value;
	a->chosen = m->ref;
	a->ncands = 0;
	for (int k = 0; k < it->nmeanings; k++)
		if (it->meanings[k].kind == DW_SEM_VALUE)
			a->cands[a->ncands++] = it->meanings[k].ref;
}

static struct dw_sem_filter *filter_on(struct dw_sem_plan *p, int dim)
{
	for (int i = 0; i < p->nfilters; i++)
		if (p->filters[i].dim == dim)
			return &p->filters[i];
	return NULL;
}

static void drop_value(struct dw_sem_plan *p, struct dw_sem_filter *f, const char *value)
{
	for (int i = 0; i < f->nvalues; i++)
		if (!strcmp(f->values[i], value)) {
			memmove(&f->values[i], &f->values[i + 1],
				(size_t)(f->nvalues - i - 1) * sizeof f->values[0]);
			f->nvalues--;
			break;
		}
	if (!f->nvalues) {
		int k = (int)(f - p->filters);

		memmove(f, f + 1, (size_t)(p->nfilters - k - 1) * sizeof *f);
		p->nfilters--;
	}
}

/* "Canada and France": Canada is a market, a region and a country, France
 * only a country; read together, both are countries. An ambiguous value
 * joins another filter on one of its dimensions when there is one. */
static int settle_ambiguous(struct dw_sem_plan *p, struct dw_err *err)
{
	for (int a = 0; a < p->nambiguous; a++) {
		struct dw_sem_ambiguous *x = &p->ambiguous[a];

		for (int c = 0; c < x->ncands; c++) {
			struct dw_sem_filter *f = filter_on(p, x->cands[c]);

			if (x->cands[c] == x->chosen || !f)
				continue;
			drop_value(p, filter_on(p, x->chosen), x->value);
			if (add_filter(p, x->cands[c], 0, x->value, err) < 0)
				return -1;
			dw_sem_read_explain(p, "filter: '%s' moved to %s, beside the other %s values",
				       x->value, p->kb->dimensions[x->cands[c]].name,
				       p->kb->dimensions[x->cands[c]].name);
			break;
		}
	}
	return 0;
}

/* The dimension named next to a value ("consumer segment", "country
 * Canada") picks which of the value's dimensions is meant. */
static const struct dw_sem_meaning *value_for_dim(const struct dw_sem_item *v,
						  const struct dw_sem_item *d)
{
	const struct dw_sem_meaning *dm = meaning(d, DW_SEM_DIM);

	for (int i = 0; dm && i < v->nmeanings; i++)
		if (v->meanings[i].kind == DW_SEM_VALUE && v->meanings[i].ref == dm->ref)
			return &v->meanings[i];
	return NULL;
}

/* A value phrase: the dimension named beside it, else the first of its
 * dimensions in the knowledge file's order (the documented rule). Returns
 * how many items were used (1, or 2 with the naming dimension). */
static int read_value(struct dw_sem_plan *p, struct dw_sem_item *it, int n, int i,
		      struct dw_err *err)
{
	const struct dw_sem_meaning *m = NULL, *first = meaning(&it[i], DW_SEM_VALUE);
	int used = 1;
	char dims[256] = "";

	if (i + 1 < n && (m = value_for_dim(&it[i], &it[i + 1])))
		used = 2;
	else if (i > 0 && (m = value_for_dim(&it[i], &it[i - 1])))
		used = 1;   /* the dimension before was left for this value */
	if (!m)
		m = first;
	for (int k = 0; k < it[i].nmeanings; k++)
		if (it[i].meanings[k].kind == DW_SEM_VALUE)
			snprintf(dims + strlen(dims), sizeof dims - strlen(dims), "%s%s",
				 *dims ? ", " : "", p->kb->dimensions[it[i].meanings[k].ref].name);
	if (add_filter(p, m->ref, m->on_key, m->value, err) < 0)
		return -1;
	if (m == first && strchr(dims, ','))
		note_ambiguous(p, &it[i], m);
	if (strchr(dims, ','))
		dw_sem_read_explain(p, "filter: %s = '%s' (\"%s\" is a value of %s; %s)",
			       p->kb->dimensions[m->ref].name, m->value, it[i].text, dims,
			       m == first ? "the first of them in the knowledge file is used"
					  : "the dimension named beside it is used");
	else
		dw_sem_read_explain(p, "filter: %s = '%s' (\"%s\")", p->kb->dimensions[m->ref].name,
			       m->value, it[i].text);
	return used;
}

/* Does a dimension phrase only name the dimension of a value beside it? */
static int names_value_beside(const struct dw_sem_item *it, int n, int i)
{
	return (i + 1 < n && value_for_dim(&it[i + 1], &it[i])) ||
	       (i > 0 && value_for_dim(&it[i - 1], &it[i]));
}

/* The value right before item k, past a dimension naming it ("Corporate
 * segment customers"), or -1. */
static int value_before(const struct dw_sem_item *it, int k)
{
	int v = k - 1;

	if (v > 0 && is(&it[v], DW_SEM_DIM) && !is(&it[v], DW_SEM_VALUE) &&
	    value_for_dim(&it[v - 1], &it[v]))
		v--;
	return v >= 0 && is(&it[v], DW_SEM_VALUE) ? v : -1;
}

/* Metric or dimension for a phrase that can be both ("customers"): a
 * dimension right after by / top N / ranking words, unless another dimension
 * is already ranked ("which country has the most customers"); a metric
 * otherwise. */
static int wants_dimension(const struct dw_sem_plan *p, const struct dw_sem_item *it, int i)
{
	int after_rank;

	if (i == 0)
		return 0;
	if (value_before(it, i) > 0)   /* "top 3 Consumer customers" */
		i = value_before(it, i);
	if (is(&it[i - 1], DW_SEM_BY))
		return 1;
	after_rank = is(&it[i - 1], DW_SEM_DESC) || is(&it[i - 1], DW_SEM_ASC) ||
		     is(&it[i - 1], DW_SEM_RANKED) ||
		     (is(&it[i - 1], DW_SEM_NUMBER) && p->limit);
	return after_rank && !p->ndims;
}

/* ---- the reader ------------------------------------------------------- */

/* Words after which "us" is the pronoun ("bought from us"), not the US. */
static const char *const before_us[] = {
	"from", "with", "to", "for", "bought", "buy", "sold", "sell", "purchased", "ordered",
	"made", "make", "earned", "lost", "gave", "give", "tell", "show", "let", "help", NULL,
};

/* "how many customers bought from us": "us" right after one of those words,
 * and not before a measure or a dimension ("from US customers"), is the
 * pronoun, a filler; otherwise it stays a value. */
static void read_us(struct dw_sem_item *it, int n)
{
	for (int i = 1; i < n; i++) {
		int after = 0;

		if (strcmp(it[i].text, "us") || !is(&it[i], DW_SEM_FILLER))
			continue;
		for (const char *const *w = before_us; *w; w++)
			after |= !strcmp(it[i - 1].text, *w);
		if (after && !(i + 1 < n && (is(&it[i + 1], DW_SEM_METRIC) ||
					      is(&it[i + 1], DW_SEM_DIM))))
			it[i].nmeanings = 1, it[i].meanings[0].kind = DW_SEM_FILLER;
	}
}

static int is_only(const struct dw_sem_item *it, enum dw_sem_kind k)
{
	return it->nmeanings == 1 && it->meanings[0].kind == k;
}

/* Whether a ranking word follows position i, fillers skipped. */
static int ranked_after(const struct dw_sem_item *it, int n, int i)
{
	while (++i < n && is_only(&it[i], DW_SEM_FILLER))
		;
	return i < n && (is(&it[i], DW_SEM_DESC) || is(&it[i], DW_SEM_ASC));
}

/* Fillers carry nothing: drop them so neighbours are neighbours. "how
 * much" and the selling verbs go too, marked in the plan; the phrase
 * before a buying verb is marked as the buyer, those after it as bought,
 * the first of them as the verb's object. A selling verb that answers a
 * "how much" with no measure between them asks for sales ("how much did
 * each category sell and how much profit did it make"). */
static int drop_fillers(struct dw_sem_plan *p, struct dw_sem_item *it, int n)
{
	int m = 0, bought = 0, object = 0, open = 0, prep = 0;

	for (int i = 0; i < n; i++) {
		const struct dw_sem_meaning *s = meaning(&it[i], DW_SEM_SELL);

		if (is(&it[i], DW_SEM_HOWMUCH))
			p->howmuch = open = 1;
		else if (s && !p->sell)
			p->sell = s->ref + 1;
		open &= !is(&it[i], DW_SEM_METRIC);
		if (s && s->ref == 0 && open)
			p->sell_asked = 1, open = 0;
		if (s && s->ref == 1 && m > 0 && !bought)
			it[m - 1].buyer = 1 + ranked_after(it, n, i);
		bought |= s != NULL;
		it[i].bought = bought && !s;
		if (!(is_only(&it[i], DW_SEM_FILLER) || is_only(&it[i], DW_SEM_HOWMUCH) ||
		      is_only(&it[i], DW_SEM_SELL))) {
			it[i].object = object;
			it[i].after_prep = prep;
			it[m++] = it[i];
			object = prep = 0;
		} else {
			prep |= dw_sem_words_in(it[i].text, dw_sem_words_prepositions);
		}
		object |= s != NULL;
	}
	return m;
}

/* "how much did we sell", "which country bought the most": with no measure
 * named, selling is measured in sales. 1 added, 0 not this case, -1 error. */
static int read_selling(struct dw_sem_plan *p, struct dw_err *err)
{
	int m;

	if (!p->sell_asked &&
	    (p->nmetrics || !p->sell || p->howmany || p->cover || p->bought_noun ||
	     !(p->howmuch || (p->sell == 2 && p->direction))))
		return 0;
	for (m = 0; m < (int)p->kb->nmetrics && strcmp(p->kb->metrics[m].name, "sales"); m++)
		;
	if (m == (int)p->kb->nmetrics)
		return decline(err, "no measure (like sales or profit) was asked for");
	return add_metric(p, m, p->howmuch ? "how much ... sell" : "bought the most", err) < 0
	       ? -1 : 1;
}

static int read_grain(struct dw_sem_plan *p, struct dw_sem_item *it, int *i, struct dw_err *err)
{
	struct dw_sem_item *x = &it[(*i)++];

	if (p->grain >= 0 && p->grain != meaning(x, DW_SEM_GRAIN)->ref)
		return decline(err, "two time groupings");
	p->grain = meaning(x, DW_SEM_GRAIN)->ref;
	p->grain_first = p->ndims == 0;
	dw_sem_read_explain(p, "group by: %s (\"%s\")", p->kb->time.grains[p->grain].name, x->text);
	return 0;
}

static int read_by(struct dw_sem_plan *p, struct dw_sem_item *it, int n, int *i,
		   struct dw_err *err)
{
	struct dw_sem_item *x = *i + 1 < n ? &it[*i + 1] : NULL;

	if (!x)
		return decline(err, "'%s' must be followed by what to group by", it[*i].text);
	/* "each of the three categories": the number only says how many. */
	if (is(x, DW_SEM_NUMBER) && *i + 2 < n &&
	    (is(&it[*i + 2], DW_SEM_DIM) || is(&it[*i + 2], DW_SEM_VALUE) ||
	     is(&it[*i + 2], DW_SEM_GRAIN)))
		x = &it[++*i + 1];
	/* "each Furniture subcategory": the value filters, the dimension groups;
	 * "each Central region": a row for each region of that name. */
	if (is(x, DW_SEM_VALUE) && *i + 2 < n && is(&it[*i + 2], DW_SEM_DIM)) {
		if (value_for_dim(x, &it[*i + 2]) &&
		    add_group(p, meaning(&it[*i + 2], DW_SEM_DIM)->ref, it[*i + 2].text, err) < 0)
			return -1;
		return (*i)++, 0;
	}
	*i += 2;
	if (is(x, DW_SEM_DIM)) {
		if (!p->by_at)
			p->by_at = p->ndims + 1;
		return add_group(p, meaning(x, DW_SEM_DIM)->ref, x->text, err);
	}
	if (is(x, DW_SEM_GRAIN)) {
		*i -= 1;
		return read_grain(p, it, i, err);
	}
	/* "top 5 states by profit"; "rank (list) the states by profit". */
	if (is(x, DW_SEM_METRIC) && (p->direction || (p->list && p->ndims && !p->nmetrics))) {
		if (!p->direction)
			p->direction = p->sorted = 1;   /* every row, highest first */
		p->rank_metric = meaning(x, DW_SEM_METRIC)->ref;
		return add_metric(p, p->rank_metric, x->text, err);
	}
	if (is(x, DW_SEM_SHARE) && p->direction) {   /* "top 3 markets by share of profit" */
		*i -= 1;
		return p->share = 1, 0;
	}
	return decline(err, "cannot group by '%s'", x->text);
}

static int read_direction(struct dw_sem_plan *p, struct dw_sem_item *it, int n, int *i,
			  struct dw_err *err)
{
	int dir = is(&it[*i], DW_SEM_DESC) ? 1 : -1;

	if (p->direction && p->direction != dir)
		return decline(err, "both highest and lowest asked for");
	p->direction = dir;
	(*i)++;
	if (*i < n && is(&it[*i], DW_SEM_NUMBER)) {
		if (it[*i].number < 1 || it[*i].number > 1000)
			return decline(err, "'%s' is not a sensible number of rows", it[*i].text);
		p->limit = it[*i].number;
		(*i)++;
	}
	return 0;
}

/* "most profitable", "best-selling": ranked in the adjective's direction,
 * by its measure (added after the phrases are read: see read_adjective). */
static int read_ranked(struct dw_sem_plan *p, struct dw_sem_item *it, int *i, struct dw_err *err)
{
	int r = meaning(&it[*i], DW_SEM_RANKED)->ref;

	if (p->direction && p->direction != dw_sem_words_ranked[r].direction)
		return decline(err, "both highest and lowest asked for");
	if (p->adjective && p->adjective != r + 1)
		return decline(err, "two measures to rank by");
	p->direction = dw_sem_words_ranked[r].direction;
	p->adjective = r + 1;
	dw_sem_read_explain(p, "rank: %s first (\"%s\")", p->direction > 0 ? "highest" : "lowest",
			    it[(*i)++].text);
	return 0;
}

/* "the 5 states with the highest profit": a number before what is ranked. */
static int read_count_of_rows(struct dw_sem_plan *p, const struct dw_sem_item *x,
			      struct dw_err *err)
{
	if (p->limit)
		return decline(err, "two numbers of rows");
	if (x->number < 1 || x->number > 1000)
		return decline(err, "'%s' is not a sensible number of rows", x->text);
	p->limit = x->number;
	return 0;
}

/* "ranked by profit", "sorted by sales": every row, highest first unless
 * the question says otherwise. */
static int read_sort_by(struct dw_sem_plan *p, struct dw_sem_item *it, int n, int *i,
			struct dw_err *err)
{
	struct dw_sem_item *x = *i + 1 < n ? &it[*i + 1] : NULL;

	if (!x || !is(x, DW_SEM_METRIC))
		return decline(err, "'%s' must be followed by a measure", it[*i].text);
	*i += 2;
	p->sorted = 1;
	if (!p->direction)
		p->direction = 1;
	p->rank_metric = meaning(x, DW_SEM_METRIC)->ref;
	return add_metric(p, p->rank_metric, x->text, err);
}

/* "sorted by profit, highest first"; "the 3 least profitable, worst
 * first" (the ranking's own order); "by year, oldest first" (ref 2: the
 * time order a series has anyway). */
static int read_sort_direction(struct dw_sem_plan *p, int dir, const char *text,
			       struct dw_err *err)
{
	if (dir == 2)
		return p->grain >= 0 || p->trend ? 0
		       : decline(err, "'%s' needs a time grouping", text);
	if (!p->sorted && p->direction == dir)
		return 0;
	if (!p->sorted)
		return decline(err, "'highest first' or 'lowest first' needs 'sorted by'");
	p->direction = dir;
	return 0;
}

/* Whether dimension a describes the members of d: an attribute of the
 * same table ("segment" of a customer) or a dimension above it
 * ("category" above "product"). */
static int describes(const struct dw_kb *kb, int a, int d)
{
	if (a != d && !strcmp(kb->dimensions[a].table, kb->dimensions[d].table))
		return 1;
	for (int hops = 0; hops < (int)kb->ndimensions; hops++) {
		const struct dw_kb_dimension *up = dw_kb_dimension(kb, kb->dimensions[d].parent);

		if (!up)
			return 0;
		d = (int)(up - kb->dimensions);
		if (d == a)
			return 1;
	}
	return 0;
}

/* "revenue from Technology products", "sales of Consumer customers": a
 * dimension right after a value of a dimension that describes it, the
 * value after of, from, for, ..., only says what the value is (1), unless
 * the question ranks, lists or counts ("top 5 Technology products", "how
 * many Technology products") or says "by" or "each" (0: it groups).
 * Without the preposition ("avg discount Furniture subcats") either
 * reading is likely: -1, the caller declines. */
static int heads_value(const struct dw_sem_plan *p, const struct dw_sem_item *it, int n, int k)
{
	int d = meaning(&it[k], DW_SEM_DIM)->ref, above = 0, v = value_before(it, k), b = v - 1;

	for (int j = 0; v >= 0 && j < it[v].nmeanings; j++)
		above |= it[v].meanings[j].kind == DW_SEM_VALUE &&
			 describes(p->kb, it[v].meanings[j].ref, d);
	while (b >= 0 && is(&it[b], DW_SEM_NUMBER))   /* "each of the four ..." */
		b--;
	/* "how many Technology products" counts them; "by" or "each" groups. */
	if (!above || (b >= 0 && (is(&it[b], DW_SEM_BY) || is(&it[b], DW_SEM_HOWMANY))))
		return 0;
	for (int j = 0; j < n; j++)
		if (is(&it[j], DW_SEM_DESC) || is(&it[j], DW_SEM_ASC) || is(&it[j], DW_SEM_RANKED) ||
		    is(&it[j], DW_SEM_SORTBY) || is(&it[j], DW_SEM_LIST))
			return 0;
	return it[v].after_prep || (v > 0 && is(&it[v - 1], DW_SEM_FROM)) ? 1 : -1;
}

static int read_dimension(struct dw_sem_plan *p, struct dw_sem_item *it, int n, int *i,
			  struct dw_err *err)
{
	const struct dw_sem_meaning *m = meaning(&it[*i], DW_SEM_DIM);
	int k = *i;

	(*i)++;
	if (names_value_beside(it, n, k))
		return 0;   /* read with the value */
	switch (heads_value(p, it, n, k)) {
	case 1:
		dw_sem_read_explain(p, "read \"%s\" as what \"%s\" is, not a row each",
				    it[k].text, it[value_before(it, k)].text);
		return 0;
	case -1:
		return decline(err, "'%s %s': one total, or a row for each %s? say 'by %s' or "
			       "'from %s %s'", it[value_before(it, k)].text, it[k].text,
			       p->kb->dimensions[m->ref].name, p->kb->dimensions[m->ref].name,
			       it[value_before(it, k)].text, it[k].text);
	}
	/* "which customers bought the most (technology) products": what is
	 * bought, when someone else is ranked, is no grouping; and how to
	 * count it (sales, units, products?) is not said. */
	if (it[k].bought && p->ndims && p->direction) {
		p->bought_noun = 1;
		return 0;
	}
	if (m->plural)
		p->rank_dim_plural = 1;
	return add_group(p, m->ref, it[k].text, err);
}

/* "growth", "year over year": the grain a word names is kept, and two
 * words naming different grains decline. */
static int read_growth_word(struct dw_sem_plan *p, int ref, const char *text, struct dw_err *err)
{
	if (p->growth > 1 && ref && p->growth != ref + 1)
		return decline(err, "two kinds of growth asked for");
	if (!p->growth || ref)
		p->growth = ref + 1;
	dw_sem_read_explain(p, "asks: growth on the previous period (\"%s\")", text);
	return 0;
}

/* The buyer ("customers" before "bought"): who buys, not a count of
 * buyers. Ranked ("which customers bought the most"), the grouping; else
 * only a word for who buys ("what product did customers buy the most
 * units of", "how much did Consumer customers buy"). "How many customers
 * bought" still counts them (the caller). */
static int read_buyer(struct dw_sem_plan *p, struct dw_sem_item *it, int n, int *i,
		      struct dw_err *err)
{
	struct dw_sem_item *x = &it[*i];

	if (x->buyer == 2 && is(x, DW_SEM_DIM) && !p->ndims)
		return read_dimension(p, it, n, i, err);
	dw_sem_read_explain(p, "read \"%s\" as who buys, not a measure", x->text);
	(*i)++;
	return 0;
}

/* Whether text is a whole word of phrase ("shipping" of "shipping mode"). */
static int word_of(const char *phrase, const char *text)
{
	size_t n = strlen(text);

	for (const char *s = strstr(phrase, text); s; s = strstr(s + 1, text))
		if ((s == phrase || s[-1] == ' ' || s[-1] == '_') && (!s[n] || s[n] == ' ' || s[n] == '_'))
			return 1;
	return 0;
}

/* "Same Day shipping": a measure's other word (not its name) right after
 * a value, when it is also a word of the value's dimension's name or
 * synonyms ("shipping mode"), names the value; it asks for no measure.
 * "US sales" asks for sales. */
static int names_value_kind(const struct dw_sem_plan *p, const struct dw_sem_item *it, int k)
{
	const struct dw_sem_item *v = k > 0 ? &it[k - 1] : NULL;
	const char *name = p->kb->metrics[meaning(&it[k], DW_SEM_METRIC)->ref].name;

	if (!strcmp(it[k].text, name) || is(&it[k], DW_SEM_DIM))
		return 0;
	for (int j = 0; v && j < v->nmeanings; j++) {
		const struct dw_kb_dimension *d = &p->kb->dimensions[v->meanings[j].ref];

		if (v->meanings[j].kind != DW_SEM_VALUE)
			continue;
		if (word_of(d->name, it[k].text))
			return 1;
		for (size_t w = 0; w < d->synonyms.n; w++)
			if (word_of(d->synonyms.v[w], it[k].text))
				return 1;
	}
	return 0;
}

/* "units of Office Supplies on Critical priority orders": a measure word
 * right after a value (itself after of, on, from, ...) names what the
 * value is when the question asks for another measure. */
static int another_measure(const struct dw_sem_item *it, int n, int k)
{
	int other = 0, m = meaning(&it[k], DW_SEM_METRIC)->ref;

	for (int j = 0; j < n; j++)
		other |= j != k && is(&it[j], DW_SEM_METRIC) && meaning(&it[j], DW_SEM_METRIC)->ref != m;
	return other;
}

static int heads_as_measure(const struct dw_sem_item *it, int n, int k)
{
	int v = value_before(it, k);

	return v >= 0 && (it[v].after_prep || (v > 0 && is(&it[v - 1], DW_SEM_FROM))) &&
	       another_measure(it, n, k);
}

/* "how many customers placed orders": what the counted ones buy is the
 * act of buying, neither a second measure nor a grouping. */
static int read_bought(struct dw_sem_plan *p, const struct dw_sem_item *x, int *i)
{
	dw_sem_read_explain(p, "read \"%s\" as what is bought, not a measure", x->text);
	(*i)++;
	return 0;
}

/* One phrase (or a few, for periods and "top 5"). */
static int read_one(struct dw_sem_plan *p, struct dw_sem_item *it, int n, int *i,
		    struct dw_err *err)
{
	struct dw_sem_item *x = &it[*i];
	int rc = read_time(p, it, n, i, err);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (x->buyer && is(x, DW_SEM_METRIC) && (!p->howmany || p->counted != *i))
		return read_buyer(p, it, n, i, err);
	if (x->object && p->howmany && p->counted != *i && !is(x, DW_SEM_VALUE) &&
	    (is(x, DW_SEM_METRIC) || is(x, DW_SEM_DIM)))
		return read_bought(p, x, i);
	/* "unique Home Office customers by year": with no other measure, a
	 * count; "sales of Consumer customers": the value's head noun. */
	if (is(x, DW_SEM_METRIC) && is(x, DW_SEM_DIM)) {
		int h = heads_value(p, it, n, *i);

		return wants_dimension(p, it, *i) || h == 1 || (h == -1 && another_measure(it, n, *i))
		       ? read_dimension(p, it, n, i, err)
		       : add_metric(p, meaning(x, DW_SEM_METRIC)->ref, it[(*i)++].text, err);
	}
	if (is(x, DW_SEM_METRIC) && !is(x, DW_SEM_DIM) && heads_as_measure(it, n, *i)) {
		dw_sem_read_explain(p, "read \"%s\" as what \"%s\" is, not a measure", x->text,
				    it[value_before(it, *i)].text);
		return (*i)++, 0;
	}
	if (is(x, DW_SEM_METRIC) && names_value_kind(p, it, *i)) {
		dw_sem_read_explain(p, "read \"%s\" as what \"%s\" is, not a measure", x->text,
				    it[*i - 1].text);
		return (*i)++, 0;
	}
	if (is(x, DW_SEM_METRIC))
		return add_metric(p, meaning(x, DW_SEM_METRIC)->ref, it[(*i)++].text, err);
	if (is(x, DW_SEM_DIM))
		return read_dimension(p, it, n, i, err);
	if (is(x, DW_SEM_GRAIN))
		return read_grain(p, it, i, err);
	if (is(x, DW_SEM_BY))
		return read_by(p, it, n, i, err);
	if (is(x, DW_SEM_DESC) || is(x, DW_SEM_ASC))
		return read_direction(p, it, n, i, err);
	if (is(x, DW_SEM_SORTBY))
		return read_sort_by(p, it, n, i, err);
	if (is(x, DW_SEM_RANKED))
		return read_ranked(p, it, i, err);
	/* "the three Central regions": the number only says how many values
	 * the name covers ("the 3 LATAM countries with ..." counts rows). */
	if (is(x, DW_SEM_NUMBER) && *i + 2 < n && is(&it[*i + 1], DW_SEM_VALUE) &&
	    !is(&it[*i + 1], DW_SEM_DIM) && value_for_dim(&it[*i + 1], &it[*i + 2]))
		return (*i)++, 0;
	if (is(x, DW_SEM_NUMBER) && *i + 2 < n && is(&it[*i + 1], DW_SEM_VALUE) &&
	    is(&it[*i + 2], DW_SEM_DIM))
		return read_count_of_rows(p, &it[(*i)++], err);
	if (is(x, DW_SEM_NUMBER) && *i + 1 < n &&
	    (is(&it[*i + 1], DW_SEM_DIM) || is(&it[*i + 1], DW_SEM_DESC) ||
	     is(&it[*i + 1], DW_SEM_ASC) || is(&it[*i + 1], DW_SEM_RANKED)))
		return read_count_of_rows(p, &it[(*i)++], err);
	if (is(x, DW_SEM_VALUE)) {
		rc = read_value(p, it, n, *i, err);
		return rc < 0 ? -1 : (*i += rc, 0);
	}
	(*i)++;
	if (is(x, DW_SEM_HOWMANY))
		return p->howmany = 1, p->counted = *i, 0;
	if (is(x, DW_SEM_LIST))
		return p->list = 1, 0;
	if (is(x, DW_SEM_COVER))
		return p->cover = 1, 0;
	if (is(x, DW_SEM_TREND))
		return p->trend = 1, 0;
	if (is(x, DW_SEM_COMPARE))
		return p->compare = 1, 0;
	if (is(x, DW_SEM_HASDATA))
		return p->hasdata = 1, 0;
	if (is(x, DW_SEM_SHARE))
		return p->share = 1, 0;
	if (is(x, DW_SEM_GROWTH))
		return read_growth_word(p, meaning(x, DW_SEM_GROWTH)->ref, x->text, err);
	if (is(x, DW_SEM_SORTDIR))
		return read_sort_direction(p, meaning(x, DW_SEM_SORTDIR)->ref, x->text, err);
	if (is(x, DW_SEM_AND) || is(x, DW_SEM_FROM))
		return 0;
	return decline(err, "'%s' is not understood here", x->text);
}

/* "Consumer vs Corporate sales": the values of one dimension compared,
 * a row for each, never their sum. Anything else compared declines. */
static int read_compare(struct dw_sem_plan *p, struct dw_err *err)
{
	struct dw_sem_filter *f = NULL;
	int several = 0;

	if (p->nperiods > 1)
		return 0;
	for (int i = 0; i < p->nfilters; i++)
		if (p->filters[i].nvalues > 1)
			f = &p->filters[i], several++;
	if (several > 1 && p->compare)
		return decline(err, "compare one thing at a time, like 'Consumer vs Corporate'");
	if (!p->compare) {
		/* "sales of Consumer and Corporate": with no grouping, the values
		 * named are compared too, never silently added together. */
		if (several != 1 || !p->nmetrics || p->ndims || p->grain >= 0)
			return 0;
	} else if (!f) {
		return decline(err, "'compare' needs two values of one thing, like 'Consumer vs Corporate'");
	}
	for (int i = 0; i < p->ndims; i++)
		if (p->dims[i] == f->dim)
			return 0;
	return add_group(p, f->dim, "compared", err);
}

/* "2013 vs 2014 profit", "sales in Q1 2014 and Q1 2013": periods of one
 * grain, a row each, grouped by that grain; the fact's date key is
 * restricted to the periods named. */
static int read_periods(struct dw_sem_plan *p, struct dw_err *err)
{
	int g;

	if (p->nperiods < 2)
		return 0;
	g = p->periods[0].grain;
	if (p->grain >= 0 && p->grain != g)
		return decline(err, "periods of one grain are compared by that grain only");
	if (p->grain < 0) {
		p->grain = g;
		p->grain_first = 1;
		dw_sem_read_explain(p, "group by: %s (%d periods compared, a row each)",
				    p->kb->time.grains[g].name, p->nperiods);
	}
	return 0;
}

/* A measure that adds up over rows (a sum or a count, not a ratio or an
 * average): the only kind whose part of a whole is a share. */
static int additive(const struct dw_kb_metric *m)
{
	return (!strncmp(m->sql, "SUM(", 4) || !strncmp(m->sql, "COUNT(", 6)) &&
	       !strchr(m->sql, '/') && m->format != DW_KB_PERCENT;
}

/* "what percent of sales is Technology": the filter on one dimension is
 * the part, the rest of the question the whole; "share of sales by
 * market": each group's part of the whole. One additive measure only. */
static int read_share(struct dw_sem_plan *p, struct dw_err *err)
{
	const struct dw_kb_metric *m;

	if (!p->share)
		return 0;
	if (p->nmetrics != 1)
		return decline(err, "a share needs one measure, like 'share of sales'");
	m = &p->kb->metrics[p->metrics[0]];
	if (!additive(m))
		return decline(err, "%s does not add up over rows: a share of it has no meaning",
			       m->name);
	/* "percentage of orders returned by market": returned / all orders of
	 * each market (a rate), or each market's part of all returned orders? */
	if (p->subset_metric) {
		char said[DW_SEM_PHRASE];

		snprintf(said, sizeof said, "%s", m->name);
		for (char *c = said; *c; c++)
			*c = *c == '_' ? ' ' : *c;
		return decline(err, "a share of %s: a rate within each group, or each group's part "
			       "of all %s? name the rate, or say 'share of %s'", said, said, said);
	}
	if (p->growth || p->nperiods > 1 || p->compare)
		return decline(err, "a share cannot be combined with growth or a comparison");
	if (p->nfilters > 1)
		return decline(err, "a share of one part at a time, like 'share of sales from "
			       "Technology'");
	if (p->nfilters && (p->grain >= 0 || p->ndims > 1 ||
			    (p->ndims == 1 && p->dims[0] != p->filters[0].dim)))
		return decline(err, "a share of a part cannot also be grouped");
	if (!p->nfilters && p->ndims + (p->grain >= 0) != 1)
		return decline(err, "a share needs a part, like 'share of sales by market' or "
			       "'share of sales from Technology'");
	dw_sem_read_explain(p, "asks: %s as a fraction of the total %s%s", p->nfilters ?
			    "the part named" : "each group's part", m->name,
			    p->from || p->to ? " of the period" : "");
	return 0;
}

/* "sales growth by year": the measure of each period / that of the
 * previous one - 1, for periods whose previous one has data; by year
 * unless a grain is named. Ranking by growth declines (absolute or
 * relative?), as do ratios (points or percent?). */
static int read_growth(struct dw_sem_plan *p, struct dw_err *err)
{
	const char *want = p->growth ? dw_sem_words_growth_grain[p->growth - 1] : NULL;
	int g;

	if (!p->growth)
		return 0;
	if (p->nmetrics != 1)
		return decline(err, "growth of one measure at a time, like 'sales growth'");
	if (p->kb->metrics[p->metrics[0]].format == DW_KB_PERCENT)
		return decline(err, "growth of a ratio (%s) is ambiguous: points or percent",
			       p->kb->metrics[p->metrics[0]].name);
	if (p->direction || p->nperiods > 1 || p->compare || p->ndims > 1)
		return decline(err, "growth cannot be ranked, compared or grouped twice");
	g = grain_named(p->kb, want ? want : "year");
	if (p->grain >= 0 && want && p->grain != g)
		return decline(err, "'%s over %s' asked by another grain", want, want);
	if (p->grain < 0) {
		if (g < 0)
			return decline(err, "growth needs the time grain '%s'", want ? want : "year");
		p->grain = g;
		p->grain_first = 1;
	}
	if (!*p->kb->time.grains[p->grain].step_sql)
		return decline(err, "growth by %s is not defined: the knowledge file gives it no step",
			       p->kb->time.grains[p->grain].name);
	dw_sem_read_explain(p, "growth: each %s on the previous one%s",
			    p->kb->time.grains[p->grain].name,
			    p->range ? ", within the period" : "");
	return 0;
}

/* "how many products in each category": with no measure, the knowledge
 * file's metric counting the first dimension's members in the facts
 * (COUNT(DISTINCT fact_sales.product_key)), grouped by the dimension after
 * "by" or "each". */
static int read_count_per(struct dw_sem_plan *p, struct dw_err *err)
{
	const struct dw_kb_dimension *d;
	char sql[256];

	if (p->nmetrics || !p->howmany || p->ndims != 2 || p->by_at != 2 || p->grain >= 0 ||
	    p->direction)
		return 0;
	d = &p->kb->dimensions[p->dims[0]];
	for (size_t m = 0; m < p->kb->nmetrics; m++) {
		const struct dw_kb_metric *x = &p->kb->metrics[m];
		const struct dw_kb_join *j = dw_kb_join(p->kb, x->table, d->table, "");

		if (!j)
			continue;
		snprintf(sql, sizeof sql, "COUNT(DISTINCT %s.%s)", j->left_table, j->left_column);
		if (strcmp(x->sql, sql))
			continue;
		p->dims[0] = p->dims[1];
		p->ndims = 1;
		dw_sem_read_explain(p, "asks: how many %s in each %s, counted as %s", d->name,
				    p->kb->dimensions[p->dims[0]].name, x->name);
		return add_metric(p, (int)m, d->name, err);
	}
	return 0;
}

/* The adjective's measure ranks the rows, unless "by" names another: a
 * selling adjective then yields ("best-selling product by units"), any
 * other declines ("most profitable category by sales"). */
static int read_adjective(struct dw_sem_plan *p, struct dw_err *err)
{
	const struct dw_sem_ranked *r;
	int m;

	if (!p->adjective)
		return 0;
	r = &dw_sem_words_ranked[p->adjective - 1];
	m = (int)(dw_kb_metric(p->kb, r->metric) - p->kb->metrics);
	if (p->rank_metric >= 0 && p->rank_metric != m) {
		if (!r->yields)
			return decline(err, "two measures to rank by");
		return 0;
	}
	p->rank_metric = m;
	return add_metric(p, m, r->phrase, err);
}

/* "sales trend": without a time grain, by month over a period of a year
 * or less, by year otherwise. */
static int read_trend(struct dw_sem_plan *p, struct dw_err *err)
{
	long months = p->from && p->to ? (p->to / 10000 - p->from / 10000) * 12 +
					 (p->to / 100 % 100 - p->from / 100 % 100) : 0;
	const char *name = months >= 1 && months <= 12 ? "month" : "year";

	if (!p->trend || p->grain >= 0)
		return 0;
	if ((p->grain = grain_named(p->kb, name)) < 0)
		return decline(err, "a trend needs the time grain '%s'", name);
	p->grain_first = 1;
	dw_sem_read_explain(p, "group by: %s (a trend over %s)", name,
			    months >= 1 && months <= 12 ? "a year or less" : "more than a year");
	return 0;
}

static int choose_intent(struct dw_sem_plan *p, struct dw_err *err)
{
	int groups = p->ndims + (p->grain >= 0);

	if (p->cover) {
		if (p->nmetrics || groups || p->nfilters || p->from || p->to || p->direction)
			return decline(err, "a coverage question cannot have other parts");
		p->intent = DW_SEM_COVERAGE;
		dw_sem_read_explain(p, "asks: the first and last order dates");
		return 0;
	}
	if (p->hasdata && (p->nmetrics || p->ndims || p->grain < 0))
		return decline(err, "'have orders' is understood only after a time grain alone, "
			       "as in 'what months have orders'");
	if (!p->nmetrics && !p->ndims && p->grain >= 0 && !p->direction && !p->howmany &&
	    !p->trend && !p->compare) {
		p->intent = DW_SEM_LIST_GRAIN;
		dw_sem_read_explain(p, "asks: the %s values that have orders",
				    p->kb->time.grains[p->grain].name);
		return 0;
	}
	if (!p->nmetrics) {
		if (p->bought_noun)
			return decline(err, "say what to rank by: sales, units (quantity) or a count");
		if (p->ndims != 1 || p->grain >= 0 || p->direction)
			return decline(err, "no measure (like sales or profit) was asked for");
		p->intent = p->howmany ? DW_SEM_COUNT : DW_SEM_LIST_VALUES;
		dw_sem_read_explain(p, "asks: %s %s", p->howmany ? "how many distinct" : "the values of",
			       p->kb->dimensions[p->dims[0]].name);
		return 0;
	}
	if (groups > 2)
		return decline(err, "more than two groupings");
	if (p->direction && !groups)
		return decline(err, "highest or lowest needs something to rank, like 'by category'");
	if (p->limit && !p->direction)
		return decline(err, "a number of rows needs highest or lowest");
	if (p->direction && !p->limit && !p->sorted)
		p->limit = p->rank_dim_plural ? 10 : 1;
	for (int i = 1; i < p->nmetrics; i++)
		if (strcmp(p->kb->metrics[p->metrics[i]].table, p->kb->metrics[p->metrics[0]].table))
			return decline(err, "the measures come from different fact tables");
	p->intent = DW_SEM_AGGREGATE;
	return 0;
}

int dw_sem_read_question(struct dw_sem_plan *p, struct dw_sem_item *items, int n, struct dw_err *err)
{
	read_us(items, n);
	n = drop_fillers(p, items, n);
	for (int i = 0; i < n;)
		if (read_one(p, items, n, &i, err) < 0)
			return -1;
	if (settle_ambiguous(p, err) < 0 || read_adjective(p, err) < 0 ||
	    read_selling(p, err) < 0 || read_periods(p, err) < 0 || read_trend(p, err) < 0 ||
	    read_count_per(p, err) < 0 || read_compare(p, err) < 0 || read_share(p, err) < 0 ||
	    read_growth(p, err) < 0)
		return -1;
	return choose_intent(p, err);
}
