/* Shared by the per-primitive self-test files. */
#ifndef TLSRIG_SELFTEST_INTERNAL_H
#define TLSRIG_SELFTEST_INTERNAL_H

#include "crypto_selftest.h"

#include <string.h>

/* Record a failed check (the first one is kept). Returns 0 so callers can `return fail(...)`. */
static inline int selftest_fail(crypto_selftest_result_t *r, const char *what)
{
    if (r->status != CRYPTO_SELFTEST_FAIL) {
        r->status = CRYPTO_SELFTEST_FAIL;
        r->failed_vector = what;
    }
    return 0;
}

/* memcmp that accepts empty (possibly NULL) buffers. */
static inline int selftest_equal(const void *a, const void *b, size_t n)
{
    return n == 0 || memcmp(a, b, n) == 0;
}

static inline void selftest_count(crypto_selftest_result_t *r, unsigned long bytes)
{
    r->ops++;
    r->bytes += bytes;
}

void selftest_aes_ecb(crypto_selftest_result_t *r);
void selftest_aes_cbc(crypto_selftest_result_t *r);
void selftest_aes_ctr(crypto_selftest_result_t *r);
void selftest_aes_gcm(crypto_selftest_result_t *r);
void selftest_sha1(crypto_selftest_result_t *r);
void selftest_sha224(crypto_selftest_result_t *r);
void selftest_sha256(crypto_selftest_result_t *r);
void selftest_rng(crypto_selftest_result_t *r, crypto_selftest_rng_fn fn, void *data);

#endif
