/* fork/exec with a deadline. The wait uses a pidfd (poll with a timeout, no
 * SIGCHLD handler to install in a library); without one (old kernels) it
 * falls back to waitpid(WNOHANG) every 10 ms. */
#define _GNU_SOURCE
#include "command_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *expand_one(const char *t, const command_vars_t *v, char *err, size_t errlen)
{
    size_t cap = strlen(t) + 1, len = 0;
    char *out = malloc(cap);
    if (!out) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (const char *p = t; *p;) {
        const char *val = NULL, *suffix = "";
        size_t skip = 0;
        if (strncmp(p, "{image}", 7) == 0) {
            val = v->image, skip = 7;
        } else if (strncmp(p, "{bin}", 5) == 0) {
            val = v->image, suffix = ".bin", skip = 5;
        } else if (strncmp(p, "{hex}", 5) == 0) {
            val = v->image, suffix = ".hex", skip = 5;
        } else if (strncmp(p, "{serial}", 8) == 0) {
            val = v->serial ? v->serial : "", skip = 8;
        } else if (*p == '{') {
            snprintf(err, errlen,
                     "unknown placeholder in '%s' (known: {image} {bin} {hex} {serial})", t);
            free(out);
            return NULL;
        }
        size_t add = val ? strlen(val) + strlen(suffix) : 1;
        if (len + add + 1 > cap) {
            cap = (len + add + 1) * 2;
            char *grown = realloc(out, cap);
            if (!grown) {
                free(out);
                snprintf(err, errlen, "out of memory");
                return NULL;
            }
            out = grown;
        }
        if (val) {
            len += (size_t)sprintf(out + len, "%s%s", val, suffix);
            p += skip;
        } else {
            out[len++] = *p++;
        }
    }
    out[len] = '\0';
    return out;
}

int command_expand(char *const *tmpl, unsigned n, const command_vars_t *v, char ***argv_out,
                   char *err, size_t errlen)
{
    *argv_out = NULL;
    if (n == 0) {
        snprintf(err, errlen, "empty command");
        return -1;
    }
    char **argv = calloc((size_t)n + 1, sizeof *argv);
    if (!argv) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        argv[i] = expand_one(tmpl[i], v, err, errlen);
        if (!argv[i]) {
            command_argv_free(argv);
            return -1;
        }
    }
    *argv_out = argv;
    return 0;
}

void command_argv_free(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++) {
        free(argv[i]);
    }
    free(argv);
}

void command_describe(char *const *argv, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; argv[i] && len + 1 < cap; i++) {
        bool quote = argv[i][0] == '\0' || strpbrk(argv[i], " \t;'\"$&|<>") != NULL;
        int n = snprintf(out + len, cap - len, "%s%s%s%s", i ? " " : "", quote ? "'" : "", argv[i],
                         quote ? "'" : "");
        if (n < 0) {
            break;
        }
        len += (size_t)n < cap - len ? (size_t)n : cap - len - 1;
    }
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Exit status of pid within timeout_ms: 1 and *status, 0 on timeout, -1 on error. */
static int wait_deadline(pid_t pid, unsigned timeout_ms, int *status)
{
    int64_t deadline = now_ms() + timeout_ms;
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid) {
            break;
        }
        if (r < 0 && errno != EINTR) {
            if (pfd >= 0) {
                close(pfd);
            }
            return -1;
        }
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            if (pfd >= 0) {
                close(pfd);
            }
            return 0;
        }
        if (pfd >= 0) {
            struct pollfd p = {.fd = pfd, .events = POLLIN};
            (void)poll(&p, 1, (int)left);
        } else {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    if (pfd >= 0) {
        close(pfd);
    }
    return 1;
}

int command_run(char *const *argv, unsigned timeout_ms, const char *log_path, char *err,
                size_t errlen)
{
    char what[512];
    command_describe(argv, what, sizeof what);
    int log = -1;
    if (log_path) {
        log = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (log < 0) {
            snprintf(err, errlen, "%s: %s", log_path, strerror(errno));
            return -1;
        }
    }
    /* exec failure reaches us through a CLOEXEC pipe: "not found" is not an exit status. */
    int ep[2];
    if (pipe2(ep, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        if (log >= 0) {
            close(log);
        }
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, 0);
        }
        if (log >= 0) {
            dup2(log, 1);
            dup2(log, 2);
        }
        execvp(argv[0], argv);
        int e = errno;
        (void)!write(ep[1], &e, sizeof e);
        _exit(127);
    }
    close(ep[1]);
    if (log >= 0) {
        close(log);
    }
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(ep[0]);
        return -1;
    }
    setpgid(pid, pid); /* also here: no race with the child's own call */
    int exec_errno = 0;
    ssize_t got;
    do {
        got = read(ep[0], &exec_errno, sizeof exec_errno);
    } while (got < 0 && errno == EINTR);
    close(ep[0]);
    int status = 0, rc = -1;
    int w = wait_deadline(pid, timeout_ms, &status);
    if (w == 0) {
        kill(-pid, SIGKILL);
        (void)waitpid(pid, &status, 0);
        snprintf(err, errlen, "command %s: no exit within %u ms: killed", what, timeout_ms);
    } else if (w < 0) {
        snprintf(err, errlen, "command %s: wait: %s", what, strerror(errno));
    } else if (got == (ssize_t)sizeof exec_errno) {
        snprintf(err, errlen, "command %s: cannot run %s: %s", what, argv[0], strerror(exec_errno));
    } else if (WIFSIGNALED(status)) {
        snprintf(err, errlen, "command %s: killed by signal %d (%s)", what, WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    } else if (WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "command %s: exit status %d%s%s", what, WEXITSTATUS(status),
                 log_path ? "; its output is in " : "", log_path ? log_path : "");
    } else {
        rc = 0;
    }
    /* Whatever the group left behind goes with it. */
    kill(-pid, SIGKILL);
    return rc;
}
