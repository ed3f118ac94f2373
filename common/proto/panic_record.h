/* The panic record: what a board's fault handler saves in no-init RAM before
 * it resets, and what the next HELLO carries as T_PANIC. One fixed
 * little-endian layout with a magic and a CRC-32, encoded and decoded by the
 * same code on the target and the host (docs/protocol.md, "T_PANIC"). */
#ifndef TLSRIG_PANIC_RECORD_H
#define TLSRIG_PANIC_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PANIC_RECORD_MAGIC 0x504E4354u /* "TCNP" in memory: tlsrig panic */
#define PANIC_RECORD_VERSION 1u
#define PANIC_BACKTRACE_MAX 8u
/* magic, version, exception, 8 stacked registers, 9 more words, backtrace
 * count and words, CRC: 4 bytes each (120 bytes). */
#define PANIC_RECORD_WIRE_LEN (4u * (2u + 1u + 8u + 9u + 1u + PANIC_BACKTRACE_MAX + 1u))

/* Exception numbers (ARMv7-M); 0 for a fault that has no exception frame
 * (abort(), an unexpected interrupt, a failed start-up check). */
enum panic_exception {
    PANIC_EXC_NONE = 0,
    PANIC_EXC_NMI = 2,
    PANIC_EXC_HARDFAULT = 3,
    PANIC_EXC_MEMMANAGE = 4,
    PANIC_EXC_BUSFAULT = 5,
    PANIC_EXC_USAGEFAULT = 6,
};

typedef struct panic_record {
    uint32_t exception; /* enum panic_exception, or the IPSR of an unexpected one */
    /* The stacked frame: r0 r1 r2 r3 r12 lr pc xpsr (zeros without a frame). */
    uint32_t regs[8];
    uint32_t sp;         /* where the frame was */
    uint32_t exc_return; /* LR at exception entry */
    uint32_t cfsr, hfsr, mmfar, bfar;
    uint32_t uptime_ms;  /* since boot, at the fault */
    uint32_t boot_count; /* resets seen since power-on, this one included */
    uint32_t stack_peak; /* bytes, 0 when not measured */
    uint32_t n_backtrace;
    uint32_t backtrace[PANIC_BACKTRACE_MAX]; /* stack words that look like return addresses */
} panic_record_t;

/* Serialise (magic, version, fields, CRC-32 over everything before it).
 * Returns PANIC_RECORD_WIRE_LEN, or 0 when cap is too small. */
size_t panic_record_encode(const panic_record_t *rec, uint8_t *out, size_t cap);

/* Parse and check: the length, magic, version, CRC and the backtrace count.
 * true and *rec filled, or false (rec untouched). */
bool panic_record_decode(const uint8_t *buf, size_t len, panic_record_t *rec);

/* "HardFault", "MemManage", "BusFault", "UsageFault", "NMI", "abort" (0), or
 * "exception" for any other number. */
const char *panic_exception_name(uint32_t exception);

#endif
