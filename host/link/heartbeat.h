/* Is the agent still there? The link heartbeat (docs/boards.md, "When a board
 * stops answering"): quiet while frames arrive; after heartbeat_ms of silence
 * a CTRL_PING with a deadline of heartbeat_ms. The verdict comes from typed
 * evidence only: the ping's answer, the link's error state and counters, and
 * the agent's session epoch. */
#ifndef TLSRIG_HEARTBEAT_H
#define TLSRIG_HEARTBEAT_H

#include <stddef.h>
#include <stdint.h>

#include "agent_rpc.h"
#include "host_link.h"

typedef enum heartbeat_verdict {
    HEARTBEAT_ALIVE,  /* answered (or busy: frames kept coming), same epoch */
    HEARTBEAT_SILENT, /* no answer and no frame within the deadline, or the link is lost */
    HEARTBEAT_RESET,  /* answered with another session epoch: the agent restarted */
} heartbeat_verdict_t;

typedef struct heartbeat {
    uint32_t epoch;       /* the epoch of the agent we know (HELLO) */
    uint32_t period_ms;   /* the board's timeouts.heartbeat_ms */
    uint32_t heard_at_ms; /* host_now_ms() when a frame last arrived */
    uint32_t frames_rx;   /* the link's frames_rx then */
    uint32_t uptime_ms;   /* the agent's uptime in its last answer */
    uint32_t pings;       /* pings sent */
} heartbeat_t;

/* Start watching the agent that answered HELLO with info. */
void heartbeat_init(heartbeat_t *hb, const host_link_t *hl, const agent_info_t *info,
                    uint32_t period_ms);

/* The verdict of one ping: rc and failure from agent_ping(), pulse its
 * answer, link_dead whether the link died meanwhile, frames_moved whether any
 * frame (an ack of the ping included) arrived while waiting. why says what
 * was seen. Pure: unit-tested on its own. */
heartbeat_verdict_t heartbeat_judge(heartbeat_t *hb, int rc, agent_rpc_failure_t failure,
                                    const agent_pulse_t *pulse, bool link_dead, bool frames_moved,
                                    char *why, size_t cap);

/* Call from a wait loop: ALIVE at once while frames arrived within
 * period_ms; else a ping (other takes LOG/TUNNEL messages that arrive
 * meanwhile) and its verdict. A dead link is SILENT without a ping. */
heartbeat_verdict_t heartbeat_check(heartbeat_t *hb, host_link_t *hl, agent_other_fn other,
                                    void *ctx, char *why, size_t cap);

const char *heartbeat_verdict_name(heartbeat_verdict_t v);

#endif
