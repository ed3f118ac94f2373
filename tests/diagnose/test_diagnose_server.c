/* diagnose on the rig's typed facts: each server decision rule maps to its
 * verdict (never through the refusal's free text), record-protection
 * failures with their causes ranked, infrastructure errors by cause, the
 * provenance of evidence, and the server view's edge reader. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"

static diagnose_input_t input(const server_view_t *sv)
{
    return (diagnose_input_t){.server = sv, .agent_alert_received = -1, .agent_alert_sent = -1};
}

static server_view_t refused(server_rule_t rule)
{
    server_view_t sv;
    server_view_init(&sv);
    sv.has_clienthello = true;
    sv.extensions[sv.n_extensions++] = 0;
    sv.extensions[sv.n_extensions++] = 10;
    sv.groups_sent = true;
    sv.groups[sv.n_groups++] = 29;
    sv.sni_sent = true;
    snprintf(sv.sni, sizeof sv.sni, "suite.example");
    sv.rule = rule;
    sv.reaction = REACT_ALERT;
    sv.refusal_alert = sv.alert_sent = 40;
    return sv;
}

static bool has_evidence(const diagnosis_t *d, const char *prefix)
{
    for (size_t i = 0; i < d->n_evidence; i++) {
        if (strncmp(d->evidence[i], prefix, strlen(prefix)) == 0)
            return true;
    }
    return false;
}

Test(diagnose_server, every_rule_maps_to_its_verdict)
{
    static const struct {
        server_rule_t rule;
        const char *verdict;
    } table[] = {
        {SERVER_RULE_VERSION, "protocol-version"},
        {SERVER_RULE_MISSING_EXTENSION, "missing-required-extension"},
        {SERVER_RULE_SNI_MISSING, "sni-required"},
        {SERVER_RULE_SNI_UNLISTED, "sni-rejected"},
        {SERVER_RULE_ECDHE_WITHOUT_GROUPS, "missing-supported-groups"},
        {SERVER_RULE_NO_SHARED_GROUP, "no-shared-group"},
        {SERVER_RULE_NO_SHARED_SUITE, "no-shared-ciphersuite"},
        {SERVER_RULE_LIVE_TLS13, "protocol-version"},
        {SERVER_RULE_MALFORMED_HELLO, "malformed-clienthello"},
        {SERVER_RULE_NO_KEY_SHARE, "tls13-no-key-share-group"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        server_view_t sv = refused(table[i].rule);
        diagnose_input_t in = input(&sv);
        diagnosis_t d;
        cr_assert_eq(diagnose(&in, &d), 0);
        cr_expect_str_eq(d.verdict, table[i].verdict, "rule %s", server_rule_name(table[i].rule));
        cr_expect(has_evidence(&d, "server decision: rule "), "rule %s: %s",
                  server_rule_name(table[i].rule), d.n_evidence ? d.evidence[0] : "none");
        bool known = false;
        for (size_t k = 0; k < diagnose_verdict_count(); k++)
            known |= strcmp(diagnose_verdict_id(k), table[i].verdict) == 0;
        cr_expect(known, "%s is in the catalogue", table[i].verdict);
    }
}

/* Every rule name the policy writes is read back as its enum. */
Test(diagnose_server, rule_names_round_trip)
{
    for (int r = SERVER_RULE_UNKNOWN; r < SERVER_RULE__COUNT; r++)
        cr_expect_eq((int)server_rule_from_name(server_rule_name((server_rule_t)r)), r);
    cr_expect_eq(server_rule_from_name("no shared cipher suite"), SERVER_RULE_UNKNOWN);
    cr_expect_eq(server_rule_from_name(NULL), SERVER_RULE_UNKNOWN);
}

/* Client data in the SNI cannot steer the verdict: the rule decides. */
Test(diagnose_server, sni_named_like_a_suite_is_still_sni_rejected)
{
    server_view_t sv = refused(SERVER_RULE_SNI_UNLISTED);
    diagnose_input_t in = input(&sv);
    diagnosis_t d;
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "sni-rejected");
    cr_assert(has_evidence(&d, "server's ClientHello parse: server_name \"suite.example\""));
}

Test(diagnose_server, no_shared_group_is_not_a_missing_extension)
{
    server_view_t sv = refused(SERVER_RULE_NO_SHARED_GROUP);
    diagnose_input_t in = input(&sv);
    diagnosis_t d;
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "no-shared-group");
    for (size_t i = 0; i < d.n_candidates; i++)
        cr_expect(strcmp(d.candidates[i].id, "missing-supported-groups") != 0 ||
                      d.candidates[i].confidence < 0.1,
                  "supported_groups was sent");
}

static server_view_t mac_failure(void)
{
    server_view_t sv;
    server_view_init(&sv);
    sv.has_clienthello = true;
    sv.rule = SERVER_RULE_OK;
    sv.chosen_suite = 0xC02B; /* ECDHE-ECDSA-AES128-GCM-SHA256 */
    sv.handshake_ran = true;
    sv.handshake_ret = -0x7180;
    sv.alert_sent = 20;
    return sv;
}

/* The field case: alert 20 from the server, no other backend, no self-test. */
Test(diagnose_server, bad_record_mac_gets_record_protection_with_causes)
{
    server_view_t sv = mac_failure();
    diagnose_input_t in = input(&sv);
    in.has_ret = true;
    in.mbedtls_ret = -0x7780; /* FATAL_ALERT_MESSAGE */
    in.agent_alert_received = 20;
    in.suite = sv.chosen_suite;
    diagnosis_t d;
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "record-protection");
    cr_assert_str_eq(d.primitive, "aes-gcm");
    cr_assert(strstr(d.explanation, "aes-gcm") != NULL, "%s", d.explanation);
    cr_assert(has_evidence(&d, "server capture: sent alert 20"));
    cr_assert(has_evidence(&d, "agent result: alert received 20"));
    cr_assert(has_evidence(&d, "server handshake: -0x7180"));
    bool ks = false;
    for (size_t i = 0; i < d.n_candidates; i++)
        ks |= strcmp(d.candidates[i].id, "key-schedule-mismatch") == 0;
    cr_assert(ks, "the other causes stay ranked");
}

Test(diagnose_server, hw_result_with_passing_sw_and_failed_selftest_is_divergence)
{
    server_view_t sv = mac_failure();
    diagnose_context_t ctx = {.other_known = true,
                              .other_backend = "sw",
                              .other_passed = true,
                              .selftest_known = true,
                              .selftest_failed = {"aes-gcm"},
                              .n_selftest_failed = 1};
    diagnose_input_t in = input(&sv);
    in.context = &ctx;
    in.backend = "hw";
    in.has_ret = true;
    in.mbedtls_ret = -0x7780;
    in.agent_alert_received = 20;
    in.suite = sv.chosen_suite;
    diagnosis_t d;
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "hw-crypto-divergence");
    cr_assert_str_eq(d.primitive, "aes-gcm");
    cr_assert(has_evidence(&d, "run: the sw backend completed this scenario"));
    cr_assert(has_evidence(&d, "self-test: aes-gcm failed"));
    cr_assert_geq(d.n_candidates, 2);
    /* The sw backend failing the same way clears the hardware. */
    ctx = (diagnose_context_t){.other_known = true, .other_backend = "sw", .other_ret = -0x7780};
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "record-protection");
}

Test(diagnose_server, infrastructure_errors_by_cause)
{
    static const infra_cause_t causes[] = {INFRA_AGENT_CRASH, INFRA_AGENT_HANG, INFRA_HARD_FAULT,
                                           INFRA_FLASH_ERROR, INFRA_LINK_ERROR, INFRA_HOST_ERROR};
    for (size_t i = 0; i < sizeof causes / sizeof causes[0]; i++) {
        diagnose_input_t in = input(NULL);
        in.has_ret = true;
        in.mbedtls_ret = -0x6800; /* a timeout the hang explains */
        in.infra = causes[i];
        in.infra_detail = "what the rig saw";
        diagnosis_t d;
        diagnose(&in, &d);
        cr_expect_str_eq(d.verdict, infra_cause_id(causes[i]));
        cr_expect_lt(d.confidence, 1.0, "a cause is never certain");
        cr_expect(has_evidence(&d, "rig: what the rig saw"));
        cr_expect_eq(infra_cause_from_id(infra_cause_id(causes[i])), causes[i]);
        if (causes[i] != INFRA_LINK_ERROR)
            cr_expect(strstr(d.fix, "baud") == NULL, "%s: %s", d.verdict, d.fix);
    }
}

Test(diagnose_server, passing_handshake_evidence_names_the_server)
{
    server_view_t sv;
    server_view_init(&sv);
    sv.rule = SERVER_RULE_OK;
    sv.handshake_ran = true;
    snprintf(sv.version, sizeof sv.version, "TLSv1.2");
    snprintf(sv.suite, sizeof sv.suite, "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256");
    diagnose_input_t in = input(&sv);
    in.has_ret = true;
    diagnosis_t d;
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "handshake-ok");
    cr_assert(has_evidence(&d, "server handshake: completed"));
    cr_assert_str_eq(diagnose_selftest_verdict(true), "selftest-passed");
    cr_assert_str_eq(diagnose_selftest_verdict(false), "selftest-failed");
}

Test(diagnose_server, edge_reader_takes_one_spelling)
{
    json_error_t e;
    json_t *j = json_loads(
        "{\"clienthello\":{\"server_name\":\"suite.example\",\"cipher_suites\":[{\"id\":49195}],"
        "\"extensions\":[{\"id\":0},{\"id\":10,\"decoded\":[{\"id\":29}]}]},"
        "\"decision\":{\"reaction\":\"alert\",\"alert\":40,\"rule\":\"sni_unlisted\","
        "\"reason\":\"no shared cipher suite\",\"suite_id\":0},"
        "\"handshake\":null,\"alert_sent\":40,\"alert_received\":null}",
        0, &e);
    cr_assert_not_null(j, "%s", e.text);
    server_view_t sv;
    cr_assert_eq(server_view_from_json(j, &sv), 0);
    cr_assert_eq(sv.rule, SERVER_RULE_SNI_UNLISTED, "the rule, not the reason");
    cr_assert_eq(sv.reaction, REACT_ALERT);
    cr_assert_eq(sv.refusal_alert, 40);
    cr_assert_str_eq(sv.sni, "suite.example");
    cr_assert_eq(sv.n_groups, 1);
    cr_assert_eq(sv.n_suites, 1);
    cr_assert_eq(sv.alert_received, -1);
    cr_assert(!sv.handshake_ran);
    json_decref(j);
    /* The other spelling ("sni") is not read. */
    j = json_loads("{\"clienthello\":{\"sni\":\"x\"}}", 0, &e);
    server_view_from_json(j, &sv);
    cr_assert(!sv.sni_sent);
    json_decref(j);
    cr_assert_eq(server_view_from_json(NULL, &sv), -1);
}

Test(diagnose_server, confidences_have_two_decimals)
{
    cr_assert_float_eq(diagnose_round2(0.9499999), 0.95, 1e-12);
    diagnosis_t d;
    memset(&d, 0, sizeof d);
    d.verdict = "sni-rejected";
    d.confidence = 0.95;
    json_t *j = diagnosis_to_json(&d);
    char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(2));
    cr_assert(strstr(s, "\"confidence\":0.95") != NULL, "%s", s);
    free(s);
    json_decref(j);
}

/* qemu-f405's newlib-nano prints mbedTLS's "%lld" client time as "ld": the
 * client's clock then comes from the ClientHello random the server parsed. */
Test(diagnose_server, clock_from_the_client_random_when_the_log_cannot_print_it)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/fixtures/logs/rig/qemu_clock_not_set_nano_printf.log",
             getenv("TLSRIG_SOURCE_DIR"));
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    logparse_result_t *log = logparse_text(text, len);
    cr_assert_not_null(log);

    server_view_t sv;
    server_view_init(&sv);
    sv.has_clienthello = true;
    sv.rule = SERVER_RULE_OK;
    sv.client_random_time = 0;
    diagnose_input_t in = input(&sv);
    in.log = log;
    in.has_ret = true;
    in.mbedtls_ret = -0x2700;
    diagnosis_t d;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_expect_str_eq(d.verdict, "clock-not-set");
    cr_expect(has_evidence(&d, "server's ClientHello parse: client random gmt_unix_time 0"));

    /* A client clock that is set is no evidence of an unset one. */
    sv.client_random_time = 1767225600u;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_expect_str_neq(d.verdict, "clock-not-set");

    /* Without the server's view, the log alone shows only the symptom. */
    in.server = NULL;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_expect_str_eq(d.verdict, "cert-not-yet-valid");
    logparse_free(log);
}
