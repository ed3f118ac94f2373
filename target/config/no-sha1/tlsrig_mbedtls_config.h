/*
 * mbedTLS 2.28 configuration, profile "no-sha1": no SHA-1 at all (a SHA-1-signed CA cannot be
 * parsed: -0x262E). The "full" profile with the changes below; reproduces a configuration seen in
 * the field.
 */
#ifndef TLSRIG_MBEDTLS_CONFIG_NO_SHA1_H
#define TLSRIG_MBEDTLS_CONFIG_NO_SHA1_H

#define TLSRIG_CONFIG_DERIVED
#include "../full/tlsrig_mbedtls_config.h"

/* Many vendor configs drop SHA-1 as "insecure", and with it the ability to parse
 * certificates signed with it, including a CA that is still in use. */
#undef MBEDTLS_SHA1_C

#ifndef TLSRIG_CONFIG_NO_CHECK /* set by the hw-backend wrapper, which checks later */
#include "mbedtls/check_config.h"
#endif

#endif
