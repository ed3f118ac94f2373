#include "expect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mbedtls_error_names.h"
#include "server_view.h"

static void add(char *buf, size_t cap, const char *text)
{
    size_t used = strlen(buf);
    snprintf(buf + used, cap - used, "%s%s", used ? "; " : "", text);
}

static int json_int_or(json_t *o, const char *key, int dflt)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

static json_int_t json_uint_or(json_t *o, const char *key, json_int_t dflt)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) && json_integer_value(v) >= 0 ? json_integer_value(v) : dflt;
}

/* Bring-up expectations, from typed fields only: HELLO's clock source (in
 * result.agent), the RESULT's byte counters and duration, and the run's
 * self-test of this image (result.selftest_outcome, set by scenario_exec). */
static void expect_board(const scenario_expect_t *e, json_t *result, char *detail, size_t cap)
{
    char line[256];
    if (e->clock_source) {
        const char *got =
            json_string_value(json_object_get(json_object_get(result, "agent"), "clock_source"));
        if (!got || strcmp(got, e->clock_source) != 0) {
            snprintf(line, sizeof line, "expected clock source %s, HELLO said %s", e->clock_source,
                     got ? got : "nothing");
            add(detail, cap, line);
        }
    }
    if (e->min_goodput_bps > 0) {
        json_int_t bytes = json_uint_or(result, "bytes_in", -1);
        json_int_t out = json_uint_or(result, "bytes_out", -1);
        json_int_t us = json_uint_or(result, "target_duration_us", -1);
        if (bytes < 0 || out < 0 || us <= 0) {
            add(detail, cap, "expected a goodput, but the RESULT has no byte counts or duration");
        } else {
            double bps = (double)(bytes + out) * 1e6 / (double)us;
            json_object_set_new(result, "goodput_bps", json_real(bps));
            if (bps < (double)e->min_goodput_bps) {
                snprintf(line, sizeof line, "expected a goodput of at least %u B/s, got %.0f B/s",
                         e->min_goodput_bps, bps);
                add(detail, cap, line);
            }
        }
    }
    if (e->selftest) {
        const char *got = json_string_value(json_object_get(result, "selftest_outcome"));
        if (!got || strcmp(got, e->selftest) != 0) {
            snprintf(line, sizeof line, "expected this image's crypto self-test to %s, got %s",
                     e->selftest, got ? got : "no self-test");
            add(detail, cap, line);
        }
    }
}

/* issue 17 cfgfile: the server name the scenario gives the client must reach the server (its
 * parsed ClientHello, typed): a build without SNI would otherwise pass handshakes that do
 * not test what the scenario says. */
static void expect_sni_sent(const scenario_t *s, json_t *result, char *detail, size_t cap)
{
    const char *want = s->client.sni;
    const json_t *sj = json_object_get(result, "server");
    if (s->kind == SCENARIO_REPLAY || !want || strcmp(want, "none") == 0 || !json_is_object(sj)) {
        return;
    }
    server_view_t *v = malloc(sizeof *v);
    if (v && server_view_from_json(sj, v) == 0 && v->has_clienthello && !v->sni_sent) {
        char line[300];
        snprintf(line, sizeof line,
                 "expected the ClientHello to carry server_name %.120s (client.sni), the server "
                 "received none",
                 want);
        add(detail, cap, line);
    }
    free(v);
}

/* The negotiated version (the agent's RESULT) and the server's HelloRetryRequest (its view's
 * typed handshake member, written by the TLS 1.3 worker's result; absent = none sent). */
static void expect_tls13(const scenario_expect_t *e, json_t *result, char *detail, size_t cap)
{
    char line[256];
    const char *got = json_string_value(json_object_get(result, "version"));
    if (e->version && (!got || strcmp(got, e->version) != 0)) {
        snprintf(line, sizeof line, "expected version %s, got %s", e->version, got ? got : "none");
        add(detail, cap, line);
    }
    if (e->resumed) {
        /* The agent's RESULT: the second connection skipped the server's Certificate. */
        json_t *got_r = json_object_get(result, "resumed");
        if (!json_is_boolean(got_r) || json_is_true(got_r) != *e->resumed) {
            snprintf(line, sizeof line, "expected resumed %s, the agent's result said %s",
                     *e->resumed ? "true" : "false",
                     !json_is_boolean(got_r) ? "nothing (no second connection)"
                     : json_is_true(got_r)   ? "true"
                                             : "false");
            add(detail, cap, line);
        }
    }
    if (e->hello_retry) {
        json_t *hs = json_object_get(json_object_get(result, "server"), "handshake");
        bool sent = json_is_true(json_object_get(hs, "hello_retry_sent"));
        if (sent != (strcmp(e->hello_retry, "sent") == 0)) {
            snprintf(line, sizeof line, "expected HelloRetryRequest %s, the server's was %s",
                     e->hello_retry, sent ? "sent" : "none");
            add(detail, cap, line);
        }
    }
}

bool expect_evaluate(const scenario_t *s, json_t *result)
{
    const char *outcome = json_string_value(json_object_get(result, "outcome"));
    /* The result's stack picks the expectation; a stack's own one is named in the result. */
    const char *why = NULL;
    const scenario_expect_t *e =
        scenario_expect_for(s, json_string_value(json_object_get(result, "stack")), &why);
    if (why) {
        json_object_set_new(result, "expect_stack_why", json_string(why));
    }
    char detail[1024] = "";
    char line[256];
    if (!outcome || strcmp(outcome, "infra-error") == 0) {
        add(detail, sizeof detail, "infrastructure error: the scenario did not run to its end");
    } else if (strcmp(outcome, "skipped") == 0) {
        json_object_set_new(result, "expect_met", json_true());
        return true;
    } else {
        if (strcmp(outcome, e->outcome) != 0) {
            snprintf(line, sizeof line, "expected outcome %s, got %s", e->outcome, outcome);
            add(detail, sizeof detail, line);
        }
        int ret = json_int_or(result, "mbedtls_ret", 0);
        /* expect.error was resolved to its code when the scenario was loaded. */
        if (e->error && ret != e->error_code) {
            char got[160];
            snprintf(line, sizeof line, "expected error %s, got %s", e->error,
                     ret ? mbedtls_error_name(ret, got, sizeof got) : "none");
            add(detail, sizeof detail, line);
        }
        if (e->alert_received >= 0 &&
            json_int_or(result, "alert_received", -1) != e->alert_received) {
            snprintf(line, sizeof line, "expected alert %d received, got %d", e->alert_received,
                     json_int_or(result, "alert_received", -1));
            add(detail, sizeof detail, line);
        }
        if (e->alert_sent >= 0 && json_int_or(result, "alert_sent", -1) != e->alert_sent) {
            snprintf(line, sizeof line, "expected alert %d sent, got %d", e->alert_sent,
                     json_int_or(result, "alert_sent", -1));
            add(detail, sizeof detail, line);
        }
        const char *verdict = json_string_value(json_object_get(result, "verdict"));
        if (e->verdict && (!verdict || strcmp(verdict, e->verdict) != 0)) {
            snprintf(line, sizeof line, "expected verdict %s, got %s", e->verdict,
                     verdict ? verdict : "none");
            add(detail, sizeof detail, line);
        }
        expect_board(e, result, detail, sizeof detail);
        expect_sni_sent(s, result, detail, sizeof detail);
        expect_tls13(e, result, detail, sizeof detail);
        const char *answer = json_string_value(json_object_get(result, "answer"));
        if (e->answer && (!answer || strcmp(answer, e->answer) != 0)) {
            snprintf(line, sizeof line, "expected server answer %s, got %s", e->answer,
                     answer ? answer : "none");
            add(detail, sizeof detail, line);
        }
    }
    bool met = detail[0] == '\0';
    json_object_set_new(result, "expect_met", json_boolean(met));
    if (!met) {
        json_object_set_new(result, "expect_detail", json_string(detail));
    }
    return met;
}
