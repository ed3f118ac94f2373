/*
 * wolfSSL 5.7.2 user settings, profile "full" (WOLFSSL_USER_SETTINGS; docs/stacks.md).
 * A TLS 1.2 + 1.3 client without an OS: ECDHE-RSA and ECDHE-ECDSA with AES-GCM (and
 * ChaCha20-Poly1305), secp256r1/secp384r1/x25519, SNI and supported_groups, the X.509
 * verification of the CA the host uploads. The other profiles include this one and take
 * something away, as the field's builds did.
 */
#ifndef TLSRIG_WOLFSSL_USER_SETTINGS_FULL_H
#define TLSRIG_WOLFSSL_USER_SETTINGS_FULL_H

/* ---- platform: no OS, no file system, no sockets ---- */
#define SINGLE_THREADED
#define NO_FILESYSTEM
#define NO_WRITEV
#define NO_DEV_RANDOM
#define NO_MAIN_DRIVER
#define WOLFSSL_USER_IO          /* the agent's tunnel: wolfSSL_SSLSetIORecv/Send */
#define WOLFSSL_IGNORE_FILE_WARN /* src/ssl_*.c are included by ssl.c */
#define NO_WOLFSSL_SERVER        /* the agent is a client */
#define NO_SESSION_CACHE         /* one handshake per scenario: no resumption */
#define WOLFSSL_NO_SOCK

/* Time for X.509 validity: the clock the host sets per scenario (wolfssl_platform.c);
 * XGMTIME stays C's gmtime(). */
#include <time.h>
#define XTIME(t) tlsrig_wolfssl_time(t)

/* Random: wolfSSL's Hash-DRBG, seeded per WOLFSSL object from the port's entropy (the
 * host's TEST ONLY seed on emulated boards: repeatable runs). */
#define HAVE_HASHDRBG
#define CUSTOM_RAND_GENERATE_SEED tlsrig_wolfssl_seed
#ifdef __cplusplus
extern "C" {
#endif
int tlsrig_wolfssl_seed(unsigned char *output, unsigned int sz);
time_t tlsrig_wolfssl_time(time_t *t);
#ifdef __cplusplus
}
#endif

/* Memory: every XMALLOC goes through wolfSSL_Malloc, which calls the allocators the
 * agent installs with wolfSSL_SetAllocators() (a static heap, wolfssl_platform.c). */

/* Debug log on the LOG channel through wolfSSL_SetLoggingCb(). */
#define DEBUG_WOLFSSL

/* The crypto callback interface (wolfSSL's hw offload hook, issue 18 point 4). */
#define WOLF_CRYPTO_CB

/* ---- protocol ---- */
#define NO_OLD_TLS
#define WOLFSSL_TLS13
#define HAVE_TLS_EXTENSIONS
#define HAVE_SUPPORTED_CURVES
#define HAVE_SNI
#define HAVE_EXTENDED_MASTER
#define HAVE_ENCRYPT_THEN_MAC
#define HAVE_MAX_FRAGMENT
#define HAVE_HKDF
#define WC_RSA_PSS

/* ---- crypto ---- */
#define HAVE_AESGCM
#define GCM_TABLE_4BIT
#define WOLFSSL_AES_128
#define WOLFSSL_AES_256
#define HAVE_CHACHA
#define HAVE_POLY1305
#define HAVE_ONE_TIME_AUTH
#define HAVE_ECC
#define ECC_TIMING_RESISTANT
#define ECC_SHAMIR
#define HAVE_ECC384
#define HAVE_ECC521 /* the rig's ECDSA test root is a P-521 key */
#define HAVE_CURVE25519
/* Static RSA key exchange (off in wolfSSL by default): the mbedTLS `full` profile has it, so
 * the happy matrix (happy-rsa-*) means the same on both stacks. */
#define WOLFSSL_STATIC_RSA
#define WC_RSA_BLINDING
#define TFM_TIMING_RESISTANT
#define WOLFSSL_SP_MATH_ALL
#define WOLFSSL_SHA384
#define WOLFSSL_SHA512
#define WOLFSSL_SHA224

#define NO_DH
#define NO_DSA
#define NO_RC4
#define NO_MD4
#define NO_DES3
#define NO_PSK
#define NO_PWDBASED
#define WOLFSSL_NO_SHAKE128
#define WOLFSSL_NO_SHAKE256

#endif
