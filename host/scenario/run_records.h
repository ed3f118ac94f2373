/* Result lines the runner writes itself (no handshake behind them): an
 * infrastructure error, a skip, a scenario that never ran, the self-test of
 * an image; and the run-end record. */
#ifndef TLSRIG_RUN_RECORDS_H
#define TLSRIG_RUN_RECORDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "scenario.h"
#include "target_session.h"

json_t *run_result_infra(const scenario_t *s, const char *board, const char *backend,
                         const char *reason);
json_t *run_result_skipped(const scenario_t *s, const char *board, const char *backend,
                           const char *why);
json_t *run_result_not_run(const scenario_t *s, const char *board, const char *backend,
                           const char *why);
/* The self-test of a running image, with its benchmark (agent answers). */
json_t *run_result_selftest(target_session_t *ts, bool bench);

/* {record: run-end, complete, reason, exit_code, results, not_run, ended_at} */
json_t *run_end_record(bool complete, const char *reason, int exit_code, size_t results,
                       size_t not_run);

#endif
