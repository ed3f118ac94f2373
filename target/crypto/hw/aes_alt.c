/*
 * MBEDTLS_AES_ALT on the STM32F4 CRYP: ECB, CBC and CTR in hardware. This file provides every
 * function library/aes.c leaves out when MBEDTLS_AES_ALT is set.
 *
 * CTR: the engine's counter is only the low 32 bits (IV1RR) and wraps without carry, while
 * mbedTLS counts over all 128 bits, so runs are split where the low word would wrap.
 */
#include "mbedtls/aes.h"
#include "mbedtls_compat.h"

#if defined(MBEDTLS_AES_C) && defined(MBEDTLS_AES_ALT)

#include "cryp_hw.h"
#include "stm32_regs.h"

#include <string.h>

#if defined(MBEDTLS_CIPHER_MODE_CFB) || defined(MBEDTLS_CIPHER_MODE_OFB)
#error "tlsrig hw backend: AES-CFB/OFB are not offloaded; disable them in the config"
#endif

#define AES_HW_FAILED MBEDTLS_ERR_AES_HW_ACCEL_FAILED

void mbedtls_aes_init(mbedtls_aes_context *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
}

void mbedtls_aes_free(mbedtls_aes_context *ctx)
{
    if (ctx == NULL)
        return;
    /* Volatile wipe: the key must not survive the context. */
    volatile unsigned char *p = (volatile unsigned char *)ctx;
    for (size_t i = 0; i < sizeof(*ctx); i++)
        p[i] = 0;
}

static int set_key(mbedtls_aes_context *ctx, const unsigned char *key, unsigned int keybits)
{
    if (keybits != 128 && keybits != 192 && keybits != 256)
        return MBEDTLS_ERR_AES_INVALID_KEY_LENGTH;
    memcpy(ctx->key, key, keybits / 8);
    ctx->keybits = keybits;
    return 0;
}

int mbedtls_aes_setkey_enc(mbedtls_aes_context *ctx, const unsigned char *key, unsigned int keybits)
{
    ctx->decrypt_key = 0;
    return set_key(ctx, key, keybits);
}

int mbedtls_aes_setkey_dec(mbedtls_aes_context *ctx, const unsigned char *key, unsigned int keybits)
{
    ctx->decrypt_key = 1;
    return set_key(ctx, key, keybits);
}

/* One run on the engine (cryp_hw_aes_run: key, key preparation, mode, IV, the blocks). */
static int run(mbedtls_aes_context *ctx, unsigned algo, int decrypt, const unsigned char *iv,
               const unsigned char *in, unsigned char *out, size_t blocks)
{
    if (ctx->keybits == 0)
        return MBEDTLS_ERR_AES_BAD_INPUT_DATA;
    int rc = cryp_hw_aes_run(ctx, ctx->key, ctx->keybits, algo, decrypt, iv, in, out, blocks);
    return rc == 0 ? 0 : AES_HW_FAILED;
}

int mbedtls_aes_crypt_ecb(mbedtls_aes_context *ctx, int mode, const unsigned char input[16],
                          unsigned char output[16])
{
    if (mode != MBEDTLS_AES_ENCRYPT && mode != MBEDTLS_AES_DECRYPT)
        return MBEDTLS_ERR_AES_BAD_INPUT_DATA;
    return run(ctx, CRYP_ALGO_AES_ECB, mode == MBEDTLS_AES_DECRYPT, NULL, input, output, 1);
}

int mbedtls_internal_aes_encrypt(mbedtls_aes_context *ctx, const unsigned char input[16],
                                 unsigned char output[16])
{
    return mbedtls_aes_crypt_ecb(ctx, MBEDTLS_AES_ENCRYPT, input, output);
}

int mbedtls_internal_aes_decrypt(mbedtls_aes_context *ctx, const unsigned char input[16],
                                 unsigned char output[16])
{
    return mbedtls_aes_crypt_ecb(ctx, MBEDTLS_AES_DECRYPT, input, output);
}

#if defined(MBEDTLS_CIPHER_MODE_CBC)
int mbedtls_aes_crypt_cbc(mbedtls_aes_context *ctx, int mode, size_t length, unsigned char iv[16],
                          const unsigned char *input, unsigned char *output)
{
    if (mode != MBEDTLS_AES_ENCRYPT && mode != MBEDTLS_AES_DECRYPT)
        return MBEDTLS_ERR_AES_BAD_INPUT_DATA;
    if (length % 16)
        return MBEDTLS_ERR_AES_INVALID_INPUT_LENGTH;
    if (length == 0)
        return 0;
    /* The next IV is the last ciphertext block; keep it before an in-place decrypt. */
    unsigned char next_iv[16];
    if (mode == MBEDTLS_AES_DECRYPT)
        memcpy(next_iv, input + length - 16, 16);
    int rc =
        run(ctx, CRYP_ALGO_AES_CBC, mode == MBEDTLS_AES_DECRYPT, iv, input, output, length / 16);
    if (rc != 0)
        return rc;
    memcpy(iv, mode == MBEDTLS_AES_DECRYPT ? next_iv : output + length - 16, 16);
    return 0;
}
#endif

#if defined(MBEDTLS_CIPHER_MODE_CTR)
static void counter_add(unsigned char counter[16], uint32_t n)
{
    uint32_t carry = n;
    for (int i = 15; i >= 0 && carry; i--) {
        uint32_t sum = counter[i] + (carry & 0xFFu);
        counter[i] = (unsigned char)sum;
        carry = (carry >> 8) + (sum >> 8);
    }
}

static uint32_t counter_low_word(const unsigned char counter[16])
{
    return (uint32_t)counter[12] << 24 | (uint32_t)counter[13] << 16 | (uint32_t)counter[14] << 8 |
           counter[15];
}

/* Full blocks in hardware, split so the engine's 32-bit counter never wraps mid-run. */
static int ctr_blocks(mbedtls_aes_context *ctx, unsigned char counter[16], const unsigned char *in,
                      unsigned char *out, size_t blocks)
{
    while (blocks > 0) {
        uint64_t until_wrap = 0x100000000ull - counter_low_word(counter);
        size_t n = blocks < until_wrap ? blocks : (size_t)until_wrap;
        int rc = run(ctx, CRYP_ALGO_AES_CTR, 0, counter, in, out, n);
        if (rc != 0)
            return rc;
        counter_add(counter, (uint32_t)n);
        in += 16 * n;
        out += 16 * n;
        blocks -= n;
    }
    return 0;
}

int mbedtls_aes_crypt_ctr(mbedtls_aes_context *ctx, size_t length, size_t *nc_off,
                          unsigned char nonce_counter[16], unsigned char stream_block[16],
                          const unsigned char *input, unsigned char *output)
{
    size_t n = *nc_off;
    if (n > 15)
        return MBEDTLS_ERR_AES_BAD_INPUT_DATA;
    /* Bytes left in the keystream block of the previous call. */
    while (n != 0 && length > 0) {
        *output++ = (unsigned char)(*input++ ^ stream_block[n]);
        n = (n + 1) & 15u;
        length--;
    }
    size_t blocks = length / 16;
    if (blocks > 0) {
        int rc = ctr_blocks(ctx, nonce_counter, input, output, blocks);
        if (rc != 0)
            return rc;
        input += 16 * blocks;
        output += 16 * blocks;
        length -= 16 * blocks;
    }
    if (length > 0) {
        static const unsigned char zero[16];
        int rc = ctr_blocks(ctx, nonce_counter, zero, stream_block, 1);
        if (rc != 0)
            return rc;
        for (n = 0; n < length; n++)
            output[n] = (unsigned char)(input[n] ^ stream_block[n]);
    }
    *nc_off = n;
    return 0;
}
#endif

#endif /* MBEDTLS_AES_C && MBEDTLS_AES_ALT */
