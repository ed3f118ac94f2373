/* The board flasher "uart" on the serial transport (transport.h on
 * libserialport): the port of link.address at 8E1 and uart_boot.baud. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "board_flasher.h"
#include "flash_image.h"
#include "transport.h"
#include "uart_flash.h"

#define UART_IMAGE_MAX (16u * 1024 * 1024)
#define UART_DEFAULT_BAUD 115200u

static ssize_t t_read(void *ctx, void *buf, size_t cap, int timeout_ms, char *err, size_t errlen)
{
    return transport_read(ctx, buf, cap, timeout_ms, err, errlen);
}

static int t_write(void *ctx, const void *buf, size_t len, int timeout_ms, char *err, size_t errlen)
{
    return transport_write_all(ctx, buf, len, timeout_ms, err, errlen);
}

static int t_set_lines(void *ctx, serial_line_t dtr, serial_line_t rts, char *err, size_t errlen)
{
    return transport_set_lines(ctx, dtr, rts, err, errlen);
}

static int t_flush(void *ctx)
{
    return transport_flush_input(ctx);
}

/* Opens the bootloader's port: 8E1 (AN3155), lines left for the wiring. */
static transport_t *open_port(const board_config_t *b, char *err, size_t errlen)
{
    const char *port = b->link.address;
    if (!port || port[0] != '/') {
        snprintf(err, errlen,
                 "board %s: flasher uart needs link.address to be the serial "
                 "port's device path (e.g. /dev/ttyUSB0)",
                 b->name);
        return NULL;
    }
    serial_settings_t s = {UART_DEFAULT_BAUD, SERIAL_PARITY_EVEN, SERIAL_LINE_LEAVE,
                           SERIAL_LINE_LEAVE};
    if (b->uart_boot && b->uart_boot->baud) {
        s.baud = b->uart_boot->baud;
    }
    char why[300] = "";
    transport_t *t = transport_open_serial(port, &s, why, sizeof why);
    if (!t) {
        snprintf(err, errlen, "board %s: %s", b->name, why);
    }
    return t;
}

static int uart_program(const board_config_t *b, const char *image, flash_report_t *rep, char *err,
                        size_t errlen)
{
    int rc = -1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(rep, 0, sizeof *rep);
    flash_image_t img = {0};
    transport_t *t = NULL;
    uart_wiring_t w;
    if (uart_wiring_from_board(b, &w, err, errlen) != 0 ||
        flash_image_load(image, UART_IMAGE_MAX, &img, err, errlen) != 0) {
        goto exit;
    }
    t = open_port(b, err, errlen);
    if (!t) {
        goto exit;
    }
    snprintf(rep->probe_serial, sizeof rep->probe_serial, "%s", b->link.address);
    uart_io_t io = {t_read, t_write, t_set_lines, t_flush, t, flash_clock_real, b->link.address};
    uint32_t deadline = b->timeouts.flash_ms ? b->timeouts.flash_ms : 60000;
    rc = uart_flash_program(&io, &w, img.data, img.len, deadline, rep, err, errlen);
exit:
    if (t) {
        transport_close(t);
    }
    flash_image_free(&img);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rep->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}

static int uart_reset(const board_config_t *b, char *err, size_t errlen)
{
    uart_wiring_t w;
    if (uart_wiring_from_board(b, &w, err, errlen) != 0) {
        return -1;
    }
    transport_t *t = open_port(b, err, errlen);
    if (!t) {
        return -1;
    }
    uart_io_t io = {t_read, t_write, t_set_lines, t_flush, t, flash_clock_real, b->link.address};
    int rc = uart_flash_reset(&io, &w, err, errlen);
    transport_close(t);
    return rc;
}

const board_flasher_t board_flasher_uart = {"uart", uart_program, uart_reset};
