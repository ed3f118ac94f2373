/*
 * RNG seed (WC_ALGO_TYPE_SEED) from the RNG driver: wolfSSL's Hash_DRBG is seeded and reseeded
 * through hw_rng_entropy(), with its continuous test, as mbedTLS's CTR-DRBG is on hw images.
 * The DRBG's output (WC_ALGO_TYPE_RNG) stays wolfSSL's: its SHA-256 runs on the HASH engine.
 * An image that defines CUSTOM_RAND_GENERATE_SEED bypasses this (wolfSSL never asks).
 */
#include "wolf_hw_internal.h"

#include "rng_hw.h"

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
