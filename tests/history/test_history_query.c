/* Recording and reading the history: a run lands whole and once; the series per scenario x
 * backend keep the newest runs, their flake rate counts outcome changes, and the trend rules
 * (noise for times, exact for counters) flag what moved; filters select. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "history_db.h"
#include "history_fixture.h"
#include "history_query.h"
#include "history_record.h"
#include "history_stats.h"

static void record(history_db_t *h, const char *dir, const char *name, const char *when,
                   json_t *results, history_recorded_t *rec)
{
    char run[4200], err[1200];
    snprintf(run, sizeof run, "%s/%s", dir, name);
    hf_write_run(run, when, results);
    cr_assert_eq(history_record_dir(h, run, "import", rec, err, sizeof err), HISTORY_OK, "%s", err);
}

static const json_t *series_of(const json_t *q, const char *scenario, const char *backend)
{
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(q, "series"), i, s)
    {
        if (!strcmp(json_string_value(json_object_get(s, "scenario")), scenario) &&
            !strcmp(json_string_value(json_object_get(s, "backend")), backend)) {
            return s;
        }
    }
    return NULL;
}

static const json_t *trend(const json_t *s, const char *metric)
{
    return json_object_get(json_object_get(s, "trend"), metric);
}

Test(history_query, runs_land_once_and_series_follow_them)
{
    char dir[4096], db[4200], err[1200];
    hf_tmpdir("query", dir, sizeof dir);
    snprintf(db, sizeof db, "%s/h.sqlite", dir);
    history_db_t h;
    cr_assert_eq(history_open(&h, db, true, err, sizeof err), HISTORY_OK, "%s", err);
    /* Five runs: `hs` steady in time until a slow last run; its heap grows in the last run;
     * `flip` alternates pass and fail. */
    const double times[] = {10.0, 10.4, 9.8, 10.1, 25.0};
    history_recorded_t rec;
    for (int i = 0; i < 5; i++) {
        char name[16], when[32];
        snprintf(name, sizeof name, "run%d", i);
        snprintf(when, sizeof when, "2026-11-0%dT10:00:00Z", i + 1);
        record(&h, dir, name, when,
               json_pack("[o o]", hf_result("hs", "sw", "pass", times[i], i == 4 ? 50000 : 44000),
                         hf_result("flip", "sw", i % 2 ? "fail" : "pass", 5.0, 1000)),
               &rec);
        cr_assert_not(rec.already);
        cr_assert_eq(rec.results, 2);
    }
    /* The same folder again: recognised, nothing written. */
    char again[4200];
    snprintf(again, sizeof again, "%s/run2", dir);
    cr_assert_eq(history_record_dir(&h, again, "import", &rec, err, sizeof err), HISTORY_OK);
    cr_assert(rec.already);

    history_filter_t f = {.last = 10};
    history_status_t st;
    json_t *q = history_query(&h, &f, &st, err, sizeof err);
    cr_assert(q, "%s", err);
    cr_assert_eq(json_integer_value(json_object_get(q, "runs")), 5);
    const json_t *hs = series_of(q, "hs", "sw"), *flip = series_of(q, "flip", "sw");
    cr_assert(hs && flip);
    cr_assert_eq(json_integer_value(json_object_get(hs, "runs")), 5);
    cr_assert_float_eq(json_real_value(json_object_get(hs, "flake_rate")), 0.0, 1e-9);
    cr_assert_float_eq(json_real_value(json_object_get(flip, "flake_rate")), 1.0, 1e-9,
                       "P F P F P: every consecutive pair changed");
    cr_assert(json_is_true(json_object_get(trend(hs, "duration_ms"), "moved")),
              "25 ms against 10 +- 0.3 ms stands out of the noise");
    cr_assert(json_is_true(json_object_get(trend(hs, "heap_peak"), "moved")));
    cr_assert_not(json_is_true(json_object_get(trend(flip, "duration_ms"), "moved")));
    cr_assert_not(json_is_true(json_object_get(trend(flip, "heap_peak"), "moved")));
    json_decref(q);

    /* The newest 2 runs only: the window drops the older ones. */
    f.last = 2;
    q = history_query(&h, &f, &st, err, sizeof err);
    hs = series_of(q, "hs", "sw");
    cr_assert_eq(json_array_size(json_object_get(hs, "points")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(hs, "points"), 0), "started_at")),
                     "2026-11-04T10:00:00Z");
    cr_assert(json_is_null(json_object_get(trend(hs, "duration_ms"), "change_pct")),
              "one earlier run is too few to judge a time");
    json_decref(q);

    /* One run's snapshot: its own series, over the runs up to it only. */
    history_filter_t one = {.last = 10, .only_run = 3};
    q = history_query(&h, &one, &st, err, sizeof err);
    hs = series_of(q, "hs", "sw");
    cr_assert_eq(json_array_size(json_object_get(hs, "points")), 3,
                 "runs recorded after run 3 started stay out of its snapshot");
    json_decref(q);

    /* Filters: a glob, a date, a backend nobody ran. */
    history_filter_t g = {.last = 10, .scenario_glob = "fl*"};
    q = history_query(&h, &g, &st, err, sizeof err);
    cr_assert_eq(json_array_size(json_object_get(q, "series")), 1);
    json_decref(q);
    history_filter_t d = {.last = 10, .since = "2026-11-04"};
    q = history_query(&h, &d, &st, err, sizeof err);
    cr_assert_eq(json_integer_value(json_object_get(q, "runs")), 2);
    json_decref(q);
    history_filter_t b = {.last = 10, .backend = "hw"};
    q = history_query(&h, &b, &st, err, sizeof err);
    cr_assert_eq(json_array_size(json_object_get(q, "series")), 0);
    json_decref(q);
    history_close(&h);
}

Test(history_query, dates_are_checked)
{
    cr_assert_eq(history_check_date("2026-11-28"), 0);
    cr_assert_eq(history_check_date("2026-11-28T07:00:00Z"), 0);
    cr_assert_eq(history_check_date("28/11/2026"), -1);
    cr_assert_eq(history_check_date("2026-11-28 07:00"), -1);
    cr_assert_eq(history_check_date(""), -1);
}

Test(history_stats, median_spread_and_flake_rate)
{
    json_t *v = json_pack("[f f f f f]", 10.0, 12.0, 11.0, 100.0, 9.0);
    double m, s;
    cr_assert(stats_median(v, &m));
    cr_assert_float_eq(m, 11.0, 1e-9);
    cr_assert(stats_spread(v, &s));
    /* |x - 11| = 1 1 0 89 2 -> median 1: one wild sample does not widen the spread. */
    cr_assert_float_eq(s, 1.4826, 1e-9);
    json_decref(v);
    json_t *none = json_array();
    cr_assert_not(stats_median(none, &m));
    json_decref(none);
    json_t *o = json_pack("[s s s s s]", "pass", "pass", "skipped", "fail", "fail");
    cr_assert_float_eq(stats_flake_rate(o), 1.0 / 3.0, 1e-9, "skips are left out of the pairs");
    json_decref(o);
    cr_assert_float_eq(stats_timing_threshold(100.0, 1.0, 0.0), 10.0, 1e-9, "10%% floor");
    cr_assert_float_eq(stats_timing_threshold(100.0, 5.0, 0.0), 15.0, 1e-9, "3 spreads");
    cr_assert_float_eq(stats_timing_threshold(1.0, 0.0, 2000.0), 2000.0, 1e-9, "absolute floor");
}
