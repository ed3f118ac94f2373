/* LOG is best effort. A lost frame may carry definitions: the decoder must
 * never render a record with a definition it did not see (a marker line,
 * counted), must ask for a new table, and must decode everything again once
 * the agent started one. A frame the agent itself could not send starts a new
 * table at once, so nothing after it is lost for want of a definition. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logwire_test_util.h"

#define MARKER "tlsrig: ! log record lost"
#define MAX_SEGS 4096

typedef struct seg {
    size_t attempt;  /* the send that carried its record */
    size_t off, len; /* in t->expected */
} seg_t;

static seg_t g_segs[MAX_SEGS];
static size_t g_n_segs;

static uint64_t g_rng;
static uint32_t rnd(void)
{
    g_rng = g_rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(g_rng >> 33);
}

/* One call with a varying site and arguments; remembers where its text went. */
static void call(tu_t *t, int i)
{
    size_t before = t->expected_len;
    int site = (int)(rnd() % 40u);
    uint8_t buf[40];
    for (size_t k = 0; k < sizeof buf; k++) {
        buf[k] = (uint8_t)rnd();
    }
    switch (rnd() % 4u) {
    case 0:
        tu_msg(t, "ssl_msg.c", 100 + site, 2, "in_left: %zu, nb_want: %d", (size_t)i, site);
        break;
    case 1:
        tu_ret(t, "ssl_tls.c", 200 + site, 1, "mbedtls_ssl_fetch_input", -i);
        break;
    case 2:
        tu_buf(t, "ssl_cli.c", 300 + site, 4, "input record", buf, rnd() % sizeof buf);
        break;
    default:
        tu_mpi(t, LOG_REC_ECP, "ssl_cli.c", 400 + site, 3, "ECDH: Q", buf, 32, buf + 8, 32);
        break;
    }
    cr_assert_lt(g_n_segs, MAX_SEGS);
    g_segs[g_n_segs++] =
        (seg_t){.attempt = t->attempts, .off = before, .len = t->expected_len - before};
}

/* Decode frame f alone: its output must be its records' text in order, each
 * record either exactly or as one marker line. Returns markers seen. */
static size_t check_frame(tu_t *t, size_t f)
{
    size_t start = t->rendered_len;
    uint64_t undecoded = t->dec->stats.undecoded;
    tu_decode_frame(t, f);
    const char *o = t->rendered + start;
    size_t olen = t->rendered_len - start, p = 0, markers = 0;
    for (size_t s = 0; s < g_n_segs; s++) {
        if (g_segs[s].attempt != t->frames[f].attempt) {
            continue;
        }
        const char *want = t->expected + g_segs[s].off;
        size_t wlen = g_segs[s].len;
        if (olen - p >= wlen && memcmp(o + p, want, wlen) == 0) {
            p += wlen;
        } else {
            cr_assert(olen - p >= strlen(MARKER) && memcmp(o + p, MARKER, strlen(MARKER)) == 0,
                      "frame %zu: neither its text nor a marker:\n%.*s", f, (int)(olen - p), o + p);
            const char *nl = memchr(o + p, '\n', olen - p);
            cr_assert_not_null(nl);
            p = (size_t)(nl - o) + 1u;
            markers++;
        }
    }
    cr_assert_eq(p, olen, "frame %zu: unexpected output:\n%.*s", f, (int)(olen - p), o + p);
    cr_assert_eq(t->dec->stats.undecoded - undecoded, markers);
    return markers;
}

Test(logwire_loss, lost_frames_give_markers_never_wrong_text_then_resync_recovers)
{
    for (uint64_t seed = 1; seed <= 20; seed++) {
        g_rng = seed;
        g_n_segs = 0;
        tu_t *t = tu_new((uint32_t)seed * 1000u);
        size_t markers = 0, resyncs = 0, lost = 0;
        for (int round = 0; round < 12; round++) {
            bool lossy = round < 10;
            for (int i = 0; i < 60; i++) {
                call(t, round * 100 + i);
            }
            log_enc_flush(&t->enc);
            size_t round_markers = 0;
            for (size_t f = 0; f < t->n_frames; f++) {
                if (lossy && rnd() % 4u == 0) {
                    lost++;
                    continue; /* the wire ate it */
                }
                round_markers += check_frame(t, f);
                if (log_decoder_take_resync(t->dec)) {
                    log_enc_request_resync(&t->enc); /* LOG_RESYNC reached the agent */
                    resyncs++;
                }
            }
            markers += round_markers;
            if (round == 11) {
                cr_assert_eq(round_markers, 0u, "seed %llu: no loss, yet markers",
                             (unsigned long long)seed);
            }
            t->n_frames = 0;
        }
        cr_assert_gt(lost, 0u);
        cr_assert_eq(t->dec->stats.undecoded, markers);
        if (markers > 0) {
            cr_assert_gt(resyncs, 0u, "seed %llu: markers without a resync request",
                         (unsigned long long)seed);
        }
        tu_free(t);
    }
}

Test(logwire_loss, a_frame_the_agent_could_not_send_starts_a_new_table)
{
    g_rng = 99;
    g_n_segs = 0;
    tu_t *t = tu_new(42);
    for (int i = 0; i < 300; i++) {
        if (i == 100) {
            t->fail_next_send = 1; /* the next frame is lost at the agent */
        }
        call(t, i);
    }
    log_enc_flush(&t->enc);
    cr_assert_eq(t->enc.frames_lost, 1u);
    for (size_t f = 0; f < t->n_frames; f++) {
        cr_assert_eq(check_frame(t, f), 0u, "frame %zu: a record lost its definition", f);
    }
    cr_assert_eq(t->dec->stats.undecoded, 0u);
    cr_assert_geq(t->dec->stats.tables, 2u);
    tu_free(t);
}

Test(logwire_loss, truncated_frames_end_in_a_marker_not_in_wrong_text)
{
    g_rng = 5;
    g_n_segs = 0;
    tu_t *t = tu_new(9);
    for (int i = 0; i < 8; i++) {
        call(t, i);
    }
    log_enc_flush(&t->enc);
    cr_assert_geq(t->n_frames, 1u);
    tu_frame_t whole = t->frames[0];
    for (size_t cut = LOG_REC_HEADER_LEN; cut < whole.len; cut++) {
        log_decoder_reset(t->dec);
        t->rendered_len = 0;
        t->frames[0].len = cut;
        tu_decode_frame(t, 0);
        /* What was rendered is a prefix of the frame's text, then at most
         * one marker line for the cut record. */
        size_t p = 0;
        while (p < t->rendered_len && p < t->expected_len && t->rendered[p] == t->expected[p]) {
            p++;
        }
        while (p > 0 && t->rendered[p - 1] != '\n') {
            p--; /* back to the last whole line both share */
        }
        const char *rest = t->rendered + p;
        size_t rest_len = t->rendered_len - p;
        cr_assert(rest_len == 0 ||
                      memmem(rest, rest_len, "tlsrig: ! malformed log record", 30) == rest,
                  "cut at %zu: %.*s", cut, (int)rest_len, rest);
    }
    tu_free(t);
}
