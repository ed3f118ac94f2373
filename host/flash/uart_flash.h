/* The uart flasher's sequencing over AN3155: enter the bootloader through
 * the BOOT0/NRST wiring (as Debian's stm32flash -i), erase the image's
 * sectors, write, verify, leave. */
#ifndef TLSRIG_UART_FLASH_H
#define TLSRIG_UART_FLASH_H

#include <stdbool.h>

#include "an3155.h"
#include "board_flasher.h"

/* Which modem line drives BOOT0 and NRST (board file uart_boot). Not
 * inverted: the line asserted (HIGH) means BOOT0 = 1, and NRST held in
 * reset; inverted flips both lines. */
typedef struct uart_wiring {
    bool boot0_wired, nrst_wired;
    bool boot0_on_dtr, nrst_on_dtr; /* else RTS */
    bool inverted;
} uart_wiring_t;

/* From b->uart_boot (NULL: nothing wired, the board is started in its
 * bootloader by hand). -1 with err naming the key on a bad line name. */
int uart_wiring_from_board(const board_config_t *b, uart_wiring_t *w, char *err, size_t errlen);

/* STM32F4 flash size for a Get ID product id; 0 when unknown. */
uint32_t uart_flash_bytes_of_pid(uint16_t pid);

/* The whole run within deadline_ms. 0, or -1 with err naming the port. */
int uart_flash_program(const uart_io_t *io, const uart_wiring_t *w, const uint8_t *img, size_t len,
                       uint32_t deadline_ms, flash_report_t *rep, char *err, size_t errlen);

/* Pulse NRST with BOOT0 low: the board restarts its image. -1 when NRST is
 * not wired. */
int uart_flash_reset(const uart_io_t *io, const uart_wiring_t *w, char *err, size_t errlen);

#endif
