/* Password rules: length in characters, the user's name, libcrack2's
 * FascistCheckUser (a dictionary word, reversed or decorated, a run of
 * repeated or sequential characters: what NIST SP 800-63B asks to refuse),
 * and reuse against argon2id hashes. */
#include "user/password.h"

#include <string.h>
#include <strings.h>

#include <argon2.h>
#include <crack.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

/* Characters of UTF-8 text (bytes that start one). */
static size_t characters(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Whether hay contains needle, ASCII letters compared without case. */
static int contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; n && *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return 0;
}

int dw_password_check(const char *pw, const char *name, const char *dict, struct dw_err *err)
{
	size_t n = characters(pw);
	const char *why;

	if (n < DW_PASSWORD_MIN)
		return dw_err_set(err, DW_EX_DATAERR, "the password is too short: %zu characters, "
				  "at least %d", n, DW_PASSWORD_MIN);
	if (n > DW_PASSWORD_MAX)
		return dw_err_set(err, DW_EX_DATAERR, "the password is too long: at most %d "
				  "characters", DW_PASSWORD_MAX);
	if (name && strlen(name) >= 3 && contains_nocase(pw, name))
		return dw_err_set(err, DW_EX_DATAERR, "the password contains the user's name");
	why = FascistCheckUser(pw, dict ? dict : GetDefaultCracklibDict(), name, NULL);
	if (why)
		return dw_err_set(err, DW_EX_DATAERR, "the password is too easy to guess: %s", why);
	return 0;
}

int dw_password_reused(const char *pw, char *const *hashes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (argon2id_verify(hashes[i], pw, strlen(pw)) == ARGON2_OK)
			return 1;
	return 0;
}

int dw_password_hash(const char *pw, char *out, size_t size, struct dw_err *err)
{
	unsigned char salt[16];
	int rc;

	if (RAND_bytes(salt, sizeof salt) != 1)
		return dw_err_set(err, DW_EX_SOFTWARE, "no random bytes for a salt");
	/* OWASP's argon2id: 19 MiB, 2 passes, 1 lane. */
	rc = argon2id_hash_encoded(2, 19456, 1, pw, strlen(pw), salt, sizeof salt, 32, out, size);
	OPENSSL_cleanse(salt, sizeof salt);
	if (rc != ARGON2_OK)
		return dw_err_set(err, DW_EX_SOFTWARE, "argon2: %s", argon2_error_message(rc));
	return 0;
}

/* One draw: 24 characters of a 64-character set (144 bits). */
static int draw(char *out, struct dw_err *err)
{
	static const char set[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char raw[24];

	if (RAND_bytes(raw, sizeof raw) != 1)
		return dw_err_set(err, DW_EX_SOFTWARE, "no random bytes for a password");
	for (size_t i = 0; i < sizeof raw; i++)
		out[i] = set[raw[i] & 63];
	out[sizeof raw] = '\0';
	OPENSSL_cleanse(raw, sizeof raw);
	return 0;
}

/* About one draw in a thousand has a run cracklib calls systematic, and the
 * server's cracklib_password_check would refuse it: such a draw is made
 * again (sixteen failures in a row are beyond chance). */
int dw_password_random(char *out, size_t size, const char *name, struct dw_err *err)
{
	struct dw_err why;

	if (size < 25)
		return dw_err_set(err, DW_EX_SOFTWARE, "no room for a password");
	for (int tries = 0; tries < 16; tries++) {
		if (draw(out, err) < 0)
			return -1;
		if (dw_password_check(out, name, NULL, &why) == 0)
			return 0;
	}
	OPENSSL_cleanse(out, size);
	return dw_err_set(err, DW_EX_SOFTWARE, "no random password passes the rules: %s", why.msg);
}
