/* The inspector on real captured ClientHellos (mbedTLS 2.28, OpenSSL, GnuTLS)
 * and on split, coalesced and bare forms of them. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "clienthello.h"
#include "hello_builder.h"
#include "tls_names.h"

static uint8_t buf[CH_MAX_FLIGHT];
static clienthello_t ch;
static char err[256];

static size_t load(const char *name)
{
    size_t n = hb_fixture(name, buf, sizeof buf);
    cr_assert_gt(n, 0, "fixture %s", name);
    return n;
}

static void parse_ok(const uint8_t *p, size_t n)
{
    clienthello_free(&ch); /* a test may parse several hellos */
    int rc = clienthello_parse(p, n, &ch, err, sizeof err);
    cr_assert_eq(rc, 0, "parse: %d %s", rc, err);
}

static void teardown(void)
{
    clienthello_free(&ch);
}

TestSuite(clienthello, .fini = teardown);

Test(clienthello, mbedtls_228_default)
{
    size_t n = load("mbedtls228-default.hex");
    parse_ok(buf, n);
    cr_assert(ch.in_records);
    cr_assert_eq(ch.n_records, 1);
    cr_assert_eq(ch.record_version, 0x0301);
    cr_assert_eq(ch.legacy_version, 0x0303);
    cr_assert_str_eq(ch.sni, "localhost");
    cr_assert(ch.has_groups && ch.n_groups > 0);
    cr_assert(ch.has_sigalgs && ch.has_point_formats);
    cr_assert(ch.has_ems && ch.has_etm && ch.has_session_ticket);
    cr_assert(!ch.has_versions);
    cr_assert(ch.scsv_reneg, "mbedTLS 2.28 signals renegotiation with the SCSV");
    cr_assert(clienthello_offers_suite(&ch, 0xcca8));
    cr_assert_eq(ch.consumed, n);
    cr_assert_eq(ch.raw_len + 5, n);
    cr_assert_eq(clienthello_need(buf, n), 0);
}

Test(clienthello, openssl_tls13_has_versions_and_key_share)
{
    parse_ok(buf, load("openssl-tls13.hex"));
    cr_assert(ch.has_versions);
    uint16_t v[CH_MAX_LIST];
    size_t nv = clienthello_versions(&ch, v, CH_MAX_LIST);
    cr_assert_geq(nv, 2);
    cr_assert_eq(v[0], 0x0304);
    cr_assert(ch.has_key_share && ch.n_key_shares >= 1);
    cr_assert_eq(ch.key_shares[0].group, 0x001d);
    cr_assert_eq(ch.key_shares[0].len, 32);
    cr_assert(clienthello_offers_suite(&ch, 0x1301));
}

Test(clienthello, openssl_without_sni)
{
    parse_ok(buf, load("openssl-tls12-nosni.hex"));
    cr_assert(!ch.has_sni);
    cr_assert(!clienthello_has_ext(&ch, 0));
    parse_ok(buf, load("openssl-tls12.hex"));
    cr_assert_str_eq(ch.sni, "localhost");
}

Test(clienthello, ecdhe_only_without_groups)
{
    parse_ok(buf, load("mbedtls-ecdhe-no-groups.hex"));
    cr_assert(!ch.has_groups);
    cr_assert(ch.n_suites > 1);
    for (size_t i = 0; i < ch.n_suites; i++) {
        tls_kx_t kx = tls_suite_kx(ch.suites[i]);
        cr_assert(kx == TLS_KX_ECDHE_RSA || kx == TLS_KX_SCSV, "suite 0x%04x", ch.suites[i]);
    }
}

Test(clienthello, every_fixture_parses_and_is_complete_only_at_the_end)
{
    const char *names[] = {"gnutls-default.hex",      "mbedtls-ecdhe-no-groups.hex",
                           "mbedtls228-default.hex",  "mbedtls228-ecdhe-rsa.hex",
                           "openssl-tls12-nosni.hex", "openssl-tls12.hex",
                           "openssl-tls13.hex"};
    for (size_t f = 0; f < sizeof names / sizeof names[0]; f++) {
        size_t n = load(names[f]);
        parse_ok(buf, n);
        cr_assert_gt(ch.n_exts, 0);
        clienthello_free(&ch);
        for (size_t cut = 0; cut < n; cut++) {
            int need = clienthello_need(buf, cut);
            cr_assert_gt(need, 0, "%s cut at %zu", names[f], cut);
            cr_assert_leq((size_t)need, n - cut, "%s: asks for more than the rest", names[f]);
        }
        cr_assert_eq(clienthello_need(buf, n), 0, "%s", names[f]);
    }
}

Test(clienthello, split_over_many_records_same_as_one)
{
    size_t n = load("openssl-tls13.hex");
    parse_ok(buf, n);
    json_t *one = clienthello_to_json(&ch);
    size_t raw_len = ch.raw_len;
    static uint8_t split[CH_MAX_FLIGHT];
    size_t sn = hb_records(buf + 5, raw_len, 7, split, sizeof split);
    clienthello_free(&ch);
    cr_assert_eq(clienthello_need(split, sn - 1), 1);
    cr_assert_eq(clienthello_need(split, sn), 0);
    parse_ok(split, sn);
    cr_assert_eq(ch.n_records, (raw_len + 6) / 7);
    json_t *many = clienthello_to_json(&ch);
    /* Only the record count differs. */
    json_object_del(one, "record");
    json_object_del(many, "record");
    cr_assert(json_equal(one, many));
    json_decref(one);
    json_decref(many);
}

Test(clienthello, coalesced_with_following_data)
{
    size_t n = load("mbedtls228-default.hex");
    /* A ChangeCipherSpec record after the hello is not read. */
    const uint8_t ccs[] = {20, 3, 3, 0, 1, 1};
    memcpy(buf + n, ccs, sizeof ccs);
    cr_assert_eq(clienthello_need(buf, n + sizeof ccs), 0);
    parse_ok(buf, n + sizeof ccs);
    cr_assert_eq(ch.consumed, n);
}

Test(clienthello, bare_handshake_message)
{
    size_t n = load("gnutls-default.hex");
    parse_ok(buf + 5, n - 5);
    cr_assert(!ch.in_records);
    cr_assert_eq(ch.raw_len, n - 5);
    cr_assert(ch.has_sni);
}

Test(clienthello, hex_with_spaces_equals_binary)
{
    char path[] = "/tmp/clienthello-hexXXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "# a comment\n16 03 01 00 2d\n01:00:00:29 03 03\n");
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x%s", i, i % 8 == 7 ? "\n" : " ");
    fprintf(f, "00 00 02 c0 2f 01 00\n");
    fclose(f);
    uint8_t *data;
    size_t len;
    cr_assert_eq(clienthello_read_file(path, &data, &len, err, sizeof err), 0, "%s", err);
    cr_assert_eq(len, 50);
    parse_ok(data, len);
    cr_assert_eq(ch.n_suites, 1);
    cr_assert(!ch.has_ext_block);
    free(data);
    f = fopen(path, "w");
    fprintf(f, "16 03 0");
    fclose(f);
    cr_assert_eq(clienthello_read_file(path, &data, &len, err, sizeof err), -1);
    cr_assert(strstr(err, "odd"), "%s", err);
    unlink(path);
}

Test(clienthello, json_has_names_ids_and_raw)
{
    size_t n = load("mbedtls228-default.hex");
    parse_ok(buf, n);
    json_t *j = clienthello_to_json(&ch);
    cr_assert_str_eq(json_string_value(json_object_get(j, "server_name")), "localhost");
    json_t *s0 = json_array_get(json_object_get(j, "cipher_suites"), 0);
    cr_assert_eq(json_integer_value(json_object_get(s0, "id")), ch.suites[0]);
    cr_assert_str_eq(json_string_value(json_object_get(s0, "name")), tls_suite_name(ch.suites[0]));
    json_t *e0 = json_array_get(json_object_get(j, "extensions"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e0, "name")), "server_name");
    cr_assert_str_eq(
        json_string_value(json_object_get(json_object_get(e0, "decoded"), "host_name")),
        "localhost");
    cr_assert_eq(strlen(json_string_value(json_object_get(j, "raw"))), 2 * ch.raw_len);
    json_decref(j);
}

Test(clienthello, names_round_trip)
{
    uint16_t id;
    cr_assert(tls_suite_by_name("TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256", &id));
    cr_assert_eq(id, 0xc02f);
    cr_assert(tls_suite_by_name("TLS1-3-AES-256-GCM-SHA384", &id));
    cr_assert_eq(id, 0x1302);
    cr_assert(!tls_suite_by_name("TLS_NOT_A_SUITE", &id));
    cr_assert(tls_group_by_name("P-384", &id) && id == 0x0018);
    cr_assert(tls_ext_by_name("alpn", &id) && id == 16);
    uint8_t a;
    cr_assert(tls_alert_by_name("protocol_version", &a) && a == 70);
    cr_assert(tls_version_by_name("TLSv1.3", &id) && id == 0x0304);
    cr_assert(!tls_version_by_name("TLS1.4", &id));
    cr_assert_eq(tls_suite_min_version(0xc013), 0x0301);
    cr_assert_eq(tls_suite_min_version(0xc02f), 0x0303);
    cr_assert(tls_is_grease(0x2a2a) && !tls_is_grease(0x2a3a));
}
