/* The panic record's wire format, shared by the board's fault handler and
 * the host's HELLO decoder: a round trip, and every kind of damage refused
 * (a record in RAM after a power-on is noise and must not decode). */
#include <criterion/criterion.h>
#include <string.h>

#include "panic_record.h"

static panic_record_t sample(void)
{
    panic_record_t r;
    memset(&r, 0, sizeof r);
    r.exception = PANIC_EXC_BUSFAULT;
    for (uint32_t i = 0; i < 8u; i++) {
        r.regs[i] = 0x11111111u * (i + 1u);
    }
    r.sp = 0x1000FF00u;
    r.exc_return = 0xFFFFFFF9u;
    r.cfsr = 0x00008200u;
    r.bfar = 0x60000000u;
    r.uptime_ms = 123456u;
    r.boot_count = 3u;
    r.stack_peak = 4096u;
    r.n_backtrace = 2u;
    r.backtrace[0] = 0x08001235u;
    r.backtrace[1] = 0x08004321u;
    return r;
}

Test(panic_record, round_trip)
{
    panic_record_t in = sample(), out;
    uint8_t wire[PANIC_RECORD_WIRE_LEN];
    cr_assert_eq(panic_record_encode(&in, wire, sizeof wire), PANIC_RECORD_WIRE_LEN);
    cr_assert(panic_record_decode(wire, sizeof wire, &out));
    cr_assert_eq(memcmp(&in, &out, sizeof in), 0);
    cr_assert_eq(wire[0], 0x54u, "little-endian magic");
    cr_assert_str_eq(panic_exception_name(out.exception), "BusFault");
}

Test(panic_record, any_flipped_bit_is_refused)
{
    panic_record_t in = sample(), out;
    uint8_t wire[PANIC_RECORD_WIRE_LEN];
    (void)panic_record_encode(&in, wire, sizeof wire);
    for (size_t i = 0; i < sizeof wire; i++) {
        for (unsigned bit = 0; bit < 8u; bit++) {
            wire[i] ^= (uint8_t)(1u << bit);
            cr_assert_not(panic_record_decode(wire, sizeof wire, &out), "byte %zu bit %u", i, bit);
            wire[i] ^= (uint8_t)(1u << bit);
        }
    }
}

Test(panic_record, wrong_length_small_buffer_and_bad_count_are_refused)
{
    panic_record_t in = sample(), out;
    uint8_t wire[PANIC_RECORD_WIRE_LEN + 4];
    cr_assert_eq(panic_record_encode(&in, wire, PANIC_RECORD_WIRE_LEN - 1u), 0u);
    (void)panic_record_encode(&in, wire, sizeof wire);
    cr_assert_not(panic_record_decode(wire, PANIC_RECORD_WIRE_LEN - 4u, &out));
    cr_assert_not(panic_record_decode(wire, PANIC_RECORD_WIRE_LEN + 4u, &out));
    cr_assert_not(panic_record_decode(NULL, PANIC_RECORD_WIRE_LEN, &out));
    in.n_backtrace = PANIC_BACKTRACE_MAX + 1u; /* a valid CRC over a bad count */
    (void)panic_record_encode(&in, wire, sizeof wire);
    cr_assert_not(panic_record_decode(wire, PANIC_RECORD_WIRE_LEN, &out));
}

Test(panic_record, zeroed_ram_is_no_record)
{
    uint8_t wire[PANIC_RECORD_WIRE_LEN] = {0};
    panic_record_t out;
    cr_assert_not(panic_record_decode(wire, sizeof wire, &out));
}

Test(panic_record, exception_names)
{
    cr_assert_str_eq(panic_exception_name(PANIC_EXC_HARDFAULT), "HardFault");
    cr_assert_str_eq(panic_exception_name(PANIC_EXC_MEMMANAGE), "MemManage");
    cr_assert_str_eq(panic_exception_name(PANIC_EXC_USAGEFAULT), "UsageFault");
    cr_assert_str_eq(panic_exception_name(PANIC_EXC_NONE), "abort");
    cr_assert_str_eq(panic_exception_name(42u), "exception");
}
