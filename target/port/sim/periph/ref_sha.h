/*
 * Reference SHA-1 / SHA-224 / SHA-256 compression (FIPS 180-4) inside the HASH model.
 * Hand-written for the same reason as ref_aes.h: the hw image replaces mbedTLS's SHA.
 */
#ifndef TLSRIG_REF_SHA_H
#define TLSRIG_REF_SHA_H

#include <stdint.h>

/* Initial hash values; state has 5 (SHA-1) or 8 (SHA-224/256) words. */
void ref_sha1_init(uint32_t state[8]);
void ref_sha224_init(uint32_t state[8]);
void ref_sha256_init(uint32_t state[8]);

/* One 64-byte block given as 16 big-endian message words. */
void ref_sha1_block(uint32_t state[8], const uint32_t w16[16]);
void ref_sha256_block(uint32_t state[8], const uint32_t w16[16]);

#endif
