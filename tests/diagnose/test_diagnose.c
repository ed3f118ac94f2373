/* diagnose: every fixture log gets its expected verdict (fixtures/logs/expected.yaml), error
 * names per version, server view and agent fields, the catalogue. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"

static char *slurp(const char *rel, size_t *len)
{
    const char *root = getenv("TLSRIG_SOURCE_DIR");
    cr_assert_not_null(root);
    char path[1024];
    snprintf(path, sizeof path, "%s/fixtures/logs/%s", root, rel);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = (size_t)n;
    return buf;
}

static void diagnose_text(const char *text, diagnosis_t *d)
{
    logparse_result_t *r = logparse_text(text, strlen(text));
    diagnose_input_t in = {.log = r};
    cr_assert_eq(diagnose(&in, d), 0);
    logparse_free(r);
}

static void diagnose_file(const char *rel, diagnosis_t *d)
{
    char *text = slurp(rel, NULL);
    diagnose_text(text, d);
    free(text);
}

static char *field(char *line, const char *key)
{
    char *p = strstr(line, key);
    if (!p)
        return NULL;
    p += strlen(key);
    p[strcspn(p, "\r\n")] = '\0';
    return p;
}

/* expected.yaml is a flat list: "- file: X", "verdict: V", optional "top: T". */
Test(diagnose, every_fixture_log_gets_its_expected_verdict)
{
    char *yaml = slurp("expected.yaml", NULL);
    char file[256] = "", verdict[64] = "";
    size_t checked = 0, undetermined = 0;
    char *save = NULL;
    for (char *line = strtok_r(yaml, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *v;
        if (line[0] == '#')
            continue;
        if ((v = field(line, "- file: "))) {
            snprintf(file, sizeof file, "%s", v);
        } else if ((v = field(line, "verdict: "))) {
            snprintf(verdict, sizeof verdict, "%s", v);
            diagnosis_t d;
            diagnose_file(file, &d);
            cr_expect_str_eq(d.verdict, verdict, "%s: got %s, expected %s", file, d.verdict,
                             verdict);
            checked++;
            if (strcmp(verdict, "undetermined") != 0)
                cr_expect_geq(d.n_evidence, 1, "%s: a verdict needs evidence", file);
        } else if ((v = field(line, "top: "))) {
            diagnosis_t d;
            diagnose_file(file, &d);
            undetermined++;
            if (strcmp(v, "none") == 0)
                cr_expect_eq(d.n_candidates, 0, "%s", file);
            else
                cr_expect(d.n_candidates > 0 && strcmp(d.candidates[0].id, v) == 0,
                          "%s: top candidate %s, expected %s", file,
                          d.n_candidates ? d.candidates[0].id : "none", v);
            cr_expect(strstr(d.explanation, "What would decide") != NULL, "%s", file);
        }
    }
    cr_assert_geq(checked, 40);
    cr_assert_geq(undetermined, 1);
    free(yaml);
}

Test(diagnose, real_logs)
{
    diagnosis_t d;
    diagnose_file("T03_no_shared_suite_alert.cli.log", &d);
    cr_assert_str_eq(d.verdict, "no-shared-ciphersuite");
    bool alert_line = false;
    for (size_t i = 0; i < d.n_evidence; i++)
        alert_line |=
            strstr(d.evidence[i], "client log line 64: is a fatal alert message (msg 40)") != NULL;
    cr_assert(alert_line, "the alert line is evidence");
    diagnose_file("U02_sni_unknown.cli.log", &d);
    cr_assert_str_eq(d.verdict, "sni-rejected");
    diagnose_file("U04_tcp_rst.cli.log", &d);
    cr_assert_str_eq(d.verdict, "connection-reset");
    cr_assert_str_eq(d.candidates[1].id, "no-shared-ciphersuite");
}

Test(diagnose, level1_only_log_is_honestly_undetermined)
{
    diagnosis_t d;
    diagnose_file("degraded/T03_level1.log", &d);
    cr_assert_str_eq(d.verdict, "undetermined");
    cr_assert_str_eq(d.candidates[0].id, "no-shared-ciphersuite");
    cr_assert_geq(d.n_candidates, 3);
    cr_assert(strstr(d.explanation, "debug level 3") != NULL, "%s", d.explanation);
    cr_assert(strstr(d.fix, "If it is no-shared-ciphersuite") != NULL);
}

Test(diagnose, error_names_depend_on_version)
{
    char b[160];
    cr_assert_str_eq(diagnose_error_name(-0x7100, "2.28.3", b, sizeof b),
                     "MBEDTLS_ERR_SSL_BAD_INPUT_DATA");
    cr_assert_str_eq(diagnose_error_name(-0x7300, "2.28.3", b, sizeof b),
                     "MBEDTLS_ERR_SSL_UNKNOWN_CIPHER");
    cr_assert_str_eq(diagnose_error_name(-0x7300, "3.6.0", b, sizeof b),
                     "MBEDTLS_ERR_SSL_DECODE_ERROR");
    cr_assert_str_eq(diagnose_error_name(-0x7800, "3.6.0", b, sizeof b),
                     "MBEDTLS_ERR_SSL_UNRECOGNIZED_NAME");
    cr_assert_str_eq(diagnose_error_name(-0x5D80, "3.6.4", b, sizeof b),
                     "MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME");
    cr_assert_str_eq(diagnose_error_name(-0x5D80, "2.28.3", b, sizeof b), "UNKNOWN");
    cr_assert_str_eq(diagnose_error_name(-0x262E, "2.28.3", b, sizeof b),
                     "MBEDTLS_ERR_X509_UNKNOWN_SIG_ALG + MBEDTLS_ERR_OID_NOT_FOUND");
    cr_assert_str_eq(diagnose_error_name(-0x0050, NULL, b, sizeof b), "MBEDTLS_ERR_NET_CONN_RESET");
    cr_assert_eq(diagnose_version_number("2.28.10"), 22810);
    cr_assert_eq(diagnose_version_number("garbage"), 0);
}

static const char *invalid_record_log(const char *banner)
{
    static char buf[512];
    snprintf(buf, sizeof buf,
             "%s\nssl_msg.c:3538: |3| input record: msgtype = 22, version = [3:3], msglen = 9000\n"
             "ssl_msg.c:3700: |1| mbedtls_ssl_read_record() returned -29184 (-0x7200)\n",
             banner);
    return buf;
}

Test(diagnose, record_too_large_code_is_read_per_version)
{
    diagnosis_t d;
    diagnose_text(invalid_record_log("build version: mbed TLS 2.16.12 (build 1)"), &d);
    cr_assert_str_eq(d.verdict, "record-too-large");
    diagnose_text(invalid_record_log("build version: Mbed TLS 2.28.3 (build 1)"), &d);
    cr_assert_str_neq(d.verdict, "record-too-large", "-0x7200 is not the size error in 2.28");
    for (size_t i = 0; i < d.n_candidates; i++)
        cr_assert_str_neq(d.candidates[i].id, "record-too-large");
}

/* The server's decision rule, not its free-text reason, decides a reset. */
Test(diagnose, server_view_decides_a_reset)
{
    char *text = slurp("U04_tcp_rst.cli.log", NULL);
    logparse_result_t *r = logparse_text(text, strlen(text));
    server_view_t sv;
    server_view_init(&sv);
    sv.has_clienthello = true;
    sv.rule = SERVER_RULE_NO_SHARED_SUITE;
    sv.reaction = REACT_RESET;
    diagnose_input_t in = {
        .log = r, .server = &sv, .agent_alert_received = -1, .agent_alert_sent = -1};
    diagnosis_t d;
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "no-shared-ciphersuite");
    logparse_free(r);
    free(text);
}

Test(diagnose, agent_fields)
{
    diagnosis_t d;
    diagnose_input_t in = {.agent_alert_received = -1, .agent_alert_sent = -1};
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "undetermined");
    cr_assert_eq(d.n_candidates, 0);
    in.has_ret = true;
    in.mbedtls_ret = 0;
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "handshake-ok");
    in.mbedtls_ret = -0x6800;
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "timeout");
    cr_assert(strncmp(d.evidence[0], "agent result: ", 14) == 0, "%s", d.evidence[0]);
}

/* The scenario's own clock setting is not evidence: only the client's log is. */
Test(diagnose, clock_not_set_comes_from_the_client_log)
{
    char *text = slurp("synthetic/cert_not_yet_valid.log", NULL);
    logparse_result_t *r = logparse_text(text, strlen(text));
    diagnose_input_t in = {.log = r, .agent_alert_received = -1, .agent_alert_sent = -1};
    diagnosis_t d;
    diagnose(&in, &d);
    cr_assert_str_eq(d.verdict, "cert-not-yet-valid");
    for (size_t i = 0; i < d.n_evidence; i++)
        cr_assert(strstr(d.evidence[i], "agent result: time") == NULL, "%s", d.evidence[i]);
    logparse_free(r);
    free(text);
}

Test(diagnose, json_shape)
{
    diagnosis_t d;
    diagnose_file("degraded/T03_level1.log", &d);
    json_t *j = diagnosis_to_json(&d);
    cr_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "undetermined");
    json_t *c = json_object_get(j, "candidates");
    cr_assert_eq(json_array_size(c), d.n_candidates);
    double prev = 2.0;
    for (size_t i = 0; i < json_array_size(c); i++) {
        double conf = json_real_value(json_object_get(json_array_get(c, i), "confidence"));
        cr_assert_leq(conf, prev, "candidates are ranked best first");
        prev = conf;
    }
    cr_assert(json_is_string(json_object_get(j, "explanation")));
    cr_assert(json_is_array(json_object_get(j, "evidence")));
    cr_assert(json_is_string(json_object_get(j, "fix")));
    json_decref(j);
}

Test(diagnose, catalogue_has_every_issue_verdict)
{
    static const char *const ids[] = {
        "handshake-ok", "missing-supported-groups", "no-shared-ciphersuite", "sni-rejected",
        "sni-required", "sni-not-sent", "hostname-not-set", "sha1-not-supported",
        "cert-bad-signature-hash", "mpi-too-small", "record-too-large",
        "hs-fragmentation-unsupported", "cert-not-yet-valid", "clock-not-set", "cert-expired",
        "unknown-ca", "hostname-mismatch", "protocol-version", "client-cert-required",
        "signature-algorithm-mismatch", "curve-not-supported", "heap-exhausted", "no-entropy",
        "timeout", "connection-reset", "peer-closed", "no-shared-group",
        /* issue 17 tls13 */
        "tls13-no-key-share-group",
        /* issue 17 psk13 */
        "tls13-psk-mode-mismatch", "tls13-downgrade-detected", "server-hello-altered",
        "missing-required-extension", "malformed-clienthello", "record-protection",
        "hw-crypto-divergence", "key-schedule-mismatch", "record-corruption", "server-bug",
        "agent-crash", "agent-hang", "hard-fault", "flash-error", "link-error", "host-error",
        "selftest-passed", "selftest-failed",
        /* issue 18 wolfcert */
        "cert-encoding-rejected", "undetermined"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        bool found = false;
        for (size_t k = 0; k < diagnose_verdict_count(); k++)
            found |= strcmp(diagnose_verdict_id(k), ids[i]) == 0;
        cr_assert(found, "%s missing from the catalogue", ids[i]);
    }
    cr_assert_eq(diagnose_verdict_count(), sizeof ids / sizeof ids[0]);
}
