/* Reset and exception entry for the STM32F405: vector table, C runtime set-up
 * (copy .data, zero .bss and CCM, FPU on), then main(). */
#include <stdint.h>

#include "qemu_f405.h"
#include "stm32f405_regs.h"

extern uint32_t __data_start, __data_end, __data_load;
extern uint32_t __bss_start, __bss_end, __ccm_start, __ccm_end;
extern uint32_t __stack_top, __stack_limit;
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

int main(void);
void reset_handler(void);
void default_handler(void);
void hardfault_entry(void);
void systick_handler(void);

/* Stack painting lets the port report the stack's high-water mark. */
#define STACK_PAINT 0xA5A5A5A5u

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
    /* Paint the stack below the current frame. */
    uint32_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *p = &__stack_limit; p < sp - 16;) {
        *p++ = STACK_PAINT;
    }
    for (void (**f)(void) = __init_array_start; f < __init_array_end; f++) {
        (*f)();
    }
    int status = main();
    qemu_f405_exit(status);
}

/* Paint again below the caller's frame (16 words of margin), so the next
 * peak is that of what runs from here on. No interrupt is enabled while the
 * agent works between link waits, so nothing else uses that stack area. */
void qemu_f405_stack_repaint(void)
{
    uint32_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    for (volatile uint32_t *p = &__stack_limit; p < sp - 16;) {
        *p++ = STACK_PAINT;
    }
}

size_t qemu_f405_stack_peak(void)
{
    const uint32_t *p = &__stack_limit;
    while (p < &__stack_top && *p == STACK_PAINT) {
        p++;
    }
    return (size_t)((uintptr_t)&__stack_top - (uintptr_t)p);
}

void default_handler(void)
{
    qemu_f405_fault_report("unexpected exception", NULL, 0);
}

/* Cortex-M4: 16 system entries, then the STM32F405's 82 interrupts. */
#define VECTOR_COUNT (16u + 82u)

__attribute__((section(".isr_vector"), used)) const uintptr_t g_vectors[VECTOR_COUNT] = {
    [0] = (uintptr_t)&__stack_top,
    [1] = (uintptr_t)reset_handler,
    [16 ... 16 + 36] = (uintptr_t)default_handler, /* not enabled */
    [16 + 37] = (uintptr_t)usart1_irq_handler,     /* USART1: wakes a link wait */
    [16 + 38 ... VECTOR_COUNT - 1u] = (uintptr_t)default_handler,
    [2] = (uintptr_t)default_handler,  /* NMI */
    [3] = (uintptr_t)hardfault_entry,  /* HardFault */
    [4] = (uintptr_t)hardfault_entry,  /* MemManage (escalates unless enabled) */
    [5] = (uintptr_t)hardfault_entry,  /* BusFault */
    [6] = (uintptr_t)hardfault_entry,  /* UsageFault */
    [11] = (uintptr_t)default_handler, /* SVCall */
    [12] = (uintptr_t)default_handler, /* DebugMonitor */
    [14] = (uintptr_t)default_handler, /* PendSV */
    [15] = (uintptr_t)systick_handler,
};
