/* The STM32 system bootloader's USART protocol (ST AN3155) over a byte
 * stream: the serial transport in uart_serial.c, a bootloader model in
 * tests. Hand-written: Debian packages stm32flash as a program only, no
 * library exposes AN3155. */
#ifndef TLSRIG_AN3155_H
#define TLSRIG_AN3155_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "flash_clock.h"
#include "transport.h"

#define AN3155_SYNC 0x7F
#define AN3155_ACK 0x79
#define AN3155_NACK 0x1F
#define AN3155_GET 0x00
#define AN3155_GET_ID 0x02
#define AN3155_READ 0x11
#define AN3155_GO 0x21
#define AN3155_WRITE 0x31
#define AN3155_ERASE 0x43
#define AN3155_EXT_ERASE 0x44
#define AN3155_MAX_DATA 256

/* The byte stream and the modem lines; signatures as transport.h's. */
typedef struct uart_io {
    /* >0 bytes, 0 when timeout_ms passed, -1 with err. */
    ssize_t (*read)(void *ctx, void *buf, size_t cap, int timeout_ms, char *err, size_t errlen);
    int (*write)(void *ctx, const void *buf, size_t len, int timeout_ms, char *err, size_t errlen);
    int (*set_lines)(void *ctx, serial_line_t dtr, serial_line_t rts, char *err, size_t errlen);
    int (*flush_input)(void *ctx);
    void *ctx;
    flash_clock_t clock;
    const char *port; /* for messages: "/dev/ttyUSB0" */
} uart_io_t;

/* One bootloader session: the I/O, the overall deadline, the error. */
typedef struct an3155 {
    const uart_io_t *io;
    uint64_t deadline; /* clock ms */
    char *err;
    size_t errlen;
} an3155_t;

/* 0x7F until ACK (or NACK: already synchronised), tries times. */
int an3155_sync(an3155_t *s, unsigned tries);
/* Get: bootloader version and the commands it supports. */
int an3155_get(an3155_t *s, uint8_t *version, uint8_t *cmds, size_t cap, size_t *ncmds);
int an3155_get_id(an3155_t *s, uint16_t *pid);
/* Extended Erase of these sector numbers. */
int an3155_ext_erase(an3155_t *s, const uint16_t *sectors, size_t n, unsigned timeout_ms);
/* 1..256 bytes; len a multiple of 4 for the F4's flash. */
int an3155_write(an3155_t *s, uint32_t addr, const uint8_t *data, size_t len);
int an3155_read(an3155_t *s, uint32_t addr, uint8_t *buf, size_t len);
int an3155_go(an3155_t *s, uint32_t addr);

#endif
