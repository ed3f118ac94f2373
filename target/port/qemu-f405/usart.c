/* USART1 as the link, polled (the shared USART layer, usart_f4.c). QEMU's
 * model hands over one byte at a time and holds the rest in its chardev
 * until DR is read, so polling loses nothing; on silicon the board port
 * receives in the RXNE interrupt into a ring (target/port/nucleo-f439zi). */
#include "f4_logic.h"
#include "f4_port.h"
#include "qemu_f405.h"
#include "stm32f405_regs.h"

void usart_init(void)
{
    RCC_APB2ENR |= RCC_APB2ENR_USART1EN;
    /* 115200 baud from an 84 MHz APB2 (what silicon would run at); QEMU ignores it.
     * RXNEIE stays on; the NVIC line is only enabled around a WFI (usart_sleep_until_rx). */
    f4_usart_configure(USART1_BASE, f4_usart_brr(84000000u, 115200u), USART_CR1_RXNEIE);
}

void usart_write(const uint8_t *buf, size_t len)
{
    f4_usart_write_polled(USART1_BASE, buf, len);
}

int usart_read_byte(void)
{
    return f4_usart_read_polled(USART1_BASE);
}

/* Wakes the WFI in usart_sleep_until_rx, then masks itself: the byte is read
 * by the polling loop, never here. */
void usart1_irq_handler(void)
{
    NVIC_ICER1 = USART1_IRQ_BIT;
}

void usart_sleep_until_rx(void)
{
    NVIC_ICPR1 = USART1_IRQ_BIT; /* a stale wake-up from a byte already read */
    NVIC_ISER1 = USART1_IRQ_BIT; /* pends at once if a byte is waiting */
    __asm volatile("wfi");
    NVIC_ICER1 = USART1_IRQ_BIT;
}
