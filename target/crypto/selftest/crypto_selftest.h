/*
 * Known-answer self-tests for every primitive the hw backend replaces, through the mbedTLS API
 * only, so the same code checks a sw image and a hw image (and the agent can run it on both).
 * Freestanding: no allocation, no I/O; contexts live on the stack.
 */
#ifndef TLSRIG_CRYPTO_SELFTEST_H
#define TLSRIG_CRYPTO_SELFTEST_H

#include <stddef.h>

typedef enum {
    CRYPTO_SELFTEST_PASS,
    CRYPTO_SELFTEST_FAIL,
    CRYPTO_SELFTEST_SKIP /* primitive not in this build, or no RNG source registered */
} crypto_selftest_status_t;

typedef struct {
    const char *name; /* aes-ecb, aes-cbc, aes-ctr, aes-gcm, sha1, sha224, sha256, rng */
    crypto_selftest_status_t status;
    const char *failed_vector; /* first failing vector or check, NULL when none */
    unsigned long ops;         /* mbedTLS API calls made */
    unsigned long bytes;       /* bytes fed to those calls */
} crypto_selftest_result_t;

#define CRYPTO_SELFTEST_MAX_RESULTS 8

typedef struct {
    crypto_selftest_result_t results[CRYPTO_SELFTEST_MAX_RESULTS];
    size_t count;
    unsigned passed, failed, skipped;
} crypto_selftest_report_t;

/* The same shape as mbedTLS's entropy source callback (hw_rng_entropy fits). */
typedef int (*crypto_selftest_rng_fn)(void *data, unsigned char *out, size_t len, size_t *olen);

/* Source for the RNG sanity check; NULL: the check is skipped. */
void crypto_selftest_set_rng(crypto_selftest_rng_fn fn, void *data);

/* Runs everything; returns the number of failed primitives (0 = all passed or skipped). */
int crypto_selftest_run(crypto_selftest_report_t *out);

/* Lookups for callers and tests. NULL when absent / when nothing failed. */
const crypto_selftest_result_t *crypto_selftest_find(const crypto_selftest_report_t *report,
                                                     const char *name);
const char *crypto_selftest_first_failure(const crypto_selftest_report_t *report);

#endif
