/* logparse: real 2.28/3.6 logs, forum damage, hex dumps, the ClientHello decoder, and
 * hostile bytes. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logparse.h"

static char *slurp(const char *rel, size_t *len)
{
    const char *root = getenv("TLSRIG_SOURCE_DIR");
    cr_assert_not_null(root, "TLSRIG_SOURCE_DIR not set");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static logparse_result_t *parse_str(const char *s)
{
    logparse_result_t *r = logparse_text(s, strlen(s));
    cr_assert_not_null(r);
    return r;
}

static size_t count_type(const logparse_result_t *r, logparse_event_type_t t)
{
    size_t n = 0;
    for (size_t i = 0; i < logparse_event_count(r); i++)
        n += logparse_event_at(r, i)->type == t;
    return n;
}

static const logparse_event_t *first(const logparse_result_t *r, logparse_event_type_t t)
{
    for (size_t i = 0; i < logparse_event_count(r); i++) {
        if (logparse_event_at(r, i)->type == t)
            return logparse_event_at(r, i);
    }
    return NULL;
}

Test(logparse, real_228_baseline)
{
    size_t len;
    char *text = slurp("fixtures/logs/T01_baseline.cli.log", &len);
    logparse_result_t *r = logparse_text(text, len);
    cr_assert_str_eq(logparse_version(r), "2.28.10");
    cr_assert_eq(logparse_max_level(r), 3);
    cr_assert_eq(count_type(r, LP_EV_SUITE_OFFERED), 79);
    const logparse_event_t *s = first(r, LP_EV_SUITE_OFFERED);
    cr_assert_eq(s->num, 0xcca8);
    cr_assert_str_eq(s->str, "TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256");
    cr_assert_eq(s->line, 24);
    cr_assert_str_eq(first(r, LP_EV_SNI)->str, "localhost");
    cr_assert_eq(first(r, LP_EV_SERVER_SUITE)->num, 0xcca8);
    cr_assert_eq(first(r, LP_EV_SERVER_VERSION)->num, 0x0303);
    cr_assert_eq(first(r, LP_EV_VERIFY_FLAGS)->num, 0);
    cr_assert_str_eq(first(r, LP_EV_SERVER_GROUP)->str, "secp521r1");
    cr_assert_gt(count_type(r, LP_EV_HANDSHAKE_DONE), 0);
    cr_assert_eq(count_type(r, LP_EV_FINAL_ERROR), 0);
    /* numeric 2.28 states 0..15 */
    cr_assert_eq(first(r, LP_EV_STATE)->num, 0);
    logparse_free(r);
    free(text);
}

Test(logparse, real_228_alert)
{
    size_t len;
    char *text = slurp("fixtures/logs/T03_no_shared_suite_alert.cli.log", &len);
    logparse_result_t *r = logparse_text(text, len);
    const logparse_event_t *a = first(r, LP_EV_ALERT_RECEIVED);
    cr_assert_eq(a->num, 2);
    cr_assert_eq(a->num2, 40);
    cr_assert_eq(a->line, 63);
    const logparse_event_t *ret = first(r, LP_EV_RETURN);
    cr_assert_eq(ret->num, -0x7780);
    cr_assert_str_eq(ret->str, "mbedtls_ssl_handle_message_type");
    cr_assert_eq(first(r, LP_EV_FINAL_ERROR)->num, -0x7780);
    logparse_free(r);
    free(text);
}

Test(logparse, real_36_clienthello_dump_and_state_names)
{
    size_t len;
    char *text = slurp("fixtures/logs/U01_baseline_tls13.cli.log", &len);
    logparse_result_t *r = logparse_text(text, len);
    cr_assert_str_eq(logparse_version(r), "3.6.6");
    const logparse_event_t *s = first(r, LP_EV_SUITE_OFFERED);
    cr_assert_eq(s->num, 0x1303);
    cr_assert_str_eq(s->str, "TLS1-3-CHACHA20-POLY1305-SHA256");
    cr_assert_str_eq(first(r, LP_EV_STATE)->str, "MBEDTLS_SSL_HELLO_REQUEST");
    cr_assert_eq(first(r, LP_EV_GROUP_OFFERED)->num, 0x1d);
    cr_assert_eq(first(r, LP_EV_SIGALG_OFFERED)->num, 0x0403);
    const logparse_clienthello_t *ch = logparse_clienthello(r);
    cr_assert(ch->present);
    cr_assert_not(ch->has_suites);
    cr_assert(ch->has_sni);
    cr_assert_str_eq(ch->sni, "localhost");
    cr_assert_eq(ch->n_groups, 13);
    cr_assert_eq(ch->groups[0], 0x1d);
    cr_assert_eq(ch->n_sigalgs, 9);
    bool has_key_share = false;
    for (size_t i = 0; i < ch->n_extensions; i++)
        has_key_share |= ch->extensions[i] == 51;
    cr_assert(has_key_share);
    cr_assert_eq(first(r, LP_EV_SERVER_SUITE)->num, 0x1303);
    cr_assert_str_eq(first(r, LP_EV_PROTOCOL)->str, "TLSv1.3");
    logparse_free(r);
    free(text);
}

Test(logparse, forum_damage_is_undone)
{
    /* UTF-8 ellipsis path, typographic quotes, indentation, a wrapped line, CRLF. */
    const char *log = "    \xe2\x80\xa6/library/ssl_cli.c:0095: |3| client hello, adding server "
                      "name\r\n"
                      "      extension: forum.example.org\r\n"
                      "  \xe2\x80\xa6/ssl_msg.c:4705: |1| is a fatal alert message (msg 112)\r\n"
                      "ssl_cli.c:1049: |3| dumping \xe2\x80\x98test\xe2\x80\x99 (3 bytes)\r\n"
                      "ssl_cli.c:1049: |3| 0000:  0a 0b 0c                 ...\r\n";
    logparse_result_t *r = parse_str(log);
    const logparse_event_t *sni = first(r, LP_EV_SNI);
    cr_assert_not_null(sni);
    cr_assert_str_eq(sni->str, "forum.example.org");
    cr_assert_eq(sni->line, 1);
    cr_assert_eq(first(r, LP_EV_ALERT_RECEIVED)->num2, 112);
    const logparse_event_t *d = first(r, LP_EV_HEXDUMP);
    cr_assert_str_eq(d->str, "test");
    cr_assert_eq(d->data_len, 3);
    cr_assert_eq(d->data[2], 0x0c);
    logparse_free(r);
}

Test(logparse, prefix_variants)
{
    const char *log = "ssl_cli.c:2229: server hello, chosen ciphersuite: c02f\n"
                      "|2| client state: 4\n"
                      "[  12.500] /home/u/mbedtls/library/ssl_msg.c:4698: |2| got an alert "
                      "message, type: [2:70]\n"
                      "client hello, add ciphersuite: c02c\n";
    logparse_result_t *r = parse_str(log);
    cr_assert_eq(first(r, LP_EV_SERVER_SUITE)->num, 0xc02f);
    cr_assert_eq(first(r, LP_EV_STATE)->num, 4);
    cr_assert_eq(first(r, LP_EV_STATE)->level, 2);
    const logparse_event_t *a = first(r, LP_EV_ALERT_RECEIVED);
    cr_assert_eq(a->num2, 70);
    cr_assert_eq(a->time_ms, 12500);
    cr_assert_eq(first(r, LP_EV_SUITE_OFFERED)->num, 0xc02c);
    logparse_free(r);
}

Test(logparse, return_codes_and_verify_messages)
{
    const char *log = "ssl_tls.c:2440: |1|  mbedtls_x509_crt_parse_der() returned -9774 (-0x262e)\n"
                      "  ! mbedtls_x509_crt_parse returned -0x3b00\n"
                      "ssl_msg.c:1998: |2| ssl->f_recv(_timeout)() returned 5 (-0xfffffffb)\n"
                      "  ! The certificate validity starts in the future\n"
                      "ssl_tls.c:2827: |3| ! Certificate verification flags 00000008\n";
    logparse_result_t *r = parse_str(log);
    cr_assert_eq(count_type(r, LP_EV_RETURN), 2, "byte counts are not errors (%zu)",
                 count_type(r, LP_EV_RETURN));
    cr_assert_eq(logparse_event_at(r, 0)->num, -0x262e);
    cr_assert_str_eq(logparse_event_at(r, 0)->str, "mbedtls_x509_crt_parse_der");
    cr_assert_eq(logparse_event_at(r, 1)->num, -0x3b00);
    cr_assert_eq(count_type(r, LP_EV_VERIFY_FLAGS), 2);
    unsigned flags = 0;
    for (size_t i = 0; i < logparse_event_count(r); i++) {
        if (logparse_event_at(r, i)->type == LP_EV_VERIFY_FLAGS)
            flags |= (unsigned)logparse_event_at(r, i)->num;
    }
    cr_assert_eq(flags, 0x208);
    logparse_free(r);
}

/* A small ClientHello record: 2 suites, SNI "a.example", supported_groups {x25519}. */
static const unsigned char hello[] = {
    0x16, 0x03, 0x01, 0x00, 0x4b, 0x01, 0x00, 0x00, 0x47, 0x03, 0x03, 0,    1,    2,    3,    4,
    5,    6,    7,    8,    9,    10,   11,   12,   13,   14,   15,   16,   17,   18,   19,   20,
    21,   22,   23,   24,   25,   26,   27,   28,   29,   30,   31,   0x00, 0x00, 0x04, 0xc0, 0x2f,
    0x00, 0x9c, 0x01, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x0e, 0x00, 0x0c, 0x00, 0x00, 0x09, 'a',
    '.',  'e',  'x',  'a',  'm',  'p',  'l',  'e',  0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d};

Test(logparse, clienthello_decoder)
{
    logparse_clienthello_t ch;
    cr_assert_eq(logparse_decode_clienthello(hello, sizeof hello, false, &ch), 0);
    cr_assert(ch.present && ch.has_suites);
    cr_assert_eq(ch.n_suites, 2);
    cr_assert_eq(ch.suites[0], 0xc02f);
    cr_assert_eq(ch.n_extensions, 2);
    cr_assert_str_eq(ch.sni, "a.example");
    cr_assert_eq(ch.n_groups, 1);
    cr_assert_eq(ch.groups[0], 0x1d);
    /* Handshake message and bare body work too. */
    cr_assert_eq(logparse_decode_clienthello(hello + 5, sizeof hello - 5, false, &ch), 0);
    cr_assert_eq(logparse_decode_clienthello(hello + 9, sizeof hello - 9, false, &ch), 0);
    cr_assert_eq(ch.n_suites, 2);
}

Test(logparse, clienthello_decoder_rejects_every_truncation)
{
    logparse_clienthello_t ch;
    /* Cut inside the body (past the record and handshake headers, before the end). */
    for (size_t n = 9; n < sizeof hello; n++) {
        if (n == 9 + 43)
            continue; /* ends right after compression methods: a valid hello without extensions */
        int rc = logparse_decode_clienthello(hello + 9, n - 9, false, &ch);
        cr_assert_eq(rc, -1, "truncated at %zu accepted", n);
    }
    unsigned char bad[sizeof hello];
    memcpy(bad, hello, sizeof hello);
    bad[52] = 0xff; /* suites length far past the end */
    cr_assert_eq(logparse_decode_clienthello(bad, sizeof bad, false, &ch), -1);
}

Test(logparse, hexdump_gap_stops_reassembly)
{
    const char *log = "x.c:1: |4| dumping 'output record sent to network' (40 bytes)\n"
                      "x.c:1: |4| 0000:  16 03 01 00 23 01 00 00 1f 03 03 00 00 00 00 00  ......\n"
                      "x.c:1: |4| 0020:  00 00 00 00 00 00 00 00                          ......\n";
    logparse_result_t *r = parse_str(log);
    const logparse_event_t *d = first(r, LP_EV_HEXDUMP);
    cr_assert_eq(d->num, 40);
    cr_assert_eq(d->data_len, 16, "row 0010 is missing, so only 16 bytes are kept");
    cr_assert_not(logparse_clienthello(r)->present);
    logparse_free(r);
}

Test(logparse, hostile_bytes)
{
    size_t n = 200000;
    char *junk = malloc(n);
    for (size_t i = 0; i < n; i++)
        junk[i] = (char)((i * 7919u) ^ (i >> 3));
    memset(junk + 1000, 'A', 120000); /* one very long line */
    memcpy(junk + 500, "|3| dumping 'x' (99999999 bytes)\n", 33);
    logparse_result_t *r = logparse_text(junk, n);
    cr_assert_not_null(r);
    json_t *j = logparse_to_json(r);
    cr_assert_not_null(j);
    json_decref(j);
    logparse_free(r);
    free(junk);
    const char nul[] = "ssl_cli.c:1: |2| client state: 3\0\0\xff\xfe\n\xc3";
    r = logparse_text(nul, sizeof nul);
    cr_assert_eq(first(r, LP_EV_STATE)->num, 3);
    logparse_free(r);
    r = logparse_text(NULL, 0);
    cr_assert_eq(logparse_event_count(r), 0);
    logparse_free(r);
}

Test(logparse, json_lists_every_event)
{
    logparse_result_t *r = parse_str("|1| is a fatal alert message (msg 40)\n");
    json_t *j = logparse_to_json(r);
    json_t *evs = json_object_get(j, "events");
    cr_assert_eq(json_array_size(evs), logparse_event_count(r));
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(evs, 0), "type")),
                     "alert_received");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(evs, 0), "num2")), 40);
    json_decref(j);
    logparse_free(r);
}

/* Tell-tale notes are found anywhere in a line, whatever surrounds them
 * (bytes above 0x7F too), and only when the whole text is there: the
 * byte-set prefilter of logparse_notes.c must never hide a match. */
Test(logparse, notes_match_anywhere_and_only_whole_texts)
{
    logparse_result_t *r = parse_str("x \xC3\xA9 no cipher suites in common\xFF\n"
                                     "ssl_tls.c:100: (ECDHE curve) MPI - out of memory\n"
                                     "tim out, cipher suites in commo, MPI -x\n");
    size_t notes = 0, suite = 0, curve = 0, mpi = 0, alloc = 0;
    for (size_t i = 0; i < logparse_event_count(r); i++) {
        const logparse_event_t *e = logparse_event_at(r, i);
        if (e->type != LP_EV_NOTE)
            continue;
        notes++;
        suite += strcmp(e->str, "no-shared-suite") == 0 && e->line == 1;
        curve += strcmp(e->str, "curve") == 0 && e->line == 2;
        mpi += strcmp(e->str, "mpi") == 0 && e->line == 2;
        alloc += strcmp(e->str, "alloc-failed") == 0 && e->line == 2;
    }
    cr_expect_eq(suite, 1);
    cr_expect_eq(curve, 1);
    cr_expect_eq(mpi, 1);
    cr_expect_eq(alloc, 1);
    cr_expect_eq(notes, 4, "near misses on line 3 give no note");
    logparse_free(r);
}
