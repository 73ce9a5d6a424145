#include "text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t dw_text_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (la >= 64 || lb >= 64)
		return la > lb ? la : lb;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (tolower((unsigned char)a[i - 1]) !=
					      tolower((unsigned char)b[j - 1]));

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *dw_text_closest(const char *word, const char *const *cands, size_t n,
		       size_t max_distance)
{
	const char *best = NULL;
	size_t best_d = max_distance;

	for (size_t i = 0; i < n; i++) {
		size_t d = dw_text_edit_distance(word, cands[i]);

		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}

size_t dw_text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c, cp, min;
		uint64_t word;
		size_t n;

		/* eight ASCII bytes at a time, most text */
		if (len - i >= 8 && (memcpy(&word, p + i, 8), !(word & 0x8080808080808080ULL))) {
			i += 8;
			continue;
		}
		c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F, min = 0x80;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, cp = c & 0x0F, min = 0x800;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, cp = c & 0x07, min = 0x10000;
		else
			return i;
		if (len - i < n + 1)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = cp << 6 | (p[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return i;
}

/* One character of well-formed UTF-8 at s, len bytes long, as XML. */
static void xml_char(FILE *fp, const unsigned char *s, size_t len)
{
	static const char *const entity[128] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&apos;",
	};

	if (len == 1 && entity[s[0]])
		fputs(entity[s[0]], fp);
	else if ((len == 1 && s[0] < 0x20 && !strchr("\t\n\r", s[0])) ||
		 (len == 3 && s[0] == 0xEF && s[1] == 0xBF && s[2] >= 0xBE))
		fputs("\xEF\xBF\xBD", fp);
	else
		fwrite(s, 1, len, fp);
}

void dw_text_xml(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		/* The length of the character at p, when well-formed. */
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;

		if (dw_text_utf8_valid((const char *)p, strnlen((const char *)p, len)) != len) {
			fputs("\xEF\xBF\xBD", fp);
			p++;
			continue;
		}
		xml_char(fp, p, len);
		p += len;
	}
}

char *dw_text_utf8_clean(const char *s, size_t max)
{
	size_t len = strlen(s), o = 0;
	char *out = malloc(len * 3 + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t ok = dw_text_utf8_valid(s + i, len - i);

		memcpy(out + o, s + i, ok);
		o += ok;
		i += ok;
		if (i < len) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		}
	}
	if (o > max) {
		o = max;
		while (o > 0 && ((unsigned char)out[o] & 0xC0) == 0x80)
			o--;
	}
	out[o] = '\0';
	return out;
}

char *dw_text_printf(const char *fmt, ...)
{
	va_list ap;
	int len;
	char *s;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !(s = malloc((size_t)len + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}
