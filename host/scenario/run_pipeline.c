/* A one-slot job queue and its worker thread (run_pipeline.h). */
#define _POSIX_C_SOURCE 200809L
#include "run_pipeline.h"
#include "quiet_gate.h"
#include "thread_priority.h"

#include <pthread.h>
#include <stdlib.h>

struct run_pipeline {
    pthread_mutex_t mu;
    pthread_cond_t changed; /* a job queued, finished, or the end asked */
    pthread_t thread;
    pipeline_fn_t fn;
    void *job;
    bool busy; /* a job queued or running */
    bool ending;
};

static void *worker(void *arg)
{
    run_pipeline_t *p = arg;
    thread_priority_background(); /* the next scenario's handshake goes first */
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->busy && !p->ending) {
            pthread_cond_wait(&p->changed, &p->mu);
        }
        if (!p->busy) {
            break; /* ending, nothing left */
        }
        pipeline_fn_t fn = p->fn;
        void *job = p->job;
        pthread_mutex_unlock(&p->mu);
        quiet_gate_wait(QUIET_GATE_MAX_MS); /* the next handshake's start goes first */
        fn(job);
        pthread_mutex_lock(&p->mu);
        p->busy = false;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

run_pipeline_t *run_pipeline_start(void)
{
    run_pipeline_t *p = calloc(1, sizeof *p);
    if (!p) {
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->changed, NULL);
    if (pthread_create(&p->thread, NULL, worker, p) != 0) {
        pthread_cond_destroy(&p->changed);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    return p;
}

static void wait_idle(run_pipeline_t *p)
{
    if (p->busy) {
        quiet_gate_open(); /* the run waits for the worker: no handshake to keep quiet for */
    }
    while (p->busy) {
        pthread_cond_wait(&p->changed, &p->mu);
    }
}

void run_pipeline_submit(run_pipeline_t *p, pipeline_fn_t fn, void *job)
{
    if (!p) {
        fn(job);
        return;
    }
    pthread_mutex_lock(&p->mu);
    wait_idle(p);
    p->fn = fn;
    p->job = job;
    p->busy = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->mu);
}

void run_pipeline_drain(run_pipeline_t *p)
{
    if (!p) {
        return;
    }
    pthread_mutex_lock(&p->mu);
    wait_idle(p);
    pthread_mutex_unlock(&p->mu);
}

void run_pipeline_stop(run_pipeline_t *p)
{
    if (!p) {
        return;
    }
    pthread_mutex_lock(&p->mu);
    wait_idle(p);
    p->ending = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
