/*
 * Each injected fault (silicon faults in the models, driver bugs in the drivers) makes the
 * self-test fail, and the failure names the primitive the fault belongs to.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <string.h>

#include "crypto_selftest.h"
#include "hw_driver_fault.h"
#include "periph_sim.h"
#include "rng_hw.h"

/* Arrays, not pointers: Criterion copies parameters into workers with another address layout. */
typedef struct {
    char fault[24];
    unsigned every_n;
    char fails[16];        /* primitive that must fail */
    char check[32];        /* its failed check, "": any */
    char still_passes[16]; /* an unrelated primitive that must not */
} fault_case_t;

static fault_case_t cases[] = {
    {"aes-bitflip", 1, "aes-ecb", "", "sha256"},
    {"aes-bitflip", 3, "aes-ecb", "", "sha1"},
    {"stale-iv", 1, "aes-cbc", "", "aes-ecb"},
    {"gcm-tag", 1, "aes-gcm", "", "aes-ctr"},
    {"sha-interleave", 1, "sha1", "interleaved contexts", "aes-gcm"},
    {"rng-stuck", 1, "rng", "source failed", "sha256"},
    {"rng-seed-error", 1, "rng", "source failed", "aes-ecb"},
    {"rng-clock-error", 1, "rng", "source failed", "aes-ecb"},
    {"aes-key-interleave", 1, "aes-ecb", "", "sha256"},
    {"sha-clone", 1, "sha1", "clone mid-stream", "aes-cbc"},
    {"rng-byte-replicate", 1, "rng", "word with four equal bytes", "aes-gcm"},
};

ParameterizedTestParameters(hwcrypto_faults, detected_and_attributed)
{
    return cr_make_param_array(fault_case_t, cases, sizeof(cases) / sizeof(cases[0]));
}

static void inject(const char *name, unsigned every_n)
{
    /* A name belongs to the models or to the drivers, never both. */
    int in_model = periph_fault_set(name, every_n) == 0;
    int in_driver = hw_driver_fault_set(name, every_n) == 0;
    cr_assert(in_model != in_driver, "fault %s known to model=%d driver=%d", name, in_model,
              in_driver);
}

ParameterizedTest(const fault_case_t *c, hwcrypto_faults, detected_and_attributed)
{
    periph_sim_reset();
    hw_driver_fault_clear_all();
    hw_rng_reset();
    crypto_selftest_set_rng(hw_rng_entropy, NULL);
    inject(c->fault, c->every_n);

    crypto_selftest_report_t report;
    int failed = crypto_selftest_run(&report);
    cr_assert_gt(failed, 0, "fault %s went unnoticed", c->fault);
    const crypto_selftest_result_t *bad = crypto_selftest_find(&report, c->fails);
    cr_assert_not_null(bad);
    cr_assert_eq(bad->status, CRYPTO_SELFTEST_FAIL, "%s: %s did not fail", c->fault, c->fails);
    if (c->check[0])
        cr_assert_str_eq(bad->failed_vector, c->check, "%s", c->fault);
    const crypto_selftest_result_t *good = crypto_selftest_find(&report, c->still_passes);
    cr_assert_not_null(good);
    cr_assert_eq(good->status, CRYPTO_SELFTEST_PASS, "%s: %s failed too (%s)", c->fault,
                 c->still_passes, good->failed_vector);
}

Test(hwcrypto_faults, cleared_faults_leave_a_clean_run)
{
    periph_sim_reset();
    hw_driver_fault_clear_all();
    hw_rng_reset();
    crypto_selftest_set_rng(hw_rng_entropy, NULL);
    inject("gcm-tag", 1);
    inject("sha-clone", 1);
    periph_fault_clear_all();
    hw_driver_fault_clear_all();
    crypto_selftest_report_t report;
    cr_assert_eq(crypto_selftest_run(&report), 0, "%s", crypto_selftest_first_failure(&report));
}

Test(hwcrypto_faults, unknown_names_are_refused)
{
    cr_assert_eq(periph_fault_set("no-such-fault", 1), -1);
    cr_assert_eq(hw_driver_fault_set("no-such-fault", 1), -1);
    cr_assert_eq(periph_fault_set(NULL, 1), -1);
    size_t n = 0;
    while (periph_fault_name(n))
        n++;
    cr_assert_eq(n, 7);
    n = 0;
    while (hw_driver_fault_name(n))
        n++;
    cr_assert_eq(n, 3);
}
