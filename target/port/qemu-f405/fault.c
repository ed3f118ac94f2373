/* HardFault (and escalated Mem/Bus/UsageFault) report: the stacked registers,
 * the fault status registers and a heuristic backtrace (stack words that look
 * like Thumb return addresses into .text). Written first on semihosting (it
 * needs nothing of the agent's state), then as a LOG frame on the link; then
 * QEMU exits with QEMU_F405_EXIT_FAULT. The host symbolises the addresses
 * (host/flash/hardfault_decode.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "debug_log.h"
#include "qemu_f405.h"
#include "stm32f405_regs.h"

extern uint32_t __text_start, __text_end, __stack_top;

#define BACKTRACE_MAX 12u
#define EXC_RETURN_STANDARD_FRAME (1u << 4) /* clear: the frame has FPU state */

void hardfault_entry(void);
void hardfault_dispatch(const uint32_t *frame, uint32_t exc_return);

/* Which stack holds the frame is in EXC_RETURN bit 2. */
__attribute__((naked)) void hardfault_entry(void)
{
    __asm volatile("tst lr, #4\n"
                   "ite eq\n"
                   "mrseq r0, msp\n"
                   "mrsne r0, psp\n"
                   "mov r1, lr\n"
                   "b hardfault_dispatch\n");
}

void hardfault_dispatch(const uint32_t *frame, uint32_t exc_return)
{
    qemu_f405_fault_report("HardFault", frame, exc_return);
}

static int looks_like_return_address(uint32_t w)
{
    return (w & 1u) && w > (uintptr_t)&__text_start && w < (uintptr_t)&__text_end;
}

/* Stack words from p up that look like return addresses, then a newline. */
static size_t append_backtrace(char *out, size_t cap, size_t len, const uint32_t *p)
{
    unsigned found = 0;
    for (; p < &__stack_top && found < BACKTRACE_MAX && len + 12u < cap; p++) {
        if (looks_like_return_address(*p)) {
            int n =
                snprintf(out + len, cap - len, "%s0x%08lx", found ? "," : "", (unsigned long)*p);
            len += n > 0 ? (size_t)n : 0u;
            found++;
        }
    }
    if (len + 1u < cap) {
        out[len++] = '\n';
        out[len] = '\0';
    }
    return len;
}

static size_t format_report(char *out, size_t cap, const char *what, const uint32_t *frame,
                            uint32_t exc_return)
{
    int n;
    if (frame == NULL) {
        /* No exception frame (abort, unexpected exception): registers are
         * meaningless, the backtrace comes from the current stack. */
        uint32_t here = 0; /* its address is the current stack pointer */
        n = snprintf(out, cap, "tlsrig: fault: %s stack-peak=%u backtrace=", what,
                     (unsigned)qemu_f405_stack_peak());
        size_t len = n < 0 ? 0 : ((size_t)n < cap ? (size_t)n : cap - 1u);
        return append_backtrace(out, cap, len, &here);
    }
    n = snprintf(out, cap,
                 "tlsrig: fault: %s pc=0x%08lx lr=0x%08lx sp=0x%08lx psr=0x%08lx cfsr=0x%08lx "
                 "hfsr=0x%08lx bfar=0x%08lx mmfar=0x%08lx r0=0x%08lx r1=0x%08lx r2=0x%08lx "
                 "r3=0x%08lx r12=0x%08lx stack-peak=%u backtrace=",
                 what, (unsigned long)frame[6], (unsigned long)frame[5],
                 (unsigned long)(uintptr_t)frame, (unsigned long)frame[7], (unsigned long)SCB_CFSR,
                 (unsigned long)SCB_HFSR, (unsigned long)SCB_BFAR, (unsigned long)SCB_MMFAR,
                 (unsigned long)frame[0], (unsigned long)frame[1], (unsigned long)frame[2],
                 (unsigned long)frame[3], (unsigned long)frame[4],
                 (unsigned)qemu_f405_stack_peak());
    size_t len = n < 0 ? 0 : ((size_t)n < cap ? (size_t)n : cap - 1u);
    /* Skip the exception frame: 8 words, 26 with the FPU state. */
    return append_backtrace(out, cap, len,
                            frame + ((exc_return & EXC_RETURN_STANDARD_FRAME) ? 8 : 26));
}

void qemu_f405_fault_report(const char *what, const uint32_t *frame, uint32_t exc_return)
{
    static char report[640];
    size_t len = format_report(report, sizeof report, what, frame, exc_return);
    qemu_f405_semihost_write(report);
    /* The log captured so far, then the report, as LOG frames (best effort). */
    debug_log_flush();
    agent_log(report, len);
    qemu_f405_exit(QEMU_F405_EXIT_FAULT);
}

/* newlib's abort() (assertions, allocation failures in libc) would spin in
 * libnosys's _exit: report it like a fault instead. */
void abort(void)
{
    qemu_f405_fault_report("abort", NULL, 0);
}
