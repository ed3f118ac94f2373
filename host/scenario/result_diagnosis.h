/* Join the client log, the agent's RESULT, the server's typed view and what
 * the run already knows (the other backend's outcome, this image's
 * self-tests) into a diagnosis, and put it on the result: verdict,
 * explanation, evidence, fix, candidates (and primitive). */
#ifndef TLSRIG_RESULT_DIAGNOSIS_H
#define TLSRIG_RESULT_DIAGNOSIS_H

#include <jansson.h>

#include "infra_cause.h"
#include "server_view.h"

/* log_path may be NULL or missing. server: the server's typed view, NULL when
 * there was no connection (then the result's "server" member, if any, is read
 * through the edge reader). prior: the results this run recorded before this
 * one (borrowed, may be NULL): the other backend's result for the same
 * scenario and this image's self-test are taken from there. Returns 0, or -1
 * when nothing could be said. */
int result_add_diagnosis(json_t *result, const char *log_path, const server_view_t *server,
                         const json_t *prior);

/* Marks result as an infrastructure error of that cause (outcome, infra_error,
 * infra_cause) and diagnoses it. */
void result_set_infra(json_t *result, infra_cause_t cause, const char *detail);

#endif
