/* Sim "flasher": spawns the native agent with one end of a socket pair as
 * its link, and watches the process. A board with link.baud has the agent
 * pace that link like a UART (--baud, --turnaround-ms). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "flasher.h"
#include "proto.h"

extern char **environ;

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
    /* The agent's stderr goes to the console log (inherited stderr when it cannot be opened). */
    int log = open(console_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    /* posix_spawn, not fork: the host has threads and a few MB mapped, and copying its page
     * tables was 2-4 ms of every run's start (issue 16). The link end is dup2'ed to a fixed
     * number, which clears its CLOEXEC in the child. */
    int child_fd = sv[1] == 3 ? 4 : 3;
    char fdarg[16], baud[16], turnaround[16];
    snprintf(fdarg, sizeof fdarg, "%d", child_fd);
    snprintf(baud, sizeof baud, "%u", b->link.baud);
    snprintf(turnaround, sizeof turnaround, "%u", b->link.turnaround_ms);
    char *paced[] = {(char *)image, "--link-fd",       fdarg,      "--baud",
                     baud,          "--turnaround-ms", turnaround, NULL};
    char *bare[] = {(char *)image, "--link-fd", fdarg, NULL};
    posix_spawn_file_actions_t fa;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc == 0 && log >= 0) {
        rc = posix_spawn_file_actions_adddup2(&fa, log, 2);
    }
    if (rc == 0) {
        rc = posix_spawn_file_actions_adddup2(&fa, sv[1], child_fd);
    }
    pid_t pid = -1;
    if (rc == 0) {
        rc = posix_spawn(&pid, image, &fa, NULL, b->link.baud != 0 ? paced : bare, environ);
    }
    posix_spawn_file_actions_destroy(&fa);
    if (log >= 0) {
        close(log);
    }
    if (rc != 0) {
        snprintf(err, errlen, "starting %s: %s", image, strerror(rc));
        close(sv[0]);
        close(sv[1]);
        return -1;
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
