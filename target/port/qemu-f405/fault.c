/* HardFault (and escalated Mem/Bus/UsageFault) report: the shared capture
 * (stm32f4-common/fault_capture.c: stacked registers, fault status registers,
 * heuristic backtrace) as one line of text, written first on semihosting (it
 * needs nothing of the agent's state), then as a LOG frame on the link; then
 * QEMU exits with QEMU_F405_EXIT_FAULT. The host symbolises the addresses
 * (host/flash/hardfault_decode.c). */
#include <stdlib.h>

#include "agent.h"
#include "debug_log.h"
#include "f4_port.h"
#include "qemu_f405.h"

void f4_fault(const char *what, uint32_t exception, const uint32_t *frame, uint32_t exc_return)
{
    qemu_f405_fault_report(what, exception, frame, exc_return);
}

void f4_main_returned(int status)
{
    qemu_f405_exit(status);
}

void qemu_f405_fault_report(const char *what, uint32_t exception, const uint32_t *frame,
                            uint32_t exc_return)
{
    static char report[640];
    static panic_record_t rec;
    f4_fault_capture(&rec, exception, frame, exc_return);
    size_t len = f4_fault_format(&rec, what, report, sizeof report);
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
    qemu_f405_fault_report("abort", PANIC_EXC_NONE, NULL, 0);
}
