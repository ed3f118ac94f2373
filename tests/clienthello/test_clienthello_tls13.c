/* The TLS 1.3 fields of the inspector (issue 17): key_share,
 * psk_key_exchange_modes, pre_shared_key, early_data, cookie; their typed JSON
 * form and the server view read back from it. */
#include <criterion/criterion.h>
#include <string.h>

#include "clienthello.h"
#include "hello_builder.h"
#include "server_view.h"

static uint8_t buf[CH_MAX_FLIGHT];
static char err[512];

static const uint16_t suites13[] = {0x1301, 0x1302};
static const uint16_t groups[] = {0x001d, 0x0018};
static const uint16_t v13_12[] = {0x0304, 0x0303};

/* key_share(x25519, 32 bytes), psk_key_exchange_modes(psk_dhe_ke), early_data,
 * pre_shared_key(identities, binders) last. */
static size_t exts_13(uint8_t *e, int n_identities, int n_binders, bool psk_last)
{
    size_t n = 0;
    const uint8_t ks[] = {0, 51, 0, 38, 0, 36, 0, 0x1d, 0, 32};
    memcpy(e + n, ks, sizeof ks), n += sizeof ks;
    memset(e + n, 0x42, 32), n += 32;
    const uint8_t modes[] = {0, 45, 0, 2, 1, 1, 0, 42, 0, 0};
    uint8_t psk[256];
    size_t p = 4;
    size_t ids = (size_t)n_identities * (2 + 8 + 4);
    psk[p++] = (uint8_t)(ids >> 8), psk[p++] = (uint8_t)ids;
    for (int i = 0; i < n_identities; i++) {
        psk[p++] = 0, psk[p++] = 8;
        memset(psk + p, 'T', 8), p += 8;
        memset(psk + p, 0, 4), p += 4;
    }
    size_t bl = (size_t)n_binders * 33;
    psk[p++] = (uint8_t)(bl >> 8), psk[p++] = (uint8_t)bl;
    for (int i = 0; i < n_binders; i++) {
        psk[p++] = 32;
        memset(psk + p, 7, 32), p += 32;
    }
    psk[0] = 0, psk[1] = 41, psk[2] = (uint8_t)((p - 4) >> 8), psk[3] = (uint8_t)(p - 4);
    if (!psk_last)
        memcpy(e + n, psk, p), n += p;
    memcpy(e + n, modes, sizeof modes), n += sizeof modes;
    if (psk_last)
        memcpy(e + n, psk, p), n += p;
    return n;
}

static int parse13(clienthello_t *ch, int ids, int binders, bool psk_last)
{
    static uint8_t e[512];
    hello_spec_t s = {.suites = suites13,
                      .n_suites = 2,
                      .groups = groups,
                      .n_groups = 2,
                      .versions = v13_12,
                      .n_versions = 2,
                      .extra_exts = e,
                      .extra_len = exts_13(e, ids, binders, psk_last)};
    size_t n = hb_hello(&s, buf, sizeof buf);
    cr_assert_gt(n, 0);
    return clienthello_parse(buf, n, ch, err, sizeof err);
}

Test(clienthello_tls13, resumption_fields_are_decoded)
{
    clienthello_t ch;
    cr_assert_eq(parse13(&ch, 2, 2, true), 0, "%s", err);
    cr_assert(ch.has_key_share);
    cr_assert_eq(ch.n_key_shares, 1);
    cr_assert(clienthello_shares_key(&ch, 0x001d));
    cr_assert_not(clienthello_shares_key(&ch, 0x0018));
    cr_assert(ch.has_psk_modes);
    cr_assert(clienthello_offers_psk_mode(&ch, 1));
    cr_assert_not(clienthello_offers_psk_mode(&ch, 0));
    cr_assert(ch.has_pre_shared_key);
    cr_assert_eq(ch.n_psk_identities, 2);
    cr_assert_eq(ch.psk_identity_len0, 8);
    cr_assert(ch.has_early_data);
    cr_assert_not(ch.has_cookie);
    clienthello_free(&ch);
}

Test(clienthello_tls13, pre_shared_key_must_be_last)
{
    clienthello_t ch;
    cr_assert_eq(parse13(&ch, 1, 1, false), CH_ERR_ILLEGAL);
    cr_assert(strstr(err, "last extension"), "%s", err);
    clienthello_free(&ch);
}

Test(clienthello_tls13, binders_must_match_identities)
{
    clienthello_t ch;
    cr_assert_eq(parse13(&ch, 2, 1, true), CH_ERR_ILLEGAL);
    cr_assert(strstr(err, "binders"), "%s", err);
    clienthello_free(&ch);
    cr_assert_eq(parse13(&ch, 0, 0, true), CH_ERR_DECODE, "an empty identity list");
    clienthello_free(&ch);
}

/* The typed "tls13" member, and the server view read back from it equals the
 * one filled from the parse (the diagnosis sees the same either way). */
Test(clienthello_tls13, json_and_view_round_trip)
{
    clienthello_t ch;
    cr_assert_eq(parse13(&ch, 1, 1, true), 0, "%s", err);
    json_t *j = clienthello_to_json(&ch);
    json_t *t = json_object_get(j, "tls13");
    cr_assert(json_is_true(json_object_get(t, "offered")));
    cr_assert_eq(json_array_size(json_object_get(t, "supported_versions")), 2);
    cr_assert_eq(json_integer_value(json_object_get(
                     json_array_get(json_object_get(t, "key_share_groups"), 0), "id")),
                 0x1d);
    cr_assert_str_eq(
        json_string_value(json_array_get(json_object_get(t, "psk_key_exchange_modes"), 0)),
        "psk_dhe_ke");
    cr_assert_eq(
        json_integer_value(json_object_get(json_object_get(t, "pre_shared_key"), "identities")), 1);
    cr_assert(json_is_true(json_object_get(t, "early_data")));

    server_view_t direct, read;
    server_view_init(&direct);
    server_view_set_clienthello(&direct, &ch);
    json_t *view = json_pack("{s:O}", "clienthello", j);
    cr_assert_eq(server_view_from_json(view, &read), 0);
    cr_assert(direct.offers_tls13 && read.offers_tls13);
    cr_assert_eq(read.n_key_share_groups, direct.n_key_share_groups);
    cr_assert_eq(read.key_share_groups[0], 0x1d);
    cr_assert(read.psk_modes_sent && read.psk_dhe_ke && !read.psk_ke);
    cr_assert_eq(read.psk_dhe_ke, direct.psk_dhe_ke);
    cr_assert(read.psk_offered && direct.psk_offered);
    cr_assert(read.early_data && direct.early_data);
    json_decref(view);
    json_decref(j);
    clienthello_free(&ch);
}

/* A TLS 1.2 hello: no 1.3 members are invented. */
Test(clienthello_tls13, tls12_hello_offers_nothing_of_13)
{
    static const uint16_t s12[] = {0xc02f};
    hello_spec_t s = {.suites = s12, .n_suites = 1, .groups = groups, .n_groups = 2};
    size_t n = hb_hello(&s, buf, sizeof buf);
    clienthello_t ch;
    cr_assert_eq(clienthello_parse(buf, n, &ch, err, sizeof err), 0, "%s", err);
    json_t *j = clienthello_to_json(&ch);
    json_t *t = json_object_get(j, "tls13");
    cr_assert(json_is_false(json_object_get(t, "offered")));
    cr_assert(json_is_null(json_object_get(t, "key_share_groups")));
    cr_assert(json_is_null(json_object_get(t, "psk_key_exchange_modes")));
    cr_assert(json_is_null(json_object_get(t, "pre_shared_key")));
    server_view_t v;
    server_view_init(&v);
    server_view_set_clienthello(&v, &ch);
    cr_assert_not(v.offers_tls13);
    json_decref(j);
    clienthello_free(&ch);
}
