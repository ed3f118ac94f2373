/*
 * The self-test over wolfCrypt (tlsrig_wolfssl_add_crypto_selftest): passes on the device, and
 * each fault fails the primitive and check that tests/hwcrypto/test_faults.c names for mbedTLS,
 * while an unrelated primitive still passes.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <string.h>

#include "crypto_selftest.h"
#include "hw_driver_fault.h"
#include "periph_sim.h"
#include "wolf_hwtest.h"

static void setup(void)
{
    wolf_hwtest_setup();
    crypto_selftest_set_rng(tlsrig_wolf_hw_selftest_rng, NULL);
}

Test(wolfssl_hw_selftest, passes_on_the_device, .init = setup, .fini = wolf_hwtest_teardown)
{
    crypto_selftest_report_t report;
    cr_assert_eq(crypto_selftest_run(&report), 0, "%s", crypto_selftest_first_failure(&report));
    /* aes-ctr: not offloaded on wolfSSL; sha224: wolfSSL's software, not in this build. */
    cr_assert_eq(report.passed, 6);
    cr_assert_eq(crypto_selftest_find(&report, "aes-ctr")->status, CRYPTO_SELFTEST_SKIP);
    /* The work went to the engines, not to wolfSSL's software. */
    static const tlsrig_wolf_hw_prim_t used[] = {TLSRIG_WOLF_HW_AES_ECB, TLSRIG_WOLF_HW_AES_CBC,
                                                 TLSRIG_WOLF_HW_AES_GCM, TLSRIG_WOLF_HW_SHA1,
                                                 TLSRIG_WOLF_HW_SHA256,  TLSRIG_WOLF_HW_RNG_SEED};
    for (size_t i = 0; i < sizeof used / sizeof *used; i++) {
        const tlsrig_wolf_hw_counter_t *c = tlsrig_wolf_hw_stats_get(used[i]);
        cr_assert_gt(c->hw_ops, 0, "%s", tlsrig_wolf_hw_stats_name(used[i]));
        cr_assert_eq(c->fallback_ops, 0, "%s", tlsrig_wolf_hw_stats_name(used[i]));
    }
}

typedef struct {
    char fault[24];
    char fails[16];
    char check[48]; /* "": any */
    char still_passes[16];
} fault_case_t;

static fault_case_t cases[] = {
    {"aes-bitflip", "aes-ecb", "", "sha256"},
    {"stale-iv", "aes-cbc", "", "aes-ecb"},
    {"gcm-tag", "aes-gcm", "", "sha1"},
    {"sha-interleave", "sha1", "interleaved contexts", "aes-gcm"},
    {"rng-stuck", "rng", "source failed", "sha256"},
    {"rng-seed-error", "rng", "source failed", "aes-ecb"},
    {"rng-clock-error", "rng", "source failed", "aes-ecb"},
    {"aes-key-interleave", "aes-ecb", "", "sha256"},
    {"sha-clone", "sha1", "clone mid-stream", "aes-cbc"},
    {"rng-byte-replicate", "rng", "word with four equal bytes", "aes-gcm"},
};

ParameterizedTestParameters(wolfssl_hw_selftest, each_fault_is_named)
{
    return cr_make_param_array(fault_case_t, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(const fault_case_t *c, wolfssl_hw_selftest, each_fault_is_named, .init = setup,
                  .fini = wolf_hwtest_teardown)
{
    cr_assert((periph_fault_set(c->fault, 1) == 0) != (hw_driver_fault_set(c->fault, 1) == 0));
    crypto_selftest_report_t report;
    cr_assert_gt(crypto_selftest_run(&report), 0, "fault %s went unnoticed", c->fault);
    const crypto_selftest_result_t *bad = crypto_selftest_find(&report, c->fails);
    cr_assert_eq(bad->status, CRYPTO_SELFTEST_FAIL, "%s: %s did not fail", c->fault, c->fails);
    if (c->check[0])
        cr_assert_str_eq(bad->failed_vector, c->check, "%s", c->fault);
    const crypto_selftest_result_t *good = crypto_selftest_find(&report, c->still_passes);
    cr_assert_eq(good->status, CRYPTO_SELFTEST_PASS, "%s: %s failed too (%s)", c->fault,
                 c->still_passes, good->failed_vector);
}
