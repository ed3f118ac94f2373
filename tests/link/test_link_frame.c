/* Frame codec and the receiver's resynchronisation: every kind of damage is
 * counted once and the frame after it decodes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "link_test_util.h"

static test_endpoint_t rx_end;
static link_t rx;

static void setup(void)
{
    endpoint_init(&rx_end);
    link_ops_t ops = endpoint_ops(&rx_end);
    link_init(&rx, &ops, 100, 3);
}

static void teardown(void)
{
    endpoint_free(&rx_end);
}

TestSuite(frame, .init = setup, .fini = teardown);

/* Encode a LOG frame (no acks involved) and return its length. */
static size_t log_frame(uint8_t seq, const uint8_t *payload, size_t len, uint8_t *out)
{
    size_t n = link_encode_frame(LINK_CH_LOG, 5, seq, payload, len, out, LINK_MAX_ENCODED);
    cr_assert(n > 0);
    return n;
}

static void feed(const uint8_t *buf, size_t len)
{
    link_rx(&rx, buf, len, 0);
}

static void expect_delivered(size_t index, const uint8_t *payload, size_t len)
{
    cr_assert(index < rx_end.n_msgs, "message %zu not delivered", index);
    cr_assert_eq(rx_end.msgs[index].len, len);
    cr_assert(len == 0 || memcmp(rx_end.msgs[index].data, payload, len) == 0);
}

Test(frame, random_round_trips_through_the_decoder)
{
    static uint8_t payload[LINK_MAX_PAYLOAD], wire[LINK_MAX_ENCODED];
    test_rng_t r;
    rng_seed(&r, 2024);
    for (int i = 0; i < 3000; i++) {
        size_t len = i < 300 ? (size_t)i : rng_below(&r, LINK_MAX_PAYLOAD + 1u);
        if (i % 97 == 0) {
            len = LINK_MAX_PAYLOAD;
        }
        rng_fill(&r, payload, len, i % 3 == 0 ? 4 : 0);
        uint8_t ch = (uint8_t)rng_below(&r, LINK_CH_COUNT);
        uint8_t type = (uint8_t)rng_below(&r, LINK_TYPE_MASK + 1u);
        uint8_t seq = (uint8_t)rng_next(&r);
        size_t n = link_encode_frame(ch, type, seq, payload, len, wire, sizeof wire);
        cr_assert(n > 0 && n <= LINK_MAX_ENCODED, "len %zu -> %zu", len, n);
        cr_assert_eq(wire[n - 1], 0, "frame must end with the delimiter");
        cr_assert_null(memchr(wire, 0, n - 1), "delimiter inside a frame");
        link_frame_t f;
        cr_assert_eq(link_decode_frame(wire, n - 1, &f), LINK_OK);
        cr_assert_eq(f.channel, ch);
        cr_assert_eq(f.type, type);
        cr_assert_eq(f.seq, seq);
        cr_assert_eq(f.len, len);
        cr_assert(len == 0 || memcmp(f.payload, payload, len) == 0);
    }
}

Test(frame, layout_byte_by_byte)
{
    uint8_t wire[32];
    size_t n =
        link_encode_frame(LINK_CH_TUNNEL, 7, 0x42, (const uint8_t[]){0xAB}, 1, wire, sizeof wire);
    /* raw: 0x87 0x42 0xAB crc(LE); no zeros unless the CRC has some */
    uint8_t raw[7] = {2u << 6 | 7u, 0x42, 0xAB};
    uint32_t crc = link_crc32(raw, 3);
    for (int i = 0; i < 4; i++) {
        raw[3 + i] = (uint8_t)(crc >> (8 * i));
    }
    uint8_t want[16];
    size_t e = link_cobs_encode(raw, sizeof raw, want, sizeof want);
    want[e] = 0;
    cr_assert_eq(n, e + 1);
    cr_assert_arr_eq(wire, want, n);
}

Test(frame, encoder_rejects_bad_arguments)
{
    static uint8_t payload[LINK_MAX_PAYLOAD + 1], wire[LINK_MAX_ENCODED + 8];
    cr_assert_eq(link_encode_frame(LINK_CH_COUNT, 1, 0, payload, 1, wire, sizeof wire), 0u);
    cr_assert_eq(link_encode_frame(0, LINK_TYPE_MASK + 1, 0, payload, 1, wire, sizeof wire), 0u);
    cr_assert_eq(link_encode_frame(0, 1, 0, payload, LINK_MAX_PAYLOAD + 1u, wire, sizeof wire), 0u);
    cr_assert_eq(link_encode_frame(0, 1, 0, NULL, 3, wire, sizeof wire), 0u);
    size_t need = link_encode_frame(0, 1, 0, payload, 300, wire, sizeof wire);
    cr_assert(need > 0);
    for (size_t cap = 0; cap < need; cap++) {
        cr_assert_eq(link_encode_frame(0, 1, 0, payload, 300, wire, cap), 0u, "cap %zu", cap);
    }
}

Test(frame, worst_case_payload_fits_the_declared_maximum)
{
    static uint8_t payload[LINK_MAX_PAYLOAD], wire[LINK_MAX_ENCODED];
    memset(payload, 0xFF, sizeof payload); /* no zeros: most COBS code bytes */
    size_t n =
        link_encode_frame(LINK_CH_RESULT, 1, 0xFF, payload, sizeof payload, wire, sizeof wire);
    cr_assert(n > 0 && n <= LINK_MAX_ENCODED);
    feed(wire, n);
    cr_assert_eq(rx_end.n_msgs, 0u, "reliable frame with seq 255 is not the expected 0");
    memset(payload, 0x00, sizeof payload);
    n = log_frame(0, payload, sizeof payload, wire);
    feed(wire, n);
    expect_delivered(0, payload, sizeof payload);
}

Test(frame, every_byte_value_and_empty_payloads_through_the_receiver)
{
    uint8_t payload[256], wire[LINK_MAX_ENCODED];
    for (unsigned v = 0; v < 256; v++) {
        payload[v] = (uint8_t)v;
    }
    size_t n = log_frame(0, payload, sizeof payload, wire);
    feed(wire, n);
    n = log_frame(1, NULL, 0, wire);
    feed(wire, n);
    for (unsigned v = 0; v < 256; v++) {
        uint8_t one = (uint8_t)v;
        n = log_frame((uint8_t)(2 + v), &one, 1, wire);
        feed(wire, n);
    }
    cr_assert_eq(rx_end.n_msgs, 258u);
    expect_delivered(0, payload, sizeof payload);
    expect_delivered(1, NULL, 0);
    for (unsigned v = 0; v < 256; v++) {
        expect_delivered(2 + v, &payload[v], 1);
    }
    cr_assert_eq(rx.stats.crc_errors + rx.stats.resyncs + rx.stats.log_dropped, 0u);
}

Test(frame, stream_split_at_any_point)
{
    static uint8_t stream[200 * LINK_MAX_ENCODED];
    static uint8_t payloads[200][64];
    test_rng_t r;
    rng_seed(&r, 9);
    size_t total = 0;
    for (int i = 0; i < 200; i++) {
        rng_fill(&r, payloads[i], sizeof payloads[i], 3);
        total += log_frame((uint8_t)i, payloads[i], (size_t)i % 65, stream + total);
    }
    for (size_t off = 0; off < total;) {
        size_t chunk = 1u + rng_below(&r, 40);
        chunk = chunk > total - off ? total - off : chunk;
        feed(stream + off, chunk);
        off += chunk;
    }
    cr_assert_eq(rx_end.n_msgs, 200u);
    for (int i = 0; i < 200; i++) {
        expect_delivered((size_t)i, payloads[i], (size_t)i % 65);
    }
    cr_assert_eq(rx.stats.frames_rx, 200u);
    cr_assert_eq(rx.stats.bytes_rx, (uint32_t)total);
}

Test(frame, corrupted_bits_are_never_delivered)
{
    uint8_t payload[40], wire[LINK_MAX_ENCODED], good[LINK_MAX_ENCODED];
    test_rng_t r;
    rng_seed(&r, 5);
    rng_fill(&r, payload, sizeof payload, 6);
    size_t n = log_frame(0, payload, sizeof payload, wire);
    uint8_t seq = 0;
    size_t damaged = 0;
    for (size_t bit = 0; bit < (n - 1) * 8u; bit++) {
        uint8_t copy[LINK_MAX_ENCODED];
        memcpy(copy, wire, n);
        copy[bit / 8u] ^= (uint8_t)(1u << (bit % 8u));
        size_t before = rx_end.n_msgs;
        feed(copy, n);
        cr_assert_eq(rx_end.n_msgs, before, "bit %zu flipped, frame delivered anyway", bit);
        damaged++;
        /* The next intact frame always gets through. */
        size_t g = log_frame(++seq, payload, sizeof payload, good);
        feed(good, g);
        cr_assert_eq(rx_end.n_msgs, before + 1u, "frame after bit %zu lost", bit);
    }
    /* A flip may split the frame in two (a new 0x00): at least one count each. */
    cr_assert_geq(rx.stats.crc_errors + rx.stats.resyncs, damaged);
    cr_assert_gt(rx.stats.crc_errors, 0u);
}

Test(frame, crc_error_counted_once)
{
    uint8_t payload[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, wire[64];
    size_t n = log_frame(0, payload, sizeof payload, wire);
    wire[4] ^= 0x01; /* a data byte inside the first COBS block, stays non-zero */
    feed(wire, n);
    cr_assert_eq(rx.stats.crc_errors, 1u);
    cr_assert_eq(rx.stats.resyncs, 0u);
    cr_assert_eq(rx_end.n_msgs, 0u);
}

Test(frame, truncated_frames_are_counted_and_skipped)
{
    uint8_t payload[300], wire[LINK_MAX_ENCODED], cut[LINK_MAX_ENCODED];
    test_rng_t r;
    rng_seed(&r, 11);
    rng_fill(&r, payload, sizeof payload, 20);
    size_t n = log_frame(0, payload, sizeof payload, wire);
    uint32_t bad = 0;
    for (size_t keep = 1; keep < n - 1; keep++) {
        memcpy(cut, wire, keep);
        cut[keep] = 0;
        feed(cut, keep + 1);
        bad++;
        cr_assert_eq(rx_end.n_msgs, 0u, "prefix of %zu bytes delivered", keep);
        cr_assert_eq(rx.stats.crc_errors + rx.stats.resyncs, bad);
    }
    feed(wire, n);
    expect_delivered(0, payload, sizeof payload);
}

Test(frame, too_short_frames_are_resyncs)
{
    /* Decodes to 0..5 bytes: less than header + CRC. */
    for (uint8_t len = 0; len < LINK_HEADER_LEN + LINK_CRC_LEN; len++) {
        uint8_t raw[8] = {0x41, 0x42, 0x43, 0x44, 0x45, 0x46}, wire[16];
        size_t e = link_cobs_encode(raw, len, wire, sizeof wire);
        wire[e] = 0;
        feed(wire, e + 1);
        cr_assert_eq(rx.stats.resyncs, (uint32_t)len + 1u);
    }
    cr_assert_eq(rx.stats.crc_errors, 0u);
    cr_assert_eq(rx_end.n_msgs, 0u);
}

Test(frame, oversize_frames_are_dropped_up_to_the_delimiter)
{
    static uint8_t junk[5000], wire[LINK_MAX_ENCODED];
    memset(junk, 0x7E, sizeof junk);
    feed(junk, sizeof junk);
    feed((const uint8_t[]){0}, 1);
    cr_assert_eq(rx.stats.resyncs, 1u);
    /* One byte more than the largest legal frame, with a valid CRC. */
    static uint8_t raw[LINK_MAX_RAW + 1], enc[LINK_MAX_ENCODED + 8];
    memset(raw, 0x33, sizeof raw);
    raw[0] = LINK_CH_LOG << 6 | 5;
    raw[1] = 0;
    uint32_t crc = link_crc32(raw, sizeof raw - 4u);
    for (int i = 0; i < 4; i++) {
        raw[sizeof raw - 4u + (size_t)i] = (uint8_t)(crc >> (8 * i));
    }
    size_t e = link_cobs_encode(raw, sizeof raw, enc, sizeof enc);
    enc[e] = 0;
    feed(enc, e + 1);
    cr_assert_eq(rx.stats.resyncs, 2u);
    cr_assert_eq(rx_end.n_msgs, 0u);
    size_t n = log_frame(0, (const uint8_t *)"ok", 2, wire);
    feed(wire, n);
    expect_delivered(0, (const uint8_t *)"ok", 2);
}

Test(frame, garbage_between_frames)
{
    static uint8_t garbage[2000], wire[LINK_MAX_ENCODED];
    test_rng_t r;
    rng_seed(&r, 77);
    uint8_t seq = 0;
    for (int round = 0; round < 50; round++) {
        size_t g = 1u + rng_below(&r, sizeof garbage - 1u);
        rng_fill(&r, garbage, g, 1u + rng_below(&r, 300));
        garbage[g - 1] = 0; /* the noise ends on a delimiter... */
        feed(garbage, g);
        uint8_t payload[4] = {(uint8_t)round, 1, 2, 3};
        size_t n = log_frame(seq++, payload, sizeof payload, wire);
        feed(wire, n);
        expect_delivered((size_t)round, payload, sizeof payload); /* ...so this frame is whole */
    }
    cr_assert_gt(rx.stats.crc_errors + rx.stats.resyncs, 0u);
    cr_assert_eq(rx.stats.log_dropped, 0u);
}

Test(frame, garbage_without_a_delimiter_costs_exactly_the_next_frame)
{
    uint8_t garbage[37], wire[LINK_MAX_ENCODED];
    memset(garbage, 0x99, sizeof garbage);
    feed(garbage, sizeof garbage);
    size_t n = log_frame(0, (const uint8_t *)"lost", 4, wire);
    feed(wire, n);
    cr_assert_eq(rx_end.n_msgs, 0u);
    cr_assert_eq(rx.stats.crc_errors + rx.stats.resyncs, 1u);
    n = log_frame(1, (const uint8_t *)"kept", 4, wire);
    feed(wire, n);
    expect_delivered(0, (const uint8_t *)"kept", 4);
    cr_assert_eq(rx.stats.log_dropped, 1u, "the merged frame shows up as a LOG gap");
}

Test(frame, idle_delimiters_are_not_errors)
{
    uint8_t zeros[16] = {0}, wire[64];
    feed(zeros, sizeof zeros);
    size_t n = log_frame(0, (const uint8_t *)"x", 1, wire);
    feed(wire, n);
    feed(zeros, sizeof zeros);
    cr_assert_eq(rx_end.n_msgs, 1u);
    cr_assert_eq(rx.stats.crc_errors + rx.stats.resyncs, 0u);
}

Test(frame, impossible_acks_are_malformed)
{
    uint8_t wire[64];
    size_t n = link_encode_frame(LINK_CH_LOG, LINK_TYPE_ACK, 0, NULL, 0, wire, sizeof wire);
    feed(wire, n);
    n = link_encode_frame(LINK_CH_CTRL, LINK_TYPE_ACK, 0, (const uint8_t *)"zz", 2, wire,
                          sizeof wire);
    feed(wire, n);
    cr_assert_eq(rx.stats.resyncs, 2u);
    cr_assert_eq(rx_end.n_msgs, 0u);
    cr_assert_eq(rx_end.wire_len, 0u, "nothing is acked");
}

/* The fuzz seed was written by an independent encoder (Python, zlib.crc32):
 * our encoder must produce the very same bytes. */
Test(frame, matches_an_independent_encoder)
{
    const char *src = getenv("TLSRIG_SOURCE_DIR");
    cr_assert_not_null(src);
    char path[4096];
    snprintf(path, sizeof path, "%s/fuzz/corpus/link_frame/ctrl_hello", src);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    uint8_t want[64], got[64];
    size_t want_len = fread(want, 1, sizeof want, f);
    fclose(f);
    size_t n = link_encode_frame(LINK_CH_CTRL, 1, 0, (const uint8_t *)"hello", 5, got, sizeof got);
    cr_assert_eq(n, want_len);
    cr_assert_arr_eq(got, want, n);
}

/* Every non-empty frame ended by a delimiter counts in exactly one of
 * frames_rx, crc_errors and resyncs. Found by the link_frame fuzzer: a CTRL
 * ACK with a one-byte payload (valid COBS and CRC) was counted both as a
 * received frame and as a resync. Input kept in fuzz/corpus/link_frame. */
Test(frame, malformed_ack_counts_once)
{
    static const uint8_t input[] = {0x28, 0x02, 0xfd, 0x00, 0x01, 0x01, 0x01, 0x05, 0x12, 0xd9,
                                    0x41, 0xff, 0x00, 0x01, 0x7f, 0xff, 0x12, 0x00, 0x02, 0x02};
    feed(input, sizeof input);
    cr_assert_eq(rx.stats.frames_rx, 0u, "the ACK with a payload is not a frame");
    cr_assert_eq(rx.stats.crc_errors, 0u);
    cr_assert_eq(rx.stats.resyncs, 3u, "bad COBS, malformed ACK, bad COBS");
    cr_assert_eq(rx_end.n_msgs, 0u);
    cr_assert_eq(rx_end.wire_len, 0u);
}
