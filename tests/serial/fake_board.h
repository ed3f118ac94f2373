/* TEST ONLY: a fake board behind a pty, for tests/serial/fake-vcp. The pty
 * master is the board's end of the "USB cable"; the target is the sim agent
 * (flasher_sim) or the QEMU firmware (flasher_qemu), started with the host's
 * own flashers, and the board pumps bytes between the pty and the target's
 * link. A target that dies is started again, as a watchdog would reset a
 * board. */
#ifndef TLSRIG_FAKE_BOARD_H
#define TLSRIG_FAKE_BOARD_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "flasher.h"

typedef struct fake_board {
    char serial[64];          /* the probe serial this board answers to */
    int master;               /* pty master (non-blocking) */
    int slave_hold;           /* our own slave fd: the pty never hangs up between host opens */
    const flasher_t *flasher; /* NULL until flashed */
    target_handle_t target;
    bool running;
    bool brick_on_reset; /* after resets_left more resets, a reset leaves the board dead */
    unsigned resets_left;
    bool bricked;
    char image[4096];
    char log[4096]; /* the target's console log */
    unsigned starts;
} fake_board_t;

/* Take over master (set the pty raw, hold a slave fd). 0 or -1 with err. */
int fake_board_init(fake_board_t *fb, int master, const char *serial, const char *log, char *err,
                    size_t errlen);
/* "sim" or "qemu": stop what runs, start image. 0 or -1 with err. */
int fake_board_flash(fake_board_t *fb, const char *kind, const char *image, char *err,
                     size_t errlen);
/* Stop and start the current image again. */
int fake_board_reset(fake_board_t *fb, char *err, size_t errlen);
void fake_board_stop(fake_board_t *fb);

/* The fds to poll (pty master, target link): fills up to 2, returns how many. */
size_t fake_board_pollfds(const fake_board_t *fb, struct pollfd *out);
/* Move bytes that are ready; restarts a target that died. */
void fake_board_pump(fake_board_t *fb, const struct pollfd *fds, size_t n);

#endif
