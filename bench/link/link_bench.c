/* Prints key=value lines:
 *   framing_overhead_pct_<N>  (wire bytes / payload bytes - 1) * 100 for random
 *                             N-byte payloads, measured by encoding real frames
 *   ack_frame_bytes           size of one ACK on the wire (for information)
 *   encode_mb_per_s, decode_mb_per_s   payload throughput (for information) */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "link.h"

#define OVERHEAD_FRAMES 4000u
#define THROUGHPUT_FRAMES 20000u

static uint64_t rng_state = 0x243F6A8885A308D3u;

static uint8_t rng_byte(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint8_t)((rng_state * 0x2545F4914F6CDD1Du) >> 56);
}

static void random_payload(uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = rng_byte();
    }
}

static double seconds_now(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double overhead_pct(size_t len)
{
    static uint8_t payload[LINK_MAX_PAYLOAD], wire[LINK_MAX_ENCODED];
    uint64_t wire_bytes = 0;
    for (unsigned i = 0; i < OVERHEAD_FRAMES; i++) {
        random_payload(payload, len);
        size_t n =
            link_encode_frame(LINK_CH_TUNNEL, 1, (uint8_t)i, payload, len, wire, sizeof wire);
        if (n == 0) {
            fprintf(stderr, "link_bench: encode failed\n");
            return -1.0;
        }
        wire_bytes += n;
    }
    return ((double)wire_bytes / ((double)len * OVERHEAD_FRAMES) - 1.0) * 100.0;
}

static size_t delivered_bytes;

static bool count_delivery(void *ctx, uint8_t channel, uint8_t type, const uint8_t *payload,
                           size_t len)
{
    (void)ctx;
    (void)channel;
    (void)type;
    (void)payload;
    delivered_bytes += len;
    return true;
}

static int discard_write(void *ctx, const uint8_t *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    (void)len;
    return 0;
}

static void throughput(void)
{
    static uint8_t payload[LINK_MAX_PAYLOAD];
    static uint8_t stream[64 * LINK_MAX_ENCODED];
    static link_t rx;
    random_payload(payload, sizeof payload);

    /* Encode: the same work link_send does per message. */
    size_t sink = 0;
    double t0 = seconds_now();
    for (unsigned i = 0; i < THROUGHPUT_FRAMES; i++) {
        sink += link_encode_frame(LINK_CH_LOG, 1, (uint8_t)i, payload, sizeof payload, stream,
                                  LINK_MAX_ENCODED);
    }
    double enc_s = seconds_now() - t0;

    /* Decode: a stream of 64 LOG frames fed through the receiver repeatedly. */
    size_t stream_len = 0;
    for (unsigned i = 0; i < 64; i++) {
        stream_len += link_encode_frame(LINK_CH_LOG, 1, (uint8_t)i, payload, sizeof payload,
                                        stream + stream_len, LINK_MAX_ENCODED);
    }
    link_ops_t ops = {.write = discard_write, .deliver = count_delivery, .ctx = NULL};
    t0 = seconds_now();
    for (unsigned i = 0; i < THROUGHPUT_FRAMES / 64u; i++) {
        link_init(&rx, &ops, 100, 3); /* the stream's LOG seqs restart at 0 each time */
        link_rx(&rx, stream, stream_len, 0);
    }
    double dec_s = seconds_now() - t0;

    double mb = (double)THROUGHPUT_FRAMES * sizeof payload / 1e6;
    double dec_mb = (double)delivered_bytes / 1e6;
    printf("encode_mb_per_s=%.1f\n", enc_s > 0 ? mb / enc_s : 0.0);
    printf("decode_mb_per_s=%.1f\n", dec_s > 0 ? dec_mb / dec_s : 0.0);
    if (sink == 0 || delivered_bytes != (size_t)(THROUGHPUT_FRAMES / 64u) * 64u * sizeof payload) {
        fprintf(stderr, "link_bench: throughput run failed\n");
    }
}

int main(void)
{
    static const size_t sizes[] = {16, 64, 256, 1024};
    int rc = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        double pct = overhead_pct(sizes[i]);
        if (pct < 0) {
            rc = 1;
        }
        printf("framing_overhead_pct_%zu=%.2f\n", sizes[i], pct);
    }
    uint8_t ack[16];
    printf("ack_frame_bytes=%zu\n",
           link_encode_frame(LINK_CH_CTRL, LINK_TYPE_ACK, 0, NULL, 0, ack, sizeof ack));
    throughput();
    return rc;
}
