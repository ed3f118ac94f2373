/* Shared by the wolfssl_hw tests: wolfCrypt headers, a clean rig per test, model counters. */
#ifndef TLSRIG_WOLF_HWTEST_H
#define TLSRIG_WOLF_HWTEST_H

#include <wolfssl/wolfcrypt/settings.h>

#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/sha.h>
#include <wolfssl/wolfcrypt/sha256.h>
#include <wolfssl/wolfcrypt/wc_port.h>

#include <stddef.h>
#include <stdint.h>

#include "tlsrig_wolf_hw.h"

/* Writes and reads that reached a model (counted under the device, at the register bus). */
typedef struct {
    unsigned long cryp_din;  /* words written into the CRYP IN FIFO */
    unsigned long hash_din;  /* words written into the HASH FIFO */
    unsigned long rng_reads; /* RNG DR reads */
} wolf_hwtest_bus_t;

/* wolfCrypt_Init, models and driver faults reset, device registered, counters zeroed. */
void wolf_hwtest_setup(void);
void wolf_hwtest_teardown(void);
void wolf_hwtest_bus(wolf_hwtest_bus_t *out);
void wolf_hwtest_bus_reset(void);

/* Deterministic test bytes. */
void wolf_hwtest_fill(unsigned char *buf, size_t len, unsigned seed);

/* devId for the software reference path. */
#define SW_DEVID INVALID_DEVID
#define HW_DEVID TLSRIG_WOLF_HW_DEVID

#endif
