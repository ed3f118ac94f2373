/* One scenario on a running target, or one replayed ClientHello: returns the
 * result object for results.jsonl (expectation not yet evaluated). */
#ifndef TLSRIG_SCENARIO_EXEC_H
#define TLSRIG_SCENARIO_EXEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "config_header.h"
#include "scenario.h"
#include "target_session.h"

typedef enum log_wire {
    LOG_WIRE_COMPACT = 0, /* default */
    LOG_WIRE_TEXT,
    LOG_WIRE_BOTH,
} log_wire_t;

typedef struct exec_env {
    const char *out_dir;
    const char *profiles_dir;
    const char *recipes_path;
    const char *certs_cache;
    uint32_t scenario_timeout_ms;
    volatile const bool *interrupted;
    /* Results recorded so far in this run (borrowed, may be NULL): the
     * diagnosis reads the other backend's outcome and the self-tests there. */
    const json_t *prior_results;
    /* Debug log on the link (--log-wire): compact records when the agent
     * offers them (HELLO feature "log-compact"), text, or both (the records
     * rendered into logs/<run>.log.records, for the identity check). */
    log_wire_t log_wire;
    unsigned server_debug; /* mbedTLS debug threshold of the scenario's server (server.log) */
    /* issue 17 cfgfile: the user's configuration the images run (--config-file), or NULL;
     * its label "PATH (sha256 ...)" for the diagnosis. */
    const user_config_t *user_config;
    const char *user_config_label;
} exec_env_t;

/* A scenario in two steps, so the run can start the next handshake while this result is
 * finished (issue 16: run_pipeline.h). begin: the scenario's server, the seed and trust list,
 * the handshake over the bridge, and every result field the agent and the bridge gave; NULL
 * with cfg_err on a configuration error. It reads the target session; end does not. */
typedef struct exec_pending exec_pending_t;
exec_pending_t *scenario_exec_begin(const exec_env_t *env, target_session_t *ts,
                                    const scenario_t *s, const char *run_id, char *cfg_err,
                                    size_t errlen);
/* No infrastructure error and the target alive: the result needs nothing more of the run
 * loop (no retry, no restart). */
bool scenario_exec_clean(const exec_pending_t *p);
bool scenario_exec_target_died(const exec_pending_t *p);
/* end: the server's view (waited for), the server stopped, the duration, the self-test
 * outcome and the diagnosis from env->prior_results. Returns the result, outcome pass, fail or
 * infra-error (scenario_exec_target_died, asked before end: the rig must restart the target);
 * frees p. */
json_t *scenario_exec_end(exec_pending_t *p);

/* A replay scenario: NULL with cfg_err on a configuration error (unknown
 * profile, unreadable ClientHello file); else the result (outcome pass when
 * the server would answer with a ServerHello, fail otherwise). */
json_t *scenario_exec_replay(const exec_env_t *env, const scenario_t *s, const char *board,
                             const char *backend, char *cfg_err, size_t errlen);

#endif
