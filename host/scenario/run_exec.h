/* Executing a run plan: each image built and started once, its self-test,
 * then its scenarios with bounded retries of infrastructure errors. Every
 * planned scenario x backend run ends as exactly one result line: pass,
 * fail, skipped (with the reason), infra-error, or not-run (with the reason
 * it never ran: interrupted, --fail-fast, a target that could not be
 * restarted, a configuration error, a failed write). */
#ifndef TLSRIG_RUN_EXEC_H
#define TLSRIG_RUN_EXEC_H

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include "results_log.h"
#include "run_pipeline.h"
#include "run_plan.h"
#include "runner.h"
#include "scenario_exec.h"
#include "user_build.h"

typedef enum run_stop {
    RUN_GOING = 0,
    RUN_STOP_SIGNAL,      /* SIGINT / SIGTERM */
    RUN_STOP_FAIL_FAST,   /* --fail-fast after an unmet expectation */
    RUN_STOP_CONFIG,      /* a configuration error found while running */
    RUN_STOP_WRITE_ERROR, /* a file of the run could not be written (full disk) */
} run_stop_t;

typedef struct run_exec {
    const run_options_t *o;
    run_plan_t *plan;
    results_log_t *log;
    exec_env_t env;
    const char *out_dir;
    volatile sig_atomic_t *signal; /* the signal that asked us to stop, or 0 */
    json_t *lines;                 /* every result written, for parity and the console */
    size_t done;                   /* scenario x backend results written */
    run_stop_t stop;
    bool results_broken; /* results.jsonl refused a write: no further line is tried */
    char stop_reason[1400];
    char write_err[1024];
    /* issue 17 cfgfile: the build tree of the user's configuration, prepared by the first
     * image that needs it and held (locked) until the run ends. */
    user_build_t user_build;
    bool user_build_ready;
    /* issue 16: scenario N's result is finished by a worker while N+1's handshake runs
     * (run_pipeline.h); stop and stop_reason are then shared, under stop_mu. */
    run_pipeline_t *pipe;
    pthread_mutex_t stop_mu; /* initialised by run_exec_init */
} run_exec_t;

/* The parts of ex that are not plain values: call once before any other function here. */
void run_exec_init(run_exec_t *ex);

/* Run every group of the plan, then write a not-run result for every
 * planned run left without one. */
void run_exec_all(run_exec_t *ex);

/* Append a line to results.jsonl; on failure stop the run (write error). */
int run_exec_write(run_exec_t *ex, const json_t *line);

#endif
