/* The run directory: claimed atomically before anything is written, and
 * every file name built from a scenario, config or board name checked so that
 * the rig never writes outside it. */
#ifndef TLSRIG_RUN_OUTPUT_H
#define TLSRIG_RUN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "results_log.h"

/* Create DIR and its parents, then claim it by creating DIR/results.jsonl
 * with O_EXCL: a second run given the same DIR (at the same time or later)
 * fails here, before writing anything. When default_name is true and DIR is
 * taken, DIR-2, DIR-3 ... are tried and dir is updated. Returns 0; 2 with err
 * when DIR is empty or already holds a run; 3 with err on I/O errors. */
int run_output_claim(char *dir, size_t cap, bool default_name, results_log_t *log, char *err,
                     size_t errlen);

#endif
