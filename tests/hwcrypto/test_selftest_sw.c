/*
 * The same self-tests on mbedTLS's software crypto (profile "full"): the vectors themselves are
 * right, so a hw failure is the hw backend's.
 */
#include <criterion/criterion.h>

#include "crypto_selftest.h"

Test(hwcrypto_selftest_sw, software_primitives_pass)
{
    crypto_selftest_report_t report;
    int failed = crypto_selftest_run(&report);
    cr_assert_eq(failed, 0, "first failure: %s", crypto_selftest_first_failure(&report));
    static const char *const required[] = {"aes-ecb", "aes-cbc", "aes-gcm",
                                           "sha1",    "sha224",  "sha256"};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        const crypto_selftest_result_t *r = crypto_selftest_find(&report, required[i]);
        cr_assert_not_null(r, "%s missing", required[i]);
        cr_expect_eq(r->status, CRYPTO_SELFTEST_PASS, "%s", required[i]);
    }
}
