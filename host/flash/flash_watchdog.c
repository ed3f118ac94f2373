#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "flash_watchdog.h"

/* What the child sends back: fixed size, one write. */
typedef struct watchdog_result {
    int rc;
    flash_report_t rep;
    char err[512];
} watchdog_result_t;

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void child_run(int wfd, flash_work_fn fn, void *arg, const char *log,
                      const flash_report_t *rep_in)
{
    int out = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out < 0) {
        out = open("/dev/null", O_WRONLY | O_CLOEXEC);
    }
    if (out >= 0) {
        (void)dup2(out, STDOUT_FILENO);
        (void)dup2(out, STDERR_FILENO);
        close(out);
    }
    watchdog_result_t res;
    memset(&res, 0, sizeof res);
    res.rep = *rep_in;
    res.rc = fn(arg, &res.rep, res.err, sizeof res.err);
    fflush(NULL);
    const char *p = (const char *)&res;
    size_t left = sizeof res;
    while (left > 0) {
        ssize_t n = write(wfd, p, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            _exit(3);
        }
        p += n;
        left -= (size_t)n;
    }
    /* _exit: no atexit handlers of the parent's (test runners, sanitizers). */
    _exit(0);
}

/* Reads the result until complete, EOF or the deadline. 1 complete, 0 EOF
 * short, -1 deadline. */
static int read_result(int rfd, watchdog_result_t *res, uint64_t deadline)
{
    char *p = (char *)res;
    size_t got = 0;
    while (got < sizeof *res) {
        uint64_t now = mono_ms();
        if (now >= deadline) {
            return -1;
        }
        struct pollfd pfd = {.fd = rfd, .events = POLLIN};
        int pr = poll(&pfd, 1, (int)(deadline - now));
        if (pr < 0 && errno == EINTR) {
            continue;
        }
        if (pr == 0) {
            return -1;
        }
        ssize_t n = read(rfd, p + got, sizeof *res - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return 0;
        }
        got += (size_t)n;
    }
    return 1;
}

int flash_watchdog_run(flash_work_fn fn, void *arg, uint32_t deadline_ms, const char *log,
                       const char *what, flash_report_t *rep, char *err, size_t errlen)
{
    int rc = -1;
    int fds[2] = {-1, -1};
    pid_t pid = -1;
    if (deadline_ms == 0) {
        deadline_ms = 60000;
    }
    if (pipe(fds) != 0) {
        snprintf(err, errlen, "%s: pipe: %s", what, strerror(errno));
        goto exit;
    }
    fflush(NULL); /* no buffered output duplicated into the child */
    pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "%s: fork: %s", what, strerror(errno));
        goto exit;
    }
    if (pid == 0) {
        close(fds[0]);
        child_run(fds[1], fn, arg, log, rep);
    }
    close(fds[1]);
    fds[1] = -1;
    watchdog_result_t res;
    memset(&res, 0, sizeof res);
    int got = read_result(fds[0], &res, mono_ms() + deadline_ms);
    if (got < 0) {
        kill(pid, SIGKILL);
        snprintf(err, errlen, "%s: no answer within %u ms; stopped by the watchdog%s%s", what,
                 (unsigned)deadline_ms, log ? " (library output: " : "", log ? log : "");
        if (log) {
            size_t l = strlen(err);
            snprintf(err + l, errlen > l ? errlen - l : 0, ")");
        }
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    pid = -1;
    if (got < 0) {
        goto exit;
    }
    if (got == 0) {
        if (WIFSIGNALED(status)) {
            snprintf(err, errlen, "%s: the flashing process died (signal %d)", what,
                     WTERMSIG(status));
        } else {
            snprintf(err, errlen, "%s: the flashing process ended without a result", what);
        }
        goto exit;
    }
    res.err[sizeof res.err - 1] = '\0';
    *rep = res.rep;
    rep->probe_serial[sizeof rep->probe_serial - 1] = '\0';
    if (res.rc != 0) {
        snprintf(err, errlen, "%s", res.err);
        goto exit;
    }
    rc = 0;
exit:
    if (fds[0] >= 0) {
        close(fds[0]);
    }
    if (fds[1] >= 0) {
        close(fds[1]);
    }
    return rc;
}
