/* Operation counters of the wolfSSL hw device, for the agent's report (tlsrig_wolf_hw.h). */
#include "wolf_hw_internal.h"

#include <string.h>

static tlsrig_wolf_hw_counter_t counters[TLSRIG_WOLF_HW_PRIM_COUNT];

/* The names prim_stats.c gives the same primitives on mbedTLS. */
static const char *const names[TLSRIG_WOLF_HW_PRIM_COUNT] = {
    "aes-ecb", "aes-cbc", "aes-gcm", "sha1", "sha256", "rng-seed", "other"};

void tlsrig_wolf_hw_stats_reset(void)
{
    memset(counters, 0, sizeof(counters));
    wolf_hw_hash_stats_reset();
}

const tlsrig_wolf_hw_counter_t *tlsrig_wolf_hw_stats_get(tlsrig_wolf_hw_prim_t prim)
{
    return (unsigned)prim < TLSRIG_WOLF_HW_PRIM_COUNT ? &counters[prim] : NULL;
}

const char *tlsrig_wolf_hw_stats_name(tlsrig_wolf_hw_prim_t prim)
{
    return (unsigned)prim < TLSRIG_WOLF_HW_PRIM_COUNT ? names[prim] : NULL;
}

void wolf_hw_count_hw(tlsrig_wolf_hw_prim_t prim, uint32_t bytes)
{
    counters[prim].hw_ops++;
    counters[prim].hw_bytes += bytes;
}

void wolf_hw_count_fallback(tlsrig_wolf_hw_prim_t prim)
{
    counters[prim].fallback_ops++;
}

void wolf_hw_count_error(tlsrig_wolf_hw_prim_t prim)
{
    counters[prim].errors++;
}
