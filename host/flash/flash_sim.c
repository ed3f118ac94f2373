/* Sim "flasher": spawns the native agent with one end of a socket pair as
 * its link, and watches the process. A board with link.baud has the agent
 * pace that link like a UART (--baud, --turnaround-ms). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "flasher.h"
#include "proto.h"

static int sim_start(const board_config_t *b, const char *image, const char *console_log,
                     target_handle_t *t, char *err, size_t errlen)
{
    if (access(image, X_OK) != 0) {
        snprintf(err, errlen, "sim image %s: %s", image, strerror(errno));
        return -1;
    }
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, errlen, "socketpair: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        /* Child: the agent. Its stderr goes to the console log. */
        int fd = dup(sv[1]); /* without CLOEXEC */
        int log = open(console_log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (log >= 0) {
            dup2(log, 2);
        }
        char fdarg[16], baud[16], turnaround[16];
        snprintf(fdarg, sizeof fdarg, "%d", fd);
        snprintf(baud, sizeof baud, "%u", b->link.baud);
        snprintf(turnaround, sizeof turnaround, "%u", b->link.turnaround_ms);
        if (b->link.baud != 0) {
            execl(image, image, "--link-fd", fdarg, "--baud", baud, "--turnaround-ms", turnaround,
                  (char *)NULL);
        } else {
            execl(image, image, "--link-fd", fdarg, (char *)NULL);
        }
        _exit(127);
    }
    close(sv[1]);
    t->pid = pid;
    t->link_fd = sv[0];
    snprintf(t->image, sizeof t->image, "%s", image);
    snprintf(t->console_log, sizeof t->console_log, "%s", console_log);
    return 0;
}

static bool sim_alive(target_handle_t *t, char *why, size_t cap)
{
    if (t->pid <= 0) {
        snprintf(why, cap, "not started");
        return false;
    }
    int status = 0;
    pid_t r = waitpid(t->pid, &status, WNOHANG);
    if (r == 0) {
        return true;
    }
    if (r == t->pid) {
        if (WIFSIGNALED(status)) {
            snprintf(why, cap, "agent killed by signal %d (%s)", WTERMSIG(status),
                     strsignal(WTERMSIG(status)));
        } else if (WEXITSTATUS(status) == PROTO_SIM_EXIT_RESET) {
            snprintf(why, cap, "agent reset on request (CTRL_RESET, exit status %d)",
                     PROTO_SIM_EXIT_RESET);
        } else {
            snprintf(why, cap, "agent exited with status %d", WEXITSTATUS(status));
        }
        t->pid = 0;
    } else {
        snprintf(why, cap, "agent process lost: %s", strerror(errno));
        t->pid = 0;
    }
    return false;
}

const flasher_t flasher_sim = {
    .name = "sim",
    .start = sim_start,
    .alive = sim_alive,
    .stop = flasher_stop_process,
};
