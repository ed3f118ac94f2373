/* Fault reports from Cortex-M firmware (target/port/qemu-f405/fault.c) to a
 * symbolised backtrace, using the image's ELF and arm-none-eabi-addr2line. */
#ifndef TLSRIG_HARDFAULT_DECODE_H
#define TLSRIG_HARDFAULT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HARDFAULT_MAX_FRAMES 16u

typedef struct hardfault_report {
    char what[32];
    bool has_registers;
    uint32_t pc, lr, sp, psr, cfsr, hfsr, bfar, mmfar;
    uint32_t r0, r1, r2, r3, r12;
    uint32_t stack_peak;
    uint32_t backtrace[HARDFAULT_MAX_FRAMES];
    size_t n_backtrace;
} hardfault_report_t;

/* Finds the last "tlsrig: fault: " line in text (any bytes, len bounded) and
 * parses it. false when there is none. */
bool hardfault_parse(const char *text, size_t len, hardfault_report_t *out);

/* The cause in words from CFSR/HFSR, e.g. "precise data bus error at 0x60000000". */
void hardfault_cause(const hardfault_report_t *r, char *out, size_t cap);

/* Multi-line text: cause, registers, and pc, lr and each backtrace address as
 * "function at file:line" from `addr2line` (tool: NULL for
 * "arm-none-eabi-addr2line"). Without the tool or the ELF the addresses are
 * printed raw. Returns the length written (always NUL-terminated). */
size_t hardfault_symbolize(const hardfault_report_t *r, const char *elf, const char *tool,
                           char *out, size_t cap);

#endif
