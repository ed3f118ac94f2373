/* Known-answer vectors for the crypto self-tests (generated: selftest_vectors.c). */
#ifndef TLSRIG_SELFTEST_VECTORS_H
#define TLSRIG_SELFTEST_VECTORS_H

#include <stddef.h>

typedef enum { SELFTEST_AES_ECB, SELFTEST_AES_CBC, SELFTEST_AES_CTR } selftest_aes_mode_t;

typedef struct {
    const char *name;
    selftest_aes_mode_t mode;
    const unsigned char *key;
    unsigned keybits;
    const unsigned char *iv; /* CBC IV or CTR initial counter block; unused for ECB */
    const unsigned char *plain;
    const unsigned char *cipher;
    size_t len;
} selftest_aes_vector_t;

typedef struct {
    const char *name;
    const unsigned char *key;
    unsigned keybits;
    const unsigned char *iv;
    size_t iv_len;
    const unsigned char *aad;
    size_t aad_len;
    const unsigned char *plain;
    const unsigned char *cipher;
    size_t len;
    const unsigned char *tag; /* 16 bytes */
} selftest_gcm_vector_t;

/* Message = text repeated `repeat` times. */
typedef struct {
    const char *name;
    const unsigned char *text;
    size_t text_len;
    size_t repeat;
    const unsigned char *digest;
} selftest_sha_vector_t;

extern const selftest_aes_vector_t selftest_aes_vectors[];
extern const size_t selftest_aes_vector_count;
extern const selftest_gcm_vector_t selftest_gcm_vectors[];
extern const size_t selftest_gcm_vector_count;

extern const selftest_sha_vector_t selftest_sha1_vectors[];
extern const size_t selftest_sha1_vector_count;
extern const selftest_sha_vector_t selftest_sha224_vectors[];
extern const size_t selftest_sha224_vector_count;
extern const selftest_sha_vector_t selftest_sha256_vectors[];
extern const size_t selftest_sha256_vector_count;

/*
 * Interleave/clone digests: message 1 = the FIPS 448-bit text x10, message 2 = bytes
 * (13 * i) & 0xFF for i < 700, clone = message 1's first 100 bytes + SELFTEST_CLONE_TAIL.
 */
#define SELFTEST_CLONE_TAIL "a different tail for the clone"
extern const unsigned char selftest_sha1_interleave1[], selftest_sha1_interleave2[],
    selftest_sha1_clone_tail[];
extern const unsigned char selftest_sha224_interleave1[], selftest_sha224_interleave2[],
    selftest_sha224_clone_tail[];
extern const unsigned char selftest_sha256_interleave1[], selftest_sha256_interleave2[],
    selftest_sha256_clone_tail[];

#endif
