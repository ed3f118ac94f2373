/* The host link under injected faults (issue 12): a message is acknowledged
 * only once it has been accepted (allocation failure), and a transport that
 * stays full (EAGAIN) ends the link with a named error at a deadline instead
 * of hanging the host. The peer is a plain link_t on the other end of a
 * socketpair, driven with a fake clock. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent_rpc.h"
#include "host_link.h"
#include "link_test_util.h"
#include "proto.h"
#include "tlv.h"

#define PEER_RETRANSMIT_MS 100u

static int g_sv[2];
static host_link_t g_hl;
static link_t g_peer;
static test_endpoint_t g_peer_end; /* what the host delivered to the peer */
static size_t g_fail_allocs;       /* fail this many allocations, then succeed */
static size_t g_failed_allocs;

static void *flaky_alloc(size_t size)
{
    if (g_fail_allocs > 0) {
        g_fail_allocs--;
        g_failed_allocs++;
        return NULL;
    }
    return malloc(size);
}

static int peer_write(void *ctx, const uint8_t *buf, size_t len)
{
    (void)ctx;
    return write(g_sv[1], buf, len) == (ssize_t)len ? 0 : -1;
}

/* Whatever the host wrote, into the peer's receiver. true if there was any. */
static bool peer_read(uint32_t now)
{
    uint8_t buf[4096];
    bool any = false;
    struct pollfd p = {.fd = g_sv[1], .events = POLLIN};
    while (poll(&p, 1, 0) > 0) {
        ssize_t n = read(g_sv[1], buf, sizeof buf);
        cr_assert_gt(n, 0);
        link_rx(&g_peer, buf, (size_t)n, now);
        any = true;
    }
    return any;
}

static void setup(void)
{
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, g_sv), 0);
    host_link_init(&g_hl, g_sv[0]);
    g_hl.alloc = flaky_alloc;
    g_fail_allocs = 0;
    g_failed_allocs = 0;
    endpoint_init(&g_peer_end);
    link_ops_t ops = endpoint_ops(&g_peer_end);
    ops.write = peer_write;
    link_init(&g_peer, &ops, PEER_RETRANSMIT_MS, 10);
}

static void teardown(void)
{
    host_link_free(&g_hl);
    endpoint_free(&g_peer_end);
    close(g_sv[0]);
    if (g_sv[1] >= 0) {
        close(g_sv[1]);
    }
}

TestSuite(host_link, .init = setup, .fini = teardown, .timeout = 20);

Test(host_link, allocation_failure_is_not_acked_and_the_message_comes_again)
{
    g_fail_allocs = 1;
    cr_assert_eq(link_send(&g_peer, LINK_CH_RESULT, 1, (const uint8_t *)"result", 6, 0), LINK_OK);
    host_link_pump(&g_hl, 1000);
    cr_assert_eq(g_failed_allocs, 1u, "the host never tried to keep the message");
    cr_assert_null(host_link_pop(&g_hl));
    cr_assert_eq(g_hl.link.stats.rx_refused, 1u);
    cr_assert_not(peer_read(1), "the host acked a message it could not keep");
    cr_assert_not(link_can_send(&g_peer, LINK_CH_RESULT));

    /* Memory is back: the retransmission is delivered, once, and acked. */
    cr_assert_eq(link_poll(&g_peer, PEER_RETRANSMIT_MS), LINK_OK);
    cr_assert_eq(g_peer.stats.retransmits, 1u);
    host_link_pump(&g_hl, 1000);
    host_msg_t *m = host_link_pop(&g_hl);
    cr_assert_not_null(m, "the retransmitted message was not delivered");
    cr_expect_eq(m->channel, LINK_CH_RESULT);
    cr_expect_eq(m->len, 6u);
    cr_expect_str_eq((const char *)m->payload, "result");
    free(m);
    cr_assert_null(host_link_pop(&g_hl), "delivered once");
    cr_assert(peer_read(PEER_RETRANSMIT_MS + 1u));
    cr_assert(link_can_send(&g_peer, LINK_CH_RESULT), "acked after it was accepted");
    cr_assert_not(host_link_dead(&g_hl));
}

Test(host_link, allocation_failure_on_send_is_reported)
{
    g_fail_allocs = 1;
    cr_assert_eq(host_link_send(&g_hl, LINK_CH_CTRL, 1, "x", 1), -1);
    cr_assert(host_link_idle(&g_hl), "nothing half-queued");
    cr_assert_eq(host_link_send(&g_hl, LINK_CH_CTRL, 1, "x", 1), 0);
    cr_assert(peer_read(0));
    cr_assert_eq(g_peer_end.n_msgs, 1u);
}

/* Fill the host's side of the socket until the kernel takes no more. */
static void fill_transport(void)
{
    static uint8_t junk[65536];
    memset(junk, 0x55, sizeof junk); /* no 0x00: the peer never reads it anyway */
    for (;;) {
        ssize_t n = write(g_sv[0], junk, sizeof junk);
        if (n < 0) {
            cr_assert(errno == EAGAIN || errno == EWOULDBLOCK, "%s", strerror(errno));
            return;
        }
    }
}

Test(host_link, full_transport_ends_the_link_at_the_write_deadline)
{
    int flags = fcntl(g_sv[0], F_GETFL);
    cr_assert(flags >= 0 && (flags & O_NONBLOCK), "host_link_init makes the fd non-blocking");
    g_hl.write_deadline_ms = 200;
    fill_transport();
    uint32_t start = host_now_ms();
    cr_assert_eq(host_link_send(&g_hl, LINK_CH_CTRL, 1, "stuck", 5), 0, "queued");
    uint32_t took = host_now_ms() - start;
    cr_assert(host_link_dead(&g_hl), "a write that cannot finish must end the link");
    cr_expect_eq(g_hl.error, HOST_LINK_ESTALLED);
    cr_expect_geq(took, 200u, "gave up before the deadline: %u ms", took);
    cr_expect_lt(took, 2000u, "no deadline: %u ms", took);
    char why[160];
    cr_expect(strstr(host_link_error_text(&g_hl, why, sizeof why), "stalled for 200 ms") != NULL,
              "%s", why);
    cr_expect_eq(g_hl.tx[LINK_CH_CTRL].count, 1u, "the unsent message is kept, not dropped");
    cr_expect_eq(host_link_send(&g_hl, LINK_CH_CTRL, 1, "more", 4), -1,
                 "a dead link takes no more");
    char err[256];
    cr_expect_null(agent_rpc(&g_hl, CTRL_HELLO, NULL, 0, 1000, NULL, NULL, err, sizeof err));
    cr_expect(strstr(err, "stalled") != NULL, "the caller is told why: %s", err);
}

Test(host_link, bad_arguments_are_refused_before_queueing)
{
    uint8_t big[LINK_MAX_PAYLOAD + 1] = {0};
    cr_expect_eq(host_link_send(&g_hl, LINK_CH_COUNT, 1, NULL, 0), -1);
    cr_expect_eq(host_link_send(&g_hl, LINK_CH_CTRL, LINK_TYPE_ACK, NULL, 0), -1);
    cr_expect_eq(host_link_send(&g_hl, LINK_CH_CTRL, LINK_TYPE_MAX + 1u, NULL, 0), -1);
    cr_expect_eq(host_link_send(&g_hl, LINK_CH_CTRL, 1, big, sizeof big), -1);
    cr_expect_eq(host_link_send(&g_hl, LINK_CH_CTRL, 1, NULL, 3), -1);
    cr_expect(host_link_idle(&g_hl));
    cr_expect_not(host_link_dead(&g_hl), "a caller's mistake does not kill the link");
}

Test(host_link, target_closing_the_transport_is_named)
{
    close(g_sv[1]);
    g_sv[1] = -1;
    host_link_pump(&g_hl, 1000);
    cr_assert(host_link_dead(&g_hl));
    cr_expect_eq(g_hl.error, HOST_LINK_EOF);
    char why[160];
    cr_expect_str_eq(host_link_error_text(&g_hl, why, sizeof why), "target closed the link");
}

/* Issue 16: queued messages go onto the link as far as the window allows,
 * without waiting for each ack. */
Test(host_link, queued_tunnel_messages_fill_the_window_at_once)
{
    uint8_t w = link_window(&g_hl.link, LINK_CH_TUNNEL);
    cr_assert_eq(w, LINK_WINDOW_SOCKET, "a socket until HELLO says otherwise");
    for (uint8_t i = 0; i < w + 2u; i++) {
        cr_assert_eq(host_link_send(&g_hl, LINK_CH_TUNNEL, 1, &i, 1), 0);
    }
    cr_assert(peer_read(0));
    cr_assert_eq(g_peer_end.n_msgs, w, "a window's worth before any ack");
    cr_assert_eq(g_hl.tx[LINK_CH_TUNNEL].count, 2u, "the rest waits on the host");
    host_link_pump(&g_hl, 1000); /* the peer's cumulative ack */
    cr_assert(peer_read(1));
    cr_assert_eq(g_peer_end.n_msgs, w + 2u);
    for (uint8_t i = 0; i < w + 2u; i++) {
        cr_assert_eq(g_peer_end.msgs[i].data[0], i, "in order");
    }
    host_link_pump(&g_hl, 1000);
    cr_assert(host_link_idle(&g_hl));
}

/* Room in the window is not idleness: a frame in flight still waits for its ack. */
Test(host_link, not_idle_while_a_frame_is_unacked)
{
    cr_assert_eq(host_link_send(&g_hl, LINK_CH_TUNNEL, 1, "x", 1), 0);
    cr_assert(link_can_send(&g_hl.link, LINK_CH_TUNNEL));
    cr_assert_not(host_link_idle(&g_hl));
    cr_assert(peer_read(0));
    host_link_pump(&g_hl, 1000);
    cr_assert(host_link_idle(&g_hl));
}

Test(host_link, the_line_sizes_the_tunnel_window)
{
    cr_assert_eq(host_link_set_line(&g_hl, 115200u, 1u), 0);
    cr_assert_eq(link_window(&g_hl.link, LINK_CH_TUNNEL),
                 link_window_for(115200u, 1u, LINK_MAX_ENCODED, HOST_LINK_WINDOW_MAX));
    cr_assert_eq(host_link_set_line(&g_hl, 921600u, 40u), 0);
    cr_assert_gt(link_window(&g_hl.link, LINK_CH_TUNNEL), 3u, "a long turnaround needs more");
    cr_assert_eq(host_link_send(&g_hl, LINK_CH_TUNNEL, 1, "x", 1), 0);
    cr_assert_eq(host_link_set_line(&g_hl, 0u, 1u), -1, "not while a frame is in flight");
    cr_assert_gt(link_window(&g_hl.link, LINK_CH_TUNNEL), 3u, "unchanged");
}

/* The peer answers HELLO before it is asked (the answer waits in the host's
 * queue), as an agent of the given protocol version on a UART of the given baud. */
static void peer_hello_answer_with(uint16_t version, uint32_t baud, const char *features)
{
    uint8_t buf[160];
    tlv_writer_t w;
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_u8(&w, T_STATUS, ST_OK);
    tlv_put_u16(&w, T_PROTO_VERSION, version);
    tlv_put_u32(&w, T_LINK_BAUD, baud);
    if (features) {
        tlv_put_str(&w, T_CAP_FEATURES, features);
    }
    cr_assert_eq(link_send(&g_peer, LINK_CH_CTRL, CTRL_HELLO | CTRL_RESPONSE, buf, w.len, 0),
                 LINK_OK);
}

static void peer_hello_answer(uint16_t version, uint32_t baud)
{
    peer_hello_answer_with(version, baud, NULL);
}

Test(host_link, hello_from_another_protocol_version_is_a_clear_error)
{
    peer_hello_answer(1, 0); /* a stop-and-wait agent */
    agent_info_t info;
    char err[256];
    cr_assert_eq(agent_hello(&g_hl, &info, 2000, err, sizeof err), -1);
    cr_assert_eq(agent_rpc_last_failure(), AGENT_RPC_MALFORMED);
    cr_assert(strstr(err, "agent speaks protocol 1, host speaks 2") != NULL, "%s", err);
    cr_assert(strstr(err, "rebuild") != NULL, "says what to do: %s", err);
}

Test(host_link, hello_sizes_the_window_from_the_agents_baud)
{
    peer_hello_answer(PROTO_VERSION, 921600u);
    agent_info_t info;
    char err[256];
    cr_assert_eq(agent_hello(&g_hl, &info, 2000, err, sizeof err), 0, "%s", err);
    cr_assert_eq(info.link_baud, 921600u);
    cr_assert_eq(
        link_window(&g_hl.link, LINK_CH_TUNNEL),
        link_window_for(921600u, LINK_TURNAROUND_MS, LINK_MAX_ENCODED, HOST_LINK_WINDOW_MAX));
}

/* The server's FIN (TUN_CLOSE) reaches the agent only after it took the data
 * before it, never in the same read: a window must not reorder that. */
Test(host_link, an_after_acked_message_waits_for_the_acks)
{
    cr_assert_eq(host_link_send(&g_hl, LINK_CH_TUNNEL, 1, "data", 4), 0);
    cr_assert_eq(host_link_send_after_acked(&g_hl, LINK_CH_TUNNEL, 4, NULL, 0), 0);
    cr_assert(link_can_send(&g_hl.link, LINK_CH_TUNNEL), "the window had room");
    cr_assert(peer_read(0));
    cr_assert_eq(g_peer_end.n_msgs, 1u, "only the data went out");
    cr_assert_eq(g_hl.tx[LINK_CH_TUNNEL].count, 1u);
    host_link_pump(&g_hl, 1000); /* the peer's ack */
    cr_assert(peer_read(1));
    cr_assert_eq(g_peer_end.n_msgs, 2u);
    cr_assert_eq(g_peer_end.msgs[1].type, 4u);
}

/* The host holds its TUNNEL acks only for an agent that holds its own (the
 * sim's "ack-delay"): on QEMU every ack goes at once, so the agent's
 * instruction counts do not depend on when the server answered. */
Test(host_link, hello_turns_delayed_acks_on_only_for_agents_that_have_them)
{
    cr_assert_eq(g_hl.link.ack_hold, 0u, "off until HELLO");
    peer_hello_answer_with(PROTO_VERSION, 0, "tls1.2,seed-in-request,ack-delay,gcm");
    agent_info_t info;
    char err[256];
    cr_assert_eq(agent_hello(&g_hl, &info, 2000, err, sizeof err), 0, "%s", err);
    cr_assert_eq(g_hl.link.ack_hold, 1u << LINK_CH_TUNNEL);
    cr_assert(peer_read(0)); /* the HELLO request */

    /* A TUNNEL message from the agent: its ack waits for the host's answer. */
    cr_assert_eq(link_send(&g_peer, LINK_CH_TUNNEL, 1, (const uint8_t *)"ch", 2, 0), LINK_OK);
    host_link_pump(&g_hl, 1000);
    free(host_link_pop(&g_hl));
    cr_assert_eq(host_link_wait_ms(&g_hl, 1000) <= 10, true, "a poll sleeps no longer than it");
    cr_assert_eq(host_link_send(&g_hl, LINK_CH_TUNNEL, 1, "sh", 2), 0);
    cr_assert(peer_read(1));
    cr_assert(link_all_acked(&g_peer, LINK_CH_TUNNEL), "the ack came with the answer");
}

Test(host_link, hello_without_the_feature_leaves_acks_immediate)
{
    peer_hello_answer_with(PROTO_VERSION, 115200u, "tls1.2,seed-in-request,ack-delayed,gcm");
    agent_info_t info;
    char err[256];
    cr_assert_eq(agent_hello(&g_hl, &info, 2000, err, sizeof err), 0, "%s", err);
    cr_assert_eq(g_hl.link.ack_hold, 0u, "a longer name is not the feature");
    cr_assert_eq(host_link_wait_ms(&g_hl, 1000), 1000);
}
