/* The seam between the stlink flasher's sequencing (stlink_flash.c: which
 * sectors, order, verify, reset) and the probe (stlink_libstlink.c on
 * libstlink, or a model in tests). Every call reports failure as -1 with
 * err; addresses are absolute. */
#ifndef TLSRIG_STLINK_OPS_H
#define TLSRIG_STLINK_OPS_H

#include <stddef.h>
#include <stdint.h>

typedef struct stlink_ops {
    /* Open the probe whose iSerial is serial, attach to the target (halted);
     * the probe's handle, or NULL with err. *flash_bytes: the part's flash. */
    void *(*open)(void *ctx, const char *serial, uint32_t *flash_bytes, char *err, size_t errlen);
    /* Erase the sector that starts at addr. */
    int (*erase_sector)(void *h, uint32_t addr, char *err, size_t errlen);
    /* Program erased flash (no erase of its own). */
    int (*write)(void *h, uint32_t addr, const uint8_t *data, size_t len, char *err, size_t errlen);
    int (*read)(void *h, uint32_t addr, uint8_t *buf, size_t len, char *err, size_t errlen);
    /* Hardware reset (NRST, else SYSRESETREQ): peripherals reset too. */
    int (*reset)(void *h, char *err, size_t errlen);
    /* Let the core run and leave debug mode. */
    int (*exit_debug)(void *h, char *err, size_t errlen);
    void (*close)(void *h);
    void *ctx;
} stlink_ops_t;

#endif
