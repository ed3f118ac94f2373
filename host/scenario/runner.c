#define _POSIX_C_SOURCE 200809L
#include "runner.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "board_config.h"
#include "board_lock.h"
#include "expect.h"
#include "flasher.h"
#include "junit.h"
#include "parity.h"
#include "infra_classify.h"
#include "preflight.h"
#include "result_diagnosis.h"
#include "requires.h"
#include "results_log.h"
#include "run_summary.h"
#include "scenario.h"
#include "scenario_exec.h"
#include "target_session.h"

static volatile bool g_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    g_interrupted = true;
}

static int mkdir_p(const char *path)
{
    char tmp[4400];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
                return -1;
            }
            *p = '/';
        }
    }
    return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static bool selected(const run_options_t *o, const scenario_t *s)
{
    bool glob_ok = o->n_globs == 0, tag_ok = o->n_tags == 0;
    for (size_t i = 0; i < o->n_globs && !glob_ok; i++) {
        glob_ok = scenario_matches(s, o->globs[i]);
    }
    for (size_t i = 0; i < o->n_tags && !tag_ok; i++) {
        tag_ok = scenario_has_tag(s, o->tags[i]);
    }
    const char *cfg = s->config ? s->config : "full";
    return glob_ok && tag_ok && (!o->config || strcmp(o->config, cfg) == 0);
}

static const char *config_of(const scenario_t *s)
{
    return s->config ? s->config : "full";
}

/* Replays first (they need no image), then targets grouped by image. */
static int cmp_by_config(const void *a, const void *b)
{
    const scenario_t *x = *(scenario_t *const *)a, *y = *(scenario_t *const *)b;
    if (x->kind != y->kind) {
        return x->kind == SCENARIO_REPLAY ? -1 : 1;
    }
    int c = strcmp(config_of(x), config_of(y));
    return c ? c : strcmp(x->name, y->name);
}

typedef struct run_state {
    const run_options_t *o;
    const board_config_t *board;
    results_log_t log;
    run_summary_t sum;
    exec_env_t env;
    char out_dir[4096];
    int config_error;
    bool infra_failed;
    bool stop;
    size_t done, total;
    json_t *all; /* every recorded result, for the hw/sw join at the end */
} run_state_t;

/* Append an evaluated result: results.jsonl, counts, progress line. */
static void record_evaluated(run_state_t *st, json_t *r)
{
    results_log_append(&st->log, r);
    json_array_append(st->all, r);
    st->done++;
    run_summary_add(&st->sum, r);
    if (!st->o->quiet) {
        run_summary_progress(stdout, r, st->done, st->total);
    }
    if (st->o->fail_fast && !json_is_true(json_object_get(r, "expect_met"))) {
        st->stop = true;
    }
    json_decref(r);
}

static void record(run_state_t *st, const scenario_t *s, json_t *r)
{
    expect_evaluate(s, r);
    record_evaluated(st, r);
}

/* Each image's crypto self-tests, as a result that must pass: a fault in a
 * primitive fails the run and names it even when every handshake succeeds. */
static void run_selftest(run_state_t *st, target_session_t *ts)
{
    char err[512];
    json_t *r;
    json_t *st_json = agent_selftest(&ts->link, 60000, err, sizeof err);
    if (!st_json) {
        r = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:f, s:n, s:n, s:n, s:n}",
                      "scenario", "crypto-selftest", "kind", "selftest", "board",
                      ts->board->name, "backend", ts->expected_backend, "config",
                      ts->expected_config, "outcome", "infra-error", "infra_error", err,
                      "expect_met", 0, "log", "", "duration_ms", 0.0, "mbedtls_ret",
                      "mbedtls_error", "alert_received", "alert_sent");
        result_set_infra(r, infra_classify_rpc(ts->flasher, &ts->handle, agent_rpc_last_failure()),
                         err);
    } else {
        r = parity_selftest_result(ts->board->name, ts->expected_backend, ts->expected_config,
                                   st_json, ts->fault[0] ? ts->fault : NULL);
        json_decref(st_json);
        json_t *bench = agent_bench(&ts->link, 60000, err, sizeof err);
        if (bench) {
            parity_attach_bench(r, bench);
            json_decref(bench);
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
    record_evaluated(st, r);
}

static json_t *infra_result(const scenario_t *s, const char *board, const char *backend,
                            const char *reason)
{
    json_t *r = json_object();
    json_object_set_new(r, "scenario", json_string(s->name));
    json_object_set_new(r, "kind", json_string("target"));
    json_object_set_new(r, "board", json_string(board));
    json_object_set_new(r, "backend", json_string(backend));
    json_object_set_new(r, "config", json_string(config_of(s)));
    json_object_set_new(r, "outcome", json_string("infra-error"));
    json_object_set_new(r, "infra_error", json_string(reason));
    json_object_set_new(r, "mbedtls_ret", json_null());
    json_object_set_new(r, "mbedtls_error", json_null());
    json_object_set_new(r, "alert_received", json_null());
    json_object_set_new(r, "alert_sent", json_null());
    json_object_set_new(r, "duration_ms", json_real(0));
    json_object_set_new(r, "log", json_string(""));
    return r;
}

static json_t *skipped_result(const scenario_t *s, const target_session_t *ts, const char *why)
{
    json_t *r = infra_result(s, ts->board->name, ts->expected_backend, "");
    json_object_del(r, "infra_error");
    json_object_set_new(r, "outcome", json_string("skipped"));
    json_object_set_new(r, "skip_reason", json_string(why));
    return r;
}

/* One scenario with bounded retries of infrastructure errors. */
static void run_one(run_state_t *st, target_session_t *ts, const scenario_t *s, unsigned rep)
{
    char run_id[256], why[512];
    if (st->o->repeat > 1) {
        snprintf(run_id, sizeof run_id, "%s.%s.%u", s->name, ts->expected_backend, rep + 1);
    } else {
        snprintf(run_id, sizeof run_id, "%s.%s", s->name, ts->expected_backend);
    }
    if (!requires_met(s, &ts->info, why, sizeof why)) {
        record(st, s, skipped_result(s, ts, why));
        return;
    }
    json_t *attempts = json_array();
    json_t *r = NULL;
    for (unsigned a = 0; a <= st->o->infra_retries && !g_interrupted; a++) {
        bool died = false;
        char cfg_err[1024] = "";
        json_decref(r);
        r = scenario_exec_target(&st->env, ts, s, run_id, &died, cfg_err, sizeof cfg_err);
        if (!r) {
            fprintf(stderr, "tlsrig: %s\n", cfg_err);
            st->config_error = 1;
            st->stop = true;
            json_decref(attempts);
            return;
        }
        if (died && !g_interrupted &&
            target_session_restart(ts, why, sizeof why) != 0) {
            fprintf(stderr, "tlsrig: restart failed: %s\n", why);
            st->infra_failed = true;
        }
        const char *outcome = json_string_value(json_object_get(r, "outcome"));
        if (strcmp(outcome, "infra-error") != 0 || st->infra_failed) {
            break;
        }
        json_array_append_new(attempts, json_string(json_string_value(json_object_get(r, "infra_error"))));
    }
    if (g_interrupted) {
        json_decref(r); /* an interrupted scenario is not a result */
        json_decref(attempts);
        return;
    }
    const char *outcome = json_string_value(json_object_get(r, "outcome"));
    size_t failed_attempts = json_array_size(attempts);
    if (failed_attempts > 0 && strcmp(outcome, "infra-error") != 0) {
        json_object_set_new(r, "flaky", json_true());
    }
    json_object_set_new(r, "attempts", json_integer((json_int_t)failed_attempts +
                                                    (strcmp(outcome, "infra-error") ? 1 : 0)));
    json_object_set_new(r, "attempt_errors", attempts);
    record(st, s, r);
}

static void run_replays(run_state_t *st, scenario_t **items, size_t n, const char *backend)
{
    if (n > 0 && !st->o->quiet) {
        printf("== replays (stored ClientHellos against server profiles)\n");
        fflush(stdout);
    }
    for (size_t i = 0; i < n && !st->stop && !g_interrupted; i++) {
        char cfg_err[1024];
        json_t *r = scenario_exec_replay(&st->env, items[i], st->board->name, backend, cfg_err,
                                         sizeof cfg_err);
        if (!r) {
            fprintf(stderr, "tlsrig: %s\n", cfg_err);
            st->config_error = 1;
            st->stop = true;
            return;
        }
        json_object_set_new(r, "run_id", json_string(items[i]->name));
        record(st, items[i], r);
    }
}

static void image_path(const run_state_t *st, const char *backend, const char *config, char *target,
                       size_t tcap, char *path, size_t pcap)
{
    snprintf(target, tcap, "tlsrig-agent-%s-%s-%s", st->board->name, backend, config);
    snprintf(path, pcap, "%s/images/%s", st->o->build_dir, target);
}

/* All scenarios of one image: build, flash once, run them in order. */
static void run_group(run_state_t *st, scenario_t **items, size_t n, const char *backend)
{
    const char *config = config_of(items[0]);
    char target[256], image[4096], err[1024], console[4600], build_log[4600];
    image_path(st, backend, config, target, sizeof target, image, sizeof image);
    snprintf(console, sizeof console, "%s/logs/console-%s.log", st->out_dir, target);
    snprintf(build_log, sizeof build_log, "%s/logs/build-%s.log", st->out_dir, target);
    if (!st->o->quiet) {
        printf("== image %s (board %s, backend %s, config %s)\n", target, st->board->name, backend,
               config);
        fflush(stdout);
    }
    int rc = image_build(st->o->build_dir, target, build_log, err, sizeof err);
    int built = rc;
    target_session_t ts;
    memset(&ts, 0, sizeof ts);
    if (rc == 0) {
        bool arm = st->o->fault && strcmp(backend, "hw") == 0;
        rc = target_session_start(&ts, st->board, image, backend, config, console,
                                  arm ? st->o->fault : NULL,
                                  st->o->fault_every ? st->o->fault_every : 1u, err, sizeof err);
    }
    if (rc != 0) {
        fprintf(stderr, "tlsrig: %s\n", err);
        st->infra_failed = true;
        /* A failed build is the host's; a failed start says its own cause. */
        infra_cause_t cause = built == 0 ? ts.cause : INFRA_HOST_ERROR;
        for (size_t i = 0; i < n && !g_interrupted; i++) {
            json_t *r = infra_result(items[i], st->board->name, backend, err);
            result_set_infra(r, cause, err);
            record(st, items[i], r);
        }
        target_session_stop(&ts);
        return;
    }
    run_selftest(st, &ts);
    for (size_t i = 0; i < n && !st->stop && !g_interrupted && !st->infra_failed; i++) {
        for (unsigned rep = 0; rep < (st->o->repeat ? st->o->repeat : 1u) && !st->stop; rep++) {
            run_one(st, &ts, items[i], rep);
        }
    }
    target_session_stop(&ts);
}

static void default_out_dir(const run_options_t *o, char *out, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(out, cap, "%s/reports/%s-%s", o->source_dir, stamp, o->board);
}

int run_main(const run_options_t *o)
{
    char err[1024], dir[4200];
    snprintf(dir, sizeof dir, "%s/rig-config/boards", o->source_dir);
    board_config_t *board = board_config_load(dir, o->board, err, sizeof err);
    if (!board) {
        fprintf(stderr, "tlsrig: %s\n", err);
        return 2;
    }
    const char *backends[2];
    size_t n_backends = 0;
    if (strcmp(o->backend, "both") == 0) {
        backends[n_backends++] = "sw";
        backends[n_backends++] = "hw";
    } else {
        backends[n_backends++] = o->backend;
    }
    /* A backend the board cannot have (QEMU's F405 has no crypto devices) is
     * reported scenario by scenario as not applicable, never faked. */
    bool supported[2] = {false, false};
    for (size_t i = 0; i < n_backends; i++) {
        for (unsigned j = 0; j < board->backends_count; j++) {
            supported[i] = supported[i] || strcmp(board->backends[j], backends[i]) == 0;
        }
    }
    /* A real board is driven by one job at a time (CI runners may share a
     * host); sim and QEMU targets are private processes and need no lock. */
    board_lock_t lock = {.fd = -1};
    if (board->kind == BOARD_HW && !o->list) {
        if (!o->quiet) {
            printf("tlsrig run: taking the lock on board %s\n", board->name);
            fflush(stdout);
        }
        if (board_lock_acquire(board->name, 3600, &lock, err, sizeof err) != 0) {
            fprintf(stderr, "tlsrig: %s\n", err);
            board_config_free(board);
            return 3;
        }
    }
    if (o->fault && (board->kind != BOARD_SIM || strcmp(o->backend, "sw") == 0)) {
        fprintf(stderr, "tlsrig: --inject-fault needs the sim board and the hw backend "
                        "(--backend hw or both): faults live in the sim's crypto models\n");
        board_lock_release(&lock);
        board_config_free(board);
        return 2;
    }
    scenario_set_t set;
    if (scenario_load_dir(o->scenarios_dir, &set, err, sizeof err) != 0) {
        board_lock_release(&lock);
        fprintf(stderr, "tlsrig: %s\n", err);
        board_config_free(board);
        return 2;
    }
    scenario_t **sel = calloc(set.count ? set.count : 1, sizeof *sel);
    size_t n_sel = 0;
    for (size_t i = 0; i < set.count; i++) {
        if (selected(o, set.items[i])) {
            sel[n_sel++] = set.items[i];
        }
    }
    qsort(sel, n_sel, sizeof *sel, cmp_by_config);
    if (o->list || n_sel == 0) {
        for (size_t i = 0; i < n_sel; i++) {
            printf("%-44s %-12s %s\n", sel[i]->name, config_of(sel[i]),
                   sel[i]->description ? sel[i]->description : "");
        }
        if (n_sel == 0) {
            fprintf(stderr, "tlsrig: no scenario matches the filters\n");
        }
        free(sel);
        scenario_set_free(&set);
        board_config_free(board);
        board_lock_release(&lock);
        return n_sel == 0 ? 2 : 0;
    }

    char profiles[4200], recipes[4200], cache[4200];
    snprintf(profiles, sizeof profiles, "%s/fixtures/profiles", o->source_dir);
    snprintf(recipes, sizeof recipes, "%s/fixtures/certs/recipes.yaml", o->source_dir);
    snprintf(cache, sizeof cache, "%s/.cache/certs", o->source_dir);
    if (preflight_check(sel, n_sel, profiles, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig: %s\n", err);
        free(sel);
        scenario_set_free(&set);
        board_config_free(board);
        board_lock_release(&lock);
        return 2;
    }

    run_state_t st;
    memset(&st, 0, sizeof st);
    st.o = o;
    st.board = board;
    size_t n_replay = 0;
    while (n_replay < n_sel && sel[n_replay]->kind == SCENARIO_REPLAY) {
        n_replay++;
    }
    size_t n_images = 0; /* one self-test result per image */
    for (size_t i = n_replay; i < n_sel; i++) {
        n_images += i == n_replay || strcmp(config_of(sel[i]), config_of(sel[i - 1])) != 0;
    }
    st.total = n_replay;
    for (size_t b = 0; b < n_backends; b++) {
        /* An unsupported backend records one skip per scenario and no self-test. */
        st.total += (supported[b] ? n_images : 0) +
                    (n_sel - n_replay) * (supported[b] && o->repeat ? o->repeat : 1u);
    }
    if (o->out_dir) {
        snprintf(st.out_dir, sizeof st.out_dir, "%s", o->out_dir);
    } else {
        default_out_dir(o, st.out_dir, sizeof st.out_dir);
    }
    /* Never mix two runs in one results.jsonl (and never lose the first). */
    snprintf(dir, sizeof dir, "%s/results.jsonl", st.out_dir);
    if (access(dir, F_OK) == 0) {
        fprintf(stderr, "tlsrig: %s already exists: choose another --out (runs never overwrite)\n",
                dir);
        free(sel);
        scenario_set_free(&set);
        board_config_free(board);
        board_lock_release(&lock);
        return 2;
    }
    snprintf(dir, sizeof dir, "%s/logs", st.out_dir);
    if (mkdir_p(dir) != 0 || results_log_open(&st.log, st.out_dir, err, sizeof err) != 0) {
        fprintf(stderr, "tlsrig: cannot write to %s: %s\n", st.out_dir,
                err[0] ? err : strerror(errno));
        free(sel);
        scenario_set_free(&set);
        board_config_free(board);
        board_lock_release(&lock);
        return 2;
    }
    st.env = (exec_env_t){.out_dir = st.out_dir,
                          .profiles_dir = profiles,
                          .recipes_path = recipes,
                          .certs_cache = cache,
                          .scenario_timeout_ms = board->timeouts.scenario_ms,
                          .interrupted = &g_interrupted};
    run_summary_init(&st.sum);
    st.all = json_array();
    st.env.prior_results = st.all;
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (!o->quiet) {
        printf("tlsrig run: board %s, %zu scenario(s) x %zu backend(s), results in %s\n",
               board->name, n_sel, n_backends, st.out_dir);
        fflush(stdout);
    }

    run_replays(&st, sel, n_replay, backends[0]);
    for (size_t b = 0; b < n_backends && !st.stop && !g_interrupted; b++) {
        size_t start = n_replay;
        while (start < n_sel && !st.stop && !g_interrupted) {
            size_t end = start + 1;
            while (end < n_sel && strcmp(config_of(sel[end]), config_of(sel[start])) == 0) {
                end++;
            }
            if (supported[b]) {
                run_group(&st, sel + start, end - start, backends[b]);
            } else {
                char why[256];
                snprintf(why, sizeof why,
                         "not applicable: board %s has no '%s' backend (rig-config/boards/%s.yaml)",
                         board->name, backends[b], board->name);
                for (size_t i = start; i < end && !g_interrupted; i++) {
                    json_t *r = infra_result(sel[i], board->name, backends[b], why);
                    json_object_del(r, "infra_error");
                    json_object_set_new(r, "outcome", json_string("skipped"));
                    json_object_set_new(r, "skip_reason", json_string(why));
                    record(&st, sel[i], r);
                }
            }
            start = end;
        }
    }
    /* Join sw and hw: a difference is a failure naming the primitive. */
    if (n_backends == 2 && !g_interrupted) {
        json_t *diffs = parity_join(st.all);
        size_t k;
        json_t *d;
        json_array_foreach(diffs, k, d)
        {
            json_incref(d);
            record_evaluated(&st, d);
        }
        if (!o->quiet) {
            printf("parity: %zu hw/sw difference(s)\n", json_array_size(diffs));
        }
        json_decref(diffs);
    }
    results_log_close(&st.log);
    if (!o->quiet) {
        parity_print_primitives(stdout, st.all);
        parity_print_bench(stdout, st.all);
    }
    json_decref(st.all);

    /* Reports from results.jsonl alone, so `tlsrig report` gives the same. */
    int rc = run_reports_write(st.out_dir, o->baseline, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "tlsrig: reports: %s\n", err);
    }
    if (!o->quiet) {
        run_summary_print(stdout, &st.sum, st.out_dir);
    }
    int exit_code = st.config_error    ? 2
                    : g_interrupted    ? 130
                    : st.infra_failed || st.sum.infra > 0 ? 3
                    : (st.sum.unmet > 0 || rc > 0) ? 1
                                                   : 0;
    free(sel);
    scenario_set_free(&set);
    board_config_free(board);
    board_lock_release(&lock);
    return exit_code;
}
