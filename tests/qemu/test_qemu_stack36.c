/* The mbedtls-3.6 stack on the QEMU STM32F405 firmware (docs/qemu.md, docs/stacks.md): the real
 * `tlsrig run --board qemu-f405 --stack mbedtls-3.6` boots the 3.6 image, checks its build id,
 * and runs a few catalog scenarios, two of them with expectations of their own on 3.6. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"

#define IMAGE "tlsrig-agent-qemu-f405-sw-full-mbedtls-3.6"

static char *image_file(const char *ext)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/images/%s%s", getenv("TLSRIG_BUILD_DIR"), IMAGE, ext);
    return path;
}

/* One boot, three scenarios: a happy handshake (the same on both stacks), a split handshake
 * message (3.6.3+ re-assembles it: `expect_stacks`) and a verification without a hostname
 * (3.6.3+ refuses it: `expect_stacks`). */
Test(qemu_e2e_m36, catalog_scenarios_meet_their_3_6_expectations, .timeout = 400)
{
    char out[4096], stdout_file[4200];
    e2e_tmpdir("qemu-m36", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s/stdout.txt", out);
    const char *args[] = {"run",
                          "--board",
                          "qemu-f405",
                          "--stack",
                          "mbedtls-3.6",
                          "--scenario",
                          "happy-ecdhe-rsa-aes128-gcm-p256",
                          "--scenario",
                          "hs-message-split-records",
                          "--scenario",
                          "google-no-sni-completes",
                          "--out",
                          out,
                          NULL};
    int rc = e2e_run(stdout_file, args);
    cr_assert_eq(rc, 0, "tlsrig exited %d: %s", rc, e2e_slurp(stdout_file));
    json_t *targets = e2e_targets(e2e_results(out));
    cr_assert_eq(json_array_size(targets), 3);

    char *want_id = e2e_slurp(image_file(".buildid"));
    cr_assert_not_null(want_id);
    want_id[strcspn(want_id, "\n")] = '\0';
    size_t i;
    json_t *r;
    json_array_foreach(targets, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "scenario"));
        cr_assert(json_is_true(json_object_get(r, "expect_met")), "%s", name);
        cr_assert_str_eq(json_string_value(json_object_get(r, "board")), "qemu-f405");
        cr_assert_str_eq(json_string_value(json_object_get(r, "stack")), "mbedtls-3.6");
        const char *version = json_string_value(json_object_get(r, "mbedtls_version"));
        cr_assert(version && strncmp(version, "3.6.", 4) == 0, "%s: %s", name, version);
        const json_t *agent = json_object_get(r, "agent");
        cr_assert_str_eq(json_string_value(json_object_get(agent, "build_id")), want_id);
        /* The 3.6 images keep the text debug log path (compact records wrap 2.28 only). */
        const json_t *link = json_object_get(r, "link");
        cr_assert_str_eq(json_string_value(json_object_get(link, "log_format")), "text", "%s",
                         name);
        /* Memory and instruction figures come from the firmware, inside its budget. */
        json_int_t heap = json_integer_value(json_object_get(r, "heap_peak"));
        cr_assert(heap > 0 && heap <= 65536, "%s: heap_peak %lld", name, (long long)heap);
        json_int_t stack = json_integer_value(json_object_get(r, "stack_peak"));
        cr_assert(stack > 0 && stack <= 16384, "%s: stack_peak %lld", name, (long long)stack);
        if (strcmp(name, "google-no-sni-completes") == 0) {
            cr_assert_str_eq(json_string_value(json_object_get(r, "verdict")), "hostname-not-set");
            cr_assert_not_null(json_object_get(r, "expect_stack_why"));
        } else {
            cr_assert_str_eq(json_string_value(json_object_get(r, "outcome")), "pass", "%s", name);
            cr_assert_gt(json_integer_value(json_object_get(r, "instructions")), 1000000);
        }
        if (strcmp(name, "hs-message-split-records") == 0) {
            cr_assert_not_null(json_object_get(r, "expect_stack_why"));
        }
    }
    free(want_id);
    json_decref(targets);

    char log[4400];
    snprintf(log, sizeof log, "%s/logs/happy-ecdhe-rsa-aes128-gcm-p256.sw.mbedtls-3.6.log", out);
    char *text = e2e_slurp(log);
    cr_assert_not_null(text, "%s", log);
    cr_assert_gt(strlen(text), 10000u, "a level-3 handshake log is longer");
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
