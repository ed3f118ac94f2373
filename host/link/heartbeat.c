#include "heartbeat.h"

#include <stdio.h>
#include <string.h>

const char *heartbeat_verdict_name(heartbeat_verdict_t v)
{
    switch (v) {
    case HEARTBEAT_ALIVE:
        return "alive";
    case HEARTBEAT_SILENT:
        return "silent";
    case HEARTBEAT_RESET:
        return "reset";
    }
    return "unknown";
}

void heartbeat_init(heartbeat_t *hb, const host_link_t *hl, const agent_info_t *info,
                    uint32_t period_ms)
{
    memset(hb, 0, sizeof *hb);
    hb->epoch = info->session_epoch;
    hb->uptime_ms = info->uptime_ms;
    hb->period_ms = period_ms ? period_ms : 1u;
    hb->heard_at_ms = host_now_ms();
    hb->frames_rx = host_link_stats(hl).frames_rx;
}

heartbeat_verdict_t heartbeat_judge(heartbeat_t *hb, int rc, agent_rpc_failure_t failure,
                                    const agent_pulse_t *pulse, bool link_dead, bool frames_moved,
                                    char *why, size_t cap)
{
    if (rc == 0) {
        /* An epoch of 0 is an agent that has none: it cannot prove a reset. */
        if (hb->epoch != 0 && pulse->session_epoch != 0 && pulse->session_epoch != hb->epoch) {
            snprintf(why, cap, "session epoch changed from %08x to %08x (agent up %u ms)",
                     (unsigned)hb->epoch, (unsigned)pulse->session_epoch,
                     (unsigned)pulse->uptime_ms);
            hb->epoch = pulse->session_epoch;
            hb->uptime_ms = pulse->uptime_ms;
            return HEARTBEAT_RESET;
        }
        snprintf(why, cap, "answered, up %u ms", (unsigned)pulse->uptime_ms);
        hb->uptime_ms = pulse->uptime_ms;
        return HEARTBEAT_ALIVE;
    }
    if (link_dead || failure == AGENT_RPC_LINK_LOST) {
        snprintf(why, cap, "link lost");
        return HEARTBEAT_SILENT;
    }
    /* An answer that was refused or did not decode still came from an agent
     * that runs its command loop (an older agent without CTRL_PING). */
    if (failure == AGENT_RPC_REFUSED || failure == AGENT_RPC_MALFORMED) {
        snprintf(why, cap, "answered without a pulse");
        return HEARTBEAT_ALIVE;
    }
    /* Busy in a long computation: the ping was acked or other frames came,
     * the answer comes later. */
    if (frames_moved) {
        snprintf(why, cap, "busy: frames arrive, the ping's answer is late");
        return HEARTBEAT_ALIVE;
    }
    snprintf(why, cap, "no answer and no frame within %u ms", (unsigned)hb->period_ms);
    return HEARTBEAT_SILENT;
}

heartbeat_verdict_t heartbeat_check(heartbeat_t *hb, host_link_t *hl, agent_other_fn other,
                                    void *ctx, char *why, size_t cap)
{
    char err[256], text[160];
    uint32_t now = host_now_ms();
    uint32_t frames = host_link_stats(hl).frames_rx;
    if (host_link_dead(hl)) {
        snprintf(why, cap, "link lost: %s", host_link_error_text(hl, text, sizeof text));
        return HEARTBEAT_SILENT;
    }
    if (frames != hb->frames_rx) {
        hb->frames_rx = frames;
        hb->heard_at_ms = now;
    }
    if (now - hb->heard_at_ms < hb->period_ms) {
        snprintf(why, cap, "frames within %u ms", (unsigned)hb->period_ms);
        return HEARTBEAT_ALIVE;
    }
    agent_pulse_t pulse;
    hb->pings++;
    int rc = agent_ping(hl, &pulse, hb->period_ms, other, ctx, err, sizeof err);
    agent_rpc_failure_t failure = agent_rpc_last_failure();
    uint32_t after = host_link_stats(hl).frames_rx;
    bool moved = after != frames;
    if (moved || rc == 0) {
        hb->frames_rx = after;
        hb->heard_at_ms = host_now_ms();
    }
    heartbeat_verdict_t v =
        heartbeat_judge(hb, rc, failure, &pulse, host_link_dead(hl), moved, why, cap);
    if (v == HEARTBEAT_SILENT && host_link_dead(hl)) {
        snprintf(why, cap, "link lost: %s", host_link_error_text(hl, text, sizeof text));
    }
    return v;
}
