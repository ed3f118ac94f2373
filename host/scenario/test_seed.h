/* TEST ONLY per-scenario seeds on emulated boards (sim, QEMU): the agent's
 * DRBG and the server's get a seed derived from the scenario, so the same
 * scenario draws the same random values in every run, alone or after any
 * other: sizes, heap peaks and instruction counts repeat exactly, and
 * `tlsrig compare` can hold them to equality (docs/reports.md). Real boards
 * never get one: their RNG is part of what is tested. */
#ifndef TLSRIG_TEST_SEED_H
#define TLSRIG_TEST_SEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board_config.h"
#include "host_link.h"

#define TEST_SEED_LEN 32

typedef struct test_seed {
    uint8_t bytes[TEST_SEED_LEN];
    char hex[2 * TEST_SEED_LEN + 1]; /* the server's seed, and the result's test_seed */
} test_seed_t;

/* Emulated boards run in test mode. */
bool test_seed_applies(const board_config_t *b);

/* SHA-256 of the scenario and backend: repeats of a scenario share it. */
void test_seed_derive(const char *scenario, const char *backend, test_seed_t *out);

/* CTRL_ENTROPY with the seed: the agent re-seeds its DRBG from it. 0, or -1
 * with err (the agent refused it or did not answer). */
int test_seed_send(host_link_t *hl, const test_seed_t *seed, uint32_t timeout_ms, char *err,
                   size_t errlen);

#endif
