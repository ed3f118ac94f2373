/* The run-history snapshot of a run folder (history_snapshot.h). */
#include "history_snapshot.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>

#include "history_query.h"
#include "history_record.h"
#include "report_file.h"
#include "results_log.h"

history_status_t history_write_snapshot(history_db_t *h, const char *dir, long long run_id,
                                        unsigned last, char *err, size_t errlen)
{
    history_filter_t f = {.last = last, .only_run = run_id};
    history_status_t st;
    json_t *q = history_query(h, &f, &st, err, errlen);
    if (!q) {
        return st;
    }
    json_object_set_new(q, "run", json_integer((json_int_t)run_id));
    report_file_t rf;
    st = HISTORY_OK;
    if (report_file_open(&rf, dir, "history.json", err, errlen) != 0) {
        st = HISTORY_EINFRA;
    } else if (json_dumpf(q, rf.f, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15)) !=
               0) {
        report_file_abort(&rf);
        snprintf(err, errlen, "%s/history.json: cannot be written", dir);
        st = HISTORY_EINFRA;
    } else if (report_file_commit(&rf, err, errlen) != 0) {
        st = HISTORY_EINFRA;
    }
    json_decref(q);
    return st;
}

history_status_t history_find_dir(history_db_t *h, const char *dir, long long *run_id, char *err,
                                  size_t errlen)
{
    run_log_t log;
    *run_id = 0;
    if (results_log_load(dir, &log, err, errlen) != 0) {
        return HISTORY_EUSAGE;
    }
    char uid[65];
    history_run_uid(log.records, log.results, uid);
    run_log_free(&log);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h->db, "SELECT id FROM runs WHERE uid = ?1", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *run_id = sqlite3_column_int64(st, 0);
        }
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? HISTORY_OK : history_fail(h, rc, "looking up the run", err, errlen);
}
