/* The `recovery` field of a per-scenario result (docs/reports.md): which rung
 * brought the board back, or that it was quarantined, and every rung tried. */
#ifndef TLSRIG_RECOVERY_RECORD_H
#define TLSRIG_RECOVERY_RECORD_H

#include <jansson.h>

#include "recovery.h"

/* {"recovered_by": "probe-reset", "quarantined": false, "steps": [{"rung",
 * "result": "recovered"|"failed"|"skipped", "why", "ms"}]}; NULL when out of
 * memory. */
json_t *recovery_outcome_json(const recovery_outcome_t *o);

/* result["recovery"] = recovery_outcome_json(o). 0, or -1 when out of memory. */
int recovery_record_set(json_t *result, const recovery_outcome_t *o);

/* `quarantined` of `tlsrig list --json` and `tlsrig probes --json`: null, or
 * {"since", "reason", "file"}. */
#include "quarantine.h"
json_t *quarantine_info_json(const quarantine_info_t *q);

#endif
