/*
 * MBEDTLS_SHA256_ALT on the STM32F4 HASH engine: the functions library/sha256.c leaves out
 * when MBEDTLS_SHA256_ALT is set (mbedtls_sha256_ret() stays in mbedTLS and calls these).
 */
#include "mbedtls/sha256.h"
#include "mbedtls_compat.h"

#if defined(MBEDTLS_SHA256_C) && defined(MBEDTLS_SHA256_ALT)

static int map_error(int rc)
{
    if (rc == HW_HASH_ERR_BAD_INPUT)
        return MBEDTLS_ERR_SHA256_BAD_INPUT_DATA;
    return rc == 0 ? 0 : MBEDTLS_ERR_SHA256_HW_ACCEL_FAILED;
}

void mbedtls_sha256_init(mbedtls_sha256_context *ctx)
{
    hw_hash_init(&ctx->hw);
    ctx->is224 = 0;
}

void mbedtls_sha256_free(mbedtls_sha256_context *ctx)
{
    if (ctx != NULL)
        hw_hash_free(&ctx->hw);
}

void mbedtls_sha256_clone(mbedtls_sha256_context *dst, const mbedtls_sha256_context *src)
{
    hw_hash_clone(&dst->hw, &src->hw);
    dst->is224 = src->is224;
}

int mbedtls_sha256_starts_ret(mbedtls_sha256_context *ctx, int is224)
{
    if (is224 != 0 && is224 != 1)
        return MBEDTLS_ERR_SHA256_BAD_INPUT_DATA;
    ctx->is224 = is224;
    return map_error(hw_hash_start(&ctx->hw, is224 ? HASH_CR_ALGO_SHA224 : HASH_CR_ALGO_SHA256));
}

int mbedtls_sha256_update_ret(mbedtls_sha256_context *ctx, const unsigned char *input, size_t ilen)
{
    return map_error(hw_hash_update(&ctx->hw, input, ilen));
}

int mbedtls_sha256_finish_ret(mbedtls_sha256_context *ctx, TLSRIG_SHA256_OUTPUT(output))
{
    return map_error(hw_hash_finish(&ctx->hw, output, ctx->is224 ? 7u : 8u));
}

/*
 * The engine has no "compress one block, no length" entry point; mbedTLS only calls this from
 * update() in the software code. Feeding the block keeps the digest of the whole stream right.
 */
int mbedtls_internal_sha256_process(mbedtls_sha256_context *ctx, const unsigned char data[64])
{
    return mbedtls_sha256_update_ret(ctx, data, 64);
}

#endif /* MBEDTLS_SHA256_C && MBEDTLS_SHA256_ALT */
