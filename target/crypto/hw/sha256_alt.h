/* MBEDTLS_SHA256_ALT context: SHA-224/256 on the STM32F4 HASH engine (see hash_hw.h). */
#ifndef TLSRIG_SHA256_ALT_H
#define TLSRIG_SHA256_ALT_H

#include "hash_hw.h"

typedef struct mbedtls_sha256_context {
    hw_hash_state_t hw;
    int is224;
} mbedtls_sha256_context;

#endif
