/* Join the client log, the agent's RESULT, the server's typed view and what
 * the run already knows (the other backend's outcome, this image's
 * self-tests) into a diagnosis, and put it on the result: verdict,
 * explanation, evidence, fix, candidates (and primitive). */
#ifndef TLSRIG_RESULT_DIAGNOSIS_H
#define TLSRIG_RESULT_DIAGNOSIS_H

#include <jansson.h>

#include "config_macros.h"
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

/* issue 17 cfgfile: what the run knows beside the log, the server and the prior results:
 * the client's configuration (--config-file) and the scenario's server name against the
 * image's features (diagnose.h, diagnose_input_t). */
typedef struct result_diag_extra {
    const config_macros_t *config; /* NULL: the rig's own profile */
    const char *config_label;
    const char *config_stack;
    const char *requested_sni; /* NULL: the scenario sets none */
    int agent_sni;             /* HELLO feature "sni": 1, 0, -1 unknown */
} result_diag_extra_t;
int result_add_diagnosis_ex(json_t *result, const char *log_path, const server_view_t *server,
                            const json_t *prior, const result_diag_extra_t *extra);

/* Marks result as an infrastructure error of that cause (outcome, infra_error,
 * infra_cause) and diagnoses it. */
void result_set_infra(json_t *result, infra_cause_t cause, const char *detail);

#endif
