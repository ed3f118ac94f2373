/*
 * mbedTLS config for the hwcrypto tests: profile "full" + the hw backend (ALT drivers over the
 * sim models), plus AES-CTR so the CTR driver is exercised (the profile leaves CTR off).
 */
#ifndef TLSRIG_HWTEST_CONFIG_H
#define TLSRIG_HWTEST_CONFIG_H

#define TLSRIG_CONFIG_DERIVED
#include "../../target/config/full/tlsrig_mbedtls_config.h"
#include "tlsrig_hw_config.h"
#undef TLSRIG_CONFIG_DERIVED

#define MBEDTLS_CIPHER_MODE_CTR

#include "mbedtls/check_config.h"

#endif
