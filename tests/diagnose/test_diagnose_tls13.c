/* The issue 17 psk13 verdicts from typed evidence: tls13-psk-mode-mismatch (the server's
 * parse of psk_key_exchange_modes and its PSK decision, the agent's `resumed`),
 * tls13-downgrade-detected (the sentinel the server's impairment wrote, the agent's
 * -0x6600 and alert 47) and server-hello-altered (a TLS 1.2-only client meeting it); each
 * evidence line names its source, and without the typed facts no rule claims them. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "diagnose.h"
#include "policy.h"

static bool has_evidence(const diagnosis_t *d, const char *prefix)
{
    for (size_t i = 0; i < d->n_evidence; i++) {
        if (strncmp(d->evidence[i], prefix, strlen(prefix)) == 0)
            return true;
    }
    return false;
}

static double candidate(const diagnosis_t *d, const char *id)
{
    for (size_t i = 0; i < d->n_candidates; i++) {
        if (strcmp(d->candidates[i].id, id) == 0)
            return d->candidates[i].confidence;
    }
    return 0.0;
}

/* The resuming hello of a PSK-only client: TLS 1.3, a ticket, psk_ke only, no groups. */
static server_view_t psk_only_hello(void)
{
    server_view_t sv;
    server_view_init(&sv);
    sv.has_clienthello = true;
    sv.extensions[sv.n_extensions++] = 43;
    sv.extensions[sv.n_extensions++] = 45;
    sv.extensions[sv.n_extensions++] = 41;
    sv.offers_tls13 = true;
    sv.psk_modes_sent = true;
    sv.psk_ke = true;
    sv.psk_offered = true;
    sv.psk_decision = POLICY_PSK_MODE_MISMATCH;
    return sv;
}

Test(diagnose_tls13, psk_only_client_refused_is_a_mode_mismatch)
{
    server_view_t sv = psk_only_hello();
    sv.rule = SERVER_RULE_PSK_MODE_MISMATCH;
    sv.reaction = REACT_ALERT;
    sv.refusal_alert = sv.alert_sent = 40;
    diagnose_input_t in = {.server = &sv,
                           .has_ret = true,
                           .mbedtls_ret = -0x7780,
                           .agent_alert_received = 40,
                           .agent_alert_sent = -1,
                           .mbedtls_version = "3.6.6",
                           .has_resumed = true,
                           .resumed = false};
    diagnosis_t d;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_eq(d.verdict, "tls13-psk-mode-mismatch");
    cr_assert(has_evidence(&d, "server's ClientHello parse: pre_shared_key"));
    cr_assert(has_evidence(&d, "server decision: rule psk_mode_mismatch"));
    cr_assert(has_evidence(&d, "agent result: resumed false"));
    cr_assert(strstr(d.fix, "mbedtls_ssl_conf_tls13_key_exchange_modes") != NULL, "%s", d.fix);
    cr_assert(strstr(d.fix, "MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED") != NULL);
    /* The alert-40 readings of a refused hello do not compete. */
    cr_assert_lt(candidate(&d, "no-shared-ciphersuite"), 0.5);
}

Test(diagnose_tls13, fallback_to_a_full_handshake_stays_handshake_ok)
{
    server_view_t sv = psk_only_hello();
    sv.psk_dhe_ke = false;
    sv.rule = SERVER_RULE_OK;
    sv.reaction = REACT_CONTINUE;
    sv.handshake_ran = true;
    sv.handshake_ret = 0;
    snprintf(sv.version, sizeof sv.version, "TLSv1.3");
    diagnose_input_t in = {.server = &sv,
                           .has_ret = true,
                           .mbedtls_ret = 0,
                           .agent_alert_received = -1,
                           .agent_alert_sent = -1,
                           .has_resumed = true,
                           .resumed = false};
    diagnosis_t d;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_eq(d.verdict, "handshake-ok");
    cr_assert_float_eq(candidate(&d, "tls13-psk-mode-mismatch"), 0.5, 0.001);
}

Test(diagnose_tls13, usable_or_resumed_psk_is_no_mismatch)
{
    server_view_t sv = psk_only_hello();
    sv.psk_decision = POLICY_PSK_USABLE;
    diagnose_input_t in = {.server = &sv, .agent_alert_received = -1, .agent_alert_sent = -1};
    diagnosis_t d;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_eq(candidate(&d, "tls13-psk-mode-mismatch"), 0.0);
    sv.psk_decision = POLICY_PSK_MODE_MISMATCH;
    sv.resumed = true; /* what the worker did wins over the reading before it */
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_eq(candidate(&d, "tls13-psk-mode-mismatch"), 0.0);
}

static server_view_t sentinel_view(bool client_offers_13)
{
    server_view_t sv;
    server_view_init(&sv);
    sv.has_clienthello = true;
    sv.offers_tls13 = client_offers_13;
    sv.rule = SERVER_RULE_OK;
    sv.reaction = REACT_CONTINUE;
    sv.handshake_ran = true;
    sv.handshake_ret = -0x4E;
    sv.downgrade_sentinel = true;
    return sv;
}

Test(diagnose_tls13, sentinel_aborted_by_a_tls13_client)
{
    server_view_t sv = sentinel_view(true);
    diagnose_input_t in = {.server = &sv,
                           .has_ret = true,
                           .mbedtls_ret = -0x6600,
                           .agent_alert_received = -1,
                           .agent_alert_sent = 47,
                           .mbedtls_version = "3.6.6"};
    diagnosis_t d;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_eq(d.verdict, "tls13-downgrade-detected");
    cr_assert(has_evidence(&d, "server capture: ServerHello.random ends with the downgrade"));
    cr_assert(has_evidence(&d, "agent result: sent alert 47"));
    cr_assert(strstr(d.explanation, "RFC 8446") != NULL);
}

Test(diagnose_tls13, sentinel_against_a_tls12_client_is_an_altered_hello)
{
    server_view_t sv = sentinel_view(false);
    diagnose_input_t in = {.server = &sv,
                           .has_ret = true,
                           .mbedtls_ret = -0x4E00,
                           .agent_alert_received = -1,
                           .agent_alert_sent = 51,
                           .mbedtls_version = "2.28.3"};
    diagnosis_t d;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_eq(d.verdict, "server-hello-altered");
    cr_assert_eq(candidate(&d, "tls13-downgrade-detected"), 0.0);
}

Test(diagnose_tls13, illegal_parameter_without_the_sentinel_claims_no_downgrade)
{
    server_view_t sv = sentinel_view(true);
    sv.downgrade_sentinel = false;
    diagnose_input_t in = {.server = &sv,
                           .has_ret = true,
                           .mbedtls_ret = -0x6600,
                           .agent_alert_received = -1,
                           .agent_alert_sent = 47,
                           .mbedtls_version = "3.6.6"};
    diagnosis_t d;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_eq(candidate(&d, "tls13-downgrade-detected"), 0.0);
    cr_assert_str_neq(d.verdict, "tls13-downgrade-detected");
}
