/* What a run amounts to, from its results and run records, and how the
 * console shows it: one progress line per scenario x backend result, and at
 * the end the totals, whether the run is complete, and one line per root
 * cause. `tlsrig run` and `tlsrig report` print the same from the same data. */
#ifndef TLSRIG_RUN_SUMMARY_H
#define TLSRIG_RUN_SUMMARY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "results_log.h"

/* Normalise results read back (older parity lines folded into their hw
 * result; planned runs without a result added as not-run) and judge them:
 * {exit, completeness, totals, causes}. exit: 0 complete and every
 * expectation met; 1 an expectation not met, a scenario that never ran,
 * completeness unknown, nothing applicable, or regression; 3 an
 * infrastructure error. results is modified in place. */
json_t *run_verdict(json_t *results, const json_t *records, size_t skipped_lines, bool regression);

/* "[ 12/136] name  backend outcome ..." for a scenario x backend result;
 * "[self-test] ..." (not counted) for an image's self-test. */
void run_summary_progress(FILE *out, const json_t *result, size_t done, size_t total);
/* Totals, completeness and root causes of run_verdict(). */
void run_summary_print(FILE *out, const json_t *verdict, const char *out_dir);

/* Write every report of DIR from DIR/results.jsonl; compare with baseline
 * when given. *verdict (when not NULL) gets run_verdict() of what was read.
 * 0; 2 with err when results.jsonl or the baseline cannot be read; 3 with
 * err naming the report that could not be written (full disk ...). */
int run_reports_write(const char *dir, const char *baseline, json_t **verdict, char *err,
                      size_t errlen);
/* The same from DIR/results.jsonl's lines already parsed (results_log_take_mirror: what
 * results_log_load would read), which it frees: the run that wrote the file skips reading
 * it back. */
int run_reports_write_log(const char *dir, run_log_t *log, const char *baseline, json_t **verdict,
                          char *err, size_t errlen);

#endif
