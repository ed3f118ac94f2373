/*
 * mbedTLS 2.28 configuration, profile "cube-default": STM32Cube-like defaults: no SHA-1, MPI 256, 4
 * KB records, a short suite list. The "full" profile with the changes below; reproduces a
 * configuration seen in the field.
 */
#ifndef TLSRIG_MBEDTLS_CONFIG_CUBE_DEFAULT_H
#define TLSRIG_MBEDTLS_CONFIG_CUBE_DEFAULT_H

#define TLSRIG_CONFIG_DERIVED
#include "../full/tlsrig_mbedtls_config.h"

/* What STM32Cube mbedTLS examples ship: small buffers, no SHA-1, a handful of suites. */
#undef MBEDTLS_SHA1_C
#undef MBEDTLS_MPI_MAX_SIZE
#define MBEDTLS_MPI_MAX_SIZE 256
#undef MBEDTLS_SSL_MAX_CONTENT_LEN
#define MBEDTLS_SSL_MAX_CONTENT_LEN 4096
#define MBEDTLS_SSL_CIPHERSUITES                                                                   \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,                                                 \
        MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, MBEDTLS_TLS_RSA_WITH_AES_128_GCM_SHA256,  \
        MBEDTLS_TLS_RSA_WITH_AES_128_CBC_SHA256

#ifndef TLSRIG_CONFIG_NO_CHECK /* set by the hw-backend wrapper, which checks later */
#include "mbedtls/check_config.h"
#endif

#endif
