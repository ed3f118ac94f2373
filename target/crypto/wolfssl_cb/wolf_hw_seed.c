/*
 * RNG seed (WC_ALGO_TYPE_SEED) from the RNG driver: wolfSSL's Hash_DRBG is seeded and reseeded
 * through hw_rng_entropy(), with its continuous test, as mbedTLS's CTR-DRBG is on hw images.
 * The DRBG's output (WC_ALGO_TYPE_RNG) stays wolfSSL's: its SHA-256 runs on the HASH engine.
 * An image that defines CUSTOM_RAND_GENERATE_SEED bypasses this (wolfSSL never asks).
 */
#include "wolf_hw_internal.h"

#include <wolfssl/wolfcrypt/random.h>

#include "rng_hw.h"

#include <string.h>

int wolf_hw_seed(wc_CryptoInfo *info)
{
    byte *out = info->seed.seed;
    word32 sz = info->seed.sz;
    if (out == NULL && sz > 0) {
        wolf_hw_count_error(TLSRIG_WOLF_HW_RNG_SEED);
        return BAD_FUNC_ARG;
    }
    size_t olen = 0;
    if (hw_rng_entropy(NULL, out, sz, &olen) != 0 || olen != sz) {
        wolf_hw_count_error(TLSRIG_WOLF_HW_RNG_SEED);
        return WC_HW_E;
    }
    wolf_hw_count_hw(TLSRIG_WOLF_HW_RNG_SEED, sz);
    return 0;
}

int tlsrig_wolf_hw_selftest_rng(void *data, unsigned char *out, size_t len, size_t *olen)
{
    (void)data;
    if (olen == NULL || (out == NULL && len > 0) || len > 0xFFFFFFFFu)
        return -1;
    *olen = 0;
    OS_Seed os;
    memset(&os, 0, sizeof(os));
    os.devId = TLSRIG_WOLF_HW_DEVID;
    if (wc_GenerateSeed(&os, out, (word32)len) != 0)
        return -1;
    *olen = len;
    return 0;
}
