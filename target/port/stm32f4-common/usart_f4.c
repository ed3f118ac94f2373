/* The STM32F4 USART block, polled: configuration and byte I/O shared by the
 * QEMU port (USART1, polled) and the board port (USART3, whose interrupt
 * handler uses the same register layer). */
#include "f4_port.h"
#include "stm32f4_regs.h"

void f4_usart_configure(uint32_t base, uint32_t brr, uint32_t cr1_extra)
{
    USART_CR1(base) = 0;
    USART_CR2(base) = 0; /* 1 stop bit */
    USART_CR3(base) = 0; /* no hardware flow control: the ST-Link VCP has none */
    USART_BRR(base) = brr;
    USART_CR1(base) = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE | cr1_extra;
}

void f4_usart_write_polled(uint32_t base, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (!(USART_SR(base) & USART_SR_TXE)) {
        }
        USART_DR(base) = buf[i];
    }
}

int f4_usart_read_polled(uint32_t base)
{
    if (!(USART_SR(base) & USART_SR_RXNE)) {
        return -1;
    }
    return (int)(USART_DR(base) & 0xFFu);
}
