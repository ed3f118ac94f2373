/* Faults on the board: no debugger, no semihosting. The fault handler saves
 * a panic record (panic_record.h: stacked registers, CFSR/HFSR/MMFAR/BFAR,
 * backtrace, uptime, boot count; magic and CRC-32) in .noinit RAM (CCM,
 * never cleared by the start-up code), resets the chip, and the next HELLO
 * sends it as T_PANIC and clears it. A record whose CRC does not match (the
 * RAM after a power-on holds noise) does not exist. */
#include <stdlib.h>
#include <string.h>

#include "f4_port.h"
#include "nucleo_f439zi.h"
#include "stm32f4_regs.h"

#define BOOT_MAGIC 0x424F4F54u /* "BOOT" */

typedef struct noinit_area {
    uint32_t boot_magic;
    uint32_t boot_count;
    uint8_t panic[PANIC_RECORD_WIRE_LEN];
} noinit_area_t;

static noinit_area_t g_noinit __attribute__((section(".noinit")));

void panic_boot(bool power_on)
{
    if (power_on || g_noinit.boot_magic != BOOT_MAGIC) {
        memset(&g_noinit, 0, sizeof g_noinit);
        g_noinit.boot_magic = BOOT_MAGIC;
    }
    g_noinit.boot_count++;
}

uint32_t panic_boot_count(void)
{
    return g_noinit.boot_count;
}

size_t panic_take(uint8_t *out, size_t cap)
{
    panic_record_t rec;
    if (cap < sizeof g_noinit.panic ||
        !panic_record_decode(g_noinit.panic, sizeof g_noinit.panic, &rec)) {
        return 0;
    }
    memcpy(out, g_noinit.panic, sizeof g_noinit.panic);
    memset(g_noinit.panic, 0, sizeof g_noinit.panic);
    return sizeof g_noinit.panic;
}

void board_reset(void)
{
    usart3_flush();
    __asm volatile("dsb" ::: "memory");
    SCB_AIRCR = SCB_AIRCR_SYSRESETREQ;
    __asm volatile("dsb" ::: "memory");
    for (;;) {
    }
}

void f4_fault(const char *what, uint32_t exception, const uint32_t *frame, uint32_t exc_return)
{
    (void)what; /* the exception number says it; the host names it */
    static panic_record_t rec;
    f4_fault_capture(&rec, exception, frame, exc_return);
    rec.uptime_ms = clock_ms();
    rec.boot_count = g_noinit.boot_count;
    (void)panic_record_encode(&rec, g_noinit.panic, sizeof g_noinit.panic);
    board_reset();
}

void f4_main_returned(int status)
{
    (void)status;
    f4_fault("main returned", PANIC_EXC_NONE, NULL, 0);
}

/* newlib's abort() (assertions, allocation failures in libc): a panic too. */
void abort(void)
{
    f4_fault("abort", PANIC_EXC_NONE, NULL, 0);
}
