/* DIR/history.json: what the history said about a run's scenarios when it was recorded, so
 * report.html and summary.md show trends from the run folder alone (`tlsrig report DIR`
 * gives the same) and a later history cannot change an old run's report. */
#ifndef TLSRIG_HISTORY_SNAPSHOT_H
#define TLSRIG_HISTORY_SNAPSHOT_H

#include <stddef.h>

#include "history_db.h"

/* The series of the results of run `run_id`, over the last `last` runs up to it, written
 * atomically to DIR/history.json. HISTORY_OK or a status with err. */
history_status_t history_write_snapshot(history_db_t *h, const char *dir, long long run_id,
                                        unsigned last, char *err, size_t errlen);

/* The run recorded from DIR (by its identity); 0 in *run_id when it is not recorded. */
history_status_t history_find_dir(history_db_t *h, const char *dir, long long *run_id, char *err,
                                  size_t errlen);

#endif
