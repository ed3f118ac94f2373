/* Turns what the rig observed when something failed (the target process, the
 * link, the agent's answer) into an infra_cause_t. */
#ifndef TLSRIG_INFRA_CLASSIFY_H
#define TLSRIG_INFRA_CLASSIFY_H

#include "agent_rpc.h"
#include "flasher.h"
#include "infra_cause.h"

/* After a failed agent request: the target stopped (crash or fault), else the
 * request's own failure (no answer: hang; link lost: link; refused or too
 * large: host; malformed: link). flasher/handle may be NULL. */
infra_cause_t infra_classify_rpc(const flasher_t *flasher, target_handle_t *handle,
                                 agent_rpc_failure_t why);

/* The target is no longer running: a fault report, else a crash. */
infra_cause_t infra_classify_stopped(const target_handle_t *handle);

#endif
