/* Attached ST-Link probes and STM32 DFU devices (docs/boards.md, "Which
 * boards are attached"). Listing only enumerates: it never opens a device,
 * so it never resets a board (libstlink's connect would). */
#ifndef TLSRIG_BOARD_PROBE_H
#define TLSRIG_BOARD_PROBE_H

#include <stddef.h>
#include <stdint.h>

typedef enum probe_kind {
    PROBE_STLINK_V2,
    PROBE_STLINK_V2_1,
    PROBE_STLINK_V3,
    PROBE_DFU
} probe_kind_t;

typedef struct probe_info {
    probe_kind_t kind;
    uint16_t vid;
    uint16_t pid;
    char serial[128]; /* "" when the device has none */
    int bus;
    int address;
    char port[256]; /* its virtual COM port, "" when none */
} probe_info_t;

/* Lists attached probes into *out (malloc'd, free with free()), sorted by
 * bus and address. Returns 0, or -1 with a message in err when USB cannot be
 * enumerated. */
int probe_list(probe_info_t **out, size_t *count, char *err, size_t errlen);

/* The product ids (vendor 0483) the listing recognises: up to cap into pids;
 * returns how many there are. rig-config/udev/60-tlsrig-stlink.rules must
 * name the same ones (tests/probes checks). */
size_t probe_known_pids(uint16_t *pids, size_t cap);

/* "stlink-v2", "stlink-v2-1", "stlink-v3", "dfu". */
const char *probe_kind_name(probe_kind_t kind);

/* The usb.serial of board file <dir>/<name>.yaml into serial ("" if it names
 * none). A small libyaml reader: the board loader does not take `usb` yet.
 * Returns 0, or -1 with a message naming the file when it cannot be read. */
int probe_board_usb_serial(const char *path, char *serial, size_t len, char *err, size_t errlen);

#endif
