/* The few STM32F405 and Cortex-M4 registers this port touches, as QEMU's
 * netduinoplus2 models them (RM0090 and the ARMv7-M ARM give the layout). */
#ifndef TLSRIG_STM32F405_REGS_H
#define TLSRIG_STM32F405_REGS_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* System control block and SysTick. */
#define SCB_ICSR REG32(0xE000ED04u)
#define SCB_CPACR REG32(0xE000ED88u)
#define SCB_CFSR REG32(0xE000ED28u)
#define SCB_HFSR REG32(0xE000ED2Cu)
#define SCB_MMFAR REG32(0xE000ED34u)
#define SCB_BFAR REG32(0xE000ED38u)
#define SYST_CSR REG32(0xE000E010u)
#define SYST_RVR REG32(0xE000E014u)
#define SYST_CVR REG32(0xE000E018u)
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2) /* processor clock */

/* NVIC: USART1 is interrupt 37 (bit 5 of the second enable/clear words). */
#define NVIC_ISER1 REG32(0xE000E104u)
#define NVIC_ICER1 REG32(0xE000E184u)
#define NVIC_ICPR1 REG32(0xE000E284u)
#define USART1_IRQ_BIT (1u << (37u - 32u))

/* RCC clock enables: ignored by QEMU, needed on silicon. */
#define RCC_APB1ENR REG32(0x40023840u)
#define RCC_APB2ENR REG32(0x40023844u)
#define RCC_APB1ENR_TIM2EN (1u << 0)
#define RCC_APB2ENR_USART1EN (1u << 4)

/* USART1 (QEMU connects the first -serial backend to it). */
#define USART1_BASE 0x40011000u
#define USART_SR(base) REG32((base) + 0x00u)
#define USART_DR(base) REG32((base) + 0x04u)
#define USART_BRR(base) REG32((base) + 0x08u)
#define USART_CR1(base) REG32((base) + 0x0Cu)
#define USART_SR_RXNE (1u << 5)
#define USART_SR_TXE (1u << 7)
#define USART_CR1_RE (1u << 2)
#define USART_CR1_RXNEIE (1u << 5)
#define USART_CR1_TE (1u << 3)
#define USART_CR1_UE (1u << 13)

/* TIM2: 32-bit counter. QEMU clocks its timers at 1 GHz of virtual time, so
 * with -icount shift=0 one count is one guest instruction. */
#define TIM2_BASE 0x40000000u
#define TIM2_CR1 REG32(TIM2_BASE + 0x00u)
#define TIM2_PSC REG32(TIM2_BASE + 0x28u)
#define TIM2_ARR REG32(TIM2_BASE + 0x2Cu)
#define TIM2_CNT REG32(TIM2_BASE + 0x24u)
#define TIM2_EGR REG32(TIM2_BASE + 0x14u)

/* STM32F4 96-bit unique device id. QEMU reads zeros there. */
#define UID_BASE 0x1FFF7A10u

/* The core clock QEMU's netduinoplus2 models (its clock controller is not
 * modelled: RCC reads 0, so this cannot be discovered at run time). */
#define CORE_CLOCK_HZ 168000000u

#endif
