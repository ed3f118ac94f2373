/* issue 18 wolfqemu: the wolfssl stack on the QEMU STM32F405 firmware (docs/qemu.md,
 * docs/stacks.md): the real `tlsrig run --board qemu-f405 --stack wolfssl` boots the wolfSSL
 * image of `full`, checks its build id, runs wolfCrypt's self-test in software and the Gmail
 * twin and the unknown-CA case on it. The Gmail case itself needs the no-supported-curves
 * image: when the build makes it (TLSRIG_WOLFSSL_CROSS_PROFILES), it meets its expectation
 * (alert 40, -313); when it does not (CI builds `full` only), it is skipped with the reason,
 * never an infrastructure error. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"

#define IMAGE "tlsrig-agent-qemu-f405-sw-full-wolfssl"
#define GMAIL "wolfssl-no-supported-curves-gmail"

static char *image_file(const char *ext)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/images/%s%s", getenv("TLSRIG_BUILD_DIR"), IMAGE, ext);
    return path;
}

static void check_full_image_result(const json_t *r, const char *want_id)
{
    const char *name = json_string_value(json_object_get(r, "scenario"));
    cr_assert(json_is_true(json_object_get(r, "expect_met")), "%s: %s", name,
              json_string_value(json_object_get(r, "expect_detail")));
    cr_assert_str_eq(json_string_value(json_object_get(r, "board")), "qemu-f405");
    cr_assert_str_eq(json_string_value(json_object_get(r, "stack")), "wolfssl");
    cr_assert_str_eq(json_string_value(json_object_get(r, "wolfssl_version")), "5.7.2");
    /* HELLO: the stack, wolfSSL's version, this image's build id. */
    const json_t *agent = json_object_get(r, "agent");
    cr_assert_str_eq(json_string_value(json_object_get(agent, "tls_stack")), "wolfssl");
    cr_assert_str_eq(json_string_value(json_object_get(agent, "library_version")), "5.7.2");
    cr_assert_str_eq(json_string_value(json_object_get(agent, "build_id")), want_id, "%s", name);
    /* The heap (wolfSSL's every allocation) and stack peaks inside the port's budget. */
    json_int_t heap = json_integer_value(json_object_get(r, "heap_peak"));
    cr_assert(heap > 0 && heap <= 65536, "%s: heap_peak %lld", name, (long long)heap);
    json_int_t stack = json_integer_value(json_object_get(r, "stack_peak"));
    cr_assert(stack > 0 && stack <= 16384, "%s: stack_peak %lld", name, (long long)stack);
    cr_assert_gt(json_integer_value(json_object_get(r, "instructions")), 0, "%s", name);
}

Test(qemu_e2e_wolfssl, wolfssl_scenarios_on_the_f405, .timeout = 500)
{
    char out[4096], stdout_file[4200];
    e2e_tmpdir("qemu-wolfssl", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s/stdout.txt", out);
    const char *args[] = {"run",
                          "--board",
                          "qemu-f405",
                          "--stack",
                          "wolfssl",
                          "--scenario",
                          GMAIL,
                          "--scenario",
                          GMAIL "-fixed",
                          "--scenario",
                          "wolfssl-unknown-ca",
                          "--out",
                          out,
                          NULL};
    int rc = e2e_run(stdout_file, args);
    cr_assert_eq(rc, 0, "tlsrig exited %d: %s", rc, e2e_slurp(stdout_file));
    json_t *results = e2e_results(out);
    cr_assert_not_null(results);

    char *want_id = e2e_slurp(image_file(".buildid"));
    cr_assert_not_null(want_id);
    want_id[strcspn(want_id, "\n")] = '\0';

    /* wolfCrypt's known-answer tests, in software on the Cortex-M4. */
    size_t i, selftests = 0;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *kind = json_string_value(json_object_get(r, "kind"));
        if (kind && strcmp(kind, "selftest") == 0) {
            cr_assert_str_eq(json_string_value(json_object_get(r, "outcome")), "pass");
            selftests++;
        }
    }
    cr_assert_geq(selftests, 1u);

    json_t *fixed = e2e_find(results, GMAIL "-fixed");
    cr_assert_not_null(fixed);
    check_full_image_result(fixed, want_id);
    cr_assert_str_eq(json_string_value(json_object_get(fixed, "outcome")), "pass");
    cr_assert_str_eq(json_string_value(json_object_get(fixed, "version")), "TLSv1.2");
    /* A whole ECDHE-RSA handshake in software: tens of millions of instructions. */
    cr_assert_gt(json_integer_value(json_object_get(fixed, "instructions")), 1000000);

    json_t *unknown = e2e_find(results, "wolfssl-unknown-ca");
    cr_assert_not_null(unknown);
    check_full_image_result(unknown, want_id);
    cr_assert_eq(json_integer_value(json_object_get(unknown, "wolfssl_ret")), -188);

    json_t *gmail = e2e_find(results, GMAIL);
    cr_assert_not_null(gmail);
#if TLSRIG_QEMU_WOLFSSL_NSC
    cr_assert(json_is_true(json_object_get(gmail, "expect_met")));
    cr_assert_eq(json_integer_value(json_object_get(gmail, "wolfssl_ret")), -313);
    cr_assert_eq(json_integer_value(json_object_get(gmail, "alert_received")), 40);
#else
    cr_assert_str_eq(json_string_value(json_object_get(gmail, "outcome")), "skipped");
    const char *why = json_string_value(json_object_get(gmail, "skip_reason"));
    cr_assert(why && strstr(why, "tlsrig-agent-qemu-f405-sw-no-supported-curves-wolfssl") &&
                  strstr(why, "TLSRIG_WOLFSSL_CROSS_PROFILES"),
              "%s", why);
#endif
    free(want_id);
    json_decref(results);

    /* wolfSSL's own debug lines on the LOG channel. */
    char log[4400];
    snprintf(log, sizeof log, "%s/logs/%s-fixed.sw.wolfssl.log", out, GMAIL);
    char *text = e2e_slurp(log);
    cr_assert_not_null(text, "%s", log);
    cr_assert(strstr(text, "wolfSSL Entering wolfSSL_connect") != NULL, "%s", log);
    free(text);

    /* flash and RAM of the image, from arm-none-eabi-size, inside the F405's. */
    json_error_t err;
    json_t *size = json_load_file(image_file(".size.json"), 0, &err);
    cr_assert_not_null(size, "%s", err.text);
    json_int_t flash = json_integer_value(json_object_get(size, "flash_bytes"));
    cr_assert(flash > 0 && flash <= json_integer_value(json_object_get(size, "flash_total")));
    json_int_t sram = json_integer_value(json_object_get(size, "sram_bytes"));
    cr_assert(sram > 0 && sram + json_integer_value(json_object_get(size, "stack_reserved")) <=
                              json_integer_value(json_object_get(size, "sram_total")));
    json_decref(size);
}
