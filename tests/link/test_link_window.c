/* The sliding window (docs/protocol.md 1.5): several frames in flight per
 * reliable channel, cumulative acks, go-back-N after a loss or a refusal,
 * give-up of a whole window and the SYNC that tells the peer, and the window
 * sizing rule. Two links wired by hand, fake clock. */
#include <criterion/criterion.h>
#include <string.h>

#include "link.h"
#include "link_test_util.h"

#define RETRANSMIT_MS 50u
#define MAX_RETRIES 3u
#define WINDOW 4u

static test_endpoint_t ea, eb;
static link_t a, b;
static link_tx_slot_t extra[WINDOW - 1u];

static void setup(void)
{
    endpoint_init(&ea);
    endpoint_init(&eb);
    link_ops_t oa = endpoint_ops(&ea), ob = endpoint_ops(&eb);
    link_init(&a, &oa, RETRANSMIT_MS, MAX_RETRIES);
    link_init(&b, &ob, RETRANSMIT_MS, MAX_RETRIES);
    cr_assert_eq(link_set_window(&a, LINK_CH_TUNNEL, WINDOW, extra, WINDOW - 1u), LINK_OK);
}

static void teardown(void)
{
    endpoint_free(&ea);
    endpoint_free(&eb);
}

TestSuite(window, .init = setup, .fini = teardown);

static void carry(test_endpoint_t *from, link_t *to, uint32_t now)
{
    link_rx(to, from->wire, from->wire_len, now);
    endpoint_clear_wire(from);
}

/* Carry both ways until neither side has anything more to say. */
static void exchange(uint32_t now)
{
    while (ea.wire_len > 0 || eb.wire_len > 0) {
        carry(&ea, &b, now);
        carry(&eb, &a, now);
    }
}

/* Offsets of the frames on a wire (each ends with its 0x00). */
static size_t split_frames(const test_endpoint_t *e, size_t *start, size_t *end, size_t cap)
{
    size_t n = 0, off = 0;
    for (size_t i = 0; i < e->wire_len && n < cap; i++) {
        if (e->wire[i] == 0) {
            start[n] = off;
            end[n++] = i + 1u;
            off = i + 1u;
        }
    }
    return n;
}

/* Carry the frames of `from` except frame number `skip` (counted from 0). */
static void carry_without(test_endpoint_t *from, link_t *to, size_t skip, uint32_t now)
{
    size_t start[64], end[64];
    size_t n = split_frames(from, start, end, 64);
    for (size_t i = 0; i < n; i++) {
        if (i != skip) {
            link_rx(to, from->wire + start[i], end[i] - start[i], now);
        }
    }
    endpoint_clear_wire(from);
}

static void send_n(uint8_t first, uint8_t n, uint32_t now)
{
    for (uint8_t i = 0; i < n; i++) {
        uint8_t v = (uint8_t)(first + i);
        cr_assert_eq(link_send(&a, LINK_CH_TUNNEL, 1, &v, 1, now), LINK_OK, "message %u", v);
    }
}

static void expect_delivered_in_order(size_t n)
{
    cr_assert_eq(eb.n_msgs, n, "delivered %zu, expected %zu", eb.n_msgs, n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(eb.msgs[i].data[0], (uint8_t)i, "message %zu out of order", i);
    }
}

Test(window, arguments_are_checked)
{
    link_tx_slot_t two[2];
    cr_assert_eq(link_window(&a, LINK_CH_CTRL), 1u, "stop-and-wait until told otherwise");
    cr_assert_eq(link_window(&a, LINK_CH_TUNNEL), WINDOW);
    cr_assert_eq(link_window(&a, LINK_CH_LOG), 0u);
    cr_assert_eq(link_set_window(&a, LINK_CH_LOG, 2, two, 2), LINK_EINVAL);
    cr_assert_eq(link_set_window(&a, LINK_CH_COUNT, 2, two, 2), LINK_EINVAL);
    cr_assert_eq(link_set_window(&a, LINK_CH_CTRL, 0, two, 2), LINK_EINVAL);
    cr_assert_eq(link_set_window(&a, LINK_CH_CTRL, 4, two, 2), LINK_EINVAL, "more than storage");
    cr_assert_eq(link_set_window(&a, LINK_CH_CTRL, 2, NULL, 2), LINK_EINVAL);
    cr_assert_eq(link_set_window(&a, LINK_CH_CTRL, LINK_WINDOW_LIMIT + 1u, two, 500), LINK_EINVAL,
                 "half the sequence space is the limit");
    cr_assert_eq(link_set_window(&a, LINK_CH_CTRL, 3, two, 2), LINK_OK);
    cr_assert_eq(link_window(&a, LINK_CH_CTRL), 3u);
    cr_assert_eq(link_set_window(&a, LINK_CH_CTRL, 1, NULL, 0), LINK_OK);
    send_n(0, 1, 0);
    cr_assert_eq(link_set_window(&a, LINK_CH_TUNNEL, 2, extra, WINDOW - 1u), LINK_EBUSY,
                 "not while frames are in flight");
}

Test(window, fills_the_window_then_one_cumulative_ack_frees_it)
{
    send_n(0, WINDOW, 0);
    cr_assert_not(link_can_send(&a, LINK_CH_TUNNEL));
    cr_assert_not(link_all_acked(&a, LINK_CH_TUNNEL));
    uint8_t v = 99;
    cr_assert_eq(link_send(&a, LINK_CH_TUNNEL, 1, &v, 1, 0), LINK_EBUSY);
    cr_assert_eq(a.stats.frames_tx, WINDOW, "all sent at once, without waiting for acks");
    carry(&ea, &b, 1);
    expect_delivered_in_order(WINDOW);
    cr_assert_eq(b.stats.frames_tx, 1u, "one cumulative ack for the burst");
    carry(&eb, &a, 2);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
    cr_assert(link_can_send(&a, LINK_CH_TUNNEL));
}

Test(window, partial_acks_slide_the_window)
{
    send_n(0, WINDOW, 0);
    size_t start[8], end[8];
    cr_assert_eq(split_frames(&ea, start, end, 8), WINDOW);
    link_rx(&b, ea.wire, end[1], 1); /* the first two only */
    endpoint_clear_wire(&ea);
    carry(&eb, &a, 2);
    cr_assert(link_can_send(&a, LINK_CH_TUNNEL), "two slots free again");
    send_n(WINDOW, 2, 3);
    cr_assert_not(link_can_send(&a, LINK_CH_TUNNEL));
    /* Frames 2 and 3 never arrived: go back to 2 after the timeout. */
    carry(&ea, &b, 3);
    cr_assert_eq(b.stats.out_of_order, 2u, "4 and 5 are ahead of the missing 2");
    cr_assert_eq(eb.wire_len, 0u, "nothing new to ack");
    cr_assert_eq(link_poll(&a, 2 + RETRANSMIT_MS), LINK_OK);
    carry(&ea, &b, 2 + RETRANSMIT_MS);
    carry(&eb, &a, 2 + RETRANSMIT_MS); /* ack 2: the rest goes again at once */
    carry(&ea, &b, 2 + RETRANSMIT_MS);
    carry(&eb, &a, 2 + RETRANSMIT_MS);
    expect_delivered_in_order(WINDOW + 2u);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
    cr_assert_eq(b.stats.duplicates + b.stats.seq_skipped, 0u);
}

Test(window, a_lost_frame_costs_one_timeout_then_go_back_n)
{
    send_n(0, WINDOW, 0);
    carry_without(&ea, &b, 1, 0); /* frame 1 lost */
    expect_delivered_in_order(1);
    cr_assert_eq(b.stats.out_of_order, WINDOW - 2u);
    carry(&eb, &a, 0); /* ack 0 */
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS - 1u), LINK_OK);
    cr_assert_eq(ea.wire_len, 0u, "the new oldest frame got a full timeout");
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS), LINK_OK);
    cr_assert_eq(a.stats.retransmits, 1u, "a timeout resends the oldest frame only");
    carry(&ea, &b, RETRANSMIT_MS);
    carry(&eb, &a, RETRANSMIT_MS);
    cr_assert_eq(a.stats.retransmits, WINDOW - 1u, "the ack brought the others back");
    carry(&ea, &b, RETRANSMIT_MS);
    carry(&eb, &a, RETRANSMIT_MS);
    expect_delivered_in_order(WINDOW);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
    cr_assert_eq(a.stats.gave_up + b.stats.seq_skipped, 0u);
}

Test(window, lost_acks_are_repaired_by_one_retransmission)
{
    send_n(0, WINDOW, 0);
    carry(&ea, &b, 0);
    endpoint_clear_wire(&eb); /* the cumulative ack is lost */
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS), LINK_OK);
    carry(&ea, &b, RETRANSMIT_MS); /* the oldest again: a duplicate, acked with 3 */
    cr_assert_eq(b.stats.duplicates, 1u);
    carry(&eb, &a, RETRANSMIT_MS);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
    cr_assert_eq(a.stats.retransmits, 1u, "nothing else was sent again");
    expect_delivered_in_order(WINDOW);
}

Test(window, a_refused_frame_holds_back_the_rest_until_taken)
{
    eb.refuse = 1;
    send_n(0, WINDOW, 0);
    carry(&ea, &b, 0);
    cr_assert_eq(eb.n_msgs, 0u);
    cr_assert_eq(b.stats.rx_refused, 1u);
    cr_assert_eq(b.stats.out_of_order, WINDOW - 1u, "later frames wait for the refused one");
    cr_assert_eq(eb.wire_len, 0u, "nothing acked");
    for (uint32_t t = RETRANSMIT_MS; !link_all_acked(&a, LINK_CH_TUNNEL); t += RETRANSMIT_MS) {
        cr_assert_lt(t, 10u * RETRANSMIT_MS, "never completed");
        cr_assert_eq(link_poll(&a, t), LINK_OK);
        exchange(t);
    }
    expect_delivered_in_order(WINDOW);
    cr_assert_eq(b.stats.duplicates, 0u);
    cr_assert_eq(a.stats.retransmits, WINDOW, "one timeout, then the rest once");
}

Test(window, give_up_abandons_the_window_and_syncs_the_peer)
{
    send_n(0, 3, 0);
    endpoint_clear_wire(&ea); /* the peer never hears of them */
    int gave_up = 0;
    for (uint32_t t = RETRANSMIT_MS; t <= 10u * RETRANSMIT_MS; t += RETRANSMIT_MS) {
        gave_up += link_poll(&a, t) == LINK_EGAVEUP;
        endpoint_clear_wire(&ea);
    }
    cr_assert_eq(gave_up, 1, "reported once for the whole window");
    cr_assert_eq(a.stats.gave_up, 3u, "every abandoned message counted");
    cr_assert_eq(a.last_gave_up, LINK_CH_TUNNEL);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
    /* The next message: SYNC first, and the peer skips the three. */
    send_n(3, 2, 1000);
    cr_assert_eq(a.stats.frames_tx, 3u + MAX_RETRIES + 3u, "SYNC + two messages");
    carry(&ea, &b, 1000);
    cr_assert_eq(b.stats.seq_skipped, 3u);
    cr_assert_eq(eb.n_msgs, 2u);
    cr_assert_eq(eb.msgs[0].data[0], 3);
    cr_assert_eq(eb.msgs[1].data[0], 4);
    carry(&eb, &a, 1000);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
    /* In step again: no more SYNC. */
    size_t before = a.stats.frames_tx;
    send_n(5, 1, 1001);
    cr_assert_eq(a.stats.frames_tx, before + 1u);
    carry(&ea, &b, 1001);
    cr_assert_eq(eb.n_msgs, 3u);
}

Test(window, a_lost_sync_is_sent_again_with_the_retransmission)
{
    send_n(0, 2, 0);
    endpoint_clear_wire(&ea);
    a.max_retries = 0;
    cr_assert_eq(link_poll(&a, RETRANSMIT_MS), LINK_EGAVEUP);
    a.max_retries = MAX_RETRIES;
    send_n(2, 2, 100);
    endpoint_clear_wire(&ea); /* SYNC and both messages lost */
    cr_assert_eq(link_poll(&a, 100 + RETRANSMIT_MS), LINK_OK);
    carry(&ea, &b, 100 + RETRANSMIT_MS); /* SYNC + the oldest */
    cr_assert_eq(b.stats.seq_skipped, 2u);
    carry(&eb, &a, 100 + RETRANSMIT_MS); /* ack: the other goes again */
    carry(&ea, &b, 100 + RETRANSMIT_MS);
    carry(&eb, &a, 100 + RETRANSMIT_MS);
    cr_assert_eq(eb.n_msgs, 2u);
    cr_assert_eq(eb.msgs[0].data[0], 2);
    cr_assert_eq(eb.msgs[1].data[0], 3);
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
}

Test(window, give_up_after_lost_acks_skips_nothing)
{
    send_n(0, 3, 0);
    carry(&ea, &b, 0); /* delivered, but every ack is lost */
    for (uint32_t t = RETRANSMIT_MS; link_poll(&a, t) != LINK_EGAVEUP; t += RETRANSMIT_MS) {
        carry(&ea, &b, t);
        endpoint_clear_wire(&eb);
    }
    send_n(3, 1, 1000);
    carry(&ea, &b, 1000);
    carry(&eb, &a, 1000);
    expect_delivered_in_order(4);
    cr_assert_eq(b.stats.seq_skipped, 0u, "the peer had them all");
    cr_assert(link_all_acked(&a, LINK_CH_TUNNEL));
}

Test(window, sequence_numbers_wrap_with_a_full_window)
{
    uint32_t now = 0;
    for (unsigned round = 0; round < 200; round++, now++) {
        send_n((uint8_t)(round * WINDOW), WINDOW, now);
        carry(&ea, &b, now);
        carry(&eb, &a, now);
    }
    cr_assert_eq(eb.n_msgs, 200u * WINDOW);
    for (size_t i = 0; i < eb.n_msgs; i++) {
        cr_assert_eq(eb.msgs[i].data[0], (uint8_t)i);
    }
    cr_assert_eq(b.stats.duplicates + b.stats.out_of_order + b.stats.seq_skipped, 0u);
}

Test(window, malformed_sync_frames_are_resyncs)
{
    uint8_t frame[32], one = 1;
    size_t n = link_encode_frame(LINK_CH_LOG, LINK_TYPE_SYNC, 3, NULL, 0, frame, sizeof frame);
    link_rx(&b, frame, n, 0);
    n = link_encode_frame(LINK_CH_CTRL, LINK_TYPE_SYNC, 3, &one, 1, frame, sizeof frame);
    link_rx(&b, frame, n, 0);
    cr_assert_eq(b.stats.resyncs, 2u);
    cr_assert_eq(b.stats.frames_rx + b.stats.seq_skipped, 0u);
    cr_assert_eq(eb.wire_len, 0u);
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, LINK_TYPE_SYNC, NULL, 0, 0), LINK_EINVAL,
                 "SYNC belongs to the link");
}

Test(window, a_stale_sync_changes_nothing)
{
    send_n(0, 2, 0);
    carry(&ea, &b, 0);
    uint8_t frame[32];
    size_t n = link_encode_frame(LINK_CH_TUNNEL, LINK_TYPE_SYNC, 0, NULL, 0, frame, sizeof frame);
    link_rx(&b, frame, n, 0); /* behind what was delivered */
    cr_assert_eq(b.stats.seq_skipped, 0u);
    send_n(2, 1, 1);
    carry(&ea, &b, 1);
    expect_delivered_in_order(3);
}

Test(window, sizing_follows_the_line)
{
    size_t frame = LINK_WIRE_BYTES(1024u);
    /* 1 ms each way: the ack of a 1 KB frame is back within one frame time. */
    cr_assert_eq(link_window_for(115200u, 1u, frame, 16u), 3u);
    cr_assert_eq(link_window_for(921600u, 1u, frame, 16u), 3u);
    /* A longer turnaround or a faster line needs more frames in flight. */
    cr_assert_eq(link_window_for(921600u, 16u, frame, 16u), 5u);
    cr_assert_gt(link_window_for(921600u, 1u, LINK_WIRE_BYTES(16u), 64u),
                 link_window_for(921600u, 1u, frame, 64u));
    cr_assert_eq(link_window_for(921600u, 16u, frame, 2u), 2u, "clamped to max");
    cr_assert_eq(link_window_for(921600u, 60000u, frame, 255u), LINK_WINDOW_LIMIT);
    cr_assert_eq(link_window_for(115200u, 1u, frame, 0u), 1u);
    cr_assert_eq(link_window_for(0u, 1u, frame, 16u), LINK_WINDOW_SOCKET, "a socket");
    cr_assert_eq(link_window_for(0u, 1u, frame, 2u), 2u);
}

/* A fresh side joining a running peer (board_session's HELLO probe): a SYNC
 * at seq 0, then at 128, reaches a receiver whatever it expects, and the
 * peer's answer is taken whatever its sequence number. */
static bool probe_reaches(uint8_t expected, uint8_t peer_next, uint8_t start)
{
    link_ops_t ob = endpoint_ops(&eb);
    link_init(&b, &ob, RETRANSMIT_MS, MAX_RETRIES);
    b.rx_expected[LINK_CH_CTRL] = expected;
    b.tx[LINK_CH_CTRL].next_seq = peer_next;
    eb.n_msgs = 0;
    ea.n_msgs = 0;
    link_ops_t oa = endpoint_ops(&ea);
    link_init(&a, &oa, RETRANSMIT_MS, MAX_RETRIES);
    cr_assert_eq(link_join(&a, LINK_CH_CTRL, start), LINK_OK);
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, (const uint8_t *)"h", 1, 0), LINK_OK);
    carry(&ea, &b, 0);
    carry(&eb, &a, 0);
    if (eb.n_msgs != 1) {
        return false;
    }
    cr_assert(link_all_acked(&a, LINK_CH_CTRL), "expecting %u: not acked", expected);
    cr_assert_eq(link_send(&b, LINK_CH_CTRL, 2, (const uint8_t *)"a", 1, 0), LINK_OK);
    carry(&eb, &a, 0);
    carry(&ea, &b, 0);
    cr_assert_eq(ea.n_msgs, 1u, "the answer with seq %u was not taken", peer_next);
    cr_assert(link_all_acked(&b, LINK_CH_CTRL));
    /* Joined: from now on the usual rules, a repeat is a duplicate. */
    cr_assert_eq(link_send(&b, LINK_CH_CTRL, 2, (const uint8_t *)"b", 1, 0), LINK_OK);
    carry(&eb, &a, 0);
    cr_assert_eq(ea.n_msgs, 2u);
    return true;
}

Test(window, join_reaches_a_peer_in_any_state)
{
    for (unsigned r = 0; r < 256; r++) {
        uint8_t peer_next = (uint8_t)(r * 7u + 3u);
        bool reached =
            probe_reaches((uint8_t)r, peer_next, 0) || probe_reaches((uint8_t)r, peer_next, 128);
        cr_assert(reached, "a receiver expecting %u was not reached", r);
    }
    cr_assert_eq(link_join(&a, LINK_CH_LOG, 0), LINK_EINVAL);
    cr_assert_eq(link_send(&a, LINK_CH_CTRL, 1, NULL, 0, 0), LINK_OK);
    cr_assert_eq(link_join(&a, LINK_CH_CTRL, 0), LINK_EBUSY);
}
