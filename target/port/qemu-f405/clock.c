/* Time: SysTick interrupts every 1 ms from the core clock QEMU models, and
 * TIM2 as a 64-bit virtual-time counter. Under -icount both are driven by the
 * instruction count, so they are deterministic. */
#include "qemu_f405.h"
#include "stm32f405_regs.h"

#define SYSTICK_RELOAD (CORE_CLOCK_HZ / 1000u - 1u)

static volatile uint32_t g_ms;
static uint32_t g_tim_last;
static uint64_t g_tim_high; /* wraps of the 32-bit TIM2 counter, << 32 */

void systick_handler(void)
{
    g_ms++;
}

void clock_init(void)
{
    SYST_RVR = SYSTICK_RELOAD;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;

    RCC_APB1ENR |= RCC_APB1ENR_TIM2EN;
    TIM2_PSC = 0;
    TIM2_ARR = 0xFFFFFFFFu;
    TIM2_EGR = 1u; /* load the prescaler */
    TIM2_CR1 = 1u; /* CEN */
    g_tim_last = TIM2_CNT;
}

uint32_t clock_ms(void)
{
    return g_ms;
}

uint64_t clock_us(void)
{
    uint32_t ms, cvr;
    do {
        ms = g_ms;
        cvr = SYST_CVR;
    } while (ms != g_ms); /* a tick in between: read again */
    uint32_t into_ms = (SYSTICK_RELOAD - cvr) / (CORE_CLOCK_HZ / 1000000u);
    return (uint64_t)ms * 1000u + (into_ms < 1000u ? into_ms : 999u);
}

/* Callers read it far more often than once per 2^32 ns (4.3 s), so a wrap is
 * seen as the counter going backwards. */
uint64_t clock_virtual_ns(void)
{
    uint32_t now = TIM2_CNT;
    if (now < g_tim_last) {
        g_tim_high += 1ull << 32;
    }
    g_tim_last = now;
    return g_tim_high | now;
}
