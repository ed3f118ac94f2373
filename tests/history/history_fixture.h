/* Synthetic run folders for the history tests: results.jsonl with a run-start record, the
 * results given, and a run-end record, as `tlsrig run` writes them. */
#ifndef TLSRIG_HISTORY_FIXTURE_H
#define TLSRIG_HISTORY_FIXTURE_H

#include <jansson.h>
#include <stddef.h>

/* A fresh empty directory under the build tree's test area. */
void hf_tmpdir(const char *name, char *out, size_t cap);
/* One result: scenario on backend, with outcome, duration and heap peak. New reference. */
json_t *hf_result(const char *scenario, const char *backend, const char *outcome,
                  double duration_ms, long heap_peak);
/* DIR/results.jsonl from the results (stolen), started at `started_at` (ISO). */
void hf_write_run(const char *dir, const char *started_at, json_t *results);

#endif
