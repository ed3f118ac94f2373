/*
 * SHA-1/224/256 self-tests through wolfCrypt with the device's devId (see wolf_selftest_cipher.c):
 * the FIPS vectors in uneven pieces, two hashes interleaved, a hash copied mid-stream. SHA-224
 * runs in wolfSSL's software (5.7.2 does not route it to a callback); SKIP without it.
 *
 * The copy is used before its source goes on: wolfSSL copies a hash with memcpy, unseen by the
 * device, which clones the engine state at the copy's first use (wolf_hw_hash.c).
 */
#include "wolf_hw_internal.h"

#include <wolfssl/wolfcrypt/sha.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include "selftest_internal.h"
#include "selftest_vectors.h"

#include <string.h>

typedef union {
#if !defined(NO_SHA)
    wc_Sha sha1;
#endif
#if defined(WOLFSSL_SHA224)
    wc_Sha224 sha224;
#endif
    wc_Sha256 sha256;
} hash_obj_t;

static int h_init(int kind, hash_obj_t *h)
{
    switch (kind) {
#if !defined(NO_SHA)
    case 1:
        return wc_InitSha_ex(&h->sha1, NULL, TLSRIG_WOLF_HW_DEVID);
#endif
#if defined(WOLFSSL_SHA224)
    case 224:
        return wc_InitSha224_ex(&h->sha224, NULL, TLSRIG_WOLF_HW_DEVID);
#endif
    default:
        return wc_InitSha256_ex(&h->sha256, NULL, TLSRIG_WOLF_HW_DEVID);
    }
}

static int h_update(int kind, hash_obj_t *h, const unsigned char *d, size_t n)
{
    switch (kind) {
#if !defined(NO_SHA)
    case 1:
        return wc_ShaUpdate(&h->sha1, d, (word32)n);
#endif
#if defined(WOLFSSL_SHA224)
    case 224:
        return wc_Sha224Update(&h->sha224, d, (word32)n);
#endif
    default:
        return wc_Sha256Update(&h->sha256, d, (word32)n);
    }
}

static int h_final(int kind, hash_obj_t *h, unsigned char *out)
{
    switch (kind) {
#if !defined(NO_SHA)
    case 1:
        return wc_ShaFinal(&h->sha1, out);
#endif
#if defined(WOLFSSL_SHA224)
    case 224:
        return wc_Sha224Final(&h->sha224, out);
#endif
    default:
        return wc_Sha256Final(&h->sha256, out);
    }
}

static int h_copy(int kind, hash_obj_t *src, hash_obj_t *dst)
{
    switch (kind) {
#if !defined(NO_SHA)
    case 1:
        return wc_ShaCopy(&src->sha1, &dst->sha1);
#endif
#if defined(WOLFSSL_SHA224)
    case 224:
        return wc_Sha224Copy(&src->sha224, &dst->sha224);
#endif
    default:
        return wc_Sha256Copy(&src->sha256, &dst->sha256);
    }
}

static void h_free(int kind, hash_obj_t *h)
{
    switch (kind) {
#if !defined(NO_SHA)
    case 1:
        wc_ShaFree(&h->sha1);
        break;
#endif
#if defined(WOLFSSL_SHA224)
    case 224:
        wc_Sha224Free(&h->sha224);
        break;
#endif
    default:
        wc_Sha256Free(&h->sha256);
        break;
    }
}

/* The piece sizes of target/crypto/selftest/selftest_sha.c. */
static size_t piece(size_t i)
{
    static const size_t sizes[] = {1, 7, 64, 13, 100, 3, 128, 55};
    return sizes[i % (sizeof(sizes) / sizeof(sizes[0]))];
}

static int known_answers(crypto_selftest_result_t *r, int kind, size_t dlen,
                         const selftest_sha_vector_t *v, size_t count)
{
    hash_obj_t h;
    unsigned char out[32];
    for (size_t i = 0; i < count; i++, v++) {
        int ok = h_init(kind, &h) == 0;
        for (size_t rep = 0; ok && rep < v->repeat; rep++) {
            for (size_t off = 0, p = rep; ok && off < v->text_len; p++) {
                size_t n = v->text_len - off < piece(p) ? v->text_len - off : piece(p);
                ok = h_update(kind, &h, v->text + off, n) == 0;
                selftest_count(r, n);
                off += n;
            }
        }
        ok = ok && h_final(kind, &h, out) == 0 && selftest_equal(out, v->digest, dlen);
        h_free(kind, &h);
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

static int interleaved(crypto_selftest_result_t *r, int kind, size_t dlen,
                       const unsigned char *want1, const unsigned char *want2)
{
    unsigned char m1[MSG1_LEN], m2[MSG2_LEN], out1[32], out2[32];
    message1(m1);
    for (size_t i = 0; i < MSG2_LEN; i++)
        m2[i] = (unsigned char)((i * 13) & 0xFF);
    hash_obj_t a, b;
    int ok = h_init(kind, &a) == 0 && h_init(kind, &b) == 0;
    size_t off1 = 0, off2 = 0;
    for (size_t p = 0; ok && (off1 < MSG1_LEN || off2 < MSG2_LEN); p++) {
        size_t n1 = MSG1_LEN - off1 < piece(p) ? MSG1_LEN - off1 : piece(p);
        size_t n2 = MSG2_LEN - off2 < piece(p + 3) ? MSG2_LEN - off2 : piece(p + 3);
        ok = h_update(kind, &a, m1 + off1, n1) == 0 && h_update(kind, &b, m2 + off2, n2) == 0;
        selftest_count(r, n1 + n2);
        off1 += n1;
        off2 += n2;
    }
    ok = ok && h_final(kind, &a, out1) == 0 && h_final(kind, &b, out2) == 0 &&
         selftest_equal(out1, want1, dlen) && selftest_equal(out2, want2, dlen);
    h_free(kind, &a);
    h_free(kind, &b);
    return ok ? 1 : selftest_fail(r, "interleaved contexts");
}

static int copied(crypto_selftest_result_t *r, int kind, size_t dlen, const unsigned char *want1,
                  const unsigned char *want_tail)
{
    unsigned char m1[MSG1_LEN], out1[32], out2[32];
    static const char tail[] = SELFTEST_CLONE_TAIL;
    message1(m1);
    hash_obj_t a, b;
    /* 100 bytes: one block in the engine and 36 bytes pending at the copy. */
    int ok = h_init(kind, &a) == 0 && h_update(kind, &a, m1, 100) == 0 && h_copy(kind, &a, &b) == 0;
    ok = ok && h_update(kind, &b, (const unsigned char *)tail, sizeof(tail) - 1) == 0 &&
         h_update(kind, &a, m1 + 100, MSG1_LEN - 100) == 0 && h_final(kind, &b, out2) == 0 &&
         h_final(kind, &a, out1) == 0 && selftest_equal(out1, want1, dlen) &&
         selftest_equal(out2, want_tail, dlen);
    selftest_count(r, MSG1_LEN + sizeof(tail) - 1);
    h_free(kind, &a);
    h_free(kind, &b);
    return ok ? 1 : selftest_fail(r, "clone mid-stream");
}

static void run(crypto_selftest_result_t *r, int kind, size_t dlen, const selftest_sha_vector_t *v,
                size_t count, const unsigned char *i1, const unsigned char *i2,
                const unsigned char *tail)
{
    if (known_answers(r, kind, dlen, v, count) && interleaved(r, kind, dlen, i1, i2))
        copied(r, kind, dlen, i1, tail);
}

void selftest_sha1(crypto_selftest_result_t *r)
{
#if !defined(NO_SHA)
    run(r, 1, 20, selftest_sha1_vectors, selftest_sha1_vector_count, selftest_sha1_interleave1,
        selftest_sha1_interleave2, selftest_sha1_clone_tail);
#else
    r->status = CRYPTO_SELFTEST_SKIP;
#endif
}

void selftest_sha224(crypto_selftest_result_t *r)
{
#if defined(WOLFSSL_SHA224)
    run(r, 224, 28, selftest_sha224_vectors, selftest_sha224_vector_count,
        selftest_sha224_interleave1, selftest_sha224_interleave2, selftest_sha224_clone_tail);
#else
    r->status = CRYPTO_SELFTEST_SKIP;
#endif
}

void selftest_sha256(crypto_selftest_result_t *r)
{
    run(r, 256, 32, selftest_sha256_vectors, selftest_sha256_vector_count,
        selftest_sha256_interleave1, selftest_sha256_interleave2, selftest_sha256_clone_tail);
}
