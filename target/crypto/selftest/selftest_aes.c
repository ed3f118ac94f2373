/*
 * AES ECB/CBC/CTR known answers (SP 800-38A), both directions, plus two contexts with
 * different keys used alternately (catches a key register that is not reloaded).
 */
#include "selftest_internal.h"
#include "selftest_vectors.h"

#include "mbedtls/aes.h"

#include <string.h>

#define MAX_LEN 96

static const selftest_aes_vector_t *find(selftest_aes_mode_t mode, unsigned keybits)
{
    for (size_t i = 0; i < selftest_aes_vector_count; i++) {
        if (selftest_aes_vectors[i].mode == mode && selftest_aes_vectors[i].keybits == keybits)
            return &selftest_aes_vectors[i];
    }
    return NULL;
}

void selftest_aes_ecb(crypto_selftest_result_t *r)
{
    mbedtls_aes_context enc, dec, other;
    unsigned char buf[16];
    for (size_t i = 0; i < selftest_aes_vector_count; i++) {
        const selftest_aes_vector_t *v = &selftest_aes_vectors[i];
        if (v->mode != SELFTEST_AES_ECB)
            continue;
        mbedtls_aes_init(&enc);
        mbedtls_aes_init(&dec);
        int ok = mbedtls_aes_setkey_enc(&enc, v->key, v->keybits) == 0 &&
                 mbedtls_aes_setkey_dec(&dec, v->key, v->keybits) == 0;
        for (size_t off = 0; ok && off < v->len; off += 16) {
            ok = mbedtls_aes_crypt_ecb(&enc, MBEDTLS_AES_ENCRYPT, v->plain + off, buf) == 0 &&
                 selftest_equal(buf, v->cipher + off, 16);
            ok = ok &&
                 mbedtls_aes_crypt_ecb(&dec, MBEDTLS_AES_DECRYPT, v->cipher + off, buf) == 0 &&
                 selftest_equal(buf, v->plain + off, 16);
            selftest_count(r, 32);
        }
        mbedtls_aes_free(&enc);
        mbedtls_aes_free(&dec);
        if (!ok) {
            selftest_fail(r, v->name);
            return;
        }
    }
    /* Interleaved: AES-128 and AES-256 contexts take turns, block by block. */
    const selftest_aes_vector_t *a = find(SELFTEST_AES_ECB, 128), *b = find(SELFTEST_AES_ECB, 256);
    if (a == NULL || b == NULL)
        return;
    mbedtls_aes_init(&enc);
    mbedtls_aes_init(&other);
    int ok = mbedtls_aes_setkey_enc(&enc, a->key, 128) == 0 &&
             mbedtls_aes_setkey_enc(&other, b->key, 256) == 0;
    for (size_t off = 0; ok && off < a->len && off < b->len; off += 16) {
        ok = mbedtls_aes_crypt_ecb(&enc, MBEDTLS_AES_ENCRYPT, a->plain + off, buf) == 0 &&
             selftest_equal(buf, a->cipher + off, 16);
        ok = ok && mbedtls_aes_crypt_ecb(&other, MBEDTLS_AES_ENCRYPT, b->plain + off, buf) == 0 &&
             selftest_equal(buf, b->cipher + off, 16);
        selftest_count(r, 32);
    }
    mbedtls_aes_free(&enc);
    mbedtls_aes_free(&other);
    if (!ok)
        selftest_fail(r, "ECB interleaved contexts (AES-128/AES-256)");
}

#if defined(MBEDTLS_CIPHER_MODE_CBC)
void selftest_aes_cbc(crypto_selftest_result_t *r)
{
    mbedtls_aes_context ctx, ctx2;
    unsigned char iv[16], iv2[16], buf[MAX_LEN];
    for (size_t i = 0; i < selftest_aes_vector_count; i++) {
        const selftest_aes_vector_t *v = &selftest_aes_vectors[i];
        if (v->mode != SELFTEST_AES_CBC || v->len > MAX_LEN)
            continue;
        mbedtls_aes_init(&ctx);
        memcpy(iv, v->iv, 16);
        int ok = mbedtls_aes_setkey_enc(&ctx, v->key, v->keybits) == 0 &&
                 mbedtls_aes_crypt_cbc(&ctx, MBEDTLS_AES_ENCRYPT, v->len, iv, v->plain, buf) == 0 &&
                 selftest_equal(buf, v->cipher, v->len) &&
                 selftest_equal(iv, v->cipher + v->len - 16, 16);
        /* Decrypt in place, in two calls: the IV must chain across calls. */
        memcpy(iv, v->iv, 16);
        memcpy(buf, v->cipher, v->len);
        ok = ok && mbedtls_aes_setkey_dec(&ctx, v->key, v->keybits) == 0 &&
             mbedtls_aes_crypt_cbc(&ctx, MBEDTLS_AES_DECRYPT, 16, iv, buf, buf) == 0 &&
             mbedtls_aes_crypt_cbc(&ctx, MBEDTLS_AES_DECRYPT, v->len - 16, iv, buf + 16,
                                   buf + 16) == 0 &&
             selftest_equal(buf, v->plain, v->len);
        selftest_count(r, 3 * v->len);
        mbedtls_aes_free(&ctx);
        if (!ok) {
            selftest_fail(r, v->name);
            return;
        }
    }
    const selftest_aes_vector_t *a = find(SELFTEST_AES_CBC, 128), *b = find(SELFTEST_AES_CBC, 256);
    if (a == NULL || b == NULL)
        return;
    mbedtls_aes_init(&ctx);
    mbedtls_aes_init(&ctx2);
    memcpy(iv, a->iv, 16);
    memcpy(iv2, b->iv, 16);
    int ok = mbedtls_aes_setkey_enc(&ctx, a->key, 128) == 0 &&
             mbedtls_aes_setkey_enc(&ctx2, b->key, 256) == 0;
    for (size_t off = 0; ok && off < a->len && off < b->len; off += 16) {
        ok = mbedtls_aes_crypt_cbc(&ctx, MBEDTLS_AES_ENCRYPT, 16, iv, a->plain + off, buf) == 0 &&
             selftest_equal(buf, a->cipher + off, 16);
        ok = ok &&
             mbedtls_aes_crypt_cbc(&ctx2, MBEDTLS_AES_ENCRYPT, 16, iv2, b->plain + off, buf) == 0 &&
             selftest_equal(buf, b->cipher + off, 16);
        selftest_count(r, 32);
    }
    mbedtls_aes_free(&ctx);
    mbedtls_aes_free(&ctx2);
    if (!ok)
        selftest_fail(r, "CBC interleaved contexts (AES-128/AES-256)");
}
#else
void selftest_aes_cbc(crypto_selftest_result_t *r)
{
    r->status = CRYPTO_SELFTEST_SKIP;
}
#endif

#if defined(MBEDTLS_CIPHER_MODE_CTR)
void selftest_aes_ctr(crypto_selftest_result_t *r)
{
    mbedtls_aes_context ctx;
    unsigned char counter[16], stream[16], buf[MAX_LEN];
    for (size_t i = 0; i < selftest_aes_vector_count; i++) {
        const selftest_aes_vector_t *v = &selftest_aes_vectors[i];
        if (v->mode != SELFTEST_AES_CTR || v->len > MAX_LEN)
            continue;
        mbedtls_aes_init(&ctx);
        size_t off = 0;
        memcpy(counter, v->iv, 16);
        int ok = mbedtls_aes_setkey_enc(&ctx, v->key, v->keybits) == 0 &&
                 mbedtls_aes_crypt_ctr(&ctx, v->len, &off, counter, stream, v->plain, buf) == 0 &&
                 selftest_equal(buf, v->cipher, v->len);
        selftest_count(r, v->len);
        /* Again in odd pieces (5, 17, rest): the keystream offset carries across calls. */
        static const size_t pieces[] = {5, 17};
        size_t done = 0;
        off = 0;
        memcpy(counter, v->iv, 16);
        for (size_t p = 0; ok && p < 2 && done + pieces[p] <= v->len; p++) {
            ok = mbedtls_aes_crypt_ctr(&ctx, pieces[p], &off, counter, stream, v->cipher + done,
                                       buf + done) == 0;
            done += pieces[p];
            selftest_count(r, pieces[p]);
        }
        ok = ok &&
             mbedtls_aes_crypt_ctr(&ctx, v->len - done, &off, counter, stream, v->cipher + done,
                                   buf + done) == 0 &&
             selftest_equal(buf, v->plain, v->len);
        selftest_count(r, v->len - done);
        mbedtls_aes_free(&ctx);
        if (!ok) {
            selftest_fail(r, v->name);
            return;
        }
    }
}
#else
void selftest_aes_ctr(crypto_selftest_result_t *r)
{
    r->status = CRYPTO_SELFTEST_SKIP;
}
#endif
