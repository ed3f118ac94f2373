/* The independent watchdog and the reset cause.
 *
 * Policy: the IWDG is kicked only where the agent services the link
 * (port_link_read), so an agent that stops servicing it for
 * NUCLEO_WATCHDOG_MS (a hang, an endless loop, an interrupt storm) is reset;
 * the next HELLO says "iwdg" in T_RESET_CAUSE. The timeout is computed for
 * the fastest LSI (47 kHz, datasheet), so it is never shorter than asked.
 * The watchdog stops while a debugger halts the core (DBGMCU). */
#include "nucleo_f439zi.h"
#include "stm32f4_regs.h"

#define LSI_MAX_HZ 47000u
#define DBGMCU_APB1_FZ REG32(0xE0042008u)
#define DBGMCU_IWDG_STOP (1u << 12)
#define IWDG_SR_BUSY 3u /* PVU | RVU */
#define IWDG_SR_WAIT_LOOPS 100000u

#define RCC_CSR_PORRSTF (1u << 27)
#define RCC_CSR_BORRSTF (1u << 25)

static const char *g_reset_cause = "unknown";
static bool g_power_on;

void watchdog_boot(void)
{
    uint32_t csr = RCC_CSR;
    g_reset_cause = f4_reset_cause(csr);
    g_power_on = (csr & (RCC_CSR_PORRSTF | RCC_CSR_BORRSTF)) != 0;
    RCC_CSR |= RCC_CSR_RMVF; /* so the next boot sees only its own cause */
}

bool watchdog_power_on(void)
{
    return g_power_on;
}

const char *watchdog_reset_cause(void)
{
    return g_reset_cause;
}

void watchdog_start(uint32_t timeout_ms)
{
    uint32_t pr = 0;
    uint32_t rlr = 0;
    if (!f4_iwdg_config(timeout_ms, LSI_MAX_HZ, &pr, &rlr)) {
        return;
    }
    DBGMCU_APB1_FZ |= DBGMCU_IWDG_STOP;
    IWDG_KR = IWDG_KEY_ENABLE; /* starts the LSI and the counter */
    IWDG_KR = IWDG_KEY_UNLOCK;
    IWDG_PR = pr;
    IWDG_RLR = rlr;
    for (uint32_t i = 0; i < IWDG_SR_WAIT_LOOPS && (IWDG_SR & IWDG_SR_BUSY); i++) {
    }
    IWDG_KR = IWDG_KEY_RELOAD;
}

void watchdog_kick(void)
{
    IWDG_KR = IWDG_KEY_RELOAD;
}
