#define _POSIX_C_SOURCE 200809L
#include "run_records.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "infra_classify.h"
#include "proto.h"
#include "parity.h"
#include "result_diagnosis.h"

static const char *config_of(const scenario_t *s)
{
    return s->config ? s->config : "full";
}

static json_t *base(const scenario_t *s, const char *board, const char *backend,
                    const char *outcome)
{
    return json_pack("{ss ss ss ss ss ss sn sn sn sn sf ss}", "scenario", s->name, "kind",
                     s->kind == SCENARIO_REPLAY ? "replay" : "target", "board", board, "backend",
                     backend, "config", config_of(s), "outcome", outcome, "mbedtls_ret",
                     "mbedtls_error", "alert_received", "alert_sent", "duration_ms", 0.0, "log",
                     "");
}

json_t *run_result_infra(const scenario_t *s, const char *board, const char *backend,
                         const char *reason)
{
    json_t *r = base(s, board, backend, "infra-error");
    json_object_set_new(r, "infra_error", json_string(reason));
    return r;
}

json_t *run_result_skipped(const scenario_t *s, const char *board, const char *backend,
                           const char *why)
{
    json_t *r = base(s, board, backend, "skipped");
    json_object_set_new(r, "skip_reason", json_string(why));
    /* Not tested: never counted as met. */
    json_object_set_new(r, "expect_met", json_false());
    return r;
}

json_t *run_result_not_run(const scenario_t *s, const char *board, const char *backend,
                           const char *why)
{
    json_t *r = base(s, board, backend, "not-run");
    json_object_set_new(r, "not_run_reason", json_string(why));
    json_object_set_new(r, "expect_met", json_false());
    return r;
}

json_t *run_result_selftest(target_session_t *ts, bool bench)
{
    char err[512];
    json_t *r;
    json_t *st_json = agent_selftest(&ts->link, 60000, err, sizeof err);
    if (!st_json && agent_rpc_last_failure() == AGENT_RPC_REFUSED &&
        agent_rpc_last_status() == ST_ERR_UNSUPPORTED) {
        /* issue 18 wolfagent: an image that has no self-tests (the wolfssl stack: they are
         * written against mbedTLS) says so: a skip with the agent's reason, never a pass. */
        r = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:f, s:n, s:n, s:n, s:n}",
                      "scenario", "crypto-selftest", "kind", "selftest", "board", ts->board->name,
                      "backend", ts->expected_backend, "config", ts->expected_config, "outcome",
                      "skipped", "skip_reason", err, "expect_met", 1, "log", "", "duration_ms", 0.0,
                      "mbedtls_ret", "mbedtls_error", "alert_received", "alert_sent");
        json_object_set_new(r, "bench_status", json_string("not available on this stack"));
        json_object_set_new(r, "run_id", json_string("crypto-selftest"));
        return r;
    }
    if (!st_json) {
        r = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:f, s:n, s:n, s:n, s:n}",
                      "scenario", "crypto-selftest", "kind", "selftest", "board", ts->board->name,
                      "backend", ts->expected_backend, "config", ts->expected_config, "outcome",
                      "infra-error", "infra_error", err, "expect_met", 0, "log", "", "duration_ms",
                      0.0, "mbedtls_ret", "mbedtls_error", "alert_received", "alert_sent");
        result_set_infra(r, infra_classify_rpc(ts->flasher, &ts->handle, agent_rpc_last_failure()),
                         err);
    } else {
        r = parity_selftest_result(ts->board->name, ts->expected_backend, ts->expected_config,
                                   st_json, ts->fault[0] ? ts->fault : NULL);
        json_decref(st_json);
        /* The known-answer tests always; the micro-benchmark on request
         * (--bench): it is a measurement, not a check, and costs time. */
        json_t *bench_json = bench ? agent_bench(&ts->link, 60000, err, sizeof err) : NULL;
        if (bench_json) {
            parity_attach_bench(r, bench_json);
            json_decref(bench_json);
            json_object_set_new(r, "bench_status", json_string("measured"));
        } else {
            /* issue 18 wolfint: an image without benchmarks (the wolfssl stack) says so: a
             * skip with the agent's reason, not a failure and never a measurement. */
            bool unsupported = bench && agent_rpc_last_failure() == AGENT_RPC_REFUSED &&
                               agent_rpc_last_status() == ST_ERR_UNSUPPORTED;
            char status[600];
            snprintf(status, sizeof status, "%s%s",
                     !bench        ? "not requested (tlsrig run --bench measures it)"
                     : unsupported ? "skipped: "
                                   : "failed: ",
                     bench ? err : "");
            json_object_set_new(r, "bench_status", json_string(status));
        }
        bool ok = strcmp(json_string_value(json_object_get(r, "outcome")), "pass") == 0;
        json_object_set_new(r, "expect_met", json_boolean(ok));
        if (!ok) {
            char detail[600];
            snprintf(detail, sizeof detail, "crypto self-tests failed: %s",
                     json_string_value(json_object_get(r, "diverged")));
            json_object_set_new(r, "expect_detail", json_string(detail));
        }
    }
    json_object_set_new(r, "run_id", json_string("crypto-selftest"));
    return r;
}

json_t *run_end_record(bool complete, const char *reason, int exit_code, size_t results,
                       size_t not_run)
{
    char now[64];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_pack("{ss sb ss si sI sI ss}", "record", "run-end", "complete", complete, "reason",
                     reason, "exit_code", exit_code, "results", (json_int_t)results, "not_run",
                     (json_int_t)not_run, "ended_at", now);
}
