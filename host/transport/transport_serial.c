/* Serial ports on libserialport: raw 8N1 (or 8E1 for the STM32 bootloader),
 * the board's baud rate, exclusive (TIOCEXCL: a second opener, even one that
 * ignores the board lock, gets EBUSY), modem lines held as configured, stale
 * input dropped. Reads and writes go through the fd (transport_socket.c) so
 * that host_link can poll it like any other. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "transport_internal.h"

static void sp_error(char *err, size_t errlen, const char *path, const char *what, enum sp_return r)
{
    char *msg = r == SP_ERR_FAIL ? sp_last_error_message() : NULL;
    snprintf(err, errlen, "%s: %s: %s", path, what,
             msg                ? msg
             : r == SP_ERR_ARG  ? "invalid argument"
             : r == SP_ERR_SUPP ? "not supported"
             : r == SP_ERR_MEM  ? "out of memory"
                                : "failed");
    if (msg) {
        sp_free_error_message(msg);
    }
}

static enum sp_dtr dtr_of(serial_line_t l)
{
    return l == SERIAL_LINE_LOW ? SP_DTR_OFF : l == SERIAL_LINE_HIGH ? SP_DTR_ON : SP_DTR_INVALID;
}

static enum sp_rts rts_of(serial_line_t l)
{
    return l == SERIAL_LINE_LOW ? SP_RTS_OFF : l == SERIAL_LINE_HIGH ? SP_RTS_ON : SP_RTS_INVALID;
}

/* One sp_set_config: libserialport leaves every -1 field as it is. */
static enum sp_return configure(struct sp_port *port, const serial_settings_t *s)
{
    struct sp_port_config *c = NULL;
    enum sp_return r = sp_new_config(&c);
    if (r != SP_OK) {
        return r;
    }
    sp_set_config_baudrate(c, (int)s->baud);
    sp_set_config_bits(c, 8);
    sp_set_config_parity(c, s->parity == SERIAL_PARITY_EVEN ? SP_PARITY_EVEN : SP_PARITY_NONE);
    sp_set_config_stopbits(c, 1);
    sp_set_config_flowcontrol(c, SP_FLOWCONTROL_NONE);
    if (s->dtr != SERIAL_LINE_LEAVE) {
        sp_set_config_dtr(c, dtr_of(s->dtr));
    }
    if (s->rts != SERIAL_LINE_LEAVE) {
        sp_set_config_rts(c, rts_of(s->rts));
    }
    r = sp_set_config(port, c);
    sp_free_config(c);
    return r;
}

transport_t *transport_open_serial(const char *path, const serial_settings_t *s, char *err,
                                   size_t errlen)
{
    transport_t *t = NULL, *out = NULL;
    struct sp_port *port = NULL;
    enum sp_return r = sp_get_port_by_name(path, &port);
    if (r != SP_OK) {
        sp_error(err, errlen, path, "no such serial port", r);
        port = NULL;
        goto exit;
    }
    r = sp_open(port, SP_MODE_READ_WRITE);
    if (r != SP_OK) {
        sp_error(err, errlen, path, "open", r);
        sp_free_port(port);
        port = NULL;
        goto exit;
    }
    t = transport_alloc(path);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        goto exit;
    }
    t->port = port;
    port = NULL;
    int fd = -1;
    if (sp_get_port_handle(t->port, &fd) != SP_OK || fd < 0) {
        snprintf(err, errlen, "%s: no file descriptor", path);
        goto exit;
    }
    t->fd = fd;
    /* The board lock keeps other tlsrig jobs away; TIOCEXCL keeps everyone
     * else (a terminal program, ModemManager) from opening it meanwhile. */
    if (ioctl(fd, TIOCEXCL) != 0) {
        snprintf(err, errlen, "%s: exclusive open (TIOCEXCL): %s", path, strerror(errno));
        goto exit;
    }
    r = configure(t->port, s);
    if (r != SP_OK) {
        sp_error(err, errlen, path, "setting 8N1/baud/lines", r);
        goto exit;
    }
    /* libserialport leaves VMIN = VTIME = 0, where read() returns 0 for "no
     * data yet": indistinguishable from end of file for host_link. VMIN 1 on
     * a non-blocking fd gives EAGAIN for that, and 0 only on hang-up. */
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0) {
        snprintf(err, errlen, "%s: tcgetattr: %s", path, strerror(errno));
        goto exit;
    }
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &tio) != 0) {
        snprintf(err, errlen, "%s: tcsetattr: %s", path, strerror(errno));
        goto exit;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        snprintf(err, errlen, "%s: non-blocking mode: %s", path, strerror(errno));
        goto exit;
    }
    if (transport_flush_input(t) != 0) {
        snprintf(err, errlen, "%s: dropping stale input failed", path);
        goto exit;
    }
    out = t;
    t = NULL;
exit:
    transport_close(t);
    return out;
}

int transport_flush_input(transport_t *t)
{
    if (t->port && sp_flush(t->port, SP_BUF_INPUT) != SP_OK) {
        return -1;
    }
    return transport_drain_fd(t);
}

int transport_set_lines(transport_t *t, serial_line_t dtr, serial_line_t rts, char *err,
                        size_t errlen)
{
    if (!t->port) {
        snprintf(err, errlen, "%s: not a serial port: no modem lines", t->name);
        return -1;
    }
    enum sp_return r = SP_OK;
    if (dtr != SERIAL_LINE_LEAVE) {
        r = sp_set_dtr(t->port, dtr_of(dtr));
    }
    if (r == SP_OK && rts != SERIAL_LINE_LEAVE) {
        r = sp_set_rts(t->port, rts_of(rts));
    }
    if (r != SP_OK) {
        sp_error(err, errlen, t->name, "setting DTR/RTS", r);
        return -1;
    }
    return 0;
}

void transport_close(transport_t *t)
{
    if (!t) {
        return;
    }
    if (t->port) {
        /* sp_close closes the fd. */
        (void)sp_close(t->port);
        sp_free_port(t->port);
    } else if (t->fd >= 0) {
        close(t->fd);
    }
    free(t);
}
