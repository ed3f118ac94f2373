#include "agent.h"

#include <string.h>

#include "commands.h"
#include "ctrl_request.h"
#include "debug_log.h"
#include "port.h"
#include "proto.h"
#include "tlv.h"

/* Retransmit after 200 ms, give up after 25 tries (5 s): generous for a
 * 115200-baud UART carrying a full 1 KB frame each way. */
#define AGENT_RETRANSMIT_MS 200u
#define AGENT_MAX_RETRIES 25u

static link_t g_link;
/* TUNNEL's window beyond the link's own slot: what a handshake flight needs
 * to keep the UART busy (link_window_for), bounded by RAM. */
static link_tx_slot_t g_tunnel_slots[AGENT_TUNNEL_WINDOW_MAX - 1u];
static agent_tunnel_t g_tunnel;
static uint8_t g_tunnel_storage[BYTE_RING_STORAGE(AGENT_TUNNEL_RX_CAP)];
static uint8_t g_ca[AGENT_CA_CAP];
static size_t g_ca_len;

/* One pending CTRL request. While it is pending, further CTRL messages are
 * refused (not acked): the host retransmits them until the slot is free, so
 * none is acknowledged and then lost. */
static uint8_t g_ctrl[AGENT_CTRL_CAP];
static size_t g_ctrl_len;
static uint8_t g_ctrl_type;
static bool g_ctrl_pending;
static bool g_ctrl_too_large; /* taken, answered with ST_ERR_TOO_LARGE */
static bool g_link_gone;
static bool g_reset_requested; /* CTRL_RESET and port_reset() returned */

/* This boot's session epoch and start time (HELLO, PING). */
static uint32_t g_epoch;
static uint32_t g_boot_ms;

/* How long CTRL_RESET waits for the host's ack of its answer before it
 * resets anyway (a lost ack must not keep the board from resetting). */
#define AGENT_RESET_ACK_MS 1000u

static int link_write(void *ctx, const uint8_t *buf, size_t len)
{
    (void)ctx;
    return port_link_write(buf, len);
}

static bool ctrl_deliver(uint8_t type, const uint8_t *payload, size_t len)
{
    if (g_ctrl_pending) {
        return false; /* busy: not acked, the host retransmits */
    }
    g_ctrl_too_large = len > sizeof g_ctrl;
    g_ctrl_len = g_ctrl_too_large ? 0 : len;
    if (g_ctrl_len > 0) {
        memcpy(g_ctrl, payload, g_ctrl_len);
    }
    g_ctrl_type = type;
    g_ctrl_pending = true;
    return true;
}

/* The host sends nothing on RESULT, and on LOG only LOG_RESYNC: taking
 * (ignoring) anything else keeps the link moving. */
static bool deliver(void *ctx, uint8_t channel, uint8_t type, const uint8_t *payload, size_t len)
{
    (void)ctx;
    if (channel == LINK_CH_TUNNEL) {
        return tunnel_rx_deliver(&g_tunnel, type, payload, len);
    }
    if (channel == LINK_CH_CTRL) {
        return ctrl_deliver(type, payload, len);
    }
    if (channel == LINK_CH_LOG) {
        debug_log_on_host_message(type);
    }
    return true;
}

/* What one agent_pump reads at most: 256 bytes sit well on a Cortex-M stack
 * (the UART's ring holds the rest); the sim, a process on the host, takes a
 * whole frame per system call (target/port/sim/CMakeLists.txt). */
#ifndef AGENT_PUMP_CHUNK
#define AGENT_PUMP_CHUNK 256
#endif

int agent_pump(uint32_t timeout_ms)
{
    uint8_t buf[AGENT_PUMP_CHUNK];
    if (g_link_gone) {
        return -1;
    }
    uint32_t ack_wait = link_ack_wait_ms(&g_link, port_now_ms());
    int n = port_link_read(buf, sizeof buf, ack_wait < timeout_ms ? ack_wait : timeout_ms);
    if (n < 0) {
        g_link_gone = true;
        return -1;
    }
    if (n > 0) {
        link_rx(&g_link, buf, (size_t)n, port_now_ms());
    }
    (void)link_poll(&g_link, port_now_ms());
    return 0;
}

/* Returns as soon as the channel's window has room: TUNNEL data of a flight
 * goes out back to back, several frames in flight. */
int agent_send_reliable(uint8_t channel, uint8_t type, const uint8_t *payload, size_t len)
{
    uint32_t start = port_now_ms();
    /* Bounded: the link's own retries give up long before this. */
    while (!link_can_send(&g_link, channel)) {
        if (agent_pump(10) < 0 || port_now_ms() - start > 30000u) {
            return -1;
        }
    }
    return link_send(&g_link, channel, type, payload, len, port_now_ms()) == LINK_OK ? 0 : -1;
}

void agent_log(const char *text, size_t len)
{
    while (len > 0) {
        size_t n = len > LINK_MAX_PAYLOAD ? LINK_MAX_PAYLOAD : len;
        (void)link_send(&g_link, LINK_CH_LOG, LOG_TEXT, (const uint8_t *)text, n, port_now_ms());
        text += n;
        len -= n;
    }
}

int agent_log_message(uint8_t type, const uint8_t *payload, size_t len)
{
    return link_send(&g_link, LINK_CH_LOG, type, payload, len, port_now_ms()) == LINK_OK ? 0 : -1;
}

uint32_t agent_session_epoch(void)
{
    return g_epoch;
}

uint32_t agent_uptime_ms(void)
{
    return port_now_ms() - g_boot_ms;
}

agent_tunnel_t *agent_tunnel(void)
{
    return &g_tunnel;
}

link_stats_t agent_link_stats(void)
{
    return g_link.stats;
}

const uint8_t *agent_ca(size_t *len)
{
    *len = g_ca_len;
    return g_ca;
}

static void respond(uint8_t type, const uint8_t *payload, size_t len)
{
    (void)agent_send_reliable(LINK_CH_CTRL, (uint8_t)(type | CTRL_RESPONSE), payload, len);
}

static void respond_status(uint8_t type, uint8_t status, const char *detail)
{
    uint8_t buf[160];
    tlv_writer_t w;
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_u8(&w, T_STATUS, status);
    if (detail) {
        tlv_put_str(&w, T_TEXT, detail);
    }
    respond(type, buf, w.len);
}

static void ca_append(const ctrl_request_t *rq)
{
    if (rq->status != ST_OK) {
        respond_status(CTRL_CA_DATA, rq->status, "no data");
        return;
    }
    /* Keep one byte for the NUL that mbedTLS's PEM parser needs. */
    if (rq->u.data.len > sizeof g_ca - 1u - g_ca_len) {
        respond_status(CTRL_CA_DATA, ST_ERR_TOO_LARGE, "trust list over AGENT_CA_CAP");
        return;
    }
    if (rq->u.data.len > 0) {
        memcpy(g_ca + g_ca_len, rq->u.data.data, rq->u.data.len);
    }
    g_ca_len += rq->u.data.len;
    g_ca[g_ca_len] = 0;
    respond_status(CTRL_CA_DATA, ST_OK, NULL);
}

static void ping(void)
{
    uint8_t buf[32];
    tlv_writer_t w;
    tlv_writer_init(&w, buf, sizeof buf);
    tlv_put_u8(&w, T_STATUS, ST_OK);
    tlv_put_u32(&w, T_SESSION_EPOCH, g_epoch);
    tlv_put_u32(&w, T_UPTIME_MS, agent_uptime_ms());
    respond(CTRL_PING, buf, w.len);
}

/* Answer, wait (bounded) until the host acked the answer, then reset: the
 * host knows the reset was ordered, not a crash. */
static void reset(void)
{
    respond_status(CTRL_RESET, ST_OK, NULL);
    uint32_t start = port_now_ms();
    while (!link_all_acked(&g_link, LINK_CH_CTRL) && port_now_ms() - start < AGENT_RESET_ACK_MS) {
        if (agent_pump(10) < 0) {
            break;
        }
    }
    port_reset();
    g_reset_requested = true; /* the port could not reset: agent_run returns */
}

static void dispatch(uint8_t type, const uint8_t *req, size_t len)
{
    static uint8_t resp[LINK_MAX_PAYLOAD];
    static ctrl_request_t rq; /* large (handshake settings): not on the stack */
    size_t resp_len = 0;
    (void)ctrl_request_decode(type, req, len, &rq);
    switch (type) {
    case CTRL_HELLO:
        resp_len = cmd_hello(resp, sizeof resp);
        respond(type, resp, resp_len);
        break;
    case CTRL_CA_CLEAR:
        g_ca_len = 0;
        g_ca[0] = 0;
        respond_status(type, ST_OK, NULL);
        break;
    case CTRL_CA_DATA:
        ca_append(&rq);
        break;
    case CTRL_HANDSHAKE:
        /* The seed first (issue 16, T_SEED): refused, no handshake runs. */
        if (rq.status == ST_OK && rq.u.handshake.seed_len > 0) {
            uint8_t st = entropy_take_seed(rq.u.handshake.seed, rq.u.handshake.seed_len);
            if (st != ST_OK) {
                respond_status(type, st, "TEST ONLY seed refused");
                break;
            }
        }
        /* Accept first, so the host starts bridging; the outcome comes on
         * RESULT (MBEDTLS_ERR_SSL_BAD_INPUT_DATA for malformed settings). */
        respond_status(type, ST_OK, NULL);
        cmd_handshake(rq.status == ST_OK ? &rq.u.handshake : NULL);
        break;
    case CTRL_SELFTEST:
        resp_len = cmd_selftest(resp, sizeof resp);
        if (resp_len == 0) {
            respond_status(type, ST_ERR_TOO_LARGE, "selftest report too large");
        } else {
            respond(type, resp, resp_len);
        }
        break;
    case CTRL_BENCH:
        resp_len = cmd_bench(resp, sizeof resp);
        if (resp_len == 0) {
            respond_status(type, ST_ERR_TOO_LARGE, "bench report too large");
        } else {
            respond(type, resp, resp_len);
        }
        break;
    case CTRL_FAULT:
        respond_status(type, cmd_fault(&rq), NULL);
        break;
    case CTRL_ENTROPY:
        respond_status(type, cmd_entropy(&rq), NULL);
        break;
    case CTRL_PING:
        ping();
        break;
    case CTRL_RESET:
        reset();
        break;
    default:
        respond_status(type, ST_ERR_UNSUPPORTED, "unknown command");
        break;
    }
}

int agent_run(void)
{
    link_ops_t ops = {.write = link_write, .deliver = deliver, .ctx = NULL};
    /* A fresh start, also when a port's main calls again after a soft reset. */
    memset(&g_tunnel, 0, sizeof g_tunnel);
    g_ca_len = 0;
    g_ctrl_pending = false;
    g_link_gone = false;
    g_reset_requested = false;
    g_boot_ms = port_now_ms();
    g_epoch = port_session_epoch();
    link_init(&g_link, &ops, AGENT_RETRANSMIT_MS, AGENT_MAX_RETRIES);
    /* CTRL and RESULT carry one answer at a time: stop-and-wait is enough. */
    (void)link_set_window(&g_link, LINK_CH_TUNNEL,
                          link_window_for(port_link_baud(), AGENT_LINK_TURNAROUND_MS,
                                          LINK_MAX_ENCODED, AGENT_TUNNEL_WINDOW_MAX),
                          g_tunnel_slots, AGENT_TUNNEL_WINDOW_MAX - 1u);
#if defined(AGENT_ACK_DELAY_MS)
    /* While a command runs, the ack of the host's TUNNEL bytes waits for the
     * agent's answer to them (docs/protocol.md 1.5); the loop below acks at
     * once whatever comes while the agent is idle. */
    (void)link_set_ack_delay(&g_link, 1u << LINK_CH_TUNNEL, AGENT_ACK_DELAY_MS);
#endif
    tunnel_rx_init(&g_tunnel, g_tunnel_storage, sizeof g_tunnel_storage);
    commands_init();
    for (;;) {
        if (g_reset_requested) {
            return AGENT_EXIT_RESET;
        }
        if (agent_pump(50) < 0) {
            return AGENT_EXIT_LINK_GONE;
        }
        link_flush_acks(&g_link); /* idle: nothing to answer with */
        if (g_ctrl_pending) {
            /* Copy out so a new request can arrive while we work. */
            static uint8_t req[AGENT_CTRL_CAP];
            size_t len = g_ctrl_len;
            uint8_t type = g_ctrl_type;
            bool too_large = g_ctrl_too_large;
            if (len > 0) {
                memcpy(req, g_ctrl, len);
            }
            g_ctrl_pending = false;
            if (too_large) {
                respond_status(type, ST_ERR_TOO_LARGE, "request over AGENT_CTRL_CAP");
            } else {
                dispatch(type, req, len);
            }
        }
    }
}
