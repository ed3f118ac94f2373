/*
 * AES-GCM known answers (the GCM specification's test cases: empty, AAD, partial last block,
 * 64- and 480-bit IVs, AES-256; and a TLS 1.2 record: 13-byte AAD, 12-byte IV), one-shot and
 * streamed, plus authenticated decryption with a good and a damaged tag.
 */
#include "selftest_internal.h"
#include "selftest_vectors.h"

#include "mbedtls/gcm.h"
#include "mbedtls_compat.h"

#include <string.h>

#define MAX_LEN 80

#if defined(MBEDTLS_GCM_C)
/* Streamed encryption in two updates (whole blocks first). 3.0 moved the AAD out of
 * mbedtls_gcm_starts() and gave update and finish output lengths. */
static int streamed(mbedtls_gcm_context *ctx, const selftest_gcm_vector_t *v, size_t first,
                    unsigned char *buf, unsigned char *tag)
{
#if TLSRIG_MBEDTLS_3
    size_t out1 = 0, out2 = 0, out3 = 0;
    int ok =
        mbedtls_gcm_starts(ctx, MBEDTLS_GCM_ENCRYPT, v->iv, v->iv_len) == 0 &&
        mbedtls_gcm_update_ad(ctx, v->aad, v->aad_len) == 0 &&
        mbedtls_gcm_update(ctx, v->plain, first, buf, MAX_LEN, &out1) == 0 &&
        mbedtls_gcm_update(ctx, v->plain + first, v->len - first, buf + first, MAX_LEN - first,
                           &out2) == 0 &&
        mbedtls_gcm_finish(ctx, buf + first + out2, MAX_LEN - first - out2, &out3, tag, 16) == 0;
    return ok && out1 == first && out1 + out2 + out3 == v->len;
#else
    return mbedtls_gcm_starts(ctx, MBEDTLS_GCM_ENCRYPT, v->iv, v->iv_len, v->aad, v->aad_len) ==
               0 &&
           mbedtls_gcm_update(ctx, first, v->plain, buf) == 0 &&
           mbedtls_gcm_update(ctx, v->len - first, v->plain + first, buf + first) == 0 &&
           mbedtls_gcm_finish(ctx, tag, 16) == 0;
#endif
}

static int one_vector(crypto_selftest_result_t *r, const selftest_gcm_vector_t *v)
{
    mbedtls_gcm_context ctx;
    unsigned char buf[MAX_LEN], tag[16];
    mbedtls_gcm_init(&ctx);
    int ok = mbedtls_gcm_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, v->key, v->keybits) == 0 &&
             mbedtls_gcm_crypt_and_tag(&ctx, MBEDTLS_GCM_ENCRYPT, v->len, v->iv, v->iv_len, v->aad,
                                       v->aad_len, v->plain, buf, 16, tag) == 0 &&
             selftest_equal(buf, v->cipher, v->len) && selftest_equal(tag, v->tag, 16);
    selftest_count(r, v->len + v->aad_len);

    /* Streamed: whole blocks first, then the rest (only the last update may be partial). */
    size_t first = (v->len / 2) & ~(size_t)15;
    ok = ok && streamed(&ctx, v, first, buf, tag) && selftest_equal(buf, v->cipher, v->len) &&
         selftest_equal(tag, v->tag, 16);
    selftest_count(r, v->len + v->aad_len);

    ok = ok &&
         mbedtls_gcm_auth_decrypt(&ctx, v->len, v->iv, v->iv_len, v->aad, v->aad_len, v->tag, 16,
                                  v->cipher, buf) == 0 &&
         selftest_equal(buf, v->plain, v->len);
    memcpy(tag, v->tag, 16);
    tag[0] ^= 0x80u;
    ok = ok && mbedtls_gcm_auth_decrypt(&ctx, v->len, v->iv, v->iv_len, v->aad, v->aad_len, tag, 16,
                                        v->cipher, buf) == MBEDTLS_ERR_GCM_AUTH_FAILED;
    selftest_count(r, 2 * (v->len + v->aad_len));
    mbedtls_gcm_free(&ctx);
    return ok;
}

void selftest_aes_gcm(crypto_selftest_result_t *r)
{
    for (size_t i = 0; i < selftest_gcm_vector_count; i++) {
        const selftest_gcm_vector_t *v = &selftest_gcm_vectors[i];
        if (v->len > MAX_LEN)
            continue;
        if (!one_vector(r, v)) {
            selftest_fail(r, v->name);
            return;
        }
    }
}
#else
void selftest_aes_gcm(crypto_selftest_result_t *r)
{
    r->status = CRYPTO_SELFTEST_SKIP;
}
#endif
