#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The target may be missing or a regular file; nothing else. */
static int check_target(const char *path, struct dw_err *err)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return dw_err_set(err, DW_EX_IOERR, "cannot write '%s': %s", path, strerror(errno));
	}
	if (S_ISLNK(st.st_mode)) {
		dw_err_set(err, DW_EX_IOERR, "refusing to write '%s': it is a symbolic link", path);
		dw_err_hint(err, "remove the link or name another file");
		return -1;
	}
	if (!S_ISREG(st.st_mode))
		return dw_err_set(err, DW_EX_IOERR, "refusing to write '%s': not a regular file",
				  path);
	return 0;
}

/* "DIR/.BASE.XXXXXX" for mkstemp, malloc'd. */
static char *temp_template(const char *path)
{
	char *d = strdup(path), *b = strdup(path), *t = NULL;

	if (d && b) {
		const char *dir = dirname(d), *base = basename(b);
		size_t n = strlen(dir) + strlen(base) + 16;

		if ((t = malloc(n)))
			snprintf(t, n, "%s/.%s.XXXXXX", dir, base);
	}
	free(d);
	free(b);
	return t;
}

static void release(struct dw_outfile *f)
{
	free(f->path);
	free(f->tmp);
	memset(f, 0, sizeof *f);
}

int dw_outfile_open(struct dw_outfile *f, const char *path, mode_t mode, struct dw_err *err)
{
	mode_t mask = umask(0);
	int fd;

	umask(mask);
	memset(f, 0, sizeof *f);
	if (check_target(path, err) < 0)
		return -1;
	if (!(f->path = strdup(path)) || !(f->tmp = temp_template(path))) {
		release(f);
		return dw_err_set(err, DW_EX_SOFTWARE, "out of memory");
	}
	if ((fd = mkstemp(f->tmp)) < 0) {
		dw_err_set(err, DW_EX_IOERR, "cannot write '%s': %s", path, strerror(errno));
		release(f);
		return -1;
	}
	if (fchmod(fd, mode & ~mask) < 0 || !(f->fp = fdopen(fd, "w"))) {
		dw_err_set(err, DW_EX_IOERR, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(f->tmp);
		release(f);
		return -1;
	}
	return 0;
}

int dw_outfile_commit(struct dw_outfile *f, struct dw_err *err)
{
	int failed = fflush(f->fp) != 0 || fsync(fileno(f->fp)) != 0, e = errno;

	if (fclose(f->fp) != 0 && !failed)
		failed = 1, e = errno;
	f->fp = NULL;
	/* Checked again: a link planted meanwhile is replaced, not followed,
	 * by rename, but saying so beats a surprise. */
	if (!failed && check_target(f->path, err) < 0) {
		dw_outfile_abort(f);
		return -1;
	}
	if (!failed && rename(f->tmp, f->path) != 0)
		failed = 1, e = errno;
	if (failed) {
		dw_err_set(err, DW_EX_IOERR, "cannot write '%s': %s", f->path, strerror(e));
		dw_outfile_abort(f);
		return -1;
	}
	release(f);
	return 0;
}

void dw_outfile_abort(struct dw_outfile *f)
{
	if (f->fp)
		fclose(f->fp);
	if (f->tmp)
		unlink(f->tmp);
	release(f);
}
