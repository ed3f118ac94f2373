/* Pure board decisions; see f4_logic.h. Unit-tested on the host
 * (tests/port/test_f4_logic.c). */
#include "f4_logic.h"

/* PLLCFGR fields: M (bits 5:0), N (14:6), P code (17:16, 0 = /2), Q (27:24). */
#define PLL_VCO_IN_HZ 2000000u
#define PLL_N 168u    /* 2 MHz x 168 = 336 MHz VCO */
#define PLL_P_CODE 0u /* /2: 168 MHz */
#define PLL_Q 7u      /* 48 MHz for the RNG (and USB) */
#define PLLCFGR_SRC_HSE (1u << 22)

static uint32_t pllcfgr(uint32_t input_hz, bool hse)
{
    uint32_t m = input_hz / PLL_VCO_IN_HZ;
    return m | (PLL_N << 6) | (PLL_P_CODE << 16) | (PLL_Q << 24) | (hse ? PLLCFGR_SRC_HSE : 0u);
}

uint32_t f4_flash_wait_states(uint32_t sysclk_hz)
{
    /* RM0090 table 10, 2.7-3.6 V: 0 WS up to 30 MHz, one more per 30 MHz. */
    return sysclk_hz == 0 ? 0 : (sysclk_hz - 1u) / 30000000u;
}

void f4_clock_plan(bool hse_ready, uint32_t hse_hz, bool pll_locked, f4_clock_plan_t *plan)
{
    /* An HSE the PLL cannot divide to 2 MHz is treated as absent. */
    bool use_hse =
        hse_ready && hse_hz >= 4000000u && hse_hz <= 26000000u && hse_hz % PLL_VCO_IN_HZ == 0;
    plan->pllcfgr = pllcfgr(use_hse ? hse_hz : F4_HSI_HZ, use_hse);
    if (!pll_locked) {
        plan->source = F4_CLOCK_HSI_RAW;
        plan->sysclk_hz = F4_HSI_HZ;
        plan->apb1_hz = F4_HSI_HZ; /* prescalers stay at 1 */
        plan->name = "hsi-16mhz-no-pll";
    } else {
        plan->source = use_hse ? F4_CLOCK_HSE_PLL : F4_CLOCK_HSI_PLL;
        plan->sysclk_hz = F4_SYSCLK_HZ;
        plan->apb1_hz = F4_SYSCLK_HZ / 4u;
        plan->name = use_hse ? "hse-bypass-168mhz" : "hsi-fallback-168mhz";
    }
    plan->flash_ws = f4_flash_wait_states(plan->sysclk_hz);
}

uint32_t f4_usart_brr(uint32_t pclk_hz, uint32_t baud)
{
    if (baud == 0 || baud > pclk_hz / 16u) {
        return 0;
    }
    uint32_t brr = (pclk_hz + baud / 2u) / baud;
    return brr > 0xFFFFu ? 0 : brr;
}

uint32_t f4_usart_actual_baud(uint32_t pclk_hz, uint32_t brr)
{
    return brr == 0 ? 0 : (pclk_hz + brr / 2u) / brr;
}

bool f4_iwdg_config(uint32_t timeout_ms, uint32_t lsi_hz, uint32_t *pr, uint32_t *rlr)
{
    if (timeout_ms == 0 || lsi_hz == 0) {
        return false;
    }
    for (uint32_t code = 0; code <= 6u; code++) {
        uint64_t divider = 4u << code;
        /* Ticks for the timeout, rounded up so the timeout is at least what was asked. */
        uint64_t ticks = ((uint64_t)timeout_ms * lsi_hz + divider * 1000u - 1u) / (divider * 1000u);
        if (ticks >= 1u && ticks - 1u <= 0xFFFu) {
            *pr = code;
            *rlr = (uint32_t)(ticks - 1u);
            return true;
        }
    }
    return false;
}

const char *f4_reset_cause(uint32_t rcc_csr)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } k_causes[] = {
        {1u << 31, "low-power"}, {1u << 30, "wwdg"},     {1u << 29, "iwdg"},
        {1u << 28, "software"},  {1u << 27, "power-on"}, {1u << 25, "brown-out"},
        {1u << 26, "pin"},
    };
    for (unsigned i = 0; i < sizeof k_causes / sizeof k_causes[0]; i++) {
        if (rcc_csr & k_causes[i].bit) {
            return k_causes[i].name;
        }
    }
    return "unknown";
}
