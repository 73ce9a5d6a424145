/* cache: what a dw-ask session reads from the warehouse besides the schema,
 * the distinct dimension values the offline engine matches words against
 * and the latest fact date, kept in a file in ask.cache_dir. The file is
 * keyed by the schema stamp, the ETL watermark and the SQL that reads the
 * values (so the knowledge file's dimensions); the stamps are read in one
 * round trip per session, so the file is never stale: a sync, a schema
 * change or a changed dimension reads the warehouse again. */
#ifndef DW_ASK_CACHE_H
#define DW_ASK_CACHE_H

#include "kb.h"
#include "ask/sem/sem.h"
#include "db/db.h"
#include "err.h"

struct dw_cache_stamps {
	char *schema;             /* DW_SCHEMA_STAMP_SQL's value, or NULL */
	char *watermark;          /* the ETL watermarks, or NULL: none readable */
};

/* Reads both stamps in one round trip (the schema stamp alone when
 * dw_etl_watermark cannot be read). Returns 0 or -1 with err. */
int dw_cache_stamps(struct dw_db *db, struct dw_cache_stamps *st, struct dw_err *err);
void dw_cache_stamps_release(struct dw_cache_stamps *st);

/* Gives sem the values of every "values: true" dimension of kb and the
 * latest date (the queries of dw_sem_load_sql and dw_sem_load_latest_sql):
 * from the file values-DATABASE.tsv in cache_dir (see dw_schema_cache_path) when its key matches, else from
 * db, then written to that file (mode 0600: values may be personal data)
 * when a watermark is known. A missing, stale, damaged or unwritable file
 * only costs the read. Returns 0 or -1 with err. */
int dw_cache_sem_load(struct dw_sem *sem, const struct dw_kb *kb, struct dw_db *db,
		      const char *cache_dir, const char *database,
		      const struct dw_cache_stamps *st, struct dw_err *err);

/* Gives sem (made from kb) the values in text, a values file's content,
 * when it is whole and for key; with sem NULL only checks. Returns 0, or -1
 * (damaged, cut short, another key, or out of memory) having given sem
 * nothing unless out of memory. */
int dw_cache_apply(struct dw_sem *sem, const struct dw_kb *kb, const char *text,
		   const char *key);

#endif
