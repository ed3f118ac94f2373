#define _POSIX_C_SOURCE 200809L
#include "run_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "flasher.h"
#include "image_check.h"
#include "image_targets.h"
#include "parity.h"
#include "quiet_gate.h"
#include "recovery_record.h"
#include "requires.h"
#include "result_diagnosis.h"
#include "run_records.h"
#include "run_summary.h"
#include "stacks.h"
#include "target_session.h"
#include "user_image.h"

static const char *signal_name(int sig)
{
    return sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : "a signal";
}

void run_exec_init(run_exec_t *ex)
{
    pthread_mutex_init(&ex->stop_mu, NULL);
    ex->pipe = NULL;
}

/* Checked between steps: a signal stops the run at the next boundary. */
static bool stopping(run_exec_t *ex)
{
    pthread_mutex_lock(&ex->stop_mu);
    if (ex->stop == RUN_GOING && *ex->signal) {
        ex->stop = RUN_STOP_SIGNAL;
        snprintf(ex->stop_reason, sizeof ex->stop_reason, "interrupted by %s",
                 signal_name((int)*ex->signal));
    }
    bool stop = ex->stop != RUN_GOING;
    pthread_mutex_unlock(&ex->stop_mu);
    return stop;
}

/* The first reason to stop wins; the run loop or the result worker may give it. */
static void stop_with(run_exec_t *ex, run_stop_t why, const char *text)
{
    pthread_mutex_lock(&ex->stop_mu);
    if (ex->stop == RUN_GOING) {
        ex->stop = why;
        snprintf(ex->stop_reason, sizeof ex->stop_reason, "%s", text);
    }
    pthread_mutex_unlock(&ex->stop_mu);
}

/* A scenario that cannot be executed as written stops the run (exit 2); the
 * items left unrecorded become not-run results at the end. */
static void stop_on_config_error(run_exec_t *ex, const scenario_t *s, const char *cfg_err)
{
    fprintf(stderr, "tlsrig: %s\n", cfg_err);
    char text[1200];
    snprintf(text, sizeof text, "not run: configuration error in %s: %s", s->name, cfg_err);
    stop_with(ex, RUN_STOP_CONFIG, text);
}

int run_exec_write(run_exec_t *ex, const json_t *line)
{
    if (ex->results_broken) {
        return -1; /* results.jsonl already refused: nothing more is claimed written */
    }
    if (results_log_append(ex->log, line, ex->write_err, sizeof ex->write_err) != 0) {
        fprintf(stderr, "tlsrig: %s\n", ex->write_err);
        ex->results_broken = true;
        char text[1100];
        snprintf(text, sizeof text, "stopped: %s", ex->write_err);
        pthread_mutex_lock(&ex->stop_mu);
        ex->stop = RUN_STOP_WRITE_ERROR; /* over any other reason: nothing more is written */
        snprintf(ex->stop_reason, sizeof ex->stop_reason, "%s", text);
        pthread_mutex_unlock(&ex->stop_mu);
        return -1;
    }
    return 0;
}

/* The one way a planned run gets its result: evaluated, joined with its sw
 * twin, written, counted and shown. Takes r. */
/* Every result names its stack and, once an agent answered, the exact library version it
 * runs (HELLO's MBEDTLS_VERSION_STRING), so nothing compares across stacks unseen. */
static void set_stack(json_t *r, const char *stack)
{
    json_object_set_new(r, "stack", json_string(stack));
    const json_t *v = json_object_get(json_object_get(r, "agent"), "mbedtls_version");
    if (json_is_string(v) && !json_object_get(r, "mbedtls_version")) {
        json_object_set(r, "mbedtls_version", (json_t *)v);
    }
    /* issue 18 wolfagent: wolfSSL images name their library version. */
    const json_t *lib = json_object_get(json_object_get(r, "agent"), "library_version");
    if (stack_is_wolfssl(stack) && json_is_string(lib) && !json_object_get(r, "wolfssl_version")) {
        json_object_set(r, "wolfssl_version", (json_t *)lib);
    }
}

/* issue 17 cfgfile: a result of the user's configuration names the file and its digest. */
static void set_config_file(const run_exec_t *ex, json_t *r)
{
    json_t *cf = run_plan_config_file_json(ex->plan);
    if (cf) {
        json_object_set_new(r, "config_file", cf);
    }
}

static void record_result(run_exec_t *ex, run_item_t *it, json_t *r)
{
    set_stack(r, it->stack);
    set_config_file(ex, r);
    const char *outcome = json_string_value(json_object_get(r, "outcome"));
    if (outcome && strcmp(outcome, "skipped") != 0 && strcmp(outcome, "not-run") != 0) {
        expect_evaluate(it->s, r);
        parity_attach(r, ex->lines);
    }
    if (ex->o->repeat > 1) {
        json_object_set_new(r, "repeat", json_integer((json_int_t)it->rep + 1));
    }
    it->recorded = true;
    const char *lost = json_string_value(json_object_get(r, "write_error"));
    if (lost) {
        /* A file of the run could not be written (full disk): stop, exit 3. */
        char text[1200];
        snprintf(text, sizeof text, "not run: the run stopped because %s could not be written",
                 lost);
        fprintf(stderr, "tlsrig: %s: cannot be written\n", lost);
        stop_with(ex, RUN_STOP_WRITE_ERROR, text);
    }
    if (run_exec_write(ex, r) == 0) {
        json_array_append(ex->lines, r);
        ex->done++;
        if (!ex->o->quiet) {
            run_summary_progress(stdout, r, ex->done, ex->plan->n_items);
        }
        bool met = json_is_true(json_object_get(r, "expect_met"));
        bool counts = outcome && strcmp(outcome, "skipped") != 0 && strcmp(outcome, "not-run");
        if (ex->o->fail_fast && counts && !met) {
            char why[700];
            snprintf(why, sizeof why, "not run: --fail-fast stopped the run after %s (%s)",
                     it->s->name, it->backend);
            stop_with(ex, RUN_STOP_FAIL_FAST, why);
        }
    } else {
        it->recorded = false; /* not on disk: the end of the run accounts for it */
    }
    json_decref(r);
}

/* record_result from the run loop: after the worker's job, so results stay in plan order. */
static void record(run_exec_t *ex, run_item_t *it, json_t *r)
{
    run_pipeline_drain(ex->pipe);
    record_result(ex, it, r);
}

static void record_selftest(run_exec_t *ex, json_t *r)
{
    run_pipeline_drain(ex->pipe);
    set_config_file(ex, r);
    if (run_exec_write(ex, r) == 0) {
        json_array_append(ex->lines, r);
        if (!ex->o->quiet) {
            run_summary_progress(stdout, r, ex->done, ex->plan->n_items);
        }
    }
    json_decref(r);
}

/* <scenario>.<backend>[.<stack>][.<repeat>]: the default stack keeps today's names. */
static void run_id_of(const run_exec_t *ex, const run_item_t *it, char *out, size_t cap)
{
    const char *suffix = stack_image_suffix(it->stack); /* "" or "-mbedtls-3.6" */
    char stack_part[40] = "";
    if (suffix[0]) {
        snprintf(stack_part, sizeof stack_part, ".%s", suffix + 1);
    }
    if (ex->o->repeat > 1) {
        snprintf(out, cap, "%s.%s%s.%u", it->s->name, it->backend, stack_part, it->rep + 1);
    } else {
        snprintf(out, cap, "%s.%s%s", it->s->name, it->backend, stack_part);
    }
}

/* What a scenario's result still gets after its handshake: attempts, recovery, the record. */
typedef struct finish_job {
    run_exec_t *ex;
    run_item_t *it;
    exec_pending_t *pending;
    json_t *attempts;         /* errors of earlier attempts (taken) */
    json_t *recovered_before; /* or NULL (taken) */
} finish_job_t;

/* The result's attempt counters and the recovery that preceded it; then recorded. Takes
 * r, attempts and recovered_before. */
static void complete(run_exec_t *ex, run_item_t *it, json_t *r, json_t *attempts,
                     json_t *recovered_before, bool in_worker)
{
    if (recovered_before) {
        /* The board was brought back before this scenario; when the scenario
         * itself needed the ladder too, that one is `recovery`. */
        json_object_set_new(r, json_object_get(r, "recovery") ? "recovery_before" : "recovery",
                            recovered_before);
    }
    const char *outcome = json_string_value(json_object_get(r, "outcome"));
    size_t failed_attempts = json_array_size(attempts);
    bool infra = strcmp(outcome, "infra-error") == 0;
    if (failed_attempts > 0 && !infra) {
        json_object_set_new(r, "flaky", json_true());
    }
    json_object_set_new(r, "attempts", json_integer((json_int_t)failed_attempts + (infra ? 0 : 1)));
    json_object_set_new(r, "attempt_errors", attempts);
    if (in_worker) {
        record_result(ex, it, r);
    } else {
        record(ex, it, r);
    }
}

/* The worker's half of a scenario (run_pipeline.h). */
static void finish_in_worker(void *arg)
{
    finish_job_t *j = arg;
    json_t *r = scenario_exec_end(j->pending);
    if (*j->ex->signal) {
        /* Cut by the signal, as in run_one: not a result; not-run "interrupted" at the end. */
        json_decref(r);
        json_decref(j->attempts);
        json_decref(j->recovered_before);
    } else {
        complete(j->ex, j->it, r, j->attempts, j->recovered_before, true);
    }
    free(j);
}

/* A clean handshake's result finished by the worker while the loop goes on; false when it
 * must be finished here (fail-fast decides on it, or no memory for the job). */
static bool finish_later(run_exec_t *ex, run_item_t *it, exec_pending_t *p, json_t *attempts,
                         json_t *recovered_before)
{
    finish_job_t *j = ex->pipe && !ex->o->fail_fast ? malloc(sizeof *j) : NULL;
    if (!j) {
        return false;
    }
    *j = (finish_job_t){.ex = ex,
                        .it = it,
                        .pending = p,
                        .attempts = attempts,
                        .recovered_before = recovered_before};
    run_pipeline_submit(ex->pipe, finish_in_worker, j);
    return true;
}

/* One scenario with bounded retries of infrastructure errors. Returns false
 * when the target could not be restarted (the rest of its group cannot run). */
static bool run_one(run_exec_t *ex, target_session_t *ts, run_item_t *it, char *dead,
                    size_t dead_cap)
{
    char run_id[300], why[512];
    run_id_of(ex, it, run_id, sizeof run_id);
    const char *board = ex->plan->board->name;
    if (!requires_met(it->s, &ts->info, why, sizeof why)) {
        record(ex, it, run_result_skipped(it->s, board, it->backend, why));
        return true;
    }
    json_t *attempts = json_array();
    json_t *r = NULL;
    bool alive = true;
    /* Boards: the link heartbeat before the scenario; a board found silent or
     * restarted on its own is brought back first (the recovery ladder), and
     * the scenario's result carries how. */
    json_t *recovered_before = NULL;
    if (!target_session_alive(ts, why, sizeof why)) {
        run_pipeline_drain(ex->pipe);
        fprintf(stderr, "tlsrig: %s before %s: %s; recovering\n", board, it->s->name, why);
        char rerr[1024];
        int rc = target_session_restart(ts, rerr, sizeof rerr);
        recovered_before = ts->has_recovery ? recovery_outcome_json(&ts->recovery) : NULL;
        if (recovered_before) {
            json_object_set_new(recovered_before, "before_scenario", json_true());
            json_object_set_new(recovered_before, "heartbeat", json_string(why));
        }
        ts->has_recovery = false;
        if (rc != 0) {
            fprintf(stderr, "tlsrig: restart failed: %s\n", rerr);
            snprintf(dead, dead_cap, "not run: the target could not be restarted before %s: %s",
                     it->s->name, rerr);
            json_decref(recovered_before);
            json_decref(attempts);
            return false;
        }
    }
    for (unsigned a = 0; a <= ex->o->infra_retries && !*ex->signal; a++) {
        char cfg_err[1024] = "";
        json_decref(r);
        exec_pending_t *p =
            scenario_exec_begin(&ex->env, ts, it->s, run_id, cfg_err, sizeof cfg_err);
        if (!p) {
            run_pipeline_drain(ex->pipe);
            stop_on_config_error(ex, it->s, cfg_err);
            json_decref(attempts);
            json_decref(recovered_before);
            return true; /* the item stays unrecorded: not-run at the end */
        }
        if (scenario_exec_clean(p) && !*ex->signal &&
            finish_later(ex, it, p, attempts, recovered_before)) {
            return true;
        }
        /* Retries, restarts and fail-fast decide on the result here, after the worker's. */
        run_pipeline_drain(ex->pipe);
        bool died = scenario_exec_target_died(p);
        quiet_gate_open(); /* this scenario's capture and view are wanted now */
        r = scenario_exec_end(p);
        if (died && !*ex->signal && target_session_restart(ts, why, sizeof why) != 0) {
            fprintf(stderr, "tlsrig: restart failed: %s\n", why);
            snprintf(dead, dead_cap, "not run: the target could not be restarted after %s: %s",
                     it->s->name, why);
            alive = false;
        }
        if (died && ts->has_recovery) {
            (void)recovery_record_set(r, &ts->recovery);
            ts->has_recovery = false;
        }
        const char *outcome = json_string_value(json_object_get(r, "outcome"));
        if (strcmp(outcome, "infra-error") != 0 || !alive) {
            break;
        }
        json_array_append_new(attempts,
                              json_string(json_string_value(json_object_get(r, "infra_error"))));
    }
    if (*ex->signal && r) {
        /* Cut by the signal: what it produced is not a result of the scenario. */
        json_decref(r);
        r = NULL;
    }
    if (!r) {
        json_decref(recovered_before);
        json_decref(attempts);
        return alive; /* unrecorded: not-run "interrupted" at the end */
    }
    complete(ex, it, r, attempts, recovered_before, false);
    return alive;
}

static void run_replays(run_exec_t *ex, const run_group_t *g)
{
    if (!ex->o->quiet) {
        printf("== replays (stored ClientHellos against server profiles)\n");
        fflush(stdout);
    }
    for (size_t i = g->first; i < g->first + g->count && !stopping(ex); i++) {
        run_item_t *it = &ex->plan->items[i];
        char cfg_err[1024];
        json_t *r = scenario_exec_replay(&ex->env, it->s, ex->plan->board->name, it->backend,
                                         cfg_err, sizeof cfg_err);
        if (!r) {
            stop_on_config_error(ex, it->s, cfg_err);
            return;
        }
        json_object_set_new(r, "run_id", json_string(it->s->name));
        record(ex, it, r);
    }
}

/* issue 17 cfgcross: the image of the user's configuration in its tree (sim or Cortex-M),
 * the tree claimed by the first image that needs it. 0, 2 (does not build: the
 * configuration's fault) or 3 (infrastructure) with err. */
static int build_user_image(run_exec_t *ex, const run_group_t *g, const char *target,
                            const char *build_log, char *err, size_t errlen)
{
    const run_plan_t *p = ex->plan;
    if (!ex->user_build_ready) {
        if (user_build_prepare(&p->user_context, &p->user_config, p->user_tree, build_log,
                               &ex->user_build, err, errlen) != 0) {
            return 3;
        }
        ex->user_build_ready = true;
    }
    char lib[200];
    user_target_mbedtls_lib(p->user_tree, p->user_config.name, g->backend, g->stack, lib,
                            sizeof lib);
    return user_image_build(&ex->user_build, &p->user_config, target, lib, build_log, err, errlen);
}

/* All scenarios of one image: build, start once, self-test, run in order. */
/* The group's target started from image (the test fault armed on hw images when asked) and
 * its self-test taken into *st; 0, or -1 with err and ts->cause. */
static int start_target(run_exec_t *ex, const run_group_t *g, target_session_t *ts,
                        const char *image, const char *console, json_t **st, char *err,
                        size_t errlen)
{
    const run_options_t *o = ex->o;
    bool arm = o->fault && strcmp(g->backend, "hw") == 0;
    if (target_session_start(ts, ex->plan->board, image, g->backend, g->config, console,
                             arm ? o->fault : NULL, o->fault_every ? o->fault_every : 1u, err,
                             errlen) != 0) {
        return -1;
    }
    *st = run_result_selftest(ts, o->bench);
    return 0;
}

static void run_group(run_exec_t *ex, const run_group_t *g)
{
    const run_options_t *o = ex->o;
    const board_config_t *board = ex->plan->board;
    char target[300], image[4800], err[2048], console[4600], build_log[4600];
    image_target_name(board, g->backend, g->config, g->stack, target, sizeof target);
    if (g->not_built) {
        /* issue 18 wolfqemu: an image the build does not make is not an infrastructure error:
         * its scenarios are skipped, with what to configure (run_plan.c). */
        char why[1600];
        snprintf(why, sizeof why,
                 "image %s is not made by build %.300s (profile %s of stack %s left out of "
                 "its %s; see %.300s/" IMAGE_TARGETS_FILE ")",
                 target, o->build_dir, g->config, g->stack,
                 image_target_hint(board_firmware(board), g->stack), o->build_dir);
        if (!o->quiet) {
            printf("== image %s: not made by this build, its scenarios skipped\n", target);
            fflush(stdout);
        }
        for (size_t i = g->first; i < g->first + g->count && !stopping(ex); i++) {
            run_item_t *it = &ex->plan->items[i];
            record(ex, it, run_result_skipped(it->s, board->name, it->backend, why));
        }
        return;
    }
    snprintf(console, sizeof console, "%s/logs/console-%s.log", ex->out_dir, target);
    snprintf(build_log, sizeof build_log, "%s/logs/build-%s.log", ex->out_dir, target);
    if (!o->quiet) {
        printf("== image %s (board %s, stack %s, backend %s, config %s)\n", target, board->name,
               g->stack, g->backend, g->config);
        fflush(stdout);
    }
    /* The user's configuration builds in a tree of its own (user_build.h, user_image.h). */
    const char *build_dir = o->build_dir;
    int rc = 0;
    image_check_t check;
    bool checking = false;
    if (ex->plan->has_user_config) {
        rc = build_user_image(ex, g, target, build_log, err, sizeof err);
        if (rc == 2) {
            /* The configuration does not build for this firmware: a configuration error. */
            fprintf(stderr, "tlsrig: %s\n", err);
            char text[1300];
            snprintf(text, sizeof text, "not run: %.1200s", err);
            stop_with(ex, RUN_STOP_CONFIG, text);
            return;
        }
        build_dir = ex->user_build.tree;
    } else if (board->kind == BOARD_SIM && image_check_begin(&check, build_dir, target) == 0) {
        /* The sim starts beside the check (image_check.h). Not QEMU: its cross-built images
         * have no input list, so they always build first (a boot wasted otherwise). */
        checking = true;
    } else {
        rc = image_build(build_dir, target, build_log, err, sizeof err);
    }
    snprintf(image, sizeof image, "%s/images/%s", build_dir, target);
    int built = rc;
    target_session_t ts;
    memset(&ts, 0, sizeof ts);
    json_t *st = NULL;
    if (rc == 0) {
        rc = start_target(ex, g, &ts, image, console, &st, err, sizeof err);
    }
    if (checking && !image_check_end(&check, build_log)) {
        /* What started was an image older than its sources: stopped before the build rewrites
         * it, then built and started again; nothing of it is recorded. */
        json_decref(st);
        st = NULL;
        target_session_stop(&ts);
        rc = built = image_build(build_dir, target, build_log, err, sizeof err);
        if (rc == 0) {
            rc = start_target(ex, g, &ts, image, console, &st, err, sizeof err);
        }
    }
    if (rc != 0) {
        /* The image never ran: each of its scenarios is an infrastructure
         * error; the next image gets its own chance. */
        fprintf(stderr, "tlsrig: %s\n", err);
        /* A failed build is the host's; a failed start says its own cause. */
        infra_cause_t cause = built == 0 ? ts.cause : INFRA_HOST_ERROR;
        for (size_t i = g->first; i < g->first + g->count && !stopping(ex); i++) {
            run_item_t *it = &ex->plan->items[i];
            json_t *r = run_result_infra(it->s, board->name, it->backend, err);
            result_set_infra(r, cause, err);
            record(ex, it, r);
        }
        json_decref(st);
        target_session_stop(&ts);
        return;
    }
    json_t *flash = target_session_flash_json(&ts);
    if (flash && !o->quiet) {
        printf("flash: %s, %s (%.1f s)\n", json_string_value(json_object_get(flash, "outcome")),
               json_string_value(json_object_get(flash, "reason")),
               json_real_value(json_object_get(flash, "seconds")));
        fflush(stdout);
    }
    set_stack(st, g->stack);
    if (flash) {
        json_object_set_new(st, "flash", flash);
    }
    record_selftest(ex, st);
    char dead[1200] = "";
    for (size_t i = g->first; i < g->first + g->count && !stopping(ex); i++) {
        run_item_t *it = &ex->plan->items[i];
        if (dead[0]) {
            record(ex, it, run_result_not_run(it->s, board->name, it->backend, dead));
        } else {
            run_one(ex, &ts, it, dead, sizeof dead);
        }
    }
    run_pipeline_drain(ex->pipe);
    target_session_stop(&ts);
}

void run_exec_all(run_exec_t *ex)
{
    /* Without the worker (no thread, or TLSRIG_NO_RESULT_WORKER set for A/B timing), every
     * result is finished in the loop. */
    const char *no_worker = getenv("TLSRIG_NO_RESULT_WORKER");
    ex->pipe =
        no_worker && no_worker[0] && strcmp(no_worker, "0") != 0 ? NULL : run_pipeline_start();
    for (size_t g = 0; g < ex->plan->n_groups && !stopping(ex); g++) {
        if (ex->plan->groups[g].replay) {
            run_replays(ex, &ex->plan->groups[g]);
        } else {
            run_group(ex, &ex->plan->groups[g]);
        }
    }
    run_pipeline_stop(ex->pipe);
    ex->pipe = NULL;
    stopping(ex);
    user_build_release(&ex->user_build);
    /* Accounting: every planned run without a result gets one. */
    for (size_t i = 0; i < ex->plan->n_items && !ex->results_broken; i++) {
        run_item_t *it = &ex->plan->items[i];
        if (!it->recorded) {
            char why[1500];
            snprintf(why, sizeof why, "%s%s", ex->stop == RUN_STOP_SIGNAL ? "not run: " : "",
                     ex->stop_reason);
            record(ex, it,
                   run_result_not_run(it->s, ex->plan->board->name, it->backend,
                                      ex->stop_reason[0] ? why : "not run"));
        }
    }
}
