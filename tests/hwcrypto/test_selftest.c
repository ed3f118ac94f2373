/* Self-tests on the hw backend (ALT drivers over the sim models): every primitive passes. */
#include <criterion/criterion.h>

#include "crypto_selftest.h"
#include "hw_driver_fault.h"
#include "periph_sim.h"
#include "rng_hw.h"

static void fresh(void)
{
    periph_sim_reset();
    hw_driver_fault_clear_all();
    hw_rng_reset();
    crypto_selftest_set_rng(hw_rng_entropy, NULL);
}

TestSuite(hwcrypto_selftest_hw, .init = fresh);

Test(hwcrypto_selftest_hw, every_primitive_passes)
{
    crypto_selftest_report_t report;
    int failed = crypto_selftest_run(&report);
    for (size_t i = 0; i < report.count; i++) {
        const crypto_selftest_result_t *r = &report.results[i];
        cr_expect_eq(r->status, CRYPTO_SELFTEST_PASS, "%s: %s", r->name,
                     r->failed_vector ? r->failed_vector : "skipped");
        cr_expect_gt(r->ops, 0, "%s made no calls", r->name);
        cr_expect_gt(r->bytes, 0, "%s processed no bytes", r->name);
    }
    cr_assert_eq(failed, 0);
    cr_assert_eq(report.count, 8);
    cr_assert_eq(report.passed, 8);
    cr_assert_null(crypto_selftest_first_failure(&report));
}

Test(hwcrypto_selftest_hw, a_second_run_still_passes)
{
    /* Driver state left over from the first run (engine owner, key owner) must not leak. */
    crypto_selftest_report_t report;
    cr_assert_eq(crypto_selftest_run(&report), 0);
    cr_assert_eq(crypto_selftest_run(&report), 0, "second run: %s",
                 crypto_selftest_first_failure(&report));
}

Test(hwcrypto_selftest_hw, every_primitive_passes_with_flag_timing)
{
    /* Silicon's engines take time: flags come some polls after the data (periph_sim.h). */
    static const unsigned latencies[] = {1, 2, 5, 33};
    for (size_t i = 0; i < sizeof(latencies) / sizeof(latencies[0]); i++) {
        fresh();
        periph_sim_set_latency(latencies[i]);
        crypto_selftest_report_t report;
        cr_assert_eq(crypto_selftest_run(&report), 0, "latency %u: %s", latencies[i],
                     crypto_selftest_first_failure(&report));
        cr_assert_eq(report.passed, 8);
    }
}

Test(hwcrypto_selftest_hw, rng_is_skipped_without_a_source)
{
    crypto_selftest_set_rng(NULL, NULL);
    crypto_selftest_report_t report;
    cr_assert_eq(crypto_selftest_run(&report), 0);
    const crypto_selftest_result_t *rng = crypto_selftest_find(&report, "rng");
    cr_assert_not_null(rng);
    cr_assert_eq(rng->status, CRYPTO_SELFTEST_SKIP);
    cr_assert_eq(report.skipped, 1);
}
