/* goodput_bench: TLS payload goodput over the sim's paced line, as a share of
 * the line rate (baud / 10 bytes per second, 8N1), 1 ms turnaround. Prints
 * key=value lines, each figure measured in this run:
 *
 *   goodput_pct_115200, goodput_pct_921600
 *     TUN_DATA messages (the channel TLS bytes travel on) sent by the real host
 *     link (host/link) to the real sim agent process over its paced line, in
 *     chunks of the bridge's size (LINK_MAX_PAYLOAD: what one recv() from the
 *     TLS server becomes), until the last one is acknowledged. The agent has
 *     no handshake open, so it takes and acknowledges each message and drops
 *     its bytes (counted as stale): the link and the line do all the work.
 *     payload bytes / elapsed seconds / (baud / 10) * 100.
 *   goodput_pct_<baud>_chunk256: the same with 256-byte messages.
 *   link_frames_<baud>, link_retransmits_<baud>: the host link's counters.
 *
 * The comment line of each figure gives the wire bytes each way and the
 * framing bound (payload / wire bytes out: what any window could reach at
 * most). The paced line runs on the host's clock through threads, so a busy
 * machine's scheduling latency (each frame waits for a few wake-ups) lowers
 * the figures a little: compare figures of one run.
 *
 *   goodput_bench [--build-dir DIR] [--seconds S]   (S: per figure, default 2) */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent_rpc.h"
#include "board_config.h"
#include "flasher.h"
#include "host_link.h"
#include "link.h"
#include "proto.h"

extern const flasher_t flasher_sim;

typedef struct measure {
    double pct;
    uint64_t bytes;
    double seconds;
    link_stats_t stats;
} measure_t;

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One agent on a line of baud: HELLO (the link is up), then total bytes of
 * TUN_DATA in chunk-sized messages, timed until the last acknowledgement. */
static int measure(const char *build_dir, uint32_t baud, size_t chunk, uint64_t total, measure_t *m)
{
    char image[4096], console[4200], err[512];
    snprintf(image, sizeof image, "%s/images/tlsrig-agent-sim-sw-full", build_dir);
    snprintf(console, sizeof console, "%s/goodput-bench-console.log", build_dir);
    board_config_t b = {.name = "sim-uart-bench", .kind = BOARD_SIM};
    b.link.baud = baud;
    b.link.turnaround_ms = 1;
    target_handle_t t;
    memset(&t, 0, sizeof t);
    if (flasher_sim.start(&b, image, console, &t, err, sizeof err) != 0) {
        fprintf(stderr, "goodput_bench: %s (build the sim images first)\n", err);
        return -1;
    }
    host_link_t hl;
    host_link_init(&hl, t.link_fd);
    int rc = -1;
    agent_info_t info;
    if (agent_hello(&hl, &info, 10000, err, sizeof err) != 0) {
        fprintf(stderr, "goodput_bench: HELLO at %u baud: %s\n", baud, err);
        goto exit;
    }
    static uint8_t payload[LINK_MAX_PAYLOAD];
    for (size_t i = 0; i < sizeof payload; i++) {
        payload[i] = (uint8_t)(i * 131u + 7u); /* TLS ciphertext looks random; COBS cares */
    }
    link_stats_t before = host_link_stats(&hl);
    double t0 = mono_s();
    for (uint64_t sent = 0; sent < total; sent += chunk) {
        if (host_link_send(&hl, LINK_CH_TUNNEL, TUN_DATA, payload, chunk) != 0) {
            fprintf(stderr, "goodput_bench: host_link_send failed\n");
            goto exit;
        }
    }
    while (!host_link_idle(&hl) && !host_link_dead(&hl)) {
        host_link_pump(&hl, 5);
        host_msg_t *msg;
        while ((msg = host_link_pop(&hl)) != NULL) {
            free(msg); /* the agent says nothing we need here */
        }
    }
    double took = mono_s() - t0;
    if (host_link_dead(&hl)) {
        fprintf(stderr, "goodput_bench: link died at %u baud: %s\n", baud,
                host_link_error_text(&hl, err, sizeof err));
        goto exit;
    }
    link_stats_t after = host_link_stats(&hl);
    m->bytes = total;
    m->seconds = took;
    m->pct = (double)total / took / ((double)baud / 10.0) * 100.0;
    m->stats.frames_tx = after.frames_tx - before.frames_tx;
    m->stats.retransmits = after.retransmits - before.retransmits;
    m->stats.bytes_tx = after.bytes_tx - before.bytes_tx;
    m->stats.bytes_rx = after.bytes_rx - before.bytes_rx;
    rc = 0;
exit:
    host_link_free(&hl);
    flasher_sim.stop(&t);
    return rc;
}

int main(int argc, char **argv)
{
    const char *build_dir = TLSRIG_BENCH_BUILD_DIR;
    double seconds = 2.0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--build-dir") == 0 && i + 1 < argc) {
            build_dir = argv[++i];
        } else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            seconds = strtod(argv[++i], NULL);
        } else {
            fprintf(stderr, "usage: goodput_bench [--build-dir DIR] [--seconds S]\n");
            return 2;
        }
    }
    if (!(seconds > 0.05 && seconds < 600.0)) {
        fprintf(stderr, "goodput_bench: --seconds must be in (0.05, 600)\n");
        return 2;
    }
    static const uint32_t bauds[] = {115200, 921600};
    static const size_t chunks[] = {LINK_MAX_PAYLOAD, 256};
    printf("# TLS payload goodput over the sim's paced line (8N1, 1 ms turnaround each way):\n"
           "# TUN_DATA from the host link to the sim agent until the last ack, as %% of baud/10\n");
    for (size_t c = 0; c < 2; c++) {
        for (size_t k = 0; k < 2; k++) {
            /* Enough bytes for about `seconds` at line rate, whole chunks. */
            uint64_t total = (uint64_t)(seconds * bauds[k] / 10.0);
            total = (total / chunks[c] + 1u) * chunks[c];
            measure_t m;
            if (measure(build_dir, bauds[k], chunks[c], total, &m) != 0) {
                return 3;
            }
            char suffix[32] = "";
            if (chunks[c] != LINK_MAX_PAYLOAD) {
                snprintf(suffix, sizeof suffix, "_chunk%zu", chunks[c]);
            }
            printf("# %u baud, %zu-byte messages: %llu bytes in %.3f s, %llu frames, %llu "
                   "retransmits; wire bytes out %llu, back %llu\n",
                   bauds[k], chunks[c], (unsigned long long)m.bytes, m.seconds,
                   (unsigned long long)m.stats.frames_tx, (unsigned long long)m.stats.retransmits,
                   (unsigned long long)m.stats.bytes_tx, (unsigned long long)m.stats.bytes_rx);
            printf("#   framing bound %.1f%% (payload / wire bytes out)\n",
                   100.0 * (double)m.bytes / (double)m.stats.bytes_tx);
            printf("goodput_pct_%u%s=%.1f\n", bauds[k], suffix, m.pct);
            if (c == 0) {
                printf("link_frames_%u=%llu\nlink_retransmits_%u=%llu\n", bauds[k],
                       (unsigned long long)m.stats.frames_tx, bauds[k],
                       (unsigned long long)m.stats.retransmits);
            }
            fflush(stdout);
        }
    }
    return 0;
}
