/* The recovery ladder's policy (recovery.h): each rung in order until one
 * brings a HELLO back; skipped rungs are recorded with their reason; none
 * working quarantines the board with the log as its reason. */
#define _POSIX_C_SOURCE 200809L
#include "recovery.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "quarantine.h"

const char *recovery_rung_name(recovery_rung_t r)
{
    switch (r) {
    case RUNG_NONE:
        return "none";
    case RUNG_RESYNC:
        return "resync";
    case RUNG_PROBE_RESET:
        return "probe-reset";
    case RUNG_POWER_CYCLE:
        return "power-cycle";
    case RUNG_REDISCOVER:
        return "rediscover";
    case RUNG_QUARANTINE:
        return "quarantine";
    }
    return "unknown";
}

static unsigned now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned)((unsigned long long)ts.tv_sec * 1000u +
                      (unsigned long long)ts.tv_nsec / 1000000u);
}

/* Appends one line to the log; a log that is full keeps its first lines
 * (the cause) and ends with "...". */
static void log_line(recovery_outcome_t *out, const char *rung, const char *what, const char *why)
{
    size_t used = strlen(out->log);
    size_t room = sizeof out->log - used;
    int n = snprintf(out->log + used, room, "%s: %s%s%s\n", rung, what, why[0] ? ": " : "", why);
    if (n < 0 || (size_t)n >= room) {
        memcpy(out->log + sizeof out->log - 5, "...\n", 5);
    }
}

int recovery_run(const char *board, const recovery_ops_t *ops, recovery_outcome_t *out, char *err,
                 size_t errlen)
{
    memset(out, 0, sizeof *out);
    const struct {
        recovery_rung_t rung;
        recovery_step_fn fn;
    } ladder[] = {
        {RUNG_RESYNC, ops->resync},
        {RUNG_PROBE_RESET, ops->probe_reset},
        {RUNG_POWER_CYCLE, ops->power_cycle},
        {RUNG_REDISCOVER, ops->rediscover},
    };
    for (size_t i = 0; i < sizeof ladder / sizeof ladder[0]; i++) {
        recovery_step_t *st = &out->steps[out->n_steps++];
        st->rung = ladder[i].rung;
        unsigned t0 = now_ms();
        if (!ladder[i].fn) {
            st->result = -2;
            snprintf(st->why, sizeof st->why, "not available for this board");
        } else {
            st->result = ladder[i].fn(ops->ctx, st->why, sizeof st->why);
            st->why[sizeof st->why - 1] = '\0';
            if (st->result != 0 && st->result != -2) {
                st->result = -1; /* anything else is a failure */
            }
        }
        st->ms = now_ms() - t0;
        const char *name = recovery_rung_name(st->rung);
        log_line(out, name,
                 st->result == 0    ? "recovered"
                 : st->result == -2 ? "skipped"
                                    : "failed",
                 st->why);
        if (st->result == 0) {
            out->recovered_by = st->rung;
            return 0;
        }
    }
    out->recovered_by = RUNG_QUARANTINE;
    char why[512];
    if (quarantine_put(board, out->log, why, sizeof why) != 0) {
        snprintf(err, errlen,
                 "%s: no rung recovered the board, and it could not be quarantined: %s", board,
                 why);
        log_line(out, "quarantine", "failed", why);
        return -1;
    }
    out->quarantined = true;
    quarantine_info_t q;
    if (quarantine_get(board, &q, why, sizeof why) == 0) {
        snprintf(err, errlen, "%s: no rung recovered the board; quarantined (%s)", board, q.path);
    } else {
        snprintf(err, errlen, "%s: no rung recovered the board; quarantined", board);
    }
    log_line(out, "quarantine", "done", "");
    return -1;
}
