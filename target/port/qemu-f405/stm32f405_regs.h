/* What the QEMU port adds to the shared STM32F4 register layer
 * (target/port/stm32f4-common/stm32f4_regs.h). */
#ifndef TLSRIG_STM32F405_REGS_H
#define TLSRIG_STM32F405_REGS_H

#include "stm32f4_regs.h"

/* USART1 is interrupt 37 (bit 5 of the second enable/clear words). */
#define NVIC_ISER1 NVIC_ISER(USART1_IRQN)
#define NVIC_ICER1 NVIC_ICER(USART1_IRQN)
#define NVIC_ICPR1 NVIC_ICPR(USART1_IRQN)
#define USART1_IRQ_BIT NVIC_BIT(USART1_IRQN)

/* The core clock QEMU's netduinoplus2 models (its clock controller is not
 * modelled: RCC reads 0, so this cannot be discovered at run time). */
#define CORE_CLOCK_HZ 168000000u

#endif
