/*
 * Driver contracts the known-answer tests do not reach: contexts wiped by free (and nothing
 * past them), the internal single-block entry points, empty and refused inputs, a damaged GCM
 * tag wiping the output, the RNG's exact word stream (first word only for comparison, the
 * continuous test against the previous word, the error flags cleared), hash state after finish.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "cryp_hw.h"
#include "hash_hw.h"
#include "hw_driver_fault.h"
#include "mbedtls/aes.h"
#include "mbedtls/entropy.h"
#include "mbedtls/gcm.h"
#include "mbedtls/sha1.h"
#include "mbedtls/sha256.h"
#include "ossl_ref.h"
#include "periph_sim.h"
#include "rng_hw.h"
#include "stm32_regs.h"

static void fresh(void)
{
    periph_sim_reset();
    hw_driver_fault_clear_all();
    hw_rng_reset();
}

TestSuite(hwcrypto_driver_contracts, .init = fresh);

static const unsigned char key[32] = {
    0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
    0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4};

static int all_bytes(const void *p, size_t n, unsigned char v)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != v)
            return 0;
    }
    return 1;
}

/* A context followed by a guard: free must zero the one and leave the other. */
#define GUARDED(type)                                                                              \
    struct {                                                                                       \
        type ctx;                                                                                  \
        unsigned char guard[32];                                                                   \
    }

Test(hwcrypto_driver_contracts, free_wipes_exactly_the_context)
{
    unsigned char d[32];
    GUARDED(mbedtls_aes_context) aes;
    memset(&aes, 0xA5, sizeof(aes)); /* init must not rely on zeroed memory */
    mbedtls_aes_init(&aes.ctx);
    cr_assert_eq(mbedtls_aes_crypt_ecb(&aes.ctx, MBEDTLS_AES_ENCRYPT, d, d),
                 MBEDTLS_ERR_AES_BAD_INPUT_DATA, "init leaves a context without a key");
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes.ctx, key, 256), 0);
    mbedtls_aes_free(&aes.ctx);
    cr_assert(all_bytes(&aes.ctx, sizeof(aes.ctx), 0), "AES key left in memory");
    cr_assert(all_bytes(aes.guard, sizeof(aes.guard), 0xA5), "AES free wrote past the context");

    GUARDED(mbedtls_gcm_context) gcm;
    memset(&gcm, 0xA5, sizeof(gcm));
    mbedtls_gcm_init(&gcm.ctx);
    cr_assert_eq(mbedtls_gcm_update(&gcm.ctx, 16, d, d), MBEDTLS_ERR_GCM_BAD_INPUT,
                 "init leaves a context that is not started");
    cr_assert_eq(mbedtls_gcm_starts(&gcm.ctx, MBEDTLS_GCM_ENCRYPT, d, 12, NULL, 0),
                 MBEDTLS_ERR_GCM_BAD_INPUT, "init leaves a context without a key");
    cr_assert_eq(mbedtls_gcm_setkey(&gcm.ctx, MBEDTLS_CIPHER_ID_AES, key, 128), 0);
    mbedtls_gcm_free(&gcm.ctx);
    cr_assert(all_bytes(&gcm.ctx, sizeof(gcm.ctx), 0), "GCM key left in memory");
    cr_assert(all_bytes(gcm.guard, sizeof(gcm.guard), 0xA5));

    GUARDED(mbedtls_sha256_context) sha;
    memset(sha.guard, 0xA5, sizeof(sha.guard));
    mbedtls_sha256_init(&sha.ctx);
    cr_assert_eq(mbedtls_sha256_starts_ret(&sha.ctx, 0), 0);
    cr_assert_eq(mbedtls_sha256_update_ret(&sha.ctx, key, 32), 0);
    mbedtls_sha256_free(&sha.ctx);
    cr_assert(all_bytes(&sha.ctx.hw, sizeof(sha.ctx.hw), 0), "buffered message left in memory");
    cr_assert(all_bytes(sha.guard, sizeof(sha.guard), 0xA5));

    GUARDED(mbedtls_sha1_context) s1;
    memset(&s1, 0xA5, sizeof(s1)); /* init must not rely on zeroed memory */
    mbedtls_sha1_init(&s1.ctx);
    cr_assert_eq(mbedtls_sha1_update_ret(&s1.ctx, key, 4), MBEDTLS_ERR_SHA1_BAD_INPUT_DATA,
                 "init leaves a context that is not started");
    cr_assert_eq(mbedtls_sha1_starts_ret(&s1.ctx), 0);
    cr_assert_eq(mbedtls_sha1_update_ret(&s1.ctx, key, 32), 0);
    mbedtls_sha1_free(&s1.ctx);
    cr_assert(all_bytes(&s1.ctx, sizeof(s1.ctx), 0), "SHA-1 context left in memory");
    cr_assert(all_bytes(s1.guard, sizeof(s1.guard), 0xA5), "SHA-1 free wrote past the context");
    memset(&sha, 0xA5, sizeof(sha));
    mbedtls_sha256_init(&sha.ctx);
    cr_assert_eq(mbedtls_sha256_update_ret(&sha.ctx, key, 4), MBEDTLS_ERR_SHA256_BAD_INPUT_DATA);
    mbedtls_aes_free(NULL);
    mbedtls_gcm_free(NULL);
    mbedtls_sha256_free(NULL);
    mbedtls_sha1_free(NULL);
    /* The engine is free for the next context. */
    cr_assert_eq(mbedtls_sha256_ret(key, 3, d, 0), 0);
}

Test(hwcrypto_driver_contracts, a_freed_context_is_never_touched_again)
{
    /* Free the engine's owner, then let other data occupy its memory (here: bytes that look
     * like the old context). The next context taking the engine must not save into it. */
    unsigned char msg[64], d[32];
    memset(msg, 'm', sizeof(msg));
    mbedtls_sha256_context a;
    mbedtls_sha256_init(&a);
    cr_assert_eq(mbedtls_sha256_starts_ret(&a, 0), 0);
    cr_assert_eq(mbedtls_sha256_update_ret(&a, msg, sizeof(msg)), 0); /* a owns the engine */
    unsigned char look_alike[sizeof(a)];
    memcpy(look_alike, &a, sizeof(a));
    mbedtls_sha256_free(&a);
    memcpy(&a, look_alike, sizeof(a));
    cr_assert_eq(mbedtls_sha256_ret(msg, sizeof(msg), d, 0), 0);
    cr_assert_arr_eq(&a, look_alike, sizeof(a), "the driver wrote into freed memory");
}

static int engine_enabled(void)
{
    return (periph_read32(CRYP_CR) & CRYP_CR_CRYPEN) != 0;
}

Test(hwcrypto_driver_contracts, the_engine_is_left_disabled_between_operations)
{
    /* Between operations CRYPEN is 0: nothing written to DIN by anyone else is processed, and
     * the next operation's configuration is taken (RM0090 configures with CRYPEN = 0). */
    unsigned char buf[48] = {0}, iv[16] = {0}, stream[16], tag[16];
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key, 128), 0);
    cr_assert_eq(mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, buf, buf), 0);
    cr_assert_not(engine_enabled(), "after ECB");
    cr_assert_eq(mbedtls_aes_crypt_cbc(&aes, MBEDTLS_AES_ENCRYPT, 32, iv, buf, buf), 0);
    cr_assert_not(engine_enabled(), "after CBC");
    size_t off = 0;
    cr_assert_eq(mbedtls_aes_crypt_ctr(&aes, 21, &off, iv, stream, buf, buf), 0);
    cr_assert_not(engine_enabled(), "after CTR");
    mbedtls_aes_free(&aes);
    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 128), 0);
    cr_assert_not(engine_enabled(), "after GCM setkey");
    cr_assert_eq(mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 12, buf, 20), 0);
    cr_assert_not(engine_enabled(), "after GCM starts");
    cr_assert_eq(mbedtls_gcm_update(&gcm, 32, buf, buf), 0);
    cr_assert_not(engine_enabled(), "after GCM update");
    cr_assert_eq(mbedtls_gcm_finish(&gcm, tag, 16), 0);
    cr_assert_not(engine_enabled(), "after GCM finish");
    mbedtls_gcm_free(&gcm);
}

Test(hwcrypto_driver_contracts, internal_block_functions_are_ecb)
{
    unsigned char in[16] = "0123456789abcdef", out[16], back[16], ref[16];
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key, 128), 0);
    cr_assert_eq(mbedtls_internal_aes_encrypt(&aes, in, out), 0);
    ossl_aes("ecb", key, 128, NULL, in, 16, ref);
    cr_assert_arr_eq(out, ref, 16);
    cr_assert_eq(mbedtls_aes_setkey_dec(&aes, key, 128), 0);
    cr_assert_eq(mbedtls_internal_aes_decrypt(&aes, out, back), 0);
    cr_assert_arr_eq(back, in, 16);
    cr_assert_eq(mbedtls_aes_crypt_ecb(&aes, 7, in, out), MBEDTLS_ERR_AES_BAD_INPUT_DATA);
    unsigned char iv[16] = {0};
    cr_assert_eq(mbedtls_aes_crypt_cbc(&aes, 7, 16, iv, in, out), MBEDTLS_ERR_AES_BAD_INPUT_DATA);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key, 192), 0);
    cr_assert_eq(mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, in, out), 0);
    ossl_aes("ecb", key, 192, NULL, in, 16, ref);
    cr_assert_arr_eq(out, ref, 16, "AES-192 key");
    mbedtls_aes_free(&aes);
}

Test(hwcrypto_driver_contracts, empty_cbc_touches_nothing)
{
    unsigned char iv[16], iv0[16], buf[32];
    memset(iv, 0x11, 16);
    memcpy(iv0, iv, 16);
    memset(buf, 0x22, sizeof(buf));
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key, 128), 0);
    cr_assert_eq(mbedtls_aes_crypt_cbc(&aes, MBEDTLS_AES_ENCRYPT, 0, iv, buf, buf + 16), 0);
    cr_assert_arr_eq(iv, iv0, 16);
    cr_assert(all_bytes(buf, sizeof(buf), 0x22));
    mbedtls_aes_free(&aes);
}

Test(hwcrypto_driver_contracts, ctr_resumes_inside_a_keystream_block)
{
    unsigned char in[64], out[64], ref[64], ctr[16], ctr0[16], stream[16];
    for (unsigned i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(3 * i);
    memset(ctr0, 0xF0, 16);
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key, 256), 0);
    ossl_aes("ctr", key, 256, ctr0, in, sizeof(in), ref);
    /* Offsets 15 and 1 into a keystream block, and a piece that ends on a block boundary. */
    static const size_t pieces[] = {15, 2, 15, 16, 1, 15};
    memcpy(ctr, ctr0, 16);
    size_t off = 0, done = 0;
    for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
        cr_assert_eq(
            mbedtls_aes_crypt_ctr(&aes, pieces[p], &off, ctr, stream, in + done, out + done), 0);
        done += pieces[p];
        cr_assert_eq(off, done % 16, "nc_off after %zu bytes", done);
    }
    cr_assert_arr_eq(out, ref, done);
    mbedtls_aes_free(&aes);
}

Test(hwcrypto_driver_contracts, ctr_runs_across_the_engine_counter_wrap)
{
    /* Multi-block calls whose low counter word wraps inside the run: the driver must split the
     * run exactly there (the engine does not carry), and a 128-bit wrap writes nothing outside
     * the counter. */
    static const unsigned char tails[][4] = {
        {0xff, 0xff, 0xff, 0xfe}, {0xff, 0xff, 0xff, 0xfc}, {0xff, 0xff, 0xff, 0xff}};
    unsigned char in[96], out[96], ref[96], start[16], stream[16];
    struct {
        unsigned char before[16];
        unsigned char counter[16];
        unsigned char after[16];
    } g;
    for (unsigned i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(5 * i + 1);
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key, 128), 0);
    for (size_t t = 0; t < 4; t++) {
        memset(start, t == 3 ? 0xff : 0x3c, 16);
        if (t < 3)
            memcpy(start + 12, tails[t], 4);
        memset(g.before, 0xA5, 16);
        memset(g.after, 0xA5, 16);
        memcpy(g.counter, start, 16);
        size_t off = 0;
        cr_assert_eq(mbedtls_aes_crypt_ctr(&aes, sizeof(in), &off, g.counter, stream, in, out), 0);
        ossl_aes("ctr", key, 128, start, in, sizeof(in), ref);
        cr_assert_arr_eq(out, ref, sizeof(in), "counter case %zu", t);
        cr_assert(all_bytes(g.before, 16, 0xA5), "case %zu: wrote before the counter", t);
        cr_assert(all_bytes(g.after, 16, 0xA5), "case %zu: wrote after the counter", t);
    }
    mbedtls_aes_free(&aes);
}

Test(hwcrypto_driver_contracts, cryp_iv_registers_read_back_big_endian)
{
    /* cryp_hw_get_iv() reads what the engine left in IV0..1 L/R: after one CBC block, the
     * ciphertext (the next chaining value), byte for byte. */
    unsigned char iv[16], back[16], pt[16], ct[16], ref[16];
    for (unsigned i = 0; i < 16; i++) {
        iv[i] = (unsigned char)(0xF0u + i);
        pt[i] = (unsigned char)i;
    }
    cryp_hw_set_iv(iv);
    cryp_hw_get_iv(back);
    cr_assert_arr_eq(back, iv, 16);
    cr_assert_eq(periph_read32(CRYP_IVLR(0)), 0xF0F1F2F3u, "IV0LR holds bytes 0..3, big-endian");
    uint32_t cr = cryp_hw_cr(CRYP_ALGO_AES_CBC, 128, 0);
    cryp_hw_load_key(&iv, key, 128);
    cryp_hw_configure(cr);
    cryp_hw_set_iv(iv);
    cryp_hw_enable(cr);
    cr_assert_eq(cryp_hw_stream(pt, ct, 1), 0);
    cryp_hw_disable();
    ossl_aes("cbc", key, 128, iv, pt, 16, ref);
    cr_assert_arr_eq(ct, ref, 16);
    cryp_hw_get_iv(back);
    cr_assert_arr_eq(back, ct, 16);
}

Test(hwcrypto_driver_contracts, ctr_splits_at_the_wrap_of_each_low_word_byte_pattern)
{
    /* Low counter word ff fe ff f8: the engine's 32-bit counter wraps after 65544 blocks; a
     * driver that reads the wrong counter byte (fe for ff) would run 256 blocks too far. */
    enum { BLOCKS = 65544 + 8 };
    static unsigned char in[BLOCKS * 16], out[BLOCKS * 16], ref[BLOCKS * 16];
    unsigned char ctr[16], ctr0[16], stream[16];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(i >> 4);
    memset(ctr0, 0x21, 16);
    static const unsigned char tail[4] = {0xff, 0xfe, 0xff, 0xf8};
    memcpy(ctr0 + 12, tail, 4);
    memcpy(ctr, ctr0, 16);
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key, 128), 0);
    size_t off = 0;
    cr_assert_eq(mbedtls_aes_crypt_ctr(&aes, sizeof(in), &off, ctr, stream, in, out), 0);
    ossl_aes("ctr", key, 128, ctr0, in, sizeof(in), ref);
    cr_assert_arr_eq(out, ref, sizeof(in));
    mbedtls_aes_free(&aes);
}

Test(hwcrypto_driver_contracts, ctr_long_runs_carry_the_block_count)
{
    /* One call of 300 blocks moves the counter by 300 (a carry out of its low byte), the next
     * call must continue from there. */
    static unsigned char in[300 * 16 + 40], out[sizeof(in)], ref[sizeof(in)];
    unsigned char ctr[16], ctr0[16], stream[16];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(i * 13u);
    memset(ctr0, 0, 16);
    ctr0[15] = 0x80;
    memcpy(ctr, ctr0, 16);
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key, 128), 0);
    size_t off = 0;
    cr_assert_eq(mbedtls_aes_crypt_ctr(&aes, 300 * 16, &off, ctr, stream, in, out), 0);
    cr_assert_eq(mbedtls_aes_crypt_ctr(&aes, 40, &off, ctr, stream, in + 4800, out + 4800), 0);
    ossl_aes("ctr", key, 128, ctr0, in, sizeof(in), ref);
    cr_assert_arr_eq(out, ref, sizeof(in));
    mbedtls_aes_free(&aes);
}

/* The model's RNG words after enabling, read through registers. */
static void model_words(uint32_t *w, size_t n)
{
    periph_sim_reset();
    periph_write32(RNG_CR, RNG_CR_RNGEN);
    for (size_t i = 0; i < n; i++)
        w[i] = periph_read32(RNG_DR);
    periph_sim_reset();
}

Test(hwcrypto_driver_contracts, rng_output_is_the_word_stream_after_the_first_word)
{
    uint32_t w[5];
    model_words(w, 5);
    unsigned char a[5] = {0}, b[8], zero[8] = {0};
    size_t olen = 0;
    cr_assert_eq(hw_rng_entropy(NULL, a, 5, &olen), 0);
    cr_assert_eq(olen, 5);
    /* Word 0 is kept for comparison; bytes come little-endian from words 1 and 2. */
    for (unsigned i = 0; i < 4; i++)
        cr_assert_eq(a[i], (unsigned char)(w[1] >> (8 * i)), "byte %u", i);
    cr_assert_eq(a[4], (unsigned char)w[2]);
    cr_assert_eq(hw_rng_entropy(NULL, b, 8, &olen), 0);
    cr_assert_eq(olen, 8);
    for (unsigned i = 0; i < 8; i++)
        cr_assert_eq(b[i], (unsigned char)(w[3 + i / 4] >> (8 * (i % 4))), "call 2 byte %u", i);
    cr_assert_eq(hw_rng_entropy(NULL, NULL, 0, &olen), 0, "nothing asked");
    cr_assert_eq(olen, 0);
    cr_assert_eq(hw_rng_entropy(NULL, b, 8, NULL), MBEDTLS_ERR_ENTROPY_SOURCE_FAILED);
    cr_assert_eq(hw_rng_entropy(NULL, NULL, 8, &olen), MBEDTLS_ERR_ENTROPY_SOURCE_FAILED);
    hw_rng_stats_t stats;
    hw_rng_get_stats(&stats);
    cr_assert_eq(stats.words, 5, "the first word, 2 words, 2 words; none for 0 bytes");
    cr_assert_arr_neq(b, zero, 8);

    /* After a peripheral reset the driver must forget its comparison word and discard the
     * first word again. */
    periph_sim_reset();
    hw_rng_reset();
    cr_assert_eq(hw_rng_entropy(NULL, a, 4, &olen), 0);
    for (unsigned i = 0; i < 4; i++)
        cr_assert_eq(a[i], (unsigned char)(w[1] >> (8 * i)), "after reset, byte %u", i);
}

Test(hwcrypto_driver_contracts, rng_repeat_later_in_the_stream_is_caught)
{
    /* Every 3rd read repeats: the continuous test must compare with the previous word. */
    cr_assert_eq(periph_fault_set("rng-stuck", 3), 0);
    unsigned char out[16];
    size_t olen = 0;
    cr_assert_eq(hw_rng_entropy(NULL, out, sizeof(out), &olen), MBEDTLS_ERR_ENTROPY_SOURCE_FAILED);
    hw_rng_stats_t stats;
    hw_rng_get_stats(&stats);
    cr_assert_eq(stats.repeats, 1);
    cr_assert_eq(stats.words, 3);
}

Test(hwcrypto_driver_contracts, rng_error_flags_are_cleared_by_the_driver)
{
    static const char *const faults[] = {"rng-seed-error", "rng-clock-error"};
    static const uint32_t flags[] = {RNG_SR_SEIS, RNG_SR_CEIS};
    for (size_t i = 0; i < 2; i++) {
        fresh();
        cr_assert_eq(periph_fault_set(faults[i], 1), 0);
        unsigned char out[4];
        size_t olen;
        cr_assert_eq(hw_rng_entropy(NULL, out, 4, &olen), MBEDTLS_ERR_ENTROPY_SOURCE_FAILED);
        periph_fault_clear_all();
        uint32_t sr = periph_read32(RNG_SR);
        cr_assert_eq(sr & flags[i], 0, "%s: interrupt flag left set", faults[i]);
        cr_assert_eq(periph_read32(RNG_CR) & RNG_CR_RNGEN, RNG_CR_RNGEN, "RNG stays enabled");
        cr_assert_eq(hw_rng_entropy(NULL, out, 4, &olen), 0, "%s: recovers", faults[i]);
    }
}

Test(hwcrypto_driver_contracts, hash_refuses_use_after_finish_and_bad_lengths)
{
    unsigned char d[32], ref[32];
    mbedtls_sha1_context s1;
    mbedtls_sha1_init(&s1);
    cr_assert_eq(mbedtls_sha1_update_ret(&s1, d, 4), MBEDTLS_ERR_SHA1_BAD_INPUT_DATA);
    cr_assert_eq(mbedtls_sha1_finish_ret(&s1, d), MBEDTLS_ERR_SHA1_BAD_INPUT_DATA);
    cr_assert_eq(mbedtls_sha1_starts_ret(&s1), 0);
    cr_assert_eq(mbedtls_sha1_update_ret(&s1, NULL, 0), 0);
    cr_assert_eq(mbedtls_sha1_update_ret(&s1, NULL, 1), MBEDTLS_ERR_SHA1_BAD_INPUT_DATA);
    cr_assert_eq(mbedtls_sha1_finish_ret(&s1, d), 0);
    ossl_digest("sha1", d, 0, ref);
    cr_assert_arr_eq(d, ref, 20, "empty message");
    cr_assert_eq(mbedtls_sha1_update_ret(&s1, d, 4), MBEDTLS_ERR_SHA1_BAD_INPUT_DATA,
                 "finished: start again first");
    mbedtls_sha1_free(&s1);

    mbedtls_sha256_context s2;
    mbedtls_sha256_init(&s2);
    cr_assert_eq(mbedtls_sha256_finish_ret(&s2, d), MBEDTLS_ERR_SHA256_BAD_INPUT_DATA);
    cr_assert_eq(mbedtls_sha256_starts_ret(&s2, 1), 0);
    unsigned char block[64];
    memset(block, 'q', sizeof(block));
    cr_assert_eq(mbedtls_internal_sha256_process(&s2, block), 0);
    memset(d, 0xEE, sizeof(d));
    cr_assert_eq(mbedtls_sha256_finish_ret(&s2, d), 0);
    ossl_digest("sha224", block, 64, ref);
    cr_assert_arr_eq(d, ref, 28, "SHA-224 of one block");
    cr_assert(all_bytes(d + 28, 4, 0xEE), "SHA-224 wrote 32 bytes");
    cr_assert_eq(mbedtls_sha256_update_ret(&s2, d, 4), MBEDTLS_ERR_SHA256_BAD_INPUT_DATA);

    /* A clone of a SHA-224 context is SHA-224 too (28 bytes out). */
    mbedtls_sha256_context c224;
    mbedtls_sha256_init(&c224);
    cr_assert_eq(mbedtls_sha256_starts_ret(&s2, 1), 0);
    cr_assert_eq(mbedtls_sha256_update_ret(&s2, block, 10), 0);
    mbedtls_sha256_clone(&c224, &s2);
    memset(d, 0xEE, sizeof(d));
    cr_assert_eq(mbedtls_sha256_finish_ret(&c224, d), 0);
    ossl_digest("sha224", block, 10, ref);
    cr_assert_arr_eq(d, ref, 28);
    cr_assert(all_bytes(d + 28, 4, 0xEE), "the clone finished as SHA-256");
    mbedtls_sha256_free(&c224);
    mbedtls_sha256_free(&s2);

    mbedtls_sha1_init(&s1);
    cr_assert_eq(mbedtls_sha1_starts_ret(&s1), 0);
    cr_assert_eq(mbedtls_internal_sha1_process(&s1, block), 0);
    memset(d, 0xEE, sizeof(d));
    cr_assert_eq(mbedtls_sha1_finish_ret(&s1, d), 0);
    ossl_digest("sha1", block, 64, ref);
    cr_assert_arr_eq(d, ref, 20);
    cr_assert(all_bytes(d + 20, 12, 0xEE), "SHA-1 wrote more than 20 bytes");
    mbedtls_sha1_free(&s1);

    /* One update whose tail after whole blocks is 63 bytes (and 0, 1, 62). */
    static const size_t lens[] = {63, 127, 191, 128, 129, 126};
    unsigned char msg[200];
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (unsigned char)(i ^ 0x5Au);
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        cr_assert_eq(mbedtls_sha256_ret(msg, lens[i], d, 0), 0);
        ossl_digest("sha256", msg, lens[i], ref);
        cr_assert_arr_eq(d, ref, 32, "SHA-256 of %zu bytes in one update", lens[i]);
    }

    hw_hash_state_t st;
    hw_hash_init(&st);
    cr_assert_eq(hw_hash_start(&st, HASH_CR_ALGO_SHA256), 0);
    cr_assert_eq(hw_hash_finish(&st, d, 9), HW_HASH_ERR_BAD_INPUT, "9 digest words");
    hw_hash_free(&st);
}
