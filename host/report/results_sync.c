#define _POSIX_C_SOURCE 200809L
#include "results_sync.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct results_sync {
    int fd;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    unsigned long requested, synced;
    int failed_errno; /* of the first failed fdatasync, 0 if none */
    bool stop;
};

static void *syncer(void *arg)
{
    results_sync_t *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (s->requested == s->synced && !s->stop) {
            pthread_cond_wait(&s->cond, &s->mu);
        }
        if (s->requested == s->synced) {
            break; /* stopping, nothing left to sync */
        }
        unsigned long target = s->requested;
        pthread_mutex_unlock(&s->mu);
        int rc = fdatasync(s->fd);
        int e = errno;
        pthread_mutex_lock(&s->mu);
        if (rc != 0 && e != EINVAL && s->failed_errno == 0) {
            s->failed_errno = e;
        }
        s->synced = target;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

results_sync_t *results_sync_start(int fd)
{
    results_sync_t *s = calloc(1, sizeof *s);
    if (!s) {
        return NULL;
    }
    s->fd = fd;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cond, NULL);
    if (pthread_create(&s->thread, NULL, syncer, s) != 0) {
        pthread_cond_destroy(&s->cond);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return NULL;
    }
    return s;
}

int results_sync_request(results_sync_t *s, const char *path, char *err, size_t errlen)
{
    pthread_mutex_lock(&s->mu);
    int failed = s->failed_errno;
    if (!failed) {
        s->requested++;
        pthread_cond_signal(&s->cond);
    }
    pthread_mutex_unlock(&s->mu);
    if (failed) {
        snprintf(err, errlen, "%s: fdatasync failed: %s", path, strerror(failed));
        return -1;
    }
    return 0;
}

int results_sync_finish(results_sync_t *s, const char *path, char *err, size_t errlen)
{
    if (!s) {
        return 0;
    }
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    int failed = s->failed_errno;
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->mu);
    free(s);
    if (failed) {
        snprintf(err, errlen, "%s: fdatasync failed: %s", path, strerror(failed));
        return -1;
    }
    return 0;
}
