/* Opening, checking and migrating the history database (history_db.h). */
#define _POSIX_C_SOURCE 200809L
#include "history_db.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* migrations[v] takes a database from schema v to v + 1, in one transaction. */
static const char *const migrations[HISTORY_SCHEMA_VERSION] = {
    /* 0 -> 1: runs and their results. `result` keeps each result's full JSON, so a
     * comparison against a recorded run sees exactly what the run wrote. */
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY,"
    " uid TEXT NOT NULL UNIQUE," /* SHA-256 of the run-start record: one row per run */
    " out_dir TEXT, board TEXT, host TEXT, commit_id TEXT,"
    " stacks TEXT, backends TEXT, configs TEXT,"
    " started_at TEXT, ended_at TEXT,"
    " cut_short INTEGER NOT NULL," /* no run-end record, or one that says incomplete */
    " exit_code INTEGER, results INTEGER NOT NULL,"
    " recorded_at TEXT NOT NULL, source TEXT NOT NULL);" /* 'run' or 'import' */
    "CREATE TABLE results ("
    " id INTEGER PRIMARY KEY,"
    " run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " scenario TEXT NOT NULL, kind TEXT, backend TEXT, stack TEXT, board TEXT, config TEXT,"
    " repeat INTEGER, outcome TEXT, verdict TEXT, expect_met INTEGER,"
    " error_code INTEGER, error_name TEXT, alert_received INTEGER, alert_sent INTEGER,"
    " duration_ms REAL, target_duration_us INTEGER, instructions INTEGER, cycles INTEGER,"
    " heap_peak INTEGER, stack_peak INTEGER, image_flash INTEGER,"
    " link_bytes_rx INTEGER, link_bytes_tx INTEGER, link_retransmits INTEGER,"
    " parity_match INTEGER, state_us TEXT, result TEXT NOT NULL,"
    " UNIQUE (run, seq));",
    /* 1 -> 2: RAM of the image beside its flash, and the indexes the history queries use. */
    "ALTER TABLE results ADD COLUMN image_ram INTEGER;"
    "CREATE INDEX results_key ON results (scenario, backend, stack, board, config);"
    "CREATE INDEX runs_started ON runs (started_at);",
};

unsigned history_busy_timeout_ms(void)
{
    const char *v = getenv("TLSRIG_HISTORY_BUSY_MS");
    char *end;
    unsigned long ms = v && *v ? strtoul(v, &end, 10) : 60000;
    return v && *v && (*end || ms > 3600000) ? 60000 : (unsigned)ms;
}

void history_default_path(const char *source_dir, char *out, size_t cap)
{
    snprintf(out, cap, "%s/reports/history.sqlite", source_dir);
}

history_status_t history_fail(history_db_t *h, int rc, const char *what, char *err, size_t errlen)
{
    const char *msg = h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc);
    int primary = rc & 0xff;
    switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        snprintf(err, errlen,
                 "%s: %s: the database is locked by another writer (waited %u ms; "
                 "TLSRIG_HISTORY_BUSY_MS sets the wait)",
                 h->path, what, history_busy_timeout_ms());
        return HISTORY_EINFRA;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
        snprintf(err, errlen,
                 "%s: %s: not a readable tlsrig history (%s): a truncated or foreign file; "
                 "move it aside and record again, or import the run folders "
                 "(tlsrig history import)",
                 h->path, what, msg);
        return HISTORY_EUSAGE;
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        snprintf(err, errlen, "%s: %s: %s", h->path, what, msg);
        return HISTORY_EUSAGE;
    default:
        snprintf(err, errlen, "%s: %s: %s", h->path, what, msg);
        return HISTORY_EINFRA;
    }
}

static int pragma_int(sqlite3 *db, const char *sql, long long *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* WAL mode, set once per file (it persists). Switching needs the file to itself, and SQLite does
 * not call the busy handler when another connection holds a read lock (it would deadlock):
 * writers opening a fresh file at once got SQLITE_BUSY at once (history_writers failed about one
 * run in 75 under load). So the switch is retried here, within the same busy timeout. */
static int set_wal(sqlite3 *db, unsigned timeout_ms)
{
    unsigned waited = 0;
    for (;;) {
        int rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        int primary = rc & 0xff;
        if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) || waited >= timeout_ms) {
            return rc;
        }
        int slept = sqlite3_sleep(2);
        waited += slept > 0 ? (unsigned)slept : 2u; /* bounded even if it could not sleep */
    }
}

/* Tables that are not ours in a database without our application id: someone else's file. */
static int count_tables(sqlite3 *db, long long *n)
{
    return pragma_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", n);
}

static history_status_t migrate(history_db_t *h, long long from, char *err, size_t errlen)
{
    for (long long v = from; v < HISTORY_SCHEMA_VERSION; v++) {
        char sql[160];
        /* IMMEDIATE: two processes opening a fresh file at once migrate one after the other;
         * the second re-reads the version inside its transaction and has nothing to do. */
        int rc = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        long long now = 0;
        if (rc == SQLITE_OK) {
            rc = pragma_int(h->db, "PRAGMA user_version", &now);
        }
        if (rc == SQLITE_OK && now == v) {
            rc = sqlite3_exec(h->db, migrations[v], NULL, NULL, NULL);
            snprintf(sql, sizeof sql, "PRAGMA user_version = %lld; PRAGMA application_id = %d",
                     v + 1, HISTORY_APPLICATION_ID);
            if (rc == SQLITE_OK) {
                rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);
            }
        }
        if (rc == SQLITE_OK) {
            rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
        }
        if (rc != SQLITE_OK) {
            history_status_t st = history_fail(h, rc, "schema migration", err, errlen);
            sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
            return st;
        }
        if (now > v) {
            v = now - 1; /* another process migrated meanwhile */
        }
    }
    return HISTORY_OK;
}

history_status_t history_open(history_db_t *h, const char *path, bool create, char *err,
                              size_t errlen)
{
    memset(h, 0, sizeof *h);
    snprintf(h->path, sizeof h->path, "%s", path);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT || !create) {
            snprintf(err, errlen,
                     "%s: no history database here (%s); runs record into one with "
                     "tlsrig run --history %s, or tlsrig history import DIR...",
                     path, strerror(errno), path);
            return errno == ENOENT ? HISTORY_EUSAGE : HISTORY_EINFRA;
        }
    } else if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        return HISTORY_EUSAGE;
    }
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &h->db, flags, NULL);
    history_status_t st = HISTORY_OK;
    if (rc != SQLITE_OK) {
        st = history_fail(h, rc, "open", err, errlen);
        goto fail;
    }
    sqlite3_extended_result_codes(h->db, 1);
    sqlite3_busy_timeout(h->db, (int)history_busy_timeout_ms());
    long long app = 0, version = 0, tables = 0;
    /* One read transaction: read apart, another process's migration could commit between the
     * reads (application id 0 read before it, its tables after) and look like a foreign file. */
    rc = sqlite3_exec(h->db, "BEGIN", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        rc = pragma_int(h->db, "PRAGMA application_id", &app);
    }
    if (rc == SQLITE_OK) {
        rc = pragma_int(h->db, "PRAGMA user_version", &version);
    }
    if (rc == SQLITE_OK) {
        rc = count_tables(h->db, &tables);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
    } else {
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        st = history_fail(h, rc, "reading the header", err, errlen);
        goto fail;
    }
    if (app != HISTORY_APPLICATION_ID && (app != 0 || tables > 0)) {
        snprintf(err, errlen,
                 "%s: an SQLite database of another program (application_id 0x%llx, %lld "
                 "table(s)), not a tlsrig history: left untouched",
                 path, app, tables);
        st = HISTORY_EUSAGE;
        goto fail;
    }
    if (version > HISTORY_SCHEMA_VERSION) {
        snprintf(err, errlen,
                 "%s: history schema version %lld is newer than this tlsrig's (%d): use the "
                 "tlsrig that wrote it",
                 path, version, HISTORY_SCHEMA_VERSION);
        st = HISTORY_EUSAGE;
        goto fail;
    }
    h->schema_before = (int)version;
    /* WAL: readers (tlsrig history, reports) never block the writer of a run's end. */
    rc = set_wal(h->db, history_busy_timeout_ms());
    if (rc == SQLITE_OK) {
        rc = sqlite3_exec(h->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        st = history_fail(h, rc, "journal mode", err, errlen);
        goto fail;
    }
    st = migrate(h, version, err, errlen);
    if (st != HISTORY_OK) {
        goto fail;
    }
    return HISTORY_OK;
fail:
    sqlite3_close(h->db);
    h->db = NULL;
    return st;
}

void history_close(history_db_t *h)
{
    if (h->db) {
        sqlite3_close(h->db);
        h->db = NULL;
    }
}
