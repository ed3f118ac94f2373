/* A run against its history: identical results compare equal; a time is judged against the
 * median and spread of the earlier runs only with enough samples; a slower time, a changed
 * counter or a new failure is a regression named by its key; nothing comparable is an error. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "history_baseline.h"
#include "history_fixture.h"
#include "history_record.h"

static char g_dir[4096], g_db[4200];

/* Four earlier runs of `hs`, three repeats each, 10 ms +- 0.2, heap 44000. */
static void make_history(history_db_t *h)
{
    char err[1200];
    hf_tmpdir("baseline", g_dir, sizeof g_dir);
    snprintf(g_db, sizeof g_db, "%s/h.sqlite", g_dir);
    cr_assert_eq(history_open(h, g_db, true, err, sizeof err), HISTORY_OK, "%s", err);
    for (int i = 0; i < 4; i++) {
        char run[4200], when[32];
        snprintf(run, sizeof run, "%s/hist%d", g_dir, i);
        snprintf(when, sizeof when, "2026-11-0%dT10:00:00Z", i + 1);
        json_t *rs = json_array();
        for (int k = 0; k < 3; k++) {
            json_array_append_new(rs,
                                  hf_result("hs", "sw", "pass", 9.8 + 0.2 * k + 0.05 * i, 44000));
        }
        hf_write_run(run, when, rs);
        history_recorded_t rec;
        cr_assert_eq(history_record_dir(h, run, "import", &rec, err, sizeof err), HISTORY_OK);
    }
}

static json_t *compare_run(history_db_t *h, const char *name, double ms, long heap,
                           const char *outcome)
{
    char run[4200], err[1200];
    snprintf(run, sizeof run, "%s/%s", g_dir, name);
    json_t *rs = json_array();
    for (int k = 0; k < 3; k++) {
        json_array_append_new(rs, hf_result("hs", "sw", outcome, ms + 0.1 * k, heap));
    }
    hf_write_run(run, "2026-11-09T10:00:00Z", rs);
    compare_opts_t o;
    compare_opts_default(&o);
    history_status_t st;
    json_t *cmp = history_compare_dir(h, run, 10, &o, &st, err, sizeof err);
    cr_assert(cmp, "%s", err);
    return cmp;
}

Test(history_baseline, an_identical_run_compares_equal)
{
    history_db_t h;
    make_history(&h);
    json_t *cmp = compare_run(&h, "same", 9.9, 44000, "pass");
    cr_assert(json_is_false(json_object_get(cmp, "regression")));
    cr_assert_eq(json_array_size(json_object_get(cmp, "timing")), 0);
    const json_t *b = json_object_get(cmp, "baseline");
    cr_assert_str_eq(json_string_value(json_object_get(b, "kind")), "history");
    cr_assert_eq(json_integer_value(json_object_get(b, "runs")), 4);
    json_decref(cmp);
    history_close(&h);
}

Test(history_baseline, a_time_out_of_the_noise_is_a_regression)
{
    history_db_t h;
    make_history(&h);
    json_t *cmp = compare_run(&h, "slow", 14.0, 44000, "pass");
    cr_assert(json_is_true(json_object_get(cmp, "regression")));
    const json_t *t = json_array_get(json_object_get(cmp, "timing"), 0);
    cr_assert(t);
    cr_assert_str_eq(json_string_value(json_object_get(t, "rule")), "history");
    cr_assert_str_eq(json_string_value(json_object_get(t, "key")), "hs|sw|sim");
    cr_assert(json_is_true(json_object_get(t, "regression")));
    cr_assert_eq(json_integer_value(json_object_get(t, "base_samples")), 4);
    json_decref(cmp);
    /* 10.6 ms is 6% over: inside the 10% floor, not a regression. */
    cmp = compare_run(&h, "bit_slower", 10.5, 44000, "pass");
    cr_assert(json_is_false(json_object_get(cmp, "regression")));
    json_decref(cmp);
    history_close(&h);
}

Test(history_baseline, counters_and_outcomes_compare_against_the_last_run)
{
    history_db_t h;
    make_history(&h);
    json_t *cmp = compare_run(&h, "heap", 10.0, 50000, "pass");
    cr_assert(json_is_true(json_object_get(cmp, "regression")));
    const json_t *c = json_array_get(json_object_get(cmp, "counters"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(c, "metric")), "heap_peak");
    json_decref(cmp);
    cmp = compare_run(&h, "fails", 10.0, 44000, "fail");
    cr_assert_eq(json_array_size(json_object_get(cmp, "new_failures")), 1);
    cr_assert(json_is_true(json_object_get(cmp, "regression")));
    json_decref(cmp);
    history_close(&h);
}

Test(history_baseline, nothing_comparable_is_an_error_not_a_pass)
{
    history_db_t h;
    make_history(&h);
    char run[4200], err[1200];
    snprintf(run, sizeof run, "%s/other", g_dir);
    hf_write_run(run, "2026-11-09T10:00:00Z",
                 json_pack("[o]", hf_result("never-seen", "sw", "pass", 5.0, 100)));
    compare_opts_t o;
    compare_opts_default(&o);
    history_status_t st;
    cr_assert_null(history_compare_dir(&h, run, 10, &o, &st, err, sizeof err));
    cr_assert_eq(st, HISTORY_EUSAGE);
    cr_assert(strstr(err, "nothing comparable"), "%s", err);
    history_close(&h);
}
