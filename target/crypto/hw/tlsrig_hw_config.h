/*
 * Hardware crypto backend (STM32F4 CRYP/HASH/RNG): the options to add on top of a config
 * profile. A hw image's config header is the profile's header, then this one:
 *
 *   #define TLSRIG_CONFIG_DERIVED
 *   #include "tlsrig_mbedtls_config.h"   (the profile)
 *   #include "tlsrig_hw_config.h"
 *   #undef TLSRIG_CONFIG_DERIVED
 *   #include "mbedtls/check_config.h"
 *
 * The ALT headers (aes_alt.h, ...) and the drivers live in target/crypto/hw; their sources are
 * compiled into the mbedTLS library (cmake: tlsrig_mbedtls_use_hw()).
 */
#ifndef TLSRIG_HW_CONFIG_H
#define TLSRIG_HW_CONFIG_H

#define MBEDTLS_AES_ALT
#define MBEDTLS_GCM_ALT
#define MBEDTLS_SHA256_ALT
#define MBEDTLS_SHA1_ALT

/* The CRYP does ECB/CBC/CTR; other AES modes would need software on top (not offloaded). */
#undef MBEDTLS_CIPHER_MODE_CFB
#undef MBEDTLS_CIPHER_MODE_OFB
#undef MBEDTLS_CIPHER_MODE_XTS

/* The software AES tables option means nothing without the software AES. */
#undef MBEDTLS_AES_ROM_TABLES

#endif
