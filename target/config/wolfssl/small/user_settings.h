/*
 * wolfSSL 5.7.2 user settings, profile "small": a small-footprint TLS 1.2 client as
 * wolfSSL's own guides suggest for a Cortex-M without an OS: ECDHE-ECDSA and ECDHE-RSA
 * with AES-128-GCM only, secp256r1 only, SHA-256/384, a smaller stack (WOLFSSL_SMALL_STACK
 * moves big locals to the heap), no TLS 1.3, no ChaCha, no x25519.
 */
#ifndef TLSRIG_WOLFSSL_USER_SETTINGS_SMALL_H
#define TLSRIG_WOLFSSL_USER_SETTINGS_SMALL_H

#include "../full/user_settings.h"

#undef WOLFSSL_TLS13
#undef HAVE_HKDF
#undef WC_RSA_PSS
#undef HAVE_CHACHA
#undef HAVE_POLY1305
#undef HAVE_ONE_TIME_AUTH
#undef HAVE_CURVE25519
#undef HAVE_ECC384
#undef WOLFSSL_AES_256
#undef WOLFSSL_SHA224
#undef HAVE_MAX_FRAGMENT
#undef HAVE_ENCRYPT_THEN_MAC
#undef WOLFSSL_STATIC_RSA
#define WOLFSSL_SMALL_STACK
#define ECC_USER_CURVES /* secp256r1 only (wolfSSL's default with user curves) */
#define WOLFSSL_SP_SMALL

#endif
