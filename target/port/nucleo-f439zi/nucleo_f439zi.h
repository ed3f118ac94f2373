/* Internals of the NUCLEO-F439ZI port shared between its files. */
#ifndef TLSRIG_NUCLEO_F439ZI_H
#define TLSRIG_NUCLEO_F439ZI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "f4_logic.h"

#ifndef TLSRIG_NUCLEO_BAUD
#define TLSRIG_NUCLEO_BAUD 115200u
#endif
/* The ST-Link's 8 MHz MCO on PH0 (HSE bypass), as the NUCLEO-144 board ships. */
#define NUCLEO_HSE_HZ 8000000u
/* A hung agent (no link service for this long) is reset by the IWDG. The
 * longest computation between two link reads (a P-521 or RSA-4096 step of a
 * handshake, a whole self-test) takes well under 2 s at 168 MHz. */
#define NUCLEO_WATCHDOG_MS 8000u

/* Critical sections against the UART and SysTick handlers. */
static inline uint32_t irq_save(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    return primask;
}

static inline void irq_restore(uint32_t primask)
{
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

/* clock.c: the clock tree (HSE bypass -> PLL 168 MHz, HSI fallback), flash
 * wait states and caches, the DWT cycle counter, the 1 ms SysTick. */
void clock_init(void);
const f4_clock_plan_t *clock_plan(void);
uint64_t clock_cycles(void); /* since boot, 64-bit extension of DWT_CYCCNT */
uint32_t clock_ms(void);

/* usart3.c: the ST-Link VCP (USART3, PD8 TX / PD9 RX, AF7): receive in the
 * RXNE interrupt into a ring, transmit from a ring in the TXE interrupt. */
void usart3_init(uint32_t pclk_hz, uint32_t baud);
uint32_t usart3_baud(void);
size_t usart3_read(uint8_t *buf, size_t cap);
void usart3_write(const uint8_t *buf, size_t len); /* waits only while the ring is full */
void usart3_flush(void); /* polled, until the last byte left (fault handler too) */
typedef struct usart3_stats {
    uint32_t rx_dropped; /* ring full: never acked, the host sends the frame again */
    uint32_t overruns;   /* the hardware lost a byte (ORE) */
} usart3_stats_t;
usart3_stats_t usart3_stats(void);

/* watchdog.c: reset cause (read once at boot), IWDG start and kick. */
void watchdog_boot(void);
const char *watchdog_reset_cause(void);
bool watchdog_power_on(void); /* RAM content is noise: no panic record to trust */
void watchdog_start(uint32_t timeout_ms);
void watchdog_kick(void);

/* panic.c: the panic record across a reset. */
void panic_boot(bool power_on);
uint32_t panic_boot_count(void);
size_t panic_take(uint8_t *out, size_t cap);
__attribute__((noreturn)) void board_reset(void);

/* crypto_clocks.c: RCC enables and resets of CRYP, HASH and RNG. */
void crypto_clocks_init(void);

#endif
