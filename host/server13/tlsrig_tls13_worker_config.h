/*
 * mbedTLS 3.6 configuration of the host's TLS 1.3 worker (tlsrig-tls13-worker, issue 17): a
 * TLS 1.3 server with PSA crypto, all three key exchange modes, middlebox compatibility,
 * session tickets, SNI, the groups and suites the agent's profiles offer. Built from the same
 * fetched, checksum-verified Debian source as the agent's 3.6 stack (MBEDTLS36_SOURCE_DIR).
 * Unlike the agent's profiles it runs on the host: OS entropy, the file system, the heap.
 */
#ifndef TLSRIG_TLS13_WORKER_CONFIG_H
#define TLSRIG_TLS13_WORKER_CONFIG_H

/* ---- System ---------------------------------------------------------------------------- */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_FS_IO
#define MBEDTLS_DEPRECATED_REMOVED

/* ---- PSA crypto (TLS 1.3 runs its key exchange, HKDF and AEAD through it) --------------- */
#define MBEDTLS_PSA_CRYPTO_C
/* PSA draws from its own CTR_DRBG on OS entropy (the worker is one short process). */
#define MBEDTLS_HKDF_C

/* ---- Symmetric ciphers and modes ------------------------------------------------------- */
#define MBEDTLS_AES_C
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
#define MBEDTLS_ECP_DP_SECP521R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C

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

/* ---- TLS (server, 1.3 only: TLS 1.2 stays on the host's mbedTLS 2.28) ---------------- */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_TICKET_C
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_SESSION_TICKETS
#define MBEDTLS_SSL_ALPN
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
/* 3.x: MBEDTLS_SSL_MAX_CONTENT_LEN is gone; the two directions have their own lengths. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 16384

/* ---- Diagnostics ----------------------------------------------------------------------- */
#define MBEDTLS_DEBUG_C
#define MBEDTLS_ERROR_C
#define MBEDTLS_VERSION_C

#endif /* TLSRIG_TLS13_WORKER_CONFIG_H */
