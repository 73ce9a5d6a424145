/* Unit tests for lib/outfile.c: an output file written aside and renamed
 * over its target, never through a link, nothing left behind on abort. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* ---- helpers ---- */

struct dir {
	char path[256];
	char file[300];
};

static int setup(void **state)
{
	struct dir *d = calloc(1, sizeof *d);

	if (!d)
		return -1;
	snprintf(d->path, sizeof d->path, "%s/dw-outfile.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(d->path))
		return -1;
	snprintf(d->file, sizeof d->file, "%s/out.svg", d->path);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dir *d = *state;
	DIR *dp = opendir(d->path);
	struct dirent *e;
	char p[600];

	while (dp && (e = readdir(dp))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", d->path, e->d_name);
			unlink(p);
		}
	}
	if (dp)
		closedir(dp);
	rmdir(d->path);
	free(d);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* The file's content (static buffer), "" when it cannot be read. */
static const char *slurp(const char *path)
{
	static char buf[256];
	FILE *fp = fopen(path, "r");
	size_t n = 0;

	if (fp) {
		n = fread(buf, 1, sizeof buf - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

/* Entries in dir other than . and .. */
static int count_entries(const char *path)
{
	DIR *dp = opendir(path);
	struct dirent *e;
	int n = 0;

	assert_non_null(dp);
	while ((e = readdir(dp)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(dp);
	return n;
}

/* ---- tests ---- */

static void test_new_file(void **state)
{
	struct dir *d = *state;
	struct dw_outfile f;
	struct dw_err err = { 0 };
	struct stat st;
	mode_t mask = umask(022);

	assert_int_equal(dw_outfile_open(&f, d->file, 0644, &err), 0);
	fputs("<svg/>\n", f.fp);
	/* Nothing at the target until the commit. */
	assert_int_equal(access(d->file, F_OK), -1);
	assert_int_equal(dw_outfile_commit(&f, &err), 0);
	umask(mask);
	assert_string_equal(slurp(d->file), "<svg/>\n");
	assert_int_equal(stat(d->file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(count_entries(d->path), 1);
	assert_null(f.fp);
	assert_null(f.tmp);
}

static void test_replaces_whole(void **state)
{
	struct dir *d = *state;
	struct dw_outfile f;
	struct dw_err err = { 0 };

	write_file(d->file, "old content, longer than the new\n");
	assert_int_equal(dw_outfile_open(&f, d->file, 0600, &err), 0);
	fputs("new\n", f.fp);
	assert_string_equal(slurp(d->file), "old content, longer than the new\n");
	assert_int_equal(dw_outfile_commit(&f, &err), 0);
	assert_string_equal(slurp(d->file), "new\n");
	assert_int_equal(count_entries(d->path), 1);
}

static void test_abort_leaves_target(void **state)
{
	struct dir *d = *state;
	struct dw_outfile f;
	struct dw_err err = { 0 };

	write_file(d->file, "kept\n");
	assert_int_equal(dw_outfile_open(&f, d->file, 0644, &err), 0);
	fputs("discarded\n", f.fp);
	dw_outfile_abort(&f);
	assert_string_equal(slurp(d->file), "kept\n");
	assert_int_equal(count_entries(d->path), 1);
	dw_outfile_abort(&f);     /* twice: nothing */
}

static void test_symlink_refused(void **state)
{
	struct dir *d = *state;
	struct dw_outfile f;
	struct dw_err err = { 0 };
	char victim[320];

	snprintf(victim, sizeof victim, "%s/victim", d->path);
	write_file(victim, "precious\n");
	assert_int_equal(symlink(victim, d->file), 0);
	assert_int_equal(dw_outfile_open(&f, d->file, 0644, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_non_null(strstr(err.msg, d->file));
	assert_string_equal(slurp(victim), "precious\n");
	assert_int_equal(count_entries(d->path), 2);
}

/* A dangling link would create its target: refused too. */
static void test_dangling_symlink_refused(void **state)
{
	struct dir *d = *state;
	struct dw_outfile f;
	struct dw_err err = { 0 };
	char victim[320];

	snprintf(victim, sizeof victim, "%s/created", d->path);
	assert_int_equal(symlink(victim, d->file), 0);
	assert_int_equal(dw_outfile_open(&f, d->file, 0644, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_int_equal(access(victim, F_OK), -1);
}

/* A link planted after the open is not followed: the commit refuses it. */
static void test_symlink_planted_before_commit(void **state)
{
	struct dir *d = *state;
	struct dw_outfile f;
	struct dw_err err = { 0 };
	char victim[320];

	snprintf(victim, sizeof victim, "%s/victim", d->path);
	write_file(victim, "precious\n");
	assert_int_equal(dw_outfile_open(&f, d->file, 0644, &err), 0);
	fputs("data\n", f.fp);
	assert_int_equal(symlink(victim, d->file), 0);
	assert_int_equal(dw_outfile_commit(&f, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_string_equal(slurp(victim), "precious\n");
	assert_int_equal(count_entries(d->path), 2);
}

static void test_not_regular_refused(void **state)
{
	struct dir *d = *state;
	struct dw_outfile f;
	struct dw_err err = { 0 };

	assert_int_equal(dw_outfile_open(&f, d->path, 0644, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(mkfifo(d->file, 0600), 0);
	assert_int_equal(dw_outfile_open(&f, d->file, 0644, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
}

static void test_missing_directory(void **state)
{
	struct dir *d = *state;
	struct dw_outfile f;
	struct dw_err err = { 0 };
	char path[320];

	snprintf(path, sizeof path, "%s/nodir/out.svg", d->path);
	assert_int_equal(dw_outfile_open(&f, path, 0644, &err), -1);
	assert_int_equal(err.code, DW_EX_IOERR);
	assert_non_null(strstr(err.msg, "No such file or directory"));
	assert_null(f.fp);
}

/* A bare file name goes in the current directory. */
static void test_relative_name(void **state)
{
	struct dir *d = *state;
	struct dw_outfile f;
	struct dw_err err = { 0 };
	char cwd[4096];

	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(d->path), 0);
	assert_int_equal(dw_outfile_open(&f, "rel.txt", 0644, &err), 0);
	assert_int_equal(strncmp(f.tmp, "./.rel.txt.", 11), 0);
	fputs("x\n", f.fp);
	assert_int_equal(dw_outfile_commit(&f, &err), 0);
	assert_string_equal(slurp("rel.txt"), "x\n");
	assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replaces_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_leaves_target, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dangling_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_planted_before_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_regular_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_name, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
