/* Host-target link: COBS framing, CRC-32, four channels, reliable delivery on
 * CTRL, TUNNEL and RESULT (a sliding window per channel: several frames in
 * flight, cumulative acks, go-back-N, bounded retransmission), best-effort LOG
 * with a drop counter.
 *
 * Freestanding: no POSIX, no malloc, no clock of its own. The caller owns the
 * transport (ops->write), the clock (now_ms arguments) and the buffers (the
 * link_t it passes in). Shared verbatim by the host and every target port.
 * docs/protocol.md is the normative description. */
#ifndef TLSRIG_LINK_H
#define TLSRIG_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINK_MAX_PAYLOAD 1024u
#define LINK_HEADER_LEN 2u /* chan<<6|type, seq */
#define LINK_CRC_LEN 4u
/* COBS adds at most 1 byte per 254 plus one; the delimiter is one more. */
#define LINK_MAX_RAW (LINK_HEADER_LEN + LINK_MAX_PAYLOAD + LINK_CRC_LEN)
#define LINK_MAX_ENCODED (LINK_MAX_RAW + LINK_MAX_RAW / 254u + 2u)
/* Most bytes on the wire for a frame with an n-byte payload. */
#define LINK_WIRE_BYTES(n)                                                                         \
    ((n) + LINK_HEADER_LEN + LINK_CRC_LEN + ((n) + LINK_HEADER_LEN + LINK_CRC_LEN) / 254u + 2u)

enum link_channel {
    LINK_CH_CTRL = 0,   /* request/response, reliable */
    LINK_CH_LOG = 1,    /* debug text, best effort */
    LINK_CH_TUNNEL = 2, /* TLS bytes and open/close/reset events, reliable */
    LINK_CH_RESULT = 3, /* end-of-scenario results, reliable */
    LINK_CH_COUNT = 4
};

/* Frame type: 6 bits. 0 (ACK) and 63 (SYNC) belong to the link; 1..62 are
 * message types the application defines per channel (common/proto/proto.h). */
#define LINK_TYPE_ACK 0u
#define LINK_TYPE_MAX 62u  /* largest application type */
#define LINK_TYPE_SYNC 63u /* "I gave up on everything before seq": see link_poll */
#define LINK_TYPE_MASK 63u /* the type field */

/* Frames in flight per reliable channel. Sequence numbers are 8 bits and a
 * receiver tells new from old by which half of the space a number falls in,
 * so a window must stay below half the space: at most 127 frames. */
#define LINK_WINDOW_LIMIT 127u
/* Window for a transport without a baud rate (sockets: sim, unpaced QEMU). */
#define LINK_WINDOW_SOCKET 4u
/* Turnaround assumed per direction when a port knows no better (ms). */
#define LINK_TURNAROUND_MS 1u
/* Bytes of one ACK on the wire (2 header + 4 CRC, COBS code, delimiter). */
#define LINK_ACK_WIRE_BYTES 8u

enum link_status {
    LINK_OK = 0,
    LINK_EBUSY = -1,   /* reliable channel still waiting for an ack */
    LINK_EINVAL = -2,  /* bad channel, type or length */
    LINK_EIO = -3,     /* transport write failed */
    LINK_EGAVEUP = -4, /* retries exhausted on a reliable channel */
    LINK_ECRC = -5,    /* link_decode_frame: CRC mismatch */
    LINK_EFRAME = -6,  /* link_decode_frame: bad COBS, too short or too long */
};

typedef struct link_stats {
    uint32_t frames_tx;
    uint32_t frames_rx;
    uint32_t bytes_tx;
    uint32_t bytes_rx;
    /* Every non-empty frame ended by a delimiter counts in exactly one of
     * frames_rx, crc_errors and resyncs. */
    uint32_t crc_errors;  /* frames whose CRC did not match */
    uint32_t resyncs;     /* malformed frames (bad COBS, too short/long, an ACK with a payload
                             or on LOG) skipped to the next delimiter */
    uint32_t log_dropped; /* LOG messages not sent (transport busy) or lost */
    uint32_t retransmits;
    uint32_t duplicates;   /* reliable frames received twice (acked, not delivered again) */
    uint32_t gave_up;      /* reliable sends abandoned after max retries */
    uint32_t seq_skipped;  /* reliable messages the peer gave up on (seq jumped ahead) */
    uint32_t rx_refused;   /* reliable frames the application refused: not acked, so the
                              peer sends them again */
    uint32_t out_of_order; /* reliable frames ahead of the expected one (an earlier frame
                              was lost or refused): dropped, the sender goes back */
} link_stats_t;

typedef struct link_ops {
    /* Write all of buf to the transport. Return 0 on success, <0 on failure. */
    int (*write)(void *ctx, const uint8_t *buf, size_t len);
    /* One message received, in order, exactly once for reliable channels.
     * Return true when the application took it (copied or handled it): only
     * then is a reliable message acked and its sequence number used up.
     * false refuses it (no room, no memory, busy): it is not acked, so the
     * peer retransmits it and it is offered again. A refused LOG message is
     * lost and counts in log_dropped. */
    bool (*deliver)(void *ctx, uint8_t channel, uint8_t type, const uint8_t *payload, size_t len);
    void *ctx;
} link_ops_t;

/* Storage for one frame in flight, kept byte for byte for retransmission. */
typedef struct link_tx_slot {
    uint8_t frame[LINK_MAX_ENCODED];
    uint16_t frame_len;
} link_tx_slot_t;

/* Send state of one channel. Frames in flight occupy a ring of `window`
 * slots: the link's own slot (link_t.slot0) then the caller's `extra` ones. */
typedef struct link_tx_chan {
    link_tx_slot_t *extra; /* window - 1 slots of caller storage, or NULL */
    uint8_t window;        /* frames allowed in flight, 1..LINK_WINDOW_LIMIT */
    uint8_t head;          /* ring index of the oldest frame in flight */
    uint8_t count;         /* frames in flight (sent, not acked) */
    uint8_t next_seq;      /* sequence number of the next new frame */
    uint8_t retries;       /* timeouts of the oldest frame so far */
    bool recovering;       /* the oldest frame timed out: resend the rest on the next ack */
    bool sync_pending;     /* gave up: the peer must learn to skip to sync_seq */
    uint8_t sync_seq;
    uint32_t sent_at_ms; /* last (re)transmission of the oldest frame, or last ack */
} link_tx_chan_t;

typedef struct link {
    link_ops_t ops;
    uint32_t retransmit_ms;
    uint8_t max_retries;
    link_tx_slot_t slot0[LINK_CH_COUNT]; /* one slot per channel; LOG's is scratch space */
    link_tx_chan_t tx[LINK_CH_COUNT];
    uint8_t rx_expected[LINK_CH_COUNT]; /* next sequence number to deliver */
    uint8_t ack_due;                    /* channels to ack at the end of link_rx (bit mask) */
    uint8_t rx_joining;                 /* channels taking the next frame at any seq (mask) */
    uint8_t log_seq;
    /* Delayed acks (link_set_ack_delay), as bit masks of channels. The
     * fields are ordered and sized so link_t is no larger than without them:
     * a Cortex-M image's RAM is counted to the byte. */
    uint8_t ack_now;  /* due acks that must not wait (a duplicate, a SYNC, a 2nd message) */
    uint8_t ack_hold; /* channels whose acks may wait */
    uint8_t ack_held; /* channels with an ack waiting */
    bool rx_overflow;
    uint8_t ack_delay_ms; /* how long a waiting ack may wait */
    uint8_t rx_buf[LINK_MAX_ENCODED];
    uint16_t ack_held_at; /* now_ms (mod 65536) when the oldest waiting ack fell due */
    uint16_t rx_len;      /* <= LINK_MAX_ENCODED */
    link_stats_t stats;
    uint8_t last_gave_up; /* channel of the most recent LINK_EGAVEUP */
} link_t;

/* One decoded frame; payload points into the buffer that was decoded. */
typedef struct link_frame {
    uint8_t channel;
    uint8_t type;
    uint8_t seq;
    const uint8_t *payload;
    size_t len;
} link_frame_t;

/* Every reliable channel starts with a window of 1 (stop-and-wait). */
void link_init(link_t *l, const link_ops_t *ops, uint32_t retransmit_ms, uint8_t max_retries);

/* Let up to `window` frames be in flight on a reliable channel. extra holds
 * n_extra slots of the caller's storage (it must outlive the link): the window
 * can be at most 1 + n_extra and LINK_WINDOW_LIMIT. Only while nothing is in
 * flight on the channel (LINK_EBUSY otherwise). LINK_OK or LINK_EINVAL. */
int link_set_window(link_t *l, uint8_t channel, uint8_t window, link_tx_slot_t *extra,
                    size_t n_extra);
/* The channel's window (frames allowed in flight); 0 for LOG or a bad channel. */
uint8_t link_window(const link_t *l, uint8_t channel);

/* Join a peer that kept running while this side started afresh (its state
 * is unknown both ways). Sending: the channel's next frame gets sequence
 * number seq and a SYNC goes before it, which moves a receiver expecting r to
 * seq when (seq - r) mod 256 < 128: trying seq 0, then 128, reaches any r.
 * Receiving: the peer's next data frame on the channel is taken whatever its
 * seq (only for a channel with one frame in flight at a time, like CTRL).
 * Only while nothing is in flight: LINK_OK, LINK_EBUSY or LINK_EINVAL. */
int link_join(link_t *l, uint8_t channel, uint8_t seq);

/* Frames in flight that keep a line busy: the line carries baud/10 bytes per
 * second, a frame of frame_bytes takes F to send, and its ack comes back
 * after F + 2 * turnaround_ms + the ACK's own time. Enough frames to cover
 * that round trip (rounded up), plus one for slack; clamped to 1..max (and
 * LINK_WINDOW_LIMIT). baud 0 (a socket): LINK_WINDOW_SOCKET, clamped too. */
uint8_t link_window_for(uint32_t baud, uint32_t turnaround_ms, size_t frame_bytes, uint8_t max);

/* Queue and send one message. Reliable channels: LINK_EBUSY while the window
 * is full (that many messages unacked). LOG: never busy; a failed write
 * counts a drop. */
int link_send(link_t *l, uint8_t channel, uint8_t type, const uint8_t *payload, size_t len,
              uint32_t now_ms);

/* True when link_send on this channel would not return LINK_EBUSY. */
bool link_can_send(const link_t *l, uint8_t channel);
/* True when nothing sent on this channel waits for an ack (LOG: always). */
bool link_all_acked(const link_t *l, uint8_t channel);

/* Feed bytes read from the transport. Delivers complete messages through ops->deliver. */
void link_rx(link_t *l, const uint8_t *buf, size_t len, uint32_t now_ms);

/* Retransmit what timed out. Returns LINK_EGAVEUP when a reliable channel ran
 * out of retries: every message in flight on it is abandoned (stats.gave_up
 * counts them) and the peer is told with a SYNC before the next frame. At most
 * one channel gives up per call (l->last_gave_up); call again. Else LINK_OK. */
int link_poll(link_t *l, uint32_t now_ms);

/* Delayed acks. The ack of a message on a channel in `channels` (bit mask
 * of reliable channels; 0 = none, the default) may wait up to delay_ms: the
 * next frame this side sends, on any channel, carries it in the same write,
 * so a message answered within delay_ms costs no ack frame of its own and no
 * wake-up of the peer. It goes at once when a second message of the channel
 * arrives while it waits (the sender's window keeps moving), for a duplicate
 * or a SYNC, and once delay_ms has passed (link_poll; the wait is kept modulo
 * 65536 ms, so link_poll must run more often than that). Only for channels
 * whose sender has a window of 2 or more, with delay_ms well below the
 * sender's retransmission timeout. LINK_OK, or LINK_EINVAL for LOG or a bad
 * mask. Waiting acks under the old setting go out first. */
int link_set_ack_delay(link_t *l, uint8_t channels, uint8_t delay_ms);
/* Sends every waiting ack now. */
void link_flush_acks(link_t *l);
/* Milliseconds until link_poll must run for a waiting ack (0: now), or
 * UINT32_MAX when none waits: a caller's sleep should not exceed it. */
uint32_t link_ack_wait_ms(const link_t *l, uint32_t now_ms);

/* Write a lone 0x00 so the peer's receiver drops any partial frame it holds.
 * Useful right after opening a transport. LINK_OK or LINK_EIO. */
int link_flush_peer(link_t *l);

/* Stateless pieces, exposed for tests, fuzzers and the benchmark. */
uint32_t link_crc32(const uint8_t *buf, size_t len);
/* COBS: returns encoded length (no delimiter), or 0 if out is too small. */
size_t link_cobs_encode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap);
/* Returns decoded length, or SIZE_MAX on malformed input or short out buffer. */
size_t link_cobs_decode(const uint8_t *in, size_t len, uint8_t *out, size_t out_cap);
/* Encode one whole frame including the trailing 0x00; returns length or 0. */
size_t link_encode_frame(uint8_t channel, uint8_t type, uint8_t seq, const uint8_t *payload,
                         size_t len, uint8_t *out, size_t out_cap);
/* Decode one frame (its COBS bytes, without the 0x00 delimiter) in place: buf is
 * overwritten. LINK_OK and *out filled, LINK_EFRAME or LINK_ECRC. */
int link_decode_frame(uint8_t *buf, size_t len, link_frame_t *out);

#endif
