/* Per-stack expectations (expect_stacks, docs/stacks.md): loaded and checked with file, line
 * and key; the result's stack picks its expectation and the result names why; a run plan
 * refuses stacks a board has no images for. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "expect.h"
#include "scenario.h"

#define BASE                                                                                       \
    "name: split\n"                                                                                \
    "server:\n  profile: default\n"                                                                \
    "client:\n  sni: localhost\n"                                                                  \
    "expect:\n  outcome: fail\n  error: MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE\n"

static scenario_t *load(const char *text, char *err, size_t errlen)
{
    return scenario_load_text("/tmp/split.yaml", text, strlen(text), err, errlen);
}

static json_t *result(const char *stack, const char *outcome, int ret)
{
    json_t *r =
        json_pack("{ss ss si}", "scenario", "split", "outcome", outcome, "mbedtls_ret", ret);
    if (stack) {
        json_object_set_new(r, "stack", json_string(stack));
    }
    return r;
}

Test(stack_expect, the_results_stack_picks_its_expectation)
{
    char err[512] = "";
    scenario_t *s = load(BASE "expect_stacks:\n"
                              "  - stack: mbedtls-3.6\n"
                              "    why: 3.6.3 reassembles split handshake messages\n"
                              "    expect: {outcome: pass}\n",
                         err, sizeof err);
    cr_assert(s != NULL, "%s", err);
    /* 2.28 (and a result without stack) keeps `expect`: the pass is unmet there. */
    json_t *old = result(NULL, "pass", 0), *m28 = result("mbedtls-2.28", "fail", -0x7080),
           *m36 = result("mbedtls-3.6", "pass", 0),
           *m36_fail = result("mbedtls-3.6", "fail", -0x7080);
    cr_assert_not(expect_evaluate(s, old));
    cr_assert(expect_evaluate(s, m28));
    cr_assert_null(json_object_get(m28, "expect_stack_why"));
    cr_assert(expect_evaluate(s, m36));
    cr_assert_str_eq(json_string_value(json_object_get(m36, "expect_stack_why")),
                     "3.6.3 reassembles split handshake messages");
    cr_assert_not(expect_evaluate(s, m36_fail), "3.6's own expectation is not a looser one");
    json_decref(old);
    json_decref(m28);
    json_decref(m36);
    json_decref(m36_fail);
    scenario_free(s);
}

Test(stack_expect, alerts_default_to_not_asserted_per_stack)
{
    char err[512] = "";
    scenario_t *s = load(BASE "expect_stacks:\n"
                              "  - stack: mbedtls-3.6\n"
                              "    why: differs\n"
                              "    expect: {outcome: fail, error: \"-0x5D80\", alert_sent: 40}\n",
                         err, sizeof err);
    cr_assert(s != NULL, "%s", err);
    cr_assert_eq(s->expect_stacks[0].expect.alert_received, -1);
    cr_assert_eq(s->expect_stacks[0].expect.alert_sent, 40);
    cr_assert_eq(s->expect_stacks[0].expect.error_code, -0x5D80);
    scenario_free(s);
}

static void refused(const char *tail, const char *key, const char *why)
{
    char text[1024], err[512] = "";
    snprintf(text, sizeof text, "%s%s", BASE, tail);
    scenario_t *s = load(text, err, sizeof err);
    cr_assert_null(s, "accepted: %s", tail);
    cr_assert(strstr(err, key) != NULL, "no key %s in: %s", key, err);
    cr_assert(strstr(err, why) != NULL, "no '%s' in: %s", why, err);
    cr_assert(strstr(err, "/tmp/split.yaml:") != NULL, "%s", err);
}

Test(stack_expect, bad_entries_are_refused_by_key)
{
    refused("expect_stacks:\n  - {stack: mbedtls-3.5, why: x, expect: {outcome: pass}}\n",
            "expect_stacks.0.stack", "not a stack");
    refused("expect_stacks:\n  - {stack: mbedtls-2.28, why: x, expect: {outcome: pass}}\n",
            "expect_stacks.0.stack", "default stack");
    refused("expect_stacks:\n  - {stack: mbedtls-3.6, why: x, expect: {outcome: pass}}\n"
            "  - {stack: mbedtls-3.6, why: y, expect: {outcome: fail}}\n",
            "expect_stacks.1.stack", "twice");
    refused("expect_stacks:\n  - {stack: mbedtls-3.6, why: \"\", expect: {outcome: pass}}\n",
            "expect_stacks.0.why", "say why");
    refused("expect_stacks:\n  - {stack: mbedtls-3.6, why: x, expect: {outcome: maybe}}\n",
            "expect_stacks.0.expect.outcome", "not pass or fail");
}
