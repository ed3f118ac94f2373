/* Port power through the kernel's per-port `disable` file rather than libusb
 * hub class requests (SET/CLEAR_FEATURE PORT_POWER): the kernel then knows
 * the port is off and does not re-power it behind our back, no hub device
 * needs opening (no claim on a hub the kernel drives), and one udev rule
 * grants the write (rig-config/udev/61-tlsrig-hub-ports.rules). Probe presence comes from
 * probe_list(), which never opens a device. */
#define _POSIX_C_SOURCE 200809L
#include "usb_power.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

/* The board file leaves reenumerate_ms out: docs/formats.md's default. */
#define DEFAULT_REENUMERATE_MS 10000u
/* How often USB is looked at while waiting for a probe to leave or return. */
#define POLL_MS 50

static uint32_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static uint32_t deadline_of(const board_config_t *b)
{
    return b->timeouts.reenumerate_ms ? b->timeouts.reenumerate_ms : DEFAULT_REENUMERATE_MS;
}

int usb_port_disable_path(const char *hub, uint32_t port, char *out, size_t cap, char *err,
                          size_t errlen)
{
    char iface[160];
    unsigned bus = 0;
    if (!hub || !hub[0] || strlen(hub) > 64 || strchr(hub, '/') || port == 0 || port > 255) {
        snprintf(err, errlen, "usb.hub '%s' / usb.port %u: not a hub name and port", hub ? hub : "",
                 (unsigned)port);
        return -1;
    }
    /* Root hub "usb1": its interface is "1-0:1.0", its ports "usb1-portN". */
    if (sscanf(hub, "usb%u", &bus) == 1) {
        snprintf(iface, sizeof iface, "%u-0:1.0", bus);
    } else {
        snprintf(iface, sizeof iface, "%s:1.0", hub);
    }
    snprintf(out, cap, "/sys/bus/usb/devices/%s/%s-port%u/disable", iface, hub, (unsigned)port);
    if (access(out, F_OK) == 0) {
        return 0;
    }
    snprintf(err, errlen,
             "%s does not exist: no hub %s with a port %u, or a kernel older than 4.13 (no "
             "per-port disable file)",
             out, hub, (unsigned)port);
    return -1;
}

/* "1" or "0" into the disable file; the write and the close are checked. */
static int write_switch(const char *path, const char *value, char *why, size_t cap)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, cap, "%s: %s%s", path, strerror(errno),
                 errno == EACCES ? " (install rig-config/udev/61-tlsrig-hub-ports.rules)" : "");
        return -1;
    }
    ssize_t n = write(fd, value, strlen(value));
    int saved = errno;
    if (close(fd) != 0 && n == (ssize_t)strlen(value)) {
        n = -1;
        saved = errno;
    }
    if (n != (ssize_t)strlen(value)) {
        snprintf(why, cap, "%s: writing %s: %s", path, value, strerror(saved));
        return -1;
    }
    return 0;
}

/* 1 when the probe with serial is on USB (its VCP into port, "" if none
 * yet), 0 when not, -1 when USB cannot be listed. */
static int find_probe(const char *serial, char *port, size_t cap, char *why, size_t whycap)
{
    probe_info_t *p = NULL;
    size_t n = 0;
    char err[256];
    if (probe_list(&p, &n, err, sizeof err) != 0) {
        snprintf(why, whycap, "%s", err);
        return -1;
    }
    int found = 0;
    for (size_t i = 0; i < n && !found; i++) {
        if (strcmp(p[i].serial, serial) == 0) {
            snprintf(port, cap, "%s", p[i].port);
            found = 1;
        }
    }
    free(p);
    return found;
}

/* Waits until the probe is gone (want_present false) or present with its
 * VCP (true). 0 when it happened before the deadline, -1 otherwise. */
static int wait_for(const char *serial, bool want_present, uint32_t deadline_ms, char *port,
                    size_t cap, char *why, size_t whycap)
{
    uint32_t t0 = now_ms();
    for (;;) {
        char vcp[256] = "";
        int r = find_probe(serial, vcp, sizeof vcp, why, whycap);
        if (r < 0) {
            return -1;
        }
        if (want_present ? (r == 1 && vcp[0]) : r == 0) {
            if (port) {
                snprintf(port, cap, "%s", vcp);
            }
            return 0;
        }
        if (now_ms() - t0 >= deadline_ms) {
            snprintf(why, whycap, "probe %s %s within %u ms", serial,
                     want_present ? (r == 1 ? "came back without its VCP" : "did not come back")
                                  : "stayed on USB after its port was switched off",
                     (unsigned)deadline_ms);
            return -1;
        }
        pause_ms(POLL_MS);
    }
}

int usb_power_cycle(const board_config_t *b, char *port, size_t portcap, char *why, size_t cap)
{
    char path[512], err[512];
    port[0] = '\0';
    if (!b->usb || !b->usb->hub || !b->usb->hub[0] || b->usb->port == 0) {
        snprintf(why, cap, "the board file names no usb.hub and usb.port");
        return -2;
    }
    if (!b->usb->serial || !b->usb->serial[0]) {
        snprintf(why, cap, "the board file names no usb.serial: the probe cannot be recognised");
        return -2;
    }
    if (usb_port_disable_path(b->usb->hub, b->usb->port, path, sizeof path, err, sizeof err) != 0) {
        snprintf(why, cap, "%s", err);
        return -1;
    }
    uint32_t deadline = deadline_of(b);
    if (write_switch(path, "1", why, cap) != 0) {
        return -1;
    }
    int rc = wait_for(b->usb->serial, false, deadline, NULL, 0, why, cap);
    /* On again in every case: a board left unpowered helps nobody. */
    char on_err[512];
    if (write_switch(path, "0", on_err, sizeof on_err) != 0) {
        snprintf(why, cap, "%s", on_err);
        return -1;
    }
    if (rc != 0) {
        return -1;
    }
    uint32_t t0 = now_ms();
    if (wait_for(b->usb->serial, true, deadline, port, portcap, why, cap) != 0) {
        return -1;
    }
    snprintf(why, cap, "hub %s port %u off and on; probe back on %s after %u ms", b->usb->hub,
             (unsigned)b->usb->port, port, (unsigned)(now_ms() - t0));
    return 0;
}

int usb_rediscover(const board_config_t *b, char *port, size_t portcap, char *why, size_t cap)
{
    port[0] = '\0';
    if (!b->usb || !b->usb->serial || !b->usb->serial[0]) {
        snprintf(why, cap, "the board file names no usb.serial");
        return -2;
    }
    uint32_t t0 = now_ms();
    if (wait_for(b->usb->serial, true, deadline_of(b), port, portcap, why, cap) != 0) {
        return -1;
    }
    snprintf(why, cap, "probe %s on %s after %u ms", b->usb->serial, port,
             (unsigned)(now_ms() - t0));
    return 0;
}
