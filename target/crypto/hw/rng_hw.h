/*
 * Entropy source on the STM32F4 RNG, for mbedtls_entropy_add_source():
 *   mbedtls_entropy_add_source(&entropy, hw_rng_entropy, NULL, 32, MBEDTLS_ENTROPY_SOURCE_STRONG)
 * Fails (MBEDTLS_ERR_ENTROPY_SOURCE_FAILED) on a seed or clock error (SECS/CECS) and when
 * two consecutive words are equal (the continuous test of FIPS 140-2 4.9.2, as RM0090 asks).
 */
#ifndef TLSRIG_RNG_HW_H
#define TLSRIG_RNG_HW_H

#include <stddef.h>

/* data is unused (NULL). *olen = len on success. */
int hw_rng_entropy(void *data, unsigned char *out, size_t len, size_t *olen);

/* Counters for the agent's report: words read, and failures by cause. */
typedef struct {
    unsigned long words;
    unsigned long seed_errors;
    unsigned long clock_errors;
    unsigned long repeats;
} hw_rng_stats_t;

void hw_rng_get_stats(hw_rng_stats_t *out);
/* Forget the comparison word and counters (after a peripheral reset). */
void hw_rng_reset(void);

#endif
