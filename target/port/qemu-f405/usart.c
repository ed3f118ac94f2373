/* USART1 as the link, polled. QEMU's model hands over one byte at a time and
 * holds the rest in its chardev until DR is read, so polling loses nothing;
 * on silicon the same code needs the RXNE interrupt and a ring buffer. */
#include "qemu_f405.h"
#include "stm32f405_regs.h"

void usart_init(void)
{
    RCC_APB2ENR |= RCC_APB2ENR_USART1EN;
    /* 115200 baud from an 84 MHz APB2 (what silicon would run at); QEMU ignores it. */
    USART_BRR(USART1_BASE) = 84000000u / 115200u;
    /* RXNEIE stays on; the NVIC line is only enabled around a WFI (usart_rx_wake). */
    USART_CR1(USART1_BASE) = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE | USART_CR1_RXNEIE;
}

void usart_write(const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (!(USART_SR(USART1_BASE) & USART_SR_TXE)) {
        }
        USART_DR(USART1_BASE) = buf[i];
    }
}

int usart_read_byte(void)
{
    if (!(USART_SR(USART1_BASE) & USART_SR_RXNE)) {
        return -1;
    }
    return (int)(USART_DR(USART1_BASE) & 0xFFu);
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
