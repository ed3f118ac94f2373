/* The transport calls that work on any fd (socket, pipe, tty): reads and
 * writes with deadlines through poll(2), input dropped by reading until the
 * fd is empty. A socket or pipe transport is just such an fd. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "transport_internal.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

transport_t *transport_alloc(const char *name)
{
    transport_t *t = calloc(1, sizeof *t);
    if (t) {
        t->fd = -1;
        snprintf(t->name, sizeof t->name, "%s", name ? name : "?");
    }
    return t;
}

transport_t *transport_from_fd(int fd, const char *what, char *err, size_t errlen)
{
    transport_t *t = transport_alloc(what ? what : "socket");
    if (!t) {
        snprintf(err, errlen, "out of memory");
        close(fd);
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        snprintf(err, errlen, "%s: %s", t->name, strerror(errno));
        close(fd);
        free(t);
        return NULL;
    }
    t->fd = fd;
    return t;
}

int transport_fd(const transport_t *t)
{
    return t ? t->fd : -1;
}

const char *transport_name(const transport_t *t)
{
    return t ? t->name : "(none)";
}

bool transport_is_serial(const transport_t *t)
{
    return t && t->port != NULL;
}

/* Milliseconds left before deadline (never negative). */
static int left_ms(int64_t deadline)
{
    int64_t left = deadline - now_ms();
    return left > 0 ? (int)(left > 0x7fffffff ? 0x7fffffff : left) : 0;
}

ssize_t transport_read(transport_t *t, void *buf, size_t cap, int deadline_ms, char *err,
                       size_t errlen)
{
    int64_t deadline = now_ms() + (deadline_ms > 0 ? deadline_ms : 0);
    for (;;) {
        ssize_t n = read(t->fd, buf, cap);
        if (n > 0) {
            return n;
        }
        if (n == 0) {
            snprintf(err, errlen, "%s: end of file (the other side closed or the device is gone)",
                     t->name);
            return -1;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            snprintf(err, errlen, "%s: read: %s", t->name, strerror(errno));
            return -1;
        }
        int wait = left_ms(deadline);
        if (wait == 0) {
            return 0;
        }
        struct pollfd p = {.fd = t->fd, .events = POLLIN};
        if (poll(&p, 1, wait) < 0 && errno != EINTR) {
            snprintf(err, errlen, "%s: poll: %s", t->name, strerror(errno));
            return -1;
        }
    }
}

int transport_write_all(transport_t *t, const void *buf, size_t len, int deadline_ms, char *err,
                        size_t errlen)
{
    const unsigned char *p = buf;
    int64_t deadline = now_ms() + (deadline_ms > 0 ? deadline_ms : 0);
    while (len > 0) {
        ssize_t n = write(t->fd, p, len);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            snprintf(err, errlen, "%s: write: %s", t->name, strerror(errno));
            return -1;
        }
        int wait = left_ms(deadline);
        if (wait == 0) {
            snprintf(err, errlen, "%s: write stalled: %zu bytes not taken within %d ms", t->name,
                     len, deadline_ms);
            return -1;
        }
        struct pollfd pf = {.fd = t->fd, .events = POLLOUT};
        if (poll(&pf, 1, wait) < 0 && errno != EINTR) {
            snprintf(err, errlen, "%s: poll: %s", t->name, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* Sockets and pipes: read what is there now. Serial ports also drop what
 * the driver holds (transport_serial.c). */
int transport_drain_fd(transport_t *t)
{
    unsigned char junk[512];
    for (;;) {
        ssize_t n = read(t->fd, junk, sizeof junk);
        if (n > 0) {
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return n == 0 || errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
}
