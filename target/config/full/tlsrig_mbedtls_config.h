/*
 * mbedTLS 2.28 configuration, profile "full": the target agent as a capable TLS 1.2 client.
 *
 * Used through MBEDTLS_CONFIG_FILE (see cmake/mbedtls_source.cmake) for the sim image and the
 * Cortex-M images alike, so both run the same TLS code. Constrained profiles that reproduce
 * field configurations live next to this folder and start from a copy of this file.
 *
 * Everything not listed is off: no sockets, no timing, no file system, no platform entropy;
 * the agent brings its own link (tunnel BIO), clock and entropy source.
 */
#ifndef TLSRIG_MBEDTLS_CONFIG_FULL_H
#define TLSRIG_MBEDTLS_CONFIG_FULL_H

/* ---- System ---------------------------------------------------------------------------- */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_C
/* Heap: the agent hands mbedTLS a static buffer (memory_buffer_alloc) and reads its peak. */
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
#define MBEDTLS_MEMORY_DEBUG
/* 8: the allocator's headers hold pointers and size_t; 4 misaligns them on 64-bit hosts. */
#define MBEDTLS_MEMORY_ALIGN_MULTIPLE 8
/*
 * Time: the agent sets the clock per handshake, including "no time", through
 * mbedtls_platform_set_time(). Until it does, mbedtls_time() returns 0.
 * MBEDTLS_PLATFORM_GMTIME_R_ALT is not needed: platform_util.c falls back to gmtime_r() or
 * gmtime(), both pure computations in glibc and newlib.
 */
#define MBEDTLS_PLATFORM_TIME_ALT
/* Ports register their own source with mbedtls_entropy_add_source() (OS, STM32 RNG, model). */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_DEPRECATED_REMOVED

/* ---- Symmetric ciphers and modes ------------------------------------------------------- */
#define MBEDTLS_AES_C
/* AES tables in flash, not RAM: the F405/F439 have 192 KiB of RAM and the heap needs it. */
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_MODE_CBC
/* CTR: offloaded by the hw backend; compiled in on both so the self-tests compare it. */
#define MBEDTLS_CIPHER_MODE_CTR
#define MBEDTLS_CIPHER_PADDING_PKCS7
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C
#define MBEDTLS_CIPHER_C

/* ---- Hashes and MACs ------------------------------------------------------------------- */
#define MBEDTLS_MD_C
/* MD5 only for encrypted PEM keys and old certificates; TLS 1.2 itself does not use it. */
#define MBEDTLS_MD5_C
#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA512_C

/* ---- Random numbers -------------------------------------------------------------------- */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
/* For deterministic ECDSA (client certificates). */
#define MBEDTLS_HMAC_DRBG_C

/* ---- Public key ------------------------------------------------------------------------ */
#define MBEDTLS_BIGNUM_C
/* 1024 bytes = 8192-bit RSA; field configs often cut this to 256 (a constrained profile). */
#define MBEDTLS_MPI_MAX_SIZE 1024
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C

/* ---- Encodings and X.509 --------------------------------------------------------------- */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_OID_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CRL_PARSE_C
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT

/* ---- TLS (client, 1.2; 2.28 has no usable TLS 1.3) ------------------------------------- */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_RSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_ENCRYPT_THEN_MAC
#define MBEDTLS_SSL_RENEGOTIATION
#define MBEDTLS_SSL_SESSION_TICKETS
#define MBEDTLS_SSL_ALPN
#define MBEDTLS_SSL_FALLBACK_SCSV
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
/* Full-size records both ways; MBEDTLS_SSL_CIPHERSUITES stays unset (all enabled suites). */
#define MBEDTLS_SSL_MAX_CONTENT_LEN 16384

/* ---- Diagnostics ----------------------------------------------------------------------- */
#define MBEDTLS_DEBUG_C
#define MBEDTLS_ERROR_C
#define MBEDTLS_VERSION_C

/* Constrained profiles include this file, change a few options, then check. */
#if !defined(TLSRIG_CONFIG_DERIVED) && !defined(TLSRIG_CONFIG_NO_CHECK)
#include "mbedtls/check_config.h"
#endif

#endif /* TLSRIG_MBEDTLS_CONFIG_FULL_H */
