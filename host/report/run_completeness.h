/* Whether a run recorded everything it planned. The run-start record lists
 * the planned scenario x backend runs; results that never came (a run killed
 * by SIGKILL, a full disk) are added as synthesized "not-run" results so every
 * report counts and shows them. A merged run is judged per source run. */
#ifndef TLSRIG_RUN_COMPLETENESS_H
#define TLSRIG_RUN_COMPLETENESS_H

#include <jansson.h>
#include <stddef.h>

/* Appends the missing results to `results` (in place) and returns
 * {status: "complete" | "cut-short" | "unknown", planned, recorded, not_run,
 *  reasons: [text, ...]}. planned is -1 when unknown. A run without run
 * records (older tlsrig) is "unknown", never "complete". */
json_t *run_completeness(json_t *results, const json_t *records, size_t skipped_lines);

#endif
