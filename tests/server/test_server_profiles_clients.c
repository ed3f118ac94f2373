/* Every profile in fixtures/profiles against openssl s_client and gnutls-cli:
 * with and without SNI, with suites that overlap the profile's in exactly one
 * suite, and with disjoint ones. Each outcome is asserted on the client's side
 * (what it printed) and on the server's (its view), and a completed
 * handshake used the suite the policy (replay) predicts. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_outcome.h"
#include "clienthello.h"
#include "policy.h"
#include "profile_load.h"
#include "server_test_util.h"
#include "tls_names.h"

typedef struct expect {
    outcome_kind_t kind;
    int alert;      /* OUT_ALERT */
    uint16_t suite; /* OUT_OK: required IANA suite, 0 = whatever replay predicts */
} expect_t;

#define OK                                                                                         \
    {                                                                                              \
        OUT_OK, -1, 0                                                                              \
    }
#define OK_SUITE(s)                                                                                \
    {                                                                                              \
        OUT_OK, -1, s                                                                              \
    }
#define ALERT(n)                                                                                   \
    {                                                                                              \
        OUT_ALERT, n, 0                                                                            \
    }
/* TLS 1.3 hello: completed with suite s by the TLS 1.3 worker (mbedTLS 3.6), or
 * protocol_version (70) from a server built without it (issue 17). */
#define OK_TLS13(s)                                                                                \
    {                                                                                              \
        OUT_OK, 70, s                                                                              \
    }
#define RESET                                                                                      \
    {                                                                                              \
        OUT_RESET, -1, 0                                                                           \
    }

/* One client run: tool, its options, what must happen. */
typedef struct client_case {
    const char *what;
    client_tool_t tool;
    const char *args;
    expect_t expect;
} client_case_t;

#define TLS12_GNUTLS "--priority NORMAL:-VERS-ALL:+VERS-TLS1.2"
#define O(what, args, e)                                                                           \
    {                                                                                              \
        what, TOOL_OPENSSL, args, e                                                                \
    }
#define G(what, args, e)                                                                           \
    {                                                                                              \
        what, TOOL_GNUTLS, args, e                                                                 \
    }

/* Profiles with one RSA certificate and the default suites. */
#define RSA_ONLY_CASES                                                                             \
    O("openssl sni", "-servername device.example", OK), O("openssl no sni", "-noservername", OK),  \
        G("gnutls sni", "--sni-hostname device.example", OK),                                      \
        G("gnutls no sni", "--disable-sni", OK),                                                   \
        O("openssl overlap",                                                                       \
          "-tls1_2 -cipher ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256",             \
          OK_SUITE(0xc02f)),                                                                       \
        G("gnutls overlap",                                                                        \
          TLS12_GNUTLS ":-CIPHER-ALL:+AES-128-GCM:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA",                \
          OK_SUITE(0xc02f)),                                                                       \
        O("openssl disjoint", "-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256", ALERT(40)),         \
        G("gnutls disjoint", TLS12_GNUTLS ":-KX-ALL:+ECDHE-ECDSA", ALERT(40))

static void run_profile(const char *name, const client_case_t *cases, size_t n);

#define PROFILE_TEST(test, profile, ...)                                                           \
    Test(server_profiles_clients, test)                                                            \
    {                                                                                              \
        static const client_case_t cases[] = {__VA_ARGS__};                                        \
        run_profile(profile, cases, sizeof cases / sizeof cases[0]);                               \
    }

PROFILE_TEST(sha1_ca, "sha1-ca", RSA_ONLY_CASES)
PROFILE_TEST(rsa4096, "rsa4096", RSA_ONLY_CASES)
PROFILE_TEST(big_chain, "big-chain", RSA_ONLY_CASES)
PROFILE_TEST(not_yet_valid, "not-yet-valid", RSA_ONLY_CASES)
PROFILE_TEST(expired, "expired", RSA_ONLY_CASES)
PROFILE_TEST(wrong_host, "wrong-host", RSA_ONLY_CASES)

/* RSA and ECDSA certificates, default suites: PSK suites are the ones the
 * server never picks. */
PROFILE_TEST(
    default_profile, "default", O("openssl sni", "-servername device.example", OK),
    O("openssl no sni", "-noservername", OK), G("gnutls sni", "--sni-hostname device.example", OK),
    G("gnutls no sni", "--disable-sni", OK),
    O("openssl overlap",
      "-tls1_2 -psk 0102030405060708 -cipher PSK-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384",
      OK_SUITE(0xc030)),
    G("gnutls overlap",
      "--pskusername=dev --pskkey=0102030405060708 " TLS12_GNUTLS
      ":-CIPHER-ALL:+AES-256-GCM:-KX-ALL:+PSK:+ECDHE-RSA",
      OK_SUITE(0xc030)),
    O("openssl disjoint", "-tls1_2 -psk 0102030405060708 -cipher PSK-AES128-GCM-SHA256", ALERT(40)),
    G("gnutls disjoint",
      "--pskusername=dev --pskkey=0102030405060708 " TLS12_GNUTLS ":-KX-ALL:+PSK", ALERT(40)))

PROFILE_TEST(gmail_smtp_2016, "gmail-smtp-2016", O("openssl sni", "-servername smtp.gmail.com", OK),
             O("openssl no sni", "-noservername", OK),
             G("gnutls sni", "--sni-hostname smtp.gmail.com", OK),
             G("gnutls no sni", "--disable-sni", OK),
             O("openssl overlap", "-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256:AES128-SHA",
               OK_SUITE(0x002f)),
             G("gnutls overlap",
               TLS12_GNUTLS ":-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA1:-KX-ALL:+ECDHE-ECDSA:+RSA",
               OK_SUITE(0x002f)),
             O("openssl disjoint", "-tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305", ALERT(40)),
             G("gnutls disjoint", TLS12_GNUTLS ":-CIPHER-ALL:+CHACHA20-POLY1305:-KX-ALL:+ECDHE-RSA",
               ALERT(40)))

/* Static RSA accepted, ECDHE-RSA preferred; no shared suite: a TCP reset,
 * no alert. */
PROFILE_TEST(azure_appservice_2017, "azure-appservice-2017",
             O("openssl sni", "-servername app.azurewebsites.net", OK),
             O("openssl no sni", "-noservername", OK),
             G("gnutls sni", "--sni-hostname app.azurewebsites.net", OK),
             G("gnutls no sni", "--disable-sni", OK),
             O("openssl overlap", "-tls1_2 -cipher AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
               OK_SUITE(0xc02f)),
             G("gnutls overlap", TLS12_GNUTLS ":-CIPHER-ALL:+AES-128-GCM:-KX-ALL:+RSA:+ECDHE-RSA",
               OK_SUITE(0xc02f)),
             O("openssl static rsa", "-tls1_2 -cipher AES128-GCM-SHA256", OK_SUITE(0x009c)),
             G("gnutls static rsa", TLS12_GNUTLS ":-CIPHER-ALL:+AES-128-GCM:-KX-ALL:+RSA",
               OK_SUITE(0x009c)),
             O("openssl disjoint", "-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256", RESET),
             G("gnutls disjoint", TLS12_GNUTLS ":-KX-ALL:+ECDHE-ECDSA", RESET))

/* The field reproduction: only the listed names; another gets
 * handshake_failure; no SNI completes (TLS 1.2 era). */
PROFILE_TEST(
    google_frontend, "google-frontend", O("openssl sni", "-servername www.google.de", OK),
    O("openssl no sni", "-noservername -tls1_2", OK),
    O("openssl other name", "-servername mbed.example", ALERT(40)),
    G("gnutls sni", "--sni-hostname google.com", OK),
    G("gnutls no sni", "--disable-sni " TLS12_GNUTLS, OK),
    G("gnutls other name", "--sni-hostname mbed.example", ALERT(40)),
    O("openssl overlap",
      "-servername google.de -tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384",
      OK_SUITE(0xc030)),
    G("gnutls overlap",
      "--sni-hostname google.de " TLS12_GNUTLS
      ":-CIPHER-ALL:+AES-256-GCM:-KX-ALL:+DHE-RSA:+ECDHE-RSA",
      OK_SUITE(0xc030)),
    O("openssl disjoint", "-servername google.de -tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256",
      ALERT(40)),
    G("gnutls disjoint", "--sni-hostname google.de " TLS12_GNUTLS ":-KX-ALL:+DHE-RSA", ALERT(40)))

/* The 2020 record: any name or none gets the default certificate. */
PROFILE_TEST(google_frontend_2020, "google-frontend-2020",
             O("openssl sni", "-servername www.google.de", OK),
             O("openssl no sni", "-noservername -tls1_2", OK),
             O("openssl other name", "-servername mbed.example", OK),
             G("gnutls sni", "--sni-hostname google.com", OK),
             G("gnutls no sni", "--disable-sni " TLS12_GNUTLS, OK),
             G("gnutls other name", "--sni-hostname mbed.example", OK),
             O("openssl disjoint", "-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256", ALERT(40)),
             G("gnutls disjoint", TLS12_GNUTLS ":-KX-ALL:+DHE-RSA", ALERT(40)))

/* A CDN edge that requires SNI: none or an unknown name, alert 40. */
PROFILE_TEST(sni_required_cdn, "sni-required-cdn", O("openssl sni", "-servername localhost", OK),
             O("openssl no sni", "-noservername", ALERT(40)),
             O("openssl other name", "-servername mbed.example", ALERT(40)),
             G("gnutls sni", "--sni-hostname localhost", OK),
             G("gnutls no sni", "--disable-sni", ALERT(40)),
             G("gnutls other name", "--sni-hostname mbed.example", ALERT(40)),
             O("openssl disjoint",
               "-servername localhost -tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256", ALERT(40)),
             G("gnutls disjoint", "--sni-hostname localhost " TLS12_GNUTLS ":-KX-ALL:+DHE-RSA",
               ALERT(40)))

/* ECDHE + AEAD only, EMS required. */
PROFILE_TEST(
    strict_modern, "strict-modern", O("openssl sni", "-servername device.example", OK),
    O("openssl no sni", "-noservername", OK), G("gnutls sni", "--sni-hostname device.example", OK),
    G("gnutls no sni", "--disable-sni", OK),
    G("gnutls without EMS", "--priority NORMAL:%NO_SESSION_HASH", ALERT(40)),
    O("openssl overlap", "-tls1_2 -cipher ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384",
      OK_SUITE(0xc030)),
    G("gnutls overlap", TLS12_GNUTLS ":-CIPHER-ALL:+AES-128-CBC:+AES-256-GCM:-KX-ALL:+ECDHE-RSA",
      OK_SUITE(0xc030)),
    O("openssl disjoint", "-tls1_2 -cipher ECDHE-RSA-AES128-SHA", ALERT(40)),
    G("gnutls disjoint", TLS12_GNUTLS ":-CIPHER-ALL:+AES-128-CBC:+AES-256-CBC", ALERT(40)))

PROFILE_TEST(legacy_rsa_kx, "legacy-rsa-kx", O("openssl sni", "-servername device.example", OK),
             O("openssl no sni", "-noservername", OK),
             G("gnutls sni", "--sni-hostname device.example", OK),
             G("gnutls no sni", "--disable-sni", OK),
             O("openssl overlap", "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA",
               OK_SUITE(0x0035)),
             G("gnutls overlap",
               TLS12_GNUTLS ":-CIPHER-ALL:+AES-256-CBC:-MAC-ALL:+SHA1:-KX-ALL:+ECDHE-RSA:+RSA",
               OK_SUITE(0x0035)),
             O("openssl disjoint", "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256", ALERT(40)),
             G("gnutls disjoint", TLS12_GNUTLS ":-KX-ALL:+ECDHE-RSA", ALERT(40)))

/* TLS 1.3 only: TLS 1.2 hellos get protocol_version (70); TLS 1.3 hellos
 * complete on the TLS 1.3 worker (policy_live_limits_caps), or get 70 from a
 * server built without one (the host's mbedTLS 2.28 has no TLS 1.3 server). */
PROFILE_TEST(tls13_only, "tls13-only", O("openssl sni", "-servername device.example", OK_TLS13(0)),
             O("openssl no sni", "-noservername", OK_TLS13(0)),
             G("gnutls sni", "--sni-hostname device.example", OK_TLS13(0)),
             G("gnutls no sni", "--disable-sni", OK_TLS13(0)),
             O("openssl overlap (TLS 1.3 suite)", "-tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256",
               OK_TLS13(0x1301)),
             G("gnutls overlap (TLS 1.3)", "--priority NORMAL:-VERS-ALL:+VERS-TLS1.3", OK_TLS13(0)),
             O("openssl disjoint (TLS 1.2)", "-tls1_2", ALERT(70)),
             G("gnutls disjoint (TLS 1.2)", TLS12_GNUTLS, ALERT(70)))

/* The suite the policy picks for the hello the server recorded. */
static uint16_t predicted_suite(const server_profile_t *p, json_t *view, bool tls13)
{
    const char *hex = json_string_value(json_object_get(view, "clienthello_hex"));
    cr_assert_not_null(hex);
    size_t n = strlen(hex) / 2;
    uint8_t *bytes = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        sscanf(hex + 2 * i, "%2hhx", &bytes[i]);
    clienthello_t *ch = calloc(1, sizeof *ch);
    char err[256];
    cr_assert_eq(clienthello_parse(bytes, n, ch, err, sizeof err), 0, "%s", err);
    policy_decision_t d;
    policy_decide(p, ch, &d);
    policy_live_caps_t caps = {.tls13 = tls13};
    policy_live_limits_caps(p, ch, &d, &caps);
    clienthello_free(ch);
    free(ch);
    free(bytes);
    return d.chosen_suite;
}

static void run_profile(const char *name, const client_case_t *cases, size_t n)
{
    server_profile_t p;
    char err[512];
    cr_assert_eq(profile_load(profile_default_dir(), name, &p, err, sizeof err), 0, "%s", err);
    tls_server_t *s = stu_start(&p, NULL);
    for (size_t i = 0; i < n; i++) {
        client_case_t cc = cases[i];
        if (cc.expect.kind == OUT_OK && cc.expect.alert == 70 && !tls_server_speaks_tls13(s))
            cc.expect = (expect_t)ALERT(70);
        const client_case_t *c = &cc;
        client_outcome_t o = client_run(c->tool, tls_server_port(s), c->args);
        json_t *v = stu_view(s);
        json_t *h = json_object_get(v, "handshake");
        cr_expect_eq(o.kind, c->expect.kind, "%s, %s: client saw %s, expected %s\n%s", name,
                     c->what, outcome_name(o.kind), outcome_name(c->expect.kind), o.output);
        switch (c->expect.kind) {
        case OUT_OK: {
            cr_expect_eq(json_integer_value(json_object_get(h, "ret")), 0, "%s, %s", name, c->what);
            uint16_t used = 0;
            const char *suite = json_string_value(json_object_get(h, "suite"));
            cr_expect(suite && tls_suite_by_name(suite, &used), "%s, %s: suite %s", name, c->what,
                      suite ? suite : "none");
            cr_expect_eq(used, predicted_suite(&p, v, tls_server_speaks_tls13(s)),
                         "%s, %s: server used 0x%04x", name, c->what, used);
            if (c->expect.suite)
                cr_expect_eq(used, c->expect.suite, "%s, %s: suite 0x%04x, expected 0x%04x", name,
                             c->what, used, c->expect.suite);
            break;
        }
        case OUT_ALERT:
            cr_expect_eq(o.alert, c->expect.alert, "%s, %s: client got alert %d\n%s", name, c->what,
                         o.alert, o.output);
            cr_expect_eq(json_integer_value(json_object_get(v, "alert_sent")), c->expect.alert,
                         "%s, %s", name, c->what);
            break;
        case OUT_RESET:
            cr_expect_str_eq(json_string_value(json_object_get(v, "tcp_end")), "server-reset",
                             "%s, %s", name, c->what);
            cr_expect(json_is_null(json_object_get(v, "alert_sent")) ||
                          json_integer_value(json_object_get(v, "alert_sent")) < 0,
                      "%s, %s: no alert before a reset", name, c->what);
            break;
        default:
            break;
        }
        json_decref(v);
    }
    tls_server_stop(s);
}
