/* TEST ONLY: the fake board (fake_board.h). */
#define _GNU_SOURCE
#include "fake_board.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

extern const flasher_t flasher_sim;
extern const flasher_t flasher_qemu;

int fake_board_init(fake_board_t *fb, int master, const char *serial, const char *log, char *err,
                    size_t errlen)
{
    memset(fb, 0, sizeof *fb);
    fb->master = master;
    fb->slave_hold = -1;
    fb->target.link_fd = -1;
    snprintf(fb->serial, sizeof fb->serial, "%s", serial);
    snprintf(fb->log, sizeof fb->log, "%s", log);
    char *name = ptsname(master);
    if (!name || unlockpt(master) != 0) {
        snprintf(err, errlen, "ptsname: %s", strerror(errno));
        return -1;
    }
    fb->slave_hold = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios t;
    if (fb->slave_hold < 0 || tcgetattr(fb->slave_hold, &t) != 0) {
        snprintf(err, errlen, "%s: %s", name, strerror(errno));
        return -1;
    }
    /* Raw before the host opens it: no echo of the agent's bytes back to it. */
    cfmakeraw(&t);
    if (tcsetattr(fb->slave_hold, TCSANOW, &t) != 0 ||
        fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK) != 0) {
        snprintf(err, errlen, "%s: %s", name, strerror(errno));
        return -1;
    }
    return 0;
}

void fake_board_stop(fake_board_t *fb)
{
    if (fb->running) {
        fb->flasher->stop(&fb->target);
        fb->running = false;
    }
}

static int start(fake_board_t *fb, char *err, size_t errlen)
{
    static const board_config_t cfg = {.name = "fake-board"};
    fake_board_stop(fb);
    memset(&fb->target, 0, sizeof fb->target);
    fb->target.link_fd = -1;
    if (fb->flasher->start(&cfg, fb->image, fb->log, &fb->target, err, errlen) != 0) {
        return -1;
    }
    fb->running = true;
    fb->starts++;
    return 0;
}

int fake_board_flash(fake_board_t *fb, const char *kind, const char *image, char *err,
                     size_t errlen)
{
    const flasher_t *f = strcmp(kind, "sim") == 0    ? &flasher_sim
                         : strcmp(kind, "qemu") == 0 ? &flasher_qemu
                                                     : NULL;
    if (!f) {
        snprintf(err, errlen, "unknown target kind '%s' (sim or qemu)", kind);
        return -1;
    }
    fake_board_stop(fb);
    fb->flasher = f;
    snprintf(fb->image, sizeof fb->image, "%s", image);
    return start(fb, err, errlen);
}

int fake_board_reset(fake_board_t *fb, char *err, size_t errlen)
{
    if (fb->brick_on_reset && fb->resets_left > 0) {
        fb->resets_left--;
    } else if (fb->brick_on_reset || fb->bricked) {
        /* A board its probe can no longer reset (a dead MCU, a broken probe). */
        fake_board_stop(fb);
        fb->bricked = true;
        snprintf(err, errlen, "the target does not respond to the probe (bricked on purpose)");
        return -1;
    }
    if (!fb->flasher) {
        snprintf(err, errlen, "nothing flashed yet");
        return -1;
    }
    return start(fb, err, errlen);
}

size_t fake_board_pollfds(const fake_board_t *fb, struct pollfd *out)
{
    size_t n = 0;
    out[n++] = (struct pollfd){.fd = fb->master, .events = POLLIN};
    if (fb->running) {
        out[n++] = (struct pollfd){.fd = fb->target.link_fd, .events = POLLIN};
    }
    return n;
}

/* All of len to a blocking fd (the target's link). */
static void write_target(int fd, const unsigned char *p, ssize_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, (size_t)len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return; /* the target died: the watchdog below sees it */
        }
        p += w;
        len -= w;
    }
}

/* To the pty: waits up to 200 ms for room (the host reads), then drops the
 * rest, as a UART with nobody listening would. */
static void write_port(int fd, const unsigned char *p, ssize_t len)
{
    for (int waits = 0; len > 0 && waits < 20;) {
        ssize_t w = write(fd, p, (size_t)len);
        if (w > 0) {
            p += w;
            len -= w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR && errno != EIO) {
            return;
        }
        struct pollfd pf = {.fd = fd, .events = POLLOUT};
        (void)poll(&pf, 1, 10);
        waits++;
    }
}

void fake_board_pump(fake_board_t *fb, const struct pollfd *fds, size_t n)
{
    unsigned char buf[4096];
    if (n > 0 && (fds[0].revents & POLLIN)) {
        ssize_t r = read(fb->master, buf, sizeof buf);
        if (r > 0 && fb->running) {
            write_target(fb->target.link_fd, buf, r); /* a board with no firmware drops it */
        }
    }
    if (n > 1 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
        ssize_t r = read(fb->target.link_fd, buf, sizeof buf);
        if (r > 0) {
            /* Nobody reading the port: a UART drops what it cannot send. */
            write_port(fb->master, buf, r);
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
            char why[512], err[512];
            (void)fb->flasher->alive(&fb->target, why, sizeof why);
            fprintf(stderr, "fake-board %s: target stopped (%s): watchdog restart\n", fb->serial,
                    why);
            if (start(fb, err, sizeof err) != 0) {
                fprintf(stderr, "fake-board %s: restart failed: %s\n", fb->serial, err);
                fb->running = false;
            }
        }
    }
}
