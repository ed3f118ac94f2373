/* One handshake on the target: send the settings, bridge the TUNNEL channel
 * to the TLS server on loopback, collect LOG text, wait for the RESULT. */
#ifndef TLSRIG_BRIDGE_H
#define TLSRIG_BRIDGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "flasher.h"
#include "host_link.h"
#include "infra_cause.h"
#include "log_decode.h"

typedef struct bridge_outcome {
    json_t *result;            /* decoded RESULT (see result_decode.h), NULL if none came */
    char infra[512];           /* non-empty: an infrastructure error, not a TLS outcome */
    infra_cause_t infra_cause; /* its cause */
    bool target_died;          /* the rig must restart the target */
    bool tunnel_opened;        /* the agent connected to the server at least once */
    uint64_t started_us;       /* CLOCK_REALTIME, the clock the server's capture uses */
    uint64_t ended_us;
    link_stats_t link_delta;   /* what the link counted during this handshake */
    log_dec_stats_t log_delta; /* LOG bytes on the wire, text written, records not decoded */
    /* Where the counters and the clock stood when the request went (bridge_begin). */
    link_stats_t link_before;
    log_dec_stats_t log_before;
    uint32_t start_ms;
} bridge_outcome_t;

typedef struct bridge_target {
    host_link_t *link;
    const flasher_t *flasher;
    target_handle_t *handle;
    /* LOG messages (text or compact records) into log text; it keeps the
     * record table across the handshakes of one agent session. */
    log_decoder_t *log_decoder;
    /* Format "both": LOG_TEXT goes to the log as is and the records'
     * rendering here (NULL: everything goes to the log). */
    FILE *log_records;
} bridge_target_t;

/* One handshake in two steps, so work can run between the request and the bridge (issue 16:
 * the scenario's server starts while the agent takes its seed and sets up). begin sends the
 * settings (what arrives meanwhile waits in the link). continue bridges to server_port (0: no
 * server, every TUNNEL OPEN is refused) until the RESULT, timeout_ms counted from begin; log
 * receives the target's debug text as it arrives, decoded from compact records where the agent
 * sent those. */
void bridge_begin(bridge_target_t *t, const uint8_t *request, size_t len, bridge_outcome_t *out);
void bridge_continue(bridge_target_t *t, uint16_t server_port, FILE *log, uint32_t timeout_ms,
                     volatile const bool *interrupted, bridge_outcome_t *out);

uint64_t realtime_us(void);

#endif
