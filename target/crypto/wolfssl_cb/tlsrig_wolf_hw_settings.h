/*
 * The options a wolfSSL hw image adds to its profile's user_settings.h (include it last):
 *
 *   #include "tlsrig_wolf_hw_settings.h"   (target/crypto/wolfssl_cb)
 *
 * The device (tlsrig_wolf_hw.h) then serves AES-ECB/CBC/GCM, SHA-1, SHA-256 and the RNG seed
 * of every wolfSSL object whose devId is TLSRIG_WOLF_HW_DEVID (wolfSSL_CTX_SetDevId()).
 */
#ifndef TLSRIG_WOLF_HW_SETTINGS_H
#define TLSRIG_WOLF_HW_SETTINGS_H

/* The crypto callback interface (wolfcrypt/src/cryptocb.c). */
#undef WOLF_CRYPTO_CB
#define WOLF_CRYPTO_CB

/* The ONLY_* variants compile the software RSA/ECC out; AES and SHA keep their software, which
 * stays the fallback for what the engines cannot do. FIND would send objects without a devId
 * to the device too; the agent chooses per WOLFSSL_CTX instead. */
#undef WOLF_CRYPTO_CB_ONLY_RSA
#undef WOLF_CRYPTO_CB_ONLY_ECC
#undef WOLF_CRYPTO_CB_FIND

/* tls.c's constant-time CBC MAC check reads the software hash state through
 * wc_Sha*FinalRaw(), which a callback-driven hash never fills; without raw hashes it checks
 * with wc_HmacUpdate/Final, which go through the device. */
#undef WOLFSSL_NO_HASH_RAW
#define WOLFSSL_NO_HASH_RAW

/* Hash data kept for a one-shot final would bypass the streaming engine. */
#undef WOLFSSL_HASH_KEEP

/* GCM goes to the device one message at a time (wc_AesGcmEncrypt/Decrypt, what TLS calls).
 * The streaming API is not routed to callbacks in 5.7.2, and its GHASH_INIT_EXTRA reverses
 * aes->gcm.H in place in the 64-bit GHASH variant, while the device reads H from there. */
#undef WOLFSSL_AESGCM_STREAM

/* The cipher types the device serves (TLS uses CBC and GCM; ECB for tests and tools). */
#undef HAVE_AES_ECB
#define HAVE_AES_ECB

/* Host accelerations that would run before or instead of the callback path. */
#undef WOLFSSL_AESNI
#undef USE_INTEL_SPEEDUP
#undef WOLFSSL_ARMASM

#endif
