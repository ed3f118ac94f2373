/* STM32F4 board decisions: the clock plan on HSE and its fallbacks, flash
 * wait states, USART divisors, IWDG prescalers and reset causes, against
 * RM0090's numbers. */
#include <criterion/criterion.h>
#include <string.h>

#include "f4_logic.h"

/* PLLCFGR fields. */
#define PLLM(v) ((v)&0x3Fu)
#define PLLN(v) (((v) >> 6) & 0x1FFu)
#define PLLP_DIV(v) (2u * ((((v) >> 16) & 3u) + 1u))
#define PLLQ(v) (((v) >> 24) & 0xFu)
#define PLLSRC_HSE(v) (((v) >> 22) & 1u)

static uint32_t pll_out(uint32_t in_hz, uint32_t cfgr, uint32_t div)
{
    return (uint32_t)((uint64_t)in_hz / PLLM(cfgr) * PLLN(cfgr) / div);
}

Test(f4_clock, hse_bypass_gives_168_mhz_and_48_mhz_for_the_rng)
{
    f4_clock_plan_t p;
    f4_clock_plan(true, 8000000u, true, &p);
    cr_assert_eq(p.source, F4_CLOCK_HSE_PLL);
    cr_assert_str_eq(p.name, "hse-bypass-168mhz");
    cr_assert_eq(PLLSRC_HSE(p.pllcfgr), 1u);
    cr_assert_eq(8000000u / PLLM(p.pllcfgr), 2000000u, "VCO input 2 MHz (jitter)");
    uint32_t vco = 8000000u / PLLM(p.pllcfgr) * PLLN(p.pllcfgr);
    cr_assert(vco >= 100000000u && vco <= 432000000u, "VCO %u in range", vco);
    cr_assert_eq(pll_out(8000000u, p.pllcfgr, PLLP_DIV(p.pllcfgr)), 168000000u);
    cr_assert_eq(pll_out(8000000u, p.pllcfgr, PLLQ(p.pllcfgr)), 48000000u);
    cr_assert_eq(p.sysclk_hz, 168000000u);
    cr_assert_eq(p.apb1_hz, 42000000u, "APB1 at most 42 MHz");
    cr_assert_eq(p.flash_ws, 5u, "5 wait states at 168 MHz, 3.3 V");
    cr_assert_eq(p.pllcfgr & ~0x0F437FFFu, 0u, "only M, N, P, SRC and Q: reserved bits untouched");
}

Test(f4_clock, no_hse_falls_back_to_hsi_through_the_pll_and_says_so)
{
    f4_clock_plan_t p;
    f4_clock_plan(false, 8000000u, true, &p);
    cr_assert_eq(p.source, F4_CLOCK_HSI_PLL);
    cr_assert_str_eq(p.name, "hsi-fallback-168mhz");
    cr_assert_eq(PLLSRC_HSE(p.pllcfgr), 0u);
    cr_assert_eq(pll_out(16000000u, p.pllcfgr, PLLP_DIV(p.pllcfgr)), 168000000u);
    cr_assert_eq(pll_out(16000000u, p.pllcfgr, PLLQ(p.pllcfgr)), 48000000u);
}

Test(f4_clock, an_hse_the_pll_cannot_use_is_treated_as_absent)
{
    f4_clock_plan_t p;
    f4_clock_plan(true, 25000000u, true, &p); /* 25 MHz: not a multiple of 2 MHz */
    cr_assert_eq(p.source, F4_CLOCK_HSI_PLL);
}

Test(f4_clock, no_pll_lock_stays_on_raw_hsi_with_zero_wait_states)
{
    f4_clock_plan_t p;
    f4_clock_plan(true, 8000000u, false, &p);
    cr_assert_eq(p.source, F4_CLOCK_HSI_RAW);
    cr_assert_eq(p.sysclk_hz, 16000000u);
    cr_assert_eq(p.apb1_hz, 16000000u);
    cr_assert_eq(p.flash_ws, 0u);
    cr_assert_str_eq(p.name, "hsi-16mhz-no-pll");
}

Test(f4_clock, flash_wait_states_follow_rm0090_table_10)
{
    cr_assert_eq(f4_flash_wait_states(30000000u), 0u);
    cr_assert_eq(f4_flash_wait_states(30000001u), 1u);
    cr_assert_eq(f4_flash_wait_states(150000000u), 4u);
    cr_assert_eq(f4_flash_wait_states(150000001u), 5u);
    cr_assert_eq(f4_flash_wait_states(180000000u), 5u);
}

Test(f4_usart, divisors_round_to_nearest_and_stay_within_2_percent)
{
    static const uint32_t bauds[] = {9600u, 115200u, 230400u, 460800u, 921600u, 2000000u};
    for (size_t i = 0; i < sizeof bauds / sizeof bauds[0]; i++) {
        uint32_t brr = f4_usart_brr(42000000u, bauds[i]);
        cr_assert_neq(brr, 0u, "%u baud", bauds[i]);
        uint32_t actual = f4_usart_actual_baud(42000000u, brr);
        uint32_t err = actual > bauds[i] ? actual - bauds[i] : bauds[i] - actual;
        cr_assert_lt(err * 50u, bauds[i], "%u baud: %u actual", bauds[i], actual);
    }
    cr_assert_eq(f4_usart_brr(42000000u, 115200u), 365u, "42 MHz / 115200 = 364.58");
}

Test(f4_usart, impossible_bauds_are_refused)
{
    cr_assert_eq(f4_usart_brr(42000000u, 0u), 0u);
    cr_assert_eq(f4_usart_brr(42000000u, 3000000u), 0u, "above pclk/16");
    cr_assert_eq(f4_usart_brr(168000000u, 1200u), 0u, "divisor over 16 bits");
}

Test(f4_iwdg, timeout_is_never_shorter_than_asked_at_the_fastest_lsi)
{
    static const uint32_t timeouts[] = {1u, 100u, 1000u, 8000u, 20000u};
    for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++) {
        uint32_t pr = 99, rlr = 99;
        cr_assert(f4_iwdg_config(timeouts[i], 47000u, &pr, &rlr), "%u ms", timeouts[i]);
        cr_assert_leq(pr, 6u);
        cr_assert_leq(rlr, 0xFFFu);
        uint64_t ms_x1000 = (uint64_t)(rlr + 1u) * (4u << pr) * 1000000u / 47000u;
        cr_assert_geq(ms_x1000, (uint64_t)timeouts[i] * 1000u, "%u ms gave %llu us", timeouts[i],
                      (unsigned long long)ms_x1000);
    }
    uint32_t pr, rlr;
    cr_assert(f4_iwdg_config(8000u, 47000u, &pr, &rlr));
    cr_assert_eq(pr, 5u, "8 s at 47 kHz needs /128 (at /64 it is 5875 ticks)");
}

Test(f4_iwdg, beyond_the_longest_timeout_is_refused)
{
    uint32_t pr, rlr;
    cr_assert_not(f4_iwdg_config(40000u, 47000u, &pr, &rlr), "/256 x 4096 at 47 kHz is 22 s");
    cr_assert_not(f4_iwdg_config(0u, 32000u, &pr, &rlr));
}

Test(f4_reset_cause, the_most_specific_flag_wins)
{
    const uint32_t pin = 1u << 26, por = 1u << 27, bor = 1u << 25, sft = 1u << 28;
    const uint32_t iwdg = 1u << 29;
    cr_assert_str_eq(f4_reset_cause(por | bor | pin), "power-on");
    cr_assert_str_eq(f4_reset_cause(pin), "pin");
    cr_assert_str_eq(f4_reset_cause(sft | pin), "software");
    cr_assert_str_eq(f4_reset_cause(iwdg | pin), "iwdg");
    cr_assert_str_eq(f4_reset_cause(bor | pin), "brown-out");
    cr_assert_str_eq(f4_reset_cause(0), "unknown");
}
