/* text: small string helpers shared by modules (edit distance for "did you
 * mean" hints, UTF-8 checks). */
#ifndef DW_TEXT_H
#define DW_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Levenshtein distance between a and b, compared case-insensitively
 * (ASCII); strings of 64 bytes or more count as far from everything. */
size_t dw_text_edit_distance(const char *a, const char *b);

/* The candidate closest to word within max_distance (exclusive), NULL when
 * none; ties go to the earlier candidate. Returns one of cands. */
const char *dw_text_closest(const char *word, const char *const *cands, size_t n,
		       size_t max_distance);

/* A malloc'd formatted string, NULL when out of memory. */
char *dw_text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Length of the longest prefix of s[0..len) that is well-formed UTF-8 (no
 * overlong forms, surrogates or code points past U+10FFFF): len when all
 * of it is. */
size_t dw_text_utf8_valid(const char *s, size_t len);
/* s as well-formed UTF-8 of at most max bytes: each byte that is not part
 * of a well-formed character becomes U+FFFD, and the text is cut at a
 * character boundary. Returns it malloc'd (the caller frees it), NULL when
 * out of memory. */
char *dw_text_utf8_clean(const char *s, size_t max);

/* Writes s to fp as XML 1.0 text or attribute content: & < > " ' as
 * entities, and U+FFFD for each byte that is not part of well-formed
 * UTF-8 and each character XML cannot hold (controls but tab, newline
 * and carriage return; U+FFFE, U+FFFF). */
void dw_text_xml(FILE *fp, const char *s);

#endif
