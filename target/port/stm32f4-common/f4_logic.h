/* Board decisions of the STM32F4 ports as pure functions (no register
 * access), so the host tests them: clock plan and HSI fallback, USART baud
 * divisor, watchdog prescaler, reset cause. The ports apply the results. */
#ifndef TLSRIG_F4_LOGIC_H
#define TLSRIG_F4_LOGIC_H

#include <stdbool.h>
#include <stdint.h>

/* The clock tree: 168 MHz SYSCLK from the PLL (VCO input 2 MHz, VCO 336 MHz,
 * P = 2, Q = 7 for a 48 MHz RNG clock), AHB 168, APB1 42, APB2 84 MHz. */
#define F4_SYSCLK_HZ 168000000u
#define F4_HSI_HZ 16000000u

typedef enum f4_clock_source {
    F4_CLOCK_HSE_PLL = 0, /* HSE (bypass: the ST-Link's MCO) through the PLL */
    F4_CLOCK_HSI_PLL,     /* HSE never became ready: HSI through the PLL */
    F4_CLOCK_HSI_RAW,     /* the PLL never locked: HSI 16 MHz as is */
} f4_clock_source_t;

typedef struct f4_clock_plan {
    f4_clock_source_t source;
    uint32_t pllcfgr;   /* RCC_PLLCFGR value (unused for F4_CLOCK_HSI_RAW) */
    uint32_t sysclk_hz; /* core clock */
    uint32_t apb1_hz;   /* USART3's clock */
    uint32_t flash_ws;  /* wait states at 3.3 V (RM0090 table 10) */
    const char *name;   /* HELLO's T_CLOCK_SOURCE */
} f4_clock_plan_t;

/* The plan for what the start-up found: hse_ready (HSE came up before its
 * timeout, hse_hz its frequency: 8 MHz from the ST-Link) and pll_locked (the
 * PLL locked before its timeout; false sends the board to raw HSI). */
void f4_clock_plan(bool hse_ready, uint32_t hse_hz, bool pll_locked, f4_clock_plan_t *plan);

/* Flash wait states for a core clock at 2.7-3.6 V: one per 30 MHz. */
uint32_t f4_flash_wait_states(uint32_t sysclk_hz);

/* USART_BRR for 16x oversampling, rounded to nearest; 0 when the baud
 * cannot be made (above pclk/16, or a divisor over 16 bits). */
uint32_t f4_usart_brr(uint32_t pclk_hz, uint32_t baud);

/* The baud a BRR really gives, to judge the error. */
uint32_t f4_usart_actual_baud(uint32_t pclk_hz, uint32_t brr);

/* IWDG prescaler code (IWDG_PR: 0 = /4 ... 6 = /256) and reload (<= 0xFFF)
 * for at least timeout_ms with the LSI at lsi_hz (its worst case: the
 * fastest LSI gives the shortest timeout). false when out of range. */
bool f4_iwdg_config(uint32_t timeout_ms, uint32_t lsi_hz, uint32_t *pr, uint32_t *rlr);

/* The reset cause from RCC_CSR's flags, most specific first (a software or
 * watchdog reset also drives NRST, so the pin flag is set with them). */
const char *f4_reset_cause(uint32_t rcc_csr);

#endif
