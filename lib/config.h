/* config: dw.yaml into typed structs.
 *
 * Lookup: -c FILE > $DW_CONFIG > $XDG_CONFIG_HOME/dw/dw.yaml (~/.config when
 * unset) > /etc/dw/dw.yaml; none found means built-in defaults. Per key:
 * command line (dw_config_set) > DW_<SECTION>_<KEY> environment > file >
 * default. Secrets come inline only from a file no one else can read, or from
 * *_env (an environment variable name) and *_file (a file path) keys. */
#ifndef DW_CONFIG_H
#define DW_CONFIG_H

#include <stdio.h>

#include "err.h"

struct dw_config_oltp {
	char *conninfo;          /* libpq conninfo or URI; "" = libpq defaults (PG* env) */
	char *password;          /* resolved secret or NULL */
	int connect_timeout;     /* seconds */
};

struct dw_config_warehouse {
	char *host;
	int port;
	char *socket;            /* "" = use host/port */
	char *user;
	char *password;          /* resolved secret or NULL */
	char *database;
	int connect_timeout;     /* seconds */
	int local_infile;        /* try LOAD DATA LOCAL (falls back to INSERT when refused) */
};

struct dw_config_etl {
	long safety_lag_ms;      /* used when in-flight transactions cannot be seen */
	int fiscal_year_start;   /* month 1..12 */
	long poll_interval_ms;   /* follow: run a cycle at least this often */
	long debounce_ms;        /* follow: wait this long for a burst of changes to settle */
};

struct dw_config_import {
	char *date_format;       /* auto, mdy, dmy, ymd */
	long max_rejects;        /* -1 = unlimited */
};

struct dw_config_ask {
	char *knowledge;         /* knowledge file path */
	char *engines;           /* engine order: "semantic, ollama, openai" */
	char *user;              /* read-only warehouse account; "" = warehouse.user */
	char *password;          /* its resolved secret or NULL (none: not warehouse.password) */
	char *role;              /* role recorded in the audit trail */
	long row_limit;          /* rows printed at most, with a notice when cut */
	long byte_limit;         /* bytes of an answer held at most, likewise */
	long statement_timeout_ms;
	int reprompts;           /* corrections asked of an LLM after a bad query */
	int examples;            /* curated examples put in an LLM prompt */
	int prompt_values;       /* put non-personal dimension values in LLM prompts */
	int as_person;           /* connect as the OS user (dw-user add), in its role's schema */
	char *cache_dir;         /* "" = $XDG_CACHE_HOME/dw or ~/.cache/dw */
};

/* One LLM provider section (ollama, openai, gemini, anthropic). */
struct dw_config_llm {
	char *url;
	char *model;
	char *api_key;           /* only from api_key_env / api_key_file; NULL when none */
	int remote;              /* off this machine: never sent personal data or values */
	long timeout_ms;
	long connect_timeout_ms;
	int retries;             /* HTTP 429/5xx retries */
	long backoff_ms;         /* first retry delay, doubling */
};

/* dw-validate's checks file. */
struct dw_config_validate {
	char *checks;            /* the checks file (dw-checks(5)) */
};

/* dw-tune's trials. */
struct dw_config_tune {
	int merge_budget;        /* the most a kept index may slow dw-etl's merge, percent */
};

/* The anchors of the audit trail (dw-audit anchor). */
struct dw_config_audit {
	char *signing_key;       /* Ed25519 private key, PEM, readable by its owner only */
	char *public_key;        /* its public key, PEM ("" = from the private key) */
	char *anchors;           /* the append-only anchors file */
};

struct dw_config {
	char *path;              /* file read, NULL when only defaults */
	struct dw_config_oltp oltp;
	struct dw_config_warehouse warehouse;
	struct dw_config_etl etl;
	struct dw_config_import import;
	struct dw_config_ask ask;
	struct dw_config_audit audit;
	struct dw_config_validate validate;
	struct dw_config_tune tune;
	struct dw_config_llm ollama, openai, gemini, anthropic;
};

/* Fills defaults, then the file (explicit_path, else the lookup order), then
 * DW_<SECTION>_<KEY> variables, then resolves secrets. Returns 0 or -1 with
 * err (DW_EX_CONFIG naming file, line and key; DW_EX_IOERR when unreadable).
 * Release with dw_config_release even on failure. */
int dw_config_load(struct dw_config *cfg, const char *explicit_path, struct dw_err *err);
/* Same, from an in-memory YAML text (name used in messages); for tests. */
int dw_config_load_string(struct dw_config *cfg, const char *yaml, const char *name,
			  struct dw_err *err);
/* Command-line override of one key "section.key". Returns 0 or -1 (DW_EX_USAGE). */
int dw_config_set(struct dw_config *cfg, const char *dotted_key, const char *value,
		  struct dw_err *err);
/* Applies each "section.key=value" of sets with dw_config_set (--set
 * options). Returns 0 or -1 (DW_EX_USAGE). */
int dw_config_apply_sets(struct dw_config *cfg, const char *const *sets, int n,
			 struct dw_err *err);
/* Frees all strings and wipes secrets. */
void dw_config_release(struct dw_config *cfg);

/* Parses "500ms", "5s", "2m", "1h", "1d" or a plain number of seconds into
 * milliseconds. Returns 0 or -1. */
int dw_config_duration_ms(const char *s, long *ms);

/* Writes every key with its current value (secrets shown as "(set)") as YAML;
 * used by `--show-config`-style output and tests. */
void dw_config_dump(const struct dw_config *cfg, FILE *fp);

/* Calls fn once for every key a configuration file accepts, in the order of
 * dw_config_dump: a secret key K as K, K_env and K_file, except an API key,
 * which is never written in the file, as K_env and K_file only. key is valid
 * only during the call. */
void dw_config_keys(void (*fn)(const char *section, const char *key, void *arg), void *arg);

#endif
