/* QEMU "flasher": starts qemu-system-arm with the image (ELF) and connects
 * the firmware's USART1 to us through a unix socket we listen on (QEMU is the
 * client, so there is no race on who creates the socket). A new image means a
 * new QEMU process. -icount shift=0 makes the guest run 1 instruction per ns
 * of virtual time: timing and instruction counts are deterministic. */
#define _POSIX_C_SOURCE 200809L
#include "flash_qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent_rpc.h"
#include "hardfault_decode.h"
#include "pace_relay.h"
#include "proto.h"
#include "tlv.h"

#define QEMU_CONNECT_TIMEOUT_MS 10000
#define QEMU_EXIT_WAIT_MS 2000
#define QEMU_DEFAULT_MACHINE "netduinoplus2"

size_t qemu_command(const char *machine, const char *image, const char *socket_path,
                    const char *argv[], size_t max_args)
{
    static char chardev[sizeof(((struct sockaddr_un *)0)->sun_path) + 64];
    snprintf(chardev, sizeof chardev, "socket,id=link,path=%s", socket_path);
    const char *args[] = {"qemu-system-arm",
                          "-M",
                          machine && machine[0] ? machine : QEMU_DEFAULT_MACHINE,
                          "-display",
                          "none",
                          "-monitor",
                          "none",
                          "-nodefaults",
                          "-icount",
                          "shift=0,align=off,sleep=on",
                          "-semihosting-config",
                          "enable=on,target=native",
                          "-chardev",
                          chardev,
                          "-serial",
                          "chardev:link",
                          "-kernel",
                          image,
                          NULL};
    size_t n = 0;
    for (; args[n] && n + 1 < max_args; n++) {
        argv[n] = args[n];
    }
    argv[n] = NULL;
    return n;
}

static int listen_unix(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 1) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int qemu_start(const board_config_t *b, const char *image, const char *console_log,
                      target_handle_t *t, char *err, size_t errlen)
{
    if (access(image, R_OK) != 0) {
        snprintf(err, errlen, "QEMU image %s: %s", image, strerror(errno));
        return -1;
    }
    char dir[] = "/tmp/tlsrig-qemu-XXXXXX";
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, "mkdtemp: %s", strerror(errno));
        return -1;
    }
    char sock[sizeof dir + 16];
    snprintf(sock, sizeof sock, "%s/link", dir);
    int lfd = listen_unix(sock);
    if (lfd < 0) {
        snprintf(err, errlen, "listening on %s: %s", sock, strerror(errno));
        rmdir(dir);
        return -1;
    }
    const char *argv[32];
    qemu_command(b->machine, image, sock, argv, 32);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(lfd);
        unlink(sock);
        rmdir(dir);
        return -1;
    }
    if (pid == 0) {
        /* QEMU's stdout and stderr (semihosting text, its own errors) go to the console log. */
        int log = open(console_log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, 0);
        }
        if (log >= 0) {
            dup2(log, 1);
            dup2(log, 2);
        }
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    int r;
    do {
        r = poll(&p, 1, QEMU_CONNECT_TIMEOUT_MS);
    } while (r < 0 && errno == EINTR);
    int fd = r > 0 ? accept(lfd, NULL, NULL) : -1;
    close(lfd);
    unlink(sock);
    rmdir(dir);
    if (fd >= 0) {
        (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    if (fd < 0) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            snprintf(err, errlen, "qemu-system-arm exited (status %d) before connecting; see %s",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1, console_log);
        } else {
            snprintf(err, errlen, "qemu-system-arm did not connect its serial port within %d ms",
                     QEMU_CONNECT_TIMEOUT_MS);
            kill(pid, SIGKILL);
            (void)waitpid(pid, NULL, 0);
        }
        return -1;
    }
    if (b->link.baud != 0 &&
        pace_relay_start(fd, b->link.baud, b->link.turnaround_ms, &fd, err, errlen) != 0) {
        /* A paced board (issue 16): QEMU's USART has no baud, a relay paces its socket. */
        kill(pid, SIGKILL);
        (void)waitpid(pid, NULL, 0);
        return -1;
    }
    t->pid = pid;
    t->link_fd = fd;
    snprintf(t->image, sizeof t->image, "%s", image);
    snprintf(t->console_log, sizeof t->console_log, "%s", console_log);
    return 0;
}

/* After a fault exit: decode the report QEMU's semihosting wrote into the
 * console log, append the symbolised backtrace there, and summarise in why. */
static void explain_fault(target_handle_t *t, char *why, size_t cap)
{
    FILE *f = fopen(t->console_log, "r");
    static char text[64 * 1024];
    size_t len = 0;
    if (f) {
        /* The report is at the end: read the last 64 KB. */
        if (fseek(f, 0, SEEK_END) == 0) {
            long size = ftell(f);
            if (size > (long)sizeof text) {
                (void)fseek(f, size - (long)sizeof text, SEEK_SET);
            } else {
                rewind(f);
            }
        }
        len = fread(text, 1, sizeof text, f);
        fclose(f);
    }
    hardfault_report_t rep;
    if (!hardfault_parse(text, len, &rep)) {
        snprintf(why, cap, "firmware fault (exit status %d), no report in %s", QEMU_EXIT_FAULT,
                 t->console_log);
        return;
    }
    static char decoded[8192];
    hardfault_symbolize(&rep, t->image, NULL, decoded, sizeof decoded);
    FILE *log = fopen(t->console_log, "a");
    if (log) {
        fprintf(log, "tlsrig: decoded fault report\n%s", decoded);
        fclose(log);
    }
    /* why: the cause and the faulting function, on one line. */
    char cause[256];
    hardfault_cause(&rep, cause, sizeof cause);
    const char *pc_line = strstr(decoded, "\n  pc ");
    char where[200] = "";
    if (pc_line) {
        snprintf(where, sizeof where, "%s", pc_line + 3);
        where[strcspn(where, "\n")] = '\0';
    }
    snprintf(why, cap, "firmware %s: %s%s%s (decoded in %s)", rep.what, cause, where[0] ? "; " : "",
             where, t->console_log);
}

static bool link_hung_up(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR));
}

static bool qemu_alive(target_handle_t *t, char *why, size_t cap)
{
    if (t->pid <= 0) {
        snprintf(why, cap, "not started");
        return false;
    }
    int status = 0;
    pid_t r = waitpid(t->pid, &status, WNOHANG);
    if (r == 0 && link_hung_up(t->link_fd)) {
        /* QEMU closes the socket as it exits (a fault): let it finish, so the
         * caller learns why instead of just "link lost". */
        for (int i = 0; i < QEMU_EXIT_WAIT_MS / 10 && r == 0; i++) {
            struct timespec ts = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
            r = waitpid(t->pid, &status, WNOHANG);
        }
    }
    if (r == 0) {
        return true;
    }
    t->pid = 0;
    if (r < 0) {
        snprintf(why, cap, "qemu process lost: %s", strerror(errno));
    } else if (WIFSIGNALED(status)) {
        snprintf(why, cap, "qemu killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    } else if (WEXITSTATUS(status) == QEMU_EXIT_FAULT) {
        t->hard_fault = true;
        explain_fault(t, why, cap);
    } else {
        snprintf(why, cap, "qemu exited with status %d (see %s)", WEXITSTATUS(status),
                 t->console_log);
    }
    return false;
}

const flasher_t flasher_qemu = {
    .name = "qemu",
    .start = qemu_start,
    .alive = qemu_alive,
    .stop = flasher_stop_process,
};

int qemu_seed_agent(host_link_t *hl, const char *build_id, uint32_t timeout_ms, char *err,
                    size_t errlen)
{
    char seed[64];
    int n = snprintf(seed, sizeof seed, "tlsrig-qemu-test-seed/%s", build_id);
    if (n < 16) {
        snprintf(err, errlen, "seed too short");
        return -1;
    }
    return agent_send_entropy(hl, (const uint8_t *)seed, (size_t)n < sizeof seed ? (size_t)n : 63u,
                              timeout_ms, err, errlen);
}
