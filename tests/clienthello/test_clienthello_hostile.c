/* Hostile ClientHellos: every one gets a clean error code, a reason and the
 * alert a server should send; nothing crashes or reads out of bounds (the
 * sanitizer build runs these too). */
#include <criterion/criterion.h>
#include <string.h>

#include "clienthello.h"
#include "hello_builder.h"

static uint8_t buf[4 * CH_MAX_FLIGHT];
static clienthello_t ch;
static char err[256];
static const uint16_t suites[] = {0xc02f, 0x009c};
static const uint16_t groups[] = {0x0017};

static int parse(const uint8_t *p, size_t n)
{
    err[0] = 0;
    int rc = clienthello_parse(p, n, &ch, err, sizeof err);
    clienthello_free(&ch);
    if (rc)
        cr_assert_neq(err[0], 0, "error %d without a reason", rc);
    return rc;
}

static size_t with_extra(const uint8_t *extra, size_t extra_len)
{
    hello_spec_t s = {.suites = suites,
                      .n_suites = 2,
                      .groups = groups,
                      .n_groups = 1,
                      .sni = "localhost",
                      .extra_exts = extra,
                      .extra_len = extra_len};
    size_t n = hb_hello(&s, buf, sizeof buf);
    cr_assert_gt(n, 0);
    return n;
}

Test(hostile, builder_baseline_is_valid)
{
    cr_assert_eq(parse(buf, with_extra(NULL, 0)), 0, "%s", err);
}

Test(hostile, extension_length_past_the_end)
{
    const uint8_t ext[] = {0xff, 0x01, 0x00, 0x40, 0x00}; /* claims 64 bytes, has 1 */
    int rc = parse(buf, with_extra(ext, sizeof ext));
    cr_assert_eq(rc, CH_ERR_DECODE, "%d %s", rc, err);
    cr_assert_eq(clienthello_alert_for(rc), 50);
}

Test(hostile, handshake_length_past_the_record)
{
    size_t n = with_extra(NULL, 0);
    buf[8] += 10; /* handshake length grows, the records do not */
    cr_assert_gt(clienthello_need(buf, n), 0);
    int rc = parse(buf, n);
    cr_assert_eq(rc, CH_ERR_TRUNCATED, "%d %s", rc, err);
    cr_assert_eq(clienthello_alert_for(rc), 50);
}

Test(hostile, inner_length_shorter_than_message)
{
    size_t n = with_extra(NULL, 0);
    /* Extension block claims 1 byte less than present: trailing garbage. */
    size_t ext_len_at = 5 + 4 + 2 + 32 + 1 + 2 + 4 + 2;
    buf[ext_len_at + 1] -= 1;
    cr_assert_eq(parse(buf, n), CH_ERR_DECODE, "%s", err);
}

Test(hostile, duplicated_extension)
{
    const uint8_t ext[] = {0x00, 0x17, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00}; /* EMS twice */
    int rc = parse(buf, with_extra(ext, sizeof ext));
    cr_assert_eq(rc, CH_ERR_ILLEGAL, "%d %s", rc, err);
    cr_assert(strstr(err, "extended_master_secret"), "%s", err);
    cr_assert_eq(clienthello_alert_for(rc), 47);
}

Test(hostile, sixty_four_kilobytes_of_extensions)
{
    static uint8_t pad[65535];
    size_t pn = 0;
    while (pn + 4 + 1000 <= sizeof pad - 200) {
        /* Many distinct unknown extensions of 1000 bytes each. */
        uint16_t type = (uint16_t)(0x7000 + pn / 1004);
        pad[pn] = (uint8_t)(type >> 8), pad[pn + 1] = (uint8_t)type;
        pad[pn + 2] = 1000 >> 8, pad[pn + 3] = 1000 & 0xff;
        pn += 4 + 1000;
    }
    size_t n = with_extra(pad, pn);
    /* The server learns from the header alone that it will not read this. */
    int need = clienthello_need(buf, 5 + 4);
    cr_assert_lt(need, 0);
    cr_assert_eq(need, CH_ERR_LIMIT);
    int rc = parse(buf, n);
    cr_assert_eq(rc, CH_ERR_LIMIT, "%d %s", rc, err);
    cr_assert_eq(clienthello_alert_for(rc), 40);
}

Test(hostile, more_extensions_than_the_limit)
{
    static uint8_t many[4 * (CH_MAX_EXTS + 1)];
    for (size_t i = 0; i <= CH_MAX_EXTS; i++) {
        many[4 * i] = 0x70;
        many[4 * i + 1] = (uint8_t)i;
    }
    cr_assert_eq(parse(buf, with_extra(many, sizeof many)), CH_ERR_LIMIT, "%s", err);
}

Test(hostile, zero_suites)
{
    hello_spec_t s = {.suites = NULL, .n_suites = 0};
    size_t n = hb_hello(&s, buf, sizeof buf);
    int rc = parse(buf, n);
    cr_assert_eq(rc, CH_ERR_DECODE, "%d %s", rc, err);
    cr_assert(strstr(err, "cipher suites"), "%s", err);
}

Test(hostile, every_truncation_of_a_real_hello)
{
    size_t n = hb_fixture("openssl-tls13.hex", buf, sizeof buf);
    cr_assert_gt(n, 0);
    for (size_t cut = 0; cut < n; cut++) {
        int rc = parse(buf, cut);
        cr_assert_eq(rc, CH_ERR_TRUNCATED, "cut %zu: %d %s", cut, rc, err);
    }
    /* A record cut short but declared complete by a shorter length. */
    buf[4] -= 20;
    cr_assert_eq(parse(buf, n - 20), CH_ERR_TRUNCATED);
}

Test(hostile, sslv2_compatible_hello)
{
    /* SSLv2 CLIENT-HELLO header: 2-byte length with the high bit, type 1. */
    const uint8_t v2[] = {0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};
    cr_assert_eq(clienthello_need(v2, sizeof v2), CH_ERR_SSLV2);
    cr_assert_eq(clienthello_need(v2, 1), CH_ERR_SSLV2);
    int rc = parse(v2, sizeof v2);
    cr_assert_eq(rc, CH_ERR_SSLV2);
    cr_assert(strstr(err, "SSLv2"), "%s", err);
}

Test(hostile, not_tls_at_all)
{
    const char *http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    cr_assert_eq(clienthello_need((const uint8_t *)http, strlen(http)), CH_ERR_NOT_TLS);
    cr_assert_eq(parse((const uint8_t *)http, strlen(http)), CH_ERR_NOT_TLS);
    const uint8_t badver[] = {22, 4, 1, 0, 4, 1, 0, 0, 0};
    cr_assert_eq(clienthello_need(badver, sizeof badver), CH_ERR_NOT_TLS);
}

Test(hostile, record_overflow_and_empty_record)
{
    const uint8_t big[] = {22, 3, 1, 0x40, 0x01, 1};
    cr_assert_eq(clienthello_need(big, sizeof big), CH_ERR_RECORD_OVERFLOW);
    cr_assert_eq(clienthello_alert_for(CH_ERR_RECORD_OVERFLOW), 22);
    const uint8_t empty[] = {22, 3, 1, 0, 0, 22, 3, 1, 0, 4};
    cr_assert_eq(clienthello_need(empty, sizeof empty), CH_ERR_DECODE);
}

Test(hostile, other_message_first)
{
    const uint8_t sh[] = {22, 3, 3, 0, 4, 2, 0, 0, 0};
    cr_assert_eq(clienthello_need(sh, sizeof sh), CH_ERR_UNEXPECTED);
    /* An alert record between two hello fragments. */
    size_t n = with_extra(NULL, 0);
    static uint8_t msg[4096], recs[8192];
    memcpy(msg, buf + 5, n - 5);
    size_t rn = hb_records(msg, n - 5, 10, recs, sizeof recs);
    recs[15] = 21;
    cr_assert_eq(clienthello_need(recs, rn), CH_ERR_UNEXPECTED);
}

Test(hostile, too_many_records)
{
    size_t n = with_extra(NULL, 0);
    static uint8_t msg[4096], recs[16384];
    memcpy(msg, buf + 5, n - 5);
    size_t rn = hb_records(msg, n - 5, 1, recs, sizeof recs);
    cr_assert_gt(n - 5, CH_MAX_RECORDS);
    cr_assert_eq(clienthello_need(recs, rn), CH_ERR_LIMIT);
}

Test(hostile, bad_extension_contents)
{
    const uint8_t sni_nul[] = {0x00, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00, 0x00, 0x03, 'a', 0, 'b'};
    /* Builder already adds server_name; use a spec without it. */
    hello_spec_t s = {
        .suites = suites, .n_suites = 2, .extra_exts = sni_nul, .extra_len = sizeof sni_nul};
    size_t n = hb_hello(&s, buf, sizeof buf);
    cr_assert_eq(parse(buf, n), CH_ERR_ILLEGAL, "%s", err);
    const uint8_t mfl[] = {0x00, 0x01, 0x00, 0x01, 0x09};
    cr_assert_eq(parse(buf, with_extra(mfl, sizeof mfl)), CH_ERR_ILLEGAL, "%s", err);
    const uint8_t ems_data[] = {0x00, 0x17, 0x00, 0x01, 0x00};
    cr_assert_eq(parse(buf, with_extra(ems_data, sizeof ems_data)), CH_ERR_DECODE, "%s", err);
    const uint8_t odd_groups[] = {0x00, 0x0a, 0x00, 0x03, 0x00, 0x01, 0x17};
    hello_spec_t g = {
        .suites = suites, .n_suites = 2, .extra_exts = odd_groups, .extra_len = sizeof odd_groups};
    n = hb_hello(&g, buf, sizeof buf);
    cr_assert_eq(parse(buf, n), CH_ERR_DECODE, "%s", err);
}

Test(hostile, no_null_compression)
{
    size_t n = with_extra(NULL, 0);
    size_t comp_at = 5 + 4 + 2 + 32 + 1 + 2 + 4 + 1;
    buf[comp_at] = 1; /* DEFLATE only */
    cr_assert_eq(parse(buf, n), CH_ERR_ILLEGAL, "%s", err);
}
