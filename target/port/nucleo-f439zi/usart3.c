/* USART3 on PD8 (TX) / PD9 (RX), AF7: the ST-Link's virtual COM port.
 *
 * Receive: the RXNE interrupt moves every byte into a ring at once, so
 * nothing is lost while mbedTLS computes for a second or more. When the ring
 * is full the byte is dropped and counted: the frame it belonged to fails
 * its CRC, was never acked, and the host sends it again (the link's own
 * recovery; no acknowledged byte is ever dropped here).
 * Transmit: port_link_write copies into a ring that the TXE interrupt
 * drains; the caller waits only when the ring is full (more than a frame
 * and its acks are queued), so the TLS engine does not wait for the wire. */
#include "byte_ring.h"
#include "f4_port.h"
#include "nucleo_f439zi.h"
#include "stm32f4_regs.h"

/* 8 KB in: the host has at most one unacked frame per channel in flight
 * (stop-and-wait), about 1 KB each; what piles up while mbedTLS computes is
 * retransmissions of those, and a dropped repeat costs nothing. 4 KB out:
 * three full frames. */
#define RX_CAP (8u * 1024u)
#define TX_CAP (4u * 1024u)
#define PD8_PD9_MASK ((3u << 16) | (3u << 18))
#define AF7 7u
#define USART_SR_TC (1u << 6)
#define TC_WAIT_LOOPS 1000000u

static uint8_t g_rx_storage[BYTE_RING_STORAGE(RX_CAP)];
static uint8_t g_tx_storage[BYTE_RING_STORAGE(TX_CAP)];
static byte_ring_t g_rx;
static byte_ring_t g_tx;
static volatile uint32_t g_rx_dropped;
static volatile uint32_t g_overruns;
static uint32_t g_baud;

void usart3_init(uint32_t pclk_hz, uint32_t baud)
{
    byte_ring_init(&g_rx, g_rx_storage, sizeof g_rx_storage);
    byte_ring_init(&g_tx, g_tx_storage, sizeof g_tx_storage);
    RCC_AHB1ENR |= RCC_AHB1ENR_GPIODEN;
    RCC_APB1ENR |= RCC_APB1_USART3;
    RCC_APB1RSTR |= RCC_APB1_USART3;
    RCC_APB1RSTR &= ~RCC_APB1_USART3;
    /* PD8/PD9: alternate function (10), very high speed, pull-up on RX, AF7. */
    GPIO_MODER(GPIOD_BASE) = (GPIO_MODER(GPIOD_BASE) & ~PD8_PD9_MASK) | (2u << 16) | (2u << 18);
    GPIO_OSPEEDR(GPIOD_BASE) |= PD8_PD9_MASK;
    GPIO_PUPDR(GPIOD_BASE) = (GPIO_PUPDR(GPIOD_BASE) & ~PD8_PD9_MASK) | (1u << 18);
    GPIO_AFRH(GPIOD_BASE) = (GPIO_AFRH(GPIOD_BASE) & ~0xFFu) | AF7 | (AF7 << 4);
    uint32_t brr = f4_usart_brr(pclk_hz, baud);
    g_baud = f4_usart_actual_baud(pclk_hz, brr);
    f4_usart_configure(USART3_BASE, brr, USART_CR1_RXNEIE);
    NVIC_ICPR(USART3_IRQN) = NVIC_BIT(USART3_IRQN);
    NVIC_ISER(USART3_IRQN) = NVIC_BIT(USART3_IRQN);
}

uint32_t usart3_baud(void)
{
    return g_baud;
}

void usart3_irq_handler(void)
{
    uint32_t sr = USART_SR(USART3_BASE);
    if (sr & (USART_SR_RXNE | USART_SR_ORE)) {
        /* Reading DR after SR clears both RXNE and ORE. */
        uint8_t b = (uint8_t)USART_DR(USART3_BASE);
        if (sr & USART_SR_ORE) {
            g_overruns++;
        }
        if (!byte_ring_put_byte(&g_rx, b)) {
            g_rx_dropped++;
        }
    }
    if ((USART_CR1(USART3_BASE) & USART_CR1_TXEIE) && (sr & USART_SR_TXE)) {
        int c = byte_ring_get_byte(&g_tx);
        if (c < 0) {
            USART_CR1(USART3_BASE) &= ~USART_CR1_TXEIE;
        } else {
            USART_DR(USART3_BASE) = (uint32_t)c;
        }
    }
}

size_t usart3_read(uint8_t *buf, size_t cap)
{
    return byte_ring_get(&g_rx, buf, cap);
}

static void tx_kick(void)
{
    uint32_t primask = irq_save();
    USART_CR1(USART3_BASE) |= USART_CR1_TXEIE;
    irq_restore(primask);
}

void usart3_write(const uint8_t *buf, size_t len)
{
    while (len > 0) {
        size_t room = byte_ring_free(&g_tx);
        if (room == 0) {
            tx_kick();
            __asm volatile("wfi"); /* the TXE interrupt (or the 1 ms tick) wakes us */
            continue;
        }
        size_t n = len < room ? len : room;
        (void)byte_ring_put(&g_tx, buf, n);
        buf += n;
        len -= n;
        tx_kick();
    }
}

/* Polled, interrupts masked: it runs from the fault handler too, where the
 * TXE interrupt cannot. Bounded by the ring (4 KB: 0.36 s at 115200). */
void usart3_flush(void)
{
    uint32_t primask = irq_save();
    USART_CR1(USART3_BASE) &= ~USART_CR1_TXEIE;
    int c;
    while ((c = byte_ring_get_byte(&g_tx)) >= 0) {
        uint8_t b = (uint8_t)c;
        f4_usart_write_polled(USART3_BASE, &b, 1);
    }
    for (uint32_t i = 0; i < TC_WAIT_LOOPS && !(USART_SR(USART3_BASE) & USART_SR_TC); i++) {
    }
    irq_restore(primask);
}

usart3_stats_t usart3_stats(void)
{
    usart3_stats_t s = {.rx_dropped = g_rx_dropped, .overruns = g_overruns};
    return s;
}
