/* issue 16: the result worker (run_pipeline.h) runs jobs one at a time, in the order given;
 * drain returns only when the last job has finished; without a worker, jobs run at once. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>

#include "quiet_gate.h"
#include "run_pipeline.h"

#define JOBS 200

typedef struct log {
    int order[JOBS];
    atomic_int n;
    atomic_int running; /* jobs inside fn at this moment */
    atomic_int overlap; /* times two ran at once */
    pthread_t ran_on[JOBS];
} log_t;

typedef struct job {
    log_t *log;
    int id;
} job_t;

static volatile unsigned g_sink; /* keeps the spin from being optimised away */

static void spin_a_little(int id)
{
    unsigned x = 0;
    for (int i = 0; i < (id % 7) * 2000; i++) {
        x += (unsigned)i * (unsigned)id; /* uneven job lengths */
    }
    g_sink = x;
}

static void record_job(void *arg)
{
    job_t *j = arg;
    if (atomic_fetch_add(&j->log->running, 1) != 0) {
        atomic_fetch_add(&j->log->overlap, 1);
    }
    spin_a_little(j->id);
    int at = atomic_fetch_add(&j->log->n, 1);
    j->log->order[at] = j->id;
    j->log->ran_on[at] = pthread_self();
    atomic_fetch_sub(&j->log->running, 1);
}

Test(run_pipeline, jobs_run_one_at_a_time_in_the_order_given_on_the_worker)
{
    static log_t log;
    static job_t jobs[JOBS];
    run_pipeline_t *p = run_pipeline_start();
    cr_assert_not_null(p);
    for (int i = 0; i < JOBS; i++) {
        jobs[i] = (job_t){.log = &log, .id = i};
        run_pipeline_submit(p, record_job, &jobs[i]);
    }
    run_pipeline_drain(p);
    /* drain waited for the last one */
    cr_assert_eq(atomic_load(&log.n), JOBS);
    for (int i = 0; i < JOBS; i++) {
        cr_assert_eq(log.order[i], i, "job %d ran as number %d", log.order[i], i);
        cr_assert(!pthread_equal(log.ran_on[i], pthread_self()), "job %d ran on the caller", i);
    }
    cr_assert_eq(atomic_load(&log.overlap), 0);
    run_pipeline_stop(p);
}

Test(run_pipeline, stop_finishes_the_queued_job_first)
{
    static log_t log;
    static job_t job;
    run_pipeline_t *p = run_pipeline_start();
    cr_assert_not_null(p);
    job = (job_t){.log = &log, .id = 6}; /* the longest spin */
    run_pipeline_submit(p, record_job, &job);
    run_pipeline_stop(p);
    cr_assert_eq(atomic_load(&log.n), 1);
}

Test(run_pipeline, without_a_worker_the_job_runs_before_submit_returns)
{
    static log_t log;
    static job_t job;
    job = (job_t){.log = &log, .id = 3};
    run_pipeline_submit(NULL, record_job, &job);
    cr_assert_eq(atomic_load(&log.n), 1);
    cr_assert(pthread_equal(log.ran_on[0], pthread_self()));
    run_pipeline_drain(NULL); /* no-ops, no crash */
    run_pipeline_stop(NULL);
}

/* issue 16: a job waits for the quiet gate (the next handshake's start goes first), but a
 * run that waits for its worker opens the gate: nothing is left waiting for its bound. */
Test(run_pipeline, waiting_for_the_worker_opens_the_quiet_gate)
{
    static log_t log;
    static job_t job;
    run_pipeline_t *p = run_pipeline_start();
    cr_assert_not_null(p);
    quiet_gate_close();
    job = (job_t){.log = &log, .id = 1};
    run_pipeline_submit(p, record_job, &job);
    run_pipeline_drain(p);
    cr_assert_eq(atomic_load(&log.n), 1);
    cr_assert(quiet_gate_is_open(), "drain left the gate closed: its job waited for the bound");
    run_pipeline_stop(p);
}
