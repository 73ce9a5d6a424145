#include "config.h"
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dlfcn.h>
#include <libpq-fe.h>
#include <yaml.h>

/* KEY_SECRET_REF is a secret that may only come from *_env or *_file (API
 * keys): never inline, whatever the file's permissions. KEY_CONNINFO is a
 * string that may hold a password (a libpq conninfo or URI): then it is a
 * secret written inline. */
enum key_type { KEY_STRING, KEY_INT, KEY_LONG, KEY_BOOL, KEY_DURATION, KEY_SECRET,
		KEY_SECRET_REF, KEY_CONNINFO };

/* One configuration key. A secret key "password" also accepts
 * "password_env" and "password_file". */
struct key_desc {
	const char *section;
	const char *key;
	enum key_type type;
	size_t offset;
	const char *def;
	long min, max;
};

#define OFF(f) offsetof(struct dw_config, f)

/* The same keys for every LLM provider section. */
#define LLM_KEYS(sec, f, def_url, def_model, def_remote) \
	{ sec, "url", KEY_STRING, OFF(f.url), def_url, 0, 0 }, \
	{ sec, "model", KEY_STRING, OFF(f.model), def_model, 0, 0 }, \
	{ sec, "api_key", KEY_SECRET_REF, OFF(f.api_key), NULL, 0, 0 }, \
	{ sec, "remote", KEY_BOOL, OFF(f.remote), def_remote, 0, 0 }, \
	{ sec, "timeout", KEY_DURATION, OFF(f.timeout_ms), "60s", 0, 0 }, \
	{ sec, "connect_timeout", KEY_DURATION, OFF(f.connect_timeout_ms), "5s", 0, 0 }, \
	{ sec, "retries", KEY_INT, OFF(f.retries), "3", 0, 10 }, \
	{ sec, "backoff", KEY_DURATION, OFF(f.backoff_ms), "1s", 0, 0 }

static const struct key_desc keys[] = {
	{ "oltp", "conninfo", KEY_CONNINFO, OFF(oltp.conninfo), "", 0, 0 },
	{ "oltp", "password", KEY_SECRET, OFF(oltp.password), NULL, 0, 0 },
	{ "oltp", "connect_timeout", KEY_INT, OFF(oltp.connect_timeout), "10", 1, 3600 },
	{ "warehouse", "host", KEY_STRING, OFF(warehouse.host), "127.0.0.1", 0, 0 },
	{ "warehouse", "port", KEY_INT, OFF(warehouse.port), "3306", 1, 65535 },
	{ "warehouse", "socket", KEY_STRING, OFF(warehouse.socket), "", 0, 0 },
	{ "warehouse", "user", KEY_STRING, OFF(warehouse.user), "dw", 0, 0 },
	{ "warehouse", "password", KEY_SECRET, OFF(warehouse.password), NULL, 0, 0 },
	{ "warehouse", "database", KEY_STRING, OFF(warehouse.database), "dw", 0, 0 },
	{ "warehouse", "connect_timeout", KEY_INT, OFF(warehouse.connect_timeout), "10", 1, 3600 },
	{ "warehouse", "local_infile", KEY_BOOL, OFF(warehouse.local_infile), "true", 0, 0 },
	{ "etl", "safety_lag", KEY_DURATION, OFF(etl.safety_lag_ms), "5s", 0, 0 },
	{ "etl", "fiscal_year_start", KEY_INT, OFF(etl.fiscal_year_start), "1", 1, 12 },
	{ "etl", "poll_interval", KEY_DURATION, OFF(etl.poll_interval_ms), "10s", 0, 0 },
	{ "etl", "debounce", KEY_DURATION, OFF(etl.debounce_ms), "100ms", 0, 0 },
	{ "import", "date_format", KEY_STRING, OFF(import.date_format), "auto", 0, 0 },
	{ "import", "max_rejects", KEY_LONG, OFF(import.max_rejects), "-1", -1, LONG_MAX },
	{ "ask", "knowledge", KEY_STRING, OFF(ask.knowledge), DW_DATADIR "/ask/superstore.yaml", 0, 0 },
	{ "ask", "engines", KEY_STRING, OFF(ask.engines), "semantic", 0, 0 },
	{ "ask", "user", KEY_STRING, OFF(ask.user), "", 0, 0 },
	{ "ask", "password", KEY_SECRET, OFF(ask.password), NULL, 0, 0 },
	{ "ask", "role", KEY_STRING, OFF(ask.role), "analyst", 0, 0 },
	{ "ask", "row_limit", KEY_LONG, OFF(ask.row_limit), "1000", 1, 10000000 },
	{ "ask", "byte_limit", KEY_LONG, OFF(ask.byte_limit), "67108864", 1024, LONG_MAX },
	{ "ask", "statement_timeout", KEY_DURATION, OFF(ask.statement_timeout_ms), "30s", 0, 0 },
	{ "ask", "reprompts", KEY_INT, OFF(ask.reprompts), "2", 0, 5 },
	{ "ask", "examples", KEY_INT, OFF(ask.examples), "6", 0, 50 },
	{ "ask", "prompt_values", KEY_BOOL, OFF(ask.prompt_values), "false", 0, 0 },
	{ "ask", "as_person", KEY_BOOL, OFF(ask.as_person), "false", 0, 0 },
	{ "ask", "cache_dir", KEY_STRING, OFF(ask.cache_dir), "", 0, 0 },
	{ "audit", "signing_key", KEY_STRING, OFF(audit.signing_key), "", 0, 0 },
	{ "audit", "public_key", KEY_STRING, OFF(audit.public_key), "", 0, 0 },
	{ "audit", "anchors", KEY_STRING, OFF(audit.anchors), "", 0, 0 },
	{ "validate", "checks", KEY_STRING, OFF(validate.checks), DW_DATADIR "/checks/superstore.yaml",
	  0, 0 },
	{ "tune", "merge_budget", KEY_INT, OFF(tune.merge_budget), "50", 0, 1000 },
	LLM_KEYS("ollama", ollama, "http://127.0.0.1:11434", "llama3.1", "false"),
	LLM_KEYS("openai", openai, "https://api.openai.com", "gpt-4o-mini", "true"),
	LLM_KEYS("gemini", gemini, "https://generativelanguage.googleapis.com",
		 "gemini-1.5-flash", "true"),
	LLM_KEYS("anthropic", anthropic, "https://api.anthropic.com", "claude-3-5-haiku-latest",
		 "true"),
};

#define NKEYS (sizeof keys / sizeof keys[0])

static int is_secret(const struct key_desc *k)
{
	return k->type == KEY_SECRET || k->type == KEY_SECRET_REF;
}

/* Whether a conninfo string gives a password, as libpq reads it (key=value
 * or URI): 1 yes, 0 no, -1 when libpq cannot parse it (and so cannot say). */
static int conninfo_password(const char *s)
{
	/* libpq is opened here, not linked: a tool that never talks to
	 * PostgreSQL (dw-ask) would load it and its Kerberos and LDAP
	 * libraries on every call for this one check. */
	void *pq = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	PQconninfoOption *(*parse)(const char *, char **) = pq ? dlsym(pq, "PQconninfoParse") : NULL;
	void (*release)(PQconninfoOption *) = pq ? dlsym(pq, "PQconninfoFree") : NULL;
	PQconninfoOption *opts = parse && release ? parse(s, NULL) : NULL;
	int found = 0;

	if (opts) {
		for (PQconninfoOption *o = opts; o->keyword; o++)
			if (!strcmp(o->keyword, "password") && o->val && *o->val)
				found = 1;
		release(opts);
	}
	if (pq)
		dlclose(pq);
	return opts ? found : -1;
}

/* A conninfo from where others may read it (a file readable by group or
 * others, or --set, which ps shows) must not give a password; why ends the
 * message. The value is never quoted, nor is libpq's parse error, which may
 * quote any part of it. */
static int conninfo_check(const struct key_desc *k, const char *value, const char *where,
			  const char *why, int code, struct dw_err *err)
{
	int pw = conninfo_password(value);

	if (pw < 0)
		return dw_err_set(err, code, "%s: '%s.%s' is not a connection string libpq can "
				  "read", where, k->section, k->key);
	if (pw > 0)
		return dw_err_set(err, code, "%s: '%s.%s' holds a password %s", where,
				  k->section, k->key, why);
	return 0;
}

/* Where a secret came from while loading: only one source per key. */
enum secret_src { SECRET_NONE, SECRET_INLINE, SECRET_ENV, SECRET_FILE };

struct load_state {
	struct dw_config *cfg;
	const char *name;         /* file name for messages */
	int file_is_private;      /* not readable by group or others */
	char *secret_ref[NKEYS];  /* env var name or file path for *_env / *_file */
	enum secret_src secret_src[NKEYS];
	int secret_line[NKEYS];
};

static void *field(struct dw_config *cfg, const struct key_desc *k)
{
	return (char *)cfg + k->offset;
}

int dw_config_duration_ms(const char *s, long *ms)
{
	char *end;
	double v, mult = 1000;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !(v >= 0))   /* also rejects nan */
		return -1;
	if (!strcmp(end, "ms"))
		mult = 1;
	else if (!strcmp(end, "s") || !*end)
		mult = 1000;
	else if (!strcmp(end, "m"))
		mult = 60000;
	else if (!strcmp(end, "h"))
		mult = 3600000;
	else if (!strcmp(end, "d"))
		mult = 86400000;
	else
		return -1;
	if (v * mult + 0.5 >= (double)LONG_MAX)
		return -1;
	*ms = (long)(v * mult + 0.5);
	return 0;
}

static int parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "true", "yes", "on", "1" };
	static const char *no[] = { "false", "no", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]))
			return *out = 1, 0;
		if (!strcasecmp(s, no[i]))
			return *out = 0, 0;
	}
	return -1;
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Stores value into the key's field. where is "FILE:LINE" or the variable or
 * option name, used in the message. */
static int assign(struct dw_config *cfg, const struct key_desc *k, const char *value,
		  const char *where, struct dw_err *err)
{
	void *f = field(cfg, k);
	long l;
	int b;

	switch (k->type) {
	case KEY_STRING:
	case KEY_CONNINFO:
	case KEY_SECRET:
	case KEY_SECRET_REF:
		if ((is_secret(k) || k->type == KEY_CONNINFO) && *(char **)f)
			explicit_bzero(*(char **)f, strlen(*(char **)f));
		free(*(char **)f);
		*(char **)f = strdup(value);
		if (!*(char **)f)
			return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
		return 0;
	case KEY_INT:
	case KEY_LONG:
		if (parse_long(value, k->min, k->max, &l) < 0)
			return dw_err_set(err, DW_EX_CONFIG,
					  "%s: '%s.%s': expected an integer from %ld to %ld, got '%s'",
					  where, k->section, k->key, k->min, k->max, value);
		if (k->type == KEY_LONG)
			*(long *)f = l;
		else
			*(int *)f = (int)l;
		return 0;
	case KEY_BOOL:
		if (parse_bool(value, &b) < 0)
			return dw_err_set(err, DW_EX_CONFIG,
					  "%s: '%s.%s': expected true or false, got '%s'",
					  where, k->section, k->key, value);
		*(int *)f = b;
		return 0;
	case KEY_DURATION:
		if (dw_config_duration_ms(value, &l) < 0)
			return dw_err_set(err, DW_EX_CONFIG,
					  "%s: '%s.%s': expected a duration like 500ms, 5s, 2m, got '%s'",
					  where, k->section, k->key, value);
		*(long *)f = l;
		return 0;
	}
	return dw_err_set(err, DW_EX_SOFTWARE, "bad key type");
}

static void set_defaults(struct dw_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].def)
			assign(cfg, &keys[i], keys[i].def, "default", NULL);
}

static void hint_similar(struct dw_err *err, const char *section, const char *word)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t i = 0; i < NKEYS; i++) {
		const char *cand = section ? keys[i].key : keys[i].section;
		size_t d;

		if (section && strcmp(keys[i].section, section))
			continue;
		d = dw_text_edit_distance(word, cand);
		if (d < best_d) {
			best_d = d;
			best = cand;
		}
	}
	if (best)
		dw_err_hint(err, "did you mean '%s'?", best);
}

static int section_known(const char *section)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section))
			return 1;
	return 0;
}

/* Finds section.key; for secrets also section.key_env / key_file (suffix
 * returned in *src). Returns the index or -1. */
static int find_key(const char *section, const char *key, enum secret_src *src)
{
	*src = SECRET_INLINE;
	for (size_t i = 0; i < NKEYS; i++) {
		size_t n = strlen(keys[i].key);

		if (strcmp(keys[i].section, section))
			continue;
		if (!strcmp(keys[i].key, key))
			return (int)i;
		if (is_secret(&keys[i]) && !strncmp(key, keys[i].key, n)) {
			if (!strcmp(key + n, "_env"))
				return *src = SECRET_ENV, (int)i;
			if (!strcmp(key + n, "_file"))
				return *src = SECRET_FILE, (int)i;
		}
	}
	return -1;
}

static int set_secret_source(struct load_state *st, int i, enum secret_src src,
			     const char *value, int line, struct dw_err *err)
{
	const struct key_desc *k = &keys[i];

	if (st->secret_src[i] != SECRET_NONE)
		return dw_err_set(err, DW_EX_CONFIG,
				  "%s:%d: '%s.%s' is already given at line %d; set only one of %s, %s_env, %s_file",
				  st->name, line, k->section, k->key, st->secret_line[i],
				  k->key, k->key, k->key);
	st->secret_src[i] = src;
	st->secret_line[i] = line;
	if (src == SECRET_INLINE) {
		if (k->type == KEY_SECRET_REF)
			return dw_err_set(err, DW_EX_CONFIG,
					  "%s:%d: '%s.%s' must not be written in the file; "
					  "use %s_env or %s_file", st->name, line, k->section,
					  k->key, k->key, k->key);
		if (!st->file_is_private) {
			dw_err_set(err, DW_EX_CONFIG,
				   "%s:%d: '%s.%s' holds a secret but the file is readable by others",
				   st->name, line, k->section, k->key);
			dw_err_hint(err, "chmod 600 %s, or use %s_env / %s_file", st->name,
				    k->key, k->key);
			return -1;
		}
		return assign(st->cfg, k, value, st->name, err);
	}
	free(st->secret_ref[i]);
	st->secret_ref[i] = strdup(value);
	return 0;
}

static int apply_scalar(struct load_state *st, const char *section, const char *key,
			const char *value, int line, struct dw_err *err)
{
	enum secret_src src;
	char where[600];
	int i = find_key(section, key, &src);

	if (i < 0) {
		dw_err_set(err, DW_EX_CONFIG, "%s:%d: unknown key '%s.%s'", st->name, line,
			   section, key);
		hint_similar(err, section, key);
		return -1;
	}
	if (is_secret(&keys[i]))
		return set_secret_source(st, i, src, value, line, err);
	snprintf(where, sizeof where, "%s:%d", st->name, line);
	if (keys[i].type == KEY_CONNINFO && !st->file_is_private &&
	    conninfo_check(&keys[i], value, where, "but the file is readable by others",
			   DW_EX_CONFIG, err) < 0) {
		dw_err_hint(err, "chmod 600 %s, or use %s.password_env / password_file",
			    st->name, keys[i].section);
		return -1;
	}
	return assign(st->cfg, &keys[i], value, where, err);
}

/* A small pull parser over libyaml events: a top-level mapping of sections,
 * each a mapping of scalar keys. */
struct yparse {
	yaml_parser_t parser;
	yaml_event_t ev;
	int have_ev;
	const char *name;
};

static int ynext(struct yparse *y, struct dw_err *err)
{
	if (y->have_ev)
		yaml_event_delete(&y->ev);
	y->have_ev = 0;
	if (!yaml_parser_parse(&y->parser, &y->ev))
		return dw_err_set(err, DW_EX_CONFIG, "%s:%zu: %s", y->name,
				  y->parser.problem_mark.line + 1,
				  y->parser.problem ? y->parser.problem : "YAML syntax error");
	y->have_ev = 1;
	return 0;
}

static int yline(const struct yparse *y)
{
	return (int)y->ev.start_mark.line + 1;
}

static const char *yscalar(const struct yparse *y)
{
	return (const char *)y->ev.data.scalar.value;
}

static int expect(struct yparse *y, yaml_event_type_t type, const char *what,
		  struct dw_err *err)
{
	if (ynext(y, err) < 0)
		return -1;
	if (y->ev.type != type)
		return dw_err_set(err, DW_EX_CONFIG, "%s:%d: expected %s", y->name, yline(y), what);
	return 0;
}

static int parse_section(struct load_state *st, struct yparse *y, const char *section,
			 struct dw_err *err)
{
	char key[128];
	int line;

	if (ynext(y, err) < 0)
		return -1;
	if (y->ev.type == YAML_SCALAR_EVENT && !*yscalar(y))
		return 0;   /* "section:" with nothing under it */
	if (y->ev.type != YAML_MAPPING_START_EVENT)
		return dw_err_set(err, DW_EX_CONFIG, "%s:%d: '%s' must be a mapping of keys",
				  st->name, yline(y), section);
	for (;;) {
		if (ynext(y, err) < 0)
			return -1;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (y->ev.type != YAML_SCALAR_EVENT)
			return dw_err_set(err, DW_EX_CONFIG, "%s:%d: expected a key in '%s'",
					  st->name, yline(y), section);
		snprintf(key, sizeof key, "%s", yscalar(y));
		line = yline(y);
		if (ynext(y, err) < 0)
			return -1;
		if (y->ev.type != YAML_SCALAR_EVENT)
			return dw_err_set(err, DW_EX_CONFIG, "%s:%d: '%s.%s' must be a single value",
					  st->name, yline(y), section, key);
		if (apply_scalar(st, section, key, yscalar(y), line, err) < 0)
			return -1;
	}
}

/* After the one document: its end, then the end of the stream (a second
 * document would otherwise be ignored without a word). */
static int end_of_stream(struct load_state *st, struct yparse *y, struct dw_err *err)
{
	if (expect(y, YAML_DOCUMENT_END_EVENT, "the end of the document", err) < 0 ||
	    ynext(y, err) < 0)
		return -1;
	if (y->ev.type != YAML_STREAM_END_EVENT)
		return dw_err_set(err, DW_EX_CONFIG, "%s:%d: only one YAML document is allowed",
				  st->name, yline(y));
	return 0;
}

/* Sections of nested structure that their own module reads from the same
 * file (dw_config.path): roles (lib/user/policy.c), partition
 * (lib/partplan.c). */
static int structured(const char *section)
{
	return !strcmp(section, "roles") || !strcmp(section, "partition");
}

/* Skips one value: a scalar, or a whole mapping or sequence. */
static int skip_value(struct yparse *y, struct dw_err *err)
{
	int depth = 0;

	do {
		if (ynext(y, err) < 0)
			return -1;
		if (y->ev.type == YAML_MAPPING_START_EVENT || y->ev.type == YAML_SEQUENCE_START_EVENT)
			depth++;
		else if (y->ev.type == YAML_MAPPING_END_EVENT ||
			 y->ev.type == YAML_SEQUENCE_END_EVENT)
			depth--;
	} while (depth > 0);
	return 0;
}

static int parse_document(struct load_state *st, struct yparse *y, struct dw_err *err)
{
	char section[128];

	if (expect(y, YAML_STREAM_START_EVENT, "a YAML stream", err) < 0 || ynext(y, err) < 0)
		return -1;
	if (y->ev.type == YAML_STREAM_END_EVENT)
		return 0;   /* empty file */
	if (y->ev.type != YAML_DOCUMENT_START_EVENT)
		return dw_err_set(err, DW_EX_CONFIG, "%s:%d: expected a document", st->name, yline(y));
	if (ynext(y, err) < 0)
		return -1;
	if (y->ev.type == YAML_SCALAR_EVENT && !*yscalar(y))
		return end_of_stream(st, y, err);
	if (y->ev.type != YAML_MAPPING_START_EVENT)
		return dw_err_set(err, DW_EX_CONFIG, "%s:%d: expected a mapping of sections",
				  st->name, yline(y));
	for (;;) {
		if (ynext(y, err) < 0)
			return -1;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			return end_of_stream(st, y, err);
		if (y->ev.type != YAML_SCALAR_EVENT)
			return dw_err_set(err, DW_EX_CONFIG, "%s:%d: expected a section name",
					  st->name, yline(y));
		snprintf(section, sizeof section, "%s", yscalar(y));
		if (structured(section)) {
			if (skip_value(y, err) < 0)
				return -1;
			continue;
		}
		if (!section_known(section)) {
			dw_err_set(err, DW_EX_CONFIG, "%s:%d: unknown section '%s'", st->name,
				   yline(y), section);
			hint_similar(err, NULL, section);
			return -1;
		}
		if (parse_section(st, y, section, err) < 0)
			return -1;
	}
}

static int parse_yaml(struct load_state *st, const unsigned char *text, size_t len,
		      struct dw_err *err)
{
	struct yparse y = { .name = st->name };
	int rc;

	if (!yaml_parser_initialize(&y.parser))
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	yaml_parser_set_input_string(&y.parser, text, len);
	rc = parse_document(st, &y, err);
	if (y.have_ev)
		yaml_event_delete(&y.ev);
	yaml_parser_delete(&y.parser);
	return rc;
}

/* Opens path for reading when it is a regular file. A FIFO would block
 * the open (or the read) until something writes to it, and a device or a
 * directory is never meant: both are refused, naming what (e.g. "config")
 * and path; the open itself does not block. Returns NULL with err
 * (DW_EX_CONFIG); the caller closes the stream. */
static FILE *open_regular(const char *path, const char *what, struct stat *sb,
			  struct dw_err *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	FILE *fp;

	if (fd < 0) {
		dw_err_set(err, DW_EX_CONFIG, "cannot open %s '%s': %s", what, path,
			   strerror(errno));
		return NULL;
	}
	if (fstat(fd, sb) < 0 || !S_ISREG(sb->st_mode)) {
		dw_err_set(err, DW_EX_CONFIG, "%s '%s' is not a regular file", what, path);
		close(fd);
		return NULL;
	}
	if (fcntl(fd, F_SETFL, 0) < 0 || !(fp = fdopen(fd, "rb"))) {
		dw_err_set(err, DW_EX_CONFIG, "cannot open %s '%s': %s", what, path,
			   strerror(errno));
		close(fd);
		return NULL;
	}
	return fp;
}

/* Reads a secret file's first line (without the newline). */
static int read_secret_file(const char *path, char **out, struct dw_err *err)
{
	char buf[1024];
	struct stat sb;
	FILE *fp = open_regular(path, "secret file", &sb, err);
	size_t n;

	if (!fp)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	*out = strdup(buf);
	explicit_bzero(buf, sizeof buf);
	return *out ? 0 : dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
}

/* "DW_<SECTION>_<KEY><suffix>" in upper case. */
static void env_var_name(char *buf, size_t n, const struct key_desc *k, const char *suffix)
{
	snprintf(buf, n, "DW_%s_%s%s", k->section, k->key, suffix);
	for (char *p = buf; *p; p++)
		*p = (char)toupper((unsigned char)*p);
}

static int resolve_secrets(struct load_state *st, struct dw_err *err)
{
	char name[128];

	for (size_t i = 0; i < NKEYS; i++) {
		char **dst = field(st->cfg, &keys[i]);
		const char *ref = st->secret_ref[i];

		if (!is_secret(&keys[i]) || !ref)
			continue;
		if (*dst) {
			explicit_bzero(*dst, strlen(*dst));
			free(*dst);
			*dst = NULL;
		}
		if (st->secret_src[i] == SECRET_FILE) {
			if (read_secret_file(ref, dst, err) < 0)
				return -1;
		} else if (getenv(ref)) {
			*dst = strdup(getenv(ref));
		} else if (keys[i].type == KEY_SECRET_REF) {
			/* An API key: only the engine that needs it fails (the
			 * provider refuses the call), not every tool. */
			continue;
		} else {
			/* The name is not echoed: a secret put there by mistake
			 * must not reach the terminal or a log. */
			if (st->secret_line[i] > 0)
				return dw_err_set(err, DW_EX_CONFIG,
						  "%s:%d: '%s.%s_env' names an environment variable "
						  "that is not set", st->name, st->secret_line[i],
						  keys[i].section, keys[i].key);
			env_var_name(name, sizeof name, &keys[i], "_ENV");
			return dw_err_set(err, DW_EX_CONFIG,
					  "%s names an environment variable that is not set", name);
		}
	}
	return 0;
}

/* DW_<SECTION>_<KEY> (and _ENV / _FILE for secrets) override the file. */
static int apply_environment(struct load_state *st, struct dw_err *err)
{
	static const char *suffix[] = { "", "_ENV", "_FILE" };
	static const enum secret_src src[] = { SECRET_INLINE, SECRET_ENV, SECRET_FILE };

	for (size_t i = 0; i < NKEYS; i++) {
		for (size_t s = 0; s < (is_secret(&keys[i]) ? 3u : 1u); s++) {
			char name[128];
			const char *v;

			env_var_name(name, sizeof name, &keys[i], suffix[s]);
			v = getenv(name);
			if (!v)
				continue;
			if (is_secret(&keys[i])) {
				/* The environment replaces whatever the file said. */
				free(st->secret_ref[i]);
				st->secret_ref[i] = src[s] == SECRET_INLINE ? NULL : strdup(v);
				st->secret_src[i] = src[s];
				st->secret_line[i] = 0;
				if (src[s] == SECRET_INLINE && assign(st->cfg, &keys[i], v, name, err) < 0)
					return -1;
				continue;
			}
			if (assign(st->cfg, &keys[i], v, name, err) < 0)
				return -1;
		}
	}
	return 0;
}

static int finish_load(struct load_state *st, const unsigned char *text, size_t len,
		       struct dw_err *err)
{
	int rc = 0;

	if (text)
		rc = parse_yaml(st, text, len, err);
	if (rc == 0)
		rc = apply_environment(st, err);
	if (rc == 0)
		rc = resolve_secrets(st, err);
	for (size_t i = 0; i < NKEYS; i++)
		free(st->secret_ref[i]);
	return rc;
}

int dw_config_load_string(struct dw_config *cfg, const char *yaml, const char *name,
			  struct dw_err *err)
{
	struct load_state st = { .cfg = cfg, .name = name, .file_is_private = 1 };

	set_defaults(cfg);
	return finish_load(&st, (const unsigned char *)yaml, strlen(yaml), err);
}

/* The first existing file in the lookup order; explicit ones must exist. */
static int find_config_file(const char *explicit_path, char *out, size_t outsz,
			    struct dw_err *err)
{
	const char *env = getenv("DW_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char cand[2][4096];

	if (explicit_path || (env && *env)) {
		snprintf(out, outsz, "%s", explicit_path ? explicit_path : env);
		return 1;
	}
	if (xdg && *xdg)
		snprintf(cand[0], sizeof cand[0], "%s/dw/dw.yaml", xdg);
	else
		snprintf(cand[0], sizeof cand[0], "%s/.config/dw/dw.yaml", home ? home : "");
	snprintf(cand[1], sizeof cand[1], "/etc/dw/dw.yaml");
	for (int i = 0; i < 2; i++) {
		if (access(cand[i], F_OK) == 0) {
			snprintf(out, outsz, "%s", cand[i]);
			return 1;
		}
	}
	(void)err;
	return 0;
}

static int slurp(const char *path, unsigned char **text, size_t *len, struct stat *sb,
		 struct dw_err *err)
{
	/* Missing or unreadable alike: a configuration error (dw-etl(1), 78). */
	FILE *fp = open_regular(path, "config", sb, err);

	if (!fp)
		return -1;
	if (sb->st_size > (1 << 24)) {
		fclose(fp);
		return dw_err_set(err, DW_EX_CONFIG, "config '%s' is larger than 16 MiB", path);
	}
	*text = malloc((size_t)sb->st_size + 1);
	*len = *text ? fread(*text, 1, (size_t)sb->st_size, fp) : 0;
	fclose(fp);
	if (!*text)
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	(*text)[*len] = '\0';
	return 0;
}

int dw_config_load(struct dw_config *cfg, const char *explicit_path, struct dw_err *err)
{
	struct load_state st = { .cfg = cfg, .file_is_private = 1 };
	char path[4096];
	unsigned char *text = NULL;
	size_t len = 0;
	struct stat sb;
	int rc;

	set_defaults(cfg);
	if (find_config_file(explicit_path, path, sizeof path, err)) {
		if (slurp(path, &text, &len, &sb, err) < 0)
			return -1;
		cfg->path = strdup(path);
		st.name = cfg->path;
		st.file_is_private = (sb.st_mode & 077) == 0;
	}
	rc = finish_load(&st, text, len, err);
	if (text) {
		explicit_bzero(text, len);
		free(text);
	}
	return rc;
}

int dw_config_set(struct dw_config *cfg, const char *dotted_key, const char *value,
		  struct dw_err *err)
{
	const char *dot = strchr(dotted_key, '.');
	enum secret_src src;
	char section[64];
	int i;

	if (!dot || (size_t)(dot - dotted_key) >= sizeof section)
		return dw_err_set(err, DW_EX_USAGE, "bad config key '%s'", dotted_key);
	snprintf(section, sizeof section, "%.*s", (int)(dot - dotted_key), dotted_key);
	i = find_key(section, dot + 1, &src);
	if (i < 0 || src != SECRET_INLINE || is_secret(&keys[i]))
		return dw_err_set(err, DW_EX_USAGE, "unknown config key '%s'", dotted_key);
	if (keys[i].type == KEY_CONNINFO &&
	    conninfo_check(&keys[i], value, "--set", "and the command line is visible to "
			   "other users", DW_EX_USAGE, err) < 0) {
		dw_err_hint(err, "use %s.password_env / password_file in the configuration, or "
			    "~/.pgpass", keys[i].section);
		return -1;
	}
	if (assign(cfg, &keys[i], value, "--set", err) < 0) {
		err->code = DW_EX_USAGE;
		return -1;
	}
	return 0;
}

int dw_config_apply_sets(struct dw_config *cfg, const char *const *sets, int n,
			 struct dw_err *err)
{
	for (int i = 0; i < n; i++) {
		char key[128];
		const char *eq = strchr(sets[i], '=');

		if (!eq || (size_t)(eq - sets[i]) >= sizeof key)
			return dw_err_set(err, DW_EX_USAGE, "--set: expected KEY=VALUE, got '%s'",
					  sets[i]);
		snprintf(key, sizeof key, "%.*s", (int)(eq - sets[i]), sets[i]);
		if (dw_config_set(cfg, key, eq + 1, err) < 0)
			return -1;
	}
	return 0;
}

void dw_config_release(struct dw_config *cfg)
{
	for (size_t i = 0; i < NKEYS; i++) {
		char **s = field(cfg, &keys[i]);

		if (keys[i].type != KEY_STRING && keys[i].type != KEY_CONNINFO &&
		    !is_secret(&keys[i]))
			continue;
		if (*s && (is_secret(&keys[i]) || keys[i].type == KEY_CONNINFO))
			explicit_bzero(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
	free(cfg->path);
	cfg->path = NULL;
}

void dw_config_dump(const struct dw_config *cfg, FILE *fp)
{
	const char *last = "";

	for (size_t i = 0; i < NKEYS; i++) {
		const struct key_desc *k = &keys[i];
		const void *f = (const char *)cfg + k->offset;

		if (strcmp(last, k->section))
			fprintf(fp, "%s:\n", k->section);
		last = k->section;
		fprintf(fp, "  %s: ", k->key);
		switch (k->type) {
		case KEY_STRING:
			fprintf(fp, "\"%s\"\n", *(char *const *)f);
			break;
		case KEY_CONNINFO:
			if (conninfo_password(*(char *const *)f) == 0)
				fprintf(fp, "\"%s\"\n", *(char *const *)f);
			else
				fputs("(set, with a password)\n", fp);
			break;
		case KEY_SECRET:
		case KEY_SECRET_REF:
			fprintf(fp, "%s\n", *(char *const *)f ? "(set)" : "(unset)");
			break;
		case KEY_INT:
			fprintf(fp, "%d\n", *(const int *)f);
			break;
		case KEY_LONG:
			fprintf(fp, "%ld\n", *(const long *)f);
			break;
		case KEY_BOOL:
			fprintf(fp, "%s\n", *(const int *)f ? "true" : "false");
			break;
		case KEY_DURATION:
			fprintf(fp, "%ldms\n", *(const long *)f);
			break;
		}
	}
}

void dw_config_keys(void (*fn)(const char *section, const char *key, void *arg), void *arg)
{
	static const char *const suffixes[] = { "_env", "_file" };
	char name[64];

	for (size_t i = 0; i < NKEYS; i++) {
		const struct key_desc *k = &keys[i];

		if (k->type != KEY_SECRET_REF)
			fn(k->section, k->key, arg);
		if (!is_secret(k))
			continue;
		for (size_t j = 0; j < sizeof suffixes / sizeof suffixes[0]; j++) {
			snprintf(name, sizeof name, "%s%s", k->key, suffixes[j]);
			fn(k->section, name, arg);
		}
	}
}
