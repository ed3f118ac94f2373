/* A run folder into the history database (history_record.h). */
#define _POSIX_C_SOURCE 200809L
#include "history_record.h"

#include <mbedtls/sha256.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "results_log.h"
#include "stacks.h"

#define JSON_CANON (JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17))

static void hex(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    }
}

void history_run_uid(const json_t *records, const json_t *results, char uid[65])
{
    mbedtls_sha256_context c;
    mbedtls_sha256_init(&c);
    mbedtls_sha256_starts_ret(&c, 0);
    const json_t *start = NULL, *line;
    size_t i;
    json_array_foreach(records, i, line)
    {
        const char *kind = results_record_kind(line);
        if (!start && kind && strcmp(kind, "run-start") == 0) {
            start = line;
        }
    }
    const json_t *what = start ? start : results;
    char *text = json_dumps(what, JSON_CANON);
    if (text) {
        mbedtls_sha256_update_ret(&c, (const unsigned char *)text, strlen(text));
    }
    free(text);
    unsigned char d[32];
    mbedtls_sha256_finish_ret(&c, d);
    mbedtls_sha256_free(&c);
    hex(d, sizeof d, uid);
}

static const json_t *find_record(const json_t *records, const char *kind)
{
    const json_t *line, *found = NULL;
    size_t i;
    json_array_foreach(records, i, line)
    {
        const char *k = results_record_kind(line);
        if (k && strcmp(k, kind) == 0) {
            found = line; /* the last one: a resumed file may carry several */
        }
    }
    return found;
}

/* Binds a JSON value by type: strings as text, integers, reals, booleans as 0/1, else NULL. */
static int bind_json(sqlite3_stmt *st, int col, const json_t *v)
{
    if (json_is_string(v)) {
        return sqlite3_bind_text(st, col, json_string_value(v), -1, SQLITE_TRANSIENT);
    }
    if (json_is_integer(v)) {
        return sqlite3_bind_int64(st, col, (sqlite3_int64)json_integer_value(v));
    }
    if (json_is_real(v)) {
        return sqlite3_bind_double(st, col, json_real_value(v));
    }
    if (json_is_boolean(v)) {
        return sqlite3_bind_int(st, col, json_is_true(v));
    }
    return sqlite3_bind_null(st, col);
}

/* An array of strings joined with ',' ("sw,hw"); NULL when not an array. */
static int bind_list(sqlite3_stmt *st, int col, const json_t *arr)
{
    if (!json_is_array(arr)) {
        return sqlite3_bind_null(st, col);
    }
    char buf[1024] = "";
    size_t used = 0, i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        if (s) {
            int n = snprintf(buf + used, sizeof buf - used, "%s%s", used ? "," : "", s);
            used = n > 0 && (size_t)n < sizeof buf - used ? used + (size_t)n : used;
        }
    }
    return sqlite3_bind_text(st, col, buf, -1, SQLITE_TRANSIENT);
}

/* The planned configs of a run-start record, distinct, in plan order. */
static int bind_configs(sqlite3_stmt *st, int col, const json_t *planned)
{
    json_t *list = json_array();
    size_t i, j;
    const json_t *p, *seen;
    json_array_foreach(planned, i, p)
    {
        const json_t *c = json_object_get(p, "config");
        bool dup = !json_is_string(c);
        json_array_foreach(list, j, seen)
        {
            dup = dup || json_equal(seen, c);
        }
        if (!dup) {
            json_array_append(list, (json_t *)c);
        }
    }
    int rc = bind_list(st, col, json_array_size(list) ? list : NULL);
    json_decref(list);
    return rc;
}

static void utc_now(char *out, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int insert_run(sqlite3 *db, const char *uid, const json_t *start, const json_t *end,
                      size_t n_results, const char *dir, const char *source, long long *id)
{
    static const char sql[] =
        "INSERT INTO runs (uid, out_dir, board, host, commit_id, stacks, backends, configs,"
        " started_at, ended_at, cut_short, exit_code, results, recorded_at, source)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return rc;
    }
    char now[32];
    utc_now(now, sizeof now);
    bool complete = end && json_is_true(json_object_get(end, "complete"));
    sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, dir, -1, SQLITE_TRANSIENT);
    bind_json(st, 3, json_object_get(start, "board"));
    bind_json(st, 4, json_object_get(start, "host"));
    bind_json(st, 5, json_object_get(start, "commit"));
    bind_list(st, 6, json_object_get(start, "stacks"));
    bind_list(st, 7, json_object_get(start, "backends"));
    bind_configs(st, 8, json_object_get(start, "planned"));
    bind_json(st, 9, json_object_get(start, "started_at"));
    bind_json(st, 10, json_object_get(end, "ended_at"));
    sqlite3_bind_int(st, 11, !complete);
    bind_json(st, 12, json_object_get(end, "exit_code"));
    sqlite3_bind_int64(st, 13, (sqlite3_int64)n_results);
    sqlite3_bind_text(st, 14, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 15, source, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        return rc;
    }
    *id = sqlite3_last_insert_rowid(db);
    return SQLITE_OK;
}

static const json_t *path2(const json_t *o, const char *a, const char *b)
{
    return json_object_get(json_object_get(o, a), b);
}

static int insert_result(sqlite3_stmt *st, long long run, size_t seq, const json_t *r,
                         const char *run_board)
{
    static const char *const direct[] = {"kind",
                                         "backend",
                                         "config",
                                         "repeat",
                                         "outcome",
                                         "verdict",
                                         "expect_met",
                                         "mbedtls_ret",
                                         "mbedtls_error",
                                         "alert_received",
                                         "alert_sent",
                                         "duration_ms",
                                         "target_duration_us",
                                         "instructions",
                                         "cycles",
                                         "heap_peak",
                                         "stack_peak"};
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    const char *scenario = json_string_value(json_object_get(r, "scenario"));
    sqlite3_bind_text(st, 3, scenario ? scenario : "?", -1, SQLITE_TRANSIENT);
    int col = 4;
    for (size_t i = 0; i < sizeof direct / sizeof direct[0]; i++, col++) {
        bind_json(st, col, json_object_get(r, direct[i]));
    }
    /* col 21.. */
    const char *stack = stack_or_default(json_string_value(json_object_get(r, "stack")));
    sqlite3_bind_text(st, col++, stack, -1, SQLITE_TRANSIENT);
    const json_t *board = json_object_get(r, "board");
    if (json_is_string(board)) {
        bind_json(st, col++, board);
    } else {
        sqlite3_bind_text(st, col++, run_board ? run_board : "?", -1, SQLITE_TRANSIENT);
    }
    const json_t *regions = path2(r, "image_size", "regions");
    bind_json(st, col++, path2(regions, "flash", "used"));
    bind_json(st, col++, path2(regions, "sram", "used"));
    bind_json(st, col++, path2(r, "link", "bytes_rx"));
    bind_json(st, col++, path2(r, "link", "bytes_tx"));
    bind_json(st, col++, path2(r, "link", "retransmits"));
    bind_json(st, col++, path2(r, "parity", "match"));
    const json_t *states = json_object_get(r, "state_us");
    char *text = json_is_object(states) ? json_dumps(states, JSON_CANON) : NULL;
    if (text) {
        sqlite3_bind_text(st, col, text, -1, free);
    } else {
        sqlite3_bind_null(st, col);
    }
    col++;
    text = json_dumps(r, JSON_CANON);
    if (!text) {
        return SQLITE_NOMEM;
    }
    sqlite3_bind_text(st, col, text, -1, free);
    return sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(sqlite3_db_handle(st));
}

static int uid_known(sqlite3 *db, const char *uid, long long *id)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT id FROM runs WHERE uid = ?1", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, uid, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *id = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *id = 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

history_status_t history_record_dir(history_db_t *h, const char *dir, const char *source,
                                    history_recorded_t *out, char *err, size_t errlen)
{
    static const char result_sql[] =
        "INSERT INTO results (run, seq, scenario, kind, backend, config, repeat, outcome,"
        " verdict, expect_met, error_code, error_name, alert_received, alert_sent,"
        " duration_ms, target_duration_us, instructions, cycles, heap_peak, stack_peak,"
        " stack, board, image_flash, image_ram, link_bytes_rx, link_bytes_tx,"
        " link_retransmits, parity_match, state_us, result)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
        " ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)";
    memset(out, 0, sizeof *out);
    run_log_t log;
    if (results_log_load(dir, &log, err, errlen) != 0) {
        return HISTORY_EUSAGE;
    }
    history_status_t status = HISTORY_OK;
    sqlite3_stmt *st = NULL;
    const json_t *start = find_record(log.records, "run-start");
    const json_t *end = find_record(log.records, "run-end");
    history_run_uid(log.records, log.results, out->uid);
    const char *what = "begin";
    /* IMMEDIATE: take the write lock now (waiting on the busy timeout), not halfway. */
    int rc = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        what = "looking up the run";
        rc = uid_known(h->db, out->uid, &out->run_id);
    }
    if (rc == SQLITE_OK && out->run_id) {
        out->already = true;
        rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
        goto done;
    }
    if (rc == SQLITE_OK) {
        what = "recording the run";
        rc = insert_run(h->db, out->uid, start, end, json_array_size(log.results), dir, source,
                        &out->run_id);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v2(h->db, result_sql, -1, &st, NULL);
    }
    const char *board = json_string_value(json_object_get(start, "board"));
    size_t i;
    const json_t *r;
    json_array_foreach(log.results, i, r)
    {
        if (rc != SQLITE_OK) {
            break;
        }
        what = "recording a result";
        rc = insert_result(st, out->run_id, i, r, board);
        out->results += rc == SQLITE_OK;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK) {
        what = "commit";
        rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
    }
done:
    if (rc != SQLITE_OK) {
        status = history_fail(h, rc, what, err, errlen);
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
        out->results = 0;
        out->run_id = 0;
    }
    run_log_free(&log);
    return status;
}
