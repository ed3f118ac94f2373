/* The link state machine: stop-and-wait reliable delivery per channel (CTRL,
 * TUNNEL, RESULT), best-effort LOG, and resynchronisation of the receiver on
 * the 0x00 delimiter. docs/protocol.md describes the rules implemented here. */
#include <string.h>

#include "link_internal.h"

/* Sequence distances below this are "ahead" (new), the rest "behind" (old).
 * Stop-and-wait keeps real distances at 0 or 255, so half the space is plenty. */
#define SEQ_HALF_SPACE 128u

/* An ACK: 2 header bytes + 4 CRC bytes, COBS + delimiter add at most 2. */
#define ACK_FRAME_CAP (LINK_HEADER_LEN + LINK_CRC_LEN + 2u)

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
    return channel == LINK_CH_LOG || !l->tx[channel].pending;
}

int link_send(link_t *l, uint8_t channel, uint8_t type, const uint8_t *payload, size_t len,
              uint32_t now_ms)
{
    if (channel >= LINK_CH_COUNT || type == LINK_TYPE_ACK || type > LINK_TYPE_MAX ||
        len > LINK_MAX_PAYLOAD || (len > 0 && payload == NULL)) {
        return LINK_EINVAL;
    }
    link_tx_slot_t *slot = &l->tx[channel];
    if (channel == LINK_CH_LOG) {
        /* The LOG slot is only scratch space. The sequence number is used up
         * even when the write fails, so the receiver sees the gap too. */
        size_t n = link_encode_frame(channel, type, l->log_seq++, payload, len, slot->frame,
                                     sizeof slot->frame);
        if (transmit(l, slot->frame, n) != LINK_OK) {
            l->stats.log_dropped++;
            return LINK_EIO;
        }
        return LINK_OK;
    }
    if (slot->pending) {
        return LINK_EBUSY;
    }
    size_t n =
        link_encode_frame(channel, type, slot->seq, payload, len, slot->frame, sizeof slot->frame);
    if (transmit(l, slot->frame, n) != LINK_OK) {
        return LINK_EIO; /* not queued: the sequence number stays free */
    }
    slot->frame_len = n;
    slot->pending = true;
    slot->retries = 0;
    slot->sent_at_ms = now_ms;
    return LINK_OK;
}

int link_poll(link_t *l, uint32_t now_ms)
{
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        link_tx_slot_t *slot = &l->tx[ch];
        if (!is_reliable(ch) || !slot->pending ||
            (uint32_t)(now_ms - slot->sent_at_ms) < l->retransmit_ms) {
            continue;
        }
        if (slot->retries >= l->max_retries) {
            /* Move on to the next sequence number: if the peer did get the
             * message and only the acks were lost, reusing it would make the
             * next message look like a duplicate. */
            slot->pending = false;
            slot->seq++;
            l->stats.gave_up++;
            l->last_gave_up = ch;
            return LINK_EGAVEUP;
        }
        slot->retries++;
        slot->sent_at_ms = now_ms;
        l->stats.retransmits++;
        (void)transmit(l, slot->frame, slot->frame_len); /* a failed write is one lost try */
    }
    return LINK_OK;
}

static void send_ack(link_t *l, uint8_t channel, uint8_t seq)
{
    uint8_t frame[ACK_FRAME_CAP];
    size_t n = link_encode_frame(channel, LINK_TYPE_ACK, seq, NULL, 0, frame, sizeof frame);
    (void)transmit(l, frame, n); /* a lost ack is repaired by the sender's retransmit */
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

static void handle_ack(link_t *l, const link_frame_t *f)
{
    link_tx_slot_t *slot = &l->tx[f->channel];
    if (slot->pending && f->seq == slot->seq) {
        slot->pending = false;
        slot->seq++;
    }
    /* Otherwise a late or repeated ack for something already settled: ignore. */
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
    uint8_t ahead = (uint8_t)(f->seq - l->rx_expected[f->channel]);
    if (ahead >= SEQ_HALF_SPACE) {
        /* Taken before, our ack was lost or late: ack again so the sender moves on. */
        send_ack(l, f->channel, f->seq);
        l->stats.duplicates++;
        return;
    }
    /* Ack only what the application took: a refused message stays unacked,
     * the sender retransmits it, and it is offered again. */
    if (!deliver(l, f)) {
        l->stats.rx_refused++;
        return;
    }
    send_ack(l, f->channel, f->seq);
    /* ahead > 0 only when the sender gave up on earlier messages. */
    l->stats.seq_skipped += ahead;
    l->rx_expected[f->channel] = (uint8_t)(f->seq + 1u);
}

/* A delimiter arrived: decode and dispatch what was collected before it. */
static void end_of_frame(link_t *l)
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
    /* An ACK exists only on a reliable channel and without payload; anything
     * else is malformed. Checked here so the frame counts once, as a resync. */
    if (r != LINK_OK || (f.type == LINK_TYPE_ACK && (f.channel == LINK_CH_LOG || f.len != 0))) {
        l->stats.resyncs++;
        return;
    }
    l->stats.frames_rx++;
    if (f.type == LINK_TYPE_ACK) {
        handle_ack(l, &f);
    } else if (f.channel == LINK_CH_LOG) {
        handle_log(l, &f);
    } else {
        handle_reliable(l, &f);
    }
}

void link_rx(link_t *l, const uint8_t *buf, size_t len, uint32_t now_ms)
{
    (void)now_ms; /* acks are sent at once; no receive-side timers */
    l->stats.bytes_rx += (uint32_t)len;
    for (size_t i = 0; i < len; i++) {
        uint8_t b = buf[i];
        if (b == 0) {
            end_of_frame(l);
        } else if (l->rx_overflow) {
            continue; /* discard up to the next delimiter */
        } else if (l->rx_len >= sizeof l->rx_buf) {
            l->rx_overflow = true;
        } else {
            l->rx_buf[l->rx_len++] = b;
        }
    }
}
