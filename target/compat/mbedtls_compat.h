/* The one place where the agent's code meets the differences between the mbedTLS stacks it is
 * built against (2.28 LTS and 3.6 LTS, docs/stacks.md). Everything else is written against the
 * 2.28 names; this header maps them, so the version #ifs stay here and in a few named spots:
 *   - cmd_handshake.c configure_groups_and_hashes(), configure_versions() (3.x API changes),
 *   - tls_platform.c tls_platform_init() (psa_crypto_init, PSA's external RNG),
 *   - prim_stats.c (the wrapped hash symbols lost their _ret suffix in 3.0),
 *   - target/crypto/hw/gcm_alt.c (3.0's GCM streaming API: AAD apart, output lengths).
 * Included after the mbedTLS headers a file needs. */
#ifndef TLSRIG_MBEDTLS_COMPAT_H
#define TLSRIG_MBEDTLS_COMPAT_H

#include "mbedtls/version.h" /* 2.28: MBEDTLS_VERSION_MAJOR; 3.x: pulls in build_info.h */

#if MBEDTLS_VERSION_MAJOR >= 3
#define TLSRIG_MBEDTLS_3 1
#else
#define TLSRIG_MBEDTLS_3 0
#endif

/* 3.0 made most struct fields private; reading them is what the agent's timing and alert
 * reporting need (mbedTLS offers no getter for the current state or the received alert). */
#if !defined(MBEDTLS_PRIVATE)
#define MBEDTLS_PRIVATE(member) member
#endif
#define TLSRIG_SSL_STATE(ssl) ((ssl)->MBEDTLS_PRIVATE(state))
#define TLSRIG_SSL_IN_MSG(ssl) ((ssl)->MBEDTLS_PRIVATE(in_msg))

/* 3.x: TLS 1.3's post-handshake states (tickets) come after HANDSHAKE_OVER. */
#if TLSRIG_MBEDTLS_3
#define TLSRIG_SSL_HANDSHAKE_DONE(ssl) mbedtls_ssl_is_handshake_over(ssl)
#else
#define TLSRIG_SSL_HANDSHAKE_DONE(ssl) (TLSRIG_SSL_STATE(ssl) == MBEDTLS_SSL_HANDSHAKE_OVER)
#endif

/* 3.0 dropped the _ret suffix (the 2.x functions without it returned void). */
#if TLSRIG_MBEDTLS_3
#define mbedtls_sha1_ret mbedtls_sha1
#define mbedtls_sha1_starts_ret mbedtls_sha1_starts
#define mbedtls_sha1_update_ret mbedtls_sha1_update
#define mbedtls_sha1_finish_ret mbedtls_sha1_finish
#define mbedtls_sha256_ret mbedtls_sha256
#define mbedtls_sha256_starts_ret mbedtls_sha256_starts
#define mbedtls_sha256_update_ret mbedtls_sha256_update
#define mbedtls_sha256_finish_ret mbedtls_sha256_finish
#define mbedtls_sha512_ret mbedtls_sha512
#define mbedtls_sha512_starts_ret mbedtls_sha512_starts
#define mbedtls_sha512_update_ret mbedtls_sha512_update
#define mbedtls_sha512_finish_ret mbedtls_sha512_finish
#endif
/* mbedtls_sha256_finish's output parameter: an array of 32 in 2.28, a pointer in 3.x (the hw
 * driver's definition must match the header, -Warray-parameter). */
#if TLSRIG_MBEDTLS_3
#define TLSRIG_SHA256_OUTPUT(name) unsigned char *name
#else
#define TLSRIG_SHA256_OUTPUT(name) unsigned char name[32]
#endif

/* 3.0 replaced the per-module HW_ACCEL_FAILED codes with one platform code (the hw drivers). */
#if TLSRIG_MBEDTLS_3
#include "mbedtls/error.h"
#define MBEDTLS_ERR_AES_HW_ACCEL_FAILED MBEDTLS_ERR_PLATFORM_HW_ACCEL_FAILED
#define MBEDTLS_ERR_GCM_HW_ACCEL_FAILED MBEDTLS_ERR_PLATFORM_HW_ACCEL_FAILED
#define MBEDTLS_ERR_SHA1_HW_ACCEL_FAILED MBEDTLS_ERR_PLATFORM_HW_ACCEL_FAILED
#define MBEDTLS_ERR_SHA256_HW_ACCEL_FAILED MBEDTLS_ERR_PLATFORM_HW_ACCEL_FAILED
#endif

/* The stack name the image was built for (cmake defines it; tests building the core alone
 * get it from the version). */
#if !defined(TLSRIG_STACK)
#if TLSRIG_MBEDTLS_3
#define TLSRIG_STACK "mbedtls-3.6"
#else
#define TLSRIG_STACK "mbedtls-2.28"
#endif
#endif

#endif /* TLSRIG_MBEDTLS_COMPAT_H */
