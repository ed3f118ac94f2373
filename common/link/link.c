/* The link state machine: reliable delivery per channel (CTRL, TUNNEL,
 * RESULT) with a sliding window (cumulative acks, go-back-N), best-effort
 * LOG, and resynchronisation of the receiver on the 0x00 delimiter.
 * docs/protocol.md (1.5) describes the rules implemented here. */
#include <string.h>

#include "link_internal.h"

/* Sequence distances below this are "ahead" (new), the rest "behind" (old).
 * Windows stay below it (LINK_WINDOW_LIMIT), so the halves never overlap. */
#define SEQ_HALF_SPACE 128u

/* An ACK or a SYNC: 2 header bytes + 4 CRC bytes, COBS + delimiter add at most 2. */
#define CONTROL_FRAME_CAP (LINK_HEADER_LEN + LINK_CRC_LEN + 2u)

static bool is_reliable(uint8_t channel)
{
    return channel < LINK_CH_COUNT && channel != LINK_CH_LOG;
}

void link_init(link_t *l, const link_ops_t *ops, uint32_t retransmit_ms, uint8_t max_retries)
{
    memset(l, 0, sizeof *l);
    l->ops = *ops;
    l->retransmit_ms = retransmit_ms;
    l->max_retries = max_retries;
    l->last_gave_up = LINK_CH_COUNT;
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        l->tx[ch].window = 1;
    }
}

int link_set_window(link_t *l, uint8_t channel, uint8_t window, link_tx_slot_t *extra,
                    size_t n_extra)
{
    if (!is_reliable(channel) || window == 0 || window > LINK_WINDOW_LIMIT ||
        (size_t)window - 1u > n_extra || (n_extra > 0 && extra == NULL)) {
        return LINK_EINVAL;
    }
    link_tx_chan_t *c = &l->tx[channel];
    if (c->count > 0) {
        return LINK_EBUSY; /* frames in flight live in the current slots */
    }
    /* Slots beyond the window would never be used: keep only what it needs. */
    c->extra = window > 1u ? extra : NULL;
    c->window = window;
    c->head = 0;
    return LINK_OK;
}

int link_join(link_t *l, uint8_t channel, uint8_t seq)
{
    if (!is_reliable(channel)) {
        return LINK_EINVAL;
    }
    link_tx_chan_t *c = &l->tx[channel];
    if (c->count > 0) {
        return LINK_EBUSY;
    }
    c->next_seq = seq;
    c->sync_pending = true; /* as after a give-up: the SYNC goes before the next frame */
    c->sync_seq = seq;
    l->rx_joining |= (uint8_t)(1u << channel);
    return LINK_OK;
}

uint8_t link_window(const link_t *l, uint8_t channel)
{
    return is_reliable(channel) ? l->tx[channel].window : 0;
}

/* The k-th frame in flight (0 = oldest): slot 0 of the ring is the link's own. */
static link_tx_slot_t *slot_at(link_t *l, uint8_t channel, uint8_t k)
{
    link_tx_chan_t *c = &l->tx[channel];
    uint8_t i = (uint8_t)((c->head + k) % c->window);
    return i == 0 ? &l->slot0[channel] : &c->extra[i - 1u];
}

static int transmit(link_t *l, const uint8_t *frame, size_t len)
{
    if (l->ops.write == NULL || l->ops.write(l->ops.ctx, frame, len) < 0) {
        return LINK_EIO;
    }
    l->stats.frames_tx++;
    l->stats.bytes_tx += (uint32_t)len;
    return LINK_OK;
}

#if defined(__GNUC__)
#define LINK_NOINLINE __attribute__((noinline))
#else
#define LINK_NOINLINE
#endif

/* The waiting acks and a frame in one write, so the peer takes them in one
 * read. Only ever called with delayed acks on (a host or a sim agent): on a
 * Cortex-M, where they are off, its buffer never lands on the stack. */
static LINK_NOINLINE int transmit_with_acks(link_t *l, const uint8_t *frame, size_t len)
{
    uint8_t buf[LINK_CH_COUNT * CONTROL_FRAME_CAP + LINK_MAX_ENCODED];
    size_t n = 0;
    uint32_t acks = 0;
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        if (l->ack_held & (1u << ch)) {
            n += link_encode_frame(ch, LINK_TYPE_ACK, (uint8_t)(l->rx_expected[ch] - 1u), NULL, 0,
                                   buf + n, sizeof buf - n);
            acks++;
        }
    }
    l->ack_held = 0; /* sent, or lost with the write: the sender's retransmission asks again */
    if (len > sizeof buf - n) {
        return LINK_EINVAL; /* cannot happen: frames are at most LINK_MAX_ENCODED */
    }
    memcpy(buf + n, frame, len);
    if (l->ops.write == NULL || l->ops.write(l->ops.ctx, buf, n + len) < 0) {
        return LINK_EIO;
    }
    l->stats.frames_tx += acks + 1u;
    l->stats.bytes_tx += (uint32_t)(n + len);
    return LINK_OK;
}

/* A data frame (any channel), with the acks that wait for one. */
static int transmit_data(link_t *l, const uint8_t *frame, size_t len)
{
    return l->ack_held ? transmit_with_acks(l, frame, len) : transmit(l, frame, len);
}

static int send_control(link_t *l, uint8_t channel, uint8_t type, uint8_t seq)
{
    uint8_t frame[CONTROL_FRAME_CAP];
    size_t n = link_encode_frame(channel, type, seq, NULL, 0, frame, sizeof frame);
    return transmit(l, frame, n);
}

static void send_ack(link_t *l, uint8_t channel)
{
    (void)send_control(l, channel, LINK_TYPE_ACK, (uint8_t)(l->rx_expected[channel] - 1u));
    l->ack_held &= (uint8_t) ~(1u << channel);
}

int link_set_ack_delay(link_t *l, uint8_t channels, uint8_t delay_ms)
{
    if ((channels & (1u << LINK_CH_LOG)) || channels >= (1u << LINK_CH_COUNT)) {
        return LINK_EINVAL;
    }
    link_flush_acks(l); /* nothing waits under the old rule */
    l->ack_hold = channels;
    l->ack_delay_ms = delay_ms;
    return LINK_OK;
}

void link_flush_acks(link_t *l)
{
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        if (l->ack_held & (1u << ch)) {
            send_ack(l, ch);
        }
    }
}

uint32_t link_ack_wait_ms(const link_t *l, uint32_t now_ms)
{
    if (!l->ack_held) {
        return UINT32_MAX;
    }
    uint16_t waited = (uint16_t)((uint16_t)now_ms - l->ack_held_at);
    return waited >= l->ack_delay_ms ? 0u : (uint32_t)(l->ack_delay_ms - waited);
}

int link_flush_peer(link_t *l)
{
    static const uint8_t delimiter = 0;
    if (l->ops.write == NULL || l->ops.write(l->ops.ctx, &delimiter, 1) < 0) {
        return LINK_EIO;
    }
    l->stats.bytes_tx++;
    return LINK_OK;
}

bool link_can_send(const link_t *l, uint8_t channel)
{
    if (channel >= LINK_CH_COUNT) {
        return false;
    }
    return channel == LINK_CH_LOG || l->tx[channel].count < l->tx[channel].window;
}

bool link_all_acked(const link_t *l, uint8_t channel)
{
    if (channel >= LINK_CH_COUNT) {
        return false;
    }
    return channel == LINK_CH_LOG || l->tx[channel].count == 0;
}

static int send_log(link_t *l, uint8_t type, const uint8_t *payload, size_t len)
{
    /* LOG's slot is only scratch space. The sequence number is used up even
     * when the write fails, so the receiver sees the gap too. */
    link_tx_slot_t *scratch = &l->slot0[LINK_CH_LOG];
    size_t n = link_encode_frame(LINK_CH_LOG, type, l->log_seq++, payload, len, scratch->frame,
                                 sizeof scratch->frame);
    if (transmit_data(l, scratch->frame, n) != LINK_OK) {
        l->stats.log_dropped++;
        return LINK_EIO;
    }
    return LINK_OK;
}

int link_send(link_t *l, uint8_t channel, uint8_t type, const uint8_t *payload, size_t len,
              uint32_t now_ms)
{
    if (channel >= LINK_CH_COUNT || type == LINK_TYPE_ACK || type > LINK_TYPE_MAX ||
        len > LINK_MAX_PAYLOAD || (len > 0 && payload == NULL)) {
        return LINK_EINVAL;
    }
    if (channel == LINK_CH_LOG) {
        return send_log(l, type, payload, len);
    }
    link_tx_chan_t *c = &l->tx[channel];
    if (c->count >= c->window) {
        return LINK_EBUSY;
    }
    /* After a give-up the peer still waits for what was abandoned: tell it
     * first (again with every retransmission until it acknowledges). */
    if (c->sync_pending && c->count == 0 &&
        send_control(l, channel, LINK_TYPE_SYNC, c->sync_seq) != LINK_OK) {
        return LINK_EIO;
    }
    link_tx_slot_t *slot = slot_at(l, channel, c->count);
    size_t n = link_encode_frame(channel, type, c->next_seq, payload, len, slot->frame,
                                 sizeof slot->frame);
    if (transmit_data(l, slot->frame, n) != LINK_OK) {
        return LINK_EIO; /* not queued: the sequence number stays free */
    }
    slot->frame_len = (uint16_t)n;
    if (c->count == 0) {
        c->sent_at_ms = now_ms; /* the timer runs for the oldest frame only */
        c->retries = 0;
        c->recovering = false;
    }
    c->count++;
    c->next_seq++;
    return LINK_OK;
}

/* Send frames first..count-1 in flight again (a failed write is one lost try). */
static void resend(link_t *l, uint8_t channel, uint8_t first, uint8_t count)
{
    for (uint8_t k = first; k < count; k++) {
        link_tx_slot_t *slot = slot_at(l, channel, k);
        l->stats.retransmits++;
        (void)transmit_data(l, slot->frame, slot->frame_len);
    }
}

/* Abandon every frame in flight. The sequence numbers stay used: if the peer
 * did get them and only the acks were lost, reusing them would make the next
 * messages look like duplicates. The SYNC tells the peer where to go on. */
static void give_up(link_t *l, uint8_t channel)
{
    link_tx_chan_t *c = &l->tx[channel];
    l->stats.gave_up += c->count;
    c->head = (uint8_t)((c->head + c->count) % c->window);
    c->count = 0;
    c->retries = 0;
    c->recovering = false;
    c->sync_pending = true;
    c->sync_seq = c->next_seq;
    l->last_gave_up = channel;
}

int link_poll(link_t *l, uint32_t now_ms)
{
    if (link_ack_wait_ms(l, now_ms) == 0u) {
        link_flush_acks(l);
    }
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        link_tx_chan_t *c = &l->tx[ch];
        if (!is_reliable(ch) || c->count == 0 ||
            (uint32_t)(now_ms - c->sent_at_ms) < l->retransmit_ms) {
            continue;
        }
        if (c->retries >= l->max_retries) {
            give_up(l, ch);
            return LINK_EGAVEUP;
        }
        /* Only the oldest frame: the peer may just have been busy, and
         * resending the whole window every timeout would flood a slow line.
         * The rest goes again when the peer acks this one (handle_ack). */
        c->retries++;
        c->sent_at_ms = now_ms;
        c->recovering = true;
        if (c->sync_pending) {
            (void)send_control(l, ch, LINK_TYPE_SYNC, c->sync_seq);
        }
        resend(l, ch, 0, 1);
    }
    return LINK_OK;
}

/* True when the application took the message (no deliver callback: dropped
 * on purpose, which counts as taken). */
static bool deliver(link_t *l, const link_frame_t *f)
{
    if (l->ops.deliver == NULL) {
        return true;
    }
    return l->ops.deliver(l->ops.ctx, f->channel, f->type, f->payload, f->len);
}

/* A cumulative ack: the peer took everything up to and including f->seq. */
static void handle_ack(link_t *l, const link_frame_t *f, uint32_t now_ms)
{
    link_tx_chan_t *c = &l->tx[f->channel];
    if (c->sync_pending && f->seq == (uint8_t)(c->sync_seq - 1u)) {
        c->sync_pending = false; /* the peer has moved past what was abandoned */
    }
    uint8_t base = (uint8_t)(c->next_seq - c->count);
    uint8_t covered = (uint8_t)(f->seq - base); /* frames acked, minus one */
    if (covered >= c->count) {
        return; /* late or repeated ack for something already settled */
    }
    uint8_t n = (uint8_t)(covered + 1u);
    c->head = (uint8_t)((c->head + n) % c->window);
    c->count = (uint8_t)(c->count - n);
    c->retries = 0;
    c->sent_at_ms = now_ms; /* the new oldest frame gets a full timeout */
    c->sync_pending = false;
    if (c->recovering) {
        /* The peer is back after a timeout: the frames after the lost one were
         * dropped as out of order, so go back and send them all again. */
        c->recovering = false;
        resend(l, f->channel, 0, c->count);
    }
}

static void handle_log(link_t *l, const link_frame_t *f)
{
    uint8_t ahead = (uint8_t)(f->seq - l->rx_expected[LINK_CH_LOG]);
    if (ahead >= SEQ_HALF_SPACE) {
        l->stats.duplicates++; /* repeated or overtaken: delivering it would reorder */
        return;
    }
    l->stats.log_dropped += ahead;
    l->rx_expected[LINK_CH_LOG] = (uint8_t)(f->seq + 1u);
    if (!deliver(l, f)) {
        l->stats.log_dropped++; /* best effort: refused is lost, and counted */
    }
}

static void handle_reliable(link_t *l, const link_frame_t *f)
{
    uint8_t bit = (uint8_t)(1u << f->channel);
    if (l->rx_joining & bit) {
        l->rx_expected[f->channel] = f->seq; /* link_join: the peer's numbering, whatever it is */
    }
    uint8_t ahead = (uint8_t)(f->seq - l->rx_expected[f->channel]);
    if (ahead >= SEQ_HALF_SPACE) {
        /* Taken before, our ack was lost or late: ack again so the sender moves on. */
        l->stats.duplicates++;
        l->ack_due |= (uint8_t)(1u << f->channel);
        l->ack_now |= (uint8_t)(1u << f->channel); /* the sender is already retrying */
        return;
    }
    if (ahead > 0) {
        /* An earlier frame was lost or refused: the sender goes back to it and
         * sends this one again, so keeping it would only cost memory. */
        l->stats.out_of_order++;
        return;
    }
    /* Ack only what the application took: a refused message stays unacked,
     * the sender retransmits it, and it is offered again. */
    if (!deliver(l, f)) {
        l->stats.rx_refused++;
        return;
    }
    l->rx_joining &= (uint8_t)~bit;
    l->rx_expected[f->channel]++;
    /* A second message while the first one's ack waits (from an earlier
     * read, or earlier in this one): both acked now, so the sender's window
     * keeps moving. */
    l->ack_now |= (uint8_t)((l->ack_held | l->ack_due) & bit);
    l->ack_due |= bit;
}

/* The sender gave up on everything before f->seq: skip to it. */
static void handle_sync(link_t *l, const link_frame_t *f)
{
    uint8_t ahead = (uint8_t)(f->seq - l->rx_expected[f->channel]);
    if (ahead < SEQ_HALF_SPACE) {
        l->stats.seq_skipped += ahead;
        l->rx_expected[f->channel] = f->seq;
    }
    l->ack_due |= (uint8_t)(1u << f->channel); /* the ack tells the sender we are in step */
    l->ack_now |= (uint8_t)(1u << f->channel);
}

/* An ACK or a SYNC exists only on a reliable channel and without payload. */
static bool malformed_control(const link_frame_t *f)
{
    bool control = f->type == LINK_TYPE_ACK || f->type == LINK_TYPE_SYNC;
    return control && (f->channel == LINK_CH_LOG || f->len != 0);
}

/* A delimiter arrived: decode and dispatch what was collected before it. */
static void end_of_frame(link_t *l, uint32_t now_ms)
{
    size_t len = l->rx_len;
    bool overflow = l->rx_overflow;
    l->rx_len = 0;
    l->rx_overflow = false;
    if (overflow) {
        l->stats.resyncs++;
        return;
    }
    if (len == 0) {
        return; /* back-to-back delimiters are idle filler */
    }
    link_frame_t f;
    int r = link_decode_frame(l->rx_buf, len, &f);
    if (r == LINK_ECRC) {
        l->stats.crc_errors++;
        return;
    }
    /* Checked here so an impossible control frame counts once, as a resync. */
    if (r != LINK_OK || malformed_control(&f)) {
        l->stats.resyncs++;
        return;
    }
    l->stats.frames_rx++;
    if (f.type == LINK_TYPE_ACK) {
        handle_ack(l, &f, now_ms);
    } else if (f.type == LINK_TYPE_SYNC) {
        handle_sync(l, &f);
    } else if (f.channel == LINK_CH_LOG) {
        handle_log(l, &f);
    } else {
        handle_reliable(l, &f);
    }
}

/* One cumulative ack per channel for everything this link_rx call took: a
 * burst of frames costs one ack, not one each. A lost ack is repaired by the
 * sender's retransmission (answered with the same ack). On a channel with
 * delayed acks (link_set_ack_delay) a single message's ack waits instead. */
static void send_acks(link_t *l, uint32_t now_ms)
{
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        uint8_t bit = (uint8_t)(1u << ch);
        if (!(l->ack_due & bit)) {
            continue;
        }
        if ((l->ack_hold & bit) && !(l->ack_now & bit)) {
            if (!l->ack_held) {
                l->ack_held_at = (uint16_t)now_ms;
            }
            l->ack_held |= bit;
            continue;
        }
        send_ack(l, ch);
        link_flush_acks(l); /* the waiting ones go in the same burst */
    }
    l->ack_due = 0;
    l->ack_now = 0;
}

void link_rx(link_t *l, const uint8_t *buf, size_t len, uint32_t now_ms)
{
    l->stats.bytes_rx += (uint32_t)len;
    for (size_t i = 0; i < len; i++) {
        uint8_t b = buf[i];
        if (b == 0) {
            end_of_frame(l, now_ms);
        } else if (l->rx_overflow) {
            continue; /* discard up to the next delimiter */
        } else if (l->rx_len >= sizeof l->rx_buf) {
            l->rx_overflow = true;
        } else {
            l->rx_buf[l->rx_len++] = b;
        }
    }
    send_acks(l, now_ms);
}
