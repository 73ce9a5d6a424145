/* password: the rules of NIST SP 800-63B for the passwords of network
 * accounts (DESIGN.md section 8): at least 15 characters, up to 128, no
 * composition rules, not in the cracklib blocklist (libcrack2 and Debian's
 * dictionary), not containing the user's name, none of the last 5 again
 * (kept as argon2id hashes with OWASP parameters). */
#ifndef DW_USER_PASSWORD_H
#define DW_USER_PASSWORD_H

#include <stddef.h>

#include "err.h"

#define DW_PASSWORD_MIN 15        /* characters, single-factor */
#define DW_PASSWORD_MAX 128
#define DW_PASSWORD_HISTORY 5
#define DW_PASSWORD_HASH_MAX 128  /* an encoded argon2id hash fits */

/* Checks pw for account name against the rules (dict: the cracklib
 * dictionary path prefix, NULL for the compiled-in one). Returns 0, or -1
 * with the reason (DW_EX_DATAERR). */
int dw_password_check(const char *pw, const char *name, const char *dict, struct dw_err *err);
/* Whether pw matches one of n encoded argon2id hashes. */
int dw_password_reused(const char *pw, char *const *hashes, size_t n);
/* pw as an encoded argon2id hash (t=2, m=19456 KiB, p=1, a random 16-byte
 * salt) into out. Returns 0 or -1. */
int dw_password_hash(const char *pw, char *out, size_t size, struct dw_err *err);
/* A random one-time password of 24 characters from a 64-character set
 * (144 bits) that passes the rules for account name, into out (size > 24).
 * Returns 0 or -1. */
int dw_password_random(char *out, size_t size, const char *name, struct dw_err *err);

#endif
