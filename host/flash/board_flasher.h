/* Flashers for real boards (kind: board): put an image on the board's flash
 * and start it. Unlike flasher_t (sim, QEMU: a local process that is also the
 * link), a board flasher does not open the link: the serial transport does,
 * after the board restarts. */
#ifndef TLSRIG_BOARD_FLASHER_H
#define TLSRIG_BOARD_FLASHER_H

#include <stdbool.h>
#include <stddef.h>

#include "board_config.h"

typedef struct flash_report {
    double seconds;       /* wall time of program() */
    size_t bytes_written; /* 0 when skipped */
    unsigned sectors_erased;
    bool verified;          /* read back and compared */
    char probe_serial[128]; /* the probe that was used */
} flash_report_t;

typedef struct board_flasher {
    const char *name; /* "stlink", "dfu", "uart", "command" */
    /* Write image (a .bin beside the ELF image path: <image>.bin) and start it.
     * 0, or -1 with err; *rep filled either way. Must finish or give up within
     * the board's timeouts.flash_ms. */
    int (*program)(const board_config_t *b, const char *image, flash_report_t *rep, char *err,
                   size_t errlen);
    /* Hardware reset through the probe (NRST / SYSRESETREQ), leaving the board
     * running its image. NULL when this flasher cannot reset. */
    int (*reset)(const board_config_t *b, char *err, size_t errlen);
} board_flasher_t;

/* The flasher a board file names, or NULL with err. */
const board_flasher_t *board_flasher_for(const board_config_t *b, char *err, size_t errlen);

/* Where flashers append the output of the tools they run (the image's
 * console log); NULL/"" sends it to tlsrig's stderr. Set by the session. */
void board_flasher_set_console_log(const char *path);
const char *board_flasher_console_log(void); /* NULL when unset */

extern const board_flasher_t board_flasher_stlink;
extern const board_flasher_t board_flasher_dfu;
extern const board_flasher_t board_flasher_uart;
extern const board_flasher_t board_flasher_command;

#endif
