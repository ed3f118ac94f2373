/* Scenario `requires:` against what the running firmware reports in HELLO:
 * "suite:NAME", "group:NAME", "feature:NAME" (or a bare feature name). */
#ifndef TLSRIG_REQUIRES_H
#define TLSRIG_REQUIRES_H

#include <stdbool.h>
#include <stddef.h>

#include "agent_rpc.h"
#include "scenario.h"

/* true when everything required is there; else why (for the skip reason). */
bool requires_met(const scenario_t *s, const agent_info_t *info, char *why, size_t cap);

#endif
