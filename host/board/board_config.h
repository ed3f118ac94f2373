/* Board definitions from rig-config/boards/<name>.yaml (libcyaml). */
#ifndef TLSRIG_BOARD_CONFIG_H
#define TLSRIG_BOARD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum board_kind { BOARD_SIM, BOARD_QEMU, BOARD_HW } board_kind_t;
typedef enum flasher_kind {
    FLASHER_SIM,
    FLASHER_QEMU,
    FLASHER_STLINK,
    FLASHER_DFU,
    FLASHER_COMMAND,
    FLASHER_UART /* the STM32 system bootloader over the serial port (AN3155) */
} flasher_kind_t;
typedef enum link_transport {
    TRANSPORT_SOCKETPAIR,
    TRANSPORT_TCP,
    TRANSPORT_SERIAL
} link_transport_t;

/* How a modem-control line is held once the port is open (link.dtr, link.rts). */
typedef enum board_line { BOARD_LINE_LEAVE, BOARD_LINE_LOW, BOARD_LINE_HIGH } board_line_t;

typedef struct board_link {
    link_transport_t transport;
    char *address; /* serial: a device path, or "auto": the VCP of the probe usb.serial names */
    uint32_t baud; /* serial: default 115200; kind sim: the paced line's rate, 0 = unpaced */
    uint32_t turnaround_ms; /* kind sim with baud: latency per direction (default 1) */
    board_line_t dtr;
    board_line_t rts;
} board_link_t;

typedef struct board_timeouts {
    uint32_t hello_ms;
    uint32_t scenario_ms;
    uint32_t restart_ms;
    uint32_t flash_ms;       /* boards: one flasher run, watchdog included (default 60000) */
    uint32_t reenumerate_ms; /* boards: the VCP back on USB after a reset (default 10000) */
    uint32_t
        heartbeat_ms; /* boards: link silent this long -> ping; no answer -> dead (default 2000) */
} board_timeouts_t;

typedef struct board_usb {
    uint16_t vid;
    uint16_t pid;
    char *serial;  /* the probe's iSerial: the board's identity */
    char *hub;     /* optional: the hub's sysfs name (e.g. "1-1") for port power cycling */
    uint32_t port; /* with hub: the hub port the probe hangs on (1-based) */
} board_usb_t;

/* The UART bootloader's wiring (flasher: uart), as Debian's stm32flash -i:
 * which modem line drives BOOT0 and NRST, and whether it is inverted. */
typedef struct board_uart_boot {
    char *boot0; /* "dtr" or "rts" */
    char *nrst;  /* "dtr" or "rts" */
    bool inverted;
    uint32_t baud; /* bootloader baud, default 115200 (8E1) */
} board_uart_boot_t;

typedef struct board_config {
    char *name;
    char *description;
    board_kind_t kind;
    flasher_kind_t flasher;
    /* FLASHER_COMMAND: argv templates ({image}, {bin}, {hex}, {serial}); never a shell. */
    char **flash_command;
    unsigned flash_command_count;
    char **reset_command; /* optional: argv to reset the board */
    unsigned reset_command_count;
    char **backends;
    unsigned backends_count;
    board_link_t link;
    board_timeouts_t timeouts;
    board_usb_t *usb;             /* optional */
    char *machine;                /* qemu: -M value */
    board_uart_boot_t *uart_boot; /* flasher uart only */
    /* kind board: the agent images it runs (tlsrig-agent-<firmware>-...) and
     * the board name that agent reports in HELLO; NULL: the board's name.
     * sim-serial runs the sim agent, qemu-f405-serial the qemu-f405 one. */
    char *firmware;
} board_config_t;

/* b->firmware, or b->name when the board runs its own images. */
const char *board_firmware(const board_config_t *b);

/* The usb.serial a board file ships with until its owner fills it in
 * (rig-config/boards/nucleo-f439zi.yaml): never a real probe's serial. */
#define BOARD_SERIAL_PLACEHOLDER "FILL-IN-YOUR-PROBE-SERIAL"

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
