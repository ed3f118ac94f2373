/* issue 18 wolfagent: `tlsrig run --stack wolfssl` end to end on the sim board: the wolfssl-*
 * scenarios meet their expectations, the Gmail case shows alert 40 and wolfSSL error -313 as
 * typed fields, results name the stack, wolfSSL's version and options, the self-test is a
 * skip with the agent's reason; and the refusals before anything runs (exit 2). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e_util.h"

static bool has_option(const json_t *r, const char *name)
{
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(json_object_get(r, "agent"), "options"), i, o)
    {
        if (strcmp(json_string_value(o), name) == 0) {
            return true;
        }
    }
    return false;
}

Test(e2e_wolfssl, wolfssl_scenarios_meet_their_expectations, .timeout = 300)
{
    char dir[512], out[600];
    e2e_tmpdir("wolfssl", dir, sizeof dir);
    snprintf(out, sizeof out, "%s.out", dir);
    const char *args[] = {"run",       "--board", "sim", "--stack", "wolfssl", "--scenario",
                          "wolfssl-*", "--out",   dir,   "--quiet", NULL};
    cr_assert_eq(e2e_run(out, args), 0, "%s", e2e_slurp(out));
    json_t *results = e2e_results(dir);
    size_t i, skipped_selftests = 0;
    json_t *r;
    bool gmail = false, fixed = false;
    json_array_foreach(results, i, r)
    {
        const char *kind = json_string_value(json_object_get(r, "kind"));
        if (kind && strcmp(kind, "selftest") == 0) {
            cr_assert_str_eq(json_string_value(json_object_get(r, "outcome")), "skipped");
            cr_assert(strstr(json_string_value(json_object_get(r, "skip_reason")),
                             "unsupported on this stack") != NULL);
            skipped_selftests++;
            continue;
        }
        if (!kind || strcmp(kind, "target") != 0) {
            continue;
        }
        const char *name = json_string_value(json_object_get(r, "scenario"));
        cr_assert(json_is_true(json_object_get(r, "expect_met")), "%s: %s", name,
                  json_string_value(json_object_get(r, "expect_detail")));
        cr_assert_str_eq(json_string_value(json_object_get(r, "stack")), "wolfssl");
        cr_assert_str_eq(json_string_value(json_object_get(r, "wolfssl_version")), "5.7.2");
        cr_assert(json_is_null(json_object_get(json_object_get(r, "agent"), "mbedtls_version")));
        if (strcmp(name, "wolfssl-no-supported-curves-gmail") == 0) {
            gmail = true;
            cr_assert_eq(json_integer_value(json_object_get(r, "wolfssl_ret")), -313);
            cr_assert_eq(json_integer_value(json_object_get(r, "alert_received")), 40);
            cr_assert_str_eq(json_string_value(json_object_get(r, "wolfssl_error")),
                             "received alert fatal error");
            cr_assert_not(has_option(r, "HAVE_SUPPORTED_CURVES"));
            cr_assert(has_option(r, "HAVE_SNI"));
        }
        if (strcmp(name, "wolfssl-no-supported-curves-gmail-fixed") == 0) {
            fixed = true;
            cr_assert_str_eq(json_string_value(json_object_get(r, "outcome")), "pass");
            cr_assert(has_option(r, "HAVE_SUPPORTED_CURVES"));
        }
    }
    cr_assert(gmail && fixed);
    cr_assert_geq(skipped_selftests, 3); /* one per image: full, no-sni, no-supported-curves */
    char log[700];
    snprintf(log, sizeof log, "%s/logs/wolfssl-no-supported-curves-gmail.sw.wolfssl.log", dir);
    char *text = e2e_slurp(log);
    /* wolfSSL's own debug lines on the LOG channel. */
    cr_assert(strstr(text, "wolfSSL Entering wolfSSL_connect") != NULL, "%s", log);
    free(text);
    json_decref(results);
}

/* The refusals come before anything runs: exit 2, the reason on stderr, no run directory. */
static void expect_usage_error(const char *const *args, const char *dir, const char *needle)
{
    char out[600], err[600];
    snprintf(out, sizeof out, "%s.out", dir);
    snprintf(err, sizeof err, "%s.err", dir);
    cr_assert_eq(e2e_run_err(out, err, args), 2, "%s", e2e_slurp(err));
    char *text = e2e_slurp(err);
    cr_assert(strstr(text, needle) != NULL, "expected '%s' in: %s", needle, text);
    free(text);
    cr_assert_neq(access(dir, F_OK), 0, "nothing may be written before the refusal");
}

Test(e2e_wolfssl, hw_backend_and_unknown_stack_are_usage_errors, .timeout = 60)
{
    char tmp[512], dir[600];
    e2e_tmpdir("wolfssl-usage", tmp, sizeof tmp);
    snprintf(dir, sizeof dir, "%s/run", tmp); /* --out: must not come into being */
    const char *hw[] = {"run", "--board",    "sim",       "--stack", "wolfssl", "--backend",
                        "hw",  "--scenario", "wolfssl-*", "--out",   dir,       NULL};
    expect_usage_error(hw, dir, "sw images only");
    const char *both[] = {"run",       "--board", "sim",        "--stack",   "mbedtls-2.28,wolfssl",
                          "--backend", "both",    "--scenario", "wolfssl-*", "--out",
                          dir,         NULL};
    expect_usage_error(both, dir, "sw images only");
    const char *unknown[] = {"run",        "--board",   "sim",   "--stack", "wolfssl-5.5",
                             "--scenario", "wolfssl-*", "--out", dir,       NULL};
    expect_usage_error(unknown, dir, "unknown stack 'wolfssl-5.5'");
    /* wolfssl-* scenarios do not run on mbedTLS: a selection that plans nothing is refused. */
    const char *mbed[] = {
        "run",   "--board", "sim", "--scenario", "wolfssl-no-supported-curves-gmail",
        "--out", dir,       NULL};
    expect_usage_error(mbed, dir, "stacks:");
}
