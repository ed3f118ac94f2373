/* Host side of the agent's CTRL commands (common/proto/proto.h). */
#ifndef TLSRIG_AGENT_RPC_H
#define TLSRIG_AGENT_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host_link.h"
#include "panic_record.h"

typedef struct agent_info {
    unsigned proto_version;
    char agent_version[32];
    char board[32];
    char device_uid[32];
    char backend[8];
    char mbedtls_version[16];
    char config[32];
    char build_id[32];
    char features[256];
    uint16_t suites[160];
    size_t n_suites;
    uint16_t groups[32];
    size_t n_groups;
    uint32_t heap_size;
    uint32_t session_epoch; /* new at every agent boot; 0 when the agent sent none */
    uint32_t uptime_ms;     /* at the time of the answer */
    /* Board facts (boards; sim and QEMU send the clock source only). */
    char clock_source[32]; /* T_CLOCK_SOURCE, "" when absent */
    char reset_cause[24];  /* T_RESET_CAUSE, "" when absent */
    uint32_t link_baud;    /* T_LINK_BAUD, 0 when absent */
    bool has_panic;        /* T_PANIC came and decoded: the last reset was a fault */
    bool panic_malformed;  /* T_PANIC came but did not decode (length, magic or CRC) */
    panic_record_t panic;
    /* issue 18 wolfagent: the TLS stack (T_TLS_STACK, "" from mbedTLS images), its library
     * version and build options (T_TLS_LIB_VERSION, T_TLS_OPTIONS). */
    char tls_stack[16];
    char tls_lib_version[16];
    char tls_options[512];
} agent_info_t;

/* CTRL_PING's answer. */
typedef struct agent_pulse {
    uint32_t session_epoch;
    uint32_t uptime_ms;
} agent_pulse_t;

/* Why the last failed call on this thread failed (libserialport style: the
 * functions return -1/NULL, the cause is asked for separately). */
typedef enum agent_rpc_failure {
    AGENT_RPC_OK = 0,
    AGENT_RPC_NO_ANSWER, /* deadline passed, the link still up */
    AGENT_RPC_LINK_LOST, /* retries exhausted or the target closed the link */
    AGENT_RPC_REFUSED,   /* the agent answered with an error status */
    AGENT_RPC_MALFORMED, /* the answer did not decode (or another protocol version) */
    AGENT_RPC_TOO_LARGE, /* the request did not fit a frame */
} agent_rpc_failure_t;
agent_rpc_failure_t agent_rpc_last_failure(void);
/* issue 18 wolfagent: the T_STATUS of the last AGENT_RPC_REFUSED answer on this thread
 * (ST_ERR_UNSUPPORTED: the image cannot do the command, e.g. SELFTEST on wolfSSL). */
uint8_t agent_rpc_last_status(void);

/* Messages that arrive while waiting for an answer (LOG, TUNNEL...) go here. */
typedef void (*agent_other_fn)(void *ctx, host_msg_t *m);

/* Send one CTRL request and wait for its answer. Returns the answer (caller
 * frees) or NULL on timeout or a dead link; err says which. */
host_msg_t *agent_rpc(host_link_t *hl, uint8_t type, const void *req, size_t len,
                      uint32_t timeout_ms, agent_other_fn other, void *ctx, char *err,
                      size_t errlen);

int agent_hello(host_link_t *hl, agent_info_t *info, uint32_t timeout_ms, char *err, size_t errlen);
/* True when HELLO's comma-separated features name exactly this one. */
bool agent_has_feature(const agent_info_t *info, const char *name);

/* Heartbeat: CTRL_PING, the agent's session epoch and uptime. 0, or -1 with
 * err (agent_rpc_last_failure() says why). other takes what arrives meanwhile
 * (NULL: dropped). */
int agent_ping(host_link_t *hl, agent_pulse_t *out, uint32_t timeout_ms, agent_other_fn other,
               void *ctx, char *err, size_t errlen);

/* CTRL_RESET: the agent answers, then resets (a board restarts its image; the
 * sim process exits with PROTO_SIM_EXIT_RESET). 0 when the reset was
 * acknowledged; the caller then waits for a new HELLO with a new epoch. */
int agent_reset(host_link_t *hl, uint32_t timeout_ms, char *err, size_t errlen);

/* True when the agent behind the link is not the one `known` came from: its
 * epoch now differs. An epoch of 0 (an agent without one) never counts. */
bool agent_reset_detected(const agent_info_t *known, uint32_t epoch_now);

/* Replace the agent's trust list with data (PEM or DER), in chunks. */
int agent_upload_ca(host_link_t *hl, const uint8_t *data, size_t len, uint32_t timeout_ms,
                    char *err, size_t errlen);

/* Run the agent's crypto self-tests: {"duration_us", "primitives": [{name,
 * status (pass|fail|skipped), ops, bytes, failed}]}. NULL with err on failure. */
#include <jansson.h>
json_t *agent_selftest(host_link_t *hl, uint32_t timeout_ms, char *err, size_t errlen);

/* Micro-benchmarks: {"primitives": [{name "<prim>/<bytes>", ops, bytes, ns}]}. */
json_t *agent_bench(host_link_t *hl, uint32_t timeout_ms, char *err, size_t errlen);

/* TEST ONLY: hand the agent its random seed (CTRL_ENTROPY, emulated boards
 * only; the agent refuses it on boards). 0, or -1 with err. */
int agent_send_entropy(host_link_t *hl, const uint8_t *seed, size_t len, uint32_t timeout_ms,
                       char *err, size_t errlen);

/* Arm a crypto fault in the agent (sim hw images only). */
int agent_inject_fault(host_link_t *hl, const char *name, uint32_t every_n, uint32_t timeout_ms,
                       char *err, size_t errlen);

/* Decode one T_PRIMITIVE item's nested TLVs into a JSON object. */
json_t *agent_primitive_json(const uint8_t *value, size_t len, const char **name);

#endif
