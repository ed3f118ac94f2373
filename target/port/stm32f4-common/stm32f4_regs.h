/* The STM32F4 and Cortex-M4 registers the ports touch (RM0090, the ARMv7-M
 * ARM). Shared by target/port/qemu-f405 and target/port/nucleo-f439zi; the
 * crypto peripherals have their own layer (target/crypto/hw/stm32_regs.h). */
#ifndef TLSRIG_STM32F4_REGS_H
#define TLSRIG_STM32F4_REGS_H

#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* System control block, SysTick, debug and DWT. */
#define SCB_ICSR REG32(0xE000ED04u)
#define SCB_VTOR REG32(0xE000ED08u)
#define SCB_AIRCR REG32(0xE000ED0Cu)
#define SCB_SHCSR REG32(0xE000ED24u)
#define SCB_CPACR REG32(0xE000ED88u)
#define SCB_CFSR REG32(0xE000ED28u)
#define SCB_HFSR REG32(0xE000ED2Cu)
#define SCB_MMFAR REG32(0xE000ED34u)
#define SCB_BFAR REG32(0xE000ED38u)
#define SCB_AIRCR_SYSRESETREQ (0x05FA0000u | (1u << 2))
/* MemManage, BusFault and UsageFault get their own vectors instead of escalating. */
#define SCB_SHCSR_FAULTS_ENABLE ((1u << 16) | (1u << 17) | (1u << 18))
#define SCB_ICSR_PENDSTCLR (1u << 25)
#define SYST_CSR REG32(0xE000E010u)
#define SYST_RVR REG32(0xE000E014u)
#define SYST_CVR REG32(0xE000E018u)
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2) /* processor clock */
#define DEMCR REG32(0xE000EDFCu)
#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL REG32(0xE0001000u)
#define DWT_CYCCNT REG32(0xE0001004u)
#define DWT_LAR REG32(0xE0001FB0u)
#define DWT_CTRL_CYCCNTENA (1u << 0)

/* NVIC: interrupt n is bit n % 32 of word n / 32. */
#define NVIC_ISER(n) REG32(0xE000E100u + 4u * ((n) / 32u))
#define NVIC_ICER(n) REG32(0xE000E180u + 4u * ((n) / 32u))
#define NVIC_ICPR(n) REG32(0xE000E280u + 4u * ((n) / 32u))
#define NVIC_BIT(n) (1u << ((n) % 32u))
#define USART1_IRQN 37u
#define USART3_IRQN 39u

/* RCC. */
#define RCC_BASE 0x40023800u
#define RCC_CR REG32(RCC_BASE + 0x00u)
#define RCC_PLLCFGR REG32(RCC_BASE + 0x04u)
#define RCC_CFGR REG32(RCC_BASE + 0x08u)
#define RCC_AHB1RSTR REG32(RCC_BASE + 0x10u)
#define RCC_AHB2RSTR REG32(RCC_BASE + 0x14u)
#define RCC_APB1RSTR REG32(RCC_BASE + 0x20u)
#define RCC_AHB1ENR REG32(RCC_BASE + 0x30u)
#define RCC_AHB2ENR REG32(RCC_BASE + 0x34u)
#define RCC_APB1ENR REG32(RCC_BASE + 0x40u)
#define RCC_APB2ENR REG32(RCC_BASE + 0x44u)
#define RCC_CSR REG32(RCC_BASE + 0x74u)
#define RCC_CR_HSION (1u << 0)
#define RCC_CR_HSIRDY (1u << 1)
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_HSEBYP (1u << 18)
#define RCC_CR_CSSON (1u << 19)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_PLLCFGR_SRC_HSE (1u << 22)
#define RCC_CFGR_SW_MASK 3u
#define RCC_CFGR_SW_PLL 2u
#define RCC_CFGR_SWS_SHIFT 2u
#define RCC_CFGR_PPRE1_DIV4 (5u << 10)
#define RCC_CFGR_PPRE2_DIV2 (4u << 13)
#define RCC_CSR_LSION (1u << 0)
#define RCC_CSR_LSIRDY (1u << 1)
#define RCC_CSR_RMVF (1u << 24)
#define RCC_AHB1ENR_GPIODEN (1u << 3)
#define RCC_AHB2_CRYP (1u << 4) /* CRYPEN / CRYPRST */
#define RCC_AHB2_HASH (1u << 5)
#define RCC_AHB2_RNG (1u << 6)
#define RCC_APB1ENR_TIM2EN (1u << 0)
#define RCC_APB1_USART3 (1u << 18)
#define RCC_APB1ENR_PWREN (1u << 28)
#define RCC_APB2ENR_USART1EN (1u << 4)

/* PWR (voltage scale 1 for 168 MHz) and the flash interface. */
#define PWR_CR REG32(0x40007000u)
#define PWR_CR_VOS_SCALE1 (3u << 14)
#define FLASH_ACR REG32(0x40023C00u)
#define FLASH_ACR_LATENCY_MASK 0xFu
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9)
#define FLASH_ACR_DCEN (1u << 10)
#define FLASH_ACR_ICRST (1u << 11)
#define FLASH_ACR_DCRST (1u << 12)

/* GPIO port D (USART3 on PD8/PD9). */
#define GPIOD_BASE 0x40020C00u
#define GPIO_MODER(base) REG32((base) + 0x00u)
#define GPIO_OSPEEDR(base) REG32((base) + 0x08u)
#define GPIO_PUPDR(base) REG32((base) + 0x0Cu)
#define GPIO_AFRH(base) REG32((base) + 0x24u)

/* USART (same block on USART1..6). */
#define USART1_BASE 0x40011000u
#define USART3_BASE 0x40004800u
#define USART_SR(base) REG32((base) + 0x00u)
#define USART_DR(base) REG32((base) + 0x04u)
#define USART_BRR(base) REG32((base) + 0x08u)
#define USART_CR1(base) REG32((base) + 0x0Cu)
#define USART_CR2(base) REG32((base) + 0x10u)
#define USART_CR3(base) REG32((base) + 0x14u)
#define USART_SR_ORE (1u << 3)
#define USART_SR_RXNE (1u << 5)
#define USART_SR_TXE (1u << 7)
#define USART_CR1_RE (1u << 2)
#define USART_CR1_TE (1u << 3)
#define USART_CR1_RXNEIE (1u << 5)
#define USART_CR1_TXEIE (1u << 7)
#define USART_CR1_UE (1u << 13)

/* Independent watchdog. */
#define IWDG_KR REG32(0x40003000u)
#define IWDG_PR REG32(0x40003004u)
#define IWDG_RLR REG32(0x40003008u)
#define IWDG_SR REG32(0x4000300Cu)
#define IWDG_KEY_RELOAD 0xAAAAu
#define IWDG_KEY_ENABLE 0xCCCCu
#define IWDG_KEY_UNLOCK 0x5555u

/* TIM2: 32-bit counter (the QEMU port's virtual-time clock). */
#define TIM2_BASE 0x40000000u
#define TIM2_CR1 REG32(TIM2_BASE + 0x00u)
#define TIM2_EGR REG32(TIM2_BASE + 0x14u)
#define TIM2_CNT REG32(TIM2_BASE + 0x24u)
#define TIM2_PSC REG32(TIM2_BASE + 0x28u)
#define TIM2_ARR REG32(TIM2_BASE + 0x2Cu)

/* 96-bit unique device id, factory programmed (QEMU reads zeros). */
#define UID_BASE 0x1FFF7A10u

#endif
