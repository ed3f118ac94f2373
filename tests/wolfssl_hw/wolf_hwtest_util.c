/* Test rig for the wolfssl_hw tests; see wolf_hwtest.h. */
#include "wolf_hwtest.h"

#include <criterion/criterion.h>

#include "hw_driver_fault.h"
#include "periph_sim.h"
#include "rng_hw.h"
#include "stm32_regs.h"

static wolf_hwtest_bus_t bus;

/* The linker sends the drivers' register accesses here (-Wl,--wrap, CMakeLists.txt). */
uint32_t __real_periph_read32(uint32_t addr);
void __real_periph_write32(uint32_t addr, uint32_t value);
uint32_t __wrap_periph_read32(uint32_t addr);
void __wrap_periph_write32(uint32_t addr, uint32_t value);

uint32_t __wrap_periph_read32(uint32_t addr)
{
    if (addr == RNG_DR)
        bus.rng_reads++;
    return __real_periph_read32(addr);
}

void __wrap_periph_write32(uint32_t addr, uint32_t value)
{
    if (addr == CRYP_DIN)
        bus.cryp_din++;
    else if (addr == HASH_DIN)
        bus.hash_din++;
    __real_periph_write32(addr, value);
}

void wolf_hwtest_bus(wolf_hwtest_bus_t *out)
{
    *out = bus;
}

void wolf_hwtest_bus_reset(void)
{
    bus = (wolf_hwtest_bus_t){0};
}

void wolf_hwtest_setup(void)
{
    cr_assert_eq(wolfCrypt_Init(), 0);
    periph_sim_reset();
    periph_rng_seed(0x5eed);
    hw_rng_reset();
    hw_driver_fault_clear_all();
    cr_assert_eq(tlsrig_wolf_hw_register(), 0);
    tlsrig_wolf_hw_stats_reset();
    wolf_hwtest_bus_reset();
}

void wolf_hwtest_teardown(void)
{
    hw_driver_fault_clear_all();
    periph_fault_clear_all();
    tlsrig_wolf_hw_unregister();
    wolfCrypt_Cleanup();
}

void wolf_hwtest_fill(unsigned char *buf, size_t len, unsigned seed)
{
    uint32_t x = seed * 2654435761u + 1u;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
}
