/* Reliable channels and LOG between two links wired by hand: acks,
 * retransmission timing, give-up, duplicates, write failures, drop counting. */
#include <criterion/criterion.h>
#include <string.h>

#include "link.h"
#include "link_test_util.h"

#define RETRANSMIT_MS 50u
#define MAX_RETRIES 3u

static test_endpoint_t ea, eb;
static link_t a, b;

static void setup(void)
{
    endpoint_init(&ea);
    endpoint_init(&eb);
    link_ops_t oa = endpoint_ops(&ea), ob = endpoint_ops(&eb);
    link_init(&a, &oa, RETRANSMIT_MS, MAX_RETRIES);
    link_init(&b, &ob, RETRANSMIT_MS, MAX_RETRIES);
}

static void teardown(void)
{
    endpoint_free(&ea);
    endpoint_free(&eb);
}

TestSuite(reliable, .init = setup, .fini = teardown);

/* Move what `from` wrote into `to`'s receiver. */
static void carry(test_endpoint_t *from, link_t *to, uint32_t now)
{
    link_rx(to, from->wire, from->wire_len, now);
    endpoint_clear_wire(from);
}

static void drop_wire(test_endpoint_t *e)
{
    endpoint_clear_wire(e);
}

Test(reliable, message_delivered_and_acked)
{
    cr_assert(link_can_send(&a, LINK_CH_CTRL));
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 3, (const uint8_t *)"hello", 5, 0), LINK_OK);
    cr_assert_not(link_can_send(&a, LINK_CH_CTRL));
    cr_assert(link_can_send(&a, LINK_CH_TUNNEL), "channels are independent");
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 3, (const uint8_t *)"again", 5, 0), LINK_EBUSY);
    carry(&ea, &b, 1);
    cr_assert_eq(eb.n_msgs, 1u);
    cr_assert_eq(eb.msgs[0].channel, LINK_CH_CTRL);
    cr_assert_eq(eb.msgs[0].type, 3);
    cr_assert_arr_eq(eb.msgs[0].data, "hello", 5);
    carry(&eb, &a, 2); /* the ack */
    cr_assert(link_can_send(&a, LINK_CH_CTRL));
    cr_assert_eq(a.stats.frames_tx, 1u);
    cr_assert_eq(a.stats.frames_rx, 1u);
    cr_assert_eq(b.stats.frames_tx, 1u);
    cr_assert_eq(ea.n_msgs, 0u, "acks are not delivered");
    cr_assert_eq(a.stats.bytes_tx, b.stats.bytes_rx);
    cr_assert_eq(b.stats.bytes_tx, a.stats.bytes_rx);
}

Test(reliable, invalid_arguments)
{
    uint8_t big[LINK_MAX_PAYLOAD + 1] = {0};
    cr_assert_eq(link_send(&a, LINK_CH_COUNT, 1, NULL, 0, 0), LINK_EINVAL);
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, LINK_TYPE_ACK, NULL, 0, 0), LINK_EINVAL);
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, LINK_TYPE_MAX + 1u, NULL, 0, 0), LINK_EINVAL);
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, big, sizeof big, 0), LINK_EINVAL);
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, NULL, 4, 0), LINK_EINVAL);
    cr_assert_not(link_can_send(&a, LINK_CH_COUNT));
    cr_assert_eq(ea.writes, 0u);
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, big, LINK_MAX_PAYLOAD, 0), LINK_OK);
}

Test(reliable, retransmits_only_after_the_timeout)
{
    cr_assert_eq(link_send(&a, LINK_CH_TUNNEL, 2, (const uint8_t *)"x", 1, 1000), LINK_OK);
    size_t first = ea.wire_len;
    drop_wire(&ea);
    cr_assert_eq(link_poll(&a, 1000 + RETRANSMIT_MS - 1), LINK_OK);
    cr_assert_eq(ea.wire_len, 0u, "retransmitted early");
    cr_assert_eq(link_poll(&a, 1000 + RETRANSMIT_MS), LINK_OK);
    cr_assert_eq(ea.wire_len, first, "the same frame again");
    cr_assert_eq(a.stats.retransmits, 1u);
    carry(&ea, &b, 1100);
    carry(&eb, &a, 1100);
    cr_assert(link_can_send(&a, LINK_CH_TUNNEL));
    cr_assert_eq(link_poll(&a, 5000), LINK_OK);
    cr_assert_eq(ea.wire_len, 0u, "acked frames are not retransmitted");
}

Test(reliable, clock_wraparound)
{
    uint32_t t0 = UINT32_MAX - 10u;
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 2, NULL, 0, t0), LINK_OK);
    drop_wire(&ea);
    cr_assert_eq(link_poll(&a, t0 + RETRANSMIT_MS - 1u), LINK_OK);
    cr_assert_eq(ea.wire_len, 0u);
    cr_assert_eq(link_poll(&a, t0 + RETRANSMIT_MS), LINK_OK);
    cr_assert_gt(ea.wire_len, 0u);
}

Test(reliable, gives_up_after_max_retries_when_the_peer_is_gone)
{
    uint32_t now = 0;
    cr_assert_eq(link_send(&a, LINK_CH_RESULT, 4, (const uint8_t *)"r", 1, now), LINK_OK);
    int gave_up = 0;
    for (int step = 0; step < 100; step++) {
        now += RETRANSMIT_MS;
        if (link_poll(&a, now) == LINK_EGAVEUP) {
            gave_up++;
        }
    }
    drop_wire(&ea);
    cr_assert_eq(gave_up, 1, "reported once");
    cr_assert_eq(a.stats.retransmits, MAX_RETRIES);
    cr_assert_eq(a.stats.gave_up, 1u);
    cr_assert_eq(a.last_gave_up, LINK_CH_RESULT);
    cr_assert_eq(a.stats.frames_tx, 1u + MAX_RETRIES);
    /* The slot is free again and the next message reaches a peer that never
     * saw the abandoned one: a SYNC goes first, the message is delivered and
     * the skip is counted. */
    cr_assert(link_can_send(&a, LINK_CH_RESULT));
    cr_assert_eq(link_send(&a, LINK_CH_RESULT, 4, (const uint8_t *)"s", 1, now), LINK_OK);
    carry(&ea, &b, now);
    cr_assert_eq(eb.n_msgs, 1u);
    cr_assert_eq(eb.msgs[0].data[0], 's');
    cr_assert_eq(b.stats.seq_skipped, 1u);
    carry(&eb, &a, now);
    cr_assert(link_can_send(&a, LINK_CH_RESULT));
}

Test(reliable, give_up_when_only_acks_were_lost_does_not_eat_the_next_message)
{
    uint32_t now = 0;
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, (const uint8_t *)"1", 1, now), LINK_OK);
    carry(&ea, &b, now);
    drop_wire(&eb); /* every ack lost */
    while (link_poll(&a, now += RETRANSMIT_MS) != LINK_EGAVEUP) {
        carry(&ea, &b, now);
        drop_wire(&eb);
    }
    cr_assert_eq(eb.n_msgs, 1u);
    cr_assert_eq(b.stats.duplicates, MAX_RETRIES);
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, (const uint8_t *)"2", 1, now), LINK_OK);
    carry(&ea, &b, now);
    cr_assert_eq(eb.n_msgs, 2u);
    cr_assert_eq(eb.msgs[1].data[0], '2');
    cr_assert_eq(b.stats.seq_skipped, 0u);
}

Test(reliable, max_retries_zero_gives_up_at_the_first_timeout)
{
    a.max_retries = 0;
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, NULL, 0, 0), LINK_OK);
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS - 1u), LINK_OK);
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS), LINK_EGAVEUP);
    cr_assert_eq(a.stats.retransmits, 0u);
}

Test(reliable, one_give_up_per_poll)
{
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, NULL, 0, 0), LINK_OK);
    cr_assert_eq(link_send(&a, LINK_CH_TUNNEL, 1, NULL, 0, 0), LINK_OK);
    a.max_retries = 0;
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS), LINK_EGAVEUP);
    cr_assert_eq(a.last_gave_up, LINK_CH_CTRL);
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS), LINK_EGAVEUP);
    cr_assert_eq(a.last_gave_up, LINK_CH_TUNNEL);
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS), LINK_OK);
    cr_assert_eq(a.stats.gave_up, 2u);
}

Test(reliable, duplicate_frames_are_acked_again_but_delivered_once)
{
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 9, (const uint8_t *)"once", 4, 0), LINK_OK);
    uint8_t copy[LINK_MAX_ENCODED];
    size_t n = ea.wire_len;
    memcpy(copy, ea.wire, n);
    carry(&ea, &b, 0);
    link_rx(&b, copy, n, 0);
    link_rx(&b, copy, n, 0);
    cr_assert_eq(eb.n_msgs, 1u);
    cr_assert_eq(b.stats.duplicates, 2u);
    cr_assert_eq(b.stats.frames_tx, 3u, "three acks");
    carry(&eb, &a, 0);
    cr_assert(link_can_send(&a, LINK_CH_CTRL));
}

Test(reliable, acks_for_nothing_pending_are_ignored)
{
    uint8_t ack[16];
    /* Nothing pending: an ack changes nothing, the next send uses seq 0. */
    size_t n = link_encode_frame(LINK_CH_CTRL, LINK_TYPE_ACK, 0, NULL, 0, ack, sizeof ack);
    link_rx(&a, ack, n, 0);
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, NULL, 0, 0), LINK_OK);
    cr_assert_eq(a.tx[LINK_CH_CTRL].next_seq, 1, "the send used seq 0");
    /* Pending seq 0: an ack for seq 5, or on another channel, does not free it. */
    n = link_encode_frame(LINK_CH_CTRL, LINK_TYPE_ACK, 5, NULL, 0, ack, sizeof ack);
    link_rx(&a, ack, n, 0);
    n = link_encode_frame(LINK_CH_TUNNEL, LINK_TYPE_ACK, 0, NULL, 0, ack, sizeof ack);
    link_rx(&a, ack, n, 0);
    cr_assert_not(link_can_send(&a, LINK_CH_CTRL));
    cr_assert_eq(a.stats.frames_rx, 3u);
    n = link_encode_frame(LINK_CH_CTRL, LINK_TYPE_ACK, 0, NULL, 0, ack, sizeof ack);
    link_rx(&a, ack, n, 0);
    cr_assert(link_can_send(&a, LINK_CH_CTRL));
}

Test(reliable, sequence_numbers_are_per_channel_and_wrap)
{
    for (int i = 0; i < 600; i++) {
        uint8_t ch = (uint8_t)(i % 2 ? LINK_CH_CTRL : LINK_CH_RESULT);
        uint8_t v = (uint8_t)i;
        cr_assert_eq(link_send(&a, ch, 1, &v, 1, (uint32_t)i), LINK_OK);
        carry(&ea, &b, (uint32_t)i);
        carry(&eb, &a, (uint32_t)i);
    }
    cr_assert_eq(eb.n_msgs, 600u);
    for (int i = 0; i < 600; i++) {
        cr_assert_eq(eb.msgs[i].data[0], (uint8_t)i);
    }
    cr_assert_eq(a.tx[LINK_CH_CTRL].next_seq, (uint8_t)300);
    cr_assert_eq(a.tx[LINK_CH_TUNNEL].next_seq, 0);
    cr_assert_eq(b.stats.duplicates + b.stats.seq_skipped, 0u);
}

Test(reliable, failed_write_does_not_queue)
{
    ea.fail_writes = true;
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, (const uint8_t *)"a", 1, 0), LINK_EIO);
    cr_assert(link_can_send(&a, LINK_CH_CTRL));
    cr_assert_eq(a.stats.frames_tx, 0u);
    ea.fail_writes = false;
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, (const uint8_t *)"b", 1, 0), LINK_OK);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.n_msgs, 1u);
    cr_assert_eq(b.stats.seq_skipped, 0u, "the failed send used no sequence number");
}

Test(reliable, log_is_never_busy_and_never_acked)
{
    for (int i = 0; i < 10; i++) {
        cr_assert(link_can_send(&a, LINK_CH_LOG));
        cr_assert_eq(link_send(&a, LINK_CH_LOG, 1, (const uint8_t *)"l", 1, 0), LINK_OK);
    }
    carry(&ea, &b, 0);
    cr_assert_eq(eb.n_msgs, 10u);
    cr_assert_eq(eb.wire_len, 0u);
    cr_assert_eq(link_poll(&a, 100000), LINK_OK);
    cr_assert_eq(ea.wire_len, 0u, "LOG is never retransmitted");
}

Test(reliable, log_drops_are_counted_on_both_sides)
{
    uint8_t v;
    for (int i = 0; i < 20; i++) {
        ea.fail_writes = (i % 4 == 1); /* 5 failed writes */
        v = (uint8_t)i;
        int r = link_send(&a, LINK_CH_LOG, 1, &v, 1, 0);
        cr_assert_eq(r, ea.fail_writes ? LINK_EIO : LINK_OK);
    }
    cr_assert_eq(a.stats.log_dropped, 5u);
    /* Lose 3 more in transit: the 5th to 7th frames on the wire. */
    size_t off = 0, frame = 0;
    uint8_t kept[4096];
    size_t kept_len = 0;
    while (off < ea.wire_len) {
        size_t end = off;
        while (ea.wire[end] != 0) {
            end++;
        }
        if (frame < 4 || frame > 6) {
            memcpy(kept + kept_len, ea.wire + off, end + 1 - off);
            kept_len += end + 1 - off;
        }
        frame++;
        off = end + 1;
    }
    link_rx(&b, kept, kept_len, 0);
    cr_assert_eq(frame, 15u);
    cr_assert_eq(eb.n_msgs, 12u);
    cr_assert_eq(b.stats.log_dropped, 8u, "5 never sent + 3 lost, seen as gaps");
    for (size_t i = 1; i < eb.n_msgs; i++) {
        cr_assert_gt(eb.msgs[i].data[0], eb.msgs[i - 1].data[0], "LOG stays in order");
    }
}

Test(reliable, late_or_repeated_log_frames_are_not_delivered)
{
    uint8_t first[64];
    cr_assert_eq(link_send(&a, LINK_CH_LOG, 1, (const uint8_t *)"0", 1, 0), LINK_OK);
    size_t n = ea.wire_len;
    memcpy(first, ea.wire, n);
    drop_wire(&ea);
    cr_assert_eq(link_send(&a, LINK_CH_LOG, 1, (const uint8_t *)"1", 1, 0), LINK_OK);
    carry(&ea, &b, 0);        /* "1" arrives first: "0" counted lost */
    link_rx(&b, first, n, 0); /* "0" arrives late: not delivered out of order */
    link_rx(&b, first, n, 0);
    cr_assert_eq(eb.n_msgs, 1u);
    cr_assert_eq(eb.msgs[0].data[0], '1');
    cr_assert_eq(b.stats.log_dropped, 1u);
    cr_assert_eq(b.stats.duplicates, 2u);
}

Test(reliable, flush_peer_discards_a_partial_frame)
{
    cr_assert_eq(link_send(&a, LINK_CH_LOG, 1, (const uint8_t *)"x", 1, 0), LINK_OK);
    link_rx(&b, ea.wire, ea.wire_len - 3u, 0); /* half a frame */
    drop_wire(&ea);
    cr_assert_eq(link_flush_peer(&a), LINK_OK);
    cr_assert_eq(ea.wire_len, 1u);
    cr_assert_eq(ea.wire[0], 0);
    carry(&ea, &b, 0);
    cr_assert_eq(link_send(&a, LINK_CH_LOG, 1, (const uint8_t *)"y", 1, 0), LINK_OK);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.n_msgs, 1u);
    cr_assert_eq(eb.msgs[0].data[0], 'y');
    ea.fail_writes = true;
    cr_assert_eq(link_flush_peer(&a), LINK_EIO);
}

/* A message the application refuses (busy, out of memory) is not acked: the
 * sender keeps it and retransmits it, and it is delivered once when taken. */
Test(reliable, refused_message_is_not_acked_and_comes_again)
{
    eb.refuse = 2;
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 4, (const uint8_t *)"busy", 4, 0), LINK_OK);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.n_msgs, 0u);
    cr_assert_eq(eb.wire_len, 0u, "refused: no ack");
    cr_assert_eq(b.stats.rx_refused, 1u);
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS), LINK_OK);
    carry(&ea, &b, RETRANSMIT_MS);
    cr_assert_eq(eb.wire_len, 0u, "refused again: still no ack");
    cr_assert_not(link_can_send(&a, LINK_CH_CTRL), "the sender still holds it");
    cr_assert_eq(link_poll(&a, 2 * RETRANSMIT_MS), LINK_OK);
    carry(&ea, &b, 2 * RETRANSMIT_MS);
    cr_assert_eq(eb.n_msgs, 1u);
    cr_assert_arr_eq(eb.msgs[0].data, "busy", 4);
    cr_assert_eq(b.stats.rx_refused, 2u);
    cr_assert_eq(b.stats.duplicates, 0u, "a refused frame is not a duplicate");
    carry(&eb, &a, 2 * RETRANSMIT_MS);
    cr_assert(link_can_send(&a, LINK_CH_CTRL));
    /* The next message takes the next sequence number and is delivered too. */
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 4, (const uint8_t *)"next", 4, 0), LINK_OK);
    carry(&ea, &b, 3 * RETRANSMIT_MS);
    cr_assert_eq(eb.n_msgs, 2u);
    cr_assert_eq(b.stats.seq_skipped, 0u);
}

/* Refused until the sender's retries run out: the sender knows (EGAVEUP) and
 * the receiver never delivered it, so nothing was acked and then lost. */
Test(reliable, refused_until_give_up_is_reported_by_the_sender)
{
    eb.refuse = 100;
    cr_assert_eq(link_send(&a, LINK_CH_RESULT, 1, (const uint8_t *)"x", 1, 0), LINK_OK);
    int r = LINK_OK;
    for (uint32_t t = 0; t <= (MAX_RETRIES + 1u) * RETRANSMIT_MS && r == LINK_OK;
         t += RETRANSMIT_MS) {
        carry(&ea, &b, t);
        r = link_poll(&a, t + RETRANSMIT_MS);
    }
    cr_assert_eq(r, LINK_EGAVEUP);
    cr_assert_eq(eb.n_msgs, 0u);
    cr_assert_eq(eb.wire_len, 0u, "never acked");
    cr_assert_eq(b.stats.rx_refused, MAX_RETRIES + 1u);
}

Test(reliable, refused_log_message_counts_as_dropped)
{
    eb.refuse = 1;
    cr_assert_eq(link_send(&a, LINK_CH_LOG, 1, (const uint8_t *)"a", 1, 0), LINK_OK);
    cr_assert_eq(link_send(&a, LINK_CH_LOG, 1, (const uint8_t *)"b", 1, 0), LINK_OK);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.n_msgs, 1u);
    cr_assert_eq(eb.msgs[0].data[0], 'b');
    cr_assert_eq(b.stats.log_dropped, 1u);
    cr_assert_eq(b.stats.rx_refused, 0u, "rx_refused counts reliable frames only");
}
