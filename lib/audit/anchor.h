/* anchor: the head of the audit trail's chain as a statement signed with
 * Ed25519 (libcrypto), kept outside the warehouse in an append-only file.
 * A chain that no longer extends every anchor was truncated or rewritten,
 * which the chain alone cannot show to someone who may write everything. */
#ifndef DW_AUDIT_ANCHOR_H
#define DW_AUDIT_ANCHOR_H

#include <stddef.h>

#include "db/db.h"
#include "err.h"

#define DW_ANCHOR_MAX 512

/* Makes a key pair: the private key at priv (PEM, mode 0600), the public
 * key at pub (PEM). Refuses to replace an existing key. Returns 0 or -1. */
int dw_anchor_keygen(const char *priv, const char *pub, struct dw_err *err);

/* The current head of db's chain as a signed line (no newline) into line:
 * "dw-audit-anchor v1 seq=N hash=H time=T sig=BASE64". Returns 0 or -1. */
int dw_anchor_make(struct dw_db *db, const char *priv, char *line, size_t size,
		   struct dw_err *err);

/* Appends line and a newline to the anchors file at path (created with
 * mode 0644, never through a symbolic link), synced. Returns 0 or -1. */
int dw_anchor_append(const char *path, const char *line, struct dw_err *err);

/* Checks every anchor of the file at path: its signature with the public
 * key (pub, or derived from priv when pub is "") and that db's chain still
 * holds its event with its hash. Returns the number of anchors checked,
 * or -1 with err: DW_EX_NEGATIVE naming the first anchor that fails. */
long dw_anchor_check(struct dw_db *db, const char *path, const char *pub, const char *priv,
		     struct dw_err *err);

#endif
