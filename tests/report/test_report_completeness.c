#define _POSIX_C_SOURCE 200809L
/* A run that did not record everything it planned says so in every report,
 * and `report` does not pass it: a run killed without a run-end record, a
 * run interrupted by a signal, a run from before run records existed. Also
 * the one parity rule, root causes, and paths that would leave the run. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "junit.h"
#include "parity_rule.h"
#include "report_model.h"
#include "report_test_util.h"
#include "results_log.h"
#include "run_causes.h"
#include "run_summary.h"

static json_t *reports(const char *dir)
{
    char err[512];
    json_t *v = NULL;
    cr_assert_eq(run_reports_write(dir, NULL, &v, err, sizeof err), 0, "%s", err);
    return v;
}

static const json_t *completeness(const json_t *v)
{
    return json_object_get(v, "completeness");
}

Test(report_completeness, killed_run_counts_what_never_ran)
{
    const char *dir = scratch_copy("killed");
    json_t *v = reports(dir);
    cr_assert_eq(json_integer_value(json_object_get(v, "exit")), 1, "a cut-short run never passes");
    const json_t *c = completeness(v);
    cr_assert_str_eq(json_string_value(json_object_get(c, "status")), "cut-short");
    cr_assert_eq(json_integer_value(json_object_get(c, "planned")), 6);
    cr_assert_eq(json_integer_value(json_object_get(c, "not_run")), 4);
    json_decref(v);
    char *md = slurp(dir, "summary.md");
    cr_assert(strstr(md, "Run cut short:** 4 scenario run(s) never ran (of 6 planned)") != NULL,
              "%s", md);
    cr_assert(strstr(md, "no run-end record") != NULL, "%s", md);
    cr_assert(strstr(md, ":white_check_mark:") == NULL, "%s", md);
    free(md);
    char *junit = slurp(dir, "junit.xml");
    cr_assert(strstr(junit, "tests=\"6\" failures=\"0\" errors=\"4\"") != NULL, "%s", junit);
    cr_assert(strstr(junit, "type=\"not-run\"") != NULL);
    free(junit);
    char *html = slurp(dir, "report.html");
    cr_assert(strstr(html, "Run cut short:</b> 4 scenario run(s) never ran") != NULL);
    free(html);
    /* results.jsonl itself is never rewritten by a report. */
    size_t skipped = 0;
    char err[256];
    json_t *res = results_log_read(dir, &skipped, err, sizeof err);
    cr_assert_eq(json_array_size(res), 2);
    json_decref(res);
}

Test(report_completeness, interrupted_run_names_the_signal)
{
    const char *dir = scratch_copy("interrupted");
    json_t *v = reports(dir);
    cr_assert_eq(json_integer_value(json_object_get(v, "exit")), 1);
    const json_t *c = completeness(v);
    cr_assert_str_eq(json_string_value(json_object_get(c, "status")), "cut-short");
    cr_assert_eq(json_integer_value(json_object_get(c, "not_run")), 2);
    const char *reason = json_string_value(json_array_get(json_object_get(c, "reasons"), 0));
    cr_assert(reason && strstr(reason, "interrupted by SIGINT"), "%s", reason);
    /* One root cause line for both. */
    const json_t *causes = json_object_get(v, "causes");
    cr_assert_eq(json_array_size(causes), 1);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(causes, 0), "count")), 2);
    json_decref(v);
}

Test(report_completeness, run_without_records_is_not_complete)
{
    const char *dir = scratch_copy("regressed");
    json_t *v = reports(dir);
    cr_assert_str_eq(json_string_value(json_object_get(completeness(v), "status")), "unknown");
    cr_assert_neq(json_integer_value(json_object_get(v, "exit")), 0);
    json_decref(v);
    char *md = slurp(dir, "summary.md");
    cr_assert(strstr(md, "Run records missing: completeness unknown") != NULL, "%s", md);
    free(md);
}

Test(report_completeness, complete_run_passes)
{
    json_t *v = reports(scratch_copy("small"));
    cr_assert_eq(json_integer_value(json_object_get(v, "exit")), 0);
    cr_assert_str_eq(json_string_value(json_object_get(completeness(v), "status")), "complete");
    json_decref(v);
}

Test(report_completeness, old_parity_lines_fold_into_the_hw_testcase)
{
    const char *dir = scratch_copy("old-parity");
    json_t *v = reports(dir);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(v, "totals"), "total")), 4,
                 "the parity line is not an extra result");
    json_decref(v);
    char *junit = slurp(dir, "junit.xml");
    cr_assert(strstr(junit, "tests=\"4\" failures=\"1\"") != NULL, "%s", junit);
    const char *first = strstr(junit, "classname=\"sim.hw.full\" name=\"T01_baseline\"");
    cr_assert(first != NULL);
    cr_assert(strstr(first + 1, "classname=\"sim.hw.full\" name=\"T01_baseline\"") == NULL,
              "duplicate testcase");
    cr_assert(strstr(junit, "diverging primitive: aes-gcm") != NULL, "%s", junit);
    free(junit);
}

static json_t *result(const char *outcome, int ret, int alert)
{
    return json_pack("{ss si si sn}", "outcome", outcome, "mbedtls_ret", ret, "alert_received",
                     alert, "alert_sent");
}

Test(report_completeness, one_parity_rule)
{
    char why[128];
    json_t *a = result("fail", -0x7780, 40), *b = result("fail", -0x7780, 40);
    cr_assert_eq(parity_compare(a, b, why, sizeof why), PARITY_MATCH);
    json_object_set_new(b, "alert_received", json_integer(20));
    cr_assert_eq(parity_compare(a, b, why, sizeof why), PARITY_MISMATCH);
    cr_assert_str_eq(why, "alert_received: sw 40, hw 20");
    json_object_set_new(b, "alert_received", json_integer(40));
    json_object_set_new(b, "suite", json_string("TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256"));
    cr_assert_eq(parity_compare(a, b, why, sizeof why), PARITY_MISMATCH, "suite counts");
    /* Not applicable: never a divergence. */
    json_object_set_new(b, "outcome", json_string("skipped"));
    cr_assert_eq(parity_compare(a, b, why, sizeof why), PARITY_NOT_APPLICABLE);
    json_object_set_new(b, "outcome", json_string("not-run"));
    cr_assert_eq(parity_compare(a, b, why, sizeof why), PARITY_NOT_APPLICABLE);
    json_decref(a);
    json_decref(b);
}

Test(report_completeness, skipped_and_not_run_never_count_as_met)
{
    json_t *rs =
        json_pack("[{ss sb} {ss sb} {ss sb}]", "outcome", "skipped", "expect_met", 1, "outcome",
                  "not-run", "expect_met", 1, "outcome", "pass", "expect_met", 1);
    json_t *t = rm_totals(rs);
    cr_assert_eq(json_integer_value(json_object_get(t, "met")), 1);
    cr_assert_eq(json_integer_value(json_object_get(t, "applicable")), 1);
    cr_assert_eq(json_integer_value(json_object_get(t, "not_run")), 1);
    json_decref(t);
    json_decref(rs);
}

Test(report_completeness, one_line_per_root_cause)
{
    json_t *rs = json_array();
    for (int i = 0; i < 65; i++) {
        char name[32];
        snprintf(name, sizeof name, "s%02d", i);
        json_array_append_new(rs, json_pack("{ss ss ss sb ss s{sb ss}}", "scenario", name,
                                            "backend", "hw", "outcome", "fail", "expect_met", 0,
                                            "verdict", "hw-crypto-divergence", "parity", "match", 0,
                                            "primitive", "aes-gcm"));
    }
    json_array_append_new(rs, json_pack("{ss ss ss sb ss}", "scenario", "x", "backend", "sw",
                                        "outcome", "fail", "expect_met", 0, "mbedtls_error",
                                        "MBEDTLS_ERR_X509_CERT_VERIFY_FAILED"));
    json_t *c = run_root_causes(rs);
    cr_assert_eq(json_array_size(c), 2);
    const json_t *top = json_array_get(c, 0);
    cr_assert_eq(json_integer_value(json_object_get(top, "count")), 65);
    cr_assert_str_eq(json_string_value(json_object_get(top, "detail")), "aes-gcm");
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    run_causes_print(f, c);
    fclose(f);
    cr_assert(strstr(text, "NOT MET 65 x hw-crypto-divergence (aes-gcm): first s00 (hw), s01 "
                           "(hw), s02 (hw) and 62 more\n") != NULL,
              "%s", text);
    free(text);
    json_decref(c);
    json_decref(rs);
}

Test(report_completeness, reports_never_read_outside_the_run)
{
    const char *dir = scratch_dir();
    char path[4200];
    snprintf(path, sizeof path, "%s/../tlsrig-secret-%d.log", dir, (int)getpid());
    FILE *f = fopen(path, "w");
    fputs("SECRET-CONTENT\n", f);
    fclose(f);
    char rel[128];
    snprintf(rel, sizeof rel, "../tlsrig-secret-%d.log", (int)getpid());
    json_t *rs = json_pack("[{ss ss sb ss}]", "scenario", "a", "outcome", "fail", "expect_met", 0,
                           "log", rel);
    char *xml = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&xml, &len);
    junit_emit(out, dir, rs);
    fclose(out);
    cr_assert(strstr(xml, "SECRET-CONTENT") == NULL, "junit followed a path out of the run");
    free(xml);
    remove(path);
    json_decref(rs);
    cr_assert(!rm_safe_rel("../x") && !rm_safe_rel("/etc/x") && !rm_safe_rel("a/../../x"));
    cr_assert(rm_safe_rel("logs/a..b.log") && rm_safe_rel("runs/01-x/logs/a.log"));
}

Test(report_completeness, run_records_are_not_results)
{
    static const char text[] = "{\"record\":\"run-start\",\"planned\":[]}\n"
                               "{\"scenario\":\"a\",\"outcome\":\"pass\"}\n"
                               "{\"record\":\"from-the-future\"}\n"
                               "[1,2]\n"
                               "{\"record\":\"run-end\",\"complete\":true}\n"
                               "{\"scenario\":\"b\",\"outc";
    run_log_t l;
    results_log_parse(text, sizeof text - 1, &l);
    cr_assert_eq(json_array_size(l.results), 1);
    cr_assert_eq(json_array_size(l.records), 2);
    cr_assert_eq(l.skipped, 3);
    run_log_free(&l);
}

Test(report_completeness, results_lines_print_confidences_as_rounded)
{
    char dir[] = "/tmp/tlsrig-results-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    results_log_t log;
    bool exists = false;
    char err[512];
    cr_assert_eq(results_log_create(&log, dir, &exists, err, sizeof err), 0, "%s", err);
    json_t *r = json_pack("{s:s, s:f}", "scenario", "x", "confidence", 0.95);
    cr_assert_eq(results_log_append(&log, r, err, sizeof err), 0, "%s", err);
    json_decref(r);
    cr_assert_eq(results_log_close(&log, err, sizeof err), 0, "%s", err);
    char path[256];
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    char line[256] = "";
    cr_assert_not_null(fgets(line, sizeof line, f));
    fclose(f);
    /* 17 significant digits would print 0.94999999999999996 */
    cr_expect(strstr(line, "\"confidence\":0.95,") != NULL ||
                  strstr(line, "\"confidence\":0.95}") != NULL,
              "%s", line);
    unlink(path);
    rmdir(dir);
}
