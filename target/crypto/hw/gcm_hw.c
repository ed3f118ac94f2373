/*
 * AES-GCM on the STM32F4 CRYP; see gcm_hw.h. Moved out of gcm_alt.c unchanged so the mbedTLS
 * ALT driver and the wolfSSL crypto callback device share one GCM driver.
 *
 * F4 erratum: when encrypting, the engine hashes the full 16-byte output of a zero-padded
 * partial last block, i.e. keystream bytes where GHASH wants zeros. GHASH is linear, so the
 * error in the tag is D * H^2 (D = those stray bytes; one more block, the lengths, follows).
 * finish() removes it in software, the same correction ST's HAL makes.
 */
#include "gcm_hw.h"

#include "cryp_hw.h"
#include "stm32_regs.h"

#include <string.h>

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

void gcm_hw_wipe(void *p, size_t n)
{
    volatile unsigned char *b = p;
    while (n--)
        *b++ = 0;
}

static uint32_t gcm_cr(const gcm_hw_state_t *ctx, unsigned phase)
{
    return cryp_hw_cr(CRYP_ALGO_AES_GCM, ctx->keybits, ctx->decrypt) |
           (phase << CRYP_CR_GCM_CCMPH_SHIFT);
}

int gcm_hw_setkey_h(gcm_hw_state_t *ctx, const void *owner, const unsigned char *key,
                    unsigned keybits, const unsigned char h[16])
{
    if (keybits != 128 && keybits != 192 && keybits != 256)
        return GCM_HW_ERR_BAD_INPUT;
    memset(ctx, 0, sizeof(*ctx));
    ctx->owner = owner;
    memcpy(ctx->key, key, keybits / 8);
    ctx->keybits = keybits;
    memcpy(ctx->h, h, 16);
    return 0;
}

int gcm_hw_setkey(gcm_hw_state_t *ctx, const void *owner, const unsigned char *key,
                  unsigned keybits)
{
    static const unsigned char zero[16];
    int rc = gcm_hw_setkey_h(ctx, owner, key, keybits, zero);
    if (rc != 0)
        return rc;
    /* H = E(K, 0): one ECB block. */
    uint32_t cr = cryp_hw_cr(CRYP_ALGO_AES_ECB, keybits, 0);
    cryp_hw_load_key(ctx->owner, ctx->key, keybits);
    cryp_hw_configure(cr);
    cryp_hw_enable(cr);
    rc = cryp_hw_stream(zero, ctx->h, 1);
    cryp_hw_disable();
    return rc == 0 ? 0 : GCM_HW_ERR_HW;
}

/* Put the engine into `phase` with this context's saved state, enabled. */
static void resume(gcm_hw_state_t *ctx, unsigned phase)
{
    uint32_t cr = gcm_cr(ctx, phase);
    cryp_hw_load_key(ctx->owner, ctx->key, ctx->keybits);
    cryp_hw_configure(cr);
    cryp_hw_restore_gcm_context(ctx->cs);
    cryp_hw_set_iv(ctx->counter);
    cryp_hw_enable(cr);
}

static int suspend(gcm_hw_state_t *ctx, int rc)
{
    if (rc == 0)
        rc = cryp_hw_wait_idle();
    cryp_hw_disable();
    cryp_hw_save_gcm_context(ctx->cs);
    return rc == 0 ? 0 : GCM_HW_ERR_HW;
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

/* The init phase, then the AAD (header phase: once, before any payload, since the engine's
 * header phase cannot be resumed). */
int gcm_hw_start(gcm_hw_state_t *ctx, int decrypt, const unsigned char *iv, size_t iv_len,
                 const unsigned char *add, size_t add_len)
{
    if (ctx->keybits == 0 || iv == NULL || (add_len != 0 && add == NULL))
        return GCM_HW_ERR_BAD_INPUT;
    if (iv_len == 0 || ((uint64_t)iv_len) >> 61 != 0 || ((uint64_t)add_len) >> 61 != 0)
        return GCM_HW_ERR_BAD_INPUT;

    ctx->decrypt = decrypt != 0;
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
    cryp_hw_load_key(ctx->owner, ctx->key, ctx->keybits);
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

int gcm_hw_update(gcm_hw_state_t *ctx, const unsigned char *input, unsigned char *output,
                  size_t length)
{
    if (!ctx->started)
        return GCM_HW_ERR_BAD_INPUT;
    if (length == 0)
        return 0;
    if (input == NULL || output == NULL)
        return GCM_HW_ERR_BAD_INPUT;
    if (output > input && (size_t)(output - input) < length)
        return GCM_HW_ERR_BAD_INPUT;
    /* Only the last update may be partial; at most 2^32 - 2 blocks per message. */
    if (ctx->len % 16 != 0 || ctx->len + length < ctx->len || ctx->len + length > 0xFFFFFFFE0ull)
        return GCM_HW_ERR_BAD_INPUT;

    resume(ctx, CRYP_PHASE_PAYLOAD);
    int encrypt = !ctx->decrypt;
    int rc = stream_padded(input, output, length, encrypt ? ctx->tag_fix : NULL);
    rc = suspend(ctx, rc);
    if (rc != 0)
        return rc;
    inc32(ctx->counter, (uint32_t)((length + 15) / 16));
    ctx->len += length;
    return 0;
}

int gcm_hw_finish(gcm_hw_state_t *ctx, unsigned char *tag, size_t tag_len)
{
    if (!ctx->started || tag_len > 16 || tag_len < 4 || tag == NULL)
        return GCM_HW_ERR_BAD_INPUT;
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
    if (!ctx->decrypt && ctx->len % 16 != 0) {
        unsigned char err[16];
        gf128_mul(ctx->tag_fix, ctx->h, err);
        gf128_mul(err, ctx->h, err);
        for (unsigned i = 0; i < 16; i++)
            full_tag[i] ^= err[i];
    }
    memcpy(tag, full_tag, tag_len);
    return 0;
}
