/* A scenario's log file made when it is needed, not when the scenario starts (issue 16).
 * What the stream gets is kept in memory until the file is made: by a flush at least
 * spill_ms after the open (scenarios use DEFERRED_LOG_SPILL_MS; the bridge flushes every
 * 50 ms, so a long scenario's log is on disk, for a `tail -f`, as before), or by
 * deferred_log_close. A handshake of a few
 * milliseconds thus costs the relay thread no file creation; the result worker makes the file
 * with the rest of the result. */
#ifndef TLSRIG_DEFERRED_LOG_H
#define TLSRIG_DEFERRED_LOG_H

#include <stdio.h>

#define DEFERRED_LOG_SPILL_MS 50u

typedef struct deferred_log deferred_log_t;

/* No file yet; NULL when out of memory. */
deferred_log_t *deferred_log_open(const char *path, unsigned spill_ms);
/* The stream to write the log to (fwrite, fputs, fflush). */
FILE *deferred_log_stream(deferred_log_t *d);
/* Makes the file if not yet made, writes what is kept, closes, frees. 0, or the errno of the
 * first failure (the file could not be made or written): the log is lost data then. */
int deferred_log_close(deferred_log_t *d);

#endif
