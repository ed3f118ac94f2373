/* `tlsrig run` in three steps with one clean-up path: plan (everything that
 * can be checked before a file is written), execute (run_exec.c), report
 * (run-end record, reports from results.jsonl, console summary). */
#define _POSIX_C_SOURCE 200809L
#include "runner.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board_lock.h"
#include "history_db.h"
#include "history_record.h"
#include "history_snapshot.h"
#include "parity.h"
#include "results_log.h"
#include "run_exec.h"
#include "run_output.h"
#include "run_plan.h"
#include "run_records.h"
#include "run_summary.h"
#include "server_warm.h"

static volatile sig_atomic_t g_signal;
static volatile bool g_interrupted; /* what the scenario executor polls */

static void on_signal(int sig)
{
    g_signal = sig;
    g_interrupted = true;
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

static void list_plan(const run_plan_t *p)
{
    for (size_t i = 0; i < p->n_sel; i++) {
        printf("%-44s %-12s %s\n", p->sel[i]->name, run_config_of(p->sel[i]),
               p->sel[i]->description ? p->sel[i]->description : "");
    }
}

/* "parity: N hw/sw difference(s) in M pair(s)" for runs of both backends. */
static void print_parity(const json_t *lines)
{
    size_t pairs = 0, diffs = 0, i;
    const json_t *r;
    json_array_foreach(lines, i, r)
    {
        const json_t *m = json_object_get(json_object_get(r, "parity"), "match");
        pairs += json_is_boolean(m);
        diffs += json_is_false(m);
    }
    printf("parity: %zu hw/sw difference(s) in %zu pair(s)\n", diffs, pairs);
}

static size_t count_outcome(const json_t *lines, const char *outcome)
{
    size_t n = 0, i;
    const json_t *r;
    json_array_foreach(lines, i, r)
    {
        const char *o = json_string_value(json_object_get(r, "outcome"));
        n += o && strcmp(o, outcome) == 0;
    }
    return n;
}

/* The exit code a stopped run owes, before its results are judged. */
static int stop_exit_code(const run_exec_t *ex)
{
    switch (ex->stop) {
    case RUN_STOP_SIGNAL:
        return *ex->signal == SIGTERM ? 143 : 130;
    case RUN_STOP_CONFIG:
        return 2;
    case RUN_STOP_WRITE_ERROR:
        return 3;
    default:
        return 0;
    }
}

/* Run-end record, then the verdict the console shows (from what was
 * written, the same rule as `tlsrig report`). Returns the exit code. */
static int finish(run_exec_t *ex, json_t *start, json_t **verdict)
{
    size_t not_run = count_outcome(ex->lines, "not-run");
    bool complete = ex->stop == RUN_GOING && not_run == 0;
    json_t *records = json_pack("[O]", start);
    json_t *end = run_end_record(complete, complete ? "" : ex->stop_reason, 0, ex->done, not_run);
    json_array_append(records, end);
    /* run_verdict folds parity lines into the hw results (it changes them) and appends
     * not-run entries (it changes only the array): a copy of the array is enough without
     * parity lines, and costs nothing per result (a deep copy was 0.2 ms of each). */
    bool parity = false;
    size_t i;
    const json_t *line;
    json_array_foreach(ex->lines, i, line)
    {
        const char *kind = json_string_value(json_object_get(line, "kind"));
        parity = parity || (kind && strcmp(kind, "parity") == 0);
    }
    json_t *copy = parity ? json_deep_copy(ex->lines) : json_copy(ex->lines);
    *verdict = run_verdict(copy, records, 0, false);
    json_decref(copy);
    int code = stop_exit_code(ex);
    if (code == 0) {
        code = (int)json_integer_value(json_object_get(*verdict, "exit"));
    }
    json_object_set_new(end, "exit_code", json_integer(code));
    if (run_exec_write(ex, end) != 0) {
        code = 3;
    }
    json_decref(end);
    json_decref(records);
    return code;
}

/* The database this run records into: --history, else the default one when the run goes
 * into the default folder (an explicit --out is never followed by a write elsewhere). */
static const char *history_path(const run_options_t *o, char *buf, size_t cap)
{
    if (o->no_history) {
        return NULL;
    }
    if (o->history) {
        return o->history;
    }
    if (o->out_dir) {
        return NULL;
    }
    history_default_path(o->source_dir, buf, cap);
    return buf;
}

/* The finished run into the history, then its snapshot (history.json) for the reports.
 * A failure keeps the run (results.jsonl holds everything) and says how to record it later. */
static int record_history(history_db_t *h, const char *out_dir, bool quiet)
{
    char err[1200];
    history_recorded_t rec;
    history_status_t st = history_record_dir(h, out_dir, "run", &rec, err, sizeof err);
    if (st == HISTORY_OK) {
        st = history_write_snapshot(h, out_dir, rec.run_id, 10, err, sizeof err);
    }
    if (st != HISTORY_OK) {
        fprintf(stderr,
                "tlsrig: history: %s\ntlsrig: the run is kept in %s; record it later with "
                "`tlsrig history import --history %s %s`\n",
                err, out_dir, h->path, out_dir);
        return (int)st;
    }
    if (!quiet) {
        printf("tlsrig run: recorded in history %s as run %lld\n", h->path, rec.run_id);
    }
    return 0;
}

/* The servers' chains and keys loaded while the target starts (server_warm.h): the profiles
 * of the planned scenarios, in plan order, each once. */
static server_warm_t *warm_servers(const run_plan_t *plan)
{
    const server_profile_t **profiles = calloc(plan->n_items + 1, sizeof *profiles);
    size_t n = 0;
    for (size_t i = 0; profiles && i < plan->n_items; i++) {
        const server_profile_t *p = plan->items[i].s->plan.profile;
        bool seen = p == NULL;
        for (size_t k = 0; k < n && !seen; k++) {
            seen = profiles[k] == p;
        }
        if (!seen) {
            profiles[n++] = p;
        }
    }
    server_warm_t *w = profiles ? server_warm_start(profiles, n, plan->recipes, plan->cache) : NULL;
    free(profiles);
    return w;
}

int run_main(const run_options_t *o)
{
    char err[8192], out_dir[4096]; /* a --config-file check lists every missing macro */
    run_plan_t plan;
    board_lock_t lock = {.fd = -1};
    results_log_t log = {.fd = -1};
    history_db_t history = {0};
    char history_buf[4200];
    json_t *start = NULL, *verdict = NULL, *lines = json_array();
    server_warm_t *warm = NULL;
    int rc = run_plan_build(o, &plan, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "tlsrig: %s\n", err);
        goto cleanup;
    }
    if (o->list) {
        list_plan(&plan);
        goto cleanup;
    }
    warm = warm_servers(&plan);
    /* A history that cannot take the run is found out before anything runs. */
    const char *hpath = history_path(o, history_buf, sizeof history_buf);
    if (hpath) {
        history_status_t hst = history_open(&history, hpath, true, err, sizeof err);
        if (hst != HISTORY_OK) {
            fprintf(stderr, "tlsrig: history: %s (--no-history runs without it)\n", err);
            rc = (int)hst;
            goto cleanup;
        }
    }
    /* A real board is driven by one job at a time (CI runners may share a
     * host); sim and QEMU targets are private processes and need no lock. */
    if (plan.board->kind == BOARD_HW) {
        if (!o->quiet) {
            printf("tlsrig run: taking the lock on board %s\n", plan.board->name);
            fflush(stdout);
        }
        if (board_lock_acquire(plan.board->name, 3600, &lock, err, sizeof err) != 0) {
            fprintf(stderr, "tlsrig: %s\n", err);
            rc = 3;
            goto cleanup;
        }
    }
    if (o->out_dir) {
        snprintf(out_dir, sizeof out_dir, "%s", o->out_dir);
    } else {
        default_out_dir(o, out_dir, sizeof out_dir);
    }
    rc = run_output_claim(out_dir, sizeof out_dir, o->out_dir == NULL, &log, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "tlsrig: %s\n", err);
        goto cleanup;
    }
    /* Each result's report.html block is rendered by the result worker as the result is
     * written (result_texts.h), for about the planned results and a self-test. */
    results_log_prerender(&log, out_dir, plan.n_items + 1);
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    run_exec_t ex = {.o = o,
                     .plan = &plan,
                     .log = &log,
                     .out_dir = out_dir,
                     .signal = &g_signal,
                     .lines = lines,
                     .env = {.out_dir = out_dir,
                             .profiles_dir = plan.profiles,
                             .recipes_path = plan.recipes,
                             .certs_cache = plan.cache,
                             .scenario_timeout_ms = plan.board->timeouts.scenario_ms,
                             .log_wire = (log_wire_t)o->log_wire,
                             .server_debug = o->server_debug,
                             .interrupted = &g_interrupted,
                             /* sw before hw, self-tests before scenarios: the
                              * diagnosis reads both from here */
                             .prior_results = lines,
                             .user_config = plan.has_user_config ? &plan.user_config : NULL,
                             .user_config_label = plan.user_config_label},
                     .user_build = {.lock_fd = -1}};
    run_exec_init(&ex);
    start = run_plan_start_record(&plan, o, out_dir);
    if (run_exec_write(&ex, start) != 0) {
        rc = 3;
        goto cleanup;
    }
    if (!o->quiet) {
        printf("tlsrig run: board %s, %zu scenario(s) x %zu backend(s) = %zu result(s), results "
               "in %s\n",
               plan.board->name, plan.n_sel, plan.n_backends, plan.n_items, out_dir);
        if (plan.has_user_config) {
            printf("tlsrig run: mbedTLS configuration %s, %s, images %s; %zu scenario(s) "
                   "pinned to another profile left out\n",
                   plan.user_config_label, plan.user_config.stack, plan.user_config.name,
                   plan.n_left_out);
        }
        fflush(stdout);
    }
    run_exec_all(&ex);
    rc = finish(&ex, start, &verdict);
    /* results.jsonl's last fdatasync runs on its thread while the history and the reports are
     * made from the file (issue 16: 1.7 ms of every run); the run waits for it below, before
     * it reports anything done. */
    if (!o->quiet) {
        if (plan.n_backends == 2) {
            print_parity(lines);
        }
        parity_print_primitives(stdout, lines);
        parity_print_bench(stdout, lines);
    }
    if (history.db) {
        int hrc = record_history(&history, out_dir, o->quiet);
        rc = hrc && (rc == 0 || rc == 1) ? hrc : rc;
    }
    /* Reports from results.jsonl alone, so `tlsrig report` gives the same: its lines as
     * parsed when they were written, else the file read back. */
    json_t *written = NULL;
    run_log_t written_log;
    int wrc =
        results_log_take_mirror(&log, &written_log)
            ? run_reports_write_log(out_dir, &written_log, o->baseline, &written, err, sizeof err)
            : run_reports_write(out_dir, o->baseline, &written, err, sizeof err);
    if (wrc != 0) {
        fprintf(stderr, "tlsrig: reports: %s\n", err);
        rc = rc == 0 || rc == 1 ? (wrc == 3 ? 3 : 2) : rc;
    } else if (rc == 0 && json_integer_value(json_object_get(written, "exit")) != 0) {
        rc = 1; /* a regression against the baseline */
    }
    json_decref(written);
    char close_err[600];
    if (results_log_close(&log, close_err, sizeof close_err) != 0) {
        fprintf(stderr, "tlsrig: %s\n", close_err);
        rc = 3;
    }
    if (!o->quiet) {
        run_summary_print(stdout, verdict, out_dir);
    }
cleanup:
    server_warm_finish(warm);
    if (log.fd >= 0) {
        results_log_close(&log, err, sizeof err);
    }
    json_decref(verdict);
    json_decref(start);
    json_decref(lines);
    board_lock_release(&lock);
    history_close(&history);
    run_plan_free(&plan);
    return rc;
}
