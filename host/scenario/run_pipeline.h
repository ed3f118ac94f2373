/* One job at a time beside the run loop (issue 16): while the target runs scenario N+1's
 * handshake, a worker thread finishes scenario N (the server's view, the diagnosis, the
 * record). Jobs run in the order given and never two at once, so results are written in
 * plan order and each diagnosis sees every earlier result. */
#ifndef TLSRIG_RUN_PIPELINE_H
#define TLSRIG_RUN_PIPELINE_H

#include <stdbool.h>

typedef void (*pipeline_fn_t)(void *job);
typedef struct run_pipeline run_pipeline_t;

/* The worker thread; NULL when it cannot be made (then callers run jobs themselves). */
run_pipeline_t *run_pipeline_start(void);
/* Waits for the previous job to finish, then hands fn(job) to the worker. With p NULL,
 * runs fn(job) at once. */
void run_pipeline_submit(run_pipeline_t *p, pipeline_fn_t fn, void *job);
/* Returns once no job is queued or running: call before anything that reads or writes what
 * jobs touch (the run's results, its stop state, stdout). */
void run_pipeline_drain(run_pipeline_t *p);
/* Drains, ends and joins the worker. */
void run_pipeline_stop(run_pipeline_t *p);

#endif
