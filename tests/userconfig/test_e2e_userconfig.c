/* issue 17 cfgfile, done-when: `tlsrig run --config-file` with a copy of our `full` profile
 * without MBEDTLS_SSL_SERVER_NAME_INDICATION turns the scenarios that send SNI into failures
 * explained by that macro; results and reports name the file and its digest; `explain
 * --config-file` checks its fix against the header; bad headers are refused (exit 2) before
 * anything is written. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e_header.h"
#include "e2e_util.h"

#define SNI "MBEDTLS_SSL_SERVER_NAME_INDICATION"

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static bool file_contains(const char *path, const char *needle)
{
    char *text = e2e_slurp(path);
    bool found = text && strstr(text, needle);
    free(text);
    return found;
}

static void assert_contains(const char *path, const char *needle)
{
    cr_assert(file_contains(path, needle), "%s lacks %s", path, needle);
}

Test(e2e_userconfig, bad_headers_are_refused_before_anything_is_written, .timeout = 120)
{
    char dir[512], out[700], err[700], runs[700], path[4300], digest[65];
    e2e_tmpdir("userconfig-bad", dir, sizeof dir);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    snprintf(runs, sizeof runs, "%s/run", dir);
    /* Missing file. */
    snprintf(path, sizeof path, "%s/no-such-header.h", dir);
    const char *missing[] = {"run",
                             "--board",
                             "sim",
                             "--config-file",
                             path,
                             "--scenario",
                             "happy-ecdhe-rsa-aes128-gcm-p256",
                             "--out",
                             runs,
                             NULL};
    cr_assert_eq(e2e_run_err(out, err, missing), 2);
    assert_contains(err, "no-such-header.h: No such file");
    cr_assert_neq(access(runs, F_OK), 0, "the run directory was created");
    /* What the agent needs, each missing macro named with why. */
    e2e_make_header(dir, "no-client.h", "full", "#define MBEDTLS_SSL_CLI_C|#define MBEDTLS_DEBUG_C",
                    path, sizeof path, digest);
    const char *lacking[] = {"run",
                             "--board",
                             "sim",
                             "--config-file",
                             path,
                             "--scenario",
                             "happy-ecdhe-rsa-aes128-gcm-p256",
                             "--out",
                             runs,
                             NULL};
    cr_assert_eq(e2e_run_err(out, err, lacking), 2);
    assert_contains(err, "MBEDTLS_SSL_CLI_C is not defined: the agent is a TLS client");
    assert_contains(err, "MBEDTLS_DEBUG_C is not defined: the rig reads the client's debug log");
    cr_assert_neq(access(runs, F_OK), 0, "the run directory was created");
    char tree[4400];
    snprintf(tree, sizeof tree, "%s/userconfig/mbedtls-2.28-user-%.16s", getenv("TLSRIG_BUILD_DIR"),
             digest);
    cr_assert_neq(access(tree, F_OK), 0, "a build tree was made for a refused header");
    /* One header, one stack. */
    e2e_make_header(dir, "full.h", "full", NULL, path, sizeof path, digest);
    const char *two[] = {"run",           "--board", "sim",   "--stack", "all",
                         "--config-file", path,      "--out", runs,      NULL};
    cr_assert_eq(e2e_run_err(out, err, two), 2);
    assert_contains(err, "one header is one mbedTLS release");
    cr_assert_neq(access(runs, F_OK), 0);
}

Test(e2e_userconfig, a_header_without_sni_fails_the_scenarios_that_send_it, .timeout = 900)
{
    char dir[512], out[700], err[700], runs[700], path[4300], digest[65], file[900];
    e2e_tmpdir("userconfig-sni", dir, sizeof dir);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    snprintf(runs, sizeof runs, "%s/run", dir);
    e2e_make_header(dir, "dev-no-sni.h", "full", "#define " SNI, path, sizeof path, digest);
    const char *args[] = {"run",
                          "--board",
                          "sim",
                          "--config-file",
                          path,
                          "--scenario",
                          "happy-ecdhe-rsa-aes128-gcm-p256",
                          "--scenario",
                          "sni-missing-fixed",
                          "--scenario",
                          "google-no-sni-completes",
                          "--out",
                          runs,
                          "--quiet",
                          NULL};
    /* Expectations fail: exit 1. */
    cr_assert_eq(e2e_run_err(out, err, args), 1, "%s", e2e_slurp(err));
    json_t *results = e2e_results(runs);
    cr_assert_not_null(results);
    const json_t *start = json_array_get(results, 0);
    cr_assert_str_eq(str(start, "record"), "run-start");
    cr_assert_str_eq(str(json_object_get(start, "config_file"), "sha256"), digest);
    json_t *targets = e2e_targets(results);
    cr_assert_eq(json_array_size(targets), 3);
    char name[40];
    snprintf(name, sizeof name, "user-%.16s", digest);
    size_t i;
    json_t *r;
    json_array_foreach(targets, i, r)
    {
        const json_t *cf = json_object_get(r, "config_file");
        cr_assert_str_eq(str(cf, "sha256"), digest);
        cr_assert_str_eq(str(cf, "path"), path);
        cr_assert_str_eq(str(r, "config"), name);
        const char *scenario = str(r, "scenario");
        if (strcmp(scenario, "google-no-sni-completes") == 0) {
            /* Sends no name anyway: the missing macro changes nothing. */
            cr_assert(json_is_true(json_object_get(r, "expect_met")), "%s",
                      str(r, "expect_detail"));
            continue;
        }
        cr_assert(json_is_false(json_object_get(r, "expect_met")), "%s", scenario);
        cr_assert_str_eq(str(r, "verdict"), "sni-not-sent", "%s", scenario);
        cr_assert(strstr(str(r, "fix"), "does not define " SNI), "%s", str(r, "fix"));
        cr_assert(json_is_true(json_object_get(r, "config_fix_applies")));
        cr_assert(strstr(str(r, "expect_detail"), "the server received none"), "%s",
                  str(r, "expect_detail"));
        if (strcmp(scenario, "sni-missing-fixed") == 0) {
            /* The SNI-requiring server refuses: the handshake itself fails. */
            cr_assert_str_eq(str(r, "outcome"), "fail");
        } else {
            cr_assert_str_eq(str(r, "outcome"), "pass");
        }
    }
    json_decref(targets);
    snprintf(file, sizeof file, "%s/junit.xml", runs);
    assert_contains(file, "<property name=\"config_sha256\" value=\"");
    assert_contains(file, digest);
    snprintf(file, sizeof file, "%s/summary.md", runs);
    assert_contains(file, digest);
    snprintf(file, sizeof file, "%s/report.html", runs);
    assert_contains(file, digest);
    snprintf(file, sizeof file, "%s/report.json", runs);
    assert_contains(file, "\"config_files\"");
    assert_contains(file, digest);

    /* The same header again: its tree and image are reused, nothing is compiled (the image is
     * current, or the check after its first build runs a `cmake --build` with nothing to do). */
    char runs2[700];
    snprintf(runs2, sizeof runs2, "%s/run2", dir);
    const char *again[] = {"run",
                           "--board",
                           "sim",
                           "--config-file",
                           path,
                           "--scenario",
                           "google-no-sni-completes",
                           "--out",
                           runs2,
                           "--quiet",
                           NULL};
    cr_assert_eq(e2e_run_err(out, err, again), 0, "%s", e2e_slurp(err));
    snprintf(file, sizeof file, "%s/logs/build-tlsrig-agent-sim-sw-%s.log", runs2, name);
    cr_assert(file_contains(file, "tlsrig-agent-sim-sw-user-"), "%s", file);
    cr_assert_not(file_contains(file, "Building C object"), "%s", e2e_slurp(file));

    /* explain checks its fix against the header: this one lacks the macro... */
    char log[4300];
    snprintf(log, sizeof log, "%s/fixtures/logs/golden/sni-missing.log",
             getenv("TLSRIG_SOURCE_DIR"));
    const char *explain[] = {"explain", log, "--config-file", path, NULL};
    cr_assert_eq(e2e_run_err(out, err, explain), 0, "%s", e2e_slurp(err));
    assert_contains(out, "does not define " SNI);
    /* ... the profile itself has it, so the cause lies elsewhere. */
    e2e_make_header(dir, "full.h", "full", NULL, path, sizeof path, digest);
    cr_assert_eq(e2e_run_err(out, err, explain), 0, "%s", e2e_slurp(err));
    assert_contains(out, "already has " SNI ", so the cause lies elsewhere");
}
