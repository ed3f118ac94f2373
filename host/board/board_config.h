/* Board definitions from rig-config/boards/<name>.yaml (libcyaml). */
#ifndef TLSRIG_BOARD_CONFIG_H
#define TLSRIG_BOARD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

typedef enum board_kind { BOARD_SIM, BOARD_QEMU, BOARD_HW } board_kind_t;
typedef enum flasher_kind {
    FLASHER_SIM,
    FLASHER_QEMU,
    FLASHER_STLINK,
    FLASHER_DFU,
    FLASHER_COMMAND
} flasher_kind_t;
typedef enum link_transport {
    TRANSPORT_SOCKETPAIR,
    TRANSPORT_TCP,
    TRANSPORT_SERIAL
} link_transport_t;

typedef struct board_link {
    link_transport_t transport;
    char *address; /* tcp: host:port; serial: device path or "auto" */
    uint32_t baud;
} board_link_t;

typedef struct board_timeouts {
    uint32_t hello_ms;
    uint32_t scenario_ms;
    uint32_t restart_ms;
} board_timeouts_t;

typedef struct board_usb {
    uint16_t vid;
    uint16_t pid;
    char *serial;
} board_usb_t;

typedef struct board_config {
    char *name;
    char *description;
    board_kind_t kind;
    flasher_kind_t flasher;
    char *flash_command; /* FLASHER_COMMAND: argv template with {image} */
    char **backends;
    unsigned backends_count;
    board_link_t link;
    board_timeouts_t timeouts;
    board_usb_t *usb; /* optional */
    char *machine;    /* qemu: -M value */
} board_config_t;

/* Loads <dir>/<name>.yaml. On error returns NULL and writes a message naming
 * the file, the line and the key. name must be a safe name (safe_name.h);
 * every key must be one the board's kind uses (docs/formats.md). */
board_config_t *board_config_load(const char *dir, const char *name, char *err, size_t errlen);
/* The same from text in memory, as if it were <name>.yaml. */
board_config_t *board_config_load_text(const char *name, const char *text, size_t len, char *err,
                                       size_t errlen);
void board_config_free(board_config_t *b);

/* Lists board names found in dir (without .yaml); returns count, names malloc'd. */
size_t board_config_list(const char *dir, char ***names);

#endif
