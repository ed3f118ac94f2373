/* One job per board: an flock(2) on /run/lock/tlsrig-<board>.lock (or
 * $TLSRIG_LOCK_DIR, or /tmp when /run/lock is not writable), so several CI
 * jobs or users sharing a host never drive the same board at once. The kernel
 * drops the lock when the holder exits, even when it crashes. */
#ifndef TLSRIG_BOARD_LOCK_H
#define TLSRIG_BOARD_LOCK_H

#include <stddef.h>

typedef struct board_lock {
    int fd; /* -1 when not held */
    char path[4096];
} board_lock_t;

/* timeout_s: 0 tries once, < 0 waits for ever, else waits up to that many
 * seconds. 0 when held; -1 with err naming the holder (pid and since when)
 * on timeout, or the reason (bad board name, lock file not writable). */
int board_lock_acquire(const char *board, int timeout_s, board_lock_t *out, char *err,
                       size_t errlen);
void board_lock_release(board_lock_t *l);

#endif
