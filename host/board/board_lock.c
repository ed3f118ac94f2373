#define _POSIX_C_SOURCE 200809L
#include "board_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

/* Board names become file names: no separators, no dot-dot. */
static bool valid_name(const char *b)
{
    if (!b || !b[0] || strlen(b) > 64 || b[0] == '.') {
        return false;
    }
    for (; *b; b++) {
        if (!((*b >= 'a' && *b <= 'z') || (*b >= 'A' && *b <= 'Z') || (*b >= '0' && *b <= '9') ||
              *b == '-' || *b == '_' || *b == '.')) {
            return false;
        }
    }
    return true;
}

static const char *lock_dir(void)
{
    const char *env = getenv("TLSRIG_LOCK_DIR");
    if (env && env[0]) {
        return env;
    }
    return access("/run/lock", W_OK) == 0 ? "/run/lock" : "/tmp";
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The holder writes its pid and start time, for the message of a waiter. */
static void describe_holder(int fd, char *buf, size_t n)
{
    char text[128] = "";
    ssize_t got = pread(fd, text, sizeof text - 1, 0);
    text[got > 0 ? got : 0] = '\0';
    text[strcspn(text, "\n")] = '\0';
    snprintf(buf, n, "%s", text[0] ? text : "unknown holder");
}

int board_lock_acquire(const char *board, int timeout_s, board_lock_t *out, char *err,
                       size_t errlen)
{
    out->fd = -1;
    if (!valid_name(board)) {
        snprintf(err, errlen, "board name '%s' cannot name a lock file", board ? board : "");
        return -1;
    }
    snprintf(out->path, sizeof out->path, "%s/tlsrig-%s.lock", lock_dir(), board);
    int fd = open(out->path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", out->path, strerror(errno));
        return -1;
    }
    double deadline = now_s() + (timeout_s > 0 ? timeout_s : 0);
    for (;;) {
        int rc = flock(fd, timeout_s < 0 ? LOCK_EX : LOCK_EX | LOCK_NB);
        if (rc == 0) {
            break;
        }
        if (errno == EINTR && timeout_s < 0) {
            continue;
        }
        if ((errno != EWOULDBLOCK && errno != EINTR) || now_s() >= deadline) {
            char holder[128];
            describe_holder(fd, holder, sizeof holder);
            snprintf(err, errlen, "board %s is busy (%s, lock %s)%s", board, holder, out->path,
                     timeout_s > 0 ? ": timed out waiting" : "");
            close(fd);
            return -1;
        }
        /* flock has no timeout: poll at a pace that costs nothing. */
        struct timespec pause = {0, 50 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    char info[128];
    int len = snprintf(info, sizeof info, "pid %ld since %ld\n", (long)getpid(), (long)time(NULL));
    if (ftruncate(fd, 0) == 0 && len > 0) {
        ssize_t w = pwrite(fd, info, (size_t)len, 0);
        (void)w; /* diagnostics only */
    }
    out->fd = fd;
    return 0;
}

void board_lock_release(board_lock_t *l)
{
    if (l->fd >= 0) {
        flock(l->fd, LOCK_UN);
        close(l->fd);
        l->fd = -1;
    }
}
