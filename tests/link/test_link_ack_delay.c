/* Delayed acks (link_set_ack_delay, docs/protocol.md 1.5): the ack of a
 * single message waits for this side's next frame and rides in its write; a
 * second message, a duplicate, a SYNC or the end of the delay sends it; other
 * channels ack at once. Two links wired by hand, fake clock. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "link.h"
#include "link_test_util.h"

#define RETRANSMIT_MS 100u
#define DELAY_MS 10u
#define WINDOW 4u

static test_endpoint_t ea, eb;
static link_t a, b; /* a sends; b delays its TUNNEL acks */
static link_tx_slot_t extra_a[WINDOW - 1u], extra_b[WINDOW - 1u];

static void setup(void)
{
    endpoint_init(&ea);
    endpoint_init(&eb);
    link_ops_t oa = endpoint_ops(&ea), ob = endpoint_ops(&eb);
    link_init(&a, &oa, RETRANSMIT_MS, 5);
    link_init(&b, &ob, RETRANSMIT_MS, 5);
    cr_assert_eq(link_set_window(&a, LINK_CH_TUNNEL, WINDOW, extra_a, WINDOW - 1u), LINK_OK);
    cr_assert_eq(link_set_window(&b, LINK_CH_TUNNEL, WINDOW, extra_b, WINDOW - 1u), LINK_OK);
    cr_assert_eq(link_set_ack_delay(&b, 1u << LINK_CH_TUNNEL, DELAY_MS), LINK_OK);
}

static void teardown(void)
{
    endpoint_free(&ea);
    endpoint_free(&eb);
}

TestSuite(ack_delay, .init = setup, .fini = teardown);

static void carry(test_endpoint_t *from, link_t *to, uint32_t now)
{
    link_rx(to, from->wire, from->wire_len, now);
    endpoint_clear_wire(from);
}

static void send(link_t *l, uint8_t channel, uint8_t tag, uint32_t now)
{
    uint8_t payload[8] = {tag, 1, 2, 3, 4, 5, 6, 7};
    cr_assert_eq(link_send(l, channel, 1, payload, sizeof payload, now), LINK_OK);
}

static size_t frames_on(const test_endpoint_t *e)
{
    size_t n = 0;
    for (size_t i = 0; i < e->wire_len; i++) {
        n += e->wire[i] == 0;
    }
    return n;
}

Test(ack_delay, the_ack_rides_in_the_write_of_the_next_frame)
{
    send(&a, LINK_CH_TUNNEL, 1, 0);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.n_msgs, 1u);
    cr_assert_eq(eb.wire_len, 0u, "the ack waits");
    cr_assert_eq(link_ack_wait_ms(&b, 3), DELAY_MS - 3u);
    cr_assert_not(link_all_acked(&a, LINK_CH_TUNNEL));

    send(&b, LINK_CH_TUNNEL, 2, 4); /* the answer */
    cr_assert_eq(eb.writes, 1u, "ack and answer in one write");
    cr_assert_eq(frames_on(&eb), 2u);
    cr_assert_eq(link_ack_wait_ms(&b, 4), UINT32_MAX, "nothing waits any more");
    cr_assert_eq(b.stats.frames_tx, 2u, "the ack counts as a frame");
    carry(&eb, &a, 4);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
    cr_assert_eq(ea.n_msgs, 1u);
    cr_assert_eq(a.stats.frames_rx, 2u);
}

Test(ack_delay, a_log_frame_carries_it_too)
{
    send(&a, LINK_CH_TUNNEL, 1, 0);
    carry(&ea, &b, 0);
    send(&b, LINK_CH_LOG, 9, 1);
    cr_assert_eq(eb.writes, 1u);
    carry(&eb, &a, 1);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
}

Test(ack_delay, the_ack_goes_alone_when_the_delay_has_passed)
{
    send(&a, LINK_CH_TUNNEL, 1, 100);
    carry(&ea, &b, 100);
    cr_assert_eq(link_poll(&b, 100 + DELAY_MS - 1u), LINK_OK);
    cr_assert_eq(eb.wire_len, 0u);
    cr_assert_eq(link_ack_wait_ms(&b, 100 + DELAY_MS - 1u), 1u);
    cr_assert_eq(link_poll(&b, 100 + DELAY_MS), LINK_OK);
    cr_assert_eq(frames_on(&eb), 1u);
    cr_assert_eq(eb.wire_len, (size_t)LINK_ACK_WIRE_BYTES, "a lone ACK");
    carry(&eb, &a, 100 + DELAY_MS);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
    cr_assert_eq(a.stats.retransmits, 0u);
}

Test(ack_delay, the_wait_survives_the_clock_wrapping)
{
    uint32_t t0 = UINT32_MAX - 3u;
    send(&a, LINK_CH_TUNNEL, 1, t0);
    carry(&ea, &b, t0);
    cr_assert_eq(link_ack_wait_ms(&b, t0 + 5u), DELAY_MS - 5u);
    cr_assert_eq(link_poll(&b, t0 + DELAY_MS), LINK_OK);
    cr_assert_eq(frames_on(&eb), 1u);
}

Test(ack_delay, a_second_message_is_acked_at_once)
{
    send(&a, LINK_CH_TUNNEL, 1, 0);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.wire_len, 0u);
    send(&a, LINK_CH_TUNNEL, 2, 1);
    carry(&ea, &b, 1);
    cr_assert_eq(frames_on(&eb), 1u, "one cumulative ack for both");
    carry(&eb, &a, 1);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
}

Test(ack_delay, two_messages_in_one_read_are_acked_at_once)
{
    send(&a, LINK_CH_TUNNEL, 1, 0);
    send(&a, LINK_CH_TUNNEL, 2, 0);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.n_msgs, 2u);
    cr_assert_eq(frames_on(&eb), 1u);
    carry(&eb, &a, 0);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
}

Test(ack_delay, a_duplicate_is_acked_at_once)
{
    send(&a, LINK_CH_TUNNEL, 1, 0);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.wire_len, 0u);
    /* The sender's timeout (longer than the delay in real use; here the ack waits). */
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS), LINK_OK);
    cr_assert_eq(a.stats.retransmits, 1u);
    carry(&ea, &b, 5);
    cr_assert_eq(b.stats.duplicates, 1u);
    cr_assert_eq(eb.n_msgs, 1u, "delivered once");
    cr_assert_eq(frames_on(&eb), 1u);
    carry(&eb, &a, 5);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
}

Test(ack_delay, other_channels_ack_at_once_and_take_the_waiting_ack_along)
{
    send(&a, LINK_CH_TUNNEL, 1, 0);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.wire_len, 0u);
    send(&a, LINK_CH_CTRL, 2, 1);
    carry(&ea, &b, 1);
    cr_assert_eq(frames_on(&eb), 2u, "CTRL's ack, and TUNNEL's with it");
    carry(&eb, &a, 1);
    cr_assert(link_all_acked(&a, LINK_CH_CTRL));
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
}

Test(ack_delay, turning_it_off_sends_what_waits)
{
    send(&a, LINK_CH_TUNNEL, 1, 0);
    carry(&ea, &b, 0);
    cr_assert_eq(link_set_ack_delay(&b, 0, 0), LINK_OK);
    cr_assert_eq(frames_on(&eb), 1u);
    carry(&eb, &a, 0);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
    send(&a, LINK_CH_TUNNEL, 2, 1);
    carry(&ea, &b, 1);
    cr_assert_eq(frames_on(&eb), 1u, "off: at once again");
}

Test(ack_delay, without_it_every_read_acks_at_once)
{
    send(&b, LINK_CH_TUNNEL, 1, 0); /* a has no delay set */
    carry(&eb, &a, 0);
    cr_assert_eq(frames_on(&ea), 1u);
    cr_assert_eq(link_ack_wait_ms(&a, 0), UINT32_MAX);
}

Test(ack_delay, bad_masks_are_refused)
{
    cr_assert_eq(link_set_ack_delay(&b, 1u << LINK_CH_LOG, 5), LINK_EINVAL);
    cr_assert_eq(link_set_ack_delay(&b, 1u << LINK_CH_COUNT, 5), LINK_EINVAL);
    /* The old setting stays. */
    send(&a, LINK_CH_TUNNEL, 1, 0);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.wire_len, 0u);
}
