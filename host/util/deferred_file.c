/* deferred_file.h: a stdio stream (fopencookie) over a memory buffer that becomes a file. */
#define _GNU_SOURCE /* fopencookie: glibc's custom streams */
#include "deferred_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct deferred_file {
    FILE *stream; /* NULL once its user closed it */
    char *path;   /* the whole path, or the name in dir(ctx) */
    deferred_dir_fn dir;
    void *ctx;
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

static int make_file(deferred_file_t *d)
{
    const char *path = d->path;
    char joined[4608];
    if (d->dir) {
        errno = 0;
        const char *dir = d->dir(d->ctx);
        if (!dir)
            return errno ? errno : EIO;
        int n = snprintf(joined, sizeof joined, "%s/%s", dir, d->path);
        if (n < 0 || (size_t)n >= sizeof joined)
            return ENAMETOOLONG;
        path = joined;
    }
    /* O_APPEND: another process appending by name (deferred_file_spill) is not overwritten */
    d->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    return d->fd < 0 ? (errno ? errno : EIO) : 0;
}

int deferred_file_spill(deferred_file_t *d)
{
    if (d->fd >= 0 || d->err)
        return d->err;
    if (d->stream && fflush(d->stream) != 0 && !d->err)
        d->err = errno ? errno : EIO;
    if (!d->err && d->fd < 0) /* the flush may have spilled already */
        d->err = make_file(d);
    if (!d->err && d->len > 0)
        d->err = write_all(d->fd, d->kept, d->len);
    free(d->kept);
    d->kept = NULL;
    d->len = d->cap = 0;
    return d->err;
}

static int keep(deferred_file_t *d, const char *buf, size_t size)
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

/* stdio hands its buffer over when it is full, on fflush and on fclose. */
static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
    deferred_file_t *d = cookie;
    if (d->fd < 0 && !d->err &&
        (d->len + size > DEFERRED_FILE_KEEP_MAX || mono_ms() - d->opened_ms >= d->spill_ms)) {
        FILE *stream = d->stream;
        d->stream = NULL; /* no flush from inside the stream's own write */
        (void)deferred_file_spill(d);
        d->stream = stream;
    }
    int e = d->err ? d->err : d->fd >= 0 ? write_all(d->fd, buf, size) : keep(d, buf, size);
    if (e) {
        d->err = e;
        errno = e;
        return -1;
    }
    return (ssize_t)size;
}

static int cookie_close(void *cookie)
{
    deferred_file_t *d = cookie;
    d->stream = NULL; /* deferred_file_close makes the file */
    return 0;
}

deferred_file_t *deferred_file_open_in(deferred_dir_fn dir, void *ctx, const char *name,
                                       unsigned spill_ms)
{
    deferred_file_t *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->fd = -1;
    d->dir = dir;
    d->ctx = ctx;
    d->path = strdup(name);
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

deferred_file_t *deferred_file_open(const char *path, unsigned spill_ms)
{
    return deferred_file_open_in(NULL, NULL, path, spill_ms);
}

FILE *deferred_file_stream(deferred_file_t *d)
{
    return d->stream;
}

int deferred_file_close(deferred_file_t *d)
{
    if (!d)
        return 0;
    if (d->stream) {
        bool failed = ferror(d->stream) != 0;
        /* fclose hands stdio's buffer to cookie_write; cookie_close clears d->stream */
        if ((fclose(d->stream) != 0 || failed) && !d->err)
            d->err = errno ? errno : EIO;
    }
    (void)deferred_file_spill(d); /* a short file is made now */
    if (d->fd >= 0 && close(d->fd) != 0 && !d->err)
        d->err = errno ? errno : EIO;
    int err = d->err;
    free(d->kept);
    free(d->path);
    free(d);
    return err;
}
