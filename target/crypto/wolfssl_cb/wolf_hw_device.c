/* The crypto callback: one entry point for wolfSSL, dispatched by algorithm type. */
#include "wolf_hw_internal.h"

static int device_cb(int dev_id, wc_CryptoInfo *info, void *ctx)
{
    (void)ctx;
    if (dev_id != TLSRIG_WOLF_HW_DEVID || info == NULL)
        return CRYPTOCB_UNAVAILABLE;
    switch (info->algo_type) {
    case WC_ALGO_TYPE_CIPHER:
        return wolf_hw_cipher(info);
    case WC_ALGO_TYPE_HASH:
        return wolf_hw_hash(info);
    case WC_ALGO_TYPE_SEED:
        return wolf_hw_seed(info);
    default:
        /* PK, HMAC (runs in software over our SHA), the DRBG itself (Hash_DRBG over our SHA-256
         * and seed, as mbedTLS's CTR-DRBG runs over our AES and entropy), CMAC. */
        wolf_hw_count_fallback(TLSRIG_WOLF_HW_OTHER);
        return CRYPTOCB_UNAVAILABLE;
    }
}

int tlsrig_wolf_hw_register(void)
{
    return wc_CryptoCb_RegisterDevice(TLSRIG_WOLF_HW_DEVID, device_cb, NULL);
}

void tlsrig_wolf_hw_unregister(void)
{
    wc_CryptoCb_UnRegisterDevice(TLSRIG_WOLF_HW_DEVID);
    tlsrig_wolf_hw_hash_release_all();
}
