/* Firmware entry for QEMU netduinoplus2: clocks, link, then the agent. */
#include "agent.h"
#include "qemu_f405.h"

int main(void)
{
    clock_init();
    usart_init();
    agent_run();
    return QEMU_F405_EXIT_LINK_GONE; /* the UART never goes away; kept for symmetry */
}
