/* Arbitrary bytes into the link's receiver and its stateless decoders, and
 * into a sender with full windows (ACKs and SYNCs against frames in flight).
 * Any broken invariant aborts (libFuzzer reports it); ASan/UBSan catch the rest. */
#include <stdlib.h>
#include <string.h>

#include "link.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

typedef struct fuzz_peer {
    size_t delivered;
    size_t refused_reliable;
    size_t writes;
} fuzz_peer_t;

/* Everything the receiver writes back must itself be a well-formed ACK frame. */
static int check_write(void *ctx, const uint8_t *buf, size_t len)
{
    fuzz_peer_t *p = ctx;
    uint8_t copy[LINK_MAX_ENCODED];
    link_frame_t f;
    p->writes++;
    CHECK(len >= 2 && len <= sizeof copy && buf[len - 1] == 0);
    CHECK(memchr(buf, 0, len - 1) == NULL);
    memcpy(copy, buf, len - 1);
    CHECK(link_decode_frame(copy, len - 1, &f) == LINK_OK);
    CHECK(f.type == LINK_TYPE_ACK && f.len == 0 && f.channel != LINK_CH_LOG);
    return 0;
}

/* The application refuses messages whose first payload byte is odd (a busy
 * agent, a failed allocation), so the fuzzer reaches the refusal path too. */
static bool check_deliver(void *ctx, uint8_t channel, uint8_t type, const uint8_t *payload,
                          size_t len)
{
    fuzz_peer_t *p = ctx;
    CHECK(channel < LINK_CH_COUNT);
    CHECK(type != LINK_TYPE_ACK && type <= LINK_TYPE_MAX); /* SYNC stays in the link */
    CHECK(len <= LINK_MAX_PAYLOAD);
    CHECK(len == 0 || payload != NULL);
    volatile uint8_t sink = 0;
    for (size_t i = 0; i < len; i++) {
        sink ^= payload[i]; /* touch every byte: ASan checks the bounds */
    }
    (void)sink;
    if (len > 0 && (payload[0] & 1u) != 0) {
        p->refused_reliable += channel != LINK_CH_LOG;
        return false;
    }
    p->delivered++;
    return true;
}

/* Non-empty frames ended by a delimiter: each must be counted exactly once. */
static size_t count_frames(const uint8_t *data, size_t size)
{
    size_t frames = 0;
    size_t run = 0;
    for (size_t i = 0; i < size; i++) {
        if (data[i] != 0) {
            run++;
        } else {
            frames += run > 0;
            run = 0;
        }
    }
    return frames;
}

static void fuzz_receiver(const uint8_t *data, size_t size)
{
    static link_t l;
    fuzz_peer_t peer = {0};
    link_ops_t ops = {.write = check_write, .deliver = check_deliver, .ctx = &peer};
    link_init(&l, &ops, 10, 2);
    /* Inputs whose first byte has the top bit set hold acks (link_set_ack_delay)
     * on some reliable channels, for up to 15 ms. */
    if (size > 0 && (data[0] & 0x80u) != 0) {
        CHECK(link_set_ack_delay(&l, (uint8_t)(data[0] & 0x0Du), (uint8_t)(data[0] & 0x0Fu)) ==
              LINK_OK);
    }
    /* Feed in uneven chunks so frames straddle link_rx calls. */
    size_t off = 0;
    uint32_t now = 0;
    while (off < size) {
        size_t chunk = 1u + (data[off] % 97u);
        chunk = chunk > size - off ? size - off : chunk;
        link_rx(&l, data + off, chunk, now);
        CHECK(link_poll(&l, now += 7) == LINK_OK); /* nothing was sent */
        off += chunk;
    }
    CHECK(l.stats.bytes_rx == (uint32_t)size);
    CHECK(l.stats.frames_rx + l.stats.crc_errors + l.stats.resyncs == count_frames(data, size));
    CHECK(peer.delivered + peer.refused_reliable <= l.stats.frames_rx);
    CHECK(peer.refused_reliable == l.stats.rx_refused);
    link_flush_acks(&l);
    CHECK(l.ack_held == 0);
    CHECK(peer.writes == l.stats.frames_tx);
    CHECK(l.rx_len <= sizeof l.rx_buf);
}

/* A sender with messages in flight on every reliable channel, then the input
 * as what comes back: whatever it holds, the window never overflows and each
 * message ends up acked, in flight or counted as given up. */
static int any_write(void *ctx, const uint8_t *buf, size_t len)
{
    fuzz_peer_t *p = ctx;
    p->writes++;
    CHECK(len >= 2 && len <= LINK_MAX_ENCODED && buf[len - 1] == 0);
    return 0;
}

static void fuzz_sender(const uint8_t *data, size_t size)
{
    static link_t l;
    static link_tx_slot_t extra[3][3];
    static const uint8_t windows[LINK_CH_COUNT] = {2, 0, 4, 3};
    fuzz_peer_t peer = {0};
    link_ops_t ops = {.write = any_write, .deliver = check_deliver, .ctx = &peer};
    link_init(&l, &ops, 10, 2);
    uint32_t sent[LINK_CH_COUNT] = {0};
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        if (ch == LINK_CH_LOG) {
            continue;
        }
        CHECK(link_set_window(&l, ch, windows[ch], extra[ch == 0 ? 0 : ch - 1], 3) == LINK_OK);
        while (link_can_send(&l, ch)) {
            uint8_t v = (uint8_t)sent[ch];
            CHECK(link_send(&l, ch, 1, &v, 1, 0) == LINK_OK);
            sent[ch]++;
        }
        CHECK(sent[ch] == windows[ch]);
    }
    size_t off = 0;
    uint32_t now = 0;
    while (off < size) {
        size_t chunk = 1u + (data[off] % 61u);
        chunk = chunk > size - off ? size - off : chunk;
        link_rx(&l, data + off, chunk, now);
        (void)link_poll(&l, now += 3);
        off += chunk;
    }
    for (uint8_t ch = 0; ch < LINK_CH_COUNT; ch++) {
        if (ch != LINK_CH_LOG) {
            CHECK(l.tx[ch].count <= l.tx[ch].window);
            CHECK(link_all_acked(&l, ch) == (l.tx[ch].count == 0));
        }
    }
    CHECK(l.stats.gave_up <= sent[0] + sent[2] + sent[3]);
    CHECK(peer.writes == l.stats.frames_tx);
}

static void fuzz_cobs(const uint8_t *data, size_t size)
{
    static uint8_t out[70000], enc[70000 + 70000 / 254 + 2], dec[70000];
    size_t cap = size < sizeof out ? size : sizeof out;
    size_t n = link_cobs_decode(data, size, out, cap);
    if (n != SIZE_MAX) {
        CHECK(n <= cap);
        size_t e = link_cobs_encode(out, n, enc, sizeof enc);
        CHECK(e > 0 && e <= n + n / 254u + 1u);
        CHECK(link_cobs_decode(enc, e, dec, sizeof dec) == n);
        CHECK(n == 0 || memcmp(dec, out, n) == 0);
    }
    if (size <= sizeof dec) {
        size_t e = link_cobs_encode(data, size, enc, sizeof enc);
        CHECK(e > 0 && memchr(enc, 0, e) == NULL);
        CHECK(link_cobs_decode(enc, e, dec, sizeof dec) == size);
        CHECK(size == 0 || memcmp(dec, data, size) == 0);
    }
}

static void fuzz_frame(const uint8_t *data, size_t size)
{
    static uint8_t copy[LINK_MAX_ENCODED * 2], wire[LINK_MAX_ENCODED];
    size_t n = size < sizeof copy ? size : sizeof copy;
    memcpy(copy, data, n);
    link_frame_t f;
    int r = link_decode_frame(copy, n, &f);
    CHECK(r == LINK_OK || r == LINK_ECRC || r == LINK_EFRAME);
    if (r == LINK_OK) {
        CHECK(f.channel < LINK_CH_COUNT && f.type <= LINK_TYPE_MASK);
        CHECK(f.len <= LINK_MAX_PAYLOAD);
        size_t e = link_encode_frame(f.channel, f.type, f.seq, f.payload, f.len, wire, sizeof wire);
        CHECK(e > 0 && e <= LINK_MAX_ENCODED);
    }
    /* The input as a payload: encoded, it must come back unchanged. */
    size_t len = size < LINK_MAX_PAYLOAD ? size : LINK_MAX_PAYLOAD;
    size_t e = link_encode_frame(LINK_CH_TUNNEL, 1, (uint8_t)size, data, len, wire, sizeof wire);
    CHECK(e > 0 && e <= LINK_MAX_ENCODED);
    CHECK(link_decode_frame(wire, e - 1, &f) == LINK_OK);
    CHECK(f.len == len && (len == 0 || memcmp(f.payload, data, len) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_receiver(data, size);
    fuzz_sender(data, size);
    fuzz_cobs(data, size);
    fuzz_frame(data, size);
    return 0;
}
