/* End to end on the sim target: the real tlsrig binary, the real agent
 * process, the real TLS server. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_util.h"

static const char *const k_fields[] = {
    "scenario",    "board",         "backend",        "config",     "outcome",     "expect_met",
    "mbedtls_ret", "mbedtls_error", "alert_received", "alert_sent", "duration_ms", "log"};

/* generated_at blanked: the one byte range allowed to differ between two writings. */
static void blank_times(char *t)
{
    for (char *p = strstr(t, "20"); p; p = strstr(p + 1, "20")) {
        if (strlen(p) >= 20 && p[4] == '-' && p[10] == 'T' && p[19] == 'Z') {
            memset(p, 'T', 20);
        }
    }
}

/* The run's report.json and report.html, made from what the result worker prepared as the
 * run went (result_texts.h), are those `tlsrig report DIR` makes from results.jsonl. */
static void expect_reports_as_tlsrig_report(const char *out, int run_rc)
{
    static const char *const files[] = {"report.json", "report.html"};
    char *from_run[2], path[4400];
    for (size_t k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/%s", out, files[k]);
        from_run[k] = e2e_slurp(path);
        cr_assert_not_null(from_run[k], "%s missing", path);
        blank_times(from_run[k]);
    }
    char rep_out[4200];
    snprintf(rep_out, sizeof rep_out, "%s.report", out);
    const char *rep[] = {"report", out, NULL};
    cr_expect_eq(e2e_run(rep_out, rep), run_rc);
    for (size_t k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/%s", out, files[k]);
        char *again = e2e_slurp(path);
        cr_assert_not_null(again);
        blank_times(again);
        cr_expect_str_eq(from_run[k], again, "%s differs from tlsrig report's", files[k]);
        free(again);
        free(from_run[k]);
    }
}

Test(e2e, pass_and_expected_failure)
{
    char out[4096], stdout_file[4200];
    e2e_tmpdir("smoke", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *args[] = {
        "run",        "--board",    "sim",   "--scenario", "happy-ecdhe-rsa-aes128-gcm-p256",
        "--scenario", "unknown-ca", "--out", out,          NULL};
    int rc = e2e_run(stdout_file, args);
    cr_assert_eq(rc, 0, "tlsrig run exited %d (see %s)", rc, stdout_file);

    json_t *res = e2e_targets(e2e_results(out));
    cr_assert_not_null(res);
    cr_assert_eq(json_array_size(res), 2);
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        for (size_t f = 0; f < sizeof k_fields / sizeof k_fields[0]; f++) {
            cr_expect(json_object_get(r, k_fields[f]) != NULL, "field %s missing", k_fields[f]);
        }
        cr_expect(json_is_true(json_object_get(r, "expect_met")));
        cr_expect_str_eq(json_string_value(json_object_get(r, "board")), "sim");
        cr_expect_str_eq(json_string_value(json_object_get(r, "backend")), "sw");
    }
    json_t *ok = e2e_find(res, "happy-ecdhe-rsa-aes128-gcm-p256");
    cr_assert_not_null(ok);
    cr_expect_str_eq(json_string_value(json_object_get(ok, "outcome")), "pass");
    cr_expect_eq(json_integer_value(json_object_get(ok, "mbedtls_ret")), 0);
    cr_expect_str_eq(json_string_value(json_object_get(ok, "suite")),
                     "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256");

    json_t *bad = e2e_find(res, "unknown-ca");
    cr_assert_not_null(bad);
    cr_expect_str_eq(json_string_value(json_object_get(bad, "outcome")), "fail");
    cr_expect_str_eq(json_string_value(json_object_get(bad, "mbedtls_error")),
                     "MBEDTLS_ERR_X509_CERT_VERIFY_FAILED");
    cr_expect_eq(json_integer_value(json_object_get(bad, "mbedtls_ret")), -0x2700);

    /* The log of each scenario is there and is mbedTLS debug output. */
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", out, json_string_value(json_object_get(bad, "log")));
    char *log = e2e_slurp(path);
    cr_assert_not_null(log, "no log at %s", path);
    cr_expect(strstr(log, "client state:") != NULL, "log lacks mbedTLS debug lines");
    cr_expect(strncmp(log, "tlsrig: scenario unknown-ca", 27) == 0,
              "the log starts with this scenario, not the previous one's leftovers");
    cr_expect(strstr(log, "x509_verify_cert") != NULL || strstr(log, "certificate") != NULL);
    free(log);

    snprintf(path, sizeof path, "%s/junit.xml", out);
    char *junit = e2e_slurp(path);
    cr_assert_not_null(junit);
    /* Two scenarios and the image's crypto self-test. */
    cr_expect(strstr(junit, "tests=\"3\" failures=\"0\" errors=\"0\"") != NULL, "%s", junit);
    cr_expect(strstr(junit, "name=\"unknown-ca\"") != NULL);
    free(junit);
    json_decref(res);
    expect_reports_as_tlsrig_report(out, 0);
}

Test(e2e, expectation_not_met_exits_1_with_junit_failure)
{
    /* The same failing scenario, expected to pass: a real mismatch. */
    char out[4096], scen[4200], stdout_file[4200], cmd[9000];
    e2e_tmpdir("unmet", out, sizeof out);
    snprintf(scen, sizeof scen, "%s/scenarios", out);
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s' && sed -e 's/outcome: fail/outcome: pass/' "
             "-e '/error:/d' -e '/verdict:/d' '%s/fixtures/scenarios/unknown-ca.yaml' > "
             "'%s/unknown-ca.yaml'",
             scen, getenv("TLSRIG_SOURCE_DIR"), scen);
    cr_assert_eq(system(cmd), 0);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *args[] = {"run", "--board", "sim", "--scenarios-dir", scen, "--out", out, NULL};
    cr_assert_eq(e2e_run(stdout_file, args), 1);
    json_t *res = e2e_targets(e2e_results(out));
    cr_assert_eq(json_array_size(res), 1);
    cr_expect(json_is_false(json_object_get(json_array_get(res, 0), "expect_met")));
    char path[4400];
    snprintf(path, sizeof path, "%s/junit.xml", out);
    char *junit = e2e_slurp(path);
    cr_expect(strstr(junit, "failures=\"1\"") != NULL);
    cr_expect(strstr(junit, "<failure") != NULL);
    free(junit);
    json_decref(res);
    expect_reports_as_tlsrig_report(out, 1); /* the unmet result's block: open, 400 lines */
}

/* The agent crashes, hangs, or puts garbage on the link: each is an
 * infra-error with the log so far, and the next scenario runs normally. */
Test(e2e, robustness_crash_hang_garbage, .timeout = 180)
{
    char out[4096], scen[4200], stdout_file[4200];
    e2e_tmpdir("robust", out, sizeof out);
    snprintf(scen, sizeof scen, "%s/tests/fixtures/robustness", getenv("TLSRIG_SOURCE_DIR"));
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *args[] = {"run",   "--board", "sim", "--scenarios-dir", scen, "--retries", "0",
                          "--out", out,       NULL};
    int rc = e2e_run(stdout_file, args);
    cr_expect_eq(rc, 3, "infra errors must give exit 3, got %d", rc);
    json_t *res = e2e_targets(e2e_results(out));
    cr_assert_not_null(res);
    cr_assert_eq(json_array_size(res), 6);
    const char *faults[] = {"r1-crash", "r3-hang", "r5-garbage"};
    const char *after[] = {"r2-after-crash", "r4-after-hang", "r6-after-garbage"};
    for (int i = 0; i < 3; i++) {
        json_t *f = e2e_find(res, faults[i]);
        cr_assert_not_null(f);
        cr_expect_str_eq(json_string_value(json_object_get(f, "outcome")), "infra-error", "%s",
                         faults[i]);
        cr_expect(json_is_false(json_object_get(f, "expect_met")));
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", out, json_string_value(json_object_get(f, "log")));
        char *log = e2e_slurp(path);
        cr_assert_not_null(log, "%s: no log", faults[i]);
        cr_expect(strstr(log, "handshake starts") != NULL, "%s: log so far not kept", faults[i]);
        free(log);
        json_t *a = e2e_find(res, after[i]);
        cr_assert_not_null(a);
        cr_expect_str_eq(json_string_value(json_object_get(a, "outcome")), "pass", "%s", after[i]);
    }
    cr_expect(strstr(json_string_value(json_object_get(e2e_find(res, "r5-garbage"), "infra_error")),
                     "link damaged") != NULL);
    json_decref(res);
}

/* Ctrl-C in the middle of a run: finished lines stay, the file stays valid. */
Test(e2e, interrupt_leaves_results_valid, .timeout = 120)
{
    char out[4096];
    e2e_tmpdir("sigint", out, sizeof out);
    const char *args[] = {
        "run",      "--board", "sim",   "--scenario", "happy-ecdhe-rsa-aes128-gcm-p256",
        "--repeat", "50",      "--out", out,          NULL};
    int fd = -1;
    pid_t pid = e2e_spawn(args, &fd);
    FILE *f = fdopen(fd, "r");
    char line[1024];
    bool seen = false;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "[  3/", 5) == 0) {
            seen = true; /* the self-test and two results are on disk now */
            break;
        }
    }
    cr_assert(seen, "no progress line from tlsrig");
    kill(pid, SIGINT);
    while (fgets(line, sizeof line, f)) {
    }
    fclose(f);
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 130, "exit %d", WEXITSTATUS(status));
    json_t *res = e2e_targets(e2e_results(out)); /* asserts every line parses */
    cr_assert_not_null(res);
    /* Every planned run has its one result; those the signal cut say so. */
    cr_expect_eq(json_array_size(res), 50);
    size_t ran = 0, i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        const char *o = json_string_value(json_object_get(r, "outcome"));
        if (strcmp(o, "not-run") == 0) {
            cr_expect_str_eq(json_string_value(json_object_get(r, "not_run_reason")),
                             "not run: interrupted by SIGINT");
        } else {
            ran++;
        }
    }
    cr_expect_geq(ran, 2);
    cr_expect_lt(ran, 50);
    char path[4200];
    snprintf(path, sizeof path, "%s/junit.xml", out);
    cr_expect(access(path, R_OK) == 0, "no junit.xml after an interrupt");
    json_decref(res);
    /* `tlsrig report` on it: not a pass, and says how many never ran. */
    char report_out[4200];
    snprintf(report_out, sizeof report_out, "%s.report", out);
    const char *rep[] = {"report", out, NULL};
    cr_expect_eq(e2e_run(report_out, rep), 1);
    char *text = e2e_slurp(report_out);
    cr_expect(text && strstr(text, "RUN CUT SHORT: ") && strstr(text, "(of 50 planned)") &&
                  strstr(text, "interrupted by SIGINT"),
              "%s", text);
    free(text);
}
