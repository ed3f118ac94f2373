/* Link goodput over the paced line model (bench/link): stop-and-wait costs
 * what the arithmetic says, and the window link_window_for picks keeps the
 * line busy (issue 16: >= 95 % of line rate at 115200, >= 90 % at 921600),
 * with every message delivered exactly once, in order. */
#include <criterion/criterion.h>

#include "line_model.h"
#include "link.h"
#include "link_goodput.h"

#define TURNAROUND_US 1000u
#define MESSAGES 100u

static link_goodput_result_t run(uint32_t baud, size_t payload, uint8_t window)
{
    link_goodput_setup_t s = {baud, TURNAROUND_US, payload, window, MESSAGES};
    link_goodput_result_t r;
    cr_assert_eq(link_goodput_run(&s, &r), 0, "baud %u payload %zu window %u", baud, payload,
                 window);
    cr_assert(r.in_order, "exactly once, in order");
    cr_assert_eq(r.payload_bytes, (uint64_t)payload * MESSAGES);
    cr_assert_eq(r.retransmits, 0u, "a lossless line needs no retransmission");
    return r;
}

/* Stop-and-wait: each message costs its frame, 2 turnarounds and an ACK;
 * the run ends when the last frame arrives (its ack does not count). */
static void expect_stop_and_wait_arithmetic(uint32_t baud, size_t payload)
{
    link_goodput_result_t r = run(baud, payload, 1);
    double byte_s = 10.0 / baud;
    double t = (double)(r.wire_bytes + LINK_ACK_WIRE_BYTES * (MESSAGES - 1u)) * byte_s +
               (2.0 * MESSAGES - 1.0) * TURNAROUND_US / 1e6;
    cr_assert_float_eq((double)r.elapsed_ns / 1e9, t, t * 0.001, "elapsed %.6f s, expected %.6f",
                       (double)r.elapsed_ns / 1e9, t);
}

Test(goodput, stop_and_wait_matches_the_arithmetic)
{
    expect_stop_and_wait_arithmetic(115200u, 256u);
    expect_stop_and_wait_arithmetic(921600u, 256u);
    expect_stop_and_wait_arithmetic(921600u, 1024u);
}

Test(goodput, stop_and_wait_leaves_the_fast_line_idle)
{
    /* The figures: about 87 % and 56 % at 256-byte frames. */
    cr_assert_float_eq(run(115200u, 256u, 1).pct, 87.0, 1.0);
    cr_assert_float_eq(run(921600u, 256u, 1).pct, 56.0, 1.0);
}

static void expect_window_fills(uint32_t baud, size_t payload, double min_pct)
{
    uint8_t w = link_window_for(baud, TURNAROUND_US / 1000u, LINK_WIRE_BYTES(payload),
                                LINK_GOODPUT_WINDOW_MAX);
    link_goodput_result_t r = run(baud, payload, w);
    cr_log_info("baud %u payload %zu window %u: %.2f %%", baud, payload, w, r.pct);
    cr_assert_geq(r.pct, min_pct, "baud %u payload %zu window %u: %.2f %%", baud, payload, w,
                  r.pct);
    /* The line is the limit: payload share of the wire bytes, within 1 %. */
    double ceiling = 100.0 * (double)r.payload_bytes / (double)r.wire_bytes;
    cr_assert_geq(r.pct, ceiling - 1.0, "%.2f %% against a ceiling of %.2f %%", r.pct, ceiling);
}

Test(goodput, the_sized_window_keeps_the_line_busy)
{
    expect_window_fills(115200u, 1024u, 95.0);
    expect_window_fills(115200u, 256u, 95.0);
    expect_window_fills(921600u, 1024u, 90.0);
    expect_window_fills(921600u, 256u, 90.0);
}

Test(goodput, line_model_paces_and_delays)
{
    static uint8_t storage[64];
    line_model_t l;
    uint8_t out[64];
    line_init(&l, 10000u, 1000u, storage, sizeof storage); /* 1 ms per byte, 1 ms latency */
    cr_assert_eq(line_write(&l, 0, (const uint8_t *)"abc", 3), 0);
    cr_assert_eq(line_write(&l, 0, (const uint8_t *)"de", 2), 0, "queues behind the first");
    cr_assert_eq(line_next_arrival_ns(&l), 4000000u);
    cr_assert_eq(line_read(&l, 3999999u, out, sizeof out), 0u);
    cr_assert_eq(line_read(&l, 4000000u, out, sizeof out), 3u);
    cr_assert_eq(line_next_arrival_ns(&l), 6000000u);
    cr_assert_eq(line_read(&l, 10000000u, out, sizeof out), 2u);
    cr_assert_eq(out[0], 'd');
    cr_assert_eq(line_next_arrival_ns(&l), LINE_MODEL_NEVER);
    cr_assert_eq(line_write(&l, 20000000u, storage, sizeof storage + 1u), -1, "storage full");
    cr_assert_eq(line_write(&l, 20000000u, (const uint8_t *)"f", 1), 0, "an idle line starts now");
    cr_assert_eq(line_next_arrival_ns(&l), 22000000u);
}
