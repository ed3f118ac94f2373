/* Two link endpoints over a paced line model, in virtual time (link_goodput.h). */
#include "link_goodput.h"

#include <string.h>

#include "line_model.h"
#include "link.h"

#define LINE_STORAGE (64u * LINK_MAX_ENCODED)
#define RETRANSMIT_MS 200u /* as the agent's: never reached on a lossless line */
#define MAX_RETRIES 25u
#define MAX_EVENTS 10000000u

typedef struct endpoint {
    link_t link;
    line_model_t out; /* what this endpoint writes */
    uint8_t storage[LINE_STORAGE];
    uint64_t now_ns;
} endpoint_t;

typedef struct run {
    endpoint_t tx, rx;
    link_tx_slot_t extra[LINK_GOODPUT_WINDOW_MAX - 1u];
    uint32_t delivered;
    uint64_t payload_bytes;
    uint64_t last_delivery_ns;
    bool in_order;
} run_t;

static run_t g_run; /* large: not on the stack */

static int endpoint_write(void *ctx, const uint8_t *buf, size_t len)
{
    endpoint_t *e = ctx;
    return line_write(&e->out, e->now_ns, buf, len);
}

static void make_payload(uint32_t id, uint8_t *out, size_t len)
{
    uint64_t x = 0x9E3779B97F4A7C15u ^ id;
    for (size_t i = 0; i < len; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        out[i] = (uint8_t)((x * 0x2545F4914F6CDD1Du) >> 56);
    }
    for (size_t i = 0; i < 4u && i < len; i++) {
        out[i] = (uint8_t)(id >> (8u * i));
    }
}

static bool receiver_deliver(void *ctx, uint8_t channel, uint8_t type, const uint8_t *payload,
                             size_t len)
{
    (void)ctx;
    run_t *r = &g_run;
    uint8_t want[LINK_MAX_PAYLOAD];
    make_payload(r->delivered, want, len);
    if (channel != LINK_CH_TUNNEL || type != 1u || memcmp(want, payload, len) != 0) {
        r->in_order = false;
    }
    r->delivered++;
    r->payload_bytes += len;
    r->last_delivery_ns = r->rx.now_ns;
    return true;
}

static bool ignore_deliver(void *ctx, uint8_t channel, uint8_t type, const uint8_t *payload,
                           size_t len)
{
    (void)ctx;
    (void)channel;
    (void)type;
    (void)payload;
    (void)len;
    return true;
}

/* Everything that arrived at `to` by now goes into its receiver. */
static void carry(endpoint_t *from, endpoint_t *to)
{
    static uint8_t buf[LINE_STORAGE];
    size_t n = line_read(&from->out, to->now_ns, buf, sizeof buf);
    if (n > 0) {
        link_rx(&to->link, buf, n, (uint32_t)(to->now_ns / 1000000u));
    }
}

static int setup_run(run_t *r, const link_goodput_setup_t *s)
{
    memset(r, 0, sizeof *r);
    r->in_order = true;
    link_ops_t tx_ops = {.write = endpoint_write, .deliver = ignore_deliver, .ctx = &r->tx};
    link_init(&r->tx.link, &tx_ops, RETRANSMIT_MS, MAX_RETRIES);
    link_ops_t rx_ops = {.write = endpoint_write, .deliver = receiver_deliver, .ctx = &r->rx};
    link_init(&r->rx.link, &rx_ops, RETRANSMIT_MS, MAX_RETRIES);
    line_init(&r->tx.out, s->baud, s->turnaround_us, r->tx.storage, sizeof r->tx.storage);
    line_init(&r->rx.out, s->baud, s->turnaround_us, r->rx.storage, sizeof r->rx.storage);
    return link_set_window(&r->tx.link, LINK_CH_TUNNEL, s->window, r->extra,
                           sizeof r->extra / sizeof r->extra[0]) == LINK_OK
               ? 0
               : -1;
}

int link_goodput_run(const link_goodput_setup_t *s, link_goodput_result_t *res)
{
    run_t *r = &g_run;
    static uint8_t payload[LINK_MAX_PAYLOAD];
    memset(res, 0, sizeof *res);
    if (s->baud == 0 || s->payload == 0 || s->payload > LINK_MAX_PAYLOAD || s->window == 0 ||
        s->window > LINK_GOODPUT_WINDOW_MAX || s->messages == 0 || setup_run(r, s) != 0) {
        return -1;
    }
    uint32_t sent = 0;
    uint64_t now = 0;
    for (uint32_t events = 0; r->delivered < s->messages && events < MAX_EVENTS; events++) {
        r->tx.now_ns = r->rx.now_ns = now;
        carry(&r->tx, &r->rx);
        carry(&r->rx, &r->tx);
        (void)link_poll(&r->tx.link, (uint32_t)(now / 1000000u));
        (void)link_poll(&r->rx.link, (uint32_t)(now / 1000000u));
        while (sent < s->messages && link_can_send(&r->tx.link, LINK_CH_TUNNEL)) {
            make_payload(sent, payload, s->payload);
            if (link_send(&r->tx.link, LINK_CH_TUNNEL, 1, payload, s->payload,
                          (uint32_t)(now / 1000000u)) != LINK_OK) {
                return -1;
            }
            sent++;
        }
        uint64_t a = line_next_arrival_ns(&r->tx.out);
        uint64_t b = line_next_arrival_ns(&r->rx.out);
        uint64_t next = a < b ? a : b;
        /* Nothing in transit: only a retransmit timer can move things on. */
        now = next != LINE_MODEL_NEVER ? next : now + 1000000u;
    }
    if (r->delivered < s->messages) {
        return -1;
    }
    res->elapsed_ns = r->last_delivery_ns;
    res->payload_bytes = r->payload_bytes;
    res->wire_bytes = r->tx.out.bytes_written;
    res->retransmits = r->tx.link.stats.retransmits;
    res->in_order = r->in_order && r->delivered == s->messages;
    double capacity = (double)res->elapsed_ns / 1e9 * (double)s->baud / 10.0;
    res->pct = capacity > 0 ? 100.0 * (double)res->payload_bytes / capacity : 0.0;
    return 0;
}
