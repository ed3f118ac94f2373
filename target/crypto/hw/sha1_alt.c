/*
 * MBEDTLS_SHA1_ALT on the STM32F4 HASH engine: the functions library/sha1.c leaves out when
 * MBEDTLS_SHA1_ALT is set (mbedtls_sha1_ret() stays in mbedTLS and calls these).
 */
#include "mbedtls/sha1.h"
#include "mbedtls_compat.h"

#if defined(MBEDTLS_SHA1_C) && defined(MBEDTLS_SHA1_ALT)

static int map_error(int rc)
{
    if (rc == HW_HASH_ERR_BAD_INPUT)
        return MBEDTLS_ERR_SHA1_BAD_INPUT_DATA;
    return rc == 0 ? 0 : MBEDTLS_ERR_SHA1_HW_ACCEL_FAILED;
}

void mbedtls_sha1_init(mbedtls_sha1_context *ctx)
{
    hw_hash_init(&ctx->hw);
}

void mbedtls_sha1_free(mbedtls_sha1_context *ctx)
{
    if (ctx != NULL)
        hw_hash_free(&ctx->hw);
}

void mbedtls_sha1_clone(mbedtls_sha1_context *dst, const mbedtls_sha1_context *src)
{
    hw_hash_clone(&dst->hw, &src->hw);
}

int mbedtls_sha1_starts_ret(mbedtls_sha1_context *ctx)
{
    return map_error(hw_hash_start(&ctx->hw, HASH_CR_ALGO_SHA1));
}

int mbedtls_sha1_update_ret(mbedtls_sha1_context *ctx, const unsigned char *input, size_t ilen)
{
    return map_error(hw_hash_update(&ctx->hw, input, ilen));
}

int mbedtls_sha1_finish_ret(mbedtls_sha1_context *ctx, unsigned char output[20])
{
    return map_error(hw_hash_finish(&ctx->hw, output, 5u));
}

/* See mbedtls_internal_sha256_process(). */
int mbedtls_internal_sha1_process(mbedtls_sha1_context *ctx, const unsigned char data[64])
{
    return mbedtls_sha1_update_ret(ctx, data, 64);
}

#endif /* MBEDTLS_SHA1_C && MBEDTLS_SHA1_ALT */
