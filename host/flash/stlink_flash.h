/* The stlink flasher's sequencing over stlink_ops_t, and the watched run
 * that board_flasher_stlink uses. */
#ifndef TLSRIG_STLINK_FLASH_H
#define TLSRIG_STLINK_FLASH_H

#include "board_flasher.h"
#include "stlink_ops.h"

/* Bytes per write and per verify read. */
#define STLINK_CHUNK 16384u

/* Open the probe, erase the sectors the image covers (only those), write,
 * read back and compare, reset, leave debug mode, close. 0, or -1 with err
 * naming the probe serial and the step. rep: bytes, sectors, verified. */
int stlink_flash_program(const stlink_ops_t *ops, const char *serial, const uint8_t *img,
                         size_t len, flash_report_t *rep, char *err, size_t errlen);

/* Open, reset, leave debug mode, close. */
int stlink_flash_reset(const stlink_ops_t *ops, const char *serial, char *err, size_t errlen);

/* program() of a board: load <image>.bin, run stlink_flash_program in a
 * child process under the watchdog (timeouts.flash_ms), the child's output
 * (libstlink's chatter) appended to log, or to <image>.stlink.log when log
 * is NULL. */
int stlink_board_program(const stlink_ops_t *ops, const board_config_t *b, const char *image,
                         const char *log, flash_report_t *rep, char *err, size_t errlen);
/* reset() of a board, under the same watchdog; output to log (NULL: none). */
int stlink_board_reset(const stlink_ops_t *ops, const board_config_t *b, const char *log, char *err,
                       size_t errlen);

#endif
