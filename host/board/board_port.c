/* USB re-enumeration has no event we can wait on without udev, so the
 * lookup polls probe_list every 100 ms until the deadline. */
#define _POSIX_C_SOURCE 200809L
#include "board_port.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe.h"

#define BOARD_PORT_POLL_MS 100

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 found (path set), 0 not (seen describes what is attached), -1 USB error. */
static int look_once(const char *serial, char *path, size_t cap, char *seen, size_t seen_cap,
                     char *err, size_t errlen)
{
    probe_info_t *list = NULL;
    size_t n = 0;
    if (probe_list(&list, &n, err, errlen) != 0) {
        return -1;
    }
    int found = 0;
    size_t len = 0;
    seen[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i].serial, serial) == 0 && list[i].port[0]) {
            snprintf(path, cap, "%s", list[i].port);
            found = 1;
            break;
        }
        int w = snprintf(seen + len, seen_cap - len, "%s%s %s%s", len ? ", " : "",
                         probe_kind_name(list[i].kind), list[i].serial[0] ? list[i].serial : "?",
                         strcmp(list[i].serial, serial) == 0 ? " (no VCP)" : "");
        if (w > 0 && (size_t)w < seen_cap - len) {
            len += (size_t)w;
        }
    }
    free(list);
    return found;
}

int board_port_find(const board_config_t *b, unsigned deadline_ms, char *path, size_t cap,
                    char *err, size_t errlen)
{
    if (b->link.address && strcmp(b->link.address, "auto") != 0) {
        snprintf(path, cap, "%s", b->link.address);
        return 0;
    }
    const char *serial = b->usb && b->usb->serial ? b->usb->serial : "";
    long long deadline = now_ms() + deadline_ms;
    char seen[1024];
    for (;;) {
        int r = look_once(serial, path, cap, seen, sizeof seen, err, errlen);
        if (r != 0) {
            return r > 0 ? 0 : -1;
        }
        long long left = deadline - now_ms();
        if (left <= 0) {
            break;
        }
        struct timespec ts = {0,
                              (left < BOARD_PORT_POLL_MS ? left : BOARD_PORT_POLL_MS) * 1000000L};
        nanosleep(&ts, NULL);
    }
    bool placeholder = strcmp(serial, BOARD_SERIAL_PLACEHOLDER) == 0;
    snprintf(err, errlen, "board %s: no probe with serial %s and its serial port is attached%s",
             b->name, serial, seen[0] ? "" : " (no probe attached at all)");
    size_t len = strlen(err);
    if (deadline_ms) {
        snprintf(err + len, errlen - len, "; waited %u ms", deadline_ms);
        len = strlen(err);
    }
    if (seen[0]) {
        snprintf(err + len, errlen - len, "; attached: %s", seen);
        len = strlen(err);
    }
    if (placeholder) {
        snprintf(err + len, errlen - len,
                 "; usb.serial is still the placeholder of the shipped board file: put your "
                 "probe's serial there (tlsrig probes lists it)");
    }
    return -1;
}
