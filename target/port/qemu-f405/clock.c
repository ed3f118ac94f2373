/* Time from TIM2, a 32-bit counter of virtual nanoseconds (QEMU clocks its
 * timers at 1 GHz; under -icount shift=0 one count is one instruction, and
 * while the CPU sleeps in WFI, with sleep=on, virtual time follows real time).
 *
 * Every reading costs the same number of instructions whatever the value
 * (no branches, 32-bit divides only): time is read inside the metered code
 * (mbedtls_time, the handshake's per-state timing), so a data-dependent
 * cost would make instruction counts depend on when a run happens.
 *
 * SysTick is only a wake-up for WFI while the port waits for link bytes
 * (clock_wake_enable): no interrupt runs inside metered code. */
#include "qemu_f405.h"
#include "stm32f405_regs.h"

#define SYSTICK_RELOAD (CORE_CLOCK_HZ / 1000u - 1u)

static uint32_t g_tim_last; /* TIM2 at the last update */
static uint64_t g_ns;       /* virtual ns at g_tim_last */
static uint64_t g_us;       /* whole microseconds */
static uint32_t g_ns_rem;   /* ns not yet in g_us, < 1000 */
static uint32_t g_ms;       /* whole milliseconds (wraps like a tick counter) */
static uint32_t g_us_rem;   /* us not yet in g_ms, < 1000 */

void systick_handler(void)
{
    /* Only wakes WFI: time comes from TIM2. */
}

void clock_init(void)
{
    SYST_RVR = SYSTICK_RELOAD;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_CLKSOURCE; /* interrupt off until a wait */

    RCC_APB1ENR |= RCC_APB1ENR_TIM2EN;
    TIM2_PSC = 0;
    TIM2_ARR = 0xFFFFFFFFu;
    TIM2_EGR = 1u; /* load the prescaler */
    TIM2_CR1 = 1u; /* CEN */
    g_tim_last = TIM2_CNT;
}

void clock_wake_enable(bool on)
{
    if (on) {
        SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT;
    } else {
        SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_CLKSOURCE;
        SCB_ICSR = SCB_ICSR_PENDSTCLR; /* a tick that pended just now must not run later */
    }
}

/* Modular 32-bit deltas: correct while readings are less than 2^32 ns
 * (4.3 s of virtual time, about 4e9 instructions) apart; waits read the
 * clock every few hundred instructions or wake every millisecond. */
static void clock_update(void)
{
    uint32_t now = TIM2_CNT;
    uint32_t delta = now - g_tim_last;
    g_tim_last = now;
    g_ns += delta;
    /* delta + g_ns_rem fits: the split below keeps the parts under 2^32. */
    uint32_t us_whole = delta / 1000u;
    uint32_t ns_part = delta - us_whole * 1000u + g_ns_rem;
    uint32_t carry_us = ns_part / 1000u;
    g_ns_rem = ns_part - carry_us * 1000u;
    uint32_t add_us = us_whole + carry_us;
    g_us += add_us;
    uint32_t ms_whole = add_us / 1000u;
    uint32_t us_part = add_us - ms_whole * 1000u + g_us_rem;
    uint32_t carry_ms = us_part / 1000u;
    g_us_rem = us_part - carry_ms * 1000u;
    g_ms += ms_whole + carry_ms;
}

uint32_t clock_ms(void)
{
    clock_update();
    return g_ms;
}

uint64_t clock_us(void)
{
    clock_update();
    return g_us;
}

uint64_t clock_virtual_ns(void)
{
    clock_update();
    return g_ns;
}
