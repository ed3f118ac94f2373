/*
 * Reference AES block cipher and GHASH multiply inside the CRYP model.
 *
 * Hand-written on purpose: in a hw image mbedTLS's own AES is replaced by the ALT driver that
 * drives this model, so the model cannot call mbedtls_aes_*. Byte-oriented and slow; it models
 * silicon, it is not a production cipher.
 */
#ifndef TLSRIG_REF_AES_H
#define TLSRIG_REF_AES_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    unsigned rounds;            /* 10, 12 or 14 */
    uint8_t round_keys[15][16]; /* expanded key, one 16-byte round key per round */
} ref_aes_key_t;

/* key_len 16, 24 or 32; returns 0, or -1 for another length. */
int ref_aes_set_key(ref_aes_key_t *k, const uint8_t *key, size_t key_len);
void ref_aes_encrypt(const ref_aes_key_t *k, const uint8_t in[16], uint8_t out[16]);
void ref_aes_decrypt(const ref_aes_key_t *k, const uint8_t in[16], uint8_t out[16]);

/* out = x * y in GF(2^128) with GCM's bit order (SP 800-38D, algorithm 1). out may alias. */
void ref_gf128_mul(const uint8_t x[16], const uint8_t y[16], uint8_t out[16]);

#endif
