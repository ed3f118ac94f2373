/* Self-test runner and report; the checks are in selftest_<primitive>.c. */
#include "crypto_selftest.h"
#include "selftest_internal.h"

#include <string.h>

static crypto_selftest_rng_fn rng_fn;
static void *rng_data;

void crypto_selftest_set_rng(crypto_selftest_rng_fn fn, void *data)
{
    rng_fn = fn;
    rng_data = data;
}

static crypto_selftest_result_t *next(crypto_selftest_report_t *out, const char *name)
{
    crypto_selftest_result_t *r = &out->results[out->count++];
    memset(r, 0, sizeof(*r));
    r->name = name;
    r->status = CRYPTO_SELFTEST_PASS;
    return r;
}

int crypto_selftest_run(crypto_selftest_report_t *out)
{
    memset(out, 0, sizeof(*out));
    selftest_aes_ecb(next(out, "aes-ecb"));
    selftest_aes_cbc(next(out, "aes-cbc"));
    selftest_aes_ctr(next(out, "aes-ctr"));
    selftest_aes_gcm(next(out, "aes-gcm"));
    selftest_sha1(next(out, "sha1"));
    selftest_sha224(next(out, "sha224"));
    selftest_sha256(next(out, "sha256"));
    selftest_rng(next(out, "rng"), rng_fn, rng_data);
    for (size_t i = 0; i < out->count; i++) {
        switch (out->results[i].status) {
        case CRYPTO_SELFTEST_PASS:
            out->passed++;
            break;
        case CRYPTO_SELFTEST_FAIL:
            out->failed++;
            break;
        default:
            out->skipped++;
            break;
        }
    }
    return (int)out->failed;
}

const crypto_selftest_result_t *crypto_selftest_find(const crypto_selftest_report_t *report,
                                                     const char *name)
{
    for (size_t i = 0; i < report->count; i++) {
        if (strcmp(report->results[i].name, name) == 0)
            return &report->results[i];
    }
    return NULL;
}

const char *crypto_selftest_first_failure(const crypto_selftest_report_t *report)
{
    for (size_t i = 0; i < report->count; i++) {
        if (report->results[i].status == CRYPTO_SELFTEST_FAIL)
            return report->results[i].name;
    }
    return NULL;
}
