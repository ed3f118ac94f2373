/* `tlsrig explain` on wolfSSL logs: every golden and degraded log of fixtures/wolfssl-logs
 * gives the verdict of its expected.yaml, the field case's fix names wolfSSL's build option
 * and API call, the stack is detected or forced with --stack. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_explain.h"
#include "diagnose.h"
#include <jansson.h>

static char path_buf[1024];

static const char *fixture(const char *rel)
{
    snprintf(path_buf, sizeof path_buf, "%s/fixtures/wolfssl-logs/%s", getenv("TLSRIG_SOURCE_DIR"),
             rel);
    return path_buf;
}

/* Run explain with captured stdout and stderr; returns the exit code. */
static int run(int argc, char **argv, char **out, char **errs)
{
    char *obuf = NULL, *ebuf = NULL;
    size_t olen = 0, elen = 0;
    FILE *o = open_memstream(&obuf, &olen);
    FILE *e = open_memstream(&ebuf, &elen);
    int rc = explain_run(argc, argv, stdin, o, e);
    fclose(o);
    fclose(e);
    *out = obuf;
    if (errs)
        *errs = ebuf;
    else
        free(ebuf);
    return rc;
}

static json_t *explain_json(const char *rel, const char *stack)
{
    char *argv[] = {"explain", (char *)fixture(rel), "--json", "--stack", (char *)stack};
    char *out;
    cr_assert_eq(run(stack ? 5 : 3, argv, &out, NULL), 0, "%s", rel);
    json_error_t err;
    json_t *j = json_loads(out, 0, &err);
    cr_assert_not_null(j, "%s: not JSON: %s", rel, out);
    free(out);
    return j;
}

static const char *str(json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

Test(wolfssl_logs_explain, field_case_gives_missing_supported_groups_with_wolfssl_fix)
{
    json_t *j = explain_json("no-supported-curves-gmail.log", NULL);
    cr_assert_str_eq(str(j, "verdict"), "missing-supported-groups");
    cr_assert_str_eq(str(j, "stack"), "wolfssl");
    const char *fix = str(j, "fix");
    cr_assert(strstr(fix, "HAVE_SUPPORTED_CURVES") && strstr(fix, "wolfSSL_UseSupportedCurve"),
              "fix: %s", fix);
    cr_assert_null(strstr(fix, "MBEDTLS_"), "a wolfSSL fix names no mbedTLS option: %s", fix);
    /* Evidence names its source: the wolfSSL log, and the alert and the error it logged. */
    json_t *ev = json_object_get(j, "evidence");
    bool alert = false, error = false;
    for (size_t i = 0; i < json_array_size(ev); i++) {
        const char *e = json_string_value(json_array_get(ev, i));
        cr_assert(strncmp(e, "wolfSSL client log", 18) == 0, "evidence: %s", e);
        alert |= strstr(e, "Alert type: handshake_failure") != NULL;
        error |= strstr(e, "error = -313") != NULL;
    }
    cr_assert(alert && error);
    json_decref(j);
}

/* issue 18 wolfcert: -140 ASN_PARSE_E on the peer's certificate (an ECDSA leaf with mbedTLS
 * 2.x's NULL after ecdsa-with-SHA256) is cert-encoding-rejected, its fix wolfSSL's. */
Test(wolfssl_logs_explain, asn_parse_error_on_peer_cert_gives_cert_encoding_rejected)
{
    json_t *j = explain_json("ecdsa-cert-null-params.log", NULL);
    cr_assert_str_eq(str(j, "verdict"), "cert-encoding-rejected");
    cr_assert_str_eq(str(j, "stack"), "wolfssl");
    const char *fix = str(j, "fix");
    cr_assert(strstr(fix, "RFC 5758") && strstr(fix, "WOLFSSL_ASN_ORIGINAL") &&
                  strstr(fix, "WOLFSSL_NO_ASN_STRICT does not help"),
              "fix: %s", fix);
    cr_assert_null(strstr(fix, "MBEDTLS_"), "a wolfSSL fix names no mbedTLS option: %s", fix);
    cr_assert(strstr(str(j, "explanation"), "NULL (05 00)"), "%s", str(j, "explanation"));
    json_t *ev = json_object_get(j, "evidence");
    bool cert_msg = false, peer_certs = false;
    for (size_t i = 0; i < json_array_size(ev); i++) {
        const char *e = json_string_value(json_array_get(ev, i));
        cert_msg |= strstr(e, "processing certificate") != NULL;
        peer_certs |= strstr(e, "ProcessPeerCerts, return -140") != NULL;
    }
    cr_assert(cert_msg && peer_certs);
    json_decref(j);
}

/* -140 after another message than Certificate, or from a result alone: only ranked. */
Test(wolfssl_logs_explain, asn_parse_error_elsewhere_is_only_a_candidate)
{
    static const char log[] = "wolfSSL Entering wolfSSL_connect\n"
                              "connect state: CLIENT_HELLO_SENT\n"
                              "processing server key exchange\n"
                              "wolfSSL Leaving DoServerKeyExchange, return -140\n"
                              "wolfSSL error occurred, error = -140\n";
    logparse_result_t *r = logparse_text(log, strlen(log));
    diagnose_input_t in = {.log = r,
                           .agent_alert_received = -1,
                           .agent_alert_sent = -1,
                           .agent_sni = -1,
                           .stack = "wolfssl"};
    diagnosis_t d;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_eq(d.verdict, "undetermined");
    cr_assert_str_eq(d.candidates[0].id, "cert-encoding-rejected");
    cr_assert_lt(d.candidates[0].confidence, 0.7);
    logparse_free(r);
    diagnose_input_t res = {.has_ret = true,
                            .mbedtls_ret = -140,
                            .agent_alert_received = -1,
                            .agent_alert_sent = -1,
                            .agent_sni = -1,
                            .stack = "wolfssl"};
    cr_assert_eq(diagnose(&res, &d), 0);
    cr_assert_str_eq(d.candidates[0].id, "cert-encoding-rejected");
    cr_assert_lt(d.candidates[0].confidence, 0.7);
    /* The same number from mbedTLS is no wolfSSL parse error. */
    res.stack = NULL;
    cr_assert_eq(diagnose(&res, &d), 0);
    for (size_t i = 0; i < d.n_candidates; i++)
        cr_assert_str_neq(d.candidates[i].id, "cert-encoding-rejected");
}

Test(wolfssl_logs_explain, human_output_names_the_stack)
{
    char *argv[] = {"explain", (char *)fixture("unknown-ca.log")};
    char *out;
    cr_assert_eq(run(2, argv, &out, NULL), 0);
    cr_assert(strstr(out, "verdict: unknown-ca"), "%s", out);
    cr_assert(strstr(out, "log written by: wolfssl (detected)"), "%s", out);
    cr_assert(strstr(out, "ASN_NO_SIGNER_E"), "%s", out);
    cr_assert(strstr(out, "wolfSSL_CTX_load_verify_buffer"), "%s", out);
    free(out);
}

/* Minimal reader of expected.yaml: "- file: F" then "verdict: V" and optional "top: T". */
typedef struct {
    char file[128], verdict[64], top[64];
} expectation_t;

static size_t read_expected(expectation_t *out, size_t cap)
{
    FILE *f = fopen(fixture("expected.yaml"), "r");
    cr_assert_not_null(f);
    char line[512];
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        char v[128];
        if (sscanf(line, " - file: %127s", v) == 1) {
            cr_assert_lt(n, cap);
            memset(&out[n], 0, sizeof out[n]);
            snprintf(out[n++].file, sizeof out[0].file, "%s", v);
        } else if (n > 0 && sscanf(line, " verdict: %63s", v) == 1) {
            snprintf(out[n - 1].verdict, sizeof out[0].verdict, "%.63s", v);
        } else if (n > 0 && sscanf(line, " top: %63s", v) == 1) {
            snprintf(out[n - 1].top, sizeof out[0].top, "%.63s", v);
        }
    }
    fclose(f);
    return n;
}

static bool listed(const expectation_t *x, size_t n, const char *file)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(x[i].file, file) == 0)
            return true;
    }
    return false;
}

Test(wolfssl_logs_explain, every_log_gives_its_expected_verdict)
{
    static expectation_t x[64];
    size_t n = read_expected(x, 64);
    cr_assert_geq(n, 36);
    for (size_t i = 0; i < n; i++) {
        json_t *j = explain_json(x[i].file, NULL);
        cr_expect_str_eq(str(j, "verdict"), x[i].verdict, "%s", x[i].file);
        cr_expect_str_eq(str(j, "stack"), "wolfssl", "%s", x[i].file);
        if (x[i].top[0]) {
            json_t *c = json_array_get(json_object_get(j, "candidates"), 0);
            cr_expect_str_eq(c ? str(c, "id") : "none", x[i].top, "%s", x[i].file);
        }
        json_decref(j);
    }
    /* Every log in the folder is listed. */
    static const char *const dirs[] = {"", "degraded/"};
    for (size_t d = 0; d < 2; d++) {
        DIR *dir = opendir(fixture(dirs[d]));
        cr_assert_not_null(dir);
        struct dirent *de;
        while ((de = readdir(dir))) {
            size_t l = strlen(de->d_name);
            if (l < 5 || strcmp(de->d_name + l - 4, ".log") != 0)
                continue;
            char rel[300];
            snprintf(rel, sizeof rel, "%s%s", dirs[d], de->d_name);
            cr_expect(listed(x, n, rel), "expected.yaml lacks %s", rel);
        }
        closedir(dir);
    }
}

Test(wolfssl_logs_explain, stack_option)
{
    /* Forced to mbedTLS, the wolfSSL log holds none of mbedTLS's lines. */
    char *argv[] = {"explain", (char *)fixture("unknown-ca.log"), "--stack", "mbedtls-2.28"};
    char *out, *errs;
    cr_assert_eq(run(4, argv, &out, &errs), 2);
    cr_assert(strstr(errs, "no mbedTLS or wolfSSL debug lines"), "%s", errs);
    free(out);
    free(errs);
    char *bad[] = {"explain", (char *)fixture("unknown-ca.log"), "--stack", "openssl"};
    cr_assert_eq(run(4, bad, &out, &errs), 2);
    cr_assert(strstr(errs, "unknown stack"), "%s", errs);
    free(out);
    free(errs);
    json_t *j = explain_json("unknown-ca.log", "wolfssl");
    cr_assert_str_eq(str(j, "verdict"), "unknown-ca");
    json_decref(j);
    /* An mbedTLS log keeps mbedTLS's fix. */
    snprintf(path_buf, sizeof path_buf, "%s/fixtures/logs/golden/unknown-ca.log",
             getenv("TLSRIG_SOURCE_DIR"));
    char *mb[] = {"explain", path_buf, "--json"};
    cr_assert_eq(run(3, mb, &out, NULL), 0);
    j = json_loads(out, 0, NULL);
    cr_assert_not_null(j);
    cr_assert_str_eq(str(j, "stack"), "mbedtls-2.28");
    cr_assert(strstr(str(j, "fix"), "mbedtls_ssl_conf_ca_chain"), "%s", str(j, "fix"));
    json_decref(j);
    free(out);
}

Test(wolfssl_logs_explain, config_file_refused_for_wolfssl)
{
    char *argv[] = {"explain", (char *)fixture("unknown-ca.log"), "--config-file", "x.h"};
    char *out, *errs;
    cr_assert_eq(run(4, argv, &out, &errs), 2);
    cr_assert(strstr(errs, "wolfSSL log"), "%s", errs);
    free(out);
    free(errs);
}

/* A wolfSSL run's result without a log: the agent's wolfSSL error code decides, with the
 * wolfSSL fix (issue 18: results record the stack). */
Test(wolfssl_logs_explain, agent_result_without_log)
{
    diagnose_input_t in = {.has_ret = true,
                           .mbedtls_ret = -188,
                           .agent_alert_received = -1,
                           .agent_alert_sent = -1,
                           .agent_sni = -1,
                           .stack = "wolfssl"};
    diagnosis_t d;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_eq(d.verdict, "unknown-ca");
    cr_assert(strstr(d.fix, "wolfSSL_CTX_load_verify_buffer"), "%s", d.fix);
    cr_assert(strstr(d.evidence[0], "agent result: wolfSSL error -188 = ASN_NO_SIGNER_E"), "%s",
              d.evidence[0]);
    /* The same number read as mbedTLS's is no wolfSSL name. */
    in.stack = NULL;
    cr_assert_eq(diagnose(&in, &d), 0);
    cr_assert_str_neq(d.verdict, "unknown-ca");
}
