#define _POSIX_C_SOURCE 200809L
#include "report_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int report_file_open(report_file_t *rf, const char *dir, const char *name, char *err, size_t errlen)
{
    snprintf(rf->path, sizeof rf->path, "%s/%s", dir, name);
    snprintf(rf->tmp, sizeof rf->tmp, "%s.tmp-XXXXXX", rf->path);
    rf->f = NULL;
    int fd = mkstemp(rf->tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create a temporary file: %s", rf->path, strerror(errno));
        return -1;
    }
    fchmod(fd, 0644);
    rf->f = fdopen(fd, "w");
    if (!rf->f) {
        snprintf(err, errlen, "%s: %s", rf->path, strerror(errno));
        close(fd);
        unlink(rf->tmp);
        return -1;
    }
    return 0;
}

int report_file_commit(report_file_t *rf, char *err, size_t errlen)
{
    int rc = 0, saved = 0;
    if (fflush(rf->f) != 0 || ferror(rf->f)) {
        saved = errno ? errno : EIO;
        rc = -1;
    } else if (fsync(fileno(rf->f)) != 0 && errno != EINVAL) {
        saved = errno;
        rc = -1;
    }
    if (fclose(rf->f) != 0 && rc == 0) {
        saved = errno;
        rc = -1;
    }
    rf->f = NULL;
    if (rc == 0 && rename(rf->tmp, rf->path) != 0) {
        saved = errno;
        rc = -1;
    }
    if (rc != 0) {
        unlink(rf->tmp);
        snprintf(err, errlen, "%s: cannot be written: %s", rf->path, strerror(saved));
    }
    return rc;
}

void report_file_abort(report_file_t *rf)
{
    if (rf->f) {
        fclose(rf->f);
        rf->f = NULL;
    }
    unlink(rf->tmp);
}
