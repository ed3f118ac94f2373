/*
 * mbedTLS 3.6 configuration, profile "no-sha1": no SHA-1 at all (a SHA-1-signed CA cannot be
 * parsed). The 3.6 "full" profile with the changes below (the 3.6 translation of
 * target/config/no-sha1).
 */
#ifndef TLSRIG_MBEDTLS_CONFIG_NO_SHA1_H
#define TLSRIG_MBEDTLS_CONFIG_NO_SHA1_H

#define TLSRIG_CONFIG_DERIVED
#include "../full/tlsrig_mbedtls_config.h"

/* Many vendor configs drop SHA-1 as "insecure", and with it the ability to parse
 * certificates signed with it, including a CA that is still in use. */
#undef MBEDTLS_SHA1_C

#endif
