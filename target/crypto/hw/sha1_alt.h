/* MBEDTLS_SHA1_ALT context: SHA-1 on the STM32F4 HASH engine (see hash_hw.h). */
#ifndef TLSRIG_SHA1_ALT_H
#define TLSRIG_SHA1_ALT_H

#include "hash_hw.h"

typedef struct mbedtls_sha1_context {
    hw_hash_state_t hw;
} mbedtls_sha1_context;

#endif
