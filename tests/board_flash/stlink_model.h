/* A model of an ST-Link probe with an STM32F4 behind it, for the stlink
 * flasher's sequencing: NOR flash (erase sets 0xFF per sector, programming
 * only clears bits), a record of every call, and a fault at any step. */
#ifndef TLSRIG_TEST_STLINK_MODEL_H
#define TLSRIG_TEST_STLINK_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "stlink_ops.h"

typedef struct stlink_model {
    uint32_t flash_bytes;
    uint8_t *flash;
    char calls[16384];      /* "open;erase 08000000;write 08000000 16384;..." */
    const char *fail_at;    /* "open", "erase", "write", "read", "reset", "exit" */
    uint32_t corrupt_addr;  /* nonzero: read returns this byte flipped */
    bool hang_at_write;     /* write never returns (the watchdog's case) */
    bool chatter;           /* print to stdout/stderr like libstlink does */
    unsigned opens, closes; /* balanced when the flasher cleans up */
} stlink_model_t;

/* flash filled with 0xA5 so untouched sectors are visible. */
void stlink_model_init(stlink_model_t *m, uint32_t flash_bytes);
void stlink_model_free(stlink_model_t *m);
stlink_ops_t stlink_model_ops(stlink_model_t *m);

#endif
