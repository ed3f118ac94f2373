/* The recovery ladder for a real board that stopped answering (issue 14,
 * docs/boards.md "When a board stops answering"): link resync -> reset
 * through the probe -> USB port power cycle -> rediscover the VCP by serial
 * -> quarantine. Each rung is an operation supplied by the caller, so the
 * ladder's policy is tested with fakes and the session supplies the real
 * ones. */
#ifndef TLSRIG_RECOVERY_H
#define TLSRIG_RECOVERY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum recovery_rung {
    RUNG_NONE = 0, /* nothing was needed / nothing worked */
    RUNG_RESYNC,
    RUNG_PROBE_RESET,
    RUNG_POWER_CYCLE,
    RUNG_REDISCOVER,
    RUNG_QUARANTINE,
} recovery_rung_t;

/* One rung: 0 when, afterwards, the agent answered a HELLO; -1 when it did
 * not (why says what was seen); -2 when the rung does not apply to this board
 * (no hub configured, flasher cannot reset): skipped, with why. */
typedef int (*recovery_step_fn)(void *ctx, char *why, size_t cap);

typedef struct recovery_ops {
    void *ctx;
    recovery_step_fn resync;      /* flush input, reinit the link, HELLO */
    recovery_step_fn probe_reset; /* board_flasher reset, wait for the VCP, HELLO */
    recovery_step_fn power_cycle; /* the hub port off and on, wait for the VCP, HELLO */
    recovery_step_fn rediscover;  /* find the probe by serial, reopen its (new) tty, HELLO */
} recovery_ops_t;

/* One rung as it went (additive to the contract: the log's lines, typed). */
typedef struct recovery_step {
    recovery_rung_t rung;
    int result;    /* 0 recovered, -1 failed, -2 skipped */
    char why[256]; /* what the rung saw, or why it does not apply */
    unsigned ms;   /* how long it took */
} recovery_step_t;

typedef struct recovery_outcome {
    recovery_rung_t recovered_by; /* RUNG_QUARANTINE when none worked */
    bool quarantined;
    char log[2048]; /* one line per rung tried: "probe-reset: no HELLO within 5000 ms" */
    recovery_step_t steps[4];
    unsigned n_steps;
} recovery_outcome_t;

/* Climb the ladder for board until a rung works; when none does, quarantine
 * the board (quarantine.h) with the log as its reason. 0 recovered, -1
 * quarantined (or the quarantine file could not be written: err says). */
int recovery_run(const char *board, const recovery_ops_t *ops, recovery_outcome_t *out, char *err,
                 size_t errlen);

/* "resync", "probe-reset", "power-cycle", "rediscover", "quarantine", "none". */
const char *recovery_rung_name(recovery_rung_t r);

#endif
