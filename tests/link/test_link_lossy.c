/* Two links over a deterministic bad wire: frames are dropped, duplicated,
 * corrupted and reordered (seeded PRNG, fake clock), acks alone are lost, and
 * receivers are busy: they refuse some messages (a full CTRL slot on the
 * agent, a failed allocation on the host). Reliable channels run with windows
 * of 1 (stop-and-wait) up to 16 frames in flight. They must deliver every
 * message exactly once and in order in both directions; LOG may lose
 * messages but must account for every one it lost. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "link_test_util.h"

#define MESSAGES 300u     /* per reliable channel per direction: seq wraps */
#define LOG_MESSAGES 400u /* per direction */
#define RETRANSMIT_MS 20u
#define MAX_RETRIES 60u
#define QUEUE_CAP 256u
#define REORDER_WINDOW 4u
#define MAX_SKIPS 3u /* the oldest frame is overtaken at most this often */
#define MAX_STEPS 200000u
#define WINDOW_MAX 16u

/* One write: a frame, or a frame with the delayed acks it carries. */
#define WRITE_MAX (LINK_MAX_ENCODED + LINK_CH_COUNT * LINK_ACK_WIRE_BYTES)

typedef struct wire_frame {
    size_t len;
    uint8_t skipped;
    uint8_t bytes[WRITE_MAX];
} wire_frame_t;

typedef struct wire_profile {
    unsigned drop_pct, dup_pct, corrupt_pct;
    unsigned refuse_pct;   /* receiver busy: deliver refuses the message */
    unsigned ack_drop_pct; /* ACK and SYNC frames (control frames) lost on top */
} wire_profile_t;

/* Frames in flight per reliable channel, the same on both sides, and the
 * delay acks may wait on the channels whose window is 2 or more (0: none). */
typedef struct windows {
    uint8_t ctrl, tunnel, result;
    uint8_t ack_delay_ms;
} windows_t;

static const windows_t STOP_AND_WAIT = {1, 1, 1, 0};

/* One direction of the wire: what one side wrote, waiting for the other. */
typedef struct pipe {
    wire_frame_t *q;
    size_t n;
    test_rng_t *rng;
    wire_profile_t profile;
    size_t dropped, duplicated, corrupted, reordered;
} pipe_t;

typedef struct side {
    uint8_t id;
    link_t link;
    pipe_t out;
    uint32_t sent[LINK_CH_COUNT];
    uint32_t received[LINK_CH_COUNT];
    uint32_t next_log_id; /* LOG: lowest id still acceptable (ids must rise) */
    uint32_t last_log_id;
    uint32_t refused; /* messages this side's application refused */
    link_tx_slot_t extra[LINK_CH_COUNT][WINDOW_MAX - 1u];
} side_t;

/* Message content is a function of (sender, channel, id), so the receiver can
 * check every byte without a copy of what was sent. */
static size_t make_payload(uint8_t sender, uint8_t ch, uint32_t id, uint8_t *out)
{
    test_rng_t r;
    rng_seed(&r, ((uint64_t)sender << 40) ^ ((uint64_t)ch << 32) ^ (id + 1u));
    size_t len = 6u + rng_below(&r, id % 7u == 0 ? LINK_MAX_PAYLOAD - 5u : 100u);
    out[0] = (uint8_t)id;
    out[1] = (uint8_t)(id >> 8);
    out[2] = (uint8_t)(id >> 16);
    out[3] = (uint8_t)(id >> 24);
    out[4] = ch;
    out[5] = sender;
    rng_fill(&r, out + 6, len - 6u, 5);
    return len;
}

static int pipe_write(void *ctx, const uint8_t *buf, size_t len)
{
    pipe_t *p = &((side_t *)ctx)->out;
    cr_assert(len <= WRITE_MAX);
    /* Data frames carry at least 6 payload bytes: only ACK and SYNC are this short. */
    bool control = len <= LINK_ACK_WIRE_BYTES;
    if (rng_below(p->rng, 100) < p->profile.drop_pct || p->n == QUEUE_CAP ||
        (control && rng_below(p->rng, 100) < p->profile.ack_drop_pct)) {
        p->dropped++;
        return 0; /* the transport accepted it; the wire lost it */
    }
    int copies = rng_below(p->rng, 100) < p->profile.dup_pct ? 2 : 1;
    for (int c = 0; c < copies && p->n < QUEUE_CAP; c++) {
        wire_frame_t *f = &p->q[p->n++];
        memcpy(f->bytes, buf, len);
        f->len = len;
        f->skipped = 0;
        if (rng_below(p->rng, 100) < p->profile.corrupt_pct) {
            size_t bit = rng_below(p->rng, (uint32_t)(len * 8u));
            f->bytes[bit / 8u] ^= (uint8_t)(1u << (bit % 8u));
            p->corrupted++;
        }
    }
    p->duplicated += (size_t)copies - 1u;
    return 0;
}

static bool on_deliver(void *ctx, uint8_t ch, uint8_t type, const uint8_t *payload, size_t len)
{
    side_t *s = ctx;
    cr_assert(len >= 6u && len <= LINK_MAX_PAYLOAD);
    cr_assert_eq(type, 1u + ch);
    uint32_t id = (uint32_t)payload[0] | (uint32_t)payload[1] << 8 | (uint32_t)payload[2] << 16 |
                  (uint32_t)payload[3] << 24;
    uint8_t want[LINK_MAX_PAYLOAD];
    size_t want_len = make_payload(payload[5], ch, id, want);
    cr_assert_eq(payload[5], (uint8_t)(1u - s->id), "message from the other side");
    cr_assert_eq(len, want_len);
    cr_assert_arr_eq(payload, want, len, "payload damaged: ch %u id %u", ch, id);
    bool refuse = rng_below(s->out.rng, 100) < s->out.profile.refuse_pct;
    s->refused += refuse;
    if (ch == LINK_CH_LOG) {
        cr_assert_geq(id, s->next_log_id, "LOG delivered twice or out of order");
        s->next_log_id = id + 1u;
        s->last_log_id = id; /* a refused LOG message is lost and counted as dropped */
        s->received[ch] += !refuse;
        return !refuse;
    }
    cr_assert_eq(id, s->received[ch], "ch %u: got %u, expected %u", ch, id, s->received[ch]);
    s->received[ch] += !refuse;
    return !refuse;
}

/* Take one frame off the pipe (mostly in order, sometimes overtaken) into dst. */
static void pipe_deliver_one(pipe_t *p, link_t *dst, uint32_t now)
{
    static wire_frame_t f;
    size_t window = p->n < REORDER_WINDOW ? p->n : REORDER_WINDOW;
    size_t i = p->q[0].skipped >= MAX_SKIPS ? 0 : rng_below(p->rng, (uint32_t)window);
    if (i != 0) {
        p->q[0].skipped++;
        p->reordered++;
    }
    f = p->q[i];
    memmove(&p->q[i], &p->q[i + 1], (p->n - i - 1u) * sizeof p->q[0]);
    p->n--;
    link_rx(dst, f.bytes, f.len, now);
}

static bool everything_delivered(const side_t *s, const side_t *peer)
{
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        if (ch != LINK_CH_LOG && peer->received[ch] < MESSAGES) {
            return false;
        }
        if (!link_all_acked(&s->link, ch)) {
            return false; /* wait for the last ack too */
        }
    }
    return s->sent[LINK_CH_LOG] == LOG_MESSAGES && s->out.n == 0;
}

static void side_send(side_t *s, test_rng_t *rng, uint32_t now)
{
    uint8_t payload[LINK_MAX_PAYLOAD];
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        bool is_log = ch == LINK_CH_LOG;
        uint32_t limit = is_log ? LOG_MESSAGES : MESSAGES;
        if (s->sent[ch] >= limit || (is_log && rng_below(rng, 4) != 0) ||
            !link_can_send(&s->link, ch)) {
            continue;
        }
        size_t len = make_payload(s->id, ch, s->sent[ch], payload);
        cr_assert_eq(link_send(&s->link, ch, (uint8_t)(1u + ch), payload, len, now), LINK_OK);
        s->sent[ch]++;
    }
}

static void set_windows(side_t *s, windows_t w)
{
    const uint8_t want[LINK_CH_COUNT] = {w.ctrl, 0, w.tunnel, w.result};
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        if (ch != LINK_CH_LOG) {
            cr_assert_eq(link_set_window(&s->link, ch, want[ch], s->extra[ch], WINDOW_MAX - 1u),
                         LINK_OK);
        }
    }
    uint8_t delayed = 0;
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        delayed |= (uint8_t)(w.ack_delay_ms && ch != LINK_CH_LOG && want[ch] >= 2u ? 1u << ch : 0u);
    }
    cr_assert_eq(link_set_ack_delay(&s->link, delayed, w.ack_delay_ms), LINK_OK);
}

static void run_model(uint64_t seed, wire_profile_t profile, windows_t windows)
{
    static side_t sides[2];
    test_rng_t rng;
    rng_seed(&rng, seed);
    memset(sides, 0, sizeof sides);
    for (uint8_t i = 0; i < 2; i++) {
        side_t *s = &sides[i];
        s->id = i;
        s->out.q = malloc(QUEUE_CAP * sizeof *s->out.q);
        cr_assert_not_null(s->out.q);
        s->out.rng = &rng;
        s->out.profile = profile;
        link_ops_t ops = {.write = pipe_write, .deliver = on_deliver, .ctx = s};
        link_init(&s->link, &ops, RETRANSMIT_MS, MAX_RETRIES);
        set_windows(s, windows);
    }

    uint32_t now = 0;
    uint32_t step = 0;
    for (; step < MAX_STEPS; step++) {
        now++;
        for (int i = 0; i < 2; i++) {
            side_send(&sides[i], &rng, now);
        }
        for (int i = 0; i < 2; i++) {
            pipe_t *p = &sides[i].out;
            for (unsigned k = 1u + rng_below(&rng, 4); k > 0 && p->n > 0; k--) {
                pipe_deliver_one(p, &sides[1 - i].link, now);
            }
        }
        for (int i = 0; i < 2; i++) {
            cr_assert_eq(link_poll(&sides[i].link, now), LINK_OK, "gave up (seed %llu)",
                         (unsigned long long)seed);
        }
        if (everything_delivered(&sides[0], &sides[1]) &&
            everything_delivered(&sides[1], &sides[0])) {
            break;
        }
    }
    cr_assert_lt(step, MAX_STEPS, "model did not converge");

    for (int i = 0; i < 2; i++) {
        side_t *rx = &sides[i];
        side_t *tx = &sides[1 - i];
        const link_stats_t *st = &rx->link.stats;
        for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
            if (ch != LINK_CH_LOG) {
                cr_assert_eq(rx->received[ch], MESSAGES, "exactly once on channel %u", ch);
            }
        }
        /* Every LOG id up to the last one seen was either delivered or counted. */
        uint32_t seen = rx->received[LINK_CH_LOG] + st->log_dropped;
        cr_assert_eq(seen, rx->last_log_id + 1u, "delivered %u + dropped %u vs last id %u",
                     rx->received[LINK_CH_LOG], st->log_dropped, rx->last_log_id);
        cr_assert_leq(rx->received[LINK_CH_LOG], LOG_MESSAGES);
        cr_assert_eq(st->gave_up, 0u);
        cr_assert_eq(st->seq_skipped, 0u);
        if (profile.drop_pct > 0) {
            cr_assert_gt(st->log_dropped, 0u, "the model lost no LOG message");
            cr_assert_gt(tx->link.stats.retransmits, 0u);
        }
        if (profile.ack_drop_pct > 0) {
            cr_assert_gt(tx->link.stats.retransmits, 0u, "lost acks cost retransmissions");
            cr_assert_gt(st->duplicates, 0u, "...answered by acking the duplicates");
        }
        if (profile.dup_pct > 0) {
            cr_assert_gt(st->duplicates, 0u);
        }
        if (profile.corrupt_pct > 0) {
            cr_assert_gt(st->crc_errors + st->resyncs, 0u);
            cr_assert_gt(tx->out.corrupted, 0u);
        }
        cr_assert_gt(tx->out.reordered, 0u, "the model never reordered");
        if (profile.refuse_pct > 0) {
            cr_assert_gt(rx->refused, 0u, "the model never refused");
            cr_assert_gt(st->rx_refused, 0u);
        }
        cr_log_info("seed %llu side %d: steps %u log %u/%u dropped %u retransmits %u dup %u "
                    "ooo %u crc %u resync %u refused %u wire drop %zu dup %zu corrupt %zu "
                    "reorder %zu",
                    (unsigned long long)seed, i, step, rx->received[LINK_CH_LOG], LOG_MESSAGES,
                    st->log_dropped, tx->link.stats.retransmits, st->duplicates, st->out_of_order,
                    st->crc_errors, st->resyncs, st->rx_refused, tx->out.dropped,
                    tx->out.duplicated, tx->out.corrupted, tx->out.reordered);
        free(rx->out.q);
    }
}

Test(lossy, clean_wire_with_reordering)
{
    run_model(1, (wire_profile_t){0, 0, 0, 0, 0}, STOP_AND_WAIT);
}

Test(lossy, drops_duplicates_corruption)
{
    run_model(2, (wire_profile_t){15, 10, 5, 0, 0}, STOP_AND_WAIT);
}

Test(lossy, another_seed)
{
    run_model(3, (wire_profile_t){20, 20, 3, 0, 0}, STOP_AND_WAIT);
}

Test(lossy, very_bad_wire)
{
    run_model(4, (wire_profile_t){40, 25, 10, 0, 0}, STOP_AND_WAIT);
}

/* Receivers that are often busy: each refusal must be retransmitted, never lost. */
Test(lossy, busy_receivers_on_a_clean_wire)
{
    run_model(5, (wire_profile_t){0, 0, 0, 30, 0}, STOP_AND_WAIT);
}

Test(lossy, busy_receivers_on_a_bad_wire)
{
    run_model(6, (wire_profile_t){20, 10, 5, 20, 0}, STOP_AND_WAIT);
}

/* Windows > 1: several frames in flight per channel over the same bad wires. */
static const windows_t WIDE = {2, 8, 3, 0};

Test(lossy, windows_on_a_clean_wire_with_reordering)
{
    run_model(11, (wire_profile_t){0, 0, 0, 0, 0}, WIDE);
}

Test(lossy, windows_drops_duplicates_corruption)
{
    run_model(12, (wire_profile_t){15, 10, 5, 0, 0}, WIDE);
}

Test(lossy, windows_on_a_very_bad_wire)
{
    run_model(13, (wire_profile_t){40, 25, 10, 0, 0}, (windows_t){4, 16, 4, 0});
}

Test(lossy, windows_with_acks_lost)
{
    run_model(14, (wire_profile_t){0, 0, 0, 0, 60}, WIDE);
}

Test(lossy, windows_with_busy_receivers)
{
    run_model(15, (wire_profile_t){0, 0, 0, 30, 0}, WIDE);
}

Test(lossy, windows_with_everything_at_once)
{
    run_model(16, (wire_profile_t){20, 10, 5, 20, 30}, WIDE);
}

/* Delayed acks (link_set_ack_delay): acks riding in data writes, lost with
 * them, duplicated and reordered with them; still exactly once, in order. */
static const windows_t WIDE_DELAYED = {2, 8, 3, 5};

Test(lossy, delayed_acks_on_a_clean_wire_with_reordering)
{
    run_model(21, (wire_profile_t){0, 0, 0, 0, 0}, WIDE_DELAYED);
}

Test(lossy, delayed_acks_with_everything_at_once)
{
    run_model(22, (wire_profile_t){20, 10, 5, 20, 30}, WIDE_DELAYED);
}

Test(lossy, delayed_acks_longer_than_the_retransmission)
{
    /* A delay past the sender's timeout only costs retransmissions. */
    run_model(23, (wire_profile_t){10, 5, 2, 10, 10}, (windows_t){2, 4, 2, RETRANSMIT_MS + 5u});
}

/* Long randomized runs: wire profiles and windows drawn from fixed seeds, so a
 * failure names its seed and replays exactly. */
Test(lossy, randomized_windows_and_wires)
{
    for (uint64_t seed = 100; seed < 116; seed++) {
        test_rng_t r;
        rng_seed(&r, seed * 7919u);
        wire_profile_t p = {rng_below(&r, 35), rng_below(&r, 25), rng_below(&r, 10),
                            rng_below(&r, 30), rng_below(&r, 50)};
        windows_t w = {(uint8_t)(1u + rng_below(&r, 3)), (uint8_t)(1u + rng_below(&r, WINDOW_MAX)),
                       (uint8_t)(1u + rng_below(&r, 4)), 0};
        w.ack_delay_ms = rng_below(&r, 2) ? (uint8_t)(1u + rng_below(&r, 10)) : 0u;
        cr_log_info("seed %llu: drop %u dup %u corrupt %u refuse %u ack-drop %u windows %u/%u/%u "
                    "ack delay %u ms",
                    (unsigned long long)seed, p.drop_pct, p.dup_pct, p.corrupt_pct, p.refuse_pct,
                    p.ack_drop_pct, w.ctrl, w.tunnel, w.result, w.ack_delay_ms);
        run_model(seed, p, w);
    }
}
