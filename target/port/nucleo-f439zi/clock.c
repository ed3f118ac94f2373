/* The clock tree, from reset (HSI 16 MHz) to 168 MHz:
 * 1. DWT cycle counter on first: it times the waits below.
 * 2. Voltage scale 1 (required above 144 MHz).
 * 3. HSE in bypass mode (the ST-Link's 8 MHz MCO drives PH0); a board whose
 *    solder bridges do not route the MCO never gets HSERDY: after
 *    HSE_TIMEOUT_MS the PLL runs from HSI instead (f4_clock_plan decides).
 * 4. PLL to 168 MHz (48 MHz on Q for the RNG); if it does not lock, the
 *    board stays on raw HSI 16 MHz and says so.
 * 5. Flash wait states (5 at 168 MHz, 3.3 V) with prefetch and both caches,
 *    bus prescalers (APB1 42 MHz, APB2 84 MHz), then the switch.
 * The plan's name is HELLO's T_CLOCK_SOURCE. On HSE the clock security
 * system is on: if the MCO stops, the NMI records a panic and resets, and
 * the next start-up falls back to HSI. */
#include "nucleo_f439zi.h"
#include "stm32f4_regs.h"

#define HSE_TIMEOUT_MS 100u
#define PLL_TIMEOUT_MS 10u
#define SWITCH_TIMEOUT_MS 10u

static f4_clock_plan_t g_plan;
static uint32_t g_cyc_last; /* DWT_CYCCNT at the last extension */
static uint32_t g_cyc_high; /* wraps of DWT_CYCCNT seen */

/* Waits for (reg & mask) == want for at most ms, timed at hz by the DWT. */
static bool wait_bits(volatile uint32_t *reg, uint32_t mask, uint32_t want, uint32_t ms,
                      uint32_t hz)
{
    uint32_t start = DWT_CYCCNT;
    uint32_t limit = ms * (hz / 1000u);
    while ((*reg & mask) != want) {
        if (DWT_CYCCNT - start > limit) {
            return false;
        }
    }
    return true;
}

static void cycle_counter_init(void)
{
    DEMCR |= DEMCR_TRCENA;
    DWT_LAR = 0xC5ACCE55u; /* unlock where the DWT has a lock (harmless elsewhere) */
    DWT_CYCCNT = 0;
    DWT_CTRL |= DWT_CTRL_CYCCNTENA;
}

static bool start_hse(void)
{
    RCC_CR |= RCC_CR_HSEBYP; /* bypass must be set while HSE is off */
    RCC_CR |= RCC_CR_HSEON;
    if (wait_bits(&RCC_CR, RCC_CR_HSERDY, RCC_CR_HSERDY, HSE_TIMEOUT_MS, F4_HSI_HZ)) {
        return true;
    }
    RCC_CR &= ~(RCC_CR_HSEON | RCC_CR_HSEBYP);
    return false;
}

/* PLLCFGR fields the plan sets (M, N, P, SRC, Q); reserved bits keep their reset value. */
#define PLLCFGR_FIELDS 0x0F437FFFu

static bool start_pll(uint32_t pllcfgr)
{
    RCC_PLLCFGR = (RCC_PLLCFGR & ~PLLCFGR_FIELDS) | pllcfgr;
    RCC_CR |= RCC_CR_PLLON;
    if (wait_bits(&RCC_CR, RCC_CR_PLLRDY, RCC_CR_PLLRDY, PLL_TIMEOUT_MS, F4_HSI_HZ)) {
        return true;
    }
    RCC_CR &= ~RCC_CR_PLLON;
    return false;
}

static void switch_to_pll(const f4_clock_plan_t *plan)
{
    /* Caches are reset while disabled, then on with prefetch; latency first. */
    FLASH_ACR = FLASH_ACR_ICRST | FLASH_ACR_DCRST;
    FLASH_ACR = plan->flash_ws | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
    (void)wait_bits(&FLASH_ACR, FLASH_ACR_LATENCY_MASK, plan->flash_ws, SWITCH_TIMEOUT_MS,
                    F4_HSI_HZ);
    RCC_CFGR = RCC_CFGR_PPRE1_DIV4 | RCC_CFGR_PPRE2_DIV2; /* AHB /1 */
    RCC_CFGR = (RCC_CFGR & ~RCC_CFGR_SW_MASK) | RCC_CFGR_SW_PLL;
    (void)wait_bits(&RCC_CFGR, RCC_CFGR_SW_MASK << RCC_CFGR_SWS_SHIFT,
                    RCC_CFGR_SW_PLL << RCC_CFGR_SWS_SHIFT, SWITCH_TIMEOUT_MS, F4_HSI_HZ);
}

void clock_init(void)
{
    cycle_counter_init();
    RCC_APB1ENR |= RCC_APB1ENR_PWREN;
    (void)RCC_APB1ENR; /* the enable takes effect before PWR is written */
    PWR_CR |= PWR_CR_VOS_SCALE1;

    bool hse = start_hse();
    f4_clock_plan(hse, NUCLEO_HSE_HZ, true, &g_plan);
    if (start_pll(g_plan.pllcfgr)) {
        switch_to_pll(&g_plan);
        if (hse) {
            RCC_CR |= RCC_CR_CSSON;
        }
    } else {
        f4_clock_plan(hse, NUCLEO_HSE_HZ, false, &g_plan);
        RCC_CR &= ~(RCC_CR_HSEON | RCC_CR_HSEBYP);
    }

    g_cyc_last = DWT_CYCCNT;
    SYST_RVR = g_plan.sysclk_hz / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT;
}

const f4_clock_plan_t *clock_plan(void)
{
    return &g_plan;
}

/* Extends the 32-bit counter (it wraps every 25.6 s at 168 MHz); the 1 ms
 * SysTick reads it too, so no wrap is ever missed. */
uint64_t clock_cycles(void)
{
    uint32_t primask = irq_save();
    uint32_t now = DWT_CYCCNT;
    if (now < g_cyc_last) {
        g_cyc_high++;
    }
    g_cyc_last = now;
    uint64_t cycles = ((uint64_t)g_cyc_high << 32) | now;
    irq_restore(primask);
    return cycles;
}

uint32_t clock_ms(void)
{
    return (uint32_t)(clock_cycles() / (g_plan.sysclk_hz / 1000u));
}

void systick_handler(void)
{
    (void)clock_cycles();
}
