/* The hw backend on the sim target: STM32 ALT drivers over the register
 * models, compared with the sw backend; injected faults must fail the run
 * and name their primitive. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "e2e_util.h"

static json_t *find_backend(json_t *res, const char *scenario, const char *backend)
{
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        const char *s = json_string_value(json_object_get(r, "scenario"));
        const char *b = json_string_value(json_object_get(r, "backend"));
        const char *k = json_string_value(json_object_get(r, "kind"));
        if (s && b && strcmp(s, scenario) == 0 && strcmp(b, backend) == 0 &&
            (!k || strcmp(k, "parity") != 0)) {
            return r;
        }
    }
    return NULL;
}

Test(e2e_hw, both_backends_agree_and_report_primitives, .timeout = 300)
{
    char out[4096], stdout_file[4200];
    e2e_tmpdir("both", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *args[] = {"run",
                          "--board",
                          "sim",
                          "--backend",
                          "both",
                          "--scenario",
                          "happy-ecdhe-rsa-aes128-gcm-p256",
                          "--scenario",
                          "happy-ecdhe-ecdsa-aes128-cbc-p256",
                          "--scenario",
                          "unknown-ca",
                          "--out",
                          out,
                          NULL};
    int rc = e2e_run(stdout_file, args);
    cr_assert_eq(rc, 0, "exit %d (see %s)", rc, stdout_file);
    json_t *res = e2e_results(out);
    const char *names[] = {"happy-ecdhe-rsa-aes128-gcm-p256", "happy-ecdhe-ecdsa-aes128-cbc-p256",
                           "unknown-ca", "crypto-selftest"};
    for (int i = 0; i < 4; i++) {
        json_t *sw = find_backend(res, names[i], "sw"), *hw = find_backend(res, names[i], "hw");
        cr_assert(sw && hw, "%s: missing a backend", names[i]);
        cr_expect_str_eq(json_string_value(json_object_get(sw, "outcome")),
                         json_string_value(json_object_get(hw, "outcome")), "%s", names[i]);
    }
    json_t *hw = find_backend(res, "happy-ecdhe-rsa-aes128-gcm-p256", "hw");
    json_t *gcm = json_object_get(json_object_get(hw, "primitives"), "aes-gcm");
    cr_assert_not_null(gcm, "no aes-gcm counters on hw");
    cr_expect_gt(json_integer_value(json_object_get(gcm, "ops")), 0);
    cr_expect_gt(json_integer_value(json_object_get(gcm, "bytes")), 0);
    json_t *cbc = json_object_get(
        json_object_get(find_backend(res, "happy-ecdhe-ecdsa-aes128-cbc-p256", "sw"), "primitives"),
        "aes-cbc");
    cr_expect_not_null(cbc, "no aes-cbc counters on sw for a CBC suite");
    char *text = e2e_slurp(stdout_file);
    cr_expect(strstr(text, "parity: 0 hw/sw difference(s)") != NULL);
    cr_expect(strstr(text, "hw/sw") != NULL, "per-primitive table missing");
    free(text);
    json_decref(res);
}

/* Each fault, and a primitive its self-test failure must name. */
static const char *const k_faults[][2] = {
    {"aes-bitflip", "aes-gcm"},   {"stale-iv", "aes-cbc"},      {"gcm-tag", "aes-gcm"},
    {"sha-interleave", "sha256"}, {"rng-stuck", "rng"},         {"aes-key-interleave", "aes-ecb"},
    {"sha-clone", "sha256"},      {"rng-byte-replicate", "rng"}};

Test(e2e_hw, every_injected_fault_fails_the_run_and_names_its_primitive, .timeout = 300)
{
    for (size_t f = 0; f < sizeof k_faults / sizeof k_faults[0]; f++) {
        char out[4096], stdout_file[4200], name[64];
        snprintf(name, sizeof name, "fault-%s", k_faults[f][0]);
        e2e_tmpdir(name, out, sizeof out);
        snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
        const char *args[] = {"run",
                              "--board",
                              "sim",
                              "--backend",
                              "both",
                              "--scenario",
                              "happy-ecdhe-rsa-aes128-gcm-p256",
                              "--inject-fault",
                              k_faults[f][0],
                              "--out",
                              out,
                              NULL};
        cr_expect_eq(e2e_run(stdout_file, args), 1, "%s: run must fail", k_faults[f][0]);
        json_t *res = e2e_results(out);
        json_t *st = find_backend(res, "crypto-selftest", "hw");
        cr_assert_not_null(st, "%s: no hw self-test result", k_faults[f][0]);
        cr_expect(json_is_false(json_object_get(st, "expect_met")));
        const char *diverged = json_string_value(json_object_get(st, "diverged"));
        cr_expect(diverged && strstr(diverged, k_faults[f][1]) != NULL, "%s: named %s, want %s",
                  k_faults[f][0], diverged ? diverged : "nothing", k_faults[f][1]);
        json_t *sw = find_backend(res, "crypto-selftest", "sw");
        cr_expect_str_eq(json_string_value(json_object_get(sw, "outcome")), "pass",
                         "%s: the sw backend has no fault", k_faults[f][0]);
        json_decref(res);
    }
}

Test(e2e_hw, fault_injection_needs_the_hw_backend)
{
    char out[4096], stdout_file[4200];
    e2e_tmpdir("fault-sw", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *args[] = {"run",     "--board", "sim", "--scenario", "unknown-ca", "--inject-fault",
                          "gcm-tag", "--out",   out,   NULL};
    cr_expect_eq(e2e_run(stdout_file, args), 2);
}
