/* The RNG seed through the device: wolfSSL's Hash_DRBG seeded from the RNG model. */
#include <criterion/criterion.h>

#include <string.h>

#include "periph_sim.h"
#include "rng_hw.h"
#include "wolf_hwtest.h"

TestSuite(wolfssl_hw_rng, .init = wolf_hwtest_setup, .fini = wolf_hwtest_teardown);

static void drbg_bytes(uint64_t model_seed, unsigned char *out, size_t len)
{
    periph_sim_reset();
    periph_rng_seed(model_seed);
    hw_rng_reset();
    WC_RNG rng;
    cr_assert_eq(wc_InitRng_ex(&rng, NULL, HW_DEVID), 0);
    cr_assert_eq(wc_RNG_GenerateBlock(&rng, out, (word32)len), 0);
    cr_assert_eq(wc_FreeRng(&rng), 0);
}

Test(wolfssl_hw_rng, the_drbg_is_seeded_from_the_rng_model)
{
    unsigned char a[64], b[64], c[64];
    wolf_hwtest_bus_reset();
    drbg_bytes(1, a, sizeof a);
    wolf_hwtest_bus_t bus;
    wolf_hwtest_bus(&bus);
    cr_assert_gt(bus.rng_reads, 8, "the seed words came from RNG_DR");
    /* Same model seed, same output; another model seed, another output: the model is the
     * only entropy (the host's /dev/urandom would differ every time). */
    drbg_bytes(1, b, sizeof b);
    drbg_bytes(2, c, sizeof c);
    cr_assert_arr_eq(a, b, sizeof a);
    cr_assert(memcmp(a, c, sizeof a) != 0);
    const tlsrig_wolf_hw_counter_t *s = tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_RNG_SEED);
    cr_assert_geq(s->hw_ops, 3);
    cr_assert_eq(s->errors, 0);
    hw_rng_stats_t rs;
    hw_rng_get_stats(&rs);
    cr_assert_gt(rs.words, 0);
    /* The DRBG's own hashing ran on the HASH engine. */
    cr_assert_gt(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_SHA256)->hw_ops, 0);
}

Test(wolfssl_hw_rng, a_failing_rng_fails_the_drbg_instead_of_seeding_it)
{
    static const char *const faults[] = {"rng-stuck", "rng-seed-error", "rng-clock-error"};
    for (size_t i = 0; i < 3; i++) {
        periph_sim_reset();
        hw_rng_reset();
        cr_assert_eq(periph_fault_set(faults[i], 1), 0);
        WC_RNG rng;
        cr_assert_neq(wc_InitRng_ex(&rng, NULL, HW_DEVID), 0, "%s", faults[i]);
        periph_fault_clear_all();
    }
    cr_assert_geq(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_RNG_SEED)->errors, 3);
}

Test(wolfssl_hw_rng, generate_block_stays_wolfssl_drbg)
{
    unsigned char out[32];
    WC_RNG rng;
    cr_assert_eq(wc_InitRng_ex(&rng, NULL, HW_DEVID), 0);
    uint32_t before = tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_OTHER)->fallback_ops;
    cr_assert_eq(wc_RNG_GenerateBlock(&rng, out, sizeof out), 0);
    cr_assert_eq(tlsrig_wolf_hw_stats_get(TLSRIG_WOLF_HW_OTHER)->fallback_ops, before + 1);
    cr_assert_eq(wc_FreeRng(&rng), 0);
}
