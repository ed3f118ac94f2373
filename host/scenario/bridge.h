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

typedef struct bridge_outcome {
    json_t *result;            /* decoded RESULT (see result_decode.h), NULL if none came */
    char infra[512];           /* non-empty: an infrastructure error, not a TLS outcome */
    infra_cause_t infra_cause; /* its cause */
    bool target_died;          /* the rig must restart the target */
    bool tunnel_opened;        /* the agent connected to the server at least once */
    uint64_t started_us;       /* CLOCK_REALTIME, the clock the server's capture uses */
    uint64_t ended_us;
    link_stats_t link_delta; /* what the link counted during this handshake */
} bridge_outcome_t;

typedef struct bridge_target {
    host_link_t *link;
    const flasher_t *flasher;
    target_handle_t *handle;
} bridge_target_t;

/* Run it. log receives the target's debug text as it arrives (flushed). */
void bridge_run(bridge_target_t *t, const uint8_t *request, size_t len, uint16_t server_port,
                FILE *log, uint32_t timeout_ms, volatile const bool *interrupted,
                bridge_outcome_t *out);

uint64_t realtime_us(void);

#endif
