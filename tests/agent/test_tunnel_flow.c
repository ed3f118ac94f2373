/* TUNNEL flow control through the real link state machine: a sender pushes
 * far more than the agent's ring holds while the agent reads slowly; every
 * byte arrives once and in order, the full ring refuses (no ack) instead of
 * dropping, and the sender never gives up. Then the connection boundaries:
 * what comes for a finished connection is taken and dropped, never handed
 * to the next one. */
#include <criterion/criterion.h>
#include <string.h>

#include "link.h"
#include "proto.h"
#include "tunnel_rx.h"

#define WIRE_CAP (64u * 1024u)

typedef struct wire {
    uint8_t buf[WIRE_CAP];
    size_t len;
} wire_t;

static int wire_write(void *ctx, const uint8_t *buf, size_t len)
{
    wire_t *w = ctx;
    cr_assert_leq(w->len + len, sizeof w->buf, "wire overflow in the test");
    memcpy(w->buf + w->len, buf, len);
    w->len += len;
    return 0;
}

/* The host side: what it delivered (acks only, nothing is sent to it here). */
static bool host_deliver(void *ctx, uint8_t channel, uint8_t type, const uint8_t *p, size_t len)
{
    (void)ctx;
    (void)channel;
    (void)type;
    (void)p;
    (void)len;
    return true;
}

typedef struct agent_side {
    wire_t out;
    tunnel_rx_t tunnel;
} agent_side_t;

static bool agent_deliver(void *ctx, uint8_t channel, uint8_t type, const uint8_t *p, size_t len)
{
    agent_side_t *a = ctx;
    cr_assert_eq(channel, LINK_CH_TUNNEL);
    return tunnel_rx_deliver(&a->tunnel, type, p, len);
}

static void pass(link_t *to, wire_t *w, uint32_t now)
{
    link_rx(to, w->buf, w->len, now);
    w->len = 0;
}

Test(tunnel_flow, a_full_ring_refuses_and_nothing_is_lost)
{
    static wire_t host_out;
    static agent_side_t agent;
    static uint8_t storage[BYTE_RING_STORAGE(4096)];
    static link_t host, target;
    memset(&host_out, 0, sizeof host_out);
    memset(&agent, 0, sizeof agent);
    link_ops_t hops = {.write = wire_write, .deliver = host_deliver, .ctx = &host_out};
    link_ops_t aops = {.write = wire_write, .deliver = agent_deliver, .ctx = &agent};
    /* The host's and the agent's retransmit settings (docs/protocol.md). */
    link_init(&host, &hops, 250u, 120u);
    link_init(&target, &aops, 200u, 25u);
    tunnel_rx_init(&agent.tunnel, storage, sizeof storage);
    tunnel_rx_begin(&agent.tunnel);

    const uint32_t total = 200u * 1024u;
    uint32_t sent = 0, received = 0, now = 0;
    bool opened_sent = false;
    for (uint32_t step = 0; received < total; step++) {
        cr_assert_lt(step, 200000u, "stalled at %u of %u bytes", received, total);
        if (link_can_send(&host, LINK_CH_TUNNEL)) {
            if (!opened_sent) {
                cr_assert_eq(link_send(&host, LINK_CH_TUNNEL, TUN_OPENED, NULL, 0, now), LINK_OK);
                opened_sent = true;
            } else if (sent < total) {
                uint8_t chunk[LINK_MAX_PAYLOAD];
                size_t n = 1u + (sent * 7u + 13u) % LINK_MAX_PAYLOAD;
                n = n > total - sent ? total - sent : n;
                for (size_t i = 0; i < n; i++) {
                    chunk[i] = (uint8_t)((sent + i) * 31u);
                }
                cr_assert_eq(link_send(&host, LINK_CH_TUNNEL, TUN_DATA, chunk, n, now), LINK_OK);
                sent += (uint32_t)n;
            }
        }
        pass(&target, &host_out, now);
        pass(&host, &agent.out, now);
        /* A slow reader: 300 bytes every 20 ms, far below what is offered. */
        if (step % 2u == 0) {
            uint8_t buf[300];
            size_t got = tunnel_rx_read(&agent.tunnel, buf, sizeof buf);
            for (size_t i = 0; i < got; i++, received++) {
                cr_assert_eq(buf[i], (uint8_t)(received * 31u), "byte %u", received);
            }
        }
        now += 10u;
        cr_assert_eq(link_poll(&host, now), LINK_OK, "the sender gave up");
        (void)link_poll(&target, now);
    }
    cr_assert_eq(received, total);
    cr_assert_gt(agent.tunnel.refused, 0u, "the ring must have been full");
    cr_assert_eq(target.stats.rx_refused, agent.tunnel.refused);
    cr_assert_eq(host.stats.gave_up, 0u);
    cr_assert_eq(target.stats.seq_skipped, 0u, "no message was skipped");
}

Test(tunnel_flow, refused_data_is_taken_once_there_is_room)
{
    static uint8_t storage[BYTE_RING_STORAGE(10)];
    tunnel_rx_t t;
    tunnel_rx_init(&t, storage, sizeof storage);
    tunnel_rx_begin(&t);
    cr_assert(tunnel_rx_deliver(&t, TUN_OPENED, NULL, 0));
    const uint8_t six[6] = {1, 2, 3, 4, 5, 6};
    cr_assert(tunnel_rx_deliver(&t, TUN_DATA, six, 6));
    cr_assert_not(tunnel_rx_deliver(&t, TUN_DATA, six, 6), "6 more do not fit 4 free");
    cr_assert_eq(t.refused, 1u);
    uint8_t out[6];
    cr_assert_eq(tunnel_rx_read(&t, out, 1), 1u);
    cr_assert_not(tunnel_rx_deliver(&t, TUN_DATA, six, 6), "5 free: still no room");
    cr_assert_eq(tunnel_rx_read(&t, out, 1), 1u);
    cr_assert(tunnel_rx_deliver(&t, TUN_DATA, six, 6), "6 free: the retransmission is taken");
    cr_assert_eq(t.refused, 2u);
    cr_assert_eq(tunnel_rx_read(&t, out, 4), 4u, "the rest of the first chunk");
    cr_assert_eq(tunnel_rx_read(&t, out, 6), 6u);
    cr_assert_arr_eq(out, six, 6);
}

Test(tunnel_flow, a_finished_connection_never_leaks_into_the_next)
{
    static uint8_t storage[BYTE_RING_STORAGE(64)];
    tunnel_rx_t t;
    tunnel_rx_init(&t, storage, sizeof storage);
    const uint8_t old_bytes[4] = {0xDE, 0xAD, 0xBE, 0xEF};
    const uint8_t new_bytes[3] = {0x16, 0x03, 0x03};
    uint8_t out[16];

    /* Before any connection, everything is stale (and taken: never queued on the host). */
    cr_assert(tunnel_rx_deliver(&t, TUN_DATA, old_bytes, 4));
    cr_assert_eq(tunnel_rx_read(&t, out, sizeof out), 0u);

    tunnel_rx_begin(&t);
    cr_assert(tunnel_rx_deliver(&t, TUN_OPENED, NULL, 0));
    cr_assert(tunnel_rx_deliver(&t, TUN_DATA, old_bytes, 4));
    tunnel_rx_end(&t); /* our close: unread bytes go, later ones too */
    cr_assert(tunnel_rx_deliver(&t, TUN_DATA, old_bytes, 4), "taken, so the host can drain");
    cr_assert(tunnel_rx_deliver(&t, TUN_CLOSE, NULL, 0));
    cr_assert_eq(tunnel_rx_read(&t, out, sizeof out), 0u);

    /* The next connection: the old tail still in flight before TUN_OPENED is dropped. */
    tunnel_rx_begin(&t);
    cr_assert(tunnel_rx_deliver(&t, TUN_DATA, old_bytes, 4));
    cr_assert(tunnel_rx_deliver(&t, TUN_CLOSE, NULL, 0));
    cr_assert_not(t.peer_closed, "an old close does not close the new connection");
    cr_assert_not(t.opened);
    cr_assert(tunnel_rx_deliver(&t, TUN_OPENED, NULL, 0));
    cr_assert(t.opened);
    cr_assert(tunnel_rx_deliver(&t, TUN_DATA, new_bytes, 3));
    cr_assert_eq(tunnel_rx_read(&t, out, sizeof out), 3u);
    cr_assert_arr_eq(out, new_bytes, 3);
    cr_assert_eq(t.stale_messages, 5u);
}

Test(tunnel_flow, a_failed_connect_is_a_reset_while_opening)
{
    static uint8_t storage[BYTE_RING_STORAGE(16)];
    tunnel_rx_t t;
    tunnel_rx_init(&t, storage, sizeof storage);
    tunnel_rx_begin(&t);
    cr_assert(tunnel_rx_deliver(&t, TUN_RESET, NULL, 0));
    cr_assert(t.peer_reset);
    cr_assert_not(t.opened);
}
