/* Anchors: sign "dw-audit-anchor v1 seq=N hash=H time=T" with Ed25519 and
 * append it, with its signature in base64, to a file outside the
 * warehouse; check each line's signature and the chain's event N. */
#include "audit/anchor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "outfile.h"

static EVP_PKEY *read_key(const char *path, int private, struct dw_err *err)
{
	FILE *fp = fopen(path, "r");
	EVP_PKEY *k;

	if (!fp)
		return dw_err_set(err, DW_EX_CONFIG, "cannot read the %s key '%s': %s",
				  private ? "signing" : "public", path, strerror(errno)), NULL;
	k = private ? PEM_read_PrivateKey(fp, NULL, NULL, NULL)
		    : PEM_read_PUBKEY(fp, NULL, NULL, NULL);
	fclose(fp);
	if (!k || EVP_PKEY_id(k) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(k);
		return dw_err_set(err, DW_EX_CONFIG, "'%s' is not an Ed25519 %s key in PEM", path,
				  private ? "private" : "public"), NULL;
	}
	return k;
}

/* Writes one PEM file through a temporary file; refuses to replace one. */
static int write_pem(const char *path, EVP_PKEY *k, int private, struct dw_err *err)
{
	struct dw_outfile f;
	struct stat st;

	if (lstat(path, &st) == 0)
		return dw_err_set(err, DW_EX_DATAERR, "'%s' exists: a key is never replaced", path);
	if (dw_outfile_open(&f, path, private ? 0600 : 0644, err) < 0)
		return -1;
	if (!(private ? PEM_write_PrivateKey(f.fp, k, NULL, NULL, 0, NULL, NULL)
		      : PEM_write_PUBKEY(f.fp, k))) {
		dw_outfile_abort(&f);
		return dw_err_set(err, DW_EX_IOERR, "cannot write the key '%s'", path);
	}
	return dw_outfile_commit(&f, err);
}

int dw_anchor_keygen(const char *priv, const char *pub, struct dw_err *err)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	EVP_PKEY *k = NULL;
	int rc;

	if (!*priv || !*pub)
		return dw_err_set(err, DW_EX_CONFIG, "set audit.signing_key and audit.public_key");
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_keygen(ctx, &k) <= 0)
		rc = dw_err_set(err, DW_EX_SOFTWARE, "cannot make an Ed25519 key");
	else
		rc = write_pem(priv, k, 1, err) < 0 || write_pem(pub, k, 0, err) < 0 ? -1 : 0;
	EVP_PKEY_free(k);
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

/* The head as the statement signed. */
static int statement(struct dw_db *db, char *buf, size_t size, struct dw_err *err)
{
	struct dw_rows *rows = dw_db_query(db, "SELECT seq, hash, DATE_FORMAT(UTC_TIMESTAMP(6), "
					   "'%Y-%m-%dT%H:%i:%s.%fZ') FROM dw_audit_head WHERE id = 1",
					   0, NULL, err);
	int rc;

	if (!rows)
		return -1;
	if ((rc = dw_rows_next(rows, err)) > 0)
		snprintf(buf, size, "dw-audit-anchor v1 seq=%s hash=%s time=%s",
			 dw_rows_value(rows, 0), dw_rows_value(rows, 1), dw_rows_value(rows, 2));
	dw_rows_free(rows);
	if (rc == 0)
		return dw_err_set(err, DW_EX_CONFIG, "warehouse: no chain head (run dw-etl init)");
	return rc < 0 ? -1 : 0;
}

int dw_anchor_make(struct dw_db *db, const char *priv, char *line, size_t size,
		   struct dw_err *err)
{
	EVP_PKEY *k = *priv ? read_key(priv, 1, err) : NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned char sig[64], b64[96];
	size_t n = sizeof sig;
	int rc = -1;

	if (!*priv)
		return dw_err_set(err, DW_EX_CONFIG, "set audit.signing_key (dw-audit keygen)");
	if (k && statement(db, line, size, err) == 0) {
		if ((ctx = EVP_MD_CTX_new()) && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
		    EVP_DigestSign(ctx, sig, &n, (unsigned char *)line, strlen(line)) == 1) {
			EVP_EncodeBlock(b64, sig, (int)n);
			snprintf(line + strlen(line), size - strlen(line), " sig=%s", b64);
			rc = 0;
		} else {
			dw_err_set(err, DW_EX_SOFTWARE, "cannot sign the anchor");
		}
	}
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return rc;
}

int dw_anchor_append(const char *path, const char *line, struct dw_err *err)
{
	int fd;
	size_t n = strlen(line);
	int ok;

	if (!*path)
		return dw_err_set(err, DW_EX_CONFIG, "set audit.anchors, the anchors file");
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return dw_err_set(err, DW_EX_IOERR, "cannot open the anchors file '%s': %s", path,
				  strerror(errno));
	ok = write(fd, line, n) == (ssize_t)n && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	if (close(fd) != 0 || !ok)
		return dw_err_set(err, DW_EX_IOERR, "cannot write the anchors file '%s'", path);
	return 0;
}

/* The key anchors are checked with. */
static EVP_PKEY *check_key(const char *pub, const char *priv, struct dw_err *err)
{
	if (*pub)
		return read_key(pub, 0, err);
	if (*priv)
		return read_key(priv, 1, err);
	return dw_err_set(err, DW_EX_CONFIG, "set audit.public_key to check anchors"), NULL;
}

static int signature_ok(EVP_PKEY *k, const char *line)
{
	const char *s = strstr(line, " sig=");
	unsigned char sig[96];
	EVP_MD_CTX *ctx;
	int n, ok;

	if (!s || strlen(s + 5) != 88)
		return 0;
	n = EVP_DecodeBlock(sig, (const unsigned char *)s + 5, 88);
	if (n != 66)   /* 64 bytes, padded */
		return 0;
	if (!(ctx = EVP_MD_CTX_new()))
		return 0;
	ok = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1 &&
	     EVP_DigestVerify(ctx, sig, 64, (const unsigned char *)line, (size_t)(s - line)) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* Whether event seq is before the chain's purge checkpoint. */
static int purged(struct dw_db *db, const char *seq)
{
	const char *params[] = { seq };
	char *v = NULL;
	struct dw_err ignored;
	int yes = dw_db_query_value(db, "SELECT COUNT(*) FROM dw_audit_event WHERE tool = "
				    "'dw-audit' AND action = 'checkpoint' AND seq > ?", 1, params, &v,
				    &ignored) == 0 && v && strcmp(v, "0");

	free(v);
	return yes;
}

/* The chain's event seq still has hash? 0 yes, -1 with err naming why. */
static int extends(struct dw_db *db, const char *seq, const char *hash, long lineno,
		   struct dw_err *err)
{
	const char *params[] = { seq };
	char *have = NULL;
	int rc = 0;

	if (dw_db_query_value(db, "SELECT hash FROM dw_audit_event WHERE seq = ?", 1, params, &have,
			      err) < 0)
		return -1;
	if (!have && purged(db, seq))
		;   /* before the chain's checkpoint: its archive holds it */
	else if (!have)
		rc = dw_err_set(err, DW_EX_NEGATIVE, "anchor on line %ld: the chain no longer has "
				"event %s (truncated)", lineno, seq);
	else if (strcmp(have, hash))
		rc = dw_err_set(err, DW_EX_NEGATIVE, "anchor on line %ld: event %s has another hash "
				"than when it was anchored (the chain was rewritten)", lineno, seq);
	free(have);
	return rc;
}

long dw_anchor_check(struct dw_db *db, const char *path, const char *pub, const char *priv,
		     struct dw_err *err)
{
	EVP_PKEY *k = check_key(pub, priv, err);
	FILE *fp = k ? fopen(path, "r") : NULL;
	char line[DW_ANCHOR_MAX * 2], seq[32], hash[65];
	long n = 0, lineno = 0;
	int rc = 0;

	if (k && !fp)
		rc = dw_err_set(err, DW_EX_IOERR, "cannot read the anchors file '%s': %s", path,
				strerror(errno));
	while (k && fp && rc == 0 && fgets(line, sizeof line, fp)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		if (sscanf(line, "dw-audit-anchor v1 seq=%31[0-9] hash=%64[0-9a-f] ", seq, hash) != 2 ||
		    !signature_ok(k, line))
			rc = dw_err_set(err, DW_EX_NEGATIVE, "anchor on line %ld of '%s': not signed by "
					"this key (forged or damaged)", lineno, path);
		else if ((rc = extends(db, seq, hash, lineno, err)) == 0)
			n++;
	}
	if (fp)
		fclose(fp);
	EVP_PKEY_free(k);
	return !k || rc < 0 ? -1 : n;
}
