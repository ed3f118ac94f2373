/*
 * mbedTLS 3.6 configuration, profile "cube-default": STM32Cube-like defaults: no SHA-1, MPI 256, 4
 * KB records, a short suite list. The 3.6 "full" profile with the changes below (the 3.6
 * translation of target/config/cube-default).
 */
#ifndef TLSRIG_MBEDTLS_CONFIG_CUBE_DEFAULT_H
#define TLSRIG_MBEDTLS_CONFIG_CUBE_DEFAULT_H

#define TLSRIG_CONFIG_DERIVED
#include "../full/tlsrig_mbedtls_config.h"

/* What STM32Cube mbedTLS examples ship: small buffers, no SHA-1, a handful of TLS 1.2 suites.
 * The short list holds no TLS 1.3 suite, so TLS 1.3 is off as in such a configuration. */
#undef MBEDTLS_SHA1_C
#undef MBEDTLS_MPI_MAX_SIZE
#define MBEDTLS_MPI_MAX_SIZE 256
#undef MBEDTLS_SSL_IN_CONTENT_LEN
#define MBEDTLS_SSL_IN_CONTENT_LEN 4096
#undef MBEDTLS_SSL_OUT_CONTENT_LEN
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096
#undef MBEDTLS_SSL_PROTO_TLS1_3
#undef MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE
#undef MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#undef MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED
#undef MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_CIPHERSUITES                                                                   \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,                                                 \
        MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, MBEDTLS_TLS_RSA_WITH_AES_128_GCM_SHA256,  \
        MBEDTLS_TLS_RSA_WITH_AES_128_CBC_SHA256

#endif
