#define _POSIX_C_SOURCE 200809L
#include "json_dump_stream.h"
#include "report_json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report_file.h"
#include "report_model.h"
#include "run_causes.h"
#include "stack_compare.h"

static json_t *time_span(const json_t *results)
{
    double first = 0, last = 0;
    size_t i;
    const json_t *r;
    json_array_foreach(results, i, r)
    {
        double s = rm_num(r, "started_us", 0), e = rm_num(r, "ended_us", 0);
        if (s > 0 && (first == 0 || s < first)) {
            first = s;
        }
        if (e > last) {
            last = e;
        }
    }
    return json_pack("{sf sf}", "started_us", first, "ended_us", last);
}

json_t *report_document(const char *dir, const json_t *results, size_t skipped_lines,
                        const json_t *completeness, const json_t *compare)
{
    char now[64];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *parity = rm_parity_rows(results);
    size_t matched = 0, i;
    json_t *row;
    json_array_foreach(parity, i, row)
    {
        matched += json_is_true(json_object_get(row, "match"));
        /* The rows embed both results: keep the document free of copies. */
        json_object_del(row, "sw");
        json_object_del(row, "hw");
    }
    json_t *meta =
        json_pack("{ss ss so so so so sI sb}", "generated_at", now, "dir", dir, "boards",
                  rm_distinct(results, "board"), "backends", rm_distinct(results, "backend"),
                  "run_ids", rm_distinct(results, "run_id"), "span", time_span(results),
                  "skipped_lines", (json_int_t)skipped_lines, "cut_short",
                  strcmp(rm_str(completeness, "status", "unknown"), "cut-short") == 0);
    json_object_set(meta, "completeness", (json_t *)completeness);
    json_object_set_new(meta, "stacks", rm_distinct(results, "stack"));
    json_object_set_new(meta, "config_files", rm_config_files(results));
    json_t *doc = json_pack("{so so s{sI sI so}}", "meta", meta, "totals", rm_totals(results),
                            "parity", "pairs", (json_int_t)json_array_size(parity), "matched",
                            (json_int_t)matched, "rows", parity);
    json_object_set(doc, "results", (json_t *)results);
    json_object_set_new(doc, "causes", run_root_causes(results));
    if (compare) {
        json_object_set(doc, "compare", (json_t *)compare);
    }
    /* A run on more than one stack: its stacks side by side, scenario by scenario. */
    json_t *stacks = stack_compare_run(results);
    if (stacks) {
        json_object_set_new(doc, "stacks_side_by_side", stacks);
    }
    return doc;
}

int report_json_write(const char *dir, const json_t *doc, char *err, size_t errlen)
{
    report_file_t rf;
    if (report_file_open(&rf, dir, "report.json", err, errlen) != 0) {
        return -1;
    }
    if (json_dump_stream(doc, rf.f, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15)) !=
        0) {
        report_file_abort(&rf);
        snprintf(err, errlen, "%s/report.json: cannot be written: %s", dir, strerror(errno));
        return -1;
    }
    return report_file_commit(&rf, err, errlen);
}
