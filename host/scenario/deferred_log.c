/* deferred_log.h: a stdio stream (fopencookie) over a memory buffer that becomes a file. */
#define _GNU_SOURCE /* fopencookie: glibc's custom streams */
#include "deferred_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct deferred_log {
    FILE *stream;
    char *path;
    int fd;     /* -1 until the file is made */
    int err;    /* first errno, 0 while all is well */
    char *kept; /* what was written before the file was made */
    size_t len, cap;
    uint64_t opened_ms;
    unsigned spill_ms;
};

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Makes the file and writes what was kept; later writes go straight to it. */
static void spill(deferred_log_t *d)
{
    if (d->fd >= 0 || d->err)
        return;
    d->fd = open(d->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (d->fd < 0) {
        d->err = errno ? errno : EIO;
        return;
    }
    d->err = write_all(d->fd, d->kept, d->len);
    free(d->kept);
    d->kept = NULL;
    d->len = d->cap = 0;
}

static int keep(deferred_log_t *d, const char *buf, size_t size)
{
    if (d->len + size > d->cap) {
        size_t cap = d->cap ? d->cap : 16384;
        while (cap < d->len + size)
            cap *= 2;
        char *n = realloc(d->kept, cap);
        if (!n)
            return ENOMEM;
        d->kept = n;
        d->cap = cap;
    }
    memcpy(d->kept + d->len, buf, size);
    d->len += size;
    return 0;
}

/* stdio hands its buffer over on a full buffer and on fflush. */
static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
    deferred_log_t *d = cookie;
    if (d->fd < 0 && !d->err && mono_ms() - d->opened_ms >= d->spill_ms)
        spill(d);
    if (d->err) {
        errno = d->err;
        return -1;
    }
    int e = d->fd >= 0 ? write_all(d->fd, buf, size) : keep(d, buf, size);
    if (e) {
        d->err = e;
        errno = e;
        return -1;
    }
    return (ssize_t)size;
}

static int cookie_close(void *cookie)
{
    (void)cookie; /* deferred_log_close finishes */
    return 0;
}

deferred_log_t *deferred_log_open(const char *path, unsigned spill_ms)
{
    deferred_log_t *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->fd = -1;
    d->path = strdup(path);
    d->opened_ms = mono_ms();
    d->spill_ms = spill_ms;
    cookie_io_functions_t io = {.write = cookie_write, .close = cookie_close};
    d->stream = d->path ? fopencookie(d, "w", io) : NULL;
    if (!d->stream) {
        free(d->path);
        free(d);
        return NULL;
    }
    return d;
}

FILE *deferred_log_stream(deferred_log_t *d)
{
    return d->stream;
}

int deferred_log_close(deferred_log_t *d)
{
    if (!d)
        return 0;
    if (fflush(d->stream) != 0 && !d->err)
        d->err = errno ? errno : EIO;
    if (ferror(d->stream) && !d->err)
        d->err = EIO;
    fclose(d->stream);
    spill(d); /* a short log: the file is made now */
    if (d->fd >= 0 && close(d->fd) != 0 && !d->err)
        d->err = errno ? errno : EIO;
    int err = d->err;
    free(d->kept);
    free(d->path);
    free(d);
    return err;
}
