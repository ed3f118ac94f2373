/*
 * ALT drivers over the sim models, compared with an independent software reference (OpenSSL):
 * GCM with AAD and odd lengths (the F4 partial-block erratum), non-96-bit IVs, unaligned
 * buffers, CTR counter wrap (the engine counts 32 bits), interleaved and cloned SHA contexts,
 * interleaved GCM/AES contexts, HMAC through mbedtls_md, CTR-DRBG on the RNG, and error paths.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "hw_driver_fault.h"
#include "mbedtls/aes.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/entropy.h"
#include "mbedtls/gcm.h"
#include "mbedtls/md.h"
#include "mbedtls/sha1.h"
#include "mbedtls/sha256.h"
#include "ossl_ref.h"
#include "periph_sim.h"
#include "rng_hw.h"

static void fresh(void)
{
    periph_sim_reset();
    hw_driver_fault_clear_all();
    hw_rng_reset();
}

TestSuite(hwcrypto_drivers, .init = fresh);

static void fill(unsigned char *b, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)((i * 131u + seed * 7u + (i >> 3)) & 0xFFu);
}

static const unsigned char key256[32] = {
    0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
    0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4};

Test(hwcrypto_drivers, gcm_odd_lengths_and_aad_match_reference)
{
    static const size_t aad_lens[] = {0, 1, 13, 16, 17, 33};
    static const size_t iv_lens[] = {12, 8, 16};
    static const unsigned keybits[] = {128, 192, 256};
    unsigned char in[80], out[80], back[80], ref[80], tag[16], ref_tag[16], aad[40], iv[16];
    fill(aad, sizeof(aad), 1);
    fill(iv, sizeof(iv), 2);
    mbedtls_gcm_context ctx;
    mbedtls_gcm_init(&ctx);
    for (size_t k = 0; k < 3; k++) {
        cr_assert_eq(mbedtls_gcm_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, key256, keybits[k]), 0);
        for (size_t len = 0; len <= 70; len += (len < 34 ? 1 : 9)) {
            for (size_t a = 0; a < 6; a++) {
                size_t ivl = iv_lens[(len + a) % 3];
                fill(in, len, (unsigned)len);
                cr_assert_eq(mbedtls_gcm_crypt_and_tag(&ctx, MBEDTLS_GCM_ENCRYPT, len, iv, ivl, aad,
                                                       aad_lens[a], in, out, 16, tag),
                             0);
                ossl_gcm(key256, keybits[k], iv, ivl, aad, aad_lens[a], in, len, ref, ref_tag);
                cr_assert_arr_eq(out, ref, len, "ciphertext len=%zu aad=%zu iv=%zu", len,
                                 aad_lens[a], ivl);
                cr_assert_arr_eq(tag, ref_tag, 16, "tag len=%zu aad=%zu iv=%zu key=%u", len,
                                 aad_lens[a], ivl, keybits[k]);
                cr_assert_eq(mbedtls_gcm_auth_decrypt(&ctx, len, iv, ivl, aad, aad_lens[a], tag, 16,
                                                      out, back),
                             0);
                cr_assert_arr_eq(back, in, len);
            }
        }
    }
    mbedtls_gcm_free(&ctx);
}

Test(hwcrypto_drivers, unaligned_buffers)
{
    unsigned char raw_in[300], raw_out[300], ref[256], iv[16], iv_ref[16], tag[16], ref_tag[16];
    for (size_t off = 1; off < 4; off++) {
        unsigned char *in = raw_in + off, *out = raw_out + 4 - off;
        fill(in, 256, (unsigned)off);
        fill(iv, 16, 9);

        mbedtls_aes_context aes;
        mbedtls_aes_init(&aes);
        cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key256, 256), 0);
        memcpy(iv_ref, iv, 16);
        cr_assert_eq(mbedtls_aes_crypt_cbc(&aes, MBEDTLS_AES_ENCRYPT, 64, iv, in, out), 0);
        ossl_aes("cbc", key256, 256, iv_ref, in, 64, ref);
        cr_assert_arr_eq(out, ref, 64, "CBC at offset %zu", off);

        size_t nc_off = 0;
        unsigned char stream[16];
        fill(iv, 16, 9);
        memcpy(iv_ref, iv, 16);
        cr_assert_eq(mbedtls_aes_crypt_ctr(&aes, 50, &nc_off, iv, stream, in, out), 0);
        ossl_aes("ctr", key256, 256, iv_ref, in, 50, ref);
        cr_assert_arr_eq(out, ref, 50, "CTR at offset %zu", off);
        mbedtls_aes_free(&aes);

        mbedtls_gcm_context gcm;
        mbedtls_gcm_init(&gcm);
        cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key256, 128), 0);
        cr_assert_eq(mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, 45, iv, 12, in + 100, 13,
                                               in, out, 16, tag),
                     0);
        ossl_gcm(key256, 128, iv, 12, in + 100, 13, in, 45, ref, ref_tag);
        cr_assert_arr_eq(out, ref, 45);
        cr_assert_arr_eq(tag, ref_tag, 16, "GCM tag at offset %zu", off);
        mbedtls_gcm_free(&gcm);

        unsigned char digest[32], ref_digest[32];
        cr_assert_eq(mbedtls_sha256_ret(in, 200, digest, 0), 0);
        ossl_digest("sha256", in, 200, ref_digest);
        cr_assert_arr_eq(digest, ref_digest, 32, "SHA-256 at offset %zu", off);
    }
}

Test(hwcrypto_drivers, ctr_counter_wrap_matches_reference)
{
    /* Low counter words just below 2^32, and the all-ones block (128-bit wrap). */
    static const unsigned char tails[][4] = {
        {0xff, 0xff, 0xff, 0xff}, {0xff, 0xff, 0xff, 0xfd}, {0x7f, 0xff, 0xff, 0xff}};
    unsigned char in[400], out[400], ref[400], counter[16], start[16], stream[16];
    fill(in, sizeof(in), 5);
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key256, 128), 0);
    for (size_t t = 0; t < 4; t++) {
        memset(start, t == 3 ? 0xff : 0x00, 16);
        if (t < 3) {
            start[0] = 0x42;
            start[11] = 0xff; /* a carry out of the low word ripples further */
            memcpy(start + 12, tails[t], 4);
        }
        memcpy(counter, start, 16);
        size_t nc_off = 0, done = 0;
        static const size_t pieces[] = {3, 29, 16, 100, 1, 200, 51};
        for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
            cr_assert_eq(mbedtls_aes_crypt_ctr(&aes, pieces[p], &nc_off, counter, stream, in + done,
                                               out + done),
                         0);
            done += pieces[p];
        }
        ossl_aes("ctr", key256, 128, start, in, done, ref);
        cr_assert_arr_eq(out, ref, done, "counter case %zu", t);
    }
    mbedtls_aes_free(&aes);
}

/* Deterministic chunk sizes, 1..150. */
static size_t chunk(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return 1 + (*state >> 16) % 150;
}

Test(hwcrypto_drivers, sha_interleaved_and_cloned_contexts_match_reference)
{
    unsigned char msg[3][2000];
    for (int i = 0; i < 3; i++)
        fill(msg[i], sizeof(msg[i]), 20u + (unsigned)i);
    mbedtls_sha256_context s256, s224, c256, cc256;
    mbedtls_sha1_context s1, c1;
    mbedtls_sha256_init(&s256);
    mbedtls_sha256_init(&s224);
    mbedtls_sha256_init(&c256);
    mbedtls_sha256_init(&cc256);
    mbedtls_sha1_init(&s1);
    mbedtls_sha1_init(&c1);
    cr_assert_eq(mbedtls_sha256_starts_ret(&s256, 0), 0);
    cr_assert_eq(mbedtls_sha256_starts_ret(&s224, 1), 0);
    cr_assert_eq(mbedtls_sha1_starts_ret(&s1), 0);

    size_t off[3] = {0, 0, 0}, clone_at256 = 0, clone_at1 = 0, clone2_at = 0;
    unsigned rnd = 7;
    int cloned256 = 0, cloned1 = 0, cloned2 = 0;
    /* Three algorithms share the engine; clones are taken mid-stream along the way. */
    while (off[0] < 2000 || off[1] < 2000 || off[2] < 2000) {
        for (int i = 0; i < 3; i++) {
            size_t n = chunk(&rnd);
            if (off[i] + n > 2000)
                n = 2000 - off[i];
            if (i == 0)
                cr_assert_eq(mbedtls_sha256_update_ret(&s256, msg[0] + off[0], n), 0);
            else if (i == 1)
                cr_assert_eq(mbedtls_sha256_update_ret(&s224, msg[1] + off[1], n), 0);
            else
                cr_assert_eq(mbedtls_sha1_update_ret(&s1, msg[2] + off[2], n), 0);
            off[i] += n;
        }
        if (!cloned256 && off[0] > 700) { /* s256 is not the engine's owner here */
            mbedtls_sha256_clone(&c256, &s256);
            clone_at256 = off[0];
            cloned256 = 1;
        }
        if (!cloned1 && off[2] > 300) { /* s1 was the last to run: it is the owner */
            mbedtls_sha1_clone(&c1, &s1);
            clone_at1 = off[2];
            cloned1 = 1;
        }
        if (cloned256 && !cloned2 && off[0] > 1200) { /* clone of a clone */
            mbedtls_sha256_clone(&cc256, &c256);
            clone2_at = clone_at256;
            cloned2 = 1;
        }
    }
    cr_assert(cloned256 && cloned1 && cloned2);
    /* The clones finish with the sources' own remainder, in other chunkings. */
    cr_assert_eq(mbedtls_sha256_update_ret(&c256, msg[0] + clone_at256, 2000 - clone_at256), 0);
    cr_assert_eq(mbedtls_sha1_update_ret(&c1, msg[2] + clone_at1, 10), 0);
    cr_assert_eq(mbedtls_sha1_update_ret(&c1, msg[2] + clone_at1 + 10, 2000 - clone_at1 - 10), 0);
    cr_assert_eq(mbedtls_sha256_update_ret(&cc256, msg[1], 64), 0); /* diverges */

    unsigned char d[32], ref[32];
    unsigned char other[2000 + 64];
    struct {
        const char *what;
        int is1;
        mbedtls_sha256_context *c256;
        mbedtls_sha1_context *c1;
        const char *alg;
        const unsigned char *m;
        size_t len;
    } checks[] = {
        {"sha256", 0, &s256, NULL, "sha256", msg[0], 2000},
        {"sha224", 0, &s224, NULL, "sha224", msg[1], 2000},
        {"sha1", 1, NULL, &s1, "sha1", msg[2], 2000},
        {"sha256 clone", 0, &c256, NULL, "sha256", msg[0], 2000},
        {"sha1 clone", 1, NULL, &c1, "sha1", msg[2], 2000},
        {"clone of clone", 0, &cc256, NULL, "sha256", other, clone2_at + 64},
    };
    memcpy(other, msg[0], clone2_at);
    memcpy(other + clone2_at, msg[1], 64);
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        if (checks[i].is1)
            cr_assert_eq(mbedtls_sha1_finish_ret(checks[i].c1, d), 0);
        else
            cr_assert_eq(mbedtls_sha256_finish_ret(checks[i].c256, d), 0);
        size_t n = ossl_digest(checks[i].alg, checks[i].m, checks[i].len, ref);
        cr_assert_arr_eq(d, ref, n, "%s", checks[i].what);
    }
    mbedtls_sha256_free(&s256);
    mbedtls_sha256_free(&s224);
    mbedtls_sha256_free(&c256);
    mbedtls_sha256_free(&cc256);
    mbedtls_sha1_free(&s1);
    mbedtls_sha1_free(&c1);
}

Test(hwcrypto_drivers, interleaved_gcm_and_cbc_contexts)
{
    unsigned char in[2][96], out[2][96], ref[96], tag[16], ref_tag[16], iv[12], aad[13];
    unsigned char cbc_iv[16], cbc_ref_iv[16], cbc_out[48], cbc_ref[48];
    fill(in[0], 96, 1);
    fill(in[1], 96, 2);
    fill(iv, 12, 3);
    fill(aad, 13, 4);
    fill(cbc_iv, 16, 5);
    memcpy(cbc_ref_iv, cbc_iv, 16);
    mbedtls_gcm_context g[2];
    mbedtls_aes_context cbc;
    mbedtls_aes_init(&cbc);
    cr_assert_eq(mbedtls_aes_setkey_enc(&cbc, key256 + 8, 192), 0);
    for (int i = 0; i < 2; i++) {
        mbedtls_gcm_init(&g[i]);
        cr_assert_eq(mbedtls_gcm_setkey(&g[i], MBEDTLS_CIPHER_ID_AES, key256 + 16 * i, 128), 0);
        cr_assert_eq(mbedtls_gcm_starts(&g[i], MBEDTLS_GCM_ENCRYPT, iv, 12, aad, 13), 0);
    }
    /* 32-byte steps alternate between the two GCM streams and a CBC stream; last is partial. */
    for (size_t off = 0; off < 90; off += 32) {
        size_t n = off + 32 <= 90 ? 32 : 90 - off;
        for (int i = 0; i < 2; i++)
            cr_assert_eq(mbedtls_gcm_update(&g[i], n, in[i] + off, out[i] + off), 0);
        cr_assert_eq(mbedtls_aes_crypt_cbc(&cbc, MBEDTLS_AES_ENCRYPT, 16, cbc_iv, in[0] + off,
                                           cbc_out + off / 2),
                     0);
    }
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(mbedtls_gcm_finish(&g[i], tag, 16), 0);
        ossl_gcm(key256 + 16 * i, 128, iv, 12, aad, 13, in[i], 90, ref, ref_tag);
        cr_assert_arr_eq(out[i], ref, 90, "stream %d", i);
        cr_assert_arr_eq(tag, ref_tag, 16, "stream %d tag", i);
        mbedtls_gcm_free(&g[i]);
    }
    unsigned char cbc_in[48];
    for (size_t k = 0; k < 3; k++)
        memcpy(cbc_in + 16 * k, in[0] + 32 * k, 16);
    ossl_aes("cbc", key256 + 8, 192, cbc_ref_iv, cbc_in, 48, cbc_ref);
    cr_assert_arr_eq(cbc_out, cbc_ref, 48);
    mbedtls_aes_free(&cbc);
}

Test(hwcrypto_drivers, hmac_sha256_through_md_matches_reference)
{
    unsigned char key[70], msg[333], mac[32], ref[32];
    fill(key, sizeof(key), 11);
    fill(msg, sizeof(msg), 12);
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    cr_assert_not_null(info);
    for (size_t kl = 1; kl <= sizeof(key); kl += 23) {
        cr_assert_eq(mbedtls_md_hmac(info, key, kl, msg, sizeof(msg), mac), 0);
        ossl_hmac_sha256(key, kl, msg, sizeof(msg), ref);
        cr_assert_arr_eq(mac, ref, 32, "key length %zu", kl);
    }
}

Test(hwcrypto_drivers, ctr_drbg_seeds_from_the_rng)
{
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    unsigned char a[64], b[64], zero[64] = {0};
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    cr_assert_eq(mbedtls_entropy_add_source(&entropy, hw_rng_entropy, NULL, 32,
                                            MBEDTLS_ENTROPY_SOURCE_STRONG),
                 0);
    cr_assert_eq(mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, NULL, 0), 0);
    cr_assert_eq(mbedtls_ctr_drbg_random(&drbg, a, sizeof(a)), 0);
    cr_assert_eq(mbedtls_ctr_drbg_random(&drbg, b, sizeof(b)), 0);
    cr_assert_arr_neq(a, b, sizeof(a));
    cr_assert_arr_neq(a, zero, sizeof(a));
    hw_rng_stats_t stats;
    hw_rng_get_stats(&stats);
    cr_assert_gt(stats.words, 8);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
}

Test(hwcrypto_drivers, rng_errors_stop_seeding)
{
    static const char *const faults[] = {"rng-seed-error", "rng-clock-error", "rng-stuck"};
    for (size_t i = 0; i < 3; i++) {
        fresh();
        cr_assert_eq(periph_fault_set(faults[i], 1), 0);
        unsigned char out[32];
        size_t olen = 99;
        cr_assert_eq(hw_rng_entropy(NULL, out, sizeof(out), &olen),
                     MBEDTLS_ERR_ENTROPY_SOURCE_FAILED, "%s", faults[i]);
        hw_rng_stats_t stats;
        hw_rng_get_stats(&stats);
        unsigned long by_cause = i == 0   ? stats.seed_errors
                                 : i == 1 ? stats.clock_errors
                                          : stats.repeats;
        cr_assert_eq(by_cause, 1, "%s", faults[i]);
    }
}

Test(hwcrypto_drivers, bad_input_is_refused)
{
    mbedtls_aes_context aes;
    mbedtls_gcm_context gcm;
    unsigned char buf[32] = {0}, iv[16] = {0}, tag[16];
    mbedtls_aes_init(&aes);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key256, 100), MBEDTLS_ERR_AES_INVALID_KEY_LENGTH);
    cr_assert_eq(mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, buf, buf),
                 MBEDTLS_ERR_AES_BAD_INPUT_DATA, "no key yet");
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key256, 128), 0);
    cr_assert_eq(mbedtls_aes_crypt_cbc(&aes, MBEDTLS_AES_ENCRYPT, 17, iv, buf, buf),
                 MBEDTLS_ERR_AES_INVALID_INPUT_LENGTH);
    size_t off = 16;
    cr_assert_eq(mbedtls_aes_crypt_ctr(&aes, 1, &off, iv, buf, buf, buf),
                 MBEDTLS_ERR_AES_BAD_INPUT_DATA);
    mbedtls_aes_free(&aes);

    mbedtls_gcm_init(&gcm);
    cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_CAMELLIA, key256, 128),
                 MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key256, 128), 0);
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 0, NULL, 0),
                 MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 12, NULL, 0), 0);
    cr_assert_eq(mbedtls_gcm_update(&gcm, 5, buf, buf + 16), 0);
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, buf, buf + 16), MBEDTLS_ERR_GCM_BAD_INPUT,
                 "only the last update may be partial");
    cr_assert_eq(mbedtls_gcm_finish(&gcm, tag, 3), MBEDTLS_ERR_GCM_BAD_INPUT);
    cr_assert_eq(mbedtls_gcm_finish(&gcm, tag, 16), 0);
    cr_assert_eq(mbedtls_gcm_update(&gcm, 16, buf, buf + 16), MBEDTLS_ERR_GCM_BAD_INPUT,
                 "finished");
    mbedtls_gcm_free(&gcm);

    mbedtls_sha256_context sha;
    mbedtls_sha256_init(&sha);
    cr_assert_eq(mbedtls_sha256_update_ret(&sha, buf, 4), MBEDTLS_ERR_SHA256_BAD_INPUT_DATA,
                 "not started");
    cr_assert_eq(mbedtls_sha256_starts_ret(&sha, 2), MBEDTLS_ERR_SHA256_BAD_INPUT_DATA);
    mbedtls_sha256_free(&sha);
    cr_assert_eq(periph_bus_errors(), 0, "the drivers touched an unmodelled register");
}
