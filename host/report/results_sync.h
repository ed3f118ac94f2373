/* fdatasync of results.jsonl off the scenario's path: each appended line is
 * synced by a thread of its own right after the write, while the next
 * scenario starts (a sync took 3-8 ms on the rig's disk, a third of a sim
 * handshake). The guarantees stay: every line is written whole before the
 * append returns; a failed sync is reported by the next append or by the
 * close, naming the file; the close waits for the last sync. */
#ifndef TLSRIG_RESULTS_SYNC_H
#define TLSRIG_RESULTS_SYNC_H

#include <stddef.h>

typedef struct results_sync results_sync_t;

/* A syncer for fd, or NULL (out of memory, no thread): sync inline then. */
results_sync_t *results_sync_start(int fd);
/* Asks for a sync of everything written so far. -1 with err (naming path)
 * when an earlier sync failed. */
int results_sync_request(results_sync_t *s, const char *path, char *err, size_t errlen);
/* Waits for the last sync, ends the thread, frees s. -1 with err when a
 * sync failed. NULL s is a no-op. */
int results_sync_finish(results_sync_t *s, const char *path, char *err, size_t errlen);

#endif
