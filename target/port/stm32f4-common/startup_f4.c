/* Reset and exception entry for the STM32F4 ports: vector table, C runtime
 * set-up (copy .data, zero .bss and the CCM area, FPU on, stack paint), then
 * main(). Interrupt handlers are weak: a port defines the ones it enables,
 * the rest end in the port's f4_fault() as "unexpected exception". */
#include <stdint.h>

#include "f4_port.h"
#include "stm32f4_regs.h"

extern uint32_t __data_start, __data_end, __data_load;
extern uint32_t __bss_start, __bss_end, __ccm_start, __ccm_end;
extern uint32_t __stack_top, __stack_limit;
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

int main(void);
void reset_handler(void);
void default_handler(void);
void fault_entry(void);
void f4_fault_dispatch(const uint32_t *frame, uint32_t exc_return);

void systick_handler(void) __attribute__((weak, alias("default_handler")));
void usart1_irq_handler(void) __attribute__((weak, alias("default_handler")));
void usart3_irq_handler(void) __attribute__((weak, alias("default_handler")));

/* Stack painting lets the port report the stack's high-water mark. */
#define STACK_PAINT 0xA5A5A5A5u
#define IPSR_EXCEPTION_MASK 0x1FFu

void reset_handler(void)
{
    /* CP10/CP11 full access before any FPU instruction (the ABI is hard-float). */
    SCB_CPACR |= 0xFu << 20;
    __asm volatile("dsb\n isb" ::: "memory");
    const uint32_t *src = &__data_load;
    for (uint32_t *dst = &__data_start; dst < &__data_end;) {
        *dst++ = *src++;
    }
    for (uint32_t *p = &__bss_start; p < &__bss_end;) {
        *p++ = 0;
    }
    for (uint32_t *p = &__ccm_start; p < &__ccm_end;) {
        *p++ = 0;
    }
    f4_stack_repaint();
    for (void (**f)(void) = __init_array_start; f < __init_array_end; f++) {
        (*f)();
    }
    f4_main_returned(main());
}

/* Paint below the caller's frame (16 words of margin), so the next peak is
 * that of what runs from here on. Interrupt handlers that run meanwhile use
 * the same stack: their depth counts in the peak, as it should. */
void f4_stack_repaint(void)
{
    uint32_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    for (volatile uint32_t *p = &__stack_limit; p < sp - 16;) {
        *p++ = STACK_PAINT;
    }
}

size_t f4_stack_peak(void)
{
    const uint32_t *p = &__stack_limit;
    while (p < &__stack_top && *p == STACK_PAINT) {
        p++;
    }
    return (size_t)((uintptr_t)&__stack_top - (uintptr_t)p);
}

static uint32_t current_exception(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr & IPSR_EXCEPTION_MASK;
}

void default_handler(void)
{
    f4_fault("unexpected exception", current_exception(), NULL, 0);
}

/* Which stack holds the frame is in EXC_RETURN bit 2. */
__attribute__((naked)) void fault_entry(void)
{
    __asm volatile("tst lr, #4\n"
                   "ite eq\n"
                   "mrseq r0, msp\n"
                   "mrsne r0, psp\n"
                   "mov r1, lr\n"
                   "b f4_fault_dispatch\n");
}

void f4_fault_dispatch(const uint32_t *frame, uint32_t exc_return)
{
    uint32_t exception = current_exception();
    f4_fault(panic_exception_name(exception), exception, frame, exc_return);
}

/* Cortex-M4: 16 system entries, then the STM32F42x/43x's 91 interrupts (the
 * F405 has 82; the extra entries are never taken there). */
#define VECTOR_COUNT (16u + 91u)

__attribute__((section(".isr_vector"), used)) const uintptr_t g_vectors[VECTOR_COUNT] = {
    [0] = (uintptr_t)&__stack_top,
    [1] = (uintptr_t)reset_handler,
    [16 ... 16 + USART1_IRQN - 1u] = (uintptr_t)default_handler,
    [16 + USART1_IRQN] = (uintptr_t)usart1_irq_handler,
    [16 + USART1_IRQN + 1u ... 16 + USART3_IRQN - 1u] = (uintptr_t)default_handler,
    [16 + USART3_IRQN] = (uintptr_t)usart3_irq_handler,
    [16 + USART3_IRQN + 1u ... VECTOR_COUNT - 1u] = (uintptr_t)default_handler,
    [2] = (uintptr_t)default_handler,  /* NMI */
    [3] = (uintptr_t)fault_entry,      /* HardFault */
    [4] = (uintptr_t)fault_entry,      /* MemManage (escalates unless enabled) */
    [5] = (uintptr_t)fault_entry,      /* BusFault */
    [6] = (uintptr_t)fault_entry,      /* UsageFault */
    [11] = (uintptr_t)default_handler, /* SVCall */
    [12] = (uintptr_t)default_handler, /* DebugMonitor */
    [14] = (uintptr_t)default_handler, /* PendSV */
    [15] = (uintptr_t)systick_handler,
};
