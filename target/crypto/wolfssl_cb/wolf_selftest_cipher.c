/*
 * The known-answer self-tests of target/crypto/selftest (the same vectors, names and report)
 * through wolfCrypt's API with the device's devId, for wolfSSL images: the agent's SELFTEST then
 * names a faulty primitive on wolfSSL as it does on mbedTLS. AES-ECB, AES-CBC, AES-GCM here;
 * AES-CTR is SKIP (not offloaded, and TLS does not use it).
 */
#include "wolf_hw_internal.h"

#include <wolfssl/wolfcrypt/aes.h>

#include "selftest_internal.h"
#include "selftest_vectors.h"

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

#if !defined(HAVE_AES_ECB)
/* A sw image's profile without ECB (selftest_aes_ecb() skips): the shared helpers below
 * still name the calls, never made. */
#define wc_AesEcbEncrypt(aes, out, in, len) ((void)(aes), (void)(out), (void)(in), (void)(len), -1)
#define wc_AesEcbDecrypt(aes, out, in, len) ((void)(aes), (void)(out), (void)(in), (void)(len), -1)
#endif

/* ECB vectors carry no IV (an empty string): wolfSSL would read 16 bytes of it. */
static const unsigned char *iv_of(const selftest_aes_vector_t *v)
{
    return v->mode == SELFTEST_AES_ECB ? NULL : v->iv;
}

static int set_key(Aes *aes, const unsigned char *key, unsigned keybits, const unsigned char *iv,
                   int dir)
{
    return wc_AesInit(aes, NULL, TLSRIG_WOLF_HW_DEVID) == 0 &&
           wc_AesSetKey(aes, key, keybits / 8, iv, dir) == 0;
}

/* One pass of a vector (ECB or CBC) in one direction; CBC decryption in two calls. */
static int crypt_vector(const selftest_aes_vector_t *v, int enc, unsigned char *buf)
{
    Aes aes;
    int ok = set_key(&aes, v->key, v->keybits, iv_of(v), enc ? AES_ENCRYPTION : AES_DECRYPTION);
    const unsigned char *in = enc ? v->plain : v->cipher;
    word32 len = (word32)v->len;
    if (ok && v->mode == SELFTEST_AES_ECB)
        ok = (enc ? wc_AesEcbEncrypt(&aes, buf, in, len) : wc_AesEcbDecrypt(&aes, buf, in, len)) ==
             0;
    else if (ok && enc)
        ok = wc_AesCbcEncrypt(&aes, buf, in, len) == 0;
    else if (ok) {
        /* In place, in two calls: the IV must chain across calls. */
        memcpy(buf, in, v->len);
        ok = wc_AesCbcDecrypt(&aes, buf, buf, 16) == 0 &&
             wc_AesCbcDecrypt(&aes, buf + 16, buf + 16, len - 16) == 0;
    }
    wc_AesFree(&aes);
    return ok && selftest_equal(buf, enc ? v->cipher : v->plain, v->len);
}

/* AES-128 and AES-256 objects taking turns block by block (a key register not reloaded). */
static int interleaved(selftest_aes_mode_t mode, crypto_selftest_result_t *r)
{
    const selftest_aes_vector_t *a = find(mode, 128), *b = find(mode, 256);
    if (a == NULL || b == NULL)
        return 1;
    Aes x, y;
    unsigned char buf[16];
    int ok = set_key(&x, a->key, 128, iv_of(a), AES_ENCRYPTION) &&
             set_key(&y, b->key, 256, iv_of(b), AES_ENCRYPTION);
    for (size_t off = 0; ok && off < a->len && off < b->len; off += 16) {
        ok = (mode == SELFTEST_AES_ECB ? wc_AesEcbEncrypt(&x, buf, a->plain + off, 16)
                                       : wc_AesCbcEncrypt(&x, buf, a->plain + off, 16)) == 0 &&
             selftest_equal(buf, a->cipher + off, 16);
        ok = ok &&
             (mode == SELFTEST_AES_ECB ? wc_AesEcbEncrypt(&y, buf, b->plain + off, 16)
                                       : wc_AesCbcEncrypt(&y, buf, b->plain + off, 16)) == 0 &&
             selftest_equal(buf, b->cipher + off, 16);
        selftest_count(r, 32);
    }
    wc_AesFree(&x);
    wc_AesFree(&y);
    return ok;
}

static void run_mode(crypto_selftest_result_t *r, selftest_aes_mode_t mode, const char *interleave)
{
    unsigned char buf[MAX_LEN];
    for (size_t i = 0; i < selftest_aes_vector_count; i++) {
        const selftest_aes_vector_t *v = &selftest_aes_vectors[i];
        if (v->mode != mode || v->len > MAX_LEN)
            continue;
        int ok = crypt_vector(v, 1, buf) && crypt_vector(v, 0, buf);
        selftest_count(r, 2 * v->len);
        if (!ok) {
            selftest_fail(r, v->name);
            return;
        }
    }
    if (!interleaved(mode, r))
        selftest_fail(r, interleave);
}

void selftest_aes_ecb(crypto_selftest_result_t *r)
{
#if defined(HAVE_AES_ECB)
    run_mode(r, SELFTEST_AES_ECB, "ECB interleaved contexts (AES-128/AES-256)");
#else
    r->status = CRYPTO_SELFTEST_SKIP;
#endif
}

void selftest_aes_cbc(crypto_selftest_result_t *r)
{
#if defined(HAVE_AES_CBC)
    run_mode(r, SELFTEST_AES_CBC, "CBC interleaved contexts (AES-128/AES-256)");
#else
    r->status = CRYPTO_SELFTEST_SKIP;
#endif
}

void selftest_aes_ctr(crypto_selftest_result_t *r)
{
    r->status = CRYPTO_SELFTEST_SKIP;
}

#if defined(HAVE_AESGCM)
static int gcm_vector(crypto_selftest_result_t *r, const selftest_gcm_vector_t *v)
{
    Aes aes;
    unsigned char buf[MAX_LEN], tag[16];
    int ok = wc_AesInit(&aes, NULL, TLSRIG_WOLF_HW_DEVID) == 0 &&
             wc_AesGcmSetKey(&aes, v->key, v->keybits / 8) == 0 &&
             wc_AesGcmEncrypt(&aes, buf, v->plain, (word32)v->len, v->iv, (word32)v->iv_len, tag,
                              16, v->aad, (word32)v->aad_len) == 0 &&
             selftest_equal(buf, v->cipher, v->len) && selftest_equal(tag, v->tag, 16);
    ok = ok &&
         wc_AesGcmDecrypt(&aes, buf, v->cipher, (word32)v->len, v->iv, (word32)v->iv_len, v->tag,
                          16, v->aad, (word32)v->aad_len) == 0 &&
         selftest_equal(buf, v->plain, v->len);
    memcpy(tag, v->tag, 16);
    tag[0] ^= 0x80u;
    ok = ok && wc_AesGcmDecrypt(&aes, buf, v->cipher, (word32)v->len, v->iv, (word32)v->iv_len, tag,
                                16, v->aad, (word32)v->aad_len) == AES_GCM_AUTH_E;
    selftest_count(r, 3 * (v->len + v->aad_len));
    wc_AesFree(&aes);
    return ok;
}
#endif

void selftest_aes_gcm(crypto_selftest_result_t *r)
{
#if defined(HAVE_AESGCM)
    for (size_t i = 0; i < selftest_gcm_vector_count; i++) {
        const selftest_gcm_vector_t *v = &selftest_gcm_vectors[i];
        if (v->len > MAX_LEN)
            continue;
        if (!gcm_vector(r, v)) {
            selftest_fail(r, v->name);
            return;
        }
    }
#else
    r->status = CRYPTO_SELFTEST_SKIP;
#endif
}
