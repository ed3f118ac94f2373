/* psk_key_exchange_modes (RFC 8446 4.2.9) in the inspector, hostile forms
 * included, and the server's PSK decision built on it (issue 17 psk13):
 * policy_tls13_psk(), the profile key tls13_psk_modes, and the typed view
 * read back from its JSON edge form. */
#include <criterion/criterion.h>
#include <string.h>

#include "clienthello.h"
#include "hello_builder.h"
#include "policy.h"
#include "profile_load.h"
#include "server_view.h"

static uint8_t buf[CH_MAX_FLIGHT];
static char err[512];

static const uint16_t suites13[] = {0x1301, 0x1302};
static const uint16_t groups[] = {0x001d, 0x0017};
static const uint16_t v13_12[] = {0x0304, 0x0303};

/* pre_shared_key: one 8-byte identity, one 32-byte binder; the last extension. */
static size_t put_psk(uint8_t *e)
{
    static const uint8_t head[] = {0, 41, 0, 2 + 14 + 2 + 33, 0, 14, 0, 8};
    size_t n = 0;
    memcpy(e, head, sizeof head), n += sizeof head;
    memset(e + n, 'T', 8), n += 8;
    memset(e + n, 0, 4), n += 4;
    e[n++] = 0, e[n++] = 33, e[n++] = 32;
    memset(e + n, 7, 32), n += 32;
    return n;
}

/* A hello whose psk_key_exchange_modes extension body is `body` (len bytes; NULL: no
 * extension), with a pre_shared_key after it when psk. */
static int parse_with(clienthello_t *ch, const uint8_t *body, size_t len, bool psk)
{
    static uint8_t e[1024];
    size_t n = 0;
    if (body) {
        e[n++] = 0, e[n++] = 45, e[n++] = (uint8_t)(len >> 8), e[n++] = (uint8_t)len;
        memcpy(e + n, body, len), n += len;
    }
    if (psk)
        n += put_psk(e + n);
    hello_spec_t s = {.suites = suites13,
                      .n_suites = 2,
                      .groups = groups,
                      .n_groups = 2,
                      .versions = v13_12,
                      .n_versions = 2,
                      .extra_exts = e,
                      .extra_len = n};
    size_t total = hb_hello(&s, buf, sizeof buf);
    cr_assert_gt(total, 0);
    return clienthello_parse(buf, total, ch, err, sizeof err);
}

Test(psk_modes, one_and_both_modes_and_unknown_codes)
{
    clienthello_t ch;
    static const uint8_t ke[] = {1, 0};
    cr_assert_eq(parse_with(&ch, ke, sizeof ke, true), 0, "%s", err);
    cr_assert(ch.has_psk_modes && ch.has_pre_shared_key);
    cr_assert(clienthello_offers_psk_mode(&ch, 0));
    cr_assert_not(clienthello_offers_psk_mode(&ch, 1));
    clienthello_free(&ch);

    static const uint8_t both_unknown[] = {3, 7, 1, 0};
    cr_assert_eq(parse_with(&ch, both_unknown, sizeof both_unknown, true), 0, "%s", err);
    cr_assert_eq(ch.n_psk_modes, 3);
    cr_assert_eq(ch.psk_modes[0], 7, "an unknown code is kept as sent");
    cr_assert(clienthello_offers_psk_mode(&ch, 0) && clienthello_offers_psk_mode(&ch, 1));
    cr_assert(clienthello_offers_psk_mode(&ch, 7));
    clienthello_free(&ch);
}

Test(psk_modes, malformed_lists_are_refused_with_decode_error)
{
    clienthello_t ch;
    static const struct {
        uint8_t body[8];
        size_t len;
        const char *what;
    } bad[] = {
        {{0}, 0, "empty extension (no list length)"},
        {{0}, 1, "an empty list (at least one mode)"},
        {{3, 1, 0}, 3, "list length beyond the extension"},
        {{1, 1, 0}, 3, "a byte after the list"},
        {{2, 1}, 2, "list length 2, one mode"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse_with(&ch, bad[i].body, bad[i].len, false);
        cr_assert_eq(rc, CH_ERR_DECODE, "%s: got %d (%s)", bad[i].what, rc, err);
        cr_assert(strstr(err, "psk_key_exchange_modes") != NULL, "%s: %s", bad[i].what, err);
        cr_assert_eq(clienthello_alert_for(rc), 50, "decode_error");
        clienthello_free(&ch);
    }
}

Test(psk_modes, too_many_modes_and_a_second_extension)
{
    clienthello_t ch;
    uint8_t many[1 + CH_MAX_LIST + 1];
    many[0] = CH_MAX_LIST + 1;
    memset(many + 1, 1, CH_MAX_LIST + 1);
    cr_assert_eq(parse_with(&ch, many, sizeof many, false), CH_ERR_LIMIT, "%s", err);
    clienthello_free(&ch);

    uint8_t twice[8] = {1, 1, 0, 45, 0, 2, 1, 1};
    /* The first body, then a whole second psk_key_exchange_modes extension. */
    static uint8_t e[64];
    size_t n = 0;
    e[n++] = 0, e[n++] = 45, e[n++] = 0, e[n++] = 2;
    memcpy(e + n, twice, 2), n += 2;
    memcpy(e + n, twice + 2, 6), n += 6;
    hello_spec_t s = {.suites = suites13,
                      .n_suites = 2,
                      .versions = v13_12,
                      .n_versions = 2,
                      .extra_exts = e,
                      .extra_len = n};
    size_t total = hb_hello(&s, buf, sizeof buf);
    cr_assert_eq(clienthello_parse(buf, total, &ch, err, sizeof err), CH_ERR_ILLEGAL, "%s", err);
    clienthello_free(&ch);
}

static server_profile_t profile_with(uint8_t psk_modes, bool tickets)
{
    server_profile_t p;
    profile_defaults(&p);
    p.min_version = 0x0303;
    p.max_version = 0x0304;
    p.tls13_psk_modes = psk_modes;
    p.session_tickets = tickets;
    return p;
}

Test(psk_modes, server_decision_needs_a_common_mode)
{
    clienthello_t ch;
    static const uint8_t ke[] = {1, 0}, dhe[] = {1, 1};
    server_profile_t dhe_only = profile_with(PROFILE_PSK_DHE_KE, true);
    server_profile_t both = profile_with(PROFILE_PSK_KE | PROFILE_PSK_DHE_KE, true);

    cr_assert_eq(parse_with(&ch, ke, sizeof ke, true), 0, "%s", err);
    cr_assert_eq(policy_tls13_psk(&dhe_only, &ch), POLICY_PSK_MODE_MISMATCH);
    cr_assert_eq(policy_tls13_psk(&both, &ch), POLICY_PSK_USABLE);
    server_profile_t off = profile_with(PROFILE_PSK_KE | PROFILE_PSK_DHE_KE, false);
    cr_assert_eq(policy_tls13_psk(&off, &ch), POLICY_PSK_NO_TICKETS);
    clienthello_free(&ch);

    cr_assert_eq(parse_with(&ch, dhe, sizeof dhe, true), 0, "%s", err);
    cr_assert_eq(policy_tls13_psk(&dhe_only, &ch), POLICY_PSK_USABLE);
    clienthello_free(&ch);

    /* A ticket without psk_key_exchange_modes cannot be used (RFC 8446 4.2.9). */
    cr_assert_eq(parse_with(&ch, NULL, 0, true), 0, "%s", err);
    cr_assert_eq(policy_tls13_psk(&both, &ch), POLICY_PSK_MODE_MISMATCH);
    clienthello_free(&ch);

    /* No ticket: nothing to decide. */
    cr_assert_eq(parse_with(&ch, dhe, sizeof dhe, false), 0, "%s", err);
    cr_assert_eq(policy_tls13_psk(&dhe_only, &ch), POLICY_PSK_NONE);
    clienthello_free(&ch);
}

Test(psk_modes, profile_key_parses_and_refuses_unknown_modes)
{
    server_profile_t p;
    profile_defaults(&p);
    cr_assert_eq(p.tls13_psk_modes, PROFILE_PSK_KE | PROFILE_PSK_DHE_KE);
    cr_assert_eq(
        profile_apply_overrides_yaml(&p, "tls13_psk_modes: [psk_dhe_ke]\n", err, sizeof err), 0,
        "%s", err);
    cr_assert_eq(p.tls13_psk_modes, PROFILE_PSK_DHE_KE);
    cr_assert_neq(profile_apply_overrides_yaml(&p, "tls13_psk_modes: [psk_dhe]\n", err, sizeof err),
                  0);
    cr_assert(strstr(err, "tls13_psk_modes") != NULL, "%s", err);
}

Test(psk_modes, view_reads_the_decision_and_mode_back)
{
    json_t *v = json_pack("{s:{s:s, s:s}, s:{s:i, s:b, s:s}, s:b}", "decision", "rule", "ok", "psk",
                          "mode_mismatch", "handshake", "ret", 0, "resumed", 1, "psk_mode",
                          "psk_dhe_ke", "downgrade_sentinel", 1);
    server_view_t sv;
    cr_assert_eq(server_view_from_json(v, &sv), 0);
    cr_assert_eq(sv.psk_decision, POLICY_PSK_MODE_MISMATCH);
    cr_assert_eq(sv.psk_mode, SERVER_PSK_MODE_PSK_DHE_KE);
    cr_assert(sv.resumed && sv.downgrade_sentinel);
    json_decref(v);
    /* Names nobody wrote read as nothing decided. */
    v = json_pack("{s:{s:s}, s:{s:s}}", "decision", "psk", "mode_mismatch; x", "handshake",
                  "psk_mode", "psk_ke\n");
    cr_assert_eq(server_view_from_json(v, &sv), 0);
    cr_assert_eq(sv.psk_decision, POLICY_PSK_NONE);
    cr_assert_eq(sv.psk_mode, SERVER_PSK_MODE_NONE);
    cr_assert_not(sv.downgrade_sentinel);
    json_decref(v);
}

/* A PSK-only resuming hello (psk_ke, a ticket, no supported_groups, no key share): the
 * policy takes it as psk_ke when the profile resumes so, and refuses it with rule
 * psk_mode_mismatch (alert 40) when the profile takes psk_dhe_ke only. */
static int parse_psk_only(clienthello_t *ch)
{
    static uint8_t e[256];
    static const uint8_t ke[] = {0, 45, 0, 2, 1, 0};
    size_t n = 0;
    memcpy(e, ke, sizeof ke), n += sizeof ke;
    n += put_psk(e + n);
    static const uint16_t v13[] = {0x0304};
    hello_spec_t s = {.suites = suites13,
                      .n_suites = 2,
                      .versions = v13,
                      .n_versions = 1,
                      .extra_exts = e,
                      .extra_len = n};
    size_t total = hb_hello(&s, buf, sizeof buf);
    cr_assert_gt(total, 0);
    return clienthello_parse(buf, total, ch, err, sizeof err);
}

Test(psk_modes, policy_takes_or_refuses_a_psk_only_hello)
{
    clienthello_t ch;
    cr_assert_eq(parse_psk_only(&ch), 0, "%s", err);
    policy_decision_t d;
    server_profile_t both = profile_with(PROFILE_PSK_KE | PROFILE_PSK_DHE_KE, true);
    cr_assert_eq(policy_decide(&both, &ch, &d), 0);
    cr_assert_eq(d.reaction.kind, REACT_CONTINUE, "%s", d.reason);
    cr_assert_eq(d.version, 0x0304);
    cr_assert_eq(d.chosen_suite, 0x1301);
    cr_assert_eq(d.chosen_group, 0, "psk_ke needs no group");

    server_profile_t dhe_only = profile_with(PROFILE_PSK_DHE_KE, true);
    cr_assert_eq(policy_decide(&dhe_only, &ch, &d), 0);
    cr_assert_str_eq(d.rule, "psk_mode_mismatch");
    cr_assert_eq(d.reaction.kind, REACT_ALERT);
    cr_assert_eq(d.reaction.alert, 40);
    cr_assert_eq(server_rule_from_name(d.rule), SERVER_RULE_PSK_MODE_MISMATCH);

    /* No tickets at all: not a mode question; the hello has no group either. */
    server_profile_t off = profile_with(PROFILE_PSK_KE, false);
    cr_assert_eq(policy_decide(&off, &ch, &d), 0);
    cr_assert_str_neq(d.rule, "psk_mode_mismatch");
    cr_assert_neq(d.reaction.kind, REACT_CONTINUE);
    clienthello_free(&ch);
}
