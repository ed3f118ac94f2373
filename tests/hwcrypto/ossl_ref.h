/* Independent software reference for the driver tests: OpenSSL libcrypto (EVP). */
#ifndef TLSRIG_OSSL_REF_H
#define TLSRIG_OSSL_REF_H

#include <stddef.h>

/* mode: "ecb", "cbc", "ctr". iv: CBC IV or CTR counter block (NULL for ECB). Encrypts. */
void ossl_aes(const char *mode, const unsigned char *key, unsigned keybits, const unsigned char *iv,
              const unsigned char *in, size_t len, unsigned char *out);
void ossl_gcm(const unsigned char *key, unsigned keybits, const unsigned char *iv, size_t iv_len,
              const unsigned char *aad, size_t aad_len, const unsigned char *in, size_t len,
              unsigned char *out, unsigned char tag[16]);
/* name: "sha1", "sha224", "sha256". Returns the digest length. */
size_t ossl_digest(const char *name, const unsigned char *in, size_t len, unsigned char *out);
void ossl_hmac_sha256(const unsigned char *key, size_t key_len, const unsigned char *in, size_t len,
                      unsigned char out[32]);

#endif
