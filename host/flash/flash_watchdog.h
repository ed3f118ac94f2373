/* Run flasher work where it can be stopped: libstlink's flash wait has no
 * timeout, so the work runs in a forked child with a deadline, is killed on
 * expiry, and reports its result over a pipe. The child's stdout/stderr
 * (library chatter) go to a log file, never to ours. */
#ifndef TLSRIG_FLASH_WATCHDOG_H
#define TLSRIG_FLASH_WATCHDOG_H

#include <stddef.h>
#include <stdint.h>

#include "board_flasher.h"

typedef int (*flash_work_fn)(void *arg, flash_report_t *rep, char *err, size_t errlen);

/* 0 or fn's -1 with its err; -1 with err "<what>: ... watchdog" when the
 * deadline passed (the child is killed and reaped) or the child died. log:
 * where the child's output goes (appended), or NULL for /dev/null. */
int flash_watchdog_run(flash_work_fn fn, void *arg, uint32_t deadline_ms, const char *log,
                       const char *what, flash_report_t *rep, char *err, size_t errlen);

#endif
