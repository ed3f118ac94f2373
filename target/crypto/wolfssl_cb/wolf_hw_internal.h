/* Shared between the files of the wolfSSL crypto callback device; see tlsrig_wolf_hw.h. */
#ifndef TLSRIG_WOLF_HW_INTERNAL_H
#define TLSRIG_WOLF_HW_INTERNAL_H

#ifndef WOLFSSL_USER_SETTINGS
#define WOLFSSL_USER_SETTINGS
#endif
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/cryptocb.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "tlsrig_wolf_hw.h"

#if !defined(WOLF_CRYPTO_CB)
#error "tlsrig wolfSSL hw device: build wolfSSL with tlsrig_wolf_hw_settings.h (WOLF_CRYPTO_CB)"
#endif
#if !defined(WOLFSSL_NO_HASH_RAW) && !defined(TLSRIG_WOLF_SELFTEST_SW)
/* tls.c's constant-time HMAC check reads the software hash state (wc_Sha256FinalRaw), which a
 * callback-driven hash never fills: every CBC record would fail its MAC check. */
/* (TLSRIG_WOLF_SELFTEST_SW: the self-test checks alone, on a sw image, where no device runs.) */
#error "tlsrig wolfSSL hw device: WOLFSSL_NO_HASH_RAW must be set (tlsrig_wolf_hw_settings.h)"
#endif

/* Each returns CRYPTOCB_UNAVAILABLE for what it hands back to wolfSSL's software. */
int wolf_hw_cipher(wc_CryptoInfo *info);
int wolf_hw_hash(wc_CryptoInfo *info);
int wolf_hw_seed(wc_CryptoInfo *info);

/* Counters (wolf_hw_stats.c). */
void wolf_hw_count_hw(tlsrig_wolf_hw_prim_t prim, uint32_t bytes);
void wolf_hw_count_fallback(tlsrig_wolf_hw_prim_t prim);
void wolf_hw_count_error(tlsrig_wolf_hw_prim_t prim);
/* Hash slot counters, kept by wolf_hw_hash.c and reset with the others. */
void wolf_hw_hash_stats_reset(void);

#endif
