#include "sqlfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql_embed.h"

const char *dw_sqlfile_text(const char *name)
{
	for (const struct dw_sql_file *f = dw_sql_embed_files; f->name; f++)
		if (!strcmp(f->name, name))
			return f->text;
	return NULL;
}

/* Length of the line at p, without its newline. */
static size_t line_len(const char *p)
{
	return strcspn(p, "\n");
}

static int is_marker(const char *line, size_t len, const char *marker)
{
	size_t m = strlen(marker);

	return len > 3 + m && !strncmp(line, "-- ", 3) && !strncmp(line + 3, marker, m) &&
	       line[3 + m] == ' ';
}

/* Any section header, of this marker or another: "-- word word [word]" in
 * lower case. Prose comments start with a capital letter. */
static int is_header(const char *line, size_t len)
{
	int words = 0, in_word = 0;

	if (len < 4 || strncmp(line, "-- ", 3))
		return 0;
	for (size_t i = 3; i < len; i++) {
		char c = line[i];

		if (c == ' ') {
			in_word = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
		if (!in_word)
			words++;
		in_word = 1;
	}
	return words >= 2 && words <= 3;
}

static void trim_body(char *s)
{
	size_t n = strlen(s);

	while (n && strchr(" \t\n;", s[n - 1]))
		s[--n] = '\0';
}

static int append(char **buf, size_t *len, const char *p, size_t n)
{
	char *nb = realloc(*buf, *len + n + 2);

	if (!nb)
		return -1;
	memcpy(nb + *len, p, n);
	*len += n;
	nb[(*len)++] = '\n';
	nb[*len] = '\0';
	*buf = nb;
	return 0;
}

static int start_section(struct dw_sql_section **out, int *n, const char *args, size_t len)
{
	struct dw_sql_section *s = realloc(*out, (size_t)(*n + 1) * sizeof **out);
	char tmp[160];

	if (!s)
		return -1;
	*out = s;
	s = &s[(*n)++];
	memset(s, 0, sizeof *s);
	snprintf(tmp, sizeof tmp, "%.*s", (int)len, args);
	sscanf(tmp, "%63s %63s", s->word1, s->word2);
	return 0;
}

static int add_line(char **lines, int *n, const char *p, size_t len)
{
	if (*n == DW_SQL_MAX_CURSORS)
		return -1;
	lines[*n] = strndup(p, len);
	return lines[(*n)++] ? 0 : -1;
}

int dw_sqlfile_sections(const char *name, const char *marker, struct dw_sql_section **out,
		    struct dw_err *err)
{
	const char *text = dw_sqlfile_text(name), *p;
	size_t m = strlen(marker), body_len = 0;
	int n = 0, rc = 0, in_section = 0;

	*out = NULL;
	if (!text)
		return dw_err_set(err, DW_EX_SOFTWARE, "sql/%s is not built in", name);
	for (p = text; *p && rc == 0; p += line_len(p) + (p[line_len(p)] == '\n')) {
		size_t len = line_len(p);

		if (is_marker(p, len, marker)) {
			rc = start_section(out, &n, p + 4 + m, len - 4 - m);
			body_len = 0;
			in_section = 1;
		} else if (n && in_section && len > 10 && !strncmp(p, "-- cursor ", 10)) {
			rc = add_line((*out)[n - 1].cursors, &(*out)[n - 1].ncursors, p + 10, len - 10);
		} else if (n && in_section && len > 7 && !strncmp(p, "-- key ", 7)) {
			rc = add_line((*out)[n - 1].keys, &(*out)[n - 1].nkeys, p + 7, len - 7);
		} else if (is_header(p, len)) {
			in_section = 0;   /* another kind of section */
		} else if (n && in_section && !(len >= 2 && !strncmp(p, "--", 2))) {
			rc = append(&(*out)[n - 1].body, &body_len, p, len);
		}
	}
	for (int i = 0; i < n && rc == 0; i++) {
		if (!(*out)[i].body)
			(*out)[i].body = strdup("");
		if (!(*out)[i].body)
			rc = -1;
		else
			trim_body((*out)[i].body);
	}
	if (rc < 0) {
		dw_sqlfile_sections_free(*out, n);
		*out = NULL;
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory reading sql/%s", name);
	}
	return n;
}

void dw_sqlfile_sections_free(struct dw_sql_section *s, int n)
{
	for (int i = 0; s && i < n; i++) {
		free(s[i].body);
		for (int c = 0; c < s[i].ncursors; c++)
			free(s[i].cursors[c]);
		for (int c = 0; c < s[i].nkeys; c++)
			free(s[i].keys[c]);
	}
	free(s);
}

const struct dw_sql_section *dw_sqlfile_section_named(const struct dw_sql_section *s, int n,
						      const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s[i].word1, name))
			return &s[i];
	return NULL;
}
