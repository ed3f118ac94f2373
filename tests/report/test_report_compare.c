/* tlsrig compare semantics on constructed runs: new failures, fixes, parity,
 * deterministic counters and noise-aware timing. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "report_test_util.h"
#include "run_compare.h"
#include "run_summary.h"

static json_t *cmp_fixtures(const char *base, const char *cur)
{
    compare_opts_t o;
    compare_opts_default(&o);
    char err[512], b[4096];
    snprintf(b, sizeof b, "%s", fixture_dir(base));
    json_t *c = compare_dirs(b, fixture_dir(cur), &o, err, sizeof err);
    cr_assert(c != NULL, "%s", err);
    return c;
}

static bool lists(const json_t *c, const char *field, const char *key)
{
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(c, field), i, v)
    {
        const char *k =
            json_is_string(v) ? json_string_value(v) : json_string_value(json_object_get(v, "key"));
        if (k && strcmp(k, key) == 0) {
            return true;
        }
    }
    return false;
}

Test(report_compare, identical_runs_have_no_regression)
{
    json_t *c = cmp_fixtures("small", "small");
    cr_assert(json_is_false(json_object_get(c, "regression")));
    cr_assert_eq(json_integer_value(json_object_get(c, "regressions")), 0);
    cr_assert_eq(json_array_size(json_object_get(c, "new_failures")), 0);
    json_decref(c);
}

Test(report_compare, new_failure_is_a_regression)
{
    json_t *c = cmp_fixtures("small", "regressed");
    cr_assert(json_is_true(json_object_get(c, "regression")));
    cr_assert(lists(c, "new_failures", "T01_baseline|hw|sim"));
    cr_assert_eq(json_array_size(json_object_get(c, "parity_changes")), 1, "parity loss not seen");
    json_decref(c);
}

Test(report_compare, fixed_scenario_is_listed_and_not_a_regression)
{
    json_t *c = cmp_fixtures("fixed-base", "fixed-new");
    cr_assert(json_is_false(json_object_get(c, "regression")));
    cr_assert(lists(c, "fixed", "T05_sni|sw|sim"));
    json_decref(c);
}

Test(report_compare, timing_within_noise_is_not_a_regression)
{
    json_t *c = cmp_fixtures("timing-base", "timing-noise");
    cr_assert(json_is_false(json_object_get(c, "regression")));
    cr_assert_eq(json_array_size(json_object_get(c, "timing")), 0);
    json_decref(c);
}

Test(report_compare, timing_beyond_threshold_is_a_regression)
{
    json_t *c = cmp_fixtures("timing-base", "timing-slow");
    cr_assert(json_is_true(json_object_get(c, "regression")));
    cr_assert(lists(c, "timing", "T01_baseline|sw|sim"));
    json_decref(c);
    /* The other way round it is an improvement, reported but not failing. */
    c = cmp_fixtures("timing-slow", "timing-base");
    cr_assert(json_is_false(json_object_get(c, "regression")));
    cr_assert_gt(json_array_size(json_object_get(c, "timing")), 0);
    json_decref(c);
}

Test(report_compare, timing_needs_samples_on_both_sides)
{
    json_t *c = cmp_fixtures("timing-base", "timing-single");
    cr_assert(json_is_false(json_object_get(c, "regression")));
    cr_assert_gt(json_integer_value(json_object_get(c, "timing_skipped")), 0);
    json_decref(c);
}

Test(report_compare, deterministic_counter_change_is_reported_exactly)
{
    json_t *c = cmp_fixtures("timing-base", "counter-up");
    cr_assert(json_is_true(json_object_get(c, "regression")));
    const json_t *row = json_array_get(json_object_get(c, "counters"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(row, "metric")), "handshake_steps");
    cr_assert_eq(json_real_value(json_object_get(row, "base")), 14.0);
    cr_assert_eq(json_real_value(json_object_get(row, "new")), 16.0);
    json_decref(c);
}

Test(report_compare, run_with_baseline_returns_1_on_regression)
{
    char err[512], base[4096];
    snprintf(base, sizeof base, "%s", fixture_dir("small"));
    json_t *v = NULL;
    cr_assert_eq(run_reports_write(scratch_copy("small"), base, &v, err, sizeof err), 0, "%s", err);
    cr_assert_eq(json_integer_value(json_object_get(v, "exit")), 0, "same run: no regression");
    json_decref(v);
    const char *dir = scratch_copy("regressed");
    cr_assert_eq(run_reports_write(dir, base, &v, err, sizeof err), 0, "%s", err);
    cr_assert_eq(json_integer_value(json_object_get(v, "exit")), 1);
    json_decref(v);
    char *md = slurp(dir, "summary.md");
    cr_assert(strstr(md, "Against the baseline: regression") != NULL, "%s", md);
    free(md);
    char *cmp = slurp(dir, "compare.json");
    cr_assert(cmp != NULL, "compare.json missing");
    free(cmp);
}

Test(report_compare, unreadable_baseline_is_an_error)
{
    char err[512];
    cr_assert_eq(
        run_reports_write(scratch_copy("small"), "/nonexistent-baseline", NULL, err, sizeof err),
        2);
    cr_assert(strstr(err, "baseline") != NULL, "%s", err);
}
