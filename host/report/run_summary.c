#include "run_summary.h"

#include <string.h>

#include "report_model.h"
#include "run_causes.h"
#include "run_completeness.h"

json_t *run_verdict(json_t *results, const json_t *records, size_t skipped_lines, bool regression)
{
    rm_fold_parity_lines(results);
    json_t *completeness = run_completeness(results, records, skipped_lines);
    json_t *totals = rm_totals(results);
    int code = 0;
    if (rm_num(totals, "infra_error", 0) > 0) {
        code = 3;
    } else if (rm_num(totals, "unmet", 0) > 0 || rm_num(totals, "not_run", 0) > 0 ||
               strcmp(rm_str(completeness, "status", ""), "complete") != 0 ||
               rm_num(totals, "applicable", 0) == 0 || regression) {
        code = 1;
    }
    return json_pack("{si so so so}", "exit", code, "completeness", completeness, "totals", totals,
                     "causes", run_root_causes(results));
}

void run_summary_progress(FILE *out, const json_t *r, size_t done, size_t total)
{
    const char *outcome = rm_str(r, "outcome", "?");
    bool met = rm_met(r);
    const char *verdict = rm_str(r, "verdict", "");
    const char *note = rm_is(r, "infra-error") ? rm_str(r, "infra_error", "")
                       : rm_is(r, "skipped")   ? rm_str(r, "skip_reason", "")
                       : rm_is(r, "not-run")   ? rm_str(r, "not_run_reason", "")
                                               : rm_str(r, "mbedtls_error", "");
    const char *label = met ? "as expected" : rm_is(r, "skipped") ? "not tested" : "UNEXPECTED";
    char backend[64];
    rm_backend_label(r, backend, sizeof backend);
    if (rm_is_selftest(r)) {
        fprintf(out, "[self-test] %-42s %-3s %-11s %-12s", rm_str(r, "scenario", "?"), backend,
                outcome, label);
    } else {
        fprintf(out, "[%3zu/%zu] %-44s %-3s %-11s %-12s", done, total, rm_str(r, "scenario", "?"),
                backend, outcome, label);
    }
    fprintf(out, " %7.0f ms  %s%s%s", rm_num(r, "duration_ms", 0), note,
            verdict[0] ? "  verdict: " : "", verdict);
    const json_t *parity = json_object_get(r, "parity");
    if (rm_parity_flag(parity) == 0) {
        fprintf(out, "  parity: differs from sw (%s)", rm_str(parity, "reason", "?"));
    }
    fputc('\n', out);
    fflush(out);
}

void run_summary_print(FILE *out, const json_t *verdict, const char *out_dir)
{
    const json_t *t = json_object_get(verdict, "totals");
    const json_t *c = json_object_get(verdict, "completeness");
    static const char *const rows[][2] = {
        {"pass", "pass"},       {"fail", "fail"},       {"infra_error", "infra-error"},
        {"skipped", "skipped"}, {"not_run", "not-run"}, {"flaky", "flaky"},
        {"total", "total"}};
    fprintf(out, "\n%-12s %6s\n", "outcome", "count");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fprintf(out, "%-12s %6.0f\n", rows[i][1], rm_num(t, rows[i][0], 0));
    }
    fprintf(out, "expectations met: %.0f of %.0f", rm_num(t, "met", 0), rm_num(t, "applicable", 0));
    if (rm_num(t, "skipped", 0) > 0) {
        fprintf(out, " (%.0f skipped: not tested)", rm_num(t, "skipped", 0));
    }
    fputc('\n', out);
    const char *status = rm_str(c, "status", "unknown");
    if (strcmp(status, "cut-short") == 0) {
        fprintf(out, "RUN CUT SHORT: %.0f scenario run(s) never ran", rm_num(c, "not_run", 0));
        if (rm_num(c, "planned", -1) >= 0) {
            fprintf(out, " (of %.0f planned)", rm_num(c, "planned", 0));
        }
        fputc('\n', out);
    } else if (strcmp(status, "unknown") == 0) {
        fprintf(out, "run records missing: completeness unknown\n");
    }
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(c, "reasons"), i, v)
    {
        fprintf(out, "  %s\n", json_string_value(v));
    }
    if (rm_num(t, "applicable", 0) == 0) {
        fprintf(out, "nothing was tested: no selected scenario applied\n");
    }
    run_causes_print(out, json_object_get(verdict, "causes"));
    if (out_dir) {
        fprintf(out, "reports: %s/{results.jsonl,junit.xml,report.json,report.html,summary.md}\n",
                out_dir);
    }
}
