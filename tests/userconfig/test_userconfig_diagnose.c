/* issue 17 cfgfile: the diagnosis against the client's configuration (typed fix macros) and
 * the scenario's server name against what reached the server. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "config_macros.h"
#include "diagnose.h"
#include "expect.h"
#include "scenario.h"
#include "server_view.h"

static config_macros_t table(const char *dm)
{
    config_macros_t m;
    cr_assert_eq(config_macros_parse(dm, strlen(dm), &m), 0);
    return m;
}

/* A hello without server_name that the server accepted, and a completed handshake. */
static void completed_without_sni(server_view_t *sv, diagnose_input_t *in)
{
    server_view_init(sv);
    sv->has_clienthello = true;
    sv->rule = SERVER_RULE_OK;
    sv->handshake_ran = true;
    sv->handshake_ret = 0;
    snprintf(sv->version, sizeof sv->version, "TLSv1.2");
    memset(in, 0, sizeof *in);
    in->server = sv;
    in->has_ret = true;
    in->agent_alert_received = -1;
    in->agent_alert_sent = -1;
    in->agent_sni = -1;
}

Test(userconfig_diagnose, a_name_that_never_left_the_client_is_sni_not_sent)
{
    server_view_t sv;
    diagnose_input_t in;
    diagnosis_t d;
    completed_without_sni(&sv, &in);
    in.requested_sni = "localhost";
    in.agent_sni = 0;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_eq(d.verdict, "sni-not-sent");
    bool hello = false;
    for (size_t i = 0; i < d.n_evidence; i++)
        hello |= strstr(d.evidence[i], "agent HELLO") != NULL;
    cr_assert(hello);
    /* The same hello with the name in it: nothing to say but the handshake. */
    sv.sni_sent = true;
    snprintf(sv.sni, sizeof sv.sni, "localhost");
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_eq(d.verdict, "handshake-ok");
    /* No name asked for: no SNI verdict either. */
    sv.sni_sent = false;
    in.requested_sni = NULL;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_eq(d.verdict, "handshake-ok");
}

Test(userconfig_diagnose, the_fix_is_checked_against_the_configuration)
{
    server_view_t sv;
    diagnose_input_t in;
    diagnosis_t d;
    completed_without_sni(&sv, &in);
    /* The server refused the hello for its missing name (a field case: no scenario). */
    sv.rule = SERVER_RULE_SNI_MISSING;
    sv.handshake_ran = false;
    in.mbedtls_ret = -0x7780;
    in.agent_alert_received = 40;
    config_macros_t without = table("#define MBEDTLS_SSL_CLI_C\n");
    in.config = &without;
    in.config_label = "dev.h (sha256 00)";
    in.config_stack = "mbedtls-2.28";
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_eq(d.verdict, "sni-required");
    cr_assert(d.config_checked && d.config_fix_applies);
    cr_assert(strstr(d.fix, "Your configuration (dev.h (sha256 00)) does not define "
                            "MBEDTLS_SSL_SERVER_NAME_INDICATION") == d.fix,
              "%s", d.fix);
    json_t *j = diagnosis_to_json(&d);
    json_t *check = json_array_get(json_object_get(j, "config_check"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(check, "macro")),
                     "MBEDTLS_SSL_SERVER_NAME_INDICATION");
    cr_assert(json_is_false(json_object_get(check, "met")));
    json_decref(j);

    config_macros_t with = table("#define MBEDTLS_SSL_SERVER_NAME_INDICATION\n");
    in.config = &with;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert(d.config_checked && !d.config_fix_applies);
    cr_assert(strstr(d.fix, "already has MBEDTLS_SSL_SERVER_NAME_INDICATION, so the cause lies "
                            "elsewhere"),
              "%s", d.fix);
    config_macros_free(&without);
    config_macros_free(&with);
}

Test(userconfig_diagnose, fix_macros_are_typed_values_per_stack)
{
    const fix_macro_t *m[8];
    cr_assert_eq(diagnose_fix_macros("mpi-too-small", "mbedtls-2.28", m, 8), 1);
    cr_assert_eq(m[0]->kind, FIX_MACRO_AT_LEAST);
    cr_assert_eq(m[0]->min, 512);
    /* TLS 1.3 is a way out on 3.6 only. */
    cr_assert_eq(diagnose_fix_macros("protocol-version", "mbedtls-2.28", m, 8), 1);
    cr_assert_eq(diagnose_fix_macros("protocol-version", "mbedtls-3.6", m, 8), 2);
    /* Every macro named belongs to a verdict of the catalogue. */
    for (size_t i = 0; i < diagnose_verdict_count(); i++)
        (void)diagnose_fix_macros(diagnose_verdict_id(i), NULL, m, 8);
    cr_assert_str_neq(diagnose_verdict_meaning("sni-not-sent"),
                      diagnose_verdict_meaning("undetermined"));
}

static scenario_t *load(const char *yaml)
{
    char err[512];
    scenario_t *s = scenario_load_text("t.yaml", yaml, strlen(yaml), err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    return s;
}

Test(userconfig_diagnose, a_scenario_name_must_reach_the_server)
{
    scenario_t *s = load("name: t\nserver:\n  profile: default\nclient:\n  sni: localhost\n"
                         "expect:\n  outcome: pass\n");
    json_t *r = json_pack("{ss s{s{ss}}}", "outcome", "pass", "server", "clienthello",
                          "server_name", "localhost");
    cr_assert(expect_evaluate(s, r));
    json_decref(r);
    r = json_pack("{ss s{s{s[]}}}", "outcome", "pass", "server", "clienthello", "extensions");
    cr_assert_not(expect_evaluate(s, r));
    cr_assert(strstr(json_string_value(json_object_get(r, "expect_detail")),
                     "server_name localhost (client.sni), the server received none"));
    json_decref(r);
    scenario_free(s);
}
