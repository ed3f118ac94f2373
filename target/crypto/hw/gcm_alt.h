/*
 * MBEDTLS_GCM_ALT context for the STM32F4 CRYP (GCM phases init/header/payload/final). The
 * engine's GCM state is saved into the context after every call (context-swap registers),
 * so GCM contexts can be interleaved with each other and with AES.
 */
#ifndef TLSRIG_GCM_ALT_H
#define TLSRIG_GCM_ALT_H

#include <stdint.h>

typedef struct mbedtls_gcm_context {
    unsigned char key[32];
    unsigned keybits;
    int mode;
    uint64_t len;              /* payload bytes so far */
    uint64_t add_len;          /* AAD bytes */
    unsigned char h[16];       /* E(K, 0^128): for non-96-bit IVs and the tag correction */
    unsigned char counter[16]; /* next payload counter block (IV registers) */
    uint32_t cs[16];           /* CSGCMCCM0..7, CSGCM0..7 */
    unsigned char tag_fix[16]; /* F4 erratum: bytes wrongly hashed in a partial last block */
    int started;
    /* 3.x only: starts() takes the IV, update_ad() or the first update() starts the engine. */
    unsigned char iv[64];
    size_t iv_len;
    int pending_iv;
} mbedtls_gcm_context;

#endif
