/* Every report of a run directory, rebuilt from results.jsonl alone. */
#include <stdio.h>

#include "junit.h"
#include "report_html.h"
#include "report_json.h"
#include "report_markdown.h"
#include "results_log.h"
#include "run_compare.h"
#include "run_summary.h"

/* compare.json next to the reports, and the human summary on stdout. */
static json_t *compare_with_baseline(const char *dir, const char *baseline, const json_t *results,
                                     char *err, size_t errlen)
{
    size_t skipped = 0;
    json_t *base = results_log_read(baseline, &skipped, err, errlen);
    if (!base) {
        return NULL;
    }
    compare_opts_t o;
    compare_opts_default(&o);
    json_t *cmp = compare_results(base, results, &o);
    json_decref(base);
    char path[4096];
    snprintf(path, sizeof path, "%s/compare.json", dir);
    json_dump_file(cmp, path, JSON_INDENT(1) | JSON_SORT_KEYS);
    printf("\ncompared with baseline %s:\n", baseline);
    compare_print(stdout, cmp);
    return cmp;
}

int run_reports_write(const char *dir, const char *baseline, char *err, size_t errlen)
{
    size_t skipped = 0;
    json_t *results = results_log_read(dir, &skipped, err, errlen);
    if (!results) {
        return -1;
    }
    if (skipped > 0) {
        fprintf(stderr, "tlsrig: %s/results.jsonl: %zu unreadable line(s) skipped\n", dir, skipped);
    }
    json_t *cmp = NULL;
    char cmp_err[512] = "";
    if (baseline) {
        cmp = compare_with_baseline(dir, baseline, results, cmp_err, sizeof cmp_err);
    }
    json_t *doc = report_document(dir, results, skipped, cmp);
    int rc = junit_write(dir, results, err, errlen);
    if (rc == 0) {
        rc = report_json_write(dir, doc, err, errlen);
    }
    if (rc == 0) {
        rc = report_markdown_write(dir, doc, err, errlen);
    }
    if (rc == 0) {
        rc = report_html_write(dir, doc, err, errlen);
    }
    if (rc == 0 && baseline && !cmp) {
        snprintf(err, errlen, "baseline: %s", cmp_err);
        rc = -1;
    } else if (rc == 0 && cmp && json_is_true(json_object_get(cmp, "regression"))) {
        rc = 1;
    }
    json_decref(doc);
    json_decref(cmp);
    json_decref(results);
    return rc;
}
