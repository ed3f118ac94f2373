/* Time for the flashers' deadlines, behind a seam so tests run the protocol
 * engines on a virtual clock (no sleeps in tests). */
#ifndef TLSRIG_FLASH_CLOCK_H
#define TLSRIG_FLASH_CLOCK_H

#include <stdint.h>

typedef struct flash_clock {
    uint64_t (*now_ms)(void *ctx); /* monotonic */
    void (*sleep_ms)(void *ctx, unsigned ms);
    void *ctx;
} flash_clock_t;

/* CLOCK_MONOTONIC and nanosleep. */
extern const flash_clock_t flash_clock_real;

#endif
