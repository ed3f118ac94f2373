/* Every report rebuilt from a recorded results.jsonl, including a run cut
 * short mid-line. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report_test_util.h"
#include "run_summary.h"

static json_t *load_report_json(const char *dir)
{
    char *text = slurp(dir, "report.json");
    cr_assert(text != NULL, "report.json missing");
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    free(text);
    cr_assert(doc != NULL, "report.json does not parse: %s", je.text);
    return doc;
}

Test(report, writes_every_report_from_results)
{
    const char *dir = scratch_copy("small");
    char err[512];
    cr_assert_eq(run_reports_write(dir, NULL, NULL, err, sizeof err), 0, "%s", err);
    static const char *const files[] = {"junit.xml", "report.json", "report.html", "summary.md"};
    for (size_t i = 0; i < 4; i++) {
        char *t = slurp(dir, files[i]);
        cr_assert(t != NULL && t[0], "%s missing or empty", files[i]);
        free(t);
    }
    json_t *doc = load_report_json(dir);
    json_t *t = json_object_get(doc, "totals");
    cr_assert_eq(json_integer_value(json_object_get(t, "total")), 4);
    cr_assert_eq(json_integer_value(json_object_get(t, "pass")), 2);
    cr_assert_eq(json_integer_value(json_object_get(t, "fail")), 2);
    cr_assert_eq(json_integer_value(json_object_get(t, "met")), 4);
    cr_assert_eq(json_array_size(json_object_get(doc, "results")), 4);
    json_t *parity = json_object_get(doc, "parity");
    cr_assert_eq(json_integer_value(json_object_get(parity, "pairs")), 2);
    cr_assert_eq(json_integer_value(json_object_get(parity, "matched")), 2);
    cr_assert(json_is_false(json_object_get(json_object_get(doc, "meta"), "cut_short")));
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_object_get(doc, "meta"), "completeness"), "status")),
                     "complete");
    json_decref(doc);
}

Test(report, html_is_self_contained_with_charts_and_details)
{
    const char *dir = scratch_copy("small");
    char err[512];
    cr_assert_eq(run_reports_write(dir, NULL, NULL, err, sizeof err), 0, "%s", err);
    char *html = slurp(dir, "report.html");
    cr_assert(html != NULL);
    cr_assert(strstr(html, "<svg") != NULL, "no SVG chart");
    cr_assert(strstr(html, "Time per crypto primitive") != NULL);
    cr_assert(strstr(html, "T03_no_shared_suite") != NULL);
    cr_assert(strstr(html, "no-shared-ciphersuite") != NULL, "verdict not shown");
    cr_assert(strstr(html, "ClientHello (decoded by the server)") != NULL);
    cr_assert(strstr(html, "x25519") != NULL, "ClientHello groups not shown");
    /* No remote assets, no script; the client log is embedded escaped and cut. */
    cr_assert(strstr(html, "http://") == NULL ||
              strstr(html, "xmlns='http://www.w3.org/2000/svg'"));
    cr_assert(strstr(html, "https://") == NULL);
    cr_assert(strstr(html, "<script") == NULL);
    cr_assert(strstr(html, "<b>&") == NULL, "log text not escaped");
    cr_assert(strstr(html, "line 449 &lt;b&gt;&amp;") != NULL, "log tail missing");
    cr_assert(strstr(html, "line 10 &lt;b&gt;") == NULL, "log not cut to its last lines");
    cr_assert(strstr(html, "href='logs/T01_baseline.sw.log'") != NULL, "log link missing");
    cr_assert(strstr(html, "href='captures/T01_baseline-sw-0/conn.pcap'") != NULL,
              "pcap link missing");
    free(html);
}

Test(report, summary_lists_failures_with_verdicts)
{
    const char *dir = scratch_copy("regressed");
    char err[512];
    cr_assert_eq(run_reports_write(dir, NULL, NULL, err, sizeof err), 0, "%s", err);
    char *md = slurp(dir, "summary.md");
    cr_assert(md != NULL);
    cr_assert(strstr(md, "3 of 4 expectations met") != NULL, "%s", md);
    cr_assert(strstr(md, "| T01_baseline | hw | sim | fail | hw-crypto-divergence |") != NULL, "%s",
              md);
    cr_assert(strstr(md, "hw/sw parity: 1 of 2") != NULL, "%s", md);
    free(md);
}

Test(report, cut_short_run_still_reports)
{
    const char *dir = scratch_copy("cut-short");
    char err[512];
    cr_assert_eq(run_reports_write(dir, NULL, NULL, err, sizeof err), 0, "%s", err);
    json_t *doc = load_report_json(dir);
    json_t *meta = json_object_get(doc, "meta");
    cr_assert(json_is_true(json_object_get(meta, "cut_short")), "a torn line: cut short");
    cr_assert_eq(json_integer_value(json_object_get(meta, "skipped_lines")), 1);
    cr_assert_eq(json_array_size(json_object_get(doc, "results")), 2);
    json_decref(doc);
    char *html = slurp(dir, "report.html");
    cr_assert(strstr(html, "Run cut short") != NULL);
    cr_assert(strstr(html, "T09_cut") == NULL, "torn line leaked into the report");
    cr_assert(strstr(html, "unreadable line") != NULL);
    free(html);
    char *md = slurp(dir, "summary.md");
    cr_assert(strstr(md, "Run cut short") != NULL);
    free(md);
}

Test(report, missing_results_is_an_error)
{
    char err[512] = "";
    cr_assert_eq(run_reports_write(scratch_dir(), NULL, NULL, err, sizeof err), 2);
    cr_assert(strstr(err, "results.jsonl") != NULL, "%s", err);
}
