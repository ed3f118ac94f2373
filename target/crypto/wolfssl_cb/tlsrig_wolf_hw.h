/*
 * wolfSSL crypto callback device over the STM32F4 CRYP, HASH and RNG drivers
 * (target/crypto/hw): wolfSSL's AES-ECB/CBC/GCM, SHA-1, SHA-256 and RNG seed go to the same
 * drivers the mbedTLS hw backend uses, so hw images of both stacks test the same driver code.
 *
 *   tlsrig_wolf_hw_register();                            after wolfSSL_Init()
 *   wolfSSL_CTX_SetDevId(ctx, TLSRIG_WOLF_HW_DEVID);      before wolfSSL_new(): records, the
 *                                                         handshake hashes, the HMACs and the
 *                                                         RNG of every WOLFSSL from ctx use it
 *   ... handshake ...; wolfSSL_free(ssl);
 *   tlsrig_wolf_hw_hash_release_all();                    no wolfSSL hash object is alive
 *
 * SELFTEST on wolfSSL images: tlsrig_wolfssl_add_crypto_selftest() builds crypto_selftest_run()
 * (target/crypto/selftest/crypto_selftest.h: same vectors, names, report) over wolfCrypt.
 *
 * Needs a wolfSSL built with tlsrig_wolf_hw_settings.h (WOLF_CRYPTO_CB, WOLFSSL_NO_HASH_RAW).
 * What goes to software instead (CRYPTOCB_UNAVAILABLE) is listed in docs/hw-crypto.md and
 * counted (tlsrig_wolf_hw_stats_get).
 */
#ifndef TLSRIG_WOLF_HW_H
#define TLSRIG_WOLF_HW_H

#include <stddef.h>
#include <stdint.h>

/* Any value but INVALID_DEVID (-2); "TL" in ASCII, to be recognisable in a debugger. */
#define TLSRIG_WOLF_HW_DEVID 0x544C

/* 0, or wolfSSL's error from wc_CryptoCb_RegisterDevice(). */
int tlsrig_wolf_hw_register(void);
void tlsrig_wolf_hw_unregister(void);

/*
 * Forget every hash state the device holds. wolfSSL frees hash objects without telling a crypto
 * callback (5.7.2 has no free callback), so a hash freed before its final (the handshake
 * hashes) keeps a slot until it is evicted as least recently used; call this when no wolfSSL
 * hash object is alive (after wolfSSL_free()) to start each handshake with all slots free.
 */
void tlsrig_wolf_hw_hash_release_all(void);

/*
 * RNG source for crypto_selftest_set_rng() on wolfSSL images: the seed path wolfSSL itself
 * uses (wc_GenerateSeed with the device's devId). 0 and *olen = len, or -1.
 */
int tlsrig_wolf_hw_selftest_rng(void *data, unsigned char *out, size_t len, size_t *olen);

typedef enum {
    TLSRIG_WOLF_HW_AES_ECB,
    TLSRIG_WOLF_HW_AES_CBC,
    TLSRIG_WOLF_HW_AES_GCM,
    TLSRIG_WOLF_HW_SHA1,
    TLSRIG_WOLF_HW_SHA256,
    TLSRIG_WOLF_HW_RNG_SEED,
    TLSRIG_WOLF_HW_OTHER, /* requests the device never offloads (SHA-384, HMAC, PK, DRBG, ...) */
    TLSRIG_WOLF_HW_PRIM_COUNT
} tlsrig_wolf_hw_prim_t;

typedef struct {
    uint32_t hw_ops;       /* calls the engines served */
    uint32_t hw_bytes;     /* bytes they processed (payload, hashed data, seed) */
    uint32_t fallback_ops; /* calls handed back to wolfSSL's software (CRYPTOCB_UNAVAILABLE) */
    uint32_t errors;       /* calls that failed: a dead engine, a bad tag, a lost hash state */
} tlsrig_wolf_hw_counter_t;

typedef struct {
    uint32_t slots_in_use;
    uint32_t slots_max; /* the most slots in use at once since the last reset */
    uint32_t evictions; /* slots taken from the least recently used hash */
    uint32_t copies;    /* wolfSSL copies of a hash object turned into engine clones */
    uint32_t lost;      /* calls on a state that was evicted or diverged: WC_HW_E */
} tlsrig_wolf_hw_hash_stats_t;

void tlsrig_wolf_hw_stats_reset(void);
const tlsrig_wolf_hw_counter_t *tlsrig_wolf_hw_stats_get(tlsrig_wolf_hw_prim_t prim);
/* "aes-ecb", "aes-cbc", "aes-gcm", "sha1", "sha256", "rng-seed", "other"; NULL past the end. */
const char *tlsrig_wolf_hw_stats_name(tlsrig_wolf_hw_prim_t prim);
void tlsrig_wolf_hw_hash_stats(tlsrig_wolf_hw_hash_stats_t *out);

#endif
