/*
 * SHA-1/224/256 known answers (FIPS 180 examples, padding-boundary lengths, 64000 'a'),
 * fed in uneven pieces; two contexts interleaved piece by piece (a TLS handshake keeps several
 * running); a context cloned mid-stream, after which both must go on independently.
 */
#include "selftest_internal.h"
#include "selftest_vectors.h"

#include "mbedtls/sha1.h"
#include "mbedtls/sha256.h"
#include "mbedtls_compat.h"

#include <string.h>

/* One interface over mbedtls_sha1_* and mbedtls_sha256_* (is224 0/1). */
typedef union {
#if defined(MBEDTLS_SHA1_C)
    mbedtls_sha1_context sha1;
#endif
#if defined(MBEDTLS_SHA256_C)
    mbedtls_sha256_context sha256;
#endif
    int unused;
} hash_ctx_t;

typedef struct {
    int kind; /* 1: SHA-1, 224, 256 */
    size_t digest_len;
} hash_kind_t;

static void h_init(const hash_kind_t *k, hash_ctx_t *c)
{
#if defined(MBEDTLS_SHA1_C)
    if (k->kind == 1)
        mbedtls_sha1_init(&c->sha1);
#endif
#if defined(MBEDTLS_SHA256_C)
    if (k->kind != 1)
        mbedtls_sha256_init(&c->sha256);
#endif
}

static void h_free(const hash_kind_t *k, hash_ctx_t *c)
{
#if defined(MBEDTLS_SHA1_C)
    if (k->kind == 1)
        mbedtls_sha1_free(&c->sha1);
#endif
#if defined(MBEDTLS_SHA256_C)
    if (k->kind != 1)
        mbedtls_sha256_free(&c->sha256);
#endif
}

static int h_starts(const hash_kind_t *k, hash_ctx_t *c)
{
#if defined(MBEDTLS_SHA1_C)
    if (k->kind == 1)
        return mbedtls_sha1_starts_ret(&c->sha1);
#endif
#if defined(MBEDTLS_SHA256_C)
    return mbedtls_sha256_starts_ret(&c->sha256, k->kind == 224);
#else
    return -1;
#endif
}

static int h_update(const hash_kind_t *k, hash_ctx_t *c, const unsigned char *d, size_t n)
{
    (void)k; /* unused without SHA-1 */
#if defined(MBEDTLS_SHA1_C)
    if (k->kind == 1)
        return mbedtls_sha1_update_ret(&c->sha1, d, n);
#endif
#if defined(MBEDTLS_SHA256_C)
    return mbedtls_sha256_update_ret(&c->sha256, d, n);
#else
    return -1;
#endif
}

static int h_finish(const hash_kind_t *k, hash_ctx_t *c, unsigned char *out)
{
    (void)k; /* unused without SHA-1 */
#if defined(MBEDTLS_SHA1_C)
    if (k->kind == 1)
        return mbedtls_sha1_finish_ret(&c->sha1, out);
#endif
#if defined(MBEDTLS_SHA256_C)
    return mbedtls_sha256_finish_ret(&c->sha256, out);
#else
    return -1;
#endif
}

static void h_clone(const hash_kind_t *k, hash_ctx_t *dst, const hash_ctx_t *src)
{
#if defined(MBEDTLS_SHA1_C)
    if (k->kind == 1)
        mbedtls_sha1_clone(&dst->sha1, &src->sha1);
#endif
#if defined(MBEDTLS_SHA256_C)
    if (k->kind != 1)
        mbedtls_sha256_clone(&dst->sha256, &src->sha256);
#endif
}

/* Pieces of varying size so blocks are split at every kind of boundary. */
static size_t piece(size_t i)
{
    static const size_t sizes[] = {1, 7, 64, 13, 100, 3, 128, 55};
    return sizes[i % (sizeof(sizes) / sizeof(sizes[0]))];
}

static int known_answers(crypto_selftest_result_t *r, const hash_kind_t *k,
                         const selftest_sha_vector_t *v, size_t count)
{
    hash_ctx_t c;
    unsigned char out[32];
    for (size_t i = 0; i < count; i++, v++) {
        h_init(k, &c);
        int ok = h_starts(k, &c) == 0;
        for (size_t rep = 0; ok && rep < v->repeat; rep++) {
            /* Short texts in one call; long ones in pieces. */
            for (size_t off = 0, p = rep; ok && off < v->text_len; p++) {
                size_t n = v->text_len - off < piece(p) ? v->text_len - off : piece(p);
                ok = h_update(k, &c, v->text + off, n) == 0;
                selftest_count(r, n);
                off += n;
            }
        }
        ok = ok && h_finish(k, &c, out) == 0 && selftest_equal(out, v->digest, k->digest_len);
        h_free(k, &c);
        if (!ok)
            return selftest_fail(r, v->name);
    }
    return 1;
}

#define M448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define M448_LEN 56
#define MSG1_LEN (10 * M448_LEN)
#define MSG2_LEN 700

static void message1(unsigned char *m)
{
    for (size_t i = 0; i < 10; i++)
        memcpy(m + i * M448_LEN, M448, M448_LEN);
}

static void message2(unsigned char *m)
{
    for (size_t i = 0; i < MSG2_LEN; i++)
        m[i] = (unsigned char)((i * 13) & 0xFF);
}

static int interleaved(crypto_selftest_result_t *r, const hash_kind_t *k,
                       const unsigned char *want1, const unsigned char *want2)
{
    unsigned char m1[MSG1_LEN], m2[MSG2_LEN], out1[32], out2[32];
    message1(m1);
    message2(m2);
    hash_ctx_t a, b;
    h_init(k, &a);
    h_init(k, &b);
    int ok = h_starts(k, &a) == 0 && h_starts(k, &b) == 0;
    size_t off1 = 0, off2 = 0;
    for (size_t p = 0; ok && (off1 < MSG1_LEN || off2 < MSG2_LEN); p++) {
        size_t n1 = MSG1_LEN - off1 < piece(p) ? MSG1_LEN - off1 : piece(p);
        size_t n2 = MSG2_LEN - off2 < piece(p + 3) ? MSG2_LEN - off2 : piece(p + 3);
        ok = h_update(k, &a, m1 + off1, n1) == 0 && h_update(k, &b, m2 + off2, n2) == 0;
        selftest_count(r, n1 + n2);
        off1 += n1;
        off2 += n2;
    }
    ok = ok && h_finish(k, &a, out1) == 0 && h_finish(k, &b, out2) == 0 &&
         selftest_equal(out1, want1, k->digest_len) && selftest_equal(out2, want2, k->digest_len);
    h_free(k, &a);
    h_free(k, &b);
    return ok ? 1 : selftest_fail(r, "interleaved contexts");
}

static int cloned(crypto_selftest_result_t *r, const hash_kind_t *k, const unsigned char *want1,
                  const unsigned char *want_tail)
{
    unsigned char m1[MSG1_LEN], out1[32], out2[32];
    static const char tail[] = SELFTEST_CLONE_TAIL;
    message1(m1);
    hash_ctx_t a, b;
    h_init(k, &a);
    h_init(k, &b);
    /* 100 bytes: one block in the engine and 36 bytes pending at the clone. */
    int ok = h_starts(k, &a) == 0 && h_update(k, &a, m1, 100) == 0;
    h_clone(k, &b, &a);
    ok = ok && h_update(k, &a, m1 + 100, MSG1_LEN - 100) == 0 &&
         h_update(k, &b, (const unsigned char *)tail, sizeof(tail) - 1) == 0 &&
         h_finish(k, &b, out2) == 0 && h_finish(k, &a, out1) == 0 &&
         selftest_equal(out1, want1, k->digest_len) &&
         selftest_equal(out2, want_tail, k->digest_len);
    selftest_count(r, MSG1_LEN + sizeof(tail) - 1);
    h_free(k, &a);
    h_free(k, &b);
    return ok ? 1 : selftest_fail(r, "clone mid-stream");
}

static void run(crypto_selftest_result_t *r, const hash_kind_t *k, const selftest_sha_vector_t *v,
                size_t count, const unsigned char *i1, const unsigned char *i2,
                const unsigned char *tail)
{
    if (known_answers(r, k, v, count) && interleaved(r, k, i1, i2))
        cloned(r, k, i1, tail);
}

#if defined(MBEDTLS_SHA1_C)
void selftest_sha1(crypto_selftest_result_t *r)
{
    static const hash_kind_t k = {1, 20};
    run(r, &k, selftest_sha1_vectors, selftest_sha1_vector_count, selftest_sha1_interleave1,
        selftest_sha1_interleave2, selftest_sha1_clone_tail);
}
#else
void selftest_sha1(crypto_selftest_result_t *r)
{
    r->status = CRYPTO_SELFTEST_SKIP;
}
#endif

#if defined(MBEDTLS_SHA256_C)
void selftest_sha224(crypto_selftest_result_t *r)
{
    static const hash_kind_t k = {224, 28};
    run(r, &k, selftest_sha224_vectors, selftest_sha224_vector_count, selftest_sha224_interleave1,
        selftest_sha224_interleave2, selftest_sha224_clone_tail);
}

void selftest_sha256(crypto_selftest_result_t *r)
{
    static const hash_kind_t k = {256, 32};
    run(r, &k, selftest_sha256_vectors, selftest_sha256_vector_count, selftest_sha256_interleave1,
        selftest_sha256_interleave2, selftest_sha256_clone_tail);
}
#else
void selftest_sha224(crypto_selftest_result_t *r)
{
    r->status = CRYPTO_SELFTEST_SKIP;
}

void selftest_sha256(crypto_selftest_result_t *r)
{
    r->status = CRYPTO_SELFTEST_SKIP;
}
#endif
