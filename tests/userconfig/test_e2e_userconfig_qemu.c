/* issue 17 cfgcross, done-when on the real firmware: `tlsrig run --board qemu-f405
 * --config-file` with a copy of our `full` profile without MBEDTLS_SSL_SERVER_NAME_INDICATION
 * cross-builds that header's mbedTLS and agent for the F405, runs it in QEMU, and the happy
 * scenario that sends SNI fails, explained by that macro; `explain --config-file` says the
 * same of the QEMU run's own log; a second run builds nothing; the NUCLEO-F439ZI image of the
 * same header is built beside it (its mbedTLS shared) and, with no board attached, the run
 * stops at the board (exit 3). Headers refused for the QEMU board leave nothing behind. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "e2e_header.h"
#include "e2e_util.h"

#define SNI "MBEDTLS_SSL_SERVER_NAME_INDICATION"
#define HAPPY "happy-ecdhe-ecdsa-aes128-gcm-p256"
#define NO_SNI "google-no-sni-completes"
#define SNI_REQUIRED "sni-missing-fixed"

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

static bool exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Test(e2e_userconfig_qemu, headers_refused_for_the_qemu_board_leave_nothing, .timeout = 120)
{
    char dir[512], out[700], err[700], runs[700], path[4300], digest[65], tree[4400];
    e2e_tmpdir("userconfig-qemu-bad", dir, sizeof dir);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    snprintf(runs, sizeof runs, "%s/run", dir);
    /* A 2.28 header run on the 3.6 stack. */
    e2e_make_header(dir, "full.h", "full", NULL, path, sizeof path, digest);
    const char *wrong_stack[] = {"run",         "--board",       "qemu-f405", "--stack",
                                 "mbedtls-3.6", "--config-file", path,        "--scenario",
                                 HAPPY,         "--out",         runs,        NULL};
    cr_assert_eq(e2e_run_err(out, err, wrong_stack), 2, "%s", e2e_slurp(err));
    cr_assert(file_contains(err, "written for mbedtls-2.28, not mbedtls-3.6"), "%s",
              e2e_slurp(err));
    cr_assert_not(exists(runs), "the run directory was created");
    snprintf(tree, sizeof tree, "%s/userconfig/mbedtls-3.6-user-%.16s-cm4",
             getenv("TLSRIG_BUILD_DIR"), digest);
    cr_assert_not(exists(tree), "a build tree was made for a refused header");
    /* What the agent needs, on the firmware as on sim. */
    e2e_make_header(dir, "no-debug.h", "full", "#define MBEDTLS_DEBUG_C", path, sizeof path,
                    digest);
    const char *lacking[] = {"run", "--board",    "qemu-f405", "--config-file",
                             path,  "--scenario", HAPPY,       "--out",
                             runs,  NULL};
    cr_assert_eq(e2e_run_err(out, err, lacking), 2);
    cr_assert(file_contains(err, "MBEDTLS_DEBUG_C is not defined: the rig reads the client's"),
              "%s", e2e_slurp(err));
    cr_assert_not(exists(runs));
}

/* The run's log of one scenario (logs/<scenario>.sw.log or its compact form). */
static void scenario_log(const char *runs, const char *scenario, char *path, size_t cap)
{
    const char *forms[] = {"%s/logs/%s.sw.log", "%s/logs/%s.sw.tlslog", "%s/logs/%s.log"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        snprintf(path, cap, forms[i], runs, scenario);
        if (exists(path)) {
            return;
        }
    }
    cr_assert_fail("no log of %s in %s/logs", scenario, runs);
}

Test(e2e_userconfig_qemu, a_header_without_sni_fails_the_happy_scenario_on_the_f405, .timeout = 900)
{
    char dir[512], out[700], err[700], runs[700], path[4300], digest[65], file[4700], name[40];
    e2e_tmpdir("userconfig-qemu-sni", dir, sizeof dir);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    snprintf(runs, sizeof runs, "%s/run", dir);
    e2e_make_header(dir, "dev-no-sni.h", "full", "#define " SNI, path, sizeof path, digest);
    snprintf(name, sizeof name, "user-%.16s", digest);
    const char *args[] = {"run",        "--board", "qemu-f405",  "--config-file", path,
                          "--scenario", HAPPY,     "--scenario", NO_SNI,          "--scenario",
                          SNI_REQUIRED, "--out",   runs,         "--quiet",       NULL};
    double t0 = now_s();
    cr_assert_eq(e2e_run_err(out, err, args), 1, "%s", e2e_slurp(err));
    double first = now_s() - t0;
    json_t *results = e2e_results(runs);
    cr_assert_not_null(results);
    cr_assert_str_eq(str(json_object_get(json_array_get(results, 0), "config_file"), "sha256"),
                     digest);
    json_t *targets = e2e_targets(results);
    cr_assert_eq(json_array_size(targets), 3);
    size_t i;
    json_t *r;
    json_array_foreach(targets, i, r)
    {
        const char *scenario = str(r, "scenario");
        cr_assert_str_eq(str(r, "board"), "qemu-f405");
        cr_assert_str_eq(str(r, "config"), name);
        cr_assert_str_eq(str(json_object_get(r, "config_file"), "sha256"), digest);
        cr_assert_str_eq(str(json_object_get(r, "config_file"), "path"), path);
        if (strcmp(scenario, NO_SNI) == 0) {
            cr_assert(json_is_true(json_object_get(r, "expect_met")), "%s",
                      str(r, "expect_detail"));
            continue;
        }
        cr_assert(json_is_false(json_object_get(r, "expect_met")), "%s", scenario);
        cr_assert_str_eq(str(r, "verdict"), "sni-not-sent", "%s", scenario);
        cr_assert(strstr(str(r, "fix"), "does not define " SNI), "%s", str(r, "fix"));
        cr_assert(json_is_true(json_object_get(r, "config_fix_applies")));
        /* The SNI-requiring server refuses the handshake; the default server completes it. */
        cr_assert_str_eq(str(r, "outcome"), strcmp(scenario, SNI_REQUIRED) == 0 ? "fail" : "pass");
    }
    json_decref(targets);
    json_decref(results);
    /* The image is the header's, in its own Cortex-M tree, not among our images. */
    char tree[4400];
    snprintf(tree, sizeof tree, "%s/userconfig/mbedtls-2.28-%s-cm4", getenv("TLSRIG_BUILD_DIR"),
             name);
    snprintf(file, sizeof file, "%s/images/tlsrig-agent-qemu-f405-sw-%s", tree, name);
    cr_assert(exists(file), "%s", file);
    snprintf(file, sizeof file, "%s/images/tlsrig-agent-qemu-f405-sw-%s",
             getenv("TLSRIG_BUILD_DIR"), name);
    cr_assert_not(exists(file), "%s", file);
    snprintf(file, sizeof file, "%s/summary.md", runs);
    cr_assert(file_contains(file, digest));

    /* explain reads the QEMU run's own log of the refused handshake and checks its fix
     * against the header. */
    scenario_log(runs, SNI_REQUIRED, file, sizeof file);
    const char *explain[] = {"explain", file, "--config-file", path, NULL};
    cr_assert_eq(e2e_run_err(out, err, explain), 0, "%s", e2e_slurp(err));
    cr_assert(file_contains(out, "does not define " SNI), "%s", e2e_slurp(out));

    /* Again: nothing is compiled. */
    char runs2[700];
    snprintf(runs2, sizeof runs2, "%s/run2", dir);
    const char *again[] = {"run", "--board", "qemu-f405", "--config-file", path, "--scenario",
                           HAPPY, "--out",   runs2,       "--quiet",       NULL};
    t0 = now_s();
    cr_assert_eq(e2e_run_err(out, err, again), 1, "%s", e2e_slurp(err));
    double second = now_s() - t0;
    snprintf(file, sizeof file, "%s/logs/build-tlsrig-agent-qemu-f405-sw-%s.log", runs2, name);
    cr_assert(file_contains(file, "tlsrig-agent-qemu-f405-sw-user-"), "%s", file);
    cr_assert_not(file_contains(file, "Building C object"), "%s", e2e_slurp(file));
    printf("userconfig qemu: first run %.1f s (cross build + 3 scenarios), second %.1f s\n", first,
           second);

    /* The NUCLEO-F439ZI sw image of the same header: its mbedTLS is the QEMU image's (only the
     * agent and the port compile), then the run stops at the board: none is attached. */
    char runs3[700], lockdir[700];
    snprintf(runs3, sizeof runs3, "%s/run3", dir);
    snprintf(lockdir, sizeof lockdir, "%s", dir); /* the board lock stays private */
    setenv("TLSRIG_LOCK_DIR", lockdir, 1);
    const char *board[] = {"run",  "--board", "nucleo-f439zi", "--config-file", path, "--scenario",
                           NO_SNI, "--out",   runs3,           "--quiet",       NULL};
    cr_assert_eq(e2e_run_err(out, err, board), 3, "%s", e2e_slurp(err));
    cr_assert(file_contains(err, "FILL-IN-YOUR-PROBE-SERIAL"), "%s", e2e_slurp(err));
    snprintf(file, sizeof file, "%s/logs/build-tlsrig-agent-nucleo-f439zi-sw-%s.log", runs3, name);
    cr_assert_not(file_contains(file, "/library/"), "mbedTLS was compiled again: %s",
                  e2e_slurp(file));
    const char *companions[] = {"", ".bin", ".hex", ".buildid", ".size.json"};
    for (size_t k = 0; k < sizeof companions / sizeof *companions; k++) {
        snprintf(file, sizeof file, "%s/images/tlsrig-agent-nucleo-f439zi-sw-%s%s", tree, name,
                 companions[k]);
        cr_assert(exists(file), "%s", file);
    }
}
