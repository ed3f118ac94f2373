/* The stack dimension (docs/stacks.md): --stack parsing, the names that keep stacks apart
 * (image suffix, result keys, JUnit class names, report labels), completeness per stack, and
 * compare refusing to pair results of different stacks. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junit.h"
#include "report_model.h"
#include "run_compare.h"
#include "run_completeness.h"
#include "stacks.h"

Test(stacks, all_expands_to_every_stack_in_order)
{
    const char *out[STACK_MAX];
    size_t n = 0;
    char err[256];
    cr_assert_eq(stack_parse_list("all", out, &n, err, sizeof err), 0);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(out[0], "mbedtls-2.28");
    cr_assert_str_eq(out[1], "mbedtls-3.6");
}

Test(stacks, list_keeps_order_and_drops_duplicates)
{
    const char *out[STACK_MAX];
    size_t n = 0;
    char err[256];
    cr_assert_eq(stack_parse_list("mbedtls-3.6,mbedtls-2.28,mbedtls-3.6", out, &n, err, sizeof err),
                 0);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(out[0], "mbedtls-3.6");
    cr_assert_str_eq(out[1], "mbedtls-2.28");
}

Test(stacks, unknown_or_empty_names_are_refused_by_name)
{
    const char *out[STACK_MAX];
    size_t n = 0;
    char err[256];
    cr_assert_eq(stack_parse_list("mbedtls-3.5", out, &n, err, sizeof err), -1);
    cr_assert(strstr(err, "'mbedtls-3.5'") != NULL, "%s", err);
    cr_assert_eq(stack_parse_list("mbedtls-2.28,", out, &n, err, sizeof err), -1);
    cr_assert_eq(stack_parse_list("", out, &n, err, sizeof err), -1);
}

Test(stacks, versions_map_to_their_stack)
{
    cr_assert_str_eq(stack_of_version("2.28.3"), "mbedtls-2.28");
    cr_assert_str_eq(stack_of_version("3.6.6"), "mbedtls-3.6");
    cr_assert_null(stack_of_version("3.5.0"));
    cr_assert_null(stack_of_version(NULL));
    cr_assert_str_eq(stack_or_default(NULL), "mbedtls-2.28");
    cr_assert_str_eq(stack_image_suffix("mbedtls-2.28"), "");
    cr_assert_str_eq(stack_image_suffix("mbedtls-3.6"), "-mbedtls-3.6");
}

/* Which firmwares have images of which stack: the sim, QEMU and NUCLEO ports build 3.6, a port
 * of one's own has 2.28 images only (the default stack is never refused). */
Test(stacks, firmwares_with_3_6_images)
{
    static const char *const with[] = {"sim", "qemu-f405", "nucleo-f439zi"};
    for (size_t i = 0; i < 3; i++) {
        cr_assert(stack_firmware_has_images("mbedtls-3.6", with[i]), "%s", with[i]);
        cr_assert(strstr(stack_firmwares_all_stacks, with[i]) != NULL, "%s", with[i]);
    }
    cr_assert_not(stack_firmware_has_images("mbedtls-3.6", "my-f407-port"));
    cr_assert_not(stack_firmware_has_images("mbedtls-3.6", "qemu-f40"));
    cr_assert_not(stack_firmware_has_images("mbedtls-3.6", NULL));
    cr_assert(stack_firmware_has_images("mbedtls-2.28", "my-f407-port"));
}

/* issue 18 wolfint, wolfqemu: wolfSSL hw images (crypto callbacks on the STM32 drivers) exist on
 * the sim (models) and the NUCLEO (engines), not on QEMU's F405 (no CRYP/HASH); the mbedTLS
 * stacks have hw images wherever they have images. */
Test(stacks, firmwares_with_wolfssl_hw_images)
{
    cr_assert(stack_firmware_has_hw_images("wolfssl", "sim"));
    cr_assert_not(stack_firmware_has_hw_images("wolfssl", "qemu-f405"));
    cr_assert(stack_firmware_has_hw_images("wolfssl", "nucleo-f439zi"));
    cr_assert_not(stack_firmware_has_hw_images("wolfssl", "my-f407-port"));
    cr_assert_not(stack_firmware_has_hw_images("wolfssl", NULL));
    cr_assert(stack_firmware_has_hw_images("mbedtls-3.6", "nucleo-f439zi"));
    cr_assert_not(stack_firmware_has_hw_images("mbedtls-3.6", "my-f407-port"));
    cr_assert(stack_firmware_has_hw_images("mbedtls-2.28", "my-f407-port"));
}

static json_t *result(const char *scenario, const char *stack, bool met)
{
    json_t *r = json_pack("{ss ss ss ss ss sb sf}", "scenario", scenario, "kind", "target", "board",
                          "sim", "backend", "sw", "outcome", met ? "pass" : "fail", "expect_met",
                          met, "duration_ms", 10.0);
    if (stack) {
        json_object_set_new(r, "stack", json_string(stack));
    }
    return r;
}

Test(stacks, result_keys_and_labels_keep_stacks_apart)
{
    json_t *old = result("happy", NULL, true), *a = result("happy", "mbedtls-2.28", true),
           *b = result("happy", "mbedtls-3.6", true);
    char k_old[256], k_a[256], k_b[256], label[64];
    rm_key(old, k_old, sizeof k_old);
    rm_key(a, k_a, sizeof k_a);
    rm_key(b, k_b, sizeof k_b);
    cr_assert_str_eq(k_old, k_a, "a result from before stacks is a 2.28 result");
    cr_assert_str_neq(k_a, k_b);
    cr_assert_str_eq(rm_backend_label(a, label, sizeof label), "sw");
    cr_assert_str_eq(rm_backend_label(b, label, sizeof label), "sw mbedtls-3.6");
    json_decref(old);
    json_decref(a);
    json_decref(b);
}

Test(stacks, compare_refuses_runs_of_different_stacks)
{
    json_t *base = json_array(), *cur = json_array();
    json_array_append_new(base, result("happy", NULL, true));
    json_array_append_new(cur, result("happy", "mbedtls-3.6", false));
    char err[512] = "";
    cr_assert_eq(compare_stacks_check(base, cur, err, sizeof err), -1);
    cr_assert(strstr(err, "baseline: mbedtls-2.28") && strstr(err, "new: mbedtls-3.6"), "%s", err);
    json_decref(base);
    json_decref(cur);
}

Test(stacks, compare_pairs_each_stack_with_itself)
{
    json_t *base = json_array(), *cur = json_array();
    json_array_append_new(base, result("happy", "mbedtls-2.28", true));
    json_array_append_new(base, result("happy", "mbedtls-3.6", true));
    json_array_append_new(cur, result("happy", "mbedtls-2.28", true));
    json_array_append_new(cur, result("happy", "mbedtls-3.6", false));
    char err[512] = "";
    cr_assert_eq(compare_stacks_check(base, cur, err, sizeof err), 0, "%s", err);
    compare_opts_t o;
    compare_opts_default(&o);
    json_t *c = compare_results(base, cur, &o);
    /* Only the 3.6 result regressed, and it is named as such. */
    cr_assert_eq(json_integer_value(json_object_get(c, "regressions")), 1);
    const json_t *nf = json_array_get(json_object_get(c, "new_failures"), 0);
    char *text = json_dumps(nf, JSON_COMPACT);
    cr_assert(strstr(text, "mbedtls-3.6") != NULL, "%s", text);
    free(text);
    cr_assert_eq(json_array_size(json_object_get(c, "missing")), 0);
    json_decref(c);
    json_decref(base);
    json_decref(cur);
}

Test(stacks, junit_class_names_carry_the_stack)
{
    json_t *results = json_array();
    json_array_append_new(results, result("happy", "mbedtls-2.28", true));
    json_array_append_new(results, result("happy", "mbedtls-3.6", true));
    char *xml = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&xml, &len);
    cr_assert(f != NULL);
    junit_emit(f, "/nonexistent", results);
    fclose(f);
    /* 2.28 keeps today's class name; 3.6 adds its stack, dots as '_' (package separator). */
    cr_assert(strstr(xml, "classname=\"sim.sw.?\" name=\"happy\"") != NULL, "%s", xml);
    cr_assert(strstr(xml, "classname=\"sim.sw.?.mbedtls-3_6\" name=\"happy\"") != NULL, "%s", xml);
    cr_assert(strstr(xml, "happy #2") == NULL, "two stacks are two names, not repeats: %s", xml);
    free(xml);
    json_decref(results);
}

Test(stacks, completeness_counts_each_stack_on_its_own)
{
    /* Planned: happy on both stacks; recorded: only the 2.28 one. */
    json_t *records = json_array();
    json_array_append_new(
        records, json_pack("{ss ss s[{ss ss ss ss ss si}{ss ss ss ss ss si}]}", "record",
                           "run-start", "board", "sim", "planned", "scenario", "happy", "kind",
                           "target", "stack", "mbedtls-2.28", "backend", "sw", "config", "full",
                           "runs", 1, "scenario", "happy", "kind", "target", "stack", "mbedtls-3.6",
                           "backend", "sw", "config", "full", "runs", 1));
    json_array_append_new(records, json_pack("{ss}", "record", "run-end"));
    json_t *results = json_array();
    json_array_append_new(results, result("happy", "mbedtls-2.28", true));
    json_t *c = run_completeness(results, records, 0);
    cr_assert(c != NULL);
    cr_assert_eq(json_array_size(results), 2, "the 3.6 run is accounted for as not-run");
    const json_t *added = json_array_get(results, 1);
    cr_assert_str_eq(json_string_value(json_object_get(added, "outcome")), "not-run");
    cr_assert_str_eq(json_string_value(json_object_get(added, "stack")), "mbedtls-3.6");
    json_decref(c);
    json_decref(results);
    json_decref(records);
}

/* issue 18 wolfagent: the wolfssl stack's names and rules. */
Test(stacks, wolfssl_is_named_on_its_own_and_all_stays_mbedtls)
{
    const char *out[STACK_MAX];
    size_t n = 0;
    char err[256];
    cr_assert_eq(stack_parse_list("wolfssl,mbedtls-2.28", out, &n, err, sizeof err), 0);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(out[0], "wolfssl");
    cr_assert_eq(stack_parse_list("all", out, &n, err, sizeof err), 0);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_neq(out[i], "wolfssl");
    }
    cr_assert_eq(stack_parse_list("wolfssl-5.5", out, &n, err, sizeof err), -1);
    cr_assert(strstr(err, "wolfssl") != NULL, "%s", err);
    cr_assert_str_eq(stack_image_suffix("wolfssl"), "-wolfssl");
    cr_assert_str_eq(stack_of_version("5.7.2"), "wolfssl");
    cr_assert_str_eq(stack_of_agent("wolfssl", ""), "wolfssl");
    cr_assert_str_eq(stack_of_agent("", "3.6.6"), "mbedtls-3.6");
    cr_assert_null(stack_of_agent("boringssl", "2.28.3"));
    /* issue 18 wolfqemu: the Cortex-M ports build wolfSSL images too, a port of one's own
     * does not. */
    cr_assert(stack_firmware_has_images("wolfssl", "sim"));
    cr_assert(stack_firmware_has_images("wolfssl", "qemu-f405"));
    cr_assert(stack_firmware_has_images("wolfssl", "nucleo-f439zi"));
    cr_assert_not(stack_firmware_has_images("wolfssl", "my-f407-port"));
    cr_assert_not(stack_firmware_has_images("wolfssl", NULL));
    cr_assert_str_eq(stack_firmwares_of("wolfssl"), "sim, qemu-f405, nucleo-f439zi");
}

Test(stacks, wolfssl_error_codes_parse_as_negative_decimals)
{
    int code = 0;
    cr_assert_eq(stack_error_parse("wolfssl", "-313", &code), 1);
    cr_assert_eq(code, -313);
    cr_assert_eq(stack_error_parse("wolfssl", "313", &code), 0);
    cr_assert_eq(stack_error_parse("wolfssl", "-0x139", &code), 0);
    cr_assert_eq(stack_error_parse("wolfssl", "MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE", &code), 0);
    cr_assert_eq(stack_error_parse("mbedtls-2.28", "-313", &code), -1);
}
