/*
 * mbedTLS 3.6 configuration, profile "full": the target agent as a capable TLS 1.2 and TLS 1.3
 * client. The 3.6 translation of target/config/full (the 2.28 profile); docs/stacks.md lists
 * every macro that 3.6 renamed or removed and what replaces it.
 *
 * Used through MBEDTLS_CONFIG_FILE (see cmake/mbedtls_source.cmake) for the sim images of the
 * mbedtls-3.6 stack. Constrained profiles next to this folder start from this file.
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
/* Time: the agent sets the clock per handshake through mbedtls_platform_set_time(). */
#define MBEDTLS_PLATFORM_TIME_ALT
/* Ports register their own source with mbedtls_entropy_add_source() (OS, STM32 RNG, model). */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_DEPRECATED_REMOVED

/* ---- PSA crypto (TLS 1.3 runs its key exchange, HKDF and AEAD through it) --------------- */
#define MBEDTLS_PSA_CRYPTO_C
/* PSA draws random bytes from the agent's CTR_DRBG (tls_platform.c): one generator per
 * image, seeded per scenario in seed mode, so TLS 1.3 key shares repeat like TLS 1.2's. */
#define MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG
/* TLS 1.2 keeps mbedTLS's legacy crypto calls (MBEDTLS_USE_PSA_CRYPTO off), as 2.28 does:
 * the per-primitive counters and the hw ALT drivers see the same calls on both stacks. */
#define MBEDTLS_HKDF_C

/* ---- Symmetric ciphers and modes ------------------------------------------------------- */
#define MBEDTLS_AES_C
/* AES tables in flash, not RAM: the F405/F439 have 192 KiB of RAM and the heap needs it. */
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_MODE_CBC
#define MBEDTLS_CIPHER_MODE_CTR
#define MBEDTLS_CIPHER_PADDING_PKCS7
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C
#define MBEDTLS_CIPHER_C

/* ---- Hashes and MACs (3.x: SHA-224 and SHA-384 have macros of their own) --------------- */
#define MBEDTLS_MD_C
#define MBEDTLS_MD5_C
#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C

/* ---- Random numbers -------------------------------------------------------------------- */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_HMAC_DRBG_C

/* ---- Public key ------------------------------------------------------------------------ */
#define MBEDTLS_BIGNUM_C
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

/* ---- Encodings and X.509 (3.x: key-usage checks are always on, no macros) --------------- */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_OID_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CRL_PARSE_C
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT

/* ---- TLS (client, 1.2 and 1.3) --------------------------------------------------------- */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED
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
/* MBEDTLS_SSL_FALLBACK_SCSV: removed in 3.0 (no TLS 1.0/1.1 to fall back from). */
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
/* 3.x: MBEDTLS_SSL_MAX_CONTENT_LEN is gone; the two directions have their own lengths. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 16384

/* ---- Diagnostics ----------------------------------------------------------------------- */
#define MBEDTLS_DEBUG_C
#define MBEDTLS_ERROR_C
#define MBEDTLS_VERSION_C

/* Constrained profiles include this file, change a few options, then check. mbedTLS 3.x's
 * build_info.h runs check_config.h itself after the config file. */

#endif /* TLSRIG_MBEDTLS_CONFIG_FULL_H */
