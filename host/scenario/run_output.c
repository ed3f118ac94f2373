#define _POSIX_C_SOURCE 200809L
#include "run_output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int mkdir_p(const char *path)
{
    char tmp[4400];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
                return -1;
            }
            *p = '/';
        }
    }
    return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static int claim_one(const char *dir, results_log_t *log, bool *exists, char *err, size_t errlen)
{
    *exists = false;
    char logs[4400];
    snprintf(logs, sizeof logs, "%s/logs", dir);
    if (mkdir_p(dir) != 0) {
        snprintf(err, errlen, "%s: cannot create the run directory: %s", dir, strerror(errno));
        return 3;
    }
    if (results_log_create(log, dir, exists, err, errlen) != 0) {
        return *exists ? 2 : 3;
    }
    /* Claimed: now the rest of the directory. */
    if (mkdir(logs, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", logs, strerror(errno));
        return 3;
    }
    return 0;
}

int run_output_claim(char *dir, size_t cap, bool default_name, results_log_t *log, char *err,
                     size_t errlen)
{
    log->fd = -1;
    if (!dir[0]) {
        snprintf(err, errlen, "--out is empty: give a directory");
        return 2;
    }
    char base[4096];
    snprintf(base, sizeof base, "%s", dir);
    bool exists = false;
    int rc = claim_one(dir, log, &exists, err, errlen);
    for (unsigned n = 2; rc == 2 && exists && default_name && n < 100; n++) {
        snprintf(dir, cap, "%s-%u", base, n);
        rc = claim_one(dir, log, &exists, err, errlen);
    }
    return rc;
}
