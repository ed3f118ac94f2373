/*
 * AES-GCM on the STM32F4 CRYP (phases init/header/payload/final), free of any TLS library's
 * types: gcm_alt.c (MBEDTLS_GCM_ALT) and the wolfSSL crypto callback device
 * (target/crypto/wolfssl_cb) both drive the engine through it. Internal to the hw backends.
 *
 * The engine's GCM state is saved into the state after every call (context-swap registers),
 * so GCM states interleave with each other and with AES. The engine takes 96-bit IVs; other
 * lengths get J0 from a software GHASH with H = E(K, 0), computed on the engine at setkey.
 * Only the last update of a message may be partial (the engine pads it).
 */
#ifndef TLSRIG_GCM_HW_H
#define TLSRIG_GCM_HW_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const void *owner; /* identifies the context to the key registers (cryp_hw_load_key) */
    unsigned char key[32];
    unsigned keybits; /* 128, 192 or 256; 0 before a setkey */
    int decrypt;
    uint64_t len;              /* payload bytes so far */
    uint64_t add_len;          /* AAD bytes */
    unsigned char h[16];       /* E(K, 0^128): for non-96-bit IVs and the tag correction */
    unsigned char counter[16]; /* next payload counter block (IV registers) */
    uint32_t cs[16];           /* CSGCMCCM0..7, CSGCM0..7 */
    unsigned char tag_fix[16]; /* F4 erratum: bytes wrongly hashed in a partial last block */
    int started;
} gcm_hw_state_t;

#define GCM_HW_ERR_BAD_INPUT (-1)
#define GCM_HW_ERR_HW (-2)

/*
 * Clears st, keeps the key and computes H on the engine. keybits: 128, 192 or 256. owner: any
 * stable address standing for the caller's context (the key's owner on the engine).
 */
int gcm_hw_setkey(gcm_hw_state_t *st, const void *owner, const unsigned char *key,
                  unsigned keybits);
/* The same with H = E(K, 0) already known (the TLS library's key schedule has it): the engine
 * is not touched, so its first key load is the message's, as with a context set up once. */
int gcm_hw_setkey_h(gcm_hw_state_t *st, const void *owner, const unsigned char *key,
                    unsigned keybits, const unsigned char h[16]);
/* Init phase with the IV (any length from 1 byte), then the whole AAD (header phase). */
int gcm_hw_start(gcm_hw_state_t *st, int decrypt, const unsigned char *iv, size_t iv_len,
                 const unsigned char *add, size_t add_len);
/* Payload; output never overlaps the input from behind; only the last update may be partial. */
int gcm_hw_update(gcm_hw_state_t *st, const unsigned char *input, unsigned char *output,
                  size_t length);
/* Final phase: the first tag_len (4..16) bytes of the tag. The state must be started again. */
int gcm_hw_finish(gcm_hw_state_t *st, unsigned char *tag, size_t tag_len);

/* Zeroes n bytes with volatile writes (key material must not survive its context). */
void gcm_hw_wipe(void *p, size_t n);

#endif
