/*
 * The drivers against the models' flag timing (periph_sim_set_latency()): right results when
 * every operation takes polls, a flag that comes on the last poll of the wait budget
 * (PERIPH_WAIT_LIMIT) is seen, and one poll later is the driver's HW_ACCEL_FAILED error, for
 * every primitive (a dead peripheral is an error, never a hang).
 */
#include <criterion/criterion.h>

#include <string.h>

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

TestSuite(hwcrypto_driver_timing, .init = fresh);

static const unsigned char key[32] = {
    0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
    0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4};

static void fill(unsigned char *b, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)(i * 29u + seed);
}

/* Every primitive once; returns the first mismatch's name or NULL. rc: first error code. */
static const char *every_primitive(int *rc)
{
    unsigned char in[200], out[200], back[200], ref[200], iv[16], iv0[16], tag[16], ref_tag[16];
    unsigned char stream[16], d[32], ref_d[32], rnd[13];
    const char *bad = NULL;
    fill(in, sizeof(in), 3);
    fill(iv0, 16, 7);
    *rc = 0;

    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    mbedtls_aes_setkey_enc(&aes, key, 192);
    memcpy(iv, iv0, 16);
    if ((*rc = mbedtls_aes_crypt_cbc(&aes, MBEDTLS_AES_ENCRYPT, 48, iv, in, out)) != 0)
        goto exit;
    ossl_aes("cbc", key, 192, iv0, in, 48, ref);
    if (memcmp(out, ref, 48) != 0)
        bad = bad ? bad : "aes-cbc encrypt";
    mbedtls_aes_setkey_dec(&aes, key, 192);
    memcpy(iv, iv0, 16);
    if ((*rc = mbedtls_aes_crypt_cbc(&aes, MBEDTLS_AES_DECRYPT, 48, iv, out, back)) != 0)
        goto exit;
    if (memcmp(back, in, 48) != 0)
        bad = bad ? bad : "aes-cbc decrypt";
    mbedtls_aes_setkey_enc(&aes, key, 128);
    size_t off = 0;
    memcpy(iv, iv0, 16);
    if ((*rc = mbedtls_aes_crypt_ctr(&aes, 37, &off, iv, stream, in, out)) != 0)
        goto exit;
    ossl_aes("ctr", key, 128, iv0, in, 37, ref);
    if (memcmp(out, ref, 37) != 0)
        bad = bad ? bad : "aes-ctr";

    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    if ((*rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256)) == 0)
        *rc = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, 53, iv0, 12, in + 100, 21, in,
                                        out, 16, tag);
    mbedtls_gcm_free(&gcm);
    if (*rc != 0)
        goto exit;
    ossl_gcm(key, 256, iv0, 12, in + 100, 21, in, 53, ref, ref_tag);
    if (memcmp(out, ref, 53) != 0 || memcmp(tag, ref_tag, 16) != 0)
        bad = bad ? bad : "aes-gcm";

    if ((*rc = mbedtls_sha256_ret(in, 150, d, 0)) != 0)
        goto exit;
    ossl_digest("sha256", in, 150, ref_d);
    if (memcmp(d, ref_d, 32) != 0)
        bad = bad ? bad : "sha256";
    if ((*rc = mbedtls_sha1_ret(in, 70, d)) != 0)
        goto exit;
    ossl_digest("sha1", in, 70, ref_d);
    if (memcmp(d, ref_d, 20) != 0)
        bad = bad ? bad : "sha1";

    size_t olen = 0;
    if ((*rc = hw_rng_entropy(NULL, rnd, sizeof(rnd), &olen)) != 0)
        goto exit;
    if (olen != sizeof(rnd))
        bad = bad ? bad : "rng";
exit:
    mbedtls_aes_free(&aes);
    return bad;
}

Test(hwcrypto_driver_timing, results_are_right_when_every_operation_takes_polls)
{
    static const unsigned latencies[] = {1, 2, 3, 7, 40};
    for (size_t i = 0; i < sizeof(latencies) / sizeof(latencies[0]); i++) {
        fresh();
        periph_sim_set_latency(latencies[i]);
        int rc;
        const char *bad = every_primitive(&rc);
        cr_assert_eq(rc, 0, "latency %u: error -0x%04x", latencies[i], (unsigned)-rc);
        cr_assert_null(bad, "latency %u: %s differs from the reference", latencies[i], bad);
    }
}

Test(hwcrypto_driver_timing, a_flag_on_the_last_poll_of_the_budget_is_seen)
{
    periph_sim_set_latency(PERIPH_WAIT_LIMIT);
    int rc;
    const char *bad = every_primitive(&rc);
    cr_assert_eq(rc, 0, "error -0x%04x", (unsigned)-rc);
    cr_assert_null(bad, "%s", bad);
}

Test(hwcrypto_driver_timing, a_dead_peripheral_is_each_drivers_error)
{
    unsigned char buf[128] = {0}, iv[16] = {0}, tag[16], d[32];
    periph_sim_set_latency(PERIPH_WAIT_LIMIT + 1);

    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    cr_assert_eq(mbedtls_aes_setkey_enc(&aes, key, 128), 0);
    cr_assert_eq(mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, buf, buf),
                 MBEDTLS_ERR_AES_HW_ACCEL_FAILED);
    cr_assert_eq(mbedtls_aes_crypt_cbc(&aes, MBEDTLS_AES_ENCRYPT, 32, iv, buf, buf),
                 MBEDTLS_ERR_AES_HW_ACCEL_FAILED);
    cr_assert_eq(mbedtls_aes_setkey_dec(&aes, key, 128), 0);
    cr_assert_eq(mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_DECRYPT, buf, buf),
                 MBEDTLS_ERR_AES_HW_ACCEL_FAILED, "key preparation never ends");
    size_t off = 0;
    unsigned char stream[16];
    cr_assert_eq(mbedtls_aes_crypt_ctr(&aes, 20, &off, iv, stream, buf, buf),
                 MBEDTLS_ERR_AES_HW_ACCEL_FAILED);
    off = 0;
    cr_assert_eq(mbedtls_aes_crypt_ctr(&aes, 5, &off, iv, stream, buf, buf),
                 MBEDTLS_ERR_AES_HW_ACCEL_FAILED, "a partial block's keystream");
    mbedtls_aes_free(&aes);

    mbedtls_gcm_context gcm;
    mbedtls_gcm_init(&gcm);
    cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 128),
                 MBEDTLS_ERR_GCM_HW_ACCEL_FAILED);
    mbedtls_gcm_free(&gcm);

    /* GCM phases one by one: each fails on its own once the engine dies. */
    static const int die_at[] = {0, 1, 2, 3};
    for (size_t p = 0; p < 4; p++) {
        fresh();
        mbedtls_gcm_init(&gcm);
        cr_assert_eq(mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 128), 0);
        int rc = 0;
        if (die_at[p] == 0)
            periph_sim_set_latency(PERIPH_WAIT_LIMIT + 1);
        rc = mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 12, buf, die_at[p] == 1 ? 20 : 0);
        if (die_at[p] == 1) {
            cr_assert_eq(rc, 0, "no header: init only");
            periph_sim_set_latency(PERIPH_WAIT_LIMIT + 1);
            rc = mbedtls_gcm_starts(&gcm, MBEDTLS_GCM_ENCRYPT, iv, 12, buf, 20);
        }
        if (die_at[p] >= 2) {
            cr_assert_eq(rc, 0);
            if (die_at[p] == 2)
                periph_sim_set_latency(PERIPH_WAIT_LIMIT + 1);
            rc = mbedtls_gcm_update(&gcm, 32, buf, buf + 64);
        }
        if (die_at[p] == 3) {
            cr_assert_eq(rc, 0);
            periph_sim_set_latency(PERIPH_WAIT_LIMIT + 1);
            rc = mbedtls_gcm_finish(&gcm, tag, 16);
        }
        cr_assert_eq(rc, MBEDTLS_ERR_GCM_HW_ACCEL_FAILED, "GCM phase %zu", p);
        mbedtls_gcm_free(&gcm);
    }

    fresh();
    periph_sim_set_latency(PERIPH_WAIT_LIMIT + 1);
    cr_assert_eq(mbedtls_sha256_ret(buf, 3, d, 0), MBEDTLS_ERR_SHA256_HW_ACCEL_FAILED);
    cr_assert_eq(mbedtls_sha256_ret(buf, 3, d, 1), MBEDTLS_ERR_SHA256_HW_ACCEL_FAILED);
    cr_assert_eq(mbedtls_sha1_ret(buf, 3, d), MBEDTLS_ERR_SHA1_HW_ACCEL_FAILED);

    size_t olen = 7;
    cr_assert_eq(hw_rng_entropy(NULL, buf, 16, &olen), MBEDTLS_ERR_ENTROPY_SOURCE_FAILED);
    cr_assert_eq(olen, 0);
    /* An RNG that dies after its first words: the next call fails too. */
    fresh();
    cr_assert_eq(hw_rng_entropy(NULL, buf, 8, &olen), 0);
    periph_sim_set_latency(PERIPH_WAIT_LIMIT + 1);
    cr_assert_eq(hw_rng_entropy(NULL, buf, 8, &olen), MBEDTLS_ERR_ENTROPY_SOURCE_FAILED);
    hw_rng_stats_t stats;
    hw_rng_get_stats(&stats);
    cr_assert_eq(stats.repeats, 0, "a silent RNG is not a repeated word");
    cr_assert_eq(periph_bus_errors(), 0);
}

Test(hwcrypto_driver_timing, a_context_switch_waits_for_the_hash_core)
{
    /* The owner's block is still in the core when another context takes the engine: the save
     * must wait for BUSY = 0, or it stores the state from before that block. */
    unsigned char a[192], b[64], da[32], db[32], ref[32];
    fill(a, sizeof(a), 1);
    fill(b, sizeof(b), 2);
    periph_sim_set_latency(50);
    mbedtls_sha256_context ca, cb;
    mbedtls_sha256_init(&ca);
    mbedtls_sha256_init(&cb);
    cr_assert_eq(mbedtls_sha256_starts_ret(&ca, 0), 0);
    cr_assert_eq(mbedtls_sha256_starts_ret(&cb, 0), 0);
    cr_assert_eq(mbedtls_sha256_update_ret(&ca, a, 128), 0);
    cr_assert_eq(mbedtls_sha256_update_ret(&cb, b, 64), 0);
    cr_assert_eq(mbedtls_sha256_update_ret(&ca, a + 128, 64), 0);
    cr_assert_eq(mbedtls_sha256_finish_ret(&cb, db), 0);
    cr_assert_eq(mbedtls_sha256_finish_ret(&ca, da), 0);
    ossl_digest("sha256", a, sizeof(a), ref);
    cr_assert_arr_eq(da, ref, 32);
    ossl_digest("sha256", b, sizeof(b), ref);
    cr_assert_arr_eq(db, ref, 32);
    mbedtls_sha256_free(&ca);
    mbedtls_sha256_free(&cb);
}
