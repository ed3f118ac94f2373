/* The byte pipe under the link: a socket (sim, QEMU) or a serial port
 * (boards, on libserialport). One small interface so host_link, the session
 * and the UART bootloader flasher never care which. */
#ifndef TLSRIG_TRANSPORT_H
#define TLSRIG_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum serial_parity { SERIAL_PARITY_NONE, SERIAL_PARITY_EVEN } serial_parity_t;
/* How a modem-control line is held after open. */
typedef enum serial_line { SERIAL_LINE_LEAVE, SERIAL_LINE_LOW, SERIAL_LINE_HIGH } serial_line_t;

typedef struct serial_settings {
    uint32_t baud;          /* e.g. 115200 */
    serial_parity_t parity; /* 8N1 for the agent; 8E1 for the STM32 bootloader (AN3155) */
    serial_line_t dtr;
    serial_line_t rts;
} serial_settings_t;

typedef struct transport transport_t;

/* Wrap an already connected socket or pipe fd (takes ownership). */
transport_t *transport_from_fd(int fd, const char *what, char *err, size_t errlen);

/* Open a serial port through libserialport: raw, the given settings, exclusive
 * (TIOCEXCL; the caller holds the board lock), input flushed. path is a device
 * path such as /dev/ttyACM0. NULL with err naming the port on failure. */
transport_t *transport_open_serial(const char *path, const serial_settings_t *s, char *err,
                                   size_t errlen);

/* A pollable fd for host_link and poll(2); owned by the transport. */
int transport_fd(const transport_t *t);
/* "socket", "/dev/ttyACM0"... for messages. */
const char *transport_name(const transport_t *t);
bool transport_is_serial(const transport_t *t);

/* Up to cap bytes within deadline_ms: >0 bytes, 0 on deadline, -1 on error/EOF (err set). */
ssize_t transport_read(transport_t *t, void *buf, size_t cap, int deadline_ms, char *err,
                       size_t errlen);
/* All of len within deadline_ms, or -1 with err. */
int transport_write_all(transport_t *t, const void *buf, size_t len, int deadline_ms, char *err,
                        size_t errlen);
/* Drop unread input (after a reset, before a fresh HELLO). */
int transport_flush_input(transport_t *t);
/* Serial only: drive DTR/RTS (BOOT0/NRST wiring of the UART bootloader). */
int transport_set_lines(transport_t *t, serial_line_t dtr, serial_line_t rts, char *err,
                        size_t errlen);

void transport_close(transport_t *t);

#endif
