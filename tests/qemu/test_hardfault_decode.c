/* hardfault_decode: the report line written by target/port/qemu-f405/fault.c. */
#include <criterion/criterion.h>
#include <string.h>

#include "hardfault_decode.h"

static const char k_report[] =
    "LOG before\ntlsrig: fault: HardFault pc=0x0800221c lr=0x08000b81 sp=0x2001fb58 "
    "psr=0x41080000 cfsr=0x00008200 hfsr=0x40000000 bfar=0x60000000 mmfar=0x00000000 "
    "r0=0x00000001 r1=0x0801fe1c r2=0x00000002 r3=0x60000000 r12=0xffffffff stack-peak=2228 "
    "backtrace=0x080142bb,0x08002687,0x08000559\nafter\n";

Test(qemu_hardfault_decode, parses_registers_and_backtrace)
{
    hardfault_report_t r;
    cr_assert(hardfault_parse(k_report, strlen(k_report), &r));
    cr_assert_str_eq(r.what, "HardFault");
    cr_assert(r.has_registers);
    cr_assert_eq(r.pc, 0x0800221cu);
    cr_assert_eq(r.lr, 0x08000b81u);
    cr_assert_eq(r.bfar, 0x60000000u);
    cr_assert_eq(r.r0, 1u);
    cr_assert_eq(r.r2, 2u);
    cr_assert_eq(r.stack_peak, 2228u);
    cr_assert_eq(r.n_backtrace, 3u);
    cr_assert_eq(r.backtrace[2], 0x08000559u);
}

Test(qemu_hardfault_decode, cause_from_fault_status)
{
    hardfault_report_t r;
    cr_assert(hardfault_parse(k_report, strlen(k_report), &r));
    char cause[256];
    hardfault_cause(&r, cause, sizeof cause);
    cr_assert_str_eq(cause, "precise data bus error at 0x60000000 (escalated to HardFault)");
    r.cfsr = 1u << 16;
    r.hfsr = 0;
    hardfault_cause(&r, cause, sizeof cause);
    cr_assert_str_eq(cause, "undefined instruction");
}

Test(qemu_hardfault_decode, last_report_wins_and_abort_has_no_registers)
{
    const char text[] = "tlsrig: fault: HardFault pc=0x1 lr=0x3 sp=0x4\n"
                        "tlsrig: fault: abort stack-peak=100 backtrace=0x08000011\n";
    hardfault_report_t r;
    cr_assert(hardfault_parse(text, strlen(text), &r));
    cr_assert_str_eq(r.what, "abort");
    cr_assert_not(r.has_registers);
    cr_assert_eq(r.n_backtrace, 1u);
    char out[512];
    /* No ELF: addresses stay raw, and the text still says what happened. */
    hardfault_symbolize(&r, NULL, NULL, out, sizeof out);
    cr_assert(strstr(out, "abort: abort") != NULL, "%s", out);
    cr_assert(strstr(out, "#0  0x08000010  ?") != NULL, "%s", out);
}

Test(qemu_hardfault_decode, survives_hostile_input)
{
    hardfault_report_t r;
    cr_assert_not(hardfault_parse("", 0, &r));
    cr_assert_not(hardfault_parse("tlsrig: fault", 13, &r));
    /* Not NUL-terminated, truncated mid-number, overlong values, no newline. */
    const char cut[] = {'t', 'l', 's', 'r', 'i', 'g', ':', ' ', 'f', 'a', 'u',
                        'l', 't', ':', ' ', 'X', ' ', 'p', 'c', '=', '0', 'x',
                        '9', '9', '9', '9', '9', '9', '9', '9', '9', '9', '9'};
    cr_assert(hardfault_parse(cut, sizeof cut, &r));
    cr_assert_not(r.has_registers);
    char big[4096];
    memset(big, 'A', sizeof big);
    memcpy(big, "tlsrig: fault: ", 15);
    memcpy(big + 100, " backtrace=", 11);
    cr_assert(hardfault_parse(big, sizeof big, &r));
    cr_assert_lt(strlen(r.what), sizeof r.what);
    cr_assert_eq(r.n_backtrace, 0u);
    char many[2048] = "tlsrig: fault: F pc=0x1 lr=0x2 sp=0x3 backtrace=";
    for (int i = 0; i < 40; i++) {
        strcat(many, "0x08000001,");
    }
    cr_assert(hardfault_parse(many, strlen(many), &r));
    cr_assert_eq(r.n_backtrace, HARDFAULT_MAX_FRAMES);
    char tiny[8];
    hardfault_symbolize(&r, NULL, NULL, tiny, sizeof tiny);
    cr_assert_lt(strlen(tiny), sizeof tiny);
}
