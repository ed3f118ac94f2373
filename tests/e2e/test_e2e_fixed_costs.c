/* Fixed costs of a run on the sim target (issue 16), judged by the run's own
 * records against the scenarios' own configuration, never by a wall clock:
 * a timeout scenario lasts its client's timeout, not a server delay behind
 * it; a delay shorter than the timeout is still waited in full; the
 * micro-benchmark runs only with --bench and says so otherwise. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_util.h"
#include "scenario.h"

static unsigned read_timeout_of(const char *name)
{
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/fixtures/scenarios/%s.yaml", getenv("TLSRIG_SOURCE_DIR"), name);
    scenario_t *s = scenario_load_file(path, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    unsigned t = s->client.read_timeout_ms;
    scenario_free(s);
    cr_assert_gt(t, 0, "%s has no read_timeout_ms", name);
    return t;
}

/* The delay the server applied, as its view recorded it ("delay N ms ..."). */
static double recorded_delay_ms(const json_t *r)
{
    const char *applied =
        json_string_value(json_object_get(json_object_get(r, "server"), "impairments"));
    cr_assert_not_null(applied, "no server view");
    unsigned ms = 0;
    cr_assert_eq(sscanf(applied, "delay %u ms", &ms), 1, "impairments: %s", applied);
    return ms;
}

static double server_ms(const json_t *r)
{
    const json_t *v = json_object_get(r, "server");
    return (double)(json_integer_value(json_object_get(v, "ended_us")) -
                    json_integer_value(json_object_get(v, "started_us"))) /
           1000.0;
}

Test(e2e_fixed_costs, timeouts_last_as_long_as_the_client_waits, .timeout = 120)
{
    char out[4096], stdout_file[4200];
    e2e_tmpdir("fixed-costs-timeouts", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *args[] = {"run",        "--board",        "sim",   "--scenario", "server-stalls",
                          "--scenario", "delayed-flight", "--out", out,          NULL};
    int rc = e2e_run(stdout_file, args);
    cr_assert_eq(rc, 0, "tlsrig run exited %d (see %s)", rc, stdout_file);
    json_t *all = e2e_results(out);

    /* server-stalls: the server delays longer than the client waits. */
    json_t *stall = e2e_find(all, "server-stalls");
    cr_assert_not_null(stall);
    double timeout = read_timeout_of("server-stalls"), delay = recorded_delay_ms(stall);
    double took = json_number_value(json_object_get(stall, "duration_ms"));
    cr_assert_gt(delay, timeout, "the fixture must delay beyond the client's timeout");
    cr_expect_geq(took, timeout, "the client waited its read timeout");
    cr_expect_lt(took, delay, "took %.0f ms: waited out the server's %.0f ms delay", took, delay);
    cr_expect_lt(server_ms(stall), delay, "the server's connection outlived the client");
    const char *applied =
        json_string_value(json_object_get(json_object_get(stall, "server"), "impairments"));
    cr_expect(strstr(applied, "delay cut short") != NULL, "impairments: %s", applied);

    /* delayed-flight: a delay within the client's timeout is waited in full. */
    json_t *delayed = e2e_find(all, "delayed-flight");
    cr_assert_not_null(delayed);
    delay = recorded_delay_ms(delayed);
    cr_assert_lt(delay, read_timeout_of("delayed-flight"));
    cr_expect_str_eq(json_string_value(json_object_get(delayed, "outcome")), "pass");
    cr_expect_geq(json_number_value(json_object_get(delayed, "duration_ms")), delay);
    applied = json_string_value(json_object_get(json_object_get(delayed, "server"), "impairments"));
    cr_expect(strstr(applied, "cut short") == NULL, "impairments: %s", applied);
    json_decref(all);
}

static const char *bench_status(json_t *all)
{
    json_t *st = e2e_find(all, "crypto-selftest");
    cr_assert_not_null(st, "no self-test result");
    cr_expect_str_eq(json_string_value(json_object_get(st, "outcome")), "pass");
    return json_string_value(json_object_get(st, "bench_status"));
}

/* One run of the happy scenario, every expectation met, into a fresh folder named after tag;
 * its console output in stdout_file. */
static void run_happy(const char *tag, char out[4096], char stdout_file[4200])
{
    e2e_tmpdir(tag, out, 4096);
    snprintf(stdout_file, 4200, "%s.stdout", out);
    const char *args[] = {
        "run",   "--board", "sim", "--scenario", "happy-ecdhe-rsa-aes128-gcm-p256",
        "--out", out,       NULL};
    cr_assert_eq(e2e_run(stdout_file, args), 0, "see %s", stdout_file);
}

Test(e2e_fixed_costs, bench_only_on_request, .timeout = 120)
{
    char out[4096], stdout_file[4200];
    run_happy("fixed-costs-nobench", out, stdout_file);
    json_t *all = e2e_results(out);
    const char *status = bench_status(all);
    cr_expect(status && strncmp(status, "not requested", 13) == 0, "bench_status: %s", status);
    cr_expect_null(json_object_get(e2e_find(all, "crypto-selftest"), "bench"));
    cr_expect_gt(json_array_size(json_object_get(e2e_find(all, "crypto-selftest"), "selftest")), 0,
                 "the known-answer tests ran");
    char *text = e2e_slurp(stdout_file);
    cr_expect(strstr(text, "bench: not requested") != NULL, "console: %s", text);
    free(text);
    json_decref(all);

    e2e_tmpdir("fixed-costs-bench", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *bench[] = {
        "run",   "--board", "sim",     "--scenario", "happy-ecdhe-rsa-aes128-gcm-p256",
        "--out", out,       "--bench", NULL};
    cr_assert_eq(e2e_run(stdout_file, bench), 0, "see %s", stdout_file);
    all = e2e_results(out);
    cr_expect_str_eq(bench_status(all), "measured");
    cr_expect_gt(json_object_size(json_object_get(e2e_find(all, "crypto-selftest"), "bench")), 0);
    text = e2e_slurp(stdout_file);
    cr_expect(strstr(text, "bench (config full)") != NULL, "console: %s", text);
    free(text);
    json_decref(all);
}

/* The agent keeps its trust list: a scenario right after one with the same
 * list reuses it, one after a different list sends its own, and both
 * verdicts stay right (unknown-ca still fails on the other root). */
Test(e2e_fixed_costs, trust_list_sent_only_when_it_changes, .timeout = 120)
{
    char out[4096], stdout_file[4200];
    e2e_tmpdir("fixed-costs-trust", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *args[] = {"run",        "--board",  "sim", "--scenario", "trusted-ca", "--scenario",
                          "unknown-ca", "--repeat", "2",   "--out",      out,          NULL};
    cr_assert_eq(e2e_run(stdout_file, args), 0, "every expectation met (see %s)", stdout_file);
    json_t *targets = e2e_targets(e2e_results(out));
    cr_assert_eq(json_array_size(targets), 4);
    const char *prev = NULL;
    size_t i;
    json_t *r;
    json_array_foreach(targets, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "scenario"));
        const char *how = json_string_value(json_object_get(r, "trust_upload"));
        cr_assert_not_null(how, "%s: no trust_upload", name);
        bool same = prev && strcmp(prev, name) == 0;
        cr_expect_str_eq(how, same ? "reused" : "sent", "result %zu (%s after %s)", i, name,
                         prev ? prev : "nothing");
        prev = name;
    }
    json_decref(targets);
}

/* The capture folder of scenario's result in results (a path into results' memory). */
static const char *capture_dir_of(json_t *results, const char *scenario)
{
    json_t *r = e2e_find(results, scenario);
    cr_assert_not_null(r, "no result for %s", scenario);
    const char *dir =
        json_string_value(json_object_get(json_object_get(r, "server"), "capture_dir"));
    cr_assert_not_null(dir, "%s: no capture_dir", scenario);
    return dir;
}

/* server.log of one run at a server debug level: the text, and the level the run recorded. */
static char *server_log_at(const char *level, json_int_t *recorded)
{
    char out[4096], stdout_file[4200], path[4400];
    char name[64];
    snprintf(name, sizeof name, "fixed-costs-server-debug-%s", level ? level : "default");
    e2e_tmpdir(name, out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    const char *with[] = {"run", "--board",        "sim", "--scenario", "unknown-ca", "--out",
                          out,   "--server-debug", level, NULL};
    const char *without[] = {"run",        "--board", "sim", "--scenario",
                             "unknown-ca", "--out",   out,   NULL};
    cr_assert_eq(e2e_run(stdout_file, level ? with : without), 0, "see %s", stdout_file);
    json_t *results = e2e_results(out);
    *recorded = json_integer_value(
        json_object_get(json_object_get(json_array_get(results, 0), "selection"), "server_debug"));
    snprintf(path, sizeof path, "%s/server.log", capture_dir_of(results, "unknown-ca"));
    char *text = e2e_slurp(path);
    cr_assert_not_null(text, "no %s", path);
    json_decref(results);
    return text;
}

/* The run's servers log at level 1 unless asked: mbedTLS's I/O steps (level 2, 0.45 ms of
 * formatting per handshake) are left out, its states are tlsrig's own lines; --server-debug 2
 * gives mbedTLS's own lines back, and a level past 4 is a usage error. */
Test(e2e_fixed_costs, server_log_level_follows_server_debug, .timeout = 120)
{
    json_int_t level = -1;
    char *text = server_log_at(NULL, &level);
    cr_expect_eq(level, 1);
    cr_expect(strstr(text, "tlsrig: server state 1 (client_hello)") != NULL, "%s", text);
    cr_expect(strstr(text, " mbedtls 2 ") == NULL, "a level-2 line at the default:\n%s", text);
    cr_expect(strstr(text, " mbedtls 1 ") != NULL, "no error line of mbedTLS:\n%s", text);
    free(text);

    text = server_log_at("2", &level);
    cr_expect_eq(level, 2);
    cr_expect(strstr(text, "server state: 1") != NULL, "%s", text);
    cr_expect(strstr(text, "tlsrig: server state") == NULL, "states twice:\n%s", text);
    free(text);

    char out[4096], stdout_file[4200], err_file[4200];
    e2e_tmpdir("fixed-costs-server-debug-5", out, sizeof out);
    snprintf(stdout_file, sizeof stdout_file, "%s.stdout", out);
    snprintf(err_file, sizeof err_file, "%s.stderr", out);
    const char *bad[] = {"run", "--board", "sim", "--out", out, "--server-debug", "5", NULL};
    cr_expect_eq(e2e_run_err(stdout_file, err_file, bad), 2);
    char *err = e2e_slurp(err_file);
    cr_expect(err && strstr(err, "--server-debug must be 0..4") != NULL, "%s", err ? err : "");
    free(err);
}

/* Each side's flight crosses in one segment (issue 16): the agent's tunnel BIO sends what the
 * client wrote when it next reads, the server what mbedTLS wrote when it next waits. conn.pcap
 * has one segment per send: the record types of the first four data segments say how the
 * flights went. */
Test(e2e_fixed_costs, each_flight_is_one_segment, .timeout = 120)
{
    char out[4096], stdout_file[4200], cmd[8600];
    run_happy("fixed-costs-flights", out, stdout_file);
    json_t *results = e2e_results(out);
    const char *dir = capture_dir_of(results, "happy-ecdhe-rsa-aes128-gcm-p256");
    snprintf(cmd, sizeof cmd,
             "tshark -r '%s/conn.pcap' -Y 'tcp.len>0' -T fields -e tcp.srcport "
             "-e tls.record.content_type 2>/dev/null | head -n 4 | "
             "sed 's/^443\\t/server /; s/^[0-9]*\\t/client /'",
             dir);
    json_decref(results);
    FILE *f = popen(cmd, "r");
    cr_assert_not_null(f);
    char got[512] = "";
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    pclose(f);
    cr_expect_str_eq(got,
                     "client 22\n"          /* ClientHello */
                     "server 22,22,22,22\n" /* ServerHello .. ServerHelloDone */
                     "client 22,20,22\n"    /* ClientKeyExchange, ChangeCipherSpec, Finished */
                     "server 22,20,22\n",   /* NewSessionTicket, ChangeCipherSpec, Finished */
                     "segments:\n%s", got);
}
