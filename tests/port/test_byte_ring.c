/* The byte ring: all-or-nothing puts, wrap-around, the one spare byte, and
 * a long producer/consumer run against a reference (no byte lost, doubled
 * or reordered). */
#include <criterion/criterion.h>
#include <string.h>

#include "byte_ring.h"

Test(byte_ring, capacity_is_size_minus_one_and_puts_are_all_or_nothing)
{
    uint8_t storage[BYTE_RING_STORAGE(8)];
    byte_ring_t r;
    byte_ring_init(&r, storage, sizeof storage);
    cr_assert_eq(byte_ring_free(&r), 8u);
    const uint8_t data[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    cr_assert_not(byte_ring_put(&r, data, 9), "9 bytes do not fit 8");
    cr_assert_eq(byte_ring_used(&r), 0u, "a refused put leaves nothing behind");
    cr_assert(byte_ring_put(&r, data, 8));
    cr_assert_eq(byte_ring_free(&r), 0u);
    cr_assert_not(byte_ring_put_byte(&r, 0xAA), "full");
    uint8_t out[8];
    cr_assert_eq(byte_ring_get(&r, out, sizeof out), 8u);
    cr_assert_arr_eq(out, data, 8);
    cr_assert_eq(byte_ring_get_byte(&r), -1, "empty");
}

Test(byte_ring, wraps_around_the_end_of_the_buffer)
{
    uint8_t storage[BYTE_RING_STORAGE(5)];
    byte_ring_t r;
    byte_ring_init(&r, storage, sizeof storage);
    const uint8_t a[4] = {1, 2, 3, 4};
    const uint8_t b[4] = {5, 6, 7, 8};
    uint8_t out[4];
    cr_assert(byte_ring_put(&r, a, 4));
    cr_assert_eq(byte_ring_get(&r, out, 3), 3u);
    cr_assert(byte_ring_put(&r, b, 4), "4 free after reading 3: the put wraps");
    cr_assert_eq(byte_ring_get_byte(&r), 4);
    cr_assert_eq(byte_ring_get(&r, out, sizeof out), 4u);
    cr_assert_arr_eq(out, b, 4);
}

Test(byte_ring, clear_drops_what_is_buffered)
{
    uint8_t storage[BYTE_RING_STORAGE(16)];
    byte_ring_t r;
    byte_ring_init(&r, storage, sizeof storage);
    cr_assert(byte_ring_put(&r, (const uint8_t *)"abc", 3));
    byte_ring_clear(&r);
    cr_assert_eq(byte_ring_used(&r), 0u);
    cr_assert_eq(byte_ring_free(&r), 16u);
}

/* Odd sizes and chunkings against a counter: what comes out is exactly the
 * sequence that went in, minus the refused puts, which must be retried. */
Test(byte_ring, long_run_keeps_order_and_loses_nothing)
{
    uint8_t storage[BYTE_RING_STORAGE(37)];
    byte_ring_t r;
    byte_ring_init(&r, storage, sizeof storage);
    uint32_t next_in = 0, next_out = 0, refused = 0, state = 12345;
    while (next_out < 200000u) {
        state = state * 1103515245u + 12345u;
        size_t n = (state >> 16) % 23u;
        uint8_t chunk[23];
        for (size_t i = 0; i < n; i++) {
            chunk[i] = (uint8_t)(next_in + i);
        }
        if (byte_ring_put(&r, chunk, n)) {
            next_in += (uint32_t)n;
        } else {
            refused++;
        }
        uint8_t out[23];
        size_t got = byte_ring_get(&r, out, (state >> 8) % 19u);
        for (size_t i = 0; i < got; i++) {
            cr_assert_eq(out[i], (uint8_t)next_out, "byte %u", next_out);
            next_out++;
        }
    }
    cr_assert_gt(refused, 0u, "the run must have filled the ring");
}
