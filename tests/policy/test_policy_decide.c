/* policy_decide() per profile, on captured and built ClientHellos: the
 * answers the live server gives and `tlsrig replay` reports. */
#include <criterion/criterion.h>
#include <string.h>

#include "hello_builder.h"
#include "policy.h"
#include "profile_load.h"
#include "tls_names.h"

static uint8_t buf[CH_MAX_FLIGHT];
static char err[512];

static const uint16_t ecdhe_rsa[] = {0xc02f, 0xc030, 0xc013, 0x00ff};
static const uint16_t rsa_kx[] = {0x009c, 0x002f, 0x0035};
static const uint16_t ecdhe_ecdsa[] = {0xc02b, 0xc023};
static const uint16_t cbc_ecdhe[] = {0xc027, 0xc013};
static const uint16_t tls13_suites[] = {0x1301, 0x1302};
static const uint16_t p256[] = {0x0017};
static const uint16_t p384[] = {0x0018};
static const uint16_t ffdhe[] = {0x0100};
static const uint16_t v13[] = {0x0304};

static policy_decision_t decide_on(const char *profile, const uint8_t *p, size_t n)
{
    server_profile_t prof;
    cr_assert_eq(profile_load(NULL, profile, &prof, err, sizeof err), 0, "%s", err);
    clienthello_t ch;
    cr_assert_eq(clienthello_parse(p, n, &ch, err, sizeof err), 0, "%s", err);
    policy_decision_t d;
    cr_assert_eq(policy_decide(&prof, &ch, &d), 0);
    clienthello_free(&ch);
    cr_assert_neq(d.reason[0], 0);
    return d;
}

static policy_decision_t decide_fixture(const char *profile, const char *fixture)
{
    size_t n = hb_fixture(fixture, buf, sizeof buf);
    cr_assert_gt(n, 0, "%s", fixture);
    return decide_on(profile, buf, n);
}

static policy_decision_t decide_spec(const char *profile, const hello_spec_t *s)
{
    size_t n = hb_hello(s, buf, sizeof buf);
    cr_assert_gt(n, 0);
    return decide_on(profile, buf, n);
}

static void assert_alert(policy_decision_t d, uint8_t alert, const char *rule)
{
    cr_assert_eq(d.reaction.kind, REACT_ALERT, "%s", d.reason);
    cr_assert_eq(d.reaction.alert, alert, "%s", d.reason);
    cr_assert_str_eq(d.rule, rule, "%s", d.reason);
    cr_assert_eq(d.chosen_suite, 0);
}

static void assert_hello(policy_decision_t d, uint16_t suite, uint16_t group)
{
    cr_assert_eq(d.reaction.kind, REACT_CONTINUE, "%s", d.reason);
    cr_assert_eq(d.chosen_suite, suite, "got 0x%04x: %s", d.chosen_suite, d.reason);
    cr_assert_eq(d.chosen_group, group, "got 0x%04x: %s", d.chosen_group, d.reason);
}

Test(policy, gmail_refuses_ecdhe_only_without_groups)
{
    assert_alert(decide_fixture("gmail-smtp-2016", "mbedtls-ecdhe-no-groups.hex"), 40,
                 "ecdhe_without_groups");
    /* The same client with supported_groups is served. */
    assert_hello(decide_fixture("gmail-smtp-2016", "mbedtls228-ecdhe-rsa.hex"), 0xc02f, 0x0017);
    /* Without groups but with an RSA suite too: RSA key exchange goes on. */
    const uint16_t mixed[] = {0xc02f, 0x009c};
    hello_spec_t s = {.suites = mixed, .n_suites = 2};
    assert_hello(decide_spec("gmail-smtp-2016", &s), 0x009c, 0);
}

/* 2016 record: ECDHE without a shared group falls back to static RSA when
 * offered, else alert 40. */
Test(policy, gmail_falls_back_to_static_rsa_without_a_shared_group)
{
    static const uint16_t x25519[] = {0x001d};
    const uint16_t mixed[] = {0xc02f, 0x009c};
    hello_spec_t s = {.suites = mixed, .n_suites = 2, .groups = x25519, .n_groups = 1};
    assert_hello(decide_spec("gmail-smtp-2016", &s), 0x009c, 0);
    s.n_suites = 1;
    assert_alert(decide_spec("gmail-smtp-2016", &s), 40, "no_shared_group");
}

/* 2017 record: static RSA accepted, ECDHE-RSA-AES256-GCM chosen when
 * offered; nothing shared: TCP reset. */
Test(policy, azure_accepts_static_rsa_and_resets_when_no_suite_is_shared)
{
    hello_spec_t s = {.suites = rsa_kx, .n_suites = 3, .groups = p256, .n_groups = 1};
    assert_hello(decide_spec("azure-appservice-2017", &s), 0x009c, 0);
    const uint16_t both[] = {0x009d, 0x009c, 0xc02f, 0xc030};
    s.suites = both, s.n_suites = 4;
    assert_hello(decide_spec("azure-appservice-2017", &s), 0xc030, 0x0017);
    s.suites = ecdhe_ecdsa, s.n_suites = 2;
    policy_decision_t d = decide_spec("azure-appservice-2017", &s);
    cr_assert_eq(d.reaction.kind, REACT_RESET, "%s", d.reason);
    cr_assert_str_eq(d.rule, "no_shared_suite");
}

/* The field reproduction: unknown name, alert 40; no SNI completes. */
Test(policy, google_frontend_sni_allow_list)
{
    hello_spec_t s = {.suites = ecdhe_ecdsa, .n_suites = 2, .groups = p256, .n_groups = 1};
    assert_hello(decide_spec("google-frontend", &s), 0xc02b, 0x0017);
    s.sni = "localhost";
    assert_alert(decide_spec("google-frontend", &s), 40, "sni_unlisted");
    s.sni = "WWW.Google.DE";
    assert_hello(decide_spec("google-frontend", &s), 0xc02b, 0x0017);
    policy_decision_t d = decide_fixture("google-frontend", "openssl-tls12-nosni.hex");
    cr_assert_eq(d.reaction.kind, REACT_CONTINUE, "%s", d.reason);
}

/* The 2020 record: an unknown name and no name both get the default
 * certificate. */
Test(policy, google_frontend_2020_serves_unknown_names)
{
    hello_spec_t s = {.suites = ecdhe_ecdsa, .n_suites = 2, .groups = p256, .n_groups = 1};
    assert_hello(decide_spec("google-frontend-2020", &s), 0xc02b, 0x0017);
    s.sni = "mbed TLS Server 1";
    assert_hello(decide_spec("google-frontend-2020", &s), 0xc02b, 0x0017);
}

/* A CDN edge that requires SNI: none or an unknown name, alert 40. */
Test(policy, sni_required_cdn)
{
    hello_spec_t s = {.suites = ecdhe_rsa, .n_suites = 3, .groups = p256, .n_groups = 1};
    assert_alert(decide_spec("sni-required-cdn", &s), 40, "sni_missing");
    s.sni = "other.example";
    assert_alert(decide_spec("sni-required-cdn", &s), 40, "sni_unlisted");
    s.sni = "localhost";
    assert_hello(decide_spec("sni-required-cdn", &s), 0xc02f, 0x0017);
    assert_alert(decide_fixture("sni-required-cdn", "openssl-tls12-nosni.hex"), 40, "sni_missing");
}

Test(policy, tls13_only_refuses_tls12_with_protocol_version)
{
    assert_alert(decide_fixture("tls13-only", "mbedtls228-default.hex"), 70, "version");
    assert_alert(decide_fixture("tls13-only", "openssl-tls12.hex"), 70, "version");
    policy_decision_t d = decide_fixture("tls13-only", "openssl-tls13.hex");
    assert_hello(d, 0x1301, 0x001d);
    cr_assert_eq(d.version, 0x0304);
    hello_spec_t s = {.suites = tls13_suites,
                      .n_suites = 2,
                      .groups = p384,
                      .n_groups = 1,
                      .versions = v13,
                      .n_versions = 1};
    assert_hello(decide_spec("tls13-only", &s), 0x1301, 0x0018);
}

Test(policy, default_serves_tls13_clients_with_tls12)
{
    policy_decision_t d = decide_fixture("default", "openssl-tls13.hex");
    cr_assert_eq(d.reaction.kind, REACT_CONTINUE, "%s", d.reason);
    cr_assert_eq(d.version, 0x0303);
    cr_assert_neq(tls_suite_kx(d.chosen_suite), TLS_KX_TLS13);
}

Test(policy, strict_modern_requires_ems_and_aead)
{
    hello_spec_t s = {.suites = ecdhe_rsa, .n_suites = 4, .groups = p256, .n_groups = 1};
    assert_alert(decide_spec("strict-modern", &s), 40, "missing_extension");
    s.ems = true;
    assert_hello(decide_spec("strict-modern", &s), 0xc02f, 0x0017);
    s.suites = cbc_ecdhe, s.n_suites = 2;
    assert_alert(decide_spec("strict-modern", &s), 40, "no_shared_suite");
}

Test(policy, legacy_rsa_kx_refuses_ecdhe_only)
{
    assert_alert(decide_fixture("legacy-rsa-kx", "mbedtls228-ecdhe-rsa.hex"), 40,
                 "no_shared_suite");
    assert_hello(decide_fixture("legacy-rsa-kx", "mbedtls228-default.hex"), 0x009c, 0);
}

Test(policy, certificate_type_and_curve_decide_ecdsa_suites)
{
    /* ECDSA suites only, P-384 only: default serves it with its P-384 chain. */
    hello_spec_t s = {.suites = ecdhe_ecdsa, .n_suites = 2, .groups = p384, .n_groups = 1};
    assert_hello(decide_spec("default", &s), 0xc02b, 0x0018);
    /* An RSA-only server cannot: no suite for its certificate. */
    policy_decision_t d = decide_spec("rsa4096", &s);
    assert_alert(d, 40, "no_shared_suite");
    cr_assert(strstr(d.reason, "certificate"), "%s", d.reason);
    /* google-frontend has only P-256 ECDSA: a P-384-only client gets no ECDSA suite. */
    s.sni = "google.com";
    assert_alert(decide_spec("google-frontend", &s), 40, "no_shared_suite");
}

Test(policy, no_shared_group)
{
    hello_spec_t s = {.suites = ecdhe_rsa, .n_suites = 3, .groups = ffdhe, .n_groups = 1};
    policy_decision_t d = decide_spec("azure-appservice-2017", &s);
    cr_assert_eq(d.reaction.kind, REACT_RESET, "%s", d.reason);
    cr_assert_str_eq(d.rule, "no_shared_group");
    assert_alert(decide_spec("default", &s), 40, "no_shared_group");
}

Test(policy, continue_reactions_cannot_skip_a_missing_suite)
{
    server_profile_t prof;
    cr_assert_eq(profile_load(NULL, "legacy-rsa-kx", &prof, err, sizeof err), 0, "%s", err);
    cr_assert_eq(profile_apply_overrides_yaml(&prof, "on_no_shared_suite: {action: continue}\n",
                                              err, sizeof err),
                 0, "%s", err);
    size_t n = hb_fixture("mbedtls228-ecdhe-rsa.hex", buf, sizeof buf);
    clienthello_t ch;
    cr_assert_eq(clienthello_parse(buf, n, &ch, err, sizeof err), 0);
    policy_decision_t d;
    policy_decide(&prof, &ch, &d);
    clienthello_free(&ch);
    assert_alert(d, 40, "no_shared_suite");
}

Test(policy, decision_json)
{
    policy_decision_t d = decide_fixture("tls13-only", "openssl-tls12.hex");
    json_t *j = policy_decision_to_json(&d);
    cr_assert_str_eq(json_string_value(json_object_get(j, "answer")), "alert");
    json_t *a = json_object_get(j, "alert");
    cr_assert_str_eq(json_string_value(json_object_get(a, "description")), "protocol_version");
    cr_assert_eq(json_integer_value(json_object_get(a, "code")), 70);
    json_decref(j);
    d = decide_fixture("default", "mbedtls228-ecdhe-rsa.hex");
    j = policy_decision_to_json(&d);
    json_t *sh = json_object_get(j, "server_hello");
    cr_assert_str_eq(json_string_value(json_object_get(sh, "suite")),
                     "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    cr_assert_str_eq(json_string_value(json_object_get(sh, "version")), "TLS1.2");
    json_decref(j);
}
