/* Quarantine: a board the recovery ladder could not bring back is taken out
 * of service until a person clears it (`tlsrig unquarantine BOARD`). One
 * state file per board, <state dir>/quarantine/<board>.json:
 * {"board", "reason", "since"} (docs/boards.md, "When a board stops
 * answering"). The state dir is $TLSRIG_STATE_DIR, else /var/lib/tlsrig when
 * writable, else $XDG_STATE_HOME/tlsrig, else ~/.local/state/tlsrig. */
#ifndef TLSRIG_QUARANTINE_H
#define TLSRIG_QUARANTINE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct quarantine_info {
    bool quarantined;
    char path[4400];   /* the state file (also when not quarantined) */
    char reason[2048]; /* the ladder's log, or why the file could not be read */
    char since[32];    /* UTC, "2026-11-27T20:31:05Z"; "" when unknown */
} quarantine_info_t;

/* The state dir by the rules above (not created). 0, or -1 with err (no
 * $HOME either). */
int quarantine_state_dir(char *out, size_t cap, char *err, size_t errlen);

/* Quarantine board with reason: the file is written to a temporary name,
 * synced and renamed, so it is whole or absent; directories are created.
 * 0, or -1 with err naming the file. */
int quarantine_put(const char *board, const char *reason, char *err, size_t errlen);

/* Is board quarantined? 0 with q filled, -1 with err when the state dir
 * cannot be determined or the board name is unsafe. A state file that
 * exists but cannot be read or parsed counts as quarantined (fail closed),
 * with the problem as its reason. */
int quarantine_get(const char *board, quarantine_info_t *q, char *err, size_t errlen);

/* Remove board's state file. 0 (*was says whether there was one), or -1 with
 * err when it cannot be removed. */
int quarantine_clear(const char *board, bool *was, char *err, size_t errlen);

#endif
