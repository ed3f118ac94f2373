/*
 * MBEDTLS_GCM_ALT context for the STM32F4 CRYP (GCM phases init/header/payload/final). The
 * engine's GCM state is saved into the context after every call (context-swap registers),
 * so GCM contexts can be interleaved with each other and with AES (gcm_hw.h).
 */
#ifndef TLSRIG_GCM_ALT_H
#define TLSRIG_GCM_ALT_H

#include <stddef.h>

#include "gcm_hw.h"

typedef struct mbedtls_gcm_context {
    gcm_hw_state_t hw; /* first: its address identifies the context to the key registers */
    int mode;
    /* 3.x only: starts() takes the IV, update_ad() or the first update() starts the engine. */
    unsigned char iv[64];
    size_t iv_len;
    int pending_iv;
} mbedtls_gcm_context;

#endif
