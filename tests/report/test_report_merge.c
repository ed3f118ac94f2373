/* tlsrig merge: runs of several boards joined into one report. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

#include "report_test_util.h"
#include "results_log.h"
#include "run_merge.h"

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
    cr_assert_eq(run_merge(dirs, 1, out, err, sizeof err), -1);
    cr_assert(strstr(err, "/nonexistent-run") != NULL, "%s", err);
}
