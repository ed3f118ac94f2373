/*
 * MBEDTLS_GCM_ALT on the STM32F4 CRYP: the whole gcm.h API over the shared GCM driver
 * (gcm_hw.c: the engine's phases, non-96-bit IVs, the F4 partial-block erratum).
 */
#include "mbedtls/gcm.h"

#if defined(MBEDTLS_GCM_C) && defined(MBEDTLS_GCM_ALT)

#include "gcm_hw.h"
#include "mbedtls/cipher.h"
#include "mbedtls_compat.h"

#include <string.h>

#define GCM_HW_FAILED MBEDTLS_ERR_GCM_HW_ACCEL_FAILED

static int map_error(int rc)
{
    if (rc == GCM_HW_ERR_BAD_INPUT)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    return rc == 0 ? 0 : GCM_HW_FAILED;
}

void mbedtls_gcm_init(mbedtls_gcm_context *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
}

void mbedtls_gcm_free(mbedtls_gcm_context *ctx)
{
    if (ctx != NULL)
        gcm_hw_wipe(ctx, sizeof(*ctx));
}

int mbedtls_gcm_setkey(mbedtls_gcm_context *ctx, mbedtls_cipher_id_t cipher,
                       const unsigned char *key, unsigned int keybits)
{
    if (cipher != MBEDTLS_CIPHER_ID_AES)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    int rc = gcm_hw_setkey(&ctx->hw, ctx, key, keybits);
    if (rc == GCM_HW_ERR_BAD_INPUT)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    /* The whole context starts afresh, as when setkey cleared it in one go. */
    ctx->mode = 0;
    memset(ctx->iv, 0, sizeof(ctx->iv));
    ctx->iv_len = 0;
    ctx->pending_iv = 0;
    return map_error(rc);
}

/* The init phase, then the AAD (header phase); 2.x passes both to starts(), 3.x the AAD to
 * update_ad() (once, before any payload: the engine's header phase cannot be resumed). */
static int gcm_start_with_ad(mbedtls_gcm_context *ctx, int mode, const unsigned char *iv,
                             size_t iv_len, const unsigned char *add, size_t add_len)
{
    if (mode != MBEDTLS_GCM_ENCRYPT && mode != MBEDTLS_GCM_DECRYPT)
        return MBEDTLS_ERR_GCM_BAD_INPUT;
    ctx->mode = mode;
    return map_error(gcm_hw_start(&ctx->hw, mode == MBEDTLS_GCM_DECRYPT, iv, iv_len, add, add_len));
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
    ctx->hw.started = 0;
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
    return map_error(gcm_hw_update(&ctx->hw, input, output, length));
}

#if TLSRIG_MBEDTLS_3
static int gcm_finish_tag(mbedtls_gcm_context *ctx, unsigned char *tag, size_t tag_len)
#else
int mbedtls_gcm_finish(mbedtls_gcm_context *ctx, unsigned char *tag, size_t tag_len)
#endif
{
    return map_error(gcm_hw_finish(&ctx->hw, tag, tag_len));
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
        gcm_hw_wipe(output, length);
        return MBEDTLS_ERR_GCM_AUTH_FAILED;
    }
    return 0;
}

#endif /* MBEDTLS_GCM_C && MBEDTLS_GCM_ALT */
