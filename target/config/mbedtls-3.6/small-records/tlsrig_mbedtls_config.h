/*
 * mbedTLS 3.6 configuration, profile "small-records": records of 4096 bytes (2.28:
 * MBEDTLS_SSL_MAX_CONTENT_LEN 4096). The 3.6 "full" profile with the changes below (the 3.6
 * translation of target/config/small-records).
 */
#ifndef TLSRIG_MBEDTLS_CONFIG_SMALL_RECORDS_H
#define TLSRIG_MBEDTLS_CONFIG_SMALL_RECORDS_H

#define TLSRIG_CONFIG_DERIVED
#include "../full/tlsrig_mbedtls_config.h"

/* RAM-saving record buffers: a server Certificate message over 4 KB no longer fits.
 * 3.x splits the 2.28 MBEDTLS_SSL_MAX_CONTENT_LEN into an incoming and an outgoing length. */
#undef MBEDTLS_SSL_IN_CONTENT_LEN
#define MBEDTLS_SSL_IN_CONTENT_LEN 4096
#undef MBEDTLS_SSL_OUT_CONTENT_LEN
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096

#endif
