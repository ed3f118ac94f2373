/* Series of results over runs, their flake rate and trends (history_query.h). */
#define _POSIX_C_SOURCE 200809L
#include "history_query.h"

#include <ctype.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "history_stats.h"

int history_check_date(const char *s)
{
    /* Digits where the pattern has 9, the rest literally. */
    static const char *const shapes[] = {"9999-99-99", "9999-99-99T99:99:99Z"};
    for (size_t k = 0; k < 2; k++) {
        const char *p = shapes[k];
        size_t n = strlen(p), i;
        if (strlen(s) != n) {
            continue;
        }
        for (i = 0; i < n; i++) {
            if (p[i] == '9' ? !isdigit((unsigned char)s[i]) : s[i] != p[i]) {
                break;
            }
        }
        if (i == n) {
            return 0;
        }
    }
    return -1;
}

static const char *col_text(sqlite3_stmt *st, int c)
{
    const unsigned char *t = sqlite3_column_text(st, c);
    return t ? (const char *)t : "";
}

static json_t *col_num(sqlite3_stmt *st, int c)
{
    switch (sqlite3_column_type(st, c)) {
    case SQLITE_INTEGER:
        return json_integer((json_int_t)sqlite3_column_int64(st, c));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, c));
    default:
        return json_null();
    }
}

/* Metrics followed per series: timing by the noise rule, the rest exactly. */
static const struct {
    const char *name;
    int col;
    bool timing;
} k_metrics[] = {{"duration_ms", 9, true},
                 {"instructions", 10, false},
                 {"heap_peak", 11, false},
                 {"image_flash", 12, false}};
#define N_METRICS (sizeof k_metrics / sizeof k_metrics[0])

/* One run's results of a series (repeats folded): the outcome when all agree, "mixed"
 * otherwise; each metric's median over the repeats. */
typedef struct point {
    json_t *obj;
    json_t *samples[N_METRICS];
} point_t;

static void point_close(point_t *p)
{
    if (!p->obj) {
        return;
    }
    for (size_t m = 0; m < N_METRICS; m++) {
        double v;
        json_object_set_new(p->obj, k_metrics[m].name,
                            stats_median(p->samples[m], &v) ? json_real(v) : json_null());
        json_decref(p->samples[m]);
        p->samples[m] = NULL;
    }
    p->obj = NULL;
}

static json_t *series_new(sqlite3_stmt *st)
{
    return json_pack("{ss ss ss ss ss so so}", "scenario", col_text(st, 0), "backend",
                     col_text(st, 1), "stack", col_text(st, 2), "board", col_text(st, 3), "config",
                     col_text(st, 4), "points", json_array(), "outcomes", json_array());
}

static bool same_series(const json_t *s, sqlite3_stmt *st)
{
    static const char *const keys[] = {"scenario", "backend", "stack", "board", "config"};
    for (int i = 0; i < 5; i++) {
        if (strcmp(json_string_value(json_object_get(s, keys[i])), col_text(st, i)) != 0) {
            return false;
        }
    }
    return true;
}

/* Keeps the newest `last` points, then the flake rate and trends (history_stats.c). */
static void series_finish(json_t *s, unsigned last)
{
    json_t *points = json_object_get(s, "points");
    while (json_array_size(points) > last) {
        json_array_remove(points, 0);
    }
    json_object_set_new(s, "runs", json_integer((json_int_t)json_array_size(points)));
    /* Outcomes of every result of the kept runs, in time order (repeats included). */
    json_t *kept = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(points, i, p)
    {
        json_array_extend(kept, json_object_get(p, "results"));
        json_object_del(p, "results");
    }
    json_object_set_new(s, "outcomes", kept);
    json_object_set_new(s, "flake_rate", json_real(stats_flake_rate(kept)));
    json_t *trend = json_object();
    for (size_t m = 0; m < N_METRICS; m++) {
        json_t *t = stats_trend(points, k_metrics[m].name, k_metrics[m].timing);
        if (t) {
            json_object_set_new(trend, k_metrics[m].name, t);
        }
    }
    json_object_set_new(s, "trend", trend);
}

json_t *history_query(history_db_t *h, const history_filter_t *f, history_status_t *status,
                      char *err, size_t errlen)
{
    static const char sql[] =
        "SELECT r.scenario, coalesce(r.backend, ''), coalesce(r.stack, ''),"
        " coalesce(r.board, ''), coalesce(r.config, ''),"
        " runs.id, coalesce(runs.started_at, ''), runs.commit_id, r.outcome,"
        " r.duration_ms, r.instructions, r.heap_peak, r.image_flash"
        " FROM results r JOIN runs ON r.run = runs.id"
        " WHERE coalesce(r.kind, 'target') <> 'selftest'"
        " AND (?1 IS NULL OR r.board = ?1) AND (?2 IS NULL OR r.backend = ?2)"
        " AND (?3 IS NULL OR r.stack = ?3) AND (?4 IS NULL OR r.scenario GLOB ?4)"
        " AND (?5 IS NULL OR runs.started_at >= ?5)"
        " AND (?6 IS NULL OR EXISTS (SELECT 1 FROM results o WHERE o.run = ?6"
        "  AND o.scenario = r.scenario AND o.backend IS r.backend AND o.stack IS r.stack"
        "  AND o.board IS r.board AND o.config IS r.config))"
        /* a run's snapshot: its history up to it, never runs recorded after it started */
        " AND (?6 IS NULL OR runs.started_at <= (SELECT started_at FROM runs WHERE id = ?6))"
        " ORDER BY 1, 2, 3, 4, 5, runs.started_at, runs.id, r.seq";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        *status = history_fail(h, rc, "query", err, errlen);
        return NULL;
    }
    const char *binds[] = {f->board, f->backend, f->stack, f->scenario_glob, f->since};
    for (int i = 0; i < 5; i++) {
        if (binds[i]) {
            sqlite3_bind_text(st, i + 1, binds[i], -1, SQLITE_TRANSIENT);
        }
    }
    if (f->only_run > 0) {
        sqlite3_bind_int64(st, 6, f->only_run);
    }
    unsigned last = f->last ? f->last : 10;
    json_t *series = json_array(), *cur = NULL, *run_ids = json_object();
    point_t pt = {0};
    long long pt_run = -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!cur || !same_series(cur, st)) {
            point_close(&pt);
            if (cur) {
                series_finish(cur, last);
            }
            cur = series_new(st);
            json_array_append_new(series, cur);
            pt_run = -1;
        }
        long long run = sqlite3_column_int64(st, 5);
        char idbuf[32];
        snprintf(idbuf, sizeof idbuf, "%lld", run);
        json_object_set_new(run_ids, idbuf, json_true());
        if (run != pt_run) {
            point_close(&pt);
            pt.obj = json_pack(
                "{sI ss so so}", "run", (json_int_t)run, "started_at", col_text(st, 6), "commit",
                sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null()
                                                          : json_string(col_text(st, 7)),
                "results", json_array());
            for (size_t m = 0; m < N_METRICS; m++) {
                pt.samples[m] = json_array();
            }
            json_array_append_new(json_object_get(cur, "points"), pt.obj);
            pt_run = run;
        }
        const char *outcome = col_text(st, 8);
        json_array_append_new(json_object_get(pt.obj, "results"), json_string(outcome));
        const char *was = json_string_value(json_object_get(pt.obj, "outcome"));
        json_object_set_new(pt.obj, "outcome",
                            json_string(!was || strcmp(was, outcome) == 0 ? outcome : "mixed"));
        for (size_t m = 0; m < N_METRICS; m++) {
            json_t *v = col_num(st, k_metrics[m].col);
            if (json_is_number(v)) {
                json_array_append(pt.samples[m], v);
            }
            json_decref(v);
        }
    }
    point_close(&pt);
    if (cur) {
        series_finish(cur, last);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *status = history_fail(h, rc, "query", err, errlen);
        json_decref(series);
        json_decref(run_ids);
        return NULL;
    }
    *status = HISTORY_OK;
    json_t *q = json_pack("{ss sI sI so}", "database", h->path, "runs",
                          (json_int_t)json_object_size(run_ids), "last", (json_int_t)last, "series",
                          series);
    json_decref(run_ids);
    return q;
}
