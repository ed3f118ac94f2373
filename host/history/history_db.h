/* The run history: an SQLite database of every recorded run and its results (docs/history.md).
 * One file, WAL mode so readers never block a writer, a busy timeout so parallel CI jobs
 * queue instead of failing, and a versioned schema upgraded in place by migrations. */
#ifndef TLSRIG_HISTORY_DB_H
#define TLSRIG_HISTORY_DB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sqlite3 sqlite3;

/* PRAGMA application_id of a tlsrig history ("TLSH"): tells ours from another program's. */
#define HISTORY_APPLICATION_ID 0x544C5348
/* The schema this build writes and reads (PRAGMA user_version). */
#define HISTORY_SCHEMA_VERSION 2

/* Exit-code classes of a failure: the database is not usable as given (missing, foreign,
 * malformed, newer schema) or the machine failed us (locked past the timeout, I/O). */
typedef enum { HISTORY_OK = 0, HISTORY_EUSAGE = 2, HISTORY_EINFRA = 3 } history_status_t;

typedef struct history_db {
    sqlite3 *db;
    char path[4096];
    int schema_before; /* user_version found on open (0: created now) */
} history_db_t;

/* How long a writer waits for another writer, in ms: TLSRIG_HISTORY_BUSY_MS or 60000. */
unsigned history_busy_timeout_ms(void);

/* Opens PATH. create: make the file (and a missing schema) when absent; otherwise a
 * missing file is HISTORY_EUSAGE. Checks that the file is ours, migrates an older schema.
 * HISTORY_OK, or a status with err naming the file and the cause. */
history_status_t history_open(history_db_t *h, const char *path, bool create, char *err,
                              size_t errlen);
void history_close(history_db_t *h);

/* err = "<what>: <sqlite message>", and the status that failure deserves. */
history_status_t history_fail(history_db_t *h, int rc, const char *what, char *err, size_t errlen);

/* The default database next to the default run folders: <source>/reports/history.sqlite. */
void history_default_path(const char *source_dir, char *out, size_t cap);

#endif
