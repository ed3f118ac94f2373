/* Pacing relay (pace_relay.h). The relay is a grandchild process (reparented,
 * so nobody has to reap it) that keeps only its two sockets. It forks from a
 * possibly threaded host and never execs, so it sticks to system calls and
 * pure arithmetic: no malloc, no stdio. */
#define _GNU_SOURCE
#include "pace_relay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "line_pace.h"
#include "timed_ring.h"

typedef struct direction {
    int src, dst; /* dst is non-blocking: a peer that stops reading holds only its direction */
    line_pace_t line;
    timed_ring_t ring;
    bool src_done;
    uint8_t out[4096]; /* taken from the ring, not yet written to dst */
    size_t out_at, out_len;
} direction_t;

static direction_t g_dir[2]; /* 0: host -> target, 1: target -> host */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Writes what is due to dst without blocking. 0, or -1 when dst is gone. */
static int deliver(direction_t *x, uint64_t now)
{
    for (;;) {
        if (x->out_at == x->out_len) {
            x->out_at = 0;
            x->out_len = timed_ring_take_due(&x->ring, now, x->out, sizeof x->out);
            if (x->out_len == 0) {
                return 0;
            }
        }
        ssize_t n = send(x->dst, x->out + x->out_at, x->out_len - x->out_at, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return 0; /* poll for POLLOUT */
        }
        if (n <= 0) {
            return -1;
        }
        x->out_at += (size_t)n;
    }
}

static bool pending(const direction_t *x)
{
    return x->out_at < x->out_len;
}

/* Delivers what is due; stamps what arrived. Ends when a side is gone and
 * its bytes are delivered, or a write fails. */
static void relay(void)
{
    static uint8_t buf[4096];
    for (;;) {
        uint64_t next = UINT64_MAX;
        for (int d = 0; d < 2; d++) {
            direction_t *x = &g_dir[d];
            if (deliver(x, now_ns()) != 0) {
                return;
            }
            if (x->src_done && x->ring.count == 0 && !pending(x)) {
                return;
            }
            /* Blocked on a full peer: POLLOUT wakes us, not the ring's clock. */
            uint64_t due = pending(x) ? UINT64_MAX : timed_ring_next_due(&x->ring);
            next = due < next ? due : next;
        }
        struct pollfd p[4];
        for (int d = 0; d < 2; d++) {
            bool room = !g_dir[d].src_done && !timed_ring_full(&g_dir[d].ring);
            p[d].fd = room ? g_dir[d].src : -1; /* full: stop reading (backpressure) */
            p[d].events = POLLIN;
            p[d].revents = 0;
            p[2 + d].fd = pending(&g_dir[d]) ? g_dir[d].dst : -1;
            p[2 + d].events = POLLOUT;
            p[2 + d].revents = 0;
        }
        struct timespec wait, *wp = NULL;
        if (next != UINT64_MAX) {
            uint64_t now = now_ns(), left = next > now ? next - now : 0;
            wait.tv_sec = (time_t)(left / 1000000000ull);
            wait.tv_nsec = (long)(left % 1000000000ull);
            wp = &wait;
        }
        if (ppoll(p, 4, wp, NULL) < 0 && errno != EINTR) {
            return;
        }
        for (int d = 0; d < 2; d++) {
            direction_t *x = &g_dir[d];
            if (p[d].fd < 0 || !(p[d].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            size_t room = TIMED_RING_CAP - x->ring.count;
            ssize_t n = read(x->src, buf, room < sizeof buf ? room : sizeof buf);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            if (n <= 0) {
                x->src_done = true;
                continue;
            }
            uint64_t arrived = now_ns();
            for (ssize_t i = 0; i < n; i++) {
                (void)timed_ring_push(&x->ring, buf[i], line_pace_deliver(&x->line, arrived));
            }
        }
    }
}

int pace_relay_start(int target_fd, uint32_t baud, uint32_t turnaround_ms, int *host_fd, char *err,
                     size_t errlen)
{
    int sv[2] = {-1, -1};
    line_pace_t probe;
    if (line_pace_init(&probe, baud, turnaround_ms) != 0) {
        snprintf(err, errlen, "pacing relay: %u baud, turnaround %u ms out of range", baud,
                 turnaround_ms);
        close(target_fd);
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, errlen, "pacing relay: socketpair: %s", strerror(errno));
        close(target_fd);
        return -1;
    }
    pid_t child = fork();
    if (child < 0) {
        snprintf(err, errlen, "pacing relay: fork: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        close(target_fd);
        return -1;
    }
    if (child == 0) {
        if (fork() != 0) {
            _exit(0); /* the grandchild goes on, reparented */
        }
        /* Keep the two sockets only (as fds 3 and 4): a copy of any other
         * host fd would keep it open after the host closed it. */
        int host_side = fcntl(sv[1], F_DUPFD, 10), target = fcntl(target_fd, F_DUPFD, 10);
        if (host_side < 0 || target < 0 || dup2(host_side, 3) < 0 || dup2(target, 4) < 0) {
            _exit(1);
        }
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            /* Not the host's stdout: a reader waiting for its EOF must not wait for us. */
            dup2(devnull, 0);
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        close_range(5, ~0u, 0);
        g_dir[0] = (direction_t){.src = 3, .dst = 4};
        g_dir[1] = (direction_t){.src = 4, .dst = 3};
        /* Both sockets non-blocking (one file description per socket, read
         * and written): no write may stall the relay, and a read after a
         * spurious wakeup returns EAGAIN. */
        for (int fd = 3; fd <= 4; fd++) {
            int fl = fcntl(fd, F_GETFL);
            if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
                _exit(1);
            }
        }
        for (int d = 0; d < 2; d++) {
            (void)line_pace_init(&g_dir[d].line, baud, turnaround_ms);
            timed_ring_init(&g_dir[d].ring);
        }
        relay();
        _exit(0);
    }
    close(sv[1]);
    close(target_fd);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    *host_fd = sv[0];
    return 0;
}
