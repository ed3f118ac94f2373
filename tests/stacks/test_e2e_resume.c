/* Resumption (with tickets and without), PSK mode mismatch and the downgrade sentinel end to end
 * on the sim board, both stacks, sw (issue 17 psk13): the agent's second connection, the typed
 * `resumed` from its RESULT, the server's view of both connections, and the verdicts from typed
 * evidence. Four scenarios only, so that CI pays a few seconds. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"

static json_t *find_on(json_t *targets, const char *scenario, const char *stack)
{
    size_t i;
    json_t *r;
    json_array_foreach(targets, i, r)
    {
        const char *s = json_string_value(json_object_get(r, "scenario"));
        const char *st = json_string_value(json_object_get(r, "stack"));
        if (s && st && strcmp(s, scenario) == 0 && strcmp(st, stack) == 0)
            return r;
    }
    cr_assert_fail("no result for %s on %s", scenario, stack);
    return NULL;
}

static const char *str(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

Test(e2e_resume, resumption_mismatch_and_sentinel_on_both_stacks, .timeout = 300)
{
    char dir[512], out[600];
    e2e_tmpdir("stacks-resume", dir, sizeof dir);
    snprintf(out, sizeof out, "%s.out", dir);
    const char *args[] = {"run",
                          "--board",
                          "sim",
                          "--stack",
                          "all",
                          "--scenario",
                          "tls13-resumption",
                          "--scenario",
                          "tls13-resumption-no-tickets",
                          "--scenario",
                          "tls13-psk-mode-mismatch",
                          "--scenario",
                          "tls13-downgrade-sentinel",
                          "--out",
                          dir,
                          "--quiet",
                          NULL};
    cr_assert_eq(e2e_run(out, args), 0, "%s", e2e_slurp(out));
    json_t *targets = e2e_targets(e2e_results(dir));
    cr_assert_eq(json_array_size(targets), 8);
    size_t i;
    json_t *r;
    json_array_foreach(targets, i, r)
    {
        cr_assert(json_is_true(json_object_get(r, "expect_met")), "%s on %s: %s",
                  str(r, "scenario"), str(r, "stack"), str(r, "expect_detail"));
    }

    /* 3.6: a TLS 1.3 PSK resumption, seen by the agent and by the server's worker. */
    r = find_on(targets, "tls13-resumption", "mbedtls-3.6");
    cr_assert(json_is_true(json_object_get(r, "resumed")));
    cr_assert(json_is_true(json_object_get(r, "session_saved")));
    cr_assert_str_eq(str(r, "version"), "TLSv1.3");
    json_t *hs = json_object_get(json_object_get(r, "server"), "handshake");
    cr_assert(json_is_true(json_object_get(hs, "resumed")));
    cr_assert_str_eq(str(hs, "psk_mode"), "psk_dhe_ke");
    json_t *first = json_object_get(json_object_get(r, "server_first"), "handshake");
    cr_assert_not(json_is_true(json_object_get(first, "resumed")), "the first is full");
    cr_assert_geq(json_integer_value(json_object_get(first, "tickets_sent")), 1);
    /* 2.28: a TLS 1.2 ticket, the 2.28 server's view agrees. */
    r = find_on(targets, "tls13-resumption", "mbedtls-2.28");
    cr_assert(json_is_true(json_object_get(r, "resumed")));
    cr_assert_str_eq(str(r, "version"), "TLSv1.2");
    hs = json_object_get(json_object_get(r, "server"), "handshake");
    cr_assert(json_is_true(json_object_get(hs, "resumed")));

    /* No tickets: the second connection is a full handshake on both stacks (2.28 offers its
     * session id, which the server's no-cache setup does not know). Its data reaches the server:
     * a bridge that polled the first connection's socket once blocked the second (the fix). */
    const char *const stacks[] = {"mbedtls-2.28", "mbedtls-3.6"};
    for (size_t k = 0; k < 2; k++) {
        r = find_on(targets, "tls13-resumption-no-tickets", stacks[k]);
        cr_assert(json_is_false(json_object_get(r, "resumed")), "%s", stacks[k]);
        cr_assert_lt(json_real_value(json_object_get(r, "duration_ms")), 5000.0, "%s", stacks[k]);
    }
    first = json_object_get(
        json_object_get(find_on(targets, "tls13-resumption-no-tickets", "mbedtls-3.6"),
                        "server_first"),
        "handshake");
    cr_assert_eq(json_integer_value(json_object_get(first, "tickets_sent")), 0);

    /* 3.6 PSK-only client against a psk_dhe_ke-only server: refused, from typed evidence. */
    r = find_on(targets, "tls13-psk-mode-mismatch", "mbedtls-3.6");
    cr_assert_str_eq(str(r, "verdict"), "tls13-psk-mode-mismatch");
    cr_assert_not(json_is_true(json_object_get(r, "resumed")));
    json_t *dec = json_object_get(json_object_get(r, "server"), "decision");
    cr_assert_str_eq(str(dec, "psk"), "mode_mismatch");
    json_t *ev = json_object_get(r, "evidence");
    bool from_parse = false;
    json_array_foreach(ev, i, r)
    {
        from_parse |=
            strstr(json_string_value(r), "server's ClientHello parse: pre_shared_key") != NULL;
    }
    cr_assert(from_parse, "the evidence names the server's parse");

    /* The sentinel: 3.6 aborts with illegal_parameter; 2.28 does not look at it. */
    r = find_on(targets, "tls13-downgrade-sentinel", "mbedtls-3.6");
    cr_assert_str_eq(str(r, "verdict"), "tls13-downgrade-detected");
    cr_assert_eq(json_integer_value(json_object_get(r, "mbedtls_ret")), -0x6600);
    cr_assert_eq(json_integer_value(json_object_get(r, "alert_sent")), 47);
    cr_assert(json_is_true(json_object_get(json_object_get(r, "server"), "downgrade_sentinel")));
    r = find_on(targets, "tls13-downgrade-sentinel", "mbedtls-2.28");
    cr_assert_str_neq(str(r, "verdict"), "tls13-downgrade-detected");
    json_decref(targets);
}
