/*
 * mbedTLS 2.28 configuration, profile "small-records": MBEDTLS_SSL_MAX_CONTENT_LEN 4096 (records
 * and certificate messages up to 4 KB). The "full" profile with the changes below; reproduces a
 * configuration seen in the field.
 */
#ifndef TLSRIG_MBEDTLS_CONFIG_SMALL_RECORDS_H
#define TLSRIG_MBEDTLS_CONFIG_SMALL_RECORDS_H

#define TLSRIG_CONFIG_DERIVED
#include "../full/tlsrig_mbedtls_config.h"

/* RAM-saving record buffers: a server Certificate message over 4 KB no longer fits. */
#undef MBEDTLS_SSL_MAX_CONTENT_LEN
#define MBEDTLS_SSL_MAX_CONTENT_LEN 4096

#ifndef TLSRIG_CONFIG_NO_CHECK /* set by the hw-backend wrapper, which checks later */
#include "mbedtls/check_config.h"
#endif

#endif
