/* `tlsrig run --stack` end to end on the sim board: both stacks in one run, each result naming
 * its stack and the agent's exact library version, names kept apart, and the refusals that
 * come before anything runs (exit 2). The QEMU firmware on 3.6: tests/qemu (qemu-e2e-mbedtls-3.6).
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e_util.h"

Test(e2e_stacks, one_run_on_both_stacks_keeps_them_apart, .timeout = 300)
{
    char dir[512], out[600];
    e2e_tmpdir("stacks-both", dir, sizeof dir);
    snprintf(out, sizeof out, "%s.out", dir);
    const char *args[] = {
        "run",   "--board", "sim",     "--stack", "all", "--scenario", "google-no-sni-completes",
        "--out", dir,       "--quiet", NULL};
    cr_assert_eq(e2e_run(out, args), 0, "%s", e2e_slurp(out));
    json_t *targets = e2e_targets(e2e_results(dir)); /* takes the results */
    cr_assert_eq(json_array_size(targets), 2);
    bool seen28 = false, seen36 = false;
    size_t i;
    json_t *r;
    json_array_foreach(targets, i, r)
    {
        const char *stack = json_string_value(json_object_get(r, "stack"));
        const char *version = json_string_value(json_object_get(r, "mbedtls_version"));
        cr_assert(stack && version);
        cr_assert(json_is_true(json_object_get(r, "expect_met")));
        if (strcmp(stack, "mbedtls-2.28") == 0) {
            seen28 = true;
            cr_assert(strncmp(version, "2.28.", 5) == 0, "%s", version);
            cr_assert_str_eq(json_string_value(json_object_get(r, "outcome")), "pass");
        } else {
            seen36 = true;
            cr_assert_str_eq(stack, "mbedtls-3.6");
            cr_assert(strncmp(version, "3.6.", 4) == 0, "%s", version);
            /* 3.6.3+ refuses to verify without a hostname: its own, stricter expectation. */
            cr_assert_str_eq(json_string_value(json_object_get(r, "outcome")), "fail");
            cr_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "hostname-not-set");
            cr_assert_not_null(json_object_get(r, "expect_stack_why"));
            /* Named by 3.6's own codes: -0x5D80 has no name in the host's 2.28 table. */
            cr_assert_eq(json_integer_value(json_object_get(r, "mbedtls_ret")), -0x5D80);
            cr_assert_str_eq(json_string_value(json_object_get(r, "mbedtls_error")),
                             "MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME");
        }
    }
    cr_assert(seen28 && seen36);
    char log28[700], log36[700];
    snprintf(log28, sizeof log28, "%s/logs/google-no-sni-completes.sw.log", dir);
    snprintf(log36, sizeof log36, "%s/logs/google-no-sni-completes.sw.mbedtls-3.6.log", dir);
    cr_assert_eq(access(log28, R_OK), 0, "%s", log28);
    cr_assert_eq(access(log36, R_OK), 0, "%s", log36);
    snprintf(out, sizeof out, "%s/junit.xml", dir);
    char *xml = e2e_slurp(out);
    cr_assert(strstr(xml, "sim.sw.full.mbedtls-3_6") != NULL, "%s", xml);
    free(xml);
    json_decref(targets);
}

/* The STM32 ALT drivers through 3.6's ALT interface, on the sim's register models: the
 * self-test (streamed GCM included) passes and hw matches sw, pair by pair, within 3.6. */
Test(e2e_stacks, hw_drivers_on_3_6_match_sw, .timeout = 300)
{
    char dir[512], out[600];
    e2e_tmpdir("stacks-hw", dir, sizeof dir);
    snprintf(out, sizeof out, "%s.out", dir);
    const char *args[] = {"run",     "--board",     "sim",
                          "--stack", "mbedtls-3.6", "--backend",
                          "both",    "--scenario",  "happy-ecdhe-rsa-aes128-gcm-p256",
                          "--out",   dir,           "--quiet",
                          NULL};
    cr_assert_eq(e2e_run(out, args), 0, "%s", e2e_slurp(out));
    json_t *results = e2e_results(dir);
    size_t i, selftests = 0, hw = 0;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *kind = json_string_value(json_object_get(r, "kind"));
        const char *backend = json_string_value(json_object_get(r, "backend"));
        if (!kind || !backend) {
            continue;
        }
        cr_assert_str_eq(json_string_value(json_object_get(r, "stack")), "mbedtls-3.6");
        if (strcmp(kind, "selftest") == 0) {
            selftests++;
            cr_assert_str_eq(json_string_value(json_object_get(r, "outcome")), "pass");
        } else if (strcmp(backend, "hw") == 0) {
            hw++;
            const json_t *parity = json_object_get(r, "parity");
            cr_assert(json_is_true(json_object_get(parity, "match")), "hw/sw parity on 3.6");
        }
    }
    cr_assert_eq(selftests, 2);
    cr_assert_eq(hw, 1);
    json_decref(results);
}

/* A board whose port builds no 3.6 images (its own `firmware`): refused (exit 2) before
 * anything runs, naming the board, its firmware and the ports that have 3.6 images. */
static void write_board(const char *source_dir, const char *name, const char *firmware)
{
    char path[700];
    snprintf(path, sizeof path, "%s/rig-config", source_dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/rig-config/boards", source_dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/rig-config/boards/%s.yaml", source_dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f,
            "name: %s\ndescription: a port of its own\nkind: qemu\nfirmware: %s\n"
            "flasher: qemu\nmachine: netduinoplus2\nbackends: [sw]\n"
            "link:\n  transport: socketpair\n"
            "timeouts:\n  hello_ms: 1000\n  scenario_ms: 1000\n  restart_ms: 1000\n",
            name, firmware);
    cr_assert_eq(fclose(f), 0);
}

Test(e2e_stacks, stacks_without_images_are_refused_before_running, .timeout = 120)
{
    char dir[512], out[600], err[600], source[600];
    e2e_tmpdir("stacks-refused", dir, sizeof dir);
    snprintf(out, sizeof out, "%s.out", dir);
    snprintf(err, sizeof err, "%s.err", dir);
    const char *unknown[] = {"run", "--board", "sim", "--stack", "mbedtls-3.5", "--out", dir, NULL};
    cr_assert_eq(e2e_run_err(out, err, unknown), 2);
    char *text = e2e_slurp(err);
    cr_assert(strstr(text, "unknown stack 'mbedtls-3.5'") != NULL, "%s", text);
    free(text);

    e2e_tmpdir("stacks-refused-source", source, sizeof source);
    write_board(source, "my-f407", "my-f407-port");
    const char *saved = getenv("TLSRIG_SOURCE_DIR");
    char *keep = saved ? strdup(saved) : NULL;
    cr_assert_eq(setenv("TLSRIG_SOURCE_DIR", source, 1), 0);
    const char *other[] = {"run", "--board", "my-f407", "--stack", "all", "--out", dir, NULL};
    int rc = e2e_run_err(out, err, other);
    if (keep) {
        setenv("TLSRIG_SOURCE_DIR", keep, 1);
        free(keep);
    }
    text = e2e_slurp(err);
    cr_assert_eq(rc, 2, "%s", text);
    cr_assert(strstr(text, "board my-f407 (firmware my-f407-port) has no mbedtls-3.6 images") !=
                  NULL,
              "%s", text);
    cr_assert(strstr(text, "qemu-f405") != NULL, "%s", text);
    free(text);
}
