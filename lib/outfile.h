/* outfile: an output file replaced whole or not at all, never written
 * through a link. The data goes to a new temporary file in the target's
 * directory (mkstemp: created exclusively, so a name planted there cannot
 * redirect it); commit syncs it and renames it over the target, abort
 * removes it. A target that exists as a symbolic link or as anything but a
 * regular file is refused. */
#ifndef DW_OUTFILE_H
#define DW_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "err.h"

struct dw_outfile {
	FILE *fp;                 /* write the data here */
	char *path;               /* the target */
	char *tmp;                /* the temporary file, until commit or abort */
};

/* Opens a temporary file next to path for writing, with mode (less the
 * umask) as its permissions. Returns 0, or -1 with err (DW_EX_IOERR: path
 * is a symbolic link or not a regular file, or its directory is not
 * writable). After 0, call dw_outfile_commit or dw_outfile_abort. */
int dw_outfile_open(struct dw_outfile *f, const char *path, mode_t mode, struct dw_err *err);
/* Flushes and syncs the data, then renames the temporary file over the
 * target. Returns 0, or -1 with err (DW_EX_IOERR), the temporary file
 * removed and the target as it was. f is released either way. */
int dw_outfile_commit(struct dw_outfile *f, struct dw_err *err);
/* Closes and removes the temporary file, leaving the target as it was;
 * releases f. Does nothing on a zeroed or released f. */
void dw_outfile_abort(struct dw_outfile *f);

#endif
