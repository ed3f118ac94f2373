/* Fault registers into a panic record, and the record as one line of text;
 * shared by the QEMU port (which prints it) and the board ports (which keep
 * it across a reset). The host symbolises the addresses
 * (host/flash/hardfault_decode.c). */
#include <stdio.h>
#include <string.h>

#include "f4_port.h"
#include "stm32f4_regs.h"

extern uint32_t __text_start, __text_end, __stack_top;

#define EXC_RETURN_STANDARD_FRAME (1u << 4) /* clear: the frame has FPU state */
#define FRAME_WORDS 8u
#define FRAME_WORDS_FPU 26u

static int looks_like_return_address(uint32_t w)
{
    return (w & 1u) && w > (uintptr_t)&__text_start && w < (uintptr_t)&__text_end;
}

/* A stack pointer the fault handler may read from: inside the stack region. */
static int readable_stack(const uint32_t *p)
{
    extern uint32_t __stack_limit;
    return p >= &__stack_limit && p < &__stack_top;
}

void f4_fault_capture(panic_record_t *rec, uint32_t exception, const uint32_t *frame,
                      uint32_t exc_return)
{
    memset(rec, 0, sizeof *rec);
    rec->exception = exception;
    rec->exc_return = exc_return;
    rec->cfsr = SCB_CFSR;
    rec->hfsr = SCB_HFSR;
    rec->mmfar = SCB_MMFAR;
    rec->bfar = SCB_BFAR;
    rec->stack_peak = (uint32_t)f4_stack_peak();
    const uint32_t *p;
    uint32_t here = 0; /* without a frame, its address is the current stack pointer */
    if (frame != NULL && readable_stack(frame)) {
        for (size_t i = 0; i < FRAME_WORDS; i++) {
            rec->regs[i] = frame[i];
        }
        rec->sp = (uint32_t)(uintptr_t)frame;
        p = frame + ((exc_return & EXC_RETURN_STANDARD_FRAME) ? FRAME_WORDS : FRAME_WORDS_FPU);
    } else {
        rec->sp = (uint32_t)(uintptr_t)frame;
        p = &here;
    }
    for (; readable_stack(p) && rec->n_backtrace < PANIC_BACKTRACE_MAX; p++) {
        if (looks_like_return_address(*p)) {
            rec->backtrace[rec->n_backtrace++] = *p;
        }
    }
}

size_t f4_fault_format(const panic_record_t *rec, const char *what, char *out, size_t cap)
{
    int n;
    if (rec->exception == PANIC_EXC_NONE || rec->sp == 0) {
        n = snprintf(out, cap, "tlsrig: fault: %s stack-peak=%u backtrace=", what,
                     (unsigned)rec->stack_peak);
    } else {
        const uint32_t *r = rec->regs;
        n = snprintf(out, cap,
                     "tlsrig: fault: %s pc=0x%08lx lr=0x%08lx sp=0x%08lx psr=0x%08lx "
                     "cfsr=0x%08lx hfsr=0x%08lx bfar=0x%08lx mmfar=0x%08lx r0=0x%08lx "
                     "r1=0x%08lx r2=0x%08lx r3=0x%08lx r12=0x%08lx stack-peak=%u backtrace=",
                     what, (unsigned long)r[6], (unsigned long)r[5], (unsigned long)rec->sp,
                     (unsigned long)r[7], (unsigned long)rec->cfsr, (unsigned long)rec->hfsr,
                     (unsigned long)rec->bfar, (unsigned long)rec->mmfar, (unsigned long)r[0],
                     (unsigned long)r[1], (unsigned long)r[2], (unsigned long)r[3],
                     (unsigned long)r[4], (unsigned)rec->stack_peak);
    }
    size_t len = n < 0 ? 0 : ((size_t)n < cap ? (size_t)n : cap - 1u);
    for (uint32_t i = 0; i < rec->n_backtrace && len + 12u < cap; i++) {
        n = snprintf(out + len, cap - len, "%s0x%08lx", i ? "," : "",
                     (unsigned long)rec->backtrace[i]);
        len += n > 0 ? (size_t)n : 0u;
    }
    if (len + 1u < cap) {
        out[len++] = '\n';
        out[len] = '\0';
    }
    return len;
}
