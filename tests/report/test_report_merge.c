/* tlsrig merge: runs of several boards joined into one report. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_test_util.h"
#include "results_log.h"
#include "run_merge.h"
#include "run_summary.h"

Test(report_merge, joins_results_with_provenance_and_files)
{
    char a[4096], b[4096], out[4096];
    snprintf(a, sizeof a, "%s", fixture_dir("small"));
    snprintf(b, sizeof b, "%s", fixture_dir("cut-short"));
    snprintf(out, sizeof out, "%s/merged", scratch_dir());
    const char *dirs[] = {a, b};
    char err[512];
    cr_assert_eq(run_merge(dirs, 2, out, err, sizeof err), 0, "%s", err);
    size_t skipped = 0;
    json_t *all = results_log_read(out, &skipped, err, sizeof err);
    cr_assert(all != NULL, "%s", err);
    cr_assert_eq(skipped, 0, "merged results.jsonl must be whole");
    cr_assert_eq(json_array_size(all), 6, "4 + 2 complete results");
    const json_t *first = json_array_get(all, 0), *last = json_array_get(all, 5);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(first, "source"), "prefix")),
                     "runs/01-small/");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(last, "source"), "prefix")),
                     "runs/02-cut-short/");
    json_decref(all);
    char path[8192];
    snprintf(path, sizeof path, "%s/runs/01-small/logs/T01_baseline.sw.log", out);
    cr_assert_eq(access(path, R_OK), 0, "logs not copied");
    char *html = slurp(out, "report.html");
    cr_assert(html != NULL, "no merged report");
    cr_assert(strstr(html, "href='runs/01-small/logs/T01_baseline.sw.log'") != NULL,
              "links do not follow the copied files");
    free(html);
    char *summary = slurp(out, "summary.md");
    cr_assert(summary != NULL);
    free(summary);
}

Test(report_merge, missing_source_is_an_error)
{
    char out[4096];
    snprintf(out, sizeof out, "%s/merged", scratch_dir());
    const char *dirs[] = {"/nonexistent-run"};
    char err[512] = "";
    cr_assert_eq(run_merge(dirs, 1, out, err, sizeof err), 3);
    cr_assert(strstr(err, "/nonexistent-run") != NULL, "%s", err);
}

/* merge A --out A used to truncate A's results.jsonl and exit 0. */
Test(report_merge, refuses_an_output_that_is_an_input)
{
    const char *a = scratch_copy("small");
    char *before = slurp(a, "results.jsonl");
    char with_slash[4200], inside[4200];
    snprintf(with_slash, sizeof with_slash, "%s/", a);
    snprintf(inside, sizeof inside, "%s/merged", a);
    const char *dirs[] = {a};
    const char *outs[] = {a, with_slash, inside};
    for (size_t i = 0; i < 3; i++) {
        char err[512] = "";
        cr_assert_eq(run_merge(dirs, 1, outs[i], err, sizeof err), 2, "%s", outs[i]);
        cr_assert(strstr(err, "--out") != NULL, "%s", err);
    }
    char *after = slurp(a, "results.jsonl");
    cr_assert_str_eq(before, after, "the input run was changed");
    cr_assert_eq(access(inside, F_OK), -1, "nothing is created when refused");
    free(before);
    free(after);
}

/* merge used to overwrite an existing run. */
Test(report_merge, refuses_an_output_that_holds_results)
{
    const char *existing = scratch_copy("regressed");
    char out[4096];
    snprintf(out, sizeof out, "%s", existing);
    char *before = slurp(out, "results.jsonl");
    const char *dirs[] = {fixture_dir("small")};
    char err[512] = "";
    cr_assert_eq(run_merge(dirs, 1, out, err, sizeof err), 2);
    cr_assert(strstr(err, "already holds a run") != NULL, "%s", err);
    char *after = slurp(out, "results.jsonl");
    cr_assert_str_eq(before, after);
    free(before);
    free(after);
}

/* A source killed mid-run stays cut short in the merged report. */
Test(report_merge, merged_run_keeps_each_source_completeness)
{
    char a[4096], b[4096], out[4096];
    snprintf(a, sizeof a, "%s", fixture_dir("small"));
    snprintf(b, sizeof b, "%s", fixture_dir("killed"));
    snprintf(out, sizeof out, "%s/merged", scratch_dir());
    const char *dirs[] = {a, b};
    char err[512];
    cr_assert_eq(run_merge(dirs, 2, out, err, sizeof err), 0, "%s", err);
    json_t *v = NULL;
    cr_assert_eq(run_reports_write(out, NULL, &v, err, sizeof err), 0, "%s", err);
    const json_t *c = json_object_get(v, "completeness");
    cr_assert_str_eq(json_string_value(json_object_get(c, "status")), "cut-short");
    cr_assert_eq(json_integer_value(json_object_get(c, "not_run")), 4);
    cr_assert_eq(json_integer_value(json_object_get(c, "planned")), 10);
    cr_assert_eq(json_integer_value(json_object_get(v, "exit")), 1);
    const char *reason = json_string_value(json_array_get(json_object_get(c, "reasons"), 0));
    cr_assert(reason && strstr(reason, "runs/02-killed/") != NULL, "%s", reason);
    json_decref(v);
}
