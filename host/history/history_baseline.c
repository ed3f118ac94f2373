/* A run compared with the history (history_baseline.h). */
#define _POSIX_C_SOURCE 200809L
#include "history_baseline.h"

#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "history_record.h"
#include "history_stats.h"
#include "report_model.h"
#include "results_log.h"
#include "stacks.h"

/* The timing metrics judged against the history, in microseconds. */
static const struct {
    const char *metric, *field;
    double scale;
} k_times[] = {{"duration_us", "duration_ms", 1000.0},
               {"target_duration_us", "target_duration_us", 1.0}};
#define N_TIMES (sizeof k_times / sizeof k_times[0])

typedef struct key_fields {
    const char *scenario, *backend, *stack, *board, *config;
} key_fields_t;

static key_fields_t key_of(const json_t *r, const char *run_board)
{
    key_fields_t k = {rm_str(r, "scenario", "?"), rm_str(r, "backend", NULL),
                      stack_or_default(rm_str(r, "stack", NULL)), rm_str(r, "board", run_board),
                      rm_str(r, "config", NULL)};
    return k;
}

static void bind_or_null(sqlite3_stmt *st, int col, const char *s)
{
    if (s) {
        sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(st, col);
    }
}

/* Median over the pass/fail samples of one time metric (*n of them); false when none. */
static bool time_median(const json_t *results, size_t t, double *out, size_t *n)
{
    json_t *v = json_array();
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        if ((rm_is(r, "pass") || rm_is(r, "fail")) && rm_has_num(r, k_times[t].field)) {
            json_array_append_new(v, json_real(rm_num(r, k_times[t].field, 0) * k_times[t].scale));
        }
    }
    bool ok = stats_median(v, out);
    if (n) {
        *n = json_array_size(v);
    }
    json_decref(v);
    return ok;
}

typedef struct tally {
    size_t compared, differ, skipped, regressions;
} tally_t;

/* The history timing rows of one key: the last `window` runs' medians against this run's. */
static void judge_times(json_t *timing, const char *key, const json_t *cur_results,
                        json_t *const hist[N_TIMES], const compare_opts_t *o, tally_t *t)
{
    for (size_t m = 0; m < N_TIMES; m++) {
        double now, med, spread;
        size_t samples = 0;
        if (!time_median(cur_results, m, &now, &samples)) {
            continue;
        }
        size_t n = json_array_size(hist[m]);
        /* One sample is one draw of the machine's noise: like compare's own rule, this run
         * needs min_samples (tlsrig run --repeat) before its time is judged. */
        if (n < STATS_MIN_HISTORY || samples < o->min_samples || !stats_median(hist[m], &med) ||
            !stats_spread(hist[m], &spread)) {
            t->skipped++;
            continue;
        }
        t->compared++;
        double threshold = stats_timing_threshold(med, spread, o->time_min_us);
        if (fabs(now - med) <= threshold) {
            continue;
        }
        t->differ++;
        bool worse = now > med;
        t->regressions += worse;
        json_array_append_new(
            timing, json_pack("{ss ss ss sf sf sf sf sf sI sI sb}", "key", key, "metric",
                              k_times[m].metric, "rule", "history", "base_median", med,
                              "new_median", now, "ratio", med > 0 ? now / med : 0.0, "spread",
                              spread, "threshold", threshold, "base_samples", (json_int_t)n,
                              "new_samples", (json_int_t)samples, "regression", worse));
    }
}

/* The comparable history of one key: the last run's results into `base`, and per earlier run
 * (up to window) the median of each time metric into hist[]. Returns the runs found. */
static int key_history(sqlite3_stmt *st, const key_fields_t *k, const char *uid, unsigned window,
                       json_t *base, json_t *hist[N_TIMES], size_t *runs, json_t *run_ids)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    bind_or_null(st, 1, k->scenario);
    bind_or_null(st, 2, k->backend);
    bind_or_null(st, 3, k->stack);
    bind_or_null(st, 4, k->board);
    bind_or_null(st, 5, k->config);
    sqlite3_bind_text(st, 6, uid, -1, SQLITE_TRANSIENT);
    long long run = -1;
    json_t *one_run = NULL;
    int rc;
    *runs = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        if (id != run) {
            if (one_run) {
                for (size_t m = 0; m < N_TIMES; m++) {
                    double v;
                    if (time_median(one_run, m, &v, NULL)) {
                        json_array_append_new(hist[m], json_real(v));
                    }
                }
                json_decref(one_run);
                one_run = NULL;
            }
            if (*runs == window) {
                break;
            }
            run = id;
            (*runs)++;
            one_run = json_array();
            char idbuf[32];
            snprintf(idbuf, sizeof idbuf, "%lld", id);
            json_object_set_new(run_ids, idbuf, json_true());
        }
        const char *text = (const char *)sqlite3_column_text(st, 1);
        json_t *r = text ? json_loads(text, 0, NULL) : NULL;
        if (!r) {
            continue; /* a row is written whole by one transaction; nothing to salvage */
        }
        if (*runs == 1) {
            json_array_append(base, r); /* the last comparable run: exact comparisons */
        }
        json_array_append_new(one_run, r);
    }
    if (one_run) {
        for (size_t m = 0; m < N_TIMES; m++) {
            double v;
            if (time_median(one_run, m, &v, NULL)) {
                json_array_append_new(hist[m], json_real(v));
            }
        }
        json_decref(one_run);
    }
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* compare_results()'s rules without its own timing rule, plus the history rule. */
static void replace_timing_rule(json_t *cmp, const tally_t *t, unsigned window,
                                const compare_opts_t *o)
{
    json_t *rules = json_object_get(cmp, "rules");
    for (size_t i = json_array_size(rules); i-- > 0;) {
        if (strcmp(rm_str(json_array_get(rules, i), "rule", ""), "median") == 0) {
            json_array_remove(rules, i);
        }
    }
    if (t->compared + t->skipped == 0) {
        return;
    }
    json_array_append_new(
        rules,
        json_pack("{ss ss s[ss] sI sI sI sI sI sf sf sf sI}", "rule", "history", "applies",
                  "times: this run's median against the median and spread (1.4826 MAD) of the "
                  "last `window` comparable runs' medians; beyond max(spread_k spreads, "
                  "rel_floor of the median, time_min_us) counts; needs min_history earlier runs "
                  "and min_samples samples in this run (tlsrig run --repeat)",
                  "fields", "duration_us", "target_duration_us", "compared",
                  (json_int_t)t->compared, "differ", (json_int_t)t->differ, "skipped",
                  (json_int_t)t->skipped, "window", (json_int_t)window, "min_samples",
                  (json_int_t)o->min_samples, "spread_k", STATS_SPREAD_K, "rel_floor_pct",
                  STATS_REL_FLOOR * 100.0, "time_min_us", o->time_min_us, "min_history",
                  (json_int_t)STATS_MIN_HISTORY));
}

json_t *history_compare_dir(history_db_t *h, const char *dir, unsigned window,
                            const compare_opts_t *o, history_status_t *status, char *err,
                            size_t errlen)
{
    static const char sql[] =
        "SELECT runs.id, r.result FROM results r JOIN runs ON r.run = runs.id"
        " WHERE r.scenario = ?1 AND r.backend IS ?2 AND r.stack IS ?3 AND r.board IS ?4"
        " AND r.config IS ?5 AND runs.uid <> ?6"
        " ORDER BY runs.started_at DESC, runs.id DESC, r.seq";
    run_log_t log;
    if (results_log_load(dir, &log, err, errlen) != 0) {
        *status = HISTORY_EUSAGE;
        return NULL;
    }
    char uid[65];
    history_run_uid(log.records, log.results, uid);
    const char *run_board = NULL;
    size_t i;
    const json_t *rec;
    json_array_foreach(log.records, i, rec)
    {
        if (!run_board) {
            run_board = rm_str(rec, "board", NULL);
        }
    }
    json_t *base = json_array(), *groups = json_object(), *run_ids = json_object();
    json_t *timing = json_array(), *cmp = NULL;
    tally_t t = {0};
    size_t keys = 0, keys_with_history = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h->db, sql, -1, &st, NULL);
    /* This run's results by history key, in file order. */
    const json_t *r;
    json_array_foreach(log.results, i, r)
    {
        key_fields_t k = key_of(r, run_board);
        char key[1024];
        snprintf(key, sizeof key, "%s|%s|%s|%s|%s", k.scenario, k.backend ? k.backend : "", k.stack,
                 k.board ? k.board : "", k.config ? k.config : "");
        json_t *g = json_object_get(groups, key);
        if (!g) {
            g = json_array();
            json_object_set_new(groups, key, g);
        }
        json_array_append(g, (json_t *)r);
    }
    const char *gkey;
    json_t *g;
    json_object_foreach(groups, gkey, g)
    {
        if (rc != SQLITE_OK) {
            break;
        }
        (void)gkey;
        keys++;
        key_fields_t k = key_of(json_array_get(g, 0), run_board);
        json_t *hist[N_TIMES];
        for (size_t m = 0; m < N_TIMES; m++) {
            hist[m] = json_array();
        }
        size_t runs = 0;
        rc = key_history(st, &k, uid, window, base, hist, &runs, run_ids);
        if (rc == SQLITE_OK && runs > 0) {
            keys_with_history++;
            char key[600];
            rm_key(json_array_get(g, 0), key, sizeof key);
            judge_times(timing, key, g, hist, o, &t);
        }
        for (size_t m = 0; m < N_TIMES; m++) {
            json_decref(hist[m]);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) {
        *status = history_fail(h, rc, "reading the history", err, errlen);
        goto done;
    }
    if (keys_with_history == 0) {
        snprintf(err, errlen,
                 "%s: nothing comparable in %s: none of the run's %zu result key(s) (scenario, "
                 "backend, stack, board, config) has an earlier run recorded",
                 dir, h->path, keys);
        *status = HISTORY_EUSAGE;
        goto done;
    }
    /* Exact rules against the last comparable run; times are the history's (min_samples
     * out of reach turns compare_results()'s own timing rule off). */
    compare_opts_t exact = *o;
    exact.min_samples = UINT_MAX;
    cmp = compare_results(base, log.results, &exact);
    json_object_set(cmp, "timing", timing);
    json_object_set_new(cmp, "timing_skipped", json_integer((json_int_t)t.skipped));
    replace_timing_rule(cmp, &t, window, o);
    json_int_t regressions =
        json_integer_value(json_object_get(cmp, "regressions")) + (json_int_t)t.regressions;
    json_object_set_new(cmp, "regressions", json_integer(regressions));
    json_object_set_new(cmp, "regression", json_boolean(regressions > 0));
    json_object_set_new(cmp, "baseline",
                        json_pack("{ss ss sI sI sI sI}", "kind", "history", "database", h->path,
                                  "window", (json_int_t)window, "runs",
                                  (json_int_t)json_object_size(run_ids), "keys", (json_int_t)keys,
                                  "keys_with_history", (json_int_t)keys_with_history));
    *status = HISTORY_OK;
done:
    json_decref(base);
    json_decref(groups);
    json_decref(run_ids);
    json_decref(timing);
    run_log_free(&log);
    return cmp;
}
