/* The impairment layer on its own: records in, bytes and aborts out. */
#include <criterion/criterion.h>
#include <string.h>

#include "impair.h"

typedef struct sink {
    uint8_t data[4096];
    size_t len;
    size_t writes;
    int aborted;         /* 0 no, 1 close, 2 reset */
    uint32_t paused_ms;  /* what the layer asked to wait, in total */
    size_t len_at_pause; /* bytes written before the wait began */
    bool cut_short;      /* the injected connection ends during the wait */
} sink_t;

static int sink_write(void *ctx, const uint8_t *d, size_t n)
{
    sink_t *s = ctx;
    cr_assert_leq(s->len + n, sizeof s->data);
    memcpy(s->data + s->len, d, n);
    s->len += n;
    s->writes++;
    return 0;
}

/* The injected wait: no time passes; the test says how it ends. */
static int sink_pause(void *ctx, uint32_t ms, uint32_t *waited_ms, const char **why)
{
    sink_t *s = ctx;
    s->paused_ms += ms;
    s->len_at_pause = s->len;
    *waited_ms = s->cut_short ? ms / 2 : ms;
    *why = s->cut_short ? "the client closed the connection" : "";
    return s->cut_short ? -1 : 0;
}

static void sink_abort(void *ctx, bool reset)
{
    ((sink_t *)ctx)->aborted = reset ? 2 : 1;
}

/* A plaintext handshake record holding one message of `body` bytes. */
static size_t hs_record(uint8_t *out, uint8_t type, size_t body)
{
    size_t plen = 4 + body;
    out[0] = 22;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(plen >> 8);
    out[4] = (uint8_t)plen;
    out[5] = type;
    out[6] = 0;
    out[7] = (uint8_t)(body >> 8);
    out[8] = (uint8_t)body;
    for (size_t i = 0; i < body; i++)
        out[9 + i] = (uint8_t)i;
    return 5 + plen;
}

static void setup(impair_state_t *st, sink_t *s, impairment_t im)
{
    static impairment_t list[1];
    list[0] = im;
    memset(s, 0, sizeof *s);
    impair_init(
        st, list, 1,
        (impair_io_t){
            .write_raw = sink_write, .abort_conn = sink_abort, .pause = sink_pause, .ctx = s});
    impair_peer_spoke(st);
}

Test(server_impair_unit, split_rewrites_into_small_records)
{
    static impair_state_t st;
    sink_t s;
    setup(&st, &s, (impairment_t){.kind = IMPAIR_SPLIT_RECORDS, .bytes = 10});
    uint8_t rec[64];
    size_t n = hs_record(rec, 2, 30); /* 34 bytes of payload -> 10+10+10+4 */
    cr_assert_eq(impair_send(&st, rec, n), (int)n);
    cr_expect_eq(s.len, 34 + 4 * 5);
    size_t off = 0, records = 0, payload = 0;
    while (off < s.len) {
        size_t plen = (size_t)s.data[off + 3] << 8 | s.data[off + 4];
        cr_expect_eq(s.data[off], 22);
        cr_expect_leq(plen, 10);
        cr_expect_eq(memcmp(s.data + off + 5, rec + 5 + payload, plen), 0);
        payload += plen;
        off += 5 + plen;
        records++;
    }
    cr_expect_eq(records, 4);
    cr_expect_eq(payload, 34);
}

Test(server_impair_unit, records_arriving_in_pieces_are_reassembled)
{
    static impair_state_t st;
    sink_t s;
    setup(&st, &s, (impairment_t){.kind = IMPAIR_WRITE_CHUNK, .bytes = 3});
    uint8_t rec[64];
    size_t n = hs_record(rec, 2, 10);
    cr_assert_eq(impair_send(&st, rec, 4), 4);
    cr_expect_eq(s.len, 0, "a partial record must wait");
    cr_assert_eq(impair_send(&st, rec + 4, n - 4), (int)(n - 4));
    cr_expect_eq(s.len, n);
    cr_expect_eq(memcmp(s.data, rec, n), 0);
    cr_expect_eq(s.writes, (n + 2) / 3);
}

Test(server_impair_unit, reset_after_the_named_message_only)
{
    static impair_state_t st;
    sink_t s;
    setup(&st, &s, (impairment_t){.kind = IMPAIR_RESET_AFTER, .hs_type = 11});
    uint8_t rec[64];
    size_t n = hs_record(rec, 2, 10);
    cr_assert_eq(impair_send(&st, rec, n), (int)n);
    cr_expect_eq(s.aborted, 0);
    n = hs_record(rec, 11, 20);
    cr_expect_lt(impair_send(&st, rec, n), 0);
    cr_expect_eq(s.aborted, 2);
    cr_expect(st.aborted);
    cr_expect_lt(impair_send(&st, rec, n), 0, "nothing more after the reset");
}

Test(server_impair_unit, corrupt_flips_one_byte_of_the_named_record)
{
    static impair_state_t st;
    sink_t s;
    setup(&st, &s, (impairment_t){.kind = IMPAIR_CORRUPT_RECORD, .record = 2, .bytes = 6});
    uint8_t a[64], b[64];
    size_t na = hs_record(a, 2, 10), nb = hs_record(b, 11, 10);
    impair_send(&st, a, na);
    impair_send(&st, b, nb);
    cr_assert_eq(s.len, na + nb);
    cr_expect_eq(memcmp(s.data, a, na), 0);
    size_t diffs = 0;
    for (size_t i = 0; i < nb; i++)
        diffs += s.data[na + i] != b[i];
    cr_expect_eq(diffs, 1);
    cr_expect_eq(s.data[na + 5 + 6], (uint8_t)(b[5 + 6] ^ 0xff));
}

Test(server_impair_unit, plaintext_alert_is_noted)
{
    static impair_state_t st;
    sink_t s;
    setup(&st, &s, (impairment_t){.kind = IMPAIR_NONE});
    const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 40};
    impair_send(&st, alert, sizeof alert);
    cr_expect_eq(st.alert_sent, 40);
}

Test(server_impair_unit, delay_waits_through_the_connection_before_the_flight)
{
    static impair_state_t st;
    sink_t s;
    setup(&st, &s,
          (impairment_t){.kind = IMPAIR_DELAY_BEFORE_FLIGHT, .flight = 1, .delay_ms = 4000});
    uint8_t rec[64];
    size_t n = hs_record(rec, 2, 30);
    cr_assert_eq(impair_send(&st, rec, n), (int)n);
    cr_expect_eq(s.paused_ms, 4000, "the whole delay, through the connection's wait");
    cr_expect_eq(s.len_at_pause, 0, "nothing of the flight before the delay");
    cr_expect_eq(s.len, n);
    /* The same flight goes on without a second delay. */
    cr_assert_eq(impair_send(&st, rec, n), (int)n);
    cr_expect_eq(s.paused_ms, 4000);
}

Test(server_impair_unit, delay_cut_short_ends_the_connection)
{
    static impair_state_t st;
    sink_t s;
    setup(&st, &s,
          (impairment_t){.kind = IMPAIR_DELAY_BEFORE_FLIGHT, .flight = 1, .delay_ms = 4000});
    s.cut_short = true;
    uint8_t rec[64];
    size_t n = hs_record(rec, 2, 30);
    cr_expect_lt(impair_send(&st, rec, n), 0);
    cr_expect_eq(s.len, 0, "no flight after the client left");
    cr_expect(st.aborted);
    cr_expect(strstr(st.applied, "delay cut short after 2000 ms: the client closed") != NULL,
              "applied: %s", st.applied);
    cr_expect_lt(impair_send(&st, rec, n), 0, "later records fail at once");
}
