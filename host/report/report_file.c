#define _POSIX_C_SOURCE 200809L
#include "report_file.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
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

#define DEFER_MAX 8 /* the reports of a run: junit, json, markdown, html */

typedef struct deferred {
    report_file_t rf;
    pthread_t thread;
    bool threaded;
    int sync_errno;
} deferred_t;

static bool g_deferring;
static deferred_t g_deferred[DEFER_MAX];
static size_t g_n_deferred;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER; /* reports commit from two threads */

static void *sync_one(void *arg);

/* Takes the flushed file into the deferred list and starts its sync on a thread of its own,
 * so it runs while the other reports are written; false when it is to be synced now. */
static bool defer(report_file_t *rf)
{
    pthread_mutex_lock(&g_mu);
    bool taken = g_deferring && g_n_deferred < DEFER_MAX;
    if (taken) {
        deferred_t *d = &g_deferred[g_n_deferred++];
        d->rf = *rf;
        d->sync_errno = 0;
        d->threaded = pthread_create(&d->thread, NULL, sync_one, d) == 0;
        rf->f = NULL;
    }
    pthread_mutex_unlock(&g_mu);
    return taken;
}

/* Close and rename a flushed file, synced or not (saved: the sync's errno). */
static int finish(report_file_t *rf, int saved, char *err, size_t errlen)
{
    int rc = saved != 0 ? -1 : 0;
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

static int sync_file(FILE *f)
{
    return fsync(fileno(f)) != 0 && errno != EINVAL ? errno : 0;
}

int report_file_commit(report_file_t *rf, char *err, size_t errlen)
{
    int saved = 0;
    if (fflush(rf->f) != 0 || ferror(rf->f)) {
        saved = errno ? errno : EIO;
    } else if (defer(rf)) {
        return 0; /* report_files_settle() finishes it */
    } else {
        saved = sync_file(rf->f);
    }
    return finish(rf, saved, err, errlen);
}

void report_files_defer(void)
{
    g_deferring = true;
}

static void *sync_one(void *arg)
{
    deferred_t *d = arg;
    d->sync_errno = sync_file(d->rf.f);
    return NULL;
}

int report_files_settle(char *err, size_t errlen)
{
    for (size_t i = 0; i < g_n_deferred; i++) {
        deferred_t *d = &g_deferred[i];
        if (!d->threaded) {
            sync_one(d); /* no thread: synced here, one by one */
        }
    }
    int rc = 0;
    for (size_t i = 0; i < g_n_deferred; i++) {
        deferred_t *d = &g_deferred[i];
        if (d->threaded) {
            pthread_join(d->thread, NULL);
        }
        char e[sizeof d->rf.path + 64];
        if (finish(&d->rf, d->sync_errno, e, sizeof e) != 0 && rc == 0) {
            snprintf(err, errlen, "%s", e);
            rc = -1;
        }
    }
    g_n_deferred = 0;
    g_deferring = false;
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
