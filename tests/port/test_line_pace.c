/* The paced line's timing (target/port/sim: line_pace, uart_tx, timed_ring)
 * on virtual time: every figure follows from the baud, 10 bits a byte and the
 * turnaround, so the sim's line costs what a UART would. */
#include <criterion/criterion.h>

#include "line_pace.h"
#include "timed_ring.h"
#include "uart_tx.h"

#define MS 1000000ull
#define S 1000000000ull

/* ceil(n * 10 s / baud) computed independently of the unit. */
static uint64_t expect_wire(uint32_t baud, uint64_t n)
{
    return (n * 10u * S + baud - 1u) / baud;
}

Test(line_pace, one_byte_takes_ten_bit_times_plus_turnaround)
{
    line_pace_t p;
    cr_assert_eq(line_pace_init(&p, 115200, 1), 0);
    uint64_t t0 = 5 * S;
    cr_expect_eq(line_pace_deliver(&p, t0), t0 + 86806u + 1u * MS, "10 bits at 115200 = 86.806 us");
    cr_expect_eq(line_pace_idle_at(&p), t0 + 86806u);
}

Test(line_pace, back_to_back_bytes_do_not_drift)
{
    line_pace_t p;
    cr_assert_eq(line_pace_init(&p, 921600, 0), 0);
    uint64_t end = 0;
    for (int i = 0; i < 100000; i++) {
        end = line_pace_send(&p, 0); /* all offered at once: the line serialises them */
    }
    /* Rounding per byte would drift by up to 100000 ns; the anchor keeps it exact. */
    cr_expect_eq(end, expect_wire(921600, 100000));
}

Test(line_pace, a_long_burst_folds_its_anchor_exactly)
{
    line_pace_t p;
    cr_assert_eq(line_pace_init(&p, 1200, 0), 0);
    uint64_t end = 0;
    for (unsigned i = 0; i < 2u * 1200u + 7u; i++) {
        end = line_pace_send(&p, 3 * S);
    }
    cr_expect_eq(end, 3 * S + expect_wire(1200, 2u * 1200u + 7u));
    /* Offered while still busy, right at a fold boundary, a byte queues. */
    line_pace_t q;
    cr_assert_eq(line_pace_init(&q, 1200, 0), 0);
    for (unsigned i = 0; i < 1200u; i++) {
        (void)line_pace_send(&q, 0);
    }
    cr_expect_eq(line_pace_send(&q, 1 * S), 10 * S + expect_wire(1200, 1), "queued behind 10 s");
}

Test(line_pace, an_idle_line_starts_the_next_byte_when_offered)
{
    line_pace_t p;
    cr_assert_eq(line_pace_init(&p, 115200, 2), 0);
    (void)line_pace_send(&p, 0);
    uint64_t later = 1 * S;
    cr_expect_eq(line_pace_deliver(&p, later), later + expect_wire(115200, 1) + 2u * MS);
    /* Offered while the previous byte is still on the wire: it waits. */
    cr_expect_eq(line_pace_send(&p, later + 1u), later + expect_wire(115200, 2),
                 "starts when the line is free");
}

Test(line_pace, refuses_rates_and_turnarounds_out_of_range)
{
    line_pace_t p = {.baud = 42};
    cr_expect_eq(line_pace_init(&p, LINE_PACE_MIN_BAUD - 1u, 1), -1);
    cr_expect_eq(line_pace_init(&p, LINE_PACE_MAX_BAUD + 1u, 1), -1);
    cr_expect_eq(line_pace_init(&p, 115200, LINE_PACE_MAX_TURNAROUND_MS + 1u), -1);
    cr_expect_eq(p.baud, 42u, "nothing set on refusal");
    cr_expect_eq(line_pace_init(&p, LINE_PACE_MAX_BAUD, LINE_PACE_MAX_TURNAROUND_MS), 0);
}

Test(uart_tx, the_writer_blocks_only_when_the_fifo_is_full)
{
    uart_tx_t u;
    cr_assert_eq(uart_tx_init(&u, 115200, 1, 4), 0);
    uint64_t byte = expect_wire(115200, 1);
    for (unsigned i = 0; i < 4; i++) {
        cr_expect_eq(uart_tx_ready_at(&u, 0), 0u, "byte %u fits at once", i);
        cr_expect_eq(uart_tx_put(&u, 0), expect_wire(115200, i + 1u) + 1u * MS);
    }
    /* Fifth byte: room once the first has left. */
    cr_expect_eq(uart_tx_ready_at(&u, 0), byte);
    cr_expect_eq(uart_tx_ready_at(&u, 10 * byte), 10 * byte, "never before now");
}

Test(uart_tx, a_writer_that_always_waits_for_room_keeps_the_line_full)
{
    uart_tx_t u;
    cr_assert_eq(uart_tx_init(&u, 921600, 1, 16), 0);
    uint64_t at = 0, due = 0;
    for (unsigned i = 0; i < 50000; i++) {
        at = uart_tx_ready_at(&u, at);
        due = uart_tx_put(&u, at);
    }
    cr_expect_eq(due, expect_wire(921600, 50000) + 1u * MS, "no gap on the line");
    cr_expect_eq(at, expect_wire(921600, 50000 - 16), "the writer returns 16 bytes early");
}

Test(uart_tx, refuses_a_fifo_out_of_range)
{
    uart_tx_t u;
    cr_expect_eq(uart_tx_init(&u, 115200, 1, 0), -1);
    cr_expect_eq(uart_tx_init(&u, 115200, 1, UART_TX_MAX_FIFO + 1u), -1);
    cr_expect_eq(uart_tx_init(&u, 100, 1, 1), -1);
}

Test(timed_ring, hands_out_only_bytes_that_are_due_in_order)
{
    static timed_ring_t r;
    timed_ring_init(&r);
    cr_expect_eq(timed_ring_next_due(&r), UINT64_MAX);
    for (unsigned i = 0; i < 10; i++) {
        cr_assert_eq(timed_ring_push(&r, (uint8_t)('a' + i), 100u * (i + 1u)), 0);
    }
    uint8_t out[16];
    cr_expect_eq(timed_ring_take_due(&r, 99, out, sizeof out), 0u);
    cr_expect_eq(timed_ring_next_due(&r), 100u);
    cr_assert_eq(timed_ring_take_due(&r, 350, out, sizeof out), 3u);
    cr_expect_arr_eq(out, "abc", 3);
    cr_assert_eq(timed_ring_take_due(&r, 10000, out, 2), 2u, "bounded by cap");
    cr_expect_arr_eq(out, "de", 2);
    cr_expect_eq(timed_ring_next_due(&r), 600u);
}

Test(timed_ring, refuses_a_byte_when_full_and_wraps_around)
{
    static timed_ring_t r;
    timed_ring_init(&r);
    for (unsigned i = 0; i < TIMED_RING_CAP; i++) {
        cr_assert_eq(timed_ring_push(&r, (uint8_t)i, i), 0);
    }
    cr_expect(timed_ring_full(&r));
    cr_expect_eq(timed_ring_push(&r, 0, 0), -1);
    uint8_t out[8];
    cr_assert_eq(timed_ring_take_due(&r, 4, out, sizeof out), 5u);
    for (unsigned i = 0; i < 5; i++) {
        cr_assert_eq(timed_ring_push(&r, (uint8_t)(0xA0u + i), TIMED_RING_CAP + i), 0);
    }
    static uint8_t all[TIMED_RING_CAP];
    cr_assert_eq(timed_ring_take_due(&r, UINT64_MAX - 1u, all, sizeof all), TIMED_RING_CAP);
    cr_expect_eq(all[0], 5u);
    cr_expect_eq(all[TIMED_RING_CAP - 1u], 0xA4u, "the wrapped bytes come last");
}
