/* Recording runs into the history: one transaction per run, so a run is in the database
 * whole or not at all, and parallel writers queue on the busy timeout (history_db.h). */
#ifndef TLSRIG_HISTORY_RECORD_H
#define TLSRIG_HISTORY_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "history_db.h"

typedef struct history_recorded {
    long long run_id; /* the runs row */
    size_t results;   /* result rows written */
    bool already;     /* the same run was recorded before: nothing written */
    char uid[65];     /* the run's identity (hex SHA-256 of its run-start record) */
} history_recorded_t;

/* Records DIR (its results.jsonl) with source "run" or "import". HISTORY_OK, or a status
 * with err; the database is unchanged on failure. */
history_status_t history_record_dir(history_db_t *h, const char *dir, const char *source,
                                    history_recorded_t *out, char *err, size_t errlen);

/* The identity of a run: SHA-256 of its canonical run-start record, or of all its lines
 * when it has none (files from before run records). */
void history_run_uid(const json_t *records, const json_t *results, char uid[65]);

#endif
