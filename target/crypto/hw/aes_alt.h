/*
 * MBEDTLS_AES_ALT context for the STM32F4 CRYP. The key stays in the context and is loaded
 * into the key registers on every operation, because TLS interleaves several AES contexts
 * (read and write keys, the DRBG) on one engine.
 */
#ifndef TLSRIG_AES_ALT_H
#define TLSRIG_AES_ALT_H

typedef struct mbedtls_aes_context {
    unsigned char key[32];
    unsigned keybits; /* 128, 192 or 256; 0 before a setkey */
    int decrypt_key;  /* set by setkey_dec: mbedtls_aes_crypt_ecb's mode is the real switch */
} mbedtls_aes_context;

#if defined(MBEDTLS_CIPHER_MODE_XTS)
#error "tlsrig hw backend: AES-XTS is not offloaded; disable MBEDTLS_CIPHER_MODE_XTS"
#endif

#endif
