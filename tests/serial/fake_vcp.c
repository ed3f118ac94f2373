/* TEST ONLY: fake-vcp CMD...: run CMD as if two ST-Link V2-1 probes were
 * attached, each with a board behind its virtual COM port.
 *
 *   - a umockdev testbed (testbed.umockdev) declares the probes and their
 *     ttys, /dev/ttyACM0 (serial 0669FF555052836687031234) and /dev/ttyACM1
 *     (serial 0669FF555052836687035678); umockdev backs a device node that
 *     has no recorded contents with a pty and gives us the master
 *     (umockdev_testbed_get_dev_fd);
 *   - a fake board (fake_board.c) owns each master and runs the sim agent or
 *     the QEMU firmware behind it;
 *   - CMD runs under LD_PRELOAD=libumockdev-preload + the TIOCM shim (a pty
 *     has no modem lines; libserialport asks for them), with
 *     FAKE_BOARD_SOCKET naming our control socket and fake-board-ctl on PATH.
 * Exits with CMD's exit status. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <umockdev.h>
#include <unistd.h>

#include "fake_board.h"

#define N_BOARDS 2
static const char *const k_serials[N_BOARDS] = {"0669FF555052836687031234",
                                                "0669FF555052836687035678"};
static const char *const k_nodes[N_BOARDS] = {"/dev/ttyACM0", "/dev/ttyACM1"};

static fake_board_t g_boards[N_BOARDS];

/* One request line: "flash SERIAL sim|qemu IMAGE", "reset SERIAL" or
 * "brick-on-reset SERIAL [N]". */
static void serve_request(int conn)
{
    char line[4600] = "", reply[10000];
    size_t len = 0;
    while (len + 1 < sizeof line) {
        ssize_t r = read(conn, line + len, 1);
        if (r <= 0 || line[len] == '\n') {
            break;
        }
        len++;
    }
    line[len] = '\0';
    char *save = NULL, *verb = strtok_r(line, " ", &save), *serial = strtok_r(NULL, " ", &save);
    fake_board_t *fb = NULL;
    for (size_t i = 0; serial && i < N_BOARDS; i++) {
        if (strcmp(g_boards[i].serial, serial) == 0) {
            fb = &g_boards[i];
        }
    }
    char err[1024] = "";
    int rc = -1;
    if (!verb || !fb) {
        snprintf(err, sizeof err, "no board with serial %s", serial ? serial : "(none)");
    } else if (strcmp(verb, "flash") == 0) {
        char *kind = strtok_r(NULL, " ", &save);
        char *image = save; /* the rest of the line: a path may hold spaces */
        rc = kind && image && *image ? fake_board_flash(fb, kind, image, err, sizeof err) : -1;
        if (!kind || !image || !*image) {
            snprintf(err, sizeof err, "usage: flash SERIAL sim|qemu IMAGE");
        }
    } else if (strcmp(verb, "reset") == 0) {
        rc = fake_board_reset(fb, err, sizeof err);
    } else if (strcmp(verb, "brick-on-reset") == 0) {
        /* After N more resets (default 0), the probe cannot reset the board. */
        char *n = strtok_r(NULL, " ", &save);
        fb->resets_left = n ? (unsigned)strtoul(n, NULL, 10) : 0;
        fb->brick_on_reset = true;
        rc = 0;
    } else {
        snprintf(err, sizeof err, "unknown request '%s'", verb);
    }
    if (rc == 0) {
        snprintf(reply, sizeof reply, "ok %s runs %s (start %u; target log %s)\n", fb->serial,
                 fb->image, fb->starts, fb->log);
    } else {
        snprintf(reply, sizeof reply, "error %s\n", err);
    }
    (void)!write(conn, reply, strlen(reply));
}

static int listen_control(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(a.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0) {
        return -1;
    }
    return fd;
}

static pid_t spawn(char **argv, const char *preload, const char *sock, const char *bindir)
{
    pid_t pid = fork();
    if (pid != 0) {
        return pid;
    }
    const char *old = getenv("LD_PRELOAD");
    char env[8192];
    snprintf(env, sizeof env, "%s%s%s", preload, old && *old ? ":" : "", old ? old : "");
    setenv("LD_PRELOAD", env, 1);
    setenv("FAKE_BOARD_SOCKET", sock, 1);
    const char *path = getenv("PATH");
    snprintf(env, sizeof env, "%s:%s", bindir, path ? path : "/usr/bin:/bin");
    setenv("PATH", env, 1);
    execvp(argv[0], argv);
    fprintf(stderr, "fake-vcp: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fake-vcp CMD [ARG...]  (TEST ONLY: see docs/boards.md)\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    /* Our own directory holds the shim, the testbed and fake-board-ctl. */
    char self[4096], dir[4096], bed[4200], shim[4200], err[1024];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        perror("fake-vcp: /proc/self/exe");
        return 3;
    }
    self[n] = '\0';
    snprintf(dir, sizeof dir, "%s", self);
    *strrchr(dir, '/') = '\0';
    snprintf(bed, sizeof bed, "%s/testbed.umockdev", dir);
    /* The shim first: umockdev's ioctl goes straight to libc's, past any later preload. */
    snprintf(shim, sizeof shim, "%s/libtiocm_shim.so:libumockdev-preload.so.0", dir);
    UMockdevTestbed *tb = umockdev_testbed_new();
    GError *gerr = NULL;
    if (!umockdev_testbed_add_from_file(tb, bed, &gerr)) {
        fprintf(stderr, "fake-vcp: %s: %s\n", bed, gerr ? gerr->message : "?");
        return 3;
    }
    char *root = umockdev_testbed_get_root_dir(tb);
    for (size_t i = 0; i < N_BOARDS; i++) {
        char log[4400];
        snprintf(log, sizeof log, "%s/target-%s.log", root, k_serials[i]);
        int master = umockdev_testbed_get_dev_fd(tb, k_nodes[i]);
        if (master < 0 ||
            fake_board_init(&g_boards[i], master, k_serials[i], log, err, sizeof err) != 0) {
            fprintf(stderr, "fake-vcp: %s: %s\n", k_nodes[i], master < 0 ? "no pty" : err);
            return 3;
        }
    }
    char sock[4400];
    snprintf(sock, sizeof sock, "%s/fake-board.sock", root);
    int lfd = listen_control(sock);
    if (lfd < 0) {
        fprintf(stderr, "fake-vcp: control socket %s: %s\n", sock, strerror(errno));
        return 3;
    }
    pid_t child = spawn(argv + 1, shim, sock, dir);
    int cfd = (int)syscall(SYS_pidfd_open, child, 0);
    if (child < 0 || cfd < 0) {
        fprintf(stderr, "fake-vcp: cannot start %s: %s\n", argv[1], strerror(errno));
        return 3;
    }
    int status = 0;
    for (;;) {
        struct pollfd fds[2 + 2 * N_BOARDS];
        size_t nf = 0, first[N_BOARDS], count[N_BOARDS];
        fds[nf++] = (struct pollfd){.fd = cfd, .events = POLLIN};
        fds[nf++] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (size_t i = 0; i < N_BOARDS; i++) {
            first[i] = nf;
            count[i] = fake_board_pollfds(&g_boards[i], &fds[nf]);
            nf += count[i];
        }
        if (poll(fds, nf, -1) < 0 && errno != EINTR) {
            perror("fake-vcp: poll");
            break;
        }
        if (fds[0].revents) {
            (void)waitpid(child, &status, 0);
            break;
        }
        if (fds[1].revents & POLLIN) {
            int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
            if (conn >= 0) {
                serve_request(conn);
                close(conn);
            }
            continue; /* the fds changed when a board was flashed */
        }
        for (size_t i = 0; i < N_BOARDS; i++) {
            fake_board_pump(&g_boards[i], &fds[first[i]], count[i]);
        }
    }
    for (size_t i = 0; i < N_BOARDS; i++) {
        fake_board_stop(&g_boards[i]);
    }
    close(lfd);
    unlink(sock);
    g_free(root);
    g_object_unref(tb);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
