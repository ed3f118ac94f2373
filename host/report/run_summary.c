#include "run_summary.h"

#include <stdbool.h>
#include <string.h>

static const char *str(const json_t *o, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : dflt;
}

void run_summary_init(run_summary_t *s)
{
    memset(s, 0, sizeof *s);
    s->unmet_list = json_array();
}

void run_summary_add(run_summary_t *s, const json_t *r)
{
    const char *outcome = str(r, "outcome", "");
    s->total++;
    if (strcmp(outcome, "pass") == 0) {
        s->pass++;
    } else if (strcmp(outcome, "fail") == 0) {
        s->fail++;
    } else if (strcmp(outcome, "infra-error") == 0) {
        s->infra++;
    } else if (strcmp(outcome, "skipped") == 0) {
        s->skipped++;
    }
    if (json_is_true(json_object_get(r, "flaky"))) {
        s->flaky++;
    }
    if (json_is_true(json_object_get(r, "expect_met"))) {
        s->met++;
    } else {
        s->unmet++;
        char line[1024];
        snprintf(line, sizeof line, "%s (%s): %s", str(r, "scenario", "?"), str(r, "backend", "?"),
                 strcmp(outcome, "infra-error") == 0 ? str(r, "infra_error", "infrastructure error")
                                                     : str(r, "expect_detail", "not met"));
        json_array_append_new(s->unmet_list, json_string(line));
    }
}

void run_summary_progress(FILE *out, const json_t *r, size_t done, size_t total)
{
    const char *outcome = str(r, "outcome", "?");
    bool met = json_is_true(json_object_get(r, "expect_met"));
    const char *err = str(r, "mbedtls_error", "");
    const char *verdict = str(r, "verdict", "");
    fprintf(out, "[%3zu/%zu] %-44s %-3s %-11s %-12s %7.0f ms  %s%s%s\n", done, total,
            str(r, "scenario", "?"), str(r, "backend", "?"), outcome,
            met ? "as expected" : "UNEXPECTED", json_number_value(json_object_get(r, "duration_ms")),
            strcmp(outcome, "infra-error") == 0 ? str(r, "infra_error", "")
            : strcmp(outcome, "skipped") == 0   ? str(r, "skip_reason", "")
                                                : err,
            verdict[0] ? "  verdict: " : "", verdict);
    fflush(out);
}

void run_summary_print(FILE *out, run_summary_t *s, const char *out_dir)
{
    fprintf(out, "\n%-10s %6s\n", "outcome", "count");
    fprintf(out, "%-10s %6zu\n", "pass", s->pass);
    fprintf(out, "%-10s %6zu\n", "fail", s->fail);
    fprintf(out, "%-10s %6zu\n", "infra-error", s->infra);
    fprintf(out, "%-10s %6zu\n", "skipped", s->skipped);
    fprintf(out, "%-10s %6zu\n", "flaky", s->flaky);
    fprintf(out, "%-10s %6zu\n", "total", s->total);
    fprintf(out, "expectations met: %zu of %zu\n", s->met, s->total);
    size_t i;
    json_t *v;
    json_array_foreach(s->unmet_list, i, v)
    {
        fprintf(out, "  NOT MET: %s\n", json_string_value(v));
    }
    fprintf(out, "reports: %s/{results.jsonl,junit.xml,report.json,report.html,summary.md}\n",
            out_dir);
    json_decref(s->unmet_list);
    s->unmet_list = NULL;
}
