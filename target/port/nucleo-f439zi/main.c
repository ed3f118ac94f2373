/* Firmware entry for the NUCLEO-F439ZI: reset cause and panic record first
 * (before anything can fault again), clocks, faults on their own vectors,
 * crypto clocks, the link, the watchdog, then the agent. */
#include "agent.h"
#include "f4_port.h"
#include "nucleo_f439zi.h"
#include "stm32f4_regs.h"

int main(void)
{
    watchdog_boot();
    panic_boot(watchdog_power_on());
    clock_init();
    SCB_SHCSR |= SCB_SHCSR_FAULTS_ENABLE;
    crypto_clocks_init();
    usart3_init(clock_plan()->apb1_hz, TLSRIG_NUCLEO_BAUD);
    watchdog_start(NUCLEO_WATCHDOG_MS);
    return agent_run();
}
