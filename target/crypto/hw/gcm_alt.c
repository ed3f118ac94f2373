/*
 * MBEDTLS_GCM_ALT on the STM32F4 CRYP: the whole gcm.h API over the engine's GCM phases.
 *
 * F4 erratum: when encrypting, the engine hashes the full 16-byte output of a zero-padded
 * partial last block, i.e. keystream bytes where GHASH wants zeros. GHASH is linear, so the
 * error in the tag is D * H^2 (D = those stray bytes; one more block, the lengths, follows).
 * finish() removes it in software, the same correction ST's HAL makes.
 */
#include "mbedtls/gcm.h"

#if defined(MBEDTLS_GCM_C) && defined(MBEDTLS_GCM_ALT)

#include "cryp_hw.h"
#include "mbedtls/cipher.h"
#include "mbedtls_compat.h"
#include "stm32_regs.h"

#include <string.h>

#define GCM_HW_FAILED MBEDTLS_ERR_GCM_HW_ACCEL_FAILED

/* x * y in GF(2^128), GCM bit order; out may alias either input. */
static void gf128_mul(const unsigned char x[16], const unsigned char y[16], unsigned char out[16])
{
    unsigned char z[16] = {0}, v[16];
    memcpy(v, y, 16);
    for (unsigned i = 0; i < 128; i++) {
        if (x[i / 8] & (0x80u >> (i % 8))) {
            for (unsigned j = 0; j < 16; j++)
                z[j] ^= v[j];
        }
        unsigned lsb = v[15] & 1u;
        for (unsigned j = 15; j > 0; j--)
            v[j] = (unsigned char)((v[j] >> 1) | (v[j - 1] << 7));
        v[0] >>= 1;
        if (lsb)
            v[0] ^= 0xE1u;
    }
    memcpy(out, z, 16);
}

static void inc32(unsigned char block[16], uint32_t n)
{
    uint32_t c = ((uint32_t)block[12] << 24 | (uint32_t)block[13] << 16 | (uint32_t)block[14] << 8 |
                  block[15]) +
                 n;
    block[12] = (unsigned char)(c >> 24);
    block[13] = (unsigned char)(c >> 16);
    block[14] = (unsigned char)(c >> 8);
    block[15] = (unsigned char)c;
}

static void wipe(void *p, size_t n)
{
    volatile unsigned char *b = p;
    while (n--)
        *b++ = 0;
}

void mbedtls_gcm_init(mbedtls_gcm_context *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
}

void mbedtls_gcm_free(mbedtls_gcm_context *ctx)
{
    if (ctx != NULL)
        wipe(ctx, sizeof(*ctx));
}

static uint32_t gcm_cr(const mbedtls_gcm_context *ctx, unsigned phase)
{
    return cryp_hw_cr(CRYP_ALGO_AES_GCM, ctx->keybits, ctx->mode == MBEDTLS_GCM_DECRYPT) |
           (phase << CRYP_CR_GCM_CCMPH_SHIFT);
}

int mbedtls_gcm_setkey(mbedtls_gcm_context *ctx, mbedtls_cipher_id_t cipher,
                       const unsigned char *key, unsigned int keybits)
{
    if (cipher != MBEDTLS_CIPHER_ID_AES)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    if (keybits != 128 && keybits != 192 && keybits != 256)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    memset(ctx, 0, sizeof(*ctx));
    memcpy(ctx->key, key, keybits / 8);
    ctx->keybits = keybits;
    /* H = E(K, 0): one ECB block. */
    static const unsigned char zero[16];
    uint32_t cr = cryp_hw_cr(CRYP_ALGO_AES_ECB, keybits, 0);
    cryp_hw_load_key(ctx, ctx->key, keybits);
    cryp_hw_configure(cr);
    cryp_hw_enable(cr);
    int rc = cryp_hw_stream(zero, ctx->h, 1);
    cryp_hw_disable();
    return rc == 0 ? 0 : GCM_HW_FAILED;
}

/* Put the engine into `phase` with this context's saved state, enabled. */
static void resume(mbedtls_gcm_context *ctx, unsigned phase)
{
    uint32_t cr = gcm_cr(ctx, phase);
    cryp_hw_load_key(ctx, ctx->key, ctx->keybits);
    cryp_hw_configure(cr);
    cryp_hw_restore_gcm_context(ctx->cs);
    cryp_hw_set_iv(ctx->counter);
    cryp_hw_enable(cr);
}

static int suspend(mbedtls_gcm_context *ctx, int rc)
{
    if (rc == 0)
        rc = cryp_hw_wait_idle();
    cryp_hw_disable();
    cryp_hw_save_gcm_context(ctx->cs);
    return rc == 0 ? 0 : GCM_HW_FAILED;
}

/* Full blocks, then a zero-padded last block; out may be NULL (header). */
static int stream_padded(const unsigned char *in, unsigned char *out, size_t len,
                         unsigned char stray[16])
{
    size_t full = len / 16, rest = len % 16;
    if (full > 0 && cryp_hw_stream(in, out, full) != 0)
        return CRYP_HW_ERR;
    if (rest == 0)
        return 0;
    unsigned char pad_in[16] = {0}, pad_out[16];
    memcpy(pad_in, in + 16 * full, rest);
    if (cryp_hw_stream(pad_in, out ? pad_out : NULL, 1) != 0)
        return CRYP_HW_ERR;
    if (out != NULL) {
        memcpy(out + 16 * full, pad_out, rest);
        if (stray != NULL) {
            memset(pad_out, 0, rest);
            memcpy(stray, pad_out, 16);
        }
    }
    return 0;
}

/* The init phase, then the AAD (header phase); 2.x passes both to starts(), 3.x the AAD to
 * update_ad() (once, before any payload: the engine's header phase cannot be resumed). */
static int gcm_start_with_ad(mbedtls_gcm_context *ctx, int mode, const unsigned char *iv,
                             size_t iv_len, const unsigned char *add, size_t add_len)
{
    if (ctx->keybits == 0 || iv == NULL || (add_len != 0 && add == NULL))
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    if (iv_len == 0 || ((uint64_t)iv_len) >> 61 != 0 || ((uint64_t)add_len) >> 61 != 0)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    if (mode != MBEDTLS_GCM_ENCRYPT && mode != MBEDTLS_GCM_DECRYPT)
        return MBEDTLS_ERR_GCM_BAD_INPUT;

    ctx->mode = mode;
    ctx->len = 0;
    ctx->add_len = add_len;
    memset(ctx->tag_fix, 0, sizeof(ctx->tag_fix));
    unsigned char j0[16] = {0};
    if (iv_len == 12) {
        memcpy(j0, iv, 12);
        j0[15] = 1;
    } else {
        /* J0 = GHASH(IV || 0-pad || [len(IV)]64): the engine only takes 96-bit IVs. */
        for (size_t off = 0; off < iv_len; off += 16) {
            size_t n = iv_len - off < 16 ? iv_len - off : 16;
            for (size_t i = 0; i < n; i++)
                j0[i] ^= iv[off + i];
            gf128_mul(j0, ctx->h, j0);
        }
        uint64_t bits = (uint64_t)iv_len * 8;
        for (unsigned i = 0; i < 8; i++)
            j0[15 - i] ^= (unsigned char)(bits >> (8 * i));
        gf128_mul(j0, ctx->h, j0);
    }
    memcpy(ctx->counter, j0, 16);
    inc32(ctx->counter, 1);

    /* Init phase: the engine derives H and E(K, J0) and clears CRYPEN when done. */
    uint32_t cr = gcm_cr(ctx, CRYP_PHASE_INIT);
    cryp_hw_load_key(ctx, ctx->key, ctx->keybits);
    cryp_hw_configure(cr);
    cryp_hw_set_iv(ctx->counter);
    cryp_hw_enable(cr);
    int rc = cryp_hw_wait_enable_clear();
    if (rc == 0 && add_len > 0) {
        cr = gcm_cr(ctx, CRYP_PHASE_HEADER);
        periph_write32(CRYP_CR, cr);
        cryp_hw_enable(cr);
        rc = stream_padded(add, NULL, add_len, NULL);
    }
    rc = suspend(ctx, rc);
    ctx->started = rc == 0;
    return rc;
}

#if TLSRIG_MBEDTLS_3
/* 3.x: starts() keeps the IV; the engine starts at update_ad() or the first update(). */
int mbedtls_gcm_starts(mbedtls_gcm_context *ctx, int mode, const unsigned char *iv, size_t iv_len)
{
    if (iv == NULL || iv_len == 0 || iv_len > sizeof ctx->iv)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    memcpy(ctx->iv, iv, iv_len);
    ctx->iv_len = iv_len;
    ctx->mode = mode;
    ctx->started = 0;
    ctx->pending_iv = 1;
    return 0;
}

int mbedtls_gcm_update_ad(mbedtls_gcm_context *ctx, const unsigned char *add, size_t add_len)
{
    if (!ctx->pending_iv)
        return MBEDTLS_ERR_GCM_BAD_INPUT; /* AAD after payload, or twice: not on this engine */
    ctx->pending_iv = 0;
    return gcm_start_with_ad(ctx, ctx->mode, ctx->iv, ctx->iv_len, add, add_len);
}

static int gcm_update_blocks(mbedtls_gcm_context *ctx, size_t length, const unsigned char *input,
                             unsigned char *output);

/* Only the last update may be partial (the engine pads it), so the output is always the whole
 * input: output_length == input_length. */
int mbedtls_gcm_update(mbedtls_gcm_context *ctx, const unsigned char *input, size_t input_length,
                       unsigned char *output, size_t output_size, size_t *output_length)
{
    *output_length = 0;
    if (output_size < input_length)
        return MBEDTLS_ERR_GCM_BUFFER_TOO_SMALL;
    if (ctx->pending_iv) {
        int rc = mbedtls_gcm_update_ad(ctx, NULL, 0);
        if (rc != 0)
            return rc;
    }
    int rc = gcm_update_blocks(ctx, input_length, input, output);
    if (rc == 0)
        *output_length = input_length;
    return rc;
}

static int gcm_finish_tag(mbedtls_gcm_context *ctx, unsigned char *tag, size_t tag_len);

int mbedtls_gcm_finish(mbedtls_gcm_context *ctx, unsigned char *output, size_t output_size,
                       size_t *output_length, unsigned char *tag, size_t tag_len)
{
    (void)output;
    (void)output_size;
    *output_length = 0; /* nothing held back: update() wrote every byte */
    if (ctx->pending_iv) {
        int rc = mbedtls_gcm_update_ad(ctx, NULL, 0);
        if (rc != 0)
            return rc;
    }
    return gcm_finish_tag(ctx, tag, tag_len);
}

static int gcm_update_blocks(mbedtls_gcm_context *ctx, size_t length, const unsigned char *input,
                             unsigned char *output)
#else
int mbedtls_gcm_starts(mbedtls_gcm_context *ctx, int mode, const unsigned char *iv, size_t iv_len,
                       const unsigned char *add, size_t add_len)
{
    return gcm_start_with_ad(ctx, mode, iv, iv_len, add, add_len);
}

int mbedtls_gcm_update(mbedtls_gcm_context *ctx, size_t length, const unsigned char *input,
                       unsigned char *output)
#endif
{
    if (!ctx->started)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    if (length == 0)
        return 0;
    if (input == NULL || output == NULL)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    if (output > input && (size_t)(output - input) < length)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    /* Only the last update may be partial; at most 2^32 - 2 blocks per message. */
    if (ctx->len % 16 != 0 || ctx->len + length < ctx->len || ctx->len + length > 0xFFFFFFFE0ull)
        return MBEDTLS_ERR_GCM_BAD_INPUT;

    resume(ctx, CRYP_PHASE_PAYLOAD);
    int encrypt = ctx->mode == MBEDTLS_GCM_ENCRYPT;
    int rc = stream_padded(input, output, length, encrypt ? ctx->tag_fix : NULL);
    rc = suspend(ctx, rc);
    if (rc != 0)
        return rc;
    inc32(ctx->counter, (uint32_t)((length + 15) / 16));
    ctx->len += length;
    return 0;
}

#if TLSRIG_MBEDTLS_3
static int gcm_finish_tag(mbedtls_gcm_context *ctx, unsigned char *tag, size_t tag_len)
#else
int mbedtls_gcm_finish(mbedtls_gcm_context *ctx, unsigned char *tag, size_t tag_len)
#endif
{
    if (!ctx->started || tag_len > 16 || tag_len < 4 || tag == NULL)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    unsigned char lengths[16], full_tag[16];
    uint64_t abits = ctx->add_len * 8, cbits = ctx->len * 8;
    for (unsigned i = 0; i < 8; i++) {
        lengths[7 - i] = (unsigned char)(abits >> (8 * i));
        lengths[15 - i] = (unsigned char)(cbits >> (8 * i));
    }
    resume(ctx, CRYP_PHASE_FINAL);
    int rc = suspend(ctx, cryp_hw_stream(lengths, full_tag, 1));
    ctx->started = 0;
    if (rc != 0)
        return rc;
    if (ctx->mode == MBEDTLS_GCM_ENCRYPT && ctx->len % 16 != 0) {
        unsigned char err[16];
        gf128_mul(ctx->tag_fix, ctx->h, err);
        gf128_mul(err, ctx->h, err);
        for (unsigned i = 0; i < 16; i++)
            full_tag[i] ^= err[i];
    }
    memcpy(tag, full_tag, tag_len);
    return 0;
}

int mbedtls_gcm_crypt_and_tag(mbedtls_gcm_context *ctx, int mode, size_t length,
                              const unsigned char *iv, size_t iv_len, const unsigned char *add,
                              size_t add_len, const unsigned char *input, unsigned char *output,
                              size_t tag_len, unsigned char *tag)
{
#if TLSRIG_MBEDTLS_3
    int rc = gcm_start_with_ad(ctx, mode, iv, iv_len, add, add_len);
    if (rc == 0)
        rc = gcm_update_blocks(ctx, length, input, output);
    if (rc == 0)
        rc = gcm_finish_tag(ctx, tag, tag_len);
#else
    int rc = mbedtls_gcm_starts(ctx, mode, iv, iv_len, add, add_len);
    if (rc == 0)
        rc = mbedtls_gcm_update(ctx, length, input, output);
    if (rc == 0)
        rc = mbedtls_gcm_finish(ctx, tag, tag_len);
#endif
    return rc;
}

int mbedtls_gcm_auth_decrypt(mbedtls_gcm_context *ctx, size_t length, const unsigned char *iv,
                             size_t iv_len, const unsigned char *add, size_t add_len,
                             const unsigned char *tag, size_t tag_len, const unsigned char *input,
                             unsigned char *output)
{
    unsigned char check[16];
    if (tag == NULL)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    int rc = mbedtls_gcm_crypt_and_tag(ctx, MBEDTLS_GCM_DECRYPT, length, iv, iv_len, add, add_len,
                                       input, output, tag_len, check);
    if (rc != 0)
        return rc;
    unsigned char diff = 0;
    for (size_t i = 0; i < tag_len; i++)
        diff |= (unsigned char)(tag[i] ^ check[i]);
    if (diff != 0) {
        wipe(output, length);
        return MBEDTLS_ERR_GCM_AUTH_FAILED;
    }
    return 0;
}

#endif /* MBEDTLS_GCM_C && MBEDTLS_GCM_ALT */
